"""Every import reads at most `lib/limits.py`'s rows, columns and bytes (issue 8): a file
just past a limit is refused with a one-line reason and saves nothing, a file at the
limit is read. The readers take the limits as an argument; the pages and commands use
the project's constants, lowered here so the files stay small."""

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from crewplan.lib import limits
from crewplan.lib.file_messages import unusable
from crewplan.lib.limits import FileLimits
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.planning.budget.xlsx import read_plan
from crewplan.planning.models import BudgetVersion
from crewplan.raci import services as raci_services
from crewplan.raci.models import Assignment
from crewplan.raci.xlsx import read_matrix
from crewplan.work.calendar_tw import parse_dgpa_calendar
from crewplan.work.models import CalendarDay
from tests.factories import client_for

SMALL = FileLimits(bytes=1024 * 1024, rows=3, columns=20)


def xlsx(sheets: dict[str, list[list[object]]], *, blank_tail: int = 0) -> bytes:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        for number in range(blank_tail):  # formatted but empty rows people leave behind
            sheet.cell(row=len(rows) + 1 + number, column=1).number_format = "0"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def plan_rows(lines: int, width: int = 3) -> list[list[object]]:
    header: list[object] = ["Category", "Item", "Annual"] + [f"note {i}" for i in range(width - 3)]
    return [header] + [["media", f"line {n}", 1200] + [""] * (width - 3) for n in range(lines)]


def matrix_rows(activities: int) -> list[list[object]]:
    return [["Function", "Activity", "Us"], ["", "", "internal"]] + [
        ["Ads", f"activity {n}", "A/R"] for n in range(activities)
    ]


