"""How much of a person's file crewplan reads: every import's limits in one place
(documented in docs/raci.md, docs/budget.md and docs/work.md).

A file past a limit is refused (`UnusableFile`, worded in `lib/file_messages.py`) as soon
as the reader gets there: the rest of the file is never parsed, and nothing is saved.
Rows are counted below the header rows; blank rows past the last one (formatting people
leave behind) do not count.
The readers take the limits as an argument and default to these constants.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crewplan.lib.xlsxfile import UnusableFile


@dataclass(frozen=True, slots=True)
class FileLimits:
    bytes: int  # size of the file as uploaded or on disk
    rows: int  # data rows per sheet, below the header rows
    columns: int  # columns read per row


# A RACI grid: a few dozen activities × a few parties in practice.
RACI_MATRIX = FileLimits(bytes=5 * 1024 * 1024, rows=20_000, columns=256)
# A budget plan (the 預算/Budget sheet, each version's sheet, the 工具/Tools sheet):
# a few hundred lines in practice; the page and the health check stay fast at 20,000.
BUDGET_PLAN = FileLimits(bytes=5 * 1024 * 1024, rows=20_000, columns=64)
# KPI actuals (date, KPI, value): a row a day for a few KPIs over a few years.
KPI_VALUES = FileLimits(bytes=2 * 1024 * 1024, rows=20_000, columns=20)
# The government's office calendar: 365 rows a year, 4 columns.
OFFICE_CALENDAR = FileLimits(bytes=1024 * 1024, rows=5_000, columns=20)
# Daily figures from the ad platforms and analytics: a year of 100 campaigns on 10
# channels is 365,000 rows; a million rows import in seconds (docs/benchmarks.md).
MEASURE_METRICS = FileLimits(bytes=128 * 1024 * 1024, rows=2_000_000, columns=256)
# The weekly file `crewplan fit` reads: a row a week (ten years are 520 rows), a column
# per channel and control.
WEEKLY_DATA = FileLimits(bytes=2 * 1024 * 1024, rows=2_000, columns=256)
# The lift tests `crewplan fit --lift-tests` reads: a row an experiment, a few a year.
LIFT_TESTS = FileLimits(bytes=1024 * 1024, rows=1_000, columns=64)


def too_large(limits: FileLimits) -> UnusableFile:
    return UnusableFile("file_too_large", params={"bytes": limits.bytes})


def too_many_rows(limits: FileLimits, sheet: str = "") -> UnusableFile:
    return UnusableFile("too_many_rows", params={"rows": limits.rows, "sheet": sheet})


def too_many_columns(limits: FileLimits, sheet: str = "") -> UnusableFile:
    return UnusableFile("too_many_columns", params={"columns": limits.columns, "sheet": sheet})


def read_limited(path: Path, limits: FileLimits) -> bytes:
    """The file's bytes, reading no more than one byte past the limit. OSError when the
    file cannot be read; UnusableFile when it is too large."""
    with path.open("rb") as handle:
        data = handle.read(limits.bytes + 1)
    if len(data) > limits.bytes:
        raise too_large(limits)
    return data


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def limited_rows(
    sheet: Any, limits: FileLimits, *, header_rows: int = 1
) -> Iterator[tuple[Any, ...]]:
    """The rows of a read-only openpyxl sheet as tuples of values without trailing blanks,
    at most `limits.columns` wide. Raises UnusableFile at the first value right of column
    `limits.columns` or the first non-blank row below `header_rows + limits.rows`."""
    sheet.reset_dimensions()  # the file's own <dimension> can be wrong, or huge
    width = limits.columns
    last = header_rows + limits.rows
    rows = sheet.iter_rows(max_col=width + 1, values_only=True)
    for number, row in enumerate(rows, start=1):
        if row.count(None) == len(row):  # C speed for the padding of missing rows
            if number <= last:
                yield ()
            continue
        if not _blank(row[width]):
            raise too_many_columns(limits, sheet.title)
        if number > last:
            if all(_blank(v) for v in row):
                continue
            raise too_many_rows(limits, sheet.title)
        end = width
        while end and row[end - 1] is None:
            end -= 1
        yield row[:end]
