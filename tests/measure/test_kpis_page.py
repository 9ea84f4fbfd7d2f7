"""The goals and KPIs dashboard: target against actual per month and quarter,
direction-aware, imported against typed months, goals with progress, downloads, a
constant number of queries."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.measure.models import Campaign, Channel, DailyMetric, Import
from crewplan.planning.models import Goal, Kpi, KpiTarget, KpiValue
from tests.factories import client_for, summarize

D = Decimal


def imported_cac(ws: Any, month: int, spend: int, new_customers: int) -> None:
    meta, _ = Channel.objects.get_or_create(workspace=ws, name="Meta")
    campaign, _ = Campaign.objects.get_or_create(workspace=ws, channel=meta, name="")
    source, _ = Import.objects.get_or_create(
        workspace=ws, file_name="f.csv", checksum="x", layout="generic"
    )
    DailyMetric.objects.create(
        workspace=ws,
        day=date(2026, month, 3),
        channel=meta,
        campaign=campaign,
        source=source,
        spend_x100=spend * 100,
        extras={"new_customers": new_customers * 100},
    )
    summarize(ws)


def cac_world(world: Any) -> Kpi:
    ws = world.a
    cac = Kpi.objects.create(
        workspace=ws,
        name="CAC 獲客成本",
        unit="TWD",
        direction="lower",
        formula="ratio",
        metric="spend",
        denominator="new_customers",
    )
    imported_cac(ws, 1, 8000, 100)  # 80 a customer
    KpiValue.objects.create(workspace=ws, kpi=cac, month=date(2026, 2, 1), value=D(120))
    KpiTarget.objects.create(
        workspace=ws, kpi=cac, period="month", starts=date(2026, 1, 1), value=100
    )
    KpiTarget.objects.create(
        workspace=ws, kpi=cac, period="month", starts=date(2026, 2, 1), value=90
    )
    Goal.objects.create(workspace=ws, text="Cheaper customers", kpi=cac, baseline=150, target=90)
    return cac


def test_target_against_actual_direction_aware(world: Any) -> None:
    cac = cac_world(world)
    page = client_for(world.people["maya"]).get("/w/alpha/results/kpis/?year=2026").content.decode()
    assert f'id="kpi-{cac.pk}"' in page
    assert 'data-month="2026-01" data-source="imported"' in page
    assert 'data-month="2026-02" data-source="typed"' in page
    assert "125.0%" in page  # January: target 100 ÷ actual 80
    assert "75.0%" in page  # February: 90 ÷ 120
    assert "<polyline" in page
    # The goal: from 150 towards 90, the latest value (February, 120) is half-way.
    assert "50.0%" in page


def test_quarter_from_the_quarters_sums(world: Any) -> None:
    cac = cac_world(world)
    imported_cac(world.a, 2, 2000, 100)  # February imported too: now 20 a customer
    imported_cac(world.a, 3, 0, 0)
    KpiTarget.objects.create(
        workspace=world.a, kpi=cac, period="quarter", starts=date(2026, 1, 1), value=D(60)
    )
    csv = client_for(world.people["alice"]).get("/w/alpha/results/kpis/?year=2026&format=csv")
    text = csv.content.decode("utf-8-sig")
    # 10,000 spent on 200 customers: 50 (not the mean of 80 and 20); 60 ÷ 50 = 120 %.
    assert "3 months from 2026-01,60.0000,50.0000,,120.0" in text
    assert "CAC 獲客成本,2026-02,90.0000,20.0000,imported,450.0" in text


def test_queries_do_not_grow_with_the_data(world: Any) -> None:
    client = client_for(world.people["alice"])
    cac_world(world)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/w/alpha/results/kpis/?year=2026").status_code == 200
        return len(queries)

    small = count()
    for n in range(5):
        kpi = Kpi.objects.create(
            workspace=world.a, name=f"Sessions {n}", unit="x", formula="sum", metric="sessions"
        )
        Goal.objects.create(workspace=world.a, text=f"Goal {n}", kpi=kpi, baseline=1, target=2)
        for month in range(3, 9):
            KpiValue.objects.create(workspace=world.a, kpi=kpi, month=date(2026, month, 1), value=n)
            imported_cac(world.a, month, 100, 1) if n == 0 else None
    assert "Sessions 4" in client.get("/w/alpha/results/kpis/?year=2026").content.decode()
    assert count() == small


def test_the_pages_are_chinese_for_a_chinese_workspace(world: Any) -> None:
    Kpi.objects.create(workspace=world.b, name="轉換率", unit="%", metric="c", denominator="s")
    client = client_for(world.people["charlie"])
    page = client.get("/w/beta/results/kpis/").content.decode()
    assert "越高越好" in page and "目標值與實際值對照" in page
    assert "higher is better" not in page and "Download CSV" not in page
    tools = client.get("/w/beta/results/tools/").content.decode()
    assert "實際與預估對照" in tools and "How the realized" not in tools
