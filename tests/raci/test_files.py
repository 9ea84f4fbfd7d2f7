"""Export to XLSX and PDF, import from XLSX with preview and atomic save, versions and
their differences, through the pages."""

import io
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from crewplan.raci import services
from crewplan.raci.models import Activity, Assignment, MatrixVersion
from crewplan.raci.queries import load_grid
from crewplan.raci.template import template_activities
from tests.factories import client_for

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"


@pytest.fixture
def draft(world: Any) -> MatrixVersion:
    return services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="zh-hant",
    )


def grid_cells(version: MatrixVersion) -> dict[tuple[str, str], str]:
    grid = load_grid(version, "en")
    names = {p.key: p.name for p in grid.matrix.parties}
    acts = {a.key: (a.function, a.name) for a in grid.matrix.activities}
    return {(acts[a], names[p]): grid.cell(a, p) for (a, p) in grid.matrix.cells}


def upload(client: Any, data: bytes, name: str = "matrix.xlsx") -> Any:
    f = io.BytesIO(data)
    f.name = name
    return client.post("/w/alpha/raci/import/", {"file": f})


def test_export_then_import_gives_the_same_matrix(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    services.person_column_add(
        version=draft, membership=world.member("maya"), actor=world.people["alice"]
    )
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    services.cell_set(
        version=draft,
        activity=blog,
        party_key=f"person-{world.member('maya').pk}",
        text="C",
        expected="",
        actor=world.people["alice"],
    )
    before = grid_cells(draft)
    exported = alice.get(f"/w/alpha/raci/versions/{draft.pk}/export.xlsx")
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(exported.content))
    assert book.sheetnames == ["RACI", "Findings", "Sign-offs"]
    assert book["RACI"]["A1"].value == "Function" and book["RACI"]["E2"].value == "internal"

    # Wipe the draft, then bring it back from the file.
    Assignment.objects.filter(version=draft).delete()
    preview = upload(alice, exported.content)
    assert preview.status_code == 200 and b'id="import-confirm"' in preview.content
    assert Assignment.objects.filter(version=draft).count() == 0  # preview saves nothing
    token = preview.context["token"]
    done = alice.post("/w/alpha/raci/import/confirm/", {"plan": token})
    assert done.status_code == 302
    assert grid_cells(draft) == before


