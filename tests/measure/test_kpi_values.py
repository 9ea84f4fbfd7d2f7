"""KPIs from imported figures: a ratio of the month's sums, the typed value kept where
nothing is imported, direction-aware achievement, quarters, growth, the sparkline."""

from datetime import date
from decimal import Decimal
from typing import Any

from crewplan.measure.kpi_values import (
    IMPORTED,
    TYPED,
    achievement,
    kpi_months,
    monthly_values,
    needed_metrics,
    period_totals,
    sparkline,
)
from crewplan.measure.models import Campaign, Channel, DailyMetric, Import
from crewplan.planning.goals.kpis import BY_KEY
from crewplan.planning.models import Kpi, KpiValue

D = Decimal
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


def day(ws: Any, channel: Channel, on: date, **figures: Any) -> None:
    source, _ = Import.objects.get_or_create(
        workspace=ws, file_name="f.csv", checksum="x", layout="generic"
    )
    campaign, _ = Campaign.objects.get_or_create(workspace=ws, channel=channel, name="")
    DailyMetric.objects.create(
        workspace=ws, day=on, channel=channel, campaign=campaign, source=source, **figures
    )


def test_a_ratio_is_the_ratio_of_the_months_sums() -> None:
    rate = BY_KEY["conversion_rate"]
    totals = {JAN: {"conversions": D(30), "sessions": D(1000)}}
    assert monthly_values(rate, totals, [JAN, FEB]) == {JAN: D(3)}
    # Day 1: 1/10 = 10 %, day 2: 29/990: the mean of the ratios (≈6.5 %) would be wrong.
    assert period_totals({JAN: {"a": D(1)}, FEB: {"a": D(2)}}, [JAN, FEB]) == {"a": D(3)}
    assert period_totals({JAN: {"a": D(1)}}, [JAN, FEB]) == {}  # February missing


def test_growth_compares_with_the_month_before() -> None:
    growth = BY_KEY["traffic_growth"]
    totals = {JAN: {"sessions": D(1000)}, FEB: {"sessions": D(1250)}}
    assert monthly_values(growth, totals, [JAN, FEB]) == {FEB: D(25)}


def test_achievement_follows_the_direction() -> None:
    assert achievement("higher", D(200), D(150)) == D(75)
    assert achievement("lower", D(100), D(80)) == D(125)  # CAC 80 against a target of 100
    assert achievement("lower", D(100), D(0)) is None
    assert achievement("higher", None, D(1)) is None


def test_sparkline_spans_the_box() -> None:
    assert sparkline([D(1), None, D(3)]) == "0.0,26.0 120.0,2.0"
    assert sparkline([D(1)]) == ""


def test_only_imported_metrics_make_a_kpi_importable() -> None:
    assert needed_metrics(Kpi(formula="ratio", metric="spend", denominator="new_customers")) == (
        "spend",
        "new_customers",
    )
    assert needed_metrics(Kpi(formula="ratio", metric="profit", denominator="spend")) == ()
    assert needed_metrics(Kpi(formula="average", metric="csat_score")) == ()


def test_imported_months_replace_typed_ones(world: Any) -> None:
    ws = world.a
    rate = Kpi.objects.create(
        workspace=ws,
        name="CVR",
        unit="%",
        formula="ratio",
        metric="conversions",
        denominator="sessions",
        scale=100,
    )
    meta = Channel.objects.create(workspace=ws, name="Meta")
    seo = Channel.objects.create(workspace=ws, name="SEO")
    day(ws, meta, date(2026, 1, 2), conversions_x100=100, extras={"sessions": 1000})
    day(ws, seo, date(2026, 1, 9), conversions_x100=2900, extras={"sessions": 99000})
    day(ws, meta, date(2026, 2, 2), conversions_x100=500)  # no sessions imported in February
    KpiValue.objects.create(workspace=ws, kpi=rate, month=JAN, value=D(9))
    KpiValue.objects.create(workspace=ws, kpi=rate, month=FEB, value=D("2.5"))
    values, totals = kpi_months(ws, [rate], [JAN, FEB, MAR])
    assert values[rate.pk][JAN].source == IMPORTED
    assert values[rate.pk][JAN].value == D(3)  # 30 conversions ÷ 1,000 sessions × 100
    assert values[rate.pk][FEB].value == D("2.5") and values[rate.pk][FEB].source == TYPED
    assert MAR not in values[rate.pk]
    assert totals[JAN] == {"conversions": D(30), "sessions": D(1000)}
