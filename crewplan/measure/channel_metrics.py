"""What each channel and campaign bought over a period, against the period before (no
Django).

Sums come in as the database keeps them: integers in hundredths (`*_x100`: spend,
revenue, conversions and the `new_customers` extra) and whole impressions and clicks.
Everything comes out as Decimal; a ratio whose denominator is 0 is None (shown "—"),
never 0 or infinity.

- ROAS = revenue ÷ spend (a ratio, 4.2 = NT$4.20 back per NT$1).
- CPA = spend ÷ conversions; CAC = spend ÷ new customers (only when a file brought a
  `new_customers` figure: None otherwise, not "free customers").
- CTR = clicks ÷ impressions (a fraction: 0.0123 = 1.23 %); CPC = spend ÷ clicks.
- MER (marketing efficiency ratio, blended) = the revenue of ALL channels (paid, owned,
  organic) ÷ the spend of the PAID channels only: what the whole marketing spend brings
  back, whichever channel the sale is attributed to.
- Change against the previous period: (now − before) ÷ before, None when before is 0.

Periods (`period_bounds`), both ends inclusive: the last 7 or 30 days end today; this
month and this (fiscal) quarter run from their first day to today; last month is the
whole calendar month. The period before is the same number of days right before it,
except for a month or quarter to date, compared with the same days of the one before
(1–10 November against 1–10 October), and last month, against the whole month before.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from crewplan.measure.values import from_x100

HUNDREDTH = Decimal("0.01")
RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Sums:
    """One channel's or campaign's sums over a period, as the database adds them up."""

    spend_x100: int = 0
    revenue_x100: int = 0
    conversions_x100: int = 0
    clicks: int = 0
    impressions: int = 0
    new_customers_x100: int | None = None  # None: no file reported new customers

    def __add__(self, other: "Sums") -> "Sums":
        mine, theirs = self.new_customers_x100, other.new_customers_x100
        return Sums(
            self.spend_x100 + other.spend_x100,
            self.revenue_x100 + other.revenue_x100,
            self.conversions_x100 + other.conversions_x100,
            self.clicks + other.clicks,
            self.impressions + other.impressions,
            None if mine is None and theirs is None else (mine or 0) + (theirs or 0),
        )


@dataclass(frozen=True, slots=True)
class Figures:
    spend: Decimal
    revenue: Decimal
    conversions: Decimal
    clicks: int
    impressions: int
    new_customers: Decimal | None
    roas: Decimal | None
    cpa: Decimal | None
    cac: Decimal | None
    ctr: Decimal | None
    cpc: Decimal | None


@dataclass(frozen=True, slots=True)
class Compared:
    """A channel or campaign now and in the period before, with the change of each
    figure (a fraction, None without a figure before)."""

    key: str
    name: str
    now: Figures
    before: Figures
    change: dict[str, Decimal | None]


FIGURES: tuple[str, ...] = ("spend", "revenue", "conversions", "clicks", "impressions")
FIGURES += ("roas", "cpa", "cac", "ctr", "cpc")


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def money(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """An amount per unit (CPA, CAC, CPC), to cents."""
    if not denominator:
        return None
    return (numerator / denominator).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def figures(sums: Sums) -> Figures:
    spend, revenue = from_x100(sums.spend_x100), from_x100(sums.revenue_x100)
    conversions = from_x100(sums.conversions_x100)
    new = from_x100(sums.new_customers_x100) if sums.new_customers_x100 is not None else None
    clicks, impressions = Decimal(sums.clicks), Decimal(sums.impressions)
    return Figures(
        spend=spend,
        revenue=revenue,
        conversions=conversions,
        clicks=sums.clicks,
        impressions=sums.impressions,
        new_customers=new,
        roas=ratio(revenue, spend),
        cpa=money(spend, conversions),
        cac=money(spend, new) if new is not None else None,
        ctr=ratio(clicks, impressions),
        cpc=money(spend, clicks),
    )


def change(now: Decimal | int | None, before: Decimal | int | None) -> Decimal | None:
    if now is None or not before:
        return None
    return ((Decimal(now) - Decimal(before)) / Decimal(before)).quantize(
        RATIO_PLACES, rounding=ROUND_HALF_UP
    )


def compare(key: str, name: str, now: Sums, before: Sums) -> Compared:
    a, b = figures(now), figures(before)
    return Compared(key, name, a, b, {f: change(getattr(a, f), getattr(b, f)) for f in FIGURES})


def mer(revenue_all_x100: int, paid_spend_x100: int) -> Decimal | None:
    """Blended MER: revenue of every channel ÷ spend of the paid channels."""
    return ratio(from_x100(revenue_all_x100), from_x100(paid_spend_x100))


def total(sums: Iterable[Sums]) -> Sums:
    result = Sums()
    for s in sums:
        result = result + s
    return result


PERIODS = ("7d", "30d", "month", "last_month", "quarter", "custom")
LONGEST_DAYS = 366  # a custom period longer than a year is refused


@dataclass(frozen=True, slots=True)
class Bounds:
    first: date
    last: date
    before_first: date
    before_last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def period_bounds(
    choice: str,
    today: date,
    *,
    start_month: int = 1,
    first: date | None = None,
    last: date | None = None,
) -> Bounds:
    """The days of period `choice` (one of PERIODS) and of the period before (see the
    module). ValueError for an unknown choice or a custom period without both ends, ending
    before it starts or longer than LONGEST_DAYS."""
    if choice in ("7d", "30d"):
        return _same_length_before(today - timedelta(days=int(choice[:-1]) - 1), today)
    if choice == "month":
        return _to_date(today.replace(day=1), today, _months_back(today.replace(day=1), 1))
    if choice == "quarter":
        offset = (today.month - start_month) % 3
        start = _months_back(today.replace(day=1), offset)
        return _to_date(start, today, _months_back(start, 3))
    if choice == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        start = end.replace(day=1)
        before_end = start - timedelta(days=1)
        return Bounds(start, end, before_end.replace(day=1), before_end)
    if choice == "custom":
        if first is None or last is None or last < first:
            raise ValueError("a custom period needs a first day on or before its last")
        if (last - first).days + 1 > LONGEST_DAYS:
            raise ValueError("a custom period is at most a year")
        return _same_length_before(first, last)
    raise ValueError(f"unknown period {choice!r}")


def _same_length_before(first: date, last: date) -> Bounds:
    days = (last - first).days + 1
    return Bounds(first, last, first - timedelta(days=days), first - timedelta(days=1))


def _to_date(first: date, today: date, before_first: date) -> Bounds:
    """From `first` to today, against as many days from `before_first` (never past the
    day before `first`)."""
    before_last = min(before_first + (today - first), first - timedelta(days=1))
    return Bounds(first, today, before_first, before_last)


def _months_back(first_of_month: date, months: int) -> date:
    index = first_of_month.year * 12 + first_of_month.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
