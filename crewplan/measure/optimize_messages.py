"""The sentences of the response-curve fit (`optimize/fit.py`, `optimize/weekly_file.py`,
`optimize/lift_file.py`): why a channel cannot be judged and what would fix it, and why
data (or a lift-test file) cannot be fitted at all. The cores return codes and parameters
(optimize/ imports no Django); the sentences are gettext messages here, worded in the
active language."""

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from crewplan.optimize.fit import Reason, UnusableData

# fit.py's channel reasons: code -> why, and what would fix it.
REASONS: dict[str, Promise] = {
    "no_spend": gettext_lazy(
        "No spend in any week, so there is nothing to measure. To judge it, spend on it "
        "for at least 8 weeks, with the amount varying."
    ),
    "too_few_active_weeks": gettext_lazy(
        "Spend in only %(weeks)s weeks; the fit needs at least %(minimum)s. To judge it, "
        "keep spending for more weeks, with the amount varying."
    ),
    "too_little_variation": gettext_lazy(
        "The weekly spend hardly varies (±%(variation)s %% on average), so its effect "
        "cannot be told apart from the baseline. To judge it, vary this channel's spend by "
        "at least ±%(needed)s %% for 8 weeks, or run a geo test."
    ),
    "collinear_with_baseline": gettext_lazy(
        "The spend follows the trend and the season (they explain %(share)s %% of it), so "
        "its effect cannot be told apart from them. To judge it, change its spend against "
        "the season for 8 weeks (for example pause it for 2 weeks in a busy month), or run "
        "a geo test."
    ),
    "collinear_with_channel": gettext_lazy(
        "The spend moves together with %(other)s (correlation %(corr)s), so the two "
        "effects cannot be told apart. To judge them, change one without the other for 8 "
        "weeks, or run a geo test on one of them."
    ),
    "interval_too_wide": gettext_lazy(
        "The data allow a return anywhere from %(low)s to %(high)s per unit spent (90 %% "
        "range), too wide to act on. To narrow it, pause or cut this channel's spend for 8 "
        "weeks (everywhere, or in some regions as a geo test) and give the measured "
        "difference to the fit as a lift test."
    ),
    "response_not_identified": gettext_lazy(
        "Even over the weekly spend the data saw (%(spend_low)s to %(spend_high)s, carry-over "
        "included), one more unit spent returns anywhere from %(low)s to %(high)s (90 %% "
        "range), too uncertain to move money. To judge it, vary this channel's spend by at "
        "least ±30 %% for 8 weeks, or run a geo test."
    ),
}
UNKNOWN_REASON = gettext_lazy("The data cannot judge this channel (%(code)s).")

