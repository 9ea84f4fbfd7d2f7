"""The quarterly report's money sections, read through the Results pages' own loaders and
cores and turned into the report's JSON-able snapshot:

- "goals" (2): per KPI target against actual per month of the quarter and for the
  quarter, direction-aware (`measure/kpi_views.kpi_rows`, the KPI page's rows);
- "budget" (3): per category and line planned / committed / actual / available for the
  quarter with its pacing, the forecast to year end, the lines off pace
  (`measure/dashboard_queries.plan_lines`, `measure/pacing.py`);
- "roi" (4): per channel ROAS, CAC, MER against the quarter before
  (`measure/dashboard_queries.grouped_sums`, `measure/channel_metrics.py`), per AI tool
  realized against the estimate's three scenarios, usage and satisfaction
  (`measure/tool_queries.tool_results`), flagged when two quarters in a row are below
  the conservative case (`reports/quarter_figures.py`);
- "budget_health" (8): the health findings of the current plan version
  (`planning/budget/queries.load_plan` + `health.health_findings`).

Conventions of the snapshot. Money: strings of exact Decimals in the workspace currency's
major unit, to cents ("12000.00"), formatted when rendered (`report_figures`); ratios
(ROAS, MER, pacing, changes, ROI) strings of Decimals as the cores round them; None
where the core has no figure. Sentences are worded here, in the report's language.

Who sees what follows the pages. The in-house copy (`audience_team_id` None) has every
figure; an external team's copy is what `Action.VIEW_BUDGET_AMOUNTS` lets that team's
members see: a budget line's amounts only for lines their team owns, totals, categories,
the chart and the health findings only when they may see every line, money KPIs, the
channels' money figures and the tools' money figures only when they may see the budget
(the workspace's "external can see budget"). Each section says what it left out.

A fixed number of queries whatever the amount of data (tests/reports/test_report_money.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from crewplan.measure import channel_metrics as metrics
from crewplan.measure import dashboard_messages as words
from crewplan.measure.actuals import fiscal_months
from crewplan.measure.dashboard_queries import channels_of, grouped_sums, plan_lines
from crewplan.measure.kpi_values import definition_of
from crewplan.measure.kpi_views import KpiRow, goal_progress, kpi_rows
from crewplan.measure.models import Channel, ToolReview
from crewplan.measure.pacing import Calendar, Pace, Period, by_category, combine, pace
from crewplan.measure.tool_queries import ToolResult, tool_results
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget.health import health_findings
from crewplan.planning.budget.plan import Category
from crewplan.planning.budget.queries import load_plan, thresholds_for, versions_of
from crewplan.planning.goals.kpis import is_money
from crewplan.planning.goals.messages import unit_name
from crewplan.planning.models import BudgetVersion, Goal, Kpi
from crewplan.planning.tools.roi import ScenarioName
from crewplan.reports import quarter_figures as judge
from crewplan.reports import svg
from crewplan.reports.collaboration import FiscalQuarter
from crewplan.reports.messages import quarter_label
from crewplan.workspaces.access import policy_of
from crewplan.workspaces.models import Team, Workspace
from crewplan.workspaces.permissions import Action, Actor, Policy, TeamTarget, is_allowed

SCENARIOS = (ScenarioName.CONSERVATIVE, ScenarioName.EXPECTED, ScenarioName.OPTIMISTIC)
FINDINGS_PER_CODE = 5  # as the budget page: a big plan has thousands of lines without a KPI
TENTH = Decimal("0.1")
FOUR = Decimal("0.0001")
CENTS = Decimal("0.01")


def _text(value: Decimal | None, step: Decimal | None = None) -> str | None:
    if value is None:
        return None
    return str(value.quantize(step, rounding=ROUND_HALF_UP) if step is not None else value)


@dataclass(frozen=True)
class Audience:
    """Whose copy this is: None for the in-house copy, else a member of the external
    team, asked through the one rule table like the pages ask it."""

    actor: Actor | None
    policy: Policy

    @classmethod
    def of(cls, workspace: Workspace, team_id: int | None) -> "Audience":
        if team_id is None:
            return cls(None, Policy())
        team = Team.objects.for_workspace(workspace).get(pk=team_id)
        return cls(Actor(0, "member", team.pk, team.kind), policy_of(workspace))

    def sees(self, owner_team_id: int | None = None, *, any_owner: bool = False) -> bool:
        """May see the amounts of a line owned by `owner_team_id` (`any_owner`: the
        workspace's amounts as a whole, as the KPI, channel and tool pages ask)."""
        if self.actor is None:
            return True
        target = None if any_owner else TeamTarget(owner_team_id)
        return is_allowed(self.actor, Action.VIEW_BUDGET_AMOUNTS, target, self.policy)


def money_sections(
    workspace: Workspace,
    quarter: FiscalQuarter,
    *,
    language: str,
    audience_team_id: int | None,
    today: date | None = None,
) -> dict[str, Any]:
    """Sections 2, 3, 4 and 8 of the report for `quarter` as of `today` (the workspace's
    today by default), in `language`, as the copy for `audience_team_id`."""
    today = today or timezone.localdate()
    audience = Audience.of(workspace, audience_team_id)
    with translation.override(language):
        versions = versions_of(workspace, quarter.year)  # newest first: the current plan
        version = versions[0] if versions else None
        if version is not None:
            version.workspace = workspace
        return {
            "goals": goals_section(workspace, quarter, audience),
            "budget": budget_section(workspace, quarter, version, audience, today),
            "roi": roi_section(workspace, quarter, audience, today),
            "budget_health": budget_health_section(workspace, version, audience),
        }


# Section 2: goals and KPIs.


def goals_section(
    workspace: Workspace, quarter: FiscalQuarter, audience: Audience
) -> dict[str, Any]:
    kpis = list(Kpi.objects.for_workspace(workspace))
    see_money = audience.sees(any_owner=True)
    hidden = {
        k.pk for k in kpis if not see_money and is_money(definition_of(k), workspace.currency)
    }
    shown = [k for k in kpis if k.pk not in hidden]
    rows = {r.kpi.pk: r for r in kpi_rows(workspace, shown, quarter.months)} if shown else {}
    # kpi_rows labels a quarter target's row by its first month, the KPI page's words.
    row_label = _("3 months from %(month)s") % {"month": quarter.first.strftime("%Y-%m")}
    found: list[dict[str, Any]] = []
    for kpi in kpis:
        if kpi.pk in hidden:
            found.append({"id": kpi.pk, "name": kpi.name, "hidden": True})
            continue
        found.append(_kpi(rows[kpi.pk], row_label))
    counts = judge.verdict_counts(k["verdict"] for k in found if not k["hidden"])
    latest = {r.kpi.pk: r.latest for r in rows.values()}
    goals = [
        {
            "text": g.text,
            "kpi": g.kpi.name if g.kpi else "",
            "hidden": g.kpi_id in hidden,
            "baseline": None if g.kpi_id in hidden else _text(g.baseline),
            "target": None if g.kpi_id in hidden else _text(g.target),
            "latest": None if g.kpi_id in hidden else _text(latest.get(g.kpi_id or 0), FOUR),
            "progress": None if g.kpi_id in hidden else _text(goal_progress(g, latest), TENTH),
        }
        for g in Goal.objects.for_workspace(workspace).select_related("kpi")
    ]
    return {
        "months": [m.strftime("%Y-%m") for m in quarter.months],
        "kpis": found,
        "goals": goals,
        "hidden": len(hidden),
        "headline": {**counts, "hidden": len(hidden)},
    }


def _kpi(row: KpiRow, row_label: str) -> dict[str, Any]:
    months = [judge.Judged(p.target, p.actual, p.achieved) for p in row.months]
    quarter_row = next((q for q in row.quarters if q.label == row_label), None)
    quarter = (
        judge.Judged(quarter_row.target, quarter_row.actual, quarter_row.achieved)
        if quarter_row
        else None
    )
    verdict, achievement = judge.kpi_verdict(quarter, months)
    return {
        "id": row.kpi.pk,
        "name": row.kpi.name,
        "hidden": False,
        "unit": unit_name(row.kpi.unit),
        "direction": row.kpi.direction,
        "months": [
            {
                "month": p.label,
                "target": _text(p.target, FOUR),
                "actual": _text(p.actual, FOUR),
                "source": p.source,
                "achieved": _text(p.achieved, TENTH),
            }
            for p in row.months
        ],
        "quarter": None
        if quarter is None
        else {
            "target": _text(quarter.target, FOUR),
            "actual": _text(quarter.actual, FOUR),
            "achieved": _text(quarter.achieved, TENTH),
        },
        "verdict": verdict,
        "achievement": _text(achievement, TENTH),
        "spark": row.spark,
    }


# Section 3: budget against actual.


def _pace(p: Pace) -> dict[str, Any]:
    return {
        "planned": str(p.planned),
        "committed": str(p.committed),
        "actual": str(p.actual),
        "available": str(p.available),
        "pacing": _text(p.pacing),
        "status": p.status.value,
        "word": words.pace_word(p),
    }


def _forecast(p: Pace) -> dict[str, Any]:
    """The fiscal year: its plan, what is committed (a figure for the year) and still
    available, and the forecasts to its end."""
    return {
        "planned": str(p.planned),
        "committed": str(p.committed),
        "available": str(p.available),
        "linear": str(p.forecast_linear),
        "run_rate": _text(p.forecast_run_rate),
        "overspend": str(p.overspend),
    }


def budget_section(
    workspace: Workspace,
    quarter: FiscalQuarter,
    version: BudgetVersion | None,
    audience: Audience,
    today: date,
) -> dict[str, Any]:
    """Pacing bands as the threshold: the workspace has no variance threshold of its own
    (`reports/quarter_figures.py`)."""
    if version is None:
        return {"version": None, "headline": {"version": None}}
    lines = plan_lines(version)
    teams = dict(Team.objects.for_workspace(workspace).values_list("pk", "name"))
    visible = {o: audience.sees(o) for o in {ln.owner_id for ln in lines}}
    see_all = all(visible.values())
    calendar = Calendar(fiscal_months(quarter.year, workspace.fiscal_year_start_month), today)
    period, year = Period.quarter(quarter.number), Period()
    names = budget_messages.category_labels()
    rows, paced = [], []
    for ln in lines:
        row: dict[str, Any] = {
            "key": ln.input.key,
            "item": ln.input.item,
            "category": names[Category(ln.input.category)],
            "owner": teams.get(ln.owner_id or 0, ""),
            "hidden": not visible[ln.owner_id],
        }
        if visible[ln.owner_id]:
            now = pace(ln.input, calendar, period)
            row.update(quarter=_pace(now), year=_forecast(pace(ln.input, calendar, year)))
            paced.append((ln.input.key, now.status.value, now.pacing))
        rows.append(row)
    # Grouped by category, in the order categories first appear (the category table's).
    first_seen = {c: i for i, c in reversed(list(enumerate(r["category"] for r in rows)))}
    rows.sort(key=lambda r: first_seen[r["category"]])
    by_key = {r["key"]: r for r in rows}
    off = [
        {"item": by_key[o.key]["item"], "band": o.band, "direction": o.direction, **by_key[o.key]}
        for o in judge.off_pace(paced)
    ]
    section: dict[str, Any] = {
        "version": version.name,
        "version_number": version.number,
        "currency": workspace.currency,
        "first": quarter.first.isoformat(),
        "last": quarter.last.isoformat(),
        "today": today.isoformat(),
        "lines": rows,
        "off_pace": off,
        "hidden_lines": sum(1 for r in rows if r["hidden"]),
        "totals_hidden": not see_all,
        "headline": {
            "version": version.name,
            "currency": workspace.currency,
            "hidden": not see_all,
        },
    }
    if see_all and lines:
        inputs = [ln.input for ln in lines]
        total = combine("total", "", _("Total"), inputs)
        categories = [
            (names[Category(c.category)], pace(c, calendar, period), pace(c, calendar, year))
            for c in by_category(inputs)
        ]
        total_now = pace(total, calendar, period)
        section["categories"] = [
            {"name": n, "quarter": _pace(q), "year": _forecast(y)} for n, q, y in categories
        ]
        section["total"] = {
            "quarter": _pace(total_now),
            "year": _forecast(pace(total, calendar, year)),
        }
        section["chart"] = svg.bar_chart(
            [n for n, _q, _y in categories],
            [
                (_("Planned"), [q.planned for _n, q, _y in categories]),
                (_("Actual"), [q.actual for _n, q, _y in categories]),
            ],
        )
        section["headline"].update(
            planned=str(total_now.planned),
            actual=str(total_now.actual),
            pacing=_text(total_now.pacing),
            status=total_now.status.value,
            word=words.pace_word(total_now),
            off_pace=len(off),
        )
    return section


# Section 4: ROI per channel and per AI tool.

CHANNEL_MONEY = (("spend", "money"), ("revenue", "money"), ("roas", "ratio"), ("cac", "money"))
CHANNEL_COUNTS = (("conversions", "count"), ("clicks", "count"), ("ctr", "percent"))


def _bounds(quarter: FiscalQuarter, today: date) -> tuple[metrics.Bounds, bool]:
    """The quarter against the one before; a quarter under way to date, against the same
    days of the one before (the channel page's "this quarter")."""
    if quarter.first <= today <= quarter.last:
        start = quarter.start_month
        return metrics.period_bounds("quarter", today, start_month=start), True
    before = quarter.before()
    return metrics.Bounds(quarter.first, quarter.last, before.first, before.last), False


def roi_section(
    workspace: Workspace, quarter: FiscalQuarter, audience: Audience, today: date
) -> dict[str, Any]:
    see_money = audience.sees(any_owner=True)
    channels, mer = _channel_rows(workspace, quarter, today, see_money)
    tools = [_tool(r, quarter, see_money) for r in tool_results(workspace)]
    section: dict[str, Any] = {
        "currency": workspace.currency,
        "amounts_hidden": not see_money,
        "figures": [
            {"key": key, "kind": kind, "name": str(FIGURE_NAMES()[key])}
            for key, kind in (CHANNEL_MONEY if see_money else ()) + CHANNEL_COUNTS
        ],
        **channels,
        "mer": mer,
        "tools": tools,
        "headline": {
            "mer": mer["now"] if mer else None,
            "tools": [
                {"name": t["name"], "roi": t["quarter"].get("roi"), "flagged": t["flagged"]}
                for t in tools
                if t["reviewed"]
            ],
            "flagged": [t["name"] for t in tools if t["flagged"]],
            "watch": [t["name"] for t in tools if t["watch_months"] and not t["flagged"]],
            "hidden": not see_money,
        },
    }
    shown = [t for t in tools if t["reviewed"]]
    if see_money and shown:
        names = scenario_names()
        section["tools_chart"] = svg.bar_chart(
            [t["name"] for t in shown],
            [(_("Realized"), [Decimal(t["quarter"]["net"]) for t in shown])]
            + [
                (
                    names[s],
                    [
                        Decimal(v) if (v := t["quarter"]["scenarios"][s]) is not None else None
                        for t in shown
                    ],
                )
                for s in SCENARIOS
            ],
        )
    return section


def FIGURE_NAMES() -> dict[str, str]:
    return {
        "spend": _("Spend"),
        "revenue": _("Revenue"),
        "roas": _("ROAS"),
        "cac": _("CAC"),
        "conversions": _("Conversions"),
        "clicks": _("Clicks"),
        "ctr": _("CTR"),
    }


def scenario_names() -> dict[str, str]:
    return {
        ScenarioName.CONSERVATIVE: _("Conservative"),
        ScenarioName.EXPECTED: _("Expected"),
        ScenarioName.OPTIMISTIC: _("Optimistic"),
    }


def _channel_rows(
    workspace: Workspace, quarter: FiscalQuarter, today: date, see_money: bool
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    bounds, to_date = _bounds(quarter, today)
    known = channels_of(workspace)
    sums = grouped_sums(workspace, bounds, "channel_id")
    figures = (CHANNEL_MONEY if see_money else ()) + CHANNEL_COUNTS
    rows = []
    for channel in known:
        if channel.pk not in sums:
            continue
        compared = metrics.compare(str(channel.pk), channel.name, *sums[channel.pk])
        rows.append(
            {
                "name": channel.name,
                "kind": str(Channel.Kind(channel.kind).label),
                "cells": [
                    {
                        "kind": kind,
                        "now": _figure(getattr(compared.now, key)),
                        "before": _figure(getattr(compared.before, key)),
                        "change": _text(compared.change[key]),
                    }
                    for key, kind in figures
                ],
            }
        )
    mer = None
    if see_money and sums:
        # The channel page's blended MER: every channel's revenue over the paid ones' spend.
        paid = {c.pk for c in known if c.kind == Channel.Kind.PAID}
        found = [
            metrics.mer(
                sum(s[which].revenue_x100 for s in sums.values()),
                sum(s[which].spend_x100 for pk, s in sums.items() if pk in paid),
            )
            for which in (0, 1)
        ]
        mer = {
            "now": _text(found[0]),
            "before": _text(found[1]),
            "change": _text(metrics.change(*found)),
        }
    period = {
        "first": bounds.first.isoformat(),
        "last": bounds.last.isoformat(),
        "before_first": bounds.before_first.isoformat(),
        "before_last": bounds.before_last.isoformat(),
        "to_date": to_date,
    }
    return {"channels": rows, "period": period}, mer


def _figure(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def _tool(result: ToolResult, quarter: FiscalQuarter, see_money: bool) -> dict[str, Any]:
    done = result.realized
    reviewed = [
        judge.ReviewedMonth(m.month, m.cost, m.net, m.scenario_net.get(ScenarioName.CONSERVATIVE))
        for m in done.months
    ]
    before = quarter.before()
    flagged, by_quarter = judge.flagged_for_replacement(
        reviewed, {before.label: before.months, quarter.label: quarter.months}
    )
    names = {before.label: quarter_label(before), quarter.label: quarter_label(quarter)}
    months = set(quarter.months)
    in_quarter = [m for m in done.months if m.month in months]
    reviews = [r for r in result.reviews if r.month in months]  # newest first
    tool = result.tool
    row: dict[str, Any] = {
        "name": tool.name,
        "status": str(tool.get_status_display()),
        "has_estimate": result.has_estimate,
        "reviewed": bool(in_quarter),
        "flagged": flagged,
        # The Results page's flag: two reviewed months in a row below conservative.
        "watch_months": pgettext("list separator", ", ").join(
            m.strftime("%Y-%m") for m in done.flagged_months
        ),
        "usage": _usage(reviews, tool.seats),
        "quarter": {},
        "evidence": [],
    }
    if not see_money:
        row["evidence"] = [
            {"quarter": names[label], "months": r.months, "below": r.below}
            for label, r in by_quarter.items()
        ]
        return row
    now = by_quarter[quarter.label]
    row["quarter"] = {
        "cost": _text(now.cost, CENTS),
        "net": _text(now.net, CENTS),
        "roi": _text(now.roi, FOUR),
        "scenarios": {
            s: _text(_sum_or_none(m.scenario_net.get(s) for m in in_quarter), CENTS)
            for s in SCENARIOS
        }
        if result.has_estimate
        else dict.fromkeys(SCENARIOS),
    }
    row["to_date"] = {
        "months": len(done.months),
        "cost": _text(done.cost, CENTS),
        "net": _text(done.net, CENTS),
        "roi": _text(done.roi, FOUR),
        "scenarios": {s: _text(done.scenario_net.get(s), CENTS) for s in SCENARIOS},
        "estimate_roi": {s: _text(e.roi, FOUR) for s, e in result.scenarios.items()},
    }
    row["evidence"] = [
        {
            "quarter": names[label],
            "months": r.months,
            "net": _text(r.net, CENTS),
            "conservative": _text(r.conservative, CENTS),
            "below": r.below,
        }
        for label, r in by_quarter.items()
    ]
    return row


def _sum_or_none(values: Any) -> Decimal | None:
    found = list(values)
    if not found or any(v is None for v in found):
        return None
    return sum(found, Decimal(0))


def _usage(reviews: Sequence[ToolReview], seats: int) -> dict[str, Any]:
    """The quarter's reviews: hours saved and outputs summed, the latest active seats
    against the seats bought, satisfaction averaged (1–5)."""
    if not reviews:
        return {"reviews": 0}
    mean = Decimal(sum(r.satisfaction for r in reviews)) / len(reviews)
    return {
        "reviews": len(reviews),
        "hours_saved": str(sum((r.hours_saved for r in reviews), Decimal(0))),
        "outputs": sum(r.outputs for r in reviews),
        "active_seats": reviews[0].active_seats,
        "seats": seats,
        "satisfaction": _text(mean, TENTH),
    }


# Section 8: budget health.


def budget_health_section(
    workspace: Workspace, version: BudgetVersion | None, audience: Audience
) -> dict[str, Any]:
    """The budget page's health check: only for those who may see every line (its
    findings state amounts)."""
    if version is None:
        return {"version": None, "headline": {"version": None}}
    loaded = load_plan(version)
    if not all(audience.sees(o) for o in loaded.owner_ids):
        return {"version": version.name, "hidden": True, "headline": {"hidden": True}}
    findings = budget_messages.worded(
        health_findings(loaded.plan, thresholds_for(workspace), currency=workspace.currency)
    )
    groups: dict[str, list[budget_messages.Worded]] = {}
    for f in findings:
        groups.setdefault(f.code, []).append(f)
    shown = [
        {
            "code": code,
            "shown": [_finding(f) for f in found[:FINDINGS_PER_CODE]],
            "more": max(len(found) - FINDINGS_PER_CODE, 0),
        }
        for code, found in groups.items()
    ]
    errors = sum(1 for f in findings if f.severity == "error")
    ordered = sorted(findings, key=lambda f: f.severity != "error")
    return {
        "version": version.name,
        "hidden": False,
        "groups": shown,
        "headline": {
            "hidden": False,
            "errors": errors,
            "warnings": len(findings) - errors,
            "top": [_finding(f) for f in ordered[:3]],
        },
    }


def _finding(f: budget_messages.Worded) -> dict[str, str]:
    return {"code": f.code, "severity": f.severity, "message": f.message, "fix": f.fix}
