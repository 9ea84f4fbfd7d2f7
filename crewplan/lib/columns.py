"""Text columns for command-line tables that line up in a terminal with Chinese in them.

A terminal shows a wide character (East Asian Width W or F: 通路, full-width ，and Ａ)
in two columns, a combining mark in none and anything else in one; Python's
`f"{name:<20}"` counts characters, so a Chinese channel name pushed every later column
out of line. `pad` counts display columns instead (no Django).

    pad("網路廣告", 12)        # "網路廣告    ": 8 columns of text, 4 spaces
    pad("12,000", 10, ">")    # right-aligned
    row(("通路", 12), ("花費", 10, ">"))
"""

import unicodedata
from typing import Literal

Align = Literal["<", ">"]
Cell = tuple[str, int] | tuple[str, int, Align]


def display_width(text: str) -> int:
    """The columns `text` takes in a terminal."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in {"Mn", "Me", "Cf"}:
            continue
        width += 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1
    return width


def pad(text: str, width: int, align: Align = "<") -> str:
    """`text` padded with spaces to `width` display columns (left or right aligned);
    longer text is left as it is, as f-string padding does."""
    fill = " " * max(0, width - display_width(text))
    return text + fill if align == "<" else fill + text


def row(*cells: Cell) -> str:
    """Cells (text, width[, align]) joined by one space."""
    return " ".join(pad(*cell) for cell in cells)
