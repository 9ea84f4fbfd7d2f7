"""Reads of the audit log: the events a filter asks for, the people who can be chosen in
it, and each shown event's labels, in a fixed number of queries per page."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone

from crewplan.audit.labels import (
    SKILLS,
    changed_fields,
    describe,
    grid_changes,
    grid_keys,
    hide_amounts,
    kind_filter,
    people_ids,
    target_label,
)
from crewplan.audit.models import AuditEvent
from crewplan.planning.models import AiTool, StackItem
from crewplan.workspaces.models import Membership, Workspace

EVENTS_PER_PAGE = 50


def actor_choices(workspace: Workspace) -> list[tuple[int, str]]:
    """The workspace's people, by name, for the log's "who" filter."""
    members = Membership.objects.for_workspace(workspace).select_related("user")
    people = [(m.user_id, m.user.display_name) for m in members]
    return sorted(people, key=lambda p: p[1])


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def filtered_events(workspace: Workspace, wanted: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The workspace's events matching the filter form's cleaned data (days in the
    active time zone, the workspace's in its pages), newest first."""
    events = AuditEvent.objects.for_workspace(workspace).select_related("actor")
    if wanted.get("who"):
        events = events.filter(actor_id=wanted["who"])
    if wanted.get("kind"):
        events = events.filter(kind_filter(wanted["kind"]))
    if wanted.get("since"):
        events = events.filter(created_at__gte=_start_of(wanted["since"]))
    if wanted.get("until"):
        events = events.filter(created_at__lt=_start_of(wanted["until"] + timedelta(days=1)))
    return events


def _names(workspace: Workspace, events: list[AuditEvent]) -> dict[str, dict[int, str]]:
    """The people, tools and systems the page's events name by id: a query for each kind
    that occurs."""
    people = people_ids(events)
    tools: set[int] = set()
    systems: set[int] = set()
    for event in events:
        for head, rest in grid_keys(event):
            if event.action == SKILLS:
                people.add(head)
            else:
                tools.add(head)
                systems.update([int(rest)] if rest.isdigit() else [])
    names: dict[str, dict[int, str]] = {"people": {}, "tools": {}, "systems": {}}
    if people:
        members = Membership.objects.for_workspace(workspace).filter(pk__in=sorted(people))
        names["people"] = {m.pk: m.user.display_name for m in members.select_related("user")}
    if tools:
        found = AiTool.objects.for_workspace(workspace).filter(pk__in=sorted(tools))
        names["tools"] = dict(found.values_list("pk", "name"))
    if systems:
        found_systems = StackItem.objects.for_workspace(workspace).filter(pk__in=sorted(systems))
        names["systems"] = dict(found_systems.values_list("pk", "name"))
    return names


@dataclass(frozen=True)
class AuditRow:
    """An event as the log shows it: its sentence, and its fields' labels and values."""

    event: AuditEvent  # before/after blanked where the reader may not see the amounts
    description: str
    target: str  # what it changed, as of now in the reader's language where that is a kind
    amounts_hidden: bool
    before_fields: list[tuple[str, str]]
    after_fields: list[tuple[str, str]]


def log_page(
    workspace: Workspace, events: QuerySet[AuditEvent], number: str | None, amounts_visible: bool
) -> tuple[Page[AuditEvent], list[AuditRow]]:
    """One page of events and its rows, each with its sentence and its fields' labels
    (people named by work items' role changes looked up in one query)."""
    page = Paginator(events, EVENTS_PER_PAGE).get_page(number)
    shown = list(page.object_list)
    names = _names(workspace, shown)
    rows = []
    for event in shown:
        hidden = False if amounts_visible else hide_amounts(event)
        grid = grid_changes(event, names) if grid_keys(event) else []
        rows.append(
            AuditRow(
                event=event,
                description=describe(event),
                target=target_label(event),
                amounts_hidden=hidden,
                before_fields=changed_fields(event, "before", names["people"]),
                after_fields=grid or changed_fields(event, "after", names["people"]),
            )
        )
    return page, rows
