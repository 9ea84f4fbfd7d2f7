"""The plan against actual page (/w/<slug>/results/plan/): a past fiscal year, so every
day has elapsed and the pacing is actual ÷ planned whatever day the tests run."""

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.measure.models import Channel, Expense
from crewplan.planning.models import BudgetLine, BudgetVersion
from tests.factories import change_settings, channel_named, client_for, metric_rows

URL = "/w/alpha/results/plan/"


def ten_days(year: int, month: int) -> list[date]:
    return [date(year, month, 1) + timedelta(days=i) for i in range(10)]


def add_line(
    version: BudgetVersion, item: str, category: str, owner: Any, **fields: Any
) -> BudgetLine:
    return BudgetLine.objects.create(
        workspace=version.workspace,
        version=version,
        item=item,
        category=category,
        owner=owner,
        **fields,
    )


@pytest.fixture
def plan_2024(world: Any) -> dict[str, Any]:
    """Meta ads: 1,000 a month planned, 2,500 spent (January and February); the agency's
    retainer: 55,555 planned in January, 60,000 invoiced; training: 3,000, nothing spent."""
    a = world.a
    meta = channel_named(a, "Meta")
    version = BudgetVersion.objects.create(
        workspace=a, fiscal_year=2024, number=1, name="Plan 2024"
    )
    months = {f"m{m:02d}": Decimal(1000) for m in range(1, 13)}
    add_line(
        version,
        "Meta ads",
        "media",
        world.a_in_house,
        channel=meta,
        committed=Decimal(500),
        **months,
    )
    retainer = add_line(
        version, "Agency retainer", "agency_fees", world.a_agency, m01=Decimal(55555)
    )
    add_line(version, "Training", "training", world.a_in_house, m01=Decimal(3000))
    metric_rows(a, meta, ten_days(2024, 1), spend_x100=100_00)
    metric_rows(a, meta, ten_days(2024, 2), spend_x100=150_00)
    Expense.objects.create(workspace=a, line=retainer, day=date(2024, 1, 15), amount=Decimal(60000))
    return {"version": version, "meta": meta, "retainer": retainer}


def page(client: Any, version: BudgetVersion, **params: Any) -> Any:
    return client.get(URL, {"v": version.pk, **params})


def test_summary_lines_categories_and_the_first_to_overspend(world: Any, plan_2024: Any) -> None:
    response = page(client_for(world.people["alice"]), plan_2024["version"])
    assert response.status_code == 200
    body = response.content.decode()
    summary = body[body.index('id="plan-summary"') : body.index('id="plan-chart"')]
    assert "NT$70,555" in summary and "NT$62,500" in summary  # planned, actual
    assert "88.6%" in summary and "Too slow" in summary  # 62,500 / 70,555, a whole year elapsed
    lines = body[body.index('id="line-table"') :]
    meta = re.search(r'data-line="Meta ads">(.*?)</tr>', lines, re.S)[1]  # type: ignore[index]
    assert "NT$12,000" in meta and "NT$2,500" in meta and "20.8%" in meta and "Too slow" in meta
    overspend = body[body.index('id="overspend-table"') : body.index('id="categories"')]
    assert "Agency retainer" in overspend and "NT$4,445" in overspend
    assert "Meta ads" not in overspend
    categories = body[body.index('id="category-table"') : body.index('id="lines"')]
    assert "Agency fees" in categories and "Training" in categories
    # The chart's figures are in the month table too.
    assert '"data": ["59555.00", "1000.00"' in body  # January: 1,000 + 55,555 + 3,000
    assert '"data": ["61000.00", "1500.00"' in body  # spent: 1,000 + 60,000, then 1,500
    months = body[body.index('id="month-table"') :]
    assert "NT$59,555" in months and "NT$61,000" in months


def test_filters_by_period_category_and_channel(world: Any, plan_2024: Any) -> None:
    alice = client_for(world.people["alice"])
    version = plan_2024["version"]
    body = page(alice, version, category="media").content.decode()
    assert "Meta ads" in body and "Agency retainer" not in body
    assert "NT$12,000" in body[body.index('id="plan-summary"') :]
    by_channel = page(alice, version, channel=plan_2024["meta"].pk).content.decode()
    assert "Meta ads" in by_channel and 'data-line="Training"' not in by_channel
    # The first quarter of Meta ads: 2,500 of 3,000.
    quarter = page(alice, version, category="media", period="q1").content.decode()
    summary = quarter[quarter.index('id="plan-summary"') : quarter.index('id="plan-chart"')]
    assert "NT$3,000" in summary and "83.3%" in summary and "Too slow" in summary
    january = page(alice, version, period="m1").content.decode()
    assert "NT$59,555" in january[january.index('id="plan-summary"') :]  # 1,000 + 55,555 + 3,000


