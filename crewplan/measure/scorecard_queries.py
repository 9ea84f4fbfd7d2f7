"""The work items of a scorecard period and the one before it, with their transitions,
responsible people, teams, functions and the working calendar, as the pure core
`measure/scorecards.py` takes them: 8 queries whatever the number of items."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from crewplan.measure import scorecards
from crewplan.measure.scorecards import ItemHistory, Period, Step, TeamRef, WorkingCalendar
from crewplan.work.models import Transition, WorkItem
from crewplan.work.queries import calendar_days, day_bounds
from crewplan.work.roles import RoleBook, role_book
from crewplan.workspaces.models import Team, Workspace

PUBLISHED = "published"


def _team(book: RoleBook, responsible: int | None) -> TeamRef | None:
    member = book.members.get(responsible or 0)
    if member is None:
        return None
    team = member.team
    kind = scorecards.EXTERNAL if team.kind == Team.Kind.EXTERNAL else scorecards.INTERNAL
    return TeamRef(team.pk, team.name, kind)


def period_items(workspace: Workspace, first: date, last: date) -> list[ItemHistory]:
    """Items planned to publish from `first` to `last` (days in the active time zone,
    the workspace's in its requests), or, without a planned time, published then. An
    item's responsible person is the R (from the RACI and its overrides) with the
    lowest membership id: with several Rs the item counts once, for that person's
    team. 7 queries (items, transitions, those of `role_book`)."""
    start, end = day_bounds(first, last)
    in_span = Q(publish_at__gte=start, publish_at__lt=end) | Q(
        publish_at__isnull=True,
        transitions__to_state=PUBLISHED,
        transitions__at__gte=start,
        transitions__at__lt=end,
    )
    items = list(
        WorkItem.objects.for_workspace(workspace)
        .filter(in_span)
        .distinct()
        .select_related("activity__function")
        .order_by("pk")
    )
    steps: dict[int, list[Step]] = {item.pk: [] for item in items}
    transitions = (
        Transition.objects.for_workspace(workspace)
        .filter(item__in=WorkItem.objects.for_workspace(workspace).filter(in_span).values("pk"))
        .order_by("at", "pk")
        .values_list("item_id", "action", "to_state", "at")
    )
    for item_id, action, to_state, at in transitions:
        if item_id in steps:
            steps[item_id].append(Step(action, to_state, at))
    book = role_book(workspace, items)
    result = []
    for item in items:
        responsible = min(book.of(item)["R"], default=None)
        published = [s.at for s in steps[item.pk] if s.to_state == PUBLISHED]
        result.append(
            ItemHistory(
                id=item.pk,
                team=_team(book, responsible),
                function=item.activity.function.name if item.activity else "",
                responsible=responsible,
                publish_at=item.publish_at,
                published_at=published[0] if published else None,
                steps=tuple(steps[item.pk]),
            )
        )
    return result


def working_calendar(items: list[ItemHistory], period: Period) -> WorkingCalendar:
    """Taiwan's working days over every step of `items` and both periods, the imported
    official calendar included (1 query), in the active time zone."""
    zone = ZoneInfo(timezone.get_current_timezone_name())
    days = [period.before().start, period.end]
    days += [step.at.astimezone(zone).date() for item in items for step in item.steps]
    return scorecards.taiwan_calendar(zone, calendar_days(min(days), max(days)))


def team_scorecards(
    workspace: Workspace, period: Period, now: datetime | None = None
) -> scorecards.Scorecards:
    """The scorecards of `period` (and the period before it) at `now` (default: now).
    8 queries."""
    items = period_items(workspace, period.before().start, period.end)
    calendar = working_calendar(items, period)
    return scorecards.scorecards(items, calendar, period, now or timezone.now())
