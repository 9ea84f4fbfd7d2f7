"""Plan against actual for a fiscal year: where each budget line and category stands
today, how fast it burns money, and which lines will overspend first (no Django).

Units and assumptions:
- Money is Decimal in the workspace currency's major unit; figures shown are rounded to
  cents (ROUND_HALF_UP) only at the end, pacing to four decimals.
- A period is a run of whole fiscal months: the fiscal year (the default, read "year to
  date"), a quarter or a month. Its days are counted inclusive of `today`: on the first
  day of the period one day has elapsed. A period that has not started has 0 elapsed
  days, a past one all of them.
- Planned to date prorates the current month by days: a month planned at 3,000 with 10
  of its 30 days elapsed counts 1,000.
- Pacing = (actual to date ÷ planned for the whole period) ÷ (elapsed days ÷ days in
  the period): 1 spends exactly as fast as time passes. Status: green within ±5 % of 1,
  amber within ±10 %, red beyond, for overspending and underspending alike (money left
  unspent is as much a sign the plan is wrong). No pacing (status "none") without a plan
  for the period or before it starts.
- Forecasts to the period's end: linear = actual to date + the plan of the period's
  remaining days (the plan is right from now on); run-rate = actual to date ÷ elapsed
  days × days in the period (the pace so far goes on).
- A line is forecast to overspend when its run-rate forecast exceeds its plan for the
  period; it crosses the plan on the day cumulative spending at the run rate reaches the
  period's plan (the fiscal month of that day is reported). Earliest crossing first, then
  the largest excess.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

MONTHS = 12
ZERO = Decimal(0)
CENTS = Decimal("0.01")
PACING_PLACES = Decimal("0.0001")
GREEN_WITHIN = Decimal("0.05")
AMBER_WITHIN = Decimal("0.10")


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class LineInput:
    """One budget line as the core needs it: 12 fiscal months of plan and of actual
    spend (fiscal month 1 first) and the committed amount (one figure for the year)."""

    key: str
    category: str
    item: str
    planned: tuple[Decimal, ...]
    committed: Decimal
    actual: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class Period:
    """Fiscal months `first` to `last` (0-based, inclusive)."""

    first: int = 0
    last: int = MONTHS - 1

    @classmethod
    def quarter(cls, number: int) -> "Period":
        if not 1 <= number <= 4:
            raise ValueError("a fiscal quarter is 1 to 4")
        return cls(3 * (number - 1), 3 * number - 1)

    @classmethod
    def month(cls, number: int) -> "Period":
        if not 1 <= number <= MONTHS:
            raise ValueError("a fiscal month is 1 to 12")
        return cls(number - 1, number - 1)


@dataclass(frozen=True, slots=True)
class Calendar:
    """The fiscal year's months (their first days) and today."""

    months: tuple[date, ...]
    today: date

    def end_of(self, index: int) -> date:
        """The day after fiscal month `index` ends."""
        first = self.months[index]
        return date(first.year + first.month // 12, first.month % 12 + 1, 1)

    def days_in(self, index: int) -> int:
        return (self.end_of(index) - self.months[index]).days

    def elapsed_in(self, index: int) -> int:
        """Days of fiscal month `index` up to today, today included."""
        start, end = self.months[index], self.end_of(index)
        return max(0, min((self.today - start).days + 1, (end - start).days))


@dataclass(frozen=True, slots=True)
class Pace:
    """One line (or category) over a period; amounts rounded to cents."""

    key: str
    category: str
    item: str
    planned: Decimal  # for the whole period
    planned_to_date: Decimal  # the current month prorated by days
    committed: Decimal
    actual: Decimal  # to date (actual spend is never in the future)
    available: Decimal  # planned less what is committed or spent, whichever is more
    days: int
    days_elapsed: int
    burn_per_day: Decimal | None  # None before the period starts
    burn_per_month: Decimal | None  # per day × the period's average month length
    pacing: Decimal | None
    status: Status
    forecast_linear: Decimal
    forecast_run_rate: Decimal | None
    overspend: Decimal  # run-rate forecast over the plan (0 when not over)
    crossing: date | None  # the day the run rate reaches the plan, when it will
    crossing_month: int | None  # its fiscal month, 1–12


@dataclass(frozen=True, slots=True)
class MonthFigures:
    planned: Decimal
    actual: Decimal
    available: Decimal  # planned less actual


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def status_of(pacing: Decimal | None) -> Status:
    if pacing is None:
        return Status.NONE
    distance = abs(pacing - 1)
    if distance <= GREEN_WITHIN:
        return Status.GREEN
    return Status.AMBER if distance <= AMBER_WITHIN else Status.RED


def pace(line: LineInput, calendar: Calendar, period: Period = Period()) -> Pace:
    """Where `line` stands in `period` on `calendar.today` (see the module)."""
    _check(line)
    months = range(period.first, period.last + 1)
    days = sum(calendar.days_in(m) for m in months)
    elapsed = sum(calendar.elapsed_in(m) for m in months)
    planned = sum((line.planned[m] for m in months), ZERO)
    planned_to_date = sum(
        (line.planned[m] * calendar.elapsed_in(m) / calendar.days_in(m) for m in months), ZERO
    )
    actual = sum((line.actual[m] for m in months), ZERO)
    per_day = actual / elapsed if elapsed else None
    pacing = (actual / planned) / (Decimal(elapsed) / days) if planned and elapsed else None
    run_rate = per_day * days if per_day is not None else None
    overspend = max(run_rate - planned, ZERO) if run_rate is not None else ZERO
    crossing = _crossing(calendar, period, planned, actual, elapsed, per_day) if overspend else None
    return Pace(
        key=line.key,
        category=line.category,
        item=line.item,
        planned=cents(planned),
        planned_to_date=cents(planned_to_date),
        committed=cents(line.committed),
        actual=cents(actual),
        available=cents(planned - max(line.committed, actual)),
        days=days,
        days_elapsed=elapsed,
        burn_per_day=cents(per_day) if per_day is not None else None,
        burn_per_month=cents(per_day * days / len(months)) if per_day is not None else None,
        pacing=pacing.quantize(PACING_PLACES, rounding=ROUND_HALF_UP)
        if pacing is not None
        else None,
        status=status_of(pacing),
        forecast_linear=cents(actual + planned - planned_to_date),
        forecast_run_rate=cents(run_rate) if run_rate is not None else None,
        overspend=cents(overspend),
        crossing=crossing,
        crossing_month=_fiscal_month(calendar, crossing) if crossing else None,
    )


def _crossing(
    calendar: Calendar,
    period: Period,
    planned: Decimal,
    actual: Decimal,
    elapsed: int,
    per_day: Decimal | None,
) -> date | None:
    """The day cumulative spending at the run rate reaches `planned`: today when it
    already has, else the day the rest of the plan runs out at `per_day`."""
    start = calendar.months[period.first]
    if actual >= planned:
        return min(calendar.today, calendar.end_of(period.last) - timedelta(days=1))
    if not per_day:
        return None
    needed = (planned / per_day).to_integral_value(rounding="ROUND_CEILING")  # days
    # Spending `per_day` for `needed` days from the start reaches the plan on that day.
    return start + timedelta(days=max(int(needed), elapsed) - 1)


def _fiscal_month(calendar: Calendar, day: date) -> int | None:
    for index, first in enumerate(calendar.months):
        if first <= day < calendar.end_of(index):
            return index + 1
    return None


def months_of(line: LineInput) -> list[MonthFigures]:
    """Each fiscal month's plan, actual and what is left of its plan."""
    _check(line)
    return [
        MonthFigures(cents(p), cents(a), cents(p - a))
        for p, a in zip(line.planned, line.actual, strict=True)
    ]


def combine(key: str, category: str, item: str, lines: Iterable[LineInput]) -> LineInput:
    """Lines added up month by month: a category, or the whole plan."""
    planned, actual, committed = [ZERO] * MONTHS, [ZERO] * MONTHS, ZERO
    for line in lines:
        _check(line)
        committed += line.committed
        for m in range(MONTHS):
            planned[m] += line.planned[m]
            actual[m] += line.actual[m]
    return LineInput(key, category, item, tuple(planned), committed, tuple(actual))


def by_category(lines: Sequence[LineInput]) -> list[LineInput]:
    """One combined input per category, in the order categories first appear."""
    order: dict[str, list[LineInput]] = {}
    for line in lines:
        order.setdefault(line.category, []).append(line)
    return [combine(c, c, c, found) for c, found in order.items()]


def overspending_first(paces: Iterable[Pace]) -> list[Pace]:
    """The lines forecast to overspend: earliest crossing first, then the largest excess."""
    over = [p for p in paces if p.overspend > 0]
    return sorted(over, key=lambda p: (p.crossing or date.max, -p.overspend, p.item))


def _check(line: LineInput) -> None:
    if len(line.planned) != MONTHS or len(line.actual) != MONTHS:
        raise ValueError(f"line {line.key!r} needs {MONTHS} planned and actual months")
