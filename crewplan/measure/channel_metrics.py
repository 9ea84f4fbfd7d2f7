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
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

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


FIGURES = ("spend", "revenue", "conversions", "clicks", "impressions", "roas", "cpa", "cac")
FIGURES += ("ctr", "cpc")


def ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if not denominator:
        return None
    return (numerator / denominator).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


def money(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """An amount per unit (CPA, CAC, CPC), to cents."""
    if not denominator:
        return None
    return (numerator / denominator).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


def from_x100(value: int) -> Decimal:
    return Decimal(value) * HUNDREDTH


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
