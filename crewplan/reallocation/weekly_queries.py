"""The weekly table a fit reads, from the imported daily figures, in a constant number of
queries whatever the amount of data (the database adds the hundredths up per day and
channel; Python only puts the days into weeks, exactly, in integers).

A week is an ISO week: Monday to Sunday of the workspace's calendar (the imported days
are already the workspace's dates). Only whole weeks count: the first and last weeks of
the data are dropped when some of their days have no figures yet. Each paid channel with
spend is a column of weekly spend; the outcome is the weekly revenue (or conversions) of
the channels chosen as its source, every channel by default; Taiwan's weekday holidays
are a control. `as_csv()` is that table as the DATA.csv `crewplan fit` reads, so the
command and the page fit the same numbers."""

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Max, Min, Sum

from crewplan.measure.models import Channel, DailyMetric
from crewplan.measure.values import from_x100
from crewplan.optimize.weekly_file import CONTROL_PREFIX, TAIWAN_HOLIDAYS, taiwan_holidays
from crewplan.workspaces.models import Workspace

MAX_WEEKS = 156  # three years: older weeks say little about next quarter
OUTCOME_FIELDS = {"revenue": "revenue_x100", "conversions": "conversions_x100"}


@dataclass(frozen=True)
class WeeklyTable:
    weeks: tuple[date, ...]  # the Mondays
    outcome: tuple[Decimal, ...]
    spend: dict[str, tuple[Decimal, ...]]  # paid channel name -> weekly spend
    channel_ids: dict[str, int]  # paid channel name -> id
    holidays: tuple[float, ...]  # Monday–Friday days off per week (a control)

    def floats(self) -> tuple[dict[str, list[float]], list[float], dict[str, list[float]]]:
        """spend, outcome and controls as the fit takes them."""
        spend = {name: [float(v) for v in values] for name, values in self.spend.items()}
        return spend, [float(v) for v in self.outcome], {TAIWAN_HOLIDAYS: list(self.holidays)}

    def as_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        names = list(self.spend)
        writer.writerow(["week", "outcome", *names, CONTROL_PREFIX + TAIWAN_HOLIDAYS])
        for i, week in enumerate(self.weeks):
            writer.writerow(
                [
                    week.isoformat(),
                    self.outcome[i],
                    *(self.spend[n][i] for n in names),
                    f"{self.holidays[i]:g}",
                ]
            )
        return out.getvalue().encode("utf-8")

    @property
    def stamp(self) -> str:
        """A digest of the table: the fit was made on exactly these numbers."""
        return hashlib.sha256(self.as_csv()).hexdigest()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _whole_weeks(first: date, last: date) -> list[date]:
    start = first if first.weekday() == 0 else monday(first) + timedelta(days=7)
    end = monday(last) if last.weekday() == 6 else monday(last) - timedelta(days=7)
    weeks = []
    while start <= end:
        weeks.append(start)
        start += timedelta(days=7)
    return weeks[-MAX_WEEKS:]


def weekly_table(
    workspace: Workspace, *, outcome: str = "revenue", outcome_channels: Sequence[int] = ()
) -> WeeklyTable:
    """The whole weeks of the workspace's figures (at most MAX_WEEKS, the latest). Four
    queries."""
    field = OUTCOME_FIELDS[outcome]
    rows = DailyMetric.objects.for_workspace(workspace)
    span = rows.aggregate(first=Min("day"), last=Max("day"))
    weeks = _whole_weeks(span["first"], span["last"]) if span["first"] else []
    if not weeks:
        return WeeklyTable((), (), {}, {}, ())
    window = rows.filter(day__gte=weeks[0], day__lte=weeks[-1] + timedelta(days=6))
    at = {week: i for i, week in enumerate(weeks)}
    paid = dict(
        Channel.objects.for_workspace(workspace)
        .filter(kind=Channel.Kind.PAID)
        .values_list("pk", "name")
    )
    spend_x100: dict[int, list[int]] = {}
    for day, channel_id, total in (
        window.filter(channel_id__in=list(paid))
        .values_list("day", "channel_id")
        .annotate(total=Sum("spend_x100"))
    ):
        spend_x100.setdefault(channel_id, [0] * len(weeks))[at[monday(day)]] += total or 0
    sources = window.filter(channel_id__in=list(outcome_channels)) if outcome_channels else window
    outcome_x100 = [0] * len(weeks)
    for day, total in sources.values_list("day").annotate(total=Sum(field)).order_by():
        outcome_x100[at[monday(day)]] += total or 0
    # Paid channels in their own order (Channel.Meta.ordering), those that spent at all.
    names = {pk: paid[pk] for pk in paid if any(spend_x100.get(pk, ()))}
    return WeeklyTable(
        weeks=tuple(weeks),
        outcome=tuple(from_x100(v) for v in outcome_x100),
        spend={name: tuple(from_x100(v) for v in spend_x100[pk]) for pk, name in names.items()},
        channel_ids={name: pk for pk, name in names.items()},
        holidays=taiwan_holidays(tuple(weeks)),
    )
