"""Channels and how each platform counts a text's length (pure, no Django): display
width for Google Ads, twitter-text v3 weights for X, UTF-16 code units for Facebook,
Instagram and LINE, grapheme clusters for what readers see; links and hashtags as the
platforms find them; and the length, hashtag and UTM findings. Units and sources are in
the package docstring."""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, urlsplit

import regex

from crewplan.work.checks.rules import ERROR, WARNING, Finding, Rules, finding

DISPLAY_WIDTH = "display_width"
X_WEIGHTED = "x_weighted"
UTF16 = "utf16"
GRAPHEMES = "graphemes"


@dataclass(frozen=True, slots=True)
class Channel:
    name: str  # its label is in work/messages.py
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
            30,
            DISPLAY_WIDTH,
            per_line=True,
        ),
        Channel(
            "google_ads_description",
            90,
            DISPLAY_WIDTH,
            per_line=True,
        ),
        Channel("facebook_post", 63_206, UTF16, preview=125),
        Channel(
            "instagram_caption",
            2_200,
            UTF16,
            hashtags=True,
        ),
        Channel("x_post", 280, X_WEIGHTED),
        Channel("line_message", 5_000, UTF16),
        Channel("blog", None),
        Channel("other", None),
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
    spec = channel_spec(channel)
    if spec.per_line:
        return max((_count(line, spec.unit)[0] for line in _lines(text)), default=0)
    return _count(text, spec.unit)[0]


def channel_spec(name: str) -> Channel:
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


# --- findings -------------------------------------------------------------------------


def length_findings(text: str, spec: Channel) -> list[Finding]:
    if spec.limit is None:
        return []
    findings = []
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
            finding(
                "length",
                "length_line" if numbered else "length",
                rule=spec.name,
                severity=ERROR,
                span=(offset + start, offset + len(piece)),
                channel=spec.name,
                line=index if numbered else 0,
                count=total,
                limit=spec.limit,
                unit=spec.unit,
            )
        )
    if spec.preview is not None and len(text) > spec.preview:
        total, start = _count(text, GRAPHEMES, spec.preview)
        if start is not None:
            findings.append(
                finding(
                    "length",
                    "preview",
                    rule=f"{spec.name}:see_more",
                    severity=WARNING,
                    span=(start, len(text)),
                    channel=spec.name,
                    limit=spec.preview,
                    count=total,
                )
            )
    return findings


_HASHTAG = regex.compile(r"(?<![\p{L}\p{N}\p{M}_&#＃/])[#＃][\p{L}\p{N}\p{M}_]+")


def hashtags(text: str) -> list[tuple[int, int]]:
    """Spans of the hashtags (# or full-width ＃ and letters, digits or _)."""
    return [m.span() for m in _HASHTAG.finditer(text)]


def hashtag_findings(text: str, spec: Channel, limit: int) -> list[Finding]:
    tags = hashtags(text)
    if len(tags) <= limit:
        return []
    return [
        finding(
            "hashtags",
            "hashtags",
            rule=spec.name,
            severity=ERROR,
            span=(tags[limit][0], tags[-1][1]),
            channel=spec.name,
            count=len(tags),
            limit=limit,
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


def utm_findings(text: str, rules: Rules, spec: Channel | None) -> list[Finding]:
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
            finding(
                "utm",
                "utm",
                rule=",".join(missing),
                severity=WARNING,
                span=(start, end),
                replacement=fixed,
                missing=missing,
                url=url,
            )
        )
    return findings
