"""Plan against actual (step 5 of the AI marketing budget process): how each budget line
and category of a version spends against its plan, and which lines will overspend first.

Amounts follow the budget page's rule (`Action.VIEW_BUDGET_AMOUNTS`): a line shows its
figures only to those who may see its owner team's amounts; totals, categories, months
and the chart only to those who may see every line. Every table downloads as CSV or XLSX
(`?format=csv|xlsx&table=lines|categories|months|overspend`) under the same rule."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS_3
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.money import decimals
from crewplan.lib.params import int_param, year_param
from crewplan.lib.tables import Table, Value
from crewplan.measure import dashboard_messages as words
from crewplan.measure.actuals import fiscal_months
from crewplan.measure.dashboard_queries import PlanLine, channels_of, plan_lines
from crewplan.measure.models import Channel
from crewplan.measure.pacing import (
    Calendar,
    Pace,
    Period,
    by_category,
    combine,
    months_of,
    overspending_first,
    pace,
)
from crewplan.planning.budget import charts
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget.plan import Category, calendar_month
from crewplan.planning.budget.queries import fiscal_year_of, versions_of
from crewplan.planning.models import BudgetVersion
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, workspace_view
from crewplan.workspaces.models import Workspace
from crewplan.workspaces.permissions import Action, TeamTarget

QUARTERS = ("Q1", "Q2", "Q3", "Q4")
TABLES = ("lines", "categories", "months", "overspend")


def month_labels(workspace: Workspace) -> list[str]:
    start = workspace.fiscal_year_start_month
    return [str(MONTHS_3[calendar_month(m, start)]).capitalize() for m in range(1, 13)]


def _period(value: str | None) -> tuple[str, Period]:
    """?period=ytd|q1…q4|m1…m12; the year to date otherwise."""
    value = value or ""
    number = int_param(value[1:])
    if value[:1] == "q" and number is not None and 1 <= number <= 4:
        return value, Period.quarter(number)
    if value[:1] == "m" and number is not None and 1 <= number <= 12:
        return value, Period.month(number)
    return "ytd", Period()


def _version(request: WorkspaceRequest, today: date) -> tuple[int, BudgetVersion | None]:
    """?v=<pk> (another workspace's: 404), else the newest version of ?year= or this
    fiscal year."""
    workspace = request.workspace
    if (pk := int_param(request.GET.get("v"))) is not None:
        version = get_owned(request, BudgetVersion, pk)
        return version.fiscal_year, version
    year = year_param(request.GET.get("year")) or fiscal_year_of(workspace, today)
    versions = versions_of(workspace, year)  # newest first
    if versions:
        versions[0].workspace = workspace
    return year, versions[0] if versions else None


def _channel(request: WorkspaceRequest) -> Channel | None:
    value = request.GET.get("channel")
    if not value:
        return None
    pk = int_param(value)
    if pk is None:
        raise Http404
    return get_owned(request, Channel, pk)


def _filtered(lines: list[PlanLine], category: str, channel: Channel | None) -> list[PlanLine]:
    return [
        ln
        for ln in lines
        if (not category or ln.input.category == category)
        and (channel is None or ln.channel_id == channel.pk)
    ]


@workspace_view
@require_GET
def plan(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    today = timezone.localdate()
    year, version = _version(request, today)
    period_key, period = _period(request.GET.get("period"))
    category = request.GET.get("category", "")
    category = category if category in Category else ""
    channel = _channel(request)
    months = month_labels(workspace)
    context: dict[str, Any] = {
        "year": year,
        "version": version,
        "versions": versions_of(workspace, year),
        "period": period_key,
        "periods": words.plan_periods(QUARTERS, months),
        "category": category,
        "categories": list(budget_messages.category_labels().items()),
        "channel": channel,
        "channels": channels_of(workspace),
        "today": today,
    }
    if version is not None:
        calendar = Calendar(fiscal_months(year, workspace.fiscal_year_start_month), today)
        context.update(_figures(request, version, calendar, period, category, channel, months))
    if (file_format := wanted_format(request)) is not None:
        return _download(request, context, file_format)
    return render(request, "measure/plan.html", context)


def _figures(
    request: WorkspaceRequest,
    version: BudgetVersion,
    calendar: Calendar,
    period: Period,
    category: str,
    channel: Channel | None,
    months: list[str],
) -> dict[str, Any]:
    membership = request.membership
    lines = _filtered(plan_lines(version), category, channel)
    visible = {
        owner_id: can(membership, Action.VIEW_BUDGET_AMOUNTS, TeamTarget(owner_id))
        for owner_id in {ln.owner_id for ln in lines}
    }
    see_all = can(membership, Action.VIEW_BUDGET_AMOUNTS) or all(visible.values())
    names = budget_messages.category_labels()
    rows: list[dict[str, Any]] = [
        {
            "line": ln,
            "category": names[Category(ln.input.category)],
            "visible": visible[ln.owner_id],
            "pace": pace(ln.input, calendar, period) if visible[ln.owner_id] else None,
        }
        for ln in lines
    ]
    for row in rows:
        row["word"] = words.pace_word(row["pace"]) if row["pace"] is not None else ""
    shown = [row["pace"] for row in rows if row["pace"] is not None]
    figures: dict[str, Any] = {
        "rows": rows,
        "see_all": see_all,
        "any_visible": bool(shown),
        "overspend": overspending_first(shown),
        "category_names": {c.value: n for c, n in names.items()},
    }
    if see_all and lines:
        inputs = [ln.input for ln in lines]
        whole = combine("total", "", _("Total"), inputs)
        month_figures = months_of(whole)
        currency = request.workspace.currency
        total = pace(whole, calendar, period)
        categories = [
            (names[Category(c.category)], pace(c, calendar, period)) for c in by_category(inputs)
        ]
        figures.update(
            total=total,
            total_word=words.pace_word(total),
            by_category=[(name, p, words.pace_word(p)) for name, p in categories],
            months=list(zip(months, month_figures, strict=True)),
            chart=charts.chart(
                kind="bar",
                labels=months,
                series=[
                    (_("Planned"), [m.planned for m in month_figures]),
                    (_("Actual"), [m.actual for m in month_figures]),
                ],
                x_title=_("Month"),
                y_title=_("Amount"),
                currency=currency,
                decimals=decimals(currency),
            ),
        )
    return figures


def _pace_cells(p: Pace, category: str) -> list[Value]:
    return [
        category,
        p.item,
        p.planned,
        p.planned_to_date,
        p.committed,
        p.actual,
        p.available,
        p.pacing,
        words.pace_word(p),
        p.burn_per_day,
        p.burn_per_month,
        p.forecast_linear,
        p.forecast_run_rate,
        p.overspend,
        p.crossing,
    ]


def _download(request: WorkspaceRequest, context: dict[str, Any], file_format: str) -> HttpResponse:
    """The table ?table= names, with what the page shows this member, no more."""
    which = request.GET.get("table", "lines")
    if which not in TABLES:
        raise Http404
    if which in ("categories", "months") and not context.get("see_all"):
        raise PermissionDenied  # totals state every line's amounts
    table = Table(_("Plan against actual"), words.pace_columns())
    names = context.get("category_names", {})
    if which == "lines":
        for row in context.get("rows", []):
            if row["pace"] is None:
                table.rows.append([row["category"], row["line"].input.item])
            else:
                table.rows.append(_pace_cells(row["pace"], row["category"]))
    elif which == "overspend":
        table.rows = [
            _pace_cells(p, names.get(p.category, p.category)) for p in context.get("overspend", [])
        ]
    elif which == "categories":
        table.rows = [_pace_cells(p, name) for name, p, _word in context.get("by_category", [])]
    else:
        table = Table(_("Plan against actual"), words.month_columns())
        table.rows = [
            [label, m.planned, m.actual, m.available] for label, m in context.get("months", [])
        ]
    name = f"plan-{request.workspace.slug}-{context['year']}-{which}"
    return table_download(table, file_format, name)
