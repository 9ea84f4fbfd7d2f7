"""Fits in the background: the page queues a Fit, `crewplan worker` runs `run_fit` as a
task of Django's tasks API (tests and small installs run it at once: the immediate
backend), and the page polls its progress (views.fit_progress).

A fit writes nothing but its own row, so unlike an import it runs in no long
transaction: each step's percent is saved at once (autocommit) and the page sees it.
The fit core has no callback of its own, so the steps are coarse: started, the weekly
table read, fitted, stored. A worker killed mid-fit leaves its Fit "running" with no sign
of life: `recover_stale_fits()` marks it failed with a message (the page calls it before
showing fits; `crewplan worker` recovers imports the same way). No retry: the person
starts the fit again.

The workspace's lift tests (reallocation.models.LiftTest) go into the fit when their
outcome is the fit's, their channel a column of the weekly table and their weeks inside
it; the others, and those the fit cannot use (a channel it leaves out), are listed in the
CURVES document's fit section with the reason (`lift_tests_unused`), never failing the
fit."""

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from crewplan.measure import optimize_messages
from crewplan.optimize import document
from crewplan.optimize.curves import geometric_adstock
from crewplan.optimize.fit import FitResult, LiftTest, Outcome, UnusableData, fit
from crewplan.optimize.lift_file import week_index
from crewplan.reallocation.models import Fit
from crewplan.reallocation.models import LiftTest as LiftTestRow
from crewplan.reallocation.weekly_queries import WeeklyTable, weekly_table
from crewplan.workspaces.models import Workspace

logger = logging.getLogger(__name__)

# A fit takes seconds (docs/benchmarks.md); silent this long while running, its worker
# is gone.
STALE_AFTER = timedelta(minutes=5)


def _progress(fit_id: int, percent: int) -> None:
    Fit.objects.filter(pk=fit_id, status=Fit.Status.RUNNING).update(
        progress=percent, progress_at=timezone.now()
    )


def _language_of(record: Fit) -> str:
    person = record.created_by
    return (getattr(person, "language", "") if person else "") or record.workspace.default_language


def _fail(record: Fit, message: str) -> None:
    Fit.objects.filter(pk=record.pk, status__in=[Fit.Status.QUEUED, Fit.Status.RUNNING]).update(
        status=Fit.Status.FAILED, message=message, finished_at=timezone.now()
    )


def _described(row: LiftTestRow, code: str, **params: str) -> dict[str, Any]:
    """A lift test as the fit section lists it, with why it was not used (`code`)."""
    return {
        "id": row.pk,
        "channel": row.channel.name,
        "first_day": row.first_day.isoformat(),
        "last_day": row.last_day.isoformat(),
        "code": code,
        "params": params,
    }


def lift_tests_for(
    record: Fit, table: WeeklyTable
) -> tuple[list[tuple[LiftTestRow, LiftTest]], list[dict[str, Any]]]:
    """The workspace's lift tests the fit can take, each with its row and as the core's
    `LiftTest` (weeks as indices into the table's), and those it cannot with the reason:
    another outcome, a channel that is no column of the weekly table (not paid, or no
    spend), weeks not all inside the table's."""
    usable: list[tuple[LiftTestRow, LiftTest]] = []
    unused: list[dict[str, Any]] = []
    rows = LiftTestRow.objects.for_workspace(record.workspace).select_related("channel")
    weeks = table.weeks
    window = (
        {"first": weeks[0].isoformat(), "last": (weeks[-1] + timedelta(days=6)).isoformat()}
        if weeks
        else {"first": "", "last": ""}
    )
    for row in rows.order_by("first_day", "pk"):
        name = row.channel.name
        start, end = week_index(row.first_day, table.weeks), week_index(row.last_day, table.weeks)
        if row.outcome != record.outcome:
            unused.append(_described(row, "other_outcome", outcome=row.outcome))
        elif table.channel_ids.get(name) != row.channel_id:
            unused.append(_described(row, "channel_not_in_data"))
        elif start is None or end is None:
            unused.append(_described(row, "outside_data", **window))
        else:
            core = LiftTest(
                name,
                start,
                end,
                float(row.spend_change),
                float(row.incremental),
                float(row.standard_error),
            )
            usable.append((row, core))
    return usable, unused


def _fit_with(
    table: WeeklyTable, kind: Outcome, tests: list[tuple[LiftTestRow, LiftTest]]
) -> tuple[FitResult, list[dict[str, Any]]]:
    """The fit with every lift test it takes; a test it refuses (UnusableData naming the
    test: its channel left out of the model, its weeks or values) is dropped with the
    reason and the fit made again (the core checks its tests before it fits)."""
    spend, outcome, controls = table.floats()
    dropped: list[dict[str, Any]] = []
    while True:
        try:
            result = fit(
                spend,
                outcome,
                controls=controls,
                outcome_kind=kind,
                lift_tests=[core for _row, core in tests],
            )
        except UnusableData as error:
            number = error.params.get("test")
            if not error.code.startswith("lift_test") or not isinstance(number, int):
                raise
            if not 1 <= number <= len(tests):
                raise
            row, _core = tests.pop(number - 1)
            code = "channel_not_modelled" if error.code == "lift_test_channel" else error.code
            dropped.append(_described(row, code))
            continue
        return result, dropped


