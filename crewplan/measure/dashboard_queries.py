"""Reads of the results dashboards, in a fixed number of queries whatever the amount of
data: a budget version's lines as `pacing.LineInput`s, and channel and campaign sums as
`channel_metrics.Sums` (the database adds the hundredths up; Python only pairs them).
Channel sums come from the per channel and day summary (`ChannelDay`), campaign sums from
the daily rows of the one channel shown."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BigIntegerField, Case, F, Func, QuerySet, Sum, Value, When

from crewplan.measure.actuals import version_actuals
from crewplan.measure.channel_metrics import Bounds, Sums
from crewplan.measure.models import Channel, ChannelDay, DailyMetric
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


class ExtraHundredths(Func):
    """One named extra of a row as an integer (hundredths), NULL where the row has none:
    a plain JSON_EXTRACT on SQLite and `->>` on PostgreSQL, cheaper than the JSON type
    checks Django's key transforms add (they doubled the channel table's time)."""

    output_field = BigIntegerField()

    def __init__(self, name: str) -> None:
        if not name.isidentifier():
            raise ValueError(f"not an extra's name: {name!r}")
        super().__init__(F("extras"))
        self.name = name

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"CAST(JSON_EXTRACT(%(expressions)s, '$.{self.name}') AS INTEGER)",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=f"((%(expressions)s ->> '{self.name}')::numeric)::bigint",
            **extra,
        )


def grouped_sums(
    workspace: Workspace, bounds: Bounds, group: str, **filters: Any
) -> dict[int, tuple[Sums, Sums]]:
    """Per `group` ("channel_id" or "campaign_id"): the sums of the period and of the one
    before, in one query (grouped by `group` and by which period a row falls in: one
    comparison a row instead of two per sum)."""
    before = Case(When(day__lt=bounds.first, then=Value(1)), default=Value(0))
    by_campaign = group != "channel_id"
    rows = (
        _metrics(workspace, bounds.before_first, bounds.last, by_campaign=by_campaign, **filters)
        .annotate(before=before)
        .values(group, "before")
        .annotate(
            **{name: Sum(name) for name in SUMMED},
            new_customers=Sum(ExtraHundredths("new_customers")),
        )
    )
    found: dict[int, list[Sums]] = {}
    for row in rows:
        found.setdefault(row[group], [Sums(), Sums()])[row["before"]] = _sums_of(row)
    return {key: (now, earlier) for key, (now, earlier) in found.items()}


def _sums_of(row: dict[str, Any]) -> Sums:
    def value(name: str) -> int:
        return int(row[name] or 0)

    new = row["new_customers"]
    return Sums(
        spend_x100=value("spend_x100"),
        revenue_x100=value("revenue_x100"),
        conversions_x100=value("conversions_x100"),
        clicks=value("clicks"),
        impressions=value("impressions"),
        new_customers_x100=int(new) if new is not None else None,
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
    workspace: Workspace, first: date, last: date, *, by_campaign: bool = False, **filters: Any
) -> QuerySet[Any]:
    """The rows to sum: the per channel and day sums (`ChannelDay`, a tenth of the rows
    with ten campaigns a channel) unless a campaign is grouped by or filtered on."""
    rows: QuerySet[Any] = (
        DailyMetric.objects.for_workspace(workspace)
        if by_campaign or "campaign" in filters
        else ChannelDay.objects.for_workspace(workspace)
    )
    return rows.filter(day__gte=first, day__lte=last, **filters).order_by()


def channels_of(workspace: Workspace) -> list[Channel]:
    return list(Channel.objects.for_workspace(workspace))
