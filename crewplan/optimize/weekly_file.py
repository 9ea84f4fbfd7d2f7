"""The wide weekly file `crewplan fit` reads (docs/optimize.md), as people and tools lay
it out: crewplan's own (`week`, `outcome`, a column per channel, `control:<name>`), Robyn's
(`DATE`, `revenue`, `tv_S`, `facebook_I`…), PyMC-Marketing's (`date_week`, `y`, `x1`…),
Meridian's (`time`, `conversions`, `Channel0_spend`…), Sunday-start US exports and a
Taiwanese workbook (`週次起始`, `營收`, `NT$1,234`). Pure: no Django.

One row a week. The reader finds, in order:

1. The table: an .xlsx (its first sheet, or `sheet`) or text decoded by `lib/encodings`
   (comma, semicolon or tab, whichever splits the first lines most). The header is the
   first of the first `HEADER_SCAN` rows that names the week column; title rows above it
   are skipped, and so are blank rows and totals ("Total", 總計, 合計) below it.
2. The columns (`Columns`, the command's options, else the names): the week (`week`,
   else the one header among `WEEK_NAMES`), the outcome (`outcome`, else the one header
   among `OUTCOME_NAMES` and `CONVERSION_NAMES`), the controls (`control:<name>` and
   those named), the channels: those named, else the spend columns (`spend_column()`).
   Two candidates for the week or the outcome are refused, never picked.
3. The weeks: dates with the year first (ISO, 2024/1/7, 2024-1-7, 2024年1月7日, date
   cells); every week starts on the same weekday (Monday is the documented default),
   rows out of order are sorted (`Layout.sorted` says so), a repeated week is refused
   naming both lines (and the geo or campaign column that splits the weeks, if any), a
   missing week is refused naming the week expected.
4. The numbers: plain, with thousands separators (1,234.5 or 1 234.5), a currency mark
   before or after (NT$, $, US$, ¥, 元, TWD, NTD) and full-width digits; a blank spend
   cell ("", "-", "--") is 0 (ad exports leave a week without spend blank) and counted
   in `Layout.blank_spend`; a blank outcome or control is refused.

A problem is an `UnusableData` with a code and parameters (worded in
measure/optimize_messages.py); file-level refusals of the .xlsx reader are `UnusableFile`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from crewplan.lib.dates import in_range
from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.limits import WEEKLY_DATA, FileLimits, limited_rows
from crewplan.lib.xlsxfile import OLE2_MAGIC, open_workbook
from crewplan.measure.parse import fold, parse_day
from crewplan.optimize.fit import UnusableData
from crewplan.work.calendar_tw import days_between, is_day_off

CONTROL_PREFIX = "control:"
TAIWAN_HOLIDAYS = "taiwan_holidays"
HEADER_SCAN = 10  # rows searched for the header (titles people put above it)
DELIMITERS = (",", ";", "\t")

# Header names, folded (measure/parse.fold: NFKC, case-folded).
WEEK_NAMES = frozenset(
    {
        "week",
        "date",
        "date_week",
        "week_start",
        "week start",
        "week_starting",
        "week starting",
        "week_of",
        "week of",
        "week_beginning",
        "week beginning",
        "start_date",
        "ds",
        "time",
        "週",
        "週次",
        "週次起始",
        "週起始",
        "週起始日",
        "日期",
        "起始日",
        # Meta Ads Manager's export with a weekly breakdown (English and zh-TW).
        "reporting starts",
        "分析報告開始",
    }
)
OUTCOME_NAMES = frozenset(
    {"outcome", "revenue", "sales", "y", "kpi", "營收", "業績", "銷售額", "營業額", "收入"}
)
# An outcome with one of these names is a count: the fit's outcome is "conversions"
# unless the command says otherwise.
CONVERSION_NAMES = frozenset({"conversions", "leads", "orders", "轉換", "轉換次數", "訂單數"})
# A column saying the rows are per region, campaign or channel (Meridian's geo files, ad
# platforms' long exports): a repeated week is then a row per week and that column.
GROUP_NAMES = frozenset(
    {
        "geo",
        "region",
        "dma",
        "market",
        "地區",
        "區域",
        "縣市",
        "campaign",
        "campaign name",
        "廣告活動",
        "廣告活動名稱",
        "channel",
        "通路",
    }
)
TOTALS = ("total", "總計", "合計", "總和")
BLANK = frozenset({"", "-", "--", "—"})

# A header that says it holds money spent (Robyn marks spend with a `_S` suffix).
_SPEND = re.compile(
    r"spend|spent|cost|budget|investment|花費|費用|成本|預算|廣告費|支出|(?:^|[_\s])s$"
)
# A header that says it holds something else: exposure and response counts (Robyn's
# `_I` impressions, `_P` clicks, `_B` baseline), competitors, calendars, prices.
_NOT_SPEND = re.compile(
    r"impr|click|competitor|reach|frequen|grp|trp|view|session|visit|population|price|"
    r"season|index|event|holiday|promo|temperature|weather|dayofyear|day_of_year|trend|"
    r"newsletter|email|sms|follower|organic|sentiment|control|unnamed|"
    r"曝光|點擊|競爭|觸及|頻率|觀看|價格|節日|節慶|季節|假日|促銷|天氣|氣溫|"
    r"(?:^|[_\s])[ipb]$|^t$"
)
_MARK = r"(?:nt\$|us\$|hk\$|twd|ntd|usd|\$|¥|元|€|£)"
_AMOUNT = re.compile(
    rf"^(-?)\s*{_MARK}?\s*(-?)\s*(\d(?:[\d,]|\s(?=\d))*(?:\.\d+)?(?:e[+-]?\d+)?|\.\d+)\s*{_MARK}?$"
)
_GROUPED = re.compile(r"^\d{1,3}(?:(?:,\d{3})+|(?:\s\d{3})+)(?:\.\d+)?$")


@dataclass(frozen=True)
class Columns:
    """Which columns are what, as the person said (header names, compared folded):
    `channels` None means "the spend columns" (`spend_column`)."""

    week: str | None = None
    outcome: str | None = None
    channels: tuple[str, ...] | None = None
    controls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Layout:
    """How the file was read, for the person to check."""

    week: str = "week"  # the week column's header
    outcome: str = "outcome"
    week_start: int = 0  # the weekday every week starts on, 0 = Monday
    guessed: tuple[str, ...] = ()  # channels read as spend whose headers do not say so
    not_used: tuple[str, ...] = ()  # columns read as nothing
    sorted: bool = False  # the rows were not in date order
    blank_spend: int = 0  # blank spend cells read as 0
    conversions: bool = False  # the outcome's header names a count (CONVERSION_NAMES)
    sheet: str | None = None  # the .xlsx sheet read


@dataclass(frozen=True)
class WeeklyData:
    weeks: tuple[date, ...]  # the first day of each week
    outcome: tuple[float, ...]
    spend: dict[str, tuple[float, ...]]
    controls: dict[str, tuple[float, ...]]
    layout: Layout = field(default_factory=Layout)


# A header that holds a ratio of spend, not spend: ad platforms' "Cost / conv.", "Avg.
# CPC", "Conv. value / cost", CPM, ROAS, 每次點擊成本, 轉換率.
_RATIO = re.compile(
    r"/|÷|\bper\b|\bavg\b|average|\bcp[acmv]\b|\bctr\b|roas|\broi\b|ratio|share|%|"
    r"平均|每|率|單價"
)


_PER_WEEK = re.compile(r"(?:/|÷|\bper\b|\ba\b|每)\s*(?:week|wk|週|周)")


def spend_column(header: str) -> bool | None:
    """True when a header says it holds spend, False when it says it holds something
    else (impressions, clicks, a competitor's sales, an event, a price, a ratio such as
    cost per conversion…), None when it says neither (a bare channel name such as
    "search" or "x1")."""
    name = fold(header)
    # "Spend / week", "每週花費": the file's own period, not a ratio.
    if _RATIO.search(_PER_WEEK.sub(" ", name)):
        return False
    if _SPEND.search(name):
        return True
    if _NOT_SPEND.search(name):
        return False
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def parse_number(value: object) -> float | None:
    """A cell's number; None when it is blank (BLANK); ValueError for anything else."""
    if _is_number(value):
        number = float(value)  # type: ignore[arg-type]
    else:
        text = unicodedata.normalize("NFKC", _text(value)).casefold().strip()
        if text in BLANK:
            return None
        match = _AMOUNT.match(text)
        if match is None:
            raise ValueError(value)
        minus, inner_minus, digits = match.groups()
        if minus and inner_minus:
            raise ValueError(value)
        if re.search(r"[,\s]", digits) and not _GROUPED.match(digits):
            raise ValueError(value)
        number = float(re.sub(r"[,\s]", "", digits))
        if minus or inner_minus:
            number = -number
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(value)
    return number


