"""The content checks' pure core: rules, channel counting, vocabulary, offsets."""

import json
from dataclasses import asdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crewplan.work.checks import (
    DEFAULT_RULES,
    Finding,
    GlossaryTerm,
    Rules,
    check,
    display_width,
    grapheme_count,
    measure,
    rules_from_dict,
    rules_from_toml,
    rules_to_dict,
    utf16_length,
    x_weighted_length,
)
from crewplan.work.checks.claims import lexicon_from_toml
from crewplan.work.messages import disclaimer, finding_message

FAMILY = "👨\u200d👩\u200d👧"  # five code points, one grapheme cluster
FLAG = "🇹🇼"
THUMB = "👍🏽"
KEYCAP = "1\ufe0f\u20e3"
LONG_URL = "https://shop.example.com.tw/products/spring-sale/beef-noodles?variant=large&ref=home"


def message(finding: Finding, language: str = "en") -> str:
    return finding_message(finding, language)


def only(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def spans(text: str, findings: list[Finding]) -> list[str]:
    return [text[f.start : f.end] for f in findings]


# --- counting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        ("台灣小吃", 8),
        ("限時優惠！", 10),
        (f"買一送一 {LONG_URL}", 32),  # 4 × 2 + space + 23 for the link
        ("🍜", 2),
        ("中" * 140, 280),
        ("Hello 世界", 10),  # 5 + 1 + 2 × 2
        ("“好”", 4),  # curly quotes U+201C/D weigh 1, 好 2
        ("「好」", 6),  # CJK brackets weigh 2
        (FAMILY, 2),  # ZWJ sequence: one emoji
        (FLAG, 2),
        (THUMB, 2),
        (KEYCAP, 2),
        ("❤️", 2),
        ("©", 1),  # text presentation, U+00A9 is in the weight-1 range
        ("e\u0301", 1),  # NFC makes it é
        ("見 shop.com.tw 吧", 2 + 1 + 23 + 1 + 2),  # a bare domain is a link too
        (f"網址{LONG_URL}。", 4 + 23 + 2),  # link right after CJK, 。 not part of it
    ],
)
def test_x_weighted_length(text: str, weighted: int) -> None:
    assert x_weighted_length(text) == weighted


def test_x_limit_140_cjk_valid_141_not() -> None:
    assert only(check("中" * 140, "x_post", DEFAULT_RULES), "length") == []
    text = "台" * 141
    [finding] = only(check(text, "x_post", DEFAULT_RULES), "length")
    assert (finding.start, finding.end) == (140, 141)
    assert finding.severity == "error" and finding.rule == "x_post"
    assert "282 of 280" in message(finding)


def test_x_link_past_the_limit_is_the_span() -> None:
    text = "中" * 135 + " " + LONG_URL  # 270 + 1 + 23 = 294
    [finding] = only(check(text, "x_post", DEFAULT_RULES), "length")
    assert text[finding.start : finding.end] == LONG_URL
    assert "294 of 280" in message(finding)


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("台灣小吃限時優惠", 16),
        ("Taiwan 小吃 50% OFF！", 6 + 1 + 4 + 1 + 3 + 1 + 3 + 2),
        ("（限量）、。", 12),  # full-width punctuation is W or F
        ("🍜", 2),
        (FAMILY, 2),
        (FLAG, 2),
        (KEYCAP, 2),
        ("©", 1),
        ("e\u0301", 1),
        ("ｶﾀｶﾅ", 4),  # half-width katakana: H, 1 each
    ],
)
def test_google_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


def test_google_headline_limit_and_span() -> None:
    fits = "台灣小吃限時優惠買一送一今天最"  # 15 CJK = 30
    assert only(check(fits, "google_ads_headline", DEFAULT_RULES), "length") == []
    text = "ABC" + "台灣小吃限時優惠買一送一今天"  # 3 + 14 × 2 = 31
    [finding] = only(check(text, "google_ads_headline", DEFAULT_RULES), "length")
    assert (finding.start, finding.end) == (16, 17)
    assert text[finding.start :] == "天"
    assert (
        message(finding)
        == "Too long for Google Ads headline: 31 of 30 (full-width characters and emoji count 2)."
    )


