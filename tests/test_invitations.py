"""Inviting people and joining by link: the happy path, and every bad input refused
with a clear message and nothing changed."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from crewplan.audit.models import AuditEvent
from crewplan.workspaces import services
from crewplan.workspaces.models import Invitation, Membership
from tests.factories import client_for, make_user


def invite(world: Any, email: str = "new@agency.example", **kw: Any) -> tuple[Invitation, str]:
    kw.setdefault("team", world.a_agency)
    kw.setdefault("role", "member")
    return services.invitation_create(
        workspace=world.a, actor=world.people["alice"], email=email, **kw
    )


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_invite_by_form_sends_a_single_use_link(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    alice = client_for(world.people["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(
            "/w/alpha/people/invite/",
            {"email": " New.Person@Agency.Example ", "team": world.a_agency.pk, "role": "member"},
            follow=True,
        )
    invitation = Invitation.objects.get(workspace=world.a, email="new.person@agency.example")
    assert invitation.team == world.a_agency and invitation.role == "member"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == ["new.person@agency.example"]
    link = next(line for line in body.splitlines() if "/invite/" in line).strip()
    token = link.rsplit("/invite/", 1)[1].strip("/")
    assert invitation.token_hash != token and len(token) >= 40  # only the hash is stored
    assert any(link in m for m in messages_of(response))  # shown once to share over LINE
    assert AuditEvent.objects.filter(workspace=world.a, action="invitation.created").exists()

    newcomer = client_for(make_user("new.person@agency.example", "New 新"))
    response = newcomer.post(f"/invite/{token}/")
    assert response.status_code == 302 and response["Location"] == "/w/alpha/"
    membership = Membership.objects.get(workspace=world.a, user__email="new.person@agency.example")
    assert membership.team == world.a_agency and membership.role == "member"
    again = client_for(make_user("someone@else.example", "X"))
    assert again.get(f"/invite/{token}/").status_code == 410


def test_new_account_created_from_link(world: Any, client: Any) -> None:
    _, token = invite(world, "fresh@agency.example")
    page = client.get(f"/invite/{token}/")
    assert page.status_code == 200 and b'name="password_again"' in page.content
    response = client.post(
        f"/invite/{token}/",
        {"full_name": "王小明", "password": "crew-plan-2026!", "password_again": "crew-plan-2026!"},
    )
    assert response.status_code == 302 and response["Location"] == "/w/alpha/"
    m = Membership.objects.get(workspace=world.a, user__email="fresh@agency.example")
    assert m.user.full_name == "王小明" and m.team == world.a_agency
    assert client.get("/w/alpha/").status_code == 200  # signed in


def test_signup_with_weak_or_mismatched_password_changes_nothing(world: Any, client: Any) -> None:
    _, token = invite(world, "fresh@agency.example")
    for data in (
        {"full_name": "王小明", "password": "123", "password_again": "123"},
        {"full_name": "王小明", "password": "crew-plan-2026!", "password_again": "other-2026!"},
        {"full_name": "", "password": "crew-plan-2026!", "password_again": "crew-plan-2026!"},
    ):
        response = client.post(f"/invite/{token}/", data)
        assert response.status_code == 400
        assert response.context["errors"]
    assert not Membership.objects.filter(user__email="fresh@agency.example").exists()
    assert Invitation.objects.get(email="fresh@agency.example").is_pending


def test_the_signup_service_checks_the_name_and_password_itself(world: Any) -> None:
    """The page's form checks them for the person typing; a caller without the form (the
    API) meets the same rules in the service."""
    _, token = invite(world, "direct@agency.example")
    for full_name, password, message in (
        ("王小明", "123", "This password is too short"),
        ("   ", "crew-plan-2026!", "Please enter your name."),
        ("王" * 151, "crew-plan-2026!", "at most 150 characters"),
    ):
        with pytest.raises(ValidationError, match=message):
            services.account_create_from_invitation(
                token=token, full_name=full_name, password=password
            )
    assert not services.account_exists("direct@agency.example")
    assert Invitation.objects.get(email="direct@agency.example").is_pending


def test_signup_reports_every_problem_at_once(world: Any, client: Any) -> None:
    _, token = invite(world, "fresh@agency.example")
    data = {"full_name": "", "password": "123", "password_again": "1234"}
    response = client.post(f"/invite/{token}/", data, HTTP_ACCEPT_LANGUAGE="en")
    errors = response.context["errors"]
    assert "Please enter your name." in errors
    assert "The two passwords do not match." in errors
    assert any("too short" in e for e in errors)


def test_duplicate_invitation_is_refused(world: Any) -> None:
    invite(world, "dup@agency.example")
    with pytest.raises(ValidationError, match="already has a pending invitation"):
        invite(world, "DUP@agency.example")
    assert Invitation.objects.filter(workspace=world.a, email="dup@agency.example").count() == 1


def test_duplicate_invitation_by_form_shows_message(world: Any) -> None:
    alice = client_for(world.people["alice"])
    invite(world, "dup@agency.example")
    count = AuditEvent.objects.count()
    response = alice.post(
        "/w/alpha/people/invite/",
        {"email": "dup@agency.example", "team": world.a_agency.pk, "role": "member"},
        follow=True,
    )
    assert any("already has a pending invitation" in m for m in messages_of(response))
    assert AuditEvent.objects.count() == count


def test_inviting_a_member_is_refused(world: Any) -> None:
    with pytest.raises(ValidationError, match="already a member"):
        invite(world, "amy@agency.example")


def test_expired_invitation_is_replaced_not_blocking(world: Any) -> None:
    old, _ = invite(world, "late@agency.example")
    Invitation.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    new, _ = invite(world, "late@agency.example")
    old.refresh_from_db()
    assert old.revoked_at is not None and new.is_pending


@pytest.mark.parametrize("email", ["not-an-email", "", "a@b", "x@@y.example", "名字@"])
def test_invalid_email_is_refused(world: Any, email: str) -> None:
    alice = client_for(world.people["alice"])
    before = Invitation.objects.count()
    response = alice.post(
        "/w/alpha/people/invite/",
        {"email": email, "team": world.a_agency.pk, "role": "member"},
        follow=True,
    )
    assert messages_of(response), "a clear message is shown"
    assert Invitation.objects.count() == before
    with pytest.raises(ValidationError):
        invite(world, email)


def test_foreign_team_in_form_is_refused(world: Any) -> None:
    alice = client_for(world.people["alice"])
    alice.post(
        "/w/alpha/people/invite/",
        {"email": "x@agency.example", "team": world.b_team.pk, "role": "member"},
    )
    assert not Invitation.objects.filter(email="x@agency.example").exists()
    with pytest.raises(ValidationError):
        invite(world, "x@agency.example", team=world.b_team)


def test_expired_token_is_refused(world: Any) -> None:
    invitation, token = invite(world, "late@agency.example")
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    user = make_user("late@agency.example", "Late")
    response = client_for(user).post(f"/invite/{token}/")
    assert response.status_code == 410
    assert (
        "已過期" in response.context["problem"]
    )  # the visitor's language: no Accept-Language -> zh-Hant
    assert not Membership.objects.filter(user=user).exists()


def test_used_token_is_refused(world: Any) -> None:
    _, token = invite(world, "once@agency.example")
    user = make_user("once@agency.example", "Once")
    services.invitation_accept(token=token, user=user)
    with pytest.raises(ValidationError, match="already been used"):
        services.invitation_accept(token=token, user=user)
    assert Membership.objects.filter(user=user).count() == 1


def test_revoked_and_unknown_tokens_are_refused(world: Any, client: Any) -> None:
    invitation, token = invite(world, "gone@agency.example")
    services.invitation_revoke(invitation=invitation, actor=world.people["alice"])
    assert client.get(f"/invite/{token}/").status_code == 410
    assert client.get("/invite/made-up-token/").status_code == 404


def test_token_is_bound_to_the_invited_email(world: Any) -> None:
    _, token = invite(world, "right@agency.example")
    wrong = make_user("wrong@agency.example", "Wrong")
    response = client_for(wrong).post(f"/invite/{token}/", follow=True)
    assert any("這份邀請是寄給 right@agency.example 的" in m for m in messages_of(response))
    assert not Membership.objects.filter(user=wrong).exists()
    assert Invitation.objects.get(email="right@agency.example").is_pending


def test_manager_invites_only_into_own_team(world: Any) -> None:
    adam = client_for(world.people["adam"])  # agency manager
    response = adam.post(
        "/w/alpha/people/invite/",
        {"email": "x@a.example", "team": world.a_in_house.pk, "role": "member"},
    )
    assert response.status_code in (302, 403)
    adam.post(
        "/w/alpha/people/invite/",
        {"email": "y@agency.example", "team": world.a_agency.pk, "role": "owner"},
    )
    assert not Invitation.objects.filter(email__in=["x@a.example", "y@agency.example"]).exists()
    adam.post(
        "/w/alpha/people/invite/",
        {"email": "z@agency.example", "team": world.a_agency.pk, "role": "member"},
    )
    assert Invitation.objects.get(email="z@agency.example").team == world.a_agency


def test_members_and_viewers_cannot_invite(world: Any) -> None:
    for name in ("maya", "vera", "amy"):
        response = client_for(world.people[name]).post(
            "/w/alpha/people/invite/",
            {"email": f"{name}-friend@x.example", "team": world.a_in_house.pk, "role": "member"},
        )
        assert response.status_code == 403
    assert not Invitation.objects.filter(email__endswith="-friend@x.example").exists()
