"""The budget plan's .xlsx layout and `crewplan budget check`."""

import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from crewplan.lib.xlsxfile import UnusableFile
from crewplan.planning.budget.messages import file_labels, row_problem
from crewplan.planning.budget.plan import Category, ToolStatus
from crewplan.planning.budget.xlsx import parse_amount, read_plan

D = Decimal
MONTHS_ZH = [f"{m}月" for m in range(1, 13)]


def book(sheets: dict[str, list[list[object]]]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = {
    "預算": [
        ["類別", "項目", "工具", "KPI", "負責團隊", "全年"],
        ["工具訂閱", "AI 文案工具", "Jasper", "內容產出", "品牌行銷部", 60000],
        ["tool_subscription", "LINE 客服機器人", "LINE Bot", "CSAT", "品牌行銷部", "NT$ 48,000"],
        ["數據處理與隱私", "個資盤點與同意機制", "", "CSAT", "品牌行銷部", "１２,０００"],
        ["教育訓練", "AI 工具工作坊", "", "內容產出", "品牌行銷部", 15000],
        ["實驗預備金", "新通路測試", "", "", "品牌行銷部", 50000],
        ["媒體投放", "Meta 廣告", "", "ROAS", "星火數位行銷", 400000],
    ],
    "工具": [
        ["工具", "類別", "狀態", "客戶資料", "席次", "可使用人數"],
        ["Jasper", "內容生成", "使用中", "否", 3, 3],
        ["LINE Bot", "客服機器人", "pilot", "是", 2, 2],
    ],
}


def test_reads_the_documented_layout() -> None:
    result = read_plan(book(GOOD))
    assert result.problems == ()
    plan = result.plan
    assert [line.category for line in plan.lines][:3] == [Category.TOOL_SUBSCRIPTION] * 2 + [
        Category.DATA_PRIVACY
    ]
    assert plan.lines[1].total == D(48000) and plan.lines[2].total == D(12000)
    assert plan.lines[0].amounts == (D(5000),) * 12
    bot = next(t for t in plan.tools if t.name == "LINE Bot")
    assert (bot.status, bot.customer_data, bot.seats, bot.able_users) == (
        ToolStatus.PILOT,
        True,
        2,
        2,
    )
    assert plan.lines[1].tool == bot.key
    assert result.rows[plan.lines[0].key] == 2


def test_monthly_columns_in_english() -> None:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    header = ["Category", "Item", "Owner", *months]
    rows = [header, ["media", "Google Ads", "Agency", *range(1000, 13000, 1000)]]
    result = read_plan(book({"Budget": rows}))
    assert result.problems == ()
    assert result.plan.lines[0].amounts[0] == D(1000) and result.plan.lines[0].amounts[11] == D(
        12000
    )
    assert result.plan.tools == ()


def test_row_problems_are_listed() -> None:
    sheets = {
        "預算": [
            ["類別", "項目", "工具", *MONTHS_ZH],
            ["廣告", "Meta", "", *[1000] * 12],
            ["媒體投放", "", "", *[1000] * 12],
            ["媒體投放", "Google", "", "abc", *[1000] * 11],
            ["媒體投放", "YouTube", "", -5, *[1000] * 11],
            ["工具訂閱", "ChatGPT", "ChatGPT Team", *[700] * 12],
        ],
        "工具": [["工具", "狀態", "客戶資料", "席次"], ["Jasper", "maybe", "perhaps", "two"]],
    }
    result = read_plan(book(sheets))
    tool_codes = [p.code for p in result.problems if p.sheet == "工具"]
    assert tool_codes == ["bad_status", "bad_yes_no", "bad_count"]
    assert [(p.row, p.code) for p in result.problems if p.sheet == "預算"] == [
        (2, "bad_category"),
        (3, "no_item"),
        (4, "bad_amount"),
        (5, "negative_amount"),
        (6, "unknown_tool"),
    ]
    bad_amount = next(p for p in result.problems if p.code == "bad_amount")
    assert "abc" in row_problem(bad_amount) and "1月" in row_problem(bad_amount, "zh-hant")
    assert result.plan.lines == ()  # no line with a problem is kept


@pytest.mark.parametrize(
    ("sheets", "code"),
    [
        ({"Sheet": [["類別", "項目", "全年"]]}, "no_budget_sheet"),
        ({"預算": [["項目", "全年"], ["x", 1]]}, "no_header"),
        ({"預算": [["類別", "項目", "備註"]]}, "no_amounts"),
        ({"預算": [["類別", "項目", "全年"]], "工具": [["名稱"]]}, "no_tool_header"),
    ],
)
def test_unusable_files(sheets: dict[str, list[list[object]]], code: str) -> None:
    with pytest.raises(UnusableFile) as error:
        read_plan(book(sheets))
    assert error.value.code == code


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("12,000", D(12000)),
        ("NT$ 3,500", D(3500)),
        ("１２３", D(123)),
        ("", D(0)),
        (None, D(0)),
        (1234.5, D("1234.5")),
        ("3,500元", D(3500)),
        ("TWD 10", D(10)),
    ],
)
def test_parse_amount(text: object, amount: Decimal) -> None:
    assert parse_amount(text) == amount


