"""Writes of the reallocation page: asking for a fit, applying a recommendation as a new
re-forecast version of the plan (one transaction, audited; nothing overwritten), and
recording or deleting a lift test's result (what the fits take as experiments)."""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import model_create, only_fields, record, snapshot
from crewplan.lib.dates import in_range
from crewplan.lib.money import decimals, format_money
from crewplan.measure.models import Channel
from crewplan.planning.budget import services as budget_services
from crewplan.planning.budget.queries import MONTH_FIELDS, remaining_for
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.reallocation.models import Fit, LiftTest
from crewplan.reallocation.queries import version_stamp
from crewplan.reallocation.recommend import WhatIf
from crewplan.reallocation.results import recommendation
from crewplan.reallocation.split import by_days, shares
from crewplan.reallocation.tasks import run_fit
from crewplan.reallocation.weekly_queries import weekly_table
from crewplan.workspaces.models import Workspace


@transaction.atomic
def fit_request(
    *,
    workspace: Workspace,
    version: BudgetVersion,
    quarter: int,
    outcome: str,
    outcome_channels: Sequence[int],
    actor: Any,
) -> Fit:
    """Queue a fit of `version`'s quarter; the worker runs it once this commits."""
    if quarter not in (1, 2, 3, 4):
        raise ValidationError(_("Choose a quarter."))
    if outcome not in Fit.Outcome.values:
        raise ValidationError(_("Choose revenue or conversions as the outcome."))
    known = set(
        Channel.objects.for_workspace(workspace)
        .filter(pk__in=list(outcome_channels))
        .values_list("pk", flat=True)
    )
    if len(known) != len(set(outcome_channels)):
        raise ValidationError(_("Choose the outcome's channels from this workspace's channels."))
    fit = Fit.objects.create(
        workspace=workspace,
        version=version,
        quarter=quarter,
        outcome=outcome,
        outcome_channels=sorted(known),
        created_by=actor,
    )
    transaction.on_commit(lambda: run_fit.enqueue(fit.pk))
    return fit


class Stale(ValidationError):
    """The fit or the plan changed since the page was shown: nothing applied."""


@transaction.atomic
def reallocation_apply(
    *, fit: Fit, what_if: WhatIf, stamp: str, name: str, actor: Any, today: date
) -> BudgetVersion:
    """A re-forecast of the fit's version whose remaining months of the quarter put the
    recommended money on the judged channels' media lines (weekly → monthly by days, each
    channel's lines in proportion to their plan in that month). The version itself and
    every line of the channels held at their plan stay as they are. Refused (Stale) when
    the version's lines changed since the page's `stamp`, or the imported figures since
    the fit."""
    version, workspace = fit.version, fit.workspace
    list(BudgetLine.objects.for_workspace(workspace).filter(version=version).select_for_update())
    if version_stamp(version) != stamp:
        raise Stale(
            _(
                "The plan changed since this page was shown. Reload it to see the new "
                "recommendation, then apply again."
            ),
            code="stale_version",
        )
    if fit.status != Fit.Status.DONE:
        raise ValidationError(_("This fit has no result to apply."))
    table = weekly_table(workspace, outcome=fit.outcome, outcome_channels=fit.outcome_channels)
    if table.stamp != fit.data_stamp:
        raise Stale(
            _("New figures were imported since this fit. Fit again before applying."),
            code="stale_fit",
        )
    found = recommendation(fit, today, what_if)
    if not found.plan.months:
        raise ValidationError(_("This quarter is over: there is no month left to change."))
    if found.allocation is None:
        raise ValidationError(found.refusal)
    new = budget_services.version_create(
        workspace=workspace,
        actor=actor,
        fiscal_year=version.fiscal_year,
        name=name,
        based_on=version,
    )
    copies = {
        line.key: line for line in BudgetLine.objects.for_workspace(workspace).filter(version=new)
    }
    keys = dict(
        BudgetLine.objects.for_workspace(workspace).filter(version=version).values_list("pk", "key")
    )
    places, months, days = decimals(workspace.currency), found.plan.months, found.plan.days
    changed: list[BudgetLine] = []
    before: dict[str, dict[str, str]] = {}
    after: dict[str, dict[str, str]] = {}
    judged = {row.name for row in found.rows if row.status == "ok"}
    for spent in found.allocation.channels:
        plan = found.plan.channels.get(spent.name)
        if spent.name not in judged or plan is None:
            continue
        for m, amount in zip(months, by_days(spent.spend, days, places), strict=True):
            lines = list(plan.lines.items())
            parts = shares(amount, [amounts[m - 1] for _pk, amounts in lines], places)
            for (pk, amounts), part in zip(lines, parts, strict=True):
                line = copies[keys[pk]]
                field = MONTH_FIELDS[m - 1]
                before.setdefault(line.item, {})[field] = str(amounts[m - 1])
                after.setdefault(line.item, {})[field] = str(part)
                setattr(line, field, part)
                changed.append(line)
    BudgetLine.objects.bulk_update(set(changed), MONTH_FIELDS)
    left = remaining_for(new, None, today=today)
    if left is not None and left < 0:
        # A larger what-if total than the year's original plan allows: as a line would be.
        raise ValidationError(
            _(
                "This recommendation spends %(over)s more than the year's original plan "
                "leaves. Lower the total and apply again."
            )
            % {"over": format_money(-left, workspace.currency)}
        )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.REALLOCATION_APPLIED,
        target=new,
        before={"version": version.number, "lines": before},
        after={"version": new.number, "fit": fit.pk, "quarter": fit.quarter, "lines": after},
    )
    return new


