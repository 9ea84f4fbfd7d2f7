"""The reallocation page (issue 12, "In the app"): the weekly table from the imported
figures, the fit as a task, the page in both languages, the what-if, applying the
recommendation as a new version, and who sees and does what."""

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
from crewplan.measure.models import DailyMetric
from crewplan.optimize.weekly_file import read_weekly
from crewplan.planning.budget.queries import MONTH_FIELDS
from crewplan.planning.models import BudgetLine, BudgetVersion
from crewplan.reallocation import services, tasks
from crewplan.reallocation.models import Fit
from crewplan.reallocation.queries import version_stamp
from crewplan.reallocation.split import by_days, quarter_months, remaining_months, shares
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
