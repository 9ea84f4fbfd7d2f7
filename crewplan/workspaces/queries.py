"""Reads for the workspace pages: rows that carry what the rule table says each reader may
do with each person and invitation, so templates ask no questions of it; and the setup
checklist a new workspace follows, each step ticked from the data itself."""

from dataclasses import dataclass, replace

from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from crewplan.planning.models import BudgetLine, Goal
from crewplan.raci.models import Activity
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Invitation, Membership, Team, Workspace
from crewplan.workspaces.permissions import Action


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    last_owner: bool  # the workspace's only owner: no change of role, no removal
    may_change: bool
    may_remove: bool


@dataclass(frozen=True)
class TeamRow:
    team: Team
    members: list[MemberRow]


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    may_revoke: bool


def team_rows(workspace: Workspace, reader: Membership) -> list[TeamRow]:
    """The workspace's teams, the company's own first, then agencies and freelancers, each
    with its people and what `reader` may do with them (2 queries)."""
    members = Membership.objects.for_workspace(workspace).select_related("user", "team")
    teams = sorted(
        Team.objects.for_workspace(workspace).prefetch_related(
            Prefetch("memberships", queryset=members.order_by("user__full_name", "user__email"))
        ),
        key=lambda t: (t.kind != Team.Kind.INTERNAL, t.name),
    )
    owners = sum(1 for t in teams for m in t.memberships.all() if m.role == Membership.Role.OWNER)
    rows = []
    for team in teams:
        people = []
        for m in team.memberships.all():
            last_owner = m.role == Membership.Role.OWNER and owners == 1
            target = replace(m.as_target, last_owner=last_owner)
            people.append(
                MemberRow(
                    membership=m,
                    last_owner=last_owner,
                    may_change=can(reader, Action.CHANGE_MEMBER, target),
                    may_remove=can(reader, Action.REMOVE_MEMBER, target),
                )
            )
        rows.append(TeamRow(team=team, members=people))
    return rows


def invitation_rows(workspace: Workspace, reader: Membership) -> list[InvitationRow]:
    """The pending invitations and whether `reader` may withdraw each (1 query)."""
    invitations = (
        Invitation.objects.for_workspace(workspace).pending().select_related("team", "invited_by")
    )
    return [
        InvitationRow(invitation=i, may_revoke=can(reader, Action.REVOKE_INVITATION, i))
        for i in invitations
    ]


@dataclass(frozen=True)
class SetupStep:
    key: str
    label: Promise
    hint: Promise
    done: bool
    url: str


def setup_steps(workspace: Workspace) -> list[SetupStep]:
    """The five steps of setting a workspace up, in order, each ticked when the data
    shows it done (one query)."""

    def owned(model: type) -> Exists:
        return Exists(model.objects.filter(workspace=OuterRef("pk")))  # type: ignore[attr-defined]

    others = Membership.objects.filter(workspace=OuterRef("pk")).exclude(role="owner")
    invited = Invitation.objects.filter(workspace=OuterRef("pk")).pending()
    facts = (
        Workspace.objects.filter(pk=workspace.pk)
        .annotate(
            agency=Exists(Team.objects.filter(workspace=OuterRef("pk"), kind=Team.Kind.EXTERNAL)),
            matrix=owned(Activity),
            people=Exists(others) | Exists(invited),
            goal=owned(Goal),
            budget=owned(BudgetLine),
        )
        .values("agency", "matrix", "people", "goal", "budget")
        .get()
    )
    slug = workspace.slug
    people = reverse("people", args=[slug])
    return [
        SetupStep(
            "agency",
            _("Create the agency team"),
            _("An external team for your agency or freelancers, so the matrix can name them."),
            facts["agency"],
            people + "#team-form",
        ),
        SetupStep(
            "matrix",
            _("Apply the RACI template"),
            _("Who does, approves, is consulted and told, for every marketing activity."),
            facts["matrix"],
            reverse("raci_template_apply", args=[slug]),
        ),
        SetupStep(
            "people",
            _("Invite people"),
            _("Your colleagues and the agency's people, each in their team with a role."),
            facts["people"],
            people + "#invite-form",
        ),
        SetupStep(
            "goal",
            _("Set a goal"),
            _("A SMART goal with a KPI, so the work and the budget have a purpose."),
            facts["goal"],
            reverse("planning_goals", args=[slug]),
        ),
        SetupStep(
            "budget",
            _("Plan the budget"),
            _("This year's budget by month, with a health check of the plan."),
            facts["budget"],
            reverse("planning_budget", args=[slug]),
        ),
    ]
