"""The overview page: the setup checklist ticked from the data, what waits for each
person by the workflow's rules, the matrix's and the budget's state within what the
person may see, helpful empty states, and a query count that does not grow."""

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from crewplan.measure.models import Expense
from crewplan.planning.budget import services as budget_services
from crewplan.planning.budget.queries import fiscal_year_of
from crewplan.planning.goals import services as goal_services
from crewplan.raci import services as raci_services
from crewplan.raci.models import Activity
from crewplan.workspaces import services
from crewplan.workspaces.models import Team
from tests.factories import change_settings, client_for, create, make_user, move


def step_states(page: str) -> dict[str, str]:
    found = re.findall(r'<li class="(done|todo)" data-step="([a-z]+)">', page)
    return {key: state for state, key in found}


def budget_line(version: Any, actor: Any, owner: Team, amount: int) -> None:
    month = timezone.localdate().month
    amounts = {f"m{m:02d}": Decimal(0) for m in range(1, 13)}
    line = budget_services.line_save(
        actor=actor,
        version=version,
        data={
            "category": "media",
            "item": "Facebook ads",
            "tool": None,
            "goal": None,
            "kpi": None,
            "channel": None,
            "owner": owner,
            "committed": Decimal(0),
            **(amounts | {f"m{month:02d}": Decimal(amount)}),
        },
    )
    Expense.objects.create(
        workspace=version.workspace,
        line=line,
        day=timezone.localdate(),
        amount=Decimal(amount // 4),
    )


def test_a_new_workspace_gets_a_checklist_ticked_from_its_data(db: Any) -> None:
    owner = make_user("owner@fresh.example", "Olive 陳")
    workspace = services.workspace_create(
        name="Fresh", slug="fresh", owner=owner, team_name="Marketing", default_language="en"
    )
    client = client_for(owner)
    page = client.get("/w/fresh/").content.decode()
    assert step_states(page) == dict.fromkeys(
        ["agency", "matrix", "people", "goal", "budget"], "todo"
    )
    for link in [
        "/w/fresh/people/#team-form",
        "/w/fresh/raci/template/",
        "/w/fresh/people/#invite-form",
        "/w/fresh/plan/goals/",
        "/w/fresh/plan/budget/",
    ]:
        assert f'href="{link}"' in page
    assert "0 of 5 steps done." in page
    # Empty states say what to do next.
    assert "Nothing waits for you right now." in page
    assert "No matrix yet." in page and "Start from the in-house + agency template." in page
    assert "No budget for this fiscal year yet." in page

    in_house = Team.objects.for_workspace(workspace).get()
    agency = services.team_create(
        workspace=workspace, actor=owner, name="Agency", kind=Team.Kind.EXTERNAL
    )
    assert step_states(client.get("/w/fresh/").content.decode())["agency"] == "done"
    raci_services.template_apply(
        workspace=workspace, actor=owner, in_house=in_house, agency=agency, language="en"
    )
    services.invitation_create(
        workspace=workspace,
        actor=owner,
        email="a@fresh.example",
        team=agency,
        role="member",
        send=False,
    )
    goal_services.goal_save(workspace=workspace, actor=owner, data={"text": "Sell more bread"})
    page = client.get("/w/fresh/").content.decode()
    assert step_states(page) == {
        "agency": "done",
        "matrix": "done",
        "people": "done",
        "goal": "done",
        "budget": "todo",
    }
    assert "4 of 5 steps done." in page

    year = fiscal_year_of(workspace, timezone.localdate())
    version = budget_services.version_create(
        workspace=workspace, actor=owner, fiscal_year=year, name="Plan"
    )
    budget_line(version, owner, in_house, 40000)
    page = client.get("/w/fresh/").content.decode()
    assert 'id="setup"' not in page  # all done: the checklist goes away
    assert "Facebook ads" not in page
    assert "Planned for the year" in page and "NT$40,000" in page


def test_only_who_sets_the_workspace_up_sees_the_checklist(world: Any, as_user: Any) -> None:
    assert 'id="setup"' in as_user("alice").get("/w/alpha/").content.decode()
    assert 'id="setup"' not in as_user("maya").get("/w/alpha/").content.decode()
    assert 'id="setup"' not in as_user("adam").get("/w/alpha/").content.decode()


@pytest.fixture
def social(world: Any) -> Activity:
    raci_services.template_apply(
        workspace=world.a,
        actor=world.people["alice"],
        in_house=world.a_in_house,
        agency=world.a_agency,
        language="en",
    )
    return Activity.objects.get(workspace=world.a, name="Social posts")


def waiting(client: Any) -> dict[str, list[str]]:
    context = client.get("/w/alpha/").context
    found = context["waiting"]
    return {
        "approve": [i.title for i in found.to_approve],
        "fix": [i.title for i in found.to_fix],
        "publish": [i.title for i in found.to_publish],
    }


def test_what_waits_for_whom_follows_the_workflow(world: Any, as_user: Any, social: Any) -> None:
    amy, alice, mike, maya = (as_user(n) for n in ("amy", "alice", "mike", "maya"))
    tonight = timezone.localdate().isoformat() + "T23:00"
    item = create(amy, social, title="Mooncake post", publish_at=tonight)  # the agency is R
    move(amy, item, "start")
    move(amy, item, "submit")
    nothing = {"approve": [], "fix": [], "publish": []}
    # In-house A of a draft counts: its owner and manager approve, not its member.
    assert waiting(alice)["approve"] == ["Mooncake post"]
    assert waiting(mike)["approve"] == ["Mooncake post"]
    assert waiting(maya) == nothing
    assert waiting(amy) == nothing
    move(alice, item, "request_changes", note="Shorter, please")
    assert waiting(amy) == nothing | {"fix": ["Mooncake post"]}
    assert waiting(alice) == nothing
    move(amy, item, "resume")
    move(amy, item, "submit")
    move(alice, item, "approve")
    # Approved, publishing tonight: R (the agency's people) and A may publish.
    assert waiting(amy)["publish"] == ["Mooncake post"]
    assert waiting(alice)["publish"] == ["Mooncake post"]
    page = amy.get("/w/alpha/").content.decode()
    assert f'href="/w/alpha/work/items/{item.pk}/"' in page


def test_publishing_next_week_does_not_wait_yet(world: Any, as_user: Any, social: Any) -> None:
    amy, alice = as_user("amy"), as_user("alice")
    later = (timezone.localdate() + timedelta(days=8)).isoformat() + "T12:00"
    item = create(amy, social, title="Later post", publish_at=later)
    for client, action in [(amy, "start"), (amy, "submit"), (alice, "approve")]:
        assert move(client, item, action).status_code == 302
    assert waiting(amy)["publish"] == []


def test_budget_amounts_only_for_who_may_see_them(world: Any, as_user: Any) -> None:
    alice = world.people["alice"]
    version = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=timezone.localdate().year, name="Plan"
    )
    budget_line(version, alice, world.a_in_house, 86420)
    in_house = as_user("mike").get("/w/alpha/").content.decode()
    assert "NT$86,420" in in_house and "NT$21,605" in in_house  # planned, spent (a quarter)
    assert "25% of what was planned up to now" in in_house
    agency = as_user("amy").get("/w/alpha/").content.decode()
    assert "86,420" not in agency and "Planned for the year" not in agency
    assert "The plan's amounts are shown to the company's own team." in agency
    change_settings(world.a, alice, external_can_see_budget=True)
    assert "NT$86,420" in as_user("amy").get("/w/alpha/").content.decode()


