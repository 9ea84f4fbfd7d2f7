"""KPI values from the imported daily figures, and the values the KPI pages show.

A KPI whose metric (and denominator) are imported metrics (METRIC_SOURCES) gets its
monthly value from the month's totals: Σ metric ÷ Σ denominator × scale — a ratio of
sums, never a mean of daily ratios — over every channel (a KPI names no channel), by
the catalogue's own `KpiDefinition.value` (growth: against the month before). Where a
month has imported data for every metric the KPI needs, that value replaces the typed
`KpiValue` for display; typed values stay for the other months and KPIs. A formula of
`average` (a score averaged over days) is not computed from imports.

One query for the figures of every KPI and month, one for the typed values.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, BigIntegerField, Count, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce, TruncMonth

from crewplan.measure.models import ChannelDay
from crewplan.planning.goals.kpis import HIGHER, Formula, KpiDefinition
from crewplan.planning.models import Kpi, KpiValue
from crewplan.workspaces.models import Workspace

IMPORTED = "imported"  # computed from the imported daily figures
FILE = "file"  # a value of a KPI file import (`measure.kpi_import`)
TYPED = "typed"


@dataclass(frozen=True, slots=True)
class Source:
    """Where an imported metric is stored: a DailyMetric column or a key of its
    `extras` (summed per channel and day in `ChannelDay`'s), and whether it is kept in
    hundredths."""

    column: str = ""  # a DailyMetric field
    extra: str = ""  # a key of DailyMetric.extras (always hundredths)
    hundredths: bool = True


# The catalogue's metric names (planning/goals/kpis.py) that imports produce. "profit",
# "weeks" and "csat_score" are not imported: KPIs on them stay typed by hand.
METRIC_SOURCES: Mapping[str, Source] = {
    "spend": Source(column="spend_x100"),
    "revenue": Source(column="revenue_x100"),
    "conversions": Source(column="conversions_x100"),
    "clicks": Source(column="clicks", hundredths=False),
    "impressions": Source(column="impressions", hundredths=False),
    "sessions": Source(extra="sessions"),
    "key_events": Source(extra="key_events"),
    "new_customers": Source(extra="new_customers"),
    "customers": Source(extra="customers"),
    "engagements": Source(extra="engagements"),
    "email_opens": Source(extra="email_opens"),
    "emails_delivered": Source(extra="emails_delivered"),
    "chats": Source(extra="chats"),
    "chats_resolved": Source(extra="chats_resolved"),
    "content_pieces": Source(extra="content_pieces"),
}


def definition_of(kpi: Kpi) -> KpiDefinition:
    return KpiDefinition(
        key=kpi.catalogue_key,
        unit=kpi.unit,
        direction=kpi.direction,
        formula=Formula(kpi.formula),
        metric=kpi.metric,
        denominator=kpi.denominator,
        scale=Decimal(kpi.scale),
    )


def needed_metrics(kpi: Kpi) -> tuple[str, ...]:
    """The imported metrics the KPI is computed from; () when it cannot be imported."""
    if kpi.formula == Formula.AVERAGE:
        return ()
    names = (kpi.metric, kpi.denominator) if kpi.formula == Formula.RATIO else (kpi.metric,)
    return names if all(n in METRIC_SOURCES for n in names) else ()


# Pure helpers (no database): the monthly values from totals, quarters, achievement.


def monthly_values(
    definition: KpiDefinition,
    totals: Mapping[date, Mapping[str, Decimal]],
    months: Sequence[date],
) -> dict[date, Decimal]:
    """The KPI per month from each month's metric totals (a month missing a metric has
    no total for it, so no value); growth compares with the calendar month before."""
    values = {}
    for month in months:
        previous = totals.get(_month_before(month))
        value = definition.value(dict(totals.get(month, {})), dict(previous or {}))
        if value is not None:
            values[month] = value
    return values


def period_totals(
    totals: Mapping[date, Mapping[str, Decimal]], months: Iterable[date]
) -> dict[str, Decimal]:
    """The metrics summed over several months: a metric counts only if every month has
    it (a quarter with a month not imported is not a quarter's total)."""
    months = list(months)
    names = set.intersection(*(set(totals.get(m, {})) for m in months)) if months else set()
    return {n: sum((totals[m][n] for m in months), Decimal(0)) for n in names}


def achievement(direction: str, target: Decimal | None, actual: Decimal | None) -> Decimal | None:
    """How far the actual went towards the target, in percent: actual ÷ target × 100
    when higher is better, target ÷ actual × 100 when lower is better (a CAC of 80 against
    a target of 100 is 125 %). None without both figures or with a zero divisor."""
    if target is None or actual is None:
        return None
    top, bottom = (actual, target) if direction == HIGHER else (target, actual)
    return top / bottom * 100 if bottom else None


def sparkline(values: Sequence[Decimal | None], width: int = 120, height: int = 28) -> str:
    """The `points` of an SVG polyline through the values (None: a gap is skipped), the
    lowest at the bottom; "" with fewer than two values."""
    shown = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(shown) < 2:
        return ""
    low, high = min(v for _i, v in shown), max(v for _i, v in shown)
    span = high - low or Decimal(1)
    step = Decimal(width) / max(len(values) - 1, 1)
    return " ".join(
        f"{(step * i):.1f},{(height - 2 - (v - low) / span * (height - 4)):.1f}" for i, v in shown
    )


def _month_before(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


# Queries.


def imported_totals(
    workspace: Workspace, metrics: Iterable[str], first: date, end: date
) -> dict[date, dict[str, Decimal]]:
    """month → metric → total over every channel, in the metric's unit, for the months
    from `first` up to `end` (excluded). A metric from `extras` counts in a month only
    if some row of that month carries it; a column, if the month has any row."""
    wanted = sorted(set(metrics) & set(METRIC_SOURCES))
    if not wanted:
        return {}
    annotations: dict[str, Aggregate] = {"rows": Sum("rows")}
    for name in wanted:
        source = METRIC_SOURCES[name]
        if source.column:
            annotations[f"sum_{name}"] = Sum(source.column)
        else:
            value = Cast(KeyTextTransform(source.extra, "extras"), BigIntegerField())
            annotations[f"sum_{name}"] = Sum(Coalesce(value, 0))
            annotations[f"has_{name}"] = Count("pk", filter=Q(extras__has_key=source.extra))
    rows = (  # from the per channel and day sums: an extra is in a day's sums if a row had it
        ChannelDay.objects.for_workspace(workspace)
        .filter(day__gte=first, day__lt=end)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(**annotations)
    )
    found: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for values in rows:
        row: dict[str, Any] = dict(values)  # its keys are the annotations above
        month = row["month"] if type(row["month"]) is date else row["month"].date()
        for name in wanted:
            source = METRIC_SOURCES[name]
            if not row["rows"] or (source.extra and not row[f"has_{name}"]):
                continue
            total = Decimal(row[f"sum_{name}"] or 0)
            found[month][name] = total.scaleb(-2) if source.hundredths else total
    return dict(found)


@dataclass(frozen=True, slots=True)
class KpiMonth:
    value: Decimal
    source: str  # IMPORTED, FILE or TYPED


def kpi_months(
    workspace: Workspace, kpis: Sequence[Kpi], months: Sequence[date]
) -> tuple[dict[int, dict[date, KpiMonth]], dict[date, dict[str, Decimal]]]:
    """Per KPI pk: the value of each month that has one, imported where the imports can
    compute it, else from a KPI file or typed; and the imported totals (for quarters)."""
    first, last = min(months), max(months)
    end = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    totals = imported_totals(
        workspace, {m for k in kpis for m in needed_metrics(k)}, _month_before(first), end
    )
    result: dict[int, dict[date, KpiMonth]] = {k.pk: {} for k in kpis}
    typed = KpiValue.objects.for_workspace(workspace).filter(
        kpi__in=kpis, month__gte=first, month__lte=last
    )
    for kpi_id, month, value, source in typed.values_list("kpi_id", "month", "value", "source"):
        result[kpi_id][month] = KpiMonth(value, TYPED if source is None else FILE)
    for kpi in kpis:
        if needed_metrics(kpi):
            for month, value in monthly_values(definition_of(kpi), totals, months).items():
                result[kpi.pk][month] = KpiMonth(value, IMPORTED)
    return result, totals
