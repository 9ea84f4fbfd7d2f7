"""What each channel and campaign bought over a period against the period before, the
blended MER, and daily spend and revenue per channel.

Spend and revenue are amounts: those who may not see the workspace's budget amounts
(`Action.VIEW_BUDGET_AMOUNTS` with no team: an agency unless the owner allows it) see
conversions, clicks, impressions and CTR only: no spend, revenue, ROAS, CPA, CAC, CPC,
MER or daily chart, on the page and in the downloads
(`?format=csv|xlsx&table=channels|campaigns|daily`). One query per table whatever the
number of rows: the database sums the hundredths (`dashboard_queries`)."""

from datetime import date
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.money import decimals
from crewplan.lib.params import int_param
from crewplan.lib.tables import Table, Value
from crewplan.measure import channel_metrics as metrics
from crewplan.measure import dashboard_messages as words
from crewplan.measure.dashboard_queries import channels_of, daily_sums, grouped_sums
from crewplan.measure.models import Campaign, Channel
from crewplan.measure.values import from_x100
from crewplan.planning.budget import charts
from crewplan.workspaces.access import WorkspaceRequest, can, get_owned, workspace_view
from crewplan.workspaces.permissions import Action

# The figures of the tables, in order, with how each is written.
MONEY_FIGURES: tuple[tuple[str, str], ...] = (
    ("spend", "money"),
    ("revenue", "money"),
    ("roas", "ratio"),
)
MONEY_FIGURES += (("cpa", "money"), ("cac", "money"), ("cpc", "money"))
COUNT_FIGURES: tuple[tuple[str, str], ...] = (
    ("conversions", "count"),
    ("clicks", "count"),
    ("impressions", "count"),
)
COUNT_FIGURES += (("ctr", "percent"),)
TABLES = ("channels", "campaigns", "daily")


def _bounds(request: WorkspaceRequest, today: date) -> tuple[str, metrics.Bounds, str]:
    """The chosen period, and a message when a custom one cannot be used (the last 30
    days are shown instead)."""
    choice = request.GET.get("period", "30d")
    choice = choice if choice in metrics.PERIODS else "30d"
    start = request.workspace.fiscal_year_start_month
    if choice != "custom":
        return choice, metrics.period_bounds(choice, today, start_month=start), ""
    try:
        first = date.fromisoformat(request.GET.get("from", ""))
        last = date.fromisoformat(request.GET.get("to", ""))
        return choice, metrics.period_bounds(choice, today, first=first, last=last), ""
    except ValueError:
        error = _(
            "Give a first and a last day, the first on or before the last, at most a year apart."
        )
        return "custom", metrics.period_bounds("30d", today), error


def _owned_param(request: WorkspaceRequest, name: str, model: Any, **filters: Any) -> Any:
    value = request.GET.get(name)
    if not value:
        return None
    if (pk := int_param(value)) is None:
        raise Http404
    return get_owned(request, model, pk, **filters)


def _row(compared: metrics.Compared, figures: tuple[tuple[str, str], ...]) -> dict[str, Any]:
    return {
        "key": compared.key,
        "name": compared.name,
        "cells": [(getattr(compared.now, f), compared.change[f], kind) for f, kind in figures],
    }


