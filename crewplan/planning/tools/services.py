"""Writes to the AI tools, their ROI estimates, people's skills, the software stack and
the evaluation (keyword-only, one transaction each, audited)."""

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import (
    Conflict,
    changed_since,
    locked,
    locked_or_created,
    model_create,
    model_update,
    only_fields,
    record,
    save_revision,
    snapshot,
)
from crewplan.planning.models import (
    AiTool,
    EvaluationWeights,
    IntegrationFit,
    RoiEstimate,
    Skill,
    StackItem,
    ToolFit,
)
from crewplan.planning.tools import evaluation, skills
from crewplan.planning.tools.queries import (
    CATEGORIES,
    ESTIMATE_FIELDS,
    SCORE_FIELDS,
    TOOL_COSTS_INVALID,
    assumptions_for,
    fits_of,
    people_of,
    scores_of,
)
from crewplan.workspaces.models import Workspace


def check_related(workspace: Workspace, fields: Mapping[str, Any]) -> None:
    for name in ("tool", "goal", "kpi", "owner", "channel"):
        related = fields.get(name)
        if related is not None and related.workspace_id != workspace.pk:
            raise ValidationError(_("That choice does not belong to this workspace."))


# A stale evaluation form names what changed: "weights" and the names of the tools rescored.
EVALUATION_LABELS = {"weights": gettext_lazy("weights")}


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
            action=AuditAction.PLANNING_SKILLS_CHANGED,
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
        action=AuditAction.PLANNING_SYSTEM_ADDED,
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
        action=AuditAction.PLANNING_SYSTEM_REMOVED,
        target=system,
        before={"kind": system.kind, "name": system.name},
    )
    system.delete()


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
            action=AuditAction.PLANNING_INTEGRATION_FIT_CHANGED,
            target=workspace,
            after=changed,
        )
    return len(changed)


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
            action=AuditAction.PLANNING_EVALUATION_CHANGED,
            before=None,
            after=changed,
        )


TOOL_FIELDS = (
    "name",
    "vendor",
    "category",
    "status",
    "owner",
    "kpi",
    "customer_data",
    "seats",
    "price_per_seat",
    "flat_fee",
    "integration",
    "training_hours",
    "training_rate",
    "training_fees",
    "data_preparation",
    "privacy_per_month",
    "renewal_change",
)


@transaction.atomic
def tool_save(
    *,
    workspace: Workspace,
    actor: Any,
    tool: AiTool | None = None,
    revision: int | None = None,
    data: Mapping[str, Any],
    channels: Sequence[Any] | None = None,
) -> AiTool:
    """Add a tool, or change one that is still at `revision` (else audit.Conflict).
    `data`: the TOOL_FIELDS to set (a change sets only those given); `channels`: the
    workspace's measure.Channel rows whose revenue the tool lifts (None: unchanged)."""
    check_related(workspace, only_fields(data, TOOL_FIELDS))
    if channels is not None and any(c.workspace_id != workspace.pk for c in channels):
        raise ValidationError(_("That choice does not belong to this workspace."))
    current = {n: getattr(tool, n) for n in TOOL_FIELDS} if tool is not None else {}
    candidate = AiTool(workspace=workspace, **(current | dict(data)))
    # Lengths and choices before the clash query (a 100,000-character name must not reach
    # it); uniqueness is the clash query's.
    candidate.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    name = candidate.name
    clash = AiTool.objects.for_workspace(workspace).filter(name__iexact=name)
    if tool is not None:
        clash = clash.exclude(pk=tool.pk)
    if clash.exists():
        raise ValidationError(_("There is already a tool called “%(name)s”.") % {"name": name})
    before = sorted(c.name for c in tool.channels.all()) if tool is not None else []
    after = sorted(c.name for c in channels) if channels is not None else before
    if tool is not None:
        saved, _after = model_update(
            instance=tool,
            fields=TOOL_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.PLANNING_TOOL_SAVED,
            touched=after != before,
        )
    else:
        saved = model_create(
            instance=AiTool(workspace=workspace, **data),
            fields=TOOL_FIELDS,
            actor=actor,
            action=AuditAction.PLANNING_TOOL_SAVED,
        )
    if channels is not None and after != before:
        saved.channels.set(channels)
        record(
            workspace=workspace,
            actor=actor,
            action=AuditAction.PLANNING_TOOL_SAVED,
            target=saved,
            before={"channels": before},
            after={"channels": after},
            revision=saved.revision,
        )
    return saved


@transaction.atomic
def estimate_save(
    *,
    workspace: Workspace,
    actor: Any,
    tool: AiTool,
    revision: int | None = None,
    data: Mapping[str, Any],
) -> RoiEstimate:
    """Create the tool's one ROI estimate, or change it if it is still at `revision`
    (else audit.Conflict, also when someone else created it meanwhile). `data`: the
    ESTIMATE_FIELDS to set (a change sets only those given)."""
    if tool.workspace_id != workspace.pk:
        raise ValidationError(_("That tool does not belong to this workspace."))
    only_fields(data, ESTIMATE_FIELDS)
    existing = RoiEstimate.objects.for_workspace(workspace).filter(tool=tool).first()
    if existing is not None and revision is None:  # both opened the page before it existed
        raise Conflict(thing=str(RoiEstimate._meta.verbose_name), fields=changed_since(existing, 0))
    current = locked(existing, revision=revision) if existing else None
    merged = RoiEstimate(
        workspace=workspace,
        tool=tool,
        **{name: getattr(current, name) for name in ESTIMATE_FIELDS} if current else {},
    )
    for name, value in data.items():
        setattr(merged, name, value)
    merged.full_clean(exclude=["workspace", "tool", "updated_by"])
    if any(getattr(merged, name) < 0 for name in ESTIMATE_FIELDS):
        raise ValidationError(_("Figures cannot be negative."))
    if merged.ramp_up_months > merged.horizon_months:
        raise ValidationError(_("The ramp-up cannot be longer than the horizon."))
    try:
        assumptions_for(tool, merged)
    except ValueError:
        raise ValidationError(TOOL_COSTS_INVALID) from None
    if current is not None:
        saved, after = model_update(
            instance=current,
            fields=ESTIMATE_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.PLANNING_ROI_ESTIMATE_SAVED,
        )
        if after:
            saved.updated_by, saved.updated_at = actor, timezone.now()
            saved.save(update_fields=["updated_by", "updated_at"])
        return saved
    merged.updated_by, merged.updated_at = actor, timezone.now()
    try:
        with transaction.atomic():
            merged.save()
    except IntegrityError:  # someone else created it a moment ago
        raise Conflict(thing=str(RoiEstimate._meta.verbose_name), fields=[]) from None
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.PLANNING_ROI_ESTIMATE_SAVED,
        target=merged,
        after=snapshot(merged, ESTIMATE_FIELDS),
        revision=merged.revision,
    )
    return merged