def calendar_csv(days: int, extra_columns: int = 0) -> bytes:
    extra = "," * extra_columns
    lines = ["西元日期,星期,是否放假,備註" + extra]
    lines += [
        f"202701{d:02d},{'五六日一二三四'[(d - 1) % 7]},2,假日{d}" for d in range(1, days + 1)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_budget_reader_at_and_past_the_limits() -> None:
    assert len(read_plan(xlsx({"Budget": plan_rows(3)}), SMALL).plan.lines) == 3
    assert len(read_plan(xlsx({"Budget": plan_rows(3)}, blank_tail=50), SMALL).plan.lines) == 3
    with pytest.raises(UnusableFile) as error:
        read_plan(xlsx({"Budget": plan_rows(4)}), SMALL)
    assert unusable(error.value) == (
        "the file has more than 3 rows in sheet “Budget”; crewplan reads at most 3 rows"
    )
    assert "超過 3 列" in unusable(error.value, "zh-hant")
    tools = [["Tool"]] + [[f"tool {n}"] for n in range(4)]
    with pytest.raises(UnusableFile) as refused:
        read_plan(xlsx({"Budget": plan_rows(1), "Tools": tools}), SMALL)
    assert "sheet “Tools”" in unusable(refused.value, "en")
    assert read_plan(xlsx({"Budget": plan_rows(1, width=20)}), SMALL).problems == ()
    wide = plan_rows(1, width=21)
    wide[1][20] = "x"
    with pytest.raises(UnusableFile) as refused:
        read_plan(xlsx({"Budget": wide}), SMALL)
    assert "more than 20 columns" in unusable(refused.value, "en")


def test_raci_reader_counts_rows_below_its_two_header_rows() -> None:
    assert len(read_matrix(xlsx({"RACI": matrix_rows(3)}), SMALL).matrix.activities) == 3
    with pytest.raises(UnusableFile) as refused:
        read_matrix(xlsx({"RACI": matrix_rows(4)}), SMALL)
    assert "more than 3 rows" in unusable(refused.value, "en")
    wide = matrix_rows(1)
    wide[0] += [f"Team {n}" for n in range(20)]
    with pytest.raises(UnusableFile) as refused:
        read_matrix(xlsx({"RACI": wide}), SMALL)
    assert "more than 20 columns" in unusable(refused.value, "en")


def test_files_past_the_byte_limit_are_refused_unread(tmp_path: Path) -> None:
    data = xlsx({"Budget": plan_rows(1)})
    tiny = FileLimits(bytes=len(data) - 1, rows=3, columns=20)
    for read in (read_plan, read_matrix):
        with pytest.raises(UnusableFile) as refused:
            read(data, tiny)  # type: ignore[operator]
        assert "larger than" in unusable(refused.value, "en")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(data)
    assert limits.read_limited(path, FileLimits(len(data), 3, 20)) == data
    with pytest.raises(UnusableFile) as refused:
        limits.read_limited(path, tiny)
    assert "larger than" in unusable(refused.value, "en")


def test_calendar_reader_limits() -> None:
    assert len(parse_dgpa_calendar(calendar_csv(3), SMALL)) == 3
    with pytest.raises(UnusableFile) as refused:
        parse_dgpa_calendar(calendar_csv(4), SMALL)
    assert "more than 3 rows; crewplan reads at most 3 rows" in unusable(refused.value, "en")
    assert len(parse_dgpa_calendar(calendar_csv(3, extra_columns=16), SMALL)) == 3
    with pytest.raises(UnusableFile) as refused:
        parse_dgpa_calendar(calendar_csv(3, extra_columns=17), SMALL)
    assert "more than 20 columns" in unusable(refused.value, "en")
    with pytest.raises(ValueError, match="not a CSV file"):  # csv's own errors, not a crash
        parse_dgpa_calendar(
            ("西元日期,星期,是否放假,備註\n20270101,五,2," + "x" * 140_000).encode()
        )


@pytest.fixture
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("BUDGET_PLAN", "RACI_MATRIX", "OFFICE_CALENDAR"):
        monkeypatch.setattr(limits, name, SMALL)


def upload(client: Any, url: str, data: bytes) -> Any:
    f = io.BytesIO(data)
    f.name = "file.xlsx"
    return client.post(url, {"file": f})


def test_budget_import_page_refuses_past_the_limit(world: Any, small_limits: None) -> None:
    alice = client_for(world.people["alice"])
    refused = upload(alice, "/w/alpha/plan/budget/import/", xlsx({"Budget": plan_rows(4)}))
    assert refused.status_code == 400
    assert "crewplan reads at most 3 rows" in refused.context["error"]
    assert b'id="budget-import-confirm"' not in refused.content
    read = upload(alice, "/w/alpha/plan/budget/import/", xlsx({"Budget": plan_rows(3)}))
    assert read.status_code == 200 and len(read.context["plan"].lines) == 3
    assert not BudgetVersion.objects.filter(workspace=world.a).exists()


def test_raci_import_page_refuses_past_the_limit(world: Any, small_limits: None) -> None:
    alice = client_for(world.people["alice"])
    draft = raci_services.draft_start(workspace=world.a, actor=world.people["alice"])
    rows = matrix_rows(4)
    rows[0][2] = world.a_in_house.name
    refused = upload(alice, "/w/alpha/raci/import/", xlsx({"RACI": rows}))
    assert refused.status_code == 400
    assert "crewplan reads at most 3 rows" in refused.context["error"]
    read = upload(alice, "/w/alpha/raci/import/", xlsx({"RACI": rows[:-1]}))
    assert read.status_code == 200 and len(read.context["plan"].activities) == 3
    assert not Assignment.objects.filter(version=draft).exists()


def exit_code(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    with pytest.raises(SystemExit) as exit_info:
        call_command(*args, stdout=io.StringIO())
    return int(exit_info.value.code or 0), capsys.readouterr().err


def test_check_commands_refuse_past_the_limit(
    small_limits: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan, matrix = tmp_path / "plan.xlsx", tmp_path / "matrix.xlsx"
    plan.write_bytes(xlsx({"Budget": plan_rows(4)}))
    matrix.write_bytes(xlsx({"RACI": matrix_rows(4)}))
    for args in (("budget", "check", str(plan)), ("raci", "check", str(matrix))):
        code, err = exit_code(capsys, *args)
        assert code == 2 and err.count("\n") == 1 and "crewplan reads at most 3 rows" in err
    plan.write_bytes(xlsx({"Budget": plan_rows(3)}))
    matrix.write_bytes(xlsx({"RACI": matrix_rows(3)}))
    assert exit_code(capsys, "budget", "check", str(plan))[0] != 2
    assert exit_code(capsys, "raci", "check", str(matrix))[0] != 2


def test_calendar_import_refuses_past_the_limit(
    db: Any, small_limits: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "calendar.csv"
    path.write_bytes(calendar_csv(4))
    code, err = exit_code(capsys, "calendar", "import", str(path))
    assert code == 2 and "crewplan reads at most 3 rows" in err and err.count("\n") == 1
    assert not CalendarDay.objects.exists()
    path.write_bytes(calendar_csv(3))
    call_command("calendar", "import", str(path), stdout=io.StringIO())
    assert CalendarDay.objects.filter(day__gte=date(2027, 1, 1)).count() == 3


def test_a_file_with_too_much_text_is_refused_before_parsing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import zipfile

    from crewplan.lib import xlsxfile

    out = io.BytesIO()
    source_data = io.BytesIO(xlsx({"Budget": plan_rows(1)}))
    with zipfile.ZipFile(source_data) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>x</t></si>" * 20 + "</sst>")
    monkeypatch.setattr(xlsxfile, "MAX_SHARED_STRINGS", 100)
    with pytest.raises(UnusableFile) as refused:
        read_plan(out.getvalue(), SMALL)
    assert "more than 32 MB of text" in unusable(refused.value, "en")
