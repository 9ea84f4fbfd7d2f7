"""Bringing in an export, as a person does it: upload → (map the columns of a file no
layout knows) → preview → confirm → the import's page (progress, counts, rollback).

Nothing is written before the confirmation: the uploaded bytes wait in an `ImportFile`
(the preview token names it and its checksum), the confirmation queues the import and
runs it at once, or in the background worker for a large file (the page then polls its
progress). Who may: `Action.IMPORT_MEASUREMENTS` (owners and managers of either team)."""

from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from crewplan.lib import limits, uploads
from crewplan.lib.active_language import active_language
from crewplan.lib.env import env_int
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import expenses, imports, kpi_import, services
from crewplan.measure import messages as measure_messages
from crewplan.measure.import_queries import (
    ENCODING_LABELS,
    LAYOUT_LABELS,
    import_rows,
    mapping_choices,
    mapping_for,
)
from crewplan.measure.models import Channel, Import, ImportFile
from crewplan.measure.parse import ColumnMap, Layout, Parsed, parse, template_csv
from crewplan.measure.task_views import import_progress_context
from crewplan.measure.tasks import import_file, run_tracked
from crewplan.workspaces.access import (
    WorkspaceRequest,
    can,
    get_owned,
    require,
    workspace_view,
)
from crewplan.workspaces.permissions import Action

PREVIEW = "measure.import"
MAPPING = "measure.mapping"
# Files with more rows than this run in the background worker (the page shows progress).
BACKGROUND_ROWS = env_int("CREWPLAN_IMPORT_BACKGROUND_ROWS", 50_000)
KINDS = (uploads.FileKind.XLSX, uploads.FileKind.TEXT)


@workspace_view
@require_GET
def imports_page(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.IMPORT_MEASUREMENTS)
    context = {
        "rows": import_rows(request.workspace),
        "mb": uploads.megabytes(limits.MEASURE_METRICS),
    }
    return render(request, "measure/imports.html", context)


