"""Every write to the RACI matrix: keyword-only, one transaction, audited. A refused
change raises ValidationError (a message for people) and changes nothing."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import locked, record, use_once
from crewplan.lib.language import normalize
from crewplan.lib.params import int_param
from crewplan.raci import imports, template
from crewplan.raci import messages as raci_messages
from crewplan.raci.models import (
    Activity,
    Assignment,
    ColumnMapping,
    Function,
    MatrixVersion,
    SignOff,
)
from crewplan.raci.queries import (
    draft_of,
    live_matrix,
    published_of,
    required_teams,
    rules_for,
    snapshot_of,
)
from crewplan.raci.validation import CellError, Role, format_cell, has_errors, parse_cell, validate
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.services import team_create


class CellConflict(Exception):
    """Someone changed the cell since this person loaded it: `current` is its value now."""

    def __init__(self, current: str) -> None:
        super().__init__(current)
        self.current = current


def _letters(roles: frozenset[Role]) -> str:
    return format_cell(roles).replace("/", "")


def _require_draft(version: MatrixVersion) -> None:
    if not version.is_draft:
        raise ValidationError(
            _("This version is published and frozen. Start a new draft to change it.")
        )


def _clear_signoffs(version: MatrixVersion, actor: Any) -> None:
    """A change to the draft voids its sign-offs: people signed what they saw."""
    signed = list(
        SignOff.objects.for_workspace(version.workspace)
        .filter(version=version)
        .select_related("team")
    )
    if signed:
        SignOff.objects.filter(pk__in=[s.pk for s in signed]).delete()
        record(
            workspace=version.workspace,
            actor=actor,
            action=AuditAction.RACI_SIGNOFFS_CLEARED,
            target=version,
            before={"teams": [s.team.name for s in signed]},
        )


@transaction.atomic
def draft_start(*, workspace: Workspace, actor: Any) -> MatrixVersion:
    """The workspace's draft; a new one copied from the published version if none."""
    existing = draft_of(workspace)
    if existing is not None:
        return existing
    published = published_of(workspace)
    last = MatrixVersion.objects.for_workspace(workspace).aggregate(n=Max("number"))["n"] or 0
    draft = MatrixVersion.objects.create(
        workspace=workspace,
        number=last + 1,
        based_on=published,
        people=list(published.people) if published else [],
        created_by=actor,
    )
    if published is not None:
        Assignment.objects.bulk_create(
            Assignment(
                workspace=workspace,
                version=draft,
                activity_id=a.activity_id,
                team_id=a.team_id,
                membership_id=a.membership_id,
                roles=a.roles,
                updated_by=actor,
            )
            for a in Assignment.objects.for_workspace(workspace).filter(version=published)
        )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.RACI_DRAFT_STARTED,
        target=draft,
        after={"number": draft.number, "based_on": published.number if published else None},
    )
    return draft


def _party(workspace: Workspace, key: str) -> tuple[Team | None, Membership | None]:
    kind, _sep, raw = key.partition("-")
    pk = int_param(raw)
    if pk is None:
        raise ValidationError(_("Unknown column."))
    if kind == "team":
        team = Team.objects.for_workspace(workspace).filter(pk=pk).first()
        if team:
            return team, None
    elif kind == "person":
        member = (
            Membership.objects.for_workspace(workspace).filter(pk=pk).select_related("user").first()
        )
        if member:
            return None, member
    raise ValidationError(_("Unknown column."))