def test_google_counts_each_line_as_one_asset() -> None:
    text = "台灣小吃\n" + "限時優惠" * 4 + "\r\n牛肉麵🍜"
    findings = only(check(text, "google_ads_headline", DEFAULT_RULES), "length")
    [finding] = findings
    assert text[finding.start : finding.end] == "惠"  # 16th character of line 2 → 32
    assert "line 2" in message(finding) and "32 of 30" in message(finding)
    assert measure(text, "google_ads_headline") == 32
    description = "好" * 46  # 92 of 90
    [long] = only(check(description, "google_ads_description", DEFAULT_RULES), "length")
    assert (long.start, long.end) == (45, 46)


def test_emoji_is_not_split_by_the_span() -> None:
    text = "好" * 14 + FAMILY  # 28 + 2 = 30 fits
    assert only(check(text, "google_ads_headline", DEFAULT_RULES), "length") == []
    text = "好" * 15 + FAMILY  # 32
    [finding] = only(check(text, "google_ads_headline", DEFAULT_RULES), "length")
    assert text[finding.start : finding.end] == FAMILY


def test_facebook_hard_limit_in_utf16_and_see_more_warning() -> None:
    assert only(check("a" * 63_206, "facebook_post", DEFAULT_RULES), "length")[0].severity == (
        "warning"  # only "See more"
    )
    text = "a" * 63_205 + "🍎"  # 63,207 UTF-16 code units
    hard = [
        f
        for f in only(check(text, "facebook_post", DEFAULT_RULES), "length")
        if f.severity == "error"
    ]
    [finding] = hard
    assert text[finding.start : finding.end] == "🍎"
    assert "63,207 of 63,206" in message(finding)


def test_facebook_see_more_counts_grapheme_clusters() -> None:
    assert check("好" * 125, "facebook_post", DEFAULT_RULES) == []
    text = FAMILY * 126
    [preview] = check(text, "facebook_post", DEFAULT_RULES)
    assert preview.severity == "warning" and preview.rule == "facebook_post:see_more"
    assert preview.start == 125 * len(FAMILY) and text[preview.start : preview.end] == FAMILY
    assert "126" in message(preview) and "125" in message(preview)


def test_instagram_caption_and_hashtags() -> None:
    text = "好" * 2199 + "🍎"  # 2,201 UTF-16 code units
    [finding] = only(check(text, "instagram_caption", DEFAULT_RULES), "length")
    assert text[finding.start : finding.end] == "🍎"
    assert only(check("好" * 2200, "instagram_caption", DEFAULT_RULES), "length") == []

    tags = " ".join(f"#美食{i}" for i in range(31))
    [too_many] = only(check(tags, "instagram_caption", DEFAULT_RULES), "hashtags")
    assert tags[too_many.start : too_many.end] == "#美食30"
    assert "31 hashtags, at most 30" in message(too_many)
    thirty = " ".join(f"#美食{i}" for i in range(30))
    assert only(check(thirty, "instagram_caption", DEFAULT_RULES), "hashtags") == []

    five = rules_from_toml("instagram_hashtag_limit = 5")
    text = "#台北美食 #牛肉麵 #ＬＩＮＥ #a_b ＃全形 #第六 C#語言 https://a.tw/#frag"
    [finding] = only(check(text, "instagram_caption", five), "hashtags")
    assert text[finding.start : finding.end] == "#第六"  # C# and the URL fragment are not tags


def test_line_message_counts_utf16() -> None:
    assert utf16_length("🍎") == 2
    assert check("🍎" * 2500, "line_message", DEFAULT_RULES) == []
    text = "🍎" * 2500 + "a"
    [finding] = check(text, "line_message", DEFAULT_RULES)
    assert (finding.start, finding.end) == (2500, 2501)
    assert "5,001 of 5,000" in message(finding)


def test_blog_none_and_unknown_channel() -> None:
    huge = "台灣小吃" * 20_000
    assert only(check(huge, "blog", DEFAULT_RULES), "length") == []
    assert only(check(huge, None, DEFAULT_RULES), "length") == []
    with pytest.raises(ValueError, match="unknown channel 'tiktok'"):
        check("好", "tiktok", DEFAULT_RULES)
    with pytest.raises(ValueError, match="unknown channel"):
        measure("好", "tiktok")


def test_grapheme_count() -> None:
    assert grapheme_count(f"台灣{FAMILY}{FLAG}{THUMB}{KEYCAP}e\u0301") == 7


