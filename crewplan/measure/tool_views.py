"""The AI tools' results: each tool's monthly reviews, and realized against estimated
(the formulas are `measure/realized.py`'s, stated on the page).

Costs, benefits and nets are amounts: those who may not see the budget's amounts
(`Action.VIEW_BUDGET_AMOUNTS`) see the reviews, the flags and the small wins, never a
money figure, on the page and in its downloads alike."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.tables import Table, Value
from crewplan.measure.models import ToolReview
from crewplan.measure.realized import ZERO
from crewplan.measure.reviews import REVIEW_FIELDS, review_save
from crewplan.measure.tool_forms import ReviewForm
from crewplan.measure.tool_queries import ToolResult, tool_results
from crewplan.planning.budget.charts import chart
from crewplan.planning.models import AiTool
from crewplan.planning.tools.roi import ScenarioName
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action, TeamTarget

SCENARIOS = (ScenarioName.CONSERVATIVE, ScenarioName.EXPECTED, ScenarioName.OPTIMISTIC)


def _month_param(request: WorkspaceRequest) -> date | None:
    try:
        return date.fromisoformat(request.GET.get("month", "") + "-01")
    except ValueError:
        return None


@workspace_view
@require_http_methods(["GET", "POST"])
def tool_reviews(request: WorkspaceRequest, tool_id: int) -> HttpResponse:
    tool = get_owned(request, AiTool, tool_id)
    require(request, Action.REVIEW_TOOL, TeamTarget(tool.owner_id))
    workspace = request.workspace
    reviews = list(ToolReview.objects.for_workspace(workspace).filter(tool=tool))
    month = _month_param(request) or timezone.localdate().replace(day=1)
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                review_save(
                    workspace=workspace,
                    actor=request.user,
                    tool=tool,
                    month=form.cleaned_data["month"],
                    revision=form.cleaned_data["revision"],
                    data={name: form.cleaned_data[name] for name in REVIEW_FIELDS},
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Review of %(name)s saved.") % {"name": tool.name})
                return redirect("measure_tool_reviews", slug=workspace.slug, tool_id=tool.pk)
    else:
        current = next((r for r in reviews if r.month == month), None)
        initial = {"month": month, "revision": current.revision if current else None}
        form = ReviewForm(instance=current, initial=initial)
    return render(
        request,
        "measure/tool_reviews.html",
        {"tool": tool, "form": form, "reviews": reviews},
        status=400 if form.is_bound else 200,
    )


@workspace_view
@require_http_methods(["GET"])
def tools(request: WorkspaceRequest) -> HttpResponse:
    see_amounts = can(request.membership, Action.VIEW_BUDGET_AMOUNTS)
    results = tool_results(request.workspace)
    table = results_table(results, see_amounts)
    file_format = wanted_format(request)
    if file_format:
        return table_download(table, file_format, f"ai-tools-{request.workspace.slug}")
    context: dict[str, Any] = {
        "results": results,
        "see_amounts": see_amounts,
        "table": table,
        "flagged": [r for r in results if r.realized.flagged],
        "wins": [(r.tool, m) for r in results for m in r.realized.small_wins],
        "may_review": {
            r.tool.pk
            for r in results
            if can(request.membership, Action.REVIEW_TOOL, TeamTarget(r.tool.owner_id))
        },
    }
    if see_amounts and any(r.realized.months for r in results):
        context["tools_chart"] = tools_chart(results, request.workspace.currency)
    return render(request, "measure/tools.html", context)


def results_table(results: list[ToolResult], see_amounts: bool) -> Table:
    """One row per tool and reviewed month, then its total to date: the page's table and
    its download. Money columns only for those who may see amounts."""
    columns: list[str] = [_("Tool"), _("Month"), _("Hours saved"), _("Satisfaction")]
    if see_amounts:
        columns += [
            _("Realized cost"),
            _("Realized benefit"),
            _("Realized net"),
            _("Realized ROI (%)"),
            _("Conservative net"),
            _("Expected net"),
            _("Optimistic net"),
        ]
    rows: list[Sequence[Value]] = []
    for result in results:
        by_month = {r.month: r for r in result.reviews}
        for month in result.realized.months:
            review = by_month[month.month]
            row: list[Value] = [
                result.tool.name,
                month.month.strftime("%Y-%m"),
                review.hours_saved,
                review.satisfaction,
            ]
            if see_amounts:
                row += [
                    _cents(month.cost),
                    _cents(month.benefit),
                    _cents(month.net),
                    _percent(month.roi),
                    *(_cents(month.scenario_net.get(s)) for s in SCENARIOS),
                ]
            rows.append(row)
        if result.realized.months and see_amounts:
            done = result.realized
            rows.append(
                [
                    result.tool.name,
                    _("To date"),
                    None,
                    None,
                    _cents(done.cost),
                    _cents(done.benefit),
                    _cents(done.net),
                    _percent(done.roi),
                    *(_cents(done.scenario_net.get(s)) for s in SCENARIOS),
                ]
            )
    return Table(title=_("AI tools"), columns=columns, rows=rows)


def tools_chart(results: list[ToolResult], currency: str) -> dict[str, Any]:
    """Net to date per tool, realized beside the three scenarios over the same months."""
    shown = [r for r in results if r.realized.months]
    names = {
        ScenarioName.CONSERVATIVE: _("Conservative"),
        ScenarioName.EXPECTED: _("Expected"),
        ScenarioName.OPTIMISTIC: _("Optimistic"),
    }
    series = [(_("Realized"), [r.realized.net for r in shown])] + [
        (str(names[s]), [r.realized.scenario_net.get(s, ZERO) for r in shown]) for s in SCENARIOS
    ]
    return chart(
        kind="bar",
        labels=[r.tool.name for r in shown],
        series=series,
        x_title=_("Tool"),
        y_title=_("Net benefit to date"),
        currency=currency,
        decimals=0,
    )


def _cents(value: Any) -> Any:
    return None if value is None else value.quantize(ZERO.scaleb(-2))


def _percent(fraction: Any) -> Any:
    return None if fraction is None else (fraction * 100).quantize(ZERO.scaleb(-1))
