"""The ROI estimator of an AI tool through its page: figures worked out by hand, the
percent → fraction conversion, bad input, the preview that saves nothing, who may see and
save, the ROI column of the tools list, and the budget page's chart data."""

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from crewplan.audit.models import AuditEvent
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import AiTool, BudgetLine, RoiEstimate
from crewplan.planning.tools import queries as tool_queries
from crewplan.planning.tools import roi
from crewplan.planning.tools import services as tool_services
from crewplan.planning.tools import views as tool_views
from tests.factories import change_settings, client_for

D = Decimal


@pytest.fixture
def tool(world: Any) -> AiTool:
    # Costs: 2 seats × 1,500 a month, 10,000 integration once.
    return tool_services.tool_save(
        workspace=world.a,
        actor=world.people["alice"],
        data={"name": "Copy AI", "seats": 2, "price_per_seat": D(1500), "integration": D(10000)},
    )


def url(tool: AiTool, preview: bool = False) -> str:
    return f"/w/alpha/plan/tools/{tool.pk}/roi/" + ("preview/" if preview else "")


def estimate_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "horizon_months": "12",
        "ramp_up_months": "0",
        "hours_saved_per_month": "20",
        "loaded_hourly_rate": "500",
        "sessions_per_month": "0",
        "conversion_rate_lift": "0",
        "average_order_value": "0",
        "gross_margin": "0",
        "costs_avoided_per_month": "0",
        "spread": "30",
    }
    return {**data, **overrides}


def json_data(page: str, element_id: str) -> Any:
    found = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page)
    assert found, f"no #{element_id} on the page"
    return json.loads(found[1])


def test_saved_estimate_shows_hand_computed_figures(world: Any, tool: AiTool) -> None:
    # Expected: benefit 20 h × 500 = 10,000 a month, 120,000 over 12 months. Cost 3,000 a
    # month + 10,000 in month 1 = 46,000. Net 74,000; ROI 74,000 / 46,000 = 160.9 %.
    # Cumulative: month 1 10,000 − 13,000 = −3,000; month 2 −3,000 + 7,000 = 4,000 → payback 2.
    # Conservative (hours × 0.7 = 14 h): 84,000 benefit, net 38,000, ROI 82.6 %; cumulative
    # −6,000, −2,000, +2,000 → month 3. Optimistic (26 h): 156,000, net 110,000, ROI 239.1 %;
    # month 1 ends at 13,000 − 13,000 = 0, which counts → month 1.
    alice = client_for(world.people["alice"])
    response = alice.post(url(tool), estimate_data())
    assert response.status_code == 302 and response["Location"] == url(tool)
    page = alice.get(url(tool))
    html = page.content.decode()
    assert "ROI estimate for Copy AI saved." in html

    expected = page.context["results"].expected
    assert expected.roi == D(74000) / D(46000) and expected.payback_month == 2
    for scenario, benefit, net, shown_roi, payback in (
        ("conservative", "NT$84,000", "NT$38,000", "82.6%", "month 3"),
        ("expected", "NT$120,000", "NT$74,000", "160.9%", "month 2"),
        ("optimistic", "NT$156,000", "NT$110,000", "239.1%", "month 1"),
    ):
        for figure in (benefit, "NT$46,000", net, shown_roi, payback):
            assert f'data-scenario="{scenario}">{figure}</td>' in html, (scenario, figure)

    # The expected scenario's monthly table, and the chart's data for all three.
    assert '<tr data-month="1"><td class="num">1</td><td class="num">NT$10,000</td>' in html
    assert "NT$13,000" in html and "-NT$3,000" in html
    chart = json_data(html, "roi-chart-data")
    assert chart["type"] == "line" and chart["labels"] == [str(m) for m in range(1, 13)]
    assert [s["label"] for s in chart["datasets"]] == ["Conservative", "Expected", "Optimistic"]
    assert chart["datasets"][1]["data"][:2] == ["-3000.00", "4000.00"]
    assert chart["datasets"][1]["data"][-1] == "74000.00"
    assert chart["datasets"][0]["data"][-1] == "38000.00"

    # Sensitivity: hours and rate each move the benefit by ± 24,000, ROI 50,000 / 46,000 =
    # 108.7 % and 98,000 / 46,000 = 213.0 %; a tie, broken by name: hours first.
    assert "Hours saved per month moves the ROI most" in html
    assert "108.7%" in html and "213.0%" in html
    rows = [row.assumption for row in page.context["results"].sensitivity]
    assert rows[:2] == ["hours_saved_per_month", "loaded_hourly_rate"]
    assert 'src="/static/crewplan/charts.js"' in html


