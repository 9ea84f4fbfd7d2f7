"""The planning cores' sentences and labels live in one place per part
(`goals/messages.py`, `budget/messages.py`), in the gettext catalogue: every code the
cores return has its sentence in both languages, every core enum has one label, and the
plan file the writer words is one the reader reads back."""

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from crewplan.lib.xlsxfile import UnusableFile
from crewplan.planning.budget import messages as budget_messages
from crewplan.planning.budget import xlsx
from crewplan.planning.budget.health import SEVERITIES, health_findings
from crewplan.planning.budget.plan import Category, Line, Plan, Tool, ToolStatus, spread
from crewplan.planning.goals import kpis, smart
from crewplan.planning.goals import messages as goal_messages
from crewplan.planning.models import AiTool, BudgetLine, Kpi

D = Decimal
TODAY = date(2026, 11, 23)
GOOD_GOAL = smart.GoalInput(
    text="官網轉換率在 2027 年 6 月前從 1.8% 提升到 2.2%",
    today=TODAY,
    kpi="轉換率",
    baseline=D("1.8"),
    target=D("2.2"),
    objective="線上營收占比提高到 30%",
    deadline=date(2027, 6, 30),
    history=(D("1.6"), D("1.65"), D("1.7"), D("1.72"), D("1.8")),
)


def every_smart_problem() -> list[smart.Problem]:
    """Goals that trip every SMART code at least once, notes included."""
    goals = [
        replace(GOOD_GOAL, text="提升業績", kpi="", objective=" ", deadline=None),
        replace(GOOD_GOAL, baseline=None, target=None, history=()),
        replace(GOOD_GOAL, target=D("1.5"), deadline=date(2026, 11, 1)),
        replace(GOOD_GOAL, target=D("9.0")),
        replace(GOOD_GOAL, deadline=date(2030, 12, 31)),
    ]
    found = []
    for goal in goals:
        for letter in smart.smart_check(goal):
            found += [*letter.problems, *([letter.note] if letter.note else [])]
    return found


def test_every_smart_code_has_its_sentence_in_both_languages() -> None:
    problems = every_smart_problem()
    assert {p.code for p in problems} == set(smart.CODES) == set(goal_messages.PROBLEMS)
    for problem in problems:
        english = goal_messages.problem_message(problem, "en")
        chinese = goal_messages.problem_message(problem, "zh-hant")
        assert english and chinese and english != chinese, problem.code
        assert "%(" not in english + chinese and "{" not in english + chinese, problem.code
    with translation.override("zh-hant"):
        assert goal_messages.problem_message(problems[0]) == goal_messages.problem_message(
            problems[0], "zh-hant"
        )


def test_smart_sentences_keep_their_numbers_and_direction_words() -> None:
    cac = replace(GOOD_GOAL, direction=smart.LOWER, baseline=D(900), target=D(1000), history=())
    [wrong] = [p for x in smart.smart_check(cac) for p in x.problems]
    assert goal_messages.problem_message(wrong, "en") == (
        "The target 1000 does not improve on the baseline 900 for a KPI where lower is better."
    )
    assert goal_messages.problem_message(wrong, "zh-hant") == (
        "這個 KPI 是越低越好，但目標值 1000 沒有比基準值 900 更好。"
    )
    bold = [p for x in smart.smart_check(replace(GOOD_GOAL, target=D("9.0"))) for p in x.problems]
    assert "每月 +22.3% 的改善" in goal_messages.problem_message(bold[0], "zh-hant")


def test_letters_and_catalogue_kpis_have_one_name_in_each_language() -> None:
    assert set(goal_messages.LETTER_NAMES) == set(smart.LETTERS)
    assert [goal_messages.letter_name(x, "zh-hant") for x in smart.LETTERS] == [
        "具體",
        "可衡量",
        "可達成",
        "相關",
        "有時限",
    ]
    assert goal_messages.letter_name("T", "en") == "Time-bound"
    assert set(goal_messages.KPI_NAMES) == set(kpis.BY_KEY)
    for key in kpis.BY_KEY:
        assert goal_messages.kpi_name(key, "en") != goal_messages.kpi_name(key, "zh-hant"), key
    assert goal_messages.kpi_name("cac", "zh-hant") == "顧客取得成本（CAC）"
    assert set(goal_messages.DIRECTIONS) == set(Kpi.Direction.values)


# --- budget ---------------------------------------------------------------------------


def _line(key: str, category: Category, yearly: int, **kw: object) -> Line:
    values = {"item": key, "kpi": "ROAS", "owner": "品牌行銷部"} | kw
    return Line(key=key, category=category, amounts=spread(D(yearly)), **values)  # type: ignore[arg-type]


def _months(*values: int) -> tuple[Decimal, ...]:
    return tuple(D(v) for v in values) + (D(0),) * (12 - len(values))


RISKY = Plan(
    lines=(
        _line("copy-sub", Category.TOOL_SUBSCRIPTION, 300_000, tool="copy"),
        Line("bot-int", Category.INTEGRATION, "串接", _months(0, 0, 0, 0, 30_000), tool="bot"),
        Line("bot-sub", Category.TOOL_SUBSCRIPTION, "bot", _months(4_000, 4_000), tool="bot"),
        _line("ads", Category.MEDIA, 400_000, kpi="", owner=""),
    ),
    tools=(
        Tool("copy", "AI 文案", ToolStatus.CANDIDATE, seats=10, able_users=0),
        Tool("bot", "LINE 客服機器人", ToolStatus.PILOT, customer_data=True),
        Tool("crm", "CRM 助手", ToolStatus.ACTIVE, customer_data=True),
    ),
)