def _week(value: object, line: int) -> date:
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        try:
            day = parse_day(_text(value))
        except ValueError:
            raise UnusableData("bad_week", line=line, value=_text(value)) from None
    if not in_range(day):
        raise UnusableData("bad_week", line=line, value=_text(value))
    return day


def _delimiter(lines: Sequence[str]) -> str:
    """The delimiter that splits every one of the first lines (those with any) most,
    quoted text left out: "NT$1,234" in a comma file, 1,5 in a semicolon one."""
    body = [re.sub(r'"[^"]*"', "", line) for line in lines]
    body = [line for line in body if any(d in line for d in DELIMITERS)]
    return max(DELIMITERS, key=lambda d: min((line.count(d) for line in body), default=0))


def _text_rows(data: bytes, limits: FileLimits) -> list[list[object]]:
    try:
        text, _ = decode_text(data)
    except NotText:
        raise UnusableData("not_text") from None
    delimiter = _delimiter(text.splitlines()[:HEADER_SCAN])
    rows: list[list[object]] = []
    for row in csv.reader(io.StringIO(text), delimiter=delimiter):
        if len(row) > limits.columns and any(cell.strip() for cell in row[limits.columns :]):
            raise UnusableData("too_many_columns", columns=limits.columns)
        rows.append(list(row))
    if sum(1 for row in rows if any(_text(c) for c in row)) - 1 > limits.rows:
        raise UnusableData("too_many_rows", rows=limits.rows)
    return rows


