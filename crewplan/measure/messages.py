"""The sentences of the measurement file reader (`measure/parse.py`): why a file cannot be
imported (its `UnusableFile` codes) and what is wrong with a row (its `Problem` codes).
The core returns codes and parameters; every sentence is a gettext message (English
msgid, zh-Hant in the catalogue), worded in the active language, or in `language` when
one is given (a command's)."""

from collections.abc import Mapping
from typing import Any, Protocol

from django.utils.translation import gettext, gettext_noop

from crewplan.lib import file_messages
from crewplan.lib.active_language import speaking
from crewplan.lib.xlsxfile import UnusableFile

# parse.py's refusals: code -> why the file cannot be imported.
FILE_PROBLEMS: dict[str, str] = {
    "no_day_breakdown": gettext_noop(
        "the report has no day breakdown (its rows span several days): export it again "
        "with the Day breakdown"
    ),
    "not_a_report": gettext_noop(
        "no header row of a report was found (a row naming a date column and figures)"
    ),
    "several_currencies": gettext_noop(
        "the report mixes several currencies: export one account or one currency at a time"
    ),
    "truncated": gettext_noop("the file ends in the middle of a character: it was cut short"),
    "undecodable": gettext_noop(
        "the text is in an encoding crewplan cannot read (UTF-8, UTF-16 or Big5 are)"
    ),
    "no_date_column": gettext_noop("no column of the file holds dates"),
    "no_metric_column": gettext_noop(
        "no column of the file holds figures (spend, impressions, clicks, conversions, revenue)"
    ),
    "no_channel": gettext_noop("no column of the file names the channel: choose one"),
}

# parse.py's row problems: code -> what is wrong with the row (line %(line)s).
ROW_PROBLEMS: dict[str, str] = {
    "bad_date": gettext_noop("line %(line)s: “%(value)s” is not a date; the row is left out"),
    "bad_number": gettext_noop(
        "line %(line)s: “%(value)s” is not a number (%(column)s); the row is left out"
    ),
    "negative_spend": gettext_noop(
        "line %(line)s: the spend is negative (%(value)s); the row is left out"
    ),
    "future_date": gettext_noop("line %(line)s: %(value)s is in the future; the row is kept"),
    "duplicate_row": gettext_noop(
        "line %(line)s: the same row as line %(first)s; it is imported once"
    ),
    "rows_added_together": gettext_noop(
        "line %(line)s: the same day, channel and campaign as line %(first)s with other "
        "figures (a segment such as device or network); they are added together"
    ),
}
UNKNOWN_ROW_PROBLEM = gettext_noop("line %(line)s: %(code)s")


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
        return gettext(template) % values


def unusable(error: UnusableFile, language: str | None = None) -> str:
    """Why a measurement file cannot be read: the parser's reasons, else the shared file
    checks' (lib/file_messages)."""
    return file_messages.unusable(error, language, own=FILE_PROBLEMS)
