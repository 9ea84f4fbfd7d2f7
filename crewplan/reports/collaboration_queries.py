"""A quarter of the workspace read into the collaboration check's `Facts`
(`reports/collaboration.py`) in a fixed number of queries whatever the amount of data,
and the findings as the page shows them.

The work items and their history are the team scorecards' (`measure/scorecard_queries`),
the roles of each item the work app's (`work/roles.role_book`), the matrix's findings
the RACI check's, the skills gap the resources page's (`planning/tools/queries`)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from crewplan.measure.models import ToolReview
from crewplan.measure.scorecard_queries import period_items, working_calendar
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion, Goal, Kpi, KpiTarget
from crewplan.planning.tools.queries import gaps_for
from crewplan.raci.queries import live_matrix, matrix_from_snapshot, rules_for
from crewplan.raci.validation import validate
from crewplan.reports import collaboration, messages
from crewplan.reports.collaboration import (
    REVIEW_MEETING_WORDS,
    Approval,
    Facts,
    Finding,
    FiscalQuarter,
    KpiFacts,
    Meeting,
    RaciFinding,
    Ref,
    ToolFacts,
    ToolMonth,
    UnreadPile,
    WorkFacts,
)
from crewplan.reports.messages import Worded
from crewplan.reports.models import ReviewSettings
from crewplan.work.models import Comment, Notification, Transition, WorkItem
from crewplan.work.queries import day_bounds, local_day, visible_items
from crewplan.work.roles import effective_version, role_book
from crewplan.workspaces.access import can
from crewplan.workspaces.models import Membership, Workspace
from crewplan.workspaces.permissions import Action

APPROVE = "approve"
# Steps an approver takes over the copy's content-check errors (work/workflow.py's gate:
# on submit the R explains them instead, which is no override).
OVERRIDING = ("approve", "schedule", "publish")
ACTIVE = (AiTool.Status.PILOT, AiTool.Status.ACTIVE)


def _raci(workspace: Workspace) -> tuple[bool, tuple[RaciFinding, ...]]:
    """The check's findings on the matrix work items take their roles from (the
    published version, else the draft). 5 queries at most."""
    version = effective_version(workspace)
    if version is None:
        return False, ()
    version.workspace = workspace
    if version.snapshot is not None:
        matrix = matrix_from_snapshot(version.snapshot)[0]
    else:
        matrix = live_matrix(version)[0]
    names = {a.key: a.name for a in matrix.activities}
    return True, tuple(
        RaciFinding(f.code, Ref(int(f.activity), names[f.activity]) if f.activity else None)
        for f in validate(matrix, rules_for(workspace))
    )


def _work(workspace: Workspace, quarter: FiscalQuarter) -> tuple[list[WorkFacts], dict[int, str]]:
    """The quarter's items with their history, roles, links, comments and approvals.
    13 queries (7 of them the scorecards')."""
    histories = period_items(workspace, quarter.first, quarter.last)
    ids = [h.id for h in histories]
    items = {
        item.pk: item
        for item in WorkItem.objects.for_workspace(workspace)
        .filter(pk__in=ids)
        .select_related("activity", "budget_line")
    }
    book = role_book(workspace, list(items.values()))
    by_user = {m.user_id: m.pk for m in book.members.values()}
    comments = dict(
        Comment.objects.for_workspace(workspace)
        .filter(item_id__in=ids)
        .values_list("item_id")
        .annotate(n=Count("pk"))
        .values_list("item_id", "n")
    )
    approvals: dict[int, list[Approval]] = {pk: [] for pk in ids}
    overrides: dict[int, int] = dict.fromkeys(ids, 0)
    steps = (
        Transition.objects.for_workspace(workspace)
        .filter(item_id__in=ids, action__in=OVERRIDING)
        .order_by("at", "pk")
        .values_list("item_id", "action", "actor_id", "note", "check_errors")
    )
    for item_id, action, actor_id, note, errors in steps:
        if action == APPROVE:
            approvals[item_id].append(Approval(by_user.get(actor_id), bool(note.strip())))
        if errors:
            overrides[item_id] += 1
    facts = []
    for history in histories:
        item = items[history.id]
        line = item.budget_line
        linked = item.goal_id is not None or (
            line is not None and (line.goal_id is not None or line.kpi_id is not None)
        )
        facts.append(
            WorkFacts(
                history=history,
                title=item.title,
                activity=Ref(item.activity.pk, item.activity.name) if item.activity else None,
                accountable=book.of(item)["A"],
                overridden=tuple(sorted(book.overrides.get(item.pk, {}))),
                linked=linked,
                comments=comments.get(item.pk, 0),
                approvals=tuple(approvals[item.pk]),
                check_overrides=overrides[item.pk],
            )
        )
    people = {pk: m.user.display_name for pk, m in book.members.items()}
    return facts, people


def _unread(
    workspace: Workspace, quarter: FiscalQuarter, days: int, now: datetime
) -> tuple[UnreadPile, ...]:
    """Per person, the notifications of the quarter still unread `days` after they came
    (1 query)."""
    start, end = day_bounds(quarter.first, quarter.last)
    rows = (
        Notification.objects.for_workspace(workspace)
        .filter(created_at__gte=start, created_at__lt=min(end, now - timedelta(days=days)))
        .filter(read_at__isnull=True)
        .values_list("recipient_id", "recipient__full_name", "recipient__email")
        .annotate(n=Count("pk"))
        .order_by("-n", "recipient_id")
    )
    return tuple(UnreadPile(Ref(pk, name or email), n) for pk, name, email, n in rows)


def _meetings(workspace: Workspace, quarter: FiscalQuarter) -> tuple[Meeting, ...]:
    """Calendar items of the quarter whose title or activity names a review (1 query)."""
    start, end = day_bounds(quarter.first, quarter.last)
    words = Q()
    for word in REVIEW_MEETING_WORDS:
        words |= Q(title__icontains=word) | Q(activity__name__icontains=word)
    items = (
        WorkItem.objects.for_workspace(workspace)
        .filter(
            Q(publish_at__gte=start, publish_at__lt=end)
            | Q(publish_at__isnull=True, due_on__gte=quarter.first, due_on__lte=quarter.last)
        )
        .filter(words)
        .select_related("activity")
    )
    meetings = []
    for item in items:
        day = local_day(item)
        if day is not None:
            name = item.activity.name if item.activity else ""
            meetings.append(Meeting(item.pk, item.title, name, day))
    return tuple(meetings)


def _unlinked_lines(workspace: Workspace, quarter: FiscalQuarter) -> tuple[Ref, ...]:
    """Lines of the fiscal year's newest budget version with no goal, no KPI and no tool
    that has a KPI (2 queries)."""
    version = (
        BudgetVersion.objects.for_workspace(workspace)
        .filter(fiscal_year=quarter.year)
        .order_by("-number")
        .first()
    )
    if version is None:
        return ()
    lines = (
        BudgetLine.objects.for_workspace(workspace)
        .filter(version=version, goal__isnull=True, kpi__isnull=True)
        .filter(Q(tool__isnull=True) | Q(tool__kpi__isnull=True))
        .order_by("position", "pk")
    )
    return tuple(Ref(line.pk, line.item) for line in lines)


def _kpis(workspace: Workspace, quarter: FiscalQuarter) -> tuple[KpiFacts, ...]:
    """Every KPI, and whether it has a target for the quarter: a monthly or quarterly
    target starting in it, or a goal's target with a deadline not before it (3 queries)."""
    targeted = set(
        KpiTarget.objects.for_workspace(workspace)
        .filter(starts__gte=quarter.first, starts__lte=quarter.last)
        .values_list("kpi_id", flat=True)
    )
    targeted |= set(
        Goal.objects.for_workspace(workspace)
        .filter(kpi__isnull=False, target__isnull=False)
        .filter(Q(deadline__isnull=True) | Q(deadline__gte=quarter.first))
        .values_list("kpi_id", flat=True)
    )
    return tuple(
        KpiFacts(Ref(k.pk, k.name), k.pk in targeted)
        for k in Kpi.objects.for_workspace(workspace).order_by("name", "pk")
    )


def _tools(workspace: Workspace, quarter: FiscalQuarter) -> tuple[ToolFacts, ...]:
    """Pilot and active tools with their reviews of the quarter's months and the people
    able to use them (4 queries)."""
    tools = list(
        AiTool.objects.for_workspace(workspace).filter(status__in=ACTIVE).order_by("name", "pk")
    )
    gaps = gaps_for(workspace, tools)
    months: dict[int, list[ToolMonth]] = {t.pk: [] for t in tools}
    reviews = (
        ToolReview.objects.for_workspace(workspace)
        .filter(tool__in=[t.pk for t in tools], month__in=quarter.months)
        .order_by("month")
        .values_list("tool_id", "month", "active_seats", "satisfaction")
    )
    for tool_id, month, seats, satisfaction in reviews:
        months[tool_id].append(ToolMonth(month, seats, satisfaction))
    return tuple(
        ToolFacts(
            Ref(t.pk, t.name),
            t.status,
            t.seats,
            len(gaps[str(t.pk)].able) if str(t.pk) in gaps else t.seats,
            tuple(months[t.pk]),
        )
        for t in tools
    )


def collaboration_facts(
    workspace: Workspace, quarter: FiscalQuarter, unread_days: int, now: datetime | None = None
) -> Facts:
    """The quarter's facts at `now` (default: now), in the active time zone (the
    workspace's in its requests and commands). 34 queries at most, whatever the amount
    of data."""
    now = now or timezone.now()
    has_matrix, raci = _raci(workspace)
    items, people = _work(workspace, quarter)
    calendar = working_calendar([w.history for w in items], quarter.period)
    return Facts(
        quarter=quarter,
        calendar=calendar,
        now=now,
        has_matrix=has_matrix,
        raci=raci,
        items=tuple(items),
        people=people,
        unread=_unread(workspace, quarter, unread_days, now),
        meetings=_meetings(workspace, quarter),
        unlinked_lines=_unlinked_lines(workspace, quarter),
        kpis=_kpis(workspace, quarter),
        tools=_tools(workspace, quarter),
    )


def quarter_findings(
    workspace: Workspace, quarter: FiscalQuarter, now: datetime | None = None
) -> list[Finding]:
    """The collaboration findings of the quarter, with the workspace's thresholds."""
    thresholds = ReviewSettings.objects.for_workspace(workspace).thresholds()
    facts = collaboration_facts(workspace, quarter, thresholds.unread_days, now)
    return collaboration.collaboration_findings(facts, thresholds)


def current_quarter(workspace: Workspace) -> FiscalQuarter:
    return collaboration.quarter_of(timezone.localdate(), workspace.fiscal_year_start_month)


# What an evidence kind links to: the URL name and its id parameter (people: none).
LINKS = {
    "item": ("work_item", "item_id"),
    "activity": ("raci_matrix", None),
    "kpi": ("planning_kpi", "kpi_id"),
    "tool": ("planning_tool", "tool_id"),
    "line": ("planning_budget", None),
}


@dataclass(frozen=True)
class EvidenceRow:
    kind: str
    name: str
    url: str
    value: str  # what its figure says, worded ("" without one)


def evidence_rows(
    workspace: Workspace, finding: Finding, visible_items: set[int] | None
) -> tuple[list[EvidenceRow], int]:
    """The finding's evidence with links, and how many of its items the reader may not
    see (left out; `visible_items` None: all)."""
    rows: list[EvidenceRow] = []
    hidden = 0
    for e in finding.evidence:
        if e.kind == "item" and visible_items is not None and e.id not in visible_items:
            hidden += 1
            continue
        url = ""
        if e.kind in LINKS:
            name, param = LINKS[e.kind]
            kwargs: dict[str, object] = {"slug": workspace.slug}
            if param:
                kwargs[param] = e.id
            url = reverse(name, kwargs=kwargs)
        value = messages.evidence_value(finding.code, e.value)
        rows.append(EvidenceRow(e.kind, e.name, url, value))
    return rows, hidden


def visible_item_ids(workspace: Workspace, membership: Membership) -> set[int] | None:
    """The items the reader may see, None for all (in-house people, or a workspace that
    shows external teams all work): the evidence names no other (5 queries at most)."""
    if can(membership, Action.VIEW_ALL_WORK):
        return None
    book = role_book(workspace)
    return set(visible_items(workspace, membership, book).values_list("pk", flat=True))


@dataclass(frozen=True)
class FindingRow:
    finding: Worded
    evidence: list[EvidenceRow]
    hidden: int  # items of the evidence the reader may not see


@dataclass(frozen=True)
class PitfallSection:
    key: str
    name: str
    question: str
    findings: list[FindingRow]


def pitfall_sections(
    workspace: Workspace, findings: list[Finding], visible: set[int] | None
) -> list[PitfallSection]:
    """The page's five sections, each with its worded findings and linked evidence (an
    empty list: healthy)."""
    sections = []
    for pitfall, found in collaboration.by_pitfall(findings).items():
        rows = []
        for finding in found:
            evidence, hidden = evidence_rows(workspace, finding, visible)
            rows.append(FindingRow(Worded(finding), evidence, hidden))
        sections.append(
            PitfallSection(
                pitfall,
                str(messages.PITFALL_NAMES[pitfall]),
                str(messages.PITFALL_QUESTIONS[pitfall]),
                rows,
            )
        )
    return sections


def quarter_choices(current: FiscalQuarter, chosen: FiscalQuarter) -> list[tuple[str, str]]:
    """The current fiscal quarter and the seven before it, newest first, with the chosen
    one when it is another: (2026Q4, its label)."""
    choices = [current]
    while len(choices) < 8:
        choices.append(choices[-1].before())
    if chosen not in choices:
        choices.append(chosen)
    return [(q.label, messages.quarter_label(q)) for q in choices]
