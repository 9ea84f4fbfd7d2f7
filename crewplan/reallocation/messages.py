"""The reallocation page's sentences for the allocator's refusals (optimize/allocate.py
and reallocation/recommend.py return codes and parameters)."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from crewplan.optimize.allocate import AllocationError

REFUSALS: dict[str, Promise] = {
    "minimums_above_budget": gettext_lazy(
        "The minimums add up to more than the total. Lower a minimum or raise the total."
    ),
    "maximums_below_budget": gettext_lazy(
        "The channels cannot take that much: their maximums (and the channels kept at "
        "their plan) add up to less than the total. Raise a maximum or lower the total."
    ),
    "min_above_max": gettext_lazy("%(channel)s: the minimum is above the maximum."),
    "held_channel": gettext_lazy(
        "%(channel)s is kept at its plan because the data cannot judge it, so its range "
        "cannot be changed."
    ),
    "no_line": gettext_lazy("%(channel)s has no media line in this version to move money into."),
    "unknown_channel": gettext_lazy("%(channel)s is not one of the fitted channels."),
    "bad_budget": gettext_lazy("The total must be an amount of 0 or more."),
    "bad_amount": gettext_lazy("Amounts must be 0 or more."),
}
UNKNOWN_REFUSAL = gettext_lazy("No recommendation can be computed for these figures (%(code)s).")


def refusal(error: AllocationError) -> str:
    message = REFUSALS.get(error.code)
    if message is None:
        return str(UNKNOWN_REFUSAL) % {"code": error.code}
    return str(message) % {"channel": error.params.get("channel", "")}


# Why a fit did not use one of the workspace's lift tests (tasks.lift_tests_for and the
# codes of the fit core's refusals of a lift test).
LIFT_TEST_UNUSED: dict[str, Promise] = {
    "other_outcome": gettext_lazy("it measured another outcome than this fit's."),
    "channel_not_in_data": gettext_lazy(
        "the imported figures have no spend of its channel (only paid channels with spend "
        "are fitted)."
    ),
    "outside_data": gettext_lazy(
        "its weeks are not all within the fitted weeks (%(first)s to %(last)s)."
    ),
    "channel_not_modelled": gettext_lazy(
        "the fit leaves its channel out (see why under the channels the data cannot judge)."
    ),
}
UNKNOWN_LIFT_TEST_UNUSED = gettext_lazy("the fit could not use it (%(code)s).")


def lift_test_unused(code: str, params: dict[str, object]) -> str:
    message = LIFT_TEST_UNUSED.get(code)
    if message is None:
        return str(UNKNOWN_LIFT_TEST_UNUSED) % {"code": code}
    return str(message) % {"first": "", "last": "", **params}
