"""The recommended split of a quarter's remaining media money over the fitted channels'
steady-state curves (optimize/allocate.py). Pure: no Django.

Every amount here is weekly (currency per week), as the curves are; the page turns the
remaining months' totals into weekly amounts by days (split.weekly) and back
(split.by_days). A channel's current weekly spend is the version's plan for those months,
not the fit's recent average: the question is how to move *this* plan's money.

- Channels the data cannot judge (`not_enough_data`) are held at their planned spend.
- A channel without a media line in the version has nothing to move money into: held at 0.
- Default bounds: 0 to MAX_SCALE × the larger of the planned spend and the highest spend the
  curve was observed at (beyond the observed range the allocator marks extrapolation); a
  channel whose ROI the fit reports as not known (`roi_known` false: its return from zero
  was never observed) only within the spend the data saw (the fit's min and max), widened
  to the planned spend.
- What-if: another total, and one channel's minimum and maximum.
- The week-by-week plan (`week_plan`) spends the same weekly total over the remaining
  weeks, with the carry-over in from the imported weeks and out credited or not; the
  channels with an S-shaped curve keep the single-period recommendation every week (the
  week plan is exact for concave curves only).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from crewplan.optimize.allocate import Allocation, AllocationError, allocate
from crewplan.optimize.curves import ChannelCurve
from crewplan.optimize.flight import FlightPlan, flight_plan

MAX_SCALE = 1.5


@dataclass(frozen=True)
class WhatIf:
    budget: float | None = None  # weekly total; None: the plan's
    channel: str = ""  # the channel whose bounds change
    minimum: float | None = None  # weekly
    maximum: float | None = None


NO_CHANGE = WhatIf()


def planned_curves(
    curves: tuple[ChannelCurve, ...], planned: Mapping[str, float]
) -> tuple[ChannelCurve, ...]:
    """The fitted curves with the plan's weekly spend as `current` and the default
    bounds; a channel absent from `planned` (no media line) held at 0."""
    found = []
    for curve in curves:
        if curve.name not in planned:
            found.append(replace(curve, current=0.0, min=0.0, max=0.0))
            continue
        now = float(planned[curve.name])
        if curve.roi_known is False and curve.min is not None and curve.max is not None:
            found.append(
                replace(curve, current=now, min=min(now, curve.min), max=max(now, curve.max))
            )
            continue
        top = MAX_SCALE * max(now, curve.observed_max or 0.0)
        found.append(replace(curve, current=now, min=0.0, max=top))
    return tuple(found)


def recommend(curves: tuple[ChannelCurve, ...], what_if: WhatIf | None = None) -> Allocation:
    """The allocation maximizing the expected weekly outcome (AllocationError when the
    what-if cannot be met: its code and parameters name why)."""
    budget, bounds = _question(curves, what_if or NO_CHANGE)
    return allocate(curves, budget, bounds=bounds)


def week_plan(
    curves: tuple[ChannelCurve, ...],
    what_if: WhatIf,
    weeks: int,
    *,
    history: Mapping[str, Sequence[float]],
    credit_carryover: bool,
) -> FlightPlan:
    """The week-by-week plan of the same weekly total (what_if's or the plan's) over
    `weeks` weeks, with the what-if's bounds each week, the carry-over in from `history`
    (each channel's last weekly spends, oldest first; a channel without any carries its
    planned spend over) and the carry-over out credited or not; the S-shaped channels
    stay at the single-period answer (`flight.steady_channels`). AllocationError as for
    `recommend`."""
    budget, bounds = _question(curves, what_if)
    known = {c.name for c in curves}
    past = {name: list(values) for name, values in history.items() if name in known}
    return flight_plan(
        curves,
        budget * weeks,
        weeks,
        history=past,
        bounds=bounds,
        credit_carryover=credit_carryover,
        hold_s_shaped=True,
    )


def _question(
    curves: tuple[ChannelCurve, ...], what_if: WhatIf
) -> tuple[float, dict[str, tuple[float | None, float | None]] | None]:
    """The weekly budget and the bounds a what-if asks for."""
    budget = what_if.budget if what_if.budget is not None else sum(c.current or 0.0 for c in curves)
    bounds: dict[str, tuple[float | None, float | None]] = {}
    if what_if.channel:
        bounds[what_if.channel] = (what_if.minimum, what_if.maximum)
        known = {c.name: c for c in curves}
        curve = known.get(what_if.channel)
        if curve is not None and curve.status != "ok":
            raise AllocationError(
                "held_channel",
                f"channel {curve.name!r} is held at its plan: the data cannot judge it",
                channel=curve.name,
            )
        if curve is not None and curve.max == 0.0 and (what_if.maximum or 0) > 0:
            raise AllocationError(
                "no_line", f"channel {curve.name!r} has no media line", channel=curve.name
            )
    return budget, bounds or None
