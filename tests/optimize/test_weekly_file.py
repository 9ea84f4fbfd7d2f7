"""The weekly file `crewplan fit` reads, as people and tools lay it out: the layouts it
takes (CSV in UTF-8, Big5 and UTF-16, .xlsx), how it decides which column is what, and
each refusal with its code and parameters (the sentences: test_fit_cli.py)."""

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest

from crewplan.optimize.fit import UnusableData
from crewplan.optimize.weekly_file import (
    Columns,
    parse_number,
    read_weekly,
    spend_column,
    taiwan_holidays,
)

SUNDAYS = [date(2024, 1, 7) + timedelta(days=7 * i) for i in range(4)]


def csv_bytes(lines: list[str], encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def refused(data: bytes, **options: object) -> UnusableData:
    with pytest.raises(UnusableData) as error:
        read_weekly(data, **options)  # type: ignore[arg-type]
    return error.value


def test_a_taiwanese_sheet_with_currency_marks_blank_weeks_and_sunday_weeks() -> None:
    data = csv_bytes(
        [
            "週次起始,營收,關鍵字廣告花費,Facebook 花費,LINE 廣告費(TWD)",
            '2024年1月7日,"NT$120,500","NT$ 3,000",1 200 元,TWD 800',
            '2024/1/14,"118,000","3,500",,800 TWD',
            "2024-1-21,１２５０００,４０００,--,$900.50",
            "2024/01/28,121000,-,1500,¥1000",
        ]
    )
    weekly = read_weekly(data)
    assert weekly.weeks == tuple(SUNDAYS)
    assert weekly.outcome == (120500.0, 118000.0, 125000.0, 121000.0)
    assert weekly.spend == {
        "關鍵字廣告花費": (3000.0, 3500.0, 4000.0, 0.0),
        "Facebook 花費": (1200.0, 0.0, 0.0, 1500.0),
        "LINE 廣告費(TWD)": (800.0, 800.0, 900.5, 1000.0),
    }
    layout = weekly.layout
    assert (layout.week, layout.outcome, layout.week_start) == ("週次起始", "營收", 6)
    assert layout.blank_spend == 3 and layout.guessed == () and layout.not_used == ()
    assert not layout.sorted


@pytest.mark.parametrize(
    "written", ["2024-01-08", "2024/01/08", "2024/1/8", "2024-1-8", "2024年1月8日", "2024.1.8"]
)
def test_dates_people_write_with_the_year_first(written: str) -> None:
    data = csv_bytes(["week,outcome,search", f"{written},100,10", "2024-01-15,120,20"])
    assert read_weekly(data).weeks == (date(2024, 1, 8), date(2024, 1, 15))


def test_todays_layout_still_reads_the_same_and_says_its_channels_are_guessed() -> None:
    data = csv_bytes(
        [
            "week,outcome,search,social,control:promotion",
            "2026-01-05,100,10,5,0",
            "2026-01-12,120,20,6,1",
        ]
    )
    weekly = read_weekly(data)
    assert weekly.spend == {"search": (10.0, 20.0), "social": (5.0, 6.0)}
    assert weekly.controls == {"promotion": (0.0, 1.0)}
    assert weekly.layout.guessed == ("search", "social")


def test_robyns_layout_takes_the_spend_columns_and_leaves_impressions_and_clicks() -> None:
    data = csv_bytes(
        [
            '"DATE","revenue","tv_S","facebook_I","search_clicks_P","search_S",'
            '"competitor_sales_B","events","newsletter"',
            '2015-11-23,2754371.66,22358.34,24301284.23,0,0,8125009,"na",19401.65',
            '2015-11-30,2584276.66,28613.45,5527033.18,9837.23,4133.33,7901549,"na",14791',
        ]
    )
    weekly = read_weekly(data)
    assert list(weekly.spend) == ["tv_S", "search_S"]
    assert weekly.layout.not_used == (
        "facebook_I",
        "search_clicks_P",
        "competitor_sales_B",
        "events",
        "newsletter",
    )
    chosen = read_weekly(data, columns=Columns(controls=("competitor_sales_B", "newsletter")))
    assert list(chosen.controls) == ["competitor_sales_B", "newsletter"]
    assert chosen.layout.not_used == ("facebook_I", "search_clicks_P", "events")


@pytest.mark.parametrize(
    ("header", "says"),
    [
        ("tv_S", True),
        ("Channel0_spend", True),
        ("Cost", True),
        ("花費金額", True),
        ("關鍵字廣告費", True),
        ("facebook_I", False),
        ("Channel0_impression", False),
        ("search_clicks_P", False),
        ("competitor_sales_B", False),
        ("曝光次數", False),
        ("點擊", False),
        ("event_1", False),
        ("dayofyear", False),
        ("t", False),
        ("seasonality_index", False),
        ("Unnamed: 0", False),
        ("search", None),
        ("x1", None),
        ("LINE 官方帳號", None),
        # Ratios of spend are not spend (an ad platform's weekly export has them beside
        # its Cost column); spend per week is.
        ("Cost / conv.", False),
        ("Avg. CPC", False),
        ("Conv. value / cost", False),
        ("CPM", False),
        ("ROAS", False),
        ("每次點擊成本", False),
        ("轉換率", False),
        ("Spend / week", True),
        ("每週廣告費", True),
    ],
)
def test_which_headers_say_spend(header: str, says: bool | None) -> None:
    assert spend_column(header) is says


def test_explicit_columns_override_the_names() -> None:
    data = csv_bytes(
        [
            "Week Of,Leads,Revenue,x1,x2,temp,control:promo",
            "2024-01-01,10,1000,1,2,15,0",
            "2024-01-08,12,1100,2,3,16,1",
        ]
    )
    weekly = read_weekly(
        data,
        columns=Columns(week="week of", outcome="Leads", channels=("x2",), controls=("temp",)),
    )
    assert weekly.outcome == (10.0, 12.0) and weekly.spend == {"x2": (2.0, 3.0)}
    assert weekly.controls == {"temp": (15.0, 16.0), "promo": (0.0, 1.0)}
    assert weekly.layout.not_used == ("Revenue", "x1") and weekly.layout.guessed == ()
    assert weekly.layout.conversions  # "Leads" counts


def test_unsorted_rows_are_read_in_date_order_and_say_so() -> None:
    data = csv_bytes(
        ["date,sales,tv_spend", "2024-01-15,3,30", "2024-01-01,1,10", "2024-01-08,2,20"]
    )
    weekly = read_weekly(data)
    assert weekly.weeks == (date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 15))
    assert weekly.outcome == (1.0, 2.0, 3.0) and weekly.spend["tv_spend"] == (10.0, 20.0, 30.0)
    assert weekly.layout.sorted


