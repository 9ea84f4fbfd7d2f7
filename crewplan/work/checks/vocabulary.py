"""Taiwan Traditional Chinese vocabulary (pure, no Django): simplified characters,
phrases not written this way in Taiwan and mainland vocabulary, found with OpenCC's
tables and corrected by the reviewed word lists of `data/vocabulary_tw.toml` (computing
-sense terms and their cues, mainland terms OpenCC misses, proper nouns, the variant pairs
Taiwan writes both ways). How the check works is in the package docstring."""

import difflib
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import opencc
import regex

from crewplan.work.checks.rules import ERROR, SUGGESTION, Finding, data_text, finding


def _word_list(data: Mapping[str, Any], key: str) -> tuple[str, ...]:
    words = data.get(key)
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValueError(f"data/vocabulary_tw.toml: {key} must be a list of non-empty strings")
    return tuple(words)


def _word_table(data: Mapping[str, Any], key: str) -> dict[str, str]:
    table = data.get(key)
    if not isinstance(table, Mapping) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in table.items()
    ):
        raise ValueError(f"data/vocabulary_tw.toml: [{key}] must map words to words")
    return dict(table)


def _pairs(data: Mapping[str, Any], key: str) -> frozenset[tuple[str, str]]:
    pairs = data.get(key)
    if not isinstance(pairs, list) or not all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(c, str) and c for c in p)
        for p in pairs
    ):
        raise ValueError(f"data/vocabulary_tw.toml: {key} must be a list of [written, converted]")
    return frozenset((p[0], p[1]) for p in pairs)


_LISTS = tomllib.loads(data_text("vocabulary_tw.toml"))
# Words OpenCC's Taiwan phrase table rewrites for their computing sense only: never an
# error; a suggestion only when a word of `COMPUTING_CUES` stands within
# `COMPUTING_WINDOW` characters.
COMPUTING_SENSE_TERMS = frozenset(_word_list(_LISTS, "computing_sense_terms"))
COMPUTING_CUES = _word_list(_LISTS, "computing_cues")
COMPUTING_WINDOW = 12
# Mainland terms the OpenCC tables miss, with the Taiwan word.
MAINLAND_TERMS = _word_table(_LISTS, "mainland_terms")
# Words the Taiwan phrase table rewrites although Taiwan writes them in every sense.
EVERYDAY_TERMS = frozenset(_word_list(_LISTS, "everyday_terms"))
# Names that contain such a term: never flagged, like the workspace's glossary terms.
PROPER_NOUNS = _word_list(_LISTS, "proper_nouns")
# Taiwan words OpenCC rewrites when it reads a neighbour into a phrase: never flagged.
TAIWAN_WORDS = _word_list(_LISTS, "taiwan_words")
# A character OpenCC makes a measure word (只 → 隻) is one only after these characters.
MEASURE_WORDS = _word_table(_LISTS, "measure_words")
# (written, converted) pairs OpenCC changes although Taiwan writes both: never flagged.
TAIWAN_VARIANTS = _pairs(_LISTS, "taiwan_variants")

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


def vocabulary_findings(
    text: str, debatable: Sequence[str], own_terms: Sequence[str]
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
                findings.append(_vocabulary(run, start, end, replacement, key))
        for start, end, replacement, severity in mainland:
            key = "mainland" if severity == ERROR else "debatable"
            findings.append(_vocabulary(run, start, end, replacement, key))
    taken = [(f.start, f.end) for f in findings]
    for start, end in _occurrences(text, MAINLAND_TERMS):
        if not any(s < end and start < e for s, e in taken):
            found = text[start:end]
            replacement = MAINLAND_TERMS[found]
            findings.append(
                finding(
                    "vocabulary",
                    "mainland",
                    rule=found,
                    severity=ERROR,
                    span=(start, end),
                    replacement=replacement,
                    found=found,
                )
            )
    protected = _occurrences(text, (*PROPER_NOUNS, *TAIWAN_WORDS, *own_terms))
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


def _vocabulary(run: _Run, start: int, end: int, replacement: str, key: str) -> Finding:
    found = run.text[start:end]
    return finding(
        "vocabulary",
        key,
        rule=found,
        severity=SUGGESTION if key == "debatable" else ERROR,
        span=(run.start + start, run.start + end),
        replacement=replacement,
        found=found,
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
                or not _measure_word(original, k)
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
            a == b or (a, b) in TAIWAN_VARIANTS or not _measure_word(original, i1 + k)
            for k, (a, b) in enumerate(zip(piece, converted, strict=True))
        ):
            continue
        spans.append((i1, i2, converted))
    return spans


def _measure_word(text: str, k: int) -> bool:
    """Whether text[k], a character OpenCC would make a measure word (只 → 隻), stands
    where one does: after a numeral or a demonstrative (一只, 这只). True for any other
    character."""
    cues = MEASURE_WORDS.get(text[k])
    return cues is None or (k > 0 and text[k - 1] in cues)


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
        if piece in EVERYDAY_TERMS or written in EVERYDAY_TERMS:
            continue
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
