"""SMART goal checker (pure, no Django): letter by letter, what is missing or implausible.

- S, specific: the goal says what, in enough words, with a number (`too_short`, `no_number`).
- M, measurable: a KPI, a baseline and a target that improves on it in the KPI's
  direction (`no_kpi`, `no_baseline`, `no_target`, `wrong_direction`).
- A, achievable: once the KPI has at least 3 months of history, the monthly
  improvement the target needs is compared with the KPI's own record: it is
  implausible when it exceeds both the best month seen and twice the average month
  (`beyond_history`). Without history the letter passes with a note.
- R, relevant: the business objective it serves is named (`no_objective`).
- T, time-bound: a deadline, in the future, at most 36 months away (`no_deadline`,
  `deadline_past`, `deadline_too_far`).

Growth is compounded monthly: a target T from a baseline B in n months needs
(T / B) ** (1 / n) - 1 per month (for a lower-is-better KPI, 1 - (T / B) ** (1 / n)).
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from itertools import pairwise
from typing import NamedTuple

from crewplan.lib.language import normalize, pick

HIGHER = "higher"
LOWER = "lower"
MAX_MONTHS = 36
MIN_HISTORY = 3
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
    message: str


class Letter(NamedTuple):
    letter: str  # S, M, A, R or T
    name: str
    ok: bool
    problems: tuple[Problem, ...]
    note: str = ""


NAMES = {
    "en": {
        "S": "Specific",
        "M": "Measurable",
        "A": "Achievable",
        "R": "Relevant",
        "T": "Time-bound",
    },
    "zh-hant": {"S": "具體", "M": "可衡量", "A": "可達成", "R": "相關", "T": "有時限"},
}
TEXTS: dict[str, tuple[str, str]] = {
    "too_short": (
        "Say what should change, for whom or where, in a full sentence.",
        "請用完整的一句話說明要改變什麼、對象或通路。",
    ),
    "no_number": (
        "A specific goal says how much: put the number in the goal.",
        "具體的目標會寫出幅度：請把數字寫進目標裡。",
    ),
    "no_kpi": ("Choose the KPI that measures it.", "請選擇衡量這個目標的 KPI。"),
    "no_baseline": (
        "Give the KPI's value today (the baseline).",
        "請填寫 KPI 目前的數值（基準值）。",
    ),
    "no_target": ("Give the value to reach (the target).", "請填寫要達成的數值（目標值）。"),
    "wrong_direction": (
        "The target {target} does not improve on the baseline {baseline} for a KPI where {direction} is better.",
        "這個 KPI 是{direction}越好，但目標值 {target} 沒有比基準值 {baseline} 更好。",
    ),
    "beyond_history": (
        "The target needs {required} a month for {months} months; the KPI's history shows {average} a month on average and {best} at best.",
        "達成目標需要連續 {months} 個月、每月 {required} 的改善；這個 KPI 過去平均每月 {average}，最好的一個月是 {best}。",
    ),
    "no_history": (
        "No history for this KPI yet: achievability is checked once 3 months are imported.",
        "這個 KPI 還沒有歷史資料：匯入 3 個月後會檢查可達成性。",
    ),
    "no_objective": (
        "Name the business objective this goal serves.",
        "請寫出這個目標服務的商業目標。",
    ),
    "no_deadline": ("Set a deadline.", "請設定期限。"),
    "deadline_past": ("The deadline {deadline} has passed.", "期限 {deadline} 已經過了。"),
    "deadline_too_far": (
        "The deadline is {months} months away; set one within {limit} months and review it.",
        "期限還有 {months} 個月；請設定在 {limit} 個月內，並定期檢討。",
    ),
}
DIRECTION_WORDS = {
    "en": {HIGHER: "higher", LOWER: "lower"},
    "zh-hant": {HIGHER: "越高", LOWER: "越低"},
}


def _problem(code: str, lang: str, **values: object) -> Problem:
    english, chinese = TEXTS[code]
    return Problem(code, pick((english, chinese), lang).format(**values))


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


def smart_check(goal: GoalInput, language: str = "en") -> list[Letter]:
    lang = normalize(language)
    text = goal.text.strip()
    letters = []

    s: list[Problem] = []
    # Chinese says in 8 characters what English says in 25; digits and symbols don't count.
    words = re.sub(r"[\s\d%.,:;!?，。：；！？%]", "", text)
    short = len(words) < (8 if _CJK.search(text) else 20)
    if short:
        s.append(_problem("too_short", lang))
    if not re.search(r"\d", text):
        s.append(_problem("no_number", lang))
    letters.append(("S", s, ""))

    m: list[Problem] = []
    if not goal.kpi.strip():
        m.append(_problem("no_kpi", lang))
    if goal.baseline is None:
        m.append(_problem("no_baseline", lang))
    if goal.target is None:
        m.append(_problem("no_target", lang))
    if goal.baseline is not None and goal.target is not None:
        better = (
            goal.target > goal.baseline if goal.direction == HIGHER else goal.target < goal.baseline
        )
        if not better:
            m.append(
                _problem(
                    "wrong_direction",
                    lang,
                    target=goal.target,
                    baseline=goal.baseline,
                    direction=DIRECTION_WORDS[lang][goal.direction],
                )
            )
    letters.append(("M", m, ""))

    a: list[Problem] = []
    note = ""
    if len(goal.history) < MIN_HISTORY:
        note = _problem("no_history", lang).message
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
                        lang,
                        required=_percent(required),
                        months=months,
                        average=_percent(average),
                        best=_percent(best),
                    )
                )
    letters.append(("A", a, note))

    letters.append(("R", [] if goal.objective.strip() else [_problem("no_objective", lang)], ""))

    t: list[Problem] = []
    if goal.deadline is None:
        t.append(_problem("no_deadline", lang))
    elif goal.deadline <= goal.today:
        t.append(_problem("deadline_past", lang, deadline=goal.deadline.isoformat()))
    elif (months_away := _months_between(goal.today, goal.deadline)) > MAX_MONTHS:
        t.append(_problem("deadline_too_far", lang, months=months_away, limit=MAX_MONTHS))
    letters.append(("T", t, ""))

    return [
        Letter(code, NAMES[lang][code], not problems, tuple(problems), note)
        for code, problems, note in letters
    ]


def is_smart(letters: list[Letter]) -> bool:
    return all(letter.ok for letter in letters)
