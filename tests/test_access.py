"""The Django side of the permission layer: model → actor/target, roles agree with the table."""

from crewplan.workspaces import permissions
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Team
from crewplan.workspaces.permissions import Action, TeamTarget
from tests.factories import change_settings


def test_role_and_kind_values_match_the_rule_table() -> None:
    assert set(Membership.Role.values) == set(permissions.ROLES)
    assert set(Team.Kind.values) == {permissions.INTERNAL, permissions.EXTERNAL}


def test_can_reads_memberships_and_workspace_policy(world) -> None:
    adam = world.member("adam")  # agency manager
    alice = world.member("alice")
    assert can(alice, Action.REMOVE_MEMBER, adam)
    assert not can(adam, Action.REMOVE_MEMBER, alice)
    assert not can(adam, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(world.a_in_house.pk))
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    adam = world.member("adam")
    assert can(adam, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(world.a_in_house.pk))


def test_roles_powers_come_from_the_table(world) -> None:
    # Formerly Membership.Role properties (can_manage_people, can_edit), now the table's.
    adam = world.member("adam")  # agency manager
    peer = permissions.MemberTarget(role=Membership.Role.MEMBER, team_id=adam.team_id)
    assert can(adam, Action.INVITE, peer)
    assert not can(world.member("amy"), Action.INVITE, peer)
    assert can(world.member("amy"), Action.CREATE_WORK)
    assert not can(world.member("vera"), Action.CREATE_WORK)


def test_can_reads_the_work_visibility_policy(world) -> None:
    assert not can(world.member("adam"), Action.VIEW_ALL_WORK)
    assert can(world.member("alice"), Action.VIEW_ALL_WORK)
    change_settings(world.a, world.people["alice"], external_can_see_all_work=True)
    assert can(world.member("adam"), Action.VIEW_ALL_WORK)


def test_get_owned_hands_back_the_requests_workspace(world, django_assert_num_queries) -> None:
    """What get_owned returns carries the request's workspace: no view sets it by hand and
    reading it costs no query."""
    from types import SimpleNamespace

    from crewplan.workspaces.access import get_owned

    request = SimpleNamespace(workspace=world.a)
    with django_assert_num_queries(1):
        team = get_owned(request, Team, world.a_agency.pk)  # type: ignore[arg-type]
        assert team.workspace is world.a
