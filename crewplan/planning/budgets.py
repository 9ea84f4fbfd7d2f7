"""The budget plan in the database, read into the pure cores' `Plan` in a fixed number of
queries, and the writes to it (keyword-only, one transaction each, audited)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from crewplan.audit.services import changes, record
from crewplan.planning import resources
from crewplan.planning.budget import Category, Line, Plan, Tool, ToolStatus
from crewplan.planning.health import Thresholds
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion
from crewplan.planning.xlsx import VersionSheet
from crewplan.workspaces.models import Workspace

MONTH_FIELDS = tuple(f"m{m:02d}" for m in range(1, 13))
LINE_FIELDS = (
    "category",
    "item",
    "tool",
    "goal",
    "kpi",
    "channel",
    "owner",
    "committed",
    "actual",
    *MONTH_FIELDS,
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


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | bool):
        return value
    return str(value)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


@dataclass
class LoadedPlan:
    version: BudgetVersion
    lines: list[BudgetLine]
    tools: list[AiTool]
    plan: Plan


def load_plan(version: BudgetVersion) -> LoadedPlan:
    """The version's lines and the workspace's tools, and the same as a pure `Plan`."""
    workspace = version.workspace
    lines = list(
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .select_related("tool", "kpi", "owner", "goal")
    )
    tools = list(AiTool.objects.for_workspace(workspace).select_related("kpi", "owner"))
    gaps = resources.gaps_for(workspace, tools)
    plan = Plan(
        lines=tuple(
            Line(
                key=str(line.pk),
                category=Category(line.category),
                item=line.item,
                amounts=line.amounts,
                tool=str(line.tool_id or ""),
                kpi=line.kpi.name if line.kpi else "",
                owner=line.owner.name if line.owner else "",
            )
            for line in lines
        ),
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
    return LoadedPlan(version, lines, tools, plan)


def thresholds_for(workspace: Workspace) -> Thresholds:
    return Thresholds(
        max_tool_share=workspace.budget_max_tool_share,
        min_reserve_share=workspace.budget_min_reserve_share,
        training_per_seat=workspace.budget_training_per_seat,
        pilot_max_months=workspace.budget_pilot_max_months,
    )


def fiscal_year_of(workspace: Workspace, day: date) -> int:
    """Fiscal years are named after the calendar year they start in."""
    return day.year if day.month >= workspace.fiscal_year_start_month else day.year - 1


def versions_of(workspace: Workspace, fiscal_year: int) -> list[BudgetVersion]:
    return list(BudgetVersion.objects.for_workspace(workspace).filter(fiscal_year=fiscal_year))


@transaction.atomic
def version_create(
    *,
    workspace: Workspace,
    actor: Any,
    fiscal_year: int,
    name: str,
    based_on: BudgetVersion | None = None,
) -> BudgetVersion:
    """A new version of the year's plan, copying the lines of `based_on` (a re-forecast)."""
    if based_on is not None and (
        based_on.workspace_id != workspace.pk or based_on.fiscal_year != fiscal_year
    ):
        raise ValidationError(_("A re-forecast starts from a version of the same year."))
    if not name.strip():
        raise ValidationError(_("Name the version, e.g. “Q2 re-forecast”."))
    last = (
        BudgetVersion.objects.for_workspace(workspace)
        .filter(fiscal_year=fiscal_year)
        .aggregate(n=Max("number"))
    )
    version = BudgetVersion(
        workspace=workspace,
        fiscal_year=fiscal_year,
        number=(last["n"] or 0) + 1,
        name=name.strip(),
        based_on=based_on,
        created_by=actor,
    )
    version.full_clean(exclude=["workspace", "based_on", "created_by"])
    version.save()
    if based_on is not None:
        copies = []
        for line in BudgetLine.objects.for_workspace(workspace).filter(version=based_on):
            line.pk = None
            line.version = version
            copies.append(line)
        BudgetLine.objects.bulk_create(copies)
    record(
        workspace=workspace,
        actor=actor,
        action="planning.budget_version_created",
        target=version,
        after={
            "fiscal_year": fiscal_year,
            "name": version.name,
            "based_on": based_on.number if based_on else None,
        },
    )
    return version


def _check_related(workspace: Workspace, fields: dict[str, Any]) -> None:
    for name in ("tool", "goal", "kpi", "owner"):
        related = fields.get(name)
        if related is not None and related.workspace_id != workspace.pk:
            raise ValidationError(_("That choice does not belong to this workspace."))


def remaining_for(version: BudgetVersion, line: BudgetLine | None) -> Decimal | None:
    """What the year's original plan leaves for this line: the original version's total
    less every other line of this version. None for the original itself (no cap)."""
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
    others = BudgetLine.objects.for_workspace(version.workspace).filter(version=version)
    if line is not None and line.pk:
        others = others.exclude(pk=line.pk)
    return cap - sum((ln.planned for ln in others), Decimal(0))


@transaction.atomic
def line_save(
    *, version: BudgetVersion, actor: Any, line: BudgetLine | None = None, **fields: Any
) -> BudgetLine:
    workspace = version.workspace
    _check_related(workspace, fields)
    before = _snapshot(line, LINE_FIELDS) if line else {}
    if line is None:
        last = (
            BudgetLine.objects.for_workspace(workspace)
            .filter(version=version)
            .aggregate(p=Max("position"))
        )
        line = BudgetLine(workspace=workspace, version=version, position=(last["p"] or 0) + 1)
    for name, value in fields.items():
        if name not in LINE_FIELDS:
            raise TypeError(name)
        setattr(line, name, value)
    if any(a < 0 for a in line.amounts) or line.committed < 0 or line.actual < 0:
        raise ValidationError(_("Amounts cannot be negative."))
    line.full_clean(exclude=["workspace", "version"])
    line.save()
    old, new = changes(before, _snapshot(line, LINE_FIELDS))
    record(
        workspace=workspace,
        actor=actor,
        action="planning.budget_line_saved",
        target=line,
        before=old or None,
        after=new,
    )
    return line


@transaction.atomic
def line_delete(*, line: BudgetLine, actor: Any) -> None:
    record(
        workspace=line.workspace,
        actor=actor,
        action="planning.budget_line_deleted",
        target=line,
        before=_snapshot(line, LINE_FIELDS),
    )
    line.delete()


@transaction.atomic
def tool_save(
    *, workspace: Workspace, actor: Any, tool: AiTool | None = None, **fields: Any
) -> AiTool:
    _check_related(workspace, fields)
    before = _snapshot(tool, TOOL_FIELDS) if tool else {}
    tool = tool or AiTool(workspace=workspace)
    for name, value in fields.items():
        if name not in TOOL_FIELDS:
            raise TypeError(name)
        setattr(tool, name, value)
    tool.full_clean(exclude=["workspace"])  # lengths before the clash query
    clash = (
        AiTool.objects.for_workspace(workspace).filter(name__iexact=tool.name).exclude(pk=tool.pk)
    )
    if clash.exists():
        raise ValidationError(_("There is already a tool called “%(name)s”.") % {"name": tool.name})
    tool.save()
    old, new = changes(before, _snapshot(tool, TOOL_FIELDS))
    record(
        workspace=workspace,
        actor=actor,
        action="planning.tool_saved",
        target=tool,
        before=old or None,
        after=new,
    )
    return tool


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
