"""The budget plan in the database, read into the pure cores' `Plan` in a fixed number of
queries, and the other reads of a year's versions (what the original plan leaves, the
plan file's sheets)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from crewplan.measure.actuals import Actuals, fiscal_months, version_actuals
from crewplan.planning.budget.health import Thresholds, health_findings
from crewplan.planning.budget.plan import Category, Line, Plan, Tool, ToolStatus
from crewplan.planning.budget.xlsx import VersionSheet
from crewplan.planning.models import AiTool, BudgetLine, BudgetSettings, BudgetVersion
from crewplan.planning.tools.queries import gaps_for
from crewplan.workspaces.models import Workspace

MONTH_FIELDS = tuple(f"m{m:02d}" for m in range(1, 13))


@dataclass
class LoadedPlan:
    version: BudgetVersion
    owner_ids: set[int | None]  # the owner teams of the version's lines
    tools: list[AiTool]
    plan: Plan

    def lines(self) -> Any:
        """The version's lines as models, in plan order, for showing some of them."""
        return (
            BudgetLine.objects.for_workspace(self.version.workspace)
            .filter(version=self.version)
            .select_related("tool", "kpi", "owner", "goal")
        )


def load_plan(version: BudgetVersion) -> LoadedPlan:
    """The version's lines as a pure `Plan` (read as plain values: a plan may hold 20,000
    lines) and the workspace's tools."""
    workspace = version.workspace
    fields = (
        "pk",
        "category",
        "item",
        "tool_id",
        "kpi__name",
        "owner__name",
        "owner_id",
        "channel__name",
    )
    rows = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .values_list(*fields, *MONTH_FIELDS)
    )
    tools = list(AiTool.objects.for_workspace(workspace).select_related("kpi", "owner"))
    gaps = gaps_for(workspace, tools)
    lines = []
    owner_ids: set[int | None] = set()
    for pk, category, item, tool_id, kpi, owner, owner_id, channel, *amounts in rows:
        owner_ids.add(owner_id)
        lines.append(
            Line(
                key=str(pk),
                category=Category(category),
                item=item,
                amounts=tuple(amounts),
                tool=str(tool_id or ""),
                kpi=kpi or "",
                owner=owner or "",
                channel=channel or "",
            )
        )
    plan = Plan(
        lines=tuple(lines),
        tools=tuple(
            Tool(
                key=str(t.pk),
                name=t.name,
                status=ToolStatus(t.status),
                customer_data=t.customer_data,
                seats=t.seats,
                able_users=len(gaps[str(t.pk)].able) if str(t.pk) in gaps else None,
                kpi=t.kpi.name if t.kpi else "",
            )
            for t in tools
        ),
    )
    return LoadedPlan(version, owner_ids, tools, plan)


def thresholds_for(workspace: Workspace) -> Thresholds:
    saved = BudgetSettings.objects.for_workspace(workspace)
    return Thresholds(
        max_tool_share=saved.budget_max_tool_share,
        min_reserve_share=saved.budget_min_reserve_share,
        training_per_seat=saved.budget_training_per_seat,
        pilot_max_months=saved.budget_pilot_max_months,
    )


def fiscal_year_of(workspace: Workspace, day: date) -> int:
    """Fiscal years are named after the calendar year they start in."""
    return day.year if day.month >= workspace.fiscal_year_start_month else day.year - 1


def versions_of(workspace: Workspace, fiscal_year: int) -> list[BudgetVersion]:
    return list(BudgetVersion.objects.for_workspace(workspace).filter(fiscal_year=fiscal_year))


def months_past(workspace: Workspace, fiscal_year: int, today: date) -> int:
    """How many months of the fiscal year are over on `today` (0 to 12): the current
    month is not."""
    current = today.replace(day=1)
    return sum(
        1 for m in fiscal_months(fiscal_year, workspace.fiscal_year_start_month) if m < current
    )


