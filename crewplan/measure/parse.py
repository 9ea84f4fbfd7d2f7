"""Reading the exports of the ad platforms and analytics tools as they come out of them
(pure, no Django): Google Ads report downloads, Meta Ads Manager exports with a day
breakdown, GA4 explorations, LINE Ads (LAP) reports and crewplan's own daily template,
in their English and Traditional Chinese (Taiwan) interfaces.

`parse(data, today=…)` finds the table in the file the way a person would:

1. Bytes: an .xlsx (its first sheet), or text decoded by `lib/encodings` (BOM, UTF-8,
   cp950, big5hkscs: TAIWAN.md §4); the delimiter (comma, tab, semicolon) is the one
   that splits the first lines most. GA4's `#` comment lines are skipped.
2. The header is the row, among the first `HEADER_SCAN`, whose cells name the most
   known columns (NFKC-normalized and case-folded, so 「花費金額（TWD）」 and
   "花費金額 (TWD)" are one). Title rows above it ("Campaign report", a date range) are
   skipped. Which columns it names decides the layout (`_layout_of`).
3. Rows below: totals ("Total: …", 「總計：…」, 合計) and blank rows are skipped; `--` is
   empty; dates in every form people write (ISO, 2026/1/5, YYYYMMDD, ROC 115/11/01 and
   115年11月1日, "Nov 1, 2026"); amounts with NT$, $, TWD, thousands separators and
   full-width digits, kept exact as integers in hundredths (`parse_amount`).
4. A header naming no layout is UNKNOWN: the caller asks a person which column is which
   and parses again with that `ColumnMap` (remembered by the header's `signature`).

Refusals (`UnusableFile`, worded by `measure/messages.py`): `no_table` (no header
row), `no_day_breakdown` (a Meta export with one row per campaign over a range: spreading
it over days would invent numbers), `several_currencies`, `not_text` (undecodable),
`truncated` (a UTF-16 file cut in a character), and the limits' codes.
Row problems are `Problem`s (errors reject the row; warnings keep it)."""

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from functools import partial
from itertools import count as counter
from itertools import islice
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple, cast

import numpy as np

from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.xlsxfile import UnusableFile, open_workbook

HEADER_SCAN = 30  # rows searched for the header
MAX_COLUMNS = 256
SAMPLE_ROWS = 5
READ_CHUNK = 10_000  # rows read before their width is checked


class Layout(StrEnum):
    GOOGLE_ADS = "google_ads"
    META_ADS = "meta_ads"
    GA4 = "ga4"
    LINE_ADS = "line_ads"
    GENERIC = "generic"  # crewplan's daily template
    MAPPED = "mapped"  # read with the columns a person mapped
    UNKNOWN = "unknown"  # a header no layout knows: needs a mapping


FIELDS = ("date", "channel", "campaign", "spend", "impressions", "clicks", "conversions", "revenue")
EXTRA_METRICS = ("sessions", "key_events", "new_customers", "new_users", "results", "purchases")
MONEY = frozenset({"spend", "revenue"})
COUNTS = frozenset({"impressions", "clicks"})  # whole numbers; the rest are hundredths

# The channel each platform's rows belong to (a workspace maps them to its own channels).
LAYOUT_CHANNEL = {
    Layout.GOOGLE_ADS: "Google Ads",
    Layout.META_ADS: "Meta",
    Layout.LINE_ADS: "LINE Ads",
}


class MetricRow(NamedTuple):
    """One row of figures: money and fractional counts in hundredths (exact)."""

    line: int  # 1-based line (CSV) or row (XLSX) of the file
    day: date
    channel: str
    campaign: str  # "" when the file has none (GA4)
    spend: int | None
    impressions: int | None
    clicks: int | None
    conversions: int | None
    revenue: int | None
    extras: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Problem:
    line: int
    code: (
        str  # bad_date, bad_number, negative_spend, future_date, duplicate_row, rows_added_together
    )
    severity: str  # "error" (the row is not imported) | "warning" (it is)
    params: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class ColumnMap:
    """What a person said the columns are: field (FIELDS, EXTRA_METRICS or "currency") -> column
    index; `channel` names a channel for every row when no column holds one."""

    columns: dict[str, int]
    channel: str = ""


