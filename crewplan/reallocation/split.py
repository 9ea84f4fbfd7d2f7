"""A quarter of a fiscal year and the money of its remaining months. Pure: no Django.

Weekly amounts become monthly ones by days: a weekly x is x·days/7 in a month of `days`
days. Amounts are Decimal, rounded to the currency's places, and a channel's quarter
total is kept exact by giving the rounding remainders to the months with the largest
fractions (largest remainder), so the months add up to the rounded total."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def quarter_months(quarter: int) -> tuple[int, int, int]:
    """The fiscal months (1–12) of fiscal quarter 1–4."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"a quarter is 1 to 4 (got {quarter})")
    first = 3 * quarter - 2
    return first, first + 1, first + 2


def remaining_months(quarter: int, month_starts: Sequence[date], today: date) -> list[int]:
    """The quarter's fiscal months not over on `today` (its own month is not over).
    `month_starts`: the first days of the fiscal year's twelve months."""
    current = today.replace(day=1)
    return [m for m in quarter_months(quarter) if month_starts[m - 1] >= current]


def plan_mondays(
    months: Sequence[int], month_starts: Sequence[date], days: Sequence[int], today: date
) -> list[date]:
    """The weeks of the week-by-week plan: the Mondays that fall in the remaining
    `months` (with `days` days each), from the week holding `today` on."""
    this_week = today - timedelta(days=today.weekday())
    mondays = []
    for month, length in zip(months, days, strict=True):
        first = month_starts[month - 1]
        day = first + timedelta(days=(7 - first.weekday()) % 7)
        while day < first + timedelta(days=length):
            if day >= this_week:
                mondays.append(day)
            day += timedelta(days=7)
    return mondays


def weekly(total: Decimal, days: int) -> float:
    """A total over `days` days as a weekly amount."""
    return float(total) * 7 / days if days else 0.0


def by_days(weekly_amount: float, days: Sequence[int], places: int) -> list[Decimal]:
    """`weekly_amount` a week over months of `days` days, each rounded to `places`, the
    months adding up exactly to the rounded total."""
    unit = Decimal(1).scaleb(-places)
    exact = [Decimal(repr(weekly_amount)) * d / 7 for d in days]
    total = sum(exact, Decimal(0)).quantize(unit, rounding=ROUND_HALF_UP)
    return shares(total, [Decimal(d) for d in days], places)


def shares(total: Decimal, weights: Sequence[Decimal], places: int) -> list[Decimal]:
    """`total` split in proportion to `weights` (equal parts when they are all 0), each
    part rounded to `places`, the parts adding up exactly to `total`."""
    if not weights:
        return []
    unit = Decimal(1).scaleb(-places)
    whole = sum(weights, Decimal(0))
    if whole <= 0:
        weights, whole = [Decimal(1)] * len(weights), Decimal(len(weights))
    exact = [total * w / whole for w in weights]
    parts = [e.quantize(unit, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(parts, Decimal(0))) / unit)
    order = sorted(range(len(parts)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[:left]:
        parts[i] += unit
    return parts
