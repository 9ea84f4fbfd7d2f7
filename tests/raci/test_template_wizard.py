"""The in-house + agency template wizard: two different teams, or a new agency team
created with the template in one transaction (issue 10)."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from crewplan.audit.actions import AuditAction
from crewplan.audit.models import AuditEvent
from crewplan.raci import services
from crewplan.raci.forms import TemplateForm
from crewplan.raci.models import Activity, MatrixVersion
from crewplan.raci.queries import draft_of, load_grid, required_teams
from crewplan.workspaces.models import Team
from tests.factories import client_for


def shown(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_one_team_for_both_sides_is_refused_and_nothing_changes(world: Any) -> None:
    with pytest.raises(ValidationError, match="two different teams"):
        services.template_apply(
            workspace=world.a,
            actor=world.people["alice"],
            in_house=world.a_in_house,
            agency=world.a_in_house,
            language="en",
        )
    alice = client_for(world.people["alice"])
    same = world.a_in_house.pk
    response = alice.post(
        "/w/alpha/raci/template/", {"in_house": same, "agency": same}, follow=True
    )
    assert any("two different teams" in m for m in shown(response))
    assert not MatrixVersion.objects.filter(workspace=world.a).exists()
    assert not Activity.objects.filter(workspace=world.a).exists()


def test_a_new_agency_team_is_created_with_the_template(world: Any) -> None:
    alice = client_for(world.people["alice"])
    response = alice.post(
        "/w/alpha/raci/template/",
        {"in_house": world.a_in_house.pk, "new_agency": "  Spark Digital 星火 "},
        follow=True,
    )
    assert any("template was added" in m for m in shown(response))
    spark = Team.objects.for_workspace(world.a).get(name="Spark Digital 星火")
    assert spark.kind == Team.Kind.EXTERNAL
    draft = draft_of(world.a)
    assert draft is not None
    grid = load_grid(draft, "en")
    assert required_teams(grid.matrix) == {world.a_in_house.pk, spark.pk}
    # The new team has nobody in it yet: the one thing left to do, and said so.
    assert {f.code for f in grid.findings} == {"empty_team_role"}
    actions = list(
        AuditEvent.objects.filter(workspace=world.a).order_by("id").values_list("action", flat=True)
    )
    assert actions[-3:] == [
        AuditAction.TEAM_CREATED,
        AuditAction.RACI_DRAFT_STARTED,
        AuditAction.RACI_TEMPLATE_APPLIED,
    ]


def test_the_new_team_and_the_template_are_one_transaction(world: Any) -> None:
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="does not belong"):
        services.template_apply(
            workspace=world.a,
            actor=world.people["alice"],
            in_house=world.b_team,  # another workspace's team: refused after the team
            new_agency="Spark Digital",
            language="en",
        )
    assert not Team.objects.filter(name="Spark Digital").exists()
    assert AuditEvent.objects.count() == before
    with pytest.raises(ValidationError, match="already a team"):
        services.template_apply(
            workspace=world.a,
            actor=world.people["alice"],
            in_house=world.a_in_house,
            new_agency=world.a_agency.name.upper(),
            language="en",
        )
    assert not MatrixVersion.objects.filter(workspace=world.a).exists()


def test_only_those_who_manage_teams_may_create_one_here(world: Any) -> None:
    adam = client_for(world.people["adam"])  # edits the RACI, does not shape the teams
    response = adam.post(
        "/w/alpha/raci/template/", {"in_house": world.a_in_house.pk, "new_agency": "Adam's own"}
    )
    assert response.status_code == 403
    assert not Team.objects.filter(name="Adam's own").exists()
    assert not MatrixVersion.objects.filter(workspace=world.a).exists()


def test_the_form_never_preselects_one_team_for_both_sides(world: Any) -> None:
    # Workspace B is new: its one in-house team and no agency yet.
    form = TemplateForm(teams=Team.objects.for_workspace(world.b))
    assert form["in_house"].value() == world.b_team.pk
    assert form["agency"].value() is None
    page = client_for(world.people["charlie"]).get("/w/beta/raci/").content.decode()
    assert 'name="new_agency"' in page
    agency_select = page[
        page.index('name="agency"') : page.index("</select>", page.index('name="agency"'))
    ]
    assert (
        "selected" in agency_select and f'value="{world.b_team.pk}" selected' not in agency_select
    )
    # Workspace A has both kinds: each side gets its own.
    both = TemplateForm(teams=Team.objects.for_workspace(world.a))
    assert (both["in_house"].value(), both["agency"].value()) == (
        world.a_in_house.pk,
        world.a_agency.pk,
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose the agency team or name a new one."),
        ({"agency": "a_agency", "new_agency": "Spark"}, "not both"),
    ],
)
def test_the_form_asks_for_one_agency(world: Any, fields: dict[str, str], message: str) -> None:
    data = {"in_house": str(world.a_in_house.pk)}
    data.update({k: str(world.a_agency.pk) if v == "a_agency" else v for k, v in fields.items()})
    form = TemplateForm(data, teams=Team.objects.for_workspace(world.a))
    assert not form.is_valid() and message in " ".join(form.non_field_errors())
