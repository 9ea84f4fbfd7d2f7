"""Risky advertising claims in Taiwan, judged from the word classes the rules describe
(pure, no Django). Not legal advice: a reviewer's first pass.

The rules (食品安全衛生管理法 §28 and its 認定準則, 健康食品管理法, 化粧品衛生安全管理法 §10,
藥事法 §69; sources in `data/claims_tw.toml`, the reviewed lexicon) do not list
sentences, they describe them: a claim to prevent, improve, relieve or treat a disease
or symptom; to strengthen a physiological function; to change the body's structure or
appearance; the efficacy of a Chinese medicinal herb; exaggerations; health-food
functions. So a claim here is

- an **action** (預防, 改善, 降低 …) before a **condition** (感冒, 高血壓, 膽固醇 …) in the
  same clause, with at most `GAP` other characters between; the conditions listed after
  it with 、 及 和 與 belong to the same claim (改善高血壓、高血脂、膽固醇); a one-character
  action (抗, 防, 治, 降 …) counts only right before the condition (抗癌, 治失眠);
- a condition followed by an **effect suffix** (感冒剋星, 失眠掰掰, 便秘不再);
- a **boost** (增強, 提升, 促進 …) before a physiological **function** (免疫力, 代謝 …);
- a function followed by its **rise** (免疫力全面升級, 保護力UP);
- an action before a sign of **appearance** (改善皺紋, 降低體脂), or the sign followed by
  an effect (脂肪細胞分解, 紋路填補);
- a verb of **Chinese medicine** right before an organ (補腎, 潤肺, 疏肝, 護腎);
- a **measure of the body** followed by its growth (髮量變多, 罩杯升級);
- a term that is a claim by itself (利尿, 補腎, 豐胸, 美白, 抗氧化, 無副作用, 健康食品 …);
- a **pattern** for shapes a list cannot hold (三天瘦三公斤, 保證有感, 燃燒卡路里).

Never a claim: the **permitted** wording (幫助入睡, 促進新陳代謝, 保濕 …) and ordinary words
that hold a claim's characters (`not_claims`: 保溫, 殺菌條件 …), which hide the words
inside them, and a claim right after a **negator** in its clause (本產品不具療效,
無法治療疾病). Parentheses do not end a clause (增強(增加)自體免疫力). Simplified text is
matched through its Taiwan form (OpenCC s2tw, which keeps offsets: it maps character to
character).

Measured on the regulators' own example lists (tests/work/data/claims_official.toml,
bench/content_corpus.py; figures in docs/benchmarks.md).

`find_claims(text)` returns `Claim`s (span, kind, the condition or term it is about, and
the allowed alternative where the rules name one); `severity(kind, category)` and
`law(kind, category)` say how serious it is and under which rule (a law's code, named in
`crewplan/work/messages.py`), per product category (food, health_food, cosmetics, drugs,
other; "" or anything else: unknown, a warning). `claim_findings(text, rules)` turns the
workspace's own phrases and these claims into findings.
Cost: one regex scan per word class and pattern over the text, O(length).
"""

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import opencc
import regex

from crewplan.work.checks.rules import (
    CATEGORIES,
    SUGGESTION,
    Finding,
    RiskyClaim,
    Rules,
    data_text,
    finding,
    longest_first,
    term_pattern,
)

UNKNOWN = "unknown"
KINDS = (
    "medical",
    "tcm",
    "physiological",
    "structure",
    "appearance",
    "exaggeration",
    "health_food",
)
WORD_CLASSES = (
    "actions",
    "single_actions",
    "conditions",
    "appearance",
    "effect_suffixes",
    "boosts",
    "functions",
    "rises",
    "medical_terms",
    "tcm_terms",
    "structure_terms",
    "appearance_terms",
    "exaggerations",
    "health_food_terms",
    "physiological_terms",
    "tcm_actions",
    "tcm_organs",
    "body_measures",
    "body_changes",
    "permitted",
    "not_claims",
    "negators",
)
GAP = 6  # characters allowed between an action and its condition
CHAIN_GAP = 3  # between conditions listed after one action (、 及 和 與, a space)
NEGATION_WINDOW = 8  # how far before a claim a negator still denies it
# Parentheses do not end a clause: 增強(增加)自體免疫力 is one claim.
_CLAUSE_END = regex.compile(r"[，。！？；,.!?;\n：:「」『』【】\[\]~～…]")