@workspace_view
@require_GET
def import_template(request: WorkspaceRequest) -> HttpResponse:
    """The documented daily template, headers in the page's language."""
    language = request.GET.get("language") or active_language()
    response = HttpResponse(("\ufeff" + template_csv(language)).encode(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="crewplan-daily-template.csv"'
    return response


@workspace_view
@require_POST
def import_upload(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.IMPORT_MEASUREMENTS)
    workspace = request.workspace
    try:
        upload = uploads.read_upload(request.FILES.get("file"), limits.MEASURE_METRICS, KINDS)
        parsed = parse(upload.data, today=timezone.localdate())
    except UnusableFile as error:
        messages.error(
            request,
            _("This file cannot be imported: %(why)s.") % {"why": measure_messages.unusable(error)},
        )
        return redirect("measure_imports", slug=workspace.slug)
    stored = imports.store_file(workspace=workspace, name=upload.name, data=upload.data)
    if parsed.layout == Layout.UNKNOWN:
        remembered = mapping_for(workspace, parsed.header)
        if remembered is None:
            return _mapping_page(request, stored, parsed)
        parsed = parse(upload.data, today=timezone.localdate(), mapping=remembered)
        messages.info(request, _("The columns were read as you mapped them last time."))
        return _preview_page(request, stored, parsed, remembered)
    return _preview_page(request, stored, parsed, None)


def _mapping_page(
    request: WorkspaceRequest,
    stored: ImportFile,
    parsed: Parsed,
    chosen: Mapping[str, str] | None = None,
    error: str = "",
) -> HttpResponse:
    """Which column is which: the columns crewplan recognized come filled in (a known
    export with one header it does not know needs only that one), or as the person
    chose them when their mapping was refused (`chosen`, `error`)."""
    token = uploads.sign_preview(
        purpose=MAPPING,
        workspace=request.workspace.pk,
        payload={"file_id": stored.pk, "checksum": stored.sha256},
    )
    known = {index: name for name, index in parsed.columns.items()}
    columns = [
        {
            "index": i,
            "name": name,
            "samples": [r[i] for r in parsed.sample if i < len(r)],
            "known": i in known,
            "field": _chosen(chosen, i, known.get(i, "")),
        }
        for i, name in enumerate(parsed.header)
    ]
    context = {
        "columns": columns,
        "choices": mapping_choices(),
        "some_known": bool(known),
        "channels": Channel.objects.for_workspace(request.workspace),
        "channel": (chosen or {}).get("channel", ""),
        "token": token,
        "file": stored,
        "error": error,
    }
    return render(request, "measure/import_mapping.html", context, status=400 if error else 200)


def _chosen(chosen: Mapping[str, str] | None, index: int, guess: str) -> str:
    """The field column `index` is shown with: as chosen, else the recognized one."""
    field = guess if chosen is None else chosen.get(f"column-{index}", "")
    return field if field in services.MAPPABLE else ""


@workspace_view
@require_POST
def import_mapping(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.IMPORT_MEASUREMENTS)
    workspace = request.workspace
    try:
        found = uploads.open_preview(
            purpose=MAPPING, workspace=workspace.pk, token=request.POST.get("token", "")
        )
        stored = imports.stored_file(
            workspace=workspace, file_id=found["file_id"], checksum=found["checksum"]
        )
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("measure_imports", slug=workspace.slug)
    except ValidationError as error:
        messages.error(request, _message(error))
        return redirect("measure_imports", slug=workspace.slug)
    today = timezone.localdate()
    try:
        mapping = services.column_map_checked(request.POST)
        parsed = parse(bytes(stored.data), today=today, mapping=mapping)
    except ValidationError as error:  # the same page again, with their choices kept
        unknown = parse(bytes(stored.data), today=today)
        return _mapping_page(request, stored, unknown, request.POST, _message(error))
    except UnusableFile as error:
        messages.error(request, _message(error))
        return redirect("measure_imports", slug=workspace.slug)
    services.mapping_save(
        workspace=workspace, actor=request.user, header=parsed.header, mapping=mapping
    )
    return _preview_page(request, stored, parsed, mapping)


def _message(error: ValidationError | UnusableFile) -> str:
    if isinstance(error, UnusableFile):
        return _("This file cannot be imported: %(why)s.") % {
            "why": measure_messages.unusable(error)
        }
    return " ".join(error.messages)


def _preview_page(
    request: WorkspaceRequest, stored: ImportFile, parsed: Parsed, mapping: ColumnMap | None
) -> HttpResponse:
    workspace = request.workspace
    preview = imports.preview(workspace, parsed, file_name=stored.name, checksum=stored.sha256)
    payload = preview.as_payload(file_id=stored.pk)
    payload["mapping"] = (
        {"columns": mapping.columns, "channel": mapping.channel} if mapping else None
    )
    context = {
        "preview": preview,
        "layout": LAYOUT_LABELS.get(preview.layout, preview.layout),
        "encoding": ENCODING_LABELS.get(preview.encoding, preview.encoding),
        "problems": [measure_messages.row_problem(p) for p in preview.problems[:200]],
        "more_problems": max(0, len(preview.problems) - 200),
        "channels": Channel.objects.for_workspace(workspace),
        "needs_rate": any(e["code"] == "currency" for e in preview.errors),
        "blocking": [e for e in preview.errors if e["code"] != "currency"],
        "token": uploads.sign_preview(purpose=PREVIEW, workspace=workspace.pk, payload=payload),
        "file": stored,
    }
    return render(request, "measure/import_preview.html", context)


@workspace_view
@require_POST
def import_confirm(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.IMPORT_MEASUREMENTS)
    workspace = request.workspace
    try:
        found = uploads.open_preview(
            purpose=PREVIEW, workspace=workspace.pk, token=request.POST.get("token", "")
        )
        stored = imports.stored_file(
            workspace=workspace, file_id=found["file_id"], checksum=found["checksum"]
        )
        choices = {
            name: request.POST.get(f"channel-{i}", "")
            for i, name in enumerate(found["unknown_channels"])
        }
        imports.channel_choices_checked(workspace, found["unknown_channels"], choices)
        record = imports.queue_import(
            workspace=workspace,
            actor=request.user,
            file=stored,
            channel_choices=choices,
            rate=_rate(request.POST.get("rate")),
            mapping=found.get("mapping"),
        )
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("measure_imports", slug=workspace.slug)
    except ValidationError as error:
        messages.error(request, _message(error))
        return redirect("measure_imports", slug=workspace.slug)
    _run(record, found["rows_read"])
    return redirect("measure_import", slug=workspace.slug, import_id=record.pk)


def _rate(value: str | None) -> Decimal | None:
    """The exchange rate typed on the preview, if any (the service checks its range)."""
    if not value or not value.strip():
        return None
    try:
        return Decimal(value.strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(_("Give the exchange rate as a number, e.g. 31.5.")) from None


def _run(record: Import, rows: int) -> None:
    """Import now, or hand a large file to the background worker."""
    if rows > BACKGROUND_ROWS:
        transaction.on_commit(lambda: import_file.enqueue(record.pk))
        return
    run_tracked(record.pk, lambda progress: imports.run_stored_import(record.pk, progress=progress))


# Who may roll an import back: who may make that kind of import.
ROLLBACK_NEEDS: dict[str, tuple[Action, ...]] = {
    Import.Kind.METRICS: (Action.IMPORT_MEASUREMENTS,),
    Import.Kind.EXPENSES: (Action.RECORD_EXPENSES, Action.VIEW_BUDGET_AMOUNTS),
    Import.Kind.KPI_VALUES: (Action.EDIT_GOALS,),
}
# Each kind's rollback service (workspace, actor, import).
ROLLBACKS: dict[str, Callable[[Any, Any, Import], object]] = {
    Import.Kind.METRICS: lambda ws, actor, record: imports.rollback(
        workspace=ws, actor=actor, import_record=record
    ),
    Import.Kind.EXPENSES: lambda ws, actor, record: expenses.import_rollback(
        workspace=ws, actor=actor, source=record
    ),
    Import.Kind.KPI_VALUES: lambda ws, actor, record: kpi_import.kpi_values_rollback(
        workspace=ws, actor=actor, import_record=record
    ),
}


def may_roll_back(request: WorkspaceRequest, record: Import) -> bool:
    return all(can(request.membership, action) for action in ROLLBACK_NEEDS[record.kind])


@workspace_view
@require_GET
def import_detail(request: WorkspaceRequest, import_id: int) -> HttpResponse:
    require(request, Action.IMPORT_MEASUREMENTS)
    record = get_owned(request, Import, import_id)
    context: dict[str, Any] = {
        "import": record,
        "may_roll_back": may_roll_back(request, record),
        **import_progress_context(record),
    }
    return render(request, "measure/import.html", context)


@workspace_view
@require_POST
def import_rollback(request: WorkspaceRequest, import_id: int) -> HttpResponse:
    """Roll back an import of any kind, for who may make that kind; back to the import's
    page, or to the KPI page it was rolled back from (`back=kpis`)."""
    require(request, Action.IMPORT_MEASUREMENTS)
    record = get_owned(request, Import, import_id)
    for action in ROLLBACK_NEEDS[record.kind]:
        require(request, action)
    try:
        ROLLBACKS[record.kind](request.workspace, request.user, record)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(
            request, _("The import was rolled back: the figures are as they were before it.")
        )
    if request.POST.get("back") == "kpis":
        return redirect("measure_kpis", slug=request.workspace.slug)
    return redirect("measure_import", slug=request.workspace.slug, import_id=record.pk)
