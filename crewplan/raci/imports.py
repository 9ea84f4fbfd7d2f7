"""Importing a RACI grid from .xlsx or CSV: read (pure core, `raci/xlsx.read_matrix`),
map the file's party columns to this workspace's teams and people (or to new teams, or
ignore them), preview, then save atomically (`services.import_apply`).

The signed preview token carries what was read (`SheetRead`: the layout, the columns,
the activities and cells by column), not the mapping: the mapping is the page's form
fields, so people change it and see the preview again without uploading the file again.
What crewplan proposes for a column: the mapping remembered from the last import
(`ColumnMapping`), else the person or team whose name the header is, else a new team of
the kind the sheet states or the reader guessed (for those who may manage teams), else
nothing (the column must be chosen). Reading the upload and the signed preview are
`lib/uploads.py`'s."""

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from crewplan.lib import uploads
from crewplan.lib.params import int_param
from crewplan.raci import messages
from crewplan.raci.models import Activity, ColumnMapping
from crewplan.raci.reading import Layout, RoleColumn, RowProblem, SkippedRow
from crewplan.raci.validation import EXTERNAL, INTERNAL, Role, format_cell, parse_cell
from crewplan.raci.xlsx import ReadResult
from crewplan.workspaces.models import Membership, Team, Workspace

PURPOSE = "raci.import"  # of the signed preview
PAYLOAD_VERSION = 2  # of the signed preview's payload: 1 carried a plan mapped on upload
# What a grid may come as: an .xlsx, or CSV text (raci/xlsx.read_matrix reads both).
FILE_KINDS = (uploads.FileKind.XLSX, uploads.FileKind.TEXT)

IGNORE = "ignore"
NEW_TEAM = {"new-internal": INTERNAL, "new-external": EXTERNAL}
HEADER_MAX = 200  # ColumnMapping.header: longer headers are mapped but not remembered
MANY_SKIPPED = 8  # more skipped rows than this are listed collapsed


@dataclass(frozen=True, slots=True)
class Column:
    """A party column of the file: its header as written, and what the reader made of it
    (a person `Name (Team)` in crewplan's own layout; the kind stated or guessed)."""

    header: str
    name: str
    kind: str  # INTERNAL or EXTERNAL
    is_person: bool = False
    team: str = ""
    letter: str = ""  # the sheet's column(s), "C" or "C–D"


@dataclass(frozen=True)
class SheetRead:
    """What the reader found in the file, as the signed preview carries it."""

    filename: str
    layout: Layout
    columns: tuple[Column, ...]
    activities: list[list[str]]  # [function, name, kind, split]
    cells: list[list[Any]]  # [activity index, column index, letters]
    problems: tuple[RowProblem, ...]


def sheet_read(result: ReadResult, filename: str) -> SheetRead:
    parties = result.matrix.parties
    letters = [c.column for c in result.layout.role_columns]
    if len(letters) != len(parties):
        letters = [""] * len(parties)
    columns = tuple(
        Column(p.key, p.name, p.kind, p.is_person, p.team, letter)
        for p, letter in zip(parties, letters, strict=True)
    )
    position = {p.key: i for i, p in enumerate(parties)}
    index = {a.key: i for i, a in enumerate(result.matrix.activities)}
    return SheetRead(
        filename=filename,
        layout=result.layout,
        columns=columns,
        activities=[[a.function, a.name, a.kind.value, a.split] for a in result.matrix.activities],
        cells=[
            [index[activity], position[party], _letters(roles)]
            for (activity, party), roles in result.matrix.cells.items()
            if roles
        ],
        problems=result.problems,
    )


def sign_read(workspace: Workspace, read: SheetRead) -> str:
    payload = {
        "v": PAYLOAD_VERSION,
        # The same file uploaded again within a second is another preview, not one used.
        "nonce": secrets.token_hex(8),
        "filename": read.filename,
        "layout": asdict(read.layout),
        "columns": [asdict(c) for c in read.columns],
        "activities": read.activities,
        "cells": read.cells,
        "problems": [[p.row, p.code, dict(p.params)] for p in read.problems],
    }
    return uploads.sign_preview(purpose=PURPOSE, workspace=workspace.pk, payload=payload)


