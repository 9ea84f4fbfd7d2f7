"""Automated content checks for Taiwan Traditional Chinese marketing copy (pure, no Django).

`check(text, channel, rules, sponsored=...)` returns findings, each with a stable
`code`, the `rule` that fired (the forbidden variant, the claim, the channel…), a
`severity` ("error", "warning" or "suggestion"), the offending span as Python str
offsets into `text` (`text[start:end]`, end exclusive), a suggested `replacement` (or
""), and the `key` and `params` of its sentence: the sentences people read are gettext
messages formatted in one place, `crewplan/work/messages.py`, in the reader's language.

The package: `rules.py` (Rules, the TOML/dict layering, `Finding`, the glossary and
disclosure checks), `counting.py` (channels, length counting, graphemes, links,
hashtags, UTM), `vocabulary.py` (the OpenCC-based Taiwan vocabulary), `claims.py` (the
rule-based risky claims and the workspace's own). The curated word lists are data files
in `data/` that a reviewer can read without reading code: `default_rules.toml`
(disclosure words, debatable vocabulary, UTM parameters), `vocabulary_tw.toml`
(computing-sense terms and cues, mainland terms OpenCC misses, proper nouns, Taiwan
variant pairs) and `claims_tw.toml` (the claims lexicon, with its sources).

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

The risky-claims list is **a starting point, not legal advice** (messages.CLAIMS_DISCLAIMER):
seed phrases from Taiwan's food, health food, cosmetics, medical device and Fair Trade
rules as summarised in shared/TAIWAN.md §1 (partly from the 2012 predecessor of the
current food 準則 and from secondary copies), and rules (word classes and patterns,
claims.py) measured on the regulators' own example lists, each with its source in
tests/work/data/claims_official.toml; authorities judge the overall impression of an
ad, so an empty result proves nothing.

Channels and how they count (`CHANNELS`, in counting.py):

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
4. Never flagged: known names (`PROPER_NOUNS`: 博客來 holds 博客), Taiwan words OpenCC
   misreads when it joins a neighbour into a phrase (`TAIWAN_WORDS`: 被干擾 read as 被幹,
   和面談 as 和麵, 邊几 as 邊幾), words the phrase table rewrites although Taiwan writes
   them in every sense (`EVERYDAY_TERMS`: 審核), and the preferred terms of the
   workspace's glossary. A character OpenCC makes a measure word (只 → 隻) is an error
   only after a numeral or a demonstrative (`MEASURE_WORDS`: 一只 yes, 不是只看 no).
   Measured on Taiwan and mainland copy by bench/content_corpus.py (docs/benchmarks.md).
Phrase conversions change lengths (U盤 → 隨身碟), so spans are aligned with
difflib.SequenceMatcher and grown to the smallest window OpenCC converts on its own.

Rules file (TOML, `rules_from_toml`), layered over `DEFAULT_RULES` (themselves read from
`data/default_rules.toml`, the same format); every key is
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

from collections.abc import Sequence

from crewplan.work.checks import claims
from crewplan.work.checks.claims import claim_findings
from crewplan.work.checks.counting import (
    CHANNELS,
    DISPLAY_WIDTH,
    GRAPHEMES,
    UTF16,
    UTM_SUGGESTIONS,
    X_WEIGHTED,
    Channel,
    channel_spec,
    display_width,
    grapheme_count,
    hashtag_findings,
    hashtags,
    http_links,
    length_findings,
    measure,
    utf16_length,
    utm_findings,
    x_weighted_length,
)
from crewplan.work.checks.rules import (
    CATEGORIES,
    CHECKS,
    DEFAULT_RULES,
    ERROR,
    SEVERITIES,
    SUGGESTION,
    WARNING,
    Finding,
    GlossaryTerm,
    RiskyClaim,
    Rules,
    disclosure_findings,
    glossary_findings,
    has_errors,
    rules_from_dict,
    rules_from_toml,
    rules_to_dict,
)
from crewplan.work.checks.vocabulary import vocabulary_findings

__all__ = [
    "CATEGORIES",
    "CHANNELS",
    "CHECKS",
    "DEFAULT_RULES",
    "DISPLAY_WIDTH",
    "ERROR",
    "GRAPHEMES",
    "SEVERITIES",
    "SUGGESTION",
    "UTF16",
    "UTM_SUGGESTIONS",
    "WARNING",
    "X_WEIGHTED",
    "Channel",
    "Finding",
    "GlossaryTerm",
    "RiskyClaim",
    "Rules",
    "check",
    "claims",
    "display_width",
    "grapheme_count",
    "has_errors",
    "hashtags",
    "http_links",
    "measure",
    "rules_from_dict",
    "rules_from_toml",
    "rules_to_dict",
    "utf16_length",
    "x_weighted_length",
]


def check(
    text: str,
    channel: str | None,
    rules: Rules,
    *,
    sponsored: bool = False,
) -> list[Finding]:
    """Every finding on `text` for `channel` (None: no length check), in text order;
    ValueError for an unknown channel."""
    spec = channel_spec(channel) if channel is not None else None
    enabled = set(rules.checks)
    findings: list[Finding] = []
    if "glossary" in enabled:
        findings += glossary_findings(text, rules.glossary)
    if "risky_claim" in enabled:
        findings += claim_findings(text, rules)
    if spec is not None and "length" in enabled:
        findings += length_findings(text, spec)
    if spec is not None and spec.hashtags and "hashtags" in enabled:
        findings += hashtag_findings(text, spec, rules.instagram_hashtag_limit)
    if "vocabulary" in enabled:
        own_terms: Sequence[str] = tuple(term.preferred for term in rules.glossary)
        findings += vocabulary_findings(text, rules.debatable_vocabulary, own_terms)
    if sponsored and "disclosure" in enabled:
        findings += disclosure_findings(text, rules.disclosure_words)
    if "utm" in enabled and rules.utm_required:
        findings += utm_findings(text, rules, spec)
    findings.sort(key=lambda f: (f.start, f.end, CHECKS.index(f.code)))
    return findings