def run_check(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crewplan", "budget", "check", str(path), *args],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "CREWPLAN_DATA_DIR": str(path.parent / "data"),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        },
    )


def test_cli_budget_check(tmp_path: Path) -> None:
    good = tmp_path / "plan.xlsx"
    good.write_bytes(book(GOOD))
    ok = run_check(good)
    assert ok.returncode == 0, ok.stderr
    assert "NT$585,000" in ok.stdout

    risky = dict(GOOD)
    risky["預算"] = [row for row in GOOD["預算"] if row[0] not in ("數據處理與隱私", "實驗預備金")]
    bad = tmp_path / "risky.xlsx"
    bad.write_bytes(book(risky))
    result = run_check(bad, "--json", "--language", "zh-hant")
    assert result.returncode == 1  # customer data with no privacy money is an error
    document = json.loads(result.stdout)
    codes = [f["code"] for f in document["findings"]]
    assert codes[0] == "no_privacy_budget" and "no_reserve" in codes
    first = document["findings"][0]["message"]
    assert "LINE Bot" in first and "資料處理與隱私" in first

    junk = tmp_path / "junk.xlsx"
    junk.write_text("Category,Item\nmedia,ads")
    unusable = run_check(junk)
    assert unusable.returncode == 2 and unusable.stdout == "" and unusable.stderr.count("\n") == 1


def test_export_round_trip_with_formulas() -> None:
    from openpyxl import load_workbook

    from crewplan.planning.budget.xlsx import VersionSheet, write_plan

    original = read_plan(book(GOOD)).plan
    data = write_plan(
        [VersionSheet("v1 原始預算", original), VersionSheet("v2 Q2 重新預測", original)],
        current=1,
        labels=file_labels("zh-hant"),
    )
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["預算", "v1 原始預算", "v2 Q2 重新預測", "工具"]
    sheet = wb["預算"]
    assert sheet["R2"].value == "=SUM(F2:Q2)"  # the year total is a formula
    last = sheet.max_row
    assert sheet[f"A{last}"].value == "合計" and sheet[f"F{last}"].value == f"=SUM(F2:F{last - 1})"
    back = read_plan(data)
    assert back.problems == ()
    assert [(ln.category, ln.item, ln.amounts, ln.kpi, ln.owner) for ln in back.plan.lines] == [
        (ln.category, ln.item, ln.amounts, ln.kpi, ln.owner) for ln in original.lines
    ]
    assert {(t.name, t.status, t.customer_data, t.seats) for t in back.plan.tools} == {
        (t.name, t.status, t.customer_data, t.seats) for t in original.tools
    }


def test_the_channel_column_round_trips() -> None:
    from dataclasses import replace

    from crewplan.planning.budget.xlsx import VersionSheet, write_plan

    original = read_plan(book(GOOD)).plan
    lines = tuple(
        replace(ln, channel="Meta") if ln.category is Category.MEDIA else ln
        for ln in original.lines
    )
    plan = replace(original, lines=lines)
    for language, heading in (("zh-hant", "通路"), ("en", "Channel")):
        data = write_plan([VersionSheet("v1", plan)], labels=file_labels(language))
        from openpyxl import load_workbook

        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert sheet["S1"].value == heading
        back = read_plan(data).plan
        assert [(ln.item, ln.channel) for ln in back.lines] == [
            (ln.item, ln.channel) for ln in lines
        ]
        assert [ln.channel for ln in back.lines if ln.category is Category.MEDIA] == ["Meta"]
