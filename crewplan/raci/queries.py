"""Reading a matrix version into the pure core's `Matrix`, with a number of queries that
does not depend on the size of the matrix. Published versions read from their frozen
snapshot; drafts from the live rows."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from crewplan.raci.messages import Worded, worded
from crewplan.raci.models import (
    Activity,
    Assignment,
    Function,
    MatrixVersion,
    RaciSettings,
    SignOff,
)
from crewplan.raci.validation import Activity as CoreActivity
from crewplan.raci.validation import (
    Kind,
    Matrix,
    Party,
    Role,
    Rules,
    Severity,
    external_accountable,
    parse_cell,
    validate,
)
from crewplan.raci.validation import format_cell as format_roles
from crewplan.workspaces.models import Membership, Team, Workspace


def team_key(team_id: int) -> str:
    return f"team-{team_id}"


def person_key(membership_id: int) -> str:
    return f"person-{membership_id}"


@dataclass
class Grid:
    version: MatrixVersion
    matrix: Matrix
    functions: list[tuple[str, list[CoreActivity]]]  # function name, its activities in order
    team_names: dict[str, str]  # party team key -> team name
    findings: list[Worded] = field(default_factory=list)
    revisions: dict[tuple[str, str], int] = field(default_factory=dict)

    def cell(self, activity_key: str, party_key: str) -> str:
        return format_roles(self.matrix.cells.get((activity_key, party_key), ()))


def rules_for(workspace: Workspace) -> Rules:
    limits = RaciSettings.objects.for_workspace(workspace)
    return Rules(
        max_accountable_per_person=limits.raci_max_accountable,
        max_consulted=limits.raci_max_consulted,
    )


def draft_of(workspace: Workspace) -> MatrixVersion | None:
    return (
        MatrixVersion.objects.for_workspace(workspace)
        .filter(status=MatrixVersion.Status.DRAFT)
        .first()
    )


def published_of(workspace: Workspace) -> MatrixVersion | None:
    return (
        MatrixVersion.objects.for_workspace(workspace)
        .filter(status=MatrixVersion.Status.PUBLISHED)
        .first()
    )


def live_matrix(
    version: MatrixVersion,
) -> tuple[
    Matrix, list[tuple[str, list[CoreActivity]]], dict[str, str], dict[tuple[str, str], int]
]:
    """The draft as it stands: 4 queries whatever its size."""
    workspace = version.workspace
    activities = list(
        Activity.objects.for_workspace(workspace)
        .filter(archived_at__isnull=True, function__archived_at__isnull=True)
        .select_related("function")
    )
    teams = list(Team.objects.for_workspace(workspace).annotate(member_count=Count("memberships")))
    assignments = list(
        Assignment.objects.for_workspace(workspace)
        .filter(version=version)
        .values_list("activity_id", "team_id", "membership_id", "roles", "revision")
    )
    people_ids = {int(pk) for pk in version.people} | {m for _, _, m, _, _ in assignments if m}
    people = list(
        Membership.objects.for_workspace(workspace)
        .filter(pk__in=people_ids)
        .select_related("user", "team")
        .order_by("-team__kind", "team__name", "user__full_name", "user__email")
    )
    team_by_id = {t.pk: t for t in teams}
    parties: list[Party] = [
        Party(team_key(t.pk), t.name, t.kind, members=t.member_count)
        for t in sorted(teams, key=lambda t: (t.kind != Team.Kind.INTERNAL, t.name))
    ]
    parties += [
        Party(
            person_key(m.pk),
            m.user.display_name,
            m.team.kind,
            is_person=True,
            team=team_key(m.team_id),
        )
        for m in people
    ]
    known = {p.key for p in parties}
    core = []
    functions: list[tuple[str, list[CoreActivity]]] = []
    for a in activities:
        item = CoreActivity(str(a.pk), a.name, a.function.name, Kind(a.kind), a.split)
        core.append(item)
        if not functions or functions[-1][0] != a.function.name:
            functions.append((a.function.name, []))
        functions[-1][1].append(item)
    cells: dict[tuple[str, str], frozenset[Role]] = {}
    revisions: dict[tuple[str, str], int] = {}
    for activity_id, team_id, membership_id, roles, revision in assignments:
        party = team_key(team_id) if team_id else person_key(membership_id)
        if party in known:
            cells[(str(activity_id), party)] = parse_cell(roles)
            revisions[(str(activity_id), party)] = revision
    team_names = {team_key(t.pk): t.name for t in team_by_id.values()}
    return Matrix(tuple(parties), tuple(core), cells), functions, team_names, revisions


def snapshot_of(matrix: Matrix, team_names: dict[str, str]) -> dict[str, Any]:
    """A version frozen as plain JSON: what was signed, names as they were."""
    return {
        "parties": [
            {
                "key": p.key,
                "name": p.name,
                "kind": p.kind,
                "is_person": p.is_person,
                "team": p.team,
                "members": p.members,
            }
            for p in matrix.parties
        ],
        "activities": [
            {
                "key": a.key,
                "name": a.name,
                "function": a.function,
                "kind": a.kind.value,
                "split": a.split,
            }
            for a in matrix.activities
        ],
        "cells": [[a, p, format_roles(roles)] for (a, p), roles in matrix.cells.items() if roles],
        "team_names": team_names,
    }


def matrix_from_snapshot(
    snapshot: dict[str, Any],
) -> tuple[Matrix, list[tuple[str, list[CoreActivity]]], dict[str, str]]:
    parties = tuple(Party(**p) for p in snapshot["parties"])
    activities = [
        CoreActivity(a["key"], a["name"], a["function"], Kind(a["kind"]), a["split"])
        for a in snapshot["activities"]
    ]
    functions: list[tuple[str, list[CoreActivity]]] = []
    for a in activities:
        if not functions or functions[-1][0] != a.function:
            functions.append((a.function, []))
        functions[-1][1].append(a)
    cells = {(a, p): parse_cell(roles) for a, p, roles in snapshot["cells"]}
    return Matrix(parties, tuple(activities), cells), functions, dict(snapshot["team_names"])


def load_grid(version: MatrixVersion, language: str) -> Grid:
    if version.snapshot is not None:
        matrix, functions, team_names = matrix_from_snapshot(version.snapshot)
        revisions: dict[tuple[str, str], int] = {}
    else:
        matrix, functions, team_names, revisions = live_matrix(version)
    findings = worded(validate(matrix, rules_for(version.workspace)), language)
    return Grid(version, matrix, functions, team_names, findings, revisions)


def required_teams(matrix: Matrix) -> set[int]:
    """Teams that must sign: every team holding a role, itself or through a person."""
    holding = {party for (_, party), roles in matrix.cells.items() if roles}
    teams: set[int] = set()
    for party in matrix.parties:
        if party.key in holding:
            key = party.team if party.is_person else party.key
            teams.add(int(key.removeprefix("team-")))
    return teams


def signing_teams(version: MatrixVersion, matrix: Matrix) -> list[tuple[Team, SignOff | None]]:
    """The teams that must sign `version` (`required_teams`), in-house first then by name,
    each with its sign-off so far (none on a published version)."""
    required = required_teams(matrix)
    signed = {s.team_id: s for s in signoffs_of(version)} if version.is_draft else {}
    teams = [t for t in Team.objects.for_workspace(version.workspace) if t.pk in required]
    teams.sort(key=lambda t: (t.kind != Team.Kind.INTERNAL, t.name))
    return [(t, signed.get(t.pk)) for t in teams]


def accountable_waiting(version: MatrixVersion, matrix: Matrix) -> list[str]:
    """The activities whose external Accountable does not count yet: work follows a draft
    while nothing is published, but not its external As until both sides have signed
    (work/roles.py). Empty unless `version` is that draft."""
    if not version.is_draft or published_of(version.workspace) is not None:
        return []
    names = {a.key: a.name for a in matrix.activities}
    return [names[key] for key in external_accountable(matrix)]


def signoffs_of(version: MatrixVersion) -> list[SignOff]:
    return list(
        SignOff.objects.for_workspace(version.workspace)
        .filter(version=version)
        .select_related("team")
    )


def functions_of(workspace: Workspace) -> list[Function]:
    return list(Function.objects.for_workspace(workspace).filter(archived_at__isnull=True))


@dataclass
class MatrixHealth:
    """The check's findings on the matrix that counts: the draft being written, else the
    published version."""

    version: MatrixVersion
    errors: int
    warnings: int


def matrix_health(workspace: Workspace) -> MatrixHealth | None:
    """Findings of the draft (else the published version) by severity; None when the
    workspace has no matrix yet. 5 queries at most, whatever the matrix's size."""
    version = draft_of(workspace) or published_of(workspace)
    if version is None:
        return None
    version.workspace = workspace
    if version.snapshot is not None:
        matrix = matrix_from_snapshot(version.snapshot)[0]
    else:
        matrix = live_matrix(version)[0]
    findings = validate(matrix, rules_for(workspace))
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity == Severity.WARNING)
    return MatrixHealth(version, errors, warnings)
