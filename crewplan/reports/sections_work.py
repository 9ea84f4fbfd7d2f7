"""The quarterly review's work sections, read into plain JSON-able dicts (the snapshot is
stored as JSON and rendered later, `templates/reports/_sections_work.html`):

5. RACI health ("raci"): the published matrix's findings (`raci/validation.py`, as
   `crewplan raci check`), whether its sign-offs come from both sides, how long ago it
   was last reviewed — the latest of its sign-offs and its publication, flagged over two
   quarters (`REVIEW_MAX_DAYS`) — and the quarter's per-item role overrides that give a
   letter to other people than the matrix does.
6. Collaboration health check ("collaboration"): `collaboration_queries.quarter_findings`
   and `pitfall_sections`, with the evidence (items the audience may not see counted, not
   named) and the suggested actions.
7. Team scorecards ("scorecards"): `measure/scorecards.py` for in-house vs agency and per
   team, the quarter against the fiscal quarter before it.
9. Reallocation ("reallocation"): the latest finished fit of the current budget version
   (the fiscal year's newest) for the quarter (`reallocation/queries.fits_of`,
   `results.recommendation`), as of the day the report is made.
10. Next quarter's actions: `reports/actions.next_actions` over the findings of 5, 6 and
   the current version's budget health, worded as `ReportAction`s.

Money is stored already formatted in the workspace's currency (`lib/money.format_money`),
with the exact Decimal beside it where a summary may need it ("…_amount"). Every section
dict has a "headline" for the report's one-page summary. A copy for an external team
leaves out the amounts `Action.VIEW_BUDGET_AMOUNTS` hides from its members (the
reallocation's amounts are the whole plan's, so any hiding hides them) and names only the
work items every member of that team may see: those of activities the team holds a role
in, or all when the workspace shows external teams all work. A fixed number of queries
whatever the amount of data."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from crewplan.lib.money import format_money
from crewplan.measure import scorecards as cards_core
from crewplan.measure.scorecard_queries import period_items, working_calendar
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget.health import health_findings
from crewplan.planning.budget.queries import load_plan, thresholds_for, versions_of
from crewplan.planning.models import BudgetVersion
from crewplan.raci import messages as raci_messages
from crewplan.raci.models import MatrixVersion
from crewplan.raci.queries import (
    draft_of,
    live_matrix,
    matrix_from_snapshot,
    published_of,
    rules_for,
    signoffs_of,
)
from crewplan.raci.validation import Finding as RaciFinding
from crewplan.raci.validation import Severity, validate
from crewplan.reallocation.models import Fit
from crewplan.reallocation.queries import fits_of
from crewplan.reallocation.results import recommendation
from crewplan.reports import actions as actions_core
from crewplan.reports import messages, svg_work, work_messages
from crewplan.reports.actions import Followed
from crewplan.reports.collaboration import FiscalQuarter
from crewplan.reports.collaboration_queries import pitfall_sections, quarter_findings
from crewplan.reports.report import ReportAction
from crewplan.work.models import ROLE_LETTERS, WorkItem
from crewplan.work.roles import RoleBook, activities_with_role, role_book
from crewplan.workspaces.access import policy_of
from crewplan.workspaces.models import Membership, Team, Workspace
from crewplan.workspaces.permissions import Action, Actor, is_allowed

REVIEW_MAX_DAYS = 182  # two quarters of 91 days
MEASURES = cards_core.MEASURES


@dataclass(frozen=True)
class Audience:
    """Who the copy is for: None the in-house copy (everything), else an external team."""

    team_id: int | None = None
    amounts_hidden: bool = False
    visible_items: set[int] | None = None  # None: every item may be named


@dataclass
class WorkSections:
    sections: dict[str, Any] = field(default_factory=dict)
    actions: list[ReportAction] = field(default_factory=list)
    amounts_hidden: bool = False


def audience_of(workspace: Workspace, team_id: int | None) -> Audience:
    """The copy's reader as the permission table sees a member of `team_id` (4 queries
    at most). A team of another workspace is refused (Team.DoesNotExist)."""
    if team_id is None:
        return Audience()
    team = Team.objects.for_workspace(workspace).get(pk=team_id)
    actor = Actor(user_id=0, role=Membership.Role.MEMBER, team_id=team.pk, team_kind=team.kind)
    policy = policy_of(workspace)
    hidden = not is_allowed(actor, Action.VIEW_BUDGET_AMOUNTS, None, policy)
    if is_allowed(actor, Action.VIEW_ALL_WORK, None, policy):
        return Audience(team.pk, hidden, None)
    book = role_book(workspace, [])
    member = next((m for m in book.members.values() if m.team_id == team.pk), None)
    activities = sorted(activities_with_role(book, member)) if member else []
    visible = set(
        WorkItem.objects.for_workspace(workspace)
        .filter(activity_id__in=activities)
        .values_list("pk", flat=True)
    )
    return Audience(team.pk, hidden, visible)


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def _shown_day(moment: datetime) -> str:
    """The day as the report's language writes it (2026年12月3日 / 3 Dec 2026)."""
    return formats.date_format(_local_day(moment), "SHORT_DATE_FORMAT")