@transaction.atomic
def cell_set(
    *,
    version: MatrixVersion,
    activity: Activity,
    party_key: str,
    text: str,
    expected: str,
    actor: Any,
) -> str:
    """Set one cell to the roles in `text`, if it still holds `expected` (what the person
    saw); otherwise raise CellConflict with the current value. Returns the new value."""
    _require_draft(version)
    workspace = version.workspace
    if activity.workspace_id != workspace.pk or activity.archived_at is not None:
        raise ValidationError(_("Unknown activity."))
    try:
        roles = parse_cell(text)
        seen = parse_cell(expected)
    except CellError:
        raise ValidationError(
            _("“%(text)s” is not a combination of R, A, C and I.") % {"text": text}
        ) from None
    team, member = _party(workspace, party_key)
    cells = Assignment.objects.for_workspace(workspace).select_for_update()
    current = cells.filter(version=version, activity=activity, team=team, membership=member).first()
    now = parse_cell(current.roles) if current else frozenset()
    if now != seen:
        raise CellConflict(format_cell(now))
    if roles == now:
        return format_cell(now)
    if current is None:
        try:
            with transaction.atomic():
                current = Assignment.objects.create(
                    workspace=workspace,
                    version=version,
                    activity=activity,
                    team=team,
                    membership=member,
                    roles=_letters(roles),
                    updated_by=actor,
                )
        except IntegrityError:  # someone created the same cell a moment ago
            latest = cells.get(version=version, activity=activity, team=team, membership=member)
            raise CellConflict(format_cell(parse_cell(latest.roles))) from None
    elif roles:
        current.roles = _letters(roles)
        current.revision += 1
        current.updated_at = timezone.now()
        current.updated_by = actor
        current.save(update_fields=["roles", "revision", "updated_at", "updated_by"])
    else:
        current.delete()
    if member is not None and member.pk not in version.people:
        version.people = [*version.people, member.pk]
        version.save(update_fields=["people"])
    _clear_signoffs(version, actor)
    party_name = team.name if team else member.user.display_name  # type: ignore[union-attr]
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.RACI_CELL_CHANGED,
        target=activity,
        before={"party": party_name, "roles": format_cell(now)},
        after={"party": party_name, "roles": format_cell(roles)},
    )
    return format_cell(roles)


@dataclass(frozen=True, slots=True)
class CellChange:
    """One cell a person changed: the grid's `c:<activity>:<party>` field (`value`) and
    its `e:<activity>:<party>` twin (`expected`, what the person saw)."""

    activity_key: str
    party_key: str
    value: str
    expected: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.activity_key, self.party_key)