def test_matrix_findings_and_unread_notifications(world: Any, as_user: Any, social: Any) -> None:
    amy = as_user("amy")
    item = create(amy, social, title="Post")
    move(amy, item, "start")
    move(amy, item, "submit")  # tells the A (alice, mike)
    context = as_user("alice").get("/w/alpha/").context
    assert context["unread"] >= 1
    assert context["matrix"].version.is_draft
    page = as_user("alice").get("/w/alpha/").content.decode()
    health = context["matrix"]
    assert 'id="glance-raci"' in page and "Draft 1" in page
    if health.errors:
        assert f"{health.errors} error" in page
    else:
        assert "The check finds nothing to fix." in page


def test_overview_queries_do_not_grow_with_items(
    world: Any, as_user: Any, social: Any, django_assert_max_num_queries: Any
) -> None:
    amy, alice = as_user("amy"), as_user("alice")
    alice_user = world.people["alice"]
    version = budget_services.version_create(
        workspace=world.a, actor=alice_user, fiscal_year=timezone.localdate().year, name="P"
    )
    budget_line(version, alice_user, world.a_in_house, 1000)

    def submitted(n: int) -> None:
        for i in range(n):
            item = create(amy, social, title=f"Post {i}")
            move(amy, item, "start")
            move(amy, item, "submit")

    submitted(1)
    with django_assert_max_num_queries(40) as few:
        assert alice.get("/w/alpha/").status_code == 200
    small = len(few.captured_queries)  # now: the log of queries is a bounded deque
    submitted(12)
    for _ in range(20):
        budget_line(version, alice_user, world.a_in_house, 1000)
    with django_assert_max_num_queries(small):
        response = alice.get("/w/alpha/")
    assert len(response.context["waiting"].to_approve) == 13
    assert "and 8 more" in response.content.decode()


def test_empty_states_say_what_to_do(db: Any) -> None:
    owner = make_user("owner@empty.example", "Evan 林")
    workspace = services.workspace_create(
        name="Empty", slug="empty", owner=owner, team_name="Marketing", default_language="en"
    )
    client = client_for(owner)
    form = client.get("/w/empty/work/items/new/").content.decode()
    assert "The RACI matrix has no activities yet" in form
    assert '<a href="/w/empty/raci/">Set up the matrix first →</a>' in form
    services.team_create(workspace=workspace, actor=owner, name="Agency", kind="external")
    people = client.get("/w/empty/people/").content.decode()
    assert "Nobody in this team yet." in people
    assert '<a href="#invite-form">Invite someone with the form below.</a>' in people
    log = client_for(owner).get("/w/empty/audit/", {"kind": "raci"}).content.decode()
    assert "No change matches these filters." in log


def test_the_new_item_form_has_no_hint_once_the_matrix_has_activities(
    world: Any, as_user: Any, social: Any
) -> None:
    form = as_user("alice").get("/w/alpha/work/items/new/").content.decode()
    assert "The RACI matrix has no activities yet" not in form