def open_read(workspace: Workspace, token: str) -> SheetRead:
    """The file as previewed; raises uploads.PreviewRefused when the token is tampered
    with, from another workspace, expired, or from before this payload's version."""
    payload = uploads.open_preview(purpose=PURPOSE, workspace=workspace.pk, token=token)
    if not isinstance(payload, dict) or payload.get("v") != PAYLOAD_VERSION:
        raise uploads.PreviewRefused
    layout = payload["layout"]
    return SheetRead(
        filename=payload["filename"],
        layout=Layout(
            **{
                **layout,
                "role_columns": tuple(RoleColumn(**c) for c in layout["role_columns"]),
                "skipped": tuple(SkippedRow(**s) for s in layout["skipped"]),
            }
        ),
        columns=tuple(Column(**c) for c in payload["columns"]),
        activities=payload["activities"],
        cells=payload["cells"],
        problems=tuple(RowProblem(row, code, params) for row, code, params in payload["problems"]),
    )


def header_key(text: str) -> str:
    """A column header compared the way people type it: full-width or ASCII parentheses,
    with or without a space before them, any case."""
    text = " ".join(text.replace("（", "(").replace("）", ")").split())
    return text.replace(" (", "(").casefold()


def _letters(roles: frozenset[Role]) -> str:
    return format_cell(roles).replace("/", "")


def person_label(member: Membership) -> str:
    return f"{member.user.display_name} ({member.team.name})"


@dataclass
class Options:
    """What a column may become in this workspace: its teams, its people, a new team (for
    those who may manage teams), or nothing. Loaded through `for_workspace`, so an id of
    another workspace is not among them."""

    teams: dict[int, Team]
    members: dict[int, Membership]
    may_create_teams: bool

    def groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The choices of the mapping's select, in option groups ("" for none)."""
        in_house = [(f"team-{t.pk}", t.name) for t in self.teams.values() if not t.is_external]
        external = [(f"team-{t.pk}", t.name) for t in self.teams.values() if t.is_external]
        people = [(f"person-{pk}", person_label(m)) for pk, m in self.members.items()]
        groups: list[tuple[str, list[tuple[str, str]]]] = [("", [("", _("— Choose —"))])]
        groups += [
            (label, choices)
            for label, choices in (
                (_("In-house teams"), in_house),
                (_("External teams"), external),
                (_("People"), people),
            )
            if choices
        ]
        if self.may_create_teams:
            new = [
                ("new-internal", _("New in-house team")),
                ("new-external", _("New external team")),
            ]
            groups.append((_("New team"), new))
        groups.append(("", [(IGNORE, _("Ignore this column"))]))
        return groups


def mapping_options(workspace: Workspace, *, may_create_teams: bool) -> Options:
    teams = {t.pk: t for t in Team.objects.for_workspace(workspace)}
    members = (
        Membership.objects.for_workspace(workspace)
        .select_related("user", "team")
        .order_by("team__kind", "team__name", "user__full_name", "pk")
    )
    return Options(teams, {m.pk: m for m in members}, may_create_teams)


def proposals(workspace: Workspace, read: SheetRead, options: Options) -> list[str]:
    """What crewplan proposes for each column: the remembered mapping, else the person or
    team named by the header, else a new team of the column's kind, else "" (choose)."""
    keys = [header_key(c.header) for c in read.columns]
    remembered = {
        m.header: m
        for m in ColumnMapping.objects.for_workspace(workspace).filter(
            header__in=[k for k in keys if len(k) <= HEADER_MAX]
        )
    }
    # A column is found by its whole header, so names may hold anything, parentheses too:
    # a team called "Agency (Taipei)", a person of a team called "Studio (2)".
    people: dict[str, Membership] = {}
    for m in options.members.values():
        people.setdefault(header_key(person_label(m)), m)
    teams = {header_key(t.name): t for t in options.teams.values()}
    proposed = []
    for key, column in zip(keys, read.columns, strict=True):
        known = remembered.get(key)
        if known is not None and (
            known.team_id in options.teams or known.membership_id in options.members
        ):
            proposed.append(
                f"team-{known.team_id}" if known.team_id else f"person-{known.membership_id}"
            )
        elif known is not None and known.team_id is None and known.membership_id is None:
            proposed.append(IGNORE)
        elif key in people:
            proposed.append(f"person-{people[key].pk}")
        elif key in teams:
            proposed.append(f"team-{teams[key].pk}")
        elif options.may_create_teams and not column.is_person:
            proposed.append(f"new-{column.kind}")
        else:
            proposed.append("")
    return proposed


