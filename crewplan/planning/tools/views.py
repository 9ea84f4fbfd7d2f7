"""AI tools: the inventory with each tool's cost model, resources (step 2 of the AI
marketing budget: people's skills and hours, the software stack, how each tool fits it,
the skills gap), the evaluation matrix comparing tools, and each tool's ROI estimator.

Anyone in the workspace may look at resources and the comparison; editing is
`Action.EDIT_BUDGET`. The skills gap's training money is shown only to those who may see
every budget amount. The ROI estimator's every figure is money, so the page needs
`Action.VIEW_BUDGET_AMOUNTS`; saving an estimate needs `Action.EDIT_BUDGET`; the tool form
shows costs, so it is for editors only."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.lib.money import decimals
from crewplan.lib.params import int_param
from crewplan.measure.models import Channel
from crewplan.planning.budget import charts
from crewplan.planning.budget.queries import thresholds_for
from crewplan.planning.models import AiTool, IntegrationFit, Kpi, RoiEstimate, StackItem
from crewplan.planning.tools import evaluation, queries, roi, services, skills
from crewplan.planning.tools.forms import (
    CRITERION_LABELS,
    EvaluationForm,
    FitForm,
    PeopleForm,
    RoiEstimateForm,
    SystemForm,
    ToolForm,
)
from crewplan.planning.tools.roi import ScenarioName
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.models import Team, Workspace
from crewplan.workspaces.permissions import Action

MAX_COMPARED = 6


def _back_to(request: WorkspaceRequest, section: str) -> HttpResponse:
    return redirect(reverse("planning_resources", args=[request.workspace.slug]) + section)


def _resources_page(
    request: WorkspaceRequest,
    *,
    people_form: PeopleForm | None = None,
    system_form: SystemForm | None = None,
    fit_form: FitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    workspace = request.workspace
    rows = queries.people_of(workspace)
    tools = list(
        AiTool.objects.for_workspace(workspace).exclude(status="retired").select_related("owner")
    )
    systems = list(StackItem.objects.for_workspace(workspace))
    fits = queries.fits_of(workspace)
    per_seat = thresholds_for(workspace).training_per_seat
    gap_rows, gap_total = queries.training_gaps(workspace, tools, per_seat)
    hours = skills.hours_by_team(queries.pure_people(rows))
    teams = {row.membership.team_id: row.membership.team for row in rows}
    return render(
        request,
        "planning/resources.html",
        {
            "people_form": people_form or PeopleForm(rows=rows),
            "system_form": system_form or SystemForm(),
            "fit_form": fit_form or FitForm(tools=tools, systems=systems, fits=fits),
            "systems": systems,
            "gap_rows": gap_rows,
            "gap_total": gap_total,
            "team_hours": [(teams[int(key)], value) for key, value in hours.items()],
            "categories": AiTool.Category.choices,
            "may_edit": can(request.membership, Action.EDIT_BUDGET),
            "may_see_amounts": can(request.membership, Action.VIEW_BUDGET_AMOUNTS),
        },
        status=status,
    )


@workspace_view
@require_GET
def resources_page(request: WorkspaceRequest) -> HttpResponse:
    return _resources_page(request)


@workspace_view
@require_POST
def people_save(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    form = PeopleForm(request.POST, rows=queries.people_of(request.workspace))
    if form.is_valid():
        hours, levels = form.values()
        try:
            count = services.people_save(
                workspace=request.workspace, actor=request.user, hours=hours, levels=levels
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Skills and hours saved (%(n)s changed).") % {"n": count})
            return _back_to(request, "#people")
    return _resources_page(request, people_form=form, status=400)


@workspace_view
@require_POST
def system_add(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    form = SystemForm(request.POST)
    if form.is_valid():
        try:
            system = services.system_add(
                workspace=request.workspace,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=form.cleaned_data["name"],
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, _("%(name)s added to the stack.") % {"name": system.name})
            return _back_to(request, "#stack")
    return _resources_page(request, system_form=form, status=400)


@workspace_view
@require_POST
def system_delete(request: WorkspaceRequest, system_id: int) -> HttpResponse:
    system = get_owned(request, StackItem, system_id)
    require(request, Action.EDIT_BUDGET)
    services.system_delete(workspace=request.workspace, actor=request.user, system=system)
    messages.success(request, _("%(name)s removed from the stack.") % {"name": system.name})
    return _back_to(request, "#stack")


@workspace_view
@require_POST
def fit_save(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    workspace = request.workspace
    form = FitForm(
        request.POST,
        tools=list(AiTool.objects.for_workspace(workspace).exclude(status="retired")),
        systems=list(StackItem.objects.for_workspace(workspace)),
        fits=queries.fits_of(workspace),
    )
    if form.is_valid():
        try:
            count = services.fits_save(workspace=workspace, actor=request.user, fits=form.values())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Integration fit saved (%(n)s changed).") % {"n": count})
            return _back_to(request, "#fit")
    return _resources_page(request, fit_form=form, status=400)


def _compared_tools(request: WorkspaceRequest, query: QueryDict) -> list[AiTool]:
    """The tools asked for (?tool=1&tool=2), else the candidates and pilots, else every tool
    in use; at most MAX_COMPARED, ids of other workspaces ignored."""
    tools = AiTool.objects.for_workspace(request.workspace).select_related(
        "owner", "kpi", "roi_estimate"
    )
    wanted = [pk for pk in map(int_param, query.getlist("tool")) if pk is not None]
    if wanted:
        chosen = list(tools.filter(pk__in=wanted))
    else:
        chosen = list(tools.filter(status__in=["candidate", "pilot"])) or list(
            tools.exclude(status="retired")
        )
    return chosen[:MAX_COMPARED]


def _columns(
    workspace: Workspace,
    tools: list[AiTool],
    scores: dict[int, dict[str, int | None]],
    weights: dict[str, int],
    systems: list[StackItem],
) -> list[dict[str, Any]]:
    """One column of the comparison per tool: its result, first-year cost, fits, gap."""
    rated = [evaluation.Rated(str(t.pk), t.name, scores[t.pk]) for t in tools]
    results = evaluation.compare(rated, weights)
    fits = queries.fits_of(workspace)
    gaps = queries.gaps_for(workspace, tools)
    columns: list[dict[str, Any]] = []
    for tool, result in zip(tools, results, strict=True):
        tool_fits = [fits.get((tool.pk, s.pk)) for s in systems]
        columns.append(
            {
                "tool": tool,
                "result": result,
                "missing": [str(CRITERION_LABELS[c]) for c in result.missing],
                "first_year": roi.first_year_cost(tool.monthly_cost, tool.one_off_cost),
                "fits": {
                    fit: sum(1 for f in tool_fits if f == fit) for fit in IntegrationFit.values
                },
                "not_assessed": sum(1 for f in tool_fits if f is None),
                "gap": gaps.get(str(tool.pk)),
            }
        )
    return columns


def _save_evaluation(
    request: WorkspaceRequest, form: EvaluationForm, tools: list[AiTool]
) -> HttpResponse | None:
    """Save the valid evaluation form: a redirect back to the same tools, or None with the
    refusal on the form."""
    new_weights, new_scores = form.values()
    try:
        services.evaluation_save(
            workspace=request.workspace,
            actor=request.user,
            weights=new_weights,
            scores=new_scores,
            revision=form.cleaned_data["revision"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, _("Evaluation saved."))
    url = reverse("planning_tools_compare", args=[request.workspace.slug])
    return redirect(url + "?" + "&".join(f"tool={tool.pk}" for tool in tools))


@workspace_view
@require_http_methods(["GET", "POST"])
def compare(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    query = request.POST if request.method == "POST" else request.GET
    tools = _compared_tools(request, query)
    weights = queries.weights_of(workspace)
    scores = {tool.pk: queries.scores_of(tool) for tool in tools}
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        tools=tools,
        weights=weights,
        scores=scores,
    )
    expect_revision(form, queries.evaluation_revision(workspace))
    if request.method == "POST":
        require(request, Action.EDIT_BUDGET)
        if form.is_valid() and (saved := _save_evaluation(request, form, tools)):
            return saved
    all_tools = list(
        AiTool.objects.for_workspace(workspace).exclude(status="retired").only("pk", "name")
    )
    systems = list(StackItem.objects.for_workspace(workspace))
    columns = _columns(workspace, tools, scores, weights, systems)
    best = [c for c in columns if c["result"].rank == 1]
    return render(
        request,
        "planning/compare.html",
        {
            "form": form,
            "columns": columns,
            "best": best[0] if len(best) == 1 and len(columns) > 1 else None,
            "all_tools": all_tools,
            "chosen": {tool.pk for tool in tools},
            "fit_choices": IntegrationFit.choices,
            "systems": systems,
            "weight_total": sum(weights.values()),
            "may_edit": can(request.membership, Action.EDIT_BUDGET),
            "may_see_amounts": can(request.membership, Action.VIEW_BUDGET_AMOUNTS),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@workspace_view
@require_GET
def tools(request: WorkspaceRequest) -> HttpResponse:
    all_tools = AiTool.objects.for_workspace(request.workspace).select_related(
        "owner", "kpi", "roi_estimate"
    )
    return render(
        request,
        "planning/tools.html",
        {
            "tools": all_tools,
            "may_edit": can(request.membership, Action.EDIT_BUDGET),
            "may_see_costs": can(request.membership, Action.VIEW_BUDGET_AMOUNTS),
        },
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def tool_edit(request: WorkspaceRequest, tool_id: int | None = None) -> HttpResponse:
    tool = get_owned(request, AiTool, tool_id) if tool_id is not None else None
    require(request, Action.EDIT_BUDGET)  # the form shows costs: editors only
    workspace = request.workspace
    form = ToolForm(
        request.POST or None,
        instance=tool,
        kpis=Kpi.objects.for_workspace(workspace),
        teams=Team.objects.for_workspace(workspace),
        channels=Channel.objects.for_workspace(workspace),
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.TOOL_FIELDS}
        try:
            saved = services.tool_save(
                workspace=workspace,
                actor=request.user,
                tool=tool,
                revision=form.cleaned_data["revision"],
                data=data,
                channels=list(form.cleaned_data["channels"]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tool %(name)s saved.") % {"name": saved.name})
            return redirect("planning_tools", slug=workspace.slug)
    return render(
        request,
        "planning/tool.html",
        {"form": form, "tool": tool},
        status=400 if form.is_bound and form.errors else 200,
    )


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
        results = queries.results_for(tool, estimate)
    except ValueError:
        return {"problem": queries.TOOL_COSTS_INVALID}
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
        "strongest": sensitivity[0]
        if results.sensitivity and results.sensitivity[0].swing
        else None,
        "roi_chart": charts.chart(
            kind="line",
            labels=[str(m.month) for m in results.expected.months],
            series=[
                (str(SCENARIO_LABELS[name]), [m.cumulative for m in result.months])
                for name, result in results.scenarios.items()
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
        currency=request.workspace.currency,
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
        data = {name: form.cleaned_data[name] for name in queries.ESTIMATE_FIELDS}
        try:
            services.estimate_save(
                workspace=workspace,
                actor=request.user,
                tool=tool,
                revision=form.cleaned_data["revision"],
                data=data,
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
