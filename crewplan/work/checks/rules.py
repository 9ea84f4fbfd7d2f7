"""What the content checks look for, and the findings they return (pure, no Django).

`Rules` (a workspace's glossary, its own risky claims, the disclosure words, the UTM
parameters, …) layered over `DEFAULT_RULES` (`data/default_rules.toml`) from a TOML
rules file (`rules_from_toml`) or the same keys as JSON (`rules_from_dict`); the format
is in the package docstring. Also the checks that are plain word lists: the brand
glossary and the sponsored-content disclosure.

A `Finding` holds no sentence: its `code` (the check), `key` (which sentence, in
`crewplan/work/messages.py`) and `params` (plain JSON values: str, int, list of str) are
what a reader's language is formatted from, so findings stored with a work item render in
whichever language the reader has.
"""

import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import regex

ERROR = "error"
WARNING = "warning"
SUGGESTION = "suggestion"
SEVERITIES = (ERROR, WARNING, SUGGESTION)

CHECKS = ("glossary", "risky_claim", "length", "hashtags", "vocabulary", "disclosure", "utm")

# What a workspace sells: decides how serious a built-in risky claim is (claims.py).
CATEGORIES = ("food", "health_food", "cosmetics", "drugs", "other")

type Param = str | int | list[str]


def data_text(name: str) -> str:
    """A file of `data/` as installed with the package (a wheel ships them)."""
    return (
        resources.files("crewplan.work.checks").joinpath("data", name).read_text(encoding="utf-8")
    )


# --- findings -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding; `text[start:end]` is the offending span (Python str offsets)."""

    code: str
    rule: str
    severity: str
    start: int
    end: int
    replacement: str = ""
    key: str = ""  # the sentence (work/messages.py); the code when empty
    params: Mapping[str, Param] = field(default_factory=dict, hash=False)


def finding(
    code: str,
    key: str,
    *,
    rule: str,
    severity: str,
    span: tuple[int, int],
    replacement: str = "",
    **params: Param,
) -> Finding:
    return Finding(code, rule, severity, span[0], span[1], replacement, key, params)


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


# --- rules ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    preferred: str
    forbidden: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RiskyClaim:
    phrase: str
    category: str  # a key of messages.CLAIM_CATEGORIES, or the workspace's own word
    severity: str = WARNING
    alternative: str = ""


_DEFAULTS = tomllib.loads(data_text("default_rules.toml"))


def _default_words(key: str) -> tuple[str, ...]:
    words = _DEFAULTS.get(key)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValueError(f"data/default_rules.toml: {key} must be a list of non-empty strings")
    return tuple(words)


DISCLOSURE_WORDS = _default_words("disclosure_words")
UTM_REQUIRED = _default_words("utm_required")
DEBATABLE_VOCABULARY = _default_words("debatable_vocabulary")
INSTAGRAM_HASHTAG_LIMIT: int = _DEFAULTS.get("instagram_hashtag_limit", 30)


@dataclass(frozen=True, slots=True)
class Rules:
    glossary: tuple[GlossaryTerm, ...] = ()
    risky_claims: tuple[RiskyClaim, ...] = ()
    disclosure_words: tuple[str, ...] = DISCLOSURE_WORDS
    utm_required: tuple[str, ...] = UTM_REQUIRED
    utm_exempt_domains: tuple[str, ...] = ()  # a domain exempts its subdomains too
    debatable_vocabulary: tuple[str, ...] = DEBATABLE_VOCABULARY
    instagram_hashtag_limit: int = INSTAGRAM_HASHTAG_LIMIT
    checks: tuple[str, ...] = CHECKS
    # What the workspace sells (CATEGORIES); "" unknown: built-in claims warn.
    product_category: str = ""
    builtin_claims: bool = True  # the rule-based claims of claims.py
    dropped_claims: tuple[str, ...] = ()  # built-in claims ignored, by their words


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


def rules_from_toml(text: str, base: Rules | None = None) -> Rules:
    """A rules file (format in the package docstring) layered over `base` (default:
    DEFAULT_RULES)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"invalid TOML: {error}".replace("\n", " ")) from None
    return rules_from_dict(data, base)


def rules_from_dict(data: Mapping[str, Any], base: Rules | None = None) -> Rules:
    """The keys of `data` layered over `base` (default: DEFAULT_RULES); ValueError with a
    one-line reason."""
    if base is None:
        base = DEFAULT_RULES
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
        if category not in ("", *CATEGORIES):
            known = ", ".join(CATEGORIES)
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


# The defaults go through the same reader as a workspace's file, so a broken data file
# fails at import with the reason.
DEFAULT_RULES = rules_from_dict(_DEFAULTS, Rules())


# --- word lists as patterns -----------------------------------------------------------


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
def term_pattern(terms: tuple[str, ...]) -> regex.Pattern[str]:
    """One alternation, longest term first so the longest phrase wins at a position;
    group i + 1 is terms[i]."""
    return regex.compile(
        "|".join(f"({_term_source(t)})" for t in terms), regex.IGNORECASE | regex.VERSION0
    )


def longest_first(terms: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({t for t in terms if t}, key=lambda t: (-len(t), t)))


# --- glossary and disclosure ----------------------------------------------------------


def glossary_findings(text: str, glossary: Sequence[GlossaryTerm]) -> list[Finding]:
    owners: dict[str, GlossaryTerm] = {}
    for term in glossary:
        for variant in term.forbidden:
            owners.setdefault(variant.casefold(), term)
    if not owners:
        return []
    variants = longest_first(v for t in glossary for v in t.forbidden)
    preferred_spans = [
        m.span()
        for term in {t.preferred for t in glossary if t.preferred}
        for m in regex.finditer(regex.escape(term), text)
    ]
    findings = []
    for match in term_pattern(variants).finditer(text):
        start, end = match.span()
        if any(p_start <= start and end <= p_end for p_start, p_end in preferred_spans):
            continue  # "iPhone" itself, where "iphone" is forbidden
        variant = variants[(match.lastindex or 1) - 1]
        term = owners[variant.casefold()]
        findings.append(
            finding(
                "glossary",
                "glossary",
                rule=variant,
                severity=ERROR,
                span=(start, end),
                replacement=term.preferred,
                preferred=term.preferred,
                found=match.group(),
            )
        )
    return findings


def disclosure_findings(text: str, words: Sequence[str]) -> list[Finding]:
    terms = longest_first(words)
    if not terms or term_pattern(terms).search(text):
        return []
    return [
        finding(
            "disclosure",
            "disclosure",
            rule="sponsored",
            severity=ERROR,
            span=(0, 0),
            replacement=words[0],
            words=list(words),
        )
    ]
