"""DESIGN.md A: external members do not see budget amounts unless the workspace lets
them. Walks every workspace URL as the agency's manager and member, with distinctive
amounts on the in-house side, so a page, export, fragment or log added later that shows
them fails here without anyone remembering to add a test."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from crewplan.measure.models import Channel, Expense, ToolReview
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import AiTool, Goal, Kpi, KpiTarget, KpiValue, RoiEstimate
from tests.factories import (
    build,
    change_settings,
    client_for,
    metric_rows,
    tenant_values,
    walk,
)

# In-house money the agency must not see, as the pages, files and logs would write it.
HIDDEN = ["987,654", "987654", "43,219", "43219", "7,531", "7531", "24,680", "24680"]
HIDDEN += ["86,420", "86420"]  # an expense of the in-house line
HIDDEN += ["2,718", "2718", "31,415", "31415"]  # money KPIs' typed value and target
# Endpoints that answer a POST with a fragment and change nothing: posted with real data.
FRAGMENTS = {
    "planning_goal_check": {"text": "Grow", "target": "2"},
    "planning_tool_roi_preview": {"horizon_months": "12", "loaded_hourly_rate": "7531"},
}


@pytest.fixture
def money_world(world: Any) -> dict[str, Any]:
    alice = world.people["alice"]
    values = tenant_values(world, world.a.slug)
    tool = AiTool.objects.get(pk=values["tool_id"])
    tool.seats, tool.price_per_seat, tool.owner = 1, Decimal(43219), world.a_in_house
    tool.save()
    RoiEstimate.objects.create(
        workspace=world.a, tool=tool, loaded_hourly_rate=Decimal(7531), hours_saved_per_month=3
    )
    # A money setting (the health check's training cost per seat) reaches the audit log.
    change_settings(world.a, alice, budget_training_per_seat=Decimal(24680))
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="P"
    )
    amounts = {f"m{m:02d}": Decimal(0) for m in range(1, 13)}
    goal = Goal.objects.get(pk=values["goal_id"])
    common = {"kpi": None, "channel": None, "committed": Decimal(0)}
    budget_services.line_save(
        actor=alice,
        version=version,
        line=None,
        allow_over=True,  # a later version of the year: over what the original leaves
        data={
            "category": "media",
            "item": "In-house ads",
            "tool": tool,
            "goal": goal,
            "owner": world.a_in_house,
            **common,
            **(amounts | {"m01": Decimal(987654)}),
        },
    )
    budget_services.line_save(
        actor=alice,
        version=version,
        line=None,
        allow_over=True,  # a later version of the year: over what the original leaves
        data={
            "category": "agency_fees",
            "item": "Agency retainer",
            "tool": None,
            "goal": None,
            "owner": world.a_agency,
            **common,
            **(amounts | {"m01": Decimal(55555)}),
        },
    )
    # A reviewed month: the AI tools' results value its hour at the in-house rate (7,531).
    ToolReview.objects.create(
        workspace=world.a, tool=tool, month=date(2026, 1, 1), hours_saved=1, satisfaction=4
    )
    values["budget_version_id"] = version.pk
    values["line_id"] = version.lines.get(item="Agency retainer").pk
    # Imported spend and revenue (amounts too) of today, in the channels page's period.
    ads = Channel.objects.create(workspace=world.a, name="In-house ads channel")
    metric_rows(
        world.a, ads, [timezone.localdate()], spend_x100=7531_00, revenue_x100=43219_00, clicks=3
    )
    in_house = version.lines.get(item="In-house ads")
    expense = Expense.objects.create(
        workspace=world.a, line=in_house, day="2026-01-09", amount=Decimal(86420)
    )
    values["expense_id"] = expense.pk
    # Money KPIs: revenue computed from today's import (43,219), a target of it, a CAC
    # typed by hand; and a KPI of counts everyone may see (its value 4,242).
    today = timezone.localdate().replace(day=1)
    revenue = Kpi.objects.create(
        workspace=world.a, name="Revenue 營收", unit="TWD", formula="sum", metric="revenue"
    )
    KpiTarget.objects.create(
        workspace=world.a, kpi=revenue, period="month", starts=today, value=Decimal(31415)
    )
    cac = Kpi.objects.create(
        workspace=world.a,
        name="CAC 獲客成本",
        unit="x",  # money by its formula, whatever its unit
        direction="lower",
        formula="ratio",
        metric="spend",
        denominator="new_customers",
    )
    KpiValue.objects.create(workspace=world.a, kpi=cac, month=today, value=Decimal(2718))
    orders = Kpi.objects.create(
        workspace=world.a, name="Orders 訂單數", unit="x", formula="sum", metric="orders"
    )
    KpiValue.objects.create(workspace=world.a, kpi=orders, month=today, value=Decimal(4242))
    values["money_kpis"] = [revenue.pk, cac.pk]
    return values


def fetch_all(client: Any, values: dict[str, Any]) -> dict[str, str]:
    bodies = {}
    for route, name in walk():
        if "<slug:slug>" not in route:
            continue
        url = build(route, values)
        response = client.get(url)
        if response.status_code == 405 and name in FRAGMENTS:
            response = client.post(url, FRAGMENTS[name])
        content = response.content
        if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
            content = xlsx_text(content)
        bodies[url] = content.decode(errors="replace") if isinstance(content, bytes) else content
    return bodies


def xlsx_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return " ".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


@pytest.mark.parametrize("name", ["adam", "amy"])
def test_agency_never_sees_in_house_amounts(world: Any, money_world: Any, name: str) -> None:
    bodies = fetch_all(client_for(world.people[name]), money_world)
    for url, body in bodies.items():
        for amount in HIDDEN:
            assert not re.search(rf"(?<![\d,]){amount}(?![\d,])", body), (
                f"{url} shows {amount} to {name} of the agency"
            )
    # Their own team's line they do see, so the walk reached the budget page.
    budget = next(body for url, body in bodies.items() if url.endswith("/plan/budget/"))
    assert "55,555" in budget and "Agency retainer" in budget
    goal_page = bodies[f"/w/alpha/plan/goals/{money_world['goal_id']}/"]
    assert "In-house ads" in goal_page and "Amounts hidden" in goal_page
    # The KPI page and its downloads: money KPIs named, their figures hidden and said so;
    # a KPI of counts keeps its figures.
    kpis = bodies["/w/alpha/results/kpis/"]
    for pk in money_world["money_kpis"]:
        assert f'data-hidden-kpi="{pk}"' in kpis
    assert 'id="no-amounts"' in kpis and "4242" in kpis and "Revenue 營收" in kpis
    client = client_for(world.people[name])
    csv = client.get("/w/alpha/results/kpis/?format=csv").content.decode("utf-8-sig")
    xlsx = xlsx_text(client.get("/w/alpha/results/kpis/?format=xlsx").content)
    assert "Revenue 營收,,,,Amounts hidden," in csv and "4242.0000" in csv
    assert "Amounts hidden" in xlsx and "4242" in xlsx
    for amount in HIDDEN:
        assert not re.search(rf"(?<![\d,]){amount}(?![\d,])", csv + " " + xlsx), amount


def test_the_owner_lets_the_agency_see_the_budget(world: Any, money_world: Any) -> None:
    """Control: the same walk shows the amounts once the setting allows it, so the test
    above is the rule at work, not amounts that never render anywhere."""
    alice = world.people["alice"]
    change_settings(world.a, alice, external_can_see_budget=True)
    bodies = fetch_all(client_for(world.people["amy"]), money_world)
    budget = next(body for url, body in bodies.items() if url.endswith("/plan/budget/"))
    assert "987,654" in budget
    assert "86,420" in bodies["/w/alpha/results/expenses/"]
    goal_page = bodies[f"/w/alpha/plan/goals/{money_world['goal_id']}/"]
    assert "In-house ads" in goal_page and "NT$987,654" in goal_page
    channels = next(body for url, body in bodies.items() if url.endswith("/results/channels/"))
    assert "NT$7,531" in channels and "NT$43,219" in channels
    plan = next(body for url, body in bodies.items() if url.endswith("/results/plan/"))
    assert "NT$987,654" in plan
    assert "NT$7,531" in bodies["/w/alpha/results/tools/"]  # the tool's realized benefit
    kpis = bodies["/w/alpha/results/kpis/"]
    assert "43219" in kpis and "31415" in kpis and "2718" in kpis and "no-amounts" not in kpis


def test_money_kpis_by_their_metrics_or_their_unit() -> None:
    from crewplan.planning.goals.kpis import BY_KEY, Formula, KpiDefinition, is_money

    assert all(is_money(BY_KEY[k], "USD") for k in ("roas", "cac", "clv", "roi"))
    assert not any(is_money(BY_KEY[k], "TWD") for k in ("conversion_rate", "traffic_growth"))
    typed = KpiDefinition("", "TWD", "higher", Formula.AVERAGE, "order_value")
    assert is_money(typed, "twd") and not is_money(typed, "USD")


@pytest.mark.parametrize("name", ["adam", "amy"])
def test_planning_pages_hide_money_kpi_figures(world: Any, money_world: Any, name: str) -> None:
    """The planning side of a money KPI (its page with the history and targets, a goal on it,
    the goals list and the SMART panel) shows the agency no figure either, and says so."""
    alice = world.people["alice"]
    revenue_id = money_world["money_kpis"][0]
    goal = Goal.objects.create(
        workspace=world.a,
        text="Revenue 31415 by June",
        kpi_id=revenue_id,
        baseline=Decimal(2718),
        target=Decimal(31415),
        deadline=date(2026, 12, 31),
    )
    goal.text = "Grow revenue"
    goal.save()
    client = client_for(world.people[name])
    pages = {
        "kpi": client.get(f"/w/alpha/plan/kpis/{revenue_id}/"),
        "cac": client.get(f"/w/alpha/plan/kpis/{money_world['money_kpis'][1]}/"),
        "goal": client.get(f"/w/alpha/plan/goals/{goal.pk}/"),
        "goals": client.get("/w/alpha/plan/goals/"),
        "check": client.post(
            "/w/alpha/plan/goals/check/", {"kpi": revenue_id, "text": "Grow", "target": "9"}
        ),
    }
    for page, response in pages.items():
        body = response.content.decode()
        for amount in HIDDEN:
            assert not re.search(rf"(?<![\d,]){amount}(?![\d,])", body), (page, amount)
    for page in ("kpi", "cac", "goal"):
        assert 'id="figures-hidden"' in pages[page].content.decode(), page
    assert f'data-hidden-goal="{goal.pk}"' in pages["goals"].content.decode()
    # The same pages show the figures to the company.
    own = client_for(alice)
    assert "31415" in own.get(f"/w/alpha/plan/kpis/{revenue_id}/").content.decode()
    assert "31415" in own.get("/w/alpha/plan/goals/").content.decode()
