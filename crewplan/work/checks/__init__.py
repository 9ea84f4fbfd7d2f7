"""Automated content checks for Taiwan Traditional Chinese marketing copy (pure, no Django).

`check(text, channel, rules, sponsored=..., language=...)` returns findings, each with a
stable `code`, the `rule` that fired (the forbidden variant, the claim, the channel…),
a `severity` ("error", "warning" or "suggestion"), the offending span as Python str
offsets into `text` (`text[start:end]`, end exclusive), a message that states the
numbers in English or Traditional Chinese (`language` "en" or "zh-hant"; any "zh…"
counts as Chinese), both kept in `message_en` / `message_zh_hant` for the UI, and a
suggested `replacement` (or "").

Finding codes (stable) and their severity:

- `glossary` (error): a forbidden variant of a brand term; Latin letters match in any
  case. rule: the variant; replacement: the preferred term.
- `risky_claim` (per claim): a phrase of the risky-claims list. rule: the phrase;
  replacement: the allowed wording where one is known.
- `length` (error): past the channel's limit, the span being what lies beyond it; a
  warning past the 125 characters Facebook shows before "See more". rule: the channel.
- `hashtags` (error): more Instagram hashtags than `instagram_hashtag_limit`, the span
  running from the first one too many. rule: the channel.
- `vocabulary` (error; suggestion for debatable terms): simplified characters,
  non-Taiwan phrases and mainland vocabulary. rule: the text found.
- `disclosure` (error): `sponsored=True` and none of the disclosure words; span 0, 0.
- `utm` (warning): an http(s) link without every required utm_* parameter. rule: the
  missing parameters; replacement: the link with them added.

The risky-claims list is **a starting point, not legal advice** (`CLAIMS_DISCLAIMER`):
seed phrases from Taiwan's food, health food, cosmetics, medical device and Fair Trade
rules as summarised in shared/TAIWAN.md §1 (partly from the 2012 predecessor of the
current food 準則 and from secondary copies); authorities judge the overall impression
of an ad, so an empty result proves nothing.

Channels and how they count (`CHANNELS`):

- `google_ads_headline` 30 and `google_ads_description` 90, per line, in display
  width: East-Asian-Width W and F count 2, emoji 2, everything else 1.
- `facebook_post` 63,206 UTF-16 code units; a warning past 125 grapheme clusters, the
  text shown before "See more".
- `instagram_caption` 2,200 UTF-16 code units, and at most `instagram_hashtag_limit`
  hashtags (default 30).
- `x_post` 280, weighted like twitter-text v3 (below).
- `line_message` 5,000 UTF-16 code units (🍎 = 2), as the LINE Messaging API documents.
- `blog` and `other`: no limit.

- Google Ads checks each line as one asset (a file may hold all 15 headlines). Width
  comes from `unicodedata.east_asian_width` (Unicode 15.0 on Python 3.12), so CJK and
  full-width punctuation (！，。（）) count 2 and half-width Latin, digits and ambiguous
  (A) characters 1; an emoji grapheme cluster counts 2 as a whole; combining marks and
  format characters (ZWJ, variation selectors) add nothing of their own.
- X: twitter-text v3 (`maxWeightedTweetLength` 280, `scale` 100, `defaultWeight` 200,
  `transformedURLLength` 23, emoji parsing on). Code points in U+0000–10FF,
  U+2000–200D, U+2010–201F and U+2032–2037 weigh 1, all others 2 (so CJK and full-width
  punctuation count 2), after NFC normalisation; a link counts 23 whatever its length;
  an emoji counts 2 however many code points it has (ZWJ sequences, flags, skin tones,
  keycaps). Links are http(s) URLs plus bare domains ending in a common TLD
  (`www.shop.com.tw`, `shop.tw/sale`); twitter-text's full TLD list is not copied, so a
  bare domain on an exotic TLD counts its characters instead of 23.
- Facebook and Instagram do not document their unit. Their apps hold text as UTF-16
  strings, and UTF-16 code units are never fewer than code points or grapheme
  clusters, so the check may warn a little early on emoji-heavy text but never passes
  text the platform will cut. Instagram's hashtag cap is 30 in the sources checked;
  newer third-party API docs say 5, so it is a rule value.
- Grapheme clusters (user-perceived characters) are Unicode extended grapheme clusters
  from the `regex` module's `\\X` (its Unicode tables may be newer than Python's).
  An emoji is a cluster that holds a regional-indicator pair, a keycap (U+20E3), or
  starts with an Extended_Pictographic code point in emoji presentation (by default or
  with U+FE0F, a modifier or a ZWJ); © or ™ without U+FE0F is text, not emoji.
- Offsets are Python str offsets (code points), never UTF-16 or bytes; a length span
  always starts on a grapheme cluster boundary, so it never splits an emoji.

Vocabulary (shared/TAIWAN.md §5, OpenCC 1.4 configs s2t, s2tw, tw2s, s2twp), over runs
of letters, digits and marks that contain Han characters:

1. Simplified characters: a character that `s2t` changes and cp950 cannot encode
   (这个软视频质发络; not 台/于/后/里/面/周/干/只, valid in both scripts). Error,
   replacement Taiwan's standard form (`s2tw`: 认为 → 認為, never 認爲); neighbouring
   ones are reported as one span.
2. Phrase-level errors (關于 → 關於, 以后 → 以後, 一只 → 一隻): characters that `s2tw`
   changes, when the round trip `s2tw(tw2s(x))` agrees (this keeps 干擾 and 里長, which
   `s2tw` alone gets wrong) and the change is not a pair Taiwan uses both ways
   (`TAIWAN_VARIANTS`: 台/臺, 裏/裡, 着/著, 峯, 羣, 衆, 爲, 喫, 菸, 綫, 周/週, 布/佈, 祕/秘 …).
   Error.
3. Mainland vocabulary: where `s2twp(tw2s(x))` differs from `s2tw(tw2s(x))` (the Taiwan
   phrase table alone: 軟件 → 軟體, 視頻 → 影片, 信息 → 資訊, 網絡 → 網路). Error, but a
   suggestion for `debatable_vocabulary`, terms Taiwan uses too (點擊, 用戶, 聯繫 …).
   Words the table rewrites for their computing sense only (`COMPUTING_SENSE_TERMS`:
   保存, 添加, 登錄, 設備, 支持, 循環, 優化, 消息, 文件, 數據, 項目 …), which Taiwan writes
   daily in their ordinary sense, are never errors: a suggestion when a computing word
   (`COMPUTING_CUES`: App, 軟體, 檔案, 帳號, 網站 …) stands within `COMPUTING_WINDOW`
   characters, else nothing. OpenCC misses some mainland terms: `MAINLAND_TERMS` (質量
   for quality, 營銷, 渠道, 充電寶, 點贊 …) are errors too.
4. Never flagged: known names (`PROPER_NOUNS`: 博客來 holds 博客) and the preferred
   terms of the workspace's glossary.
Phrase conversions change lengths (U盤 → 隨身碟), so spans are aligned with
difflib.SequenceMatcher and grown to the smallest window OpenCC converts on its own.

Rules file (TOML, `rules_from_toml`), layered over `DEFAULT_RULES`; every key is
optional and replaces the default (`[[risky_claims]]` replaces the whole list), except
`extra_risky_claims` (adds) and `drop_risky_claims` (removes by phrase). Bad TOML, a
wrong type or an unknown key raises ValueError with a one-line reason. The same keys,
as JSON, are what `rules_from_dict` layers; `rules_to_dict` writes every key, so store
only a workspace's own keys if it should follow future default lists::

    checks = ["glossary", "risky_claim", "length", "hashtags", "vocabulary", "disclosure", "utm"]
    disclosure_words = ["廣告", "合作", "贊助", "業配", "#ad", "sponsored"]
    utm_required = ["utm_source", "utm_medium", "utm_campaign"]
    utm_exempt_domains = ["maixiang.com.tw"]    # and its subdomains
    debatable_vocabulary = ["數據", "項目", "程序", "點擊"]
    instagram_hashtag_limit = 5
    drop_risky_claims = ["殺菌"]

    [[glossary]]
    preferred = "LINE 官方帳號"
    forbidden = ["LINE@", "Line 官方帳號"]

    [[extra_risky_claims]]
    phrase = "一週瘦五公斤"
    category = "slimming"          # a known category or any word of your own
    severity = "error"             # error / warning / suggestion; default warning
    alternative = ""               # the allowed wording, if there is one

Cost: a pass or two of `\\X` and a few regex scans, plus five OpenCC calls on the joined
Han runs: 2–4 ms for a clean 2,000-character post, about 6 ms when it has 250 findings,
once the converters are loaded (0.15 s, once per process; they are cached at module
level, as are the compiled term patterns and per-cluster weights).
"""