@dataclass(frozen=True, slots=True)
class Claim:
    start: int
    end: int
    kind: str
    about: str  # the condition, function or term the claim is about
    alternative: str = ""


@dataclass(frozen=True, slots=True)
class Lexicon:
    kinds: dict[str, dict[str, str]]  # kind -> category or "unknown" -> severity
    laws: dict[str, dict[str, str]]  # category -> kind or "*" -> the law's code
    words: dict[str, tuple[str, ...]]
    alternatives: dict[str, str]
    permit: regex.Pattern[str]
    patterns: tuple[tuple[str, regex.Pattern[str]], ...] = ()  # (kind, pattern)


def _words(data: dict[str, Any], key: str) -> tuple[str, ...]:
    values = data.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
        raise ValueError(f"lexicon.{key} must be a list of non-empty strings")
    return tuple(values)


def lexicon_from_toml(text: str) -> Lexicon:
    """A lexicon from the TOML layout of `data/claims_tw.toml`; ValueError if it is not."""
    data = tomllib.loads(text)
    kinds = {}
    for kind in KINDS:
        entry = data.get("kinds", {}).get(kind)
        if not isinstance(entry, dict):
            raise ValueError(f"kinds.{kind} is missing")
        severities = dict(entry.get("severity", {}))
        missing = {*CATEGORIES, UNKNOWN} - severities.keys()
        if missing:
            raise ValueError(f"kinds.{kind}.severity lacks {sorted(missing)}")
        kinds[kind] = {str(k): str(v) for k, v in severities.items()}
    laws = {
        category: {str(k): str(v) for k, v in table.items()}
        for category, table in data.get("laws", {}).items()
    }
    lexicon = data.get("lexicon", {})
    patterns = []
    for index, entry in enumerate(data.get("patterns", [])):
        if not isinstance(entry, dict) or entry.get("kind") not in KINDS:
            raise ValueError(f"patterns[{index}].kind must be one of {', '.join(KINDS)}")
        try:
            patterns.append((str(entry["kind"]), regex.compile(str(entry["regex"]))))
        except (KeyError, regex.error) as error:
            raise ValueError(f"patterns[{index}].regex is missing or broken: {error}") from None
    return Lexicon(
        kinds=kinds,
        laws=laws,
        words={key: _words(lexicon, key) for key in WORD_CLASSES},
        alternatives={str(k): str(v) for k, v in data.get("alternatives", {}).items()},
        permit=regex.compile(str(lexicon.get("permit_pattern", r"(?!)"))),
        patterns=tuple(patterns),
    )


@cache
def default_lexicon() -> Lexicon:
    return lexicon_from_toml(data_text("claims_tw.toml"))


def _category(category: str) -> str:
    return category if category in CATEGORIES else UNKNOWN


def severity(kind: str, category: str, lexicon: Lexicon | None = None) -> str:
    return (lexicon or default_lexicon()).kinds[kind][_category(category)]


def law(kind: str, category: str, lexicon: Lexicon | None = None) -> str:
    """The code of the rule a claim of `kind` breaks for `category` ("" if none)."""
    table = (lexicon or default_lexicon()).laws.get(_category(category), {})
    return table.get(kind) or table.get("*") or ""


_EXAMPLES = {
    "medical": ("actions", "conditions", "medical_terms"),
    "tcm": ("tcm_terms", "tcm_actions", "tcm_organs"),
    "physiological": ("boosts", "functions", "physiological_terms"),
    "structure": ("structure_terms", "body_measures", "body_changes"),
    "appearance": ("appearance_terms", "appearance"),
    "exaggeration": ("exaggerations",),
    "health_food": ("health_food_terms",),
}


def examples(kind: str, count: int = 6, lexicon: Lexicon | None = None) -> list[tuple[str, ...]]:
    """A few words of each word class a claim of `kind` is made of, for people to read:
    [("預防", "改善", …), ("感冒", "高血壓", …)]."""
    words = (lexicon or default_lexicon()).words
    return [words[key][:count] for key in _EXAMPLES[kind]]


def has_permit(text: str, lexicon: Lexicon | None = None) -> bool:
    """Whether a health-food permit number is written in the text."""
    return bool((lexicon or default_lexicon()).permit.search(text))


@cache
def _pattern(words: tuple[str, ...]) -> regex.Pattern[str]:
    ordered = sorted(set(words), key=len, reverse=True)  # the longest word wins
    return regex.compile("|".join(regex.escape(w) for w in ordered), regex.IGNORECASE)


