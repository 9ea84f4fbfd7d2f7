"""Every page names the app's icon, and the icon is served (no 404 in the browser's tab)."""

from django.test import Client


def test_pages_name_an_icon_that_is_served(db: object) -> None:
    page = Client().get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/crewplan/favicon.svg"' in page
    icon = Client().get("/static/crewplan/favicon.svg")
    assert icon.status_code == 200
    assert b"<svg" in b"".join(icon.streaming_content)
