"""Writes to goals and KPIs: keyword-only, one transaction each, audited."""

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import (
    locked,
    model_create,
    model_update,
    only_fields,
    record,
    snapshot,
)
from crewplan.planning.goals import kpis
from crewplan.planning.goals.messages import kpi_name
from crewplan.planning.models import Goal, Kpi, KpiTarget, KpiValue
from crewplan.workspaces.models import Workspace

KPI_FIELDS = ("name", "unit", "direction", "formula", "metric", "denominator", "scale")
GOAL_FIELDS = ("text", "kpi", "baseline", "target", "deadline", "objective", "owner")
# A KPI's history and targets are saved with it: a stale KPI form names them like this.
KPI_LABELS = {
    "planning.kpi_history_changed": gettext_lazy("history"),
    "planning.kpi_targets_changed": gettext_lazy("targets"),
}


@transaction.atomic
def kpis_add_from_catalogue(
    *, workspace: Workspace, actor: Any, keys: list[str], language: str
) -> list[Kpi]:
    """Add built-in KPIs by key; ones already in the workspace (same key or name) are skipped."""
    existing = Kpi.objects.for_workspace(workspace)
    taken_keys = set(existing.values_list("catalogue_key", flat=True))
    taken_names = {n.casefold() for n in existing.values_list("name", flat=True)}
    added = []
    for key in keys:
        definition = kpis.BY_KEY.get(key)
        if definition is None:
            raise ValidationError(_("Unknown KPI in the catalogue."))
        name = kpi_name(key, language)
        if key in taken_keys or name.casefold() in taken_names:
            continue
        kpi = Kpi.objects.create(
            workspace=workspace,
            name=name,
            unit=definition.unit,
            direction=definition.direction,
            formula=definition.formula.value,
            metric=definition.metric,
            denominator=definition.denominator,
            scale=definition.scale,
            catalogue_key=key,
        )
        record(
            workspace=workspace,
            actor=actor,
            action=AuditAction.PLANNING_KPI_ADDED,
            target=kpi,
            after=snapshot(kpi, KPI_FIELDS),
        )
        added.append(kpi)
    return added


@transaction.atomic
def kpi_save(
    *,
    workspace: Workspace,
    actor: Any,
    kpi: Kpi | None = None,
    revision: int | None = None,
    data: Mapping[str, Any],
    history: dict[date, Decimal | None] | None = None,
    targets: dict[tuple[str, date], Decimal | None] | None = None,
) -> Kpi:
    """Add a KPI, or change one that is still at `revision` (else audit.Conflict), with
    its monthly history and targets when given: all of it or nothing. `data`: the
    KPI_FIELDS to set (a change sets only those given)."""
    only_fields(data, KPI_FIELDS)
    current = locked(kpi, revision=revision, labels=KPI_LABELS) if kpi else None
    merged = Kpi(workspace=workspace, **(_values(current, KPI_FIELDS) if current else {}))
    for name, value in data.items():
        setattr(merged, name, value)
    # Lengths and choices before the clash query (a 100,000-character name must not reach
    # it); uniqueness is the clash query's.
    merged.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    clash = Kpi.objects.for_workspace(workspace).filter(name__iexact=merged.name)
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    if clash.exists():
        raise ValidationError(
            _("There is already a KPI called “%(name)s”.") % {"name": merged.name}
        )
    if merged.formula == "ratio" and not merged.denominator.strip():
        raise ValidationError(_("A ratio needs a denominator metric."))
    if current is None:
        saved = model_create(
            instance=merged, fields=KPI_FIELDS, actor=actor, action=AuditAction.PLANNING_KPI_SAVED
        )
    else:
        assert revision is not None  # locked() refused anything else
        # The history and targets first, stamped with the revision this save makes, so a
        # stale form is told they changed.
        touched = kpi_history_set(
            kpi=current, actor=actor, values=history or {}, revision=revision + 1
        )
        touched |= kpi_targets_set(
            kpi=current, actor=actor, values=targets or {}, revision=revision + 1
        )
        saved, _after = model_update(
            instance=current,
            fields=KPI_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.PLANNING_KPI_SAVED,
            labels=KPI_LABELS,
            touched=touched,
        )
        return saved
    if history:
        kpi_history_set(kpi=saved, actor=actor, values=history)
    if targets:
        kpi_targets_set(kpi=saved, actor=actor, values=targets)
    return saved