# --- glossary -------------------------------------------------------------------------

BRAND = rules_from_toml(
    """
[[glossary]]
preferred = "LINE 官方帳號"
forbidden = ["LINE@", "Line 官方帳號"]

[[glossary]]
preferred = "iPhone"
forbidden = ["iphone", "I phone"]

[[glossary]]
preferred = "麥香烘焙坊"
forbidden = ["麥香麵包店", "Line"]
"""
)


def test_glossary_forbidden_variant_any_case() -> None:
    text = "加入我們的 line@ 好友，用 IPHONE 或 i PHONE 掃描。"
    findings = only(check(text, None, BRAND), "glossary")
    assert spans(text, findings) == ["line@", "IPHONE", "i PHONE"]
    assert [f.replacement for f in findings] == ["LINE 官方帳號", "iPhone", "iPhone"]
    assert findings[0].rule == "LINE@" and findings[0].severity == "error"
    assert message(findings[0]) == "Brand glossary: write “LINE 官方帳號”, not “line@”."


def test_glossary_negative() -> None:
    text = "加入 LINE 官方帳號，用 iPhone 掃描。Online 訂購麥香烘焙坊麵包。"
    assert only(check(text, None, BRAND), "glossary") == []


def test_glossary_chinese_variant() -> None:
    text = "歡迎光臨麥香麵包店！"
    [finding] = only(check(text, None, BRAND), "glossary")
    assert text[finding.start : finding.end] == "麥香麵包店"
    assert "請寫「麥香烘焙坊」" in message(check(text, None, BRAND)[0], "zh-hant")


# --- risky claims ---------------------------------------------------------------------


FOOD = rules_from_toml('product_category = "food"')
COSMETICS = rules_from_toml('product_category = "cosmetics"')


def test_risky_claims_with_alternatives_and_severity() -> None:
    text = "本產品可治失眠、防止便秘，還能美白與減肥。"
    findings = only(check(text, None, FOOD), "risky_claim")
    assert spans(text, findings) == ["治失眠", "防止便秘", "美白", "減肥"]
    assert [f.replacement for f in findings] == ["幫助入睡", "使排便順暢", "養顏美容", ""]
    assert [f.severity for f in findings] == ["error"] * 4  # food: all four are illegal
    assert "allowed wording: “幫助入睡”" in message(findings[0])
    assert "art. 28(2)" in message(findings[0])  # medical efficacy
    assert "art. 28(1)" in message(findings[2])  # appearance: exaggerated or misleading
    zh = message(findings[0], "zh-hant")
    assert "醫療效能" in zh and "幫助入睡" in zh


def test_severity_follows_the_product_category() -> None:
    text = "改善細紋，抗癌配方"
    unknown = only(check(text, None, DEFAULT_RULES), "risky_claim")
    assert [f.severity for f in unknown] == ["warning", "warning"]  # nobody said what it is
    assert "say what the product is" in message(unknown[0])
    cosmetic = only(check(text, None, COSMETICS), "risky_claim")
    assert [f.severity for f in cosmetic] == ["warning", "error"]  # appearance / medical
    assert "Cosmetic Hygiene and Safety Act art. 10(2)" in message(cosmetic[1])


# Illegal in food advertising, as published by Taiwan's health authorities (認定基準
# example lists; city health bureaus' 2025–2026 notices of fined advertisements).
ILLEGAL = [
    "本產品可預防感冒",
    "每天一包增強免疫力",
    "有助於改善高血壓、高血脂、膽固醇、偏頭痛、胃食道逆流",
    "預防骨質疏鬆，補鈣首選",
    "抗癌防老的好幫手",
    "改善糖尿病、穩定血糖",
    "預防黃斑部病變",
    "告別白內障及青光眼",
    "降低癌症指數",
    "根治多年的咳嗽問題",
    "感冒剋星",
    "提升代謝，燃燒脂肪",
    "補腎養肝，活血化瘀",
    "解肝毒、降肝脂",
    "消腫止痛，祛痰止喘",
    "增強記憶力，補腦聖品",
    "清除自由基，排毒素",
    "豐胸、增高、減肥、塑身",
    "延緩衰老，使頭髮烏黑",
    "立即見效，無副作用",
    "預防心臟血管疾病",
    "可降低體內膽固醇，防止血管硬化",
    "抑制脂肪吸收、促進脂肪分解",
    "预防感冒，增强免疫力",  # simplified: matched through its Taiwan form
]

