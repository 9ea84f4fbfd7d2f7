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
from django.utils.translation import gettext_lazy

from crewplan.audit.services import model_update, record
from crewplan.planning.budget.health import Thresholds
from crewplan.planning.budget.plan import Category, Line, Plan, Tool, ToolStatus
from crewplan.planning.budget.xlsx import VersionSheet
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion
from crewplan.planning.tools import services as resources
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
# A stale line form names the twelve months as one.
LINE_LABELS = {name: gettext_lazy("amounts") for name in MONTH_FIELDS}
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
    fields = ("pk", "category", "item", "tool_id", "kpi__name", "owner__name", "owner_id")
    rows = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .values_list(*fields, *MONTH_FIELDS)
    )
    tools = list(AiTool.objects.for_workspace(workspace).select_related("kpi", "owner"))
    gaps = resources.gaps_for(workspace, tools)
    lines = []
    owner_ids: set[int | None] = set()
    for pk, category, item, tool_id, kpi, owner, owner_id, *amounts in rows:
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
    *,
    version: BudgetVersion,
    actor: Any,
    line: BudgetLine | None = None,
    revision: int | None = None,
    **fields: Any,
) -> BudgetLine:
    """Add a line to `version`, or change one that is still at `revision` (else
    audit.Conflict)."""
    workspace = version.workspace
    _check_related(workspace, fields)
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    amounts = [fields[n] for n in (*MONTH_FIELDS, "committed", "actual") if n in fields]
    if any(a is not None and a < 0 for a in amounts):
        raise ValidationError(_("Amounts cannot be negative."))
    if line is not None:
        saved, _after = model_update(
            instance=line,
            fields=LINE_FIELDS,
            data=fields,
            revision=revision,  # type: ignore[arg-type]
            actor=actor,
            action="planning.budget_line_saved",
            labels=LINE_LABELS,
        )
        return saved
    last = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .aggregate(p=Max("position"))
    )
    line = BudgetLine(workspace=workspace, version=version, position=(last["p"] or 0) + 1, **fields)
    line.full_clean(exclude=["workspace", "version"])
    line.save()
    record(
        workspace=workspace,
        actor=actor,
        action="planning.budget_line_saved",
        target=line,
        after=_snapshot(line, LINE_FIELDS),
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
    *,
    workspace: Workspace,
    actor: Any,
    tool: AiTool | None = None,
    revision: int | None = None,
    **fields: Any,
) -> AiTool:
    """Add a tool, or change one that is still at `revision` (else audit.Conflict)."""
    _check_related(workspace, fields)
    unknown = set(fields) - set(TOOL_FIELDS)
    if unknown:
        raise TypeError(", ".join(sorted(unknown)))
    current = {n: getattr(tool, n) for n in TOOL_FIELDS} if tool is not None else {}
    candidate = AiTool(workspace=workspace, **(current | fields))
    # Lengths and choices before the clash query (a 100,000-character name must not reach
    # it); uniqueness is the clash query's.
    candidate.full_clean(exclude=["workspace"], validate_unique=False, validate_constraints=False)
    name = candidate.name
    clash = AiTool.objects.for_workspace(workspace).filter(name__iexact=name)
    if tool is not None:
        clash = clash.exclude(pk=tool.pk)
    if clash.exists():
        raise ValidationError(_("There is already a tool called “%(name)s”.") % {"name": name})
    if tool is not None:
        saved, _after = model_update(
            instance=tool,
            fields=TOOL_FIELDS,
            data=fields,
            revision=revision,  # type: ignore[arg-type]
            actor=actor,
            action="planning.tool_saved",
        )
        return saved
    tool = AiTool(workspace=workspace, **fields)
    tool.full_clean(exclude=["workspace"])
    tool.save()
    record(
        workspace=workspace,
        actor=actor,
        action="planning.tool_saved",
        target=tool,
        after=_snapshot(tool, TOOL_FIELDS),
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