import difflib
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import opencc
import regex

from crewplan.work import claims

ERROR = "error"
WARNING = "warning"
SUGGESTION = "suggestion"
SEVERITIES = (ERROR, WARNING, SUGGESTION)

CHECKS = ("glossary", "risky_claim", "length", "hashtags", "vocabulary", "disclosure", "utm")

CLAIMS_DISCLAIMER = {
    "en": "The risky-claims list is a starting point, not legal advice.",
    "zh-hant": "風險宣稱清單僅供起點參考，不構成法律意見。",
}


# --- findings -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    rule: str
    severity: str
    start: int
    end: int
    message: str  # in the language asked for
    replacement: str = ""
    message_en: str = ""
    message_zh_hant: str = ""

    def message_in(self, language: str) -> str:
        return self.message_zh_hant if _is_chinese(language) else self.message_en


def _is_chinese(language: str) -> bool:
    return language.lower().startswith("zh")


TEXTS: dict[str, tuple[str, str]] = {
    "length": (
        "Too long for {channel}{line}: {count} of {limit} ({unit}).",
        "超過{channel}的長度上限{line}：{count}／{limit}（{unit}）。",
    ),
    "preview": (
        "{channel}: only the first {limit} characters show before “See more”; this has {count}.",
        "{channel}：「查看更多」前只顯示前 {limit} 個字，這段有 {count} 個字。",
    ),
    "hashtags": (
        "{channel}: {count} hashtags, at most {limit}.",
        "{channel}：有 {count} 個主題標籤，上限 {limit} 個。",
    ),
    "glossary": (
        "Brand glossary: write “{preferred}”, not “{found}”.",
        "品牌用語：請寫「{preferred}」，不要寫「{found}」。",
    ),
    "claim_alternative": (
        "Risky claim “{found}” ({category}); allowed wording: “{alternative}”.",
        "有風險的宣稱「{found}」（{category}）；可改用「{alternative}」。",
    ),
    "claim": (
        "Risky claim “{found}” ({category}); remove it or have it reviewed.",
        "有風險的宣稱「{found}」（{category}）；請刪除或送審確認。",
    ),
    "claim_rule_alternative": (
        "Risky claim “{found}”: {kind} ({law}); allowed wording: “{alternative}”.",
        "有風險的宣稱「{found}」：{kind}（{law}）；可改用「{alternative}」。",
    ),
    "claim_rule": (
        "Risky claim “{found}”: {kind} ({law}); remove it or have it reviewed.",
        "有風險的宣稱「{found}」：{kind}（{law}）；請刪除或送審確認。",
    ),
    "simplified": (
        "Simplified characters “{found}”; Traditional: “{replacement}”.",
        "簡體字「{found}」，正體為「{replacement}」。",
    ),
    "phrase": (
        "“{found}” is not written this way in Taiwan; write “{replacement}”.",
        "「{found}」不是臺灣的寫法，請寫「{replacement}」。",
    ),
    "mainland": (
        "Mainland term “{found}”; Taiwan says “{replacement}”.",
        "「{found}」是中國大陸用語，臺灣說「{replacement}」。",
    ),
    "debatable": (
        "“{found}” is used in Taiwan too, but “{replacement}” is more usual.",
        "「{found}」在臺灣也有人用，但「{replacement}」較常見。",
    ),
    "disclosure": (
        "Sponsored content without a disclosure: add one of {words} where readers see it first.",
        "合作或業配內容沒有揭露：請在讀者第一眼看到的地方加上{words}其中之一。",
    ),
    "utm": (
        "Link without {missing}: {url}",
        "連結缺少 {missing}：{url}",
    ),
}


def _finding(
    code: str,
    text_key: str,
    *,
    rule: str,
    severity: str,
    span: tuple[int, int],
    language: str,
    replacement: str = "",
    values: Mapping[str, object] | None = None,
    zh_values: Mapping[str, object] | None = None,
) -> Finding:
    en, zh = TEXTS[text_key]
    en_text = en.format(**(values or {}))
    zh_text = zh.format(**{**(values or {}), **(zh_values or {})})
    return Finding(
        code=code,
        rule=rule,
        severity=severity,
        start=span[0],
        end=span[1],
        message=zh_text if _is_chinese(language) else en_text,
        replacement=replacement,
        message_en=en_text,
        message_zh_hant=zh_text,
    )


# --- rules ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    preferred: str
    forbidden: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskyClaim:
    phrase: str
    category: str
    severity: str = WARNING
    alternative: str = ""


# category: (English label, Chinese label); a custom category is shown as written.
CLAIM_CATEGORIES: dict[str, tuple[str, str]] = {
    "food_medical": (
        "food: medical efficacy, 食安法 §28(2)",
        "食品：醫療效能，食安法第 28 條第 2 項",
    ),
    "food_exaggeration": (
        "food: exaggerated or misleading function, 食安法 §28(1)",
        "食品：誇張或易生誤解的生理功能，食安法第 28 條第 1 項",
    ),
    "food_appearance": (
        "food: changes body appearance, 食安法 §28(1)",
        "食品：改變身體外觀，食安法第 28 條第 1 項",
    ),
    "health_food": (
        "health food: only with a 健康食品 permit and within its approved scope",
        "健康食品：須有健康食品許可證且不超出核准範圍",
    ),
    "cosmetics_exaggeration": (
        "cosmetics: false or exaggerated, 化粧品衛生安全管理法 §10(1)",
        "化粧品：虛偽或誇大，化粧品衛生安全管理法第 10 條第 1 項",
    ),
    "cosmetics_medical": (
        "cosmetics: medical efficacy, 化粧品衛生安全管理法 §10(2)",
        "化粧品：醫療效能，化粧品衛生安全管理法第 10 條第 2 項",
    ),
    "medical": (
        "medical efficacy only an approved drug or medical device may claim",
        "醫療效能，只有核准的藥品或醫療器材可以宣稱",
    ),
    "slimming": (
        "slimming or beauty claim misleading without medical evidence (公平會)",
        "瘦身美容宣稱，缺乏醫學證據易生誤解（公平會處理原則）",
    ),
}


