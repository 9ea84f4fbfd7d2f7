"""ROI estimator: totals, payback, scenarios, ramp-up, renewals, edge cases, sensitivity.

Expected values are worked out by hand in the comments, not recomputed with the module's
formulas.
"""

from dataclasses import fields, replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crewplan.planning.tools.roi import (
    SENSITIVITY_FIELDS,
    Assumptions,
    ScenarioName,
    estimate,
    first_year_cost,
    scenarios,
    sensitivity,
)

D = Decimal
NOTHING = {
    "hours_saved_per_month": D(0),
    "loaded_hourly_rate": D(0),
    "sessions_per_month": D(0),
    "conversion_rate_lift": D(0),
    "average_order_value": D(0),
    "gross_margin": D(0),
    "costs_avoided_per_month": D(0),
}


def assumptions(**changes: object) -> Assumptions:
    values: dict[str, object] = {"horizon_months": 12, **NOTHING, **changes}
    return Assumptions(**values)  # type: ignore[arg-type]


# 10 h × 600 + 1000 avoided = 7000 a month; 3 seats × 700 = 2100 a month; 20000 once.
TIME_SAVER = assumptions(
    hours_saved_per_month=D(10),
    loaded_hourly_rate=D(600),
    costs_avoided_per_month=D(1000),
    seats=3,
    price_per_seat_per_month=D(700),
    integration_one_off=D(20000),
)

# 50000 sessions × 0.002 lift × 800 AOV × 0.4 margin = 32000 a month of gross profit.
# 5 seats × 1000 = 5000 a month; one-off 50000 + 10 h × 1000 + 15000 + 25000 = 100000.
REVENUE = assumptions(
    sessions_per_month=D(50000),
    conversion_rate_lift=D("0.002"),
    average_order_value=D(800),
    gross_margin=D("0.4"),
    seats=5,
    price_per_seat_per_month=D(1000),
    integration_one_off=D(50000),
    training_hours=D(10),
    training_hourly_rate=D(1000),
    training_fees=D(15000),
    data_preparation_one_off=D(25000),
)


def test_time_saver_over_twelve_months() -> None:
    result = estimate(TIME_SAVER)
    assert result.total_benefit == D(84000)  # 7000 × 12
    assert result.total_cost == D(45200)  # 2100 × 12 + 20000
    assert result.net_benefit == D(38800)
    # 38800 / 45200 = 97/113 = 0.85840707964601769911504424778…, 28 significant digits
    assert result.roi == D("0.8584070796460176991150442478")
    # Month 1 nets 7000 - 2100 - 20000 = -15100, then +4900 a month.
    assert [m.cumulative for m in result.months[:5]] == [
        D(-15100),
        D(-10200),
        D(-5300),
        D(-400),
        D(4500),
    ]
    assert result.payback_month == 5
    assert [m.month for m in result.months] == list(range(1, 13))
    assert result.months[0].cost == D(22100)
    assert {m.cost for m in result.months[1:]} == {D(2100)}
    assert {m.benefit for m in result.months} == {D(7000)}


def test_three_scenarios_scale_the_benefit_drivers_only() -> None:
    result = scenarios(REVENUE, spread=D("0.3"))
    assert list(result) == [
        ScenarioName.CONSERVATIVE,
        ScenarioName.EXPECTED,
        ScenarioName.OPTIMISTIC,
    ]
    conservative = result[ScenarioName.CONSERVATIVE]
    expected = result[ScenarioName.EXPECTED]
    optimistic = result[ScenarioName.OPTIMISTIC]

    # Sessions and lift both move, so revenue moves by 0.7² = 0.49 and 1.3² = 1.69.
    # Conservative: 32000 × 0.49 = 15680 a month; month m cumulative 10680 m - 100000.
    assert conservative.total_benefit == D(188160)
    assert conservative.total_cost == D(160000)
    assert conservative.net_benefit == D(28160)
    assert conservative.roi == D("0.176")
    assert conservative.payback_month == 10  # month 9: -3880, month 10: 6800

    # Expected: 32000 a month; cumulative 27000 m - 100000.
    assert expected.total_benefit == D(384000)
    assert expected.total_cost == D(160000)
    assert expected.net_benefit == D(224000)
    assert expected.roi == D("1.4")
    assert expected.payback_month == 4  # month 3: -19000, month 4: 8000

    # Optimistic: 32000 × 1.69 = 54080 a month; cumulative 49080 m - 100000.
    assert optimistic.total_benefit == D(648960)
    assert optimistic.total_cost == D(160000)
    assert optimistic.net_benefit == D(488960)
    assert optimistic.roi == D("3.056")
    assert optimistic.payback_month == 3  # month 2: -1840, month 3: 47240


