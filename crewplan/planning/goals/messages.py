"""The sentences of the goals cores, formatted in one place: what the SMART check
(`goals/smart.py`) finds, letter by letter, and the names of the built-in KPIs
(`goals/kpis.py`). The cores return codes and parameters; every sentence here is a
gettext message (English msgid, zh-Hant in the catalogue), worded in the active
language, or in `language` when one is given."""

from collections.abc import Iterable, Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

from crewplan.lib.active_language import speaking
from crewplan.planning.goals.smart import HIGHER, LOWER, Letter, Problem

LETTER_NAMES: dict[str, Promise] = {
    "S": gettext_lazy("Specific"),
    "M": gettext_lazy("Measurable"),
    "A": gettext_lazy("Achievable"),
    "R": gettext_lazy("Relevant"),
    "T": gettext_lazy("Time-bound"),
}

# smart.CODES -> sentence, with the problem's parameters.
PROBLEMS: dict[str, Promise] = {
    "too_short": gettext_lazy("Say what should change, for whom or where, in a full sentence."),
    "no_number": gettext_lazy("A specific goal says how much: put the number in the goal."),
    "no_kpi": gettext_lazy("Choose the KPI that measures it."),
    "no_baseline": gettext_lazy("Give the KPI's value today (the baseline)."),
    "no_target": gettext_lazy("Give the value to reach (the target)."),
    "wrong_direction": gettext_lazy(
        "The target %(target)s does not improve on the baseline %(baseline)s for a KPI where "
        "%(direction)s is better."
    ),
    "beyond_history": gettext_lazy(
        "The target needs %(required)s a month for %(months)s months; the KPI's history shows "
        "%(average)s a month on average and %(best)s at best."
    ),
    "no_history": gettext_lazy(
        "No history for this KPI yet: achievability is checked once 3 months are imported."
    ),
    "no_objective": gettext_lazy("Name the business objective this goal serves."),
    "no_deadline": gettext_lazy("Set a deadline."),
    "deadline_past": gettext_lazy("The deadline %(deadline)s has passed."),
    "deadline_too_far": gettext_lazy(
        "The deadline is %(months)s months away; set one within %(limit)s months and review it."
    ),
}

# A KPI's direction inside "for a KPI where … is better".
DIRECTIONS: dict[str, Promise] = {
    HIGHER: pgettext_lazy("a KPI where … is better", "higher"),
    LOWER: pgettext_lazy("a KPI where … is better", "lower"),
}

# The built-in KPIs (kpis.CATALOGUE), by key: the name a KPI added from it gets.
KPI_NAMES: dict[str, Promise] = {
    "traffic_growth": gettext_lazy("Traffic growth"),
    "conversion_rate": gettext_lazy("Conversion rate"),
    "clv": gettext_lazy("Customer lifetime value (CLV)"),
    "roi": gettext_lazy("Marketing ROI"),
    "roas": gettext_lazy("Return on ad spend (ROAS)"),
    "cac": gettext_lazy("Customer acquisition cost (CAC)"),
    "engagement_rate": gettext_lazy("Engagement rate"),
    "email_open_rate": gettext_lazy("E-mail open rate"),
    "content_per_week": gettext_lazy("Content output per week"),
    "chatbot_resolution": gettext_lazy("Chatbot resolution rate"),
    "csat": gettext_lazy("Customer satisfaction (CSAT)"),
}

# The metrics the built-in KPIs are computed over (kpis.CATALOGUE's metric and denominator),
# by key: what the KPI page shows instead of the key.
METRIC_NAMES: dict[str, Promise] = {
    "sessions": gettext_lazy("Sessions"),
    "conversions": gettext_lazy("Conversions"),
    "revenue": gettext_lazy("Revenue"),
    "customers": gettext_lazy("Customers"),
    "profit": gettext_lazy("Profit"),
    "spend": gettext_lazy("Spend"),
    "new_customers": gettext_lazy("New customers"),
    "engagements": gettext_lazy("Engagements"),
    "impressions": gettext_lazy("Impressions"),
    "email_opens": gettext_lazy("E-mail opens"),
    "emails_delivered": gettext_lazy("E-mails delivered"),
    "content_pieces": gettext_lazy("Content pieces published"),
    "weeks": gettext_lazy("Weeks"),
    "chats_resolved": gettext_lazy("Chats resolved"),
    "chats": gettext_lazy("Chats"),
    "csat_score": gettext_lazy("CSAT score"),
}

# The built-in KPIs' units that are words (kpis.CATALOGUE); "%", "x" and currency codes
# are shown as they are.
UNIT_NAMES: dict[str, Promise] = {
    "pieces": pgettext_lazy("unit of a KPI", "pieces"),
    "score": pgettext_lazy("unit of a KPI", "score"),
}


def metric_name(key: str) -> str:
    """The metric's label in the active language; a metric of the workspace's own (not in
    the catalogue) is shown as it was typed."""
    return str(METRIC_NAMES[key]) if key in METRIC_NAMES else key


def unit_name(unit: str) -> str:
    return str(UNIT_NAMES[unit]) if unit in UNIT_NAMES else unit


def _values(params: Mapping[str, object]) -> dict[str, object]:
    values = dict(params)
    if "direction" in values:
        values["direction"] = str(DIRECTIONS[str(values["direction"])])
    return values


def problem_message(problem: Problem, language: str | None = None) -> str:
    with speaking(language):
        return str(PROBLEMS[problem.code]) % _values(problem.params)


def letter_name(letter: str, language: str | None = None) -> str:
    with speaking(language):
        return str(LETTER_NAMES[letter])


def kpi_name(key: str, language: str | None = None) -> str:
    with speaking(language):
        return str(KPI_NAMES[key])


class WordedProblem:
    __slots__ = ("code", "message", "params")

    def __init__(self, problem: Problem, language: str | None) -> None:
        self.code = problem.code
        self.params = problem.params
        self.message = problem_message(problem, language)


class WordedLetter:
    """A SMART letter with its name, problems and note in words, for the templates."""

    __slots__ = ("letter", "name", "note", "ok", "problems", "state", "unknown")

    def __init__(self, letter: Letter, language: str | None = None) -> None:
        self.letter = letter.letter
        self.ok = letter.ok
        self.unknown = letter.unknown
        self.state = "ok" if letter.ok else "unknown" if letter.unknown else "no"
        self.name = letter_name(letter.letter, language)
        self.problems = tuple(WordedProblem(p, language) for p in letter.problems)
        self.note = problem_message(letter.note, language) if letter.note else ""


def worded(letters: Iterable[Letter], language: str | None = None) -> list[WordedLetter]:
    return [WordedLetter(letter, language) for letter in letters]
