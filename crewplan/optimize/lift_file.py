"""The lift-test file `crewplan fit DATA.csv --lift-tests LIFTS.csv` reads (docs/optimize.md).
Pure: no Django.

One row an experiment, with the columns `channel`, `start`, `end`, `spend_change`,
`incremental` and `standard_error` (any order, any case; other columns are ignored).
`start` and `end` are ISO dates (2026-03-04), each any day of the test's first and last
week: a week is the 7 days from one of the data's weeks (`weeks[i]` … `weeks[i]` + 6), so
a mid-week date stands for its whole week. `spend_change` is the change of the weekly
spend during the test (currency per week, negative for a cut, never 0); `incremental` is
the extra outcome it caused over those weeks and the carry-over after them, with its
`standard_error` (above 0), in the fit's outcome (revenue or conversions). Numbers as in
the weekly file: plain (1234.5) or with thousands separators (1,234.5). A problem is an
`UnusableData` with a code and parameters, the line among them (worded in
measure/optimize_messages.py).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta

from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.limits import LIFT_TESTS, FileLimits
from crewplan.optimize.fit import LiftTest, UnusableData
from crewplan.optimize.weekly_file import parse_number

COLUMNS = ("channel", "start", "end", "spend_change", "incremental", "standard_error")


def week_index(day: date, weeks: Sequence[date]) -> int | None:
    """The index of the week of `weeks` (each the 7 days from weeks[i]) holding `day`;
    None outside them."""
    for index, first in enumerate(weeks):
        if first <= day < first + timedelta(days=7):
            return index
    return None


def _day(text: str, line: int, column: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise UnusableData("lift_test_bad_date", line=line, column=column, value=text) from None


def _header(row: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in row]
    seen: set[str] = set()
    for name in names:
        if name and name in seen:
            raise UnusableData("duplicate_column", column=name)
        seen.add(name)
    for needed in COLUMNS:
        if needed not in names:
            raise UnusableData("missing_column", column=needed)
    return {name: names.index(name) for name in COLUMNS}


def _number(text: str, line: int, column: str) -> float:
    """A number as the weekly file reads one (separators, currency marks); blank refused."""
    try:
        value = parse_number(text)
    except ValueError:
        value = None
    if value is None:
        raise UnusableData("bad_number", line=line, column=column, value=text)
    return value


def _test(cells: list[str], at: dict[str, int], line: int, weeks: Sequence[date]) -> LiftTest:
    channel = cells[at["channel"]].strip()
    if not channel:
        raise UnusableData("lift_test_no_channel", line=line)
    first = _day(cells[at["start"]], line, "start")
    last = _day(cells[at["end"]], line, "end")
    if last < first:
        raise UnusableData("lift_test_end_before_start", line=line)
    change, incremental, error = (
        _number(cells[at[name]], line, name)
        for name in ("spend_change", "incremental", "standard_error")
    )
    if change == 0:
        raise UnusableData("lift_test_no_change", line=line)
    if error <= 0:
        raise UnusableData("lift_test_standard_error", line=line)
    start, end = week_index(first, weeks), week_index(last, weeks)
    if start is None or end is None:
        window = (
            {"first": weeks[0].isoformat(), "last": (weeks[-1] + timedelta(days=6)).isoformat()}
            if weeks
            else {"first": "", "last": ""}
        )
        raise UnusableData("lift_test_outside", line=line, **window)
    return LiftTest(channel, start, end, change, incremental, error)


def read_lift_tests(
    data: bytes, weeks: Sequence[date], limits: FileLimits = LIFT_TESTS
) -> list[LiftTest]:
    """The file's lift tests, their weeks as indices into `weeks` (the data's weeks, in
    order, 7 days apart). UnusableData for the first problem, naming its line."""
    if len(data) > limits.bytes:
        raise UnusableData("file_too_large", bytes=limits.bytes)
    try:
        text, _ = decode_text(data)
    except NotText:
        raise UnusableData("not_text") from None
    rows = [
        (line, row)
        for line, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        raise UnusableData("no_lift_tests")
    header = rows[0][1]
    if len(header) > limits.columns:
        raise UnusableData("too_many_columns", columns=limits.columns)
    if len(rows) - 1 > limits.rows:
        raise UnusableData("too_many_lift_tests", rows=limits.rows)
    at = _header(header)
    tests = [
        _test(row + [""] * (len(header) - len(row)), at, line, weeks) for line, row in rows[1:]
    ]
    if not tests:
        raise UnusableData("no_lift_tests")
    return tests