@dataclass
class CellsResult:
    """What became of the cells: saved (cell → new value; empty when anything was
    refused, since nothing is then saved), conflicts (cell → someone else's current
    value) and the problems to show, in the order met."""

    saved: dict[tuple[str, str], str] = field(default_factory=dict)
    conflicts: dict[tuple[str, str], str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def cell_changes(posted: Mapping[str, str], *, only: str | None = None) -> list[CellChange]:
    """The changed cells of a grid form: every `c:` field whose value differs from what
    the person saw, or, with `only` (the one cell the grid's script posts), that cell
    whatever its value."""
    changes = []
    for name, value in posted.items():
        if not name.startswith("c:") or (only is not None and name != only):
            continue
        _c, activity_key, party_key = [*name.split(":", 2), "", ""][:3]
        expected = posted.get(f"e:{activity_key}:{party_key}", "")
        if only is not None or value.strip() != expected.strip():
            changes.append(CellChange(activity_key, party_key, value, expected))
    return changes


class _Rollback(Exception):
    pass


def cells_set(*, version: MatrixVersion, changes: Iterable[CellChange], actor: Any) -> CellsResult:
    """Set every changed cell in one transaction, all or nothing: a cell refused (bad
    letters, unknown activity or column) or in conflict (changed by someone else since
    it was read) rolls back the others, and every problem is reported at once. An
    activity id of another workspace raises Activity.DoesNotExist (the page answers 404)."""
    result = CellsResult()
    activities = Activity.objects.for_workspace(version.workspace)
    try:
        with transaction.atomic():
            for change in changes:
                activity_id = int_param(change.activity_key)
                if activity_id is None:
                    result.problems.append(_("Unknown activity."))
                    continue
                activity = activities.get(pk=activity_id)
                try:
                    result.saved[change.key] = cell_set(
                        version=version,
                        activity=activity,
                        party_key=change.party_key,
                        text=change.value,
                        expected=change.expected,
                        actor=actor,
                    )
                except CellConflict as conflict:
                    result.conflicts[change.key] = conflict.current
                    result.problems.append(
                        _(
                            "%(activity)s: someone changed this cell to “%(current)s” while you "
                            "were editing. Your change was not saved; check the current value "
                            "and try again."
                        )
                        % {"activity": activity.name, "current": conflict.current or "—"}
                    )
                except ValidationError as error:
                    result.problems.extend(error.messages)
            if result.problems:
                raise _Rollback
    except _Rollback:
        result.saved = {}
    return result


@transaction.atomic
def person_column_add(*, version: MatrixVersion, membership: Membership, actor: Any) -> None:
    _require_draft(version)
    if membership.workspace_id != version.workspace_id:
        raise ValidationError(_("Unknown column."))
    if membership.pk not in version.people:
        version.people = [*version.people, membership.pk]
        version.save(update_fields=["people"])


def _next_position(queryset: Any) -> int:
    return (queryset.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def function_create(*, workspace: Workspace, actor: Any, name: str) -> Function:
    name = name.strip()
    if not name:
        raise ValidationError(_("A function needs a name."))
    function = Function(workspace=workspace, name=name)
    function.full_clean(exclude=["workspace", "position"])  # the name's length before the query
    functions = Function.objects.for_workspace(workspace)
    if functions.filter(name__iexact=name).exists():
        raise ValidationError(_("There is already a function called “%(name)s”.") % {"name": name})
    function.position = _next_position(functions)
    function.save()
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.RACI_FUNCTION_CREATED,
        target=function,
        after={"name": name},
    )
    return function


@transaction.atomic
def activity_add(
    *, workspace: Workspace, actor: Any, function: Function | str, name: str, kind: str, split: str
) -> Activity:
    """A new activity of the matrix being drafted (a draft is started if there is none)."""
    draft_start(workspace=workspace, actor=actor)
    return activity_save(
        workspace=workspace, actor=actor, function=function, name=name, kind=kind, split=split
    )


@transaction.atomic
def activity_save(
    *,
    workspace: Workspace,
    actor: Any,
    function: Function | str,
    name: str,
    kind: str,
    split: str,
    activity: Activity | None = None,
    revision: int | None = None,
) -> Activity:
    """Create an activity, or change one (`activity`) that is still at `revision` (else
    audit.Conflict naming what someone else changed). `function`: the activity's, or the
    name of a new one, created with it (nothing is created if the activity is refused)."""
    if activity is not None:
        activity = locked(activity, revision=revision)
    if isinstance(function, str):
        function = function_create(workspace=workspace, actor=actor, name=function)
    name = name.strip()
    if function.workspace_id != workspace.pk:
        raise ValidationError(_("Unknown function."))
    if not name:
        raise ValidationError(_("An activity needs a name."))
    # Lengths first: the clash query below cannot take a name of any length.
    Activity(workspace=workspace, function=function, name=name, kind=kind, split=split).full_clean(
        exclude=["workspace", "function"], validate_unique=False, validate_constraints=False
    )
    clash = Activity.objects.for_workspace(workspace).filter(function=function, name__iexact=name)
    if activity is not None:
        clash = clash.exclude(pk=activity.pk)
    if clash.exists():
        raise ValidationError(
            _("“%(name)s” is already an activity of %(function)s.")
            % {"name": name, "function": function.name}
        )
    fields = {"function": function.name, "name": name, "kind": kind, "split": split.strip()}
    if activity is None:
        siblings = Activity.objects.for_workspace(workspace).filter(function=function)
        activity = Activity(
            workspace=workspace, function=function, position=_next_position(siblings)
        )
        before = None
    else:
        before = {
            "function": activity.function.name,
            "name": activity.name,
            "kind": activity.kind,
            "split": activity.split,
        }
    activity.function, activity.name, activity.kind, activity.split = (
        function,
        name,
        kind,
        split.strip(),
    )
    activity.full_clean(exclude=["workspace", "function"])
    if before is not None:
        activity.revision += 1
    activity.save()
    draft = draft_of(workspace)
    if draft is not None:
        _clear_signoffs(draft, actor)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.RACI_ACTIVITY_SAVED,
        target=activity,
        before=before,
        after=fields,
        revision=activity.revision,
    )
    return activity


@transaction.atomic
def activity_archive(*, activity: Activity, actor: Any) -> None:
    activity.archived_at = timezone.now()
    activity.save(update_fields=["archived_at"])
    draft = draft_of(activity.workspace)
    if draft is not None:
        _clear_signoffs(draft, actor)
    record(
        workspace=activity.workspace,
        actor=actor,
        action=AuditAction.RACI_ACTIVITY_ARCHIVED,
        target=activity,
    )


