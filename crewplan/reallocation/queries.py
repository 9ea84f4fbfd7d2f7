"""Reads of the reallocation page: a version's media plan for a quarter's remaining
months per channel, a digest of the version (to refuse applying over a change), the
fits and the lift tests. A fixed number of queries whatever the plan's size."""

import calendar
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from crewplan.measure.actuals import fiscal_months
from crewplan.planning.budget.queries import MONTH_FIELDS
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.reallocation.models import Fit, LiftTest
from crewplan.reallocation.split import remaining_months, weekly
from crewplan.workspaces.models import Workspace


@dataclass
class ChannelPlan:
    name: str
    channel_id: int
    lines: dict[int, list[Decimal]] = field(default_factory=dict)  # line pk -> 12 months
    total: Decimal = Decimal(0)  # over the remaining months


@dataclass
class QuarterPlan:
    """The media lines of a version for the remaining months of one quarter."""

    version: BudgetVersion
    quarter: int
    months: list[int]  # fiscal months 1–12 not over yet
    month_starts: tuple[date, ...]
    channels: dict[str, ChannelPlan]

    @property
    def days(self) -> list[int]:
        return [
            calendar.monthrange(self.month_starts[m - 1].year, self.month_starts[m - 1].month)[1]
            for m in self.months
        ]

    def weekly(self) -> dict[str, float]:
        """Each channel's planned weekly spend over the remaining months."""
        days = sum(self.days)
        return {name: weekly(plan.total, days) for name, plan in self.channels.items()}

    def total(self) -> Decimal:
        return sum((p.total for p in self.channels.values()), Decimal(0))


def quarter_plan(version: BudgetVersion, quarter: int, today: date) -> QuarterPlan:
    """One query."""
    workspace = version.workspace
    starts = fiscal_months(version.fiscal_year, workspace.fiscal_year_start_month)
    months = remaining_months(quarter, starts, today)
    channels: dict[str, ChannelPlan] = {}
    rows = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version, category=BudgetLine.CategoryChoices.MEDIA, channel__isnull=False)
        .order_by("position", "pk")
        .values_list("pk", "channel_id", "channel__name", *MONTH_FIELDS)
    )
    for pk, channel_id, name, *amounts in rows:
        plan = channels.setdefault(name, ChannelPlan(name, channel_id))
        plan.lines[pk] = list(amounts)
        plan.total += sum((amounts[m - 1] for m in months), Decimal(0))
    return QuarterPlan(version, quarter, months, starts, channels)


def version_stamp(version: BudgetVersion) -> str:
    """A digest of the version's lines (ids and revisions): any saved change alters it.
    One query."""
    pairs = (
        BudgetLine.objects.for_workspace(version.workspace)
        .filter(version=version)
        .order_by("pk")
        .values_list("pk", "revision")
    )
    return hashlib.sha256(repr(list(pairs)).encode()).hexdigest()


def fits_of(version: BudgetVersion, quarter: int) -> list[Fit]:
    return list(
        Fit.objects.for_workspace(version.workspace)
        .filter(version=version, quarter=quarter)
        .select_related("created_by")[:5]
    )


def lift_tests_of(workspace: Workspace) -> list[LiftTest]:
    """Every lift test of the workspace, the latest first. One query."""
    return list(LiftTest.objects.for_workspace(workspace).select_related("channel", "created_by"))