# ----------------------------------------------------------------- 5. RACI health


def _matrix_findings(version: MatrixVersion, workspace: Workspace) -> list[RaciFinding]:
    version.workspace = workspace
    if version.snapshot is not None:
        matrix = matrix_from_snapshot(version.snapshot)[0]
    else:
        matrix = live_matrix(version)[0]
    return validate(matrix, rules_for(workspace))


def _counts(findings: list[RaciFinding]) -> dict[str, int]:
    return {
        "error": sum(f.severity == Severity.ERROR for f in findings),
        "warning": sum(f.severity == Severity.WARNING for f in findings),
    }


def _kind_name(kind: str) -> str:
    return _("In-house") if kind == Team.Kind.INTERNAL else _("Agency (external)")


def _signatures(version: MatrixVersion) -> tuple[list[dict[str, Any]], list[str], datetime | None]:
    """Its sign-offs, the sides (in-house, agency) that did not sign, the latest one."""
    signoffs = sorted(signoffs_of(version), key=lambda s: (s.team.kind != "internal", s.signed_at))
    signed_kinds = {s.team.kind for s in signoffs}
    missing = [
        _kind_name(k) for k in (Team.Kind.INTERNAL, Team.Kind.EXTERNAL) if k not in signed_kinds
    ]
    rows = [
        {
            "team": s.team.name,
            "side": _kind_name(s.team.kind),
            "by": s.user_label,
            "on": _shown_day(s.signed_at),
        }
        for s in signoffs
    ]
    latest = max((s.signed_at for s in signoffs), default=None)
    return rows, missing, latest


def _names(book: RoleBook, ids: frozenset[int]) -> list[str]:
    return sorted(book.members[m].user.display_name for m in ids if m in book.members)


def _contradicting_overrides(
    workspace: Workspace, item_ids: list[int], audience: Audience
) -> tuple[list[dict[str, Any]], int, int]:
    """The quarter's items whose own roles give a letter to other people than their
    activity's matrix cell: rows the audience may see, how many it may not, and how many
    items in all (5 queries)."""
    items = list(
        WorkItem.objects.for_workspace(workspace)
        .filter(pk__in=item_ids, role_overrides__isnull=False)
        .distinct()
        .select_related("activity")
        .order_by("pk")
    )
    book = role_book(workspace, items)
    rows, hidden, contradicting = [], 0, 0
    for item in items:
        base = book.by_activity.get(item.activity_id or 0, {})
        own = book.overrides.get(item.pk, {})
        letters = [
            letter
            for letter in ROLE_LETTERS
            if letter in own and own[letter] != base.get(letter, frozenset())
        ]
        if not letters:
            continue
        contradicting += 1
        if audience.visible_items is not None and item.pk not in audience.visible_items:
            hidden += 1
            continue

        rows.append(
            {
                "item": item.title,
                "url": reverse("work_item", args=[workspace.slug, item.pk]),
                "activity": item.activity.name if item.activity else "",
                "letters": [
                    {
                        "letter": letter,
                        "matrix": _names(book, base.get(letter, frozenset())),
                        "item": _names(book, own[letter]),
                    }
                    for letter in letters
                ],
            }
        )
    return rows, hidden, contradicting


