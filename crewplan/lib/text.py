"""Text that people typed, made safe for places with stricter rules than a web page."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def single_line(text: str) -> str:
    """`text` on one line, as e-mail subjects must be: CR, LF, tabs, NUL and every other
    control character (Unicode categories Cc, Zl, Zp) become a space, runs of spaces
    collapse to one. A title with a line break in it would otherwise make the mail
    library refuse the header (header injection)."""
    cleaned = "".join(
        " " if unicodedata.category(char) in {"Cc", "Zl", "Zp"} else char for char in text
    )
    return _SPACES.sub(" ", cleaned).strip()


def fold(text: str) -> str:
    """`text` as a key that compares names the way people mean them: NFKC (full-width
    letters and digits become plain ones), case folded, runs of spaces collapsed. A file's
    "ＦＡＣＥＢＯＯＫ " and "facebook" are the same channel name."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def fold_spaceless(text: str) -> str:
    """`fold` with the spaces dropped altogether: headings and names that people write
    with or without them (預算 項目 and 預算項目, "AB 0001" and "AB0001") are one key."""
    return fold(text).replace(" ", "")