DISCLOSURE_WORDS = ("廣告", "合作", "贊助", "業配", "#ad", "sponsored")
UTM_REQUIRED = ("utm_source", "utm_medium", "utm_campaign")
DEBATABLE_VOCABULARY = ("數據", "項目", "程序", "點擊", "文件", "用戶", "設置", "支持", "聯繫")

# Words OpenCC's Taiwan phrase table rewrites for their computing sense only, which Taiwan
# writes every day in their ordinary sense: 保存環境, 添加物, 食品業者登錄字號, 設備齊全,
# 支持在地小農, 循環經濟, 好消息, 申請文件, 服務項目, 統計數據, 菜單, 對象, 聲明, 類型...
# Never an error; a suggestion only when computing words stand near them (`COMPUTING_CUES`).
# fmt: off
COMPUTING_SENSE_TERMS = frozenset({
    "保存", "添加", "登錄", "設備", "支持", "循環", "優化", "消息", "文件", "數據", "項目",
    "程序", "社區", "菜單", "地址", "打開", "通信", "連接", "發佈", "發送", "查看", "查找",
    "性能", "集成", "實例", "對象", "訪問", "代碼", "信號", "數字", "高級", "高端", "局部",
    "聲明", "導入", "導出", "運行", "類型", "圖像", "字體", "創建", "擴展", "權限", "參數",
    "溢出", "屏蔽", "模擬", "映射", "範式", "宏", "進程", "調度", "交互", "實時", "組件",
    "卸載", "公元", "在線", "智能", "相冊", "圖庫", "批量", "默認", "缺省", "存儲", "截取",
    "剪切", "粘貼", "觸摸", "兼容", "刷新", "激活", "禁用", "註銷", "設置", "搜索", "插件",
    "壁紙", "隊列", "句柄", "回調", "綁定", "拷貝",
})
# Words around which those terms most likely mean their computing sense (within
# `COMPUTING_WINDOW` characters either side).
COMPUTING_CUES = (
    "電腦", "軟體", "軟件", "程式", "檔案", "網站", "網頁", "網路", "網絡", "系統", "手機",
    "帳號", "賬號", "帳戶", "按鈕", "點選", "下載", "安裝", "設定", "資料夾", "伺服器",
    "服務器", "瀏覽器", "密碼", "登入", "介面", "界面", "螢幕", "屏幕", "裝置", "硬碟",
    "雲端", "資料庫", "數據庫", "使用者", "滑鼠", "鼠標", "鍵盤", "版本", "選單", "後台",
    "後臺", "頁面", "表單", "欄位", "上傳", "網址", "郵件", "印表機", "藍牙", "視窗",
    "app", "ios", "android", "usb", "wi-fi", "wifi", "email", "e-mail", "cpu", "seo",
    "api", "html", "pc", "mac", "windows",
)
COMPUTING_WINDOW = 12
# Mainland terms the OpenCC tables miss, with the Taiwan word (質量 as "quality"; in
# physics it is mass, which marketing copy does not discuss).
MAINLAND_TERMS = {
    "質量": "品質", "營銷": "行銷", "充電寶": "行動電源", "點贊": "按讚", "點讚": "按讚",
    "靠譜": "可靠", "給力": "很棒", "立馬": "馬上", "外賣": "外送", "公交車": "公車",
    "渠道": "通路", "短視頻": "短影音",
}
# Names Taiwan readers know that contain such a term (博客來 holds 博客): never flagged,
# like the preferred terms of the workspace's glossary.
PROPER_NOUNS = ("博客來", "字節跳動", "數字王國")
# fmt: on


@dataclass(frozen=True, slots=True)
class Rules:
    glossary: tuple[GlossaryTerm, ...] = ()
    risky_claims: tuple[RiskyClaim, ...] = ()
    disclosure_words: tuple[str, ...] = DISCLOSURE_WORDS
    utm_required: tuple[str, ...] = UTM_REQUIRED
    utm_exempt_domains: tuple[str, ...] = ()  # a domain exempts its subdomains too
    debatable_vocabulary: tuple[str, ...] = DEBATABLE_VOCABULARY
    instagram_hashtag_limit: int = 30
    checks: tuple[str, ...] = CHECKS
    # What the workspace sells (claims.CATEGORIES); "" unknown: built-in claims warn.
    product_category: str = ""
    builtin_claims: bool = True  # the rule-based claims of claims.py
    dropped_claims: tuple[str, ...] = ()  # built-in claims ignored, by their words


DEFAULT_RULES = Rules()


def rules_to_dict(rules: Rules) -> dict[str, Any]:
    """Every key, so `rules_from_dict(rules_to_dict(r)) == r`; JSON-serialisable."""
    return {
        "checks": list(rules.checks),
        "glossary": [
            {"preferred": t.preferred, "forbidden": list(t.forbidden)} for t in rules.glossary
        ],
        "risky_claims": [
            {
                "phrase": c.phrase,
                "category": c.category,
                "severity": c.severity,
                "alternative": c.alternative,
            }
            for c in rules.risky_claims
        ],
        "disclosure_words": list(rules.disclosure_words),
        "utm_required": list(rules.utm_required),
        "utm_exempt_domains": list(rules.utm_exempt_domains),
        "debatable_vocabulary": list(rules.debatable_vocabulary),
        "instagram_hashtag_limit": rules.instagram_hashtag_limit,
        "product_category": rules.product_category,
        "builtin_claims": rules.builtin_claims,
        "drop_risky_claims": list(rules.dropped_claims),
    }