def test_saving_is_audited_with_what_changed(world: Any, tool: AiTool) -> None:
    alice = client_for(world.people["alice"])
    alice.post(url(tool), estimate_data())
    saved = RoiEstimate.objects.get(tool=tool)
    alice.post(url(tool), estimate_data(hours_saved_per_month="25", revision=saved.revision))
    assert RoiEstimate.objects.filter(workspace=world.a).count() == 1
    saved = RoiEstimate.objects.get(tool=tool)
    assert saved.hours_saved_per_month == D(25) and saved.updated_by == world.people["alice"]
    first, second = AuditEvent.objects.filter(action="planning.roi_estimate_saved").order_by("pk")
    assert first.before is None and first.after["hours_saved_per_month"] == "20"
    assert second.before == {"hours_saved_per_month": "20"}
    assert second.after == {"hours_saved_per_month": "25"}
    assert second.actor == world.people["alice"] and second.workspace == world.a


def test_percent_fields_become_exact_fractions() -> None:
    tool = AiTool(seats=1, price_per_seat=D("1000"), renewal_change=D("0.05"))
    estimate = RoiEstimate(
        horizon_months=12,
        sessions_per_month=D(10000),
        conversion_rate_lift=D("0.2"),  # percentage points
        average_order_value=D(1000),
        gross_margin=D("40"),  # percent
        spread=D("30"),
    )
    a = tool_queries.assumptions_for(tool, estimate)
    assert a.conversion_rate_lift == D("0.002") and a.gross_margin == D("0.4")
    assert a.yearly_renewal_change == D("0.05") and a.price_per_seat_per_month == D(1000)
    # 10,000 sessions × 0.002 × 1,000 × 0.4 = 8,000 a month, to the last digit.
    assert roi.monthly_benefit_at_full_strength(a) == D(8000)
    assert tool_queries.percent_to_fraction(D("33.33")) == D("0.3333")
    assert tool_queries.percent_to_fraction(D("0.0125")) == D("0.000125")
    assert tool_queries.percent_to_fraction(D("30")) == D("0.3")


def test_every_sensitivity_row_has_a_label() -> None:
    assert set(tool_views.ASSUMPTION_LABELS) == set(roi.SENSITIVITY_FIELDS)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"hours_saved_per_month": "-5"}, "This cannot be negative"),
        ({"loaded_hourly_rate": "-1"}, "This cannot be negative"),
        ({"ramp_up_months": "13"}, "The ramp-up cannot be longer than the horizon."),
        ({"gross_margin": "120"}, "Enter a percentage from 0 to 100."),
        ({"spread": "101"}, "Enter a percentage from 0 to 100."),
        ({"horizon_months": "0"}, "The horizon is from 1 to 120 months."),
        ({"horizon_months": "121", "ramp_up_months": "0"}, "The horizon is from 1 to 120"),
        ({"sessions_per_month": "lots"}, "Enter a number."),
    ],
)
def test_bad_input_changes_nothing(
    world: Any, tool: AiTool, bad: dict[str, str], message: str
) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(url(tool), estimate_data(**bad))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RoiEstimate.objects.exists()
    assert not AuditEvent.objects.filter(action="planning.roi_estimate_saved").exists()


def test_bad_input_keeps_the_saved_estimate(world: Any, tool: AiTool) -> None:
    alice = client_for(world.people["alice"])
    alice.post(url(tool), estimate_data())
    revision = RoiEstimate.objects.get(tool=tool).revision
    response = alice.post(url(tool), estimate_data(gross_margin="120", revision=revision))
    assert response.status_code == 400 and "Enter a percentage from 0 to 100" in response.text
    assert RoiEstimate.objects.get(tool=tool).gross_margin == D(0)
    assert AuditEvent.objects.filter(action="planning.roi_estimate_saved").count() == 1