@transaction.atomic
def template_apply(
    *,
    workspace: Workspace,
    actor: Any,
    in_house: Team,
    agency: Team | None = None,
    new_agency: str = "",
    language: str,
) -> MatrixVersion:
    """Add the built-in template's functions, activities and roles to the draft, with its
    in-house role played by `in_house` and its agency role by `agency`, or by a new
    external team named `new_agency`, created in the same transaction. Activities that
    exist already keep their roles and get the template's added to them. The two sides
    are two different teams: one team on both would hold every R and A (no split)."""
    if new_agency.strip():
        agency = team_create(
            workspace=workspace, actor=actor, name=new_agency, kind=Team.Kind.EXTERNAL
        )
    if agency is None:
        raise ValidationError(_("Choose the agency team or name a new one."))
    for team in (in_house, agency):
        if team.workspace_id != workspace.pk:
            raise ValidationError(_("That team does not belong to this workspace."))
    if in_house.pk == agency.pk:
        raise ValidationError(
            _(
                "The in-house side and the agency must be two different teams: choose "
                "the agency's team, or name a new one."
            )
        )
    lang = normalize(language)
    draft = draft_start(workspace=workspace, actor=actor)
    functions = {f.name: f for f in Function.objects.for_workspace(workspace)}
    activities = {(a.function_id, a.name): a for a in Activity.objects.for_workspace(workspace)}
    cells = {
        (a.activity_id, a.team_id): a
        for a in Assignment.objects.for_workspace(workspace).filter(
            version=draft, team__isnull=False
        )
    }
    created = 0
    for position, (function_item, item) in enumerate(template.template_activities(), start=1):
        fname = function_item.names[lang]
        if fname not in functions:
            functions[fname] = Function.objects.create(
                workspace=workspace, name=fname, position=len(functions) + 1
            )
        function = functions[fname]
        activity = activities.get((function.pk, item.names[lang]))
        if activity is None:
            activity = Activity.objects.create(
                workspace=workspace,
                function=function,
                name=item.names[lang],
                kind=item.kind.value,
                split=item.split[lang] if item.split else "",
                position=position,
            )
            activities[(function.pk, activity.name)] = activity
            created += 1
        elif activity.archived_at is not None:
            activity.archived_at = None
            activity.save(update_fields=["archived_at"])
        for team, text in ((in_house, item.in_house), (agency, item.agency)):
            roles = parse_cell(text)
            cell = cells.get((activity.pk, team.pk))
            if cell is None:
                cells[(activity.pk, team.pk)] = Assignment.objects.create(
                    workspace=workspace,
                    version=draft,
                    activity=activity,
                    team=team,
                    roles=_letters(roles),
                    updated_by=actor,
                )
            else:
                merged = _letters(parse_cell(cell.roles) | roles)
                if merged != cell.roles:
                    cell.roles, cell.revision = merged, cell.revision + 1
                    cell.save(update_fields=["roles", "revision"])
    _clear_signoffs(draft, actor)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.RACI_TEMPLATE_APPLIED,
        target=draft,
        after={"in_house": in_house.name, "agency": agency.name, "activities_added": created},
    )
    return draft


def _findings(version: MatrixVersion) -> tuple[Any, list[Any], dict[str, str]]:
    matrix, _functions, team_names, _revisions = live_matrix(version)
    return matrix, validate(matrix, rules_for(version.workspace)), team_names


@transaction.atomic
def sign_off(*, version: MatrixVersion, team: Team, actor: Any) -> SignOff:
    _require_draft(version)
    MatrixVersion.objects.select_for_update().filter(pk=version.pk).first()
    matrix, findings, _names = _findings(version)
    if has_errors(findings):
        raise ValidationError(_("Fix the errors in the matrix before signing it off."))
    if team.pk not in required_teams(matrix):
        raise ValidationError(
            _("%(team)s holds no role in this matrix and does not sign it.") % {"team": team.name}
        )
    signed, created = SignOff.objects.get_or_create(
        workspace=version.workspace,
        version=version,
        team=team,
        defaults={"user": actor, "user_label": actor.display_name},
    )
    if not created:
        raise ValidationError(_("%(team)s has already signed off.") % {"team": team.name})
    record(
        workspace=version.workspace,
        actor=actor,
        action=AuditAction.RACI_SIGNED_OFF,
        target=version,
        after={"team": team.name},
    )
    return signed


