"""Reads of the results dashboards, in a fixed number of queries whatever the amount of
data: a budget version's lines as `pacing.LineInput`s, and channel and campaign sums as
`channel_metrics.Sums` (the database adds the hundredths up; Python only pairs them)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import BigIntegerField, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from crewplan.measure.actuals import version_actuals
from crewplan.measure.channel_metrics import Bounds, Sums
from crewplan.measure.models import Channel, DailyMetric
from crewplan.measure.pacing import LineInput
from crewplan.planning.budget.queries import load_plan
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.workspaces.models import Workspace


@dataclass(frozen=True, slots=True)
class PlanLine:
    """A line of the plan with what the page filters and hides it by."""

    input: LineInput
    pk: int
    owner_id: int | None
    channel_id: int | None


def plan_lines(version: BudgetVersion) -> list[PlanLine]:
    """The version's lines in plan order, with their actuals (`version_actuals`)."""
    plan = load_plan(version).plan
    actuals = version_actuals(version)
    extra = {
        pk: (committed, owner_id, channel_id)
        for pk, committed, owner_id, channel_id in BudgetLine.objects.for_workspace(
            version.workspace
        )
        .filter(version=version)
        .values_list("pk", "committed", "owner_id", "channel_id")
    }
    found = []
    for line in plan.lines:
        pk = int(line.key)
        committed, owner_id, channel_id = extra[pk]
        found.append(
            PlanLine(
                LineInput(
                    line.key, line.category, line.item, line.amounts, committed, actuals.of(pk)
                ),
                pk,
                owner_id,
                channel_id,
            )
        )
    return found


SUMMED = ("spend_x100", "revenue_x100", "conversions_x100", "clicks", "impressions")


def _new_customers() -> Any:
    """The `new_customers` extra of each row as an integer: NULL where a row has none, so
    the sum is NULL (unknown) when no row of the group reports it."""
    return Cast(KeyTextTransform("new_customers", "extras"), BigIntegerField())


def grouped_sums(
    workspace: Workspace, bounds: Bounds, group: str, **filters: Any
) -> dict[int, tuple[Sums, Sums]]:
    """Per `group` ("channel_id" or "campaign_id"): the sums of the period and of the one
    before, in one query."""
    periods = {
        "now": Q(day__gte=bounds.first, day__lte=bounds.last),
        "before": Q(day__gte=bounds.before_first, day__lte=bounds.before_last),
    }
    sums = {
        f"{tag}_{name}": Sum(name, filter=when) for tag, when in periods.items() for name in SUMMED
    } | {f"{tag}_new": Sum(_new_customers(), filter=when) for tag, when in periods.items()}
    rows = (
        _metrics(workspace, bounds.before_first, bounds.last, **filters)
        .values(group)
        .annotate(**sums)
    )
    return {row[group]: (_sums_of(row, "now"), _sums_of(row, "before")) for row in rows}


def _sums_of(row: dict[str, Any], tag: str) -> Sums:
    return Sums(
        *(int(row[f"{tag}_{name}"] or 0) for name in SUMMED),
        new_customers_x100=int(row[f"{tag}_new"]) if row[f"{tag}_new"] is not None else None,
    )


def daily_sums(
    workspace: Workspace, bounds: Bounds, **filters: Any
) -> list[tuple[date, int, int, int]]:
    """(day, channel id, spend, revenue in hundredths) of the period, by day and channel."""
    rows = (
        _metrics(workspace, bounds.first, bounds.last, **filters)
        .values_list("day", "channel_id")
        .annotate(spend=Sum("spend_x100"), revenue=Sum("revenue_x100"))
        .order_by("day", "channel_id")
    )
    return [
        (day, channel, int(spend or 0), int(revenue or 0)) for day, channel, spend, revenue in rows
    ]


def _metrics(
    workspace: Workspace, first: date, last: date, **filters: Any
) -> QuerySet[DailyMetric]:
    return (
        DailyMetric.objects.for_workspace(workspace)
        .filter(day__gte=first, day__lte=last, **filters)
        .order_by()
    )


def channels_of(workspace: Workspace) -> list[Channel]:
    return list(Channel.objects.for_workspace(workspace))


def to_decimal(value: int) -> Decimal:
    return Decimal(value) / 100
