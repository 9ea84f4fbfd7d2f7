"""The reallocation page (issue 12, "In the app"): the weekly table from the imported
figures, the fit as a task, the page in both languages, the what-if, applying the
recommendation as a new version, and who sees and does what."""

import calendar
import csv
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from crewplan.audit.models import AuditEvent
from crewplan.measure.actuals import fiscal_months
from crewplan.measure.models import Channel, DailyMetric
from crewplan.optimize.weekly_file import read_weekly
from crewplan.planning.budget.queries import MONTH_FIELDS
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.reallocation import services, tasks
from crewplan.reallocation.models import Fit
from crewplan.reallocation.queries import version_stamp
from crewplan.reallocation.split import (
    by_days,
    plan_mondays,
    quarter_months,
    remaining_months,
    shares,
)
from crewplan.reallocation.weekly_queries import weekly_table
from tests.factories import WEEKS, client_for, last_sunday, metric_rows, responsive_channels


def _fit(world: Any, f: dict[str, Any], **kwargs: Any) -> Fit:
    fit = services.fit_request(
        workspace=world.a,
        version=f["version"],
        quarter=f["quarter"],
        outcome=kwargs.get("outcome", "revenue"),
        outcome_channels=kwargs.get("sources", []),
        actor=world.people["alice"],
    )
    tasks.run(fit.pk)  # outside a request the on_commit task has not run yet
    fit.refresh_from_db()
    return fit


# ----------------------------------------------------------------- pure helpers