def _sheet_rows(
    data: bytes, limits: FileLimits, sheet: str | None
) -> tuple[list[list[object]], str]:
    workbook = open_workbook(data)
    try:
        names = list(workbook.sheetnames)
        if sheet is None:
            title = names[0]
        else:
            found = [n for n in names if n == sheet] or [n for n in names if fold(n) == fold(sheet)]
            if not found:
                raise UnusableData("no_sheet", sheet=sheet, sheets=", ".join(names))
            title = found[0]
        return [list(row) for row in limited_rows(workbook[title], limits)], title
    finally:
        workbook.close()


def _is_workbook(data: bytes) -> bool:
    return data.startswith((b"PK\x03\x04", OLE2_MAGIC))


def _one(
    names: list[str],
    wanted: str | None,
    synonyms: frozenset[str],
    kind: str,
    excluded: frozenset[int] = frozenset(),
) -> int:
    """The position of the week or outcome column: the one named, else the header that is
    `kind` itself ("week", "outcome"), else the only header among `synonyms` (positions in
    `excluded` are taken by another role)."""
    folded = [fold(n) for n in names]
    if wanted is not None:
        if fold(wanted) not in folded:
            raise UnusableData("no_such_column", column=wanted)
        at = folded.index(fold(wanted))
        if at in excluded:
            raise UnusableData("chosen_twice", column=names[at])
        return at
    free = [i for i in range(len(names)) if i not in excluded]
    exact = [i for i in free if folded[i] == kind]
    if exact:
        return exact[0]
    found = [i for i in free if folded[i] in synonyms]
    if not found:
        raise UnusableData(f"no_{kind}_column")
    if len(found) > 1:
        raise UnusableData(f"several_{kind}_columns", columns=", ".join(names[i] for i in found))
    return found[0]


