"""iCal feed tokens: only a hash is stored, the address is shown once, existing addresses
survive the migration to hashes, and the token stays out of the logs."""

import datetime
import hashlib
import io
import logging
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from gunicorn.config import Config

from crewplan.lib.redact import RedactSecretsFilter
from crewplan.work.models import CalendarFeed
from tests.factories import client_for


def token_of(response: Any) -> str:
    return str(response.context["url"]).rsplit("/ical/", 1)[1].removesuffix(".ics")


def test_only_a_hash_is_stored_and_the_address_is_shown_once(world: Any) -> None:
    amy = client_for(world.people["amy"])
    made = amy.post("/w/alpha/work/feed/renew/")
    token = token_of(made)
    assert len(token) >= 43 and token in made.content.decode()
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in CalendarFeed.objects.values_list().get()]
    assert not any(token in value for value in stored)
    later = amy.get("/w/alpha/work/feed/").content.decode()
    assert token not in later and 'id="feed-exists"' in later
    assert Client().get(f"/ical/{token}.ics").status_code == 200
    assert Client().get(f"/ical/{feed.token_hash}.ics").status_code == 404  # the hash is no key


@pytest.mark.django_db(transaction=True)
def test_existing_clear_tokens_keep_working_after_the_migration(world: Any) -> None:
    membership = world.member("amy")  # read before the schema goes back in time
    executor = MigrationExecutor(connection)
    before = [("work", "0002_calendar_day_english_name")]
    # Forward to every app's latest: going back to work 0002 also unapplies the later
    # migrations of other apps that depend on work's (the settings moved off Workspace).
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    OldFeed = old_apps.get_model("work", "CalendarFeed")
    OldFeed.objects.create(
        workspace_id=world.a.pk, membership_id=membership.pk, token="subscribed-long-ago-token"
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    feed = CalendarFeed.objects.get()
    assert feed.token_hash == hashlib.sha256(b"subscribed-long-ago-token").hexdigest()
    response = Client().get("/ical/subscribed-long-ago-token.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")


def test_django_logs_redact_the_feed_token(world: Any) -> None:
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactSecretsFilter) for f in h.filters)
    ]
    assert handlers, "the settings' console handler carries the filter"
    handler = handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    out = io.StringIO()
    old = handler.setStream(out)
    try:
        Client().get("/ical/leaked-secret-token-value.ics")  # 404: django.request logs it
    finally:
        handler.setStream(old)
    logged = out.getvalue()
    assert "Not Found: /ical/[redacted].ics" in logged
    assert "leaked-secret-token-value" not in logged


def test_serve_access_log_redacts_the_feed_token(
    world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The gunicorn configuration `crewplan serve` starts, fed one feed request and one
    error about it."""
    argv: list[str] = []
    monkeypatch.setattr(os, "execv", lambda _path, args: argv.extend(args))
    monkeypatch.setattr("django.conf.settings.DEBUG", True)  # skip collectstatic here
    call_command("serve", port=8123)
    assert argv[1:3] == ["-m", "gunicorn"]
    cfg = Config()
    parsed = cfg.parser().parse_args(argv[3:])
    for key, value in vars(parsed).items():
        if value is not None and key != "args":
            cfg.set(key.lower(), value)
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    logger = cfg.logger_class(cfg)
    path = "/ical/leaked-secret-token-value.ics"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
    }
    response = SimpleNamespace(status="200 OK", headers=[], sent=10)
    logger.access(response, SimpleNamespace(headers=[]), environ, datetime.timedelta(0))
    logger.error("Error handling request %s", path)  # as gunicorn's workers word it
    for handler in [*logger.access_log.handlers, *logger.error_log.handlers]:
        handler.flush()
    logged = (tmp_path / "access.log").read_text()
    assert "GET /ical/[redacted].ics HTTP/1.1" in logged
    assert "leaked-secret-token-value" not in logged
    errors = (tmp_path / "error.log").read_text()
    assert "Error handling request /ical/[redacted].ics" in errors
    assert "leaked-secret-token-value" not in errors
    assert sys.executable == argv[0]