@workspace_view
@require_GET
def channels(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    today = timezone.localdate()
    choice, bounds, error = _bounds(request, today)
    channel = _owned_param(request, "channel", Channel)
    campaign = _owned_param(request, "campaign", Campaign, channel=channel) if channel else None
    amounts = can(request.membership, Action.VIEW_BUDGET_AMOUNTS)
    figures = (MONEY_FIGURES if amounts else ()) + COUNT_FIGURES
    known = channels_of(workspace)
    sums = grouped_sums(workspace, bounds, "channel_id")
    empty = (metrics.Sums(), metrics.Sums())
    compared = [metrics.compare(str(c.pk), c.name, *sums.get(c.pk, empty)) for c in known]
    context: dict[str, Any] = {
        "period": choice,
        "periods": words.channel_periods(),
        "bounds": bounds,
        "error": error,
        "channel": channel,
        "campaign": campaign,
        "channels": known,
        "amounts": amounts,
        "headings": words.channel_columns(amounts),
        "channel_rows": [_row(c, figures) for c in compared],
    }
    if amounts:
        context.update(_mer(known, sums))
    if channel is not None:
        campaigns = list(Campaign.objects.for_workspace(workspace).filter(channel=channel))
        by_campaign = grouped_sums(workspace, bounds, "campaign_id", channel=channel)
        context["campaigns"] = campaigns
        context["campaign_rows"] = [
            _row(
                metrics.compare(str(c.pk), c.name or _("(no campaign)"), *by_campaign[c.pk]),
                figures,
            )
            for c in campaigns
            if c.pk in by_campaign
        ]
    if amounts:
        context.update(_daily(request, bounds, known, channel, campaign))
    if (file_format := wanted_format(request)) is not None:
        return _download(request, context, file_format)
    return render(request, "measure/channels.html", context, status=400 if error else 200)


def _mer(
    known: list[Channel], sums: dict[int, tuple[metrics.Sums, metrics.Sums]]
) -> dict[str, Any]:
    """Blended MER now and before: every channel's revenue over the paid channels' spend."""
    paid = {c.pk for c in known if c.kind == Channel.Kind.PAID}
    result = []
    for which in (0, 1):
        revenue = sum(s[which].revenue_x100 for s in sums.values())
        spend = sum(s[which].spend_x100 for pk, s in sums.items() if pk in paid)
        result.append(metrics.mer(revenue, spend))
    return {"mer": result[0], "mer_before": result[1], "mer_change": metrics.change(*result)}


def _daily(
    request: WorkspaceRequest,
    bounds: metrics.Bounds,
    known: list[Channel],
    channel: Channel | None,
    campaign: Campaign | None,
) -> dict[str, Any]:
    """Spend and revenue per day and channel: the chart and its table."""
    filters: dict[str, Any] = {}
    if channel is not None:
        filters["channel"] = channel
    if campaign is not None:
        filters["campaign"] = campaign
    rows = daily_sums(request.workspace, bounds, **filters)
    present = {channel_id for _day, channel_id, _s, _r in rows}
    shown = [c for c in known if c.pk in present]
    days = [
        date.fromordinal(o) for o in range(bounds.first.toordinal(), bounds.last.toordinal() + 1)
    ]
    index = {d: i for i, d in enumerate(days)}
    spend = {c.pk: [0] * len(days) for c in shown}
    revenue = {c.pk: [0] * len(days) for c in shown}
    for day, channel_id, s, r in rows:
        spend[channel_id][index[day]] += s
        revenue[channel_id][index[day]] += r
    series = []
    for c in shown:
        series.append(
            (
                _("%(channel)s spend") % {"channel": c.name},
                [from_x100(v) for v in spend[c.pk]],
            )
        )
        series.append(
            (
                _("%(channel)s revenue") % {"channel": c.name},
                [from_x100(v) for v in revenue[c.pk]],
            )
        )
    currency = request.workspace.currency
    return {
        "daily_series": series,
        "daily_rows": [(d, [values[i] for _name, values in series]) for i, d in enumerate(days)],
        "daily_chart": charts.chart(
            kind="line",
            labels=[d.isoformat() for d in days],
            series=series,
            x_title=_("Day"),
            y_title=_("Amount"),
            currency=currency,
            decimals=decimals(currency),
        )
        if series
        else None,
    }


def _download(request: WorkspaceRequest, context: dict[str, Any], file_format: str) -> HttpResponse:
    which = request.GET.get("table", "channels")
    if which not in TABLES or (which == "campaigns" and "campaign_rows" not in context):
        raise Http404
    if which == "daily":
        if not context["amounts"]:
            raise Http404
        table = Table(_("Daily"), [_("Day"), *(name for name, _values in context["daily_series"])])
        table.rows = [[day, *values] for day, values in context["daily_rows"]]
    else:
        first = _("Channel") if which == "channels" else _("Campaign")
        columns = [first]
        for heading in context["headings"]:
            columns += [heading, _("%(figure)s: change") % {"figure": heading}]
        table = Table(first, columns)
        for row in context[f"{which[:-1]}_rows"]:
            cells: list[Value] = [row["name"]]
            for value, change, _kind in row["cells"]:
                cells += [value, change]
            table.rows.append(cells)
    bounds = context["bounds"]
    name = f"{which}-{request.workspace.slug}-{bounds.first.isoformat()}-{bounds.last.isoformat()}"
    return table_download(table, file_format, name)
