"""Reading the RACI sheets people keep in their own layout (pure, no Django).

`read_grid(rows, merged)` takes a sheet as rows of cell values (row 1 first) and the
merged ranges of the sheet, and finds the matrix in it the way a person would:

1. Legends are set aside: a cell "R = Responsible" / "A: Accountable", a cell
   "Responsible" (or "Accountable", "Consulted", "Informed", 負責/當責/諮詢/告知) alone,
   or such a word right of a single letter ("R" | "Responsible - does the work").
2. The header is the row above a block of RACI letters that names the parties: every
   row of the first `HEADER_SCAN` is scored by the parties whose cell names something
   and whose cells below, in the rows that hold letters (`LOOKAHEAD` of them), are
   letters or "not involved" (one cell in four, or a single cell, may be anything
   else). The role columns run from the first such column to the last; a named column
   with no letters between them is a party not involved anywhere. A header cell merged
   across columns is one party over sub-columns (Vertex42's template); a header whose
   names repeat ("User" under two people) takes the names of the row above. Title rows
   and merged title cells above score nothing. The highest score wins; on a tie, the
   row with names left of the role columns (the activity header), then the upper one.
   A header of the roles themselves (R | A | C | I with names in the cells) is refused
   as `roles_as_columns`.
3. The activity column is the text column left of the role columns: one headed
   Activity/Task/Deliverable/工作項目…, else the rightmost column filled in most letter
   rows that is not numbers. A column of numbers left of it is a step id (skipped); a
   text column left of it headed Function/Phase/Stage/Area/職能/階段…, or filled only
   on some rows (a section start), is the function, carried down.
4. Below the header: a row with letters is an activity. A row with text and no letters
   is a section (its text becomes the function of the activities below it), unless its
   name is merged down over the next rows (their letters are its), or its empty letter
   cells are merged from the row above (openpyxl's read-only rows do not show merges;
   `merged` does): then its text continues the task above. A row with letters but no
   activity text whose activity cell is merged from above adds its letters to that
   task. A row with text in the role columns and no letters at all (notes, a totals or
   data-source table below the matrix) is skipped.
5. Cells are read by `validation.read_cell`: "A/R", "R (A)", "RA", full-width letters;
   "N", "-", "x", "—", "n/a" and empty as not involved. Letters crewplan has no role for
   (RASCI's S, V, Q…) are reported per cell (`unknown_letters`); the cell's R/A/C/I
   letters are kept. Text in a role column of an activity row is `bad_cell`.
6. A row directly under the header giving internal/external (內部/外部) under the role
   columns states the parties' kinds; without it a kind is guessed from the column's
   name (agency, vendor, 代理商, 外部… is external) and `kinds_stated` is False, so the
   import maps the columns to teams instead of trusting the guess.

Activities before any function get the function `default_function` (the sheet's name).
What was understood (header row, columns, skipped rows and why) is in `Layout`, for
people to check before they import. Cost: O(rows × columns), one pass plus the header
scan over the first `HEADER_SCAN + LOOKAHEAD` rows.
"""

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from crewplan.lib.xlsxfile import UnusableFile
from crewplan.raci.validation import (
    EXTERNAL,
    INTERNAL,
    Activity,
    CellReading,
    Matrix,
    Party,
    Role,
    infer_kind,
    read_cell,
)

MAX_PARTIES = 200
HEADER_SCAN = 40  # rows searched for the header
LOOKAHEAD = 60  # letter rows below a candidate header that score it
MAX_MERGED_ROWS = 100_000  # rows inside merged ranges that are indexed

ACTIVITY_WORDS = (
    "activity",
    "activities",
    "task",
    "tasks",
    "deliverable",
    "deliverables",
    "step",
    "work item",
    "work package",
    "process",
    "工作項目",
    "工作",
    "項目",
    "任務",
    "活動",
    "作業",
    "交付",
    "aufgabe",
    "tâche",
    "tache",
    "titre de la tâche",
    "tarea",
    "taak",
)
FUNCTION_WORDS = (
    "function",
    "phase",
    "stage",
    "area",
    "category",
    "section",
    "group",
    "workstream",
    "key management area",
    "職能",
    "階段",
    "類別",
    "分類",
    "功能",
    "部門",
)
EXTERNAL_WORDS = (
    "agency",
    "vendor",
    "supplier",
    "contractor",
    "external",
    "partner",
    "consultancy",
    "freelance",
    "外部",
    "代理商",
    "廠商",
    "外包",
    "供應商",
    "顧問公司",
)
TEAM_KIND_WORDS = {"internal": INTERNAL, "內部": INTERNAL, "external": EXTERNAL, "外部": EXTERNAL}

