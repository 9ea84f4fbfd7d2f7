"""Pacing, burn rate and forecasts of budget lines (measure/pacing.py), with answers
worked out by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from crewplan.measure.pacing import (
    Calendar,
    LineInput,
    Period,
    Status,
    by_category,
    months_of,
    overspending_first,
    pace,
    status_of,
)

CALENDAR_YEAR = tuple(date(2026, m, 1) for m in range(1, 13))
JULY_YEAR = tuple(date(2026 + (m > 6), (m + 5) % 12 + 1, 1) for m in range(1, 13))
ZEROS = (D(0),) * 12


def line(planned: list[int], actual: list[int], key: str = "a", **kw: object) -> LineInput:
    return LineInput(
        key=key,
        category=str(kw.get("category", "media")),
        item=str(kw.get("item", key)),
        planned=tuple(D(p) for p in planned + [0] * (12 - len(planned))),
        committed=D(str(kw.get("committed", 0))),
        actual=tuple(D(a) for a in actual + [0] * (12 - len(actual))),
    )


def test_year_to_date_prorates_the_current_month_and_counts_today() -> None:
    spend = line([1200] * 12, [1000, 1000, 500], committed=3000)
    result = pace(spend, Calendar(CALENDAR_YEAR, date(2026, 3, 10)))
    assert (result.days, result.days_elapsed) == (365, 31 + 28 + 10)
    assert result.planned == D("14400.00")
    assert result.planned_to_date == D("2787.10")  # 1200 + 1200 + 1200 × 10/31
    assert result.actual == D("2500.00")
    assert result.available == D("11400.00")  # committed 3000 is more than spent
    assert result.burn_per_day == D("36.23")  # 2500 / 69
    assert result.burn_per_month == D("1102.05")  # 2500 / 69 × 365 / 12
    # (2500 / 14400) / (69 / 365) = 912500 / 993600
    assert result.pacing == D("0.9184")
    assert result.status is Status.AMBER
    assert result.forecast_linear == D("14112.90")  # 2500 + 14400 − 2787.0967…
    assert result.forecast_run_rate == D("13224.64")  # 2500 / 69 × 365
    assert result.overspend == 0 and result.crossing is None


def test_a_month_spent_twice_as_fast_as_time_is_red_and_crosses_its_plan() -> None:
    spend = line([0, 0, 3100], [0, 0, 2000])
    result = pace(spend, Calendar(CALENDAR_YEAR, date(2026, 3, 10)), Period.month(3))
    assert (result.days, result.days_elapsed) == (31, 10)
    assert result.pacing == D("2.0000")  # (2000 / 3100) / (10 / 31)
    assert result.status is Status.RED
    assert result.burn_per_day == D("200.00")
    assert result.forecast_run_rate == D("6200.00")
    assert result.forecast_linear == D("4100.00")  # 2000 + 3100 × 21/31
    assert result.overspend == D("3100.00")
    # 3100 at 200 a day from 1 March: 15.5 days, reached on the 16th day.
    assert result.crossing == date(2026, 3, 16) and result.crossing_month == 3


def test_underspending_is_red_too() -> None:
    result = pace(
        line([0, 0, 3100], [0, 0, 500]), Calendar(CALENDAR_YEAR, date(2026, 3, 10)), Period.month(3)
    )
    assert result.pacing == D("0.5000") and result.status is Status.RED
    assert result.overspend == 0


@pytest.mark.parametrize(
    ("pacing", "status"),
    [
        (D("1"), Status.GREEN),
        (D("1.05"), Status.GREEN),
        (D("0.95"), Status.GREEN),
        (D("1.0501"), Status.AMBER),
        (D("0.90"), Status.AMBER),
        (D("1.10"), Status.AMBER),
        (D("0.8999"), Status.RED),
        (D("1.1001"), Status.RED),
        (None, Status.NONE),
    ],
)
def test_status_bands(pacing: D | None, status: Status) -> None:
    assert status_of(pacing) is status


def test_a_period_not_started_has_no_pace_and_keeps_its_plan() -> None:
    result = pace(
        line([100] * 12, []), Calendar(CALENDAR_YEAR, date(2026, 3, 10)), Period.month(12)
    )
    assert result.days_elapsed == 0 and result.days == 31
    assert result.pacing is None and result.status is Status.NONE
    assert result.burn_per_day is None and result.forecast_run_rate is None
    assert result.forecast_linear == D("100.00")


def test_a_quarter_of_a_year_starting_in_july() -> None:
    # Fiscal Q2 of a July year is October–December; 15 November: 31 + 15 days of 92.
    spend = line([0, 0, 0, 920, 920, 920], [0, 0, 0, 400, 60])
    result = pace(spend, Calendar(JULY_YEAR, date(2026, 11, 15)), Period.quarter(2))
    assert (result.days, result.days_elapsed) == (92, 46)
    assert result.planned == D("2760.00")
    assert result.planned_to_date == D("1380.00")  # 920 + 920 × 15/30
    assert result.pacing == D("0.3333")  # (460 / 2760) / (46 / 92)
    assert result.forecast_run_rate == D("920.00")


def test_spent_past_the_plan_crosses_today() -> None:
    result = pace(line([100], [150]), Calendar(CALENDAR_YEAR, date(2026, 1, 20)), Period.month(1))
    assert result.crossing == date(2026, 1, 20) and result.crossing_month == 1
    assert result.available == D("-50.00")


def test_lines_forecast_to_overspend_soonest_first_then_by_how_much() -> None:
    calendar = Calendar(CALENDAR_YEAR, date(2026, 3, 10))
    paces = [
        pace(line([0, 0, 3100], [0, 0, 2000], "late"), calendar, Period.month(3)),  # 16 March
        pace(line([0, 0, 3100], [0, 0, 3000], "soon"), calendar, Period.month(3)),  # 11 March
        pace(line([0, 0, 6200], [0, 0, 4000], "late-big"), calendar, Period.month(3)),  # 16 March
        pace(line([0, 0, 3100], [0, 0, 1000], "on-pace"), calendar, Period.month(3)),
    ]
    assert [p.key for p in overspending_first(paces)] == ["soon", "late-big", "late"]


def test_categories_add_their_lines_month_by_month() -> None:
    lines = [
        line([100, 200], [50], "a", category="media", committed=10),
        line([1, 2], [3], "b", category="training"),
        line([10, 20], [5, 5], "c", category="media", committed=5),
    ]
    media, training = by_category(lines)
    assert media.key == "media" and training.key == "training"
    assert media.planned[:2] == (D(110), D(220)) and media.actual[:2] == (D(55), D(5))
    assert media.committed == D(15)
    figures = months_of(media)
    assert (figures[0].planned, figures[0].actual, figures[0].available) == (
        D("110.00"),
        D("55.00"),
        D("55.00"),
    )


def test_a_line_without_twelve_months_is_refused() -> None:
    bad = LineInput("x", "media", "x", (D(1),) * 11, D(0), ZEROS)
    with pytest.raises(ValueError, match="12"):
        pace(bad, Calendar(CALENDAR_YEAR, date(2026, 3, 1)))
    with pytest.raises(ValueError):
        Period.quarter(5)