def _spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    if not words:
        return []
    return [m.span() for m in _pattern(words).finditer(text)]


def _clause_start(text: str, position: int) -> int:
    start = position
    while start > 0 and not _CLAUSE_END.match(text, start - 1):
        start -= 1
    return start


def _clause_end(text: str, position: int) -> int:
    found = _CLAUSE_END.search(text, position)
    return found.start() if found else len(text)


class _Scan:
    """The text with its permitted wording blanked out, and the word spans found."""

    def __init__(self, text: str, lexicon: Lexicon) -> None:
        self.text = text
        self.lexicon = lexicon
        masked = list(text)
        hidden = lexicon.words["permitted"] + lexicon.words["not_claims"]
        for start, end in _spans(text, hidden):
            masked[start:end] = "\u3000" * (end - start)
        self.masked = "".join(masked)

    def spans(self, key: str) -> list[tuple[int, int]]:
        return _spans(self.masked, self.lexicon.words[key])

    def negated(self, start: int) -> bool:
        clause = self.masked[
            max(_clause_start(self.masked, start), start - NEGATION_WINDOW) : start
        ]
        return any(n in clause for n in self.lexicon.words["negators"])


def _starting_at(spans: list[tuple[int, int]]) -> dict[int, int]:
    return {start: end for start, end in spans}


def _followers(
    scan: _Scan, position: int, targets: dict[int, int], gap: int
) -> list[tuple[int, int]]:
    """The target word starting at most `gap` characters after `position` inside its
    clause, and the ones listed right after it (at most `CHAIN_GAP` apart)."""
    limit = _clause_end(scan.masked, position)
    # The first word may not lie past a list separator: in 改善體質、減少疲勞 the 改善 is
    # about 體質, not 疲勞.
    separator = scan.masked.find("、", position, limit)
    first_limit = limit if separator == -1 else separator
    found: list[tuple[int, int]] = []
    allowed = gap
    while position < limit:
        last = min(position + allowed, (first_limit if not found else limit) - 1)
        hit = next((p for p in range(position, last + 1) if p in targets), None)
        if hit is None or targets[hit] > limit:
            break
        found.append((hit, targets[hit]))
        position, allowed = targets[hit], CHAIN_GAP
    return found


def find_claims(text: str, lexicon: Lexicon | None = None) -> list[Claim]:
    """Every claim in `text`, in text order, overlapping ones merged into the first."""
    lex = lexicon or default_lexicon()
    taiwan = _taiwan_form(text)
    scan = _Scan(taiwan, lex)
    claims: list[Claim] = []

    def add(start: int, end: int, kind: str, about: str) -> None:
        if scan.negated(start):
            return
        alternative = lex.alternatives.get(about, "")
        claims.append(Claim(start, end, kind, about, alternative))

    conditions = _starting_at(scan.spans("conditions"))
    appearance = _starting_at(scan.spans("appearance"))
    functions = _starting_at(scan.spans("functions"))
    for start, end in scan.spans("actions"):
        for targets, kind in ((conditions, "medical"), (appearance, "appearance")):
            hits = _followers(scan, end, targets, GAP)
            if hits:
                add(start, hits[-1][1], kind, taiwan[hits[0][0] : hits[0][1]])
                break
    for start, end in scan.spans("single_actions"):
        if end in conditions:
            add(start, conditions[end], "medical", taiwan[end : conditions[end]])
    for start, end in scan.spans("boosts"):
        hits = _followers(scan, end, functions, 2)
        if hits:
            add(start, hits[-1][1], "physiological", taiwan[hits[0][0] : hits[0][1]])
    # A function followed by its rise (免疫力全面升級, 保護力UP).
    rises = _starting_at(scan.spans("rises"))
    for start, end in functions.items():
        after = next((p for p in range(end, end + 3) if p in rises), None)
        if after is not None:
            add(start, rises[after], "physiological", taiwan[start:end])
    suffixes = _starting_at(scan.spans("effect_suffixes"))
    for targets, kind in ((conditions, "medical"), (appearance, "appearance")):
        for start, end in targets.items():
            after = next((p for p in range(end, end + 3) if p in suffixes), None)
            if after is not None:
                add(start, suffixes[after], kind, taiwan[start:end])
    # A verb of Chinese medicine right before an organ (補腎, 潤肺, 傷肺, 養肝).
    organs = _starting_at(scan.spans("tcm_organs"))
    for start, end in scan.spans("tcm_actions"):
        if end in organs:
            add(start, organs[end], "tcm", taiwan[start : organs[end]])
    # A measure of the body followed by its growth (髮量變多, 罩杯升級, 胸圍增加), unless
    # the growth is an impression (睫毛增加纖長感: 附件二 allows 豐厚感).
    changes = _starting_at(scan.spans("body_changes"))
    for start, end in scan.spans("body_measures"):
        after = next((p for p in range(end, end + 3) if p in changes), None)
        if after is not None and "感" not in scan.masked[changes[after] : changes[after] + 4]:
            add(start, changes[after], "structure", taiwan[start:end])
    # Shapes a word list cannot hold (三天瘦三公斤, 保證有感, 燃燒卡路里).
    for kind, pattern in lex.patterns:
        for match in pattern.finditer(scan.masked):
            add(match.start(), match.end(), kind, match.group())
    for key, kind in (
        ("medical_terms", "medical"),
        ("tcm_terms", "tcm"),
        ("structure_terms", "structure"),
        ("appearance_terms", "appearance"),
        ("exaggerations", "exaggeration"),
        ("health_food_terms", "health_food"),
        ("physiological_terms", "physiological"),
    ):
        for start, end in scan.spans(key):
            add(start, end, kind, taiwan[start:end])
    return _merged(claims)


