"""Who is R, A, C and I on a work item: the RACI matrix of its activity, then the item's
own overrides. Loaded in a fixed number of queries for any number of items.

The matrix is the published version, or the draft while nothing is published. A cell
held by a person gives that person the letters; a cell held by a team gives them to the
team's people, except viewers — and for A only to the team's owners and managers when it
has any (one accountable voice, DESIGN.md B). For each letter an item overrides, the
people of the override replace those of the matrix.

The client approves (DESIGN.md B): a published version carries the sign-off of both
sides, but a draft may have been written by the agency's manager alone. So an A that a
draft gives to an external party (its team or one of its people) does not count: the
activity has no A until the version is published, and the workspace owner approves in
its place (the owner fallback of `work/workflow.py`). Nothing else of a draft is held
back: the agency's R, C and I still let it draft, submit and follow its work."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from crewplan.raci.models import Assignment, MatrixVersion
from crewplan.raci.queries import draft_of, published_of
from crewplan.work.models import ROLE_LETTERS, ItemRole, WorkItem
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.permissions import Action, TeamTarget, is_allowed

Letters = dict[str, frozenset[int]]  # letter → membership ids


def effective_version(workspace: Workspace) -> MatrixVersion | None:
    return published_of(workspace) or draft_of(workspace)


def is_accepted(version: MatrixVersion) -> bool:
    """Whether both sides accepted the version (it is published, hence signed), so that
    an external A in it counts."""
    return not version.is_draft


@dataclass
class RoleBook:
    """Roles per activity from the matrix and per item from the overrides."""

    by_activity: dict[int, Letters] = field(default_factory=dict)
    overrides: dict[int, Letters] = field(default_factory=dict)
    members: dict[int, Membership] = field(default_factory=dict)
    # The teams (not people) the matrix gives each letter, per activity: an A held by a
    # team is one voice even when several of its leads may speak for it.
    teams: dict[int, dict[str, frozenset[int]]] = field(default_factory=dict)

    def of(self, item: WorkItem) -> Letters:
        base = self.by_activity.get(item.activity_id or 0, {})
        own = self.overrides.get(item.pk, {})
        return {letter: own.get(letter, base.get(letter, frozenset())) for letter in ROLE_LETTERS}

    def team_of(self, item: WorkItem, letter: str) -> int | None:
        """The team holding `letter` on the item as a team, when the matrix names exactly
        one and the item does not override the letter."""
        if letter in self.overrides.get(item.pk, {}):
            return None
        teams = self.teams.get(item.activity_id or 0, {}).get(letter, frozenset())
        return next(iter(teams)) if len(teams) == 1 else None

    def letters_of(self, item: WorkItem, membership_id: int) -> frozenset[str]:
        return frozenset(
            letter for letter, people in self.of(item).items() if membership_id in people
        )


def _expand(
    assignments: Iterable[Assignment], members: list[Membership], *, accepted: bool
) -> tuple[dict[int, Letters], dict[int, dict[str, frozenset[int]]]]:
    """Letters per activity and person, and the teams holding letters as teams. Unless
    `accepted`, no A goes to an external party (see the module docstring)."""
    by_team: dict[int, list[Membership]] = defaultdict(list)
    external_teams = {m.team_id for m in members if m.team.kind == Team.Kind.EXTERNAL}
    external_people = {m.pk for m in members if m.team_id in external_teams}
    for m in members:
        if m.role != Membership.Role.VIEWER:
            by_team[m.team_id].append(m)
    result: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    teams: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for a in assignments:
        for letter in a.roles:
            unaccepted = letter == "A" and not accepted
            if unaccepted and (a.membership_id in external_people or a.team_id in external_teams):
                continue
            if a.membership_id:
                result[a.activity_id][letter].add(a.membership_id)
                continue
            people = by_team.get(a.team_id or 0, [])
            teams[a.activity_id][letter].add(a.team_id or 0)
            if letter == "A":
                team = TeamTarget(a.team_id)
                leads = [m for m in people if is_allowed(m.actor, Action.SPEAK_FOR_TEAM, team)]
                people = leads or people
            result[a.activity_id][letter].update(m.pk for m in people)
    return _frozen(result), _frozen(teams)


def _frozen(grouped: dict[int, dict[str, set[int]]]) -> dict[int, dict[str, frozenset[int]]]:
    return {
        key: {letter: frozenset(ids) for letter, ids in letters.items()}
        for key, letters in grouped.items()
    }


def role_book(workspace: Workspace, items: Iterable[WorkItem] | None = None) -> RoleBook:
    """Roles for every activity of the effective matrix and the overrides of `items` (all
    items' overrides when None). 4 queries."""
    members = list(Membership.objects.for_workspace(workspace).select_related("user", "team"))
    version = effective_version(workspace)
    by_activity: dict[int, Letters] = {}
    teams: dict[int, dict[str, frozenset[int]]] = {}
    if version is not None:
        assignments = Assignment.objects.for_workspace(workspace).filter(version=version)
        by_activity, teams = _expand(assignments, members, accepted=is_accepted(version))
    overrides_qs = ItemRole.objects.for_workspace(workspace)
    if items is not None:
        overrides_qs = overrides_qs.filter(item__in=[i.pk for i in items])
    grouped: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for o in overrides_qs:
        grouped[o.item_id][o.role].add(o.membership_id)
    return RoleBook(by_activity, _frozen(grouped), {m.pk: m for m in members}, teams)


def activities_with_role(book: RoleBook, membership: Membership) -> set[int]:
    """Activities on which the person's team (any of its people) or the person holds a
    letter: what an external member may see when the workspace keeps work private."""
    team_people = {m.pk for m in book.members.values() if m.team_id == membership.team_id}
    team_people.add(membership.pk)
    return {
        activity
        for activity, letters in book.by_activity.items()
        if any(people & team_people for people in letters.values())
    }