# Lift tests.

LIFT_TEST_FIELDS = (
    "channel",
    "outcome",
    "first_day",
    "last_day",
    "spend_change",
    "incremental",
    "standard_error",
    "note",
)
# Sane limits: an amount below a trillion (the columns' 14 digits with 2 decimals), a test
# of at most a year (an experiment runs weeks; a year-long "test" is the data itself).
MAX_AMOUNT = Decimal(10) ** 12
MAX_LIFT_TEST_DAYS = 366


def lift_test_problems(workspace: Workspace, data: Mapping[str, Any]) -> dict[str, list[str]]:
    """What no lift test may be, by field (empty: none): a channel of another workspace,
    an outcome other than revenue or conversions, dates outside 1990–2100 or in the wrong
    order or more than a year apart, a spend change of 0, a standard error of 0 or less,
    an amount that is not finite or not below a trillion."""
    problems: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        problems.setdefault(name, []).append(message)

    channel = data.get("channel")
    if not isinstance(channel, Channel) or channel.workspace_id != workspace.pk:
        add("channel", _("Choose a channel of this workspace."))
    if data.get("outcome") not in Fit.Outcome.values:
        add("outcome", _("Choose revenue or conversions as the outcome."))
    first, last = data.get("first_day"), data.get("last_day")
    for name, day in (("first_day", first), ("last_day", last)):
        if not isinstance(day, date) or not in_range(day):
            add(name, _("Enter a date between 1990-01-01 and 2100-12-31."))
    if isinstance(first, date) and isinstance(last, date) and "first_day" not in problems:
        if last < first:
            add("last_day", _("The last day is before the first day."))
        elif last - first > timedelta(days=MAX_LIFT_TEST_DAYS):
            add("last_day", _("A lift test runs at most a year: enter its first and last day."))
    for name in ("spend_change", "incremental", "standard_error"):
        value = data.get(name)
        if not isinstance(value, Decimal) or not value.is_finite() or abs(value) >= MAX_AMOUNT:
            add(name, _("Enter a number below a trillion."))
        elif name == "spend_change" and value == 0:
            add(name, _("Enter the change of the weekly spend during the test (not 0)."))
        elif name == "standard_error" and value <= 0:
            add(name, _("Enter a standard error above 0."))
    return problems


@transaction.atomic
def lift_test_add(*, workspace: Workspace, actor: Any, data: Mapping[str, Any]) -> LiftTest:
    """Record a lift test's result (every one of LIFT_TEST_FIELDS); ValidationError by
    field, nothing saved, when `lift_test_problems` finds any."""
    only_fields(data, LIFT_TEST_FIELDS)
    problems = lift_test_problems(workspace, data)
    if problems or set(data) != set(LIFT_TEST_FIELDS):
        raise ValidationError(problems or _("Fill in every field of the lift test."))
    return model_create(
        instance=LiftTest(workspace=workspace, created_by=actor, **data),
        fields=LIFT_TEST_FIELDS,
        actor=actor,
        action=AuditAction.REALLOCATION_LIFT_TEST_ADDED,
        exclude=["workspace", "channel", "created_by"],
    )


@transaction.atomic
def lift_test_delete(*, workspace: Workspace, actor: Any, lift_test: LiftTest) -> None:
    """Delete a lift test of `workspace`; fits already made keep what they used."""
    current = (
        LiftTest.objects.for_workspace(workspace)
        .select_for_update()
        .filter(pk=lift_test.pk)
        .select_related("channel")
        .first()
    )
    if current is None:
        raise ValidationError(_("This lift test was deleted already."))
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.REALLOCATION_LIFT_TEST_DELETED,
        target=current,
        before=snapshot(current, LIFT_TEST_FIELDS),
    )
    current.delete()
