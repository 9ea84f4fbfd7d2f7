"""Resources (skills, hours, software stack, integration fit, skills gap) and the
evaluation matrix through the pages."""

from decimal import Decimal
from typing import Any

import pytest

from crewplan.audit.models import AuditEvent
from crewplan.planning.budget import queries as budget_queries
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import AiTool, EvaluationWeights, Skill, StackItem, ToolFit
from tests.factories import client_for, join, make_user

URL = "/w/alpha/plan/resources/"
COMPARE = "/w/alpha/plan/tools/compare/"
ALL_WEIGHTS = [
    f"weight-{c}" for c in ("features", "cost", "ease", "support", "integration", "value")
]


@pytest.fixture
def writer(world: Any) -> AiTool:
    return AiTool.objects.create(
        workspace=world.a,
        name="Writer AI",
        category="content_generation",
        status="active",
        seats=3,
        price_per_seat=1000,
        owner=world.a_in_house,
    )


def people_data(world: Any, **changes: str) -> dict[str, str]:
    """The people form as the page posts it: every cell, with some changed."""
    data = {}
    for membership in world.a.memberships.all():
        data[f"hours-{membership.pk}"] = ""
        for category in AiTool.Category.values:
            data[f"skill-{membership.pk}-{category}"] = "none"
    return data | changes


def test_skills_feed_the_gap_and_the_health_check(world: Any, writer: AiTool) -> None:
    alice = client_for(world.people["alice"])
    page = alice.get(URL).content.decode()
    assert 'data-tool="Writer AI" data-gap="3"' in page
    assert "NT$9,000" in page  # 3 seats × the default NT$3,000 per seat
    maya, mike, adam = (world.member(n).pk for n in ("maya", "mike", "adam"))
    data = people_data(
        world,
        **{
            f"skill-{maya}-content_generation": "basic",
            f"skill-{mike}-content_generation": "expert",
            f"skill-{adam}-content_generation": "expert",  # agency: not the owner team
            f"hours-{maya}": "40",
        },
    )
    response = alice.post(URL + "people/", data)
    assert response.status_code == 302
    assert Skill.objects.filter(workspace=world.a, level__in=["basic", "expert"]).count() == 3
    assert world.member("maya").hours_per_month == 40
    event = AuditEvent.objects.get(workspace=world.a, action="planning.skills_changed")
    assert event.after[f"{maya}.hours"] == [None, 40]
    page = alice.get(URL).content.decode()
    assert 'data-tool="Writer AI" data-gap="1"' in page and "NT$3,000" in page
    assert "40 hours a month" in page

    version = budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2026, name="Original"
    )
    plan = budget_queries.load_plan(version).plan
    assert plan.tools[0].able_users == 2  # Maya and Mike: the health check's training input

    # Saving the same values again changes nothing and writes no audit row.
    assert alice.post(URL + "people/", data).status_code == 302
    assert AuditEvent.objects.filter(action="planning.skills_changed").count() == 1


def test_bad_skills_change_nothing(world: Any, writer: AiTool) -> None:
    alice = client_for(world.people["alice"])
    maya = world.member("maya").pk
    for bad in (
        {f"skill-{maya}-seo": "guru"},
        {f"hours-{maya}": "9999"},
        {f"hours-{maya}": "-1"},
    ):
        # A valid change next to the bad one must not be saved either.
        data = people_data(world, **{f"skill-{maya}-chatbot": "expert"}, **bad)
        response = alice.post(URL + "people/", data)
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()
    assert not Skill.objects.exists()
    assert world.member("maya").hours_per_month is None
    assert not AuditEvent.objects.filter(action="planning.skills_changed").exists()


@pytest.mark.parametrize("name", ["maya", "vera", "adam", "amy"])
def test_only_editors_change_resources(world: Any, writer: AiTool, name: str) -> None:
    client = client_for(world.people[name])
    assert client.get(URL).status_code == 200  # everyone may look
    maya = world.member("maya").pk
    data = people_data(world, **{f"skill-{maya}-seo": "expert"})
    assert client.post(URL + "people/", data).status_code == 403
    assert client.post(URL + "systems/", {"kind": "eshop", "name": "SHOPLINE"}).status_code == 403
    assert client.post(COMPARE, {"tool": writer.pk}).status_code == 403
    assert not Skill.objects.exists() and not StackItem.objects.exists()


