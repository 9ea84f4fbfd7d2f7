"""The collaboration health check's core: each finding from a hand-made quarter with a
known answer, and none on a healthy one. Q4 of fiscal 2026 (October to December 2026),
Taipei time, working days Monday to Friday 09–18."""

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from crewplan.measure.scorecards import ItemHistory, Step, WorkingCalendar
from crewplan.reports.collaboration import (
    CODES,
    Approval,
    Facts,
    FiscalQuarter,
    KpiFacts,
    Meeting,
    RaciFinding,
    Ref,
    Thresholds,
    ToolFacts,
    ToolMonth,
    UnreadPile,
    WorkFacts,
    by_pitfall,
    collaboration_findings,
    parse_quarter,
    quarter_of,
)

TAIPEI = ZoneInfo("Asia/Taipei")
Q4 = FiscalQuarter(2026, 4, 1)
CALENDAR = WorkingCalendar(TAIPEI, lambda day: day.weekday() < 5)
NOW = datetime(2027, 1, 4, 9, tzinfo=TAIPEI)
MIKE, ALICE = 1, 2


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TAIPEI)


def work(
    n: int,
    *,
    wait_hours: int = 4,
    approver: int = MIKE,
    rework: bool = False,
    month: int = 10,
    **changes: Any,
) -> WorkFacts:
    """Item n: submitted on a Monday at 09:00, approved `wait_hours` working hours later
    (within the day up to 9), published on the Friday of that week."""
    monday = at(month, 5, 9) + timedelta(weeks=n % 8)
    steps = [Step("submit", "in_review", monday)]
    if rework:
        steps += [
            Step("request_changes", "changes_requested", monday + timedelta(hours=1)),
            Step("submit", "in_review", monday + timedelta(hours=2)),
        ]
        monday += timedelta(hours=2)
    days, hours = divmod(wait_hours, 9)
    approved = monday + timedelta(days=days, hours=hours)
    publish = monday.replace(hour=12) + timedelta(days=4)
    steps += [
        Step("approve", "approved", approved),
        Step("publish", "published", publish),
    ]
    history = ItemHistory(
        id=n,
        team=None,
        function="Social",
        responsible=3,
        publish_at=publish,
        published_at=publish,
        steps=tuple(steps),
    )
    fields: dict[str, Any] = {
        "history": history,
        "title": f"Post {n}",
        "activity": Ref(10, "Social posts"),
        "accountable": frozenset({approver}),
        "linked": True,
        "comments": 1,
        "approvals": (Approval(approver, True),),
    }
    return WorkFacts(**(fields | changes))


def items(**changes: Any) -> tuple[WorkFacts, ...]:
    """Ten healthy items, approved by Mike and Alice in turn."""
    return tuple(work(n, approver=(MIKE, ALICE)[n % 2], **changes) for n in range(1, 11))


def healthy(**changes: Any) -> Facts:
    facts = Facts(
        quarter=Q4,
        calendar=CALENDAR,
        now=NOW,
        has_matrix=True,
        raci=(),
        items=items(),
        people={MIKE: "Mike 林", ALICE: "Alice 王"},
        unread=(UnreadPile(Ref(5, "Amy 李"), 3),),
        meetings=tuple(
            Meeting(100 + m, "每月成效檢討", "", date(2026, m, 28)) for m in (10, 11, 12)
        ),
        unlinked_lines=(),
        kpis=(KpiFacts(Ref(1, "ROAS"), True),),
        tools=(
            ToolFacts(
                Ref(1, "Copy AI"),
                "active",
                seats=2,
                able=2,
                reviews=tuple(ToolMonth(date(2026, m, 1), 2, 4) for m in (10, 11, 12)),
            ),
        ),
    )
    return replace(facts, **changes)


def codes(facts: Facts, thresholds: Thresholds | None = None) -> list[str]:
    return [f.code for f in collaboration_findings(facts, thresholds or Thresholds())]


def only(facts: Facts, code: str, thresholds: Thresholds | None = None) -> Any:
    found = [f for f in collaboration_findings(facts, thresholds or Thresholds()) if f.code == code]
    assert len(found) == 1, codes(facts, thresholds)
    return found[0]


def test_a_healthy_quarter_has_no_finding_and_every_pitfall_says_so() -> None:
    assert codes(healthy()) == []
    assert by_pitfall([]) == {p: [] for p in ("roles", "communication", "goals", "trust", "tools")}


