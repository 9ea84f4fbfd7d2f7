"""The channels page (/w/<slug>/results/channels/): a custom period in 2024 (1–10 March
against 20–29 February) so the figures do not depend on the day the tests run."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.measure.models import Campaign, Channel
from tests.factories import change_settings, channel_named, client_for, metric_rows

URL = "/w/alpha/results/channels/"
MARCH = {"period": "custom", "from": "2024-03-01", "to": "2024-03-10"}
FORMULA = '=HYPERLINK("http://x")'


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


@pytest.fixture
def channels(world: Any) -> dict[str, Channel]:
    """Meta (paid), two campaigns, 100 spent and 420 earned a day in March, half as much
    spent the ten days before; SEO (organic) earns 100 a day."""
    a = world.a
    meta = channel_named(a, "Meta", "paid")
    seo = channel_named(a, "SEO", "organic")
    march = days(date(2024, 3, 1), 10)
    figures = {"spend_x100": 60_00, "revenue_x100": 252_00, "clicks": 6, "impressions": 600}
    metric_rows(
        a,
        meta,
        march,
        campaign="Spring sale",
        conversions_x100=60,
        extras={"new_customers": 30},
        **figures,
    )
    figures = {"spend_x100": 40_00, "revenue_x100": 168_00, "clicks": 4, "impressions": 400}
    metric_rows(
        a,
        meta,
        march,
        campaign=FORMULA,
        conversions_x100=40,
        extras={"new_customers": 20},
        **figures,
    )
    metric_rows(a, meta, days(date(2024, 2, 20), 10), campaign="Spring sale", spend_x100=50_00)
    metric_rows(a, seo, march, revenue_x100=100_00, clicks=50, impressions=2000)
    return {"meta": meta, "seo": seo}


def row(body: str, table: str, name: str) -> str:
    start = body.index(f'id="{table}"')
    at = body.index(f"<td>{name}</td>", start)
    return body[at : body.index("</tr>", at)]


def test_channel_figures_and_change_over_the_period_before(world: Any, channels: Any) -> None:
    response = client_for(world.people["alice"]).get(URL, MARCH)
    assert response.status_code == 200
    body = response.content.decode()
    meta = row(body, "channel-table", "Meta")
    # Spend 1,000 (+100% on 500), revenue 4,200, ROAS 4.20, CPA 1,000 / 10 conversions,
    # CAC 1,000 / 5 new customers, CPC 1,000 / 100 clicks, CTR 100 / 10,000.
    for shown in ("NT$1,000", "+100.0%", "NT$4,200", "4.20", "NT$100", "NT$200", "NT$10", "1.0%"):
        assert shown in meta, shown
    seo = row(body, "channel-table", "SEO")
    assert "—" in seo and "2.5%" in seo  # no ROAS without spend; CTR 50 / 2000
    # MER: (4,200 + 1,000) of every channel ÷ 1,000 of the paid ones; before: 0 ÷ 500.
    mer = body[body.index('id="mer-value"') :]
    assert mer.startswith('id="mer-value">5.20') and "0.00" in mer[:120]
    assert "divided by the spend of the paid channels only" in body
    assert 'id="campaign-table"' not in body


def test_a_channels_campaigns_and_its_daily_chart(world: Any, channels: Any) -> None:
    meta = channels["meta"]
    alice = client_for(world.people["alice"])
    body = alice.get(URL, {**MARCH, "channel": meta.pk}).content.decode()
    spring = row(body, "campaign-table", "Spring sale")
    assert "NT$600" in spring and "+20.0%" in spring  # 600 against 500
    assert "NT$400" in row(body, "campaign-table", "=HYPERLINK(&quot;http://x&quot;)")
    assert '"labels": ["2024-03-01"' in body and "Meta spend" in body and "SEO spend" not in body
    daily = body[body.index('id="daily-table"') :]
    assert "NT$100" in daily and "NT$420" in daily
    campaign = Campaign.objects.get(name="Spring sale")
    one = alice.get(URL, {**MARCH, "channel": meta.pk, "campaign": campaign.pk}).content.decode()
    assert "NT$60" in one[one.index('id="daily-table"') :]


def test_periods_and_a_bad_custom_period(world: Any, channels: Any) -> None:
    alice = client_for(world.people["alice"])
    for period in ("7d", "30d", "month", "last_month", "quarter"):
        assert alice.get(URL, {"period": period}).status_code == 200
    bad = alice.get(URL, {"period": "custom", "from": "2024-03-10", "to": "2024-03-01"})
    assert bad.status_code == 400 and "the first on or before the last" in bad.content.decode()


def test_downloads(world: Any, channels: Any) -> None:
    alice = client_for(world.people["alice"])
    csv = alice.get(
        URL, {**MARCH, "channel": channels["meta"].pk, "format": "csv", "table": "campaigns"}
    )
    assert csv.content.startswith("\ufeff".encode())
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and text.startswith("Campaign,Spend,Spend: change")
    assert "\r\nSpring sale,600.00,0.2000," in text
    channels_csv = alice.get(URL, {**MARCH, "format": "csv"}).content.decode("utf-8-sig")
    assert "\r\nMeta,1000.00,1.0000,4200.00," in channels_csv
    daily = alice.get(URL, {**MARCH, "format": "xlsx", "table": "daily"})
    assert daily.status_code == 200 and daily.content[:2] == b"PK"
    assert alice.get(URL, {**MARCH, "format": "csv", "table": "campaigns"}).status_code == 404


def test_the_agency_sees_counts_not_amounts(world: Any, channels: Any) -> None:
    amy = client_for(world.people["amy"])
    body = amy.get(URL, MARCH).content.decode()
    meta = row(body, "channel-table", "Meta")
    assert "100" in meta and "1.0%" in meta  # clicks, CTR
    assert "NT$" not in body and "4.20" not in body and 'id="mer"' not in body
    assert 'id="daily"' not in body and 'id="no-amounts"' in body
    csv = amy.get(URL, {**MARCH, "format": "csv"}).content.decode("utf-8-sig")
    assert "Spend" not in csv and "1000.00" not in csv and "Clicks" in csv
    assert amy.get(URL, {**MARCH, "format": "csv", "table": "daily"}).status_code == 404
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    assert "NT$4,200" in amy.get(URL, MARCH).content.decode()


def test_foreign_ids_are_not_found(world: Any, channels: Any) -> None:
    theirs = channel_named(world.b, "B channel")
    alice = client_for(world.people["alice"])
    assert alice.get(URL, {"channel": theirs.pk}).status_code == 404
    their_campaign = Campaign.objects.create(workspace=world.b, channel=theirs, name="B")
    meta = channels["meta"]
    assert alice.get(URL, {"channel": meta.pk, "campaign": their_campaign.pk}).status_code == 404
    assert alice.get(URL, {"channel": "1e3"}).status_code == 404
    assert client_for(world.people["charlie"]).get(URL).status_code == 404


def test_in_chinese(world: Any, channels: Any) -> None:
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    body = (
        client_for(world.people["alice"])
        .get(URL, {**MARCH, "channel": channels["meta"].pk})
        .content.decode()
    )
    assert "綜合 MER" in body and "每日花費與營收" in body and "Meta 花費" in body
    for english in ("Spend", "Revenue", "Blended", "Download", "Last 7 days", "Campaign"):
        assert english not in body, english


def test_query_count_does_not_grow_with_the_data(world: Any, channels: Any) -> None:
    """Every view of the page: the default, a period, the longest one (a year), one
    channel, one campaign."""
    alice = client_for(world.people["alice"])
    meta = channels["meta"]
    spring = Campaign.objects.get(workspace=world.a, name="Spring sale")
    year = {"period": "custom", "from": "2023-03-11", "to": "2024-03-10"}  # 366 days
    views = [
        {},
        MARCH,
        year,
        {**MARCH, "channel": meta.pk},
        {**year, "channel": meta.pk, "campaign": spring.pk},
    ]

    def queries() -> list[int]:
        counts = []
        for params in views:
            with CaptureQueriesContext(connection) as captured:
                response = alice.get(URL, params)
                assert response.status_code == 200
            counts.append(len(captured))
        return counts

    small = queries()
    for i in range(20):
        channel = Channel.objects.create(workspace=world.a, name=f"Channel {i}")
        metric_rows(world.a, channel, days(date(2024, 2, 20), 20), spend_x100=i, campaign=f"C{i}")
        metric_rows(world.a, meta, days(date(2024, 2, 20), 20), spend_x100=i, campaign=f"M{i}")
        spring_days = days(date(2023, 4, 1) + timedelta(days=10 * i), 10)
        metric_rows(world.a, meta, spring_days, spend_x100=i, campaign="Spring sale")
    assert queries() == small
    body = alice.get(URL, year).content.decode()
    assert "Channel 19" in body