def chosen(
    workspace: Workspace, read: SheetRead, options: Options, posted: Mapping[str, str] | None
) -> list[str]:
    """Each column's choice: the form field `column-<n>` posted, else the proposal."""
    proposed = proposals(workspace, read, options)
    if posted is None:
        return proposed
    return [posted.get(f"column-{i}", p) for i, p in enumerate(proposed)]


@dataclass(frozen=True)
class Target:
    """What one column becomes: `choice` is the select's value ("team-3", "person-7",
    "new-internal", "new-external", "ignore", or "" when not chosen or refused)."""

    column: Column
    choice: str = ""
    team: Team | None = None
    membership: Membership | None = None
    problem: str = ""

    @property
    def new_kind(self) -> str:
        return NEW_TEAM.get(self.choice, "")

    @property
    def ignored(self) -> bool:
        return self.choice == IGNORE

    @property
    def label(self) -> str:
        if self.team is not None:
            return self.team.name
        if self.membership is not None:
            return person_label(self.membership)
        if self.new_kind == INTERNAL:
            return _("%(name)s (new in-house team)") % {"name": self.column.name}
        if self.new_kind == EXTERNAL:
            return _("%(name)s (new external team)") % {"name": self.column.name}
        return ""


@dataclass
class Mapped:
    targets: list[Target]
    problems: list[str]  # every target's problem, then those of the mapping as a whole


def resolve(read: SheetRead, options: Options, choices: Sequence[str]) -> Mapped:
    """Each column's choice checked against what this workspace offers this person: an
    id not among its teams or people (another workspace's, a deleted one, a typed one) or
    a new team from someone who may not create teams is refused, as are two columns
    mapped to one party, a kind the sheet states that contradicts the team's, and a new
    team whose name is taken. Pure over `options`: no queries."""
    taken = {header_key(t.name) for t in options.teams.values()}
    targets = [
        _target(column, choice, options, taken, read.layout.kinds_stated)
        for column, choice in zip(read.columns, choices, strict=True)
    ]
    problems = [t.problem for t in targets if t.problem]
    seen: dict[str, Target] = {}
    for target in targets:
        party = target.choice if target.team or target.membership else ""
        if target.new_kind:
            party = "new:" + header_key(target.column.name)
        if not party:
            continue
        if party in seen:
            problems.append(
                _(
                    "Columns “%(first)s” and “%(second)s” are both mapped to %(party)s: map "
                    "one of them to another team or person, or ignore it."
                )
                % {
                    "first": seen[party].column.header,
                    "second": target.column.header,
                    "party": target.label,
                }
            )
        seen.setdefault(party, target)
    if targets and all(t.ignored for t in targets):
        problems.append(_("Every column is ignored: map at least one to a team or person."))
    return Mapped(targets, problems)


