"""The Results front page: a card per dashboard that exists, for every member, in both
languages; the section is in the navigation."""

from datetime import date
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import channel_named, client_for, metric_rows


def test_results_page_lists_the_dashboards_in_chinese_and_english(world: Any) -> None:
    chinese = client_for(world.people["amy"])
    chinese.cookies["django_language"] = "zh-hant"
    page = chinese.get("/w/alpha/results/", HTTP_ACCEPT_LANGUAGE="zh-hant").content.decode()
    assert 'data-section="measure_teams"' in page and "/w/alpha/results/teams/" in page
    english = client_for(world.people["vera"]).get("/w/alpha/results/")
    assert english.status_code == 200
    assert "Team scorecards" in english.content.decode()
    overview = client_for(world.people["alice"]).get("/w/alpha/").content.decode()
    assert 'href="/w/alpha/results/"' in overview  # the section in the navigation


def test_outsiders_get_no_results_page(world: Any) -> None:
    assert client_for(world.people["charlie"]).get("/w/alpha/results/").status_code == 404


def test_front_page_queries_do_not_grow_with_the_data(world: Any) -> None:
    client = client_for(world.people["alice"])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/w/alpha/results/").status_code == 200
        return len(queries)

    few = count()
    for i in range(10):
        channel = channel_named(world.a, f"Channel {i}")
        metric_rows(world.a, channel, [date(2026, 1, 1 + d) for d in range(20)], spend_x100=i)
    assert count() == few
    assert "Team scorecards" in client.get("/w/alpha/results/").content.decode()
