"""A tool's realized months against its estimate: known answers for cost, hours and
uplift benefit, ROI, the two-below-in-a-row flag and the small wins."""

from datetime import date
from decimal import Decimal

from crewplan.measure.realized import Expectation, MonthFacts, months_between, realized
from crewplan.planning.tools import roi

D = Decimal
EXPECT = Expectation(
    loaded_hourly_rate=D(500),
    conversion_rate_lift=D("0.002"),
    gross_margin=D("0.4"),
    counts_uplift=True,
)


def assumptions(hours: str) -> roi.Assumptions:
    return roi.Assumptions(
        horizon_months=3,
        hours_saved_per_month=D(hours),
        loaded_hourly_rate=D(500),
        sessions_per_month=D(0),
        conversion_rate_lift=D(0),
        average_order_value=D(0),
        gross_margin=D(0),
        costs_avoided_per_month=D(0),
        flat_fee_per_month=D(1000),
    )


def test_hours_and_uplift_benefit_with_known_answers() -> None:
    # 1,000 sessions, 20 conversions: a 2 % rate, so a 0.2 pp lift is a tenth of the orders.
    month = MonthFacts(
        month=date(2026, 3, 1),
        hours_saved=D(10),
        cost=D(2000),
        revenue=D(50000),
        conversions=D(20),
        sessions=D(1000),
    )
    result = realized([month], EXPECT)
    row = result.months[0]
    assert row.hours_benefit == D(5000)
    assert row.uplift_share == D("0.1")
    assert row.uplift_benefit == D(2000)  # 50,000 × 0.1 × 0.4
    assert row.benefit == D(7000) and row.net == D(5000)
    assert row.roi == D("2.5")
    assert result.roi == D("2.5") and result.cost == D(2000)


def test_no_uplift_without_sessions_or_when_the_estimate_counts_none() -> None:
    facts = MonthFacts(date(2026, 3, 1), D(2), D(100), revenue=D(9999), conversions=D(5))
    assert realized([facts], EXPECT).months[0].uplift_benefit == 0  # no sessions
    no_uplift = Expectation(D(500), D("0.002"), D("0.4"), counts_uplift=False)
    with_sessions = MonthFacts(date(2026, 3, 1), D(2), D(100), D(9999), D(5), D(100))
    row = realized([with_sessions], no_uplift).months[0]
    assert row.uplift_share is None and row.benefit == D(1000)


def test_uplift_share_is_capped_at_all_the_orders() -> None:
    facts = MonthFacts(date(2026, 3, 1), D(0), D(0), D(1000), D(1), D(10000))
    row = realized([facts], EXPECT).months[0]
    assert row.uplift_share == 1 and row.uplift_benefit == D(400)
    assert row.roi is None  # nothing spent: no ROI


def test_two_reviews_in_a_row_below_conservative_flag_the_tool() -> None:
    # Expected 10 h × 500 = 5,000 a month, conservative 3,500, optimistic 6,500; cost 1,000.
    scenarios = roi.scenarios(assumptions("10"))
    assert scenarios[roi.ScenarioName.CONSERVATIVE].months[0].net == D(2500)

    def month(m: int, hours: str) -> MonthFacts:
        return MonthFacts(date(2026, m, 1), D(hours), D(1000))

    once = realized([month(1, "4"), month(2, "10"), month(3, "4")], EXPECT, scenarios)
    assert [m.below_conservative for m in once.months] == [True, False, True]
    assert not once.flagged
    twice = realized([month(3, "5"), month(1, "10"), month(2, "4")], EXPECT, scenarios)
    assert [m.month_of_use for m in twice.months] == [1, 2, 3]
    assert twice.flagged_months == (date(2026, 3, 1),)


def test_small_wins_are_months_that_beat_the_expected_case() -> None:
    scenarios = roi.scenarios(assumptions("10"))
    facts = [
        MonthFacts(date(2026, 1, 1), D("10.1"), D(1000)),  # 5,050 − 1,000 > 4,000
        MonthFacts(date(2026, 2, 1), D(10), D(1000)),  # exactly expected: not a win
        MonthFacts(date(2026, 4, 1), D(20), D(1000)),  # month of use 4: past the horizon
    ]
    result = realized(facts, EXPECT, scenarios)
    assert [m.month for m in result.small_wins] == [date(2026, 1, 1)]
    assert result.months[2].month_of_use == 4
    assert result.months[2].scenario_net[roi.ScenarioName.EXPECTED] is None
    assert result.scenario_net[roi.ScenarioName.EXPECTED] == D(8000)
    assert result.net == D("4050") + D(4000) + D(9000)


def test_without_an_estimate_nothing_is_valued_or_compared() -> None:
    result = realized([MonthFacts(date(2026, 1, 1), D(10), D(300))], None)
    assert result.benefit == 0 and result.net == D(-300) and not result.flagged


def test_months_between_crosses_years() -> None:
    assert months_between(date(2025, 11, 1), date(2026, 2, 1)) == 3
