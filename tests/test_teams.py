from typing import Any

from crewplan.audit.models import AuditEvent
from crewplan.workspaces.models import Team
from tests.factories import client_for


def test_owner_creates_renames_and_deletes_a_team(world: Any) -> None:
    alice = client_for(world.people["alice"])
    alice.post("/w/alpha/teams/new/", {"name": "攝影接案", "kind": "external"})
    team = Team.objects.get(workspace=world.a, name="攝影接案")
    assert team.kind == "external"
    data = {"name": "攝影師", "kind": "external", "revision": team.revision}
    alice.post(f"/w/alpha/teams/{team.pk}/", data)
    team.refresh_from_db()
    assert team.name == "攝影師"
    alice.post(f"/w/alpha/teams/{team.pk}/delete/")
    assert not Team.objects.filter(pk=team.pk).exists()
    actions = list(
        AuditEvent.objects.filter(workspace=world.a, action__startswith="team.").values_list(
            "action", flat=True
        )
    )
    assert {"team.created", "team.changed", "team.deleted"} <= set(actions)


def test_duplicate_team_name_is_refused(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(
        "/w/alpha/teams/new/",
        {"name": world.a_agency.name.upper(), "kind": "external"},
        follow=True,
    )
    assert any("already a team" in str(m) for m in response.context["messages"])
    assert Team.objects.filter(workspace=world.a).count() == 2


def test_team_with_people_cannot_be_deleted(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(f"/w/alpha/teams/{world.a_agency.pk}/delete/", follow=True)
    assert any("Move or remove" in str(m) for m in response.context["messages"])
    assert Team.objects.filter(pk=world.a_agency.pk).exists()


def test_agency_manager_cannot_restructure_teams(world: Any) -> None:
    adam = client_for(world.people["adam"])
    assert adam.post("/w/alpha/teams/new/", {"name": "X", "kind": "internal"}).status_code == 403
    assert adam.post(f"/w/alpha/teams/{world.a_in_house.pk}/delete/").status_code == 403
    assert Team.objects.filter(workspace=world.a).count() == 2


def test_people_page_lists_the_in_house_team_first(world: Any) -> None:
    page = client_for(world.people["alice"]).get("/w/alpha/people/").content.decode()
    in_house = page.index(f'data-team="{world.a_in_house.name}"')
    agency = page.index(f'data-team="{world.a_agency.name}"')
    assert in_house < agency
