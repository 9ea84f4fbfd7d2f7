"""Goals and KPIs dashboard: per KPI, target against actual per month and quarter with a
direction-aware achievement, a trend sparkline, which months are imported and which
typed; the goals with their KPI's progress. One table, downloadable."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from crewplan.lib import file_messages, limits, uploads
from crewplan.lib.downloads import table_download, wanted_format
from crewplan.lib.params import year_param
from crewplan.lib.tables import Table, Value
from crewplan.lib.uploads import FileKind
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.measure import kpi_import as kpi_import_service
from crewplan.measure.actuals import fiscal_months
from crewplan.measure.import_queries import import_rows
from crewplan.measure.kpi_file_messages import problem_message
from crewplan.measure.kpi_values import (
    FILE,
    IMPORTED,
    TYPED,
    KpiMonth,
    achievement,
    definition_of,
    kpi_months,
    needed_metrics,
    period_totals,
    sparkline,
)
from crewplan.measure.models import Import
from crewplan.planning.budget.queries import fiscal_year_of
from crewplan.planning.goals.kpis import Formula, is_money
from crewplan.planning.models import Goal, Kpi, KpiTarget
from crewplan.workspaces.access import WorkspaceRequest, can, require, workspace_view
from crewplan.workspaces.permissions import Action

FOUR = Decimal("0.0001")
RECENT_FILES = 10  # KPI file imports listed on the page, newest first


@dataclass
class PeriodRow:
    label: str  # "2026-03" or "2026-Q1 (2026-01 – 2026-03)"
    target: Decimal | None
    actual: Decimal | None
    source: str  # IMPORTED, FILE, TYPED, "" (no value)
    achieved: Decimal | None


@dataclass
class KpiRow:
    kpi: Kpi
    months: list[PeriodRow] = field(default_factory=list)
    quarters: list[PeriodRow] = field(default_factory=list)
    spark: str = ""
    latest: Decimal | None = None
    hidden: bool = False  # money the person may not see: no figure at all


@workspace_view
@require_GET
def kpis(request: WorkspaceRequest) -> HttpResponse:
    """Money KPIs (`kpis.is_money`: ROAS, CAC, revenue…) show no figure, on the page or in
    its downloads, to those who may not see the budget's amounts, as the channels page."""
    workspace = request.workspace
    year = year_param(request.GET.get("year")) or fiscal_year_of(workspace, timezone.localdate())
    months = fiscal_months(year, workspace.fiscal_year_start_month)
    rows = visible_kpi_rows(request, months)
    table = kpis_table(rows)
    file_format = wanted_format(request)
    if file_format:
        return table_download(table, file_format, f"kpis-{workspace.slug}-{year}")
    latest = {row.kpi.pk: row.latest for row in rows}
    hidden = {row.kpi.pk for row in rows if row.hidden}
    goals = [
        {
            "goal": g,
            "latest": latest.get(g.kpi_id or 0),
            "progress": goal_progress(g, latest),
            "hidden": g.kpi_id in hidden,
        }
        for g in Goal.objects.for_workspace(workspace).select_related("kpi")
    ]
    may_import = can(request.membership, Action.EDIT_GOALS)
    context = {
        "year": year,
        "rows": rows,
        "goals": goals,
        "amounts_hidden": bool(hidden),
        "may_import": may_import,
        "kpi_imports": import_rows(workspace, kind=Import.Kind.KPI_VALUES, limit=RECENT_FILES)
        if may_import
        else [],
    }
    return render(request, "measure/kpis.html", context)


def visible_kpi_rows(request: WorkspaceRequest, months: tuple[date, ...]) -> list[KpiRow]:
    """Every KPI's row; a money KPI's without figures (`hidden`) for a person who may not
    see the budget's amounts: its values are not even computed."""
    workspace = request.workspace
    all_kpis = list(Kpi.objects.for_workspace(workspace))
    if can(request.membership, Action.VIEW_BUDGET_AMOUNTS):
        return kpi_rows(workspace, all_kpis, months)
    money = {k.pk for k in all_kpis if is_money(definition_of(k), workspace.currency)}
    shown_kpis = [k for k in all_kpis if k.pk not in money]
    shown = {row.kpi.pk: row for row in kpi_rows(workspace, shown_kpis, months)}
    return [shown.get(k.pk) or KpiRow(k, hidden=True) for k in all_kpis]


def kpi_rows(workspace: Any, all_kpis: list[Kpi], months: tuple[date, ...]) -> list[KpiRow]:
    values, totals = kpi_months(workspace, all_kpis, months) if all_kpis else ({}, {})
    targets: dict[tuple[int, str, date], Decimal] = {
        (t.kpi_id, t.period, t.starts): t.value
        for t in KpiTarget.objects.for_workspace(workspace).filter(
            kpi__in=all_kpis, starts__gte=months[0], starts__lte=months[-1]
        )
    }
    rows = []
    for kpi in all_kpis:
        row = KpiRow(kpi)
        found = values.get(kpi.pk, {})
        for month in months:
            got = found.get(month)
            target = targets.get((kpi.pk, KpiTarget.Period.MONTH, month))
            actual = got.value if got else None
            row.months.append(
                PeriodRow(
                    month.strftime("%Y-%m"),
                    target,
                    actual,
                    got.source if got else "",
                    achievement(kpi.direction, target, actual),
                )
            )
        for (kpi_id, period, starts), target in sorted(targets.items()):
            if kpi_id == kpi.pk and period == KpiTarget.Period.QUARTER:
                actual = quarter_actual(kpi, starts, found, totals)
                row.quarters.append(
                    PeriodRow(
                        _("3 months from %(month)s") % {"month": starts.strftime("%Y-%m")},
                        target,
                        actual,
                        "",
                        achievement(kpi.direction, target, actual),
                    )
                )
        series = [m.actual for m in row.months]
        row.spark = sparkline(series)
        row.latest = next((v for v in reversed(series) if v is not None), None)
        rows.append(row)
    return rows


