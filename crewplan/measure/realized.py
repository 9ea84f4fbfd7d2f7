"""What an AI tool really brought, month by month, against its ROI estimate (pure, no
Django).

Units. Money is Decimal in the workspace currency's major unit; fractions are Decimals
between 0 and 1 (as in `planning/tools/roi.py`). Month 1 of the estimate is the tool's
first reviewed month: the estimate has no calendar, and the first review is when people
started to report on it.

For each reviewed month:

- cost = what the tool's budget lines spent that month (their actuals: imported spend
  and expenses, `measure/actuals.py`); the first reviewed month also carries what they
  spent before it in its fiscal year (the set-up paid before people started reporting:
  the estimate counts one-off costs in month 1 too, so leaving them out would make
  month 1 beat every scenario by the one-off; `measure/tool_queries.py` sums them);
- hours benefit = hours_saved (as the review reports them) × the estimate's loaded
  hourly rate;
- uplift benefit, only when the estimate counted an uplift (sessions × lift > 0): the
  estimate says every session converts `conversion_rate_lift` more often, so of the
  orders the linked channels brought, the share the lift accounts for is
  uplift share = conversion_rate_lift ÷ realized conversion rate (conversions ÷ sessions
  of those channels that month), at most 1; uplift benefit = revenue of those channels ×
  uplift share × the estimate's gross margin (the extra gross profit, as the estimate
  counts it). No sessions or no conversions imported: no uplift benefit that month;
- benefit = hours benefit + uplift benefit; net = benefit − cost; ROI = net ÷ cost, None
  when nothing was spent.

Comparison: a month's net against the net each scenario (conservative, expected,
optimistic) estimated for the same month of use (None past the estimate's horizon).
A month is *below conservative* when its net is below the conservative scenario's; the
tool is *flagged* when two reviews in a row are below conservative. A *small win* is a
review whose net beat the expected scenario's.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crewplan.planning.tools.roi import Estimate, ScenarioName

ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True, slots=True)
class Expectation:
    """The parts of a tool's ROI estimate the realized benefit is valued with."""

    loaded_hourly_rate: Decimal  # money per hour
    conversion_rate_lift: Decimal  # fraction: 0.002 = +0.2 percentage points
    gross_margin: Decimal  # fraction
    counts_uplift: bool  # the estimate expected extra orders (sessions × lift > 0)


@dataclass(frozen=True, slots=True)
class MonthFacts:
    """One reviewed month of a tool: what the review and the imports say."""

    month: date  # first day of the month
    hours_saved: Decimal
    cost: Decimal  # money: the tool's budget lines' actuals that month
    revenue: Decimal = ZERO  # money: the linked channels' imported revenue
    conversions: Decimal = ZERO  # the linked channels' conversions
    sessions: Decimal = ZERO  # the linked channels' sessions


@dataclass(frozen=True, slots=True)
class RealizedMonth:
    month: date
    month_of_use: int  # 1-based: the estimate's month this one is compared with
    hours_saved: Decimal
    cost: Decimal
    hours_benefit: Decimal
    uplift_share: Decimal | None  # None: no uplift counted or no data to count it
    uplift_benefit: Decimal
    benefit: Decimal
    net: Decimal
    roi: Decimal | None
    scenario_net: Mapping[ScenarioName, Decimal | None]
    below_conservative: bool
    beat_expected: bool


@dataclass(frozen=True, slots=True)
class Realized:
    """A tool's reviewed months, oldest first, with the totals to date."""

    months: tuple[RealizedMonth, ...]
    cost: Decimal
    benefit: Decimal
    net: Decimal
    roi: Decimal | None
    scenario_net: Mapping[ScenarioName, Decimal]  # Σ over the same months of use
    flagged_months: tuple[date, ...] = field(default=())  # the 2nd of two below in a row

    @property
    def flagged(self) -> bool:
        return bool(self.flagged_months)

    @property
    def small_wins(self) -> tuple[RealizedMonth, ...]:
        return tuple(m for m in self.months if m.beat_expected)


def months_between(first: date, later: date) -> int:
    """Whole calendar months from `first` to `later` (both first days of months)."""
    return (later.year - first.year) * 12 + later.month - first.month


def uplift_share(facts: MonthFacts, expectation: Expectation) -> Decimal | None:
    """The share of the month's orders the estimate's lift accounts for (see the module),
    None when the estimate counts no uplift or the month has no sessions or conversions."""
    if not expectation.counts_uplift or facts.sessions <= 0 or facts.conversions <= 0:
        return None
    rate = facts.conversions / facts.sessions
    return min(expectation.conversion_rate_lift / rate, ONE)


def realized(
    facts: Sequence[MonthFacts],
    expectation: Expectation | None,
    scenarios: Mapping[ScenarioName, Estimate] | None = None,
) -> Realized:
    """The tool's realized months and totals (see the module). Without an expectation
    (no ROI estimate) the benefit cannot be valued: it counts as 0 and nothing is
    compared."""
    ordered = sorted(facts, key=lambda f: f.month)
    scenarios = scenarios or {}
    rows: list[RealizedMonth] = []
    flagged: list[date] = []
    for facts_of_month in ordered:
        row = _month(facts_of_month, ordered[0].month, expectation, scenarios)
        if row.below_conservative and rows and rows[-1].below_conservative:
            flagged.append(row.month)
        rows.append(row)
    cost = sum((r.cost for r in rows), ZERO)
    benefit = sum((r.benefit for r in rows), ZERO)
    return Realized(
        months=tuple(rows),
        cost=cost,
        benefit=benefit,
        net=benefit - cost,
        roi=(benefit - cost) / cost if cost else None,
        scenario_net={
            name: sum((r.scenario_net.get(name) or ZERO for r in rows), ZERO) for name in scenarios
        },
        flagged_months=tuple(flagged),
    )


def _month(
    facts: MonthFacts,
    first: date,
    expectation: Expectation | None,
    scenarios: Mapping[ScenarioName, Estimate],
) -> RealizedMonth:
    month_of_use = months_between(first, facts.month) + 1
    share = uplift_share(facts, expectation) if expectation else None
    hours = facts.hours_saved * expectation.loaded_hourly_rate if expectation else ZERO
    uplift = facts.revenue * share * expectation.gross_margin if share and expectation else ZERO
    benefit = hours + uplift
    net = benefit - facts.cost
    scenario_net: dict[ScenarioName, Decimal | None] = {}
    for name, estimate in scenarios.items():
        flows = estimate.months
        scenario_net[name] = flows[month_of_use - 1].net if month_of_use <= len(flows) else None
    conservative = scenario_net.get(ScenarioName.CONSERVATIVE)
    expected = scenario_net.get(ScenarioName.EXPECTED)
    return RealizedMonth(
        month=facts.month,
        month_of_use=month_of_use,
        hours_saved=facts.hours_saved,
        cost=facts.cost,
        hours_benefit=hours,
        uplift_share=share,
        uplift_benefit=uplift,
        benefit=benefit,
        net=net,
        roi=net / facts.cost if facts.cost else None,
        scenario_net=scenario_net,
        below_conservative=conservative is not None and net < conservative,
        beat_expected=expected is not None and net > expected,
    )
