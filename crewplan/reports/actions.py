"""Next quarter's actions (section 10 of the quarterly review): the findings of the RACI
health, the collaboration check and the budget health turned into one checklist (pure,
no Django).

In: `Followed` findings — where each comes from, its stable code, its subject, its
severity and parameters (never sentences), and the activities of the work items it
points at. Out: `PlannedAction`s with a stable key `code:subject` (the same finding on
the same subject gives the same key every time the report is regenerated, so a work item
made from it can be recognised) and the RACI activity the follow-up belongs to:

- the activity most of the finding's work items belong to, for findings about how that
  work was done (`EVIDENCE_ACTIVITY`: silent approvals, late reviews, rework, checks
  overridden): the approval of that activity is where it gets fixed;
- the tool's activity for a tool's finding, when the tool has one (`tool_activities`);
- otherwise None: the review activity (the matrix, goals, budget and meetings are agreed
  at the review).

The sentences (title: the suggested fix; detail: what was found) are the sources' own
gettext messages, worded by `reports/sections_work.py`."""

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Source = Literal["raci", "collaboration", "budget"]
SOURCES: tuple[Source, ...] = ("raci", "collaboration", "budget")
SEVERITY_ORDER = ("error", "warning", "info")

# Collaboration codes whose follow-up belongs to the activity of the work they point at.
EVIDENCE_ACTIVITY = frozenset(
    {
        "communication.silent_approvals",
        "communication.late_reviews",
        "trust.rework",
        "trust.checks_overridden",
    }
)
# Collaboration codes that restate what the RACI health lists finding by finding: left
# out when one of the RACI codes beside them is there.
RESTATED_BY_RACI: dict[str, frozenset[str]] = {
    "roles.no_matrix": frozenset({"raci.unpublished"}),
    "roles.raci_gaps": frozenset({"raci.no_accountable", "raci.no_responsible"}),
    "roles.raci_overlaps": frozenset({"raci.multiple_accountable", "raci.overlap_responsible"}),
    "roles.overrides": frozenset({"raci.contradicting_overrides"}),
}
TOOL_PREFIX = "tools."
WHOLE = "workspace"  # the subject of a finding about the workspace as a whole


@dataclass(frozen=True, slots=True)
class Followed:
    """A finding to follow up. `subject`: what it is about as a stable id (an activity
    key, a tool id, a line key; "" for the workspace as a whole)."""

    source: Source
    code: str
    severity: str
    subject: str = ""
    params: Mapping[str, object] = field(default_factory=dict)
    activities: tuple[int, ...] = ()  # the activities of its work items, one per item


@dataclass(frozen=True, slots=True)
class PlannedAction:
    key: str  # "code:subject", stable across regenerations
    source: Source
    code: str
    severity: str
    subject: str
    params: Mapping[str, object]
    activity_id: int | None  # None: the review activity


def _activity(found: Followed, tool_activities: Mapping[int, int]) -> int | None:
    if found.source == "collaboration" and found.code in EVIDENCE_ACTIVITY and found.activities:
        counts = Counter(found.activities)
        return min(counts, key=lambda a: (-counts[a], a))  # the most items; ties: lowest id
    if found.code.startswith(TOOL_PREFIX) and found.subject.isdigit():
        return tool_activities.get(int(found.subject))
    return None


def next_actions(
    findings: Iterable[Followed], *, tool_activities: Mapping[int, int] | None = None
) -> list[PlannedAction]:
    """One action per distinct `code:subject`, errors first, then by source (RACI,
    collaboration, budget) and in the order given. Collaboration findings a RACI finding
    already states (`RESTATED_BY_RACI`) are dropped."""
    found = list(findings)
    raci_codes = {f.code for f in found if f.source == "raci"}
    tools = tool_activities or {}
    actions: dict[str, tuple[tuple[int, int, int], PlannedAction]] = {}
    for position, f in enumerate(found):
        if f.source == "collaboration" and RESTATED_BY_RACI.get(f.code, frozenset()) & raci_codes:
            continue
        subject = f.subject or WHOLE
        key = f"{f.code}:{subject}"
        if key in actions:
            continue
        severity = f.severity if f.severity in SEVERITY_ORDER else "info"
        rank = (SEVERITY_ORDER.index(severity), SOURCES.index(f.source), position)
        action = PlannedAction(
            key, f.source, f.code, severity, subject, f.params, _activity(f, tools)
        )
        actions[key] = (rank, action)
    return [action for _rank, action in sorted(actions.values(), key=lambda pair: pair[0])]
