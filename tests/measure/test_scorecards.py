"""Team scorecards: figures from a hand-made workflow history with known answers, working
hours across weekends, a Taiwan holiday and a make-up Saturday, and the page."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from crewplan.measure.scorecard_queries import team_scorecards
from crewplan.measure.scorecards import (
    ItemHistory,
    Period,
    Step,
    TeamRef,
    preset_period,
    scorecards,
    taiwan_calendar,
    working_hours_between,
)
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity
from crewplan.work.calendar_tw import days_between
from crewplan.work.models import ItemRole, Transition, WorkItem
from crewplan.work.roles import role_book
from crewplan.workspaces.models import Membership
from tests.factories import change_settings, client_for

TAIPEI = ZoneInfo("Asia/Taipei")
CALENDAR = taiwan_calendar(TAIPEI, days_between(date(2025, 1, 1), date(2026, 12, 31)))
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
URL = "/w/alpha/results/teams/"
OCTOBER_QUERY = "?period=custom&from=2026-10-01&to=2026-10-31"


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TAIPEI)


# Working hours


def test_turnaround_across_a_holiday_and_a_weekend() -> None:
    # Thursday 16:00 → Monday 10:00: 2 h on Thursday, none on Friday 10-09 (國慶日補假),
    # Saturday 10-10 (國慶日) or Sunday, 1 h on Monday.
    assert working_hours_between(at(2026, 10, 8, 16), at(2026, 10, 12, 10), CALENDAR) == 3
    # Submitted on the holiday itself: only Monday's hour counts.
    assert working_hours_between(at(2026, 10, 9, 16), at(2026, 10, 12, 10), CALENDAR) == 1


def test_a_make_up_saturday_counts_in_full() -> None:
    # Friday 17:00 → Monday 10:00 over 2025-02-08, a 補班 Saturday: 1 + 9 + 1.
    assert working_hours_between(at(2025, 2, 7, 17), at(2025, 2, 10, 10), CALENDAR) == 11
    # The next Saturday is an ordinary day off.
    assert working_hours_between(at(2025, 2, 14, 17), at(2025, 2, 17, 10), CALENDAR) == 2


def test_working_hours_are_clipped_to_the_day_and_exact() -> None:
    assert working_hours_between(at(2026, 10, 5, 7), at(2026, 10, 5, 20), CALENDAR) == 9
    assert working_hours_between(at(2026, 10, 5, 19), at(2026, 10, 6, 8), CALENDAR) == 0
    quarter = working_hours_between(at(2026, 10, 5, 9), at(2026, 10, 5, 9, 15), CALENDAR)
    assert quarter == Decimal("0.25") and isinstance(quarter, Decimal)
    assert working_hours_between(at(2026, 10, 5, 12), at(2026, 10, 5, 11), CALENDAR) == 0
    # Times in UTC are read in the calendar's zone: 08:00 UTC is 16:00 in Taipei.
    utc = datetime(2026, 10, 8, 8, tzinfo=UTC)
    assert working_hours_between(utc, at(2026, 10, 8, 18), CALENDAR) == 2


# Periods


def test_preset_periods_and_the_period_before() -> None:
    today = date(2026, 11, 15)
    assert preset_period("this_month", today) == Period(date(2026, 11, 1), date(2026, 11, 30))
    assert preset_period("last_month", today) == OCTOBER
    assert preset_period("this_quarter", today) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert preset_period("last_quarter", today) == Period(date(2026, 7, 1), date(2026, 9, 30))
    january = date(2027, 1, 3)
    assert preset_period("last_month", january) == Period(date(2026, 12, 1), date(2026, 12, 31))
    assert preset_period("last_quarter", january) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert OCTOBER.before() == Period(date(2026, 8, 31), date(2026, 9, 30))
    with pytest.raises(ValueError):
        preset_period("yesterday", today)


# The figures, from a hand-made history

IN_HOUSE = TeamRef(10, "In-house", "internal")
AGENCY = TeamRef(20, "Agency", "external")
MAYA, MIKE, AMY, ADAM = 1, 2, 3, 4


def history() -> list[ItemHistory]:
    submit, approve, changes, publish = "submit", "approve", "request_changes", "publish"
    return [
        # in-house, on time, first pass, 3 working hours over 國慶日 and the weekend
        ItemHistory(
            1,
            IN_HOUSE,
            "Content",
            MAYA,
            at(2026, 10, 12, 12),
            at(2026, 10, 12, 11),
            (
                Step(submit, "in_review", at(2026, 10, 8, 16)),
                Step(approve, "approved", at(2026, 10, 12, 10)),
                Step(publish, "published", at(2026, 10, 12, 11)),
            ),
        ),
        # in-house, reworked, approved on the second submission in 1.5 h, published late
        ItemHistory(
            2,
            IN_HOUSE,
            "Ads",
            MIKE,
            at(2026, 10, 20, 10),
            at(2026, 10, 21, 9),
            (
                Step(submit, "in_review", at(2026, 10, 14, 9)),
                Step(changes, "changes_requested", at(2026, 10, 14, 12)),
                Step(submit, "in_review", at(2026, 10, 15, 9)),
                Step(approve, "approved", at(2026, 10, 15, 10, 30)),
                Step(publish, "published", at(2026, 10, 21, 9)),
            ),
        ),
        # agency, published exactly at the planned time (on time); Friday 17:00 → Monday
        # 10:00 is 2 working hours
        ItemHistory(
            3,
            AGENCY,
            "Content",
            AMY,
            at(2026, 10, 5, 12),
            at(2026, 10, 5, 12),
            (
                Step(submit, "in_review", at(2026, 10, 2, 17)),
                Step(approve, "approved", at(2026, 10, 5, 10)),
                Step(publish, "published", at(2026, 10, 5, 12)),
            ),
        ),
        # agency, in review, planned time passed: late
        ItemHistory(
            4,
            AGENCY,
            "Content",
            AMY,
            at(2026, 10, 28, 12),
            None,
            (Step(submit, "in_review", at(2026, 10, 27, 9)),),
        ),
        # agency, planned after "now": not judged for on-time yet
        ItemHistory(5, AGENCY, "Ads", ADAM, at(2026, 10, 30, 12), None, ()),
        # nobody responsible
        ItemHistory(6, None, "", None, at(2026, 10, 10, 12), None, ()),
        # September: in-house, 4 working hours, published late
        ItemHistory(
            7,
            IN_HOUSE,
            "Content",
            MAYA,
            at(2026, 9, 15, 12),
            at(2026, 9, 16, 9),
            (
                Step(submit, "in_review", at(2026, 9, 14, 9)),
                Step(approve, "approved", at(2026, 9, 14, 13)),
                Step(publish, "published", at(2026, 9, 16, 9)),
            ),
        ),
        # November and July: in neither period
        ItemHistory(8, IN_HOUSE, "Content", MAYA, at(2026, 11, 1, 12), None, ()),
        ItemHistory(9, IN_HOUSE, "Content", MAYA, at(2026, 8, 30, 12), None, ()),
    ]


NOW = at(2026, 10, 29, 12)


def card() -> Any:
    return scorecards(history(), CALENDAR, OCTOBER, NOW)


def test_in_house_figures_and_their_change() -> None:
    in_house = card().kinds[0]
    assert in_house.key == "internal"
    now, before = in_house.current, in_house.previous
    assert (now.items, now.people, now.on_time_measured, now.on_time) == (2, 2, 2, 1)
    assert now.on_time_pct == Decimal("50.0")
    assert now.median_turnaround_hours == Decimal("2.25")  # median of 3 and 1.5
    assert (now.reviewed, now.reworked, now.rework_pct) == (2, 1, Decimal("50.0"))
    assert (now.approved, now.first_pass, now.first_pass_pct) == (2, 1, Decimal("50.0"))
    assert now.items_per_person == Decimal("1.00")
    assert before.items == 1 and before.on_time_pct == Decimal("0.0")
    assert before.median_turnaround_hours == Decimal("4.00")
    assert before.first_pass_pct == Decimal("100.0") and before.rework_pct == Decimal("0.0")
    assert in_house.change["on_time_pct"] == Decimal("50.0")
    assert in_house.change["median_turnaround_hours"] == Decimal("-1.75")
    assert in_house.change["rework_pct"] == Decimal("50.0")
    assert in_house.change["first_pass_pct"] == Decimal("-50.0")
    assert in_house.change["items"] == 1


def test_agency_figures_and_nothing_to_compare() -> None:
    agency = card().kinds[1]
    now = agency.current
    assert (now.items, now.people, now.items_per_person) == (3, 2, Decimal("1.50"))
    # item 3 on time (published at the very minute), item 4 late, item 5 not yet due
    assert (now.on_time_measured, now.on_time, now.on_time_pct) == (2, 1, Decimal("50.0"))
    assert now.median_turnaround_hours == Decimal("2.00")
    assert now.rework_pct == Decimal("0.0") and now.first_pass_pct == Decimal("100.0")
    assert agency.previous.items == 0
    assert agency.previous.on_time_pct is None
    assert agency.previous.median_turnaround_hours is None
    assert agency.previous.items_per_person is None
    assert agency.change["on_time_pct"] is None


def test_rows_per_team_and_function() -> None:
    cards = card()
    assert [(r.key, r.name, r.kind) for r in cards.teams] == [
        ("10", "In-house", "internal"),
        ("20", "Agency", "external"),
    ]
    assert [r.key for r in cards.functions] == ["Ads", "Content", ""]
    content = next(r for r in cards.functions if r.key == "Content")
    assert (content.current.items, content.current.people) == (3, 2)
    assert content.current.on_time_pct == Decimal("66.7")
    assert content.current.median_turnaround_hours == Decimal("2.50")
    assert content.kind is None
    assert cards.total.current.items == 6 and cards.total.previous.items == 1
    assert cards.unassigned == 1


def test_nothing_to_measure_is_none() -> None:
    empty = scorecards([], CALENDAR, OCTOBER, NOW)
    assert empty.teams == [] and empty.functions == []
    assert all(row.current.on_time_pct is None for row in empty.kinds)
    assert empty.total.current.items_per_person is None


def test_a_withdrawn_review_has_no_turnaround_and_spoils_no_first_pass() -> None:
    item = ItemHistory(
        1,
        IN_HOUSE,
        "Content",
        MAYA,
        at(2026, 10, 20, 12),
        None,
        (
            Step("submit", "in_review", at(2026, 10, 19, 9)),
            Step("withdraw", "drafting", at(2026, 10, 19, 10)),
            Step("submit", "in_review", at(2026, 10, 19, 11)),
            Step("approve", "approved", at(2026, 10, 19, 12)),
        ),
    )
    now = scorecards([item], CALENDAR, OCTOBER, NOW).total.current
    assert now.median_turnaround_hours == Decimal("1.00")
    assert now.first_pass_pct == Decimal("0.0")  # the first review ended without approval
    assert now.rework_pct == Decimal("0.0")


# The loader and the page


@pytest.fixture
def scored(world: Any) -> dict[str, Any]:
    """Workspace A with the template RACI and three October items whose R is set on the
    item: maya (in-house, on time, 3 h over 國慶日), amy (agency, late, reworked)."""
    raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    activity = Activity.objects.filter(workspace=world.a).select_related("function").first()
    maya, amy = world.member("maya"), world.member("amy")
    on_time = _item(world, activity, maya, at(2026, 10, 12, 12))
    _steps(
        world,
        on_time,
        [
            ("submit", "in_review", at(2026, 10, 8, 16)),
            ("approve", "approved", at(2026, 10, 12, 10)),
            ("publish", "published", at(2026, 10, 12, 11)),
        ],
    )
    late = _item(world, activity, amy, at(2026, 10, 20, 10))
    _steps(
        world,
        late,
        [
            ("submit", "in_review", at(2026, 10, 14, 9)),
            ("request_changes", "changes_requested", at(2026, 10, 14, 12)),
            ("submit", "in_review", at(2026, 10, 15, 9)),
            ("approve", "approved", at(2026, 10, 15, 10, 30)),
            ("publish", "published", at(2026, 10, 21, 9)),
        ],
    )
    return {"activity": activity, "maya": maya, "amy": amy}


def _item(world: Any, activity: Any, responsible: Any, publish_at: datetime) -> WorkItem:
    item = WorkItem.objects.create(
        workspace=world.a, title="Scored post", activity=activity, publish_at=publish_at
    )
    ItemRole.objects.create(workspace=world.a, item=item, membership=responsible, role="R")
    return item


def _steps(world: Any, item: WorkItem, steps: list[tuple[str, str, datetime]]) -> None:
    before = "drafting"
    for action, state, moment in steps:
        Transition.objects.create(
            workspace=world.a,
            item=item,
            action=action,
            from_state=before,
            to_state=state,
            at=moment,
        )
        before = state


def test_the_loader_gives_the_figures_of_the_recorded_history(world: Any, scored: Any) -> None:
    with timezone.override("Asia/Taipei"):
        cards = team_scorecards(world.a, OCTOBER, now=at(2026, 11, 2, 9))
    in_house, agency = cards.kinds
    assert in_house.current.items == 1 and in_house.current.on_time_pct == Decimal("100.0")
    assert in_house.current.median_turnaround_hours == Decimal("3.00")
    assert agency.current.on_time_pct == Decimal("0.0")
    assert agency.current.rework_pct == Decimal("100.0")
    assert agency.current.first_pass_pct == Decimal("0.0")
    assert agency.current.median_turnaround_hours == Decimal("1.50")
    assert [r.name for r in cards.teams] == [world.a_in_house.name, world.a_agency.name]
    assert [r.key for r in cards.functions] == [scored["activity"].function.name]


def test_without_an_override_the_item_counts_for_its_matrix_r(world: Any, scored: Any) -> None:
    """The R comes from the RACI matrix: an item of an activity the agency is R of, with
    no override, is the agency's (its lowest-numbered R person's team)."""
    book = role_book(world.a)
    agency = {m.pk for m in Membership.objects.filter(team=world.a_agency)}
    activity = next(
        a
        for a in Activity.objects.filter(workspace=world.a)
        if min(book.by_activity.get(a.pk, {}).get("R", {0})) in agency
    )
    WorkItem.objects.create(
        workspace=world.a, title="Matrix post", activity=activity, publish_at=at(2026, 10, 7, 12)
    )
    with timezone.override("Asia/Taipei"):
        cards = team_scorecards(world.a, OCTOBER, now=at(2026, 11, 2, 9))
    assert cards.kinds[1].current.items == 2  # amy's override, and this one
    assert cards.unassigned == 0


def test_the_page_in_english_states_figures_and_definitions(world: Any, scored: Any) -> None:
    page = client_for(world.people["vera"]).get(URL + OCTOBER_QUERY)  # a viewer may see it
    assert page.status_code == 200
    body = page.content.decode()
    assert "On time = published no later than the planned publish time" in body
    assert "working hours 09–18 on Taiwan working days" in body
    assert world.a_agency.name in body and "In-house vs agency" in body
    assert '<td class="num">3.00</td>' in body  # maya's turnaround over 國慶日
    assert 'id="scorecard-chart-data"' in body and 'class="grid-scroll"' in body


def test_the_page_in_chinese_has_no_english_labels(world: Any, scored: Any) -> None:
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    body = client_for(world.people["maya"]).get(URL + OCTOBER_QUERY).content.decode()
    assert "團隊績效" in body and "準時" in body and "工作時數" in body
    for english in ("On time", "Median turnaround", "Rework rate", "Download CSV", "Team kind"):
        assert english not in body, english


def test_a_bad_custom_period_is_refused_with_a_message(world: Any, scored: Any) -> None:
    client = client_for(world.people["maya"])
    body = client.get(URL + "?period=custom&from=2026-10-31&to=2026-10-01").content.decode()
    assert "The custom period ends before it starts." in body
    body = client.get(URL + "?period=custom&from=soon&to=2026-10-01").content.decode()
    assert "Give both dates of the custom period" in body


def test_each_table_downloads_as_csv_and_xlsx(world: Any, scored: Any) -> None:
    client = client_for(world.people["maya"])
    response = client.get(URL + OCTOBER_QUERY + "&table=teams&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert (
        'filename="scorecards-teams-alpha-2026-10-01-2026-10-31.csv"'
        in response["Content-Disposition"]
    )
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Team", "Team kind", "On time %", "On time %, before"]
    in_house = next(r for r in rows if r[0] == world.a_in_house.name)
    assert in_house[1] == "In-house" and in_house[2] == "100.0" and in_house[3] == ""
    assert in_house[5] == "3.00"
    response = client.get(URL + OCTOBER_QUERY + "&table=functions&format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(1, 1).value == "Function"
    assert sheet.cell(2, 1).value == scored["activity"].function.name
    kinds = client.get(URL + OCTOBER_QUERY + "&table=kinds&format=csv").content
    assert "Agency (external)" in kinds.decode("utf-8-sig")


def _more_items(world: Any, scored: Any, n: int) -> None:
    for i in range(n):
        item = _item(world, scored["activity"], scored["maya"], at(2026, 10, 1 + i % 28, 12))
        _steps(
            world,
            item,
            [
                ("submit", "in_review", at(2026, 9, 28, 9) + timedelta(hours=i % 7)),
                ("approve", "approved", at(2026, 9, 29, 9)),
            ],
        )


def _queries(client: Any) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(URL + OCTOBER_QUERY).status_code == 200
    return len(captured)


def test_the_page_runs_the_same_queries_for_5_and_50_items(world: Any, scored: Any) -> None:
    client = client_for(world.people["maya"])
    _more_items(world, scored, 3)  # 5 items
    few = _queries(client)
    _more_items(world, scored, 45)  # 50 items
    many = _queries(client)
    assert few == many
    body = client.get(URL + OCTOBER_QUERY).content.decode()
    assert '<td class="num">50</td>' in body


def test_an_outsider_gets_nothing(world: Any, scored: Any) -> None:
    response = client_for(world.people["charlie"]).get(URL + OCTOBER_QUERY)
    assert response.status_code == 404
    assert world.a_agency.name.encode() not in response.content
