"""Notifications in the inbox and by e-mail (immediately or as a daily digest), and each
person's iCalendar feed at a secret, revocable URL."""

from datetime import UTC, date, datetime
from typing import Any

from django.core import mail
from icalendar import Calendar

from crewplan.work import services
from crewplan.work.models import CalendarFeed, ItemRole, Notification, WorkItem
from tests.factories import client_for, create, move


def test_inbox_and_immediate_email(
    world: Any, raci: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    item = create(amy, raci["social"])
    move(amy, item, "start")
    with django_capture_on_commit_callbacks(execute=True):
        move(amy, item, "submit")
    # Alice and Mike (A) get a review request, by e-mail too (immediate by default).
    assert sorted(m.to[0] for m in mail.outbox) == ["alice@a.example", "mike@a.example"]
    assert "Mooncake pre-order post" in mail.outbox[0].subject
    assert f"/w/alpha/work/items/{item.pk}/" in mail.outbox[0].body
    page = mike.get("/w/alpha/work/").content.decode()
    assert 'id="unread-count">1<' in page
    inbox = mike.get("/w/alpha/work/inbox/").content.decode()
    assert 'data-kind="review_request"' in inbox and "Mooncake pre-order post" in inbox
    note = Notification.objects.get(recipient=world.people["mike"])
    opened = mike.post("/w/alpha/work/inbox/read/", {"n": note.pk})
    assert opened["Location"] == f"/w/alpha/work/items/{item.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'id="unread-count"' not in mike.get("/w/alpha/work/").content.decode()
    # Nobody else's notification can be marked from here.
    alice_note = Notification.objects.get(recipient=world.people["alice"])
    mike.post("/w/alpha/work/inbox/read/", {"n": alice_note.pk})
    alice_note.refresh_from_db()
    assert alice_note.read_at is None


def test_publication_tells_i_and_digest_waits(
    world: Any, raci: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    amy, mike = client_for(world.people["amy"]), client_for(world.people["mike"])
    maya = world.people["maya"]
    maya.email_notifications = "daily"
    maya.save()
    item = create(amy, raci["social"])
    ItemRole.objects.create(workspace=world.a, item=item, membership=world.member("maya"), role="I")
    for action, who in (("start", amy), ("submit", amy), ("approve", mike)):
        move(who, item, action)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert move(amy, item, "publish").status_code == 302
    published = Notification.objects.filter(item=item, kind="published")
    assert "maya@a.example" in {n.recipient.email for n in published}
    assert "maya@a.example" not in [m.to[0] for m in mail.outbox]  # she asked for a digest
    assert services.send_digests() == 1
    digest = [m for m in mail.outbox if m.to == ["maya@a.example"]]
    assert len(digest) == 1 and "Mooncake pre-order post" in digest[0].body
    assert services.send_digests() == 0  # nothing twice


def test_due_reminders_once(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], due_on="2026-09-19")
    assert services.due_reminders(date(2026, 9, 18)) == 2  # Adam and Amy (R)
    assert services.due_reminders(date(2026, 9, 18)) == 0
    item.state = "approved"
    item.save()
    assert services.due_reminders(date(2026, 9, 18)) == 0


def test_ical_feed_has_exactly_the_persons_items(world: Any, raci: dict[str, Any]) -> None:
    amy, alice = client_for(world.people["amy"]), client_for(world.people["alice"])
    mine = create(amy, raci["social"], title="Agency post", due_on="2026-09-18")
    create(alice, raci["secret"], title="Pricing memo item", publish_at="2026-09-10T09:00")
    WorkItem.objects.create(
        workspace=world.b, title="Beta item", publish_at=datetime(2026, 9, 1, tzinfo=UTC)
    )
    assert amy.get("/w/alpha/work/feed/").status_code == 200
    assert not CalendarFeed.objects.exists()  # GET creates nothing
    made = amy.post("/w/alpha/work/feed/renew/")
    assert made.status_code == 200
    token = made.context["url"].rsplit("/ical/", 1)[1].removesuffix(".ics")
    response = client_for(world.people["charlie"]).get(f"/ical/{token}.ics")  # no session needed
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert {str(e["UID"]).split("@")[0] for e in events} == {
        f"crewplan-item-{mine.pk}-due",
        f"crewplan-item-{mine.pk}-publish",
    }
    publish = next(e for e in events if "publish" in str(e["UID"]))
    assert publish.decoded("DTSTART") == datetime(2026, 9, 20, 4, 0, tzinfo=UTC)
    due = next(e for e in events if "due" in str(e["UID"]))
    assert due.decoded("DTSTART") == date(2026, 9, 18)
    # Revoked: the old address is gone.
    assert amy.post("/w/alpha/work/feed/revoke/").status_code == 302
    assert not CalendarFeed.objects.exists()
    assert client_for(world.people["amy"]).get(f"/ical/{token}.ics").status_code == 404
    renewed = amy.post("/w/alpha/work/feed/renew/")
    assert renewed.status_code == 200 and f"/ical/{token}.ics" not in renewed.context["url"]
    assert CalendarFeed.objects.count() == 1
    assert alice.get("/ical/not-a-token.ics").status_code == 404