def test_given_scenarios_are_used_as_they_are() -> None:
    bad_year = replace(REVENUE, sessions_per_month=D(0))
    result = scenarios(REVENUE, conservative=bad_year, optimistic=REVENUE)
    assert result[ScenarioName.CONSERVATIVE].total_benefit == D(0)
    assert result[ScenarioName.CONSERVATIVE].payback_month is None
    assert result[ScenarioName.OPTIMISTIC].total_benefit == D(384000)


def test_optimistic_lift_is_capped_at_one() -> None:
    # 100 sessions × lift 0.9 × 10 × margin 1; optimistic: 130 × 1 (not 1.17) × 10 = 1300.
    big_lift = assumptions(
        horizon_months=1,
        sessions_per_month=D(100),
        conversion_rate_lift=D("0.9"),
        average_order_value=D(10),
        gross_margin=D(1),
    )
    assert scenarios(big_lift)[ScenarioName.OPTIMISTIC].total_benefit == D(1300)


def test_ramp_up_grows_benefits_linearly() -> None:
    # 15 h × 600 = 9000 at full strength: 1/3, 2/3, then all of it; 1000 a month of fees.
    ramped = assumptions(
        horizon_months=6,
        hours_saved_per_month=D(15),
        loaded_hourly_rate=D(600),
        ramp_up_months=3,
        flat_fee_per_month=D(1000),
    )
    result = estimate(ramped)
    assert [m.benefit for m in result.months] == [D(3000), D(6000)] + [D(9000)] * 4
    assert [m.net for m in result.months] == [D(2000), D(5000)] + [D(8000)] * 4
    assert [m.cumulative for m in result.months] == [
        D(2000),
        D(7000),
        D(15000),
        D(23000),
        D(31000),
        D(39000),
    ]
    assert result.total_benefit == D(45000)
    assert result.payback_month == 1


def test_ramp_up_longer_than_the_horizon() -> None:
    slow = assumptions(horizon_months=3, costs_avoided_per_month=D(12000), ramp_up_months=12)
    assert [m.benefit for m in estimate(slow).months] == [D(1000), D(2000), D(3000)]


def test_ramp_up_thirds_keep_28_significant_digits() -> None:
    # 7000 / 3 and 14000 / 3 do not terminate: rounded once, at the 28th digit, not to cents.
    thirds = assumptions(horizon_months=3, costs_avoided_per_month=D(7000), ramp_up_months=3)
    assert [m.benefit for m in estimate(thirds).months] == [
        D("2333.333333333333333333333333"),
        D("4666.666666666666666666666667"),
        D(7000),
    ]


# 3 seats × 700 + 500 flat + 400 privacy = 3000 a month in year 1; 20000 integration.
RENEWING = assumptions(
    horizon_months=24,
    seats=3,
    price_per_seat_per_month=D(700),
    flat_fee_per_month=D(500),
    privacy_compliance_per_month=D(400),
    integration_one_off=D(20000),
    yearly_renewal_change=D("0.1"),
)


def test_yearly_renewal_raises_recurring_costs() -> None:
    result = estimate(RENEWING)
    # 3000 × 12 + 3300 × 12 + 20000 = 36000 + 39600 + 20000
    assert result.total_cost == D(95600)
    assert result.months[11].cost == D(3000)
    assert {m.cost for m in result.months[12:]} == {D(3300)}


def test_yearly_renewal_compounds() -> None:
    # Year 3 costs 3000 × 1.1² = 3630 a month: 95600 + 43560.
    assert estimate(replace(RENEWING, horizon_months=36)).total_cost == D(139160)