def rules_from_toml(text: str, base: Rules = DEFAULT_RULES) -> Rules:
    """A rules file (format in the module docstring) layered over `base`."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"invalid TOML: {error}".replace("\n", " ")) from None
    return rules_from_dict(data, base)


def rules_from_dict(data: Mapping[str, Any], base: Rules = DEFAULT_RULES) -> Rules:
    """The keys of `data` layered over `base`; ValueError with a one-line reason."""
    if not isinstance(data, Mapping):
        raise ValueError("rules must be a table of keys")
    unknown = sorted(set(data) - _RULE_KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}; known: {', '.join(sorted(_RULE_KEYS))}")
    changes: dict[str, Any] = {}
    if "checks" in data:
        checks = _strings(data, "checks")
        bad = [c for c in checks if c not in CHECKS]
        if bad:
            raise ValueError(f"checks: unknown check {bad[0]!r}; known: {', '.join(CHECKS)}")
        changes["checks"] = checks
    if "glossary" in data:
        changes["glossary"] = tuple(
            GlossaryTerm(
                preferred=_string(entry, "preferred", f"glossary[{i}]"),
                forbidden=_strings(entry, "forbidden", f"glossary[{i}]"),
            )
            for i, entry in enumerate(_tables(data, "glossary"))
        )
    for key in ("disclosure_words", "utm_required", "debatable_vocabulary"):
        if key in data:
            changes[key] = tuple(w for w in _strings(data, key) if w)
    if "utm_exempt_domains" in data:
        changes["utm_exempt_domains"] = tuple(
            d.strip().lower().removeprefix("www.") for d in _strings(data, "utm_exempt_domains")
        )
    if "instagram_hashtag_limit" in data:
        limit = data["instagram_hashtag_limit"]
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise ValueError("instagram_hashtag_limit must be a whole number of 0 or more")
        changes["instagram_hashtag_limit"] = limit
    if "product_category" in data:
        category = data["product_category"]
        if category not in ("", *claims.CATEGORIES):
            known = ", ".join(claims.CATEGORIES)
            raise ValueError(f"product_category must be one of {known} (or empty)")
        changes["product_category"] = category
    if "builtin_claims" in data:
        if not isinstance(data["builtin_claims"], bool):
            raise ValueError("builtin_claims must be true or false")
        changes["builtin_claims"] = data["builtin_claims"]
    own = base.risky_claims
    if "risky_claims" in data:
        # A list of one's own replaces the whole list, the built-in rules included.
        own = _claim_list(data, "risky_claims")
        changes.setdefault("builtin_claims", False)
    if "extra_risky_claims" in data:
        own = own + _claim_list(data, "extra_risky_claims")
    if "drop_risky_claims" in data:
        dropped = tuple(w for w in _strings(data, "drop_risky_claims") if w)
        own = tuple(c for c in own if c.phrase not in dropped)
        changes["dropped_claims"] = dropped
    changes["risky_claims"] = own
    return _replace(base, changes)


_RULE_KEYS = {
    "checks",
    "product_category",
    "builtin_claims",
    "glossary",
    "risky_claims",
    "extra_risky_claims",
    "drop_risky_claims",
    "disclosure_words",
    "utm_required",
    "utm_exempt_domains",
    "debatable_vocabulary",
    "instagram_hashtag_limit",
}


def _replace(rules: Rules, changes: Mapping[str, Any]) -> Rules:
    values = {name: getattr(rules, name) for name in Rules.__dataclass_fields__}
    values.update(changes)
    return Rules(**values)


def _string(table: Any, key: str, where: str = "", required: bool = True) -> str:
    label = f"{where}.{key}" if where else key
    if not isinstance(table, Mapping):
        raise ValueError(f"{where or key} must be a table")
    if key not in table:
        if required:
            raise ValueError(f"{label} is missing")
        return ""
    value = table[key]
    if not isinstance(value, str):
        raise ValueError(f"{label} must be a string")
    return value


def _strings(table: Any, key: str, where: str = "") -> tuple[str, ...]:
    label = f"{where}.{key}" if where else key
    if not isinstance(table, Mapping):
        raise ValueError(f"{where or key} must be a table")
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{label} must be a list of strings")
    return tuple(value)


def _tables(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ValueError(f"{key} must be a list of tables ([[{key}]] in TOML)")
    return value


def _claim_list(data: Mapping[str, Any], key: str) -> tuple[RiskyClaim, ...]:
    claims = []
    for i, entry in enumerate(_tables(data, key)):
        where = f"{key}[{i}]"
        unknown = sorted(set(entry) - {"phrase", "category", "severity", "alternative"})
        if unknown:
            raise ValueError(f"{where}: unknown key {unknown[0]!r}")
        phrase = _string(entry, "phrase", where)
        if not phrase:
            raise ValueError(f"{where}.phrase is empty")
        severity = _string(entry, "severity", where, required=False) or WARNING
        if severity not in SEVERITIES:
            raise ValueError(f"{where}.severity must be one of {', '.join(SEVERITIES)}")
        claims.append(
            RiskyClaim(
                phrase=phrase,
                category=_string(entry, "category", where, required=False) or "custom",
                severity=severity,
                alternative=_string(entry, "alternative", where, required=False),
            )
        )
    return tuple(claims)


# --- channels and counting ------------------------------------------------------------

DISPLAY_WIDTH = "display_width"
X_WEIGHTED = "x_weighted"
UTF16 = "utf16"
GRAPHEMES = "graphemes"

UNIT_TEXTS = {
    DISPLAY_WIDTH: ("full-width characters and emoji count 2", "全形字元與表情符號算 2"),
    X_WEIGHTED: (
        "as X counts: CJK, full-width punctuation and emoji 2, each link 23",
        "依 X 的算法：中日韓文字、全形標點與表情符號算 2，每個連結算 23",
    ),
    UTF16: (
        "UTF-16 code units: most emoji count 2, some more",
        "以 UTF-16 編碼單位計算：多數表情符號算 2，部分更多",
    ),
    GRAPHEMES: ("characters as readers see them", "以讀者看到的字數計算"),
}


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    label: tuple[str, str]  # English, Chinese
    limit: int | None
    unit: str = GRAPHEMES
    per_line: bool = False  # each line is one asset (Google Ads)
    preview: int | None = None  # shown before "See more", in grapheme clusters
    hashtags: bool = False  # subject to `Rules.instagram_hashtag_limit`


CHANNELS: dict[str, Channel] = {
    c.name: c
    for c in (
        Channel(
            "google_ads_headline",
            ("Google Ads headline", "Google Ads 標題"),
            30,
            DISPLAY_WIDTH,
            per_line=True,
        ),
        Channel(
            "google_ads_description",
            ("Google Ads description", "Google Ads 說明"),
            90,
            DISPLAY_WIDTH,
            per_line=True,
        ),
        Channel("facebook_post", ("Facebook post", "Facebook 貼文"), 63_206, UTF16, preview=125),
        Channel(
            "instagram_caption",
            ("Instagram caption", "Instagram 說明文字"),
            2_200,
            UTF16,
            hashtags=True,
        ),
        Channel("x_post", ("X post", "X 貼文"), 280, X_WEIGHTED),
        Channel("line_message", ("LINE message", "LINE 訊息"), 5_000, UTF16),
        Channel("blog", ("Blog or website", "部落格或網站"), None),
        Channel("other", ("Other", "其他"), None),
    )
}

_CLUSTER = regex.compile(r"\X")
_PICTOGRAPHIC = regex.compile(r"\p{Extended_Pictographic}")
_EMOJI_PRESENTATION = regex.compile(r"\p{Emoji_Presentation}")
_REGIONAL_INDICATOR = regex.compile(r"\p{Regional_Indicator}")
_EMOJI_MODIFIERS = frozenset("\U0001f3fb\U0001f3fc\U0001f3fd\U0001f3fe\U0001f3ff")
_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})

# twitter-text v3: code point ranges of weight 1 (all others weigh 2).
X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
X_MAX_WEIGHTED_LENGTH = 280
X_URL_WEIGHT = 23


def _is_emoji(cluster: str) -> bool:
    first = cluster[0]
    if len(cluster) == 1:
        return first >= "\u2000" and bool(_EMOJI_PRESENTATION.match(first))
    if _REGIONAL_INDICATOR.match(first):
        return True
    if "\u20e3" in cluster and first in "#*0123456789":
        return True
    if not _PICTOGRAPHIC.match(first):
        return False
    return (
        bool(_EMOJI_PRESENTATION.match(first))
        or "\ufe0f" in cluster
        or "\u200d" in cluster
        or cluster[1] in _EMOJI_MODIFIERS
    )


@lru_cache(maxsize=16384)
def _width(cluster: str) -> int:
    """Google's display width of one grapheme cluster."""
    if _is_emoji(cluster):
        return 2
    width = 0
    for char in cluster:
        if unicodedata.category(char) in _ZERO_WIDTH_CATEGORIES:
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return max(width, 1)


