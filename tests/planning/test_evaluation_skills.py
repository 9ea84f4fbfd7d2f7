"""The pure cores of the evaluation matrix and the skills gap, worked by hand."""

from decimal import Decimal

import pytest

from crewplan.planning.tools import evaluation, skills
from crewplan.planning.tools.evaluation import DEFAULT_WEIGHTS, Rated, compare, weighted_score

D = Decimal
ALL = dict.fromkeys(evaluation.CRITERIA, 3)


def test_weighted_score_by_hand() -> None:
    scores = {"features": 5, "cost": 2, "ease": 4, "support": 3, "integration": 1, "value": 4}
    # (25·5 + 20·2 + 15·4 + 10·3 + 15·1 + 15·4) / 100 = (125+40+60+30+15+60)/100 = 3.3
    assert weighted_score(scores, DEFAULT_WEIGHTS) == (D("3.3"), ())
    # Weights need not add up to 100: 1·5 + 1·2 over 2 = 3.5; the zero weights do not count.
    weights = dict.fromkeys(evaluation.CRITERIA, 0) | {"features": 1, "cost": 1}
    assert weighted_score(scores, weights) == (D("3.5"), ())


def test_missing_score_that_counts_leaves_the_total_open() -> None:
    scores = ALL | {"support": None}
    assert weighted_score(scores, DEFAULT_WEIGHTS) == (None, ("support",))
    # ... unless that criterion weighs nothing.
    weights = dict(DEFAULT_WEIGHTS) | {"support": 0}
    assert weighted_score(scores, weights) == (D(3), ())
    assert weighted_score(ALL, dict.fromkeys(evaluation.CRITERIA, 0)) == (None, ())


def test_bad_weights_and_scores_are_refused() -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        weighted_score(ALL, dict(DEFAULT_WEIGHTS) | {"cost": 101})
    with pytest.raises(ValueError, match="must be an int"):
        weighted_score(ALL, dict(DEFAULT_WEIGHTS) | {"cost": 2.5})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="between 1 and 5"):
        weighted_score(ALL | {"cost": 6}, DEFAULT_WEIGHTS)


def test_compare_ranks_complete_tools_with_ties() -> None:
    results = compare(
        [
            Rated("a", "A", ALL),
            Rated("b", "B", ALL | {"features": 5}),  # 3 + 25·2/100 = 3.5
            Rated("c", "C", ALL),
            Rated("d", "D", ALL | {"value": None}),
        ],
        DEFAULT_WEIGHTS,
    )
    assert [(r.key, r.score, r.rank) for r in results] == [
        ("a", D(3), 2),
        ("b", D("3.5"), 1),
        ("c", D(3), 2),
        ("d", None, None),
    ]
    assert results[3].missing == ("value",)


def person(name: str, team: str, **levels: str) -> skills.Person:
    return skills.Person(key=name, name=name, team=team, skills=levels)


def test_skills_gap_counts_basic_and_better_in_the_owner_team() -> None:
    people = [
        person("Ann", "in", content_generation="basic"),
        person("Ben", "in", content_generation="none", chatbot="expert"),
        person("Cai", "agency", content_generation="expert"),
        person("Dee", "in"),  # no skills entered: none everywhere
    ]
    tools = [
        skills.SeatTool("w", "Writer", "content_generation", seats=3, status="active", team="in"),
        skills.SeatTool("x", "Writer 2", "content_generation", seats=1, status="pilot"),
        skills.SeatTool("b", "Bot", "chatbot", seats=1, status="active", team="in"),
        skills.SeatTool("r", "Old", "content_generation", seats=5, status="retired"),
    ]
    gaps = skills.skills_gap(tools, people)
    assert [(g.tool, g.able, g.gap) for g in gaps] == [
        ("w", ("Ann",), 2),  # Cai is able but in the agency, not the owner team
        ("x", ("Ann", "Cai"), 0),  # no owner team: everyone counts; more able than seats
        ("b", ("Ben",), 0),
    ]
    with pytest.raises(ValueError, match="unknown skill level"):
        skills.is_able("guru")


def test_hours_by_team() -> None:
    people = [
        skills.Person("1", "A", "in", {}, 40),
        skills.Person("2", "B", "in", {}, None),
        skills.Person("3", "C", "agency", {}, 12),
    ]
    assert skills.hours_by_team(people) == {"in": 40, "agency": 12}
