"""The quarterly report's money sections (2 goals and KPIs, 3 budget against actual, 4
ROI per channel and AI tool, 8 budget health): the figures the Results pages compute for
the same data, an external team's copy without the amounts the pages hide from it, a
constant number of queries, both languages. Dates pinned: the report is read "today"
2 December 2026, in fiscal 2026 Q4 (a January fiscal year)."""

import re
from datetime import date, timedelta
from decimal import Decimal
from html import unescape
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crewplan.measure.models import Expense, ToolReview
from crewplan.measure.tool_queries import tool_results
from crewplan.planning.models import (
    AiTool,
    BudgetLine,
    BudgetVersion,
    Kpi,
    KpiTarget,
    KpiValue,
    RoiEstimate,
)
from crewplan.planning.tools.roi import ScenarioName
from crewplan.reports import quarter_figures, svg
from crewplan.reports.collaboration import FiscalQuarter
from crewplan.reports.report import ReportData, render_html
from crewplan.reports.sections_money import money_sections
from crewplan.workspaces.models import Team, Workspace
from tests.factories import change_settings, channel_named, client_for, metric_rows

D = Decimal
TODAY = date(2026, 12, 2)
Q4 = FiscalQuarter(2026, 4, 1)
Q1_2024 = FiscalQuarter(2024, 1, 1)


def days(first: date, n: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(n)]


def line(version: BudgetVersion, item: str, category: str, owner: Any, **fields: Any) -> BudgetLine:
    return BudgetLine.objects.create(
        workspace=version.workspace,
        version=version,
        item=item,
        category=category,
        owner=owner,
        **fields,
    )


@pytest.fixture
def plan_2024(world: Any) -> BudgetVersion:
    """The plan page's year (tests/measure/test_plan_page.py): Meta ads 1,000 a month with
    2,500 spent in Q1; the agency's retainer 55,555 planned in January, 60,000 invoiced;
    training 3,000 planned, nothing spent. A past year: the whole quarter has elapsed."""
    a = world.a
    meta = channel_named(a, "Meta")
    version = BudgetVersion.objects.create(workspace=a, fiscal_year=2024, number=1, name="計畫")
    months = {f"m{m:02d}": D(1000) for m in range(1, 13)}
    line(version, "Meta 廣告", "media", world.a_in_house, channel=meta, committed=D(500), **months)
    retainer = line(version, "代理商月費", "agency_fees", world.a_agency, m01=D(55555))
    line(version, "教育訓練", "training", world.a_in_house, m01=D(3000))
    metric_rows(a, meta, days(date(2024, 1, 1), 10), spend_x100=100_00)
    metric_rows(a, meta, days(date(2024, 2, 1), 10), spend_x100=150_00)
    Expense.objects.create(workspace=a, line=retainer, day=date(2024, 1, 15), amount=D(60000))
    return version