def _header_at(rows: list[list[object]], columns: Columns) -> int:
    """The header row: the first of the first rows that names the week column."""
    wanted = fold(columns.week) if columns.week else None
    for at, row in enumerate(rows[:HEADER_SCAN]):
        folded = {fold(_text(cell)) for cell in row}
        if (wanted and wanted in folded) or (not wanted and folded & (WEEK_NAMES | {"week"})):
            return at
    if columns.week:
        raise UnusableData("no_such_column", column=columns.week)
    raise UnusableData("no_week_column")


@dataclass
class _Plan:
    week: int
    outcome: int
    channels: list[tuple[int, str]]
    controls: list[tuple[int, str]]
    guessed: list[str]
    not_used: list[str]


def _control_name(header: str) -> str:
    if fold(header).startswith(CONTROL_PREFIX):
        return header[len(CONTROL_PREFIX) :].strip() or header
    return header


def _plan(names: list[str], columns: Columns) -> _Plan:
    seen: set[str] = set()
    for name in names:
        if name and fold(name) in seen:
            raise UnusableData("duplicate_column", column=name)
        seen.add(fold(name))
    folded = [fold(n) for n in names]
    week = _one(names, columns.week, WEEK_NAMES, "week")
    chosen = {fold(n) for n in (columns.channels or ())} | {fold(n) for n in columns.controls}
    excluded = frozenset({week} | {i for i, n in enumerate(folded) if n in chosen})
    outcome = _one(names, columns.outcome, OUTCOME_NAMES | CONVERSION_NAMES, "outcome", excluded)
    taken = {week, outcome}

    def position(name: str) -> int:
        if fold(name) not in folded:
            raise UnusableData("no_such_column", column=name)
        at = folded.index(fold(name))
        if at in taken:
            raise UnusableData("chosen_twice", column=names[at])
        taken.add(at)
        return at

    controls = [(at, _control_name(names[at])) for at in map(position, columns.controls)]
    for at, name in enumerate(names):
        if at not in taken and folded[at].startswith(CONTROL_PREFIX):
            taken.add(at)
            controls.append((at, _control_name(name)))
    guessed: list[str] = []
    if columns.channels is not None:
        channels = [(at, names[at]) for at in map(position, columns.channels)]
    else:
        rest = [(at, name) for at, name in enumerate(names) if at not in taken and name]
        kinds = {at: spend_column(name) for at, name in rest}
        if any(kinds.values()):
            channels = [(at, name) for at, name in rest if kinds[at]]
        else:
            channels = [(at, name) for at, name in rest if kinds[at] is None]
            guessed = [name for _, name in channels]
        taken |= {at for at, _ in channels}
    if not channels:
        raise UnusableData("no_channel_columns")
    not_used = [name for at, name in enumerate(names) if at not in taken and name]
    return _Plan(week, outcome, channels, controls, guessed, not_used)


def _is_total(row: list[object]) -> bool:
    first = next((fold(_text(c)) for c in row if _text(c)), "")
    return first.startswith(TOTALS)