def quarter_actual(
    kpi: Kpi,
    starts: date,
    found: dict[date, KpiMonth],
    totals: dict[date, dict[str, Decimal]],
) -> Decimal | None:
    """The KPI over the three months from `starts`: from the imported totals when they
    cover all three (a ratio of the quarter's sums), else from the three monthly values
    (summed for a sum KPI, averaged otherwise); None when a month has no value."""
    quarter = [
        date(starts.year + (starts.month + i - 1) // 12, (starts.month + i - 1) % 12 + 1, 1)
        for i in range(3)
    ]
    needed = needed_metrics(kpi)
    if needed and kpi.formula != Formula.GROWTH:
        summed = period_totals(totals, quarter)
        if all(n in summed for n in needed):
            return definition_of(kpi).value(summed)
    monthly = [found[m].value for m in quarter if m in found]
    if len(monthly) < 3:
        return None
    total = sum(monthly, Decimal(0))
    return total if kpi.formula == Formula.SUM else total / 3


def goal_progress(goal: Goal, latest: dict[int, Decimal | None]) -> Decimal | None:
    """How far the KPI's latest value went from the goal's baseline to its target, in
    percent (works for both directions: the sign of target − baseline carries it)."""
    actual = latest.get(goal.kpi_id or 0)
    if actual is None or goal.baseline is None or goal.target is None:
        return None
    distance = goal.target - goal.baseline
    return (actual - goal.baseline) / distance * 100 if distance else None


def kpis_table(rows: list[KpiRow]) -> Table:
    columns = [_("KPI"), _("Period"), _("Target"), _("Actual"), _("Source"), _("Achievement (%)")]
    names = {IMPORTED: _("imported"), FILE: _("from a file"), TYPED: _("typed")}
    out: list[Sequence[Value]] = []
    for row in rows:
        if row.hidden:
            out.append([row.kpi.name, "", None, None, _("Amounts hidden"), None])
        for period in [*row.months, *row.quarters]:
            if period.target is None and period.actual is None:
                continue
            out.append(
                [
                    row.kpi.name,
                    period.label,
                    _round(period.target),
                    _round(period.actual),
                    names.get(period.source, ""),
                    _round(period.achieved, Decimal("0.1")),
                ]
            )
    return Table(title=_("KPIs"), columns=columns, rows=out)


def _round(value: Decimal | None, step: Decimal = FOUR) -> Decimal | None:
    return None if value is None else value.quantize(step)


@workspace_view
@require_http_methods(["GET", "POST"])
def kpi_import(request: WorkspaceRequest) -> HttpResponse:
    """Upload a file of KPI actuals and see what it holds and every problem; nothing is
    saved until the preview is confirmed."""
    require(request, Action.EDIT_GOALS)
    workspace = request.workspace
    context: dict[str, Any] = {"max_mb": uploads.megabytes(limits.KPI_VALUES)}
    if request.method == "GET":
        return render(request, "measure/kpi_import.html", context)
    try:
        upload = uploads.read_upload(
            request.FILES.get("file"), limits.KPI_VALUES, (FileKind.XLSX, FileKind.TEXT)
        )
        rows, _encoding = kpi_import_service.file_rows(upload)
    except UnusableFile as error:
        context["error"] = file_messages.refusal(error)
        return render(request, "measure/kpi_import.html", context, status=400)
    found = kpi_import_service.read_kpi_file(workspace, rows)
    names = {k.pk: k.name for k in Kpi.objects.for_workspace(workspace)}
    context.update(
        filename=upload.name,
        problems=[problem_message(p) for p in found.problems],
        values=[(names[k], m, v) for (k, m), v in sorted(found.values.items())],
        token=""
        if found.problems or not found.values
        else kpi_import_service.sign(
            workspace, upload.name, kpi_import_service.checksum_of(upload.data), found
        ),
    )
    return render(
        request, "measure/kpi_import.html", context, status=400 if found.problems else 200
    )


@workspace_view
@require_POST
def kpi_import_confirm(request: WorkspaceRequest) -> HttpResponse:
    require(request, Action.EDIT_GOALS)
    workspace = request.workspace
    try:
        done = kpi_import_service.kpi_values_import(
            workspace=workspace, actor=request.user, token=request.POST.get("preview", "")
        )
    except uploads.PreviewRefused as refused:
        messages.error(request, refused.message)
        return redirect("measure_kpi_import", slug=workspace.slug)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("measure_kpi_import", slug=workspace.slug)
    messages.success(
        request,
        _(
            "Imported %(added)s new and %(replaced)s changed monthly KPI values; "
            "%(unchanged)s were the same already."
        )
        % {
            "added": done.rows_added,
            "replaced": done.rows_replaced,
            "unchanged": done.rows_unchanged,
        },
    )
    return redirect("measure_kpis", slug=workspace.slug)
