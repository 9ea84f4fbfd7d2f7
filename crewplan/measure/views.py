"""The Results section's front page: what each page answers, with a link to it."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from crewplan.workspaces.access import WorkspaceRequest, can, require, workspace_view
from crewplan.workspaces.permissions import Action

# url name, title, what the page answers
SECTIONS = (
    (
        "measure_plan",
        _("Plan vs actual"),
        _("Is the budget on pace, and which lines will overspend?"),
    ),
    ("measure_channels", _("Channels"), _("What each channel and campaign cost and brought in.")),
    ("measure_kpis", _("Goals and KPIs"), _("Targets against what was measured, month by month.")),
    ("measure_tools", _("AI tools"), _("What each tool really returned next to its estimate.")),
    ("measure_teams", _("Team scorecards"), _("In-house and agency: on time, turnaround, rework.")),
    (
        "review_collaboration",
        _("Collaboration health check"),
        _("The five collaboration pitfalls, judged from the quarter's work."),
    ),
    (
        "review_reports",
        _("Quarterly reports"),
        _("The quarter's review as a page and a PDF, signed off by both sides."),
    ),
    ("measure_imports", _("Imports"), _("Bring in the ad platforms' and analytics exports.")),
    ("measure_expenses", _("Expenses"), _("Invoices and payments of the other budget lines.")),
    (
        "measure_channel_settings",
        _("Channel settings"),
        _("The workspace's channels and their names in files."),
    ),
)

# Pages only some people may open: their cards are not shown to the others (expenses are
# amounts an agency member may not see).
NEEDS = {"measure_expenses": Action.VIEW_BUDGET_AMOUNTS}


@workspace_view
@require_GET
def results(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.VIEW_WORKSPACE)
    sections = []
    for name, title, answers in SECTIONS:
        if name in NEEDS and not can(request.membership, NEEDS[name]):
            continue
        try:
            url = reverse(name, kwargs={"slug": request.workspace.slug})
        except NoReverseMatch:  # a page not built yet
            continue
        sections.append({"url": url, "title": title, "answers": answers, "key": name})
    return render(request, "measure/results.html", {"sections": sections})
