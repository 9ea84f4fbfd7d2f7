"""The wide weekly file `crewplan fit` reads (docs/optimize.md). Pure: no Django.

One row a week: a `week` column (the Monday of the week, ISO date 2026-01-05), an
`outcome` column, one column per channel holding that week's spend, and optional
`control:<name>` columns (promotions, holidays). Weeks follow each other with no gap.
Numbers are plain (1234.5) or with thousands separators (1,234.5). A problem is an
`UnusableData` with a code and parameters (worded in measure/optimize_messages.py).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta

from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.limits import WEEKLY_DATA, FileLimits
from crewplan.optimize.fit import UnusableData
from crewplan.work.calendar_tw import days_between, is_day_off

CONTROL_PREFIX = "control:"
TAIWAN_HOLIDAYS = "taiwan_holidays"
_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


@dataclass(frozen=True)
class WeeklyData:
    weeks: tuple[date, ...]
    outcome: tuple[float, ...]
    spend: dict[str, tuple[float, ...]]
    controls: dict[str, tuple[float, ...]]


def _number(text: str, line: int, column: str) -> float:
    cleaned = text.strip()
    if _GROUPED.match(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        raise UnusableData("bad_number", line=line, column=column, value=text) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise UnusableData("bad_number", line=line, column=column, value=text)
    return value


def _week(text: str, line: int) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UnusableData("bad_week", line=line, value=text) from None
    if day.weekday() != 0:
        raise UnusableData("not_monday", line=line, value=text)
    return day


def _header(row: list[str]) -> tuple[int, int, list[tuple[int, str]], list[tuple[int, str]]]:
    names = [cell.strip() for cell in row]
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise UnusableData("duplicate_column", column=name)
        seen.add(name.lower())
    lowered = [name.lower() for name in names]
    for needed in ("week", "outcome"):
        if needed not in lowered:
            raise UnusableData("missing_column", column=needed)
    channels, controls = [], []
    for index, name in enumerate(names):
        if lowered[index] in ("week", "outcome") or not name:
            continue
        if lowered[index].startswith(CONTROL_PREFIX):
            controls.append((index, name[len(CONTROL_PREFIX) :].strip() or name))
        else:
            channels.append((index, name))
    if not channels:
        raise UnusableData("no_channel_columns")
    return lowered.index("week"), lowered.index("outcome"), channels, controls


def read_weekly(data: bytes, limits: FileLimits = WEEKLY_DATA) -> WeeklyData:
    if len(data) > limits.bytes:
        raise UnusableData("file_too_large", bytes=limits.bytes)
    try:
        text, _ = decode_text(data)
    except NotText:
        raise UnusableData("not_text") from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise UnusableData("no_rows")
    if len(rows[0]) > limits.columns:
        raise UnusableData("too_many_columns", columns=limits.columns)
    if len(rows) - 1 > limits.rows:
        raise UnusableData("too_many_rows", rows=limits.rows)
    week_at, outcome_at, channels, controls = _header(rows[0])
    weeks: list[date] = []
    outcome: list[float] = []
    spend: dict[str, list[float]] = {name: [] for _, name in channels}
    control: dict[str, list[float]] = {name: [] for _, name in controls}
    for line, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(rows[0]) - len(row))
        week = _week(cells[week_at], line)
        if weeks and week != weeks[-1] + timedelta(days=7):
            expected = (weeks[-1] + timedelta(days=7)).isoformat()
            raise UnusableData("week_gap", line=line, value=cells[week_at], expected=expected)
        weeks.append(week)
        outcome.append(_number(cells[outcome_at], line, rows[0][outcome_at].strip()))
        for index, name in channels:
            spend[name].append(_number(cells[index], line, name))
        for index, name in controls:
            control[name].append(_number(cells[index], line, rows[0][index].strip()))
    if not weeks:
        raise UnusableData("no_rows")
    return WeeklyData(
        weeks=tuple(weeks),
        outcome=tuple(outcome),
        spend={k: tuple(v) for k, v in spend.items()},
        controls={k: tuple(v) for k, v in control.items()},
    )


def taiwan_holidays(weeks: tuple[date, ...]) -> tuple[float, ...]:
    """A ready control: the number of Monday–Friday days off (Taiwan's public holidays,
    observed days and bridge holidays; make-up workdays count as workdays) in each week
    (work/calendar_tw.py)."""
    if not weeks:
        return ()
    infos = days_between(weeks[0], weeks[-1] + timedelta(days=6))
    return tuple(
        float(sum(is_day_off(monday + timedelta(days=d), infos) for d in range(5)))
        for monday in weeks
    )
