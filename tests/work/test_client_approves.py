"""The client approves: the agency cannot make itself the A of its own work through a
draft matrix the in-house side has not accepted (issue 8, the attack as it was run, through
the pages, as the agency's manager Adam and its member Amy)."""

from typing import Any

from crewplan.raci.models import Activity, Function
from crewplan.raci.queries import person_key, team_key
from crewplan.work.models import WorkItem
from tests.factories import client_for, create, move

OWN_WORK = "Agency own campaign"


def agency_writes_itself_in(world: Any) -> Activity:
    """Adam, alone, adds an activity to the draft with his team as A and Amy as R."""
    adam = client_for(world.people["adam"])
    function = Function.objects.get(workspace=world.a, name="Ads")
    added = adam.post(
        "/w/alpha/raci/activities/new/",
        {"function": function.pk, "name": OWN_WORK, "kind": "execution", "split": ""},
    )
    assert added.status_code == 302
    activity = Activity.objects.get(workspace=world.a, name=OWN_WORK)
    assert adam.post("/w/alpha/raci/people/", {"membership": world.member("amy").pk}).status_code
    agency_cell = f"c:{activity.pk}:{team_key(world.a_agency.pk)}"
    amy_cell = f"c:{activity.pk}:{person_key(world.member('amy').pk)}"
    saved = adam.post("/w/alpha/raci/cells/", {agency_cell: "A", amy_cell: "R"})
    assert saved.status_code == 302
    grid = adam.get("/w/alpha/raci/").content.decode()
    assert f'name="{agency_cell}" value="A"' in grid and f'name="{amy_cell}" value="R"' in grid
    return activity


def test_agency_cannot_approve_its_own_work_through_a_draft(
    world: Any, raci: dict[str, Any]
) -> None:
    activity = agency_writes_itself_in(world)
    adam, amy = client_for(world.people["adam"]), client_for(world.people["amy"])
    item = create(amy, activity, title="Our own ad")
    assert move(amy, item, "start").status_code == 302
    assert move(amy, item, "submit").status_code == 302  # R from the draft: she may submit

    page = adam.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert 'data-action="approve"' not in page
    refused = move(adam, item, "approve")
    assert refused.status_code == 403 and "Only the Accountable" in refused.content.decode()
    assert move(amy, item, "publish").status_code in (403, 409)
    item.refresh_from_db()
    assert item.state == "in_review"

    # The in-house side decides: with no accepted A, the workspace owner approves.
    alice = client_for(world.people["alice"])
    assert 'data-action="approve"' in alice.get(f"/w/alpha/work/items/{item.pk}/").content.decode()
    assert move(alice, item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.state == "approved"


def test_the_matrix_page_says_whose_a_waits_for_sign_off(world: Any, raci: dict[str, Any]) -> None:
    agency_writes_itself_in(world)
    page = client_for(world.people["mike"]).get("/w/alpha/raci/").content.decode()
    assert 'id="draft-accountable-notice"' in page
    assert OWN_WORK in page.split('id="draft-accountable-notice"')[1].split("</div>")[0]


def test_once_both_sides_sign_the_agency_a_counts(world: Any, raci: dict[str, Any]) -> None:
    """An external A on execution work that in-house has signed is the client's choice."""
    activity = agency_writes_itself_in(world)
    alice, adam = client_for(world.people["alice"]), client_for(world.people["adam"])
    draft = raci["draft"]
    # The template's extra in-house activity has no R for the agency; both sides sign.
    assert adam.post(f"/w/alpha/raci/versions/{draft.pk}/sign/{world.a_agency.pk}/").status_code
    assert alice.post(f"/w/alpha/raci/versions/{draft.pk}/sign/{world.a_in_house.pk}/").status_code
    assert alice.post(f"/w/alpha/raci/versions/{draft.pk}/publish/").status_code == 302
    draft.refresh_from_db()
    assert not draft.is_draft

    amy = client_for(world.people["amy"])
    item = create(amy, activity, title="Our own ad")
    move(amy, item, "start")
    move(amy, item, "submit")
    assert move(adam, item, "approve").status_code == 302
    item.refresh_from_db()
    assert item.state == "approved"


def test_an_external_a_on_budget_work_blocks_publishing(world: Any, raci: dict[str, Any]) -> None:
    budget = Activity.objects.get(workspace=world.a, name="Ad budget allocation")
    adam, alice = client_for(world.people["adam"]), client_for(world.people["alice"])
    in_house_cell = f"c:{budget.pk}:{team_key(world.a_in_house.pk)}"
    agency_cell = f"c:{budget.pk}:{team_key(world.a_agency.pk)}"
    adam.post(
        "/w/alpha/raci/cells/",
        {in_house_cell: "C", f"e:{budget.pk}:{team_key(world.a_in_house.pk)}": "R/A"}
        | {agency_cell: "R/A", f"e:{budget.pk}:{team_key(world.a_agency.pk)}": "C"},
    )
    page = alice.get("/w/alpha/raci/").content.decode()
    assert 'data-code="external_accountable_strategy"' in page
    draft = raci["draft"]
    adam.post(f"/w/alpha/raci/versions/{draft.pk}/sign/{world.a_agency.pk}/")
    alice.post(f"/w/alpha/raci/versions/{draft.pk}/sign/{world.a_in_house.pk}/")
    alice.post(f"/w/alpha/raci/versions/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.is_draft  # an error-level finding: not published
    assert not WorkItem.objects.filter(workspace=world.a).exists()
