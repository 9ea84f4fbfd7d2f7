"""The rule table, every role × action, on plain data (no database)."""

import pytest

from crewplan.workspaces.permissions import (
    EXTERNAL,
    INTERNAL,
    MANAGER,
    MEMBER,
    OWNER,
    ROLES,
    VIEWER,
    Action,
    Actor,
    ItemTarget,
    MemberTarget,
    Policy,
    TeamTarget,
    is_allowed,
)

HOME, OTHER = 1, 2  # the actor's team, another team
ME = 10


def actor(role: str, kind: str = INTERNAL) -> Actor:
    return Actor(user_id=ME, role=role, team_id=HOME, team_kind=kind)


def peer(role: str, team: int = HOME) -> MemberTarget:
    return MemberTarget(role=role, team_id=team, user_id=99)


# (action, role, team kind) -> allowed, for the actions that need no target.
PLAIN = {
    Action.VIEW_WORKSPACE: {OWNER: True, MANAGER: True, MEMBER: True, VIEWER: True},
    Action.EDIT_SETTINGS: {OWNER: True, MANAGER: False, MEMBER: False, VIEWER: False},
    Action.VIEW_AUDIT: {OWNER: True, MANAGER: True, MEMBER: False, VIEWER: False},
    # Both kinds of team: the agency imports its platforms' exports (PLAIN tries both).
    Action.IMPORT_MEASUREMENTS: {OWNER: True, MANAGER: True, MEMBER: False, VIEWER: False},
    Action.CREATE_WORK: {OWNER: True, MANAGER: True, MEMBER: True, VIEWER: False},
    Action.RUN_CHECKS: {OWNER: True, MANAGER: True, MEMBER: True, VIEWER: False},
    # The quarterly report is both sides' (PLAIN tries both kinds of team).
    Action.GENERATE_REPORT: {OWNER: True, MANAGER: True, MEMBER: False, VIEWER: False},
    Action.PLAN_REPORT_ACTION: {OWNER: True, MANAGER: True, MEMBER: False, VIEWER: False},
}


@pytest.mark.parametrize("kind", [INTERNAL, EXTERNAL])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(PLAIN))
def test_plain_actions(action: Action, role: str, kind: str) -> None:
    assert is_allowed(actor(role, kind), action) is PLAIN[action][role]


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (OWNER, INTERNAL, True),
        (OWNER, EXTERNAL, True),
        (MANAGER, INTERNAL, True),
        (MANAGER, EXTERNAL, False),  # an agency does not restructure its client
        (MEMBER, INTERNAL, False),
        (MEMBER, EXTERNAL, False),
        (VIEWER, INTERNAL, False),
        (VIEWER, EXTERNAL, False),
    ],
)
def test_manage_teams(role: str, kind: str, allowed: bool) -> None:
    assert is_allowed(actor(role, kind), Action.MANAGE_TEAMS) is allowed


INVITE_CASES = [
    # actor role, invited role, team, allowed
    (OWNER, OWNER, OTHER, True),
    (OWNER, VIEWER, HOME, True),
    (MANAGER, MANAGER, HOME, True),
    (MANAGER, MEMBER, HOME, True),
    (MANAGER, VIEWER, HOME, True),
    (MANAGER, OWNER, HOME, False),
    (MANAGER, MEMBER, OTHER, False),
    (MEMBER, MEMBER, HOME, False),
    (MEMBER, VIEWER, HOME, False),
    (VIEWER, VIEWER, HOME, False),
]


@pytest.mark.parametrize("action", [Action.INVITE, Action.REVOKE_INVITATION])
@pytest.mark.parametrize(("role", "invited", "team", "allowed"), INVITE_CASES)
def test_invite_and_revoke(
    action: Action, role: str, invited: str, team: int, allowed: bool
) -> None:
    target = MemberTarget(role=invited, team_id=team)
    assert is_allowed(actor(role), action, target) is allowed


