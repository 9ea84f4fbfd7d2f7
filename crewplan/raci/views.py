"""RACI pages: the grid editor, the template wizard, sign-off and publishing."""

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.audit.forms import expect_revision
from crewplan.lib import file_messages, limits, uploads
from crewplan.lib.active_language import active_language
from crewplan.lib.params import int_param
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci import imports, services
from crewplan.raci import messages as raci_messages
from crewplan.raci.diff import diff_matrices
from crewplan.raci.forms import ActivityForm, FunctionForm, PersonColumnForm, TemplateForm
from crewplan.raci.models import Activity, Function, MatrixVersion
from crewplan.raci.queries import (
    Grid,
    accountable_waiting,
    draft_of,
    functions_of,
    load_grid,
    published_of,
    signing_teams,
    signoffs_of,
)
from crewplan.raci.template import AGENCY, IN_HOUSE, apply_template
from crewplan.raci.validation import (
    EXTERNAL,
    INTERNAL,
    Party,
    Severity,
)
from crewplan.raci.xlsx import SignOffRow, read_matrix, write_matrix
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, require, workspace_view
from crewplan.workspaces.models import Membership, Team
from crewplan.workspaces.permissions import Action, TeamTarget

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell_html(
    activity: str, party: str, value: str, expected: str, problems: Iterable[str] = ()
) -> str:
    """One editable cell: the roles, what the person saw (for conflict detection), and any
    problem with what they typed. Built in Python: a 300 × 12 grid has 3,600 of them."""
    name = f"{activity}:{escape(party)}"
    html = (
        f'<input class="cell-input" name="c:{name}" value="{escape(value)}" size="4" '
        f'autocomplete="off" spellcheck="false">'
        f'<input type="hidden" name="e:{name}" value="{escape(expected)}">'
    )
    return html + "".join(
        f'<small class="cell-problem" role="alert">{escape(p)}</small>' for p in problems
    )


def _row_cells(activity: str, values: list[str], parties: list[str], editable: bool) -> str:
    if editable:
        cells = (
            cell_html(activity, party, value, value)
            for party, value in zip(parties, values, strict=True)
        )
    else:
        cells = (escape(value) for value in values)
    return mark_safe("".join(f"<td>{cell}</td>" for cell in cells))  # noqa: S308 -- every part escaped above


def _grid_context(
    request: WorkspaceRequest, version: MatrixVersion, printable: bool = False
) -> dict[str, Any]:
    grid = load_grid(version, active_language())
    membership = request.membership
    editable = not printable and version.is_draft and can(membership, Action.EDIT_RACI)
    sign_rows = _sign_rows(request, version, grid)
    return {
        "waiting_accountable": accountable_waiting(version, grid.matrix),
        "version": version,
        "grid": grid,
        "rows": _function_rows(request, grid, editable),
        "findings": _finding_rows(grid),
        "error_count": sum(1 for f in grid.findings if f.severity == Severity.ERROR),
        "sign_rows": sign_rows,
        "all_signed": bool(sign_rows) and all(r["signoff"] for r in sign_rows),
        "may_edit": editable,
        "may_publish": version.is_draft and can(membership, Action.PUBLISH_RACI),
        "may_start_draft": can(membership, Action.EDIT_RACI),
    }


def _function_rows(request: WorkspaceRequest, grid: Grid, editable: bool) -> list[dict[str, Any]]:
    """The grid by function, each activity with its findings and its row of cells."""
    by_activity: dict[str, list[Any]] = {}
    for finding in grid.findings:
        if finding.activity:
            by_activity.setdefault(finding.activity, []).append(finding)
    function_ids = {f.name: f.pk for f in functions_of(request.workspace)} if editable else {}
    parties = [p.key for p in grid.matrix.parties]
    return [
        {
            "name": function,
            "id": function_ids.get(function),
            "items": [
                {
                    "activity": a,
                    "findings": by_activity.get(a.key, []),
                    "level": _level(by_activity.get(a.key, [])),
                    "cells": _row_cells(
                        a.key, [grid.cell(a.key, p) for p in parties], parties, editable
                    ),
                }
                for a in activities
            ],
        }
        for function, activities in grid.functions
    ]


def _finding_rows(grid: Grid) -> list[dict[str, Any]]:
    """Every finding with the names of its activity and parties."""
    activity_names = {a.key: a.name for a in grid.matrix.activities}
    party_names = {p.key: p.name for p in grid.matrix.parties}
    return [
        {
            "finding": f,
            "activity": activity_names.get(f.activity or "", ""),
            "parties": [party_names.get(p, p) for p in f.parties],
        }
        for f in grid.findings
    ]


