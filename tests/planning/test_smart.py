"""SMART checker: each letter positive and negative."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from crewplan.planning.goals import messages
from crewplan.planning.goals.smart import (
    LOWER,
    GoalInput,
    is_smart,
    monthly_rate,
    passes_what_can_be_checked,
    smart_check,
)

D = Decimal
TODAY = date(2026, 11, 23)
GOOD = GoalInput(
    text="官網轉換率在 2027 年 6 月前從 1.8% 提升到 2.2%",
    today=TODAY,
    kpi="轉換率",
    baseline=D("1.8"),
    target=D("2.2"),
    objective="線上營收占比提高到 30%",
    deadline=date(2027, 6, 30),
    history=(D("1.6"), D("1.65"), D("1.7"), D("1.72"), D("1.8")),
)


def _with(goal: GoalInput, **changes: object) -> GoalInput:
    return replace(goal, **changes)  # type: ignore[arg-type]


def letter(goal: GoalInput, code: str, language: str = "en") -> messages.WordedLetter:
    return next(x for x in messages.worded(smart_check(goal), language) if x.letter == code)


def problem_codes(goal: GoalInput, code: str) -> list[str]:
    return [p.code for p in letter(goal, code).problems]


def test_a_good_goal_passes_every_letter() -> None:
    letters = smart_check(GOOD)
    assert [x.letter for x in letters] == ["S", "M", "A", "R", "T"]
    assert is_smart(letters), letters


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("提升業績", ["too_short", "no_number"]),
        ("Grow online sales a lot this year", ["no_number"]),
        ("提升營收 20%", ["too_short"]),
    ],
)
def test_specific(text: str, codes: list[str]) -> None:
    assert problem_codes(_with(GOOD, text=text), "S") == codes
    assert problem_codes(GOOD, "S") == []


def test_measurable() -> None:
    assert problem_codes(_with(GOOD, kpi=""), "M") == ["no_kpi"]
    assert problem_codes(_with(GOOD, baseline=None, target=None), "M") == [
        "no_baseline",
        "no_target",
    ]
    wrong = letter(_with(GOOD, target=D("1.5")), "M")
    assert [p.code for p in wrong.problems] == ["wrong_direction"] and "1.5" in wrong.problems[
        0
    ].message
    # Lower is better (e.g. CAC): a lower target is the improvement.
    cac = _with(GOOD, direction=LOWER, baseline=D(900), target=D(700), history=())
    assert problem_codes(cac, "M") == []
    assert problem_codes(_with(cac, target=D(1000)), "M") == ["wrong_direction"]


def test_achievable_against_history() -> None:
    # 1.8 -> 9.0 over 8 months needs +22.3% a month; history: +3.1%, +3.0%, +1.2%, +4.7% (best).
    bold = _with(GOOD, target=D("9.0"))
    found = letter(bold, "A")
    assert not found.ok and found.problems[0].code == "beyond_history"
    assert "+22.3%" in found.problems[0].message and "+4.7%" in found.problems[0].message
    assert letter(GOOD, "A").ok  # 1.8 -> 2.2 over 8 months: +2.5% a month, within the record
    no_history = letter(_with(bold, history=(D(1), D(2))), "A")
    # Without history achievability is unknown: not passed, not failed, and said so.
    assert not no_history.ok and no_history.unknown and not no_history.problems
    assert "3 months" in no_history.note
    without_history = smart_check(_with(GOOD, history=()))
    assert not is_smart(without_history) and passes_what_can_be_checked(without_history)
    assert not passes_what_can_be_checked(smart_check(_with(GOOD, history=(), objective="")))


def test_monthly_rate_is_compounded() -> None:
    assert monthly_rate(D(100), D(121), 2, "higher") == D("0.1")
    assert monthly_rate(D(100), D(81), 2, LOWER) == D("0.1")
    assert monthly_rate(D(0), D(5), 3, "higher") is None


def test_relevant() -> None:
    assert problem_codes(_with(GOOD, objective=" "), "R") == ["no_objective"]
    assert problem_codes(GOOD, "R") == []


def test_time_bound() -> None:
    assert problem_codes(_with(GOOD, deadline=None), "T") == ["no_deadline"]
    assert problem_codes(_with(GOOD, deadline=date(2026, 11, 1)), "T") == ["deadline_past"]
    far = letter(_with(GOOD, deadline=date(2030, 12, 31)), "T")
    assert [p.code for p in far.problems] == ["deadline_too_far"] and "50" in far.problems[
        0
    ].message
    assert problem_codes(GOOD, "T") == []


def test_chinese_names_and_messages() -> None:
    found = letter(_with(GOOD, deadline=None), "T", "zh-hant")
    assert found.name == "有時限" and found.problems[0].message == "請設定期限。"