def test_invite_needs_a_target() -> None:
    assert is_allowed(actor(OWNER), Action.INVITE) is False


CHANGE_CASES = [
    # actor role, target's role, target's team, new role, new team, allowed
    (OWNER, MEMBER, OTHER, OWNER, OTHER, True),
    (OWNER, OWNER, HOME, MEMBER, OTHER, True),  # the last-owner rule is the service's
    (MANAGER, MEMBER, HOME, VIEWER, HOME, True),
    (MANAGER, MEMBER, HOME, MANAGER, HOME, True),
    (MANAGER, MEMBER, HOME, OWNER, HOME, False),
    (MANAGER, MEMBER, HOME, MEMBER, OTHER, False),  # cannot move people out of own team
    (MANAGER, MEMBER, OTHER, VIEWER, OTHER, False),
    (MANAGER, OWNER, HOME, MEMBER, HOME, False),
    (MEMBER, VIEWER, HOME, MEMBER, HOME, False),
    (VIEWER, MEMBER, HOME, VIEWER, HOME, False),
]


@pytest.mark.parametrize(
    ("role", "their_role", "team", "new_role", "new_team", "allowed"), CHANGE_CASES
)
def test_change_member(
    role: str, their_role: str, team: int, new_role: str, new_team: int, allowed: bool
) -> None:
    target = MemberTarget(
        role=their_role, team_id=team, user_id=99, new_role=new_role, new_team_id=new_team
    )
    assert is_allowed(actor(role), Action.CHANGE_MEMBER, target) is allowed


REMOVE_CASES = [
    (OWNER, peer(OWNER, OTHER), True),
    (OWNER, peer(VIEWER), True),
    (MANAGER, peer(MEMBER), True),
    (MANAGER, peer(MANAGER), True),
    (MANAGER, peer(OWNER), False),
    (MANAGER, peer(MEMBER, OTHER), False),
    (MEMBER, peer(VIEWER), False),
    (VIEWER, peer(VIEWER), False),
]


@pytest.mark.parametrize(("role", "target", "allowed"), REMOVE_CASES)
def test_remove_member(role: str, target: MemberTarget, allowed: bool) -> None:
    assert is_allowed(actor(role), Action.REMOVE_MEMBER, target) is allowed


@pytest.mark.parametrize("role", ROLES)
def test_anyone_may_leave(role: str) -> None:
    me = MemberTarget(role=role, team_id=HOME, user_id=ME)
    assert is_allowed(actor(role, EXTERNAL), Action.REMOVE_MEMBER, me)


@pytest.mark.parametrize("role", ROLES)
def test_budget_amounts_internal_always(role: str) -> None:
    assert is_allowed(actor(role, INTERNAL), Action.VIEW_BUDGET_AMOUNTS, TeamTarget(OTHER))


@pytest.mark.parametrize("role", ROLES)
def test_budget_amounts_external_only_own_lines_by_default(role: str) -> None:
    agency = actor(role, EXTERNAL)
    assert is_allowed(agency, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(HOME))
    assert not is_allowed(agency, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(OTHER))
    assert not is_allowed(agency, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(None))
    assert not is_allowed(agency, Action.VIEW_BUDGET_AMOUNTS)


@pytest.mark.parametrize("role", ROLES)
def test_budget_amounts_external_when_owner_allows(role: str) -> None:
    policy = Policy(external_can_see_budget=True)
    assert is_allowed(actor(role, EXTERNAL), Action.VIEW_BUDGET_AMOUNTS, TeamTarget(OTHER), policy)