def test_renewal_price_cut_down_to_free() -> None:
    assert estimate(replace(RENEWING, yearly_renewal_change=D("-0.1"))).total_cost == D(
        88400  # 36000 + 2700 × 12 + 20000
    )
    assert estimate(replace(RENEWING, yearly_renewal_change=D(-1))).total_cost == D(56000)


def test_zero_benefit_loses_everything_spent() -> None:
    result = estimate(assumptions(seats=1, price_per_seat_per_month=D(500)))
    assert result.total_cost == D(6000)
    assert result.net_benefit == D(-6000)
    assert result.roi == D(-1)
    assert result.payback_month is None


def test_zero_cost_and_zero_benefit() -> None:
    result = estimate(assumptions())
    assert result.total_benefit == result.total_cost == result.net_benefit == D(0)
    assert result.roi is None
    assert result.payback_month is None


def test_zero_cost_with_benefit_has_no_roi_but_pays_back_at_once() -> None:
    result = estimate(assumptions(hours_saved_per_month=D(1), loaded_hourly_rate=D(100)))
    assert result.total_benefit == result.net_benefit == D(1200)
    assert result.roi is None
    assert result.payback_month == 1


def test_payback_on_the_exact_month_boundary() -> None:
    # 5000 - 1000 a month, 12000 once: cumulative -8000, -4000, 0.
    even = assumptions(
        horizon_months=6,
        costs_avoided_per_month=D(5000),
        flat_fee_per_month=D(1000),
        integration_one_off=D(12000),
    )
    result = estimate(even)
    assert result.months[2].cumulative == D(0)
    assert result.payback_month == 3


def test_no_payback_within_the_horizon() -> None:
    assert estimate(replace(TIME_SAVER, horizon_months=4)).payback_month is None  # -400


def test_sensitivity_ranks_the_revenue_drivers_first() -> None:
    rows = sensitivity(REVENUE)
    assert [row.assumption for row in rows] == [
        # each ×0.8 / ×1.2 moves revenue to 25600 / 38400 a month: ROI 0.92 / 1.88
        "average_order_value",
        "conversion_rate_lift",
        "gross_margin",
        "sessions_per_month",
        "price_per_seat_per_month",  # ±12000: 236000/148000 vs 212000/172000, swing ≈ 0.362
        "integration_one_off",  # ±10000: 1.56 vs 214000/170000, swing ≈ 0.301
        "data_preparation_one_off",  # ±5000: swing ≈ 0.150
        "training_fees",  # ±3000: swing ≈ 0.090
        "training_hourly_rate",  # ±2000 either way, a tie broken by name
        "training_hours",
    ]
    top = rows[0]
    assert (top.roi_low, top.roi_high, top.swing) == (D("0.92"), D("1.88"), D("0.96"))
    integration = rows[5]
    assert integration.roi_low == D("1.56")  # 234000 / 150000: a cheaper tool, a better ROI
    swings = [row.swing for row in rows]
    assert swings == sorted(swings, reverse=True)
    assert rows[-2].swing == rows[-1].swing


def test_sensitivity_caps_the_margin_at_one() -> None:
    # 10000 × 0.01 × 100 × 0.9 = 9000 a month; 3000 a month in fees; ROI 2 as expected.
    # ×1.2 would be a margin of 1.08: capped at 1, 10000 a month, ROI 84000 / 36000.
    # ×0.8: a margin of 0.72, 7200 a month, ROI 50400 / 36000 = 1.4.
    high_margin = assumptions(
        sessions_per_month=D(10000),
        conversion_rate_lift=D("0.01"),
        average_order_value=D(100),
        gross_margin=D("0.9"),
        flat_fee_per_month=D(3000),
    )
    assert estimate(high_margin).roi == D(2)
    margin = next(row for row in sensitivity(high_margin) if row.assumption == "gross_margin")
    assert margin.roi_high == D("2.333333333333333333333333333")
    assert margin.roi_low == D("1.4")
    assert margin.swing == D("0.933333333333333333333333333")


def test_sensitivity_without_costs_has_no_roi_and_no_swing() -> None:
    rows = sensitivity(assumptions(costs_avoided_per_month=D(100)))
    assert [(row.assumption, row.roi_low, row.roi_high, row.swing) for row in rows] == [
        ("costs_avoided_per_month", None, None, D(0))
    ]


