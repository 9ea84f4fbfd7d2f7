"""Calendar feed addresses and comments leave a trace in the audit log (who, when, on
what), without the secret address or the comment's words."""

from typing import Any

from crewplan.audit.models import AuditEvent
from tests.factories import client_for, create


def test_feed_renewal_and_revocation_are_audited_without_the_secret(world: Any) -> None:
    maya = client_for(world.people["maya"])
    page = maya.post("/w/alpha/work/feed/renew/").content.decode()
    assert "/ical/" in page  # the address, shown once
    token = page.split("/ical/")[1].split(".ics")[0]
    renewed = AuditEvent.objects.get(workspace=world.a, action="work.feed_renewed")
    assert renewed.actor == world.people["maya"]
    assert token not in str(renewed.before) + str(renewed.after) + renewed.target_label
    assert maya.post("/w/alpha/work/feed/revoke/").status_code == 302
    assert AuditEvent.objects.filter(workspace=world.a, action="work.feed_revoked").count() == 1
    # Revoking a feed that is not there records nothing.
    maya.post("/w/alpha/work/feed/revoke/")
    assert AuditEvent.objects.filter(workspace=world.a, action="work.feed_revoked").count() == 1


def test_a_comment_is_audited_without_its_words(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    assert amy.post(
        f"/w/alpha/work/items/{item.pk}/comment/", {"body": "價格先保密"}
    ).status_code in (200, 302)
    event = AuditEvent.objects.get(workspace=world.a, action="work.comment_added")
    assert event.actor == world.people["amy"] and event.target_id == str(item.pk)
    assert "價格先保密" not in str(event.after)
    log = client_for(world.people["alice"]).get("/w/alpha/audit/").content.decode()
    assert "commented on a work item" in log
