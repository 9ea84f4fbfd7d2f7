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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from enum import StrEnum
from itertools import islice
from typing import Any, NamedTuple

from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.xlsxfile import UnusableFile, open_workbook

HEADER_SCAN = 30  # rows searched for the header
MAX_COLUMNS = 256
SAMPLE_ROWS = 5


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

    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


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


def _text_rows(text: str) -> Iterable[list[str]]:
    lines = text.splitlines()
    body = [line for line in lines[:200] if line and not line.startswith("#")]
    delimiter = _delimiter(body[:HEADER_SCAN])
    reader = csv.reader(
        (line if not line.startswith("#") else "" for line in lines), delimiter=delimiter
    )
    for row in reader:
        if len(row) > MAX_COLUMNS:
            raise UnusableFile("too_many_columns", params={"columns": MAX_COLUMNS})
        yield row


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
        rows = list(_text_rows(text.lstrip("\ufeff")))
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
    problems: list[Problem] = []
    currencies = {head.currency} if head.currency else set()
    day_at, ends_at = cols.get("date", cols.get("reporting_starts")), cols.get("reporting_ends")
    if day_at is None:
        raise UnusableFile("no_date_column")
    channel_at, campaign_at = cols.get("channel"), cols.get("campaign")
    type_at, currency_at = cols.get("campaign_type"), cols.get("currency")
    metrics: list[tuple[str, int]] = [
        (n, cols[n])
        for n in ("spend", "impressions", "clicks", "conversions", "revenue")
        if n in cols
    ]
    extras_at: list[tuple[str, int]] = [(n, cols[n]) for n in EXTRA_METRICS if n in cols]
    if layout == Layout.META_ADS and "conversions" not in cols:
        metrics.append(("conversions", cols.get("purchases", cols.get("results", -1))))
    days: dict[str, date] = {}
    out: list[MetricRow] = []
    seen: dict[tuple[date, str, str], int] = {}
    read = 0
    first_line = head.index + 2
    for offset, row in enumerate(rows[head.index + 1 :]):
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
        if "date" not in cols and ends_at is not None and _spans_days(row[ends_at:], day):
            raise UnusableFile("no_day_breakdown")
        if currency_at is not None and currency_at < len(row) and row[currency_at].strip():
            currencies.add(row[currency_at].strip().upper())
        channel = fixed_channel
        if channel_at is not None and channel_at < len(row):
            channel = row[channel_at].strip() or fixed_channel
        if type_at is not None and type_at < len(row) and fold(row[type_at]) in ("video", "影片"):
            channel = "YouTube"
        campaign = (
            row[campaign_at].strip() if campaign_at is not None and campaign_at < len(row) else ""
        )
        values: dict[str, int | None] = {}
        bad = False
        for name, at in metrics:
            text = row[at] if 0 <= at < len(row) else ""
            try:
                values[name] = parse_count(text) if name in COUNTS else parse_amount(text)
            except ValueError:
                problems.append(
                    Problem(line, "bad_number", "error", {"value": text[:40], "field": name})
                )
                bad = True
        extras: list[tuple[str, int]] = []
        for name, at in extras_at:
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
            problems.append(
                Problem(line, "negative_spend", "error", {"value": row[cols["spend"]][:40]})
            )
            continue
        if not channel:
            problems.append(Problem(line, "no_channel", "error"))
            continue
        if day > today:
            problems.append(Problem(line, "future_date", "warning", {"date": day.isoformat()}))
        item = MetricRow(
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
        key = (day, channel, campaign)
        earlier = seen.get(key)
        if earlier is None:
            seen[key] = len(out)
            out.append(item)
            continue
        before = out[earlier]
        if before[4:] == item[4:]:
            problems.append(Problem(line, "duplicate_row", "warning", {"first": before.line}))
        else:
            problems.append(Problem(line, "rows_added_together", "warning", {"first": before.line}))
            out[earlier] = _added(before, item)
    currencies.discard("")
    if len(currencies) > 1:
        raise UnusableFile(
            "several_currencies", params={"currencies": ", ".join(sorted(currencies))}
        )
    dates = [r.day for r in out]
    return Parsed(
        layout=layout,
        encoding=encoding,
        header=head.cells,
        header_line=head.index + 1,
        columns={k: v for k, v in cols.items() if v >= 0},
        currency=next(iter(currencies), None),
        rows=out,
        problems=problems,
        rows_read=read,
        date_from=min(dates, default=None),
        date_to=max(dates, default=None),
        sample=[tuple(r) for r in rows[head.index + 1 : head.index + 1 + SAMPLE_ROWS]],
    )


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