def raci_section(
    workspace: Workspace,
    quarter_items: list[int],
    audience: Audience,
    language: str,
    today: date,
) -> tuple[dict[str, Any], list[Followed], dict[str, tuple[str, str]]]:
    """Section 5, its findings to follow up and their sentences by action key."""
    published = published_of(workspace)
    draft = draft_of(workspace)
    followed: list[Followed] = []
    sentences: dict[str, tuple[str, str]] = {}

    def follow(code: str, params: dict[str, Any], severity: str, subject: str = "") -> None:
        followed.append(Followed("raci", code, severity, subject, params))
        sentences[f"{code}:{subject or actions_core.WHOLE}"] = work_messages.wording(
            code, params, language
        )

    section: dict[str, Any] = {"published": published is not None, "limit_days": REVIEW_MAX_DAYS}
    findings: list[RaciFinding] = []
    if published is None:
        follow("raci.unpublished", {}, "error")
        section.update(signoffs=[], missing_sides=[], reviewed_on=None, days=None, overdue=False)
    else:
        findings = _matrix_findings(published, workspace)
        rows, missing, latest = _signatures(published)
        reviewed = max(filter(None, [latest, published.published_at]))
        days = (today - _local_day(reviewed)).days
        section.update(
            number=published.number,
            published_on=_shown_day(published.published_at) if published.published_at else None,
            signoffs=rows,
            missing_sides=missing,
            reviewed_on=_shown_day(reviewed),
            reviewed_date=_local_day(reviewed).isoformat(),
            days=days,
            overdue=days > REVIEW_MAX_DAYS,
        )
        if missing:
            follow("raci.unsigned", {"missing": "、".join(missing)}, "warning")
        if days > REVIEW_MAX_DAYS:
            follow("raci.review_overdue", {"days": days, "limit": REVIEW_MAX_DAYS}, "warning")
    worded = []
    for f in findings:
        message, fix = raci_messages.wording(f, language)
        worded.append({"code": f.code, "severity": str(f.severity), "message": message, "fix": fix})
        subject = f.activity or ",".join(f.parties)
        followed.append(
            Followed("raci", f"raci.{f.code}", str(f.severity), subject, dict(f.params))
        )
        sentences.setdefault(f"raci.{f.code}:{subject or actions_core.WHOLE}", (message, fix))
    section["findings"] = worded
    if draft is not None:
        section["draft"] = {"number": draft.number, **_counts(_matrix_findings(draft, workspace))}
    rows, hidden, count = _contradicting_overrides(workspace, quarter_items, audience)
    section.update(overrides=rows, overrides_hidden=hidden, overrides_count=count)
    if count:
        follow("raci.contradicting_overrides", {"count": count}, "warning")
    section["headline"] = {
        **_counts(findings),
        "published": published is not None,
        "signed_by_both": published is not None and not section["missing_sides"],
        "days_since_review": section["days"],
        "review_overdue": section["overdue"],
        "contradicting_overrides": count,
    }
    return section, followed, sentences


# ------------------------------------------------------- 6. collaboration check


def collaboration_section(
    workspace: Workspace,
    quarter: FiscalQuarter,
    audience: Audience,
    language: str,
    now: datetime,
) -> tuple[dict[str, Any], list[Followed], dict[str, tuple[str, str]]]:
    findings = quarter_findings(workspace, quarter, now)
    item_ids = [e.id for f in findings for e in f.evidence if e.kind == "item"]
    activity_of = dict(
        WorkItem.objects.for_workspace(workspace)
        .filter(pk__in=item_ids, activity__isnull=False)
        .values_list("pk", "activity_id")
    )
    followed: list[Followed] = []
    sentences: dict[str, tuple[str, str]] = {}
    for f in findings:
        message, fix = messages.wording(f, language)
        tools = [e.id for e in f.evidence if e.kind == "tool"]
        # A tool's finding is one action per tool: each tool is followed up on its own.
        subjects = [str(t) for t in tools] if f.code.startswith("tools.") and tools else [""]
        activities = tuple(
            activity_of[e.id] for e in f.evidence if e.id in activity_of and e.kind == "item"
        )
        for subject in subjects:
            followed.append(
                Followed("collaboration", f.code, f.severity, subject, f.params, activities)
            )
            name = next((e.name for e in f.evidence if str(e.id) == subject), "")
            detail = _("%(subject)s: %(finding)s") % {"subject": name, "finding": message}
            key = f"{f.code}:{subject or actions_core.WHOLE}"
            sentences[key] = (detail if name else message, fix)
    pitfalls = []
    for p in pitfall_sections(workspace, findings, audience.visible_items):
        pitfalls.append(
            {
                "key": p.key,
                "name": p.name,
                "question": p.question,
                "findings": [
                    {
                        "code": row.finding.code,
                        "severity": row.finding.severity,
                        "message": row.finding.message,
                        "fix": row.finding.fix,
                        "evidence": [
                            {"kind": e.kind, "name": e.name, "url": e.url, "value": e.value}
                            for e in row.evidence
                        ],
                        "hidden": row.hidden,
                    }
                    for row in p.findings
                ],
            }
        )
    severities = Counter(f.severity for f in findings)
    section = {
        "pitfalls": pitfalls,
        "count": len(findings),
        "headline": {
            "per_pitfall": {p["key"]: len(p["findings"]) for p in pitfalls},
            "errors": severities["error"],
            "warnings": severities["warning"],
            "findings": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "message": messages.wording(f, language)[0],
                }
                for f in findings
            ],
        },
    }
    return section, followed, sentences


