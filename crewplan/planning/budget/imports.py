"""Importing a budget plan file: read it (pure core), match its tools, KPIs and owner teams
to this workspace, preview, then create a new version from the plan the preview signed,
in one transaction. An import never overwrites a version: it adds one. Reading the upload
and the signed preview are `lib/uploads.py`'s."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record, use_once
from crewplan.lib import uploads
from crewplan.measure.models import Channel
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget import services
from crewplan.planning.budget.plan import Category
from crewplan.planning.budget.xlsx import ReadPlan
from crewplan.planning.models import AiTool, BudgetLine, Kpi
from crewplan.planning.tools import services as tool_services
from crewplan.workspaces.models import Team, Workspace

PURPOSE = "planning.import"  # of the signed preview


@dataclass
class BudgetImport:
    lines: list[dict[str, Any]] = field(default_factory=list)
    new_tools: list[dict[str, Any]] = field(default_factory=list)
    problems: list[tuple[str, int, str]] = field(default_factory=list)  # (sheet, row, message)

    @property
    def total(self) -> Decimal:
        return sum(
            (sum((Decimal(a) for a in line["amounts"]), Decimal(0)) for line in self.lines),
            Decimal(0),
        )


def plan_budget_import(workspace: Workspace, result: ReadPlan) -> BudgetImport:
    teams = {t.name.casefold(): t for t in Team.objects.for_workspace(workspace)}
    kpis = {k.name.casefold(): k for k in Kpi.objects.for_workspace(workspace)}
    tools = {t.name.casefold(): t for t in AiTool.objects.for_workspace(workspace)}
    channels = {c.name.casefold(): c for c in Channel.objects.for_workspace(workspace)}
    plan = BudgetImport()
    for p in result.problems:
        plan.problems.append((p.sheet, p.row, budget_messages.row_problem(p)))
    file_tools = {t.key: t for t in result.plan.tools}
    for tool in result.plan.tools:
        if tool.name.casefold() not in tools:
            plan.new_tools.append(
                {
                    "name": tool.name,
                    "status": tool.status.value,
                    "customer_data": tool.customer_data,
                    "seats": tool.seats,
                }
            )
    for line in result.plan.lines:
        row = result.rows.get(line.key, 0)
        if line.owner and line.owner.casefold() not in teams:
            plan.problems.append(
                (
                    "",
                    row,
                    _("Owner team “%(name)s” does not exist in this workspace.")
                    % {"name": line.owner},
                )
            )
        if line.kpi and line.kpi.casefold() not in kpis:
            plan.problems.append(
                (
                    "",
                    row,
                    _("KPI “%(name)s” does not exist in this workspace: add it first.")
                    % {"name": line.kpi},
                )
            )
        if line.channel and line.channel.casefold() not in channels:
            plan.problems.append(
                (
                    "",
                    row,
                    _("Channel “%(name)s” does not exist in this workspace: add it first.")
                    % {"name": line.channel},
                )
            )
        elif line.channel and line.category != Category.MEDIA:
            plan.problems.append(("", row, _("Only media spend lines have a channel.")))
        file_tool = file_tools.get(line.tool)
        plan.lines.append(
            {
                "category": line.category.value,
                "item": line.item,
                "tool": file_tool.name if file_tool else "",
                "kpi": line.kpi,
                "owner": line.owner,
                "channel": line.channel,
                "amounts": [str(a) for a in line.amounts],
            }
        )
    return plan


def sign_plan(workspace: Workspace, plan: BudgetImport) -> str:
    payload = {"lines": plan.lines, "new_tools": plan.new_tools}
    return uploads.sign_preview(purpose=PURPOSE, workspace=workspace.pk, payload=payload)


def open_plan(workspace: Workspace, token: str) -> dict[str, Any]:
    """The plan as previewed; raises uploads.PreviewRefused when the token is tampered
    with, from another workspace, or expired."""
    return uploads.open_preview(purpose=PURPOSE, workspace=workspace.pk, token=token)  # type: ignore[no-any-return]


@transaction.atomic
def import_apply(
    *,
    workspace: Workspace,
    actor: Any,
    fiscal_year: int,
    name: str,
    data: dict[str, Any],
    preview: str,
) -> Any:
    """A new version of `fiscal_year` holding exactly the file's lines, adding the tools the
    workspace did not have. All or nothing; `preview` (the signed token `data` came from)
    works once."""
    use_once(workspace=workspace, token=preview)
    for tool in data["new_tools"]:
        if not AiTool.objects.for_workspace(workspace).filter(name__iexact=tool["name"]).exists():
            tool_services.tool_save(
                workspace=workspace,
                actor=actor,
                data={
                    "name": tool["name"],
                    "status": tool["status"],
                    "customer_data": tool["customer_data"],
                    "seats": tool["seats"],
                },
            )
    teams = {t.name.casefold(): t for t in Team.objects.for_workspace(workspace)}
    kpis = {k.name.casefold(): k for k in Kpi.objects.for_workspace(workspace)}
    tools = {t.name.casefold(): t for t in AiTool.objects.for_workspace(workspace)}
    channels = {c.name.casefold(): c for c in Channel.objects.for_workspace(workspace)}
    version = services.version_create(
        workspace=workspace, actor=actor, fiscal_year=fiscal_year, name=name
    )
    rows = []
    for position, line in enumerate(data["lines"], start=1):
        amounts = [Decimal(a) for a in line["amounts"]]
        if len(amounts) != 12 or any(a < 0 for a in amounts):
            raise ValidationError(_("Amounts cannot be negative."))
        owner = teams.get(line["owner"].casefold()) if line["owner"] else None
        kpi = kpis.get(line["kpi"].casefold()) if line["kpi"] else None
        channel_name = line.get("channel", "")
        channel = channels.get(channel_name.casefold()) if channel_name else None
        if (
            (line["owner"] and owner is None)
            or (line["kpi"] and kpi is None)
            or (channel_name and channel is None)
        ):
            raise ValidationError(
                _("The workspace changed since the preview. Upload the file again.")
            )
        rows.append(
            BudgetLine(
                workspace=workspace,
                version=version,
                category=line["category"],
                item=line["item"],
                tool=tools.get(line["tool"].casefold()) if line["tool"] else None,
                kpi=kpi,
                owner=owner,
                channel=channel,
                position=position,
                **{f"m{m:02d}": amounts[m - 1] for m in range(1, 13)},
            )
        )
    for row in rows:
        row.full_clean(exclude=["workspace", "version"], validate_constraints=False)
    BudgetLine.objects.bulk_create(rows)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.PLANNING_BUDGET_IMPORTED,
        target=version,
        after={"lines": len(rows), "new_tools": [t["name"] for t in data["new_tools"]]},
    )
    return version
