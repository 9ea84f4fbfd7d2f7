"""The progress of a background import, as an htmx fragment the import page polls.

Who sees it: those who may import (`Action.IMPORT_MEASUREMENTS`: owners and managers of
either team). It states row counts and a status, never an amount, so the budget's
amount visibility has nothing to hide here."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from crewplan.measure.models import Import
from crewplan.measure.tasks import current_progress
from crewplan.workspaces.access import WorkspaceRequest, get_owned, require, workspace_view
from crewplan.workspaces.permissions import Action

# Statuses that can still change: the fragment keeps polling itself while in one.
UNFINISHED = (Import.Status.QUEUED, Import.Status.RUNNING)


def import_progress_context(record: Import) -> dict[str, Any]:
    """What templates/measure/_import_progress.html needs, for a page that includes it."""
    slug = record.workspace.slug
    try:
        # The import's own page (rows, rollback), once that page exists.
        link = reverse("measure_import", args=[slug, record.pk])
    except NoReverseMatch:
        link = ""
    return {
        "record": record,
        "percent": current_progress(record),
        "polling": record.status in UNFINISHED,
        "progress_url": reverse("measure_import_progress", args=[slug, record.pk]),
        "import_link": link,
    }


@require_GET
@workspace_view
def import_progress(request: WorkspaceRequest, import_id: int) -> HttpResponse:
    require(request, Action.IMPORT_MEASUREMENTS)
    record = get_owned(request, Import, import_id)
    return render(request, "measure/_import_progress.html", import_progress_context(record))
