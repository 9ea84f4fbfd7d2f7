"""The sentences of the measurement file reader (`measure/parse.py`): why a file cannot be
imported (its `UnusableFile` codes) and what is wrong with a row (its `Problem` codes).
The core returns codes and parameters; every sentence is a gettext message (English
msgid, zh-Hant in the catalogue), worded in the active language, or in `language` when
one is given (a command's)."""

from collections.abc import Mapping
from typing import Any, Protocol

from django.utils.translation import gettext, gettext_lazy, gettext_noop, pgettext_lazy

from crewplan.lib import file_messages
from crewplan.lib.active_language import speaking
from crewplan.lib.xlsxfile import UnusableFile

# parse.py's refusals: code -> why the file cannot be imported (its other codes,
# empty_file, too_many_rows, too_many_columns, not_text…, are lib/file_messages').
FILE_PROBLEMS: dict[str, str] = {
    "no_table": gettext_noop(
        "no table of figures was found (a header row naming a date column and figures)"
    ),
    "no_date_column": gettext_noop("no column of the file holds dates"),
    "no_day_breakdown": gettext_noop(
        "the report has one row per campaign over several days, not one per day: export "
        "it again with the Day breakdown (Breakdown → By time → Day)"
    ),
    "several_currencies": gettext_noop(
        "the report mixes currencies (%(currencies)s): export one currency at a time"
    ),
    "truncated": gettext_noop("the file ends in the middle of a character: it was cut short"),
    "not_text": gettext_noop(
        "the text is in an encoding crewplan cannot read (it reads UTF-8, UTF-16 and Big5)"
    ),
}

# parse.py's row problems: code -> what is wrong with the row.
ROW_PROBLEMS: dict[str, str] = {
    "bad_date": gettext_noop("line %(line)s: “%(value)s” is not a date; the row is left out"),
    "bad_number": gettext_noop(
        "line %(line)s: “%(value)s” is not a number (%(field)s); the row is left out"
    ),
    "negative_spend": gettext_noop(
        "line %(line)s: the spend is negative (%(value)s); the row is left out"
    ),
    "no_channel": gettext_noop("line %(line)s: the row names no channel; it is left out"),
    "future_date": gettext_noop("line %(line)s: %(date)s is in the future; the row is kept"),
    "duplicate_row": gettext_noop(
        "line %(line)s: the same row as line %(first)s; it is imported once"
    ),
    "rows_added_together": gettext_noop(
        "line %(line)s: the same day, channel and campaign as line %(first)s with other "
        "figures (a segment such as device or network); they are added together"
    ),
}
UNKNOWN_ROW_PROBLEM = gettext_noop("line %(line)s: %(code)s")
# A bad number's column, as the row problem names it (parse.py's field names).
FIELD_LABELS = {
    "spend": pgettext_lazy("import field", "spend"),
    "impressions": pgettext_lazy("import field", "impressions"),
    "clicks": pgettext_lazy("import field", "clicks"),
    "conversions": pgettext_lazy("import field", "conversions"),
    "revenue": pgettext_lazy("import field", "revenue"),
    "sessions": pgettext_lazy("import field", "sessions"),
    "key_events": pgettext_lazy("import field", "key events"),
    "new_customers": pgettext_lazy("import field", "new customers"),
    "new_users": pgettext_lazy("import field", "new users"),
    "results": pgettext_lazy("import field", "results"),
    "purchases": pgettext_lazy("import field", "purchases"),
}
NEEDS_MAPPING = gettext_lazy(
    "crewplan does not know the columns of this file: say which column is which."
)


class _Problem(Protocol):
    @property
    def line(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Any]: ...


class _Lenient(dict[str, Any]):
    """Parameters for a sentence: a parameter the core did not give reads as "?", so a
    new parameter name never turns a row problem into a crash."""

    def __missing__(self, key: str) -> str:
        return "?"


def row_problem(problem: _Problem, language: str | None = None) -> str:
    """What is wrong with a row, with its line number."""
    template = ROW_PROBLEMS.get(problem.code, UNKNOWN_ROW_PROBLEM)
    values = _Lenient(problem.params)
    values.update(line=problem.line, code=problem.code)
    with speaking(language):
        field = values.get("field")
        if isinstance(field, str) and field in FIELD_LABELS:
            values["field"] = str(FIELD_LABELS[field])
        return gettext(template) % values


def unusable(error: UnusableFile, language: str | None = None) -> str:
    """Why a measurement file cannot be read: the parser's reasons, else the shared file
    checks' (lib/file_messages)."""
    return file_messages.unusable(error, language, own=FILE_PROBLEMS)
