"""The recommendation a done Fit gives for its version's quarter as planned now, with
what the page shows of it: shared by the page, the what-if fragment and applying it."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from crewplan.lib.money import decimals
from crewplan.measure import optimize_messages
from crewplan.optimize import document
from crewplan.optimize.allocate import Allocation, AllocationError
from crewplan.optimize.curves import ChannelCurve
from crewplan.optimize.fit import Reason
from crewplan.reallocation import messages
from crewplan.reallocation.curve_chart import CurveChart, curve_chart
from crewplan.reallocation.models import Fit
from crewplan.reallocation.queries import QuarterPlan, quarter_plan
from crewplan.reallocation.recommend import NO_CHANGE, WhatIf, planned_curves, recommend
from crewplan.reallocation.split import by_days


@dataclass
class ChannelRow:
    name: str
    status: str
    reason: str  # why the data cannot judge it and what would fix it ("" when judged)
    current: Decimal  # over the remaining months
    recommended: Decimal
    change: Decimal
    expected_weekly: float
    marginal_return: float
    extrapolated: bool
    roi: float | None
    roi_low: float | None
    roi_high: float | None
    roi_known: bool | None  # False: the ROI interval is too wide to act on (moved in range)
    chart: CurveChart | None


@dataclass
class Recommendation:
    plan: QuarterPlan
    curves: tuple[ChannelCurve, ...]
    allocation: Allocation | None
    refusal: str  # why the what-if cannot be met ("" when it can)
    rows: list[ChannelRow]
    unfitted: list[str]  # planned channels the data has no spend of
    weeks: float  # weeks in the remaining months

    def quarter_total(self, weekly: float | None) -> Decimal | None:
        if weekly is None:
            return None
        return Decimal(repr(round(weekly * self.weeks, 2)))

    @property
    def judged(self) -> list[str]:
        return [r.name for r in self.rows if r.status == "ok"]

    @property
    def held(self) -> list[str]:
        """The fitted channels the data cannot judge (kept at their plan)."""
        return [r.name for r in self.rows if r.status != "ok"]

    @property
    def gain(self) -> Decimal | None:
        a = self.allocation
        return self.quarter_total(a.gain) if a is not None else None

    @property
    def gain_low(self) -> Decimal | None:
        return self.quarter_total(self.allocation.gain_low) if self.allocation else None

    @property
    def gain_high(self) -> Decimal | None:
        return self.quarter_total(self.allocation.gain_high) if self.allocation else None

    @property
    def expected(self) -> Decimal | None:
        return self.quarter_total(self.allocation.expected) if self.allocation else None

    @property
    def current_expected(self) -> Decimal | None:
        return self.quarter_total(self.allocation.current_expected) if self.allocation else None


def _reason(curve: ChannelCurve, judged: dict[str, Reason]) -> str:
    if curve.status == "ok":
        return ""
    reason = judged.get(curve.name, Reason(curve.reason or "unknown"))
    return optimize_messages.channel_reason(reason)


def recommendation(fit: Fit, today: date, what_if: WhatIf = NO_CHANGE) -> Recommendation:
    """What `fit` recommends for its version's quarter as planned on `today`."""
    plan = quarter_plan(fit.version, fit.quarter, today)
    loaded = document.load(fit.curves)
    curves = planned_curves(loaded.channels, plan.weekly())
    judged = {
        item["name"]: Reason(item["code"], item.get("params", {}))
        for item in loaded.fit.get("not_judged", [])
    }
    observed = loaded.fit.get("observed", {})
    days = plan.days
    allocation, refusal = None, ""
    if plan.months:
        try:
            allocation = recommend(curves, what_if)
        except AllocationError as error:
            refusal = messages.refusal(error)
    places = decimals(fit.workspace.currency)
    rows = []
    spends = {c.name: c for c in allocation.channels} if allocation else {}
    for curve in curves:
        now = plan.channels[curve.name].total if curve.name in plan.channels else Decimal(0)
        spent = spends.get(curve.name)
        weekly_rec = spent.spend if spent else (curve.current or 0.0)
        recommended = sum(by_days(weekly_rec, days, places), Decimal(0)) if spent else now
        if curve.status != "ok":
            recommended = now  # held: its lines are left as they are
        rows.append(
            ChannelRow(
                name=curve.name,
                status=curve.status,
                reason=_reason(curve, judged),
                current=now,
                recommended=recommended,
                change=recommended - now,
                expected_weekly=spent.expected if spent else 0.0,
                marginal_return=spent.marginal_return if spent else 0.0,
                extrapolated=spent.extrapolated if spent else False,
                roi=curve.roi,
                roi_low=curve.roi_low,
                roi_high=curve.roi_high,
                roi_known=curve.roi_known,
                chart=curve_chart(
                    curve.response, observed.get(curve.name, []), curve.current or 0.0, weekly_rec
                )
                if curve.status == "ok"
                else None,
            )
        )
    fitted = {c.name for c in curves}
    return Recommendation(
        plan=plan,
        curves=curves,
        allocation=allocation,
        refusal=refusal,
        rows=rows,
        unfitted=[name for name in plan.channels if name not in fitted],
        weeks=sum(days) / 7,
    )
