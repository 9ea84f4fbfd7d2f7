"""Monthly reviews of an AI tool (one per tool and month, edits through the revision,
audited, who may) and the AI tools' results page (realized against estimated, flags,
small wins, downloads, amounts hidden from the agency, constant query count)."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.audit.models import AuditEvent
from crewplan.audit.services import Conflict
from crewplan.measure.models import Campaign, DailyMetric, Expense, Import, ToolReview
from crewplan.measure.reviews import review_save
from crewplan.measure.tool_queries import tool_results
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import AiTool, RoiEstimate
from tests.factories import change_settings, channel_named, client_for, summarize

D = Decimal
REVIEW = {"active_seats": 3, "hours_saved": D(10), "outputs": 12, "satisfaction": 4, "note": ""}


@pytest.fixture
def tool(world: Any) -> AiTool:
    tool = AiTool.objects.create(
        workspace=world.a, name="Copy bot", owner=world.a_in_house, flat_fee=D(1000)
    )
    RoiEstimate.objects.create(
        workspace=world.a,
        tool=tool,
        horizon_months=12,
        hours_saved_per_month=10,
        loaded_hourly_rate=500,
        spread=30,
    )
    return tool


def spend_on(world: Any, tool: AiTool, months: dict[int, int]) -> None:
    """A 2026 plan line of the tool with an expense of `amount` in each month."""
    alice = world.people["alice"]
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="P"
    )
    amounts = {f"m{m:02d}": D(0) for m in range(1, 13)}
    line = budget_services.line_save(
        actor=alice,
        version=version,
        line=None,
        data={
            "category": "tool_subscription",
            "item": "Copy bot seats",
            "tool": tool,
            "kpi": None,
            "channel": None,
            "committed": D(0),
            **amounts,
        },
    )
    for month, amount in months.items():
        Expense.objects.create(
            workspace=world.a, line=line, day=date(2026, month, 5), amount=amount
        )


def test_one_review_per_month_and_edits_need_the_revision(world: Any, tool: AiTool) -> None:
    alice = world.people["alice"]
    review = review_save(
        workspace=world.a, actor=alice, tool=tool, month=date(2026, 3, 17), data=REVIEW
    )
    assert review.month == date(2026, 3, 1)
    with pytest.raises(Conflict):  # a second "new" review of March: someone was first
        review_save(workspace=world.a, actor=alice, tool=tool, month=date(2026, 3, 1), data=REVIEW)
    changed = review_save(
        workspace=world.a,
        actor=alice,
        tool=tool,
        month=date(2026, 3, 1),
        revision=review.revision,
        data={**REVIEW, "hours_saved": D(12)},
    )
    assert changed.hours_saved == 12 and ToolReview.objects.count() == 1
    with pytest.raises(Conflict):  # the stale revision
        review_save(
            workspace=world.a,
            actor=alice,
            tool=tool,
            month=date(2026, 3, 1),
            revision=review.revision,
            data=REVIEW,
        )
    events = AuditEvent.objects.filter(action="measure.tool_review_saved")
    assert events.count() == 2


def test_a_bad_review_changes_nothing(world: Any, tool: AiTool) -> None:
    with pytest.raises(ValidationError):
        review_save(
            workspace=world.a,
            actor=world.people["alice"],
            tool=tool,
            month=date(2026, 3, 1),
            data={**REVIEW, "satisfaction": 6},
        )
    assert (
        not ToolReview.objects.exists()
        and not AuditEvent.objects.filter(action="measure.tool_review_saved").exists()
    )


def test_the_review_page_saves_a_month(world: Any, tool: AiTool) -> None:
    client = client_for(world.people["maya"])  # a member of the tool's owner team
    url = f"/w/alpha/results/tools/{tool.pk}/reviews/"
    post = {
        "month": "2026-04",
        "active_seats": "2",
        "hours_saved": "7.5",
        "outputs": "9",
        "satisfaction": "5",
        "note": "快多了",
    }
    assert client.post(url, post).status_code == 302
    review = ToolReview.objects.get()
    assert (review.month, review.hours_saved, review.note) == (date(2026, 4, 1), D("7.5"), "快多了")
    page = client.get(url + "?month=2026-04").content.decode()
    assert 'value="2026-04"' in page and f'name="revision" value="{review.revision}"' in page
    assert client.post(url, {**post, "satisfaction": "0"}).status_code == 400
    stale = client.post(url, {**post, "hours_saved": "1"})  # no revision: someone was first
    assert stale.status_code == 400 and ToolReview.objects.get().hours_saved == D("7.5")


@pytest.mark.parametrize(
    ("name", "status"),
    [("alice", 200), ("mike", 200), ("maya", 200), ("vera", 403), ("amy", 403), ("adam", 403)],
)
def test_who_may_review(world: Any, tool: AiTool, name: str, status: int) -> None:
    response = client_for(world.people[name]).get(f"/w/alpha/results/tools/{tool.pk}/reviews/")
    assert response.status_code == status


def test_the_agency_reviews_its_own_tool(world: Any, tool: AiTool) -> None:
    tool.owner = world.a_agency
    tool.save()
    assert (
        client_for(world.people["amy"])
        .get(f"/w/alpha/results/tools/{tool.pk}/reviews/")
        .status_code
        == 200
    )


def review(world: Any, tool: AiTool, month: int, hours: str) -> None:
    ToolReview.objects.create(
        workspace=world.a,
        tool=tool,
        month=date(2026, month, 1),
        hours_saved=D(hours),
        satisfaction=4,
    )


def test_results_page_realized_against_estimated(world: Any, tool: AiTool) -> None:
    # Expected: 10 h × 500 − 1,000 = 4,000 a month; conservative 2,500; optimistic 5,500.
    spend_on(world, tool, {1: 1000, 2: 1000, 3: 1000})
    for month, hours in ((1, "12"), (2, "4"), (3, "5")):
        review(world, tool, month, hours)
    client = client_for(world.people["alice"])
    page = client.get("/w/alpha/results/tools/").content.decode()
    assert "NT$6,000" in page  # January: 12 h × 500
    assert "NT$5,000" in page and "500.0%" in page  # its net, its ROI
    assert 'id="flags"' in page and 'data-tool="' + str(tool.pk) in page  # Feb and March below
    assert "beat its expected case in 2026-01" in page
    csv = client.get("/w/alpha/results/tools/?format=csv").content.decode("utf-8-sig")
    assert "Copy bot,2026-01,12.0,4,1000.00,6000.00,5000.00,500.0,2500.00,4000.00,5500.00" in csv
    assert "Copy bot,To date,,,3000.00,10500.00,7500.00,250.0,7500.00,12000.00,16500.00" in csv
    xlsx = client.get("/w/alpha/results/tools/?format=xlsx")
    assert xlsx["Content-Disposition"].endswith('.xlsx"')


def test_set_up_paid_before_the_first_review_counts_in_its_month(world: Any, tool: AiTool) -> None:
    """The estimate puts one-off costs in month 1: so does the realized side, with what
    the tool's lines spent before people started reviewing it (here January's 8,000)."""
    spend_on(world, tool, {1: 8000, 2: 1000, 3: 1000})
    review(world, tool, 2, "10")
    review(world, tool, 3, "10")
    (result,) = tool_results(world.a)
    assert [m.cost for m in result.realized.months] == [D(9000), D(1000)]
    assert result.realized.cost == D(10000)
    assert not result.realized.small_wins  # February: 5,000 − 9,000 is no win


def test_the_agency_sees_no_money_on_the_results(world: Any, tool: AiTool) -> None:
    spend_on(world, tool, {1: 1000})
    review(world, tool, 1, "12")
    amy = client_for(world.people["amy"])
    page = amy.get("/w/alpha/results/tools/").content.decode()
    assert "Copy bot" in page and "NT$" not in page and "2026-01" in page
    csv = amy.get("/w/alpha/results/tools/?format=csv").content.decode("utf-8-sig")
    assert "6000" not in csv and "Copy bot,2026-01,12.0,4" in csv
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    assert "NT$6,000" in amy.get("/w/alpha/results/tools/").content.decode()


def test_results_page_queries_do_not_grow_with_the_data(world: Any, tool: AiTool) -> None:
    client = client_for(world.people["alice"])
    spend_on(world, tool, {1: 100})
    review(world, tool, 1, "1")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/w/alpha/results/tools/").status_code == 200
        return len(queries)

    small = count()
    for n in range(2, 6):
        other = AiTool.objects.create(workspace=world.a, name=f"Tool {n}", owner=world.a_in_house)
        RoiEstimate.objects.create(workspace=world.a, tool=other, loaded_hourly_rate=100)
        for month in range(2, 8):
            review(world, other, month, str(n))
            review(world, tool, month, "2") if n == 2 else None
    page = client.get("/w/alpha/results/tools/").content.decode()
    assert "Tool 5" in page
    assert count() == small


def test_the_tool_form_links_the_workspaces_channels(world: Any, tool: AiTool) -> None:
    meta = channel_named(world.a, "Meta")
    foreign = channel_named(world.b, "B only")
    alice = client_for(world.people["alice"])
    url = f"/w/alpha/plan/tools/{tool.pk}/"
    page = alice.get(url).content.decode()
    assert "Meta" in page and "B only" not in page
    data = {
        "name": "Copy bot",
        "category": "content_generation",
        "status": "active",
        "owner": world.a_in_house.pk,
        "seats": "0",
        "price_per_seat": "0",
        "flat_fee": "1000",
        "integration": "0",
        "training_hours": "0",
        "training_rate": "0",
        "training_fees": "0",
        "data_preparation": "0",
        "privacy_per_month": "0",
        "renewal_change": "0",
        "revision": tool.revision,
    }
    assert alice.post(url, {**data, "channels": [foreign.pk]}).status_code == 400
    assert alice.post(url, {**data, "channels": [meta.pk]}).status_code == 302
    tool.refresh_from_db()
    assert list(tool.channels.all()) == [meta]
    assert AuditEvent.objects.filter(action="planning.tool_saved", after={"channels": ["Meta"]})
    checked = re.search(r'<input[^>]*value="(\d+)"[^>]*checked', alice.get(url).content.decode())
    assert checked and checked[1] == str(meta.pk)


def test_the_uplift_is_valued_from_the_linked_channels(world: Any, tool: AiTool) -> None:
    estimate = tool.roi_estimate
    estimate.sessions_per_month, estimate.conversion_rate_lift = 1000, D("0.2")
    estimate.average_order_value, estimate.gross_margin = 2500, 40
    estimate.save()
    meta = channel_named(world.a, "Meta")
    seo = channel_named(world.a, "SEO")  # not the tool's
    tool.channels.add(meta)
    source = Import.objects.create(workspace=world.a, file_name="f", checksum="x", layout="g")
    for channel, revenue in ((meta, 50000), (seo, 99999)):
        campaign = Campaign.objects.create(workspace=world.a, channel=channel, name="")
        for day in (4, 20):  # 1,000 sessions and 20 conversions in March, over two days
            DailyMetric.objects.create(
                workspace=world.a,
                day=date(2026, 3, day),
                channel=channel,
                campaign=campaign,
                source=source,
                revenue_x100=revenue * 50,
                conversions_x100=1000,
                extras={"sessions": 50000},
            )
    summarize(world.a)
    review(world, tool, 3, "0")
    csv = client_for(world.people["alice"]).get("/w/alpha/results/tools/?format=csv")
    # 0.2 pp of a 2 % rate is a tenth of the orders: 50,000 × 0.1 × 40 % = 2,000.
    assert "Copy bot,2026-03,0.0,4,0.00,2000.00,2000.00," in csv.content.decode("utf-8-sig")
