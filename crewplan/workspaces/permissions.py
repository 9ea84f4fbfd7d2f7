"""Who may do what in a workspace: the one rule table. Pure Python, no Django.

`is_allowed(actor, action, target, policy)` answers "may this person do this to this
object in this workspace". The Django side (`workspaces/access.py`) builds the
`Actor`, `Policy` and target from models and turns a "no" into HTTP 403; templates
ask the same question through `access.can()`. Later capabilities add their actions
here, so the whole policy stays readable in one page.

Roles, from most to least powerful: owner, manager, member, viewer. A manager's
powers over people are limited to their own team; only an owner can create owners.
A workspace keeps at least one owner: its last owner is offered no demotion or removal
(the services check the same again under a lock).
"""

from dataclasses import dataclass
from enum import StrEnum

OWNER = "owner"
MANAGER = "manager"
MEMBER = "member"
VIEWER = "viewer"
ROLES = (OWNER, MANAGER, MEMBER, VIEWER)

INTERNAL = "internal"
EXTERNAL = "external"


class Action(StrEnum):
    VIEW_WORKSPACE = "view_workspace"
    EDIT_SETTINGS = "edit_settings"
    MANAGE_TEAMS = "manage_teams"
    INVITE = "invite"
    REVOKE_INVITATION = "revoke_invitation"
    CHANGE_MEMBER = "change_member"
    REMOVE_MEMBER = "remove_member"
    VIEW_AUDIT = "view_audit"
    VIEW_BUDGET_AMOUNTS = "view_budget_amounts"
    EDIT_RACI = "edit_raci"
    SIGN_OFF_RACI = "sign_off_raci"
    PUBLISH_RACI = "publish_raci"
    EDIT_GOALS = "edit_goals"
    EDIT_BUDGET = "edit_budget"
    EDIT_CONTENT_RULES = "edit_content_rules"
    CREATE_WORK = "create_work"
    RUN_CHECKS = "run_checks"
    VIEW_ALL_WORK = "view_all_work"
    EDIT_WORK_ITEM = "edit_work_item"
    SET_ITEM_ROLES = "set_item_roles"
    SPEAK_FOR_TEAM = "speak_for_team"
    EDIT_CHANNELS = "edit_channels"
    RECORD_EXPENSES = "record_expenses"
    IMPORT_MEASUREMENTS = "import_measurements"
    REVIEW_TOOL = "review_tool"
    GENERATE_REPORT = "generate_report"
    SIGN_OFF_REPORT = "sign_off_report"
    PLAN_REPORT_ACTION = "plan_report_action"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person acting, as seen through their membership of this workspace."""

    user_id: int
    role: str
    team_id: int
    team_kind: str


@dataclass(frozen=True, slots=True)
class Policy:
    """Workspace settings that change the rules."""

    external_can_see_budget: bool = False
    external_can_see_all_work: bool = False


@dataclass(frozen=True, slots=True)
class MemberTarget:
    """A membership (person in a team with a role), or, for `INVITE`, the team and role
    an invitation would give (`user_id` is then None). For `CHANGE_MEMBER`, `new_role`
    and `new_team_id` describe the change asked for."""

    role: str
    team_id: int
    user_id: int | None = None
    new_role: str | None = None
    new_team_id: int | None = None
    last_owner: bool = False


@dataclass(frozen=True, slots=True)
class TeamTarget:
    """Something owned by a team, such as a budget line (`team_id` None: nobody's)."""

    team_id: int | None


@dataclass(frozen=True, slots=True)
class ItemTarget:
    """A work item, as seen by the actor: the RACI letters the actor holds on it (from the
    matrix and the item's own overrides)."""

    letters: frozenset[str] = frozenset()


Target = MemberTarget | TeamTarget | ItemTarget | None


def is_allowed(
    actor: Actor, action: Action, target: Target = None, policy: Policy = Policy()
) -> bool:
    role = actor.role
    if role not in ROLES:
        return False
    match action:
        case Action.VIEW_WORKSPACE:
            return True
        case Action.EDIT_SETTINGS:
            return role == OWNER
        case Action.MANAGE_TEAMS:
            # Team structure is the company's decision: owners, and managers of an in-house team.
            return _company_decides(actor)
        case Action.VIEW_AUDIT:
            return role in (OWNER, MANAGER)
        case Action.IMPORT_MEASUREMENTS:
            # Spend and performance files: the agency brings its platforms' exports, the
            # company its own; owners and the managers of either side, who answer for them.
            return role in (OWNER, MANAGER)
        case Action.CREATE_WORK | Action.RUN_CHECKS:
            # Work items, comments, and content checks that store their findings with an
            # item: everyone who works here, not those who only read.
            return role != VIEWER
        case Action.VIEW_ALL_WORK:
            # External teams see only the work they take part in, unless the owner opens it.
            return actor.team_kind == INTERNAL or policy.external_can_see_all_work
        case Action.EDIT_WORK_ITEM:
            # The item's R or A, an owner, or an in-house manager; never a viewer.
            if role == VIEWER or not isinstance(target, ItemTarget):
                return False
            return bool(target.letters & {"R", "A"}) or _company_decides(actor)
        case Action.SET_ITEM_ROLES:
            # Overriding who does what on an item: its A, an owner or an in-house manager.
            if not isinstance(target, ItemTarget):
                return False
            return "A" in target.letters or _company_decides(actor)
        case Action.SPEAK_FOR_TEAM:
            # One accountable voice: a team's A goes to its owners and managers.
            return (
                role in (OWNER, MANAGER)
                and isinstance(target, TeamTarget)
                and target.team_id == actor.team_id
            )
        case Action.INVITE | Action.REVOKE_INVITATION:
            return isinstance(target, MemberTarget) and _may_manage_person(actor, target)
        case Action.CHANGE_MEMBER:
            if not isinstance(target, MemberTarget) or not _may_manage_person(actor, target):
                return False
            if target.last_owner and target.new_role != OWNER:
                return False
            if role == OWNER:
                return True
            # A manager keeps changes inside their own team and below owner.
            return target.new_role != OWNER and target.new_team_id in (None, actor.team_id)
        case Action.REMOVE_MEMBER:
            if not isinstance(target, MemberTarget) or target.last_owner:
                return False
            if target.user_id == actor.user_id:
                return True  # anyone may leave
            return _may_manage_person(actor, target)
        case Action.EDIT_RACI:
            # Both sides shape the matrix they will sign; members and viewers read it.
            return role in (OWNER, MANAGER)
        case Action.SIGN_OFF_RACI | Action.SIGN_OFF_REPORT:
            # A team signs through its own owner or manager: nobody signs for the other side.
            return (
                role in (OWNER, MANAGER)
                and isinstance(target, TeamTarget)
                and target.team_id == actor.team_id
            )
        case (
            Action.PUBLISH_RACI
            | Action.EDIT_GOALS
            | Action.EDIT_BUDGET
            | Action.EDIT_CONTENT_RULES
            | Action.EDIT_CHANNELS
            | Action.RECORD_EXPENSES
        ):
            # The company's own decisions: owners, and in-house managers.
            return _company_decides(actor)
        case Action.GENERATE_REPORT | Action.PLAN_REPORT_ACTION:
            # The quarterly review is both sides': the owners and the managers of either
            # side generate it and put its next actions on the calendar (each reads and
            # plans from their own copy).
            return role in (OWNER, MANAGER)
        case Action.REVIEW_TOOL:
            # A tool's month is reported by those who use it (its owner team, not its
            # viewers), or by an owner or an in-house manager; the target is the owner team.
            if _company_decides(actor):
                return True
            return (
                role != VIEWER
                and isinstance(target, TeamTarget)
                and target.team_id == actor.team_id
            )
        case Action.VIEW_BUDGET_AMOUNTS:
            if actor.team_kind == INTERNAL:
                return True
            if policy.external_can_see_budget:
                return True
            return isinstance(target, TeamTarget) and target.team_id == actor.team_id
    return False


def _company_decides(actor: Actor) -> bool:
    """Owners, and managers of an in-house team: who takes the company's own decisions."""
    return actor.role == OWNER or (actor.role == MANAGER and actor.team_kind == INTERNAL)


def _may_manage_person(actor: Actor, target: MemberTarget) -> bool:
    if actor.role == OWNER:
        return True
    return actor.role == MANAGER and target.team_id == actor.team_id and target.role != OWNER