def read_weekly(
    data: bytes,
    limits: FileLimits = WEEKLY_DATA,
    *,
    columns: Columns | None = None,
    sheet: str | None = None,
) -> WeeklyData:
    """The weekly data of a CSV or .xlsx file (the module docstring says how it is read)."""
    columns = columns or Columns()
    if len(data) > limits.bytes:
        raise UnusableData("file_too_large", bytes=limits.bytes)
    if _is_workbook(data):
        rows, title = _sheet_rows(data, limits, sheet)
    elif sheet is not None:
        raise UnusableData("sheet_of_text", sheet=sheet)
    else:
        rows, title = _text_rows(data, limits), None
    if not any(any(_text(c) for c in row) for row in rows):
        raise UnusableData("no_rows")
    head = _header_at(rows, columns)
    names = [_text(cell) for cell in rows[head]]
    plan = _plan(names, columns)
    read: list[tuple[int, date, list[object]]] = []
    first_line: dict[date, int] = {}
    for line, row in enumerate(rows[head + 1 :], start=head + 2):
        if not any(_text(c) for c in row) or _is_total(row):
            continue
        cells = row + [None] * (len(names) - len(row))
        week = _week(cells[plan.week], line)
        if week in first_line:
            group = next((n for n in plan.not_used if fold(n) in GROUP_NAMES), None)
            where: dict[str, str | int] = {
                "line": line,
                "first": first_line[week],
                "value": week.isoformat(),
            }
            if group is not None:
                raise UnusableData("rows_per_group", column=group, **where)
            raise UnusableData("duplicate_week", **where)
        first_line[week] = line
        read.append((line, week, cells))
    if not read:
        raise UnusableData("no_rows")
    ordered = sorted(read, key=lambda item: item[1])
    for (_, before, _), (line, week, cells) in pairwise(ordered):
        if week != before + timedelta(days=7):
            expected = (before + timedelta(days=7)).isoformat()
            raise UnusableData(
                "week_gap", line=line, value=_text(cells[plan.week]), expected=expected
            )
    outcome: list[float] = []
    spend: dict[str, list[float]] = {name: [] for _, name in plan.channels}
    control: dict[str, list[float]] = {name: [] for _, name in plan.controls}
    blank = 0
    for line, _, cells in ordered:
        outcome.append(_value(cells, plan.outcome, names, line))
        for at, name in plan.channels:
            value = _cell(cells[at], line, names[at])
            blank += value is None
            spend[name].append(value or 0.0)
        for at, name in plan.controls:
            control[name].append(_value(cells, at, names, line))
    layout = Layout(
        week=names[plan.week],
        outcome=names[plan.outcome],
        week_start=ordered[0][1].weekday(),
        guessed=tuple(plan.guessed),
        not_used=tuple(plan.not_used),
        sorted=ordered != read,
        blank_spend=blank,
        conversions=fold(names[plan.outcome]) in CONVERSION_NAMES,
        sheet=title,
    )
    return WeeklyData(
        weeks=tuple(week for _, week, _ in ordered),
        outcome=tuple(outcome),
        spend={k: tuple(v) for k, v in spend.items()},
        controls={k: tuple(v) for k, v in control.items()},
        layout=layout,
    )


def _cell(value: Any, line: int, column: str) -> float | None:
    try:
        return parse_number(value)
    except ValueError:
        raise UnusableData("bad_number", line=line, column=column, value=_text(value)) from None


def _value(cells: list[object], at: int, names: list[str], line: int) -> float:
    """A number that may not be blank (the outcome, a control)."""
    value = _cell(cells[at], line, names[at])
    if value is None:
        raise UnusableData("blank_value", line=line, column=names[at])
    return value


def taiwan_holidays(weeks: tuple[date, ...]) -> tuple[float, ...]:
    """A ready control: the number of Monday–Friday days off (Taiwan's public holidays,
    observed days and bridge holidays; make-up workdays count as workdays) in each week,
    the seven days from its first day, whatever weekday that is (work/calendar_tw.py)."""
    if not weeks:
        return ()
    infos = days_between(weeks[0], weeks[-1] + timedelta(days=6))
    days = [[start + timedelta(days=d) for d in range(7)] for start in weeks]
    return tuple(
        float(sum(day.weekday() < 5 and is_day_off(day, infos) for day in week)) for week in days
    )
