"""A file of KPI actuals read into monthly values (pure, no Django).

The file has a date, a KPI name and a value per row (English or zh-TW headings: 日期,
KPI, 數值), under any title rows; a total row ("合計", "Total") is skipped. Dates are
Gregorian (2026-03-05, 2026/3/5) or ROC (115/03/05, 1150305, 民國115年3月5日), or a
whole month (2026-03, 115/03, 115年3月).

Values are kept per calendar month. An additive KPI (its formula sums a metric: counts,
money) adds up its days. Any other KPI (a ratio, an average, a growth) cannot be made
from daily values without the underlying metrics, so it is accepted only once per month
(a month date, or a single row for the month); daily rows of one are refused. Every
problem is reported at once, with its row number (1-based, as a spreadsheet counts).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from crewplan.lib.text import fold
from crewplan.measure import parse

DATE_HEADERS = frozenset({"date", "day", "month", "日期", "月份", "月"})
KPI_HEADERS = frozenset({"kpi", "kpi name", "指標", "kpi 名稱", "kpi名稱"})
VALUE_HEADERS = frozenset({"value", "actual", "數值", "實際值", "值"})
TOTAL_WORDS = frozenset({"total", "sum", "合計", "總計", "小計"})
MAX_PROBLEMS = 50  # a wholly wrong file need not list 20,000 rows


@dataclass(frozen=True, slots=True)
class KpiSpec:
    """A KPI of the workspace as the file may name it."""

    key: int  # the KPI's primary key
    additive: bool  # its monthly value is the sum of its days


@dataclass(frozen=True, slots=True)
class Problem:
    code: str  # no_header, bad_date, unknown_kpi, bad_value, daily_not_additive, twice
    row: int
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass
class KpiFile:
    values: dict[tuple[int, date], Decimal] = field(default_factory=dict)  # (kpi, month)
    rows_read: int = 0
    problems: list[Problem] = field(default_factory=list)


def parse_day(text: str) -> tuple[date, bool] | None:
    """(the date, whether it names a whole month), or None when it is not a date: a day
    as `measure.parse.parse_day` reads it, else a month as `parse.parse_month` does; spaces
    inside are ignored (民國 115 年 3 月)."""
    text = "".join(str(text).split())
    try:
        return parse.parse_day(text), False
    except ValueError:
        pass
    try:
        return parse.parse_month(text), True
    except ValueError:
        return None


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, int, int, int] | None:
    """(row index, date column, KPI column, value column) of the first header row."""
    for index, row in enumerate(rows[:20]):
        names = [fold(cell) for cell in row]
        columns = [
            next((i for i, n in enumerate(names) if n in wanted), None)
            for wanted in (DATE_HEADERS, KPI_HEADERS, VALUE_HEADERS)
        ]
        if all(c is not None for c in columns):
            day, kpi, value = columns
            assert day is not None and kpi is not None and value is not None
            return index, day, kpi, value
    return None


def read_kpi_rows(rows: Sequence[Sequence[str]], kpis: Mapping[str, KpiSpec]) -> KpiFile:
    """The file's monthly values per KPI (see the module); `kpis` by folded name."""
    result = KpiFile()
    header = _header(rows)
    if header is None:
        result.problems.append(Problem("no_header", 1))
        return result
    start, day_col, kpi_col, value_col = header
    daily: dict[tuple[int, date], int] = {}  # (kpi, month) → first daily row
    monthly: dict[tuple[int, date], int] = {}  # (kpi, month) → its monthly row
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = [str(c).strip() for c in row] + [""] * 3
        if not any(cells) or fold(cells[day_col]) in TOTAL_WORDS or not cells[kpi_col]:
            continue
        result.rows_read += 1
        problem = _row(result, cells, number, (day_col, kpi_col, value_col), kpis, daily, monthly)
        if problem is not None and len(result.problems) < MAX_PROBLEMS:
            result.problems.append(problem)
    if result.problems:
        result.values.clear()
    return result


def _row(
    result: KpiFile,
    cells: list[str],
    number: int,
    columns: tuple[int, int, int],
    kpis: Mapping[str, KpiSpec],
    daily: dict[tuple[int, date], int],
    monthly: dict[tuple[int, date], int],
) -> Problem | None:
    day_col, kpi_col, value_col = columns
    parsed = parse_day(cells[day_col])
    if parsed is None:
        return Problem("bad_date", number, {"value": cells[day_col]})
    spec = kpis.get(fold(cells[kpi_col]))
    if spec is None:
        return Problem("unknown_kpi", number, {"name": cells[kpi_col]})
    try:
        value = Decimal(cells[value_col].replace(",", "").removesuffix("%"))
    except InvalidOperation:
        return Problem("bad_value", number, {"value": cells[value_col]})
    if not value.is_finite():
        return Problem("bad_value", number, {"value": cells[value_col]})
    day, whole_month = parsed
    key = (spec.key, day.replace(day=1))
    if key in monthly or (whole_month and key in daily):
        return Problem("twice", number, {"name": cells[kpi_col]})
    if not whole_month and not spec.additive:
        if key in daily:
            return Problem("daily_not_additive", number, {"name": cells[kpi_col]})
        daily[key] = number  # one row for the month is the month's value
        result.values[key] = value
        return None
    if whole_month:
        monthly[key] = number
    else:
        daily.setdefault(key, number)
    result.values[key] = result.values.get(key, Decimal(0)) + value
    return None
