"""The collaboration health check: the five collaboration pitfalls between an in-house
team and its agency, judged from the workspace's own data (pure, no Django).

In: `Facts` (a quarter of the workspace's history, built by
`reports/collaboration_queries.py`) and `Thresholds` (the workspace's `ReviewSettings`).
Out: `Finding`s, each with a stable code, its pitfall, a severity, the parameters of its
sentences (worded in `reports/collaboration_messages.py`) and the evidence — the items,
activities, KPIs, budget lines, tools or people concerned, with their ids to link.

Which work items a quarter holds: those `measure/scorecards.py` puts in it (planned to
publish in it; without a planned time, published in it). The approval turnaround, the
rework rate and the review cycles are that core's own (`scorecards.figures`,
`scorecards.reviews_of`), in working hours of Taiwan working days.

Finding codes (stable; docs/review.md says what each measures):

| code | severity | when |
| --- | --- | --- |
| roles.no_matrix | error | the workspace has no RACI matrix |
| roles.raci_gaps | error | the matrix's activities with no A or no R |
| roles.raci_overlaps | warning | more than one A, or R shared in-house/agency without a split |
| roles.no_accountable | error | the quarter's items whose activity gives them no A |
| roles.overrides | warning | more than `max_override_pct` % of the items override the matrix |
| communication.silent_approvals | warning | over `max_silent_approval_pct` % approved unsaid |
| communication.late_reviews | warning | reviews answered after more than `late_review_hours` |
| communication.unread_notifications | warning | someone has over `max_unread` old unread |
| communication.no_review_meeting | warning | under `meeting_months` months with a meeting |
| goals.unlinked_items | warning | over `max_unlinked_pct` % of the items serve no goal or KPI |
| goals.unlinked_budget_lines | warning | budget lines of the year with no goal or KPI |
| goals.kpis_without_targets | warning | KPIs with no target for the quarter |
| trust.rework | warning | rework rate over `max_rework_pct` % |
| trust.slow_approvals | warning | median approval turnaround over `max_median_turnaround_hours` |
| trust.checks_overridden | warning | more than `max_check_overrides` content-check overrides |
| trust.bottleneck | warning | one person made `bottleneck_pct` % of 10+ approvals, slowly |
| tools.unreviewed | warning | an active or pilot tool nobody reviewed in the quarter |
| tools.low_usage | warning | active seats under `min_seat_usage_pct` % of the seats bought |
| tools.low_satisfaction | warning | average satisfaction under `min_satisfaction` (1–5) |
| tools.seats_without_skills | warning | more seats than people able to use the tool |
"""

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Literal

from crewplan.measure.scorecards import (
    ItemHistory,
    Period,
    Reviews,
    WorkingCalendar,
    period_day,
    reviews_of,
    scorecards,
)

Pitfall = Literal["roles", "communication", "goals", "trust", "tools"]
PITFALLS: tuple[Pitfall, ...] = ("roles", "communication", "goals", "trust", "tools")
Severity = Literal["error", "warning"]
EvidenceKind = Literal["item", "activity", "kpi", "line", "tool", "person"]

# code -> severity, in the order findings are listed; the prefix is the pitfall.
SEVERITIES: dict[str, Severity] = {
    "roles.no_matrix": "error",
    "roles.raci_gaps": "error",
    "roles.raci_overlaps": "warning",
    "roles.no_accountable": "error",
    "roles.overrides": "warning",
    "communication.silent_approvals": "warning",
    "communication.late_reviews": "warning",
    "communication.unread_notifications": "warning",
    "communication.no_review_meeting": "warning",
    "goals.unlinked_items": "warning",
    "goals.unlinked_budget_lines": "warning",
    "goals.kpis_without_targets": "warning",
    "trust.rework": "warning",
    "trust.slow_approvals": "warning",
    "trust.checks_overridden": "warning",
    "trust.bottleneck": "warning",
    "tools.unreviewed": "warning",
    "tools.low_usage": "warning",
    "tools.low_satisfaction": "warning",
    "tools.seats_without_skills": "warning",
}
CODES = tuple(SEVERITIES)

# The RACI check's codes (raci/validation.py) that make a gap, and an overlap.
RACI_GAPS = ("no_accountable", "no_responsible")
RACI_OVERLAPS = ("multiple_accountable", "overlap_responsible")

