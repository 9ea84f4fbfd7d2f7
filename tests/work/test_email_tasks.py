"""E-mail is a task after the commit (Django's tasks API, settings.TASKS): a line break in
a title or a workspace name makes a single-line subject, and a mail server that fails
never fails the request that caused the mail; the failure is logged.

These tests use `transactional_db`: the change really commits inside the request, so the
e-mail is sent (or fails) while the request is still being answered, as in production."""

import logging
import socket
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from crewplan.work.models import Notification
from crewplan.workspaces import services
from crewplan.workspaces.models import Invitation
from tests.factories import client_for, create, move


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def broken_smtp() -> Any:
    return override_settings(
        MAILERS={
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
            }
        }
    )


@pytest.fixture
def committed(transactional_db: Any) -> None:
    """Every transaction of the test commits (and runs its on_commit callbacks)."""


def test_line_break_in_title_gives_a_single_line_subject(
    committed: Any, world: Any, raci: dict[str, Any]
) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"], title="Mooncake\r\npre-order\u2028post")
    move(amy, item, "start")
    mail.outbox.clear()
    response = move(amy, item, "submit")
    assert response.status_code == 302
    assert len(mail.outbox) == 2  # the two A
    assert {m.subject for m in mail.outbox} == {
        "[Alpha Bakery 甲烘焙] Review requested: Mooncake pre-order post"
    }
    assert Notification.objects.filter(item=item, emailed_at__isnull=False).count() == 2


def test_broken_mail_server_does_not_fail_submit(
    committed: Any, world: Any, raci: dict[str, Any], caplog: Any
) -> None:
    amy = client_for(world.people["amy"])
    item = create(amy, raci["social"])
    move(amy, item, "start")
    with broken_smtp(), caplog.at_level(logging.ERROR, logger="django.tasks"):
        response = move(amy, item, "submit")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "in_review"  # the change stands
    # The e-mails are not marked sent (a retry sends them) and the failure is in the log.
    notes = Notification.objects.filter(item=item)
    assert notes.count() == 2 and not notes.filter(emailed_at__isnull=False).exists()
    failed = [r for r in caplog.records if "email_notifications" in r.getMessage()]
    assert failed and "FAILED" in failed[0].getMessage()
    assert failed[0].exc_info and issubclass(failed[0].exc_info[0], OSError)


def test_broken_mail_server_does_not_fail_invitation(
    committed: Any, world: Any, caplog: Any
) -> None:
    alice = client_for(world.people["alice"])
    with broken_smtp(), caplog.at_level(logging.ERROR, logger="django.tasks"):
        response = alice.post(
            "/w/alpha/people/invite/",
            {"email": "new@agency.example", "team": world.a_agency.pk, "role": "member"},
        )
    assert response.status_code == 302
    assert Invitation.objects.filter(workspace=world.a, email="new@agency.example").exists()
    assert any("email_invitation" in r.getMessage() for r in caplog.records)


def test_line_break_in_workspace_name_gives_a_single_line_subject(
    committed: Any, world: Any
) -> None:
    # Stored before names were checked, or by a future path that forgets: the e-mail copes.
    world.a.name = "Alpha\nBakery"
    world.a.save(update_fields=["name"])
    mail.outbox.clear()
    services.invitation_create(
        workspace=world.a,
        actor=world.people["alice"],
        email="new@agency.example",
        team=world.a_agency,
        role="member",
    )
    assert [m.subject for m in mail.outbox] == ["You are invited to Alpha Bakery on crewplan"]
