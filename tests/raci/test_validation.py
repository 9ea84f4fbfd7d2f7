"""The RACI validation core: every rule positive and negative, on plain data."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crewplan.raci.messages import wording
from crewplan.raci.template import AGENCY, IN_HOUSE, apply_template, template_activities
from crewplan.raci.validation import (
    EXTERNAL,
    INTERNAL,
    Activity,
    CellError,
    Kind,
    Matrix,
    Party,
    Role,
    Rules,
    Severity,
    format_cell,
    has_errors,
    infer_kind,
    parse_cell,
    validate,
)

HOME = Party("t1", "品牌行銷部", INTERNAL, members=3)
AGENCY_TEAM = Party("t2", "星火數位行銷", EXTERNAL, members=4)
EMPTY = Party("t3", "攝影接案", EXTERNAL, members=0)
LIN = Party("p1", "林佳蓉", INTERNAL, is_person=True, team="t1")
ZHANG = Party("p2", "張家豪", EXTERNAL, is_person=True, team="t2")
PARTIES = (HOME, AGENCY_TEAM, EMPTY, LIN, ZHANG)


def matrix(
    cells: dict[tuple[str, str], str], activities: tuple[Activity, ...] | None = None
) -> Matrix:
    acts = activities or (Activity("blog", "部落格文章撰寫", "內容"),)
    return Matrix(PARTIES, acts, {k: parse_cell(v) for k, v in cells.items()})


DEFAULT_RULES = Rules()


def codes(m: Matrix, rules: Rules = DEFAULT_RULES) -> list[str]:
    return [f.code for f in validate(m, rules)]


GOOD = {("blog", "t1"): "A", ("blog", "t2"): "R"}


def test_a_good_row_has_no_findings() -> None:
    assert validate(matrix(GOOD)) == []


def test_no_accountable() -> None:
    found = validate(matrix({("blog", "t2"): "R"}))
    assert [f.code for f in found] == ["no_accountable"]
    assert found[0].severity is Severity.ERROR and found[0].activity == "blog"
    assert "no_accountable" not in codes(matrix(GOOD))


def test_multiple_accountable_names_the_parties() -> None:
    found = validate(matrix({("blog", "t1"): "A", ("blog", "p2"): "A/R"}))
    assert [f.code for f in found] == ["multiple_accountable"]
    assert found[0].parties == ("t1", "p2")
    message, _fix = wording(found[0])
    assert "品牌行銷部" in message and "張家豪" in message
    assert found[0].params["count"] == 2


def test_no_responsible() -> None:
    assert codes(matrix({("blog", "t1"): "A/C"})) == ["no_responsible"]
    assert "no_responsible" not in codes(matrix(GOOD))


def test_overlap_responsible_unless_split_stated() -> None:
    cells = {("blog", "t1"): "A/R", ("blog", "t2"): "R"}
    found = validate(matrix(cells))
    assert [f.code for f in found] == ["overlap_responsible"]
    assert found[0].severity is Severity.WARNING and found[0].parties == ("t1", "t2")
    split = (Activity("blog", "部落格文章撰寫", "內容", split="代理商寫初稿，公司內部定稿"),)
    assert codes(matrix(cells, split)) == []
    # Two in-house parties sharing R is no overlap.
    assert codes(matrix({("blog", "t1"): "A/R", ("blog", "p1"): "R"})) == []


def test_overlap_counts_a_person_by_their_teams_kind() -> None:
    assert codes(matrix({("blog", "p1"): "A/R", ("blog", "p2"): "R"})) == ["overlap_responsible"]


@pytest.mark.parametrize("kind", [Kind.STRATEGY, Kind.BUDGET])
def test_external_accountable_on_strategy_or_budget(kind: Kind) -> None:
    acts = (Activity("plan", "廣告預算分配", "廣告", kind=kind),)
    found = validate(matrix({("plan", "t2"): "A/R"}, acts))
    assert [f.code for f in found] == ["external_accountable_strategy"]
    assert found[0].severity == Severity.ERROR  # blocks publishing: the client decides
    assert found[0].parties == ("t2",)
    assert codes(matrix({("plan", "t1"): "A", ("plan", "t2"): "R"}, acts)) == []
    # On execution work an agency A is not this finding.
    execution = (Activity("plan", "廣告投放", "廣告", kind=Kind.EXECUTION),)
    assert codes(matrix({("plan", "t2"): "A/R"}, execution)) == []


def test_accountable_overload_counts_people_only() -> None:
    acts = tuple(Activity(f"a{i}", f"工作 {i}", "內容") for i in range(4))
    person_a = {(f"a{i}", "p1"): "A" for i in range(4)} | {(f"a{i}", "t2"): "R" for i in range(4)}
    found = validate(matrix(person_a, acts), Rules(max_accountable_per_person=3))
    assert [f.code for f in found] == ["accountable_overload"]
    assert found[0].parties == ("p1",) and found[0].activity is None
    assert codes(matrix(person_a, acts), Rules(max_accountable_per_person=4)) == []
    team_a = {(f"a{i}", "t1"): "A" for i in range(4)} | {(f"a{i}", "t2"): "R" for i in range(4)}
    assert codes(matrix(team_a, acts), Rules(max_accountable_per_person=3)) == []


def test_too_many_consulted() -> None:
    cells = GOOD | {("blog", "p1"): "C", ("blog", "p2"): "C", ("blog", "t3"): "C"}
    found = validate(matrix(cells), Rules(max_consulted=2))
    assert "too_many_consulted" in [f.code for f in found]
    assert codes(matrix(cells), Rules(max_consulted=3)) == ["empty_team_role"]


def test_empty_team_role() -> None:
    found = validate(matrix(GOOD | {("blog", "t3"): "I"}))
    assert [f.code for f in found] == ["empty_team_role"]
    assert found[0].parties == ("t3",) and "I" in wording(found[0])[0]
    unknown = Party("t3", "攝影接案", EXTERNAL, members=None)  # from a file: not checked
    m = Matrix(
        (HOME, AGENCY_TEAM, unknown),
        (Activity("blog", "x"),),
        {
            ("blog", "t1"): parse_cell("A"),
            ("blog", "t2"): parse_cell("R"),
            ("blog", "t3"): parse_cell("I"),
        },
    )
    assert codes(m) == []


def test_errors_come_first_and_messages_follow_the_language() -> None:
    cells = {("blog", "t3"): "R"}  # empty team R (warning), no A (error)
    found = validate(matrix(cells))
    assert [f.severity for f in found] == [Severity.ERROR, Severity.WARNING]
    zh_message, zh_fix = wording(validate(matrix(cells))[0], "zh-hant")
    assert "沒有當責者" in zh_message and "當責者" in zh_fix
    assert "has no Accountable" in wording(found[0])[0]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("A/R", {Role.A, Role.R}),
        ("R, C", {Role.R, Role.C}),
        ("ra", {Role.R, Role.A}),
        ("Ｒ", {Role.R}),
        ("Ａ／Ｒ", {Role.A, Role.R}),
        (" r + i ", {Role.R, Role.I}),
        ("負責、當責", {Role.R, Role.A}),
        ("", set()),
        (None, set()),
    ],
)
def test_parse_cell_is_tolerant(text: object, roles: set[Role]) -> None:
    assert parse_cell(text) == frozenset(roles)


@pytest.mark.parametrize("text", ["X", "R/Q", "yes", "RACI!", "1"])
def test_parse_cell_refuses_garbage(text: str) -> None:
    with pytest.raises(CellError):
        parse_cell(text)


def test_format_cell_order() -> None:
    assert format_cell({Role.A, Role.R}) == "R/A"
    assert format_cell({Role.I, Role.C, Role.A, Role.R}) == "R/A/C/I"


def test_infer_kind() -> None:
    assert infer_kind("內容策略") is Kind.STRATEGY
    assert infer_kind("Ad budget allocation") is Kind.BUDGET
    assert infer_kind("部落格文章撰寫") is Kind.EXECUTION


team_kinds = st.sampled_from([INTERNAL, EXTERNAL])
members = st.one_of(st.none(), st.integers(min_value=0, max_value=9))


@given(
    agency_kind=team_kinds,
    in_members=members,
    agency_members=members,
    same_team=st.booleans(),
    language=st.sampled_from(["en", "zh-hant"]),
    max_a=st.integers(min_value=0, max_value=30),
    max_c=st.integers(min_value=0, max_value=5),
)
def test_template_never_produces_errors(
    agency_kind: str,
    in_members: int | None,
    agency_members: int | None,
    same_team: bool,
    language: str,
    max_a: int,
    max_c: int,
) -> None:
    in_house = Party("t1", "In", INTERNAL, members=in_members)
    agency = in_house if same_team else Party("t2", "Out", agency_kind, members=agency_members)
    m = apply_template({IN_HOUSE: in_house, AGENCY: agency}, language)
    assert len(m.activities) == len(template_activities())
    assert not has_errors(validate(m, Rules(max_accountable_per_person=max_a, max_consulted=max_c)))


def test_template_with_an_external_team_in_house_is_an_error() -> None:
    """Mapping the template's in-house side to an agency hands it strategy and budget."""
    outsider = Party("t1", "Out", EXTERNAL)
    m = apply_template({IN_HOUSE: outsider, AGENCY: Party("t2", "Other", EXTERNAL)})
    found = [f for f in validate(m) if f.code == "external_accountable_strategy"]
    assert found and all(f.severity == Severity.ERROR for f in found)


