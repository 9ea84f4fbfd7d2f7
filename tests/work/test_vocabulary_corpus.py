"""The vocabulary check on real copy: the false alarms bench/content_corpus.py found on
Taiwan copy (short phrases, one a case), and the mainland signs it must still catch,
including mainland copy written in traditional characters (docs/benchmarks.md)."""

import pytest

from crewplan.work.checks import DEFAULT_RULES, ERROR, check


def errors(text: str) -> list[str]:
    return [
        text[f.start : f.end]
        for f in check(text, None, DEFAULT_RULES)
        if f.code == "vocabulary" and f.severity == ERROR
    ]


# Each was an error before: OpenCC read a neighbour into a phrase (被干擾 as 被幹, 和面談
# as 和麵, 是只 as 是隻), or rewrote a word Taiwan writes in its ordinary sense.
TAIWAN = [
    "而不是只盯著面材單價",
    "還是只想更新視覺",
    "更在於那份不被干擾的安定感",
    "公開版和面談版提案有什麼差別",
    "沙發、茶几、單椅、邊几與燈具",
    "承重牆、剪力牆、主要樑柱與管道間",
    "局部積水與門檻回流",
    "工安與雇主責任",
    "保護工程、搬運動線、分區施工",
    "會需要準備可聯絡的主要窗口",
    "協助法規諮詢與標示審核",
    "學潛水、攀岩、學飛行傘",
    "看著窗外景致，邊討論工作",
    "對於這話，心有戚戚焉",
    "一進一出兩車道間是辦公室",
    "隨著大伙起哄",
]


@pytest.mark.parametrize("text", TAIWAN)
def test_taiwan_copy_raises_no_vocabulary_error(text: str) -> None:
    assert errors(text) == []


MAINLAND = [
    ("一只猫", ["只", "猫"]),  # the measure word 隻, and a simplified character
    ("買了一只手錶", ["只"]),  # 只 after a numeral is the measure word 隻
    ("超高性價比，兩室一廳只要五千", ["性價比", "兩室一廳"]),
    ("掃描二維碼，閨蜜一起包郵", ["二維碼", "閨蜜", "包郵"]),
    ("視頻和軟件的質量", ["視頻", "軟件", "質量"]),
]


@pytest.mark.parametrize(("text", "expected"), MAINLAND)
def test_mainland_signs_are_still_errors(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_a_mainland_page_in_traditional_characters_yields_many_errors() -> None:
    page = (
        "本店支援微信、支付寶及銀聯支付，銀聯在線支付無需開通網銀，"
        "單筆限額最高3萬元。點擊購買系列產品，設計費每平米一百元，"
        "質量保證，免費上門服務。請填寫寶貝基本信息，上傳視頻與軟件截圖，"
        "短信通知到賬，性價比超高，樣板間與售樓處開放參觀。"
    )
    assert len(errors(page)) >= 10