def test_titles_above_the_header_and_totals_below_are_skipped() -> None:
    data = csv_bytes(
        [
            "Weekly report",
            "2024-01-01 - 2024-01-14",
            "",
            "Week,Revenue,Search cost",
            "2024-01-01,100,10",
            "2024-01-08,120,20",
            "Total,220,30",
        ]
    )
    weekly = read_weekly(data)
    assert weekly.weeks == (date(2024, 1, 1), date(2024, 1, 8))
    assert weekly.spend == {"Search cost": (10.0, 20.0)}


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp950", ","), ("utf-8-sig", ";"), ("utf-16", "\t")],
)
def test_big5_and_excel_and_google_ads_text(encoding: str, delimiter: str) -> None:
    lines = ["週,業績,關鍵字花費", "2024/1/1,100,10", "2024/1/8,120,20"]
    data = csv_bytes([line.replace(",", delimiter) for line in lines], encoding)
    weekly = read_weekly(data)
    assert weekly.outcome == (100.0, 120.0) and weekly.spend == {"關鍵字花費": (10.0, 20.0)}


def test_a_semicolon_file_with_decimal_commas_is_refused_not_misread() -> None:
    data = csv_bytes(["week;outcome;search", "2024-01-01;100;1,5", "2024-01-08;120;2,5"])
    error = refused(data)
    assert (error.code, error.params) == (
        "bad_number",
        {"line": 2, "column": "search", "value": "1,5"},
    )


def workbook(rows: list[list[object]], sheets: tuple[str, ...] = ("週資料",)) -> bytes:
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    first.title = "說明"
    first.append(["這張表說明欄位"])
    for title in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.move_sheet(sheets[0], offset=-1)  # the data first, the notes after it
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX_ROWS: list[list[object]] = [
    ["週次起始", "營收", "Google Ads 花費", "Meta 花費", "曝光次數"],
    [datetime(2024, 1, 7), 120500, 3000, 1200.5, 50000],
    [datetime(2024, 1, 14), "NT$118,000", None, "1,300", 52000],
    [date(2024, 1, 21), 125000.25, 4000, 0, 51000],
]