@pytest.fixture
def results_2026(world: Any) -> dict[str, Any]:
    """Fiscal 2026 Q4 and the quarter before: Meta's figures, three KPIs (a money CAC
    against monthly targets, a satisfaction score against a quarter target, one without a
    target) and two AI tools reviewed July to November, one far below its estimate."""
    a = world.a
    meta = channel_named(a, "Meta")
    # Q3 to date (1 July – 2 September): spend 4,000, revenue 20,000: ROAS 5.
    metric_rows(a, meta, [date(2026, 7, 3)], spend_x100=4000_00, revenue_x100=20000_00)
    # Q4 to date: spend 8,000 for 100 new customers (CAC 80), revenue 32,000: ROAS 4.
    metric_rows(
        a,
        meta,
        [date(2026, 10, 3)],
        spend_x100=8000_00,
        revenue_x100=32000_00,
        clicks=400,
        impressions=10000,
        extras={"new_customers": 100_00},
    )
    cac = Kpi.objects.create(
        workspace=a,
        name="獲客成本",
        unit="TWD",
        direction="lower",
        formula="ratio",
        metric="spend",
        denominator="new_customers",
    )
    KpiValue.objects.create(workspace=a, kpi=cac, month=date(2026, 11, 1), value=D(120))
    for month, target in ((10, 100), (11, 90)):
        KpiTarget.objects.create(
            workspace=a, kpi=cac, period="month", starts=date(2026, month, 1), value=target
        )
    score = Kpi.objects.create(
        workspace=a, name="滿意度", unit="score", formula="average", metric="csat_score"
    )
    for month, value in ((10, "4.0"), (11, "4.5"), (12, "4.2")):
        KpiValue.objects.create(workspace=a, kpi=score, month=date(2026, month, 1), value=D(value))
    KpiTarget.objects.create(
        workspace=a, kpi=score, period="quarter", starts=date(2026, 10, 1), value=D(4)
    )
    Kpi.objects.create(workspace=a, name="貼文數", unit="pieces", formula="sum", metric="posts")
    version = BudgetVersion.objects.create(workspace=a, fiscal_year=2026, number=1, name="年度")
    tools = {}
    for name, hours in (("文案機器人", 1), ("客服機器人", 40)):
        tool = AiTool.objects.create(
            workspace=a, name=name, owner=world.a_in_house, flat_fee=D(1000), seats=3
        )
        RoiEstimate.objects.create(
            workspace=a,
            tool=tool,
            horizon_months=12,
            hours_saved_per_month=10,
            loaded_hourly_rate=500,
            spread=30,
        )
        seats = line(version, f"{name} 月費", "tool_subscription", world.a_in_house, tool=tool)
        for month in range(7, 12):
            Expense.objects.create(
                workspace=a, line=seats, day=date(2026, month, 5), amount=D(1000)
            )
            ToolReview.objects.create(
                workspace=a,
                tool=tool,
                month=date(2026, month, 1),
                active_seats=2,
                hours_saved=D(hours),
                outputs=10,
                satisfaction=2 if hours == 1 else 5,
            )
        tools[name] = tool
    return {"cac": cac, "score": score, "tools": tools}


def sections(world: Any, quarter: FiscalQuarter, team: int | None = None) -> dict[str, Any]:
    return money_sections(world.a, quarter, language="en", audience_team_id=team, today=TODAY)


def by(rows: list[dict[str, Any]], key: str, value: str) -> dict[str, Any]:
    return next(r for r in rows if r[key] == value)


# ----------------------------------------------------------------- section 2


def test_kpis_target_against_actual_as_the_kpi_page(world: Any, results_2026: Any) -> None:
    goals = sections(world, Q4)["goals"]
    assert goals["months"] == ["2026-10", "2026-11", "2026-12"]
    cac = by(goals["kpis"], "name", "獲客成本")
    october, november, december = cac["months"]
    # October imported: 8,000 ÷ 100 new customers = 80 against 100, lower is better: 125 %.
    assert (october["actual"], october["target"], october["source"]) == (
        "80.0000",
        "100.0000",
        "imported",
    )
    assert october["achieved"] == "125.0"
    assert (november["actual"], november["achieved"], november["source"]) == (
        "120.0000",
        "75.0",
        "typed",
    )
    assert december["actual"] is None and december["achieved"] is None
    assert (cac["verdict"], cac["achievement"]) == ("missed", "75.0")  # the latest judged month
    score = by(goals["kpis"], "name", "滿意度")
    # The quarter: the mean of its three months, (4.0 + 4.5 + 4.2) ÷ 3 against 4.
    assert score["quarter"] == {"target": "4.0000", "actual": "4.2333", "achieved": "105.8"}
    assert (score["verdict"], score["achievement"]) == ("achieved", "105.8")
    assert by(goals["kpis"], "name", "貼文數")["verdict"] == "no_target"
    assert goals["headline"] == {
        "achieved": 1,
        "missed": 1,
        "no_actual": 0,
        "no_target": 1,
        "hidden": 0,
    }
    page = client_for(world.people["alice"]).get("/w/alpha/results/kpis/?year=2026")
    body = page.content.decode()
    row = body[body.index(f'id="kpi-{results_2026["cac"].pk}"') :]
    assert "125.0%" in row and "75.0%" in row  # the page's figures for the same months