def test_agency_member_sees_no_training_money(world: Any, writer: AiTool) -> None:
    page = client_for(world.people["amy"]).get(URL).content.decode()
    assert 'data-tool="Writer AI" data-gap="3"' in page
    assert "NT$" not in page


def test_stack_and_integration_fit(world: Any, writer: AiTool) -> None:
    alice = client_for(world.people["alice"])
    assert alice.post(URL + "systems/", {"kind": "eshop", "name": "SHOPLINE"}).status_code == 302
    assert alice.post(URL + "systems/", {"kind": "analytics", "name": "GA4"}).status_code == 302
    duplicate = alice.post(URL + "systems/", {"kind": "eshop", "name": "shopline "})
    assert duplicate.status_code == 400 and "already in the stack" in duplicate.content.decode()
    assert alice.post(URL + "systems/", {"kind": "spaceship", "name": "X"}).status_code == 400
    shop, ga4 = StackItem.objects.filter(workspace=world.a).order_by("pk")
    assert AuditEvent.objects.filter(action="planning.system_added").count() == 2

    fit = {f"fit-{writer.pk}-{shop.pk}": "native", f"fit-{writer.pk}-{ga4.pk}": "manual"}
    assert alice.post(URL + "fit/", fit).status_code == 302
    assert dict(ToolFit.objects.values_list("system__name", "fit")) == {
        "SHOPLINE": "native",
        "GA4": "manual",
    }
    # A bad value anywhere in the grid: nothing changes.
    bad = fit | {f"fit-{writer.pk}-{shop.pk}": "", f"fit-{writer.pk}-{ga4.pk}": "telepathy"}
    assert alice.post(URL + "fit/", bad).status_code == 400
    assert ToolFit.objects.count() == 2
    # Back to "not assessed" forgets the pair.
    assert alice.post(URL + "fit/", fit | {f"fit-{writer.pk}-{ga4.pk}": ""}).status_code == 302
    assert list(ToolFit.objects.values_list("fit", flat=True)) == ["native"]

    page = alice.get(COMPARE + f"?tool={writer.pk}").content.decode()
    assert "Built-in integration: 1" in page and "Not assessed: 1" in page

    assert alice.post(URL + f"systems/{ga4.pk}/delete/").status_code == 302
    assert list(StackItem.objects.values_list("name", flat=True)) == ["SHOPLINE"]
    assert AuditEvent.objects.filter(action="planning.system_removed").count() == 1


def candidates(world: Any) -> tuple[AiTool, AiTool]:
    a = AiTool.objects.create(workspace=world.a, name="Copy A", seats=2, price_per_seat=500)
    b = AiTool.objects.create(workspace=world.a, name="Copy B", flat_fee=2000, integration=6000)
    return a, b


