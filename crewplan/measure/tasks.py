"""Imports in the background: a page (or the CLI) queues an Import, `crewplan worker` runs
it as a task of Django's tasks API, and the page polls its progress.

How one import runs (`run_tracked`): a short transaction marks the Import running; the
work commits everything in ONE transaction of its own (measure.imports), calling
`progress(percent)` between chunks; a short transaction marks the outcome. An exception
marks the Import failed with a message in the importer's language, and re-raises so the
task itself is recorded failed (and logged) too: the work's transaction rolled back, so
nothing of the file is in the database.

Progress must be visible while that one transaction is still open, so it cannot be
written through the connection that holds it:
- PostgreSQL (and any server database): an UPDATE of Import.progress through a second,
  autocommitting connection, with a lock timeout so it can never wait on the import's
  own transaction (progress is a display: a write that cannot happen is skipped).
- SQLite: the open transaction holds the database's only write lock, so the percent
  goes into a small file beside the database (DATA_DIR/progress/import-<id>), which the
  web process reads (SQLite means one machine, so both processes see that directory).

A worker killed mid-import leaves its Import "running" for ever: the database rolled its
transaction back, so only the status is wrong. `recover_stale_imports()` marks an import
with no sign of life (progress) for STALE_AFTER failed; `crewplan worker` calls it when
it starts and a page may call it before showing imports.

Retry policy: none automatic. Django's tasks API and the database backend run a task
once; a failed import stays failed with its reason shown, and the person imports the file
again (imports are idempotent: rows already in are "unchanged", nothing doubles). An e-mail
task that fails leaves its notifications marked unsent (`emailed_at` empty).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crewplan.measure.imports import run_stored_import
from crewplan.measure.models import Import
from crewplan.workspaces.models import Workspace

logger = logging.getLogger(__name__)

# No progress for this long while running: its worker is gone (a chunk of 20,000 rows
# takes well under a second; the slowest step, parsing a 1,000,000-row file, seconds).
STALE_AFTER = timedelta(minutes=10)

Progress = Callable[[int], None]
Work = Callable[[Progress], object]


def progress_file(import_id: int) -> Path:
    return Path(settings.DATA_DIR) / "progress" / f"import-{import_id}"


class ProgressWriter:
    """`progress(percent)` for one running import, written outside the import's own
    transaction (see the module docstring); only a changed percent is written."""

    def __init__(self, import_id: int) -> None:
        self.import_id = import_id
        self.last = -1
        self.own: Any = None  # the second connection, opened at the first write

    def __call__(self, percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if percent == self.last:
            return
        self.last = percent
        if connection.vendor == "sqlite":
            self._to_file(percent)
        else:
            self._to_own_connection(percent)

    def _to_file(self, percent: int) -> None:
        path = progress_file(self.import_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        partial.write_text(str(percent), encoding="ascii")
        partial.replace(path)  # readers see the old percent or the new, never half

    def _to_own_connection(self, percent: int) -> None:
        try:
            if self.own is None:
                self.own = connections.create_connection(DEFAULT_DB_ALIAS)
                if self.own.vendor == "postgresql":
                    with self.own.cursor() as cursor:
                        cursor.execute("SET lock_timeout = '2s'")
            with self.own.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Import._meta.db_table} SET progress = %s, progress_at = %s "  # noqa: S608 -- the table name is ours
                    "WHERE id = %s AND status = %s",
                    [percent, timezone.now(), self.import_id, Import.Status.RUNNING.value],
                )
        except DatabaseError:
            logger.warning("Progress of import %s not saved", self.import_id, exc_info=True)

    def close(self) -> None:
        if self.own is not None:
            self.own.close()
        progress_file(self.import_id).unlink(missing_ok=True)


def _file_progress(import_id: int) -> tuple[int, datetime] | None:
    path = progress_file(import_id)
    try:
        percent = int(path.read_text(encoding="ascii"))
        changed = datetime.fromtimestamp(path.stat().st_mtime, tz=timezone.get_current_timezone())
    except (OSError, ValueError):
        return None
    return percent, changed


def current_progress(record: Import) -> int:
    """The percent done of `record` as the page shows it."""
    if record.status == Import.Status.DONE:
        return 100
    from_file = _file_progress(record.pk) if record.status == Import.Status.RUNNING else None
    return max(record.progress, from_file[0] if from_file else 0)


def last_sign_of_life(record: Import) -> datetime:
    """When a running import last reported progress (or started)."""
    times = [record.progress_at or record.created_at]
    from_file = _file_progress(record.pk)
    if from_file:
        times.append(from_file[1])
    return max(times)


def run_tracked(import_id: int, work: Work) -> bool:
    """Run `work(progress)` for the queued Import `import_id`: mark it running, then done,
    or failed with the reason if `work` raises (which re-raises). False, and nothing run,
    when the Import is not queued (a task delivered twice, or an import already done)."""
    if not _start(import_id):
        logger.info("Import %s is not queued: nothing to run", import_id)
        return False
    progress = ProgressWriter(import_id)
    try:
        work(progress)
    except Exception as error:
        _fail(import_id, error)
        raise
    finally:
        progress.close()
    _finish(import_id)
    return True


@transaction.atomic
def _start(import_id: int) -> bool:
    started = Import.objects.filter(pk=import_id, status=Import.Status.QUEUED).update(
        status=Import.Status.RUNNING, progress=0, progress_at=timezone.now()
    )
    return started == 1


@transaction.atomic
def _finish(import_id: int) -> None:
    now = timezone.now()
    # The import service marks its Import done with its counts; work that did not (or
    # kinds that have no counts) is done when it returned.
    Import.objects.filter(pk=import_id, status=Import.Status.RUNNING).update(
        status=Import.Status.DONE, finished_at=now
    )
    Import.objects.filter(pk=import_id).update(progress=100, progress_at=now)


def _language_of(record: Import) -> str:
    person = record.created_by
    return (getattr(person, "language", "") if person else "") or record.workspace.default_language


def failure_message(error: BaseException) -> str:
    """Why the import failed, for the person who imported: a refusal's own words, else a
    sentence naming only the kind of error (details are for the worker's log)."""
    if isinstance(error, ValidationError):
        return _("The import changed nothing: %(reason)s") % {"reason": " ".join(error.messages)}
    return _(
        "The import stopped before it finished (%(reason)s) and changed nothing. Import "
        "the file again; if it fails again, ask whoever runs crewplan to look at the "
        "worker's log."
    ) % {"reason": type(error).__name__}


@transaction.atomic
def _fail(import_id: int, error: BaseException) -> None:
    record = Import.objects.select_related("workspace", "created_by").get(pk=import_id)
    with translation.override(_language_of(record)):
        message = failure_message(error)
    _mark_failed(record, message)


def _mark_failed(record: Import, message: str) -> None:
    Import.objects.filter(
        pk=record.pk, status__in=[Import.Status.QUEUED, Import.Status.RUNNING]
    ).update(status=Import.Status.FAILED, message=message, finished_at=timezone.now())


def recover_stale_imports(
    *, workspace: Workspace | None = None, now: datetime | None = None
) -> int:
    """Mark failed every running import with no sign of life for STALE_AFTER (its worker
    was killed: the database rolled its transaction back); returns how many. The worker
    recovers every workspace's; a page passes its `workspace`."""
    now = now or timezone.now()
    running = Import.objects.filter(status=Import.Status.RUNNING).select_related(
        "workspace", "created_by"
    )
    if workspace is not None:
        running = running.for_workspace(workspace)
    recovered = 0
    for record in running:
        if now - last_sign_of_life(record) < STALE_AFTER:
            continue
        with translation.override(_language_of(record)):
            message = _(
                "The import stopped: its worker was stopped or crashed, and nothing of the "
                "file was saved. Import the file again."
            )
        with transaction.atomic():
            _mark_failed(record, message)
        progress_file(record.pk).unlink(missing_ok=True)
        recovered += 1
    return recovered


@task
def import_file(import_id: int) -> None:
    """A large file's import, in the background worker (see `measure.import_views`)."""
    run_tracked(import_id, lambda progress: run_stored_import(import_id, progress=progress))
