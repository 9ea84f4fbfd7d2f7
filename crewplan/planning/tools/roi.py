"""ROI estimator for an AI marketing tool: the pure core (no Django).

Units. Money is Decimal in the workspace currency's major unit (TWD: dollars), never
float. "Per month" means per calendar month; month 1 is the first month of use and the
horizon is `horizon_months` months (1..120). Fractions are Decimals between 0 and 1
(Decimal("0.4") = 40 %).

Definitions, for month m = 1 … horizon_months:

- ramp factor(m) = min(1, m / ramp_up_months) when ramp_up_months > 0, else 1;
- benefit(m) = factor(m) × (hours_saved_per_month × loaded_hourly_rate
  + sessions_per_month × conversion_rate_lift × average_order_value × gross_margin
  + costs_avoided_per_month), where conversion_rate_lift is an absolute lift
  (Decimal("0.002") = +0.2 percentage points), so the middle term is the extra gross
  profit from extra orders;
- renewal multiplier(m) = (1 + yearly_renewal_change) ** k for m in 12k+1 … 12k+12
  (k = 0, 1, 2, …): prices change at each yearly renewal, compounding;
- recurring(m) = (seats × price_per_seat_per_month + flat_fee_per_month
  + privacy_compliance_per_month) × renewal multiplier(m);
- one-off = integration_one_off + training_hours × training_hourly_rate + training_fees
  + data_preparation_one_off, all paid in month 1;
- cost(m) = recurring(m) + (one-off if m == 1 else 0);
- net(m) = benefit(m) − cost(m); cumulative(m) = net(1) + … + net(m).

Over the horizon: total_benefit = Σ benefit, total_cost = Σ cost, net_benefit = the last
cumulative (so the table and the headline agree), roi = net_benefit / total_cost, None
when total_cost is 0 (an ROI on nothing spent is not a number). payback_month is the
first month whose cumulative net is >= 0 while the cumulative benefit is > 0 (month 1
counts; a month that ends exactly at 0 counts), None when that never happens within the
horizon.

Assumptions not modelled: no discounting (money in month 24 counts like money today), no
tax, benefits start in month 1 (delay them with the ramp-up), seats do not change.

Precision: everything is computed at 28 significant digits, half-even, and nothing is
rounded to cents here; rounding is for display. The arithmetic is exact for the amounts
people type (a few decimal places, well below 10^12); only the ramp-up quotient
m / ramp_up_months, many years of compounding renewal changes and the ROI quotient can
round, at the 28th significant digit (and then net_benefit, the sum of the rounded nets,
may differ from total_benefit − total_cost in that digit).

Scenarios derive a conservative and an optimistic case from the expected one by scaling
the benefit drivers (BENEFIT_DRIVERS) by 1 ∓ spread, costs unchanged. Sensitivity moves
one Decimal assumption at a time by ∓ delta and reports the ROI both ways, largest swing
first. Cost: O(horizon_months) per estimate, O(fields × horizon_months) for sensitivity.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from enum import StrEnum
from typing import Any

ZERO = Decimal(0)
ONE = Decimal(1)
MAX_HORIZON_MONTHS = 120
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)

# Every Decimal field of Assumptions, in the order a form shows them; the UI labels the
# sensitivity rows with these names.
SENSITIVITY_FIELDS: tuple[str, ...] = (
    "hours_saved_per_month",
    "loaded_hourly_rate",
    "sessions_per_month",
    "conversion_rate_lift",
    "average_order_value",
    "gross_margin",
    "costs_avoided_per_month",
    "price_per_seat_per_month",
    "flat_fee_per_month",
    "integration_one_off",
    "training_hours",
    "training_hourly_rate",
    "training_fees",
    "data_preparation_one_off",
    "privacy_compliance_per_month",
    "yearly_renewal_change",
)
# Fractions with a ceiling of 1 (a margin or a conversion-rate lift above 100 % is a typo).
FRACTION_FIELDS = frozenset({"gross_margin", "conversion_rate_lift"})
# May be negative (a price cut at renewal), but not below -1 (prices cannot go negative).
RENEWAL_FIELD = "yearly_renewal_change"
# The drivers that scenarios() scales; the other benefit factors are prices and margins.
BENEFIT_DRIVERS: tuple[str, ...] = (
    "hours_saved_per_month",
    "sessions_per_month",
    "conversion_rate_lift",
    "costs_avoided_per_month",
)


@dataclass(frozen=True, slots=True)
class Assumptions:
    """What someone expects of a tool, per calendar month unless named otherwise. Money in
    the workspace currency's major unit. Checked on creation: a bad value raises
    ValueError (or TypeError for a float or other non-Decimal), so an Assumptions that
    exists is valid."""

    horizon_months: int  # 1..120
    hours_saved_per_month: Decimal  # staff hours
    loaded_hourly_rate: Decimal  # money per hour, salary plus overheads
    sessions_per_month: Decimal  # site visits
    conversion_rate_lift: Decimal  # absolute: 0.002 = +0.2 percentage points
    average_order_value: Decimal  # money per order
    gross_margin: Decimal  # fraction 0..1 of an order's value kept as profit
    costs_avoided_per_month: Decimal  # money: agency hours, tools replaced, …
    ramp_up_months: int = 0  # benefits reach full strength linearly by this month
    seats: int = 0
    price_per_seat_per_month: Decimal = ZERO
    flat_fee_per_month: Decimal = ZERO
    integration_one_off: Decimal = ZERO
    training_hours: Decimal = ZERO  # staff hours spent in training, in total
    training_hourly_rate: Decimal = ZERO  # money per training hour
    training_fees: Decimal = ZERO  # money paid to trainers, one-off
    data_preparation_one_off: Decimal = ZERO
    privacy_compliance_per_month: Decimal = ZERO  # DPO time, audits, data processing terms
    yearly_renewal_change: Decimal = ZERO  # fraction: 0.1 = recurring costs +10 % a year

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Raise ValueError listing every problem, or TypeError for a wrong type."""
        problems: list[str] = []
        for name in ("horizon_months", "ramp_up_months", "seats"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise TypeError(f"{name} must be an int, not {type(value).__name__}")
        if not 1 <= self.horizon_months <= MAX_HORIZON_MONTHS:
            problems.append(
                f"horizon_months must be between 1 and {MAX_HORIZON_MONTHS}, "
                f"not {self.horizon_months}"
            )
        if self.ramp_up_months < 0:
            problems.append(f"ramp_up_months cannot be negative ({self.ramp_up_months})")
        if self.seats < 0:
            problems.append(f"seats cannot be negative ({self.seats})")
        for name in SENSITIVITY_FIELDS:
            value = getattr(self, name)
            if not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
            if not value.is_finite():
                problems.append(f"{name} must be a number, not {value}")
            elif name == RENEWAL_FIELD:
                if value < -1:
                    problems.append(f"{name} cannot be below -1 (-100 %), not {value}")
            elif value < 0:
                problems.append(f"{name} cannot be negative ({value})")
            elif name in FRACTION_FIELDS and value > 1:
                problems.append(f"{name} is a fraction between 0 and 1, not {value}")
        if problems:
            raise ValueError("; ".join(problems))


@dataclass(frozen=True, slots=True)
class MonthFlow:
    month: int  # 1-based
    benefit: Decimal
    cost: Decimal
    net: Decimal  # benefit - cost
    cumulative: Decimal  # net of months 1..month


@dataclass(frozen=True, slots=True)
class Estimate:
    total_benefit: Decimal
    total_cost: Decimal
    net_benefit: Decimal
    roi: Decimal | None  # net_benefit / total_cost; None when nothing is spent
    payback_month: int | None  # None: no payback within the horizon
    months: tuple[MonthFlow, ...]


def monthly_benefit_at_full_strength(a: Assumptions) -> Decimal:
    """benefit(m) before the ramp-up factor, in money per month."""
    with localcontext(_CONTEXT):
        return (
            a.hours_saved_per_month * a.loaded_hourly_rate
            + a.sessions_per_month * a.conversion_rate_lift * a.average_order_value * a.gross_margin
            + a.costs_avoided_per_month
        )


def one_off_cost(a: Assumptions) -> Decimal:
    """The costs paid once, in month 1, in money."""
    with localcontext(_CONTEXT):
        return (
            a.integration_one_off
            + a.training_hours * a.training_hourly_rate
            + a.training_fees
            + a.data_preparation_one_off
        )


def first_year_cost(per_month: Decimal, one_off: Decimal) -> Decimal:
    """What a tool costs in its first 12 months, in money: twelve months of its recurring
    costs and its one-off costs (the yearly renewal change starts in month 13)."""
    with localcontext(_CONTEXT):
        return per_month * 12 + one_off


def estimate(a: Assumptions) -> Estimate:
    """Monthly flows and totals over the horizon, by the definitions in the module
    docstring."""
    with localcontext(_CONTEXT):
        full_benefit = monthly_benefit_at_full_strength(a)
        recurring_base = (
            a.seats * a.price_per_seat_per_month
            + a.flat_fee_per_month
            + a.privacy_compliance_per_month
        )
        one_off = one_off_cost(a)
        renewal = ONE + a.yearly_renewal_change

        months: list[MonthFlow] = []
        total_benefit = total_cost = cumulative = ZERO
        payback_month: int | None = None
        for m in range(1, a.horizon_months + 1):
            if 0 < m < a.ramp_up_months:
                # Multiply first: exact whenever the quotient fits in 28 digits (9000 × 2 / 3).
                benefit = full_benefit * m / a.ramp_up_months
            else:
                benefit = full_benefit
            year = (m - 1) // 12
            # Year 0 skips the power: Decimal(0) ** 0 is undefined (a -100 % renewal change).
            cost = recurring_base * renewal**year if year else recurring_base
            if m == 1:
                cost += one_off
            net = benefit - cost
            total_benefit += benefit
            total_cost += cost
            cumulative += net
            if payback_month is None and cumulative >= 0 and total_benefit > 0:
                payback_month = m
            months.append(MonthFlow(m, benefit, cost, net, cumulative))

        roi = cumulative / total_cost if total_cost else None
        return Estimate(
            total_benefit=total_benefit,
            total_cost=total_cost,
            net_benefit=cumulative,
            roi=roi,
            payback_month=payback_month,
            months=tuple(months),
        )


class ScenarioName(StrEnum):
    CONSERVATIVE = "conservative"
    EXPECTED = "expected"
    OPTIMISTIC = "optimistic"


def _scaled(a: Assumptions, name: str, factor: Decimal) -> Decimal:
    """Field `name` of `a` times `factor`, kept within the field's valid range."""
    with localcontext(_CONTEXT):
        value: Decimal = getattr(a, name) * factor
    if name in FRACTION_FIELDS:
        return min(value, ONE)
    if name == RENEWAL_FIELD:
        return max(value, -ONE)
    return value


def _with_values(a: Assumptions, values: Mapping[str, Decimal]) -> Assumptions:
    """`a` with some Decimal fields replaced, validated again."""
    changes: dict[str, Any] = dict(values)  # field names are checked by replace() at run time
    return replace(a, **changes)


def _check_fraction(name: str, value: Decimal) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a Decimal between 0 and 1, not {value!r}")


def scenarios(
    expected: Assumptions,
    conservative: Assumptions | None = None,
    optimistic: Assumptions | None = None,
    spread: Decimal = Decimal("0.3"),
) -> dict[ScenarioName, Estimate]:
    """Estimates for the three scenarios, conservative first. A scenario not given is
    derived from `expected` by multiplying each of BENEFIT_DRIVERS by (1 - spread) or
    (1 + spread), costs unchanged; the conversion-rate lift is capped at 1. Revenue uplift
    is sessions × lift, so it moves by (1 ± spread)²."""
    _check_fraction("spread", spread)
    if conservative is None:
        conservative = _with_values(
            expected, {n: _scaled(expected, n, ONE - spread) for n in BENEFIT_DRIVERS}
        )
    if optimistic is None:
        optimistic = _with_values(
            expected, {n: _scaled(expected, n, ONE + spread) for n in BENEFIT_DRIVERS}
        )
    return {
        ScenarioName.CONSERVATIVE: estimate(conservative),
        ScenarioName.EXPECTED: estimate(expected),
        ScenarioName.OPTIMISTIC: estimate(optimistic),
    }


@dataclass(frozen=True, slots=True)
class Sensitivity:
    """The ROI with one assumption at × (1 - delta) (`roi_low`) and at × (1 + delta)
    (`roi_high`); for a cost, roi_low is the better ROI. `swing` = |roi_high - roi_low|,
    0 when either ROI is None."""

    assumption: str  # an Assumptions field name, one of SENSITIVITY_FIELDS
    roi_low: Decimal | None
    roi_high: Decimal | None
    swing: Decimal


def sensitivity(a: Assumptions, delta: Decimal = Decimal("0.2")) -> list[Sensitivity]:
    """One assumption at a time: each non-zero Decimal field (int fields and zero fields
    are skipped) moved by ∓ delta, fractions capped at 1 (gross_margin 0.9 × 1.2 = 1) and
    the renewal change kept >= -1. Sorted by swing, largest first, then by field name."""
    _check_fraction("delta", delta)
    rows: list[Sensitivity] = []
    for name in SENSITIVITY_FIELDS:
        if not getattr(a, name):
            continue
        low = estimate(_with_values(a, {name: _scaled(a, name, ONE - delta)})).roi
        high = estimate(_with_values(a, {name: _scaled(a, name, ONE + delta)})).roi
        with localcontext(_CONTEXT):
            swing = abs(high - low) if low is not None and high is not None else ZERO
        rows.append(Sensitivity(name, low, high, swing))
    rows.sort(key=lambda row: (-row.swing, row.assumption))
    return rows
