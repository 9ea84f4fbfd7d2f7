"""What the browser tests look for on a page, shared by them (tests/browser/test_screens.py
walks every page with it): English left on a Chinese page, internal code names, and what
sticks out sideways."""

import re
from functools import cache
from itertools import groupby
from pathlib import Path

import polib

PO = Path(__file__).resolve().parents[1] / "crewplan" / "locale" / "zh_Hant" / "LC_MESSAGES"

# English that may stand on a Chinese page. Acronyms (two or more capitals or digits:
# KPI, ROI, RACI, CSV, XLSX, PDF, LINE, SHOPLINE, GA4, IG, POP) are names, not prose, and
# are never counted as English words; nor are URLs and e-mail addresses. Beyond those,
# runs of English words the Chinese catalogue itself uses (its msgstrs) are allowed, and:
ALLOWED_ENGLISH = [
    "crewplan",  # the product
    "Google Ads",  # ad platforms, named as their owners name them
    "ChatGPT Team",  # the demo's AI tools (its own data)
    "Bot Bonnie",
    "Jasper AI",
    "Copy.ai",
]
ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9&]+s?$")
WORD = r"[A-Za-z][A-Za-z0-9]*(?:['’.\-][A-Za-z0-9]+)*"
ENGLISH_RUN = re.compile(rf"{WORD}(?:[ \u00a0]+{WORD})+")
ADDRESS = re.compile(
    r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S+\.(?:xlsx|csv|ics|pdf)\b"
)
CODE_NAME = re.compile(r"(?<![\w.@/-])[a-z]+(?:_[a-z0-9]+)+(?![\w.@/-])")
PLACEHOLDER = re.compile(r"%\([^)]*\)[sdif]|%[sdif]|<[^>]+>|\{[^}]*\}")


# What sticks out on the right, outermost first, skipping what sits in a scroller of its
# own: the failure names the element to fix.
WIDEST = """() => {
  const inScroller = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const x = getComputedStyle(p).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + [...el.classList].map((c) => "." + c).join("");
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const right = el.getBoundingClientRect().right;
    if (right > window.innerWidth + 1 && !inScroller(el)
        && !out.some((o) => o.el.contains(el))) out.push({el, right});
  }
  return out.slice(0, 4).map((o) => name(o.el) + " to " + Math.round(o.right) + "px").join(", ");
}"""


def english_words(text: str) -> list[str]:
    return [w for w in re.findall(WORD, text) if not ACRONYM.match(w)]


@cache
def catalogue() -> tuple[list[tuple[str, re.Pattern[str]]], frozenset[str]]:
    """The msgids of two or more English words whose translation differs from them, as
    patterns (placeholders and markup match anything), and the English runs the
    translations themselves use."""
    patterns: list[tuple[str, re.Pattern[str]]] = []
    used_in_chinese: set[str] = set()
    for entry in polib.pofile(str(PO / "django.po")):
        translations = [entry.msgstr, *entry.msgstr_plural.values()]
        for text in translations:
            used_in_chinese.update(
                ENGLISH_RUN.findall(PLACEHOLDER.sub(" ", ADDRESS.sub(" ", text)))
            )
        for msgid in filter(None, [entry.msgid, entry.msgid_plural]):
            if msgid in translations or len(english_words(PLACEHOLDER.sub(" ", msgid))) < 2:
                continue
            parts = PLACEHOLDER.split(msgid)
            while not parts[0].strip():
                parts.pop(0)
            while not parts[-1].strip():
                parts.pop()
            body = re.sub(r"(?:\\ )+", r"\\s+", ".+?".join(map(re.escape, parts)))
            patterns.append((msgid, re.compile(rf"(?<![A-Za-z]){body}(?![A-Za-z])")))
    return patterns, frozenset(used_in_chinese)


def english_on_chinese_page(text: str) -> list[str]:
    patterns, used_in_chinese = catalogue()
    problems = [f"untranslated msgid {msgid!r}" for msgid, p in patterns if p.search(text)]
    text = ADDRESS.sub(" · ", text)
    for allowed in sorted({*ALLOWED_ENGLISH, *used_in_chinese}, key=len, reverse=True):
        text = text.replace(allowed, " · ")
    # A field's or a code's name (publish_at, changes_requested) is the code's, not a
    # word for people, in either language; it is looked for on Chinese pages.
    if names := list(dict.fromkeys(CODE_NAME.findall(text))):
        problems.append(f"code names shown: {', '.join(names)}")
    for run in ENGLISH_RUN.findall(text):
        # Acronyms split a run: "KPI ROI" is no sentence, "Save changes" is.
        for is_word, group in groupby(run.split(), key=lambda w: not ACRONYM.match(w)):
            words = list(group)
            if is_word and len(words) >= 2:
                problems.append(f"English words {' '.join(words)!r}")
    return problems
