"""Channel and campaign figures from hundredths (measure/channel_metrics.py)."""

from decimal import Decimal as D

from crewplan.measure.channel_metrics import Sums, compare, figures, mer, total


def test_figures_from_hundredths() -> None:
    result = figures(
        Sums(
            spend_x100=1_234_50,
            revenue_x100=5_185_00,
            conversions_x100=25_0,  # 2.5 conversions
            clicks=400,
            impressions=32_000,
            new_customers_x100=2_00,
        )
    )
    assert result.spend == D("1234.50") and result.revenue == D("5185.00")
    assert result.conversions == D("2.50")
    assert result.roas == D("4.2001")  # 5185 / 1234.50
    assert result.cpa == D("493.80")  # 1234.50 / 2.5
    assert result.cac == D("617.25")  # 1234.50 / 2
    assert result.ctr == D("0.0125")  # 400 / 32000
    assert result.cpc == D("3.09")  # 1234.50 / 400 = 3.08625


def test_no_denominator_no_ratio() -> None:
    result = figures(Sums(revenue_x100=100_00))
    assert result.roas is None and result.cpa is None and result.ctr is None
    assert result.cpc is None and result.cac is None and result.new_customers is None


def test_new_customers_only_when_reported() -> None:
    assert (
        Sums(new_customers_x100=None) + Sums(new_customers_x100=None)
    ).new_customers_x100 is None
    assert (Sums(new_customers_x100=3_00) + Sums()).new_customers_x100 == 3_00
    assert total([Sums(clicks=1), Sums(clicks=2, spend_x100=5)]) == Sums(spend_x100=5, clicks=3)


def test_period_over_period_change() -> None:
    result = compare("1", "Meta", Sums(spend_x100=150_00, clicks=30), Sums(spend_x100=100_00))
    assert result.change["spend"] == D("0.5000")
    assert result.change["clicks"] is None  # nothing before
    assert result.change["roas"] is None
    fell = compare("1", "Meta", Sums(spend_x100=75_00), Sums(spend_x100=100_00))
    assert fell.change["spend"] == D("-0.2500")


def test_blended_mer_is_all_revenue_over_paid_spend() -> None:
    assert mer(revenue_all_x100=12_000_00, paid_spend_x100=3_000_00) == D("4.0000")
    assert mer(revenue_all_x100=12_000_00, paid_spend_x100=0) is None


def test_periods_and_the_period_before() -> None:
    from datetime import date

    import pytest

    from crewplan.measure.channel_metrics import Bounds, period_bounds

    today = date(2026, 11, 10)
    assert period_bounds("7d", today) == Bounds(
        date(2026, 11, 4), today, date(2026, 10, 28), date(2026, 11, 3)
    )
    assert period_bounds("30d", today).days == 30
    assert period_bounds("month", today) == Bounds(
        date(2026, 11, 1), today, date(2026, 10, 1), date(2026, 10, 10)
    )
    assert period_bounds("last_month", today) == Bounds(
        date(2026, 10, 1), date(2026, 10, 31), date(2026, 9, 1), date(2026, 9, 30)
    )
    # A fiscal year starting in July: Q2 is October–December.
    assert period_bounds("quarter", today, start_month=7) == Bounds(
        date(2026, 10, 1), today, date(2026, 7, 1), date(2026, 8, 10)
    )
    # 31 March against the quarter before: never past its last day.
    assert period_bounds("month", date(2026, 3, 31)).before_last == date(2026, 2, 28)
    custom = period_bounds("custom", today, first=date(2026, 1, 1), last=date(2026, 1, 10))
    assert (custom.before_first, custom.before_last) == (date(2025, 12, 22), date(2025, 12, 31))
    for bad in [{"first": None, "last": today}, {"first": today, "last": date(2026, 1, 1)}]:
        with pytest.raises(ValueError):
            period_bounds("custom", today, **bad)
    with pytest.raises(ValueError):
        period_bounds("custom", today, first=date(2024, 1, 1), last=today)
    with pytest.raises(ValueError):
        period_bounds("forever", today)