# ------------------------------------------------------------ 7. team scorecards


def _figure(value: object, change: bool = False) -> str | None:
    if value is None:
        return None
    text = str(value)
    return f"+{text}" if change and not text.startswith("-") and value != 0 else text


def _card_row(row: cards_core.Row, name: str) -> dict[str, Any]:
    return {
        "key": row.key,
        "name": name,
        "kind": row.kind,
        "current": {m: _figure(getattr(row.current, m)) for m in MEASURES},
        "previous": {m: _figure(getattr(row.previous, m)) for m in MEASURES},
        "change": {m: _figure(row.change[m], change=True) for m in MEASURES},
    }


def measure_labels() -> list[str]:
    """The scorecard measures' headings, in `MEASURES` order (the teams page's words)."""
    return [
        _("On time %"),
        _("Median turnaround (working hours)"),
        _("Rework rate %"),
        _("First-pass approval %"),
        _("Items per person"),
        _("Items"),
    ]


def _card_table(key: str, title: str, heading: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "key": key,
        "title": title,
        "heading": heading,
        "labels": measure_labels(),
        "rows": [
            {
                "key": row["key"],
                "name": row["name"],
                "cells": [
                    {
                        "now": row["current"][m],
                        "before": row["previous"][m],
                        "change": row["change"][m],
                    }
                    for m in MEASURES
                ],
            }
            for row in rows
        ],
    }


def scorecards_section(
    workspace: Workspace, quarter: FiscalQuarter, now: datetime
) -> dict[str, Any]:
    """In-house vs agency and per team, this quarter against the one before (8 queries)."""
    before = quarter.before()
    items = period_items(workspace, before.first, quarter.last)
    calendar = working_calendar(items, quarter.period)
    cards = cards_core.scorecards(items, calendar, quarter.period, now, previous=before.period)
    kinds = [_card_row(r, _kind_name(r.kind or "")) for r in cards.kinds]
    teams = [_card_row(r, r.name) for r in cards.teams]
    groups = [
        svg_work.Group(_kind_name(r.kind or ""), r.current.on_time_pct, r.previous.on_time_pct)
        for r in cards.kinds
    ]
    return {
        "quarter": messages.quarter_label(quarter),
        "previous_quarter": messages.quarter_label(before),
        "kinds": kinds,
        "teams": teams,
        "total": _card_row(cards.total, ""),
        "tables": [
            _card_table("kinds", _("In-house vs agency"), _("Team kind"), kinds),
            _card_table("teams", _("Teams"), _("Team"), teams),
        ],
        "chart": svg_work.percent_pairs(
            groups, messages.quarter_label(quarter), messages.quarter_label(before)
        ),
        "chart_label": _("On time %"),
        "unassigned": cards.unassigned,
        "headline": {
            r["kind"]: {
                "on_time_pct": r["current"]["on_time_pct"],
                "median_turnaround_hours": r["current"]["median_turnaround_hours"],
                "rework_pct": r["current"]["rework_pct"],
                "items": r["current"]["items"],
            }
            for r in kinds
        },
    }


# --------------------------------------------------------------- 9. reallocation


def _latest_done(version: BudgetVersion, quarter: int) -> Fit | None:
    return next((f for f in fits_of(version, quarter) if f.status == Fit.Status.DONE), None)