def _x_char_weight(char: str) -> int:
    point = ord(char)
    for low, high in X_LIGHT_RANGES:
        if low <= point <= high:
            return 1
    return 2


@lru_cache(maxsize=16384)
def _x_weight(cluster: str) -> int:
    if len(cluster) > 1 and _is_emoji(cluster):
        return 2
    return sum(_x_char_weight(c) for c in unicodedata.normalize("NFC", cluster))


@lru_cache(maxsize=16384)
def _utf16(cluster: str) -> int:
    return sum(2 if c > "\uffff" else 1 for c in cluster)


def _one(_cluster: str) -> int:
    return 1


_WEIGHTS: dict[str, Callable[[str], int]] = {
    DISPLAY_WIDTH: _width,
    X_WEIGHTED: _x_weight,
    UTF16: _utf16,
    GRAPHEMES: _one,
}


def _count(text: str, unit: str, limit: int | None = None) -> tuple[int, int | None]:
    """The count of `text` in `unit`, and the offset of the first grapheme cluster (or X
    link) that takes it past `limit`, None when it stays within."""
    weigh = _WEIGHTS[unit]
    links = _x_links(text) if unit == X_WEIGHTED else []
    total = 0
    over: int | None = None
    position = 0
    bound = limit if limit is not None else -1
    for link_start, link_end in [*links, (len(text), len(text))]:
        for cluster in _CLUSTER.findall(text, position, link_start):
            total += weigh(cluster)
            if over is None and total > bound >= 0:
                over = position
            position += len(cluster)
        if link_end > link_start:
            total += X_URL_WEIGHT
            if over is None and total > bound >= 0:
                over = link_start
        position = link_end
    return total, over


def display_width(text: str) -> int:
    """Google Ads width: East-Asian-Width W/F and emoji 2, everything else 1."""
    return _count(text, DISPLAY_WIDTH)[0]


def x_weighted_length(text: str) -> int:
    """The weighted length X's twitter-text v3 gives (280 is the limit)."""
    return _count(text, X_WEIGHTED)[0]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def grapheme_count(text: str) -> int:
    return len(_CLUSTER.findall(text))


def measure(text: str, channel: str) -> int:
    """The count `channel` limits (the longest line for Google Ads); ValueError if unknown."""
    spec = _channel(channel)
    if spec.per_line:
        return max((_count(line, spec.unit)[0] for line in _lines(text)), default=0)
    return _count(text, spec.unit)[0]


def _channel(name: str) -> Channel:
    try:
        return CHANNELS[name]
    except KeyError:
        raise ValueError(f"unknown channel {name!r}; known: {', '.join(CHANNELS)}") from None


def _lines(text: str) -> list[str]:
    return [m.group() for m in _LINE.finditer(text)]


_LINE = regex.compile(r"[^\r\n]+")


# --- links ----------------------------------------------------------------------------

_URL_TAIL = r"(?::\d{1,5})?(?:[/?#][A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%|]*)?"
_SCHEME_URL = regex.compile(
    r"(?i)(?<![A-Za-z0-9@$#＃])https?://[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*" + _URL_TAIL
)
_TLDS = (
    "com|net|org|info|biz|io|co|me|app|dev|ai|shop|store|online|site|xyz|tv|"
    "tw|jp|hk|cn|mo|sg|my|kr|us|uk|de|fr|au|ca"
)
_BARE_URL = regex.compile(
    r"(?i)(?<![A-Za-z0-9@$#＃.\-_/])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
    rf"(?:{_TLDS})(?![A-Za-z0-9\-])" + _URL_TAIL
)
_TRAILING = ".,:;!?'\"*"


def _trim_url(text: str, start: int, end: int) -> int:
    """Where a matched URL really ends: not on trailing punctuation or an unopened ')'."""
    while end > start:
        last = text[end - 1]
        url = text[start:end]
        unopened = (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        )
        if last in _TRAILING or unopened:
            end -= 1
        else:
            break
    return end


def http_links(text: str) -> list[tuple[int, int]]:
    """Spans of the http(s) URLs in `text`."""
    return [(m.start(), _trim_url(text, m.start(), m.end())) for m in _SCHEME_URL.finditer(text)]


def _x_links(text: str) -> list[tuple[int, int]]:
    links = http_links(text)
    taken = [False] * (len(text) + 1)
    for start, end in links:
        for i in range(start, end):
            taken[i] = True
    for m in _BARE_URL.finditer(text):
        if not taken[m.start()]:
            links.append((m.start(), _trim_url(text, m.start(), m.end())))
    return sorted(links)


# --- the checks -----------------------------------------------------------------------


def check(
    text: str,
    channel: str | None,
    rules: Rules,
    *,
    sponsored: bool = False,
    language: str = "en",
) -> list[Finding]:
    """Every finding on `text` for `channel` (None: no length check), in text order."""
    spec = _channel(channel) if channel is not None else None
    enabled = set(rules.checks)
    findings: list[Finding] = []
    if "glossary" in enabled:
        findings += _glossary_findings(text, rules.glossary, language)
    if "risky_claim" in enabled:
        findings += _claim_findings(text, rules, language)
    if spec is not None and "length" in enabled:
        findings += _length_findings(text, spec, language)
    if spec is not None and spec.hashtags and "hashtags" in enabled:
        findings += _hashtag_findings(text, spec, rules.instagram_hashtag_limit, language)
    if "vocabulary" in enabled:
        own_terms = tuple(term.preferred for term in rules.glossary)
        findings += _vocabulary_findings(text, rules.debatable_vocabulary, own_terms, language)
    if sponsored and "disclosure" in enabled:
        findings += _disclosure_findings(text, rules.disclosure_words, language)
    if "utm" in enabled and rules.utm_required:
        findings += _utm_findings(text, rules, spec, language)
    findings.sort(key=lambda f: (f.start, f.end, CHECKS.index(f.code)))
    return findings


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


# Terms ----------------------------------------------------------------------------------


def _term_source(term: str) -> str:
    """A term as a pattern; Latin letters and digits at its edges must not touch others,
    so "Line" does not fire inside "Online" and "#ad" not inside "#adidas"."""
    source = regex.escape(term)
    if term[:1].isascii() and term[:1].isalnum():
        source = r"(?<![A-Za-z0-9])" + source
    if term[-1:].isascii() and term[-1:].isalnum():
        source += r"(?![A-Za-z0-9])"
    return source


@lru_cache(maxsize=64)
def _term_pattern(terms: tuple[str, ...]) -> regex.Pattern[str]:
    """One alternation, longest term first so the longest phrase wins at a position;
    group i + 1 is terms[i]."""
    return regex.compile(
        "|".join(f"({_term_source(t)})" for t in terms), regex.IGNORECASE | regex.VERSION0
    )


def _longest_first(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({t for t in terms if t}, key=lambda t: (-len(t), t)))


