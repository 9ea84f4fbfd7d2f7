"""Writes to the budget plan: versions and lines (keyword-only, one transaction each,
audited)."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import model_create, model_update, only_fields, record, snapshot
from crewplan.lib.money import format_money
from crewplan.measure.actuals import ZERO_MONTHS, Actuals, version_actuals
from crewplan.planning.budget.plan import ZERO
from crewplan.planning.budget.queries import MONTH_FIELDS, forecast, months_past, remaining_for
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.planning.tools.services import check_related
from crewplan.workspaces.models import Workspace

LINE_FIELDS = (
    "category",
    "item",
    "tool",
    "goal",
    "kpi",
    "channel",
    "owner",
    "committed",
    *MONTH_FIELDS,
)
# A stale line form names the twelve months as one.
LINE_LABELS = {name: gettext_lazy("amounts") for name in MONTH_FIELDS}


@transaction.atomic
def version_create(
    *,
    workspace: Workspace,
    actor: Any,
    fiscal_year: int,
    name: str,
    based_on: BudgetVersion | None = None,
) -> BudgetVersion:
    """A new version of the year's plan, copying the lines of `based_on` (a re-forecast)."""
    if based_on is not None and (
        based_on.workspace_id != workspace.pk or based_on.fiscal_year != fiscal_year
    ):
        raise ValidationError(_("A re-forecast starts from a version of the same year."))
    if not name.strip():
        raise ValidationError(_("Name the version, e.g. “Q2 re-forecast”."))
    last = (
        BudgetVersion.objects.for_workspace(workspace)
        .filter(fiscal_year=fiscal_year)
        .aggregate(n=Max("number"))
    )
    version = BudgetVersion(
        workspace=workspace,
        fiscal_year=fiscal_year,
        number=(last["n"] or 0) + 1,
        name=name.strip(),
        based_on=based_on,
        created_by=actor,
    )
    version.full_clean(exclude=["workspace", "based_on", "created_by"])
    version.save()
    if based_on is not None:
        copies = []
        for line in BudgetLine.objects.for_workspace(workspace).filter(version=based_on):
            line.pk = None  # the copy keeps the line's `key`: its expenses count for it too
            line.version = version
            copies.append(line)
        BudgetLine.objects.bulk_create(copies)
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.PLANNING_BUDGET_VERSION_CREATED,
        target=version,
        after={
            "fiscal_year": fiscal_year,
            "name": version.name,
            "based_on": based_on.number if based_on else None,
        },
    )
    return version


class OverRemaining(ValidationError):
    """A line of a later version whose forecast is more than the year's original plan
    leaves for it; saved only when the caller says so (`allow_over`). `past`: the months
    already over, which count at their actuals."""

    def __init__(self, *, planned: Decimal, left: Decimal, currency: str, past: int = 0) -> None:
        self.planned, self.left = planned, left
        amounts = {"planned": format_money(planned, currency), "left": format_money(left, currency)}
        if past:
            message = ngettext(
                "This line's forecast is %(planned)s (its actual for the month already past, "
                "its plan for the rest), but the year's original plan leaves %(left)s for it "
                "after the other lines' forecasts. Tick the box to save it anyway.",
                "This line's forecast is %(planned)s (its actuals for the %(past)s months "
                "already past, its plan for the rest), but the year's original plan leaves "
                "%(left)s for it after the other lines' forecasts. Tick the box to save it "
                "anyway.",
                past,
            ) % (amounts | {"past": past})
        else:
            message = (
                _(
                    "This line plans %(planned)s, but the year's original plan leaves %(left)s "
                    "for it. Tick the box to save it anyway."
                )
                % amounts
            )
        super().__init__(message, code="over_remaining")


def _check_remaining(
    version: BudgetVersion, line: BudgetLine | None, fields: Mapping[str, Any], today: date
) -> None:
    """OverRemaining when the line as it would be saved forecasts more than what remains:
    in a re-forecast the months already past count at their actuals, the rest at plan."""
    amounts = [fields[n] if n in fields else getattr(line, n, None) or ZERO for n in MONTH_FIELDS]
    past = months_past(version.workspace, version.fiscal_year, today)
    actuals = version_actuals(version) if past else Actuals()
    left = remaining_for(version, line, today=today, actuals=actuals)
    if left is None:
        return
    own = actuals.of(line.pk) if line is not None and line.pk else ZERO_MONTHS
    planned = forecast(amounts, own, past)
    if planned > left:
        raise OverRemaining(
            planned=planned, left=left, currency=version.workspace.currency, past=past
        )


@transaction.atomic
def line_save(
    *,
    version: BudgetVersion,
    actor: Any,
    line: BudgetLine | None = None,
    revision: int | None = None,
    allow_over: bool = False,
    today: date | None = None,
    data: Mapping[str, Any],
) -> BudgetLine:
    """Add a line to `version`, or change one that is still at `revision` (else
    audit.Conflict). A line of a later version may plan at most what the year's original
    plan leaves for it (else OverRemaining) unless `allow_over`; its forecast counts the
    months before `today`'s (default: the workspace's today) at their actuals. A channel
    is for media lines only. `data`: the LINE_FIELDS to set (a change sets only those
    given)."""
    workspace = version.workspace
    check_related(workspace, only_fields(data, LINE_FIELDS))
    amounts = [data[n] for n in (*MONTH_FIELDS, "committed") if n in data]
    if any(a is not None and a < 0 for a in amounts):
        raise ValidationError(_("Amounts cannot be negative."))
    category = data.get("category", line.category if line is not None else None)
    channel = data["channel"] if "channel" in data else getattr(line, "channel_id", None)
    if channel is not None and category != BudgetLine.CategoryChoices.MEDIA:
        raise ValidationError(_("Only media spend lines have a channel."))
    if not allow_over:
        _check_remaining(version, line, data, today or timezone.localdate())
    if line is not None:
        saved, _after = model_update(
            instance=line,
            fields=LINE_FIELDS,
            data=data,
            revision=revision,
            actor=actor,
            action=AuditAction.PLANNING_BUDGET_LINE_SAVED,
            labels=LINE_LABELS,
        )
        return saved
    last = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version)
        .aggregate(p=Max("position"))
    )
    return model_create(
        instance=BudgetLine(
            workspace=workspace, version=version, position=(last["p"] or 0) + 1, **data
        ),
        fields=LINE_FIELDS,
        actor=actor,
        action=AuditAction.PLANNING_BUDGET_LINE_SAVED,
        exclude=["workspace", "version"],
    )


@transaction.atomic
def line_delete(*, line: BudgetLine, actor: Any) -> None:
    record(
        workspace=line.workspace,
        actor=actor,
        action=AuditAction.PLANNING_BUDGET_LINE_DELETED,
        target=line,
        before=snapshot(line, LINE_FIELDS),
    )
    line.delete()