def test_fiscal_quarters() -> None:
    assert (Q4.first, Q4.last) == (date(2026, 10, 1), date(2026, 12, 31))
    april = parse_quarter("2026Q4", 4)  # fiscal 2026 starts in April 2026
    assert (april.first, april.last) == (date(2027, 1, 1), date(2027, 3, 31))
    assert parse_quarter(" 2026q1 ", 7).months == (
        date(2026, 7, 1),
        date(2026, 8, 1),
        date(2026, 9, 1),
    )
    assert quarter_of(date(2027, 2, 10), 4) == april
    assert quarter_of(date(2026, 12, 31), 1) == Q4
    assert Q4.before() == FiscalQuarter(2026, 3, 1) and FiscalQuarter(2026, 1).before().year == 2025
    for bad in ("2026Q5", "2026", "Q4", "2026-Q4x", "3026Q1", ""):
        with pytest.raises(ValueError):
            parse_quarter(bad, 1)


# Unclear roles


def test_no_matrix() -> None:
    assert codes(healthy(has_matrix=False)) == ["roles.no_matrix"]


def test_raci_gaps_and_overlaps_name_their_activities() -> None:
    facts = healthy(
        raci=(
            RaciFinding("no_accountable", Ref(7, "SEO")),
            RaciFinding("no_responsible", Ref(8, "Blog")),
            RaciFinding("overlap_responsible", Ref(9, "Ads")),
            RaciFinding("too_many_consulted", Ref(10, "Social posts")),  # neither
        )
    )
    assert codes(facts) == ["roles.raci_gaps", "roles.raci_overlaps"]
    gaps = only(facts, "roles.raci_gaps")
    assert gaps.params == {"count": 2} and [e.id for e in gaps.evidence] == [7, 8]
    assert gaps.severity == "error" and gaps.pitfall == "roles"
    assert [e.name for e in only(facts, "roles.raci_overlaps").evidence] == ["Ads"]


def test_items_on_activities_with_no_accountable() -> None:
    orphans = [work(n, accountable=frozenset()) for n in (1, 2)]
    facts = healthy(items=tuple(orphans) + items()[2:])
    finding = only(facts, "roles.no_accountable")
    assert finding.params == {"count": 2, "activities": ["Social posts"]}
    assert [(e.kind, e.id) for e in finding.evidence] == [("item", 1), ("item", 2)]


def test_overrides_above_their_share() -> None:
    two = healthy(items=tuple(work(n, overridden=("A",)) for n in (1, 2)) + items()[2:])
    finding = only(two, "roles.overrides")
    assert finding.params == {"count": 2, "items": 10, "share": Decimal("20.0"), "limit": 10}
    one = healthy(items=(work(1, overridden=("R",)), *items()[1:]))
    assert codes(one) == []  # 10 % is the limit, not above it


# Too little communication


def test_silent_approvals() -> None:
    silent = tuple(
        work(n, comments=0, approvals=(Approval((MIKE, ALICE)[n % 2], False),)) for n in range(1, 7)
    )
    finding = only(healthy(items=silent + items()[6:]), "communication.silent_approvals")
    assert finding.params["count"] == 6 and finding.params["share"] == Decimal("60.0")
    five = silent[:5] + items()[5:]
    assert codes(healthy(items=five)) == []


def test_late_reviews_in_working_hours() -> None:
    # Submitted Monday 09:00, approved Wednesday 11:00: 9 + 9 + 2 = 20 working hours.
    late = work(1, wait_hours=20)
    finding = only(healthy(items=(late, *items()[1:])), "communication.late_reviews")
    assert finding.params == {"count": 1, "limit": 18}
    assert [(e.id, e.value) for e in finding.evidence] == [(1, Decimal("20.00"))]
    assert codes(healthy(items=(work(1, wait_hours=18), *items()[1:]))) == []


def test_unread_notifications_piling_up() -> None:
    facts = healthy(unread=(UnreadPile(Ref(5, "Amy 李"), 11), UnreadPile(Ref(6, "Adam"), 10)))
    finding = only(facts, "communication.unread_notifications")
    assert finding.params == {"people": 1, "count": 11, "days": 7, "limit": 10}
    assert [(e.kind, e.name, e.value) for e in finding.evidence] == [("person", "Amy 李", 11)]


def test_no_recurring_review_meeting() -> None:
    meetings = (
        Meeting(1, "Monthly review", "", date(2026, 10, 30)),
        Meeting(2, "週會", "", date(2026, 11, 6)),
        Meeting(3, "FB post", "Social posts", date(2026, 12, 4)),  # no meeting
        Meeting(4, "Planning", "每月成效檢討", date(2026, 9, 30)),  # the quarter before
    )
    finding = only(healthy(meetings=meetings), "communication.no_review_meeting")
    assert finding.params == {"months": 2, "limit": 3}
    assert codes(healthy(meetings=meetings), Thresholds(meeting_months=2)) == []


# Goals out of line