def test_sensitivity_fields_are_the_decimal_fields() -> None:
    decimal_fields = [f.name for f in fields(Assumptions) if f.type is Decimal]
    assert sorted(SENSITIVITY_FIELDS) == sorted(decimal_fields)
    assert len(SENSITIVITY_FIELDS) == 16


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"integration_one_off": D(-1)}, "integration_one_off cannot be negative"),
        ({"price_per_seat_per_month": D("-0.01")}, "price_per_seat_per_month cannot be"),
        ({"gross_margin": D("1.5")}, "gross_margin is a fraction between 0 and 1"),
        ({"conversion_rate_lift": D(2)}, "conversion_rate_lift is a fraction"),
        ({"horizon_months": 0}, "horizon_months must be between 1 and 120, not 0"),
        ({"horizon_months": 121}, "horizon_months must be between 1 and 120"),
        ({"seats": -1}, "seats cannot be negative"),
        ({"ramp_up_months": -2}, "ramp_up_months cannot be negative"),
        ({"yearly_renewal_change": D("-1.5")}, "yearly_renewal_change cannot be below -1"),
        ({"loaded_hourly_rate": D("NaN")}, "loaded_hourly_rate must be a number"),
        ({"training_fees": D("Infinity")}, "training_fees must be a number"),
    ],
)
def test_bad_assumptions_are_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        assumptions(**changes)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValueError, match=r"horizon_months.*; gross_margin"):
        assumptions(horizon_months=0, gross_margin=D("1.5"))


def test_float_money_is_refused() -> None:
    with pytest.raises(TypeError, match="loaded_hourly_rate must be a Decimal, not float"):
        assumptions(loaded_hourly_rate=600.0)


@pytest.mark.parametrize("spread", [D(-1), D(2)])
def test_spread_must_be_a_fraction(spread: Decimal) -> None:
    with pytest.raises(ValueError, match="spread"):
        scenarios(REVENUE, spread=spread)


def test_delta_must_be_a_fraction() -> None:
    with pytest.raises(ValueError, match="delta"):
        sensitivity(REVENUE, delta=D("1.5"))


def money() -> st.SearchStrategy[Decimal]:
    return st.decimals(
        min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False
    )


def fraction() -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=0, max_value=1, places=2, allow_nan=False, allow_infinity=False)


random_assumptions = st.builds(
    Assumptions,
    horizon_months=st.integers(1, 120),
    hours_saved_per_month=money(),
    loaded_hourly_rate=money(),
    sessions_per_month=money(),
    conversion_rate_lift=fraction(),
    average_order_value=money(),
    gross_margin=fraction(),
    costs_avoided_per_month=money(),
    ramp_up_months=st.integers(0, 150),
    seats=st.integers(0, 1000),
    price_per_seat_per_month=money(),
    flat_fee_per_month=money(),
    integration_one_off=money(),
    training_hours=money(),
    training_hourly_rate=money(),
    training_fees=money(),
    data_preparation_one_off=money(),
    privacy_compliance_per_month=money(),
    yearly_renewal_change=money(),
)


@given(random_assumptions)
def test_monthly_nets_add_up_to_the_net_benefit(a: Assumptions) -> None:
    result = estimate(a)
    assert len(result.months) == a.horizon_months
    assert sum((m.net for m in result.months), D(0)) == result.net_benefit
    assert result.months[-1].cumulative == result.net_benefit
    if result.total_cost:
        assert result.roi is not None
    else:
        assert result.roi is None


@settings(max_examples=30)
@given(random_assumptions)
def test_scenarios_and_sensitivity_never_raise(a: Assumptions) -> None:
    assert len(scenarios(a)) == 3
    swings = [row.swing for row in sensitivity(a)]
    assert swings == sorted(swings, reverse=True)


def test_first_year_cost_is_twelve_months_and_the_one_offs() -> None:
    """The comparison's first-year row: 12 × the recurring costs + the one-off costs (the
    yearly renewal change starts in month 13)."""
    assert first_year_cost(D(3500), D(42800)) == D(84800)
    assert first_year_cost(D("0.10"), D(0)) == D("1.20")