# The wording the rules name as usually acceptable, and sentences that deny a claim.
PERMITTED = [
    "幫助牙齒骨骼正常發育、幫助消化、幫助維持消化道機能、改變細菌叢生態、使排便順暢",
    "調整體質、調節生理機能、滋補強身、增強體力、精神旺盛、養顏美容、幫助入睡",
    "營養補給、健康維持、青春美麗、產前產後或病後之補養、促進新陳代謝、清涼解渴",
    "生津止渴、促進食慾、開胃、退火、降火氣、使口氣芬芳、促進唾液分泌、潤喉",
    "保濕、滋潤、防止肌膚粗糙、舒緩肌膚乾燥、清潔毛孔髒汙、使頭髮柔順富彈性",
    "本產品為一般食品，不具療效，無法治療或預防疾病。",
    "我們改善了包裝設計，並降低售價回饋顧客。",
    "中秋禮盒限時預購，每盒 NT$880，冷藏保存七天。",
]


@pytest.mark.parametrize("text", ILLEGAL)
def test_published_illegal_claims_are_errors_for_food(text: str) -> None:
    findings = only(check(text, None, FOOD), "risky_claim")
    assert findings and {f.severity for f in findings} == {"error"}, text


@pytest.mark.parametrize("text", PERMITTED)
def test_permitted_wording_is_clean(text: str) -> None:
    assert only(check(text, None, FOOD), "risky_claim") == []


def test_a_claim_lists_every_condition_it_names() -> None:
    text = "有助於改善高血壓、高血脂、膽固醇"
    [finding] = only(check(text, None, FOOD), "risky_claim")
    assert text[finding.start : finding.end] == "改善高血壓、高血脂、膽固醇"


def test_claims_lexicon_rejects_a_broken_file() -> None:
    with pytest.raises(ValueError, match=r"kinds\.medical is missing"):
        lexicon_from_toml("[kinds]")


def test_allowed_wording_is_not_flagged() -> None:
    text = "幫助入睡、使排便順暢、調整體質、養顏美容、幫助消化、滋補強身。"
    assert only(check(text, None, FOOD), "risky_claim") == []


def test_longest_claim_wins() -> None:
    text = "獨家配方增強淋巴引流"
    [finding] = only(check(text, None, DEFAULT_RULES), "risky_claim")
    assert finding.rule == "增強淋巴引流" and text[finding.start : finding.end] == "增強淋巴引流"


def test_health_food_claim_is_a_suggestion_with_a_permit_number() -> None:
    claim = "榮獲健康食品認證，調節血脂"
    assert {f.severity for f in only(check(claim, None, DEFAULT_RULES), "risky_claim")} == {
        "warning"
    }
    permitted = claim + "（衛部健食字第A00123號）"
    severities = {f.severity for f in only(check(permitted, None, DEFAULT_RULES), "risky_claim")}
    assert severities == {"suggestion"}


def test_disclaimer_is_there() -> None:
    assert "not legal advice" in disclaimer("en")
    assert "不構成法律意見" in disclaimer("zh-hant")


# --- vocabulary -----------------------------------------------------------------------

TAIWAN_TEXT = (
    "我們在台灣、臺北和台中都有門市，裏面座位很舒服。別着急，也別著急，於是我們決定在舞台上辦活動，"
    "峯會、羣組、衆人都來了，爲了大家，我們準備喫的。週末公布祕密活動，歡迎家具業者參加；"
    "本店不賣香菸，綫上報名請點選下方連結。干擾里長的皇后只有一隻貓。"
)


def test_taiwan_text_gives_no_vocabulary_finding() -> None:
    assert check(TAIWAN_TEXT, "facebook_post", DEFAULT_RULES) == []


def test_simplified_characters() -> None:
    text = "這个软件真好，质感一流。"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    by_span = {text[f.start : f.end]: f for f in findings}
    assert by_span["个"].replacement == "個" and by_span["个"].severity == "error"
    assert by_span["质"].replacement == "質"
    assert by_span["软件"].replacement == "軟體"  # the mainland term covers 软 too
    assert "软" not in by_span
    assert message(by_span["个"]) == "Simplified characters “个”; Traditional: “個”."


