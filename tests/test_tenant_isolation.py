"""Walks every URL pattern of the project, so a view added later is covered without
anyone remembering to add a test:

- as charlie (workspace B only), every workspace URL of A, and every URL under B's
  slug with A's object ids, answers 403/404 (405 for a GET on a POST-only view) and
  the response shows nothing of A;
- a URL outside /w/<slug>/ must be on the short list of unscoped views below, with
  the reason it is safe;
- GET changes nothing anywhere, and every POST without a CSRF token is refused.
"""

import re
from typing import Any

from django.apps import apps
from django.test import Client

from crewplan.raci.models import Activity
from crewplan.work import feeds
from crewplan.workspaces.models import Invitation, Membership
from tests.factories import build, client_for, tenant_values, walk

# Views that do not live under /w/<slug>/, and why they cannot leak a workspace.
UNSCOPED = {
    "home": "redirects to one of the signed-in person's own workspaces",
    "switch_workspace": "checks membership of the posted slug",
    "invitation_accept": "the secret token is the credential",
    "work_ical": "the secret, revocable feed token is the credential; one person's items",
    "accounts:login": "no workspace data",
    "accounts:logout": "no workspace data",
    "accounts:password_reset": "no workspace data",
    "accounts:password_reset_done": "no workspace data",
    "accounts:password_reset_confirm": "signed token for one account",
    "accounts:password_reset_complete": "no workspace data",
    "accounts:set_language": "the person's own preference",
    "accounts:profile": "the person's own account",
    "accounts:password_change": "the person's own password",
}


def secrets_of_a(world: Any) -> list[str]:
    names = [world.a.name, world.a_in_house.name, world.a_agency.name, "pending@a.example"]
    for m in Membership.objects.filter(workspace=world.a).select_related("user"):
        names += [m.user.email, m.user.full_name]
    names += list(Activity.objects.filter(workspace=world.a).values_list("name", flat=True))
    names += [
        "A secret KPI",
        "A secret goal 甲目標",
        "A secret tool",
        "A secret line",
        "A secret post",
        "A secret channel",
        "a secret alias",
        "A secret vendor",
        "a-secret-expenses.csv",
        "A secret experiment",
    ]
    return names


CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[A-Za-z0-9]+')


def assert_no_leak(response: Any, secrets: list[str], url: str) -> None:
    body = response.content.decode(errors="replace")
    # The page's random CSRF tokens may spell a short secret ("SEO") by chance.
    body = CSRF_TOKEN.sub(r"\1", body)
    for secret in secrets:
        assert secret not in body, f"{url} shows {secret!r} to an outsider"


def test_every_url_is_scoped_or_listed(db: Any) -> None:
    for route, name in walk():
        if "<slug:slug>" in route:
            assert route.startswith("w/<slug:slug>/"), route
        else:
            assert name in UNSCOPED, (
                f"{route!r} ({name}) is outside /w/<slug>/: put it there behind @workspace_view, "
                "or add it to UNSCOPED with the reason it cannot show workspace data"
            )


def test_outsider_gets_nothing_of_a(world: Any) -> None:
    charlie = client_for(world.people["charlie"])
    routes = walk()
    values = tenant_values(world, world.a.slug)
    secrets = secrets_of_a(world)
    checked = 0
    for slug in (world.a.slug, world.b.slug):
        values["slug"] = slug
        for route, _name in routes:
            if "<slug:slug>" not in route:
                continue
            if slug == world.b.slug and not re.search(r"_id>", route):
                continue  # B's own pages are charlie's; only A's ids under B's slug matter
            url = build(route, values)
            statuses = []
            for method in ("get", "post"):
                response = getattr(charlie, method)(url)
                # 405: the method is not the view's; the other method must then be refused.
                assert response.status_code in {403, 404, 405}, (
                    f"{method.upper()} {url} gave {response.status_code}"
                )
                assert_no_leak(response, secrets, url)
                statuses.append(response.status_code)
            assert statuses != [405, 405], url
            checked += 1
    assert checked >= 12
    # Nothing of A was changed by the attempts.
    assert Membership.objects.filter(workspace=world.a).count() == 6
    assert Invitation.objects.filter(workspace=world.a).pending().count() == 1