def _glossary_findings(text: str, glossary: Sequence[GlossaryTerm], language: str) -> list[Finding]:
    owners: dict[str, GlossaryTerm] = {}
    for term in glossary:
        for variant in term.forbidden:
            owners.setdefault(variant.casefold(), term)
    if not owners:
        return []
    variants = _longest_first(v for t in glossary for v in t.forbidden)
    preferred_spans = [
        m.span()
        for term in {t.preferred for t in glossary if t.preferred}
        for m in regex.finditer(regex.escape(term), text)
    ]
    findings = []
    for match in _term_pattern(variants).finditer(text):
        start, end = match.span()
        if any(p_start <= start and end <= p_end for p_start, p_end in preferred_spans):
            continue  # "iPhone" itself, where "iphone" is forbidden
        variant = variants[(match.lastindex or 1) - 1]
        term = owners[variant.casefold()]
        findings.append(
            _finding(
                "glossary",
                "glossary",
                rule=variant,
                severity=ERROR,
                span=(start, end),
                language=language,
                replacement=term.preferred,
                values={"preferred": term.preferred, "found": match.group()},
            )
        )
    return findings


def _claim_findings(text: str, rules: Rules, language: str) -> list[Finding]:
    """The workspace's own phrases (severity as written), then the built-in rule-based
    claims (`claims.py`, severity by product category) where no own phrase is."""
    findings = _own_claim_findings(text, rules.risky_claims, language)
    if not rules.builtin_claims:
        return findings
    taken = [(f.start, f.end) for f in findings]
    category = rules.product_category
    permit = claims.has_permit(text)
    dropped = set(rules.dropped_claims)
    for claim in claims.find_claims(text):
        found = text[claim.start : claim.end]
        if found in dropped or claim.about in dropped:
            continue
        if any(s < claim.end and claim.start < e for s, e in taken):
            continue
        severity = claims.severity(claim.kind, category)
        if claim.kind == "health_food" and permit:
            severity = SUGGESTION  # a permit number is there; check the claim is in its scope
        kind_en, kind_zh = claims.kind_label(claim.kind)
        law_en, law_zh = claims.law(claim.kind, category)
        findings.append(
            _finding(
                "risky_claim",
                "claim_rule_alternative" if claim.alternative else "claim_rule",
                rule=found,
                severity=severity,
                span=(claim.start, claim.end),
                language=language,
                replacement=claim.alternative,
                values={
                    "found": found,
                    "kind": kind_en,
                    "law": law_en,
                    "alternative": claim.alternative,
                },
                zh_values={"kind": kind_zh, "law": law_zh},
            )
        )
    return findings


def _own_claim_findings(text: str, own: Sequence[RiskyClaim], language: str) -> list[Finding]:
    by_phrase: dict[str, RiskyClaim] = {}
    for claim in own:
        by_phrase.setdefault(claim.phrase.casefold(), claim)
    if not by_phrase:
        return []
    phrases = _longest_first(c.phrase for c in own)
    findings = []
    for match in _term_pattern(phrases).finditer(text):
        claim = by_phrase[phrases[(match.lastindex or 1) - 1].casefold()]
        en_label, zh_label = CLAIM_CATEGORIES.get(claim.category, (claim.category, claim.category))
        findings.append(
            _finding(
                "risky_claim",
                "claim_alternative" if claim.alternative else "claim",
                rule=claim.phrase,
                severity=claim.severity,
                span=match.span(),
                language=language,
                replacement=claim.alternative,
                values={
                    "found": match.group(),
                    "category": en_label,
                    "alternative": claim.alternative,
                },
                zh_values={"category": zh_label},
            )
        )
    return findings


# Length ---------------------------------------------------------------------------------


def _length_findings(text: str, spec: Channel, language: str) -> list[Finding]:
    if spec.limit is None:
        return []
    findings = []
    en_unit, zh_unit = UNIT_TEXTS[spec.unit]
    pieces: list[tuple[int, str]]
    if spec.per_line:
        pieces = [(m.start(), m.group()) for m in _LINE.finditer(text)]
    else:
        pieces = [(0, text)]
    numbered = len(pieces) > 1
    for index, (offset, piece) in enumerate(pieces, start=1):
        if spec.unit == UTF16 and utf16_length(piece) <= spec.limit:
            continue  # the common case, without walking the clusters
        total, start = _count(piece, spec.unit, spec.limit)
        if start is None:
            continue
        findings.append(
            _finding(
                "length",
                "length",
                rule=spec.name,
                severity=ERROR,
                span=(offset + start, offset + len(piece)),
                language=language,
                values={
                    "channel": spec.label[0],
                    "line": f", line {index}" if numbered else "",
                    "count": f"{total:,}",
                    "limit": f"{spec.limit:,}",
                    "unit": en_unit,
                },
                zh_values={
                    "channel": f" {spec.label[1]} ",
                    "line": f"（第 {index} 行）" if numbered else "",
                    "unit": zh_unit,
                },
            )
        )
    if spec.preview is not None and len(text) > spec.preview:
        total, start = _count(text, GRAPHEMES, spec.preview)
        if start is not None:
            findings.append(
                _finding(
                    "length",
                    "preview",
                    rule=f"{spec.name}:see_more",
                    severity=WARNING,
                    span=(start, len(text)),
                    language=language,
                    values={
                        "channel": spec.label[0],
                        "limit": f"{spec.preview:,}",
                        "count": f"{total:,}",
                    },
                    zh_values={"channel": spec.label[1]},
                )
            )
    return findings


_HASHTAG = regex.compile(r"(?<![\p{L}\p{N}\p{M}_&#＃/])[#＃][\p{L}\p{N}\p{M}_]+")


def hashtags(text: str) -> list[tuple[int, int]]:
    """Spans of the hashtags (# or full-width ＃ and letters, digits or _)."""
    return [m.span() for m in _HASHTAG.finditer(text)]


def _hashtag_findings(text: str, spec: Channel, limit: int, language: str) -> list[Finding]:
    tags = hashtags(text)
    if len(tags) <= limit:
        return []
    return [
        _finding(
            "hashtags",
            "hashtags",
            rule=spec.name,
            severity=ERROR,
            span=(tags[limit][0], tags[-1][1]),
            language=language,
            values={"channel": spec.label[0], "count": len(tags), "limit": limit},
            zh_values={"channel": spec.label[1]},
        )
    ]


# Disclosure and links -----------------------------------------------------------------


def _disclosure_findings(text: str, words: Sequence[str], language: str) -> list[Finding]:
    terms = _longest_first(words)
    if not terms or _term_pattern(terms).search(text):
        return []
    return [
        _finding(
            "disclosure",
            "disclosure",
            rule="sponsored",
            severity=ERROR,
            span=(0, 0),
            language=language,
            replacement=words[0],
            values={"words": " / ".join(f"“{w}”" for w in words)},
            zh_values={"words": "、".join(f"「{w}」" for w in words)},
        )
    ]


# utm_source / utm_medium suggested for a link on each channel.
UTM_SUGGESTIONS = {
    "google_ads_headline": ("google", "cpc"),
    "google_ads_description": ("google", "cpc"),
    "facebook_post": ("facebook", "social"),
    "instagram_caption": ("instagram", "social"),
    "x_post": ("x", "social"),
    "line_message": ("line", "social"),
    "blog": ("blog", "referral"),
}


