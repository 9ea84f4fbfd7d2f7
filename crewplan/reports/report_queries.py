"""Reads of the quarterly reports: who gets which copy, the reports of a quarter with
their sign-offs, the copy a member may read, who is told a report is ready.

A member of an in-house team reads the in-house copy; a member of an external team the
copy made for their team (its amounts and work items cut to what that team may see) and
never another's. Every function here is a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q

from crewplan.raci.models import Activity
from crewplan.reports.collaboration import REVIEW_MEETING_WORDS, FiscalQuarter
from crewplan.reports.models import Report, ReportActionItem, ReportCopy, ReportSignOff
from crewplan.reports.report import ReportAction, ReportData
from crewplan.work.roles import role_book
from crewplan.workspaces.models import Membership, Team, Workspace

# The first weeks of the next quarter: an action turned into a work item is due this many
# days after that quarter starts, unless the person gives a date.
ACTION_DUE_AFTER = timedelta(days=13)


def audiences(workspace: Workspace) -> list[int | None]:
    """The copies a report has: the in-house one (None), then one per external team."""
    external = Team.objects.filter(workspace=workspace, kind=Team.Kind.EXTERNAL).order_by("pk")
    return [None, *external.values_list("pk", flat=True)]


def audience_of(membership: Membership) -> int | None:
    """The copy `membership` reads: None (in-house) or their external team's."""
    return membership.team_id if membership.team.kind == Team.Kind.EXTERNAL else None


@dataclass(frozen=True)
class ReportRow:
    report: Report
    signoffs: list[ReportSignOff]


def reports_of(workspace: Workspace, quarter: FiscalQuarter) -> list[ReportRow]:
    """The quarter's reports, newest first, with their sign-offs (2 queries)."""
    reports = (
        Report.objects.for_workspace(workspace)
        .filter(quarter=quarter.label)
        .select_related("created_by")
        .prefetch_related("signoffs")
    )
    return [ReportRow(r, list(r.signoffs.all())) for r in reports]


def copy_for(report: Report, membership: Membership, *, with_pdf: bool = False) -> ReportCopy:
    """The copy of a finished `report` that `membership` may read (ReportCopy.DoesNotExist
    when there is none: an unfinished report, or a team added after it was made)."""
    copies = ReportCopy.objects.for_workspace(report.workspace).filter(report=report)
    if not with_pdf:
        copies = copies.defer("pdf")
    found = copies.get(audience_team_id=audience_of(membership))
    found.report = report
    return found


def signoffs_of(report: Report) -> list[ReportSignOff]:
    return list(
        ReportSignOff.objects.for_workspace(report.workspace)
        .filter(report=report)
        .select_related("team")
        .order_by("side")
    )


def planned_actions(report: Report) -> dict[str, int | None]:
    """The report's actions already turned into work items: key → item id."""
    rows = ReportActionItem.objects.for_workspace(report.workspace).filter(report=report)
    return dict(rows.values_list("key", "item_id"))


@dataclass(frozen=True)
class ActionRow:
    index: int
    action: ReportAction
    item_id: int | None
    planned: bool


def action_rows(copy: ReportCopy) -> list[ActionRow]:
    """The copy's next actions, each with the work item it became, if it did."""
    planned = planned_actions(copy.report)
    actions = ReportData.from_json(copy.data).actions
    return [ActionRow(i, a, planned.get(a.key), a.key in planned) for i, a in enumerate(actions)]


def review_activity(workspace: Workspace) -> Activity | None:
    """The RACI activity of the regular review (the template's "monthly performance
    review"): the first active activity whose name says review or meeting."""
    words = Q()
    for word in REVIEW_MEETING_WORDS:
        words |= Q(name__icontains=word)
    return Activity.objects.for_workspace(workspace).filter(words, archived_at=None).first()


def readers(workspace: Workspace) -> list[Membership]:
    """Who is told a report is ready: the workspace's owners and the A of the review
    activity (as the matrix gives it, people or a team's leads)."""
    members = Membership.objects.filter(workspace=workspace).select_related("user", "team")
    by_id = {m.pk: m for m in members}
    chosen = {m.pk for m in by_id.values() if m.role == Membership.Role.OWNER}
    activity = review_activity(workspace)
    if activity is not None:
        chosen |= role_book(workspace).by_activity.get(activity.pk, {}).get("A", frozenset())
    return [by_id[pk] for pk in sorted(chosen) if pk in by_id]


def action_due(quarter: FiscalQuarter) -> date:
    """When an action of `quarter`'s report is due unless asked: the next quarter's
    second week."""
    last = quarter.last
    return last + timedelta(days=1) + ACTION_DUE_AFTER


def report_body(html: str) -> str:
    """What is between <body> and </body> of a stored report (ours, rendered by
    `report.render_html`), to show inside the site's page."""
    start = html.find("<body")
    start = html.find(">", start) + 1 if start >= 0 else 0
    end = html.rfind("</body>")
    return html[start : end if end >= 0 else len(html)]