def _values(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


def _set_values[K](
    *,
    kpi: Kpi,
    actor: Any,
    current: dict[K, Any],
    values: dict[K, Decimal | None],
    key: Callable[[K], str],
    create: Callable[[K, Decimal], Any],
    action: AuditAction,
    revision: int | None,
    clears: tuple[str, ...] = (),
) -> bool:
    """Set, change or clear (None) one row per key, with one audit row of what changed
    (its keys written by `key`); True when something changed. `clears`: fields a changed
    row loses (a value typed over an imported one no longer comes from that import)."""
    before, after = {}, {}
    for k, value in values.items():
        row = current.get(k)
        if value is None:
            if row is not None:
                before[key(k)] = str(row.value)
                row.delete()
        elif row is None:
            create(k, value)
            after[key(k)] = str(value)
        elif row.value != value:
            before[key(k)], after[key(k)] = str(row.value), str(value)
            row.value = value
            for name in clears:
                setattr(row, name, None)
            row.save(update_fields=["value", *clears])
    if before or after:
        record(
            workspace=kpi.workspace,
            actor=actor,
            action=action,
            target=kpi,
            before=before or None,
            after=after or None,
            revision=revision,
        )
    return bool(before or after)


@transaction.atomic
def kpi_history_set(
    *, kpi: Kpi, actor: Any, values: dict[date, Decimal | None], revision: int | None = None
) -> bool:
    """Set (or clear, with None) the KPI's value for each given month, all or nothing;
    True when something changed. `revision` is the KPI's revision this belongs to, when it
    is saved with the KPI (`kpi_save`)."""
    if any(month.day != 1 for month in values):
        raise ValidationError(_("Monthly values are given for the first day of a month."))
    rows = KpiValue.objects.for_workspace(kpi.workspace).filter(kpi=kpi)
    return _set_values(
        kpi=kpi,
        actor=actor,
        current={v.month: v for v in rows},
        values=values,
        key=date.isoformat,
        create=lambda month, value: KpiValue.objects.create(
            workspace=kpi.workspace, kpi=kpi, month=month, value=value
        ),
        action=AuditAction.PLANNING_KPI_HISTORY_CHANGED,
        revision=revision,
        clears=("source",),  # typed by hand now: a rollback of its import leaves it
    )


@transaction.atomic
def kpi_targets_set(
    *,
    kpi: Kpi,
    actor: Any,
    values: dict[tuple[str, date], Decimal | None],
    revision: int | None = None,
) -> bool:
    """Set (or clear, with None) the KPI's target for each (period, first day) given, where
    period is "month" or "quarter"; all or nothing; True when something changed.
    `revision` as for `kpi_history_set`."""
    for period, starts in values:
        if period not in KpiTarget.Period.values:
            raise ValidationError(_("A target is for a month or a quarter."))
        if starts.day != 1:
            raise ValidationError(_("A target starts on the first day of a month."))
    rows = KpiTarget.objects.for_workspace(kpi.workspace).filter(kpi=kpi)
    return _set_values(
        kpi=kpi,
        actor=actor,
        current={(t.period, t.starts): t for t in rows},
        values=values,
        key=lambda k: f"{k[0]} {k[1].isoformat()}",
        create=lambda k, value: KpiTarget.objects.create(
            workspace=kpi.workspace, kpi=kpi, period=k[0], starts=k[1], value=value
        ),
        action=AuditAction.PLANNING_KPI_TARGETS_CHANGED,
        revision=revision,
    )


@transaction.atomic
def goal_save(
    *,
    workspace: Workspace,
    actor: Any,
    goal: Goal | None = None,
    revision: int | None = None,
    data: Mapping[str, Any],
) -> Goal:
    """Add a goal, or change one that is still at `revision` (else audit.Conflict).
    `data`: the GOAL_FIELDS to set (a change sets only those given)."""
    for name in ("kpi", "owner"):
        related = data.get(name)
        if related is not None and related.workspace_id != workspace.pk:
            raise ValidationError(_("That choice does not belong to this workspace."))
    only_fields(data, GOAL_FIELDS)
    text = data.get("text", goal.text if goal is not None else "")
    if not text.strip():
        raise ValidationError(_("Describe the goal."))
    if goal is not None:
        saved, _after = model_update(
            instance=goal,
            fields=GOAL_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.PLANNING_GOAL_SAVED,
        )
        return saved
    return model_create(
        instance=Goal(workspace=workspace, created_by=actor, **data),
        fields=GOAL_FIELDS,
        actor=actor,
        action=AuditAction.PLANNING_GOAL_SAVED,
        exclude=["workspace", "created_by"],
    )


@transaction.atomic
def goal_delete(*, goal: Goal, actor: Any) -> None:
    record(
        workspace=goal.workspace,
        actor=actor,
        action=AuditAction.PLANNING_GOAL_DELETED,
        target=goal,
        before=snapshot(goal, GOAL_FIELDS),
    )
    goal.delete()
