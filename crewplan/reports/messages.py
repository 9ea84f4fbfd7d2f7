"""The sentences of the collaboration health check (`reports/collaboration.py`): each
finding's message and suggested action, the pitfalls' names and what an evidence value
means. The core returns codes and parameters; these are gettext messages (English msgid,
zh-Hant in the catalogue), worded in the active language or in `language`."""

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import (
    gettext,
    gettext_lazy,
    ngettext,
    ngettext_lazy,
    pgettext,
    pgettext_lazy,
)

from crewplan.lib import wording as wording_lib
from crewplan.lib.active_language import speaking
from crewplan.reports.collaboration import Finding, FiscalQuarter, Pitfall

PITFALL_NAMES: dict[Pitfall, Promise] = {
    "roles": gettext_lazy("Unclear roles"),
    "communication": gettext_lazy("Too little communication"),
    "goals": gettext_lazy("Goals out of line"),
    "trust": gettext_lazy("Low trust"),
    "tools": gettext_lazy("Unsuitable tools"),
}

PITFALL_QUESTIONS: dict[Pitfall, Promise] = {
    "roles": gettext_lazy("Does everyone know who does, approves, is asked and is told?"),
    "communication": gettext_lazy("Do the two sides talk about the work, in time and regularly?"),
    "goals": gettext_lazy("Does the work and the money serve the goals and KPIs?"),
    "trust": gettext_lazy("Does work pass without rework, waiting or overriding the checks?"),
    "tools": gettext_lazy("Are the AI tools used, liked and usable by the people who have them?"),
}

