"""Team scorecards, in-house vs agency: on-time delivery, approval turnaround, rework,
first-pass approval and items per person, by team kind, team and function, with the
period before for comparison (`measure/scorecards.py` computes them).

Every member sees the page, viewers too: it states no amounts, and no item, only counts
and shares per team."""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crewplan.lib.dates import in_range
from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.tables import Table, Value
from crewplan.measure.scorecard_queries import team_scorecards
from crewplan.measure.scorecards import (
    PERIOD_PRESETS,
    Period,
    Row,
    Scorecards,
    preset_period,
)
from crewplan.workspaces.access import WorkspaceRequest, require, workspace_view
from crewplan.workspaces.permissions import Action

TABLES = ("kinds", "teams", "functions")
MAX_CUSTOM_DAYS = 366 * 2  # the period before doubles the span read


def _period(request: WorkspaceRequest, today: date) -> tuple[str, Period, str]:
    """The chosen period (?period=…, custom with ?from=&to=), and an error message when
    the custom dates are unusable (this month is shown instead)."""
    chosen = request.GET.get("period", "this_month")
    if chosen in PERIOD_PRESETS:
        return chosen, preset_period(chosen, today), ""
    if chosen == "custom":
        first = _date(request.GET.get("from"))
        last = _date(request.GET.get("to"))
        if first is None or last is None:
            error = _("Give both dates of the custom period, as YYYY-MM-DD.")
        elif last < first:
            error = _("The custom period ends before it starts.")
        elif (last - first).days >= MAX_CUSTOM_DAYS:
            error = _("A custom period can be at most two years long.")
        else:
            return chosen, Period(first, last), ""
        return "this_month", preset_period("this_month", today), error
    return "this_month", preset_period("this_month", today), ""


def _date(value: str | None) -> date | None:
    try:
        day = parse_date(value or "")
    except ValueError:
        return None
    return day if day is not None and in_range(day) else None


def measure_labels() -> list[tuple[str, str]]:
    """The columns of every table, in order: a measure of `scorecards.MEASURES` and its
    heading."""
    return [
        ("on_time_pct", _("On time %")),
        ("median_turnaround_hours", _("Median turnaround (working hours)")),
        ("rework_pct", _("Rework rate %")),
        ("first_pass_pct", _("First-pass approval %")),
        ("items_per_person", _("Items per person")),
        ("items", _("Items")),
    ]


def kind_label(kind: str | None) -> str:
    return _("In-house") if kind == "internal" else _("Agency (external)")


def _name(table: str, row: Row) -> str:
    if table == "kinds":
        return kind_label(row.kind)
    if table == "functions" and not row.key:
        return _("(no activity)")
    return row.name


def scorecard_table(table: str, cards: Scorecards) -> Table:
    """One of TABLES: a row per team kind, team or function, each measure now, in the
    period before, and the change."""
    titles = {"kinds": _("In-house vs agency"), "teams": _("Teams"), "functions": _("Functions")}
    heading = {"kinds": _("Team kind"), "teams": _("Team"), "functions": _("Function")}[table]
    columns = [heading] + ([_("Team kind")] if table == "teams" else [])
    labels = measure_labels()
    for _measure, label in labels:
        columns += [label, _("%(measure)s, before") % {"measure": label}, _("Change")]
    rows: list[Sequence[Value]] = []
    for row in getattr(cards, table):
        values: list[Value] = [_name(table, row)]
        if table == "teams":
            values.append(kind_label(row.kind))
        for measure, _label in labels:
            values += [
                getattr(row.current, measure),
                getattr(row.previous, measure),
                row.change[measure],
            ]
        rows.append(values)
    return Table(title=titles[table], columns=columns, rows=rows)


def _shown(value: Value, change: bool) -> str:
    if value is None:
        return "—"
    if change and isinstance(value, Decimal | int) and value > 0:
        return f"+{value}"
    return str(value)


def _page_table(table: str, cards: Scorecards) -> dict[str, Any]:
    data = scorecard_table(table, cards)
    first_measure = 2 if table == "teams" else 1
    changes = {
        i for i in range(len(data.columns)) if i >= first_measure and (i - first_measure) % 3 == 2
    }
    return {
        "key": table,
        "title": data.title,
        "columns": data.columns,
        "rows": [[_shown(v, i in changes) for i, v in enumerate(row)] for row in data.rows],
    }


def on_time_chart(cards: Scorecards) -> dict[str, Any]:
    """On-time delivery % per team kind, this period and the one before: the data of
    static/crewplan/charts.js (the same figures are in the first table)."""

    def shares(side: str) -> list[str | None]:
        values = [getattr(row, side).on_time_pct for row in cards.kinds]
        return [None if v is None else str(v) for v in values]

    return {
        "type": "bar",
        "labels": [kind_label(row.kind) for row in cards.kinds],
        "datasets": [
            {"label": _("This period"), "data": shares("current")},
            {"label": _("Period before"), "data": shares("previous")},
        ],
        "stacked": False,
        "xTitle": _("Team kind"),
        "yTitle": _("On time %"),
        "currency": "",
        "symbol": "",
        "decimals": 1,
    }


@workspace_view
@require_GET
def teams_view(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.VIEW_WORKSPACE)
    chosen, period, error = _period(request, timezone.localdate())
    cards = team_scorecards(request.workspace, period)
    file_format = wanted_format(request)
    if file_format is not None:
        asked = request.GET.get("table", "")
        table = asked if asked in TABLES else "teams"
        name = f"scorecards-{table}-{request.workspace.slug}-{period.start}-{period.end}"
        return table_download(scorecard_table(table, cards), file_format, name)
    query = request.GET.copy()
    query.pop("format", None)
    query.pop("table", None)
    return render(
        request,
        "measure/teams.html",
        {
            "chosen": chosen,
            "presets": _preset_labels(),
            "period": period,
            "error": error,
            "cards": cards,
            "tables": [_page_table(table, cards) for table in TABLES],
            "chart": on_time_chart(cards),
            "query": query.urlencode(),
            "custom_from": request.GET.get("from", ""),
            "custom_to": request.GET.get("to", ""),
        },
    )


def _preset_labels() -> list[tuple[str, str]]:
    return [
        ("this_month", _("This month")),
        ("last_month", _("Last month")),
        ("this_quarter", _("This quarter")),
        ("last_quarter", _("Last quarter")),
        ("custom", _("Custom")),
    ]