@pytest.mark.parametrize("kind", [INTERNAL, EXTERNAL])
@pytest.mark.parametrize(
    ("role", "edit", "sign_own", "publish_internal"),
    [
        (OWNER, True, True, True),
        (MANAGER, True, True, True),
        (MEMBER, False, False, False),
        (VIEWER, False, False, False),
    ],
)
def test_raci_actions(
    role: str, kind: str, edit: bool, sign_own: bool, publish_internal: bool
) -> None:
    me = actor(role, kind)
    assert is_allowed(me, Action.EDIT_RACI) is edit
    assert is_allowed(me, Action.SIGN_OFF_RACI, TeamTarget(HOME)) is sign_own
    assert (
        is_allowed(me, Action.SIGN_OFF_RACI, TeamTarget(OTHER)) is False
    )  # never for another team
    assert is_allowed(me, Action.SIGN_OFF_RACI) is False
    # A report is marked reviewed the same way: for one's own team only.
    assert is_allowed(me, Action.SIGN_OFF_REPORT, TeamTarget(HOME)) is sign_own
    assert is_allowed(me, Action.SIGN_OFF_REPORT, TeamTarget(OTHER)) is False
    assert is_allowed(me, Action.SIGN_OFF_REPORT) is False
    # Publishing is the company's act: owners, and in-house managers.
    expected = publish_internal and (role == OWNER or kind == INTERNAL)
    assert is_allowed(me, Action.PUBLISH_RACI) is expected
    assert is_allowed(me, Action.EDIT_GOALS) is expected
    assert is_allowed(me, Action.EDIT_BUDGET) is expected
    assert is_allowed(me, Action.EDIT_CONTENT_RULES) is expected  # brand and legal wording
    assert is_allowed(me, Action.EDIT_CHANNELS) is expected  # what the plan's media means
    assert is_allowed(me, Action.RECORD_EXPENSES) is expected  # the company's own money


@pytest.mark.parametrize("role", ROLES)
def test_view_all_work(role: str) -> None:
    assert is_allowed(actor(role, INTERNAL), Action.VIEW_ALL_WORK)
    assert not is_allowed(actor(role, EXTERNAL), Action.VIEW_ALL_WORK)
    opened = Policy(external_can_see_all_work=True)
    assert is_allowed(actor(role, EXTERNAL), Action.VIEW_ALL_WORK, None, opened)
    # The budget switch does not open the work, nor the work switch the budget.
    assert not is_allowed(
        actor(role, EXTERNAL), Action.VIEW_ALL_WORK, None, Policy(external_can_see_budget=True)
    )
    assert not is_allowed(actor(role, EXTERNAL), Action.VIEW_BUDGET_AMOUNTS, None, opened)


ITEM_CASES = [
    # role, team kind, letters held on the item, may edit it, may set its roles
    (OWNER, INTERNAL, "", True, True),
    (OWNER, EXTERNAL, "", True, True),
    (MANAGER, INTERNAL, "", True, True),
    (MANAGER, EXTERNAL, "", False, False),
    (MANAGER, EXTERNAL, "R", True, False),
    (MANAGER, EXTERNAL, "A", True, True),
    (MEMBER, INTERNAL, "", False, False),
    (MEMBER, EXTERNAL, "R", True, False),
    (MEMBER, INTERNAL, "A", True, True),
    (MEMBER, INTERNAL, "CI", False, False),
    (VIEWER, INTERNAL, "RA", False, True),  # a viewer changes no fields, even named
    (VIEWER, INTERNAL, "", False, False),
]


@pytest.mark.parametrize(("role", "kind", "letters", "edit", "set_roles"), ITEM_CASES)
def test_work_item_actions(role: str, kind: str, letters: str, edit: bool, set_roles: bool) -> None:
    me, item = actor(role, kind), ItemTarget(frozenset(letters))
    assert is_allowed(me, Action.EDIT_WORK_ITEM, item) is edit
    assert is_allowed(me, Action.SET_ITEM_ROLES, item) is set_roles
    assert not is_allowed(me, Action.EDIT_WORK_ITEM)  # an item is needed
    assert not is_allowed(me, Action.SET_ITEM_ROLES)