def _utm_findings(text: str, rules: Rules, spec: Channel | None, language: str) -> list[Finding]:
    findings = []
    source, medium = UTM_SUGGESTIONS.get(spec.name if spec else "", ("SOURCE", "MEDIUM"))
    placeholders = {"utm_source": source, "utm_medium": medium, "utm_campaign": "CAMPAIGN"}
    for start, end in http_links(text):
        url = text[start:end]
        try:
            parts = urlsplit(url)
            host = (parts.hostname or "").lower().removeprefix("www.")
        except ValueError:
            continue
        if any(host == d or host.endswith("." + d) for d in rules.utm_exempt_domains):
            continue
        present = {k for k, v in parse_qsl(parts.query, keep_blank_values=True) if v}
        missing = [p for p in rules.utm_required if p not in present]
        if not missing:
            continue
        added = "&".join(f"{p}={placeholders.get(p, p.upper())}" for p in missing)
        query = f"{parts.query}&{added}" if parts.query else added
        fixed = parts._replace(query=query).geturl()
        findings.append(
            _finding(
                "utm",
                "utm",
                rule=",".join(missing),
                severity=WARNING,
                span=(start, end),
                language=language,
                replacement=fixed,
                values={"missing": ", ".join(missing), "url": url},
            )
        )
    return findings


# Vocabulary ---------------------------------------------------------------------------

# (written, converted) pairs OpenCC changes although Taiwan writes both: never flagged.
# fmt: off
_VARIANT_PAIRS = (
    "台臺", "台檯", "台颱", "裏裡", "着著", "峯峰", "羣群", "衆眾", "爲為", "喫吃",
    "吃喫", "菸煙", "綫線", "周週", "布佈", "祕秘", "了瞭", "麪麵", "范範", "克剋",
    "姜薑", "家傢", "具俱", "游遊", "占佔", "腌醃", "艷豔", "別彆", "復覆",
)
# fmt: on
TAIWAN_VARIANTS = frozenset((pair[0], pair[1]) for pair in _VARIANT_PAIRS)

_HAN = regex.compile(r"\p{Han}")
_RUN = regex.compile(r"[\p{L}\p{N}\p{M}]+")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _convert(config: str, text: str) -> str:
    return str(_converter(config).convert(text))


@lru_cache(maxsize=8192)
def _to_taiwan_phrases(text: str) -> str:
    return _convert("s2twp", _convert("tw2s", text))


@lru_cache(maxsize=4096)
def _in_cp950(char: str) -> bool:
    try:
        char.encode("cp950")
    except UnicodeEncodeError:
        return False
    return True


def _changed(a: str, b: str) -> list[tuple[int, int, int, int]]:
    """(a_start, a_end, b_start, b_end) of each stretch where `b` differs from `a`."""
    if len(a) == len(b):
        spans = []
        i = 0
        while i < len(a):
            if a[i] == b[i]:
                i += 1
                continue
            j = i + 1
            while j < len(a) and a[j] != b[j]:
                j += 1
            spans.append((i, j, i, j))
            i = j
        return spans
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def _position_map(source: str, target: str) -> Callable[[int], int]:
    """Maps an offset in `target` back to `source` (same text, a few stretches changed)."""
    if len(source) == len(target):
        return lambda p: p
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    opcodes = matcher.get_opcodes()

    def back(p: int) -> int:
        for tag, i1, i2, j1, j2 in opcodes:
            if j1 <= p < j2 or (p == j2 and tag != "equal"):
                return i1 + (p - j1) if tag == "equal" else (i1 if p == j1 else i2)
        return len(source)

    return back


@dataclass(slots=True)
class _Run:
    start: int
    text: str
    s2t: str = ""
    s2tw: str = ""
    round_trip: str = ""  # s2tw(tw2s(text)): the text with Taiwan variants normalised
    taiwan: str = ""  # s2twp(tw2s(text)): and the Taiwan phrase table applied
    findings: list[Finding] = field(default_factory=list)


def _runs(text: str) -> list[_Run]:
    runs = [_Run(m.start(), m.group()) for m in _RUN.finditer(text) if _HAN.search(m.group())]
    if not runs:
        return runs
    # OpenCC never converts across a line break, so one call per config does every run.
    joined = "\n".join(r.text for r in runs)
    simplified = _convert("tw2s", joined)
    outputs = [
        _convert("s2t", joined).split("\n"),
        _convert("s2tw", joined).split("\n"),
        _convert("s2tw", simplified).split("\n"),
        _convert("s2twp", simplified).split("\n"),
    ]
    if any(len(o) != len(runs) for o in outputs):
        for run in runs:
            run_simplified = _convert("tw2s", run.text)
            run.s2t = _convert("s2t", run.text)
            run.s2tw = _convert("s2tw", run.text)
            run.round_trip = _convert("s2tw", run_simplified)
            run.taiwan = _convert("s2twp", run_simplified)
        return runs
    for run, s2t, s2tw, round_trip, taiwan in zip(runs, *outputs, strict=True):
        run.s2t, run.s2tw, run.round_trip, run.taiwan = s2t, s2tw, round_trip, taiwan
    return runs


def _vocabulary_findings(
    text: str, debatable: Sequence[str], own_terms: Sequence[str], language: str
) -> list[Finding]:
    if not _HAN.search(text):
        return []
    findings: list[Finding] = []
    for run in _runs(text):
        if run.text == run.s2t == run.s2tw == run.round_trip == run.taiwan:
            continue
        simplified = _simplified_spans(run)
        phrases = _phrase_spans(run)
        mainland = _mainland_spans(text, run, debatable)
        covered = [(s, e) for s, e, _r, severity in mainland if severity == ERROR]
        for spans, key in ((simplified, "simplified"), (phrases, "phrase")):
            # a mainland term's replacement fixes the characters inside it too
            kept = [s for s in spans if not any(c[0] <= s[0] and s[1] <= c[1] for c in covered)]
            for start, end, replacement in _merged(kept):
                findings.append(_vocabulary(text, run, start, end, replacement, key, language))
        for start, end, replacement, severity in mainland:
            key = "mainland" if severity == ERROR else "debatable"
            findings.append(_vocabulary(text, run, start, end, replacement, key, language))
    taken = [(f.start, f.end) for f in findings]
    for start, end in _occurrences(text, MAINLAND_TERMS):
        if not any(s < end and start < e for s, e in taken):
            found = text[start:end]
            replacement = MAINLAND_TERMS[found]
            findings.append(
                _finding(
                    "vocabulary",
                    "mainland",
                    rule=found,
                    severity=ERROR,
                    span=(start, end),
                    language=language,
                    replacement=replacement,
                    values={"found": found, "replacement": replacement},
                )
            )
    protected = _occurrences(text, (*PROPER_NOUNS, *own_terms))
    if protected:
        findings = [f for f in findings if not any(s < f.end and f.start < e for s, e in protected)]
    return findings


