"""The Django side of the permission layer: model → actor/target, roles agree with the table."""

from crewplan.workspaces import permissions
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Team
from crewplan.workspaces.permissions import Action, TeamTarget


def test_role_and_kind_values_match_the_rule_table() -> None:
    assert set(Membership.Role.values) == set(permissions.ROLES)
    assert set(Team.Kind.values) == {permissions.INTERNAL, permissions.EXTERNAL}


def test_can_reads_memberships_and_workspace_policy(world) -> None:
    adam = world.member("adam")  # agency manager
    alice = world.member("alice")
    assert can(alice, Action.REMOVE_MEMBER, adam)
    assert not can(adam, Action.REMOVE_MEMBER, alice)
    assert not can(adam, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(world.a_in_house.pk))
    world.a.external_can_see_budget = True
    world.a.save()
    adam = world.member("adam")
    assert can(adam, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(world.a_in_house.pk))


def test_role_properties() -> None:
    assert Membership.Role.MANAGER.can_manage_people
    assert not Membership.Role.MEMBER.can_manage_people
    assert Membership.Role.MEMBER.can_edit
    assert not Membership.Role.VIEWER.can_edit
