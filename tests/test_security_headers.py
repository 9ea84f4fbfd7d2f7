"""Headers every response carries: no caching of signed-in pages and downloads, and a
Permissions-Policy denying browser features crewplan does not use."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory

from crewplan.accounts.middleware import PrivateResponseMiddleware
from crewplan.workspaces import services
from tests.factories import client_for

NO_STORE = "private, no-store"


def test_signed_in_pages_and_downloads_are_not_stored(world: Any) -> None:
    alice = client_for(world.people["alice"])
    for url in ("/w/alpha/", "/w/alpha/audit/", "/w/alpha/raci/template.xlsx"):
        response = alice.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == NO_STORE, url
    made = alice.post("/w/alpha/work/feed/renew/")  # the page showing the address once
    assert made["Cache-Control"] == NO_STORE
    assert alice.post("/w/alpha/work/feed/revoke/")["Cache-Control"] == NO_STORE  # redirects too


def test_a_download_to_an_anonymous_request_is_not_stored() -> None:
    def download(request: Any) -> HttpResponse:
        response = HttpResponse(b"data")
        response["Content-Disposition"] = 'attachment; filename="x.xlsx"'
        return response

    request = RequestFactory().get("/x")
    request.user = AnonymousUser()
    assert PrivateResponseMiddleware(download)(request)["Cache-Control"] == NO_STORE
    page = PrivateResponseMiddleware(lambda r: HttpResponse(b"page"))(request)
    assert not page.has_header("Cache-Control")  # public pages stay as they were


def test_static_files_stay_cacheable(world: Any) -> None:
    response = client_for(world.people["alice"]).get("/static/crewplan/app.css")
    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]


def test_a_view_that_sets_cache_control_keeps_it(world: Any) -> None:
    alice = client_for(world.people["alice"])
    url = alice.post("/w/alpha/work/feed/renew/").context["url"]
    feed = alice.get(url.removeprefix("http://127.0.0.1:8000"))
    assert feed.status_code == 200 and feed["Cache-Control"] == "private, max-age=300"


def test_invitation_page_is_not_cached(world: Any) -> None:
    _, token = services.invitation_create(
        workspace=world.a,
        actor=world.people["alice"],
        email="new@a.example",
        team=world.a_in_house,
        role="member",
        send=False,
    )
    response = Client().get(f"/invite/{token}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_permissions_policy_denies_unused_features(db: Any) -> None:
    policy = Client().get("/accounts/login/")["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in policy