def curves_document(
    result: FitResult,
    table: WeeklyTable,
    currency: str,
    lift_tests_used: Sequence[LiftTestRow] = (),
    lift_tests_unused: Sequence[dict[str, Any]] = (),
) -> dict[str, Any]:
    """The CURVES document as `crewplan fit --json` writes it (reasons as codes: the page
    words them in the reader's language), with each channel's carried-over weekly spend
    (`observed`, the chart's points) and the workspace's lift tests the fit took (their
    ids) and did not (each with its reason's code)."""
    observed = {
        curve.name: [
            round(float(v), 2)
            for v in geometric_adstock(
                [float(x) for x in table.spend[curve.name]], curve.decay, curve.max_lag
            )
        ]
        for curve in result.curves
    }
    fit_document = result.summary.as_document() | {
        "first_week": table.weeks[0].isoformat(),
        "last_week": table.weeks[-1].isoformat(),
        "not_judged": [
            {"name": name, "code": reason.code, "params": dict(reason.params)}
            for name, reason in result.reasons.items()
        ],
        # Judged channels whose ROI (the return from zero) is not known: moved only
        # within the spend the data saw (their min and max).
        "roi_unknown": [
            {"name": name, "code": reason.code, "params": dict(reason.params)}
            for name, reason in result.roi_unknown.items()
        ],
        "observed": observed,
        "lift_tests_used": [row.pk for row in lift_tests_used],
        "lift_tests_unused": list(lift_tests_unused),
        # The last weeks' spend per channel: the carry-over into the week-by-week plan.
        "recent_spend": {
            curve.name: [float(x) for x in table.spend[curve.name][-curve.max_lag :]]
            if curve.max_lag
            else []
            for curve in result.curves
        },
    }
    curves = document.Curves(channels=result.curves, currency=currency, fit=fit_document)
    return document.dump(curves)


def run(fit_id: int) -> bool:
    """Fit the queued Fit `fit_id`; False when it is not queued (delivered twice)."""
    started = Fit.objects.filter(pk=fit_id, status=Fit.Status.QUEUED).update(
        status=Fit.Status.RUNNING, progress=5, progress_at=timezone.now()
    )
    if not started:
        logger.info("Fit %s is not queued: nothing to run", fit_id)
        return False
    record = Fit.objects.select_related("workspace", "created_by").get(pk=fit_id)
    try:
        table = weekly_table(
            record.workspace, outcome=record.outcome, outcome_channels=record.outcome_channels
        )
        usable, unused = lift_tests_for(record, table)
        _progress(fit_id, 20)
        kind: Outcome = "conversions" if record.outcome == "conversions" else "revenue"
        result, dropped = _fit_with(table, kind, usable)
        _progress(fit_id, 90)
        curves = curves_document(
            result,
            table,
            record.workspace.currency,
            lift_tests_used=[row for row, _core in usable],
            lift_tests_unused=unused + dropped,
        )
    except UnusableData as error:
        with translation.override(_language_of(record)):
            _fail(
                record,
                _("The data cannot be fitted: %(reason)s.")
                % {"reason": optimize_messages.unusable(error)},
            )
        return True
    except Exception as error:
        with translation.override(_language_of(record)):
            _fail(
                record,
                _(
                    "The fit stopped before it finished (%(reason)s). Start it again; if it "
                    "fails again, ask whoever runs crewplan to look at the worker's log."
                )
                % {"reason": type(error).__name__},
            )
        raise
    with transaction.atomic():
        Fit.objects.filter(pk=fit_id, status=Fit.Status.RUNNING).update(
            status=Fit.Status.DONE,
            progress=100,
            progress_at=timezone.now(),
            finished_at=timezone.now(),
            curves=curves,
            data_stamp=table.stamp,
        )
    return True


def recover_stale_fits(*, workspace: Workspace, now: datetime | None = None) -> int:
    """Mark failed every running fit of `workspace` with no sign of life for STALE_AFTER
    (its worker was stopped or crashed); returns how many."""
    now = now or timezone.now()
    stale = (
        Fit.objects.for_workspace(workspace)
        .filter(status=Fit.Status.RUNNING, progress_at__lt=now - STALE_AFTER)
        .select_related("workspace", "created_by")
    )
    recovered = 0
    for record in stale:
        with translation.override(_language_of(record)):
            _fail(
                record,
                _("The fit stopped: its worker was stopped or crashed. Start the fit again."),
            )
        recovered += 1
    return recovered


@task
def run_fit(fit_id: int) -> None:
    """A fit of the channels' response curves, in the background worker."""
    run(fit_id)
