"""The few judgements the report's money sections add to the Results pages' figures
(pure, no Django): a KPI's verdict for the quarter, the budget lines off their pace, and
an AI tool's quarters against its conservative case.

Every figure judged here was computed by the Results pages' own cores
(`measure/kpi_values.py`, `measure/pacing.py`, `measure/realized.py`); this module only
sorts them.

- KPI verdict: with a quarter target, the quarter's achievement decides; otherwise the
  latest month of the quarter that has both a target and an actual. "achieved" at
  100 % or more (the achievement is already direction-aware), "missed" below,
  "no_actual" with a target but no actual to compare, "no_target" without any target
  in the quarter.
- Off pace: the workspace has no threshold of its own for a line's variance
  (`BudgetSettings` holds the health check's thresholds only), so the pacing bands of
  `measure/pacing.py` are the threshold: a line outside ±5 % of its pace is listed,
  "amber" up to ±10 %, "red" beyond; "over" when it spends faster than time passes.
- Tool quarters: `realized.py` flags two *reviewed months* in a row below the
  conservative scenario. A quarter is judged the same way on its sums: a quarter is
  below conservative when it has reviewed months, each with a conservative figure
  (inside the estimate's horizon), and their realized net adds up to less than the
  conservative scenario's net for the same months of use. A tool is flagged for
  replacement when the quarter and the one before are both below.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ACHIEVED, MISSED, NO_ACTUAL, NO_TARGET = "achieved", "missed", "no_actual", "no_target"
VERDICTS = (ACHIEVED, MISSED, NO_ACTUAL, NO_TARGET)
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class Judged:
    """One period's target, actual and achievement (percent, direction-aware)."""

    target: Decimal | None
    actual: Decimal | None
    achieved: Decimal | None


def kpi_verdict(quarter: Judged | None, months: Sequence[Judged]) -> tuple[str, Decimal | None]:
    """The KPI's verdict for the quarter and the achievement it rests on (see the module)."""
    if quarter is not None and quarter.target is not None:
        if quarter.achieved is None:
            return NO_ACTUAL, None
        return (ACHIEVED if quarter.achieved >= HUNDRED else MISSED), quarter.achieved
    targeted = [m for m in months if m.target is not None]
    if not targeted:
        return NO_TARGET, None
    judged = [m for m in targeted if m.achieved is not None]
    if not judged:
        return NO_ACTUAL, None
    last = judged[-1].achieved
    assert last is not None
    return (ACHIEVED if last >= HUNDRED else MISSED), last


def verdict_counts(verdicts: Iterable[str]) -> dict[str, int]:
    counts = dict.fromkeys(VERDICTS, 0)
    for verdict in verdicts:
        counts[verdict] += 1
    return counts


@dataclass(frozen=True, slots=True)
class OffPace:
    key: str
    band: str  # "amber" | "red"
    direction: str  # "over" | "under"


def off_pace(paced: Iterable[tuple[str, str, Decimal | None]]) -> list[OffPace]:
    """(key, pacing status, pacing) of lines → those outside the green band, red first."""
    found = [
        OffPace(key, status, "over" if pacing > 1 else "under")
        for key, status, pacing in paced
        if status in ("amber", "red") and pacing is not None
    ]
    return sorted(found, key=lambda o: o.band != "red")


@dataclass(frozen=True, slots=True)
class ReviewedMonth:
    """A realized month as `realized.py` computed it."""

    month: date
    cost: Decimal
    net: Decimal
    conservative: Decimal | None  # the conservative scenario's net, None past the horizon


@dataclass(frozen=True, slots=True)
class QuarterResult:
    months: int  # reviewed months in the quarter
    cost: Decimal
    net: Decimal
    roi: Decimal | None  # net ÷ cost, a fraction
    conservative: Decimal | None  # Σ conservative net, None unless every month has one
    below: bool


def quarter_result(reviewed: Sequence[ReviewedMonth], months: Sequence[date]) -> QuarterResult:
    """The tool's reviewed months that fall in `months` (a quarter's first days), summed."""
    inside = [r for r in reviewed if r.month in set(months)]
    cost = sum((r.cost for r in inside), ZERO)
    net = sum((r.net for r in inside), ZERO)
    scenario: Decimal | None = None
    if inside and all(r.conservative is not None for r in inside):
        scenario = sum((r.conservative or ZERO for r in inside), ZERO)
    return QuarterResult(
        months=len(inside),
        cost=cost,
        net=net,
        roi=net / cost if cost else None,
        conservative=scenario,
        below=scenario is not None and net < scenario,
    )


def flagged_for_replacement(
    reviewed: Sequence[ReviewedMonth], quarters: Mapping[str, Sequence[date]]
) -> tuple[bool, dict[str, QuarterResult]]:
    """Each quarter's result (`quarters`: label → its months, the earlier first) and
    whether every one of them is below conservative (two quarters: two in a row)."""
    results = {label: quarter_result(reviewed, months) for label, months in quarters.items()}
    return bool(results) and all(r.below for r in results.values()), results
