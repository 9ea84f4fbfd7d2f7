"""The collaboration health check's page: the five pitfalls of a fiscal quarter, each
with its findings, the evidence linked and a suggested action, or "healthy".

Every member sees it, the agency's too (collaboration is both sides'): it states no
amounts, and names only the work items the reader may see (the others are counted)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crewplan.reports.collaboration import parse_quarter
from crewplan.reports.collaboration_queries import (
    current_quarter,
    pitfall_sections,
    quarter_choices,
    quarter_findings,
    visible_item_ids,
)
from crewplan.reports.messages import quarter_label
from crewplan.workspaces.access import WorkspaceRequest, require, workspace_view
from crewplan.workspaces.permissions import Action


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
