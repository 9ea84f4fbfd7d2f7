"""Reads of work items for the calendar and the item pages, in a fixed number of queries
whatever the number of items, with the external-team visibility rule applied."""

import calendar as pycalendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import pgettext

from crewplan.lib import language as languages
from crewplan.lib.active_language import active_language
from crewplan.raci.models import Function
from crewplan.work import calendar_tw, checks, messages, workflow
from crewplan.work.checks import claims
from crewplan.work.models import CalendarDay, ItemRole, Notification, WorkItem
from crewplan.work.roles import RoleBook, activities_with_role, role_book
from crewplan.work.services import error_codes, item_roles, person_for
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.permissions import Action

SUNDAY_FIRST = pycalendar.Calendar(firstweekday=6)  # as Taiwanese wall calendars run


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
        calendar_tw.DayInfo(
            day=d.day, kind=calendar_tw.as_kind(d.kind), name_zh=d.name, name_en=d.name_en or d.name
        )
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


def day_name(info: calendar_tw.DayInfo | None, language: str) -> str:
    if info is None:
        return ""
    return languages.pick((info.name_en, info.name_zh), language)


@dataclass(frozen=True)
class CalendarSpan:
    """The days a calendar page shows, week by week, and the days its arrows go to."""

    mode: str  # "month" or "week"
    anchor: date
    weeks: list[list[date]]
    previous: date
    following: date


