"""Reads that feed the planning cores, in a fixed number of queries."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from crewplan.planning.goals.smart import GoalInput, Letter, smart_check
from crewplan.planning.models import Goal, Kpi, KpiTarget, KpiValue
from crewplan.workspaces.models import Workspace


def month_start(day: date) -> date:
    return day.replace(day=1)


def histories(
    workspace: Workspace, kpi_ids: set[int], before: date
) -> dict[int, tuple[Decimal, ...]]:
    """Each KPI's monthly values before `before`, oldest first: one query for all."""
    found: dict[int, list[Decimal]] = defaultdict(list)
    if kpi_ids:
        rows = (
            KpiValue.objects.for_workspace(workspace)
            .filter(kpi_id__in=kpi_ids, month__lt=month_start(before))
            .order_by("month")
            .values_list("kpi_id", "value")
        )
        for kpi_id, value in rows:
            found[kpi_id].append(value)
    return {k: tuple(v) for k, v in found.items()}


def goal_input(goal: Goal, today: date, history: tuple[Decimal, ...] = ()) -> GoalInput:
    kpi = goal.kpi
    return GoalInput(
        text=goal.text,
        today=today,
        kpi=kpi.name if kpi else "",
        direction=kpi.direction if kpi else "higher",
        baseline=goal.baseline,
        target=goal.target,
        objective=goal.objective,
        deadline=goal.deadline,
        history=history,
    )


def smart_for_goals(
    workspace: Workspace, goals: list[Goal], today: date
) -> dict[int, list[Letter]]:
    history = histories(workspace, {g.kpi_id for g in goals if g.kpi_id}, today)
    return {g.pk: smart_check(goal_input(g, today, history.get(g.kpi_id or 0, ()))) for g in goals}


def kpi_history(workspace: Workspace, kpi: Kpi | None) -> dict[date, Decimal]:
    """Every monthly value of the KPI (none for a KPI not saved yet), by month."""
    if kpi is None:
        return {}
    return {v.month: v.value for v in KpiValue.objects.for_workspace(workspace).filter(kpi=kpi)}


def kpi_targets(workspace: Workspace, kpi: Kpi | None, first: date, last: date) -> list[KpiTarget]:
    """The KPI's monthly and quarterly targets starting between `first` and `last`."""
    if kpi is None:
        return []
    return list(
        KpiTarget.objects.for_workspace(workspace).filter(
            kpi=kpi, starts__gte=first, starts__lte=last
        )
    )
