"""`lib/sheets.py`: text cells stay text, formulas only when crewplan writes them, and
sheet titles Excel accepts (issue 8)."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from crewplan.lib.sheets import Formula, append_row, sheet_title
from crewplan.planning.budget.messages import file_labels
from crewplan.planning.budget.plan import Category, Line, Plan, spread
from crewplan.planning.budget.xlsx import VersionSheet, read_plan, write_plan


@pytest.mark.parametrize(
    ("name", "taken", "title"),
    [
        ("v1 Original", [], "v1 Original"),
        ("v2 Q2: re/forecast [draft] *?\\", [], "v2 Q2 re forecast draft"),
        ("v3 " + "長" * 40, [], "v3 " + "長" * 28),
        ("::[]", [], "Sheet"),
        ("'quoted'", [], "quoted"),
        ("budget", ["Budget"], "budget (2)"),
        ("Budget", ["Budget", "budget (2)"], "Budget (3)"),
        ("x" * 40, ["x" * 31], "x" * 27 + " (2)"),
        ("History", [], "History (2)"),
        ("bell\x07", [], "bell"),
    ],
)
def test_sheet_titles(name: str, taken: list[str], title: str) -> None:
    assert sheet_title(name, taken) == title
    Workbook().create_sheet(title)  # openpyxl accepts it


def test_append_row_keeps_text_and_our_formulas() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    append_row(sheet, ["=1+1", "-x", "@y", "plain", 5, None, Formula("=SUM(E1:E1)"), "\x01ok"])
    out = io.BytesIO()
    book.save(out)
    row = load_workbook(io.BytesIO(out.getvalue())).active[1]  # type: ignore[index]
    assert [c.value for c in row] == ["=1+1", "-x", "@y", "plain", 5, None, "=SUM(E1:E1)", "ok"]
    assert [c.data_type for c in row[:4]] == ["s"] * 4 and row[6].data_type == "f"
    assert [c.quotePrefix for c in row[:4]] == [True, True, True, False]


def test_version_titles_that_clash_after_cleaning_still_export() -> None:
    plan = Plan(lines=(Line("1", Category.MEDIA, "=ads\x02", spread(Decimal(1200))),), tools=())
    titles = ["v1 Q2/Q3", "v1 Q2:Q3", "", "預算", "x" * 40, "x" * 40 + "y"]
    data = write_plan([VersionSheet(t, plan) for t in titles], labels=file_labels("zh-hant"))
    names = load_workbook(io.BytesIO(data)).sheetnames
    assert names == [
        "預算",
        "v1 Q2 Q3",
        "v1 Q2 Q3 (2)",
        "v3",
        "預算 (2)",
        "x" * 31,
        "x" * 27 + " (2)",
        "工具",
    ]
    back = read_plan(data)  # the plan is read from the 預算 sheet, not a version called 預算
    assert back.problems == () and [ln.item for ln in back.plan.lines] == ["=ads"]