# ----------------------------------------------------------------- section 3


def test_budget_against_actual_as_the_plan_page(world: Any, plan_2024: BudgetVersion) -> None:
    budget = sections(world, Q1_2024)["budget"]
    meta = by(budget["lines"], "item", "Meta 廣告")
    # Q1: 3,000 planned, 2,500 spent, the whole quarter elapsed: pacing 2,500 ÷ 3,000.
    assert meta["quarter"]["planned"] == "3000.00" and meta["quarter"]["actual"] == "2500.00"
    assert (meta["quarter"]["pacing"], meta["quarter"]["status"]) == ("0.8333", "red")
    assert meta["year"] == {
        "planned": "12000.00",
        "committed": "500.00",
        "available": "9500.00",
        "linear": "2500.00",  # what was spent: a past year has no plan left to add
        "run_rate": "2500.00",
        "overspend": "0.00",
    }
    retainer = by(budget["lines"], "item", "代理商月費")
    assert (retainer["quarter"]["actual"], retainer["quarter"]["pacing"]) == ("60000.00", "1.0800")
    total = budget["total"]["quarter"]
    assert (total["planned"], total["actual"]) == ("61555.00", "62500.00")
    assert budget["headline"]["pacing"] == "1.0154" and budget["headline"]["word"] == "On pace"
    categories = {c["name"]: c["quarter"]["actual"] for c in budget["categories"]}
    assert categories == {"Media spend": "2500.00", "Agency fees": "60000.00", "Training": "0.00"}
    # Off pace by the pacing bands (no threshold of the workspace's own): red first.
    assert [(o["item"], o["band"], o["direction"]) for o in budget["off_pace"]] == [
        ("Meta 廣告", "red", "under"),
        ("教育訓練", "red", "under"),
        ("代理商月費", "amber", "over"),
    ]
    # The chart draws the category table's figures, planned then actual.
    bars = [(b["label"], b["series"], b["value"]) for b in budget["chart"]["bars"]]
    assert ("Agency fees", 1, "60000.00") in bars and ("Training", 0, "3000.00") in bars
    page = client_for(world.people["alice"]).get(
        "/w/alpha/results/plan/", {"v": plan_2024.pk, "period": "q1"}
    )
    row = re.search(r'data-line="Meta 廣告">(.*?)</tr>', page.content.decode(), re.S)
    assert row is not None and "83.3%" in row[1] and "NT$2,500" in row[1]


# ----------------------------------------------------------------- section 4


def test_channels_quarter_over_quarter(world: Any, results_2026: Any) -> None:
    roi = sections(world, Q4)["roi"]
    # The quarter under way: to date, against the same days of the quarter before.
    assert roi["period"] == {
        "first": "2026-10-01",
        "last": "2026-12-02",
        "before_first": "2026-07-01",
        "before_last": "2026-09-01",
        "to_date": True,
    }
    meta = by(roi["channels"], "name", "Meta")
    figures = dict(zip((f["key"] for f in roi["figures"]), meta["cells"], strict=True))
    assert (figures["spend"]["now"], figures["spend"]["change"]) == ("8000.00", "1.0000")
    assert (figures["roas"]["now"], figures["roas"]["before"]) == ("4.0000", "5.0000")
    assert figures["roas"]["change"] == "-0.2000"
    assert (figures["cac"]["now"], figures["cac"]["before"]) == ("80.00", None)
    assert figures["ctr"]["now"] == "0.0400"
    assert roi["mer"] == {"now": "4.0000", "before": "5.0000", "change": "-0.2000"}