def evaluation_data(a: AiTool, b: AiTool, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {"tool": [a.pk, b.pk]}
    weights = {"features": 25, "cost": 20, "ease": 15, "support": 10, "integration": 15}
    for criterion, weight in (weights | {"value": 15}).items():
        data[f"weight-{criterion}"] = str(weight)
        data[f"score-{a.pk}-{criterion}"] = "3"
        data[f"score-{b.pk}-{criterion}"] = "4"
    return data | changes


def test_compare_two_candidates(world: Any) -> None:
    a, b = candidates(world)
    alice = client_for(world.people["alice"])
    page = alice.get(COMPARE).content.decode()  # candidates by default
    assert 'data-tool="Copy A"' in page and 'data-tool="Copy B"' in page
    assert "Not rated on:" in page and 'id="best"' not in page

    data = evaluation_data(a, b, **{f"score-{a.pk}-features": "5", f"score-{b.pk}-cost": "1"})
    response = alice.post(COMPARE, data)
    assert response.status_code == 302 and response["Location"].endswith(
        f"?tool={a.pk}&tool={b.pk}"
    )
    a.refresh_from_db()
    assert (a.score_features, a.score_cost) == (5, 3)
    page = alice.get(response["Location"]).content.decode()
    # A: 3 + 25·2/100 = 3.50; B: 4 − 20·3/100 = 3.40.
    assert 'data-score="3.5"' in page and 'data-score="3.4"' in page
    assert "Copy A scores best: 3.50 of 5." in page
    assert "NT$1,000" in page and "NT$6,000" in page  # per month of A, one-off of B
    assert "NT$30,000" in page  # B's first year: 12 × 2,000 + 6,000

    # The workspace weights: cost now counts most, and B wins.
    data = evaluation_data(a, b, **{f"score-{a.pk}-features": "5", f"score-{b.pk}-cost": "5"})
    data["weight-cost"] = "100"
    data["revision"] = EvaluationWeights.objects.get(workspace=world.a).revision
    assert alice.post(COMPARE, data).status_code == 302
    weights = EvaluationWeights.objects.get(workspace=world.a)
    assert weights.cost == 100 and weights.features == 25
    page = alice.get(COMPARE + f"?tool={a.pk}&tool={b.pk}").content.decode()
    assert "Copy B scores best" in page
    assert AuditEvent.objects.filter(action="planning.evaluation_changed").count() == 2


@pytest.mark.parametrize(
    "bad",
    [
        {"weight-cost": "150"},
        {"weight-cost": "-1"},
        {"weight-cost": "abc"},
        {"score-A-cost": "6"},
        dict.fromkeys(ALL_WEIGHTS, "0"),
    ],
)
def test_bad_evaluation_changes_nothing(world: Any, bad: dict[str, str]) -> None:
    a, b = candidates(world)
    bad = {k.replace("-A-", f"-{a.pk}-"): v for k, v in bad.items()}
    response = client_for(world.people["alice"]).post(COMPARE, evaluation_data(a, b) | bad)
    assert response.status_code == 400
    a.refresh_from_db()
    assert a.score_cost is None and not EvaluationWeights.objects.exists()
    assert not AuditEvent.objects.filter(action="planning.evaluation_changed").exists()


def test_compare_ignores_other_workspaces_tools(world: Any) -> None:
    a, _ = candidates(world)
    theirs = AiTool.objects.create(workspace=world.b, name="Beta secret tool")
    page = client_for(world.people["alice"]).get(COMPARE + f"?tool={a.pk}&tool={theirs.pk}")
    assert "Copy A" in page.content.decode()
    assert "Beta secret tool" not in page.content.decode()


def test_agency_compares_without_money(world: Any) -> None:
    candidates(world)
    page = client_for(world.people["amy"]).get(COMPARE).content.decode()
    assert 'data-tool="Copy A"' in page and "NT$" not in page
    assert 'name="score-' not in page and "Save evaluation" not in page  # read only


def test_compare_and_resources_queries_do_not_grow(
    world: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    """The same number of queries for 2 tools, 1 system and 6 people as for 8 tools (more
    than the comparison shows), 4 systems with fits, 9 people with skills."""
    alice = client_for(world.people["alice"])

    def add_tools(numbers: range) -> None:
        for n in numbers:
            AiTool.objects.create(
                workspace=world.a,
                name=f"T{n}",
                seats=1,
                price_per_seat=Decimal(n),
                owner=world.a_in_house,
            )

    def pages() -> tuple[str, str]:
        compare, resources = alice.get(COMPARE), alice.get(URL)
        assert compare.status_code == 200 and resources.status_code == 200
        return compare.content.decode(), resources.content.decode()

    add_tools(range(2))
    StackItem.objects.create(workspace=world.a, kind="eshop", name="SHOPLINE")
    pages()  # warm the session
    with django_assert_max_num_queries(36) as small:
        compare, resources = pages()
    assert compare.count("<th data-tool=") == 2
    assert resources.count("data-gap=") == 2 and resources.count("data-system=") == 1
    assert resources.count("data-person=") == 6

    add_tools(range(2, 8))
    for n in range(3):
        join(
            world.a,
            world.people["alice"],
            world.a_agency,
            make_user(f"r{n}@agency.example", f"R{n}"),
            "member",
        )
        StackItem.objects.create(workspace=world.a, kind="crm", name=f"CRM {n}")
    systems = list(StackItem.objects.filter(workspace=world.a))
    for tool in AiTool.objects.filter(workspace=world.a):
        for system in systems:
            ToolFit.objects.create(workspace=world.a, tool=tool, system=system, fit="native")
    for membership in world.a.memberships.all():
        Skill.objects.create(
            workspace=world.a, membership=membership, category="content_generation", level="basic"
        )
    with django_assert_num_queries(len(small.captured_queries)):
        compare, resources = pages()
    assert compare.count("<th data-tool=") == 6  # MAX_COMPARED
    assert resources.count("data-gap=") == 8 and resources.count("data-system=") == 4
    assert resources.count("data-person=") == 9
