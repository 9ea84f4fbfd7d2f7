"""Reads for the workspace pages: rows that carry what the rule table says each reader may
do with each person, invitation and audit event, so templates ask no questions of it."""

from dataclasses import dataclass, replace

from django.core.paginator import Page
from django.db.models import Prefetch

from crewplan.audit.labels import describe, hide_amounts
from crewplan.audit.models import AuditEvent
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


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent  # before/after blanked where the reader may not see the amounts
    description: str
    amounts_hidden: bool


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


def audit_rows(page: Page[AuditEvent], reader: Membership) -> list[AuditRow]:
    """The events of one page of the audit log, described in the active language, with the
    money blanked for a reader who may not see budget amounts."""
    amounts_visible = can(reader, Action.VIEW_BUDGET_AMOUNTS)
    return [
        AuditRow(
            event=event,
            description=describe(event),
            amounts_hidden=False if amounts_visible else hide_amounts(event),
        )
        for event in page.object_list
    ]