def test_outsider_unscoped_views_show_nothing_of_a(world: Any) -> None:
    charlie = client_for(world.people["charlie"])
    values = tenant_values(world, world.a.slug)
    secrets = secrets_of_a(world)
    for route, name in walk():
        if name not in UNSCOPED or name == "accounts:logout":
            continue
        url = build(route, values)
        for method in ("get", "post"):
            response = getattr(charlie, method)(url, {"workspace": world.a.slug})
            assert_no_leak(response, secrets, url)
    assert not Membership.objects.filter(workspace=world.a, user=world.people["charlie"]).exists()


def test_the_walk_reaches_real_objects_for_a_member(world: Any) -> None:
    """Control: the same URLs work for A's owner, so the 404s above are the access layer
    refusing, not test values that point nowhere."""
    alice = client_for(world.people["alice"])
    values = tenant_values(world, world.a.slug)
    for route, _name in walk():
        if "<slug:slug>" in route:
            url = build(route, values)
            assert alice.get(url).status_code in {200, 405}, url


# Tables a GET may legitimately write, and why. Everything else of every installed app
# is in the snapshot, found from the app registry, so a new app's tables are covered.
BOOKKEEPING: dict[str, str] = {
    # none today: sessions and django-axes' tables are compared too, and no GET writes them
}


def snapshotted_models() -> list[Any]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label not in BOOKKEEPING and not model._meta.proxy
    ]


def _snapshot() -> dict[str, list[dict[str, Any]]]:
    data = {}
    for model in snapshotted_models():
        rows = list(model._default_manager.order_by("pk").values())
        for row in rows:
            row.pop("last_login", None)  # signing in is not a change of the data
        data[model._meta.label] = rows
    return data


def test_the_snapshot_covers_every_crewplan_table(db: Any) -> None:
    """Control: every model of every crewplan app is compared (work's CalendarFeed and
    the rest), so a GET that writes to any of them fails the walk below."""
    compared = set(_snapshot())
    crewplan_models = [
        model._meta.label
        for config in apps.get_app_configs()
        if config.name.startswith("crewplan.")
        for model in config.get_models(include_auto_created=True)
    ]
    assert "work.CalendarFeed" in crewplan_models
    assert set(crewplan_models) <= compared, set(crewplan_models) - compared
    assert "contenttypes.ContentType" in compared and "auth.Permission" in compared


def test_get_changes_nothing_anywhere(world: Any) -> None:
    alice = client_for(world.people["alice"])
    values = tenant_values(world, world.a.slug)
    # alice's own feed, reached by its real token: fetching it must not write either.
    values["token"] = feeds.feed_renew(membership=world.member("alice"))
    before = _snapshot()
    assert before["work.CalendarFeed"] and before["work.WorkItem"]
    reached = {}
    for route, name in walk():
        if name == "accounts:logout":
            continue
        reached[name] = alice.get(build(route, values)).status_code
    assert reached["work_ical"] == 200 and reached["work_feed"] == 200
    assert _snapshot() == before


def test_every_post_needs_csrf(world: Any) -> None:
    alice = Client(enforce_csrf_checks=True)
    alice.force_login(world.people["alice"], backend="django.contrib.auth.backends.ModelBackend")
    values = tenant_values(world, world.a.slug)
    before = _snapshot()
    for route, name in walk():
        url = build(route, values)
        response = alice.post(url, {"workspace": "alpha", "language": "en", "email": "x@y.example"})
        assert response.status_code in {403, 405}, (
            f"POST {url} ({name}) without CSRF gave {response.status_code}"
        )
    assert _snapshot() == before
