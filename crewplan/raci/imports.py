"""Importing a RACI grid from .xlsx: read (pure core), map the file's columns to this
workspace's teams and people, preview, then save atomically (`services.import_apply`)
from the plan the preview signed. Reading the upload and the signed preview are
`lib/uploads.py`'s."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from crewplan.lib import uploads
from crewplan.raci import messages
from crewplan.raci.models import Activity
from crewplan.raci.validation import Role, format_cell, parse_cell
from crewplan.raci.xlsx import ReadResult
from crewplan.workspaces.models import Membership, Team, Workspace

PURPOSE = "raci.import"  # of the signed preview
# What a grid may come as: an .xlsx, or CSV text (raci/xlsx.read_matrix reads both).
FILE_KINDS = (uploads.FileKind.XLSX, uploads.FileKind.TEXT)


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


def preview_rows(plan: ImportPlan) -> list[dict[str, Any]]:
    """The file's grid as it will be saved, one row per activity."""
    by_row: dict[int, dict[str, str]] = {}
    for index, party, letters in plan.cells:
        by_row.setdefault(index, {})[party] = format_cell(parse_cell(letters))
    return [
        {
            "function": f,
            "name": n,
            "kind": k,
            "cells": [by_row.get(i, {}).get(key, "") for key in plan.keys],
        }
        for i, (f, n, k, _s) in enumerate(plan.activities)
    ]


def archived_by(workspace: Workspace, plan: ImportPlan) -> list[Activity]:
    """The workspace's current activities the file does not hold: the import archives them."""
    in_file = {(f.casefold(), n.casefold()) for f, n, _k, _s in plan.activities}
    active = Activity.objects.for_workspace(workspace).filter(archived_at__isnull=True)
    return [
        a
        for a in active.select_related("function")
        if (a.function.name.casefold(), a.name.casefold()) not in in_file
    ]


def sign_plan(workspace: Workspace, plan: ImportPlan) -> str:
    payload = {"activities": plan.activities, "cells": plan.cells}
    return uploads.sign_preview(purpose=PURPOSE, workspace=workspace.pk, payload=payload)


def open_plan(workspace: Workspace, token: str) -> dict[str, Any]:
    """The plan as previewed; raises uploads.PreviewRefused when the token is tampered
    with, from another workspace, or expired."""
    return uploads.open_preview(purpose=PURPOSE, workspace=workspace.pk, token=token)  # type: ignore[no-any-return]