def test_import_problems_are_listed_and_nothing_changes(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    before = grid_cells(draft)
    book = Workbook()
    ws = book.active
    for row in (
        [
            "職能",
            "工作項目",
            world.a_in_house.name,
            "Unknown Agency",
            "Nobody (Alpha Agency 甲代理)",
        ],
        ["", "", "內部", "外部", "external"],
        ["內容", "部落格文章撰寫", "A", "R", ""],
        ["內容", "SEO 優化", "Q", "R", ""],
    ):
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    response = upload(alice, out.getvalue())
    assert response.status_code == 400
    problems = response.context["plan"].problems
    text = " ".join(m for _row, m in problems)
    # A team the workspace lacks is proposed as a new team of the kind row 2 states; a
    # person it lacks must be chosen (or ignored) before the import.
    proposed = {t.column.header: t.choice for t in response.context["mapping"]}
    assert proposed["Unknown Agency"] == "new-external" and "Unknown Agency" not in text
    assert "Nobody" in text and "Q" in text
    assert tuple({row for row, _m in problems if row and row > 2}) == (4,)
    assert b'id="import-confirm"' not in response.content
    assert grid_cells(draft) == before


@pytest.mark.parametrize(
    ("payload", "message"),
    [(b"plain text, not a spreadsheet", "not a zip archive"), (b"PK\x03\x04broken", "zip")],
)
def test_unusable_uploads_are_refused(
    world: Any, draft: MatrixVersion, payload: bytes, message: str
) -> None:
    alice = client_for(world.people["alice"])
    response = upload(alice, payload)
    assert response.status_code == 400 and message in response.context["error"]


def test_tampered_or_foreign_plan_is_refused(world: Any, draft: MatrixVersion) -> None:
    alice = client_for(world.people["alice"])
    exported = alice.get(f"/w/alpha/raci/versions/{draft.pk}/export.xlsx").content
    token = upload(alice, exported).context["token"]
    before = grid_cells(draft)
    response = alice.post(
        "/w/alpha/raci/import/confirm/", {"plan": token[:-3] + "xyz"}, follow=True
    )
    assert any("expired or was changed" in str(m) for m in response.context["messages"])
    charlie = client_for(world.people["charlie"])
    charlie.post("/w/beta/raci/import/confirm/", {"plan": token})  # signed for workspace A only
    assert not Assignment.objects.filter(workspace=world.b).exists()
    assert grid_cells(draft) == before


def test_pdf_export_renders_chinese(world: Any, draft: MatrixVersion, tmp_path: Path) -> None:
    alice = client_for(world.people["alice"])
    response = alice.get(f"/w/alpha/raci/versions/{draft.pk}/export.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "raci.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "部落格文章撰寫" in text and world.a_agency.name.split()[0] in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts  # Noto Sans CJK embedded, so it prints the same everywhere


def test_versions_and_diff(world: Any, draft: MatrixVersion) -> None:
    services.sign_off(version=draft, team=world.a_in_house, actor=world.people["alice"])
    services.sign_off(version=draft, team=world.a_agency, actor=world.people["adam"])
    services.publish(version=draft, actor=world.people["alice"])
    second = services.draft_start(workspace=world.a, actor=world.people["alice"])
    blog = Activity.objects.get(workspace=world.a, name="部落格文章撰寫")
    seo = Activity.objects.get(workspace=world.a, name="SEO 優化")
    agency, home = f"team-{world.a_agency.pk}", f"team-{world.a_in_house.pk}"
    services.cell_set(
        version=second,
        activity=blog,
        party_key=agency,
        text="R/C",
        expected="R",
        actor=world.people["alice"],
    )
    services.cell_set(
        version=second,
        activity=seo,
        party_key=home,
        text="",
        expected="A/C",
        actor=world.people["alice"],
    )
    services.cell_set(
        version=second,
        activity=seo,
        party_key=f"person-{world.member('mike').pk}",
        text="A",
        expected="",
        actor=world.people["alice"],
    )
    page = client_for(world.people["maya"]).get(
        f"/w/alpha/raci/versions/?a={draft.pk}&b={second.pk}"
    )
    changes = {(c.activity, c.party, c.change, c.before, c.after) for c in page.context["changes"]}
    assert changes == {
        ("部落格文章撰寫", world.a_agency.name, "changed", "R", "R/C"),
        ("SEO 優化", world.a_in_house.name, "removed", "A/C", ""),
        ("SEO 優化", "Mike 林", "added", "", "A"),
    }
    assert page.content.count(b"data-change=") == 3


def test_template_download_matches_the_import_layout(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.get("/w/alpha/raci/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:2] == ["Function", "Activity"]
    assert world.a_in_house.name in [c.value for c in sheet[1]]
    assert sheet.max_row == 2 + len(template_activities())
    preview = upload(alice, response.content)
    assert preview.status_code == 200 and not preview.context["plan"].problems


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (210 * 1024 * 1024))
    return out.getvalue()


def _wrong_sheet() -> bytes:
    book = Workbook()
    book.active.append(["月份", "預算"])  # a budget sheet first, not a RACI grid
    book.active.append(["1月", 12000])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "message"), [(_bomb, "zip bomb"), (_wrong_sheet, "no row looks like a RACI header")]
)
def test_bombs_and_wrong_sheets_change_nothing(
    world: Any, draft: MatrixVersion, make: Any, message: str
) -> None:
    alice = client_for(world.people["alice"])
    before = grid_cells(draft)
    response = upload(alice, make())
    assert response.status_code == 400 and message in response.context["error"]
    assert grid_cells(draft) == before
