"""The ROI estimator of an AI tool: what someone expects it to bring, against the tool's
own cost model, in three scenarios with the monthly cash flow and the sensitivity of the
result. Every figure is money, so the page needs `Action.VIEW_BUDGET_AMOUNTS`; saving
needs `Action.EDIT_BUDGET`."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from crewplan.lib.money import decimals
from crewplan.planning.budget import charts
from crewplan.planning.models import AiTool, RoiEstimate
from crewplan.planning.tools import queries as estimates
from crewplan.planning.tools.roi import ScenarioName
from crewplan.planning.tools.roi_forms import RoiEstimateForm
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action

SCENARIO_LABELS = {
    ScenarioName.CONSERVATIVE: gettext_lazy("Conservative"),
    ScenarioName.EXPECTED: gettext_lazy("Expected"),
    ScenarioName.OPTIMISTIC: gettext_lazy("Optimistic"),
}
# The sensitivity table names the core's assumptions (every one of roi.SENSITIVITY_FIELDS).
ASSUMPTION_LABELS = {
    "hours_saved_per_month": gettext_lazy("Hours saved per month"),
    "loaded_hourly_rate": gettext_lazy("Loaded hourly rate"),
    "sessions_per_month": gettext_lazy("Sessions per month"),
    "conversion_rate_lift": gettext_lazy("Conversion-rate lift"),
    "average_order_value": gettext_lazy("Average order value"),
    "gross_margin": gettext_lazy("Gross margin"),
    "costs_avoided_per_month": gettext_lazy("Costs avoided per month"),
    "price_per_seat_per_month": gettext_lazy("Price per seat and month"),
    "flat_fee_per_month": gettext_lazy("Flat fee per month"),
    "integration_one_off": gettext_lazy("Integration (one-off)"),
    "training_hours": gettext_lazy("Training hours"),
    "training_hourly_rate": gettext_lazy("Training cost per hour"),
    "training_fees": gettext_lazy("Training fees"),
    "data_preparation_one_off": gettext_lazy("Data preparation (one-off)"),
    "privacy_compliance_per_month": gettext_lazy("Privacy compliance per month"),
    "yearly_renewal_change": gettext_lazy("Yearly renewal change"),
}


def _results(request: WorkspaceRequest, tool: AiTool, estimate: RoiEstimate) -> dict[str, Any]:
    """The results part of the page for `estimate` (saved or only typed)."""
    try:
        results = estimates.results_for(tool, estimate)
    except ValueError:
        return {"problem": estimates.TOOL_COSTS_INVALID}
    currency = request.workspace.currency
    scenarios = [
        {"key": name.value, "label": SCENARIO_LABELS[name], "estimate": result}
        for name, result in results.scenarios.items()
    ]
    sensitivity = [
        {"label": ASSUMPTION_LABELS[row.assumption], "row": row} for row in results.sensitivity
    ]
    return {
        "results": results,
        "scenarios": scenarios,
        "sensitivity": sensitivity,
        "strongest": sensitivity[0] if sensitivity and sensitivity[0]["row"].swing else None,
        "roi_chart": charts.chart(
            kind="line",
            labels=[str(m.month) for m in results.expected.months],
            series=[
                (str(s["label"]), [m.cumulative for m in s["estimate"].months]) for s in scenarios
            ],
            x_title=_("Month"),
            y_title=_("Cumulative net cash flow"),
            currency=currency,
            decimals=decimals(currency),
        ),
    }


def _form(request: WorkspaceRequest, tool: AiTool, saved: RoiEstimate | None) -> RoiEstimateForm:
    return RoiEstimateForm(
        request.POST if request.method == "POST" else None,
        instance=saved or RoiEstimate(workspace=request.workspace, tool=tool),
        tool=tool,
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def tool_roi(request: WorkspaceRequest, tool_id: int) -> HttpResponse:
    tool = get_owned(request, AiTool, tool_id)
    require(request, Action.VIEW_BUDGET_AMOUNTS)  # every figure here is money
    if request.method == "POST":
        require(request, Action.EDIT_BUDGET)
    workspace = request.workspace
    saved = RoiEstimate.objects.for_workspace(workspace).filter(tool=tool).first()
    form = _form(request, tool, saved)
    if form.is_bound and form.is_valid():
        data = {name: form.cleaned_data[name] for name in estimates.ESTIMATE_FIELDS}
        try:
            estimates.estimate_save(
                workspace=workspace,
                actor=request.user,
                tool=tool,
                revision=form.cleaned_data["revision"],
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("ROI estimate for %(name)s saved.") % {"name": tool.name})
            return redirect("planning_tool_roi", slug=workspace.slug, tool_id=tool.pk)
    context: dict[str, Any] = {
        "tool": tool,
        "form": form,
        "saved": saved,
        "may_edit": can(request.membership, Action.EDIT_BUDGET),
    }
    if not form.is_bound and saved is not None:
        context.update(_results(request, tool, saved))
    return render(request, "planning/roi.html", context, status=400 if form.is_bound else 200)


@workspace_view
@require_POST
def tool_roi_preview(request: WorkspaceRequest, tool_id: int) -> HttpResponse:
    """The results for the form as typed (htmx, on every change). Saves nothing, so seeing
    the amounts is enough."""
    tool = get_owned(request, AiTool, tool_id)
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    form = _form(request, tool, None)
    context: dict[str, Any] = {"tool": tool, "form": form, "preview": True}
    if not form.is_valid():
        # 422, not 400: the page's htmx swaps 422 answers in (base.html), so the errors show.
        return render(request, "planning/roi.html#results", context, status=422)
    context.update(_results(request, tool, form.instance))
    return render(request, "planning/roi.html#results", context)
