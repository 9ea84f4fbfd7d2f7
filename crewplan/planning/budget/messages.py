"""The sentences and labels of the budget cores, in one place: the health check's findings
(`budget/health.py`), what the plan file reader (`budget/xlsx.py`) refuses or reports, the
words its writer puts in the file, and the categories' labels. The cores return codes and
parameters; every sentence is a gettext message (English msgid, zh-Hant in the
catalogue), worded in the active language, or in `language` when one is given (a
command's, an export's)."""

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, gettext_noop, pgettext, pgettext_lazy

from crewplan.lib import file_messages
from crewplan.lib import wording as wording_lib
from crewplan.lib.active_language import speaking
from crewplan.lib.xlsxfile import UnusableFile
from crewplan.planning.budget.health import Finding
from crewplan.planning.budget.plan import Category
from crewplan.planning.budget.xlsx import FileLabels, RowProblem
from crewplan.planning.models import BudgetLine

# health.SEVERITIES code -> (message, suggested fix); the finding's parameters fill both.
FINDINGS: dict[str, tuple[Promise, Promise]] = {
    "single_tool_concentration": (
        gettext_lazy(
            "%(tool)s takes %(share)s of the AI tool spend (%(amount)s of %(total)s): "
            "one tool for everything."
        ),
        gettext_lazy(
            "Keep a budget for a second tool or a pilot, or justify why one tool covers every need."
        ),
    ),
    "no_privacy_budget": (
        gettext_lazy(
            "%(tools)s process customer data, but nothing is budgeted for data processing "
            "and privacy."
        ),
        gettext_lazy(
            "Add a data processing and privacy line (data cleaning, consent, Taiwan PDPA review)."
        ),
    ),
    "no_kpi": (
        gettext_lazy("%(subject)s (%(amount)s) has no KPI: nobody can tell whether it worked."),
        gettext_lazy("Link it to the KPI it should move, or question the spend."),
    ),
    "no_reserve": (
        gettext_lazy(
            "The experiment reserve is %(reserve)s (%(share)s of %(total)s), below "
            "%(minimum)s: no room to test or to move money to what works."
        ),
        gettext_lazy(
            "Set aside at least %(minimum)s as an experiment reserve and review it every quarter."
        ),
    ),
    "training_underfunded": (
        gettext_lazy(
            "Training is %(training)s, but %(gap)s seats are bought for people not yet able "
            "to use the tools (about %(needed)s at %(per_seat)s a seat)."
        ),
        gettext_lazy(
            "Budget training for those seats, or buy fewer seats until people are trained."
        ),
    ),
    "no_pilot": (
        gettext_lazy(
            "%(tool)s is still a candidate but is funded for %(months)s months (%(amount)s) "
            "without a pilot."
        ),
        gettext_lazy(
            "Fund a pilot of at most %(limit)s months first, then decide on the rest of the year."
        ),
    ),
    "no_maintenance": (
        gettext_lazy(
            "%(tool)s gets %(integration)s for integration, but no subscription or "
            "maintenance after month %(month)s."
        ),
        gettext_lazy("Budget the running and renewal costs that follow the integration."),
    ),
    "no_owner": (
        gettext_lazy("%(subject)s (%(amount)s) has no owner team: nobody answers for it."),
        gettext_lazy("Give the line an owner team."),
    ),
}

# What makes a plan file unusable (xlsx.FILE_PROBLEMS, the UnusableFile codes); the
# shared file checks' codes are worded in lib/file_messages.
FILE_PROBLEMS: dict[str, str] = {
    "no_budget_sheet": gettext_noop("no sheet named 預算 or Budget"),
    "no_header": gettext_noop(
        "the 預算/Budget sheet needs a header row with 類別/Category and 項目/Item"
    ),
    "no_amounts": gettext_noop(
        "the header row has neither 1月…12月 (Jan…Dec) nor a 全年/Annual column"
    ),
    "no_tool_header": gettext_noop("the 工具/Tools sheet needs a 工具/Tool column"),
}

