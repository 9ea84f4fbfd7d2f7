"""Budget health check: every pitfall positive and negative, with the numbers in the text."""

from dataclasses import replace
from decimal import Decimal

import pytest

from crewplan.planning.budget.health import Thresholds, health_findings
from crewplan.planning.budget.messages import worded
from crewplan.planning.budget.plan import Category, Line, Plan, Tool, ToolStatus, spread

D = Decimal
C = Category


def line(key: str, category: Category, yearly: int, **kw: object) -> Line:
    defaults = {"item": key, "kpi": "ROAS", "owner": "品牌行銷部"}
    return Line(key=key, category=category, amounts=spread(D(yearly)), **{**defaults, **kw})  # type: ignore[arg-type]


def months(*values: int) -> tuple[Decimal, ...]:
    return tuple(D(v) for v in values) + (D(0),) * (12 - len(values))


COPY = Tool(
    "copy",
    "AI 文案",
    ToolStatus.ACTIVE,
    customer_data=False,
    seats=3,
    able_users=3,
    kpi="content output",
)
BOT = Tool(
    "bot",
    "LINE 客服機器人",
    ToolStatus.PILOT,
    customer_data=True,
    seats=2,
    able_users=2,
    kpi="CSAT",
)
GOOD = Plan(
    lines=(
        line("copy-sub", C.TOOL_SUBSCRIPTION, 60_000, tool="copy"),
        line("bot-sub", C.TOOL_SUBSCRIPTION, 48_000, tool="bot"),
        Line(
            "bot-int",
            C.INTEGRATION,
            "機器人串接",
            months(30_000),
            tool="bot",
            kpi="CSAT",
            owner="品牌行銷部",
        ),
        line("privacy", C.DATA_PRIVACY, 12_000),
        line("training", C.TRAINING, 15_000),
        line("reserve", C.EXPERIMENT_RESERVE, 50_000, kpi=""),
        line("ads", C.MEDIA, 400_000),
        line("agency", C.AGENCY_FEES, 240_000),
    ),
    tools=(COPY, BOT),
)


DEFAULTS = Thresholds()


def codes(plan: Plan, thresholds: Thresholds = DEFAULTS) -> list[str]:
    return [f.code for f in health_findings(plan, thresholds)]


def with_line(plan: Plan, key: str, **changes: object) -> Plan:
    return replace(
        plan, lines=tuple(replace(ln, **changes) if ln.key == key else ln for ln in plan.lines)
    )


def with_tool(plan: Plan, key: str, **changes: object) -> Plan:
    return replace(
        plan, tools=tuple(replace(t, **changes) if t.key == key else t for t in plan.tools)
    )


def test_a_sound_plan_has_no_findings() -> None:
    assert health_findings(GOOD) == []


def test_single_tool_concentration() -> None:
    plan = with_line(GOOD, "copy-sub", amounts=spread(D(300_000)))
    plan = with_line(plan, "reserve", amounts=spread(D(100_000)))  # keep the reserve above 5%
    found = worded(health_findings(plan))
    assert [f.code for f in found] == ["single_tool_concentration"]
    # 300,000 of 378,000 AI tool spend (subscriptions + integration) = 79%
    assert (
        "79%" in found[0].message
        and "NT$300,000" in found[0].message
        and "NT$378,000" in found[0].message
    )
    assert found[0].subjects == ("copy",)
    assert codes(plan, Thresholds(max_tool_share=D("0.8"))) == []


def test_no_privacy_budget_when_customer_data() -> None:
    plan = with_line(GOOD, "privacy", amounts=months())
    found = worded(health_findings(plan))
    assert found[0].code == "no_privacy_budget" and found[0].severity == "error"
    assert "LINE 客服機器人" in found[0].message
    assert "no_privacy_budget" not in codes(with_tool(plan, "bot", customer_data=False))
    assert "no_privacy_budget" not in codes(with_tool(plan, "bot", status=ToolStatus.RETIRED))


def test_no_kpi_for_lines_and_tool_lines() -> None:
    plan = with_line(GOOD, "ads", kpi="")
    found = [f for f in worded(health_findings(plan)) if f.code == "no_kpi"]
    assert [f.subjects for f in found] == [("ads",)]
    assert "NT$400,000" in found[0].message
    # A tool's KPI covers its lines; the reserve needs none.
    assert codes(with_line(GOOD, "copy-sub", kpi="")) == []
    assert "no_kpi" in codes(with_tool(with_line(GOOD, "copy-sub", kpi=""), "copy", kpi=""))