@pytest.mark.parametrize("kind", [INTERNAL, EXTERNAL])
@pytest.mark.parametrize(
    ("role", "speaks"), [(OWNER, True), (MANAGER, True), (MEMBER, False), (VIEWER, False)]
)
def test_speak_for_team(role: str, kind: str, speaks: bool) -> None:
    me = actor(role, kind)
    assert is_allowed(me, Action.SPEAK_FOR_TEAM, TeamTarget(HOME)) is speaks
    assert not is_allowed(me, Action.SPEAK_FOR_TEAM, TeamTarget(OTHER))
    assert not is_allowed(me, Action.SPEAK_FOR_TEAM)


@pytest.mark.parametrize(
    ("role", "kind", "own_team", "other_team"),
    [
        (OWNER, INTERNAL, True, True),
        (OWNER, EXTERNAL, True, True),
        (MANAGER, INTERNAL, True, True),
        (MANAGER, EXTERNAL, True, False),
        (MEMBER, INTERNAL, True, False),
        (MEMBER, EXTERNAL, True, False),
        (VIEWER, INTERNAL, False, False),
        (VIEWER, EXTERNAL, False, False),
    ],
)
def test_review_tool(role: str, kind: str, own_team: bool, other_team: bool) -> None:
    me = actor(role, kind)
    assert is_allowed(me, Action.REVIEW_TOOL, TeamTarget(HOME)) is own_team
    assert is_allowed(me, Action.REVIEW_TOOL, TeamTarget(OTHER)) is other_team
    assert is_allowed(me, Action.REVIEW_TOOL, TeamTarget(None)) is other_team  # nobody's tool


def test_last_owner_is_offered_no_demotion_or_removal() -> None:
    me = actor(OWNER)
    last = MemberTarget(role=OWNER, team_id=HOME, user_id=ME, last_owner=True)
    assert not is_allowed(me, Action.REMOVE_MEMBER, last)  # not even leaving
    assert not is_allowed(me, Action.CHANGE_MEMBER, last)  # any change: not offered
    demote = MemberTarget(
        role=OWNER, team_id=HOME, user_id=ME, new_role=MEMBER, new_team_id=HOME, last_owner=True
    )
    assert not is_allowed(me, Action.CHANGE_MEMBER, demote)
    move = MemberTarget(
        role=OWNER, team_id=HOME, user_id=ME, new_role=OWNER, new_team_id=OTHER, last_owner=True
    )
    assert is_allowed(me, Action.CHANGE_MEMBER, move)  # staying owner in another team
    one_of_two = MemberTarget(role=OWNER, team_id=HOME, user_id=ME)
    assert is_allowed(me, Action.REMOVE_MEMBER, one_of_two)
    assert is_allowed(me, Action.CHANGE_MEMBER, one_of_two)


def test_unknown_role_gets_nothing() -> None:
    for action in Action:
        assert not is_allowed(actor("admin"), action, peer(MEMBER))


def test_every_action_is_covered() -> None:
    covered = set(PLAIN) | {
        Action.MANAGE_TEAMS,
        Action.INVITE,
        Action.REVOKE_INVITATION,
        Action.CHANGE_MEMBER,
        Action.REMOVE_MEMBER,
        Action.VIEW_BUDGET_AMOUNTS,
        Action.EDIT_RACI,
        Action.SIGN_OFF_RACI,
        Action.SIGN_OFF_REPORT,
        Action.PUBLISH_RACI,
        Action.EDIT_GOALS,
        Action.EDIT_BUDGET,
        Action.EDIT_CONTENT_RULES,
        Action.EDIT_CHANNELS,
        Action.RECORD_EXPENSES,
        Action.VIEW_ALL_WORK,
        Action.EDIT_WORK_ITEM,
        Action.SET_ITEM_ROLES,
        Action.SPEAK_FOR_TEAM,
        Action.REVIEW_TOOL,
    }
    assert covered == set(Action), "add the new action's role × action cases to this file"