def _merged(claims: list[Claim]) -> list[Claim]:
    """Claims in text order; one that overlaps an earlier, longer-or-equal one is
    dropped (改善高血壓 and 降 … inside it are one claim)."""
    ordered = sorted(claims, key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Claim] = []
    for claim in ordered:
        if kept and claim.start < kept[-1].end:
            if claim.end > kept[-1].end:
                last = kept[-1]
                kept[-1] = Claim(last.start, claim.end, last.kind, last.about, last.alternative)
            continue
        kept.append(claim)
    return kept


def _taiwan_form(text: str) -> str:
    """The text with simplified characters in their Taiwan form, offsets unchanged (the
    original when a conversion would change its length)."""
    if text.isascii():
        return text
    converted = str(_s2tw().convert(text))
    return converted if len(converted) == len(text) else text


@cache
def _s2tw() -> opencc.OpenCC:
    return opencc.OpenCC("s2tw.json")


# --- findings -------------------------------------------------------------------------


def claim_findings(text: str, rules: Rules) -> list[Finding]:
    """The workspace's own phrases (severity as written), then the built-in rule-based
    claims (severity by product category) where no own phrase is."""
    findings = own_claim_findings(text, rules.risky_claims)
    if not rules.builtin_claims:
        return findings
    taken = [(f.start, f.end) for f in findings]
    category = rules.product_category
    permit = has_permit(text)
    dropped = set(rules.dropped_claims)
    for claim in find_claims(text):
        found = text[claim.start : claim.end]
        if found in dropped or claim.about in dropped:
            continue
        if any(s < claim.end and claim.start < e for s, e in taken):
            continue
        rank = severity(claim.kind, category)
        if claim.kind == "health_food" and permit:
            rank = SUGGESTION  # a permit number is there; check the claim is in its scope
        findings.append(
            finding(
                "risky_claim",
                "claim_rule_alternative" if claim.alternative else "claim_rule",
                rule=found,
                severity=rank,
                span=(claim.start, claim.end),
                replacement=claim.alternative,
                found=found,
                kind=claim.kind,
                law=law(claim.kind, category),
                alternative=claim.alternative,
            )
        )
    return findings


def own_claim_findings(text: str, own: Sequence[RiskyClaim]) -> list[Finding]:
    by_phrase: dict[str, RiskyClaim] = {}
    for claim in own:
        by_phrase.setdefault(claim.phrase.casefold(), claim)
    if not by_phrase:
        return []
    phrases = longest_first(c.phrase for c in own)
    findings = []
    for match in term_pattern(phrases).finditer(text):
        claim = by_phrase[phrases[(match.lastindex or 1) - 1].casefold()]
        findings.append(
            finding(
                "risky_claim",
                "claim_alternative" if claim.alternative else "claim",
                rule=claim.phrase,
                severity=claim.severity,
                span=match.span(),
                replacement=claim.alternative,
                found=match.group(),
                category=claim.category,
                alternative=claim.alternative,
            )
        )
    return findings
