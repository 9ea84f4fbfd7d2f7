"""Per-person iCalendar feeds (RFC 5545) at a secret, revocable URL, and the in-app inbox.

A feed holds exactly the items the person holds a letter on (R, A, C or I, from the RACI
matrix and the item's overrides): an all-day event on the due date and a 30-minute event
at the publish time, with stable UIDs so calendar apps update instead of duplicating."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar, Event

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record
from crewplan.lib import dates
from crewplan.work.models import (
    CalendarFeed,
    Notification,
    WorkItem,
    feed_token_hash,
    new_feed_token,
)
from crewplan.work.roles import role_book
from crewplan.workspaces.models import Membership

PUBLISH_EVENT = timedelta(minutes=30)


def items_of(membership: Membership) -> list[WorkItem]:
    """The items this person holds a letter on (3 + 1 queries)."""
    workspace = membership.workspace
    book = role_book(workspace)
    items = WorkItem.objects.for_workspace(workspace).exclude(publish_at=None, due_on=None)
    return [item for item in items if book.letters_of(item, membership.pk)]


def ical(membership: Membership) -> bytes:
    workspace = membership.workspace
    cal = Calendar()
    cal.add("prodid", "-//crewplan//work calendar//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"crewplan · {workspace.name}")
    cal.add("x-wr-timezone", workspace.time_zone)
    host = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0] or "crewplan"
    for item in items_of(membership):
        url = settings.SITE_URL + reverse("work_item", args=[workspace.slug, item.pk])
        common = {
            "summary": item.title,
            "url": url,
            "description": f"{item.get_state_display()} · {item.get_channel_display()}\n{url}",
            "dtstamp": item.updated_at,
            "last-modified": item.updated_at,
        }
        # A date out of the accepted range (stored before the forms refused them) would
        # overflow the event's end and break the whole feed: such an event is left out.
        if item.due_on is not None and dates.in_range(item.due_on):
            due = Event()
            due.add("uid", f"crewplan-item-{item.pk}-due@{host}")
            due.add("dtstart", item.due_on)
            due.add("dtend", item.due_on + timedelta(days=1))
            for key, value in common.items():
                due.add(key, value)
            due["summary"] = f"⏰ {item.title}"
            cal.add_component(due)
        if item.publish_at is not None and dates.in_range(item.publish_at):
            publish = Event()
            publish.add("uid", f"crewplan-item-{item.pk}-publish@{host}")
            publish.add("dtstart", item.publish_at)
            publish.add("dtend", item.publish_at + PUBLISH_EVENT)
            for key, value in common.items():
                publish.add(key, value)
            cal.add_component(publish)
    feed: bytes = cal.to_ical()
    return feed


@transaction.atomic
def feed_renew(*, membership: Membership) -> str:
    """A new secret URL; the old one stops working at once. Returns the token, which is
    not stored (only its hash is): show it now or never."""
    CalendarFeed.objects.filter(membership=membership).delete()
    token = new_feed_token()
    CalendarFeed.objects.create(
        workspace=membership.workspace, membership=membership, token_hash=feed_token_hash(token)
    )
    # Who made a feed address and when; never the address itself (it is the credential).
    record(
        workspace=membership.workspace,
        actor=membership.user,
        action=AuditAction.WORK_FEED_RENEWED,
        target=membership,
    )
    return token


def feed_by_token(token: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.filter(token_hash=feed_token_hash(token))
        .select_related("membership__workspace", "membership__user")
        .first()
    )


def feed_url(token: str) -> str:
    return settings.SITE_URL + reverse("work_ical", args=[token])


@transaction.atomic
def feed_revoke(*, membership: Membership) -> None:
    deleted, _rows = CalendarFeed.objects.filter(membership=membership).delete()
    if deleted:
        record(
            workspace=membership.workspace,
            actor=membership.user,
            action=AuditAction.WORK_FEED_REVOKED,
            target=membership,
        )


def unread_count(membership: Membership) -> int:
    return (
        Notification.objects.for_workspace(membership.workspace)
        .filter(recipient_id=membership.user_id, read_at=None)
        .count()
    )