@transaction.atomic
def publish(*, version: MatrixVersion, actor: Any) -> MatrixVersion:
    """Freeze the draft as the published matrix. Needs no error findings and a sign-off
    from every team holding a role."""
    _require_draft(version)
    version = MatrixVersion.objects.select_for_update().get(pk=version.pk)
    matrix, findings, team_names = _findings(version)
    if has_errors(findings):
        raise ValidationError(_("Fix the errors in the matrix before publishing it."))
    if not matrix.activities:
        raise ValidationError(_("An empty matrix cannot be published."))
    signed = set(
        SignOff.objects.for_workspace(version.workspace)
        .filter(version=version)
        .values_list("team_id", flat=True)
    )
    missing = required_teams(matrix) - signed
    if missing:
        names = sorted(
            Team.objects.for_workspace(version.workspace)
            .filter(pk__in=missing)
            .values_list("name", flat=True)
        )
        raise ValidationError(
            _("Waiting for the sign-off of: %(teams)s.") % {"teams": "、".join(names)}
        )
    MatrixVersion.objects.for_workspace(version.workspace).filter(
        status=MatrixVersion.Status.PUBLISHED
    ).update(status=MatrixVersion.Status.SUPERSEDED)
    version.status = MatrixVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor
    version.snapshot = snapshot_of(matrix, team_names)
    version.save(update_fields=["status", "published_at", "published_by", "snapshot"])
    record(
        workspace=version.workspace,
        actor=actor,
        action=AuditAction.RACI_PUBLISHED,
        target=version,
        after={"number": version.number, "activities": len(matrix.activities)},
    )
    return version


@transaction.atomic
def import_apply(
    *,
    workspace: Workspace,
    actor: Any,
    read: imports.SheetRead,
    choices: Sequence[str],
    may_create_teams: bool,
    preview: str,
) -> MatrixVersion:
    """Make the draft exactly the imported grid, each column of the file mapped as
    `choices` say (`raci.imports`: a team, a person, a new team, or ignored). New teams
    are created first (`team_create`, audited), the mapping is remembered for the next
    import, then the draft gets the file's activities (created or brought back as needed;
    others archived) and cells. All or nothing: a choice this workspace does not offer
    this person (another workspace's id, a new team from someone who may not manage
    teams), a problem of the mapping or of the file's rows refuses the whole import.
    `preview` (the signed token the file came from) works once."""
    use_once(workspace=workspace, token=preview)
    mapped = imports.resolve(
        read, imports.mapping_options(workspace, may_create_teams=may_create_teams), choices
    )
    if mapped.problems or read.problems:
        raise ValidationError(
            mapped.problems + [raci_messages.row_problem(p) for p in read.problems]
        )
    keys, columns = _import_columns(workspace=workspace, actor=actor, targets=mapped.targets)
    draft = draft_start(workspace=workspace, actor=actor)
    functions = {f.name.casefold(): f for f in Function.objects.for_workspace(workspace)}
    existing = {
        (a.function_id, a.name.casefold()): a for a in Activity.objects.for_workspace(workspace)
    }
    kept: list[Activity] = []
    for position, (function_name, name, kind, split) in enumerate(read.activities, start=1):
        function = functions.get(function_name.casefold())
        if function is None:
            function = Function(
                workspace=workspace, name=function_name, position=len(functions) + 1
            )
            function.full_clean(exclude=["workspace"])
            function.save()
            functions[function_name.casefold()] = function
        activity = existing.get((function.pk, name.casefold()))
        if activity is None:
            activity = Activity(workspace=workspace, function=function, name=name)
        activity.kind, activity.split, activity.position, activity.archived_at = (
            kind,
            split,
            position,
            None,
        )
        activity.full_clean(exclude=["workspace", "function"])
        activity.save()
        existing[(function.pk, name.casefold())] = activity
        kept.append(activity)
    kept_ids = {a.pk for a in kept}
    archived = (
        Activity.objects.for_workspace(workspace)
        .filter(archived_at__isnull=True)
        .exclude(pk__in=kept_ids)
        .update(archived_at=timezone.now())
    )
    Assignment.objects.for_workspace(workspace).filter(version=draft).delete()
    rows = []
    people: list[int] = []
    for index, column, letters in read.cells:
        kind, _sep, raw = keys[int(column)].partition("-")
        if not raw:
            continue  # an ignored column
        pk = int(raw)
        rows.append(
            Assignment(
                workspace=workspace,
                version=draft,
                activity=kept[int(index)],
                team_id=pk if kind == "team" else None,
                membership_id=pk if kind == "person" else None,
                roles=_letters(parse_cell(letters)),
                updated_by=actor,
            )
        )
        if kind == "person" and pk not in people:
            people.append(pk)
    Assignment.objects.bulk_create(rows)
    draft.people = people
    draft.save(update_fields=["people"])
    _clear_signoffs(draft, actor)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.RACI_IMPORTED,
        target=draft,
        after={
            "activities": len(kept),
            "cells": len(rows),
            "archived": archived,
            "columns": columns,
        },
    )
    return draft


