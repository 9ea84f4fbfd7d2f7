"""Importing a RACI grid from .xlsx: read (pure core), map the file's columns to this
workspace's teams and people, preview, then save atomically from a signed plan so
nothing is kept on the server between preview and confirmation."""

from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.utils.translation import gettext as _

from crewplan.lib.limits import RACI_MATRIX
from crewplan.raci import messages
from crewplan.raci.validation import Role, format_cell
from crewplan.raci.xlsx import ReadResult
from crewplan.workspaces.models import Membership, Team, Workspace

MAX_UPLOAD = RACI_MATRIX.bytes
PLAN_MAX_AGE = 60 * 60  # seconds a preview stays valid


@dataclass
class ImportPlan:
    activities: list[list[str]] = field(default_factory=list)  # [function, name, kind, split]
    cells: list[list[Any]] = field(default_factory=list)  # [activity index, party key, letters]
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (row, message)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (file header, workspace party)
    keys: list[str] = field(default_factory=list)  # workspace party key of each column


def plan_import(workspace: Workspace, result: ReadResult, language: str) -> ImportPlan:
    teams = {t.name.casefold(): t for t in Team.objects.for_workspace(workspace)}
    people = list(Membership.objects.for_workspace(workspace).select_related("user", "team"))
    plan = ImportPlan()
    party_keys: dict[str, str] = {}
    # A column is found by its whole header, so names may hold anything, parentheses too:
    # a team called "Agency (Taipei)", a person of a team called "Studio (2)".
    members: dict[str, Membership] = {}
    for m in people:
        members.setdefault(_header_key(f"{m.user.display_name} ({m.team.name})"), m)
    for party in result.matrix.parties:
        member = members.get(_header_key(party.key))
        team = teams.get(party.key.casefold())
        if member is not None:
            kind, key, label = (
                member.team.kind,
                f"person-{member.pk}",
                f"{member.user.display_name} ({member.team.name})",
            )
        elif team is not None:
            kind, key, label = team.kind, f"team-{team.pk}", team.name
        else:
            plan.problems.append(
                (
                    1,
                    _("Column “%(name)s”: no person of that name in team %(team)s.")
                    % {"name": party.key, "team": party.team}
                    if party.is_person
                    else _("Column “%(name)s”: there is no team of that name in this workspace.")
                    % {"name": party.name},
                )
            )
            continue
        if kind != party.kind and result.layout.kinds_stated:
            plan.problems.append(
                (
                    2,
                    _("Column “%(name)s” says %(file)s, but the team is %(actual)s.")
                    % {"name": party.key, "file": party.kind, "actual": kind},
                )
            )
        party_keys[party.key] = key
        plan.columns.append((party.key, label))
        plan.keys.append(key)
    for problem in result.problems:
        plan.problems.append((problem.row, messages.row_problem(problem, language)))
    index = {}
    for position, activity in enumerate(result.matrix.activities):
        index[activity.key] = position
        plan.activities.append(
            [activity.function, activity.name, activity.kind.value, activity.split]
        )
    for (activity_key, party_key), roles in result.matrix.cells.items():
        if party_key in party_keys and roles:
            plan.cells.append([index[activity_key], party_keys[party_key], _letters(roles)])
    return plan


def _header_key(text: str) -> str:
    """A column header compared the way people type it: full-width or ASCII parentheses,
    with or without a space before them, any case."""
    text = " ".join(text.replace("（", "(").replace("）", ")").split())
    return text.replace(" (", "(").casefold()


def _letters(roles: frozenset[Role]) -> str:
    return format_cell(roles).replace("/", "")


def _salt(workspace: Workspace) -> str:
    return f"crewplan.raci.import:{workspace.pk}"


def sign_plan(workspace: Workspace, plan: ImportPlan) -> str:
    return signing.dumps(
        {"activities": plan.activities, "cells": plan.cells}, salt=_salt(workspace), compress=True
    )


def unsign_plan(workspace: Workspace, token: str) -> dict[str, Any]:
    """The plan as previewed; raises signing.BadSignature when tampered with, from
    another workspace, or older than PLAN_MAX_AGE."""
    return signing.loads(token, salt=_salt(workspace), max_age=PLAN_MAX_AGE)  # type: ignore[no-any-return]