def forecast(amounts: Sequence[Decimal], actual: Sequence[Decimal], past: int) -> Decimal:
    """A line's forecast for the year: what it spent in the `past` months, its plan after."""
    return sum(actual[:past], Decimal(0)) + sum(amounts[past:], Decimal(0))


def remaining_for(
    version: BudgetVersion,
    line: BudgetLine | None,
    *,
    today: date,
    actuals: Actuals | None = None,
) -> Decimal | None:
    """What the year's original plan leaves for this line: the original version's total
    less the forecast of every other line of this version (their actuals for the months
    already past on `today`, their plan for the rest). None for the original itself (no
    cap). `actuals`: the version's, if the caller has them."""
    original = (
        BudgetVersion.objects.for_workspace(version.workspace)
        .filter(fiscal_year=version.fiscal_year)
        .order_by("number")
        .first()
    )
    if original is None or original.pk == version.pk:
        return None
    cap = sum(
        (
            ln.planned
            for ln in BudgetLine.objects.for_workspace(version.workspace).filter(version=original)
        ),
        Decimal(0),
    )
    past = months_past(version.workspace, version.fiscal_year, today)
    if actuals is None:
        actuals = version_actuals(version) if past else Actuals()
    others = BudgetLine.objects.for_workspace(version.workspace).filter(version=version)
    if line is not None and line.pk:
        others = others.exclude(pk=line.pk)
    return cap - sum((forecast(ln.amounts, actuals.of(ln.pk), past) for ln in others), Decimal(0))


def export_sheets(
    workspace: Workspace, fiscal_year: int, number: int | None = None
) -> tuple[list[VersionSheet], int]:
    """Every version of the year as a `VersionSheet`, oldest first, and the index of the one
    the `預算` sheet shows: version `number`, or the newest. ValueError when the year has
    no version `number`."""
    versions = sorted(versions_of(workspace, fiscal_year), key=lambda v: v.number)
    sheets = []
    for version in versions:
        version.workspace = workspace
        sheets.append(VersionSheet(f"v{version.number} {version.name}", load_plan(version).plan))
    if number is None:
        return sheets, len(sheets) - 1
    numbers = [v.number for v in versions]
    if number not in numbers:
        raise ValueError(f"fiscal year {fiscal_year} has no version {number}")
    return sheets, numbers.index(number)


@dataclass
class BudgetSummary:
    """The current fiscal year's plan at a glance: what is planned, what was planned up
    to this month, what is spent and committed, and how many health findings it has."""

    version: BudgetVersion
    total: Decimal
    planned_to_date: Decimal
    actual: Decimal
    committed: Decimal
    findings: int

    @property
    def spent_share(self) -> Decimal | None:
        """Spent as a share of what was planned up to now (1 = on pace)."""
        return self.actual / self.planned_to_date if self.planned_to_date else None

    @property
    def spent_percent(self) -> int | None:
        share = self.spent_share
        return round(share * 100) if share is not None else None


def budget_summary(workspace: Workspace, today: date) -> BudgetSummary | None:
    """The summary of this fiscal year's first version, or None without one. For those
    who may see every amount only. A fixed number of queries, whatever the plan's size."""
    versions = versions_of(workspace, fiscal_year_of(workspace, today))
    if not versions:
        return None
    version = versions[0]
    version.workspace = workspace
    loaded = load_plan(version)
    findings = health_findings(loaded.plan, thresholds_for(workspace), workspace.currency)
    fiscal_month = (today.month - workspace.fiscal_year_start_month) % 12  # 0-based
    spent = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .aggregate(committed=Sum("committed"))
    )
    actuals = version_actuals(version)
    return BudgetSummary(
        version=version,
        total=loaded.plan.total(),
        planned_to_date=sum(loaded.plan.month_totals()[: fiscal_month + 1], Decimal(0)),
        actual=sum((actuals.total(pk) for pk in actuals.by_line), Decimal(0)),
        committed=spent["committed"] or Decimal(0),
        findings=len(findings),
    )
