"""The week-by-week plan the reallocation page shows under the recommendation
(optimize/flight.py through recommend.week_plan): each judged channel's spend in each
remaining week of the quarter (the Mondays in the remaining months, from this week on),
the same weekly total as the recommendation, with the carry-over in from the imported
weeks (the fit's `recent_spend`) and the carry-over out of the quarter counted or not.
Also the page's CSV download of it (lib/tables). No queries: it works on what the
recommendation has read."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from crewplan.lib.tables import Table
from crewplan.optimize.allocate import AllocationError, extrapolated
from crewplan.optimize.flight import FlightPlan, steady_channels
from crewplan.reallocation import messages
from crewplan.reallocation.recommend import WhatIf, week_plan
from crewplan.reallocation.results import Recommendation
from crewplan.reallocation.split import plan_mondays


@dataclass
class WeekRow:
    monday: date
    spend: list[Decimal]  # per channel, in WeekPlan.names' order
    extrapolated: list[bool]  # that week's spend outside the channel's observed range
    total: Decimal
    expected: float  # the week's expected outcome, every channel

    @property
    def cells(self) -> list[tuple[Decimal, bool]]:
        return list(zip(self.spend, self.extrapolated, strict=True))


@dataclass
class WeekPlan:
    names: list[str] = field(default_factory=list)
    rows: list[WeekRow] = field(default_factory=list)
    credited: bool = True
    refusal: str = ""  # why there is no plan ("" when there is one)
    plan: FlightPlan | None = None
    steady: list[str] = field(default_factory=list)  # S-shaped: the same spend every week

    @property
    def any_extrapolated(self) -> bool:
        return any(any(r.extrapolated) for r in self.rows)

    def table(self) -> Table:
        columns = [_("Week"), *self.names, _("Total"), _("Expected outcome")]
        rows: list[Sequence[date | Decimal | str]] = [
            [r.monday, *r.spend, r.total, Decimal(round(r.expected))] for r in self.rows
        ]
        return Table(title=_("Week by week"), columns=columns, rows=list(rows))


def week_plan_of(
    found: Recommendation,
    history: Mapping[str, Sequence[float]],
    what_if: WhatIf,
    today: date,
    *,
    credit_carryover: bool,
    places: int,
) -> WeekPlan:
    """The plan for the recommendation's quarter as `found` read it."""
    plan = found.plan
    mondays = plan_mondays(plan.months, plan.month_starts, plan.days, today)
    if not mondays or not found.judged or found.allocation is None:
        return WeekPlan(credited=credit_carryover)
    try:
        flight = week_plan(
            found.curves,
            what_if,
            len(mondays),
            history=history,
            credit_carryover=credit_carryover,
        )
    except AllocationError as error:
        return WeekPlan(credited=credit_carryover, refusal=messages.refusal(error))
    steady = steady_channels(found.curves)
    unit = Decimal(1).scaleb(-places)
    curves = {c.name: c for c in found.curves}
    rows = []
    for week, monday in enumerate(mondays):
        spend = [
            Decimal(repr(flight.spend[i][week])).quantize(unit, rounding=ROUND_HALF_UP)
            for i in range(len(flight.names))
        ]
        rows.append(
            WeekRow(
                monday=monday,
                spend=spend,
                extrapolated=[
                    curves[name].status == "ok"
                    and extrapolated(curves[name], flight.spend[i][week])
                    for i, name in enumerate(flight.names)
                ],
                total=sum(spend, Decimal(0)),
                expected=sum(flight.expected[i][week] for i in range(len(flight.names))),
            )
        )
    return WeekPlan(list(flight.names), rows, credit_carryover, "", flight, steady)
