"""Writes of the quarterly reports: asking for one, storing its copies (one transaction,
with the readers' notifications), a side's sign-off, and turning one of its next actions
into a work item. Each is one transaction with its audit row."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crewplan.audit.actions import AuditAction
from crewplan.audit.services import record
from crewplan.lib.dates import FIRST_DAY, LAST_DAY, in_range
from crewplan.raci.models import Activity
from crewplan.reports.collaboration import FiscalQuarter, parse_quarter
from crewplan.reports.models import Report, ReportActionItem, ReportCopy, ReportSignOff
from crewplan.reports.report import ReportData
from crewplan.reports.report_queries import action_due, readers, review_activity
from crewplan.work import services as work_services
from crewplan.work.models import Notification, WorkItem
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.permissions import Action, TeamTarget

LANGUAGES = ("zh-hant", "en")


class Interrupted(Exception):
    """Raised by `report_store` after `fail_after_copies` copies are written: a test stands
    in for a worker killed inside the final transaction."""


@dataclass(frozen=True)
class RenderedCopy:
    audience_team_id: int | None
    data: dict[str, Any]  # ReportData.to_json()
    html: str
    pdf: bytes


@transaction.atomic
def report_request(
    *,
    workspace: Workspace,
    quarter: FiscalQuarter,
    language: str,
    actor: Any,
    background: bool = True,
) -> Report:
    """Queue a new report of `quarter` (the older ones stay as they are); the worker runs
    it once this commits (`background`), or the caller runs `tasks.run` itself (the CLI)."""
    if language not in LANGUAGES:
        raise ValidationError(_("Choose Chinese or English for the report."))
    report = Report.objects.create(
        workspace=workspace,
        quarter=quarter.label,
        language=language,
        created_by=actor if actor is not None and actor.pk else None,
    )
    record(
        workspace=workspace,
        actor=actor,
        action=AuditAction.REPORT_REQUESTED,
        target=report,
        after={"quarter": quarter.label, "language": language},
    )
    if background:
        # Imported here: the task module stores its result through this one.
        from crewplan.reports.tasks import run_report

        transaction.on_commit(lambda: run_report.enqueue(report.pk))
    return report


@transaction.atomic
def report_store(
    *, report: Report, copies: list[RenderedCopy], fail_after_copies: int | None = None
) -> bool:
    """Write every copy, mark the report done and tell its readers, all at once; False
    (nothing written) when the report is no longer running (marked failed meanwhile)."""
    locked = Report.objects.select_for_update().filter(pk=report.pk).first()
    if locked is None or locked.status != Report.Status.RUNNING:
        return False
    workspace = report.workspace
    for n, copy in enumerate(copies):
        if fail_after_copies is not None and n >= fail_after_copies:
            raise Interrupted(f"stopped after {n} copies")
        ReportCopy.objects.create(
            workspace=workspace,
            report=report,
            audience_team_id=copy.audience_team_id,
            data=copy.data,
            html=copy.html,
            pdf=copy.pdf,
        )
    now = timezone.now()
    Report.objects.filter(pk=report.pk).update(
        status=Report.Status.DONE, progress=100, progress_at=now, finished_at=now, message=""
    )
    notes = Notification.objects.bulk_create(
        Notification(
            workspace=workspace,
            recipient=member.user,
            kind=Notification.Kind.REPORT_READY,
            actor_label=report.created_by.display_name if report.created_by else "",
        )
        for member in readers(workspace)
    )
    # E-mailed like every notification (work.services.notify): at once to those who want
    # it, after the commit; the daily digest takes the others.
    immediate = [n.pk for n in notes if n.recipient.email_notifications == "immediate"]
    if immediate:
        transaction.on_commit(
            lambda: work_services.email_notifications.enqueue(immediate), robust=True
        )
    return True


@transaction.atomic
def report_sign_off(*, report: Report, membership: Membership) -> ReportSignOff:
    """`membership`'s team marks the finished report reviewed for its side (in-house or
    external); one sign-off per side."""
    team: Team = membership.team
    if not can(membership, Action.SIGN_OFF_REPORT, TeamTarget(team.pk)):
        raise work_services.Forbidden
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if locked.status != Report.Status.DONE:
        raise ValidationError(_("Only a finished report can be marked reviewed."))
    side = ReportSignOff.Side(team.kind)
    if ReportSignOff.objects.for_workspace(report.workspace).filter(report=report, side=side):
        raise ValidationError(
            _("The %(side)s side has already marked this report reviewed.") % {"side": side.label}
        )
    signed = ReportSignOff.objects.create(
        workspace=report.workspace,
        report=report,
        side=side,
        team=team,
        user=membership.user,
        user_label=membership.user.display_name,
    )
    record(
        workspace=report.workspace,
        actor=membership.user,
        action=AuditAction.REPORT_SIGNED_OFF,
        target=report,
        after={"team": team.name, "side": side.value, "quarter": report.quarter},
    )
    return signed


def _activity_for(workspace: Workspace, activity_id: int | None) -> Activity | None:
    """The action's RACI activity when it is this workspace's and active, else the review
    activity: the item is assigned through the matrix like any other."""
    if activity_id is not None:
        found = (
            Activity.objects.for_workspace(workspace)
            .filter(pk=activity_id, archived_at=None)
            .first()
        )
        if found is not None:
            return found
    return review_activity(workspace)


@transaction.atomic
def report_action_plan(
    *, copy: ReportCopy, index: int, membership: Membership, due_on: date | None = None
) -> WorkItem:
    """Turn action `index` of the copy `membership` reads into a work item on its RACI
    activity, due `due_on` or in the next quarter's second week. Refused for an action
    already turned into an item (from any copy of the report)."""
    if not can(membership, Action.PLAN_REPORT_ACTION):
        raise work_services.Forbidden
    if due_on is not None and not in_range(due_on):
        raise ValidationError(
            _("Choose a due date from %(first)s to %(last)s.")
            % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()}
        )
    report, workspace = copy.report, copy.workspace
    Report.objects.select_for_update().filter(pk=report.pk).first()
    actions = ReportData.from_json(copy.data).actions
    if not 0 <= index < len(actions):
        raise ValidationError(_("This report has no such action."))
    action = actions[index]
    done = ReportActionItem.objects.for_workspace(workspace).filter(report=report, key=action.key)
    if done.exists():
        raise ValidationError(_("This action is already a work item."))
    quarter = parse_quarter(report.quarter, workspace.fiscal_year_start_month)
    item = work_services.item_create(
        workspace=workspace,
        membership=membership,
        data={
            "title": action.title[:200],
            "kind": WorkItem.Kind.OTHER,
            "channel": WorkItem.Channel.OTHER,
            "activity": _activity_for(workspace, action.activity_id),
            "brief": action.detail,
            "due_on": due_on or action_due(quarter),
        },
    )
    try:
        with transaction.atomic():
            ReportActionItem.objects.create(
                workspace=workspace,
                report=report,
                index=index,
                key=action.key,
                item=item,
                created_by=membership.user,
            )
    except IntegrityError as error:  # the same action, at the same moment
        raise ValidationError(_("This action is already a work item.")) from error
    record(
        workspace=workspace,
        actor=membership.user,
        action=AuditAction.REPORT_ACTION_PLANNED,
        target=report,
        after={"action": action.key, "item": item.pk, "due_on": str(item.due_on)},
    )
    return item