def test_items_and_budget_lines_with_no_goal_and_kpis_without_targets() -> None:
    unlinked = tuple(work(n, linked=False) for n in range(1, 5))
    facts = healthy(
        items=unlinked + items()[4:],
        unlinked_lines=(Ref(30, "Agency fee"),),
        kpis=(KpiFacts(Ref(1, "ROAS"), True), KpiFacts(Ref(2, "CAC"), False)),
    )
    assert codes(facts) == [
        "goals.unlinked_items",
        "goals.unlinked_budget_lines",
        "goals.kpis_without_targets",
    ]
    assert only(facts, "goals.unlinked_items").params["share"] == Decimal("40.0")
    assert [e.kind for e in only(facts, "goals.unlinked_budget_lines").evidence] == ["line"]
    assert [e.name for e in only(facts, "goals.kpis_without_targets").evidence] == ["CAC"]


def test_items_outside_the_quarter_do_not_count() -> None:
    september = work(1, linked=False, month=9)  # published in September
    assert september.history.publish_at is not None
    assert september.history.publish_at.month == 9
    assert codes(healthy(items=(september,) * 9 + items()[:1])) == []


# Low trust


def test_rework_rate() -> None:
    reworked = tuple(work(n, rework=True) for n in range(1, 5))
    finding = only(healthy(items=reworked + items()[4:]), "trust.rework")
    assert finding.params == {
        "share": Decimal("40.0"),
        "count": 4,
        "reviewed": 10,
        "limit": 30,
    }
    assert [e.id for e in finding.evidence] == [1, 2, 3, 4]


def test_slow_approvals_by_the_median() -> None:
    slow = tuple(work(n, wait_hours=10, approver=(MIKE, ALICE)[n % 2]) for n in range(1, 11))
    finding = only(healthy(items=slow), "trust.slow_approvals")
    assert finding.params == {"hours": Decimal("10.00"), "approvals": 10, "limit": 9}


def test_checks_overridden() -> None:
    facts = healthy(items=(work(1, check_overrides=2), work(2, check_overrides=1), *items()[2:]))
    finding = only(facts, "trust.checks_overridden")
    assert finding.params == {"count": 3, "limit": 2}
    assert [(e.id, e.value) for e in finding.evidence] == [(1, 2), (2, 1)]


def test_a_bottleneck_on_one_slow_approver() -> None:
    mike = tuple(work(n, wait_hours=12, approver=MIKE) for n in range(1, 8))
    alice = tuple(work(n, wait_hours=2, approver=ALICE) for n in range(8, 11))
    finding = only(healthy(items=mike + alice), "trust.bottleneck")
    assert finding.params == {
        "person": "Mike 林",
        "count": 7,
        "approvals": 10,
        "share": Decimal("70.0"),
        "hours": Decimal("12.00"),
        "limit": 60,
    }
    quick = tuple(work(n, wait_hours=4, approver=MIKE) for n in range(1, 8))
    assert codes(healthy(items=quick + alice)) == []  # most approvals, but no waiting


# Unsuitable tools


def test_tools_unreviewed_unused_disliked_and_without_able_people() -> None:
    months = (10, 11, 12)
    tools = (
        ToolFacts(Ref(1, "Copy AI"), "active", seats=2, able=2),  # never reviewed
        ToolFacts(
            Ref(2, "Ads AI"),
            "active",
            seats=5,
            able=5,
            reviews=tuple(ToolMonth(date(2026, m, 1), 2, 2) for m in months),
        ),
        ToolFacts(
            Ref(3, "Chatbot"),
            "pilot",
            seats=3,
            able=1,
            reviews=(ToolMonth(date(2026, 10, 1), 3, 5),),
        ),
    )
    facts = healthy(tools=tools)
    assert codes(facts) == [
        "tools.unreviewed",
        "tools.low_usage",
        "tools.low_satisfaction",
        "tools.seats_without_skills",
    ]
    assert [e.id for e in only(facts, "tools.unreviewed").evidence] == [1]
    usage = only(facts, "tools.low_usage")
    assert [(e.id, e.value) for e in usage.evidence] == [(2, Decimal("40.0"))]
    assert [(e.id, e.value) for e in only(facts, "tools.low_satisfaction").evidence] == [
        (2, Decimal("2.0"))
    ]
    skills = only(facts, "tools.seats_without_skills")
    assert skills.params == {"count": 1, "seats": 2} and skills.evidence[0].id == 3


def test_thresholds_move_the_answer() -> None:
    reworked = tuple(work(n, rework=True) for n in range(1, 5))
    assert codes(healthy(items=reworked + items()[4:]), Thresholds(max_rework_pct=40)) == []


def test_codes_are_stable_and_grouped_by_pitfall() -> None:
    assert len(CODES) == 20 and len(set(CODES)) == 20
    assert [c.split(".")[0] for c in CODES] == sorted(
        (c.split(".")[0] for c in CODES),
        key=["roles", "communication", "goals", "trust", "tools"].index,
    )
