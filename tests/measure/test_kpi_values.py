"""KPIs from imported figures: a ratio of the month's sums, the typed value kept where
nothing is imported, direction-aware achievement, quarters, growth, the sparkline."""

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from crewplan.measure.kpi_file import KpiSpec, parse_day, read_kpi_rows
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
from tests.factories import channel_named, client_for, summarize

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
    summarize(ws)


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
    meta = channel_named(ws, "Meta")
    seo = channel_named(ws, "SEO")
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


# KPI actuals imported from a file.

SPECS = {"訂單數": KpiSpec(key=1, additive=True), "cvr": KpiSpec(key=2, additive=False)}


def test_the_file_reader_sums_days_of_additive_kpis_and_takes_months_of_ratios() -> None:
    rows = [
        ["KPI 實績 2026"],
        ["日期", "KPI", "數值"],
        ["2026-03-01", "訂單數", "10"],
        ["115/03/02", "訂單數", "1,005"],
        ["1150401", "訂單數", "7"],
        ["115年3月", "CVR", "2.5%"],
        ["2026/4/9", "CVR", "3"],  # the only April row of a ratio: April's value
        ["合計", "", "1022"],
    ]
    found = read_kpi_rows(rows, SPECS)
    assert found.problems == [] and found.rows_read == 5
    assert found.values == {
        (1, MAR): D(1015),
        (1, date(2026, 4, 1)): D(7),
        (2, MAR): D("2.5"),
        (2, date(2026, 4, 1)): D(3),
    }


def test_the_file_reader_reports_every_problem_and_keeps_nothing() -> None:
    rows = [
        ["date", "kpi", "value"],
        ["2026-13-01", "訂單數", "1"],
        ["2026-03-01", "Mystery", "1"],
        ["2026-03-01", "訂單數", "many"],
        ["2026-03-01", "CVR", "2"],
        ["2026-03-02", "CVR", "3"],  # a second day of a ratio
        ["2026-03", "訂單數", "4"],
        ["2026-03", "訂單數", "4"],  # the month twice
    ]
    found = read_kpi_rows(rows, SPECS)
    assert [(p.code, p.row) for p in found.problems] == [
        ("bad_date", 2),
        ("unknown_kpi", 3),
        ("bad_value", 4),
        ("daily_not_additive", 6),
        ("twice", 8),
    ]
    assert found.values == {}
    assert read_kpi_rows([["a", "b"]], SPECS).problems[0].code == "no_header"


def test_parse_day_reads_roc_and_gregorian_dates() -> None:
    assert parse_day("民國115年3月5日") == (date(2026, 3, 5), False)
    assert parse_day("0991231") == (date(2010, 12, 31), False)
    assert parse_day("2026-03") == (date(2026, 3, 1), True)
    assert parse_day("soon") is None


def test_importing_a_file_through_the_upload_pipeline(world: Any) -> None:
    ws = world.a
    orders = Kpi.objects.create(
        workspace=ws, name="Orders 訂單數", unit="x", formula="sum", metric="orders"
    )
    KpiValue.objects.create(workspace=ws, kpi=orders, month=MAR, value=D(1))
    client = client_for(world.people["alice"])
    text = "日期,KPI,數值\r\n115/03/01,Orders 訂單數,10\r\n115/03/02,orders 訂單數,5\r\n"
    upload = SimpleUploadedFile("kpi.csv", text.encode("cp950"), content_type="text/csv")
    preview = client.post("/w/alpha/results/kpis/import/", {"file": upload})
    page = preview.content.decode()
    assert preview.status_code == 200 and "2026-03" in page
    token = re.search(r'name="preview" value="([^"]+)"', page)[1]  # type: ignore[index]
    assert KpiValue.objects.get(kpi=orders).value == 1  # nothing saved before the confirm
    done = client.post("/w/alpha/results/kpis/import/confirm/", {"preview": token})
    assert done.status_code == 302
    assert KpiValue.objects.get(kpi=orders).value == 15
    record = Import.objects.get(kind="kpi_values")
    assert (record.rows_read, record.rows_replaced, record.file_name) == (2, 1, "kpi.csv")
    again = client.post("/w/alpha/results/kpis/import/confirm/", {"preview": token})
    assert again.status_code == 302 and Import.objects.filter(kind="kpi_values").count() == 1
    bad = SimpleUploadedFile("kpi.csv", "日期,KPI,數值\n115/03/01,Nope,1\n".encode())
    refused = client.post("/w/alpha/results/kpis/import/", {"file": bad})
    assert refused.status_code == 400 and "no KPI called" in refused.content.decode()
    maya = client_for(world.people["maya"])
    assert maya.get("/w/alpha/results/kpis/import/").status_code == 403


def test_parse_day_reads_months_and_days_the_way_the_import_parser_does() -> None:
    # Days are `measure.parse.parse_day`'s: compact Gregorian, full-width digits, spaces.
    assert parse_day("20260305") == (date(2026, 3, 5), False)
    assert parse_day("２０２６－０３－０５") == (date(2026, 3, 5), False)
    assert parse_day("民國 115 年 3 月 5 日") == (date(2026, 3, 5), False)
    for month in ("2026/3", "2026.03", "115/03", "115年3月", "民國115年3月", "99/12"):
        found = parse_day(month)
        assert found is not None and found[1], month
    assert parse_day("99/12") == (date(2010, 12, 1), True)
    assert parse_day("115/13") is None and parse_day("151101") is None