def test_neighbouring_simplified_characters_are_one_span() -> None:
    text = "这个问题！欢迎光临"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["这个问题", "欢", "临"]  # 迎 and 光 are both scripts'
    assert [f.replacement for f in findings] == ["這個問題", "歡", "臨"]


def test_phrase_level_errors() -> None:
    text = "關于我們：以后在這里吃泡面。"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["于", "后", "里", "面"]
    assert [f.replacement for f in findings] == ["於", "後", "裡", "麵"]
    assert all(f.severity == "error" for f in findings)


def test_mainland_vocabulary_errors() -> None:
    text = "下載軟件看視頻，更多信息請上網絡，或用打印機。"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["軟件", "視頻", "信息", "網絡", "打印機"]
    assert [f.replacement for f in findings] == ["軟體", "影片", "資訊", "網路", "印表機"]
    assert all(f.severity == "error" for f in findings)
    zh = check("軟件", None, DEFAULT_RULES)[0]
    assert message(zh, "zh-hant") == "「軟件」是中國大陸用語，臺灣說「軟體」。"


def test_adjacent_mainland_terms_are_separate() -> None:
    text = "軟件視頻"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["軟件", "視頻"]


def test_offsets_after_a_phrase_that_changes_length() -> None:
    text = "用U盤存，再看視頻。U盤和內存"  # U盤 → 隨身碟, 內存 → 記憶體: longer
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["U盤", "視頻", "U盤", "內存"]
    assert [f.replacement for f in findings] == ["隨身碟", "影片", "隨身碟", "記憶體"]


def test_debatable_vocabulary_is_a_suggestion_and_configurable() -> None:
    text = "點擊這裡看數據分析與項目進度。"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    # 數據 (statistics) and 項目 (items) are ordinary Taiwan words away from computing.
    assert spans(text, findings) == ["點擊"]
    assert [(f.replacement, f.severity) for f in findings] == [("點選", "suggestion")]
    strict = rules_from_toml("debatable_vocabulary = []")
    assert [f.severity for f in only(check(text, None, strict), "vocabulary")] == ["error"]


# Everyday Taiwan copy from product listings and landing pages: the words OpenCC's phrase
# table rewrites for their computing sense (shared/TAIWAN.md §5) are not errors here.
TAIWAN_EVERYDAY = [
    "保存環境：請置於陰涼乾燥處保存，開封後請冷藏。",
    "本產品不添加防腐劑、人工色素，食品添加物名稱：碳酸氫鈉。",
    "食品業者登錄字號：A-153000000-00000-0",
    "店內設備齊全，提供冷藏配送。",
    "支持在地小農，推動循環經濟與永續包裝。",
    "好消息！博客來獨家販售限量禮盒。",
    "申請文件請寄至服務處，服務項目詳見官網。",
    "根據統計數據，九成顧客回購；菜單每季更新。",
    "聲明：本活動主辦單位保留修改之權利，適用對象為會員。",
    "擴展海外通路，高級禮盒類型多元，字體設計由在地設計師操刀。",
]


@pytest.mark.parametrize("text", TAIWAN_EVERYDAY)
def test_everyday_taiwan_words_are_not_flagged(text: str) -> None:
    assert only(check(text, None, DEFAULT_RULES), "vocabulary") == []


def test_computing_sense_is_at_most_a_suggestion_near_computing_words() -> None:
    text = "在 App 裡打開設置，保存文件後登錄帳號。"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["打開", "設置", "保存", "文件", "登錄"]
    assert [f.replacement for f in findings] == ["開啟", "設定", "儲存", "檔案", "登入"]
    assert {f.severity for f in findings} == {"suggestion"}


def test_simplified_characters_get_taiwan_standard_forms() -> None:
    text = "我认为这里不错"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert "".join(f.replacement for f in findings) == "認為這裡錯"
    assert all("爲" not in f.replacement and "裏" not in f.replacement for f in findings)


def test_mainland_terms_opencc_misses() -> None:
    text = "質量保證，營銷渠道多元，充電寶點贊"
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert [(f.rule, f.replacement) for f in findings] == [
        ("質量", "品質"),
        ("營銷", "行銷"),
        ("渠道", "通路"),
        ("充電寶", "行動電源"),
        ("點贊", "按讚"),
    ]
    assert {f.severity for f in findings} == {"error"}