def _sign_rows(
    request: WorkspaceRequest, version: MatrixVersion, grid: Grid
) -> list[dict[str, Any]]:
    """The teams that must sign, with their sign-off and whether this person may give it."""
    return [
        {
            "team": team,
            "signoff": signoff,
            "may_sign": can(request.membership, Action.SIGN_OFF_RACI, TeamTarget(team.pk)),
        }
        for team, signoff in signing_teams(version, grid.matrix)
    ]


def _level(findings: list[Any]) -> str:
    if any(f.severity == Severity.ERROR for f in findings):
        return "error"
    return "warning" if findings else ""


@workspace_view
@require_GET
def matrix(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    version = draft_of(workspace) or published_of(workspace)
    if version is None:
        teams = Team.objects.for_workspace(workspace)
        return render(
            request,
            "raci/empty.html",
            {
                "template_form": TemplateForm(teams=teams),
                "may_edit": can(request.membership, Action.EDIT_RACI),
            },
        )
    context = _grid_context(request, version)
    if context["may_edit"]:
        context["activity_form"] = ActivityForm(functions=functions_of(workspace))
        shown = {p.key for p in context["grid"].matrix.parties}
        members = (
            Membership.objects.for_workspace(workspace)
            .select_related("user", "team")
            .order_by("team__kind", "team__name", "user__full_name")
        )
        context["person_form"] = PersonColumnForm(
            members=members.exclude(
                pk__in=[int(k.removeprefix("person-")) for k in shown if k.startswith("person-")]
            )
        )
        context["template_form"] = TemplateForm(teams=Team.objects.for_workspace(workspace))
    return render(request, "raci/matrix.html", context)


@workspace_view
@require_POST
def cells(request: WorkspaceRequest) -> HttpResponse:
    """Save changed cells. The grid posts one cell at a time through htmx; without
    JavaScript the whole grid is one form and every changed cell is saved together."""
    require(request, Action.EDIT_RACI)
    workspace = request.workspace
    version = draft_of(workspace)
    # One cell from the grid's script (it names the cell), or every changed cell of the
    # whole-grid form.
    single = request.POST.get("cell", "")
    is_htmx = request.headers.get("HX-Request") == "true" and single.startswith("c:")
    changes = services.cell_changes(request.POST, only=single if is_htmx else None)
    if version is None:
        messages.error(request, _("There is no draft to edit. Start a new draft first."))
        return redirect("raci_matrix", slug=workspace.slug)
    try:
        result = services.cells_set(version=version, changes=changes, actor=request.user)
    except Activity.DoesNotExist:
        raise Http404 from None
    if is_htmx and len(changes) == 1:
        return _cell_response(request, version, changes[0], result)
    for problem in result.problems:
        messages.error(request, problem)
    if result.saved and not result.problems:
        messages.success(request, _("%(count)s cell(s) saved.") % {"count": len(result.saved)})
    return redirect("raci_matrix", slug=workspace.slug)


def _cell_response(
    request: WorkspaceRequest,
    version: MatrixVersion,
    change: services.CellChange,
    result: services.CellsResult,
) -> HttpResponse:
    """The grid's answer to one cell: the cell, the side panel and the row's findings
    markers, out of band."""
    key, expected = change.key, change.expected
    if key in result.saved:  # saved: the new value is what everyone now sees
        shown = expected = result.saved[key]
    elif key in result.conflicts:  # someone else's value stands; start again from it
        shown = expected = result.conflicts[key]
    else:  # refused input: keep what was typed so it can be corrected
        shown = change.value
    context = _grid_context(request, version)
    html = cell_html(change.activity_key, change.party_key, shown, expected, result.problems)
    html += render_to_string("raci/matrix.html#side", {**context, "oob": True}, request)
    rows = (r for group in context["rows"] for r in group["items"])
    row = next((r for r in rows if r["activity"].key == change.activity_key), None)
    if row is not None:  # the row's inline findings markers follow the change
        rowhead = render_to_string(
            "raci/matrix.html#rowhead", {**context, "row": row, "oob": True}, request
        )
        # A <th> cannot stand outside a table in HTML: htmx takes it out of a <template>.
        html += f"<template>{rowhead}</template>"
    status = 409 if result.conflicts else 422 if result.problems else 200
    return HttpResponse(html, status=status)


@workspace_view
@require_POST
def template_apply(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_RACI)
    form = TemplateForm(request.POST, teams=Team.objects.for_workspace(request.workspace))
    if form.is_valid():
        if form.cleaned_data["new_agency"]:
            require(request, Action.MANAGE_TEAMS)
        try:
            services.template_apply(
                workspace=request.workspace,
                actor=request.user,
                in_house=form.cleaned_data["in_house"],
                agency=form.cleaned_data["agency"],
                new_agency=form.cleaned_data["new_agency"],
                language=active_language(),
            )
        except ValidationError as error:
            for m in error.messages:
                messages.error(request, m)
        else:
            messages.success(request, _("The in-house + agency template was added to the draft."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
    return redirect("raci_matrix", slug=request.workspace.slug)


@workspace_view
@require_POST
def activity_create(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_RACI)
    workspace = request.workspace
    form = ActivityForm(request.POST, functions=functions_of(workspace))
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, str(message))
        return redirect("raci_matrix", slug=workspace.slug)
    data = form.cleaned_data
    try:
        services.activity_add(
            workspace=workspace,
            actor=request.user,
            function=_chosen_function(request, data),
            name=data["name"],
            kind=data["kind"],
            split=data["split"],
        )
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Activity %(name)s added.") % {"name": data["name"]})
    return redirect("raci_matrix", slug=workspace.slug)


def _chosen_function(request: WorkspaceRequest, data: dict[str, Any]) -> Function | str:
    """The activity form's function: the name of a new one, else the chosen one (this
    workspace's, through the access layer)."""
    return data["new_function"].strip() or get_owned(request, Function, int(data["function"]))


@workspace_view
@require_http_methods(["GET", "POST"])
def activity_edit(request: WorkspaceRequest, activity_id: int) -> HttpResponse:
    activity = get_owned(request, Activity, activity_id, archived_at__isnull=True)
    require(request, Action.EDIT_RACI)
    workspace = request.workspace
    initial = {
        "function": str(activity.function_id),
        "name": activity.name,
        "kind": activity.kind,
        "split": activity.split,
    }
    form = ActivityForm(request.POST or None, initial=initial, functions=functions_of(workspace))
    expect_revision(form, activity.revision)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_save(
                workspace=workspace,
                actor=request.user,
                function=_chosen_function(request, data),
                name=data["name"],
                kind=data["kind"],
                split=data["split"],
                activity=activity,
                revision=data["revision"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Activity %(name)s saved.") % {"name": activity.name})
            return redirect("raci_matrix", slug=workspace.slug)
    return render(request, "raci/activity_edit.html", {"activity": activity, "form": form})


@workspace_view
@require_POST
def activity_archive(request: WorkspaceRequest, activity_id: int) -> HttpResponse:
    activity = get_owned(request, Activity, activity_id, archived_at__isnull=True)
    require(request, Action.EDIT_RACI)
    services.activity_archive(activity=activity, actor=request.user)
    messages.success(request, _("Activity %(name)s archived.") % {"name": activity.name})
    return redirect("raci_matrix", slug=request.workspace.slug)


@workspace_view
@require_POST
def person_column(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_RACI)
    workspace = request.workspace
    form = PersonColumnForm(request.POST, members=Membership.objects.for_workspace(workspace))
    if form.is_valid():
        draft = services.draft_start(workspace=workspace, actor=request.user)
        services.person_column_add(
            version=draft, membership=form.cleaned_data["membership"], actor=request.user
        )
    else:
        messages.error(request, _("Choose a person."))
    return redirect("raci_matrix", slug=workspace.slug)


@workspace_view
@require_POST
def draft_start(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_RACI)
    draft = services.draft_start(workspace=request.workspace, actor=request.user)
    messages.success(request, _("Draft v%(number)s started.") % {"number": draft.number})
    return redirect("raci_matrix", slug=request.workspace.slug)


@workspace_view
@require_POST
def sign_off(request: WorkspaceRequest, version_id: int, team_id: int) -> HttpResponse:
    version = get_owned(request, MatrixVersion, version_id)
    team = get_owned(request, Team, team_id)
    require(request, Action.SIGN_OFF_RACI, TeamTarget(team.pk))
    try:
        services.sign_off(version=version, team=team, actor=request.user)
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Signed off for %(team)s.") % {"team": team.name})
    return redirect("raci_matrix", slug=request.workspace.slug)


@workspace_view
@require_POST
def publish(request: WorkspaceRequest, version_id: int) -> HttpResponse:
    version = get_owned(request, MatrixVersion, version_id)
    require(request, Action.PUBLISH_RACI)
    try:
        services.publish(version=version, actor=request.user)
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
    else:
        messages.success(request, _("Version v%(number)s published.") % {"number": version.number})
    return redirect("raci_matrix", slug=request.workspace.slug)


def _version_grid(request: WorkspaceRequest, version_id: int) -> tuple[MatrixVersion, Any]:
    version = get_owned(request, MatrixVersion, version_id)
    return version, load_grid(version, active_language())


@workspace_view
@require_GET
def versions(request: WorkspaceRequest) -> HttpResponse:
    """All versions, and the difference between any two (?a=&b= version ids)."""
    workspace = request.workspace
    all_versions = list(
        MatrixVersion.objects.for_workspace(workspace).select_related("created_by", "published_by")
    )
    context: dict[str, Any] = {"versions": all_versions}
    a, b = int_param(request.GET.get("a")), int_param(request.GET.get("b"))
    if a is not None and b is not None:
        old, old_grid = _version_grid(request, a)
        new, new_grid = _version_grid(request, b)
        context.update(old=old, new=new, changes=diff_matrices(old_grid.matrix, new_grid.matrix))
    return render(request, "raci/versions.html", context)


def _export_name(request: WorkspaceRequest, version: MatrixVersion, extension: str) -> str:
    return f"raci-{request.workspace.slug}-v{version.number}.{extension}"


def _signoff_rows(version: MatrixVersion) -> list[SignOffRow]:
    return [
        SignOffRow(s.team.name, s.user_label, localtime(s.signed_at).strftime("%Y-%m-%d %H:%M"))
        for s in signoffs_of(version)
    ]


@workspace_view
@require_GET
def export_xlsx(request: WorkspaceRequest, version_id: int) -> HttpResponse:
    version, grid = _version_grid(request, version_id)
    data = write_matrix(
        grid.matrix,
        team_names=grid.team_names,
        findings=grid.findings,
        signoffs=_signoff_rows(version),
        language=active_language(),
        title=f"{request.workspace.name} RACI v{version.number}",
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="{_export_name(request, version, "xlsx")}"'
    )
    return response


@workspace_view
@require_GET
def export_pdf(request: WorkspaceRequest, version_id: int) -> HttpResponse:
    """The version as a contract appendix: landscape grid, findings, sign-offs."""
    version = get_owned(request, MatrixVersion, version_id)
    context = _grid_context(request, version, printable=True)
    context.update(signoff_rows=_signoff_rows(version), generated=localtime())
    html = render_to_string("raci/pdf.html", context, request)
    import weasyprint  # heavy (pango, fonts): loaded only when a PDF is asked for

    pdf = weasyprint.HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{_export_name(request, version, "pdf")}"'
    )
    return response


@workspace_view
@require_GET
def template_xlsx(request: WorkspaceRequest) -> HttpResponse:
    """The import layout with this workspace's teams as columns, filled with the built-in
    template's recommended roles, as a file to start from."""
    teams = list(Team.objects.for_workspace(request.workspace))
    internal = next((t for t in teams if t.kind == Team.Kind.INTERNAL), None)
    external = next((t for t in teams if t.kind == Team.Kind.EXTERNAL), None)
    parties = {
        role: Party(f"team-{t.pk}", t.name, t.kind) if t else Party(role, str(label), kind)
        for role, t, label, kind in (
            (IN_HOUSE, internal, _("In-house team"), INTERNAL),
            (AGENCY, external, _("Agency"), EXTERNAL),
        )
    }
    data = write_matrix(
        apply_template(parties, active_language()), team_names={}, language=active_language()
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="crewplan-raci-template.xlsx"'
    return response


@workspace_view
@require_http_methods(["GET", "POST"])
def import_upload(request: WorkspaceRequest) -> HttpResponse:
    """Upload a grid, see how it was read, how its columns map and every problem per
    row; nothing is saved."""
    require(request, Action.EDIT_RACI)
    context: dict[str, Any] = {"max_mb": uploads.megabytes(limits.RACI_MATRIX)}
    if request.method == "GET":
        return render(request, "raci/import.html", context)
    try:
        upload = uploads.read_upload(
            request.FILES.get("file"), limits.RACI_MATRIX, kinds=imports.FILE_KINDS
        )
        result = read_matrix(upload.data, name=upload.name)
    except UnusableFile as error:
        context["error"] = file_messages.refusal(error, raci_messages.FILE_PROBLEMS)
        return render(request, "raci/import.html", context, status=400)
    read = imports.sheet_read(result, upload.name)
    return _import_preview(request, read, imports.sign_read(request.workspace, read), None)


@workspace_view
@require_POST
def import_preview(request: WorkspaceRequest) -> HttpResponse:
    """The same file again with the columns mapped as the form says: no upload, the
    signed preview carries what was read."""
    require(request, Action.EDIT_RACI)
    token = request.POST.get("plan", "")
    try:
        read = imports.open_read(request.workspace, token)
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("raci_import", slug=request.workspace.slug)
    return _import_preview(request, read, token, request.POST)


def _import_mapping(
    request: WorkspaceRequest, read: imports.SheetRead, posted: Any
) -> tuple[imports.Options, list[str], imports.Mapped, imports.ImportPlan]:
    workspace = request.workspace
    may_create = can(request.membership, Action.MANAGE_TEAMS)
    options = imports.mapping_options(workspace, may_create_teams=may_create)
    choices = imports.chosen(workspace, read, options, posted)
    mapped = imports.resolve(read, options, choices)
    return options, choices, mapped, imports.plan_import(read, mapped, active_language())


def _import_preview(
    request: WorkspaceRequest, read: imports.SheetRead, token: str, posted: Any
) -> HttpResponse:
    options, _choices, mapped, plan = _import_mapping(request, read, posted)
    context = {
        "max_mb": uploads.megabytes(limits.RACI_MATRIX),
        "plan": plan,
        "filename": read.filename,
        "layout": imports.layout_rows(read, active_language()),
        "mapping": mapped.targets,
        "option_groups": options.groups(),
        "kinds_stated": read.layout.kinds_stated,
        "columns": [label for _header, label in plan.columns],
        "preview": imports.preview_rows(plan),
        "archived": imports.archived_by(request.workspace, plan),
        "token": token,
    }
    return render(request, "raci/import.html", context, status=400 if plan.problems else 200)


@workspace_view
@require_POST
def import_confirm(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_RACI)
    workspace = request.workspace
    token = request.POST.get("plan", "")
    try:
        read = imports.open_read(workspace, token)
        _options, choices, _mapped, plan = _import_mapping(request, read, request.POST)
        if plan.problems:  # the page again, with the problems and the choices made
            return _import_preview(request, read, token, request.POST)
        services.import_apply(
            workspace=workspace,
            actor=request.user,
            read=read,
            choices=choices,
            may_create_teams=can(request.membership, Action.MANAGE_TEAMS),
            preview=token,
        )
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("raci_import", slug=workspace.slug)
    except ValidationError as error:
        for m in error.messages:
            messages.error(request, m)
        return redirect("raci_import", slug=workspace.slug)
    messages.success(
        request,
        _("Imported %(count)s activities into the draft.") % {"count": len(read.activities)},
    )
    return redirect("raci_matrix", slug=workspace.slug)


def _direction(request: WorkspaceRequest) -> str:
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        raise PermissionDenied
    return direction


@workspace_view
@require_POST
def activity_move(request: WorkspaceRequest, activity_id: int) -> HttpResponse:
    activity = get_owned(request, Activity, activity_id, archived_at__isnull=True)
    require(request, Action.EDIT_RACI)
    services.activity_move(activity=activity, actor=request.user, direction=_direction(request))
    return redirect(
        f"{reverse('raci_matrix', args=[request.workspace.slug])}#activity-{activity.pk}"
    )


@workspace_view
@require_http_methods(["GET", "POST"])
def function_edit(request: WorkspaceRequest, function_id: int) -> HttpResponse:
    function = get_owned(request, Function, function_id, archived_at__isnull=True)
    require(request, Action.EDIT_RACI)
    workspace = request.workspace
    if request.method == "POST":
        try:
            if "direction" in request.POST:
                services.function_move(
                    function=function, actor=request.user, direction=_direction(request)
                )
            elif "archive" in request.POST:
                services.function_archive(function=function, actor=request.user)
                messages.success(
                    request, _("Function %(name)s archived.") % {"name": function.name}
                )
            else:
                form = FunctionForm(request.POST)
                expect_revision(form, function.revision)
                if not form.is_valid():
                    raise ValidationError([e for errors in form.errors.values() for e in errors])
                services.function_rename(
                    function=function,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    revision=form.cleaned_data["revision"],
                )
                messages.success(request, _("Function %(name)s saved.") % {"name": function.name})
        except ValidationError as error:
            for m in error.messages:
                messages.error(request, m)
            return redirect("raci_function_edit", slug=workspace.slug, function_id=function.pk)
        return redirect("raci_matrix", slug=workspace.slug)
    return render(request, "raci/function_edit.html", {"function": function})
