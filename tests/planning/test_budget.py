"""AI tools and the budget plan through the pages: spreading, versions, the over-budget
warning, the health check, and who sees which amounts."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from crewplan.audit.models import AuditEvent
from crewplan.planning.budget import services as budget_services
from crewplan.planning.models import AiTool, BudgetLine, BudgetVersion
from tests.factories import change_settings, client_for, summarize

D = Decimal


@pytest.fixture
def version(world: Any) -> BudgetVersion:
    return budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2026, name="Original"
    )


def line_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "category": "media",
        "item": "Meta ads",
        "entry": "even",
        "annual": "120000",
        "committed": "0",
    }
    return {**data, **overrides}


def test_tool_inventory(world: Any) -> None:
    alice = client_for(world.people["alice"])
    data = {
        "name": "LINE 客服機器人",
        "vendor": "X",
        "category": "chatbot",
        "status": "pilot",
        "customer_data": "on",
        "seats": "2",
        "price_per_seat": "1500",
        "flat_fee": "0",
        "integration": "30000",
        "training_hours": "4",
        "training_rate": "1200",
        "training_fees": "0",
        "data_preparation": "8000",
        "privacy_per_month": "500",
        "renewal_change": "0.05",
    }
    assert alice.post("/w/alpha/plan/tools/new/", data).status_code == 302
    tool = AiTool.objects.get(workspace=world.a)
    assert tool.monthly_cost == D(3500) and tool.one_off_cost == D(42800)
    assert alice.post("/w/alpha/plan/tools/new/", data).status_code == 400  # same name twice
    page = alice.get("/w/alpha/plan/tools/").content.decode()
    assert "NT$3,500" in page and "NT$42,800" in page
    agency = client_for(world.people["amy"])
    assert "NT$3,500" not in agency.get("/w/alpha/plan/tools/").content.decode()  # costs hidden
    assert agency.get(f"/w/alpha/plan/tools/{tool.pk}/").status_code == 403


def test_lines_spread_evenly_seasonally_or_by_hand(world: Any, version: BudgetVersion) -> None:
    alice = client_for(world.people["alice"])
    url = f"/w/alpha/plan/budget/{version.pk}/lines/new/"
    alice.post(url, line_data(item="even"))
    alice.post(url, line_data(item="seasonal", entry="seasonal", annual="130000"))
    months = {f"m{m:02d}": "0" for m in range(1, 13)} | {"m11": "50000", "m12": "30000"}
    alice.post(url, line_data(item="by hand", entry="monthly", annual="", **months))
    lines = {ln.item: ln for ln in BudgetLine.objects.filter(version=version)}
    assert lines["even"].amounts == (D(10000),) * 12
    seasonal = lines["seasonal"].amounts  # fiscal year starts in January: month 11 weighs 1.4
    assert sum(seasonal) == D(130000) and seasonal[10] > seasonal[2]
    assert lines["by hand"].planned == D(80000) and lines["by hand"].m11 == D(50000)
    assert AuditEvent.objects.filter(action="planning.budget_line_saved").count() == 3


def test_bad_line_input_changes_nothing(world: Any, version: BudgetVersion) -> None:
    alice = client_for(world.people["alice"])
    url = f"/w/alpha/plan/budget/{version.pk}/lines/new/"
    for bad in (
        {"annual": "-5"},
        {"annual": ""},
        {"category": "snacks"},
        {"item": ""},
        {"annual": "abc"},
    ):
        assert alice.post(url, line_data(**bad)).status_code == 400
    foreign = AiTool.objects.create(workspace=world.b, name="B tool")
    assert alice.post(url, line_data(tool=foreign.pk)).status_code == 400
    assert not BudgetLine.objects.exists()


def test_reforecast_copies_and_warns_before_exceeding_the_plan(world: Any) -> None:
    # A year to come: no month is over yet, so every line's forecast is its plan.
    version = budget_services.version_create(
        workspace=world.a, actor=world.people["alice"], fiscal_year=2099, name="Original"
    )
    alice = client_for(world.people["alice"])
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/", line_data(item="Meta ads", annual="120000")
    )
    alice.post(
        "/w/alpha/plan/budget/versions/",
        {"year": "2099", "name": "Q2 re-forecast", "based_on": version.pk},
    )
    q2 = BudgetVersion.objects.get(workspace=world.a, number=2)
    assert q2.based_on == version and BudgetLine.objects.filter(version=q2).count() == 1
    # The original plan is 120,000 and this version has used all of it.
    url = f"/w/alpha/plan/budget/{q2.pk}/lines/new/"
    over = alice.post(url, line_data(item="TikTok test", annual="20000"))
    assert (
        over.status_code == 400
        and "NT$0" in over.context["warning"]
        and "NT$20,000" in over.context["warning"]
    )
    assert BudgetLine.objects.filter(version=q2).count() == 1
    assert (
        alice.post(
            url, line_data(item="TikTok test", annual="20000", confirm_over="on")
        ).status_code
        == 302
    )
    assert BudgetLine.objects.filter(version=q2).count() == 2
    assert BudgetLine.objects.filter(version=version).count() == 1  # the original is untouched


def test_health_check_on_the_page(world: Any, version: BudgetVersion) -> None:
    alice = client_for(world.people["alice"])
    tool = AiTool.objects.create(workspace=world.a, name="Copy AI", status="candidate", seats=3)
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        line_data(category="tool_subscription", item="Copy AI seats", tool=tool.pk, annual="36000"),
    )
    page = alice.get("/w/alpha/plan/budget/?year=2026")
    codes = {f.code for f in page.context["findings"]}
    assert {"single_tool_concentration", "no_pilot", "no_reserve", "no_kpi", "no_owner"} <= codes
    assert 'data-code="no_reserve"' in page.content.decode()
    assert page.context["total"] == D(36000)


def test_external_members_see_only_their_own_lines(world: Any, version: BudgetVersion) -> None:
    alice = client_for(world.people["alice"])
    url = f"/w/alpha/plan/budget/{version.pk}/lines/new/"
    alice.post(url, line_data(item="In-house media", annual="480000", owner=world.a_in_house.pk))
    alice.post(
        url,
        line_data(
            item="Agency retainer", category="agency_fees", annual="360000", owner=world.a_agency.pk
        ),
    )
    amy = client_for(world.people["amy"])
    page = amy.get("/w/alpha/plan/budget/?year=2026").content.decode()
    assert "NT$30,000" in page  # their own line: 360,000 / 12
    assert "NT$40,000" not in page and "NT$480,000" not in page  # the in-house line is hidden
    assert "NT$840,000" not in page and 'id="plan-total"' not in page  # no totals
    assert 'data-code="' not in page  # the health check states amounts
    assert amy.get(f"/w/alpha/plan/budget/{version.pk}/lines/new/").status_code == 403
    line = BudgetLine.objects.get(item="In-house media")
    assert amy.get(f"/w/alpha/plan/budget/{version.pk}/lines/{line.pk}/").status_code == 403
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    assert "NT$480,000" in amy.get("/w/alpha/plan/budget/?year=2026").content.decode()


def test_budget_page_queries_do_not_grow(
    world: Any,
    version: BudgetVersion,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    alice = client_for(world.people["alice"])
    tool = AiTool.objects.create(workspace=world.a, name="T")
    BudgetLine.objects.create(
        workspace=world.a,
        version=version,
        category="media",
        item="x",
        tool=tool,
        owner=world.a_in_house,
    )
    alice.get("/w/alpha/plan/budget/?year=2026")
    with django_assert_max_num_queries(25) as few:
        page = alice.get("/w/alpha/plan/budget/?year=2026")
    assert page.status_code == 200 and page.content.count(b"data-line=") == 1
    for i in range(30):
        BudgetLine.objects.create(
            workspace=world.a,
            version=version,
            category="media",
            item=f"x{i}",
            tool=tool,
            owner=world.a_agency,
            m01=D(100),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        page = alice.get("/w/alpha/plan/budget/?year=2026")
    assert page.status_code == 200 and page.content.count(b"data-line=") == 31
    assert 'data-line="x29"' in page.content.decode()


def test_export_download_and_command(world: Any, version: BudgetVersion, tmp_path: Any) -> None:
    import io

    from django.core.management import call_command
    from openpyxl import load_workbook

    alice = client_for(world.people["alice"])
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        line_data(item="Meta ads", owner=world.a_in_house.pk),
    )
    alice.post(
        "/w/alpha/plan/budget/versions/", {"year": "2026", "name": "Q2", "based_on": version.pk}
    )
    response = alice.get("/w/alpha/plan/budget/export.xlsx?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Budget",
        "v1 Original",
        "v2 Q2",
        "Tools",
    ]  # workspace A works in English
    assert book["Budget"]["B2"].value == "Meta ads" and book["Budget"]["F2"].value == 10000
    # An agency member may not take the whole budget home.
    assert (
        client_for(world.people["amy"])
        .get("/w/alpha/plan/budget/export.xlsx?year=2026")
        .status_code
        == 403
    )
    out = tmp_path / "plan.xlsx"
    call_command(
        "budget", "export", "--workspace", "alpha", "--year", "2026", str(out), stdout=io.StringIO()
    )
    assert load_workbook(out)["Budget"]["B2"].value == "Meta ads"
    # --version picks the version the Budget sheet shows: v1 has no Q2 changes here, so
    # tell them apart by the line added to v2 only.
    v2 = BudgetVersion.objects.get(workspace=world.a, number=2)
    added = alice.post(
        f"/w/alpha/plan/budget/{v2.pk}/lines/new/", line_data(item="Only in v2", confirm_over="on")
    )
    assert added.status_code == 302, added.content.decode()[-3000:]
    call_command(
        "budget",
        "export",
        "--workspace",
        "alpha",
        "--year",
        "2026",
        "--version",
        "1",
        str(out),
        stdout=io.StringIO(),
    )
    assert load_workbook(out)["Budget"]["B3"].value is None
    call_command(
        "budget",
        "export",
        "--workspace",
        "alpha",
        "--year",
        "2026",
        str(out),
        stdout=io.StringIO(),
    )
    assert load_workbook(out)["Budget"]["B3"].value == "Only in v2"
    web = alice.get(f"/w/alpha/plan/budget/export.xlsx?year=2026&v={version.pk}")
    assert load_workbook(io.BytesIO(web.content))["Budget"]["B3"].value is None
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "budget",
            "export",
            "--workspace",
            "alpha",
            "--year",
            "2026",
            "--version",
            "9",
            str(out),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert exit_info.value.code == 2


def test_export_then_import_as_a_new_version(world: Any, version: BudgetVersion) -> None:
    import io

    alice = client_for(world.people["alice"])
    from crewplan.measure.models import Channel
    from crewplan.planning.models import Kpi

    Kpi.objects.create(
        workspace=world.a, name="ROAS", unit="x", metric="revenue", denominator="spend"
    )
    tool = AiTool.objects.create(workspace=world.a, name="Copy AI", status="active", seats=2)
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        line_data(
            item="Meta ads",
            owner=world.a_in_house.pk,
            kpi=Kpi.objects.get().pk,
            channel=Channel.objects.get(workspace=world.a, name="Meta").pk,
        ),
    )
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        line_data(item="Copy AI seats", category="tool_subscription", tool=tool.pk, annual="36000"),
    )
    exported = alice.get("/w/alpha/plan/budget/export.xlsx?year=2026").content
    upload = io.BytesIO(exported)
    upload.name = "plan.xlsx"
    preview = alice.post("/w/alpha/plan/budget/import/", {"file": upload})
    assert preview.status_code == 200 and preview.context["plan"].problems == []
    assert preview.context["plan"].total == D(156000)
    assert BudgetVersion.objects.filter(workspace=world.a).count() == 1  # the preview saves nothing
    done = alice.post(
        "/w/alpha/plan/budget/import/confirm/",
        {"plan": preview.context["token"], "year": "2026", "name": "From Excel"},
    )
    assert done.status_code == 302
    imported = BudgetVersion.objects.get(workspace=world.a, name="From Excel")

    def summary(v: BudgetVersion) -> list[tuple[Any, ...]]:
        return sorted(
            (ln.category, ln.item, ln.amounts, ln.tool_id, ln.kpi_id, ln.owner_id, ln.channel_id)
            for ln in BudgetLine.objects.filter(version=v)
        )

    assert summary(imported) == summary(version)
    assert BudgetLine.objects.get(version=imported, item="Meta ads").channel.name == "Meta"


def test_import_problems_change_nothing(world: Any, version: BudgetVersion) -> None:
    import io

    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "Budget"
    ws.append(["Category", "Item", "KPI", "Owner", "Annual", "Channel"])
    ws.append(["media", "Meta", "Unknown KPI", "Nobody's team", 1000, "meta"])  # any case
    ws.append(["snacks", "Cookies", "", "", 10])
    ws.append(["media", "TikTok", "", "", 10, "TikTok Ads"])
    ws.append(["training", "Class", "", "", 10, "Meta"])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "bad.xlsx"
    alice = client_for(world.people["alice"])
    response = alice.post("/w/alpha/plan/budget/import/", {"file": out})
    assert response.status_code == 400
    messages = " ".join(m for _s, _r, m in response.context["plan"].problems)
    assert "Unknown KPI" in messages and "Nobody's team" in messages and "snacks" in messages
    assert "Channel “TikTok Ads” does not exist" in messages and "Only media" in messages
    assert "“meta”" not in messages  # the workspace's Meta, whatever the letter case
    assert b'id="budget-import-confirm"' not in response.content
    junk = io.BytesIO(b"not a spreadsheet")
    junk.name = "x.xlsx"
    assert alice.post("/w/alpha/plan/budget/import/", {"file": junk}).status_code == 400
    tampered = alice.post(
        "/w/alpha/plan/budget/import/confirm/", {"plan": "x" * 40, "year": "2026"}
    )
    assert tampered.status_code == 302
    assert BudgetVersion.objects.filter(workspace=world.a).count() == 1
    assert (
        client_for(world.people["amy"]).post("/w/alpha/plan/budget/import/", {}).status_code == 403
    )


def test_health_thresholds_are_workspace_settings(world: Any, version: BudgetVersion) -> None:
    alice = client_for(world.people["alice"])
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        line_data(item="ads", owner=world.a_in_house.pk, annual="95000"),
    )
    alice.post(
        f"/w/alpha/plan/budget/{version.pk}/lines/new/",
        line_data(
            item="reserve", category="experiment_reserve", owner=world.a_in_house.pk, annual="5000"
        ),
    )

    def codes() -> set[str]:
        return {f.code for f in alice.get("/w/alpha/plan/budget/?year=2026").context["findings"]}

    assert "no_reserve" not in codes()  # 5% meets the default 5%
    change_settings(world.a, world.people["alice"], budget_min_reserve_share=D("0.10"))
    assert "no_reserve" in codes()


def test_versions_differences(world: Any, version: BudgetVersion) -> None:
    alice = client_for(world.people["alice"])
    url = f"/w/alpha/plan/budget/{version.pk}/lines/new/"
    alice.post(url, line_data(item="Meta ads", owner=world.a_in_house.pk))
    alice.post(url, line_data(item="Print flyers", owner=world.a_in_house.pk, annual="12000"))
    alice.post(
        "/w/alpha/plan/budget/versions/", {"year": "2026", "name": "Q2", "based_on": version.pk}
    )
    q2 = BudgetVersion.objects.get(workspace=world.a, number=2)
    meta = BudgetLine.objects.get(version=q2, item="Meta ads")
    # Both go past what the original plan leaves: the caller says so (the page's tick box).
    budget_services.line_save(
        version=q2,
        actor=world.people["alice"],
        line=meta,
        revision=meta.revision,
        allow_over=True,
        data={"m07": D(20000)},
    )
    budget_services.line_delete(
        line=BudgetLine.objects.get(version=q2, item="Print flyers"), actor=world.people["alice"]
    )
    budget_services.line_save(
        version=q2,
        actor=world.people["alice"],
        allow_over=True,
        data={"category": "media", "item": "TikTok", "m08": D(5000)},
    )
    page = alice.get(f"/w/alpha/plan/budget/?year=2026&v={q2.pk}&compare={version.pk}")
    changes = {(c.change, c.item, c.before, c.after, c.months) for c in page.context["changes"]}
    assert changes == {
        ("changed", "Meta ads", D(120000), D(130000), (7,)),
        ("added", "TikTok", D(0), D(5000), ()),
        ("removed", "Print flyers", D(12000), D(0), ()),
    }
    assert page.content.decode().count("data-change=") == 3


def test_big_plan_shows_a_page_of_lines_and_totals_of_all(
    world: Any,
    version: BudgetVersion,
    django_assert_max_num_queries: Any,
    django_assert_num_queries: Any,
) -> None:
    from crewplan.planning.budget.views import FINDINGS_PER_CODE, LINES_PER_PAGE

    alice = client_for(world.people["alice"])

    def add(count: int, start: int) -> None:
        BudgetLine.objects.bulk_create(
            BudgetLine(
                workspace=world.a,
                version=version,
                category="media",
                item=f"line {start + n}",
                owner=world.a_in_house,
                position=start + n,
                m01=D(100),
            )
            for n in range(count)
        )

    add(3, 1)
    url = "/w/alpha/plan/budget/?year=2026"
    alice.get(url)
    with django_assert_max_num_queries(30) as few:
        small = alice.get(url)
    assert small.status_code == 200 and small.content.count(b"data-line=") == 3
    add(LINES_PER_PAGE + 2, 4)
    with django_assert_num_queries(len(few.captured_queries)):
        first = alice.get(url)
    assert first.status_code == 200
    html = first.content.decode()
    assert html.count("data-line=") == LINES_PER_PAGE and 'id="line-pages"' in html
    assert first.context["total"] == D(100) * (LINES_PER_PAGE + 5)  # every line counts
    no_kpi = [f for f in first.context["findings"] if f.code == "no_kpi"]
    assert len(no_kpi) == LINES_PER_PAGE + 5  # no line has a KPI, and all are checked
    assert html.count('data-code="no_kpi"') == FINDINGS_PER_CODE
    assert 'data-more="no_kpi"' in html and f"{LINES_PER_PAGE + 5 - FINDINGS_PER_CODE} more" in html
    last = alice.get(f"{url}&page=2").content.decode()
    assert last.count("data-line=") == 5 and 'data-line="line 105"' in last
    assert alice.get(f"{url}&page=x").content.decode().count("data-line=") == LINES_PER_PAGE


def test_line_service_refuses_a_forecast_over_what_remains(
    world: Any, version: BudgetVersion
) -> None:
    """The rule lives in the service, so a caller other than the page (the API) cannot skip
    it: a re-forecast line that plans more than the original plan leaves is refused, and
    saved only when the caller says so."""
    from django.core.exceptions import ValidationError

    alice = world.people["alice"]
    january = date(2026, 1, 10)  # nothing of the year is over: forecasts are plans
    months = {f"m{m:02d}": D(10000) for m in range(1, 13)}  # 120,000 for the year
    budget_services.line_save(
        today=january,
        version=version,
        actor=alice,
        data={"category": "media", "item": "Meta ads", **months},
    )
    q2 = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="Q2", based_on=version
    )
    small = {f"m{m:02d}": D(0) for m in range(1, 13)} | {"m01": D(20000)}
    with pytest.raises(ValidationError) as refused:
        budget_services.line_save(
            today=january,
            version=q2,
            actor=alice,
            data={"category": "media", "item": "TikTok test", **small},
        )
    assert "NT$20,000" in str(refused.value) and "NT$0" in str(refused.value)
    assert BudgetLine.objects.filter(version=q2).count() == 1
    copied = BudgetLine.objects.get(version=q2)
    # Raising a copied line past the cap is refused too; keeping it within is not.
    with pytest.raises(ValidationError):
        budget_services.line_save(
            today=january,
            version=q2,
            actor=alice,
            line=copied,
            revision=copied.revision,
            data={"m01": D(10001)},
        )
    copied.refresh_from_db()
    assert copied.m01 == D(10000)
    budget_services.line_save(
        today=january,
        version=q2,
        actor=alice,
        line=copied,
        revision=copied.revision,
        data={"m01": D(9000)},
    )
    added = budget_services.line_save(
        today=january,
        version=q2,
        actor=alice,
        allow_over=True,
        data={"category": "media", "item": "TikTok test", **small},
    )
    assert added.planned == D(20000) and BudgetLine.objects.filter(version=q2).count() == 2
    # The original version has no cap.
    budget_services.line_save(
        today=january,
        version=version,
        actor=alice,
        data={"category": "media", "item": "More", **small},
    )
    assert BudgetLine.objects.filter(version=version).count() == 2


def test_plan_table_totals_first_then_months_or_quarters(
    world: Any, version: BudgetVersion
) -> None:
    alice = client_for(world.people["alice"])
    url = f"/w/alpha/plan/budget/{version.pk}/lines/new/"
    months = {f"m{m:02d}": "0" for m in range(1, 13)} | {"m01": "1000", "m05": "2000"}
    alice.post(
        url, line_data(item="Meta ads", entry="monthly", annual="", committed="500", **months)
    )
    page = alice.get("/w/alpha/plan/budget/?year=2026").content.decode()
    row = page[page.index('<tr data-line="Meta ads">') :]
    row = row[: row.index("</tr>")]
    # Planned, committed, actual and available right after the line's name, then the months.
    cells = row.split('<td class="num')[1:]
    assert [c[c.index(">") + 1 : c.index("</td>")] for c in cells[:6]] == [
        "NT$3,000",
        "NT$500",
        "NT$0",
        "NT$2,500",
        "NT$1,000",
        "NT$0",
    ]
    assert len(cells) == 4 + 12
    head = page[page.index('<table class="budget plan-table"') : page.index("</thead>")]
    assert head.index("Planned") < head.index("Jan") and head.count('class="num period') == 12
    assert '<td class="category">Media spend</td>' in row  # sticky, like the item
    # The quarter view: the same line in four columns that add up to the year.
    quarters = alice.get("/w/alpha/plan/budget/?year=2026&view=quarters").content.decode()
    row = quarters[quarters.index('<tr data-line="Meta ads">') :]
    row = row[: row.index("</tr>")]
    periods = [c[c.index(">") + 1 : c.index("</td>")] for c in row.split("period")[1:]]
    assert periods == ["NT$1,000", "NT$2,000", "NT$0", "NT$0"]
    assert 'id="quarter-view" aria-current="true"' not in page
    assert 'aria-current="true" id="quarter-view"' in quarters
    foot = quarters[quarters.index("<tfoot>") : quarters.index("</tfoot>")]
    assert 'id="plan-total">NT$3,000<' in foot and foot.count('class="num period') == 4


def test_budget_chart_speaks_the_tables_currency(world: Any, version: BudgetVersion) -> None:
    """The chart's axis writes NT$ as the tables do, in Chinese too (the browser's currency
    format says "$" for TWD in zh-TW)."""
    change_settings(world.a, world.people["alice"], default_language="zh-hant")
    alice = client_for(world.people["alice"])
    alice.post(f"/w/alpha/plan/budget/{version.pk}/lines/new/", line_data())
    page = alice.get("/w/alpha/plan/budget/?year=2026").content.decode()
    start = page.index('<script id="budget-chart-data" type="application/json">')
    chart = json.loads(page[page.index(">", start) + 1 : page.index("</script>", start)])
    assert (chart["currency"], chart["symbol"], chart["decimals"]) == ("TWD", "NT$", 0)
    assert chart["labels"][0] == "一月"


def test_a_reforecast_counts_the_months_past_at_their_actuals(
    world: Any, version: BudgetVersion
) -> None:
    from django.core.exceptions import ValidationError

    from crewplan.measure.models import Expense

    alice = world.people["alice"]
    july = date(2026, 7, 15)  # January to June are over (the year starts in January)
    months = {f"m{m:02d}": D(10000) for m in range(1, 13)}  # 120,000 for the year
    original = budget_services.line_save(
        version=version,
        actor=alice,
        today=july,
        data={"category": "training", "item": "Classes", **months},
    )
    # Only 30,000 was spent in the first half (booked on the original line: copies count it).
    Expense.objects.create(workspace=world.a, line=original, day=date(2026, 3, 1), amount=30000)
    Expense.objects.create(workspace=world.a, line=original, day=date(2026, 7, 1), amount=999)
    q2 = budget_services.version_create(
        workspace=world.a, actor=alice, fiscal_year=2026, name="Q3", based_on=version
    )
    # The copy forecasts 30,000 + 6 × 10,000 = 90,000, which leaves 30,000.
    december = {f"m{m:02d}": D(0) for m in range(1, 13)}
    new = {"category": "consulting", "item": "Audit"}
    with pytest.raises(ValidationError) as refused:
        budget_services.line_save(
            version=q2, actor=alice, today=july, data=new | december | {"m12": D(30001)}
        )
    message = str(refused.value)
    assert "NT$30,001" in message and "NT$30,000" in message and "6 months already past" in message
    budget_services.line_save(
        version=q2, actor=alice, today=july, data=new | december | {"m12": D(30000)}
    )
    # A month of plan already past counts at its actual (nothing), not at its plan.
    budget_services.line_save(
        version=q2,
        actor=alice,
        today=july,
        data={"category": "consulting", "item": "Past", **december, "m01": D(50000)},
    )
    # In January the same line counts at plan: 50,000 more than what is left.
    with pytest.raises(ValidationError, match="plans NT\\$50,000"):
        budget_services.line_save(
            version=q2,
            actor=alice,
            today=date(2026, 1, 2),
            data={"category": "consulting", "item": "Early", **december, "m01": D(50000)},
        )


def test_a_channel_is_for_media_lines_only(world: Any, version: BudgetVersion) -> None:
    from django.core.exceptions import ValidationError

    from crewplan.measure.models import Channel

    meta = Channel.objects.get(workspace=world.a, name="Meta")
    alice = world.people["alice"]
    zero = {f"m{m:02d}": D(0) for m in range(1, 13)}
    with pytest.raises(ValidationError, match="Only media"):
        budget_services.line_save(
            version=version,
            actor=alice,
            data={"category": "training", "item": "Class", "channel": meta, **zero},
        )
    line = budget_services.line_save(
        version=version,
        actor=alice,
        data={"category": "media", "item": "Ads", "channel": meta, **zero},
    )
    with pytest.raises(
        ValidationError, match="Only media"
    ):  # the category changes, not the channel
        budget_services.line_save(
            version=version,
            actor=alice,
            line=line,
            revision=line.revision,
            data={"category": "training"},
        )
    client = client_for(alice)
    url = f"/w/alpha/plan/budget/{version.pk}/lines/new/"
    refused = client.post(url, line_data(category="training", item="Class", channel=meta.pk))
    assert refused.status_code == 400 and "Only media" in refused.content.decode()
    page = client.get(url).content.decode()
    assert 'data-for-category="media"' in page and "recorded expenses only" in page
    assert client.post(url, line_data(item="Meta ads", channel=meta.pk)).status_code == 302
    assert BudgetLine.objects.get(item="Meta ads").channel == meta


def test_the_budget_page_shows_actuals_from_spend_and_expenses(
    world: Any, version: BudgetVersion
) -> None:
    from crewplan.measure.models import Campaign, Channel, DailyMetric, Expense, Import

    alice = world.people["alice"]
    meta = Channel.objects.get(workspace=world.a, name="Meta")
    zero = {f"m{m:02d}": D(0) for m in range(1, 13)}
    data = {"category": "media", "channel": meta, **zero, "m01": D(50000)}
    ads = budget_services.line_save(version=version, actor=alice, data=data | {"item": "Ads A"})
    budget_services.line_save(version=version, actor=alice, data=data | {"item": "Ads B"})
    klass = budget_services.line_save(
        version=version,
        actor=alice,
        data={"category": "training", "item": "Class", **zero, "m02": D(9000)},
    )
    source = Import.objects.create(workspace=world.a, file_name="f", checksum="x", layout="g")
    campaign = Campaign.objects.create(workspace=world.a, channel=meta, name="")
    DailyMetric.objects.create(
        workspace=world.a,
        day=date(2026, 1, 5),
        channel=meta,
        campaign=campaign,
        spend_x100=2468000,
        source=source,
    )
    summarize(world.a)
    Expense.objects.create(workspace=world.a, line=klass, day=date(2026, 2, 2), amount=7531)
    page = client_for(alice).get(f"/w/alpha/plan/budget/?year=2026&v={version.pk}")
    html = page.content.decode()
    rows = {r["line"].item: r for r in page.context["rows"]}
    assert rows["Ads A"]["actual"] == D("12340.00") and rows["Ads B"]["actual"] == D("12340.00")
    assert rows["Class"]["actual"] == D(7531) and rows["Class"]["available"] == D(9000 - 7531)
    assert "NT$7,531" in html and "NT$12,340" in html
    assert ads.pk in page.context["shared_channel"]
    assert "share the spend of their channel" in html and "/results/expenses/" in html
