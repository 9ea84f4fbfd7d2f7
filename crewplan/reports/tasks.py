"""Quarterly reports in the background: the reports page queues a Report, `crewplan
worker` runs `run_report` as a task of Django's tasks API (tests and small installs run it
at once: the immediate backend), and the page polls its progress (views.report_progress).
`crewplan report` runs the same `run` in its own process.

How one report runs (the fit's pattern, reallocation/tasks.py): a short update marks the
Report running; every copy (in-house, then one per external team) is built, rendered to
HTML and to PDF in memory, the percent saved after each step (autocommit: nothing else
is written yet, so the page sees it); then ONE transaction (`services.report_store`)
writes every copy, marks the report done and notifies its readers. A worker killed
before or inside that transaction leaves no copy at all, only a Report "running" with no
sign of life: `recover_stale_reports()` marks it failed with a message (the reports page
and `crewplan worker` call it). An exception marks it failed at once and re-raises, so the
task is recorded failed and logged. No retry: the person generates the report again."""

import logging
from datetime import datetime, timedelta

from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crewplan.reports import services
from crewplan.reports.collaboration import parse_quarter
from crewplan.reports.models import Report
from crewplan.reports.report import build_report, render_html, render_pdf
from crewplan.reports.report_queries import audiences
from crewplan.workspaces.models import Workspace

logger = logging.getLogger(__name__)

# A copy takes seconds (docs/benchmarks.md): silent this long while running, its worker
# is gone.
STALE_AFTER = timedelta(minutes=10)


def _progress(report_id: int, percent: int) -> None:
    Report.objects.filter(pk=report_id, status=Report.Status.RUNNING).update(
        progress=max(0, min(99, percent)), progress_at=timezone.now()
    )


def _language_of(record: Report) -> str:
    person = record.created_by
    return (getattr(person, "language", "") if person else "") or record.language


def _fail(record: Report, message: str) -> None:
    Report.objects.filter(
        pk=record.pk, status__in=[Report.Status.QUEUED, Report.Status.RUNNING]
    ).update(status=Report.Status.FAILED, message=message, finished_at=timezone.now())


def produce(record: Report) -> list[services.RenderedCopy]:
    """Every copy of `record`, built and rendered (nothing written but the percent)."""
    workspace = record.workspace
    quarter = parse_quarter(record.quarter, workspace.fiscal_year_start_month)
    teams = audiences(workspace)
    share = 90 // len(teams)
    copies = []
    for n, team_id in enumerate(teams):
        base = 5 + n * share

        def step(percent: int, base: int = base) -> None:
            _progress(record.pk, base + percent * share * 6 // 1000)

        with timezone.override(workspace.time_zone):
            data = build_report(
                workspace,
                quarter,
                language=record.language,
                audience_team_id=team_id,
                progress=step,
            )
            html = render_html(data)
            _progress(record.pk, base + share * 7 // 10)
            pdf = render_pdf(render_html(data, pdf=True))
        _progress(record.pk, base + share)
        copies.append(services.RenderedCopy(team_id, data.to_json(), html, pdf))
    return copies


def run(report_id: int, *, fail_after_copies: int | None = None) -> bool:
    """Generate the queued Report `report_id`; False when it is not queued (delivered
    twice). `fail_after_copies`: a test stands in for a worker killed after writing that
    many copies inside the final transaction."""
    started = Report.objects.filter(pk=report_id, status=Report.Status.QUEUED).update(
        status=Report.Status.RUNNING, progress=5, progress_at=timezone.now()
    )
    if not started:
        logger.info("Report %s is not queued: nothing to run", report_id)
        return False
    record = Report.objects.select_related("workspace", "created_by").get(pk=report_id)
    try:
        copies = produce(record)
        services.report_store(report=record, copies=copies, fail_after_copies=fail_after_copies)
    except Exception as error:
        with translation.override(_language_of(record)):
            _fail(
                record,
                _(
                    "The report stopped before it finished (%(reason)s) and nothing of it "
                    "was kept. Generate it again; if it fails again, ask whoever runs "
                    "crewplan to look at the worker's log."
                )
                % {"reason": type(error).__name__},
            )
        raise
    return True


def recover_stale_reports(
    *, workspace: Workspace | None = None, now: datetime | None = None
) -> int:
    """Mark failed every running report with no sign of life for STALE_AFTER (its worker
    was stopped or crashed: nothing of it was written); returns how many."""
    now = now or timezone.now()
    stale = Report.objects.filter(
        status=Report.Status.RUNNING, progress_at__lt=now - STALE_AFTER
    ).select_related("workspace", "created_by")
    if workspace is not None:
        stale = stale.for_workspace(workspace)
    recovered = 0
    for record in stale:
        with translation.override(_language_of(record)):
            _fail(
                record,
                _(
                    "The report stopped: its worker was stopped or crashed, and nothing of "
                    "it was kept. Generate it again."
                ),
            )
        recovered += 1
    return recovered


@task
def run_report(report_id: int) -> None:
    """A quarterly report's copies, in the background worker."""
    run(report_id)