# Why a weekly file or its data cannot be fitted: code -> sentence.
UNUSABLE: dict[str, Promise] = {
    "too_few_weeks": gettext_lazy(
        "the data has %(weeks)s weeks; fitting response curves needs at least %(minimum)s"
    ),
    "no_channels": gettext_lazy("the data has no channel column"),
    "no_channel_columns": gettext_lazy(
        "the file has no channel column (one column per channel holding its weekly spend); "
        "name them with --channels"
    ),
    "not_a_column": gettext_lazy("%(column)s is not one column of weekly figures"),
    "missing_value": gettext_lazy("%(column)s has no number for the week of %(week)s"),
    "lengths_differ": gettext_lazy("%(column)s has %(rows)s weeks where the outcome has %(weeks)s"),
    "negative_spend": gettext_lazy("%(column)s: the spend of the week of %(week)s is negative"),
    "constant_outcome": gettext_lazy(
        "the outcome is the same every week: there is nothing to explain"
    ),
    "lift_test_channel": gettext_lazy(
        "lift test %(test)s names %(channel)s, which the fit does not model"
    ),
    "lift_test_weeks": gettext_lazy(
        "lift test %(test)s: its weeks are not within the %(weeks)s weeks of data"
    ),
    "lift_test_values": gettext_lazy(
        "lift test %(test)s: the spend change, the result and a standard error above 0 "
        "must be numbers"
    ),
    "file_too_large": gettext_lazy("the file is larger than %(bytes)s bytes"),
    "not_text": gettext_lazy(
        "the file is not text crewplan can read (it reads UTF-8, UTF-16 and Big5)"
    ),
    "no_rows": gettext_lazy("the file has no weeks"),
    "too_many_rows": gettext_lazy("the file has more than %(rows)s weeks"),
    "too_many_columns": gettext_lazy("the file has more than %(columns)s columns"),
    "duplicate_column": gettext_lazy("the column %(column)s appears twice"),
    "missing_column": gettext_lazy("the file has no %(column)s column"),
    "no_week_column": gettext_lazy(
        "the file has no week column (a header such as week, date, date_week, 週 or 日期 "
        "in its first 10 rows); say which column it is with --week"
    ),
    "no_outcome_column": gettext_lazy(
        "the file has no outcome column (a header such as outcome, revenue, sales, y, "
        "conversions, 營收 or 業績); say which column it is with --outcome-column"
    ),
    "several_week_columns": gettext_lazy(
        "several columns could be the week (%(columns)s); say which with --week"
    ),
    "several_outcome_columns": gettext_lazy(
        "several columns could be the outcome (%(columns)s); say which with --outcome-column"
    ),
    "no_such_column": gettext_lazy("the file has no column “%(column)s”"),
    "chosen_twice": gettext_lazy(
        "the column %(column)s is named for two roles (week, outcome, channel or control)"
    ),
    "no_sheet": gettext_lazy("the workbook has no sheet “%(sheet)s” (its sheets: %(sheets)s)"),
    "sheet_of_text": gettext_lazy("--sheet %(sheet)s: the file is not an .xlsx workbook"),
    "bad_week": gettext_lazy(
        "line %(line)s: “%(value)s” is not a date with the year first, such as 2026-01-05, "
        "2026/1/5 or 2026年1月5日"
    ),
    "week_gap": gettext_lazy(
        "line %(line)s: the week %(value)s does not follow the week before it (expected "
        "%(expected)s: one row a week, 7 days apart)"
    ),
    "duplicate_week": gettext_lazy(
        "line %(line)s: the week %(value)s is already on line %(first)s"
    ),
    "rows_per_group": gettext_lazy(
        "line %(line)s: the week %(value)s is already on line %(first)s: the file has a row "
        "per week and %(column)s; fit one %(column)s at a time, or add them up to one row a week"
    ),
    "bad_number": gettext_lazy("line %(line)s: “%(value)s” in %(column)s is not a number"),
    "blank_value": gettext_lazy(
        "line %(line)s: %(column)s is blank (only a spend may be left blank, read as 0)"
    ),
    # The lift-test file (optimize/lift_file.py).
    "no_lift_tests": gettext_lazy("the file has no lift tests"),
    "too_many_lift_tests": gettext_lazy("the file has more than %(rows)s lift tests"),
    "lift_test_no_channel": gettext_lazy("line %(line)s: the lift test names no channel"),
    "lift_test_bad_date": gettext_lazy(
        "line %(line)s: “%(value)s” in %(column)s is not a date such as 2026-03-02"
    ),
    "lift_test_end_before_start": gettext_lazy(
        "line %(line)s: the lift test ends before it starts"
    ),
    "lift_test_no_change": gettext_lazy(
        "line %(line)s: the spend change is 0; a lift test changes the weekly spend"
    ),
    "lift_test_standard_error": gettext_lazy("line %(line)s: the standard error must be above 0"),
    "lift_test_outside": gettext_lazy(
        "line %(line)s: the lift test's weeks are not within the data (%(first)s to %(last)s)"
    ),
}
UNKNOWN_UNUSABLE = gettext_lazy("the data cannot be fitted (%(code)s)")


_AMOUNTS = frozenset({"spend_low", "spend_high", "bytes"})


def _shown(params: Mapping[str, object]) -> dict[str, object]:
    """Parameters as people read them: two decimals for fractions, amounts grouped."""
    return {
        k: f"{v:.2f}"
        if isinstance(v, float)
        else f"{v:,}"
        if k in _AMOUNTS and isinstance(v, int)
        else v
        for k, v in params.items()
    }


def channel_reason(reason: Reason) -> str:
    message = REASONS.get(reason.code)
    if message is None:
        return str(UNKNOWN_REASON) % {"code": reason.code}
    return str(message) % _shown(reason.params)


def unusable(error: UnusableData) -> str:
    message = UNUSABLE.get(error.code)
    if message is None:
        return str(UNKNOWN_UNUSABLE) % {"code": error.code}
    return str(message) % _shown(error.params)
