"""The words of the results dashboards: pacing statuses, periods and the columns of
their tables (headings of the pages and of the downloads alike)."""

from django.utils.translation import gettext as _

from crewplan.measure.pacing import Pace, Status


def pace_word(pace: Pace) -> str:
    """The status in words, so colour is never the only sign; fast or slow said."""
    if pace.status is Status.NONE:
        return _("No pace yet")
    if pace.status is Status.GREEN:
        return _("On pace")
    fast = pace.pacing is not None and pace.pacing > 1
    if pace.status is Status.AMBER:
        return _("Slightly fast") if fast else _("Slightly slow")
    return _("Too fast") if fast else _("Too slow")


def plan_periods(quarter_names: tuple[str, ...], months: list[str]) -> list[tuple[str, str]]:
    """(value, label) of the plan page's period filter."""
    return [
        ("ytd", _("Year to date")),
        *((f"q{q}", quarter_names[q - 1]) for q in range(1, 5)),
        *((f"m{m}", months[m - 1]) for m in range(1, 13)),
    ]


def channel_periods() -> list[tuple[str, str]]:
    return [
        ("7d", _("Last 7 days")),
        ("30d", _("Last 30 days")),
        ("month", _("This month")),
        ("last_month", _("Last month")),
        ("quarter", _("This quarter")),
        ("custom", _("Custom")),
    ]


def pace_columns() -> tuple[str, ...]:
    return (
        _("Category"),
        _("Item"),
        _("Planned"),
        _("Planned to date"),
        _("Committed"),
        _("Actual"),
        _("Available"),
        _("Pacing"),
        _("Status"),
        _("Burn per day"),
        _("Burn per month"),
        _("Linear forecast"),
        _("Run-rate forecast"),
        _("Forecast overspend"),
        _("Crosses the plan on"),
    )


def month_columns() -> tuple[str, ...]:
    return (_("Month"), _("Planned"), _("Actual"), _("Available"))


def channel_columns(amounts: bool) -> tuple[str, ...]:
    """The channel and campaign tables' figures; without amounts for those who may not
    see them."""
    money = (_("Spend"), _("Revenue"), _("ROAS"), _("CPA"), _("CAC"), _("CPC"))
    counts = (_("Conversions"), _("Clicks"), _("Impressions"), _("CTR"))
    return (money if amounts else ()) + counts