# code -> (message, suggested action); the finding's parameters fill both.
FINDINGS: dict[str, tuple[Promise, Promise]] = {
    "roles.no_matrix": (
        gettext_lazy("There is no RACI matrix: nobody has written down who does what."),
        gettext_lazy("Start the matrix from the in-house + agency template and sign it off."),
    ),
    "roles.raci_gaps": (
        ngettext_lazy(
            "%(count)s gap in the RACI matrix: an activity with no Accountable or no Responsible.",
            "%(count)s gaps in the RACI matrix: activities with no Accountable or no Responsible.",
            "count",
        ),
        gettext_lazy("Give each of these activities exactly one A and at least one R."),
    ),
    "roles.raci_overlaps": (
        ngettext_lazy(
            "%(count)s overlap in the RACI matrix: more than one Accountable, or R shared without a"
            " stated split.",
            "%(count)s overlaps in the RACI matrix: more than one Accountable, or R shared without "
            "a stated split.",
            "count",
        ),
        gettext_lazy(
            "Keep one A per activity and write down who does which part where both sides hold R."
        ),
    ),
    "roles.no_accountable": (
        ngettext_lazy(
            "%(count)s work item of the quarter has nobody to approve it: its activity "
            "(%(activities)s) gives no A.",
            "%(count)s work items of the quarter have nobody to approve them: their activities "
            "(%(activities)s) give no A.",
            "count",
        ),
        gettext_lazy("Name the Accountable of these activities in the matrix, and publish it."),
    ),
    "roles.overrides": (
        gettext_lazy(
            "%(count)s of %(items)s work items (%(share)s%%) override the RACI roles, above "
            "%(limit)s%%: the matrix is not how people really work."
        ),
        gettext_lazy(
            "Change the matrix to match what the overrides keep saying, so items need no "
            "exceptions."
        ),
    ),
    "communication.silent_approvals": (
        gettext_lazy(
            "%(count)s of %(approved)s approved items (%(share)s%%) were approved without a "
            "single comment or note, above %(limit)s%%."
        ),
        gettext_lazy(
            "Ask approvers to say what they liked or would change, and consulted people to "
            "comment before approval."
        ),
    ),
    "communication.late_reviews": (
        ngettext_lazy(
            "%(count)s item waited more than %(limit)s working hours for a review answer.",
            "%(count)s items waited more than %(limit)s working hours for a review answer.",
            "count",
        ),
        gettext_lazy(
            "Agree a review time (for example two working days) and name a stand-in approver for "
            "busy weeks."
        ),
    ),
    "communication.unread_notifications": (
        ngettext_lazy(
            "%(people)s person left %(count)s notifications unread for more than %(days)s days "
            "(more than %(limit)s).",
            "%(people)s people left %(count)s notifications unread for more than %(days)s days "
            "(more than %(limit)s each).",
            "people",
        ),
        gettext_lazy(
            "Send notifications where those people read (e-mail, LINE, Slack), or take them off "
            "items they need not follow."
        ),
    ),
    "communication.no_review_meeting": (
        ngettext_lazy(
            "A review meeting is on the calendar in %(months)s month of the quarter; %(limit)s are "
            "expected.",
            "A review meeting is on the calendar in %(months)s months of the quarter; %(limit)s are"
            " expected.",
            "months",
        ),
        gettext_lazy(
            "Put a recurring review meeting of both sides on the shared calendar (for example the"
            " monthly performance review)."
        ),
    ),
    "goals.unlinked_items": (
        gettext_lazy(
            "%(count)s of %(items)s work items (%(share)s%%) serve no goal or KPI, above "
            "%(limit)s%%."
        ),
        gettext_lazy(
            "Link each item to the goal it serves, or to a budget line that has one, or question "
            "the work."
        ),
    ),
    "goals.unlinked_budget_lines": (
        ngettext_lazy(
            "%(count)s budget line of the year is linked to no goal or KPI.",
            "%(count)s budget lines of the year are linked to no goal or KPI.",
            "count",
        ),
        gettext_lazy("Link each line to the goal or KPI it should move, or question the spend."),
    ),
    "goals.kpis_without_targets": (
        ngettext_lazy(
            "%(count)s KPI has no target for the quarter: nobody can say whether it went well.",
            "%(count)s KPIs have no target for the quarter: nobody can say whether it went well.",
            "count",
        ),
        gettext_lazy("Set a monthly or quarterly target for each KPI, agreed by both sides."),
    ),
    "trust.rework": (
        gettext_lazy(
            "%(count)s of %(reviewed)s reviewed items (%(share)s%%) needed changes, above "
            "%(limit)s%%."
        ),
        gettext_lazy(
            "Agree the brief before drafting starts, and look at the most common change requests "
            "together."
        ),
    ),
    "trust.slow_approvals": (
        gettext_lazy(
            "The median approval took %(hours)s working hours over %(approvals)s approvals, above"
            " %(limit)s."
        ),
        gettext_lazy(
            "Let routine work be approved faster, for example with a checklist or a stand-in "
            "approver."
        ),
    ),
    "trust.checks_overridden": (
        ngettext_lazy(
            "The content checks were overridden %(count)s time, more than %(limit)s.",
            "The content checks were overridden %(count)s times, more than %(limit)s.",
            "count",
        ),
        gettext_lazy(
            "Fix the copy instead, or change the rules that keep being overridden so the checks "
            "stay trusted."
        ),
    ),
    "trust.bottleneck": (
        gettext_lazy(
            "%(person)s made %(count)s of %(approvals)s approvals (%(share)s%%, %(limit)s%% or "
            "more) and their median approval took %(hours)s working hours."
        ),
        gettext_lazy(
            "Share the approvals with a second Accountable, or let that person delegate routine "
            "work."
        ),
    ),
    "tools.unreviewed": (
        ngettext_lazy(
            "%(count)s AI tool in pilot or use was not reviewed in the quarter.",
            "%(count)s AI tools in pilot or use were not reviewed in the quarter.",
            "count",
        ),
        gettext_lazy("Review each tool once a month: seats in use, hours saved, satisfaction."),
    ),
    "tools.low_usage": (
        ngettext_lazy(
            "%(count)s AI tool has less than %(limit)s%% of its seats in use.",
            "%(count)s AI tools have less than %(limit)s%% of their seats in use.",
            "count",
        ),
        gettext_lazy("Cancel the seats nobody uses, or train the people they were bought for."),
    ),
    "tools.low_satisfaction": (
        ngettext_lazy(
            "%(count)s AI tool is rated below %(limit)s out of 5 by the people using it.",
            "%(count)s AI tools are rated below %(limit)s out of 5 by the people using them.",
            "count",
        ),
        gettext_lazy("Ask the users what is missing, and compare another tool in a pilot."),
    ),
    "tools.seats_without_skills": (
        ngettext_lazy(
            "%(count)s AI tool has more seats than people able to use it (%(seats)s more).",
            "%(count)s AI tools have more seats than people able to use them (%(seats)s more in "
            "all).",
            "count",
        ),
        gettext_lazy("Train people in these tools, or buy fewer seats until they are trained."),
    ),
}