@dataclass
class Parsed:
    layout: Layout
    encoding: str
    header: tuple[str, ...]
    header_line: int
    columns: dict[str, int]
    currency: str | None
    rows: list[MetricRow]
    problems: list[Problem]
    rows_read: int
    date_from: date | None
    date_to: date | None
    sample: list[tuple[str, ...]]
    # `rows` as columns, kept by the column-wise reading or built on first use (`fields`).
    _fields: "Fields | None" = field(default=None, init=False, repr=False, compare=False)
    _fields_of: list[MetricRow] | None = field(default=None, init=False, repr=False, compare=False)

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def fields(self) -> "Fields":
        """`rows` as the ten columns of MetricRow (line, day, channel, campaign, spend, …,
        extras): the import sums and writes a million rows column by column. Built once
        for the list `rows` is (a new list, or one of another length, builds them again)."""
        if (
            self._fields is None
            or self._fields_of is not self.rows
            or (len(self._fields[0]) != len(self.rows))
        ):
            self._fields = (
                tuple(zip(*self.rows, strict=True))
                if self.rows
                else tuple(() for _name in MetricRow._fields)
            )
            self._fields_of = self.rows
        return self._fields


Fields = tuple[Sequence[Any], ...]


def fold(text: object) -> str:
    """A header cell as compared: NFKC (full-width letters and parentheses), case-folded,
    inner whitespace single, "( " and " )" tightened."""
    folded = " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())
    return folded.replace("( ", "(").replace(" )", ")")


# Header words per field, folded. A currency suffix "(TWD)" is taken off before matching.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("day", "date", "日期", "天"),
    "reporting_starts": ("reporting starts", "分析報告開始"),
    "campaign": ("campaign", "campaign name", "廣告活動", "廣告活動名稱", "行銷活動名稱", "活動"),
    "channel": (
        "channel",
        "通路",
        "管道",
        "session default channel group",
        "工作階段預設管道群組",
        "default channel group",
        "預設管道群組",
        "session source / medium",
        "session source/medium",
        "工作階段來源 / 媒介",
        "工作階段來源/媒介",
        "first user default channel group",
        "首次使用者預設管道群組",
    ),
    "campaign_type": ("campaign type", "廣告活動類型"),
    "currency": ("currency code", "currency", "貨幣代碼", "幣別"),
    "spend": ("cost", "spend", "amount spent", "費用", "花費", "花費金額", "成本"),
    "impressions": ("impr.", "impressions", "impression", "曝光", "曝光次數"),
    "clicks": ("clicks", "link clicks", "點擊", "點擊次數", "連結點擊次數"),
    "conversions": ("conversions", "conv.", "轉換", "轉換次數", "cv"),
    "revenue": (
        "conv. value",
        "conversion value",
        "purchases conversion value",
        "total revenue",
        "revenue",
        "轉換價值",
        "購買轉換值",
        "總收益",
        "營收",
        "收益",
    ),
    "reporting_ends": ("reporting ends", "分析報告結束"),
    "sessions": ("sessions", "工作階段"),
    "key_events": ("key events", "重要事件"),
    "new_users": ("new users", "新使用者"),
    "new_customers": ("new customers", "新客戶", "新顧客"),
    "results": ("results", "成果"),
    "purchases": ("purchases", "購買次數", "購買"),
}
_WORD_FIELD = {word: name for name, words in _SYNONYMS.items() for word in words}
_CURRENCY_SUFFIX = re.compile(r"^(.*?)\s*\(([a-z]{3})\)$")
_MONEY_MARKS = re.compile(r"nt\$|us\$|twd|ntd|元|\$|,|\s")
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_TOTAL = ("total", "總計", "合計", "總和")
EMPTY = frozenset({"", "--", "-", "—", "n/a", "na", " --"})
HUNDRED = Decimal(100)


def header_field(cell: object) -> tuple[str | None, str | None]:
    """The field a header cell names and the currency in its suffix, if any."""
    text = fold(cell)
    currency = None
    match = _CURRENCY_SUFFIX.match(text)
    if match:
        text, currency = match.group(1), match.group(2).upper()
    return _WORD_FIELD.get(text), currency


def signature(header: Sequence[str]) -> str:
    """A header row as a stable key (its folded cells, empty ones kept in place)."""
    return "|".join(fold(cell) for cell in header).rstrip("|")


# ---- values ---------------------------------------------------------------------


