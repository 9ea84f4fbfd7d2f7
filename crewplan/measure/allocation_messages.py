"""The sentences for the allocator's refusals (`optimize/allocate.py`'s AllocationError
codes) and the findings of `crewplan optimize`, in the catalogue."""

from django.utils.functional import Promise
from django.utils.translation import get_language, gettext, gettext_lazy

from crewplan.lib.language import is_chinese
from crewplan.optimize.allocate import AllocationError

REFUSALS: dict[str, Promise] = {
    "no_channels": gettext_lazy("There are no channels to allocate to."),
    "duplicate_channel": gettext_lazy("The channel “%(channel)s” appears twice."),
    "unknown_channel": gettext_lazy(
        "The bounds name the channel “%(channel)s”, which has no curve."
    ),
    "bad_max_change": gettext_lazy("The largest change must be a number ≥ 0."),
    "bad_amount": gettext_lazy("Channel “%(channel)s”: the %(what)s must be a number ≥ 0."),
    "min_above_max": gettext_lazy(
        "Channel “%(channel)s”: the minimum %(min)s is above the maximum %(max)s."
    ),
    "unjudged_without_current": gettext_lazy(
        "Channel “%(channel)s”: the data cannot judge it and its current spend is unknown, "
        "so it cannot be kept there. Give its current spend, or let the allocator move it."
    ),
    "max_change_without_current": gettext_lazy(
        "Channel “%(channel)s”: a largest change needs its current spend, which is unknown."
    ),
    "max_change_outside_bounds": gettext_lazy(
        "Channel “%(channel)s”: within the largest change around its current spend "
        "%(current)s, no spend meets its bounds."
    ),
    "bad_budget": gettext_lazy("The budget must be a number ≥ 0."),
    "bad_curve": gettext_lazy(
        "Channel “%(channel)s”: its response curve has a parameter that is not a number."
    ),
    "minimums_above_budget": gettext_lazy(
        "The minimum spends add up to %(total)s, more than the budget %(budget)s "
        "(channels with a minimum: %(channels)s)."
    ),
    "maximums_below_budget": gettext_lazy(
        "The maximum spends add up to %(total)s, less than the budget %(budget)s "
        "(channels: %(channels)s)."
    ),
    "bad_target": gettext_lazy("The target outcome must be a number ≥ 0."),
    "target_out_of_reach": gettext_lazy("No budget within the bounds reaches the target."),
    "bad_target_roas": gettext_lazy("The target return must be a number > 0."),
    "bad_weeks": gettext_lazy("The number of weeks must be at least 1."),
    "bad_history": gettext_lazy("Channel “%(channel)s”: the past spends must be numbers ≥ 0."),
    "flight_needs_concave": gettext_lazy(
        "The week-by-week plan needs curves without an S shape; S-shaped: %(channels)s."
    ),
}

AMOUNTS: dict[str, Promise] = {
    "minimum": gettext_lazy("minimum"),
    "maximum": gettext_lazy("maximum"),
    "current spend": gettext_lazy("current spend"),
}


def refusal(error: AllocationError) -> str:
    params = {
        key: amount(value) if isinstance(value, float) else value
        for key, value in error.params.items()
    }
    if "what" in params:
        params["what"] = str(AMOUNTS.get(str(params["what"]), params["what"]))
    message = REFUSALS.get(error.code)
    return str(message) % params if message is not None else str(error)


def extrapolated(channel: str, low: float | None = None, high: float | None = None) -> str:
    if low is not None and high is not None:
        return gettext(
            "%(channel)s: the recommended spend is outside the range the channel was observed "
            "at (%(low)s to %(high)s a week); the curve is extrapolated there."
        ) % {"channel": channel, "low": amount(round(low)), "high": amount(round(high))}
    return gettext(
        "%(channel)s: the recommended spend is outside the range the channel was observed "
        "at; the curve is extrapolated there."
    ) % {"channel": channel}


def held(channel: str, reason: str) -> str:
    if reason:
        return gettext(
            "%(channel)s: the data cannot judge this channel (%(reason)s); it stays at its "
            "current spend."
        ) % {"channel": channel, "reason": reason}
    return gettext(
        "%(channel)s: the data cannot judge this channel; it stays at its current spend."
    ) % {"channel": channel}


def steady(channels: list[str]) -> str:
    listed = ("、" if is_chinese(get_language()) else ", ").join(channels)
    return gettext(
        "S-shaped curves keep the single-period spend every week (the week-by-week plan is "
        "exact for concave curves only): %(channels)s."
    ) % {"channels": listed}


def amount(value: float) -> str:
    """An amount as the command prints it: thousands separated, cents only when there."""
    return f"{value:,.0f}" if value == round(value) else f"{value:,.2f}"
