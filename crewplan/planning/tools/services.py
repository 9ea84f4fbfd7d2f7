"""Resources and tool evaluation in the database: read into the pure cores (skills.py,
evaluation.py) in a fixed number of queries, and the writes (keyword-only, one
transaction each, audited)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.services import locked_or_created, record, save_revision
from crewplan.planning.models import (
    AiTool,
    EvaluationWeights,
    IntegrationFit,
    Skill,
    StackItem,
    ToolFit,
)
from crewplan.planning.tools import evaluation, skills
from crewplan.workspaces.models import Membership, Workspace

CATEGORIES: tuple[str, ...] = tuple(AiTool.Category.values)
SCORE_FIELDS: Mapping[str, str] = {c: f"score_{c}" for c in evaluation.CRITERIA}
# A stale evaluation form names what changed: "weights" and the names of the tools rescored.
EVALUATION_LABELS = {"weights": gettext_lazy("weights")}


@dataclass
class PersonRow:
    membership: Membership
    levels: dict[str, str]  # category → level


def people_of(workspace: Workspace) -> list[PersonRow]:
    """Every member with their skills: in-house teams first, then by team and name (2
    queries)."""
    memberships = list(
        Membership.objects.for_workspace(workspace)
        .select_related("user", "team")
        .order_by("-team__kind", "team__name", "user__full_name", "user__email")
    )
    levels: dict[int, dict[str, str]] = {m.pk: {} for m in memberships}
    for skill in Skill.objects.for_workspace(workspace):
        levels.setdefault(skill.membership_id, {})[skill.category] = skill.level
    return [PersonRow(m, {c: levels[m.pk].get(c, "none") for c in CATEGORIES}) for m in memberships]


def pure_people(rows: Sequence[PersonRow]) -> list[skills.Person]:
    return [
        skills.Person(
            key=str(row.membership.pk),
            name=row.membership.user.get_short_name() or row.membership.user.email,
            team=str(row.membership.team_id),
            skills=row.levels,
            hours_per_month=row.membership.hours_per_month,
        )
        for row in rows
    ]


def pure_tools(tools: Sequence[AiTool]) -> list[skills.SeatTool]:
    return [
        skills.SeatTool(
            key=str(t.pk),
            name=t.name,
            category=t.category,
            seats=t.seats,
            status=t.status,
            team=str(t.owner_id or ""),
        )
        for t in tools
    ]


def gaps_for(workspace: Workspace, tools: Sequence[AiTool]) -> dict[str, skills.Gap]:
    """The skills gap of each tool not retired, by tool key (2 queries)."""
    gaps = skills.skills_gap(pure_tools(tools), pure_people(people_of(workspace)))
    return {gap.tool: gap for gap in gaps}


@transaction.atomic
def people_save(
    *,
    workspace: Workspace,
    actor: Any,
    hours: Mapping[int, int | None],
    levels: Mapping[int, Mapping[str, str]],
) -> int:
    """Set hours and skill levels by membership id; returns how many values changed. Every
    membership must belong to the workspace, every level and category must exist."""
    rows = {row.membership.pk: row for row in people_of(workspace)}
    unknown = (set(hours) | set(levels)) - set(rows)
    if unknown:
        raise ValidationError(_("That person is not in this workspace."))
    changed: dict[str, Any] = {}
    for membership_id, value in hours.items():
        membership = rows[membership_id].membership
        if membership.hours_per_month != value:
            changed[f"{membership_id}.hours"] = [membership.hours_per_month, value]
            membership.hours_per_month = value
            membership.save(update_fields=["hours_per_month"])
    for membership_id, by_category in levels.items():
        for category, level in by_category.items():
            if category not in CATEGORIES or level not in skills.LEVELS:
                raise ValidationError(_("Choose a skill level from the list."))
            before = rows[membership_id].levels[category]
            if before == level:
                continue
            changed[f"{membership_id}.{category}"] = [before, level]
            Skill.objects.update_or_create(
                workspace=workspace,
                membership_id=membership_id,
                category=category,
                defaults={"level": level},
            )
    if changed:
        record(
            workspace=workspace,
            actor=actor,
            action="planning.skills_changed",
            target=workspace,
            after=changed,
        )
    return len(changed)


@transaction.atomic
def system_add(*, workspace: Workspace, actor: Any, kind: str, name: str) -> StackItem:
    name = name.strip()
    if not name:
        raise ValidationError(_("Name the system, e.g. SHOPLINE or GA4."))
    if kind not in StackItem.Kind.values:
        raise ValidationError(_("Choose a kind of system from the list."))
    StackItem(workspace=workspace, kind=kind, name=name).full_clean(
        exclude=["workspace"], validate_unique=False, validate_constraints=False
    )
    if StackItem.objects.for_workspace(workspace).filter(name__iexact=name).exists():
        raise ValidationError(_("%(name)s is already in the stack.") % {"name": name})
    try:
        with transaction.atomic():
            system = StackItem.objects.create(workspace=workspace, kind=kind, name=name)
    except IntegrityError as error:  # a concurrent add of the same name
        raise ValidationError(_("%(name)s is already in the stack.") % {"name": name}) from error
    record(
        workspace=workspace,
        actor=actor,
        action="planning.system_added",
        target=system,
        after={"kind": kind, "name": name},
    )
    return system


@transaction.atomic
def system_delete(*, workspace: Workspace, actor: Any, system: StackItem) -> None:
    if system.workspace_id != workspace.pk:
        raise ValidationError(_("That choice does not belong to this workspace."))
    record(
        workspace=workspace,
        actor=actor,
        action="planning.system_removed",
        target=system,
        before={"kind": system.kind, "name": system.name},
    )
    system.delete()


def fits_of(workspace: Workspace) -> dict[tuple[int, int], str]:
    """(tool id, system id) → fit, for the pairs someone has assessed (1 query)."""
    return {
        (f.tool_id, f.system_id): f.fit
        for f in ToolFit.objects.for_workspace(workspace).only("tool_id", "system_id", "fit")
    }


@transaction.atomic
def fits_save(
    *, workspace: Workspace, actor: Any, fits: Mapping[tuple[int, int], str | None]
) -> int:
    """Set each (tool id, system id) pair's fit; None forgets the assessment."""
    tool_ids = set(AiTool.objects.for_workspace(workspace).values_list("pk", flat=True))
    system_ids = set(StackItem.objects.for_workspace(workspace).values_list("pk", flat=True))
    current = fits_of(workspace)
    changed: dict[str, Any] = {}
    for (tool_id, system_id), fit in fits.items():
        if tool_id not in tool_ids or system_id not in system_ids:
            raise ValidationError(_("That choice does not belong to this workspace."))
        if fit is not None and fit not in IntegrationFit.values:
            raise ValidationError(_("Choose an integration fit from the list."))
        before = current.get((tool_id, system_id))
        if before == fit:
            continue
        changed[f"{tool_id}.{system_id}"] = [before, fit]
        pair = ToolFit.objects.for_workspace(workspace).filter(tool_id=tool_id, system_id=system_id)
        if fit is None:
            pair.delete()
        else:
            ToolFit.objects.update_or_create(
                workspace=workspace, tool_id=tool_id, system_id=system_id, defaults={"fit": fit}
            )
    if changed:
        record(
            workspace=workspace,
            actor=actor,
            action="planning.integration_fit_changed",
            target=workspace,
            after=changed,
        )
    return len(changed)


