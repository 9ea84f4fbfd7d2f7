"""SMART goal checker (pure, no Django): letter by letter, what is missing or implausible.

- S, specific: the goal says what, in enough words, with a number (`too_short`, `no_number`).
- M, measurable: a KPI, a baseline and a target that improves on it in the KPI's
  direction (`no_kpi`, `no_baseline`, `no_target`, `wrong_direction`).
- A, achievable: once the KPI has at least 3 months of history, the monthly
  improvement the target needs is compared with the KPI's own record: it is
  implausible when it exceeds both the best month seen and twice the average month
  (`beyond_history`). Without history the letter is unknown (neither passed nor failed)
  with a note, and the goal is not yet SMART.
- R, relevant: the business objective it serves is named (`no_objective`).
- T, time-bound: a deadline, in the future, at most 36 months away (`no_deadline`,
  `deadline_past`, `deadline_too_far`).

The checker returns codes and parameters (numbers and dates as they are shown, the KPI's
direction as HIGHER or LOWER); the sentences are gettext messages in `goals/messages.py`.

Growth is compounded monthly: a target T from a baseline B in n months needs
(T / B) ** (1 / n) - 1 per month (for a lower-is-better KPI, 1 - (T / B) ** (1 / n)).
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from itertools import pairwise
from typing import NamedTuple

HIGHER = "higher"
LOWER = "lower"
MAX_MONTHS = 36
MIN_HISTORY = 3
LETTERS = ("S", "M", "A", "R", "T")
CODES = (
    "too_short",
    "no_number",
    "no_kpi",
    "no_baseline",
    "no_target",
    "wrong_direction",
    "beyond_history",
    "no_history",
    "no_objective",
    "no_deadline",
    "deadline_past",
    "deadline_too_far",
)
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True, slots=True)
class GoalInput:
    text: str
    today: date
    kpi: str = ""
    direction: str = HIGHER
    baseline: Decimal | None = None
    target: Decimal | None = None
    objective: str = ""
    deadline: date | None = None
    history: tuple[Decimal, ...] = ()  # the KPI's monthly values, oldest first


class Problem(NamedTuple):
    code: str
    params: Mapping[str, object]


class Letter(NamedTuple):
    letter: str  # S, M, A, R or T
    ok: bool  # passed; False both when it failed and when it cannot be checked yet
    problems: tuple[Problem, ...]
    note: Problem | None = None  # said whatever the outcome (no_history)
    unknown: bool = False  # cannot be checked yet (A without history): neither ok nor failed


def _problem(code: str, **values: object) -> Problem:
    return Problem(code, values)


def _months_between(start: date, end: date) -> int:
    return (
        (end.year - start.year) * 12 + end.month - start.month + (1 if end.day > start.day else 0)
    )


def _percent(rate: Decimal) -> str:
    return f"{rate * 100:+.1f}%"


def monthly_rate(baseline: Decimal, target: Decimal, months: int, direction: str) -> Decimal | None:
    """The compounded monthly improvement from baseline to target, None when it cannot
    be computed (a zero or negative baseline or target)."""
    if baseline <= 0 or target <= 0 or months < 1:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        ratio = (target / baseline) ** (Decimal(1) / Decimal(months))
    return ratio - 1 if direction == HIGHER else 1 - ratio


def history_rates(history: tuple[Decimal, ...], direction: str) -> list[Decimal]:
    """Month-on-month improvements (a fraction; negative when it got worse)."""
    rates = []
    for before, after in pairwise(history):
        if before > 0:
            change = after / before - 1
            rates.append(change if direction == HIGHER else -change)
    return rates


def smart_check(goal: GoalInput) -> list[Letter]:
    text = goal.text.strip()
    letters: list[tuple[str, list[Problem], Problem | None]] = []

    s: list[Problem] = []
    # Chinese says in 8 characters what English says in 25; digits and symbols don't count.
    words = re.sub(r"[\s\d%.,:;!?，。：；！？%]", "", text)
    short = len(words) < (8 if _CJK.search(text) else 20)
    if short:
        s.append(_problem("too_short"))
    if not re.search(r"\d", text):
        s.append(_problem("no_number"))
    letters.append(("S", s, None))

    m: list[Problem] = []
    if not goal.kpi.strip():
        m.append(_problem("no_kpi"))
    if goal.baseline is None:
        m.append(_problem("no_baseline"))
    if goal.target is None:
        m.append(_problem("no_target"))
    if goal.baseline is not None and goal.target is not None:
        better = (
            goal.target > goal.baseline if goal.direction == HIGHER else goal.target < goal.baseline
        )
        if not better:
            m.append(
                _problem(
                    "wrong_direction",
                    target=goal.target,
                    baseline=goal.baseline,
                    direction=goal.direction,
                )
            )
    letters.append(("M", m, None))

    a: list[Problem] = []
    note = None
    if len(goal.history) < MIN_HISTORY:
        note = _problem("no_history")
    elif (
        goal.baseline is not None
        and goal.target is not None
        and goal.deadline
        and goal.deadline > goal.today
    ):
        months = max(1, _months_between(goal.today, goal.deadline))
        required = monthly_rate(goal.baseline, goal.target, months, goal.direction)
        rates = history_rates(goal.history, goal.direction)
        if required is not None and rates and required > 0:
            average = sum(rates, Decimal(0)) / len(rates)
            best = max(rates)
            if required > best and required > 2 * average:
                a.append(
                    _problem(
                        "beyond_history",
                        required=_percent(required),
                        months=months,
                        average=_percent(average),
                        best=_percent(best),
                    )
                )
    letters.append(("A", a, note))

    letters.append(("R", [] if goal.objective.strip() else [_problem("no_objective")], None))

    t: list[Problem] = []
    if goal.deadline is None:
        t.append(_problem("no_deadline"))
    elif goal.deadline <= goal.today:
        t.append(_problem("deadline_past", deadline=goal.deadline.isoformat()))
    elif (months_away := _months_between(goal.today, goal.deadline)) > MAX_MONTHS:
        t.append(_problem("deadline_too_far", months=months_away, limit=MAX_MONTHS))
    letters.append(("T", t, None))

    result = []
    for code, problems, note in letters:
        unknown = note is not None and note.code == "no_history"
        result.append(Letter(code, not problems and not unknown, tuple(problems), note, unknown))
    return result


def is_smart(letters: list[Letter]) -> bool:
    return all(letter.ok for letter in letters)


def passes_what_can_be_checked(letters: list[Letter]) -> bool:
    """No letter failed, though some cannot be checked yet (no history)."""
    return all(letter.ok or letter.unknown for letter in letters)
