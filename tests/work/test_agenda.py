"""The calendar as a list of days (issue 10): ?view=agenda anywhere, and the same list
under the month grid, which narrow screens show instead of the grid (CSS, no script).
Each day headed as a Taiwanese calendar heads it: 12月10日（四）."""

from typing import Any

from crewplan.work.models import WorkItem
from tests.factories import client_for, create, posts_in_september


def _agenda(page: str) -> str:
    return page.split('id="agenda"')[1].split('<aside id="drawer"')[0]


def test_the_agenda_lists_the_days_with_items_in_both_languages(
    world: Any, raci: dict[str, Any]
) -> None:
    amy = client_for(world.people["amy"])
    create(amy, raci["social"], title="Winter solstice post", publish_at="2026-12-10T12:00")
    create(amy, raci["social"], title="Year-end sale", publish_at="2026-12-14T09:30")
    create(amy, raci["social"], title="January teaser", publish_at="2027-01-05T09:00")

    english = amy.get("/w/alpha/work/?view=agenda&d=2026-12-01")
    assert english.status_code == 200
    page = english.content.decode()
    assert 'id="calendar"' not in page  # the list alone, at any width
    agenda = _agenda(page)
    assert 'data-agenda-day="2026-12-10"' in agenda and "Thu 10 Dec" in agenda
    assert "Winter solstice post" in agenda and "<time>12:00</time>" in agenda
    assert "Mon 14 Dec" in agenda and "Year-end sale" in agenda
    assert "Fri 25 Dec" in agenda and "Constitution Day" in agenda  # a holiday, no items
    assert 'data-agenda-day="2026-12-11"' not in agenda  # nothing that day
    assert "January teaser" not in agenda  # another month
    days = [part.split('"')[0] for part in agenda.split('data-agenda-day="')[1:]]
    assert days == ["2026-12-10", "2026-12-14", "2026-12-25"]
    # Each item opens its page.
    item = WorkItem.objects.get(title="Winter solstice post")
    assert f'href="/w/alpha/work/items/{item.pk}/"' in agenda

    amy.post("/accounts/language/", {"language": "zh-hant"})
    agenda = _agenda(amy.get("/w/alpha/work/?view=agenda&d=2026-12-01").content.decode())
    assert "12月10日（四）" in agenda and "12月14日（一）" in agenda
    assert "12月25日（五）" in agenda and "行憲紀念日" in agenda
    assert "Thu" not in agenda and "Dec" not in agenda
    # The arrows stay in the list.
    page = amy.get("/w/alpha/work/?view=agenda&d=2026-12-01").content.decode()
    assert 'href="?view=agenda&amp;d=2027-01-01" id="next"' in page


def test_the_month_carries_the_agenda_for_narrow_screens(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    create(amy, raci["social"], title="Winter solstice post", publish_at="2026-12-10T12:00")
    page = amy.get("/w/alpha/work/?d=2026-12-01").content.decode()
    assert 'id="calendar"' in page  # the grid, for wide screens
    assert '<section class="agenda" id="agenda"' in page  # shown by CSS under 700 px
    assert "Winter solstice post" in _agenda(page)
    css = amy.get("/static/crewplan/app.css").getvalue().decode()
    narrow = css.split("@media (max-width: 700px)")[1].split("}\n}")[0]
    assert "table.calendar" in narrow and ".agenda { display: block; }" in narrow
    # Short weekday heads that fit a narrow column, with the full name to hover.
    assert '<abbr title="Sunday">Sun</abbr>' in page
    amy.post("/accounts/language/", {"language": "zh-hant"})
    page = amy.get("/w/alpha/work/?d=2026-12-01").content.decode()
    assert '<abbr title="星期日">日</abbr>' in page and '<abbr title="星期四">四</abbr>' in page


def test_the_agenda_of_a_week_and_its_filters(world: Any, raci: dict[str, Any]) -> None:
    amy = client_for(world.people["amy"])
    create(amy, raci["social"], title="Solstice post", publish_at="2026-12-10T12:00")
    create(
        amy, raci["social"], title="Solstice tweet", channel="x_post", publish_at="2026-12-11T08:00"
    )
    create(amy, raci["social"], title="Sale post", publish_at="2026-12-14T09:30")
    week = _agenda(amy.get("/w/alpha/work/?view=week&d=2026-12-10").content.decode())
    assert "Solstice post" in week and "Solstice tweet" in week and "Sale post" not in week

    filtered = amy.get("/w/alpha/work/?view=agenda&d=2026-12-01&channel=x_post").content.decode()
    agenda = _agenda(filtered)
    assert "Solstice tweet" in agenda and "Solstice post" not in agenda
    assert '<input type="hidden" name="view" value="agenda">' in filtered  # kept on filtering

    empty = amy.get("/w/alpha/work/?view=agenda&d=2026-11-01").content.decode()
    assert "Nothing is planned this month." in empty


def test_agenda_queries_do_not_grow(
    world: Any,
    raci: dict[str, Any],
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    alice = client_for(world.people["alice"])

    def add(n: int) -> None:
        posts_in_september(world.a, raci["social"], n)

    add(3)
    url = "/w/alpha/work/?view=agenda&d=2026-09-01"
    alice.get(url)  # warm the session
    with django_assert_max_num_queries(16) as small:
        page = alice.get(url)
    assert page.content.decode().count('class="agenda-item ') == 3
    add(60)
    with django_assert_num_queries(len(small.captured_queries)):
        page = alice.get(url)
    assert page.content.decode().count('class="agenda-item ') == 63
