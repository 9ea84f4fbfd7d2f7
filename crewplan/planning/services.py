"""Writes to goals and KPIs: keyword-only, one transaction each, audited."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crewplan.audit.services import changes, record
from crewplan.planning import kpis
from crewplan.planning.models import Goal, Kpi, KpiTarget, KpiValue
from crewplan.workspaces.models import Workspace

KPI_FIELDS = ("name", "unit", "direction", "formula", "metric", "denominator", "scale")
GOAL_FIELDS = ("text", "kpi", "baseline", "target", "deadline", "objective", "owner")


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = (
            str(value) if value is not None and not isinstance(value, str | int | bool) else value
        )
    return values


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
        name = definition.names[1 if language.startswith("zh") else 0]
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
            action="planning.kpi_added",
            target=kpi,
            after=_snapshot(kpi, KPI_FIELDS),
        )
        added.append(kpi)
    return added


@transaction.atomic
def kpi_save(*, workspace: Workspace, actor: Any, kpi: Kpi | None = None, **fields: Any) -> Kpi:
    before = _snapshot(kpi, KPI_FIELDS) if kpi else {}
    kpi = kpi or Kpi(workspace=workspace)
    for name, value in fields.items():
        if name not in KPI_FIELDS:
            raise TypeError(name)
        setattr(kpi, name, value)
    kpi.full_clean(exclude=["workspace"])  # lengths before the clash query
    clash = Kpi.objects.for_workspace(workspace).filter(name__iexact=kpi.name).exclude(pk=kpi.pk)
    if clash.exists():
        raise ValidationError(_("There is already a KPI called “%(name)s”.") % {"name": kpi.name})
    if kpi.formula == "ratio" and not kpi.denominator.strip():
        raise ValidationError(_("A ratio needs a denominator metric."))
    kpi.save()
    old, new = changes(before, _snapshot(kpi, KPI_FIELDS))
    record(
        workspace=workspace,
        actor=actor,
        action="planning.kpi_saved",
        target=kpi,
        before=old or None,
        after=new,
    )
    return kpi


@transaction.atomic
def kpi_history_set(*, kpi: Kpi, actor: Any, values: dict[date, Decimal | None]) -> None:
    """Set (or clear, with None) the KPI's value for each given month, all or nothing."""
    rows = KpiValue.objects.for_workspace(kpi.workspace).filter(kpi=kpi)
    current = {v.month: v for v in rows}
    before, after = {}, {}
    for month, value in values.items():
        if month.day != 1:
            raise ValidationError(_("Monthly values are given for the first day of a month."))
        row = current.get(month)
        if value is None:
            if row is not None:
                before[month.isoformat()] = str(row.value)
                row.delete()
        elif row is None:
            KpiValue.objects.create(workspace=kpi.workspace, kpi=kpi, month=month, value=value)
            after[month.isoformat()] = str(value)
        elif row.value != value:
            before[month.isoformat()], after[month.isoformat()] = str(row.value), str(value)
            row.value = value
            row.save(update_fields=["value"])
    if before or after:
        record(
            workspace=kpi.workspace,
            actor=actor,
            action="planning.kpi_history_changed",
            target=kpi,
            before=before or None,
            after=after or None,
        )


@transaction.atomic
def kpi_targets_set(
    *, kpi: Kpi, actor: Any, values: dict[tuple[str, date], Decimal | None]
) -> None:
    """Set (or clear, with None) the KPI's target for each (period, first day) given, where
    period is "month" or "quarter"; all or nothing."""
    rows = KpiTarget.objects.for_workspace(kpi.workspace).filter(kpi=kpi)
    current = {(t.period, t.starts): t for t in rows}
    before, after = {}, {}
    for (period, starts), value in values.items():
        if period not in KpiTarget.Period.values:
            raise ValidationError(_("A target is for a month or a quarter."))
        if starts.day != 1:
            raise ValidationError(_("A target starts on the first day of a month."))
        key = f"{period} {starts.isoformat()}"
        row = current.get((period, starts))
        if value is None:
            if row is not None:
                before[key] = str(row.value)
                row.delete()
        elif row is None:
            KpiTarget.objects.create(
                workspace=kpi.workspace, kpi=kpi, period=period, starts=starts, value=value
            )
            after[key] = str(value)
        elif row.value != value:
            before[key], after[key] = str(row.value), str(value)
            row.value = value
            row.save(update_fields=["value"])
    if before or after:
        record(
            workspace=kpi.workspace,
            actor=actor,
            action="planning.kpi_targets_changed",
            target=kpi,
            before=before or None,
            after=after or None,
        )


@transaction.atomic
def goal_save(*, workspace: Workspace, actor: Any, goal: Goal | None = None, **fields: Any) -> Goal:
    for name in ("kpi", "owner"):
        related = fields.get(name)
        if related is not None and related.workspace_id != workspace.pk:
            raise ValidationError(_("That choice does not belong to this workspace."))
    before = _snapshot(goal, GOAL_FIELDS) if goal else {}
    goal = goal or Goal(workspace=workspace, created_by=actor)
    for name, value in fields.items():
        if name not in GOAL_FIELDS:
            raise TypeError(name)
        setattr(goal, name, value)
    if not goal.text.strip():
        raise ValidationError(_("Describe the goal."))
    goal.full_clean(exclude=["workspace", "created_by"])
    goal.save()
    old, new = changes(before, _snapshot(goal, GOAL_FIELDS))
    record(
        workspace=workspace,
        actor=actor,
        action="planning.goal_saved",
        target=goal,
        before=old or None,
        after=new,
    )
    return goal


@transaction.atomic
def goal_delete(*, goal: Goal, actor: Any) -> None:
    record(
        workspace=goal.workspace,
        actor=actor,
        action="planning.goal_deleted",
        target=goal,
        before=_snapshot(goal, GOAL_FIELDS),
    )
    goal.delete()