def test_tools_realized_against_scenarios_and_two_quarters_below(
    world: Any, results_2026: Any
) -> None:
    roi = sections(world, Q4)["roi"]
    weak, strong = by(roi["tools"], "name", "文案機器人"), by(roi["tools"], "name", "客服機器人")
    # October and November: 1 hour × 500 − 1,000 spent = −500 a month.
    assert weak["quarter"]["cost"] == "2000.00" and weak["quarter"]["net"] == "-1000.00"
    assert weak["quarter"]["roi"] == "-0.5000"
    results = {r.tool.name: r for r in tool_results(world.a)}
    months = [m for m in results["文案機器人"].realized.months if m.month >= date(2026, 10, 1)]
    for scenario in ScenarioName:
        expected = sum((m.scenario_net[scenario] for m in months), D(0))
        assert weak["quarter"]["scenarios"][scenario] == str(expected.quantize(D("0.01")))
    assert weak["to_date"]["net"] == str(results["文案機器人"].realized.net.quantize(D("0.01")))
    # Below the conservative case in Q3 (July–September) and in Q4: flagged, with both.
    assert weak["flagged"] and not strong["flagged"]
    assert [(e["months"], e["below"]) for e in weak["evidence"]] == [(3, True), (2, True)]
    assert weak["evidence"][1]["net"] == "-1000.00"
    assert weak["usage"] == {
        "reviews": 2,
        "hours_saved": "2.0",
        "outputs": 20,
        "active_seats": 2,
        "seats": 3,
        "satisfaction": "2.0",
    }
    assert strong["quarter"]["net"] == "38000.00"  # 2 × (40 hours × 500 − 1,000)
    assert roi["headline"]["flagged"] == ["文案機器人"]
    assert [(t["name"], t["roi"]) for t in roi["headline"]["tools"]] == [
        ("客服機器人", "19.0000"),  # by name, as the tools page
        ("文案機器人", "-0.5000"),
    ]


# ----------------------------------------------------------------- section 8


def test_budget_health_of_the_current_version(world: Any, plan_2024: BudgetVersion) -> None:
    health = sections(world, Q1_2024)["budget_health"]
    codes = {g["code"]: g for g in health["groups"]}
    assert "no_reserve" in codes  # no experiment reserve in the plan
    assert codes["no_reserve"]["shown"][0]["severity"] == "warning"
    headline = health["headline"]
    warnings = sum(len(g["shown"]) + g["more"] for g in health["groups"])
    assert (headline["errors"], headline["warnings"]) == (0, warnings)
    assert headline["top"][0]["message"]


# ------------------------------------------------------------- external copy


def test_an_agency_copy_leaves_out_what_the_pages_hide(
    world: Any, plan_2024: BudgetVersion, results_2026: Any
) -> None:
    agency = world.a_agency.pk
    budget = sections(world, Q1_2024, agency)["budget"]
    assert [ln["item"] for ln in budget["lines"] if not ln["hidden"]] == ["代理商月費"]
    assert budget["totals_hidden"] and "total" not in budget and "chart" not in budget
    assert budget["hidden_lines"] == 2 and budget["off_pace"] == [
        by(budget["off_pace"], "item", "代理商月費")
    ]
    assert sections(world, Q1_2024, agency)["budget_health"]["hidden"]
    later = sections(world, Q4, agency)
    cac = by(later["goals"]["kpis"], "name", "獲客成本")
    assert cac == {"id": results_2026["cac"].pk, "name": "獲客成本", "hidden": True}
    assert by(later["goals"]["kpis"], "name", "滿意度")["quarter"]["actual"] == "4.2333"
    roi = later["roi"]
    assert roi["amounts_hidden"] and roi["mer"] is None
    assert [f["key"] for f in roi["figures"]] == ["conversions", "clicks", "ctr"]
    weak = by(roi["tools"], "name", "文案機器人")
    assert weak["flagged"] and weak["quarter"] == {} and "to_date" not in weak
    assert all("net" not in e for e in weak["evidence"])
    html = render_html(report(world, {**sections(world, Q1_2024, agency), "roi": roi}))
    assert "NT$55,555" in html and "NT$60,000" in html  # the agency's own line
    for hidden in ("NT$3,000", "NT$2,500", "NT$61,555", "NT$8,000", "NT$32,000"):
        assert hidden not in html, hidden
    assert 'id="budget-hidden"' in html and 'id="roi-hidden"' in html
    assert 'id="health-hidden"' in html
    # An owner who lets external teams see the budget: the agency's copy has it all.
    change_settings(world.a, world.people["alice"], external_can_see_budget=True)
    shown = money_sections(
        Workspace.objects.get(pk=world.a.pk),
        Q1_2024,
        language="en",
        audience_team_id=agency,
        today=TODAY,
    )
    assert not shown["budget"]["totals_hidden"] and not shown["budget_health"]["hidden"]