def test_every_health_code_has_its_sentences_in_both_languages() -> None:
    findings = health_findings(RISKY)
    assert {f.code for f in findings} == set(SEVERITIES) == set(budget_messages.FINDINGS)
    for worded in budget_messages.worded(findings):
        english = budget_messages.wording(worded.finding, "en")
        chinese = budget_messages.wording(worded.finding, "zh-hant")
        assert all(english) and all(chinese) and english != chinese, worded.code
        assert "%(" not in "".join(english + chinese), worded.code
        with translation.override("zh-hant"):
            assert (worded.message, worded.fix) == chinese
    [privacy] = [f for f in findings if f.code == "no_privacy_budget"]
    assert budget_messages.wording(privacy, "en")[0].startswith("LINE 客服機器人, CRM 助手 process")
    assert budget_messages.wording(privacy, "zh-hant")[0].startswith("LINE 客服機器人、CRM 助手 會")


def test_core_enums_have_the_models_one_label() -> None:
    assert set(Category) == set(BudgetLine.CategoryChoices.values)
    assert set(ToolStatus) == set(AiTool.Status.values)
    assert budget_messages.category_labels("zh-hant")[Category.DATA_PRIVACY] == "資料處理與隱私"
    assert budget_messages.category_labels("en")[Category.MEDIA] == "Media spend"
    with translation.override("zh-hant"):
        assert budget_messages.category_label(Category.TRAINING) == "教育訓練"
        assert str(BudgetLine(category="training").get_category_display()) == "教育訓練"


def test_the_reader_recognises_every_label_the_writer_uses() -> None:
    for language in ("en", "zh-hant"):
        for category, label in budget_messages.category_labels(language).items():
            assert xlsx.CATEGORY_WORDS[label.casefold()] == category, label


@pytest.mark.parametrize(
    ("code", "params", "english", "chinese"),
    [
        ("bad_category", {"text": "廣告"}, "category “廣告” is not one", "類別「廣告」不是八種"),
        ("no_item", {}, "a line needs an item name", "每一行預算都需要項目名稱"),
        ("bad_amount", {"column": "1月", "text": "x"}, "1月: “x” is not", "1月：「x」不是金額"),
        ("negative_amount", {"column": "Jan"}, "Jan: amounts cannot", "Jan：金額不能是負數"),
        ("unknown_tool", {"text": "Jasper"}, "tool “Jasper” is not", "工具「Jasper」不在"),
        ("bad_status", {"text": "maybe"}, "status “maybe” is not", "狀態「maybe」不是候選"),
        ("bad_yes_no", {"column": "客戶資料", "text": "?"}, "“?” is not yes", "「?」不是是或否"),
        ("bad_count", {"column": "席次", "text": "two"}, "“two” is not a whole", "「two」不是整數"),
        ("duplicate_tool", {"text": "Jasper"}, "tool “Jasper” appears", "工具「Jasper」重複出現"),
    ],
)
def test_row_problems(code: str, params: dict[str, str], english: str, chinese: str) -> None:
    problem = xlsx.RowProblem("預算", 3, code, params)
    assert english in budget_messages.row_problem(problem, "en")
    assert chinese in budget_messages.row_problem(problem, "zh-hant")
    assert set(budget_messages.ROW_PROBLEMS) == set(xlsx.ROW_PROBLEMS)


def test_unusable_files_word_the_readers_and_the_shared_checks() -> None:
    assert set(budget_messages.FILE_PROBLEMS) == set(xlsx.FILE_PROBLEMS)
    own = UnusableFile("no_budget_sheet")
    assert budget_messages.unusable(own, "en") == "no sheet named 預算 or Budget"
    assert budget_messages.unusable(own, "zh-hant") == "找不到名為「預算」或「Budget」的工作表"
    shared = UnusableFile("not_zip")  # lib/xlsxfile's own pair
    assert "zip archive" in budget_messages.unusable(shared, "en")
    assert "不是 zip 壓縮檔" in budget_messages.unusable(shared, "zh-hant")
    with translation.override("zh-hant"):
        assert budget_messages.unusable(own) == "找不到名為「預算」或「Budget」的工作表"


def test_a_file_written_in_english_reads_back() -> None:
    plan = Plan(
        lines=(_line("ads", Category.MEDIA, 12_000, tool="bot"),),
        tools=(Tool("bot", "LINE Bot", ToolStatus.PILOT, customer_data=True, seats=2),),
    )
    labels = budget_messages.file_labels("en")
    assert labels.months[0] == "Jan" and labels.owner == "Owner" and labels.total == "Total"
    data = xlsx.write_plan([xlsx.VersionSheet("v1", plan)], labels=labels)
    back = xlsx.read_plan(data)
    assert back.problems == ()
    assert [(ln.category, ln.amounts, ln.owner) for ln in back.plan.lines] == [
        (ln.category, ln.amounts, ln.owner) for ln in plan.lines
    ]
    assert [(t.name, t.customer_data) for t in back.plan.tools] == [("LINE Bot", True)]
    chinese = budget_messages.file_labels("zh-hant")
    assert (chinese.budget, chinese.tools, chinese.owner, chinese.months[11]) == (
        "預算",
        "工具",
        "負責團隊",
        "12月",
    )


def _book(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    wb.active.title = "Budget"  # type: ignore[union-attr]
    for row in rows:
        wb.active.append(row)  # type: ignore[union-attr]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_reader_still_reads_both_languages_words() -> None:
    rows: list[list[object]] = [
        ["Category", "Item", "Annual"],
        ["Media spend", "Ads", 1200],
        ["媒體投放", "廣告", 1200],
        ["media", "Banners", 1200],
    ]
    assert [ln.category for ln in xlsx.read_plan(_book(rows)).plan.lines] == [Category.MEDIA] * 3