def test_brand_names_and_glossary_terms_are_never_flagged() -> None:
    rules = rules_from_toml('[[glossary]]\npreferred = "雲端數據中心"\nforbidden = []')
    text = "博客來書店與雲端數據中心"
    assert only(check(text, None, rules), "vocabulary") == []
    assert spans("到博客看看", only(check("到博客看看", None, rules), "vocabulary")) == ["博客"]


def test_vocabulary_offsets_in_mixed_text() -> None:
    text = (
        "🇹🇼 New! 限時 50% off 的软件 → https://a.tw/?utm_source=a&utm_medium=b&utm_campaign=c 视频"
    )
    findings = only(check(text, None, DEFAULT_RULES), "vocabulary")
    assert spans(text, findings) == ["软件", "视频"]


# --- disclosure -----------------------------------------------------------------------


def test_disclosure_only_when_sponsored() -> None:
    text = "新品上市，快來試試！"
    assert only(check(text, None, DEFAULT_RULES), "disclosure") == []
    [finding] = only(check(text, None, DEFAULT_RULES, sponsored=True), "disclosure")
    assert (finding.start, finding.end, finding.severity) == (0, 0, "error")
    assert finding.replacement == "廣告"


@pytest.mark.parametrize(
    "text", ["【業配】新品上市", "新品上市 #ad", "Sponsored: 新品", "本文與品牌合作"]
)
def test_disclosure_present(text: str) -> None:
    assert only(check(text, None, DEFAULT_RULES, sponsored=True), "disclosure") == []


def test_disclosure_words_are_whole_latin_words_and_configurable() -> None:
    assert only(check("新品 #adidas", None, DEFAULT_RULES, sponsored=True), "disclosure")
    rules = rules_from_toml('disclosure_words = ["#PR"]')
    assert only(check("#pr 新品", None, rules, sponsored=True), "disclosure") == []
    assert only(check("【業配】新品", None, rules, sponsored=True), "disclosure")


# --- utm ------------------------------------------------------------------------------


def test_utm_present_missing_and_replacement() -> None:
    good = "https://shop.example.com/p?utm_source=fb&utm_medium=social&utm_campaign=spring"
    assert only(check(f"看這裡 {good}", "facebook_post", DEFAULT_RULES), "utm") == []
    text = "看這裡（https://shop.example.com/p?utm_source=fb）。"
    [finding] = only(check(text, "facebook_post", DEFAULT_RULES), "utm")
    assert text[finding.start : finding.end] == "https://shop.example.com/p?utm_source=fb"
    assert finding.rule == "utm_medium,utm_campaign" and finding.severity == "warning"
    assert finding.replacement == (
        "https://shop.example.com/p?utm_source=fb&utm_medium=social&utm_campaign=CAMPAIGN"
    )


def test_utm_trailing_punctuation_and_empty_values() -> None:
    text = "Go to https://a.example.com/x?utm_source=&utm_medium=b. Then http://b.example.org!"
    findings = only(check(text, None, DEFAULT_RULES), "utm")
    assert spans(text, findings) == [
        "https://a.example.com/x?utm_source=&utm_medium=b",
        "http://b.example.org",
    ]
    assert findings[0].rule == "utm_source,utm_campaign"


def test_utm_exempt_domains_and_required_params() -> None:
    rules = rules_from_toml(
        'utm_exempt_domains = ["maixiang.com.tw"]\nutm_required = ["utm_campaign"]'
    )
    text = (
        "https://maixiang.com.tw/menu https://shop.maixiang.com.tw/a "
        "https://notmaixiang.com.tw/b https://x.example.com/?utm_campaign=c"
    )
    findings = only(check(text, None, rules), "utm")
    assert spans(text, findings) == ["https://notmaixiang.com.tw/b"]
    assert findings[0].rule == "utm_campaign"


# --- rules ----------------------------------------------------------------------------


def test_default_rules_round_trip_through_json() -> None:
    stored = json.loads(json.dumps(rules_to_dict(DEFAULT_RULES), ensure_ascii=False))
    assert rules_from_dict(stored) == DEFAULT_RULES
    assert rules_from_dict(stored, Rules()) == DEFAULT_RULES  # a full dict needs no base
    assert rules_from_dict({}) == DEFAULT_RULES