def report(world: Any, found: dict[str, Any], language: str = "en") -> ReportData:
    return ReportData(
        workspace_id=world.a.pk,
        quarter="2026Q4",
        language=language,
        audience_team_id=None,
        amounts_hidden=False,
        generated_at="2026-12-02T10:00:00+08:00",
        sections=found,
    )


# ------------------------------------------------------------------ queries


def bigger(world: Any) -> None:
    """Ten times the lines, KPIs, tools and reviews of `results_2026` and `plan_2024`."""
    a = world.a
    version = BudgetVersion.objects.for_workspace(a).get(fiscal_year=2026)
    q1 = BudgetVersion.objects.for_workspace(a).get(fiscal_year=2024)
    for i in range(20):
        line(q1, f"項目 {i}", "consulting", world.a_agency, m02=D(100 + i))
        kpi = Kpi.objects.create(
            workspace=a, name=f"指標 {i}", unit="score", formula="average", metric="csat_score"
        )
        KpiValue.objects.create(workspace=a, kpi=kpi, month=date(2026, 10, 1), value=D(i))
        KpiTarget.objects.create(
            workspace=a, kpi=kpi, period="month", starts=date(2026, 10, 1), value=D(5)
        )
        tool = AiTool.objects.create(workspace=a, name=f"工具 {i}", owner=world.a_in_house)
        seats = line(version, f"工具 {i} 月費", "tool_subscription", world.a_in_house, tool=tool)
        Expense.objects.create(workspace=a, line=seats, day=date(2026, 10, 5), amount=D(10))
        for month in (9, 10, 11):
            ToolReview.objects.create(
                workspace=a, tool=tool, month=date(2026, month, 1), hours_saved=D(1), satisfaction=3
            )
    metric_rows(a, channel_named(a, "YouTube"), days(date(2026, 9, 1), 60), spend_x100=100)


def test_the_query_count_does_not_grow_with_the_data(
    world: Any, plan_2024: BudgetVersion, results_2026: Any
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            sections(world, Q1_2024, world.a_agency.pk)
            sections(world, Q4)
        return len(queries.captured_queries)

    small = count()
    bigger(world)
    assert count() == small, small
    assert len(sections(world, Q4)["goals"]["kpis"]) == 23  # the bigger data was read
    assert len(sections(world, Q4)["roi"]["tools"]) == 22


# ---------------------------------------------------------------- languages

WORD = r"[A-Za-z][A-Za-z0-9]*(?:['’.\-][A-Za-z0-9]+)*"
ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&]+s?$")  # KPI, ROI, NT: names, not prose
# The workspace's own names: its channels and its teams (the world's are half English).
NAMES = ("Meta", "Google Ads", "YouTube", "LINE Ads", "E-mail", "Alpha In-house", "Alpha Agency")


def words_of(html: str) -> list[str]:
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    for name in NAMES:
        text = text.replace(name, " ")
    return [w for w in re.findall(WORD, text) if not ACRONYM.match(w)]


