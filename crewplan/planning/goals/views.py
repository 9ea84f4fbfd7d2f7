"""Goals and KPIs: step 1 of the AI marketing budget process."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.lib.active_language import active_language
from crewplan.lib.params import year_param
from crewplan.measure.kpi_values import definition_of
from crewplan.planning.budget.queries import fiscal_year_of
from crewplan.planning.goals import messages as goal_messages
from crewplan.planning.goals import services
from crewplan.planning.goals.forms import (
    CatalogueForm,
    GoalForm,
    HistoryForm,
    KpiForm,
    TargetsForm,
    fiscal_months,
    last_months,
    plain_number,
)
from crewplan.planning.goals.kpis import is_money
from crewplan.planning.goals.queries import (
    goal_input,
    histories,
    kpi_history,
    kpi_targets,
    smart_for_goals,
)
from crewplan.planning.goals.smart import (
    Letter,
    is_smart,
    passes_what_can_be_checked,
    smart_check,
)
from crewplan.planning.models import BudgetLine, BudgetVersion, Goal, Kpi
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.models import Team
from crewplan.workspaces.permissions import Action, TeamTarget


def _today(request: WorkspaceRequest) -> Any:
    return timezone.localdate()  # the workspace's time zone is active


def _hidden_kpis(request: WorkspaceRequest, kpis: Iterable[Kpi | None]) -> set[int]:
    """The money KPIs (`kpis.is_money`: revenue, ROAS, CAC…) among `kpis` whose figures
    the person may not see: no value, target or SMART detail of them is shown, as on the
    Results KPI page."""
    if can(request.membership, Action.VIEW_BUDGET_AMOUNTS):
        return set()
    currency = request.workspace.currency
    return {k.pk for k in kpis if k is not None and is_money(definition_of(k), currency)}


def _fiscal_year(request: WorkspaceRequest) -> int:
    """?year= when it is a plausible year, else the fiscal year of today."""
    return year_param(request.GET.get("year")) or fiscal_year_of(request.workspace, _today(request))


@workspace_view
@require_GET
def goals(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    all_goals = list(Goal.objects.for_workspace(workspace).select_related("kpi", "owner"))
    smart = smart_for_goals(workspace, all_goals, _today(request))
    hidden = _hidden_kpis(request, (g.kpi for g in all_goals))
    rows = [
        {
            "goal": g,
            "letters": goal_messages.worded(smart[g.pk]),
            "smart": is_smart(smart[g.pk]),
            "hidden": g.kpi_id in hidden,
        }
        for g in all_goals
    ]
    may_edit = can(request.membership, Action.EDIT_GOALS)
    context = {
        "rows": rows,
        "kpis": Kpi.objects.for_workspace(workspace),
        "may_edit": may_edit,
        "catalogue_form": CatalogueForm(language=active_language()) if may_edit else None,
    }
    return render(request, "planning/goals.html", context)


def _goal_form(
    request: WorkspaceRequest, data: Any = None, instance: Goal | None = None
) -> GoalForm:
    workspace = request.workspace
    return GoalForm(
        data,
        instance=instance,
        kpis=Kpi.objects.for_workspace(workspace),
        teams=Team.objects.for_workspace(workspace),
    )


def _letters_for(request: WorkspaceRequest, form: GoalForm) -> list[Letter]:
    """The SMART check of what the form holds right now, saved or not."""
    if form.is_bound:
        values = form.cleaned_data  # the fields that are valid so far
    else:
        instance = form.instance
        values = {
            name: getattr(instance, name)
            for name in ("text", "baseline", "target", "deadline", "objective")
        }
        values["kpi"] = instance.kpi if instance.kpi_id else None
    goal = Goal(
        workspace=request.workspace,
        text=values.get("text") or "",
        kpi=values.get("kpi"),
        baseline=values.get("baseline"),
        target=values.get("target"),
        deadline=values.get("deadline"),
        objective=values.get("objective") or "",
    )
    today = _today(request)
    history = (
        histories(request.workspace, {goal.kpi.pk}, today).get(goal.kpi.pk, ()) if goal.kpi else ()
    )
    return smart_check(goal_input(goal, today, history))


@workspace_view
@require_http_methods(["GET", "POST"])
def goal_edit(request: WorkspaceRequest, goal_id: int | None = None) -> HttpResponse:
    goal = get_owned(request, Goal, goal_id) if goal_id is not None else None
    if request.method == "POST":
        require(request, Action.EDIT_GOALS)
    form = _goal_form(request, request.POST or None, goal)
    hidden = goal is not None and bool(_hidden_kpis(request, [goal.kpi]))
    if hidden:  # only the company edits goals, and it sees every figure
        del form.fields["baseline"], form.fields["target"]
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in services.GOAL_FIELDS}
        try:
            saved = services.goal_save(
                workspace=request.workspace,
                actor=request.user,
                goal=goal,
                revision=form.cleaned_data["revision"],
                data=data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _say_saved(request, _letters_for(request, form))
            return redirect("planning_goal", slug=request.workspace.slug, goal_id=saved.pk)
    context = {
        "form": form,
        "goal": goal,
        "budget_lines": _goal_lines(request, goal) if goal is not None else [],
        "letters": [] if hidden else goal_messages.worded(_letters_for(request, form)),
        "figures_hidden": hidden,
        "may_edit": can(request.membership, Action.EDIT_GOALS),
    }
    return render(
        request, "planning/goal.html", context, status=400 if form.is_bound and form.errors else 200
    )


def _say_saved(request: WorkspaceRequest, letters: list[Letter]) -> None:
    if is_smart(letters):
        messages.success(request, _("Goal saved. It passes all five SMART checks."))
    elif passes_what_can_be_checked(letters):
        messages.success(
            request,
            _(
                "Goal saved. It passes the SMART checks that can be made now; achievability "
                "is checked once the KPI has 3 months of history."
            ),
        )
    else:
        messages.warning(request, _("Goal saved, but it does not pass every SMART check yet."))


def _goal_lines(request: WorkspaceRequest, goal: Goal) -> list[dict[str, Any]]:
    """The budget lines that serve the goal, in the newest version of each fiscal year, with
    their amounts where the person may see them (2 queries)."""
    workspace = request.workspace
    newest = {
        v.fiscal_year: v.pk
        for v in BudgetVersion.objects.for_workspace(workspace).order_by("fiscal_year", "number")
    }
    lines = BudgetLine.objects.for_workspace(workspace).filter(
        goal=goal, version_id__in=newest.values()
    )
    return [
        {
            "line": line,
            "year": line.version.fiscal_year,
            "visible": can(
                request.membership, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(line.owner_id)
            ),
        }
        for line in lines.select_related("version", "owner").order_by("-version__fiscal_year")
    ]


@workspace_view
@require_POST
def goal_check(request: WorkspaceRequest) -> HttpResponse:
    """The SMART panel for the form as typed (htmx, on every change). Saves nothing."""
    form = _goal_form(request, request.POST)
    form.is_valid()
    if _hidden_kpis(request, [form.cleaned_data.get("kpi")]):
        return render(request, "planning/goal.html#smart", {"letters": [], "figures_hidden": True})
    letters = goal_messages.worded(_letters_for(request, form))
    return render(request, "planning/goal.html#smart", {"letters": letters})


@workspace_view
@require_POST
def goal_delete(request: WorkspaceRequest, goal_id: int) -> HttpResponse:
    goal = get_owned(request, Goal, goal_id)
    require(request, Action.EDIT_GOALS)
    services.goal_delete(goal=goal, actor=request.user)
    messages.success(request, _("Goal deleted."))
    return redirect("planning_goals", slug=request.workspace.slug)


@workspace_view
@require_POST
def kpis_add(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_GOALS)
    form = CatalogueForm(request.POST, language=active_language())
    if form.is_valid():
        added = services.kpis_add_from_catalogue(
            workspace=request.workspace,
            actor=request.user,
            keys=form.cleaned_data["keys"],
            language=active_language(),
        )
        messages.success(request, _("%(count)s KPI(s) added.") % {"count": len(added)})
    else:
        messages.error(request, _("Choose at least one KPI."))
    return redirect("planning_goals", slug=request.workspace.slug)


def _kpi_forms(
    request: WorkspaceRequest, kpi: Kpi | None
) -> tuple[KpiForm, HistoryForm, TargetsForm, dict[str, Any]]:
    """The KPI page's three forms (the KPI, its monthly history, this fiscal year's
    targets), bound to the POST if any, and the rest of the page's context."""
    workspace = request.workspace
    year = _fiscal_year(request)
    fiscal = fiscal_months(year, workspace.fiscal_year_start_month)
    hidden = bool(_hidden_kpis(request, [kpi]))
    values = {} if hidden else kpi_history(workspace, kpi)
    current = {f"m{month:%Y%m}": plain_number(value) for month, value in values.items()}
    actuals = {m: plain_number(v) for m, v in values.items() if fiscal[0] <= m <= fiscal[-1]}
    targets_now = {
        f"{'m' if t.period == 'month' else 'q'}{t.starts:%Y%m}": plain_number(t.value)
        for t in ([] if hidden else kpi_targets(workspace, kpi, fiscal[0], fiscal[-1]))
    }
    posted = request.POST or None
    form = KpiForm(posted, instance=kpi)
    months = last_months(_today(request))
    history = HistoryForm(posted, initial=current, months=months, prefix="h")
    targets = TargetsForm(posted, initial=targets_now, months=fiscal, prefix="t")
    context = {"target_rows": targets.rows(actuals), "year": year, "kpi": kpi}
    context["figures_hidden"] = hidden
    return form, history, targets, context


@workspace_view
@require_http_methods(["GET", "POST"])
def kpi_edit(request: WorkspaceRequest, kpi_id: int | None = None) -> HttpResponse:
    kpi = get_owned(request, Kpi, kpi_id) if kpi_id is not None else None
    if request.method == "POST":
        require(request, Action.EDIT_GOALS)
    form, history, targets, context = _kpi_forms(request, kpi)
    if request.method == "POST" and form.is_valid() and history.is_valid() and targets.is_valid():
        try:  # the KPI, its history and its targets, or nothing
            saved = services.kpi_save(
                workspace=request.workspace,
                actor=request.user,
                kpi=kpi,
                revision=form.cleaned_data["revision"],
                history=history.values(),
                targets=targets.values(),
                data={name: form.cleaned_data[name] for name in services.KPI_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("KPI %(name)s saved.") % {"name": saved.name})
            return redirect("planning_goals", slug=request.workspace.slug)
    context |= {"form": form, "history": history, "targets": targets}
    context["may_edit"] = can(request.membership, Action.EDIT_GOALS)
    invalid = form.is_bound and (form.errors or history.errors or targets.errors)
    return render(request, "planning/kpi.html", context, status=400 if invalid else 200)