def _occurrences(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        if not term:
            continue
        start = text.find(term)
        while start != -1:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    return spans


@cache
def _computing_cues() -> regex.Pattern[str]:
    return regex.compile("|".join(regex.escape(c) for c in COMPUTING_CUES), regex.IGNORECASE)


def _computing_context(text: str, start: int, end: int) -> bool:
    """Whether a computing word stands within `COMPUTING_WINDOW` characters of
    text[start:end] (the term itself does not count)."""
    before = text[max(0, start - COMPUTING_WINDOW) : start]
    after = text[end : end + COMPUTING_WINDOW]
    cues = _computing_cues()
    return bool(cues.search(before) or cues.search(after))


def _vocabulary(
    text: str, run: _Run, start: int, end: int, replacement: str, key: str, language: str
) -> Finding:
    found = run.text[start:end]
    return _finding(
        "vocabulary",
        key,
        rule=found,
        severity=SUGGESTION if key == "debatable" else ERROR,
        span=(run.start + start, run.start + end),
        language=language,
        replacement=replacement,
        values={"found": found, "replacement": replacement},
    )


def _merged(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Touching spans as one: 这个 rather than 这 and 个."""
    merged: list[tuple[int, int, str]] = []
    for start, end, replacement in spans:
        if merged and merged[-1][1] == start:
            first, _end, previous = merged[-1]
            merged[-1] = (first, end, previous + replacement)
        else:
            merged.append((start, end, replacement))
    return merged


def _simplified_spans(run: _Run) -> list[tuple[int, int, str]]:
    """Characters s2t changes that cp950 cannot encode, replaced by Taiwan's standard
    form (s2tw: 认为 → 認為, not s2t's 認爲)."""
    spans: list[tuple[int, int, str]] = []
    # s2tw only swaps characters for Taiwan's variants: aligned with s2t, unless a
    # variant table ever changes a length (then keep s2t's form).
    standard = run.s2tw if len(run.s2tw) == len(run.s2t) else run.s2t
    for i1, i2, j1, j2 in _changed(run.text, run.s2t):
        if i2 - i1 != j2 - j1:
            if not all(_in_cp950(c) for c in run.text[i1:i2]):
                spans.append((i1, i2, standard[j1:j2]))
            continue
        for k in range(i1, i2):
            if _in_cp950(run.text[k]):
                continue
            spans.append((k, k + 1, standard[j1 + k - i1]))
    return spans


def _phrase_spans(run: _Run) -> list[tuple[int, int, str]]:
    """Valid characters in the wrong place (關于): s2tw and the round trip agree, and the
    change is not a pair Taiwan writes both ways."""
    original, s2tw, round_trip = run.text, run.s2tw, run.round_trip
    if original == s2tw:
        return []
    spans: list[tuple[int, int, str]] = []
    if len(original) == len(s2tw) == len(round_trip):
        for k in range(len(original)):
            char, converted = original[k], s2tw[k]
            if (
                char == converted
                or round_trip[k] != converted
                or not _in_cp950(char)
                or (char, converted) in TAIWAN_VARIANTS
            ):
                continue
            spans.append((k, k + 1, converted))
        return spans
    agreed = {(i1, i2, round_trip[j1:j2]) for i1, i2, j1, j2 in _changed(original, round_trip)}
    for i1, i2, j1, j2 in _changed(original, s2tw):
        piece, converted = original[i1:i2], s2tw[j1:j2]
        if (i1, i2, converted) not in agreed or not all(_in_cp950(c) for c in piece):
            continue
        if len(piece) == len(converted) and all(
            a == b or (a, b) in TAIWAN_VARIANTS for a, b in zip(piece, converted, strict=True)
        ):
            continue
        spans.append((i1, i2, converted))
    return spans


def _mainland_spans(
    text: str, run: _Run, debatable: Sequence[str]
) -> list[tuple[int, int, str, str]]:
    """Where the Taiwan phrase table changes the round-tripped text: (start, end,
    replacement, severity) in the run's own offsets. A term of `COMPUTING_SENSE_TERMS`
    is a suggestion near computing words and nothing elsewhere; a debatable one is a
    suggestion; the rest are errors."""
    if run.round_trip == run.taiwan:
        return []
    spans = []
    for start, end, piece, replacement in _mainland_pieces(run.text, run.round_trip, run.taiwan):
        written = run.text[start:end]
        if piece in COMPUTING_SENSE_TERMS or written in COMPUTING_SENSE_TERMS:
            if not _computing_context(text, run.start + start, run.start + end):
                continue
            severity = SUGGESTION
        elif piece in debatable or written in debatable:
            severity = SUGGESTION
        else:
            severity = ERROR
        spans.append((start, end, replacement, severity))
    return spans


@lru_cache(maxsize=2048)
def _mainland_pieces(
    original: str, base: str, taiwan: str
) -> tuple[tuple[int, int, str, str], ...]:
    """(start, end, phrase as round-tripped, replacement), offsets in `original`; cached,
    as copy repeats itself."""
    back = _position_map(original, base)
    pieces = []
    for a_start, a_end, b_start, b_end in _phrase_windows(base, taiwan):
        for offset, piece, replacement in _split_phrases(
            base[a_start:a_end], taiwan[b_start:b_end]
        ):
            start = back(a_start + offset)
            end = back(a_start + offset + len(piece))
            if start < end:
                pieces.append((start, end, piece, replacement))
    return tuple(pieces)


def _phrase_windows(base: str, taiwan: str) -> list[tuple[int, int, int, int]]:
    """The changed stretches of `base` → `taiwan`, nearby ones merged, each grown to the
    smallest window that converts on its own (件 → 體 becomes 軟件 → 軟體)."""
    matcher = difflib.SequenceMatcher(None, base, taiwan, autojunk=False)
    opcodes = matcher.get_opcodes()
    groups: list[list[int]] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if groups and i1 - groups[-1][1] <= 2 and j1 - groups[-1][3] <= 2:
            groups[-1][1], groups[-1][3] = i2, j2
        else:
            groups.append([i1, i2, j1, j2])
    windows = []
    for index, (i1, i2, j1, j2) in enumerate(groups):
        left_room = min(3, i1 - (groups[index - 1][1] if index else 0))
        right_room = min(3, (groups[index + 1][0] if index + 1 < len(groups) else len(base)) - i2)
        best = (i1, i2, j1, j2)
        for grow in range(left_room + right_room + 1):
            found = False
            for left in range(min(grow, left_room) + 1):
                right = grow - left
                if right > right_room:
                    continue
                piece = base[i1 - left : i2 + right]
                if _to_taiwan_phrases(piece) == taiwan[j1 - left : j2 + right]:
                    best = (i1 - left, i2 + right, j1 - left, j2 + right)
                    found = True
                    break
            if found:
                break
        windows.append(best)
    return windows


def _split_phrases(piece: str, converted: str) -> list[tuple[int, str, str]]:
    """(offset, phrase, replacement) for each part of `piece` that converts on its own,
    unchanged parts dropped: 軟件視頻 → 軟件 → 軟體 at 0, 視頻 → 影片 at 2."""
    if piece == converted:
        return []
    for k in range(1, len(piece)):
        head = _to_taiwan_phrases(piece[:k])
        if converted.startswith(head) and _to_taiwan_phrases(piece[k:]) == converted[len(head) :]:
            parts = [] if head == piece[:k] else [(0, piece[:k], head)]
            for offset, sub, replacement in _split_phrases(piece[k:], converted[len(head) :]):
                parts.append((offset + k, sub, replacement))
            return parts
    return [(0, piece, converted)]