# A row of a plan file that could not be read (xlsx.ROW_PROBLEMS), by code.
ROW_PROBLEMS: dict[str, Promise] = {
    "bad_category": gettext_lazy("category “%(text)s” is not one of the eight budget categories"),
    "no_item": gettext_lazy("a line needs an item name"),
    "bad_amount": gettext_lazy("%(column)s: “%(text)s” is not an amount"),
    "negative_amount": gettext_lazy("%(column)s: amounts cannot be negative"),
    "unknown_tool": gettext_lazy("tool “%(text)s” is not on the 工具/Tools sheet"),
    "bad_status": gettext_lazy("status “%(text)s” is not candidate, pilot, active or retired"),
    "bad_yes_no": gettext_lazy("%(column)s: “%(text)s” is not yes or no"),
    "bad_count": gettext_lazy("%(column)s: “%(text)s” is not a whole number"),
    "duplicate_tool": gettext_lazy("tool “%(text)s” appears twice"),
}

# The plan file's month headers, fiscal month 1 first (the reader knows both languages').
FILE_MONTHS = (
    pgettext_lazy("budget file month", "Jan"),
    pgettext_lazy("budget file month", "Feb"),
    pgettext_lazy("budget file month", "Mar"),
    pgettext_lazy("budget file month", "Apr"),
    pgettext_lazy("budget file month", "May"),
    pgettext_lazy("budget file month", "Jun"),
    pgettext_lazy("budget file month", "Jul"),
    pgettext_lazy("budget file month", "Aug"),
    pgettext_lazy("budget file month", "Sep"),
    pgettext_lazy("budget file month", "Oct"),
    pgettext_lazy("budget file month", "Nov"),
    pgettext_lazy("budget file month", "Dec"),
)


def category_label(category: Category | str) -> str:
    """The category's one label, the model's choice, in the active language."""
    return str(BudgetLine.CategoryChoices(str(category)).label)


def category_labels(language: str | None = None) -> dict[Category, str]:
    with speaking(language):
        return {c: category_label(c) for c in Category}


def _values(params: Mapping[str, object]) -> dict[str, object]:
    return {
        name: pgettext("list separator", ", ").join(str(v) for v in value)
        if isinstance(value, list | tuple)
        else value
        for name, value in params.items()
    }


def wording(finding: Finding, language: str | None = None) -> tuple[str, str]:
    """The finding's message and suggested fix."""
    message, fix = FINDINGS[finding.code]
    with speaking(language):
        values = _values(finding.params)
        return str(message) % values, str(fix) % values


class Worded(wording_lib.Worded):
    """A health finding with its sentences (lib/wording)."""

    __slots__ = ()

    severity = property(lambda self: self.finding.severity)
    subjects = property(lambda self: self.finding.subjects)

    def _word(self) -> tuple[str, str]:
        return wording(self.finding, self.language)


def worded(findings: Iterable[Finding], language: str | None = None) -> list[Worded]:
    return [Worded(f, language) for f in findings]


def row_problem(problem: RowProblem, language: str | None = None) -> str:
    with speaking(language):
        return str(ROW_PROBLEMS[problem.code]) % dict(problem.params)


def unusable(error: UnusableFile, language: str | None = None) -> str:
    """Why a plan file cannot be read: the plan reader's reasons, else the shared file
    checks' (lib/file_messages)."""
    return file_messages.unusable(error, language, own=FILE_PROBLEMS)


def file_labels(language: str | None = None) -> FileLabels:
    """The words of a written plan file, in `language` (else the active one)."""
    with speaking(language):
        return FileLabels(
            budget=pgettext("budget file sheet", "Budget"),
            tools=pgettext("budget file sheet", "Tools"),
            category=pgettext("budget file column", "Category"),
            item=pgettext("budget file column", "Item"),
            tool=pgettext("budget file column", "Tool"),
            kpi=pgettext("budget file column", "KPI"),
            owner=pgettext("budget file column", "Owner"),
            channel=pgettext("budget file column", "Channel"),
            year=pgettext("budget file column", "Year total"),
            total=pgettext("budget file row", "Total"),
            status=pgettext("budget file column", "Status"),
            customer_data=pgettext("budget file column", "Customer data"),
            seats=pgettext("budget file column", "Seats"),
            yes=pgettext("budget file answer", "yes"),
            no=pgettext("budget file answer", "no"),
            months=tuple(str(m) for m in FILE_MONTHS),
            categories=category_labels(),
        )