def test_the_sections_render_in_both_languages(
    world: Any, plan_2024: BudgetVersion, results_2026: Any
) -> None:
    found = {
        **money_sections(world.a, Q4, language="zh-hant", audience_team_id=None, today=TODAY),
        "budget": money_sections(
            world.a, Q1_2024, language="zh-hant", audience_team_id=None, today=TODAY
        )["budget"],
    }
    chinese = render_html(report(world, found, "zh-hant"))
    for heading in (
        "二、目標與 KPI",
        "三、預算與實際支出",
        "四、各通路與各 AI 工具的報酬",
        "八、預算健檢",
    ):
        assert heading in chinese
    assert "NT$62,500" in chinese and "125.0%" in chinese and "建議更換" in chinese
    assert "<svg" in chinese and 'viewBox="0 0 640.0 240.0"' in chinese
    assert words_of(chinese) == []
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", unescape(re.sub(r"<[^>]+>", " ", chinese)))
    english_found = {
        **sections(world, Q4),
        "budget": sections(world, Q1_2024)["budget"],
    }
    english = render_html(report(world, english_found))
    assert "2. Goals and KPIs" in english and "Flagged for replacement" in english
    assert "NT$62,500" in english and "125.0%" in english


# -------------------------------------------------------------- pure parts


def test_verdicts_and_the_quarters_below_conservative() -> None:
    judged = quarter_figures.Judged
    assert quarter_figures.kpi_verdict(judged(D(4), D(5), D(125)), []) == ("achieved", D(125))
    assert quarter_figures.kpi_verdict(judged(D(4), None, None), []) == ("no_actual", None)
    months = [judged(D(1), D(2), D(200)), judged(D(1), D("0.5"), D(50)), judged(None, D(1), None)]
    assert quarter_figures.kpi_verdict(None, months) == ("missed", D(50))
    assert quarter_figures.kpi_verdict(None, [judged(None, D(1), None)])[0] == "no_target"
    month = quarter_figures.ReviewedMonth
    reviewed = [
        month(date(2026, 9, 1), D(10), D(-5), D(1)),
        month(date(2026, 10, 1), D(10), D(3), D(1)),  # above this month,
        month(date(2026, 11, 1), D(10), D(-3), D(1)),  # but the quarter sums to 0 < 2
    ]
    q3, q4 = FiscalQuarter(2026, 3), FiscalQuarter(2026, 4)
    flagged, found = quarter_figures.flagged_for_replacement(
        reviewed, {"Q3": q3.months, "Q4": q4.months}
    )
    assert flagged and found["Q4"].net == 0 and found["Q4"].conservative == 2
    past_horizon = [*reviewed[:2], month(date(2026, 11, 1), D(10), D(-3), None)]
    assert not quarter_figures.flagged_for_replacement(
        past_horizon, {"Q3": q3.months, "Q4": q4.months}
    )[0]


def test_bar_chart_geometry() -> None:
    chart = svg.bar_chart(["甲", "乙"], [("計畫", [D(100), D(-50)]), ("實際", [D(80), None])])
    assert [t["value"] for t in chart["ticks"]] == ["-50", "0", "50", "100", "150"]
    first, negative, actual = chart["bars"]
    assert first["y"] + first["h"] == chart["zero"]  # a positive bar stands on zero
    assert negative["y"] == chart["zero"]  # a negative one hangs from it
    assert actual["h"] == round(first["h"] * 0.8, 1)
    assert len(chart["bars"]) == 3  # None draws nothing


def test_a_copy_for_another_workspaces_team_is_refused(world: Any) -> None:
    with pytest.raises(Team.DoesNotExist):
        sections(world, Q4, world.b_team.pk)


def test_line_chart_geometry() -> None:
    chart = svg.line_chart(["10月", "11月", "12月"], [("實際", [D(80), None, D(40)])])
    (line_,) = chart["lines"]
    assert [d["value"] for d in line_["dots"]] == ["80", "40"]  # None leaves a gap
    first, last = line_["dots"]
    assert first["x"] == chart["left"] and last["x"] == chart["right"]
    assert line_["points"] == f"{first['x']},{first['y']} {last['x']},{last['y']}"
    assert last["y"] > first["y"]  # 40 is drawn lower than 80