def test_a_tool_the_core_refuses_gives_a_message_not_an_error(world: Any, tool: AiTool) -> None:
    alice = client_for(world.people["alice"])
    alice.post(url(tool), estimate_data())
    AiTool.objects.filter(pk=tool.pk).update(renewal_change=D("-2"))  # below -100 percent
    page = alice.get(url(tool))
    assert page.status_code == 200 and "cost model cannot be used" in page.content.decode()
    revision = RoiEstimate.objects.get(tool=tool).revision
    response = alice.post(url(tool), estimate_data(hours_saved_per_month="30", revision=revision))
    assert response.status_code == 400 and "Correct the tool first" in response.content.decode()
    assert RoiEstimate.objects.get(tool=tool).hours_saved_per_month == D(20)
    assert (
        "Correct the tool first"
        in alice.post(url(tool, preview=True), estimate_data()).content.decode()
    )
    page = alice.get("/w/alpha/plan/tools/")
    assert page.status_code == 200 and "ROI estimate" in page.content.decode()


def test_the_service_refuses_a_tool_of_another_workspace(world: Any) -> None:
    foreign = AiTool.objects.create(workspace=world.b, name="B tool")
    with pytest.raises(ValidationError):
        tool_services.estimate_save(
            workspace=world.a,
            actor=world.people["alice"],
            tool=foreign,
            data={"horizon_months": 12},
        )
    assert not RoiEstimate.objects.exists()


def test_preview_computes_without_saving(world: Any, tool: AiTool) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(url(tool, preview=True), estimate_data())
    html = response.content.decode()
    assert response.status_code == 200 and 'id="roi-preview-note"' in html
    assert 'data-scenario="expected">NT$74,000</td>' in html and "160.9%" in html
    assert "<html" not in html  # the fragment only
    assert json_data(html, "roi-chart-data")["datasets"][1]["data"][-1] == "74000.00"
    # Too little benefit: no payback within the horizon.
    low = alice.post(url(tool, preview=True), estimate_data(hours_saved_per_month="1")).content
    assert "not within the horizon" in low.decode()
    # Errors come back as a fragment htmx swaps in (422).
    bad = alice.post(url(tool, preview=True), estimate_data(hours_saved_per_month="-1"))
    assert bad.status_code == 422 and "This cannot be negative" in bad.content.decode()
    assert alice.get(url(tool, preview=True)).status_code == 405
    assert not RoiEstimate.objects.exists()
    assert not AuditEvent.objects.filter(action="planning.roi_estimate_saved").exists()


def test_roi_on_nothing_spent_is_no_number(world: Any) -> None:
    free = AiTool.objects.create(workspace=world.a, name="Free tool")
    alice = client_for(world.people["alice"])
    html = alice.post(url(free, preview=True), estimate_data()).content.decode()
    assert 'data-scenario="expected">—</td>' in html
    assert 'data-scenario="expected">month 1</td>' in html


def test_agency_members_do_not_see_the_estimate(world: Any, tool: AiTool) -> None:
    client_for(world.people["alice"]).post(url(tool), estimate_data())
    for name in ("adam", "amy"):
        agency = client_for(world.people[name])
        assert agency.get(url(tool)).status_code == 403
        assert agency.post(url(tool, preview=True), estimate_data()).status_code == 403
        assert agency.post(url(tool), estimate_data(hours_saved_per_month="99")).status_code == 403
        page = agency.get("/w/alpha/plan/tools/").content.decode()
        assert "ROI estimate" not in page and "/roi/" not in page and "160.9%" not in page
    assert RoiEstimate.objects.get(tool=tool).hours_saved_per_month == D(20)
    # When the owner lets external teams see the budget, they may look, still not save.
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    amy = client_for(world.people["amy"])
    assert amy.get(url(tool)).status_code == 200
    assert amy.post(url(tool), estimate_data()).status_code == 403


def test_a_viewer_may_look_but_not_save(world: Any, tool: AiTool) -> None:
    vera = client_for(world.people["vera"])
    page = vera.get(url(tool))
    assert page.status_code == 200 and "Save estimate" not in page.content.decode()
    assert vera.post(url(tool, preview=True), estimate_data()).status_code == 200
    assert vera.post(url(tool), estimate_data()).status_code == 403
    assert not RoiEstimate.objects.exists()


