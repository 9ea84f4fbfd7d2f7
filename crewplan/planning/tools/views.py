"""Resources (step 2 of the AI marketing budget: people's skills and hours, the software
stack, how each tool fits it, the skills gap) and the evaluation matrix comparing tools.

Anyone in the workspace may look; editing is `Action.EDIT_BUDGET`. The skills gap's
training money is shown only to those who may see every budget amount."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.lib.params import int_param
from crewplan.planning.budget.services import thresholds_for
from crewplan.planning.models import AiTool, IntegrationFit, StackItem
from crewplan.planning.tools import evaluation
from crewplan.planning.tools import services as resources
from crewplan.planning.tools.forms import (
    CRITERION_LABELS,
    EvaluationForm,
    FitForm,
    PeopleForm,
    SystemForm,
)
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
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
    rows = resources.people_of(workspace)
    tools = list(
        AiTool.objects.for_workspace(workspace).exclude(status="retired").select_related("owner")
    )
    systems = list(StackItem.objects.for_workspace(workspace))
    fits = resources.fits_of(workspace)
    gaps = resources.gaps_for(workspace, tools)
    per_seat = thresholds_for(workspace).training_per_seat
    gap_rows = [
        {"tool": tool, "gap": gaps[str(tool.pk)], "training": per_seat * gaps[str(tool.pk)].gap}
        for tool in tools
        if tool.seats
    ]
    hours = resources.skills.hours_by_team(resources.pure_people(rows))
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
            "gap_total": sum(row["gap"].gap for row in gap_rows),
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
    form = PeopleForm(request.POST, rows=resources.people_of(request.workspace))
    if form.is_valid():
        hours, levels = form.values()
        try:
            count = resources.people_save(
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
            system = resources.system_add(
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
    resources.system_delete(workspace=request.workspace, actor=request.user, system=system)
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
        fits=resources.fits_of(workspace),
    )
    if form.is_valid():
        try:
            count = resources.fits_save(workspace=workspace, actor=request.user, fits=form.values())
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


@workspace_view
@require_http_methods(["GET", "POST"])
def compare(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    query = request.POST if request.method == "POST" else request.GET
    tools = _compared_tools(request, query)
    weights = resources.weights_of(workspace)
    scores = {tool.pk: resources.scores_of(tool) for tool in tools}
    form = EvaluationForm(
        request.POST if request.method == "POST" else None,
        tools=tools,
        weights=weights,
        scores=scores,
    )
    expect_revision(form, resources.evaluation_revision(workspace))
    if request.method == "POST":
        require(request, Action.EDIT_BUDGET)
        if form.is_valid():
            new_weights, new_scores = form.values()
            try:
                resources.evaluation_save(
                    workspace=workspace,
                    actor=request.user,
                    weights=new_weights,
                    scores=new_scores,
                    revision=form.cleaned_data["revision"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Evaluation saved."))
                url = reverse("planning_tools_compare", args=[workspace.slug])
                return redirect(url + "?" + "&".join(f"tool={tool.pk}" for tool in tools))
    results = evaluation.compare(
        [evaluation.Rated(str(t.pk), t.name, scores[t.pk]) for t in tools], weights
    )
    all_tools = list(
        AiTool.objects.for_workspace(workspace).exclude(status="retired").only("pk", "name")
    )
    systems = list(StackItem.objects.for_workspace(workspace))
    fits = resources.fits_of(workspace)
    gaps = resources.gaps_for(workspace, tools)
    columns: list[dict[str, Any]] = []
    for tool, result in zip(tools, results, strict=True):
        tool_fits = [fits.get((tool.pk, s.pk)) for s in systems]
        columns.append(
            {
                "tool": tool,
                "result": result,
                "missing": [str(CRITERION_LABELS[c]) for c in result.missing],
                "first_year": tool.monthly_cost * 12 + tool.one_off_cost,
                "fits": {
                    fit: sum(1 for f in tool_fits if f == fit) for fit in IntegrationFit.values
                },
                "not_assessed": sum(1 for f in tool_fits if f is None),
                "gap": gaps.get(str(tool.pk)),
            }
        )
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