def parse_amount(text: str) -> int | None:
    """An amount in hundredths: "NT$1,234.5" -> 123450, "12.5%" -> 1250; None when empty
    ("--"); ValueError for anything else (scientific notation included)."""
    value = text.strip()
    if value in EMPTY:
        return None
    # "1234", "1234.5", "0.25": most cells of a big export, exact without Decimal or a
    # raised ValueError (they were most of the time of a million-row file).
    whole, dot, cents = value.partition(".")
    if whole.isascii() and whole.isdigit():
        if not dot:
            return int(whole) * 100
        if len(cents) <= 2 and cents.isascii() and cents.isdigit():
            return int(whole) * 100 + int(cents.ljust(2, "0"))
    try:
        return int(value) * 100
    except ValueError:
        pass
    value = unicodedata.normalize("NFKC", value).casefold()
    negative = value.startswith("(") and value.endswith(")")  # accountants' negatives
    value = _MONEY_MARKS.sub("", value.strip("()")).rstrip("%")
    if value in EMPTY or not _PLAIN_NUMBER.match(value):
        raise ValueError(text)
    try:
        hundredths = (Decimal(value) * HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
        raise ValueError(text) from None
    return -int(hundredths) if negative else int(hundredths)


def parse_count(text: str) -> int | None:
    """A whole count ("12,345", "１２"); None when empty; ValueError otherwise."""
    value = text.strip()
    if value in EMPTY:
        return None
    try:
        return int(value)
    except ValueError:
        pass
    hundredths = parse_amount(value)
    if hundredths is None:
        return None
    if hundredths % 100:
        raise ValueError(text)
    return hundredths // 100


_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ t].*)?$")
_ROC = re.compile(r"^(?:民國)?(\d{2,3})[-/.](\d{1,2})[-/.](\d{1,2})$")
_CJK = re.compile(r"^(?:民國)?(\d{2,4})年(\d{1,2})月(\d{1,2})日?$")
_COMPACT8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_COMPACT7 = re.compile(r"^(\d{3})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(?:民國)?(\d{2,4})(?:[-/.]|年)(\d{1,2})月?$")
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_ENGLISH = re.compile(r"^(?:[a-z]+,?\s+)?([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_day(text: str) -> date:
    """A date as people and exports write it; ValueError for anything else, including
    the ambiguous 6-digit forms."""
    value = unicodedata.normalize("NFKC", text).strip().casefold()
    for pattern, roc in ((_ISO, False), (_CJK, None), (_ROC, True), (_COMPACT8, False)):
        match = pattern.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            if roc or (roc is None and (year < 1000 or value.startswith("民國"))):
                year += 1911
            return date(year, month, day)
    match = _COMPACT7.match(value)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return date(year + 1911, month, day)
    match = _ENGLISH.match(value)
    if match and match.group(1) in _MONTHS:
        return date(int(match.group(3)), _MONTHS[match.group(1)], int(match.group(2)))
    raise ValueError(text)


def parse_month(text: str) -> date:
    """The first day of a month written alone, Gregorian (2026-03, 2026/3, 2026年3月) or
    ROC when its year has two or three digits (115/03, 115年3月, 民國115年3月); ValueError
    for anything else."""
    match = _MONTH.match(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise ValueError(text)
    year, month = match.group(1), int(match.group(2))
    return date(int(year) + (1911 if len(year) < 4 else 0), month, 1)


# ---- the table ----------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """An .xlsx cell as the text a CSV would hold (dates ISO, whole floats without .0)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    workbook = open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = []
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            if len(values) > MAX_COLUMNS and values[MAX_COLUMNS] is not None:
                raise UnusableFile("too_many_columns", params={"columns": MAX_COLUMNS})
            rows.append([_cell_text(v) for v in values[:MAX_COLUMNS]])
        return rows
    finally:
        workbook.close()


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return decode_text(data)
    except NotText as error:
        if str(error) == "utf-16":
            raise UnusableFile("truncated") from None
        raise UnusableFile("not_text") from None


def _delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits the first lines most (outside quotes roughly)."""
    best, most = ",", -1
    for candidate in (",", "\t", ";"):
        count = max((line.count(candidate) for line in lines), default=0)
        if count > most:
            best, most = candidate, count
    return best


def _text_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()
    body = [line for line in lines[:200] if line and not line.startswith("#")]
    delimiter = _delimiter(body[:HEADER_SCAN])
    # GA4's comment lines are read as blank ones (the line numbers stay the file's); a
    # file without any "#" needs no look at each line.
    source: Iterable[str] = (
        (line if not line.startswith("#") else "" for line in lines) if "#" in text else lines
    )
    reader = csv.reader(source, delimiter=delimiter)
    rows: list[list[str]] = []
    while chunk := list(islice(reader, READ_CHUNK)):
        if max(map(len, chunk)) > MAX_COLUMNS:
            raise UnusableFile("too_many_columns", params={"columns": MAX_COLUMNS})
        rows += chunk
    return rows


@dataclass
class _Header:
    index: int  # position in the rows
    cells: tuple[str, ...]
    columns: dict[str, int]
    currency: str | None


def _find_header(rows: Sequence[Sequence[str]]) -> _Header | None:
    best: _Header | None = None
    best_score = 0
    for index, row in enumerate(rows[:HEADER_SCAN]):
        columns: dict[str, int] = {}
        currency = None
        for position, cell in enumerate(row):
            name, suffix = header_field(cell)
            if name is not None and name not in columns:
                columns[name] = position
                currency = currency or suffix
        score = len(columns) + (2 if "date" in columns else 0)
        if score > best_score and len(columns) >= 2:
            best_score = score
            best = _Header(index, tuple(str(c).strip() for c in row), columns, currency)
    return best


def _unknown_header(rows: Sequence[Sequence[str]]) -> tuple[int, tuple[str, ...]] | None:
    """The likeliest header of a table no layout knows: the first row with the most text
    cells that are not numbers, followed by a row at least as wide."""
    best, width = None, 1
    for index, row in enumerate(rows[:HEADER_SCAN]):
        texts = [
            c for c in row if c.strip() and not _PLAIN_NUMBER.match(c.strip().replace(",", ""))
        ]
        if len(texts) > width and index + 1 < len(rows):
            best, width = (index, tuple(c.strip() for c in row)), len(texts)
    return best


def _layout_of(columns: dict[str, int], header: Sequence[str], titles: str) -> Layout | None:
    folded = {fold(cell) for cell in header}
    has = columns.__contains__
    if not has("date") and not has("reporting_starts"):
        return None
    if (
        "reporting starts" in folded
        or "分析報告開始" in folded
        or any(cell.startswith(("amount spent", "花費金額")) for cell in folded)
        or "行銷活動名稱" in folded
        or ("campaign name" in folded and "link clicks" in folded)
    ):
        return Layout.META_ADS
    if (
        has("sessions")
        or has("key_events")
        or any("channel group" in c or "管道群組" in c for c in folded)
    ):
        return Layout.GA4
    group = any("channel group" in c or "管道群組" in c or "source / medium" in c for c in folded)
    if has("channel") and not group and any(has(m) for m in ("spend", "impressions", "clicks")):
        return Layout.GENERIC
    if "impr." in folded or "曝光" in folded or has("currency") or "conv. value" in folded:
        return Layout.GOOGLE_ADS
    if "line" in titles or ("曝光次數" in folded and "點擊次數" in folded and not has("channel")):
        return Layout.LINE_ADS
    if has("channel") and any(has(m) for m in ("spend", "impressions", "clicks", "revenue")):
        return Layout.GENERIC
    if has("campaign") and has("spend"):
        return Layout.GOOGLE_ADS if "cost" in folded or "費用" in folded else Layout.LINE_ADS
    return None


def parse(
    data: bytes, *, today: date, mapping: ColumnMap | None = None, max_rows: int = 2_000_000
) -> Parsed:
    """The figures of an export (see the module). UnusableFile when it cannot be read."""
    if not data.strip():
        raise UnusableFile("empty_file")
    if data.startswith(b"PK"):
        rows: list[list[str]] = _xlsx_rows(data)
        encoding = "xlsx"
    else:
        text, encoding = _decode(data)
        rows = _text_rows(text.lstrip("\ufeff"))
    found = _find_header(rows)
    titles = " ".join(" ".join(r) for r in rows[: found.index if found else 3]).casefold()
    layout = _layout_of(found.columns, found.cells, titles) if found else None
    if mapping is not None:
        header = found if found is not None and layout is None else None
        guess = _unknown_header(rows) if header is None else (header.index, header.cells)
        if guess is None:
            raise UnusableFile("no_table")
        # The currency of a header's suffix ("費用 (USD)") holds for mapped columns too.
        currency = header.currency if header is not None else None
        head = _Header(guess[0], guess[1], dict(mapping.columns), currency)
        return _read(rows, head, Layout.MAPPED, encoding, today, max_rows, mapping.channel)
    if layout is None:
        guess = _unknown_header(rows)
        if guess is None:
            raise UnusableFile("no_table")
        index, cells = guess
        columns = found.columns if found else {}
        # The first rows of figures, as the mapping page shows them: not a total ("總計：
        # 帳戶" under a date column reads as one more value) nor a blank row.
        body = (r for r in rows[index + 1 :] if any(c.strip() for c in r) and not _is_total(r))
        sample = [tuple(r) for r in islice(body, SAMPLE_ROWS)]
        return Parsed(
            Layout.UNKNOWN, encoding, cells, index + 1, columns, None, [], [], 0, None, None, sample
        )
    assert found is not None
    return _read(rows, found, layout, encoding, today, max_rows, LAYOUT_CHANNEL.get(layout, ""))


def _is_total(row: Sequence[str]) -> bool:
    first = next((c for c in row if c.strip()), "")
    if first.lstrip()[:1].isdigit():  # a date: most rows, and no total starts with a digit
        return False
    return fold(first).startswith(_TOTAL)


def _read(
    rows: list[list[str]],
    head: _Header,
    layout: Layout,
    encoding: str,
    today: date,
    max_rows: int,
    fixed_channel: str,
) -> Parsed:
    cols = head.columns
    plan = _Columns.of(cols, layout)
    body = rows[head.index + 1 :]
    first_line = head.index + 2
    # A Meta export without a day column is checked row by row for its day breakdown.
    read = _read_rows if plan.ends is not None else _read_columns
    items, problems, count, currencies, fields = read(
        body, first_line, plan, today, max_rows, fixed_channel
    )
    if head.currency:
        currencies.add(head.currency)
    currencies.discard("")
    if len(currencies) > 1:
        raise UnusableFile(
            "several_currencies", params={"currencies": ", ".join(sorted(currencies))}
        )
    out = items if fields is not None else _deduplicated(items, problems)
    # Problems in the order of the lines; on one line, in the order of the checks.
    problems.sort(key=_LINE)
    parsed = Parsed(
        layout=layout,
        encoding=encoding,
        header=head.cells,
        header_line=head.index + 1,
        columns={k: v for k, v in cols.items() if v >= 0},
        currency=next(iter(currencies), None),
        rows=out,
        problems=problems,
        rows_read=count,
        date_from=min(fields[1] if fields else map(_DAY, out), default=None),
        date_to=max(fields[1] if fields else map(_DAY, out), default=None),
        sample=[tuple(r) for r in body[:SAMPLE_ROWS]],
    )
    if fields is not None:
        parsed._fields, parsed._fields_of = fields, out
    return parsed


_LINE = attrgetter("line")
_DAY = itemgetter(1)
_KEY = itemgetter(1, 2, 3)  # (day, channel, campaign) of a MetricRow
_new_row = partial(tuple.__new__, MetricRow)  # a MetricRow from a tuple, without Python
# The rows kept, the problems, the rows read, the currencies, and the rows' columns when
# they are known to be distinct by their keys (else None: `_deduplicated` looks).
_Read = tuple[list[MetricRow], list[Problem], int, set[str], Fields | None]


@dataclass(frozen=True)
class _Columns:
    """Where a layout's fields are in its rows."""

    day: int
    ends: int | None  # "Reporting ends" of a Meta export without a day column
    channel: int | None
    campaign: int | None
    campaign_type: int | None
    currency: int | None
    metrics: list[tuple[str, int]]  # -1: no column (empty)
    extras: list[tuple[str, int]]
    spend: int | None

    @classmethod
    def of(cls, cols: dict[str, int], layout: Layout) -> "_Columns":
        day_at = cols.get("date", cols.get("reporting_starts"))
        if day_at is None:
            raise UnusableFile("no_date_column")
        metrics: list[tuple[str, int]] = [
            (n, cols[n])
            for n in ("spend", "impressions", "clicks", "conversions", "revenue")
            if n in cols
        ]
        if layout == Layout.META_ADS and "conversions" not in cols:
            metrics.append(("conversions", cols.get("purchases", cols.get("results", -1))))
        return cls(
            day=day_at,
            ends=cols.get("reporting_ends") if "date" not in cols else None,
            channel=cols.get("channel"),
            campaign=cols.get("campaign"),
            campaign_type=cols.get("campaign_type"),
            currency=cols.get("currency"),
            metrics=metrics,
            extras=[(n, cols[n]) for n in EXTRA_METRICS if n in cols],
            spend=cols.get("spend"),
        )


def _read_rows(
    body: list[list[str]],
    first_line: int,
    plan: _Columns,
    today: date,
    max_rows: int,
    fixed_channel: str,
) -> _Read:
    """The rows one by one (the Meta export without a day column; the reference the
    column-wise reading in `_read_columns` keeps to)."""
    problems: list[Problem] = []
    currencies: set[str] = set()
    day_at, ends_at, channel_at, campaign_at = plan.day, plan.ends, plan.channel, plan.campaign
    type_at, currency_at = plan.campaign_type, plan.currency
    days: dict[str, date] = {}
    out: list[MetricRow] = []
    read = 0
    for offset, row in enumerate(body):
        line = first_line + offset
        # A row that starts with a digit (a date, most rows) is neither blank nor a total.
        if not (row and row[0][:1].isdigit()) and (
            not any(c.strip() for c in row) or _is_total(row)
        ):
            continue
        read += 1
        if read > max_rows:
            raise UnusableFile("too_many_rows", params={"rows": max_rows})
        raw_day = row[day_at].strip() if day_at < len(row) else ""
        day = days.get(raw_day)
        if day is None:
            try:
                day = parse_day(raw_day)
            except ValueError:
                problems.append(Problem(line, "bad_date", "error", {"value": raw_day[:40]}))
                continue
            days[raw_day] = day
        if ends_at is not None and _spans_days(row[ends_at:], day):
            raise UnusableFile("no_day_breakdown")
        if currency_at is not None and currency_at < len(row) and row[currency_at].strip():
            currencies.add(row[currency_at].strip().upper())
        channel = fixed_channel
        if channel_at is not None and channel_at < len(row):
            channel = row[channel_at].strip() or fixed_channel
        if type_at is not None and type_at < len(row) and fold(row[type_at]) in _VIDEO:
            channel = "YouTube"
        campaign = (
            row[campaign_at].strip() if campaign_at is not None and campaign_at < len(row) else ""
        )
        values: dict[str, int | None] = {}
        bad = False
        for name, at in plan.metrics:
            text = row[at] if 0 <= at < len(row) else ""
            try:
                values[name] = parse_count(text) if name in COUNTS else parse_amount(text)
            except ValueError:
                problems.append(
                    Problem(line, "bad_number", "error", {"value": text[:40], "field": name})
                )
                bad = True
        extras: list[tuple[str, int]] = []
        for name, at in plan.extras:
            text = row[at] if at < len(row) else ""
            try:
                value = parse_amount(text)
            except ValueError:
                problems.append(
                    Problem(line, "bad_number", "error", {"value": text[:40], "field": name})
                )
                bad = True
                continue
            if value is not None:
                extras.append((name, value))
        if bad:
            continue
        spend = values.get("spend")
        if spend is not None and spend < 0:
            assert plan.spend is not None
            problems.append(
                Problem(line, "negative_spend", "error", {"value": row[plan.spend][:40]})
            )
            continue
        if not channel:
            problems.append(Problem(line, "no_channel", "error"))
            continue
        if day > today:
            problems.append(Problem(line, "future_date", "warning", {"date": day.isoformat()}))
        out.append(
            MetricRow(
                line,
                day,
                channel,
                campaign,
                spend,
                values.get("impressions"),
                values.get("clicks"),
                values.get("conversions"),
                values.get("revenue"),
                tuple(extras),
            )
        )
    return out, problems, read, currencies, None


_VIDEO = ("video", "影片")


def _read_columns(
    body: list[list[str]],
    first_line: int,
    plan: _Columns,
    today: date,
    max_rows: int,
    fixed_channel: str,
) -> _Read:
    """The rows column by column, with the same rows, values and problems (in the same
    order once sorted by line) as `_read_rows`: a million-row file spends its time in C
    (`map`, `str.join`, one regular expression over a whole column) instead of in a
    Python loop per row and cell. A column that is not all plain numbers is read cell by
    cell (`parse_amount`, `parse_count`), as before."""
    lines: Sequence[int] = range(first_line, first_line + len(body))
    widths = set(map(len, body))
    firsts = "".join(map(_FIRST_CHAR, map(_FIRST_CELL, body))) if 0 not in widths else ""
    if len(firsts) != len(body) or not firsts.isdigit():
        # Blank rows and totals among them (or rows starting otherwise): the data rows.
        kept = [
            (line, row)
            for line, row in zip(lines, body, strict=True)
            if (row and row[0][:1].isdigit())
            or (any(c.strip() for c in row) and not _is_total(row))
        ]
        lines = [line for line, _row in kept]
        body = [row for _line, row in kept]
        widths = set(map(len, body))
    count = len(body)
    if count > max_rows:
        raise UnusableFile("too_many_rows", params={"rows": max_rows})
    if not body:
        return [], [], 0, set(), None
    wanted = [plan.day, plan.channel, plan.campaign, plan.campaign_type, plan.currency]
    wanted += [at for _n, at in plan.metrics + plan.extras]
    need = max(at for at in wanted if at is not None) + 1
    if min(widths) < need:  # short rows: their missing cells are empty
        body = [row if len(row) >= need else row + [""] * (need - len(row)) for row in body]

    def column(at: int | None) -> list[str]:
        return list(map(itemgetter(at), body)) if at is not None and at >= 0 else [""] * count

    problems: list[Problem] = []
    rejected: set[int] = set()  # positions in body
    raw_days = column(plan.day)
    distinct: dict[str, date | None] = {}
    for raw in set(raw_days):
        try:
            distinct[raw] = parse_day(raw.strip())
        except ValueError:
            distinct[raw] = None
    days: list[date | None] = list(map(distinct.__getitem__, raw_days))
    if None in distinct.values():
        for at, (line, day) in enumerate(zip(lines, days, strict=True)):
            if day is None:
                value = raw_days[at].strip()[:40]
                problems.append(Problem(line, "bad_date", "error", {"value": value}))
                rejected.add(at)
    dated = (lambda at: at not in rejected) if rejected else None
    currencies: set[str] = set()
    if plan.currency is not None:
        cells = column(plan.currency)
        found = {c for at, c in enumerate(cells) if dated(at)} if dated else set(cells)
        currencies = {c.strip().upper() for c in found if c.strip()}
    channels = list(map(str.strip, column(plan.channel))) if plan.channel is not None else None
    if channels is None:
        channels = [fixed_channel] * count
    elif "" in set(channels):
        channels = [c or fixed_channel for c in channels]
    if plan.campaign_type is not None:
        types = column(plan.campaign_type)
        video = {t for t in set(types) if fold(t) in _VIDEO}
        if video:
            channels = [
                "YouTube" if t in video else c for c, t in zip(channels, types, strict=True)
            ]
    campaigns = list(map(str.strip, column(plan.campaign))) if plan.campaign is not None else None
    values: dict[str, list[int | None]] = {}
    dateless = frozenset(rejected)
    bad: set[int] = set()
    for name, at in plan.metrics + plan.extras:
        cells = column(at)
        fast = _plain_counts(cells) if name in COUNTS else _plain_hundredths(cells)
        if fast is None:
            read = parse_count if name in COUNTS else parse_amount
            fast = _cells(cells, read, name, lines, dateless, bad, problems)
        values[name] = fast
    rejected |= bad
    spend = values.get("spend")
    if spend is not None and plan.spend is not None and _any_negative(spend):
        for at, amount in enumerate(spend):
            if amount is not None and amount < 0 and at not in rejected:
                text = body[at][plan.spend][:40]
                problems.append(Problem(lines[at], "negative_spend", "error", {"value": text}))
                rejected.add(at)
    if "" in set(channels):
        for at, channel in enumerate(channels):
            if not channel and at not in rejected:
                problems.append(Problem(lines[at], "no_channel", "error"))
                rejected.add(at)
    future = [d for d in distinct.values() if d is not None and d > today]
    if future:
        later = set(future)
        for at, day in enumerate(days):
            if day in later and at not in rejected:
                assert day is not None
                problems.append(
                    Problem(lines[at], "future_date", "warning", {"date": day.isoformat()})
                )
    none = [None] * count
    extras: list[tuple[tuple[str, int], ...]] = [()] * count
    if plan.extras:
        names = [n for n, _at in plan.extras]
        extras = [
            tuple((n, v) for n, v in zip(names, found, strict=True) if v is not None)
            for found in zip(*(values[n] for n in names), strict=True)
        ]
    fields = (
        lines,
        days,
        channels,
        campaigns if campaigns is not None else [""] * count,
        values.get("spend", none),
        values.get("impressions", none),
        values.get("clicks", none),
        values.get("conversions", none),
        values.get("revenue", none),
        extras,
    )
    items = list(map(_new_row, zip(*fields, strict=True)))
    if rejected:
        items = [item for at, item in enumerate(items) if at not in rejected]
        return items, problems, count, currencies, None
    unique = _keys_distinct(days, channels, campaigns)  # type: ignore[arg-type]
    return items, problems, count, currencies, fields if unique else None


_FIRST_CELL = itemgetter(0)
_FIRST_CHAR = itemgetter(slice(0, 1))
_NOT_PLAIN = re.compile(r"[^0-9.\n]")
_TWO_DOTS = re.compile(r"\.[0-9]*\.")
_LONG_CENTS = re.compile(r"\.[0-9]{3}")
# Below this, a number of at most two decimals times 100 is exact in a float.
_FLOAT_EXACT = 1e13
_INT64_DIGITS = 16  # a whole number of at most 16 digits, times 100, fits in an int64


def _plain_counts(cells: list[str]) -> list[int | None] | None:
    """A column of whole numbers as `parse_count` reads them (int() is its first try, and
    numpy reads a str into an int64 with int()); None when a cell is anything else
    (empty, "1,234"). A number beyond int64 is read by int() itself."""
    try:
        try:
            return cast(list[int | None], np.array(cells, dtype=np.int64).tolist())
        except OverflowError:
            return list(map(int, cells))
    except ValueError:
        return None


def _plain_hundredths(cells: list[str]) -> list[int | None] | None:
    """A column of plain numbers ("1234", "1234.5", "0.25") in hundredths, as
    `parse_amount` reads them; None when any cell is anything else (empty, a sign, a
    currency, a thousands separator, three decimals).

    One join and a few searches over the whole column check it (numpy alone would also
    take "nan", "1e3" and spaces); then a float of at most two decimals below 1e13, times
    100 and rounded, is the exact integer: numpy reads, multiplies and rounds the column."""
    joined = "\n".join(cells)
    if (
        not joined
        or _NOT_PLAIN.search(joined)
        or "\n\n" in joined
        or joined[0] in ".\n"
        or joined[-1] in ".\n"
        or ".\n" in joined
        or "\n." in joined
        or _TWO_DOTS.search(joined)
        or _LONG_CENTS.search(joined)
    ):
        return None
    if "." not in joined:
        if len(max(cells, key=len)) > _INT64_DIGITS:  # ×100 might not fit in an int64
            return list(map((100).__mul__, map(int, cells)))
        return cast(list[int | None], (np.array(cells, dtype=np.int64) * 100).tolist())
    numbers = np.array(cells, dtype=np.float64)
    if numbers.max() >= _FLOAT_EXACT:
        return None
    # np.rint rounds half to even, as round() does, over the same products.
    return cast(list[int | None], np.rint(numbers * 100.0).astype(np.int64).tolist())


def _cells(
    cells: list[str],
    read: Callable[[str], int | None],
    name: str,
    lines: Sequence[int],
    skipped: frozenset[int],
    bad: set[int],
    problems: list[Problem],
) -> list[int | None]:
    """A column cell by cell: a bad_number for each cell `read` refuses (its position
    added to `bad`), none for the rows already refused (`skipped`)."""
    out: list[int | None] = []
    append = out.append
    for at, text in enumerate(cells):
        try:
            append(read(text))
        except ValueError:
            append(None)
            if at not in skipped:
                problems.append(
                    Problem(lines[at], "bad_number", "error", {"value": text[:40], "field": name})
                )
                bad.add(at)
    return out


def _any_negative(values: list[int | None]) -> bool:
    if None in values:
        return min(filter(None, values), default=0) < 0
    return min(cast(list[int], values), default=0) < 0


def _keys_distinct(days: list[date], channels: list[str], campaigns: list[str] | None) -> bool:
    """Whether no (day, channel, campaign) comes twice, without a set of a million
    tuples: each (channel, campaign) numbered by where it first comes (below the row
    count n), each key one int64 (the day's ordinal × n + that number: ordinals are
    below 3.7 million), and a file in the order of its days needs no sort at all."""
    count = len(days)
    pairs: dict[tuple[str, str], int] = {}
    ids = map(pairs.setdefault, zip(channels, campaigns or channels, strict=True), counter())
    keys = np.fromiter(map(date.toordinal, days), np.int64, count)
    keys *= count
    keys += np.fromiter(ids, np.int64, count)
    if bool((keys[1:] > keys[:-1]).all()):
        return True
    ordered = np.sort(keys)
    return not bool((ordered[1:] == ordered[:-1]).any())


def _deduplicated(items: list[MetricRow], problems: list[Problem]) -> list[MetricRow]:
    """One row per (day, channel, campaign): a repeated row is a duplicate_row warning,
    two different rows of one key (a segment such as device) are added together."""
    if len(set(map(_KEY, items))) == len(items):
        return items
    out: list[MetricRow] = []
    seen: dict[tuple[date, str, str], int] = {}
    for item in items:
        key = (item.day, item.channel, item.campaign)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = len(out)
            out.append(item)
            continue
        before = out[earlier]
        if before[4:] == item[4:]:
            problems.append(Problem(item.line, "duplicate_row", "warning", {"first": before.line}))
        else:
            problems.append(
                Problem(item.line, "rows_added_together", "warning", {"first": before.line})
            )
            out[earlier] = _added(before, item)
    return out


def _spans_days(cells: Sequence[str], day: date) -> bool:
    """Whether a Meta row's "Reporting ends" (the first cell) is after its start `day`."""
    try:
        return bool(cells) and parse_day(cells[0]) != day
    except ValueError:
        return False


def _plus(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else a + b


def _added(a: MetricRow, b: MetricRow) -> MetricRow:
    """Two rows of one day and campaign (a segment such as device), added together."""
    extras: dict[str, int] = dict(a.extras)
    for name, value in b.extras:
        extras[name] = extras.get(name, 0) + value
    return a._replace(
        spend=_plus(a.spend, b.spend),
        impressions=_plus(a.impressions, b.impressions),
        clicks=_plus(a.clicks, b.clicks),
        conversions=_plus(a.conversions, b.conversions),
        revenue=_plus(a.revenue, b.revenue),
        extras=tuple(extras.items()),
    )


# ---- the template ---------------------------------------------------------------

TEMPLATE_HEADER_EN = (
    "date",
    "channel",
    "campaign",
    "spend",
    "impressions",
    "clicks",
    "conversions",
    "revenue",
)
TEMPLATE_HEADER_ZH = ("日期", "通路", "活動", "花費", "曝光", "點擊", "轉換", "營收")


def template_csv(language: str) -> str:
    """The daily template with two example rows, in the language's headers."""
    header = TEMPLATE_HEADER_ZH if language.startswith("zh") else TEMPLATE_HEADER_EN
    start = date(2026, 11, 1)
    rows = [
        (start, "Google Ads", "雙11 限時優惠", "1250.50", "8400", "312", "9.5", "11800"),
        (start + timedelta(days=1), "Meta", "中秋禮盒預購", "980", "15200", "241", "6", "7350"),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row[0].isoformat(), *row[1:]])
    return out.getvalue()
