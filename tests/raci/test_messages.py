"""The RACI core's sentences: one gettext message per finding code and file problem, in
both languages, formatted from the core's parameters."""

import pytest
from django.utils import translation

from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci import messages
from crewplan.raci.validation import (
    EXTERNAL,
    INTERNAL,
    SEVERITIES,
    Activity,
    Kind,
    Matrix,
    Party,
    Rules,
    parse_cell,
    validate,
)
from crewplan.raci.xlsx import RowProblem

US = Party("t1", "品牌行銷部", INTERNAL, members=0)
THEM = Party("t2", "星火數位行銷", EXTERNAL, members=4)
LIN = Party("p1", "林佳蓉", INTERNAL, is_person=True, team="t1")


def every_finding() -> list[messages.Worded]:
    """A matrix that trips every rule once."""
    acts = (
        Activity("none", "無人", "x"),
        Activity("two", "雙當責", "x"),
        Activity("plan", "年度預算", "x", Kind.BUDGET),
        Activity("both", "共同執行", "x"),
        Activity("many", "多方諮詢", "x"),
    )
    cells = {
        ("two", "t1"): "A/R",
        ("two", "t2"): "A",
        ("plan", "t2"): "A/R",
        ("both", "t1"): "R",
        ("both", "t2"): "R",
        ("both", "p1"): "A/C",
        ("many", "t2"): "R/C",
        ("many", "p1"): "A/C",
    }
    m = Matrix((US, THEM, LIN), acts, {k: parse_cell(v) for k, v in cells.items()})
    found = validate(m, Rules(max_accountable_per_person=1, max_consulted=1))
    # no_split cannot meet the rules above in one matrix (they need both sides' R).
    one_sided = Matrix(
        (US, THEM, LIN),
        acts[3:],
        {("both", "t1"): parse_cell("A/R"), ("many", "p1"): parse_cell("R/A")},
    )
    return messages.worded(found + validate(one_sided))


def test_every_code_has_its_sentences() -> None:
    assert set(messages.FINDINGS) == set(SEVERITIES)
    assert {f.code for f in every_finding()} == set(SEVERITIES)


def test_findings_are_worded_in_the_active_language() -> None:
    for worded in every_finding():
        english = messages.wording(worded.finding, "en")
        chinese = messages.wording(worded.finding, "zh-hant")
        assert english != chinese and all(english) and all(chinese), worded.code
        assert "%(" not in english[0] + chinese[0], worded.code  # every placeholder filled
        with translation.override("zh-hant"):
            assert (worded.message, worded.fix) == messages.wording(worded.finding)
    fixed = messages.worded([every_finding()[0].finding], "zh-hant")[0]
    assert fixed.message == messages.wording(fixed.finding, "zh-hant")[0]  # whatever is active


def test_lists_and_kinds_follow_the_language() -> None:
    by_code = {f.code: f.finding for f in every_finding()}
    two = by_code["multiple_accountable"]
    assert "品牌行銷部, 星火數位行銷" in messages.wording(two, "en")[0]
    assert "品牌行銷部、星火數位行銷" in messages.wording(two, "zh-hant")[0]
    plan = by_code["external_accountable_strategy"]
    assert "is a budget decision" in messages.wording(plan, "en")[0]
    assert "屬於預算決策" in messages.wording(plan, "zh-hant")[0]


@pytest.mark.parametrize(
    ("code", "params", "english", "chinese"),
    [
        ("bad_cell", {"column": "Us", "text": "X"}, "Us: “X” is not", "Us：「X」不是"),
        ("no_activity_name", {}, "no activity name", "沒有工作項目名稱"),
        ("no_function", {}, "no function", "沒有填職能"),
        ("bad_kind", {"text": "misc"}, "kind “misc” is not", "類型「misc」不是"),
        ("duplicate_activity", {"text": "SEO"}, "“SEO” appears twice", "「SEO」在同一個職能"),
    ],
)
def test_row_problems(code: str, params: dict[str, str], english: str, chinese: str) -> None:
    problem = RowProblem(row=3, code=code, params=params)
    assert english in messages.row_problem(problem, "en")
    assert chinese in messages.row_problem(problem, "zh-hant")
    assert set(messages.ROW_PROBLEMS) >= {code}


def test_unusable_files_word_the_readers_and_the_shared_checks() -> None:
    own = UnusableFile("duplicate_party", "Us")
    assert messages.unusable(own, "en") == "two columns have the same name: Us"
    assert messages.unusable(own, "zh-hant") == "有兩欄名稱相同: Us"
    shared = UnusableFile("not_zip")  # lib/xlsxfile's own pair
    assert "zip archive" in messages.unusable(shared, "en")
    assert "不是 zip 壓縮檔" in messages.unusable(shared, "zh-hant")
    with translation.override("zh-hant"):
        assert messages.unusable(own) == "有兩欄名稱相同: Us"