def test_tools_list_shows_the_expected_roi_in_constant_queries(
    world: Any, tool: AiTool, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    alice = client_for(world.people["alice"])
    alice.post(url(tool), estimate_data())
    page = alice.get("/w/alpha/plan/tools/").content.decode()
    assert "ROI 160.9%, payback month 2" in page and url(tool) in page
    with django_assert_max_num_queries(25) as few:
        small = alice.get("/w/alpha/plan/tools/")
    assert small.status_code == 200 and small.content.decode().count("/roi/") == 1
    for i in range(20):
        extra = AiTool.objects.create(workspace=world.a, name=f"Tool {i}", seats=1)
        if i % 2:
            RoiEstimate.objects.create(workspace=world.a, tool=extra, hours_saved_per_month=D(i))
    with django_assert_num_queries(len(few.captured_queries)):
        response = alice.get("/w/alpha/plan/tools/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("/roi/") == 21 and "Tool 19" in page


def test_budget_chart_data_for_those_who_see_every_amount(world: Any) -> None:
    version = budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2026, name="Original"
    )
    months = {f"m{m:02d}": D(0) for m in range(1, 13)}
    for item, category, owner, amounts in (
        ("Meta ads", "media", world.a_in_house, {"m01": D(10000), "m02": D(20000)}),
        ("Google ads", "media", world.a_in_house, {"m01": D(5000)}),
        ("Copy AI", "tool_subscription", world.a_agency, {"m02": D("1500.50")}),
    ):
        budget_services.line_save(
            version=version,
            actor=world.people["alice"],
            data={"category": category, "item": item, "owner": owner, **{**months, **amounts}},
        )
    mike = client_for(world.people["mike"])
    page = mike.get("/w/alpha/plan/budget/?year=2026").content.decode()
    chart = json_data(page, "budget-chart-data")
    assert chart["type"] == "bar" and chart["stacked"] is True and len(chart["labels"]) == 12
    by_category = {s["label"]: s["data"] for s in chart["datasets"]}
    assert list(by_category) == ["Tool subscriptions", "Media spend"]  # categories in order
    assert by_category["Media spend"][:3] == ["15000.00", "20000.00", "0.00"]
    assert by_category["Tool subscriptions"][:2] == ["0.00", "1500.50"]
    # Stacked, the bars add up to the plan's monthly totals.
    monthly = [sum(D(s["data"][m]) for s in chart["datasets"]) for m in range(12)]
    assert monthly[:2] == [D(15000), D("21500.50")] and sum(monthly) == D("36500.50")
    assert 'src="/static/vendor/chartjs/chart.umd.min.js"' in page

    amy = client_for(world.people["amy"])
    hidden = amy.get("/w/alpha/plan/budget/?year=2026").content.decode()
    assert "budget-chart-data" not in hidden and "chart.umd.min.js" not in hidden
    assert BudgetLine.objects.filter(version=version).count() == 3


def test_assumptions_show_as_people_write_them(world: Any, tool: AiTool) -> None:
    alice = client_for(world.people["alice"])
    data = estimate_data(
        hours_saved_per_month="60",
        conversion_rate_lift="0.05",
        gross_margin="45",
        average_order_value="1200",
    )
    assert alice.post(url(tool), data).status_code == 302
    html = alice.get(url(tool)).content.decode()
    # 60 and 0.05, not the columns' 60.0 and 0.0500; each with its unit beside it.
    assert 'name="hours_saved_per_month" value="60"' in html
    assert 'name="conversion_rate_lift" value="0.05"' in html and "0.0500" not in html
    for name, unit in (
        ("gross_margin", "%"),
        ("spread", "%"),
        ("loaded_hourly_rate", "NT$"),
        ("average_order_value", "NT$"),
        ("conversion_rate_lift", "pp"),
    ):
        field = html[html.index(f'name="{name}"') :]
        assert field[: field.index("</div>")].endswith(f'<span class="unit">{unit}</span>'), name
    # The form is part of the page (no scroller of its own); results in the currency.
    assert '<aside class="roi-side">' in html and "raci-side" not in html
    chart = json_data(html, "roi-chart-data")
    assert (chart["currency"], chart["symbol"]) == ("TWD", "NT$")