def test_toml_layers_over_the_defaults() -> None:
    rules = rules_from_toml(
        """
instagram_hashtag_limit = 5
drop_risky_claims = ["殺菌"]

[[glossary]]
preferred = "麥香"
forbidden = ["麦香"]

[[extra_risky_claims]]
phrase = "一週瘦五公斤"
category = "slimming"
severity = "error"
"""
    )
    assert rules.instagram_hashtag_limit == 5
    assert rules.glossary == (GlossaryTerm("麥香", ("麦香",)),)
    assert [c.phrase for c in rules.risky_claims] == ["一週瘦五公斤"]
    assert rules.dropped_claims == ("殺菌",) and rules.builtin_claims
    assert rules.disclosure_words == DEFAULT_RULES.disclosure_words
    [finding] = only(check("保證一週瘦五公斤", None, rules), "risky_claim")
    assert finding.severity == "error" and "slimming" in message(finding)
    # The built-in claims still run, less the dropped one.
    found = [f.rule for f in only(check("殺菌配方，可治失眠", None, rules), "risky_claim")]
    assert found == ["治失眠"]


def test_toml_replaces_the_claims_and_turns_checks_off() -> None:
    rules = rules_from_toml(
        'checks = ["risky_claim"]\n[[risky_claims]]\nphrase = "最便宜"\ncategory = "price"'
    )
    text = "全台最便宜！治失眠的软件"
    findings = check(text, "x_post", rules, sponsored=True)
    assert [(f.code, f.rule, f.severity) for f in findings] == [
        ("risky_claim", "最便宜", "warning")
    ]


@pytest.mark.parametrize(
    ("toml", "reason"),
    [
        ("checks = [", "invalid TOML"),
        ("instagram_hashtag_limit = 'five'", "instagram_hashtag_limit must be a whole number"),
        ("instagram_hashtag_limit = true", "instagram_hashtag_limit must be a whole number"),
        ("disclosure_words = '廣告'", "disclosure_words must be a list of strings"),
        ("glossary = ['麥香']", "glossary must be a list of tables"),
        ("[[glossary]]\npreferred = '麥香'", r"glossary\[0\]\.forbidden must be a list"),
        ("[[extra_risky_claims]]\ncategory = 'x'", r"extra_risky_claims\[0\]\.phrase is missing"),
        ("[[extra_risky_claims]]\nphrase = 'x'\nseverity = 'fatal'", "severity must be one of"),
        ("colour = 'red'", "unknown key 'colour'"),
        ("checks = ['spelling']", "unknown check 'spelling'"),
    ],
)
def test_bad_rules_give_a_one_line_reason(toml: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as raised:
        rules_from_toml(toml)
    assert "\n" not in str(raised.value)


# --- findings and speed ---------------------------------------------------------------


def test_findings_are_frozen_bilingual_and_in_text_order() -> None:
    text = "软件 https://a.example.com 治失眠"
    findings = check(text, "x_post", DEFAULT_RULES, sponsored=True)
    assert [f.code for f in findings] == ["disclosure", "vocabulary", "utm", "risky_claim"]
    first = findings[1]
    assert message(first, "en") == "Mainland term “软件”; Taiwan says “軟體”."
    assert message(first, "zh-hant") == "「软件」是中國大陸用語，臺灣說「軟體」。"
    with pytest.raises(AttributeError):
        first.start = 3  # type: ignore[misc]
    # As stored with an item (JSON), a finding reads the same in either language.
    stored = json.loads(json.dumps([asdict(f) for f in findings]))
    for language in ("en", "zh-hant"):
        assert [message(f, language) for f in findings] == [
            finding_message(f, language) for f in stored
        ]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"台灣臺北软件視頻關于U盤數據這个里面后 #ad！。，abcXYZ12/:.?=&\n",
                *(FAMILY, FLAG, THUMB, KEYCAP, "https://a.example.com/x?utm_source=s ", "e\u0301"),
            ]
        ),
        max_size=60,
    ).map("".join),
    st.sampled_from(["google_ads_headline", "x_post", "facebook_post", "instagram_caption"]),
)
def test_every_span_lies_in_the_text(text: str, channel: str) -> None:
    for finding in check(text, channel, BRAND, sponsored=True):
        assert 0 <= finding.start <= finding.end <= len(text)
        if finding.code == "vocabulary":
            assert text[finding.start : finding.end] == finding.rule
