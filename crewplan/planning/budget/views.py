"""The budget plan: versions, lines, health check, chart, plan file export and import
(steps 3–4 of the AI marketing budget process).

Amounts are shown line by line only where `Action.VIEW_BUDGET_AMOUNTS` allows: an
external member sees their own team's lines unless the owner lets external teams see
the budget; totals and the health check (which state amounts) only to those who may
see every line."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.lib import file_messages, limits, uploads
from crewplan.lib.money import decimals
from crewplan.lib.params import int_param, year_param
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure.actuals import version_actuals
from crewplan.planning.budget import charts, queries, services
from crewplan.planning.budget import imports as budget_imports
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget.forms import LineForm, VersionNameForm
from crewplan.planning.budget.health import health_findings
from crewplan.planning.budget.plan import (
    Category,
    Plan,
    calendar_month,
    plan_changes,
)
from crewplan.planning.budget.queries import fiscal_year_of, thresholds_for
from crewplan.planning.budget.xlsx import read_plan, write_plan
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.models import Workspace
from crewplan.workspaces.permissions import Action, TeamTarget

# Lines shown per page of the plan; the totals, the chart and the health check always
# cover every line (a 20,000-line plan rendered whole took 11 s and weighed 15 MB).
LINES_PER_PAGE = 100
# Findings of one kind shown before "… and N more": a big plan can have thousands of
# lines without a KPI, and the list of them all weighed 1.4 MB.
FINDINGS_PER_CODE = 5


def finding_groups(findings: list[Any]) -> list[dict[str, Any]]:
    """The findings by code in the order they come, the first few of each shown."""
    by_code: dict[str, list[Any]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    return [
        {"code": code, "shown": found[:FINDINGS_PER_CODE], "more": len(found) - FINDINGS_PER_CODE}
        for code, found in by_code.items()
    ]


def month_labels(workspace: Workspace) -> list[str]:
    return [
        str(MONTHS_3[calendar_month(m, workspace.fiscal_year_start_month)]).capitalize()
        for m in range(1, 13)
    ]


def _version(request: WorkspaceRequest, year: int) -> BudgetVersion | None:
    versions = queries.versions_of(request.workspace, year)
    wanted = request.GET.get("v", "")
    chosen = next((v for v in versions if str(v.pk) == wanted), versions[0] if versions else None)
    if chosen is not None:
        chosen.workspace = request.workspace
    return chosen


def _whole_plan(workspace: Workspace, plan: Plan, months: list[str]) -> dict[str, Any]:
    """What only those who may see every line get: totals, chart and health check."""
    currency = workspace.currency
    findings = budget_messages.worded(
        health_findings(plan, thresholds_for(workspace), currency=currency)
    )
    names = budget_messages.category_labels()
    return {
        "category_totals": [(names[c], plan.total(c)) for c in Category if plan.total(c)],
        "total": plan.total(),
        "quarters": plan.quarter_totals(),
        "month_totals": plan.month_totals(),
        "budget_chart": charts.chart(
            kind="bar",
            labels=months,
            series=charts.budget_by_month(plan, names),
            x_title=_("Month"),
            y_title=_("Planned"),
            currency=currency,
            decimals=decimals(currency),
            stacked=True,
        ),
        "findings": findings,
        "finding_groups": finding_groups(findings),
    }


def _comparison(
    request: WorkspaceRequest, versions: list[BudgetVersion], loaded: queries.LoadedPlan
) -> dict[str, Any]:
    """?compare=<pk>: another version of the year, line by line against this one."""
    wanted = request.GET.get("compare", "")
    compare = next((v for v in versions if str(v.pk) == wanted and v != loaded.version), None)
    if compare is None:
        return {}
    compare.workspace = request.workspace
    return {
        "compare": compare,
        "changes": plan_changes(queries.load_plan(compare).plan, loaded.plan),
    }


QUARTER_LABELS = ("Q1", "Q2", "Q3", "Q4")


@workspace_view
@require_GET
def budget(request: WorkspaceRequest) -> HttpResponse:
    workspace, membership = request.workspace, request.membership
    year = year_param(request.GET.get("year")) or fiscal_year_of(workspace, timezone.localdate())
    version = _version(request, year)
    by_quarter = request.GET.get("view") == "quarters"  # the plan table's columns
    context: dict[str, Any] = {
        "year": year,
        "version": version,
        "versions": queries.versions_of(workspace, year),
        "months": month_labels(workspace),
        "by_quarter": by_quarter,
        "periods": QUARTER_LABELS if by_quarter else month_labels(workspace),
        "may_edit": can(membership, Action.EDIT_BUDGET),
    }
    if version is not None:
        loaded = queries.load_plan(version)
        visible_for = {
            owner_id: can(membership, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(owner_id))
            for owner_id in loaded.owner_ids
        }
        see_all = all(visible_for.values())
        page = Paginator(loaded.lines(), LINES_PER_PAGE).get_page(request.GET.get("page"))
        actuals = version_actuals(version)
        rows = [
            {
                "line": ln,
                "visible": visible_for[ln.owner_id],
                "amounts": ln.quarters if by_quarter else ln.amounts,
                "actual": actuals.total(ln.pk),
                "available": ln.available(actuals.total(ln.pk)),
                "shared": ln.pk in actuals.shared_channel,
            }
            for ln in page
        ]
        shared = {r["line"].pk for r in rows if r["shared"] and r["visible"]}
        context.update(rows=rows, page=page, see_all=see_all, shared_channel=shared)
        if see_all:
            context.update(_whole_plan(workspace, loaded.plan, context["months"]))
            context["period_totals"] = context["quarters" if by_quarter else "month_totals"]
            context.update(_comparison(request, context["versions"], loaded))
    return render(request, "planning/budget.html", context)


@workspace_view
@require_POST
def version_create(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    workspace = request.workspace
    year = year_param(request.POST.get("year"))
    if year is None:
        messages.error(request, _("Choose a fiscal year."))
        return redirect("planning_budget", slug=workspace.slug)
    based_on = None
    if (based_on_id := int_param(request.POST.get("based_on"))) is not None:
        based_on = get_owned(request, BudgetVersion, based_on_id)
    form = VersionNameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["name"].as_data())
        version = services.version_create(
            workspace=workspace,
            actor=request.user,
            fiscal_year=year,
            name=form.cleaned_data["name"],
            based_on=based_on,
        )
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
        return redirect("planning_budget", slug=workspace.slug)
    return redirect(_budget_url(version))


def _budget_url(version: BudgetVersion) -> str:
    url = reverse("planning_budget", args=[version.workspace.slug])
    return f"{url}?year={version.fiscal_year}&v={version.pk}"


def _line_initial(line: BudgetLine) -> dict[str, Any]:
    initial = {name: getattr(line, name) for name in services.LINE_FIELDS}
    initial["entry"] = "monthly"
    return initial


@workspace_view
@require_http_methods(["GET", "POST"])
def line_edit(
    request: WorkspaceRequest, budget_version_id: int, line_id: int | None = None
) -> HttpResponse:
    version = get_owned(request, BudgetVersion, budget_version_id)
    line = get_owned(request, BudgetLine, line_id, version=version) if line_id is not None else None
    require(request, Action.EDIT_BUDGET)
    workspace = request.workspace
    form = LineForm(
        request.POST or None,
        # A new line belongs to the team of whoever adds it until they say otherwise.
        initial=_line_initial(line) if line else {"owner": request.membership.team_id},
        workspace=workspace,
        month_labels=month_labels(workspace),
    )
    expect_revision(form, line.revision if line else None)
    warning = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.line_save(
                version=version,
                actor=request.user,
                line=line,
                revision=data["revision"],
                allow_over=data["confirm_over"],
                today=timezone.localdate(),
                data=form.line_fields(workspace.fiscal_year_start_month),
            )
        except services.OverRemaining as over:
            warning = over.messages[0]
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Line %(item)s saved.") % {"item": data["item"]})
            return redirect(_budget_url(version))
    status = 400 if form.is_bound and (form.errors or warning) else 200
    context = {"form": form, "version": version, "line": line, "warning": warning}
    return render(request, "planning/line.html", context, status=status)


@workspace_view
@require_POST
def line_delete(request: WorkspaceRequest, budget_version_id: int, line_id: int) -> HttpResponse:
    version = get_owned(request, BudgetVersion, budget_version_id)
    line = get_owned(request, BudgetLine, line_id, version=version)
    require(request, Action.EDIT_BUDGET)
    services.line_delete(line=line, actor=request.user)
    messages.success(request, _("Line %(item)s deleted.") % {"item": line.item})
    return redirect(_budget_url(version))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@workspace_view
@require_GET
def budget_export(request: WorkspaceRequest) -> HttpResponse:
    """Every version of the year in the plan file layout. It holds every amount, so only
    people who may see the whole budget get it."""
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    workspace = request.workspace
    year = year_param(request.GET.get("year")) or fiscal_year_of(workspace, timezone.localdate())
    version = _version(request, year)  # ?v=<pk>: the version on the Budget sheet
    sheets, current = queries.export_sheets(workspace, year, version.number if version else None)
    if not sheets:
        messages.error(request, _("No plan for this year yet."))
        return redirect("planning_budget", slug=workspace.slug)
    data = write_plan(sheets, current=current, labels=budget_messages.file_labels())
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="budget-{workspace.slug}-{year}.xlsx"'
    return response


@workspace_view
@require_http_methods(["GET", "POST"])
def budget_import(request: WorkspaceRequest) -> HttpResponse:
    """Upload a plan file and see what it holds and every problem; nothing is saved."""
    require(request, Action.EDIT_BUDGET)
    workspace = request.workspace
    year = fiscal_year_of(workspace, timezone.localdate())
    context: dict[str, Any] = {"year": year, "max_mb": uploads.megabytes(limits.BUDGET_PLAN)}
    if request.method == "GET":
        return render(request, "planning/import.html", context)
    try:
        upload = uploads.read_upload(request.FILES.get("file"), limits.BUDGET_PLAN)
        result = read_plan(upload.data)
    except UnusableFile as error:
        context["error"] = file_messages.refusal(error, budget_messages.FILE_PROBLEMS)
        return render(request, "planning/import.html", context, status=400)
    plan = budget_imports.plan_budget_import(workspace, result)
    context.update(
        plan=plan,
        filename=upload.name,
        token=budget_imports.sign_plan(workspace, plan) if not plan.problems else "",
    )
    return render(request, "planning/import.html", context, status=400 if plan.problems else 200)


@workspace_view
@require_POST
def budget_import_confirm(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    workspace = request.workspace
    preview = request.POST.get("plan", "")
    try:
        data = budget_imports.open_plan(workspace, preview)
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("planning_budget_import", slug=workspace.slug)
    year = year_param(request.POST.get("year"))
    if year is None:
        messages.error(request, _("Choose a fiscal year."))
        return redirect("planning_budget_import", slug=workspace.slug)
    form = VersionNameForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["name"].as_data())
        version = budget_imports.import_apply(
            workspace=workspace,
            actor=request.user,
            fiscal_year=year,
            name=form.cleaned_data["name"] or _("Imported plan"),
            data=data,
            preview=preview,
        )
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
        return redirect("planning_budget_import", slug=workspace.slug)
    messages.success(
        request, _("Imported %(count)s lines as a new version.") % {"count": len(data["lines"])}
    )
    return redirect(_budget_url(version))
