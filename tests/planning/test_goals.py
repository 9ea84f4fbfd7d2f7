"""Goals and KPIs through the pages: catalogue, SMART check live and on save, history."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from crewplan.audit.models import AuditEvent
from crewplan.planning.goals import messages as goal_messages
from crewplan.planning.goals.kpis import CATALOGUE
from crewplan.planning.models import Goal, Kpi, KpiTarget, KpiValue
from tests.factories import change_settings, client_for

D = Decimal


def add_catalogue(client: Any, *keys: str) -> None:
    client.post("/w/alpha/plan/kpis/add/", {"keys": list(keys)})


def test_catalogue_has_the_eleven_kpis_in_both_languages(world: Any) -> None:
    keys = {k.key for k in CATALOGUE}
    assert keys == {
        "traffic_growth",
        "conversion_rate",
        "clv",
        "roi",
        "roas",
        "cac",
        "engagement_rate",
        "email_open_rate",
        "content_per_week",
        "chatbot_resolution",
        "csat",
    }
    assert all(
        goal_messages.kpi_name(k.key, "en") and goal_messages.kpi_name(k.key, "zh-hant")
        for k in CATALOGUE
    )
    alice = client_for(world.people["alice"])
    add_catalogue(alice, "conversion_rate", "cac")
    add_catalogue(alice, "cac")  # twice: skipped
    kpis = {k.catalogue_key: k for k in Kpi.objects.filter(workspace=world.a)}
    assert set(kpis) == {"conversion_rate", "cac"}
    assert (kpis["cac"].direction, kpis["cac"].unit, kpis["cac"].denominator) == (
        "lower",
        "TWD",
        "new_customers",
    )
    assert kpis["conversion_rate"].name == "Conversion rate"  # workspace A works in English


def test_a_vague_goal_fails_then_a_fixed_one_passes(world: Any) -> None:
    alice = client_for(world.people["alice"])
    add_catalogue(alice, "conversion_rate")
    kpi = Kpi.objects.get(workspace=world.a)
    # The live check (htmx) saves nothing.
    check = alice.post(
        "/w/alpha/plan/goals/check/", {"text": "Sell more"}, headers={"HX-Request": "true"}
    )
    assert check.status_code == 200 and b'data-code="too_short"' in check.content
    assert not Goal.objects.exists()
    response = alice.post("/w/alpha/plan/goals/new/", {"text": "Sell more"}, follow=True)
    goal = Goal.objects.get(workspace=world.a)
    letters = {x.letter: x for x in response.context["letters"]}
    assert (
        not letters["S"].ok and not letters["M"].ok and not letters["R"].ok and not letters["T"].ok
    )
    deadline = timezone.localdate() + timedelta(days=200)
    fixed = {
        "text": "Raise the web shop conversion rate from 1.8% to 2.2% by the summer",
        "kpi": kpi.pk,
        "baseline": "1.8",
        "target": "2.2",
        "deadline": deadline.isoformat(),
        "objective": "Online revenue to 30% of sales",
        "owner": world.a_in_house.pk,
        "revision": goal.revision,
    }
    response = alice.post(f"/w/alpha/plan/goals/{goal.pk}/", fixed, follow=True)
    letters = {x.letter: x for x in response.context["letters"]}
    # The KPI has no history: achievability is unknown (neither passed nor failed), the rest pass.
    assert all(letters[x].ok for x in "SMRT")
    assert not letters["A"].ok and letters["A"].unknown and not letters["A"].problems
    assert b"achievability is checked once the KPI has 3 months of history" in response.content
    goal.refresh_from_db()
    assert goal.target == Decimal("2.2") and goal.kpi == kpi
    assert AuditEvent.objects.filter(action="planning.goal_saved").count() == 2
    page = alice.get("/w/alpha/plan/goals/").content.decode()
    assert page.count('class="letter ok"') == 4
    assert page.count('class="letter unknown"') == 1 and 'class="letter no"' not in page


def test_history_makes_the_achievability_check_bite(world: Any) -> None:
    alice = client_for(world.people["alice"])
    add_catalogue(alice, "conversion_rate")
    kpi = Kpi.objects.get(workspace=world.a)
    today = timezone.localdate()
    months = []
    year, month = today.year, today.month
    for _step in range(4):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    history = {
        f"h-m{m:%Y%m}": v
        for m, v in zip(reversed(months), ["1.6", "1.65", "1.7", "1.8"], strict=True)
    }
    data = {
        "name": kpi.name,
        "unit": "%",
        "direction": "higher",
        "formula": "ratio",
        "metric": "conversions",
        "denominator": "sessions",
        "scale": "100",
        "revision": kpi.revision,
        **history,
    }
    assert alice.post(f"/w/alpha/plan/kpis/{kpi.pk}/", data).status_code == 302
    assert KpiValue.objects.filter(kpi=kpi).count() == 4
    goal = {
        "text": "Conversion rate from 1.8% to 9% in six months, web shop",
        "kpi": kpi.pk,
        "baseline": "1.8",
        "target": "9",
        "deadline": (today + timedelta(days=180)).isoformat(),
        "objective": "Online revenue",
    }
    response = alice.post("/w/alpha/plan/goals/check/", goal)
    assert b'data-code="beyond_history"' in response.content


def test_ratio_kpi_needs_a_denominator_and_names_are_unique(world: Any) -> None:
    alice = client_for(world.people["alice"])
    data = {
        "name": "Repeat rate",
        "unit": "%",
        "direction": "higher",
        "formula": "ratio",
        "metric": "repeat",
        "denominator": "",
        "scale": "100",
    }
    response = alice.post("/w/alpha/plan/kpis/new/", data)
    assert response.status_code == 400 and not Kpi.objects.filter(name="Repeat rate").exists()
    alice.post("/w/alpha/plan/kpis/new/", {**data, "denominator": "customers"})
    assert alice.post("/w/alpha/plan/kpis/new/", {**data, "denominator": "x"}).status_code == 400
    assert Kpi.objects.filter(name="Repeat rate").count() == 1


def test_only_owners_and_in_house_managers_edit_goals(world: Any) -> None:
    for name in ("maya", "vera", "adam", "amy"):
        client = client_for(world.people[name])
        assert client.post("/w/alpha/plan/goals/new/", {"text": "x"}).status_code == 403
        assert client.post("/w/alpha/plan/kpis/add/", {"keys": ["roas"]}).status_code == 403
        assert client.get("/w/alpha/plan/goals/").status_code == 200  # everyone reads the goals
    assert (
        client_for(world.people["mike"])
        .post("/w/alpha/plan/kpis/add/", {"keys": ["roas"]})
        .status_code
        == 302
    )
    assert not Goal.objects.exists()


def test_foreign_kpi_in_the_goal_form_is_refused(world: Any) -> None:
    foreign = Kpi.objects.create(
        workspace=world.b, name="B KPI", unit="%", metric="x", denominator="y"
    )
    alice = client_for(world.people["alice"])
    response = alice.post(
        "/w/alpha/plan/goals/new/", {"text": "A goal with a foreign KPI 10%", "kpi": foreign.pk}
    )
    assert response.status_code == 400 and not Goal.objects.exists()


def test_goal_list_queries_do_not_grow(
    world: Any, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    kpi = Kpi.objects.create(workspace=world.a, name="CR", unit="%", metric="c", denominator="s")
    alice = client_for(world.people["alice"])
    Goal.objects.create(workspace=world.a, text="g0", kpi=kpi)
    alice.get("/w/alpha/plan/goals/")
    with django_assert_max_num_queries(20) as few:
        page = alice.get("/w/alpha/plan/goals/")
    assert page.status_code == 200 and page.content.count(b"data-goal=") == 1
    for i in range(20):
        Goal.objects.create(workspace=world.a, text=f"g{i + 1}", kpi=kpi, owner=world.a_in_house)
    with django_assert_num_queries(len(few.captured_queries)):
        page = alice.get("/w/alpha/plan/goals/")
    assert page.status_code == 200 and page.content.count(b"data-goal=") == 21
    assert ">g20</a>" in page.content.decode()


def test_saved_values_show_as_typed_in_the_form(world: Any) -> None:
    goal = Goal.objects.create(
        workspace=world.a,
        text="x",
        baseline=Decimal("1.8"),
        target=Decimal("100"),
        deadline=date(2027, 6, 30),
    )
    page = client_for(world.people["alice"]).get(f"/w/alpha/plan/goals/{goal.pk}/").content.decode()
    assert 'value="2027-06-30"' in page  # the date picker reads ISO dates only
    assert 'value="1.8"' in page and 'value="100"' in page
    letters = {
        x.letter: x.ok
        for x in client_for(world.people["alice"])
        .get(f"/w/alpha/plan/goals/{goal.pk}/")
        .context["letters"]
    }
    assert letters["T"]


def test_kpi_targets_per_month_and_quarter(world: Any) -> None:
    alice = client_for(world.people["alice"])
    world.a.fiscal_year_start_month = 4  # April to March: months span two calendar years
    world.a.save()
    kpi = Kpi.objects.create(
        workspace=world.a, name="Conv", unit="%", metric="c", denominator="s", scale=100
    )
    KpiValue.objects.create(workspace=world.a, kpi=kpi, month=date(2026, 5, 1), value=D("1.7"))
    base = {
        "name": "Conv",
        "unit": "%",
        "direction": "higher",
        "formula": "ratio",
        "metric": "c",
        "denominator": "s",
        "scale": "100",
        "revision": kpi.revision,
    }
    page = alice.get(f"/w/alpha/plan/kpis/{kpi.pk}/?year=2026").content.decode()
    # Fiscal 2026 runs 2026-04 … 2027-03; May's actual shows next to its target field.
    assert 'name="t-m202604"' in page and 'name="t-m202703"' in page
    assert 'name="t-q202701"' in page and "1.7" in page
    data = base | {"t-m202604": "1.8", "t-m202703": "2.1", "t-q202610": "2.0"}
    url = f"/w/alpha/plan/kpis/{kpi.pk}/?year=2026"
    assert alice.post(url, data).status_code == 302
    assert set(KpiTarget.objects.filter(kpi=kpi).values_list("period", "starts", "value")) == {
        ("month", date(2026, 4, 1), D("1.8")),
        ("month", date(2027, 3, 1), D("2.1")),
        ("quarter", date(2026, 10, 1), D("2.0")),
    }
    event = AuditEvent.objects.get(action="planning.kpi_targets_changed")
    assert event.after == {
        "month 2026-04-01": "1.8",
        "month 2027-03-01": "2.1",
        "quarter 2026-10-01": "2.0",
    }

    # A bad target anywhere: the KPI, its history and its targets stay as they were.
    bad = data | {"name": "Renamed", "t-m202604": "1.9", "t-q202701": "lots"}
    assert alice.post(url, bad).status_code == 400
    kpi.refresh_from_db()
    assert kpi.name == "Conv"
    assert KpiTarget.objects.get(kpi=kpi, starts=date(2026, 4, 1)).value == D("1.8")
    # Emptying a field removes that target.
    assert alice.post(url, data | {"t-m202703": "", "revision": kpi.revision}).status_code == 302
    assert KpiTarget.objects.filter(kpi=kpi).count() == 2
    # Only editors: the agency manager may not change targets.
    adam = client_for(world.people["adam"])
    assert adam.post(url, data | {"t-m202604": "9"}).status_code == 403
    assert KpiTarget.objects.get(kpi=kpi, starts=date(2026, 4, 1)).value == D("1.8")


def test_kpi_page_reads_in_labels_not_codes(world: Any) -> None:
    alice = client_for(world.people["alice"])
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    add_catalogue(alice, "conversion_rate")
    kpi = Kpi.objects.get(workspace=world.a)
    today = timezone.localdate(timezone=ZoneInfo(world.a.time_zone))  # as the page sees it
    month = today.replace(day=1) - timedelta(days=1)
    KpiValue.objects.create(
        workspace=world.a, kpi=kpi, month=month.replace(day=1), value=D("1.5500")
    )
    page = alice.get(f"/w/alpha/plan/kpis/{kpi.pk}/").content.decode()
    # The metrics are chosen by their translated labels; the codes are only the values.
    assert '<option value="conversions" selected>轉換次數</option>' in page
    assert '<option value="sessions" selected>工作階段數</option>' in page
    assert ">conversions<" not in page and ">sessions<" not in page
    assert 'value="100"' in page and "100.0000" not in page  # the scale, as people write it
    # Each month's label sits over its own input, in one cell of the grid.
    field = f"h-m{month:%Y%m}"
    assert (
        f'<div class="history-cell"><label for="id_{field}">{month:%Y-%m}</label>'
        f'<input type="number" name="{field}" value="1.55"'
    ) in page


def test_kpi_of_its_own_metric_keeps_it(world: Any) -> None:
    alice = client_for(world.people["alice"])
    data = {
        "name": "Repeat rate",
        "unit": "%",
        "direction": "higher",
        "formula": "ratio",
        "metric": "conversions",
        "metric_own": "repeat_orders",
        "denominator": "customers",
        "scale": "100",
    }
    assert alice.post("/w/alpha/plan/kpis/new/", data).status_code == 302
    kpi = Kpi.objects.get(workspace=world.a, name="Repeat rate")
    assert (kpi.metric, kpi.denominator) == ("repeat_orders", "customers")
    page = alice.get(f"/w/alpha/plan/kpis/{kpi.pk}/").content.decode()
    assert '<option value="repeat_orders" selected>repeat_orders</option>' in page
    assert '<option value="customers" selected>Customers</option>' in page


def test_goals_list_headers_and_no_wrapping_inside_values(world: Any) -> None:
    alice = client_for(world.people["alice"])
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    add_catalogue(alice, "content_per_week")
    kpi = Kpi.objects.get(workspace=world.a)
    Goal.objects.create(
        workspace=world.a,
        text="每週發布 5 篇內容",
        kpi=kpi,
        baseline=D(2),
        target=D(5),
        deadline=date(2027, 6, 30),
    )
    page = alice.get("/w/alpha/plan/goals/").content.decode()
    head = page[page.index('<table class="striped goals">') :]
    head = head[: head.index("</thead>")]
    assert head.count("<th>目標</th>") == 1 and "基準值 → 目標值" in head
    assert '<td class="num" data-label="基準值 → 目標值">2 → 5 篇</td>' in page  # unit translated
    assert '<td class="date" data-label="期限">2027-06-30</td>' in page
    # No history: achievability is neither passed nor failed.
    assert 'class="letter unknown" title="可達成：尚無法檢查"' in page
