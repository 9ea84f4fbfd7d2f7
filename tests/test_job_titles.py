"""People's job titles: kept on the membership, shown on the people page, edited by
whoever may change the person, recorded in the audit log."""

from typing import Any

from crewplan.audit.models import AuditEvent
from crewplan.workspaces.models import Membership
from tests.factories import client_for


def post_member(client: Any, member: Membership, **fields: Any) -> Any:
    member.refresh_from_db()
    data = {
        f"m{member.pk}-team": member.team_id,
        f"m{member.pk}-role": member.role,
        f"m{member.pk}-revision": member.revision,
    } | {f"m{member.pk}-{k}": v for k, v in fields.items()}
    return client.post(f"/w/alpha/people/{member.pk}/update/", data, follow=True)


def test_owner_sets_a_job_title_shown_on_the_people_page(world: Any) -> None:
    alice = client_for(world.people["alice"])
    maya = world.member("maya")
    response = post_member(alice, maya, title="  電商行銷   專員 ")
    assert response.status_code == 200
    maya.refresh_from_db()
    assert maya.title == "電商行銷 專員"  # spaces tidied
    page = alice.get("/w/alpha/people/").content.decode()
    assert '<small class="job-title">電商行銷 專員</small>' in page
    event = AuditEvent.objects.filter(action="membership.changed").latest("pk")
    assert event.before == {"title": ""} and event.after == {"title": "電商行銷 專員"}
    log = alice.get("/w/alpha/audit/").content.decode()
    assert "<dt>job title</dt><dd>電商行銷 專員</dd>" in log
    assert "<dt>job title</dt><dd>(empty)</dd>" in log


def test_a_too_long_title_is_refused_and_changes_nothing(world: Any) -> None:
    alice = client_for(world.people["alice"])
    maya = world.member("maya")
    response = post_member(alice, maya, title="長" * 81)
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "at most 80 characters" in messages
    maya.refresh_from_db()
    assert maya.title == "" and maya.revision == 1
    assert not AuditEvent.objects.filter(action="membership.changed").exists()


def test_a_form_without_the_title_keeps_it(world: Any) -> None:
    alice = client_for(world.people["alice"])
    maya = world.member("maya")
    post_member(alice, maya, title="Designer")
    post_member(alice, maya, role="viewer")
    maya.refresh_from_db()
    assert (maya.title, maya.role) == ("Designer", "viewer")


def test_who_may_not_change_a_person_sees_the_title_but_no_field(world: Any) -> None:
    alice = client_for(world.people["alice"])
    post_member(alice, world.member("maya"), title="Designer")
    vera = client_for(world.people["vera"])  # a viewer
    page = vera.get("/w/alpha/people/").content.decode()
    assert '<small class="job-title">Designer</small>' in page
    assert 'name="m' not in page or "-title" not in page
    refused = post_member(vera, world.member("maya"), title="Boss")
    assert refused.status_code == 403
    assert world.member("maya").title == "Designer"