def calendar_span(anchor: date, mode: str) -> CalendarSpan:
    """The month (whole weeks, Sunday first) or the week (from Sunday) around `anchor`."""
    if mode == "month":
        weeks = SUNDAY_FIRST.monthdatescalendar(anchor.year, anchor.month)
        previous = (anchor.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (anchor.replace(day=28) + timedelta(days=4)).replace(day=1)
        return CalendarSpan(mode, anchor, weeks, previous, following)
    start = anchor - timedelta(days=(anchor.weekday() + 1) % 7)
    week = [start + timedelta(days=i) for i in range(7)]
    return CalendarSpan(mode, anchor, [week], start - timedelta(days=7), start + timedelta(days=7))


def calendar_rows(
    workspace: Workspace, membership: Membership, span: CalendarSpan, filters: Filters
) -> list[list[dict[str, Any]]]:
    """The calendar's cells, week by week: each day with its holiday or make-up workday
    and the visible items on it, overdue ones marked (a fixed number of queries)."""
    first, last = span.weeks[0][0], span.weeks[-1][-1]
    per_day = by_day(calendar_items(workspace, membership, first, last, filters))
    special = calendar_days(first, last)
    today, now, language = timezone.localdate(), timezone.now(), active_language()
    return [
        [
            {
                "day": day,
                "in_month": span.mode == "week" or day.month == span.anchor.month,
                "today": day == today,
                "special": special.get(day),
                "special_name": day_name(special.get(day), language),
                "items": [
                    {"item": item, "overdue": workflow.is_overdue(item.state, item.publish_at, now)}
                    for item in per_day.get(day, [])
                ],
            }
            for day in week
        ]
        for week in span.weeks
    ]


def agenda(rows: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The calendar's days that have items, or are a holiday or make-up workday, in order,
    each headed 12月10日（四）: the list a phone shows instead of the grid (no query)."""
    language = active_language()
    return [
        {**cell, "label": calendar_tw.day_label(cell["day"], language)}
        for week in rows
        for cell in week
        if cell["in_month"] and (cell["items"] or cell["special"])
    ]


def weekday_headers() -> list[tuple[str, str]]:
    """The grid's column heads, Sunday first: a short name that fits a narrow column
    (日, Sun) and the full one (星期日, Sunday)."""
    language = active_language()
    order = [6, 0, 1, 2, 3, 4, 5]
    return [
        (
            languages.pick((calendar_tw.WEEKDAYS_EN[i], calendar_tw.WEEKDAYS_ZH[i]), language),
            str(WEEKDAYS[i]),
        )
        for i in order
    ]


def calendar_choices(workspace: Workspace) -> dict[str, Any]:
    """What the calendar's filters offer."""
    return {
        "teams": Team.objects.for_workspace(workspace),
        "functions": Function.objects.for_workspace(workspace).filter(archived_at=None),
        "channels": WorkItem.Channel.choices,
        "states": WorkItem.State.choices,
    }


@dataclass(frozen=True)
class RoleHolders:
    """Who holds a letter on an item: its people, and for an A the matrix gives a team,
    that team with the sentence naming who in it may approve (one voice, DESIGN.md B)."""

    people: list[Membership]
    team: Team | None = None
    approvers: str = ""


def role_people(book: RoleBook, item: WorkItem) -> dict[str, RoleHolders]:
    """The holders of each letter on the item, people in id order."""
    held = {
        letter: [book.members[m] for m in sorted(ids) if m in book.members]
        for letter, ids in book.of(item).items()
    }
    team_id = book.team_of(item, "A")
    leads = held["A"]
    if team_id is not None and leads and all(m.team_id == team_id for m in leads):
        names = [m.user.display_name for m in leads]
        held_a = RoleHolders(leads, leads[0].team, messages.approvers(names))
        return {
            letter: held_a if letter == "A" else RoleHolders(people)
            for letter, people in held.items()
        }
    return {letter: RoleHolders(people) for letter, people in held.items()}


def timeline(item: WorkItem) -> list[dict[str, Any]]:
    """The item's transitions with their states' labels and, for a step taken on copy
    with errors, whether they were explained or overridden and the checks' badges."""
    separator = pgettext("list separator", ", ")
    rows = []
    for t in item.transitions.select_related("actor"):
        gate = workflow.reason_needed(t.action, bool(t.check_errors))
        rows.append(
            {
                "t": t,
                "from": messages.state_label(t.from_state),
                "to": messages.state_label(t.to_state),
                "gate": gate,
                "errors": separator.join(
                    str(messages.FINDING_LABELS.get(c, c)) for c in t.check_errors
                ),
            }
        )
    return rows


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


@dataclass(frozen=True)
class OwnClaim:
    """One of the workspace's own risky claims, as the rules page shows it."""

    phrase: str
    category: str  # the translated label, never the code
    alternative: str


def own_claims(rules: checks.Rules) -> list[OwnClaim]:
    return [
        OwnClaim(c.phrase, messages.claim_category_label(c.category), c.alternative)
        for c in rules.risky_claims
    ]


@dataclass
class Waiting:
    """What waits for one person: items they may approve, items sent back to them to
    fix, and approved or scheduled items they may publish whose day is this week or
    already past (overdue)."""

    to_approve: list[WorkItem]
    to_fix: list[WorkItem]
    to_publish: list[WorkItem]

    @property
    def count(self) -> int:
        return len(self.to_approve) + len(self.to_fix) + len(self.to_publish)


WAITING_STATES = ("in_review", "changes_requested", "approved", "scheduled")


def waiting_for(workspace: Workspace, membership: Membership, today: date) -> Waiting:
    """The items that wait for `membership`'s next step, among those they may see, by
    the workflow's own rule of who may take it (so the owner's stand-in counts). A
    fixed number of queries (the role book's, and the items')."""
    book = role_book(workspace)
    items = (
        visible_items(workspace, membership, book)
        .filter(state__in=WAITING_STATES)
        .order_by("publish_at", "due_on", "pk")
    )
    week_end = today + timedelta(days=6 - today.weekday())  # Monday to Sunday
    waiting = Waiting([], [], [])
    for item in items:
        person = person_for(membership, book, item)
        errors = bool(error_codes(item.checks))
        actions = workflow.allowed_actions(
            item.state, person, item_roles(book.of(item)), errors=errors
        )
        names = {a.name for a in actions}
        if item.state == "in_review" and "approve" in names:
            waiting.to_approve.append(item)
        elif item.state == "changes_requested" and "resume" in names:
            waiting.to_fix.append(item)
        elif "publish" in names and (day := local_day(item)) is not None and day <= week_end:
            waiting.to_publish.append(item)
    return waiting


def unread_count(workspace: Workspace, user: Any) -> int:
    """How many of the person's notifications they have not read. 1 query."""
    return (
        Notification.objects.for_workspace(workspace)
        .filter(recipient=user, read_at__isnull=True)
        .count()
    )
