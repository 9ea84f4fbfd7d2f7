"""Reads of work items for the calendar and the item pages, in a fixed number of queries
whatever the number of items, with the external-team visibility rule applied."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import pgettext

from crewplan.work import calendar_tw, checks, messages
from crewplan.work.checks import claims
from crewplan.work.models import CalendarDay, ItemRole, WorkItem
from crewplan.work.roles import RoleBook, activities_with_role, role_book
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Workspace
from crewplan.workspaces.permissions import Action


def visible_items(
    workspace: Workspace, membership: Membership, book: RoleBook
) -> QuerySet[WorkItem]:
    """The items this person may see: all of them for in-house people (or when the
    workspace lets external teams see all work); otherwise those of activities their
    team holds a role in, those naming them, and those they created."""
    items = WorkItem.objects.for_workspace(workspace)
    if can(membership, Action.VIEW_ALL_WORK):
        return items
    # Plain id lists rather than a subquery: SQLite plans the OR of three IN lists well.
    named = list(
        ItemRole.objects.for_workspace(workspace)
        .filter(membership=membership)
        .values_list("item_id", flat=True)
    )
    return items.filter(
        Q(activity_id__in=sorted(activities_with_role(book, membership)))
        | Q(pk__in=named)
        | Q(created_by_id=membership.user_id)
    )


def local_day(item: WorkItem) -> date | None:
    """The calendar day of an item: its publish time in the workspace's time zone (active
    in every workspace request), else its due date."""
    if item.publish_at is not None:
        return timezone.localtime(item.publish_at).date()
    return item.due_on


def day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


@dataclass(frozen=True)
class Filters:
    team: int | None = None
    channel: str = ""
    function: int | None = None
    state: str = ""


def calendar_items(
    workspace: Workspace,
    membership: Membership,
    first: date,
    last: date,
    filters: Filters,
) -> list[WorkItem]:
    """Visible items whose day falls in first..last, filtered (5 queries)."""
    book = role_book(workspace)
    start, end = day_bounds(first, last)
    items = visible_items(workspace, membership, book).filter(
        Q(publish_at__gte=start, publish_at__lt=end)
        | Q(publish_at__isnull=True, due_on__gte=first, due_on__lte=last)
    )
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.function:
        items = items.filter(activity__function_id=filters.function)
    if filters.state:
        items = items.filter(state=filters.state)
    loaded = list(items.select_related("activity__function"))
    if filters.team:
        team_people = {m.pk for m in book.members.values() if m.team_id == filters.team}
        loaded = [
            item
            for item in loaded
            if any(people & team_people for people in book.of(item).values())
        ]
    return loaded


def calendar_days(first: date, last: date) -> dict[date, calendar_tw.DayInfo]:
    """Holidays and make-up workdays, the imported official calendar overriding the
    holidays package (1 query)."""
    extra = [
        calendar_tw.DayInfo(day=d.day, kind=d.kind, name_zh=d.name, name_en=d.name_en or d.name)
        for d in CalendarDay.objects.filter(day__gte=first, day__lte=last)
    ]
    return calendar_tw.days_between(first, last, extra)


def by_day(items: Iterable[WorkItem]) -> dict[date, list[WorkItem]]:
    days: dict[date, list[WorkItem]] = {}
    for item in items:
        day = local_day(item)
        if day is not None:
            days.setdefault(day, []).append(item)
    return days


@dataclass(frozen=True)
class ClaimKind:
    """One kind of built-in risky claim, as the rules page shows it."""

    code: str
    label: str
    law: str
    severity: str
    examples: list[str]


def claim_kinds(rules: checks.Rules) -> list[ClaimKind]:
    """The built-in claim kinds with the rule and severity for the workspace's product
    category, and a few example words of each, in the active language."""
    separator = pgettext("list separator", ", ")
    rows = []
    for kind in claims.KINDS:
        label = messages.claim_kind_label(kind)
        law = messages.law_label(claims.law(kind, rules.product_category))
        groups = [separator.join(words) + "…" for words in claims.examples(kind)]
        rows.append(
            ClaimKind(kind, label, law, claims.severity(kind, rules.product_category), groups)
        )
    return rows