def reallocation_section(
    workspace: Workspace,
    version: BudgetVersion | None,
    quarter: FiscalQuarter,
    audience: Audience,
    today: date,
) -> dict[str, Any]:
    """The latest finished fit's recommendation for the quarter's remaining months as of
    `today`; amounts left out when the audience may not see the plan's (5 queries)."""
    slug = workspace.slug
    page = reverse("reallocation", args=[slug])
    hide = audience.amounts_hidden
    section: dict[str, Any] = {"amounts_hidden": hide, "fit": False}
    fit = _latest_done(version, quarter.number) if version is not None else None
    if version is None or fit is None:
        query = f"?v={version.pk}&q={quarter.number}" if version is not None else ""
        section.update(page_url=page + query, headline={"fit": False})
        return section
    fit.version.workspace = workspace
    fit.workspace = workspace
    found = recommendation(fit, today)

    def money(amount: Decimal | None) -> str | None:
        return None if hide or amount is None else format_money(amount, workspace.currency)

    allocation = found.allocation
    p_beats = allocation.p_beats_current if allocation is not None else None
    percent = None if p_beats is None else round(p_beats * 100)
    rows = [
        {
            "name": r.name,
            "judged": r.status == "ok",
            "extrapolated": r.extrapolated,
            "reason": r.reason,
            "current": money(r.current),
            "recommended": money(r.recommended),
            "change": money(r.change),
            "direction": (r.change > 0) - (r.change < 0),
            "roi": None if r.roi is None else f"{r.roi:.2f}",
            "roi_low": None if r.roi_low is None else f"{r.roi_low:.2f}",
            "roi_high": None if r.roi_high is None else f"{r.roi_high:.2f}",
        }
        for r in found.rows
    ]

    def exact(amount: Decimal | None) -> str | None:
        return None if hide or amount is None else str(amount)

    section.update(
        fit=True,
        version=f"v{version.number} {version.name}",
        outcome=str(Fit.Outcome(fit.outcome).label),
        finished_on=_shown_day(fit.finished_at) if fit.finished_at else None,
        quarter_over=not found.plan.months,
        judged=bool(found.judged),
        refusal=found.refusal,
        rows=rows,
        unfitted=found.unfitted,
        gain=money(found.gain),
        gain_low=money(found.gain_low),
        gain_high=money(found.gain_high),
        expected=money(found.expected),
        current_expected=money(found.current_expected),
        p_beats_current=percent,
        apply_url=reverse("reallocation_fit", args=[slug, fit.pk]) + "#apply",
        page_url=page,
    )
    section.update(
        headline={
            "fit": True,
            "gain": section["gain"],
            "gain_low": section["gain_low"],
            "gain_high": section["gain_high"],
            "gain_amount": exact(found.gain),
            "gain_low_amount": exact(found.gain_low),
            "gain_high_amount": exact(found.gain_high),
            "p_beats_current": percent,
            "judged": bool(found.judged),
            "amounts_hidden": hide,
        },
    )
    return section


# ------------------------------------------------------------ 10. next actions


def _budget_followed(
    version: BudgetVersion | None, workspace: Workspace, language: str
) -> tuple[list[Followed], dict[str, tuple[str, str]]]:
    """The current version's budget health findings (section 8's), to follow up."""
    if version is None:
        return [], {}
    version.workspace = workspace
    loaded = load_plan(version)
    found = health_findings(loaded.plan, thresholds_for(workspace), workspace.currency)
    followed, sentences = [], {}
    for f in found:
        subject = ",".join(f.subjects)
        followed.append(Followed("budget", f"budget.{f.code}", f.severity, subject, dict(f.params)))
        sentences[f"budget.{f.code}:{subject or actions_core.WHOLE}"] = budget_messages.wording(
            f, language
        )
    return followed, sentences


def report_actions(
    followed: list[Followed], sentences: dict[str, tuple[str, str]]
) -> list[ReportAction]:
    """The checklist: each planned action worded (title: what to do; detail: what was
    found)."""
    planned = actions_core.next_actions(followed)
    return [
        ReportAction(
            key=a.key,
            title=sentences[a.key][1],
            detail=sentences[a.key][0],
            activity_id=a.activity_id,
        )
        for a in planned
    ]


def work_sections(
    workspace: Workspace,
    quarter: FiscalQuarter,
    *,
    language: str,
    audience_team_id: int | None,
    today: date | None = None,
    now: datetime | None = None,
) -> WorkSections:
    """Sections 5, 6, 7, 9 and the actions of 10, in `language`, for the copy of
    `audience_team_id`, as of `today` / `now` (default: now, in the active time zone)."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    audience = audience_of(workspace, audience_team_id)
    versions = versions_of(workspace, quarter.year)
    version = versions[0] if versions else None
    with translation.override(language):
        quarter_items = [h.id for h in period_items(workspace, quarter.first, quarter.last)]
        raci, raci_followed, raci_sentences = raci_section(
            workspace, quarter_items, audience, language, today
        )
        collab, collab_followed, collab_sentences = collaboration_section(
            workspace, quarter, audience, language, now
        )
        sections = {
            "raci": raci,
            "collaboration": collab,
            "scorecards": scorecards_section(workspace, quarter, now),
            "reallocation": reallocation_section(workspace, version, quarter, audience, today),
        }
        followed = raci_followed + collab_followed
        sentences = {**raci_sentences, **collab_sentences}
        if not audience.amounts_hidden:  # budget findings state amounts
            budget_followed, budget_sentences = _budget_followed(version, workspace, language)
            followed += budget_followed
            sentences.update(budget_sentences)
        actions = report_actions(followed, sentences)
        sections["actions"] = {
            "count": len(actions),
            "budget_left_out": audience.amounts_hidden,
            "headline": {"count": len(actions)},
        }
    return WorkSections(sections, actions, audience.amounts_hidden)