def test_quarters_and_remaining_months_of_a_fiscal_year_starting_in_april() -> None:
    starts = tuple(date(2026 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(12))
    assert quarter_months(3) == (7, 8, 9)  # October to December
    assert remaining_months(3, starts, date(2026, 11, 15)) == [8, 9]  # November counts
    assert remaining_months(3, starts, date(2027, 1, 2)) == []
    with pytest.raises(ValueError):
        quarter_months(5)


def test_a_channel_whose_roi_is_not_known_is_bounded_to_the_spend_the_data_saw() -> None:
    from crewplan.optimize.curves import ChannelCurve, Hill
    from crewplan.reallocation.recommend import planned_curves, recommend

    curve = Hill(top=100_000, half_saturation=30_000, slope=1.0)
    known = ChannelCurve("Search", curve, roi_known=True, observed_max=40_000)
    weak = Hill(top=20_000, half_saturation=30_000, slope=1.0)
    unknown = ChannelCurve(
        "Social", weak, roi_known=False, min=9_000, max=21_000, observed_max=21_000
    )
    search, social = planned_curves((known, unknown), {"Search": 10_000, "Social": 20_000})
    assert (search.min, search.max) == (0.0, 60_000)  # 0 to 1.5 × the observed maximum
    assert (social.min, social.max) == (9_000, 21_000)  # the fit's observed range
    spent = {c.name: c.spend for c in recommend((search, social)).channels}
    assert spent["Social"] == pytest.approx(9_000)  # moved, down to the lowest spend seen
    assert spent["Search"] == pytest.approx(21_000)
    wider = planned_curves((unknown,), {"Social": 30_000})[0]
    assert (wider.min, wider.max) == (9_000, 30_000)  # widened to the plan


def test_weekly_to_monthly_by_days_adds_up_exactly() -> None:
    months = by_days(1000.0, [31, 30, 31], 0)
    assert sum(months) == Decimal(13143)  # round(1000 · 92 / 7)
    exact = [Decimal(1000 * d) / 7 for d in (31, 30, 31)]  # 4428.57, 4285.71, 4428.57
    assert all(abs(m - e) < 1 for m, e in zip(months, exact, strict=True))
    assert shares(Decimal(10), [Decimal(1), Decimal(1), Decimal(1)], 0) == [4, 3, 3]
    assert shares(Decimal(9), [Decimal(0), Decimal(0)], 0) == [5, 4]


# ------------------------------------------------------------------ weekly table


def test_weekly_table_sums_whole_weeks_exactly_in_constant_queries(world: Any) -> None:
    f = responsive_channels(world, weeks=30)
    search, social, seo = f["channels"]
    # A partial week at each end is left out: a Sunday before and a Monday after.
    metric_rows(world.a, search, [f["first"] - timedelta(days=1)], spend_x100=99)
    with CaptureQueriesContext(connection) as few:
        table = weekly_table(world.a)
    assert table.weeks[0] == f["first"] and len(table.weeks) == 30
    assert list(table.spend) == ["Search", "Social"]  # paid channels with spend only
    rows = DailyMetric.objects.filter(
        workspace=world.a, day__gte=f["first"], day__lt=f["first"] + timedelta(days=7)
    )
    assert (
        table.spend["Search"][0]
        == Decimal(sum(r.spend_x100 for r in rows if r.channel_id == search.pk)) / 100
    )
    assert table.outcome[0] == Decimal(sum(r.revenue_x100 for r in rows)) / 100
    paid_only = weekly_table(world.a, outcome_channels=[search.pk, social.pk])
    assert (
        paid_only.outcome[0]
        == Decimal(sum(r.revenue_x100 for r in rows if r.channel_id != seo.pk)) / 100
    )
    _figures_more = metric_rows(
        world.a, seo, [f["first"] - timedelta(days=8 + i) for i in range(70)], revenue_x100=100
    )
    with CaptureQueriesContext(connection) as more:
        weekly_table(world.a)
    assert len(few) == len(more) <= 4


def test_the_download_is_the_file_crewplan_fit_reads(world: Any) -> None:
    f = responsive_channels(world, weeks=30)
    response = client_for(world.people["alice"]).get("/w/alpha/reallocation/weekly.csv")
    assert response.status_code == 200
    data = read_weekly(response.content)
    table = weekly_table(world.a)
    assert data.weeks == table.weeks
    assert data.spend["Search"] == tuple(float(v) for v in table.spend["Search"])
    assert data.controls["taiwan_holidays"] == table.holidays
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == ["week", "outcome", "Search", "Social", "control:taiwan_holidays"]
    assert f["version"]  # the figures exist


# ---------------------------------------------------------------------- the fit


def test_a_fit_runs_as_a_task_and_stores_its_curves(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f = responsive_channels(world)
    client = client_for(world.people["alice"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/w/alpha/reallocation/fit/",
            {"version": f["version"].pk, "quarter": f["quarter"], "outcome": "revenue"},
        )
    fit = Fit.objects.get(workspace=world.a)
    assert response.status_code == 302 and response["Location"].endswith(f"/fits/{fit.pk}/")
    assert (fit.status, fit.progress) == ("done", 100)  # the immediate backend ran it
    names = [c["name"] for c in fit.curves["channels"]]
    assert names == ["Search", "Social"]
    assert (
        fit.curves["fit"]["weeks"] == WEEKS
        and len(fit.curves["fit"]["observed"]["Search"]) == WEEKS
    )
    assert fit.data_stamp == weekly_table(world.a).stamp
    statuses = {c["name"]: c["status"] for c in fit.curves["channels"]}
    assert statuses == {"Search": "ok", "Social": "ok"}, fit.curves["fit"]["not_judged"]


def test_a_fit_without_enough_weeks_fails_with_the_reason(world: Any) -> None:
    f = responsive_channels(world, weeks=10)
    fit = _fit(world, f)
    assert fit.status == "failed"
    assert "10 weeks" in fit.message and "26" in fit.message
    page = client_for(world.people["alice"]).get(f"/w/alpha/reallocation/fits/{fit.pk}/")
    assert fit.message in page.content.decode()


def test_a_killed_worker_leaves_the_fit_failed_with_a_message(world: Any) -> None:
    f = responsive_channels(world, weeks=30)
    fit = Fit.objects.create(
        workspace=world.a,
        version=f["version"],
        quarter=1,
        status="running",
        progress_at=timezone.now() - timedelta(minutes=6),
    )
    fresh = Fit.objects.create(
        workspace=world.a,
        version=f["version"],
        quarter=1,
        status="running",
        progress_at=timezone.now(),
    )
    client_for(world.people["alice"]).get(f"/w/alpha/reallocation/fits/{fit.pk}/")
    fit.refresh_from_db()
    fresh.refresh_from_db()
    assert fit.status == "failed" and "worker" in fit.message
    assert fresh.status == "running"
    assert not tasks.run(fit.pk)  # not queued: nothing runs twice


# --------------------------------------------------------------------- the page


def test_the_page_shows_current_and_recommended_with_gain_and_curves(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    page = client_for(world.people["alice"]).get(f"/w/alpha/reallocation/fits/{fit.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    for piece in (
        'id="gain-expected"',
        'id="gain-range"',
        'id="p-beats"',
        "<svg",
        'class="observed"',
        'class="mark-recommended"',
        'id="what-if-form"',
        'id="apply-form"',
    ):
        assert piece in html, piece
    assert html.count('class="observed"') == 2 * WEEKS
    assert "NT$" in html


def test_the_page_in_chinese_has_no_english_words(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    alice = world.people["alice"]
    alice.language = "zh-hant"
    alice.save()
    html = client_for(alice).get(f"/w/alpha/reallocation/fits/{fit.pk}/").content.decode()
    assert "預期" in html and "回應曲線" in html
    for english in ("Expected gain", "Response curves", "What if", "Apply as a new"):
        assert english not in html


def test_what_if_moves_the_recommendation_and_saves_nothing(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    client = client_for(world.people["alice"])
    url = f"/w/alpha/reallocation/fits/{fit.pk}/what-if/"
    before = AuditEvent.objects.count(), BudgetLine.objects.count()
    low = client.get(url, {"budget": "10000"}, headers={"HX-Request": "true"})
    high = client.get(url, {"budget": "70000"}, headers={"HX-Request": "true"})
    assert low.status_code == high.status_code == 200
    assert low.content != high.content and "<html" not in low.content.decode()
    capped = client.get(url, {"channel": "Search", "maximum": "0"}, headers={"HX-Request": "true"})
    row = capped.content.decode().split('data-channel="Search"')[1].split("</tr>")[0]
    assert 'class="num recommended">NT$0<' in row
    refused = client.get(url, {"channel": "Search", "minimum": "9", "maximum": "1"})
    assert refused.status_code == 400 and "minimum is above the maximum" in refused.content.decode()
    too_much = client.get(url, {"budget": "1000", "channel": "Search", "minimum": "20000"})
    assert too_much.status_code == 400 and "more than the total" in too_much.content.decode()
    assert (AuditEvent.objects.count(), BudgetLine.objects.count()) == before


# -------------------------------------------------------------------- applying


def test_applying_creates_a_reforecast_with_the_recommendation(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    version = f["version"]
    client = client_for(world.people["alice"])
    stamp = version_stamp(version)
    original = {
        ln.pk: [getattr(ln, m) for m in MONTH_FIELDS]
        for ln in BudgetLine.objects.filter(version=version)
    }
    response = client.post(
        f"/w/alpha/reallocation/fits/{fit.pk}/apply/", {"name": "Q reallocation", "stamp": stamp}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    new = BudgetVersion.objects.get(workspace=world.a, number=2)
    assert new.based_on == version and new.name == "Q reallocation"
    assert {
        ln.pk: [getattr(ln, m) for m in MONTH_FIELDS]
        for ln in BudgetLine.objects.filter(version=version)
    } == original
    lines = {ln.item: ln for ln in BudgetLine.objects.filter(version=new)}
    assert set(lines) == {"Search ads", "Social ads", "Training"}
    assert lines["Search ads"].key == f["lines"]["Search"].key  # expenses keep counting
    today = timezone.localdate()
    from crewplan.measure.actuals import fiscal_months

    months = remaining_months(f["quarter"], fiscal_months(today.year, 1), today)
    moved = [m for m in range(1, 13) if m not in months]
    for item in ("Search ads", "Social ads"):
        for m in moved:  # months outside the quarter's remaining ones are untouched
            assert getattr(lines[item], MONTH_FIELDS[m - 1]) == Decimal(30000)
    remaining_total = sum(
        getattr(lines[i], MONTH_FIELDS[m - 1]) for i in ("Search ads", "Social ads") for m in months
    )
    assert (
        remaining_total == 2 * 30000 * len(months)
        or abs(remaining_total - 60000 * len(months)) <= 2
    )
    search = sum(getattr(lines["Search ads"], MONTH_FIELDS[m - 1]) for m in months)
    assert search > 30000 * len(months)  # Search saturates later: it gets more
    event = AuditEvent.objects.get(action="reallocation.applied")
    assert event.after["version"] == 2 and "Search ads" in event.after["lines"]


def test_applying_is_refused_when_the_plan_or_the_figures_changed(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    client = client_for(world.people["alice"])
    url = f"/w/alpha/reallocation/fits/{fit.pk}/apply/"
    stale = client.post(url, {"name": "X", "stamp": "0" * 64})
    assert stale.status_code == 400 and "plan changed" in stale.content.decode()
    search = f["channels"][0]
    metric_rows(
        world.a, search, [last_sunday() + timedelta(days=d) for d in range(1, 8)], spend_x100=100
    )
    newer = client.post(url, {"name": "X", "stamp": version_stamp(f["version"])})
    assert newer.status_code == 400 and "Fit again" in newer.content.decode()
    assert BudgetVersion.objects.filter(workspace=world.a).count() == 1


# ---------------------------------------------------------------- who does what


def test_who_may_fit_apply_and_see_amounts(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    page = f"/w/alpha/reallocation/fits/{fit.pk}/"
    for name in ("maya", "vera", "amy"):
        client = client_for(world.people[name])
        assert (
            client.post(
                "/w/alpha/reallocation/fit/",
                {"version": f["version"].pk, "quarter": 1, "outcome": "revenue"},
            ).status_code
            == 403
        )
        assert client.post(page + "apply/", {"name": "X", "stamp": "x"}).status_code == 403
    agency = client_for(world.people["amy"]).get(page)
    html = agency.content.decode()
    assert agency.status_code == 200 and 'data-channel="Search"' in html
    assert "NT$" not in html and "<svg" not in html
    assert client_for(world.people["amy"]).get(page + "what-if/").status_code == 403
    assert (
        client_for(world.people["amy"]).get("/w/alpha/reallocation/weekly.csv").status_code == 403
    )
    assert "NT$" in client_for(world.people["vera"]).get(page).content.decode()


def test_applying_more_than_the_original_plan_leaves_changes_nothing(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    # The year's original plan (the lowest number) left far less than this version plans.
    original = BudgetVersion.objects.create(
        workspace=world.a, fiscal_year=f["version"].fiscal_year, number=0, name="Original"
    )
    BudgetLine.objects.create(
        workspace=world.a, version=original, category="media", item="All", m01=Decimal(1000)
    )
    url = f"/w/alpha/reallocation/fits/{fit.pk}/apply/"
    stamp = version_stamp(f["version"])
    events = AuditEvent.objects.count()
    over = client_for(world.people["alice"]).post(url, {"name": "Bigger", "stamp": stamp})
    text = over.content.decode()
    assert over.status_code == 400 and "original plan" in text, text[text.find("apply-error") :][
        :300
    ]
    # One transaction: the version it had started is gone with its lines and audit rows.
    assert BudgetVersion.objects.filter(workspace=world.a).count() == 2
    assert BudgetLine.objects.filter(workspace=world.a).count() == 4
    assert AuditEvent.objects.count() == events


# ---------------------------------------------------------------- week by week


def _made_fit(
    world: Any, *, channels: int, weeks: int, year: int, quarter: int, recent: float = 20000.0
) -> Fit:
    """A done fit of `channels` concave channels over `weeks` weeks of data, written as
    the task writes it, for a version of `year` with a media line per channel."""
    version = BudgetVersion.objects.create(
        workspace=world.a, fiscal_year=year, number=1 + int(recent) // 1000, name=f"Plan {recent}"
    )
    items, observed, recent_spend = [], {}, {}
    for i in range(channels):
        name = f"通路 {year} {recent:.0f} {i}"
        channel = Channel.objects.create(workspace=world.a, name=name, kind="paid")
        BudgetLine.objects.create(
            workspace=world.a,
            version=version,
            category="media",
            item=f"{name} ads",
            channel=channel,
            owner=world.a_in_house,
            **{m: Decimal(80000 + 10000 * i) for m in MONTH_FIELDS},
        )
        hill = {"form": "hill", "top": 60000.0 + 5000 * i, "half_saturation": 15000.0}
        items.append(
            {
                "name": name,
                "status": "ok",
                "roi": 2.0,
                "roi_low": 1.5,
                "roi_high": 2.5,
                "adstock": {"form": "geometric", "decay": 0.5, "max_lag": 4},
                "response": hill | {"slope": 0.9},
                "current": 20000.0,
                "observed_min": 8000.0,
                "observed_max": 40000.0,
                "draws": [hill | {"slope": s} for s in (0.7, 0.8, 0.9, 1.0)],
            }
        )
        observed[name] = [20000.0] * weeks
        recent_spend[name] = [recent] * 4
    document = {
        "currency": "TWD",
        "period": "week",
        "channels": items,
        "fit": {
            "weeks": weeks,
            "first_week": "2024-01-01",
            "last_week": "2026-11-23",
            "not_judged": [],
            "observed": observed,
            "recent_spend": recent_spend,
        },
    }
    return Fit.objects.create(
        workspace=world.a,
        version=version,
        quarter=quarter,
        status=Fit.Status.DONE,
        progress=100,
        curves=document,
        data_stamp="x",
        created_by=world.people["alice"],
    )


def _week_csv(client: Any, fit: Fit, **what_if: str) -> list[list[str]]:
    response = client.get(f"/w/alpha/reallocation/fits/{fit.pk}/", {**what_if, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_page_plans_the_remaining_weeks_week_by_week(world: Any) -> None:
    f = responsive_channels(world)
    fit = _fit(world, f)
    table = weekly_table(world.a)
    recent = fit.curves["fit"]["recent_spend"]
    assert recent["Search"] == [float(v) for v in table.spend["Search"][-8:]]
    client = client_for(world.people["alice"])
    html = client.get(f"/w/alpha/reallocation/fits/{fit.pk}/").content.decode()
    # One sentence, not two fragments glued together ("weekly revenueof every channel").
    assert "Outcome: weekly revenue of every channel." in html
    today = timezone.localdate()
    starts = fiscal_months(today.year, 1)
    months = remaining_months(f["quarter"], starts, today)
    mondays = plan_mondays(months, starts, _days(starts, months), today)
    if not mondays:  # the quarter's last days: no week starts in it any more
        assert 'id="week-plan-table"' not in html
        return
    body = html.split('id="week-plan-table"')[1].split("<tbody>")[1].split("</tbody>")[0]
    assert body.count("<tr>") == len(mondays) and 'id="week-plan-csv"' in html
    rows = _week_csv(client, fit)
    assert rows[0] == ["Week", "Search", "Social", "Total", "Expected outcome"]
    assert [r[0] for r in rows[1:]] == [m.isoformat() for m in mondays]
    for row in rows[1:]:
        assert Decimal(row[1]) + Decimal(row[2]) == Decimal(row[3])
    # The page writes each week's expected outcome as the CSV has it, with separators.
    for row in rows[1:]:
        assert f'<td class="num">{round(Decimal(row[4])):,}</td></tr>' in body
    weekly_plan = 60000 * 7 / sum(_days(starts, months))
    spent = sum(Decimal(r[3]) for r in rows[1:])
    assert abs(float(spent) - weekly_plan * len(mondays)) <= len(mondays)  # rounding only


def _days(starts: Any, months: list[int]) -> list[int]:
    return [calendar.monthrange(starts[m - 1].year, starts[m - 1].month)[1] for m in months]


def test_the_week_plan_takes_the_history_and_the_carryover_checkbox(world: Any) -> None:
    year = timezone.localdate().year + 1  # every week of its first quarter is to come
    low = _made_fit(world, channels=2, weeks=60, year=year, quarter=1, recent=5000.0)
    high = _made_fit(world, channels=2, weeks=60, year=year, quarter=1, recent=60000.0)
    client = client_for(world.people["alice"])
    credited, left_out = _week_csv(client, low), _week_csv(client, low, no_carryover_credit="on")
    assert 12 <= len(credited) - 1 <= 14  # the Mondays of January to March
    weeks = len(credited) - 1
    weekly = (80000 + 90000) * 3 * 7 / 90  # the lines' January–March (90 days), a week
    spent = sum(Decimal(r[3]) for r in credited[1:])
    assert abs(float(spent) - weekly * weeks) <= weeks  # rounding only
    assert credited[1:] != left_out[1:]
    # Without the weeks after the quarter counted, the last week's money is worth less
    # than with them: the plan spends less in it.
    assert Decimal(left_out[-1][3]) < Decimal(credited[-1][3])
    # Little spend in the last imported weeks: the first weeks carry little over, so the
    # plan spends more in them than after weeks of heavy spend.
    first_low, first_high = _week_csv(client, low)[1], _week_csv(client, high)[1]
    assert Decimal(first_low[1]) > Decimal(first_high[1])
    url = f"/w/alpha/reallocation/fits/{low.pk}/what-if/"
    shown = client.get(url, {"no_carryover_credit": "on"}, headers={"HX-Request": "true"})
    html = shown.content.decode()
    assert "is left out" in html and "no_carryover_credit=on&amp;format=csv" in html


def test_the_week_plan_marks_spends_outside_the_observed_range(world: Any) -> None:
    year = timezone.localdate().year + 1
    fit = _made_fit(world, channels=2, weeks=60, year=year, quarter=1)
    client = client_for(world.people["alice"])
    url = f"/w/alpha/reallocation/fits/{fit.pk}/what-if/"
    html = client.get(url, {"budget": "1400000"}, headers={"HX-Request": "true"}).content.decode()
    rows = html.split('id="week-plan-table"')[1].split("<tbody>")[1].split("</tr>")[:-1]
    assert all(row.count('class="num extrapolated"') == 2 for row in rows)  # ~55,000 a week
    assert "†: outside the weekly spends" in html
    assert "Outside the spends ever observed" in html  # the channel's status, too
    within = client.get(f"/w/alpha/reallocation/fits/{fit.pk}/").content.decode()
    rows = within.split('id="week-plan-table"')[1].split("<tbody>")[1].split("</tr>")[:-1]
    assert "Outside the spends ever observed" not in within
    # ~20,000 a week, inside 8,000–40,000, the last week too: the weeks after the quarter
    # have spend going on, so the last week is worth what the others are.
    assert all("extrapolated" not in row for row in rows)


def test_the_week_plan_in_chinese_and_hidden_without_amounts(world: Any) -> None:
    year = timezone.localdate().year + 1
    fit = _made_fit(world, channels=2, weeks=60, year=year, quarter=1)
    alice = world.people["alice"]
    alice.language = "zh-hant"
    alice.save()
    html = client_for(alice).get(f"/w/alpha/reallocation/fits/{fit.pk}/").content.decode()
    assert 'id="week-plan-table"' in html and "逐週" in html
    for english in ("Week by week", "Download CSV", "carry-over", "Expected outcome"):
        assert english not in html
    amy = client_for(world.people["amy"])  # an agency that may not see amounts
    hidden = amy.get(f"/w/alpha/reallocation/fits/{fit.pk}/").content.decode()
    assert 'id="week-plan' not in hidden and "NT$" not in hidden
    assert amy.get(f"/w/alpha/reallocation/fits/{fit.pk}/?format=csv").status_code == 403


def test_the_page_reads_in_constant_queries_whatever_the_channels_and_weeks(world: Any) -> None:
    today = timezone.localdate()
    small = _made_fit(
        world, channels=2, weeks=30, year=today.year, quarter=(today.month - 1) // 3 + 1
    )
    large = _made_fit(world, channels=7, weeks=150, year=today.year + 1, quarter=1, recent=1.0)
    client = client_for(world.people["alice"])
    counts = []
    for fit in (small, large):
        for url in ("", "what-if/?budget=500000&no_carryover_credit=on", "?format=csv"):
            client.get(f"/w/alpha/reallocation/fits/{fit.pk}/{url}")  # warm the session
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/w/alpha/reallocation/fits/{fit.pk}/{url}")
            # 404: the download when no week of the current quarter is left to plan
            assert response.status_code in (200, 404), url
            counts.append((url, response.status_code, len(queries)))
    same = [(a, b) for a, b in zip(counts[:3], counts[3:], strict=True) if a[1] == b[1]]
    assert len(same) >= 2 and all(a == b for a, b in same), counts
    assert all(n <= 12 for _u, _s, n in counts), counts
