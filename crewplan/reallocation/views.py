"""The reallocation page (issue 12): a budget version's quarter, a fit of the channels'
response curves from the imported weekly figures (a background task, its progress
polled), the recommended split of the remaining months' media money, a what-if (htmx, no
save), applying it as a new re-forecast version, and the lift tests the fits take.

Who: any member sees the page; amounts (plan, recommendation, gain, curves' axes) only
those who may see every budget amount (`Action.VIEW_BUDGET_AMOUNTS` without a team:
in-house, or external when the workspace lets them); fitting and applying as budget
editing (`Action.EDIT_BUDGET`), and so are recording and deleting lift tests (whose
amounts are shown as the plan's are)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.money import decimals
from crewplan.lib.params import int_param
from crewplan.planning.budget.queries import fiscal_year_of, versions_of
from crewplan.planning.models import BudgetVersion
from crewplan.reallocation import queries, services
from crewplan.reallocation.forms import ApplyForm, FitForm, LiftTestForm, WhatIfForm
from crewplan.reallocation.messages import lift_test_unused
from crewplan.reallocation.models import Fit, LiftTest
from crewplan.reallocation.recommend import NO_CHANGE
from crewplan.reallocation.results import recommendation
from crewplan.reallocation.tasks import recover_stale_fits
from crewplan.reallocation.weekly_queries import weekly_table
from crewplan.reallocation.weeks import week_plan_of
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action

UNFINISHED = (Fit.Status.QUEUED, Fit.Status.RUNNING)


def _choice(request: WorkspaceRequest) -> tuple[list[BudgetVersion], BudgetVersion | None, int]:
    workspace, today = request.workspace, timezone.localdate()
    versions = versions_of(workspace, fiscal_year_of(workspace, today))
    wanted = int_param(request.GET.get("v"))
    version = next((v for v in versions if v.pk == wanted), versions[0] if versions else None)
    fiscal_month = (today.month - workspace.fiscal_year_start_month) % 12
    quarter = int_param(request.GET.get("q")) or fiscal_month // 3 + 1
    return versions, version, quarter if 1 <= quarter <= 4 else 1


@require_GET
@workspace_view
def reallocation(request: WorkspaceRequest) -> HttpResponse:
    versions, version, quarter = _choice(request)
    recover_stale_fits(workspace=request.workspace)
    fits = queries.fits_of(version, quarter) if version else []
    context = {
        "versions": versions,
        "version": version,
        "quarter": quarter,
        "fits": fits,
        "fit_form": FitForm(initial={"quarter": quarter}, workspace=request.workspace),
        "may_fit": can(request.membership, Action.EDIT_BUDGET),
        "lift_test_count": LiftTest.objects.for_workspace(request.workspace).count(),
    }
    return render(request, "reallocation/page.html", context)


@require_POST
@workspace_view
def fit_start(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    version = get_owned(request, BudgetVersion, int_param(request.POST.get("version")))
    form = FitForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("reallocation", slug=request.workspace.slug)
    fit = services.fit_request(
        workspace=request.workspace,
        version=version,
        quarter=form.cleaned_data["quarter"],
        outcome=form.cleaned_data["outcome"],
        outcome_channels=[c.pk for c in form.cleaned_data["sources"]],
        actor=request.user,
    )
    return redirect("reallocation_fit", slug=request.workspace.slug, fit_id=fit.pk)


def _forms(request: WorkspaceRequest, fit: Fit, data: Any, see_amounts: bool) -> dict[str, Any]:
    """The recommendation, with the what-if in `data` (a QueryDict) when it is valid,
    the what-if and apply forms bound to it, and (amounts shown) the week-by-week plan."""
    today = timezone.localdate()
    found = recommendation(fit, today)
    channels = [r.name for r in found.rows if r.status == "ok"]
    days = sum(found.plan.days)
    what_if = WhatIfForm(data or None, channels=channels, days=days)
    asked = NO_CHANGE
    if what_if.is_bound and what_if.is_valid():
        asked = what_if.what_if()
        found = recommendation(fit, today, asked)
    weeks = None
    if see_amounts:
        history = fit.curves.get("fit", {}).get("recent_spend", {})
        credit, places = what_if.credit_carryover(), decimals(request.workspace.currency)
        weeks = week_plan_of(found, history, asked, today, credit_carryover=credit, places=places)
    initial = {
        "stamp": queries.version_stamp(fit.version),
        "name": _("Q%(quarter)s reallocation") % {"quarter": fit.quarter},
    }
    return {
        "found": found,
        "weeks": weeks,
        "what_if_form": what_if,
        "apply_form": ApplyForm(data, channels=channels, days=days)
        if data is not None and "stamp" in data
        else ApplyForm(initial=initial, channels=channels, days=days),
    }


def _fit_context(request: WorkspaceRequest, fit: Fit, data: Any = None) -> dict[str, Any]:
    fit.version.workspace = request.workspace
    context: dict[str, Any] = {
        "fit": fit,
        "version": fit.version,
        "see_amounts": can(request.membership, Action.VIEW_BUDGET_AMOUNTS),
        "may_apply": can(request.membership, Action.EDIT_BUDGET),
        "polling": fit.status in UNFINISHED,
        "fit_info": fit.curves.get("fit", {}),
        "lift_tests_unused": [
            dict(
                entry,
                reason=lift_test_unused(entry.get("code", ""), entry.get("params", {})),
                first_day=_day(entry.get("first_day")),
                last_day=_day(entry.get("last_day")),
            )
            for entry in fit.curves.get("fit", {}).get("lift_tests_unused", [])
        ],
    }
    if fit.status == Fit.Status.DONE:
        context.update(_forms(request, fit, data, context["see_amounts"]))
    return context


def _fit(request: WorkspaceRequest, fit_id: int) -> Fit:
    fit = get_owned(request, Fit, fit_id)
    fit.version.workspace = request.workspace
    return fit


@require_GET
@workspace_view
def fit_page(request: WorkspaceRequest, fit_id: int) -> HttpResponse:
    """The page; `?format=csv|xlsx` (with the what-if's fields) the week-by-week plan."""
    recover_stale_fits(workspace=request.workspace)
    fit = _fit(request, fit_id)
    if (file_format := wanted_format(request)) is None:
        return render(request, "reallocation/fit.html", _fit_context(request, fit))
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    weeks = _fit_context(request, fit, request.GET).get("weeks")
    if weeks is None or not weeks.rows:
        raise Http404
    name = f"weeks-{request.workspace.slug}-q{fit.quarter}-fit{fit.pk}"
    return table_download(weeks.table(), file_format, name)


@require_GET
@workspace_view
def fit_progress(request: WorkspaceRequest, fit_id: int) -> HttpResponse:
    """The progress fragment; once the fit is done, htmx reloads the whole page."""
    fit = _fit(request, fit_id)
    response = render(request, "reallocation/fit.html#progress", _fit_context(request, fit))
    if fit.status == Fit.Status.DONE and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@require_GET
@workspace_view
def what_if(request: WorkspaceRequest, fit_id: int) -> HttpResponse:
    """The recommendation for another total or one channel's range; nothing is saved."""
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    fit = _fit(request, fit_id)
    context = _fit_context(request, fit, request.GET)
    if fit.status != Fit.Status.DONE:  # nothing to compute yet: the fit's status
        return render(request, "reallocation/fit.html", context)
    status = 400 if context["what_if_form"].errors or context["found"].refusal else 200
    template = "reallocation/fit.html" + ("#result" if request.headers.get("HX-Request") else "")
    return render(request, template, context, status=status)


@require_POST
@workspace_view
def apply(request: WorkspaceRequest, fit_id: int) -> HttpResponse:
    require(request, Action.EDIT_BUDGET)
    fit = _fit(request, fit_id)
    context = _fit_context(request, fit, request.POST)
    form = context.get("apply_form")
    try:
        if form is None or not form.is_valid():
            raise ValidationError(_("Check the figures and the new version's name."))
        version = services.reallocation_apply(
            fit=fit,
            what_if=form.what_if(),
            stamp=form.cleaned_data["stamp"],
            name=form.cleaned_data["name"],
            actor=request.user,
            today=timezone.localdate(),
        )
    except ValidationError as error:
        context["apply_error"] = " ".join(error.messages)
        return render(request, "reallocation/fit.html", context, status=400)
    messages.success(request, _("Version %(name)s created.") % {"name": version.name})
    url = reverse("planning_budget", args=[request.workspace.slug])
    return redirect(f"{url}?year={version.fiscal_year}&v={version.pk}")


@require_GET
@workspace_view
def weekly_csv(request: WorkspaceRequest) -> HttpResponse:
    """The weekly table as the DATA.csv `crewplan fit` reads (spend: every amount)."""
    require(request, Action.VIEW_BUDGET_AMOUNTS)
    outcome = request.GET.get("outcome", "revenue")
    sources = [int_param(v) for v in request.GET.getlist("sources")]
    table = weekly_table(
        request.workspace,
        outcome=outcome if outcome in Fit.Outcome.values else "revenue",
        outcome_channels=[s for s in sources if s is not None],
    )
    response = HttpResponse(table.as_csv(), content_type="text/csv; charset=utf-8")
    name = f"weekly-{request.workspace.slug}-{outcome}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@workspace_view
def lift_tests(request: WorkspaceRequest) -> HttpResponse:
    """The workspace's lift tests, and (budget editors) the form recording one."""
    workspace = request.workspace
    form = LiftTestForm(request.POST or None, workspace=workspace)
    if request.method == "POST":
        require(request, Action.EDIT_BUDGET)
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in services.LIFT_TEST_FIELDS}
            try:
                services.lift_test_add(workspace=workspace, actor=request.user, data=data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Lift test recorded. The next fit takes it."))
                return redirect("reallocation_lift_tests", slug=workspace.slug)
    context = {
        "form": form,
        "lift_tests": queries.lift_tests_of(workspace),
        "may_edit": can(request.membership, Action.EDIT_BUDGET),
        "see_amounts": can(request.membership, Action.VIEW_BUDGET_AMOUNTS),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "reallocation/lift_tests.html", context, status=status)


@require_POST
@workspace_view
def lift_test_delete(request: WorkspaceRequest, lift_test_id: int) -> HttpResponse:
    lift_test = get_owned(request, LiftTest, lift_test_id)
    require(request, Action.EDIT_BUDGET)
    try:
        services.lift_test_delete(
            workspace=request.workspace, actor=request.user, lift_test=lift_test
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Lift test deleted."))
    return redirect("reallocation_lift_tests", slug=request.workspace.slug)


def _day(value: Any) -> date | str:
    """An ISO day stored in the CURVES document as a date (the template formats it)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