def test_template_with_a_real_agency_is_clean() -> None:
    m = apply_template({IN_HOUSE: HOME, AGENCY: AGENCY_TEAM})
    assert validate(m) == []
    kinds = {a.kind for a in m.activities}
    assert kinds == {Kind.STRATEGY, Kind.BUDGET, Kind.EXECUTION}


TWO = (Activity("blog", "部落格文章撰寫", "內容"), Activity("ads", "廣告投放", "廣告"))


def test_no_split_when_one_team_holds_every_r_and_a() -> None:
    one_sided = {
        ("blog", "t1"): "A/R",
        ("ads", "p1"): "R",  # 林佳蓉 is of 品牌行銷部: still the same team
        ("ads", "t1"): "A",
        ("ads", "t2"): "C",
    }
    found = [f for f in validate(matrix(one_sided, TWO)) if f.code == "no_split"]
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert found[0].parties == ("t1",) and found[0].params["count"] == 2
    message, fix = wording(found[0])
    assert "品牌行銷部 holds every R and every A" in message and "agency" in fix
    chinese, _fix = wording(found[0], "zh-hant")
    assert "品牌行銷部 握有" in chinese


@pytest.mark.parametrize(
    "cells",
    [
        {("blog", "t1"): "A", ("blog", "t2"): "R", ("ads", "t1"): "A/R"},  # a split
        {("blog", "t1"): "A/R"},  # one activity only: says nothing about a split
        {("blog", "t1"): "A", ("ads", "t1"): "A"},  # no R at all (no_responsible says so)
    ],
)
def test_no_split_not_reported_where_there_is_a_split_or_too_little(
    cells: dict[tuple[str, str], str],
) -> None:
    assert "no_split" not in codes(matrix(cells, TWO))


def test_no_split_needs_another_team_in_the_matrix() -> None:
    alone = Matrix(
        (HOME, LIN), TWO, {("blog", "t1"): parse_cell("A/R"), ("ads", "p1"): parse_cell("A/R")}
    )
    assert "no_split" not in codes(alone)