def test_no_reserve() -> None:
    plan = with_line(GOOD, "reserve", amounts=spread(D(10_000)))
    found = [f for f in worded(health_findings(plan)) if f.code == "no_reserve"]
    assert len(found) == 1
    # 10,000 of 815,000 = 1.2%, below 5%
    assert "NT$10,000" in found[0].message and "1%" in found[0].message and "5%" in found[0].message
    assert codes(plan, Thresholds(min_reserve_share=D("0.01"))) == []


def test_training_underfunded_follows_the_skills_gap() -> None:
    plan = with_tool(
        GOOD, "copy", seats=10, able_users=3
    )  # 7 untrained seats × 3,000 = 21,000 > 15,000
    found = [f for f in worded(health_findings(plan)) if f.code == "training_underfunded"]
    assert len(found) == 1 and "7" in found[0].message and "NT$21,000" in found[0].message
    assert "training_underfunded" not in codes(
        with_tool(GOOD, "copy", seats=8, able_users=3)
    )  # 15,000 covers 5
    unknown = with_tool(
        GOOD, "copy", able_users=None
    )  # nobody known able: all 3 seats need training
    assert "training_underfunded" not in codes(unknown)  # 9,000 needed, 15,000 budgeted
    assert "training_underfunded" in codes(with_line(unknown, "training", amounts=spread(D(5_000))))


def test_no_pilot_for_a_candidate_funded_all_year() -> None:
    plan = with_tool(GOOD, "copy", status=ToolStatus.CANDIDATE)
    found = [f for f in worded(health_findings(plan)) if f.code == "no_pilot"]
    assert len(found) == 1 and "12" in found[0].message and "AI 文案" in found[0].message
    three_months = with_line(plan, "copy-sub", amounts=months(5_000, 5_000, 5_000))
    assert "no_pilot" not in codes(three_months)


def test_no_maintenance_after_integration() -> None:
    plan = with_line(
        GOOD, "bot-sub", amounts=months(4_000, 4_000, 4_000)
    )  # integration month 1, runs to month 3
    assert "no_maintenance" not in codes(plan)
    stopped = with_line(GOOD, "bot-int", amounts=months(0, 0, 0, 0, 30_000))
    stopped = with_line(stopped, "bot-sub", amounts=months(4_000, 4_000, 4_000))
    found = [f for f in worded(health_findings(stopped)) if f.code == "no_maintenance"]
    assert len(found) == 1 and "5" in found[0].message and "NT$30,000" in found[0].message


def test_no_owner() -> None:
    plan = with_line(GOOD, "agency", owner="  ")
    found = [f for f in worded(health_findings(plan)) if f.code == "no_owner"]
    assert [f.subjects for f in found] == [("agency",)]
    assert codes(GOOD) == []


def test_chinese_wording_and_currency() -> None:
    plan = with_line(GOOD, "reserve", amounts=months())
    found = worded(health_findings(plan, currency="TWD"), "zh-hant")
    assert "實驗預備金只有 NT$0" in found[0].message and "至少保留 5%" in found[0].fix


@pytest.mark.parametrize("total", [D(0), D(1), D(11), D(120_000), D("1000.50")])
def test_spread_adds_up_exactly(total: Decimal) -> None:
    amounts = spread(total)
    assert len(amounts) == 12 and sum(amounts) == total
    assert max(amounts) - min(amounts) <= 1 or total != total.to_integral_value()


def test_seasonal_spread() -> None:
    weights = tuple(D(w) for w in (1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 3))  # Q4 holidays weigh more
    amounts = spread(D(150_000), weights)
    assert amounts[0] == D(10_000) and amounts[10] == D(20_000) and amounts[11] == D(30_000)
    with pytest.raises(ValueError):
        spread(D(100), (D(0),) * 12)


def test_plan_totals_by_month_and_quarter() -> None:
    """The budget page's month and quarter rows come from the core: fiscal months 1–3 are
    Q1, and the quarters add up to the year."""
    even = Line("1", Category.MEDIA, "Ads", spread(D(120000)))
    once = Line("2", Category.TRAINING, "Course", (D(0),) * 4 + (D("999.50"),) + (D(0),) * 7)
    plan = Plan(lines=(even, once))
    assert plan.month_totals() == (D(10000),) * 4 + (D("10999.50"),) + (D(10000),) * 7
    assert plan.quarter_totals() == (D(30000), D("30999.50"), D(30000), D(30000))
    assert sum(plan.quarter_totals(), D(0)) == plan.total() == D("120999.50")
    assert Plan(lines=()).quarter_totals() == (D(0),) * 4
