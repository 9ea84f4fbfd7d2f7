"""`crewplan fit` end to end on real public weekly files (tests/optimize/files/README.md:
Robyn, PyMC-Marketing, Meridian excerpts) and on the layouts people keep (a Taiwanese
workbook, a Sunday-start export): the exit code, the channels it takes and judges, what
it says about how it read the file, and the one-line refusals in both languages."""

import io
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from crewplan.optimize import document
from crewplan.optimize.synthetic import generate

FILES = Path(__file__).parent / "files"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("fit", *args, stdout=out)
    return int(exited.value.code or 0), out.getvalue()


def fitted(*args: str) -> tuple[int, document.Curves]:
    code, out = run(*args, "--json", "--language", "en")
    curves = document.loads(out)
    not_judged = [c.name for c in curves.channels if c.status != "ok"]
    assert code == (1 if not_judged else 0)
    assert [item["name"] for item in curves.fit["not_judged"]] == not_judged
    return code, curves


def refusal(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    before = path.read_bytes()
    code, out = run(str(path), *args)
    err = capsys.readouterr().err
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert path.read_bytes() == before
    return err.removeprefix(f"{path}: ").rstrip("\n")


def test_robyn_simulated_weekly_fits_the_spend_columns_only() -> None:
    path = FILES / "robyn_dt_simulated_weekly.csv"
    _, curves = fitted(str(path))
    channels = ["tv_S", "ooh_S", "print_S", "search_S", "facebook_S"]
    assert [c.name for c in curves.channels] == channels
    columns = curves.fit["columns"]
    assert (columns["week"], columns["outcome"], columns["week_start"]) == (
        "DATE",
        "revenue",
        "monday",
    )
    assert columns["not_used"] == [
        "facebook_I",
        "search_clicks_P",
        "competitor_sales_B",
        "events",
        "newsletter",
    ]
    assert curves.fit["weeks"] == 110 and curves.channel("tv_S").status == "ok"
    _, table = run(str(path), "--language", "en", "--controls", "competitor_sales_B,newsletter")
    assert table.splitlines()[1] == (
        "Not used: facebook_I, search_clicks_P, events (name them with --channels or --controls)."
    )


def test_pymc_marketing_example_reads_x1_x2_as_spend_and_says_so() -> None:
    path = FILES / "pymc_marketing_mmm_example.csv"
    code, curves = fitted(str(path), "--controls", "event_1,event_2")
    assert code == 0 and [c.name for c in curves.channels] == ["x1", "x2"]
    assert curves.fit["columns"]["guessed_spend"] == ["x1", "x2"]
    assert curves.fit["columns"]["controls"] == ["event_1", "event_2"]
    assert curves.fit["controls"] == ["event_1"]  # event_2 is 0 in every week of the excerpt
    assert curves.fit["constant_controls"] == ["event_2"]  # and the fit says so
    _, table = run(str(path), "--language", "en", "--controls", "event_1,event_2")
    assert "Not used as controls, the same every week: event_2." in table.splitlines()
    _, table = run(str(path), "--language", "en")
    lines = table.splitlines()
    assert lines[1].startswith("Read as spend, though their headers do not say so: x1, x2")
    assert lines[2] == (
        "Not used: event_1, event_2, dayofyear, t (name them with --channels or --controls)."
    )
    # Spend in small units (the example's scaled spend) keeps its digits in the table.
    row = next(line for line in lines if line.startswith("x1 "))
    assert row.split()[-1] != "0"


def test_meridian_national_data_counts_conversions_from_the_spend_columns() -> None:
    path = FILES / "meridian_national_all_channels.csv"
    _, curves = fitted(
        str(path), "--controls", "competitor_sales_control,sentiment_score_control,Promo"
    )
    assert [c.name for c in curves.channels] == [f"Channel{i}_spend" for i in range(5)]
    assert curves.fit["outcome"] == "conversions"  # the column's name says so
    assert "Channel0_impression" in curves.fit["columns"]["not_used"]
    _, table = run(str(path), "--language", "en")
    assert table.splitlines()[1] == (
        "The outcome column “conversions” is read as conversions (its header says so; "
        "--outcome revenue to change)."
    )
    _, table = run(str(path), "--language", "en", "--outcome", "revenue")
    assert "read as conversions" not in table


def test_meridian_sunday_weeks_with_a_named_outcome() -> None:
    path = FILES / "meridian_advantage_marketing_sample.csv"
    code, curves = fitted(str(path), "--outcome-column", "kpi_leads", "--outcome", "conversions")
    assert code == 1  # the example's spend hardly varies: honest "not enough data"
    assert {item["code"] for item in curves.fit["not_judged"]} == {"too_little_variation"}
    assert curves.fit["columns"]["week_start"] == "sunday"
    assert (curves.fit["first_week"], curves.fit["weeks"]) == ("2023-01-01", 52)
    # No channel modelled: R² is the baseline's (level, trend, controls), not 0.
    assert 0.0 < curves.fit["r2"] < 1.0
    _, table = run(str(path), "--language", "zh-hant", "--outcome-column", "kpi_leads")
    assert "每週從星期日開始（第一週：2023-01-01）。" in table.splitlines()


def test_meridian_sample_without_a_known_outcome_name_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FILES / "meridian_advantage_marketing_sample.csv"
    assert refusal(capsys, path, "--language", "en").startswith(
        "the file has no outcome column (a header such as outcome, revenue, sales, y, "
    )
    assert refusal(capsys, path, "--language", "zh-hant").startswith("檔案沒有成果欄位")


def test_meridian_geo_rows_are_refused_naming_both_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FILES / "meridian_geo_all_channels.csv"
    assert refusal(capsys, path, "--language", "en") == (
        "line 57: the week 2021-01-25 is already on line 2: the file has a row per week and "
        "geo; fit one geo at a time, or add them up to one row a week"
    )
    assert refusal(capsys, path, "--language", "zh-hant") == (
        "第 57 行：2021-01-25 這週已出現在第 2 行：檔案是每週每個 geo 一列；"
        "請一次配適一個 geo，或先加總成每週一列"
    )


def taiwanese_workbook(path: Path, weeks: int = 60) -> Path:
    """A workbook as a Taiwanese team keeps it: a notes sheet, a data sheet with date
    cells for Sundays, amounts with NT$ in some cells, blank weeks for a paused channel."""
    data = generate(11, channels=3, noise=(0.004, 0.006))
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "說明"
    notes.append(["花費單位：新台幣"])
    sheet = book.create_sheet("週資料")
    names = ["關鍵字廣告花費", "Facebook 花費", "LINE 花費"]
    sheet.append(["週次起始", "營收", *names, "曝光次數"])
    for i in range(weeks):
        sunday = date(2024, 1, 7) + timedelta(days=7 * i)
        spend: list[object] = [round(float(data.spend[n][i])) for n in data.spend]
        spend = [None if v == 0 else v for v in spend]
        if i % 5 == 0 and spend[0] is not None:
            spend[0] = f"NT${spend[0]:,}"
        sheet.append([sunday, round(float(data.outcome[i]), 2), *spend, 1000 + i])
    book.save(path)
    return path


def test_a_taiwanese_workbook_by_sheet_name(tmp_path: Path) -> None:
    path = taiwanese_workbook(tmp_path / "週報.xlsx")
    _, curves = fitted(str(path), "--sheet", "週資料")
    assert [c.name for c in curves.channels] == ["關鍵字廣告花費", "Facebook 花費", "LINE 花費"]
    columns = curves.fit["columns"]
    assert (columns["week"], columns["outcome"], columns["sheet"]) == ("週次起始", "營收", "週資料")
    assert columns["week_start"] == "sunday" and columns["not_used"] == ["曝光次數"]
    assert curves.fit["first_week"] == "2024-01-07" and curves.fit["weeks"] == 60


def test_the_first_sheet_is_read_without_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = taiwanese_workbook(tmp_path / "週報.xlsx")
    assert refusal(capsys, path, "--language", "zh-hant").startswith("檔案沒有週次欄位")
    assert refusal(capsys, path, "--language", "en", "--sheet", "Weekly") == (
        "the workbook has no sheet “Weekly” (its sheets: 說明, 週資料)"
    )


def test_a_sunday_export_with_unsorted_rows_and_blank_weeks(tmp_path: Path) -> None:
    data = generate(11, channels=2, noise=(0.004, 0.006))
    names = list(data.spend)
    rows = []
    for i in range(70):
        sunday = date(2024, 1, 7) + timedelta(days=7 * i)
        cells = ["" if data.spend[n][i] == 0 else f"${data.spend[n][i]:,.2f}" for n in names]
        rows.append(
            f'{sunday:%Y/%-m/%-d},"{data.outcome[i]:,.2f}",' + ",".join(f'"{c}"' for c in cells)
        )
    rows = rows[35:] + rows[:35]
    path = tmp_path / "export.csv"
    path.write_text("Week Starting,Sales,Search Cost,Social Cost\n" + "\n".join(rows) + "\n")
    _, table = run(str(path), "--language", "en")
    lines = table.splitlines()
    assert lines[0].startswith("export.csv: 70 weeks, 2024-01-07 – 2025-05-04")
    assert "Weeks start on Sunday (the first, 2024-01-07)." in lines
    assert "The rows were not in date order; they were read sorted by week." in lines
    blank = sum(1 for n in names for x in data.spend[n][:70] if x == 0)
    assert blank and f"Blank spend cells read as 0: {blank}." in lines
    _, zh = run(str(path), "--language", "zh-hant")
    assert "各列原本不是依日期排列；已依週次排序後讀取。" in zh.splitlines()


@pytest.mark.parametrize(
    ("lines", "args", "english", "chinese"),
    [
        (
            ["week,outcome,tv_spend", "2024-01-01,1,1", "2024-01-08,2,2", "2024-01-01,3,3"],
            (),
            "line 4: the week 2024-01-01 is already on line 2",
            "第 4 行：2024-01-01 這週已出現在第 2 行",
        ),
        (
            ["date,revenue,sales,tv_spend", "2024-01-01,1,1,1"],
            (),
            "several columns could be the outcome (revenue, sales); say which with "
            "--outcome-column",
            "有好幾欄都可能是成果（revenue, sales）；請用 --outcome-column 指定是哪一欄",
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1"],
            ("--channels", "tv"),
            "the file has no column “tv”",
            "檔案沒有「tv」欄",
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,,1"],
            (),
            "line 2: revenue is blank (only a spend may be left blank, read as 0)",
            "第 2 行：revenue 是空白（只有花費可以留白，視為 0）",
        ),
        (
            ["date,revenue,tv_spend", "01/08/2024,1,1"],
            (),
            "line 2: “01/08/2024” is not a date with the year first, such as 2026-01-05, "
            "2026/1/5 or 2026年1月5日",
            "第 2 行：「01/08/2024」不是年份在前的日期，例如 2026-01-05、2026/1/5 或 2026年1月5日",
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1", "2024-01-02,1,1"],
            (),
            "line 3: the week 2024-01-02 does not follow the week before it (expected "
            "2024-01-08: one row a week, 7 days apart)",
            "第 3 行：2024-01-02 這週沒有接在前一週之後（應為 2024-01-08：每週一列，相隔 7 天）",
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1"],
            ("--sheet", "Sheet1"),
            "--sheet Sheet1: the file is not an .xlsx workbook",
            "--sheet Sheet1：檔案不是 .xlsx 活頁簿",
        ),
    ],
)
def test_refusals_in_both_languages(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    lines: list[str],
    args: tuple[str, ...],
    english: str,
    chinese: str,
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert refusal(capsys, path, "--language", "en", *args) == english
    assert refusal(capsys, path, "--language", "zh-hant", *args) == chinese