def test_the_newest_version_of_the_year_by_default(world: Any, plan_2024: Any) -> None:
    BudgetVersion.objects.create(
        workspace=world.a, fiscal_year=2024, number=2, name="Q2 re-forecast"
    )
    body = client_for(world.people["alice"]).get(URL, {"year": 2024}).content.decode()
    assert "Q2 re-forecast" in body[: body.index('id="plan-filters"')]


def test_downloads_have_a_bom_and_quote_formulas(world: Any, plan_2024: Any) -> None:
    add_line(
        plan_2024["version"],
        '=HYPERLINK("http://x")',
        "consulting",
        world.a_in_house,
        m01=Decimal(1),
    )
    alice = client_for(world.people["alice"])
    response = page(alice, plan_2024["version"], format="csv", table="lines")
    assert response["Content-Type"].startswith("text/csv")
    data = response.content
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\r\nMedia spend,Meta ads,12000.00," in text
    for table in ("categories", "months", "overspend"):
        xlsx = page(alice, plan_2024["version"], format="xlsx", table=table)
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert page(alice, plan_2024["version"], format="csv", table="nope").status_code == 404


def test_the_agency_sees_its_own_line_and_no_totals(world: Any, plan_2024: Any) -> None:
    amy = client_for(world.people["amy"])
    body = page(amy, plan_2024["version"]).content.decode()
    assert "NT$55,555" in body  # the agency's own line
    for hidden in ("NT$12,000", "NT$70,555", "NT$2,500", "NT$3,000"):
        assert hidden not in body
    assert "Totals state every line" in body and 'id="plan-chart"' not in body
    csv = page(amy, plan_2024["version"], format="csv", table="lines").content.decode("utf-8-sig")
    assert "55555" in csv and "12000" not in csv and "Meta ads" in csv
    for table in ("categories", "months"):
        assert page(amy, plan_2024["version"], format="csv", table=table).status_code == 403
    media = page(amy, plan_2024["version"], category="media").content.decode()
    assert 'id="no-amounts"' in media and "NT$" not in media
    # Once the owner lets external teams see the budget, they see it all.
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    assert "NT$70,555" in page(amy, plan_2024["version"]).content.decode()


def test_foreign_ids_are_not_found(world: Any, plan_2024: Any) -> None:
    theirs = BudgetVersion.objects.create(workspace=world.b, fiscal_year=2024, number=1, name="B")
    their_channel = channel_named(world.b, "B channel")
    alice = client_for(world.people["alice"])
    assert alice.get(URL, {"v": theirs.pk}).status_code == 404
    assert page(alice, plan_2024["version"], channel=their_channel.pk).status_code == 404
    assert page(alice, plan_2024["version"], channel="x").status_code == 404
    charlie = client_for(world.people["charlie"])
    assert page(charlie, plan_2024["version"]).status_code == 404
    own = charlie.get(f"/w/{world.b.slug}/results/plan/")
    assert own.status_code == 200  # B's own page: no plan yet


def test_in_chinese(world: Any, plan_2024: Any) -> None:
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    body = page(client_for(world.people["alice"]), plan_2024["version"]).content.decode()
    assert "計畫與實際" in body and "進度過慢" in body and "預計最先超支" in body
    for english in ("Planned", "Too slow", "Forecast to overspend", "Run-rate", "Download"):
        assert english not in body


def test_query_count_does_not_grow_with_the_plan(world: Any, plan_2024: Any) -> None:
    alice = client_for(world.people["alice"])
    version = plan_2024["version"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page(alice, version).status_code == 200
        return len(captured)

    small = queries()
    for i in range(30):
        channel = Channel.objects.create(workspace=world.a, name=f"Channel {i}")
        line = add_line(
            version,
            f"Line {i}",
            "media",
            world.a_agency if i % 2 else world.a_in_house,
            channel=channel,
            m03=Decimal(i),
        )
        metric_rows(world.a, channel, ten_days(2024, 3), spend_x100=i)
        Expense.objects.create(
            workspace=world.a, line=line, day=date(2024, 4, 1), amount=Decimal(1)
        )
    assert queries() == small
