"""The sentences for `measure/kpi_file.py`'s problem codes, in the catalogue."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from crewplan.measure.kpi_file import Problem

PROBLEMS: dict[str, Promise] = {
    "no_header": gettext_lazy(
        "No heading row with a date, a KPI and a value column (日期, KPI, 數值) was found."
    ),
    "bad_date": gettext_lazy("Row %(row)s: “%(value)s” is not a date."),
    "unknown_kpi": gettext_lazy("Row %(row)s: there is no KPI called “%(name)s”."),
    "bad_value": gettext_lazy("Row %(row)s: “%(value)s” is not a number."),
    "daily_not_additive": gettext_lazy(
        "Row %(row)s: %(name)s is a ratio or an average, so its days cannot be added up "
        "into a month: give one value per month."
    ),
    "twice": gettext_lazy("Row %(row)s: %(name)s has this month twice."),
}


def problem_message(problem: Problem) -> str:
    return str(PROBLEMS[problem.code]) % {"row": problem.row, **problem.params}