_LEGEND_NAMES = (
    r"(?:responsible|accountable|consulted|consultant|consult|informed|inform|information"
    r"|support|supportive|負責|當責|諮詢|告知|知會|支援)"
)
_LEGEND_ALONE = re.compile(rf"^{_LEGEND_NAMES}(?:者|人)?(?:\s*[(（]?[racis][)）]?)?$")
_LEGEND_PREFIXED = re.compile(rf"^[(（]?[racis][)）]?\s*[:：=＝\-–—]\s*{_LEGEND_NAMES}")
_LEGEND_AFTER_LETTER = re.compile(rf"^{_LEGEND_NAMES}(?![a-z])")
_LEGEND_SUFFIXED = re.compile(rf"^{_LEGEND_NAMES}\s*[(（][racis][)）]")
_NUMBER = re.compile(r"^[#№]?\s*\d+(?:[.\-]\d+)*[.)]?$")


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RoleColumn:
    column: str  # the sheet's column letter, "C"
    header: str  # the party's name as written
    kind: str  # INTERNAL or EXTERNAL, stated or guessed (Layout.kinds_stated)


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row that is not an activity. `reason`: above_header (titles, notes), legend,
    kinds (the internal/external row), section (its text is the function below),
    continuation (a task's second row, merged from the row above: its text or letters
    went to that task), note (text but no letters: notes, totals, a table below)."""

    row: int
    reason: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    """How the sheet was understood. `source`: "crewplan" (crewplan's own layout,
    docs/raci.md), "xlsx" or "csv" (a layout of people's own)."""

    source: str = "crewplan"
    sheet: str = ""
    header_row: int = 1
    activity_column: str = "B"
    activity_header: str = ""
    function_column: str = ""
    function_header: str = ""
    id_column: str = ""
    role_columns: tuple[RoleColumn, ...] = ()
    kinds_stated: bool = True
    skipped: tuple[SkippedRow, ...] = ()
    encoding: str = ""  # a CSV's, e.g. "cp950"
    delimiter: str = ""  # a CSV's


@dataclass(frozen=True, slots=True)
class ReadResult:
    matrix: Matrix
    problems: tuple[RowProblem, ...]
    rows: Mapping[str, int]  # activity key -> sheet row, for showing where things are
    layout: Layout = field(default_factory=Layout)


Merge = tuple[int, int, int, int]  # min_row, min_col, max_row, max_col (1-based, inclusive)


def folded(text: str) -> str:
    """Keywords compared without regard to case or full-width letters (Ｒ, ｉｎｔｅｒｎａｌ)."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_number(value: object, text: str) -> bool:
    return isinstance(value, int | float) or bool(_NUMBER.match(text))


def _is_letter(text: str) -> bool:
    letter = folded(text).strip("()（） ")
    return len(letter) == 1 and letter in "racis"


# How a legend cell can start (folded): a letter, a bracket, or a role word's first.
_LEGEND_FIRST = frozenset("(（racis負當諮告知支")


def _set_legends_aside(texts: list[list[str]]) -> set[int]:
    """Blank the legend cells in place; the indexes of rows that held one."""
    rows: set[int] = set()
    for r, row in enumerate(texts):
        for c, text in enumerate(row):
            if not text or folded(text[0]) not in _LEGEND_FIRST or len(text) < 4:
                continue  # "R", "A/R", names: not a legend ("Responsible" is longer)
            low = folded(text)
            if (
                _LEGEND_ALONE.match(low)
                or _LEGEND_PREFIXED.match(low)
                or _LEGEND_SUFFIXED.match(low)
            ):
                if c > 0 and _is_letter(row[c - 1]):
                    row[c - 1] = ""
                row[c] = ""
                rows.add(r)
            elif c > 0 and _LEGEND_AFTER_LETTER.match(low) and _is_letter(row[c - 1]):
                row[c] = row[c - 1] = ""
                rows.add(r)
    return rows


@dataclass(slots=True)
class _Sheet:
    values: list[tuple[object, ...]]
    texts: list[list[str]]
    cells: list[list[CellReading | None]]
    width: int

    def letters_in(self, r: int, columns: Sequence[int]) -> bool:
        row = self.cells[r]
        return any(
            c < len(row)
            and (reading := row[c]) is not None
            and bool(reading.roles or reading.unknown)
            for c in columns
        )


def _sheet(rows: Sequence[Sequence[object]]) -> _Sheet:
    width = max((len(r) for r in rows), default=0)
    values = [tuple(r) + (None,) * (width - len(r)) for r in rows]
    texts = [[_text(v) for v in row] for row in values]
    return _Sheet(values=values, texts=texts, cells=[], width=width)


def _spans(merged: Sequence[Merge], h: int) -> dict[int, int]:
    """Column -> the first column of a header cell merged across columns on row `h`
    (0-based): a party over several sub-columns (Vertex42's template: one per letter)."""
    owners: dict[int, int] = {}
    for top, left, _bottom, right in merged:
        if top == h + 1 and right > left:
            for c in range(left - 1, right):
                owners[c] = left - 1
    return owners


def _header_and_roles(
    sheet: _Sheet, merged: Sequence[Merge]
) -> tuple[int, list[int], dict[int, int]] | None:
    letter_rows = [
        r for r, row in enumerate(sheet.cells) if any(c is not None and c.roles for c in row)
    ]
    best: tuple[tuple[int, int, int], int, list[int], dict[int, int]] | None = None
    for h in range(min(len(sheet.texts), HEADER_SCAN)):
        owners = _spans(merged, h)
        header = [sheet.texts[h][owners.get(c, c)] for c in range(sheet.width)]
        if not any(header):
            continue
        below = [r for r in letter_rows if r > h][:LOOKAHEAD]
        if not below:
            break
        candidates: list[bool] = []
        blank: list[bool] = []
        for c in range(sheet.width):
            roles = text = 0
            for r in below:
                reading = sheet.cells[r][c]
                if reading is None:
                    text += 1
                elif reading.roles or reading.unknown:
                    roles += 1
            named = bool(header[c]) and not _names_roles(header[c])
            candidates.append(named and roles > 0 and text <= max(1, roles // 4))
            blank.append(named and roles == 0 and text == 0)
        # The role columns need the activity names left of them.
        left_text = [
            any(sheet.texts[r][c] and sheet.cells[r][c] is None for r in below)
            for c in range(sheet.width)
        ]
        first = next((c for c, ok in enumerate(candidates) if ok and any(left_text[:c])), None)
        if first is None:
            continue
        run: list[int] = []
        pending: list[int] = []
        for c in range(first, sheet.width):
            if candidates[c]:
                run += [*pending, c]
                pending = []
            elif blank[c]:
                pending.append(c)
            elif not header[c] and not any(sheet.texts[r][c] for r in below):
                continue  # an empty spacer column
            else:
                break
        score = (
            len({owners.get(c, c) for c in run if candidates[c]}),  # parties, not columns
            1 if any(header[:first]) else 0,
            -h,
        )
        if best is None or score > best[0]:
            best = (score, h, run, owners)
    if best is None:
        return None
    return best[1], best[2], best[3]


_ROLE_HEADERS = {
    "r": "R",
    "a": "A",
    "c": "C",
    "i": "I",
    "responsible": "R",
    "accountable": "A",
    "consulted": "C",
    "informed": "I",
    "負責": "R",
    "當責": "A",
    "諮詢": "C",
    "告知": "I",
    "responsable": "R",
    "approbateur": "A",
    "consulté": "C",
    "informé": "I",
}


def _role_header_row(row: Sequence[str]) -> bool:
    """R | A | C | I (or Responsible | Accountable | …) as cells of one row."""
    letters = [x for x in (_ROLE_HEADERS.get(folded(t).strip("() ")) for t in row) if x]
    return len(letters) >= 3 and len(set(letters)) == len(letters) and {"R", "A"} <= set(letters)


def _roles_as_columns(texts: Sequence[Sequence[str]]) -> bool:
    """The other layout: one column per role (R | A | C | I, or Responsible |
    Accountable | …) with the names of people or teams in the cells below."""
    for r, row in enumerate(texts[:HEADER_SCAN]):
        if not _role_header_row(row):
            continue
        found = [c for c, t in enumerate(row) if _ROLE_HEADERS.get(folded(t).strip("() "))]
        below = next((b for b in texts[r + 1 :] if any(b)), None)
        if (
            below is not None
            and sum(1 for c in found if c < len(below) and below[c] and read_cell(below[c]) is None)
            >= 2
        ):
            return True
    return False


def _names_roles(text: str) -> bool:
    """A header cell that is itself RACI letters ("R", "A/R") names no party."""
    reading = read_cell(text)
    return reading is not None and bool(reading.roles or reading.unknown) and len(text) <= 5


def _pick_columns(
    sheet: _Sheet, h: int, first_role: int, letter_rows: list[int]
) -> tuple[int, int | None, int | None]:
    """(activity column, function column or None, id column or None)."""
    header = [folded(t) for t in sheet.texts[h]]
    stats: list[tuple[int, int]] = []  # (filled, numeric) per column left of the roles
    for c in range(first_role):
        filled = numeric = 0
        for r in letter_rows:
            text = sheet.texts[r][c]
            if text:
                filled += 1
                numeric += _is_number(sheet.values[r][c], text)
        stats.append((filled, numeric))
    n = max(1, len(letter_rows))

    def texty(c: int) -> bool:
        filled, numeric = stats[c]
        return filled > 0 and numeric * 2 < filled

    named = [c for c in range(first_role) if header[c] in ACTIVITY_WORDS and texty(c)]
    filled_enough = [c for c in range(first_role) if texty(c) and stats[c][0] * 2 >= n]
    any_text = [c for c in range(first_role) if texty(c)]
    choices = named or filled_enough or any_text
    if not choices:
        raise UnusableFile("no_activity_column")
    activity = choices[-1]
    ids = [c for c in range(activity) if stats[c][0] and stats[c][1] * 5 >= stats[c][0] * 4]
    function: int | None = None
    for c in range(activity - 1, -1, -1):
        if c in ids:
            continue
        if header[c] in FUNCTION_WORDS or (texty(c) and stats[c][0] < stats[activity][0]):
            function = c
            break
    return activity, function, ids[-1] if ids else None


class _Merges:
    """The merged ranges by row, so that each row asks only about its own: a sheet can
    hold thousands of merges. Rows inside a merge are indexed up to MAX_MERGED_ROWS in
    all (past that, continuation rows are told by their empty letters alone)."""

    def __init__(self, merged: Sequence[Merge]) -> None:
        self.below: dict[int, list[tuple[int, int]]] = {}  # row -> (left, right) covered
        self.starts: dict[int, list[tuple[int, int, int]]] = {}  # top -> (left, right, bottom)
        budget = MAX_MERGED_ROWS
        for top, left, bottom, right in merged:
            self.starts.setdefault(top, []).append((left, right, bottom))
            for row in range(top + 1, min(bottom, top + budget) + 1):
                self.below.setdefault(row, []).append((left, right))
            budget -= max(0, bottom - top)
            if budget <= 0:
                break

    def covered(self, row: int, column: int) -> bool:
        """Whether the cell (1-based) is inside a merge that starts on a row above."""
        return any(left <= column <= right for left, right in self.below.get(row, ()))

    def merged_down(self, row: int, column: int) -> bool:
        """Whether the cell (1-based) starts a merge over the rows below it."""
        return any(
            left <= column <= right and bottom > row
            for left, right, bottom in self.starts.get(row, ())
        )

    def starts_on(self, row: int) -> bool:
        return row in self.starts


def _guess_kind(header: str) -> str:
    low = folded(header)
    return EXTERNAL if any(word in low for word in EXTERNAL_WORDS) else INTERNAL


def read_grid(
    rows: Sequence[Sequence[object]],
    merged: Sequence[Merge] = (),
    *,
    source: str = "xlsx",
    sheet_name: str = "",
    default_function: str = "RACI",
) -> ReadResult | None:
    """The matrix in a sheet of people's own layout, or None when no row looks like a
    RACI header (the caller tries the next sheet or refuses the file). Raises
    UnusableFile when the header is found but cannot be used (duplicate_party,
    too_many_parties, no_activity_column)."""
    sheet = _sheet(rows)
    legend_rows = _set_legends_aside(sheet.texts)
    seen_cells: dict[str, CellReading | None] = {}  # a sheet repeats a handful of texts
    sheet.cells = [
        [seen_cells[t] if t in seen_cells else seen_cells.setdefault(t, read_cell(t)) for t in row]
        for row in sheet.texts
    ]
    merges = _Merges(merged)
    found = _header_and_roles(sheet, merged)
    if found is None:
        if _roles_as_columns(sheet.texts):
            raise UnusableFile("roles_as_columns")
        return None
    h, role_columns, owners = found
    header = [sheet.texts[h][owners.get(c, c)] for c in range(sheet.width)]
    if _role_header_row([header[c] for c in role_columns]):
        raise UnusableFile("roles_as_columns")
    letter_rows = [r for r in range(h + 1, len(sheet.texts)) if sheet.letters_in(r, role_columns)]
    activity_col, function_col, id_col = _pick_columns(sheet, h, role_columns[0], letter_rows)

    skipped: list[SkippedRow] = []
    for r in range(h):
        if any(sheet.texts[r]) or r in legend_rows:
            reason = "legend" if r in legend_rows and not any(sheet.texts[r]) else "above_header"
            skipped.append(SkippedRow(r + 1, reason, _row_text(rows[r])))
    start = h + 1
    kinds: dict[int, str] = {}
    if start < len(sheet.texts):
        under = {c: folded(sheet.texts[start][c]) for c in role_columns if sheet.texts[start][c]}
        if under and all(word in TEAM_KIND_WORDS for word in under.values()):
            kinds = {c: TEAM_KIND_WORDS[word] for c, word in under.items()}
            skipped.append(SkippedRow(start + 1, "kinds", _row_text(rows[start])))
            start += 1
    kinds_stated = bool(kinds)
    # Header cells merged down over the next row (a two-row header): that row is header.
    while (
        start < len(sheet.texts)
        and not sheet.letters_in(start, role_columns)
        and any(merges.covered(start + 1, c + 1) for c in role_columns)
        and all(merges.covered(start + 1, c + 1) or not sheet.texts[start][c] for c in role_columns)
        and merges.starts_on(h + 1)
    ):
        skipped.append(SkippedRow(start + 1, "above_header", _row_text(rows[start])))
        start += 1

    spans: dict[int, list[int]] = {}  # a party's first column -> its columns
    for c in role_columns:
        spans.setdefault(owners.get(c, c), []).append(c)
    names = {c: header[c] for c in spans}
    if len({folded(n) for n in names.values()}) < len(names) and h > 0:
        # A two-row header: people on the row above (often merged over their roles),
        # their roles on this one ("Sponsor", "User" under each person).
        above_owners = _spans(merged, h - 1)
        above = {c: sheet.texts[h - 1][above_owners.get(c, c)] for c in spans}
        if all(above.values()):
            names = {c: f"{above[c]} – {names[c]}" for c in spans}
    parties: list[tuple[list[int], Party]] = []
    seen: set[str] = set()
    for c, columns in spans.items():
        name = names[c]
        if folded(name) in seen:
            raise UnusableFile("duplicate_party", name)
        seen.add(folded(name))
        kind = kinds.get(c) or _guess_kind(name)
        parties.append((columns, Party(key=name, name=name, kind=kind)))
    if len(parties) > MAX_PARTIES:
        raise UnusableFile("too_many_parties")

    activities: list[Activity] = []
    cells: dict[tuple[str, str], frozenset[Role]] = {}
    problems: list[RowProblem] = []
    where: dict[str, int] = {}
    names_seen: set[tuple[str, str]] = set()
    function = ""
    last: Activity | None = None
    for r in range(start, len(sheet.texts)):
        number = r + 1
        texts = sheet.texts[r]
        if not any(texts):
            if r in legend_rows:
                skipped.append(SkippedRow(number, "legend", _row_text(rows[r])))
            continue
        name = texts[activity_col]
        has_letters = sheet.letters_in(r, role_columns)
        if function_col is not None and texts[function_col]:
            function = texts[function_col]
        # A task's name merged down over the rows that hold its letters.
        name_merged_down = bool(name) and merges.merged_down(number, activity_col + 1)
        if not has_letters and not name_merged_down:
            role_text = any(texts[c] and sheet.cells[r][c] is None for c in role_columns)
            fn_text = texts[function_col] if function_col is not None else ""
            if role_text or not (name or fn_text) or read_cell(name or fn_text) is not None:
                # Notes, a table below the matrix, a row of "N"s: nothing to read.
                skipped.append(SkippedRow(number, "note", _row_text(rows[r])))
            elif (
                last is not None
                and name
                and any(merges.covered(number, c + 1) for c in role_columns)
            ):
                last = _continue(last, name, activities)
                skipped.append(SkippedRow(number, "continuation", name))
            elif function_col is not None and texts[function_col] and not name:
                skipped.append(SkippedRow(number, "section", texts[function_col]))
            else:
                function = name
                skipped.append(SkippedRow(number, "section", function))
            continue
        if not name and _role_header_row([texts[c] for c in role_columns]):
            skipped.append(SkippedRow(number, "note", _row_text(rows[r])))  # a totals table
            continue
        row_cells: dict[str, frozenset[Role]] = {}
        for columns, party in parties:
            readings = [sheet.cells[r][c] for c in columns]
            text = " ".join(texts[c] for c in columns if texts[c])
            if any(reading is None for reading in readings):
                problems.append(RowProblem(number, "bad_cell", {"column": party.key, "text": text}))
                continue
            roles = frozenset().union(*(x.roles for x in readings if x is not None))
            unknown = "".join(x.unknown for x in readings if x is not None)
            if unknown:
                problems.append(
                    RowProblem(
                        number,
                        "unknown_letters",
                        {"column": party.key, "text": text, "letters": "/".join(unknown)},
                    )
                )
            if roles:
                row_cells[party.key] = roles
        if not name:
            if last is not None and merges.covered(number, activity_col + 1):
                for party_key, roles in row_cells.items():
                    cells[(last.key, party_key)] = (
                        cells.get((last.key, party_key), frozenset()) | roles
                    )
                skipped.append(SkippedRow(number, "continuation", last.name))
            else:
                problems.append(RowProblem(number, "no_activity_name"))
            continue
        fn = function or default_function
        if (fn.lower(), name.lower()) in names_seen:
            problems.append(RowProblem(number, "duplicate_activity", {"text": name}))
            continue
        names_seen.add((fn.lower(), name.lower()))
        key = f"row{number}"
        last = Activity(key=key, name=name, function=fn, kind=infer_kind(name))
        activities.append(last)
        where[key] = number
        for party_key, roles in row_cells.items():
            cells[(key, party_key)] = roles

    letter = get_column_letter
    layout = Layout(
        source=source,
        sheet=sheet_name,
        header_row=h + 1,
        activity_column=letter(activity_col + 1),
        activity_header=header[activity_col],
        function_column=letter(function_col + 1) if function_col is not None else "",
        function_header=header[function_col] if function_col is not None else "",
        id_column=letter(id_col + 1) if id_col is not None else "",
        role_columns=tuple(
            RoleColumn(
                letter(cs[0] + 1) + (f"–{letter(cs[-1] + 1)}" if len(cs) > 1 else ""),
                p.name,
                p.kind,
            )
            for cs, p in parties
        ),
        kinds_stated=kinds_stated,
        skipped=tuple(skipped),
    )
    matrix = Matrix(parties=tuple(p for _, p in parties), activities=tuple(activities), cells=cells)
    return ReadResult(matrix=matrix, problems=tuple(problems), rows=where, layout=layout)


def _continue(last: Activity, more: str, activities: list[Activity]) -> Activity:
    """The task above with the continuation row's text added to its name."""
    joined = Activity(
        key=last.key,
        name=f"{last.name} {more}",
        function=last.function,
        kind=infer_kind(f"{last.name} {more}"),
        split=last.split,
    )
    activities[activities.index(last)] = joined
    return joined


def _row_text(row: Sequence[object]) -> str:
    """A skipped row as one short line, for showing what was skipped."""
    text = " | ".join(t for t in (_text(v) for v in row) if t)
    return text if len(text) <= 80 else text[:79] + "…"