def test_an_xlsx_with_date_cells_reads_its_first_sheet() -> None:
    weekly = read_weekly(workbook(XLSX_ROWS))
    assert weekly.weeks == tuple(SUNDAYS[:3])
    assert weekly.outcome == (120500.0, 118000.0, 125000.25)
    assert weekly.spend == {
        "Google Ads 花費": (3000.0, 0.0, 4000.0),
        "Meta 花費": (1200.5, 1300.0, 0.0),
    }
    assert weekly.layout.not_used == ("曝光次數",) and weekly.layout.sheet == "週資料"
    assert weekly.layout.blank_spend == 1


def test_an_xlsx_sheet_is_chosen_by_name() -> None:
    data = workbook(XLSX_ROWS, sheets=("週資料", "Weekly"))
    assert read_weekly(data, sheet="weekly").layout.sheet == "Weekly"
    error = refused(data, sheet="2025")
    assert (error.code, error.params) == (
        "no_sheet",
        {"sheet": "2025", "sheets": "週資料, 說明, Weekly"},
    )


@pytest.mark.parametrize(
    ("lines", "options", "code", "params"),
    [
        (
            ["week,outcome,tv_spend", "2024-01-01,1,1", "2024-01-08,2,2", "2024-01-01,3,3"],
            {},
            "duplicate_week",
            {"line": 4, "first": 2, "value": "2024-01-01"},
        ),
        (
            ["time,geo,conversions,tv_spend", "2024-01-01,A,1,1", "2024-01-01,B,2,2"],
            {},
            "rows_per_group",
            {"line": 3, "first": 2, "value": "2024-01-01", "column": "geo"},
        ),
        (
            ["Week,Campaign,Revenue,Cost", "2024-01-01,A,1,1", "2024-01-01,B,2,2"],
            {},
            "rows_per_group",
            {"line": 3, "first": 2, "value": "2024-01-01", "column": "Campaign"},
        ),
        (
            ["week,outcome,tv_spend", "2024-01-01,1,1", "2024-01-15,2,2"],
            {},
            "week_gap",
            {"line": 3, "value": "2024-01-15", "expected": "2024-01-08"},
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1", "2024-01-02,2,2"],
            {},
            "week_gap",
            {"line": 3, "value": "2024-01-02", "expected": "2024-01-08"},
        ),
        (
            ["week,outcome,tv_spend", "01/08/2024,1,1"],
            {},
            "bad_week",
            {"line": 2, "value": "01/08/2024"},
        ),
        (
            ["week,outcome,tv_spend", "2024-01-01,,1"],
            {},
            "blank_value",
            {"line": 2, "column": "outcome"},
        ),
        (
            ["week,outcome,tv_spend,control:promo", "2024-01-01,1,1,"],
            {},
            "blank_value",
            {"line": 2, "column": "control:promo"},
        ),
        (
            ["week,outcome,tv_spend", "2024-01-01,1,NA"],
            {},
            "bad_number",
            {"line": 2, "column": "tv_spend", "value": "NA"},
        ),
        (
            ["week,outcome,tv_spend", '2024-01-01,1,"1,23"'],
            {},
            "bad_number",
            {"line": 2, "column": "tv_spend", "value": "1,23"},
        ),
        (
            ["week,outcome,tv_spend", "2024-01-01,12%,1"],
            {},
            "bad_number",
            {"line": 2, "column": "outcome", "value": "12%"},
        ),
        (
            ["date,revenue,sales,tv_spend", "2024-01-01,1,1,1"],
            {},
            "several_outcome_columns",
            {"columns": "revenue, sales"},
        ),
        (
            ["date,日期,revenue,tv_spend", "2024-01-01,2024-01-01,1,1"],
            {},
            "several_week_columns",
            {"columns": "date, 日期"},
        ),
        (["period,revenue,tv_spend", "2024-01-01,1,1"], {}, "no_week_column", {}),
        (["date,kpi_leads,tv_spend", "2024-01-01,1,1"], {}, "no_outcome_column", {}),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1"],
            {"columns": Columns(channels=("tv",))},
            "no_such_column",
            {"column": "tv"},
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1"],
            {"columns": Columns(channels=("tv_spend",), controls=("TV_SPEND",))},
            "chosen_twice",
            {"column": "tv_spend"},
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1"],
            {"columns": Columns(outcome="date")},
            "chosen_twice",
            {"column": "date"},
        ),
        (
            ["date,revenue,tv_spend", "2024-01-01,1,1"],
            {"sheet": "Sheet1"},
            "sheet_of_text",
            {"sheet": "Sheet1"},
        ),
        (
            ["date,revenue,Tv_Spend,tv_spend", "2024-01-01,1,1,1"],
            {},
            "duplicate_column",
            {"column": "tv_spend"},
        ),
        (["date,revenue,impressions", "2024-01-01,1,1"], {}, "no_channel_columns", {}),
    ],
)
def test_refusals_name_the_line_and_the_column(
    lines: list[str], options: dict[str, object], code: str, params: dict[str, object]
) -> None:
    error = refused(csv_bytes(lines), **options)
    assert (error.code, error.params) == (code, params)


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1234.5", 1234.5),
        ("1,234.5", 1234.5),
        ("1 234 567", 1234567.0),
        ("NT$1,234", 1234.0),
        ("NT$ 1,234", 1234.0),
        ("-NT$50", -50.0),
        ("US$12.50", 12.5),
        ("¥1000", 1000.0),
        ("1,000元", 1000.0),
        ("TWD 2,000", 2000.0),
        ("2,000 TWD", 2000.0),
        ("１２３", 123.0),
        ("1.5e-05", 1.5e-05),
        (".5", 0.5),
        ("", None),
        ("--", None),
        ("-", None),
    ],
)
def test_numbers_people_and_exports_write(text: str, number: float | None) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["NA", "n/a", "nan", "inf", "1,23", "12,3456", "(1,234)", "5%", "1.234,5", "--5", "ten"]
)
def test_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_taiwan_holidays_count_the_weekdays_of_a_week_starting_on_any_day() -> None:
    # Chinese New Year 2026: 16–20 February off (Monday–Friday).
    assert taiwan_holidays((date(2026, 2, 16),)) == (5.0,)
    assert taiwan_holidays((date(2026, 2, 15),)) == (5.0,)  # Sunday 15th to Saturday 21st
    assert taiwan_holidays((date(2026, 2, 18),)) == (3.0,)  # Wednesday 18th to Tuesday 24th


