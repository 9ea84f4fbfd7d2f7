"""The collaboration health check's page: the five pitfalls of a fiscal quarter, each
with its findings, the evidence linked and a suggested action, or "healthy".

Every member sees it, the agency's too (collaboration is both sides'): it states no
amounts, and names only the work items the reader may see (the others are counted)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crewplan.reports import report_queries, services
from crewplan.reports.collaboration import FiscalQuarter, parse_quarter
from crewplan.reports.collaboration_queries import (
    current_quarter,
    pitfall_sections,
    quarter_choices,
    quarter_findings,
    visible_item_ids,
)
from crewplan.reports.messages import quarter_label
from crewplan.reports.models import Report, ReportCopy
from crewplan.reports.services import LANGUAGES
from crewplan.reports.tasks import recover_stale_reports
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action, TeamTarget

UNFINISHED = (Report.Status.QUEUED, Report.Status.RUNNING)


@workspace_view
@require_GET
def collaboration(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.VIEW_WORKSPACE)
    workspace = request.workspace
    current = quarter = current_quarter(workspace)
    error = ""
    asked = request.GET.get("quarter", "")
    if asked:
        try:
            quarter = parse_quarter(asked, workspace.fiscal_year_start_month)
        except ValueError:
            error = _("Choose a quarter like 2026Q4.")
    findings = quarter_findings(workspace, quarter)
    visible = visible_item_ids(workspace, request.membership)
    context = {
        "quarter": quarter,
        "quarter_label": quarter_label(quarter),
        "choices": quarter_choices(current, quarter),
        "error": error,
        "sections": pitfall_sections(workspace, findings, visible),
        "count": len(findings),
    }
    return render(request, "reports/collaboration.html", context)


# The quarterly reports (issue 13): a list per quarter with "generate", each report's page
# (its progress while it is made, then the copy the reader may read, its sign-offs and
# next actions), the PDF, a side's sign-off and "turn this action into a work item".


def _quarter(request: WorkspaceRequest, value: str) -> FiscalQuarter | None:
    try:
        return parse_quarter(value, request.workspace.fiscal_year_start_month)
    except ValueError:
        return None


def _due(value: str) -> date | None:
    """The date asked for (YYYY-MM-DD), None when none was."""
    if not value.strip():
        return None
    try:
        found = parse_date(value.strip())
    except ValueError:
        found = None
    if found is None:
        raise ValidationError(_("Give the due date as YYYY-MM-DD."))
    return found


@workspace_view
@require_GET
def reports(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.VIEW_WORKSPACE)
    recover_stale_reports(workspace=request.workspace)
    current = current_quarter(request.workspace)
    asked = request.GET.get("quarter", "")
    quarter = _quarter(request, asked) if asked else current
    context = {
        "quarter": quarter or current,
        "error": _("Choose a quarter like 2026Q4.") if quarter is None else "",
        "choices": quarter_choices(current, quarter or current),
        "rows": report_queries.reports_of(request.workspace, quarter or current),
        "may_generate": can(request.membership, Action.GENERATE_REPORT),
        "language": request.LANGUAGE_CODE if request.LANGUAGE_CODE in LANGUAGES else "zh-hant",
    }
    return render(request, "reports/reports.html", context)


@workspace_view
@require_POST
def report_generate(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.GENERATE_REPORT)
    quarter = _quarter(request, request.POST.get("quarter", ""))
    language = request.POST.get("language", "")
    if quarter is None or language not in LANGUAGES:
        messages.error(request, _("Choose a quarter like 2026Q4 and the report's language."))
        return redirect("review_reports", slug=request.workspace.slug)
    report = services.report_request(
        workspace=request.workspace, quarter=quarter, language=language, actor=request.user
    )
    return redirect("review_report", slug=request.workspace.slug, report_id=report.pk)


def _page_context(request: WorkspaceRequest, report: Report) -> dict[str, Any]:
    quarter = parse_quarter(report.quarter, request.workspace.fiscal_year_start_month)
    context: dict[str, Any] = {
        "report": report,
        "polling": report.status in UNFINISHED,
        "quarter_label": quarter_label(quarter),
    }
    if report.status != Report.Status.DONE:
        return context
    try:
        copy = report_queries.copy_for(report, request.membership)
    except ReportCopy.DoesNotExist:
        return context | {"no_copy": True}
    signoffs = report_queries.signoffs_of(report)
    side = request.membership.team.kind
    return context | {
        "copy": copy,
        "body": report_queries.report_body(copy.html),
        "signoffs": signoffs,
        "may_sign": can(
            request.membership, Action.SIGN_OFF_REPORT, TeamTarget(request.membership.team_id)
        )
        and all(s.side != side for s in signoffs),
        "actions": report_queries.action_rows(copy),
        "may_plan": can(request.membership, Action.PLAN_REPORT_ACTION),
    }


@workspace_view
@require_GET
def report_page(request: WorkspaceRequest, report_id: int) -> HttpResponse:
    recover_stale_reports(workspace=request.workspace)
    report = get_owned(request, Report, report_id)
    return render(request, "reports/report_page.html", _page_context(request, report))


@workspace_view
@require_GET
def report_progress(request: WorkspaceRequest, report_id: int) -> HttpResponse:
    """The progress fragment; once the report is done, htmx reloads the whole page."""
    report = get_owned(request, Report, report_id)
    context = {"report": report, "polling": report.status in UNFINISHED}
    response = render(request, "reports/report_page.html#progress", context)
    if report.status == Report.Status.DONE and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@workspace_view
@require_GET
def report_pdf(request: WorkspaceRequest, report_id: int) -> HttpResponse:
    report = get_owned(request, Report, report_id, status=Report.Status.DONE)
    try:
        copy = report_queries.copy_for(report, request.membership, with_pdf=True)
    except ReportCopy.DoesNotExist as error:
        raise Http404 from error
    response = HttpResponse(bytes(copy.pdf), content_type="application/pdf")
    name = f"review-{request.workspace.slug}-{report.quarter}-{report.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@workspace_view
@require_POST
def report_sign_off(request: WorkspaceRequest, report_id: int) -> HttpResponse:
    report = get_owned(request, Report, report_id)
    require(request, Action.SIGN_OFF_REPORT, TeamTarget(request.membership.team_id))
    try:
        services.report_sign_off(report=report, membership=request.membership)
        messages.success(request, _("Marked reviewed for your side."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("review_report", slug=request.workspace.slug, report_id=report.pk)


@workspace_view
@require_POST
def report_action(request: WorkspaceRequest, report_id: int, action_index: int) -> HttpResponse:
    """Turn the copy's action `action_index` into a work item (due: the date asked for, or
    the next quarter's second week)."""
    require(request, Action.PLAN_REPORT_ACTION)
    report = get_owned(request, Report, report_id, status=Report.Status.DONE)
    try:
        copy = report_queries.copy_for(report, request.membership)
        due = _due(request.POST.get("due_on", ""))
        item = services.report_action_plan(
            copy=copy, index=action_index, membership=request.membership, due_on=due
        )
    except ReportCopy.DoesNotExist as error:
        raise Http404 from error
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("review_report", slug=request.workspace.slug, report_id=report.pk)
    messages.success(request, _("Work item “%(title)s” created.") % {"title": item.title})
    return redirect("work_item", slug=request.workspace.slug, item_id=item.pk)