def _import_columns(
    *, workspace: Workspace, actor: Any, targets: Sequence[imports.Target]
) -> tuple[list[str], dict[str, str | None]]:
    """The party key each column of an import becomes ("" when ignored), creating the
    new teams, and the mapping remembered for the next import (the header's last one
    replaces what was remembered); with the mapping as the audit row keeps it (header ->
    party, None when ignored)."""
    keys: list[str] = []
    columns: dict[str, str | None] = {}
    remembered: dict[str, ColumnMapping] = {}
    for target in targets:
        team, member = target.team, target.membership
        if target.new_kind:
            team = team_create(
                workspace=workspace, actor=actor, name=target.column.name, kind=target.new_kind
            )
        keys.append(f"team-{team.pk}" if team else f"person-{member.pk}" if member else "")
        columns[target.column.header] = (
            team.name if team else imports.person_label(member) if member else None
        )
        header = imports.header_key(target.column.header)
        if len(header) <= imports.HEADER_MAX:
            remembered[header] = ColumnMapping(
                workspace=workspace, header=header, team=team, membership=member
            )
    ColumnMapping.objects.for_workspace(workspace).filter(header__in=list(remembered)).delete()
    ColumnMapping.objects.bulk_create(remembered.values())
    return keys, columns


def _swap(items: list[Any], item: Any, direction: str) -> bool:
    """Move `item` one place up or down among `items` (ordered), renumbering positions."""
    index = next(i for i, x in enumerate(items) if x.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    for position, x in enumerate(items, start=1):
        if x.position != position:
            x.position = position
            x.save(update_fields=["position"])
    return True


@transaction.atomic
def activity_move(*, activity: Activity, actor: Any, direction: str) -> None:
    siblings = list(
        Activity.objects.for_workspace(activity.workspace)
        .filter(function_id=activity.function_id, archived_at__isnull=True)
        .select_for_update()
        .order_by("position", "id")
    )
    if _swap(siblings, activity, direction):
        record(
            workspace=activity.workspace,
            actor=actor,
            action=AuditAction.RACI_ACTIVITY_MOVED,
            target=activity,
            after={"direction": direction},
        )


@transaction.atomic
def function_move(*, function: Function, actor: Any, direction: str) -> None:
    functions = list(
        Function.objects.for_workspace(function.workspace)
        .filter(archived_at__isnull=True)
        .select_for_update()
        .order_by("position", "id")
    )
    if _swap(functions, function, direction):
        record(
            workspace=function.workspace,
            actor=actor,
            action=AuditAction.RACI_FUNCTION_MOVED,
            target=function,
            after={"direction": direction},
        )


@transaction.atomic
def function_rename(*, function: Function, actor: Any, name: str, revision: int) -> Function:
    """Rename a function that is still at `revision` (else audit.Conflict)."""
    function = locked(function, revision=revision)
    name = name.strip()
    if not name:
        raise ValidationError(_("A function needs a name."))
    Function(workspace=function.workspace, name=name).full_clean(
        exclude=["workspace"], validate_unique=False, validate_constraints=False
    )
    clash = (
        Function.objects.for_workspace(function.workspace)
        .filter(name__iexact=name)
        .exclude(pk=function.pk)
    )
    if clash.exists():
        raise ValidationError(_("There is already a function called “%(name)s”.") % {"name": name})
    before = function.name
    if name != before:
        function.name = name
        function.revision += 1
        function.save(update_fields=["name", "revision"])
        record(
            workspace=function.workspace,
            actor=actor,
            action=AuditAction.RACI_FUNCTION_RENAMED,
            target=function,
            before={"name": before},
            after={"name": name},
            revision=function.revision,
        )
    return function


@transaction.atomic
def function_archive(*, function: Function, actor: Any) -> None:
    if (
        Activity.objects.for_workspace(function.workspace)
        .filter(function=function, archived_at__isnull=True)
        .exists()
    ):
        raise ValidationError(_("Archive or move the function's activities first."))
    function.archived_at = timezone.now()
    function.save(update_fields=["archived_at"])
    record(
        workspace=function.workspace,
        actor=actor,
        action=AuditAction.RACI_FUNCTION_ARCHIVED,
        target=function,
    )