# What an evidence row's value is, by code (codes not listed have none).
EVIDENCE_VALUES: dict[str, Promise] = {
    "communication.late_reviews": gettext_lazy("longest wait %(value)s working hours"),
    "communication.unread_notifications": gettext_lazy("%(value)s unread"),
    "trust.checks_overridden": ngettext_lazy(
        "%(value)s override",
        "%(value)s overrides",
        "value",
    ),
    "trust.bottleneck": ngettext_lazy(
        "%(value)s approval",
        "%(value)s approvals",
        "value",
    ),
    "tools.low_usage": gettext_lazy("%(value)s%% of seats in use"),
    "tools.low_satisfaction": gettext_lazy("average satisfaction %(value)s"),
    "tools.seats_without_skills": ngettext_lazy(
        "%(value)s seat without an able user",
        "%(value)s seats without an able user",
        "value",
    ),
}


def _values(params: Mapping[str, object]) -> dict[str, object]:
    return {
        name: pgettext("list separator", ", ").join(str(v) for v in value)
        if isinstance(value, list | tuple)
        else value
        for name, value in params.items()
    }


def wording(finding: Finding, language: str | None = None) -> tuple[str, str]:
    """The finding's message and suggested action."""
    message, fix = FINDINGS[finding.code]
    with speaking(language):
        values = _values(finding.params)
        return str(message % values), str(fix % values)


def evidence_value(code: str, value: object, language: str | None = None) -> str:
    """What an evidence row's value says ("" without one)."""
    if value is None or code not in EVIDENCE_VALUES:
        return ""
    with speaking(language):
        return str(EVIDENCE_VALUES[code] % {"value": value})


def pitfall_name(pitfall: Pitfall, language: str | None = None) -> str:
    with speaking(language):
        return str(PITFALL_NAMES[pitfall])


class Worded(wording_lib.Worded):
    """A collaboration finding with its sentences (lib/wording)."""

    __slots__ = ()

    severity = property(lambda self: self.finding.severity)
    pitfall = property(lambda self: self.finding.pitfall)

    def _word(self) -> tuple[str, str]:
        return wording(self.finding, self.language)


def worded(findings: Iterable[Finding], language: str | None = None) -> list[Worded]:
    return [Worded(f, language) for f in findings]


def quarter_label(quarter: FiscalQuarter, language: str | None = None) -> str:
    """ "Q4 of fiscal 2026": the quarter as people read it (2026Q4 is for commands)."""
    with speaking(language):
        return gettext("Q%(number)s of fiscal %(year)s") % {
            "number": quarter.number,
            "year": quarter.year,
        }


# What the command line prints beside the codes (the page says it in its own template).
SEVERITY_NAMES: dict[str, Promise] = {
    "error": gettext_lazy("Error"),
    "warning": gettext_lazy("Warning"),
}
EVIDENCE_KINDS: dict[str, Promise] = {
    "item": pgettext_lazy("evidence", "item"),
    "activity": pgettext_lazy("evidence", "activity"),
    "kpi": pgettext_lazy("evidence", "KPI"),
    "line": pgettext_lazy("evidence", "budget line"),
    "tool": pgettext_lazy("evidence", "tool"),
    "person": pgettext_lazy("evidence", "person"),
}


def findings_heading(label: str, count: int, language: str | None = None) -> str:
    """ "2026Q4: 3 findings" for the command's table."""
    with speaking(language):
        return ngettext(
            "%(quarter)s: %(count)d finding", "%(quarter)s: %(count)d findings", count
        ) % {"quarter": label, "count": count}


def severity_name(severity: str, language: str | None = None) -> str:
    with speaking(language):
        return str(SEVERITY_NAMES[severity])


def evidence_line(kind: str, id: int, shown: str, language: str | None = None) -> str:
    """ "item 250: LINE 推播" under a finding in the command's table."""
    with speaking(language):
        return gettext("%(kind)s %(id)s: %(shown)s") % {
            "kind": EVIDENCE_KINDS[kind],
            "id": id,
            "shown": shown,
        }


def more_evidence(count: int, language: str | None = None) -> str:
    with speaking(language):
        return ngettext("… %(count)d more", "… %(count)d more", count) % {"count": count}