def test_an_ad_platforms_weekly_export_takes_its_cost_not_its_ratios() -> None:
    # Google Ads' weekly report layout: Cost beside Avg. CPC and Cost / conv.
    rows = ["Week,Conv. value,Clicks,Impr.,Cost,Avg. CPC,Cost / conv.,Conv. value / cost"]
    for i in range(30):
        monday = date(2026, 1, 5) + timedelta(days=7 * i)
        rows.append(
            f"{monday},{50000 + 100 * i},{300 + i},{9000 + i},{20000 + 50 * i},66.7,400.0,2.5"
        )
    data = ("\n".join(rows) + "\n").encode()
    weekly = read_weekly(data, columns=Columns(outcome="Conv. value"))
    assert list(weekly.spend) == ["Cost"]
    assert weekly.layout.not_used == (
        "Clicks",
        "Impr.",
        "Avg. CPC",
        "Cost / conv.",
        "Conv. value / cost",
    )


def test_a_meta_ads_weekly_export_reads_its_reporting_start_and_amount_spent() -> None:
    rows = [
        "Reporting starts,Reporting ends,Amount spent (TWD),Impressions,Purchases conversion value"
    ]
    for i in range(30):
        first = date(2026, 1, 5) + timedelta(days=7 * i)
        rows.append(f"{first},{first + timedelta(days=6)},{8000 + 30 * i},{50000 + i},{24000 + i}")
    data = ("\n".join(rows) + "\n").encode()
    weekly = read_weekly(data, columns=Columns(outcome="Purchases conversion value"))
    assert weekly.layout.week == "Reporting starts" and weekly.weeks[0] == date(2026, 1, 5)
    assert list(weekly.spend) == ["Amount spent (TWD)"]
    assert weekly.layout.not_used == ("Reporting ends", "Impressions")