def weights_of(workspace: Workspace) -> dict[str, int]:
    """The workspace's weights, the defaults until someone changes them (1 query)."""
    saved = EvaluationWeights.objects.for_workspace(workspace).first()
    if saved is None:
        return dict(evaluation.DEFAULT_WEIGHTS)
    return {c: getattr(saved, c) for c in evaluation.CRITERIA}


def evaluation_revision(workspace: Workspace) -> int | None:
    """The revision of the evaluation (weights and the scores saved with them), None
    before anyone saved one."""
    saved = EvaluationWeights.objects.for_workspace(workspace).only("revision").first()
    return saved.revision if saved else None


def scores_of(tool: AiTool) -> dict[str, int | None]:
    return {c: getattr(tool, field) for c, field in SCORE_FIELDS.items()}


@transaction.atomic
def evaluation_save(
    *,
    workspace: Workspace,
    actor: Any,
    weights: Mapping[str, int],
    scores: Mapping[int, Mapping[str, int | None]],
    revision: int | None = None,
) -> None:
    """Save the workspace's weights and the scores of some tools (by id) together, if
    nobody saved the evaluation since `revision` was read (else audit.Conflict)."""
    try:
        evaluation.check_weights(weights)
    except ValueError as error:
        raise ValidationError(_("Each weight is a whole number from 0 to 100.")) from error
    row = locked_or_created(
        EvaluationWeights,
        workspace=workspace,
        revision=revision,
        labels=EVALUATION_LABELS,
        **evaluation.DEFAULT_WEIGHTS,
    )
    before_weights = {c: getattr(row, c) for c in evaluation.CRITERIA}
    tools = AiTool.objects.for_workspace(workspace).in_bulk(list(scores))
    if len(tools) != len(scores):
        raise ValidationError(_("That choice does not belong to this workspace."))
    changed: dict[str, Any] = {}
    if dict(weights) != before_weights:
        for criterion, weight in weights.items():
            setattr(row, criterion, weight)
        changed["weights"] = [before_weights, dict(weights)]
    for tool_id, tool_scores in scores.items():
        tool = tools[tool_id]
        before = scores_of(tool)
        after = {c: tool_scores.get(c) for c in evaluation.CRITERIA}
        for score in after.values():
            if score is not None and not evaluation.MIN_SCORE <= score <= evaluation.MAX_SCORE:
                raise ValidationError(_("Each score is a whole number from 1 to 5."))
        if after == before:
            continue
        for criterion, score in after.items():
            setattr(tool, SCORE_FIELDS[criterion], score)
        tool.save(update_fields=list(SCORE_FIELDS.values()))
        changed[tool.name] = [before, after]
    if changed:
        # The weights row stands for the whole evaluation: its revision moves with any
        # score saved through it, so two people scoring at once cannot overwrite each other.
        save_revision(
            row,
            fields=evaluation.CRITERIA,
            actor=actor,
            action="planning.evaluation_changed",
            before=None,
            after=changed,
        )