def _target(
    column: Column, choice: str, options: Options, taken: set[str], kinds_stated: bool
) -> Target:
    name = column.header
    if choice == IGNORE:
        return Target(column, IGNORE)
    if choice in NEW_TEAM and options.may_create_teams:
        limit = Team._meta.get_field("name").max_length
        if limit is not None and len(column.name) > limit:
            return Target(
                column,
                choice,
                problem=_(
                    "Column “%(name)s”: a team name can have at most %(limit)s characters; "
                    "map the column to an existing team, or ignore it."
                )
                % {"name": name, "limit": limit},
            )
        if header_key(column.name) in taken:
            return Target(
                column,
                choice,
                problem=_(
                    "Column “%(name)s”: there is already a team of that name; choose it "
                    "instead of a new team."
                )
                % {"name": name},
            )
        return Target(column, choice)
    if choice in NEW_TEAM:
        return Target(
            column,
            "",
            problem=_(
                "Column “%(name)s”: only the workspace's owners and in-house managers may "
                "create teams; map it to an existing team or person, or ignore it."
            )
            % {"name": name},
        )
    kind, _sep, raw = choice.partition("-")
    pk = int_param(raw)
    team = options.teams.get(pk) if kind == "team" and pk is not None else None
    member = options.members.get(pk) if kind == "person" and pk is not None else None
    if team is None and member is None:
        if choice:
            problem = _(
                "Column “%(name)s”: choose one of the teams or people listed, or “Ignore "
                "this column”."
            ) % {"name": name}
        elif column.is_person:
            problem = _("Column “%(name)s”: no person of that name in team %(team)s.") % {
                "name": name,
                "team": column.team,
            }
        else:
            problem = _("Column “%(name)s”: there is no team of that name in this workspace.") % {
                "name": column.name
            }
        return Target(column, "", problem=problem)
    actual = team.kind if team is not None else member.team.kind  # type: ignore[union-attr]
    problem = ""
    if kinds_stated and actual != column.kind:
        problem = _("Column “%(name)s” says %(file)s, but the team is %(actual)s.") % {
            "name": name,
            "file": column.kind,
            "actual": actual,
        }
    return Target(column, choice, team, member, problem)


@dataclass
class ImportPlan:
    activities: list[list[str]] = field(default_factory=list)  # [function, name, kind, split]
    cells: list[list[Any]] = field(default_factory=list)  # [activity index, party key, letters]
    problems: list[tuple[int | None, str]] = field(default_factory=list)  # (row, message)
    columns: list[tuple[str, str]] = field(default_factory=list)  # (file header, workspace party)
    keys: list[str] = field(default_factory=list)  # party key of each column kept


def party_key(position: int, target: Target) -> str:
    """The key of a mapped column in the preview: a new team has none yet."""
    if target.team is not None:
        return f"team-{target.team.pk}"
    if target.membership is not None:
        return f"person-{target.membership.pk}"
    return f"new-{position}" if target.new_kind else ""


def plan_import(read: SheetRead, mapped: Mapped, language: str) -> ImportPlan:
    """The grid as the mapping makes it, with every problem: the mapping's (on the header
    row), then the file's rows'. Any problem blocks the import."""
    header_row = read.layout.header_row
    plan = ImportPlan(activities=read.activities)
    plan.problems = [(header_row, p) for p in mapped.problems]
    plan.problems += [(p.row, messages.row_problem(p, language)) for p in read.problems]
    keys = [party_key(i, t) for i, t in enumerate(mapped.targets)]
    for key, target in zip(keys, mapped.targets, strict=True):
        if key:
            plan.columns.append((target.column.header, target.label))
            plan.keys.append(key)
    plan.cells = [[a, keys[c], letters] for a, c, letters in read.cells if keys[c]]
    return plan


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


def layout_rows(read: SheetRead, language: str) -> dict[str, Any]:
    """How the file was read, for the preview: the reader's lines, and the skipped rows
    with why (collapsed when there are many)."""
    return {
        "lines": messages.layout_lines(read.layout, language),
        "skipped": [
            {"row": s.row, "why": messages.skipped_row(s, language), "text": s.text}
            for s in read.layout.skipped
        ],
        "collapsed": len(read.layout.skipped) > MANY_SKIPPED,
    }


def archived_by(workspace: Workspace, plan: ImportPlan) -> list[Activity]:
    """The workspace's current activities the file does not hold: the import archives them."""
    in_file = {(f.casefold(), n.casefold()) for f, n, _k, _s in plan.activities}
    active = Activity.objects.for_workspace(workspace).filter(archived_at__isnull=True)
    return [
        a
        for a in active.select_related("function")
        if (a.function.name.casefold(), a.name.casefold()) not in in_file
    ]