# A calendar item is a review meeting when its title or its activity's name holds one of
# these words (case does not matter): the template's 每月成效檢討 / Monthly performance
# review, a 週會, a "retro".
REVIEW_MEETING_WORDS = ("檢討", "會議", "週會", "月會", "review", "meeting", "retro")
# Fewer approvals than this say nothing about one person being a bottleneck.
BOTTLENECK_MIN_APPROVALS = 10
PERCENT = Decimal("0.1")
AVERAGE = Decimal("0.1")
HOURS = Decimal("0.01")
QUARTER = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


@dataclass(frozen=True, slots=True)
class FiscalQuarter:
    """Quarter `number` (1–4) of fiscal year `year`, which is named after the calendar
    year it starts in and starts on the first day of `start_month`."""

    year: int
    number: int
    start_month: int = 1

    @property
    def first(self) -> date:
        index = self.year * 12 + self.start_month - 1 + 3 * (self.number - 1)
        return date(index // 12, index % 12 + 1, 1)

    @property
    def last(self) -> date:
        index = self.first.year * 12 + self.first.month - 1 + 3
        return date(index // 12, index % 12 + 1, 1) - timedelta(days=1)

    @property
    def months(self) -> tuple[date, ...]:
        first = self.first
        return tuple(
            date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1)
            for i in range(3)
        )

    @property
    def period(self) -> Period:
        return Period(self.first, self.last)

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    def before(self) -> "FiscalQuarter":
        if self.number == 1:
            return FiscalQuarter(self.year - 1, 4, self.start_month)
        return FiscalQuarter(self.year, self.number - 1, self.start_month)


def parse_quarter(text: str, start_month: int) -> FiscalQuarter:
    """ "2026Q4" (or 2026q4) → the fiscal quarter; ValueError for anything else or a year
    outside 1990–2100."""
    match = QUARTER.match(text or "")
    if match is None:
        raise ValueError(f"not a quarter like 2026Q4: {text!r}")
    year = int(match[1])
    if not 1990 <= year <= 2100:
        raise ValueError(f"year out of range: {year}")
    return FiscalQuarter(year, int(match[2]), start_month)


def quarter_of(day: date, start_month: int) -> FiscalQuarter:
    """The fiscal quarter `day` falls in."""
    offset = (day.month - start_month) % 12
    year = day.year if day.month >= start_month else day.year - 1
    return FiscalQuarter(year, offset // 3 + 1, start_month)


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The workspace's limits (`reports.ReviewSettings`; docs/review.md)."""

    max_override_pct: int = 10
    max_silent_approval_pct: int = 50
    late_review_hours: int = 18  # two working days of 9 hours
    unread_days: int = 7
    max_unread: int = 10
    meeting_months: int = 3  # a review meeting every month of the quarter
    max_unlinked_pct: int = 30
    max_rework_pct: int = 30
    max_median_turnaround_hours: int = 9  # one working day
    max_check_overrides: int = 2
    bottleneck_pct: int = 60
    min_seat_usage_pct: int = 50
    min_satisfaction: int = 3


@dataclass(frozen=True, slots=True)
class Ref:
    """Something a finding points at: its id (to link) and its name."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class Approval:
    """An approve step: who approved (membership id; None when unknown) and whether a
    word was written with it."""

    approver: int | None
    noted: bool


@dataclass(frozen=True, slots=True)
class WorkFacts:
    """One work item of the quarter."""

    history: ItemHistory
    title: str
    activity: Ref | None
    accountable: frozenset[int]  # its A after overrides (membership ids)
    overridden: tuple[str, ...] = ()  # the letters its own roles replace
    linked: bool = False  # to a goal, or to a budget line that has a goal or a KPI
    comments: int = 0
    approvals: tuple[Approval, ...] = ()  # in time order
    check_overrides: int = 0  # gated steps taken over content-check errors by an approver


@dataclass(frozen=True, slots=True)
class RaciFinding:
    """A finding of the matrix check (raci/validation.py): its code and activity."""

    code: str
    activity: Ref | None


@dataclass(frozen=True, slots=True)
class UnreadPile:
    """A person's notifications of the quarter still unread `unread_days` after."""

    person: Ref
    count: int


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    title: str
    activity: str
    day: date  # planned (publish or due), in the workspace's zone


@dataclass(frozen=True, slots=True)
class KpiFacts:
    kpi: Ref
    has_target: bool  # a target for the quarter or one of its months, or a goal's target


@dataclass(frozen=True, slots=True)
class ToolMonth:
    month: date
    active_seats: int
    satisfaction: int  # 1–5


@dataclass(frozen=True, slots=True)
class ToolFacts:
    tool: Ref
    status: str  # pilot or active
    seats: int
    able: int  # people able to use it (planning/tools/skills.py)
    reviews: tuple[ToolMonth, ...] = ()  # the quarter's months reviewed


@dataclass(frozen=True, slots=True)
class Facts:
    quarter: FiscalQuarter
    calendar: WorkingCalendar
    now: datetime
    has_matrix: bool
    raci: tuple[RaciFinding, ...] = ()
    items: tuple[WorkFacts, ...] = ()
    people: dict[int, str] = field(default_factory=dict)  # membership id -> name
    unread: tuple[UnreadPile, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    unlinked_lines: tuple[Ref, ...] = ()  # of the fiscal year's newest budget version
    kpis: tuple[KpiFacts, ...] = ()
    tools: tuple[ToolFacts, ...] = ()


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: EvidenceKind
    id: int
    name: str
    value: Decimal | int | None = None  # hours, a count or a share, as the code says


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    params: dict[str, object]
    evidence: tuple[Evidence, ...] = ()

    @property
    def pitfall(self) -> Pitfall:
        pitfall = self.code.split(".", 1)[0]
        assert pitfall in PITFALLS
        return pitfall

    @property
    def severity(self) -> Severity:
        return SEVERITIES[self.code]


def share(part: int, whole: int) -> Decimal:
    """part of whole in percent, rounded half up to 0.1 (whole > 0)."""
    return (Decimal(100) * part / whole).quantize(PERCENT, ROUND_HALF_UP)


def is_review_meeting(title: str, activity: str) -> bool:
    text = f"{title} {activity}".casefold()
    return any(word.casefold() in text for word in REVIEW_MEETING_WORDS)


def _item(w: WorkFacts, value: Decimal | int | None = None) -> Evidence:
    return Evidence("item", w.history.id, w.title, value)


def _roles(facts: Facts, t: Thresholds) -> list[Finding]:
    found: list[Finding] = []
    if not facts.has_matrix:
        found.append(Finding("roles.no_matrix", {}))
    for code, codes in (("roles.raci_gaps", RACI_GAPS), ("roles.raci_overlaps", RACI_OVERLAPS)):
        hits = [f for f in facts.raci if f.code in codes]
        if hits:
            evidence = tuple(
                Evidence("activity", f.activity.id, f.activity.name)
                for f in hits
                if f.activity is not None
            )
            found.append(Finding(code, {"count": len(hits)}, evidence))
    orphans = [w for w in facts.items if w.activity is not None and not w.accountable]
    if orphans and facts.has_matrix:
        activities = sorted({w.activity.name for w in orphans if w.activity})
        found.append(
            Finding(
                "roles.no_accountable",
                {"count": len(orphans), "activities": activities},
                tuple(_item(w) for w in orphans),
            )
        )
    overridden = [w for w in facts.items if w.overridden]
    if overridden and share(len(overridden), len(facts.items)) > t.max_override_pct:
        found.append(
            Finding(
                "roles.overrides",
                {
                    "count": len(overridden),
                    "items": len(facts.items),
                    "share": share(len(overridden), len(facts.items)),
                    "limit": t.max_override_pct,
                },
                tuple(_item(w) for w in overridden),
            )
        )
    return found


def _communication(facts: Facts, t: Thresholds) -> list[Finding]:
    found: list[Finding] = []
    approved = [w for w in facts.items if w.approvals]
    silent = [w for w in approved if not w.comments and not any(a.noted for a in w.approvals)]
    if silent and share(len(silent), len(approved)) > t.max_silent_approval_pct:
        found.append(
            Finding(
                "communication.silent_approvals",
                {
                    "count": len(silent),
                    "approved": len(approved),
                    "share": share(len(silent), len(approved)),
                    "limit": t.max_silent_approval_pct,
                },
                tuple(_item(w) for w in silent),
            )
        )
    late: list[Evidence] = []
    for w in facts.items:
        slowest = max(reviews_of(w.history, facts.calendar).turnarounds, default=None)
        if slowest is not None and slowest > t.late_review_hours:
            late.append(_item(w, slowest.quantize(HOURS, ROUND_HALF_UP)))
    if late:
        found.append(
            Finding(
                "communication.late_reviews",
                {"count": len(late), "limit": t.late_review_hours},
                tuple(late),
            )
        )
    piles = [p for p in facts.unread if p.count > t.max_unread]
    if piles:
        found.append(
            Finding(
                "communication.unread_notifications",
                {
                    "people": len(piles),
                    "count": sum(p.count for p in piles),
                    "days": t.unread_days,
                    "limit": t.max_unread,
                },
                tuple(Evidence("person", p.person.id, p.person.name, p.count) for p in piles),
            )
        )
    meetings = [m for m in facts.meetings if is_review_meeting(m.title, m.activity)]
    months = {date(m.day.year, m.day.month, 1) for m in meetings} & set(facts.quarter.months)
    if len(months) < t.meeting_months:
        found.append(
            Finding(
                "communication.no_review_meeting",
                {"months": len(months), "limit": t.meeting_months},
                tuple(Evidence("item", m.id, m.title) for m in meetings),
            )
        )
    return found


def _goals(facts: Facts, t: Thresholds) -> list[Finding]:
    found: list[Finding] = []
    unlinked = [w for w in facts.items if not w.linked]
    if unlinked and share(len(unlinked), len(facts.items)) > t.max_unlinked_pct:
        found.append(
            Finding(
                "goals.unlinked_items",
                {
                    "count": len(unlinked),
                    "items": len(facts.items),
                    "share": share(len(unlinked), len(facts.items)),
                    "limit": t.max_unlinked_pct,
                },
                tuple(_item(w) for w in unlinked),
            )
        )
    if facts.unlinked_lines:
        found.append(
            Finding(
                "goals.unlinked_budget_lines",
                {"count": len(facts.unlinked_lines)},
                tuple(Evidence("line", r.id, r.name) for r in facts.unlinked_lines),
            )
        )
    untargeted = [k for k in facts.kpis if not k.has_target]
    if untargeted:
        found.append(
            Finding(
                "goals.kpis_without_targets",
                {"count": len(untargeted)},
                tuple(Evidence("kpi", k.kpi.id, k.kpi.name) for k in untargeted),
            )
        )
    return found


def _trust(facts: Facts, t: Thresholds) -> list[Finding]:
    found: list[Finding] = []
    reviews = [reviews_of(w.history, facts.calendar) for w in facts.items]
    period = facts.quarter.period
    cards = scorecards((w.history for w in facts.items), facts.calendar, period, facts.now)
    totals = cards.total.current
    if totals.rework_pct is not None and totals.rework_pct > t.max_rework_pct:
        reworked = [w for w, r in zip(facts.items, reviews, strict=True) if r.changes_requested]
        found.append(
            Finding(
                "trust.rework",
                {
                    "share": totals.rework_pct,
                    "count": totals.reworked,
                    "reviewed": totals.reviewed,
                    "limit": t.max_rework_pct,
                },
                tuple(_item(w) for w in reworked),
            )
        )
    hours = totals.median_turnaround_hours
    if hours is not None and hours > t.max_median_turnaround_hours:
        found.append(
            Finding(
                "trust.slow_approvals",
                {
                    "hours": hours,
                    "approvals": totals.approvals,
                    "limit": t.max_median_turnaround_hours,
                },
            )
        )
    overridden = [w for w in facts.items if w.check_overrides]
    count = sum(w.check_overrides for w in overridden)
    if count > t.max_check_overrides:
        found.append(
            Finding(
                "trust.checks_overridden",
                {"count": count, "limit": t.max_check_overrides},
                tuple(_item(w, w.check_overrides) for w in overridden),
            )
        )
    found += _bottleneck(facts, t, reviews)
    return found


def _bottleneck(facts: Facts, t: Thresholds, reviews: Sequence[Reviews]) -> list[Finding]:
    """One person who made most of the approvals while the reviews they closed waited
    longer than the turnaround limit. An approval's wait is the turnaround of the review
    cycle it closed: the workflow approves only from review, so an item's approvals and
    its cycles' turnarounds (`reviews_of`) pair in order."""
    waits: dict[int, list[Decimal]] = defaultdict(list)
    approvers: Counter[int] = Counter()
    for w, r in zip(facts.items, reviews, strict=True):
        for approval, hours in zip(w.approvals, r.turnarounds, strict=False):
            if approval.approver is not None:
                approvers[approval.approver] += 1
                waits[approval.approver].append(hours)
    total = sum(approvers.values())
    if total < BOTTLENECK_MIN_APPROVALS:
        return []
    person, count = min(approvers.items(), key=lambda kv: (-kv[1], kv[0]))
    middle = Decimal(median(waits[person])).quantize(HOURS, ROUND_HALF_UP)
    if share(count, total) < t.bottleneck_pct or middle <= t.max_median_turnaround_hours:
        return []
    name = facts.people.get(person, "")
    return [
        Finding(
            "trust.bottleneck",
            {
                "person": name,
                "count": count,
                "approvals": total,
                "share": share(count, total),
                "hours": middle,
                "limit": t.bottleneck_pct,
            },
            (Evidence("person", person, name, count),),
        )
    ]


def _average(values: Iterable[int]) -> Decimal:
    numbers = list(values)
    return (Decimal(sum(numbers)) / len(numbers)).quantize(AVERAGE, ROUND_HALF_UP)


def _tools(facts: Facts, t: Thresholds) -> list[Finding]:
    found: list[Finding] = []
    unreviewed = [tool for tool in facts.tools if not tool.reviews]
    if unreviewed:
        found.append(
            Finding(
                "tools.unreviewed",
                {"count": len(unreviewed)},
                tuple(Evidence("tool", x.tool.id, x.tool.name) for x in unreviewed),
            )
        )
    low_usage: list[Evidence] = []
    unhappy: list[Evidence] = []
    for tool in facts.tools:
        if not tool.reviews:
            continue
        if tool.seats:
            used = share(sum(r.active_seats for r in tool.reviews), tool.seats * len(tool.reviews))
            if used < t.min_seat_usage_pct:
                low_usage.append(Evidence("tool", tool.tool.id, tool.tool.name, used))
        satisfaction = _average(r.satisfaction for r in tool.reviews)
        if satisfaction < t.min_satisfaction:
            unhappy.append(Evidence("tool", tool.tool.id, tool.tool.name, satisfaction))
    if low_usage:
        found.append(
            Finding(
                "tools.low_usage",
                {"count": len(low_usage), "limit": t.min_seat_usage_pct},
                tuple(low_usage),
            )
        )
    if unhappy:
        found.append(
            Finding(
                "tools.low_satisfaction",
                {"count": len(unhappy), "limit": t.min_satisfaction},
                tuple(unhappy),
            )
        )
    short = [tool for tool in facts.tools if tool.seats > tool.able]
    if short:
        found.append(
            Finding(
                "tools.seats_without_skills",
                {
                    "count": len(short),
                    "seats": sum(x.seats - x.able for x in short),
                },
                tuple(Evidence("tool", x.tool.id, x.tool.name, x.seats - x.able) for x in short),
            )
        )
    return found


def collaboration_findings(facts: Facts, thresholds: Thresholds) -> list[Finding]:
    """Every finding of the quarter, in the order of `SEVERITIES` (pitfall by pitfall).
    Items of `facts` outside the quarter (by `scorecards.period_day`) are left out."""
    period = facts.quarter.period
    zone = facts.calendar.zone
    items = tuple(w for w in facts.items if period_day(w.history, zone) in period)
    facts = replace(facts, items=items)
    found = (
        _roles(facts, thresholds)
        + _communication(facts, thresholds)
        + _goals(facts, thresholds)
        + _trust(facts, thresholds)
        + _tools(facts, thresholds)
    )
    return sorted(found, key=lambda f: CODES.index(f.code))


def by_pitfall(findings: Iterable[Finding]) -> dict[Pitfall, list[Finding]]:
    """Every pitfall (an empty list: healthy) with its findings, in PITFALLS order."""
    grouped: dict[Pitfall, list[Finding]] = {p: [] for p in PITFALLS}
    for finding in findings:
        grouped[finding.pitfall].append(finding)
    return grouped
