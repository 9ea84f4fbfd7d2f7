"""Changing roles and teams, removing people, and the last-owner rule."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from crewplan.audit.models import AuditEvent
from crewplan.workspaces import services
from crewplan.workspaces.models import Membership
from tests.factories import client_for


def test_owner_changes_role_and_team_with_audit(world: Any) -> None:
    alice = client_for(world.people["alice"])
    maya = world.member("maya")
    response = alice.post(
        f"/w/alpha/people/{maya.pk}/update/",
        {
            f"m{maya.pk}-team": world.a_agency.pk,
            f"m{maya.pk}-role": "viewer",
            f"m{maya.pk}-revision": 1,
        },
    )
    assert response.status_code == 302
    maya.refresh_from_db()
    assert (maya.team, maya.role) == (world.a_agency, "viewer")
    event = AuditEvent.objects.filter(workspace=world.a, action="membership.changed").get()
    assert event.before == {"team": world.a_in_house.name, "role": "member"}
    assert event.after == {"team": world.a_agency.name, "role": "viewer"}
    assert event.actor == world.people["alice"]


def test_a_stale_change_is_refused_and_names_what_changed(world: Any) -> None:
    """Two people open the people page; the second's stale form must not undo the
    first's change of Maya's role."""
    alice, mike = client_for(world.people["alice"]), client_for(world.people["mike"])
    maya = world.member("maya")
    url = f"/w/alpha/people/{maya.pk}/update/"
    seen = {f"m{maya.pk}-revision": maya.revision}
    first = {f"m{maya.pk}-team": world.a_in_house.pk, f"m{maya.pk}-role": "viewer"}
    assert alice.post(url, first | seen).status_code == 302
    stale = {f"m{maya.pk}-team": world.a_in_house.pk, f"m{maya.pk}-role": "manager"}
    response = mike.post(url, stale | seen, follow=True)
    message = " ".join(str(m) for m in response.context["messages"])
    assert "since you opened it" in message and "role changed" in message
    maya.refresh_from_db()
    assert maya.role == "viewer"
    assert AuditEvent.objects.filter(action="membership.changed").count() == 1
    # Without a revision nothing is saved either.
    assert mike.post(url, stale).status_code == 302
    maya.refresh_from_db()
    assert maya.role == "viewer"


def test_removing_the_last_owner_is_refused(world: Any) -> None:
    alice = world.member("alice")
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="last owner"):
        services.membership_remove(membership=alice, actor=world.people["alice"])
    with pytest.raises(ValidationError, match="at least one owner"):
        services.membership_change(membership=alice, actor=world.people["alice"], role="manager")
    assert Membership.objects.get(pk=alice.pk).role == "owner"
    assert AuditEvent.objects.count() == count


def test_last_owner_refusal_shows_message_and_changes_nothing(world: Any) -> None:
    alice = client_for(world.people["alice"])
    me = world.member("alice")
    response = alice.post(f"/w/alpha/people/{me.pk}/remove/", follow=True)
    assert any("last owner" in str(m) for m in response.context["messages"])
    assert Membership.objects.filter(pk=me.pk, role="owner").exists()


def test_second_owner_lets_the_first_leave(world: Any) -> None:
    services.membership_change(
        membership=world.member("mike"), actor=world.people["alice"], role="owner"
    )
    response = client_for(world.people["alice"]).post(
        f"/w/alpha/people/{world.member('alice').pk}/remove/"
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert not Membership.objects.filter(workspace=world.a, user=world.people["alice"]).exists()


def test_manager_removes_own_team_member_only(world: Any) -> None:
    adam = client_for(world.people["adam"])
    assert adam.post(f"/w/alpha/people/{world.member('maya').pk}/remove/").status_code == 403
    assert adam.post(f"/w/alpha/people/{world.member('amy').pk}/remove/").status_code == 302
    assert not Membership.objects.filter(user=world.people["amy"]).exists()
    assert AuditEvent.objects.filter(
        action="membership.removed", before__user="amy@agency.example"
    ).exists()


def test_manager_cannot_promote_to_owner(world: Any) -> None:
    mike = client_for(world.people["mike"])
    maya = world.member("maya")
    response = mike.post(
        f"/w/alpha/people/{maya.pk}/update/",
        {
            f"m{maya.pk}-team": world.a_in_house.pk,
            f"m{maya.pk}-role": "owner",
            f"m{maya.pk}-revision": 1,
        },
    )
    assert response.status_code == 403
    assert Membership.objects.get(pk=maya.pk).role == "member"


def test_viewer_cannot_change_anyone(world: Any) -> None:
    vera = client_for(world.people["vera"])
    maya = world.member("maya")
    response = vera.post(
        f"/w/alpha/people/{maya.pk}/update/",
        {
            f"m{maya.pk}-team": world.a_in_house.pk,
            f"m{maya.pk}-role": "viewer",
            f"m{maya.pk}-revision": 1,
        },
    )
    assert response.status_code == 403


def test_people_page_queries_do_not_grow_with_people(
    world: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    alice = client_for(world.people["alice"])
    alice.get("/w/alpha/people/")  # warm the session
    with django_assert_max_num_queries(12) as small:
        response = alice.get("/w/alpha/people/")
    assert response.status_code == 200 and response.content.count(b"data-member=") == 6
    for i in range(15):
        from tests.factories import join, make_user

        join(
            world.a,
            world.people["alice"],
            world.a_agency,
            make_user(f"p{i}@agency.example", f"P{i}"),
            "member",
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = alice.get("/w/alpha/people/")
    assert response.status_code == 200
    assert response.content.count(b"data-member=") == 21
