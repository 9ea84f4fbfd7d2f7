"""The RACI grid as an .xlsx file (no Django): the layout of docs/raci.md.

Sheet 1: row 1 `職能`/`Function`, `工作項目`/`Activity`, optional `類型`/`Kind` and
`分工說明`/`Split`, then one column per party, headed by its name (a person is
`Name (Team)`); row 2, under each party, its team kind `internal`/`external`
(`內部`/`外部`); from row 3, one activity per row, cells such as `R`, `A/R`, `R, C`.

`read_matrix()` is tolerant of what people type and reports problems per row instead
of stopping at the first; a file it cannot use at all raises `UnusableFile`.
"""

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

from crewplan.lib import limits as file_limits
from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.language import normalize, pick
from crewplan.lib.sheets import append_row, as_text, sheet_title
from crewplan.lib.xlsxfile import OLE2_MAGIC, UnusableFile, open_workbook
from crewplan.raci.reading import (
    MAX_PARTIES,
    TEAM_KIND_WORDS,
    Layout,
    Merge,
    ReadResult,
    RoleColumn,
    RowProblem,
    folded,
    read_grid,
)
from crewplan.raci.validation import (
    Activity,
    CellError,
    Kind,
    Matrix,
    Party,
    Role,
    Severity,
    format_cell,
    infer_kind,
    parse_cell,
)

MAX_SHEETS = 20  # sheets looked at for a grid in people's own layout
MAX_MERGE_SCAN = 16 * 1024 * 1024  # bytes of sheet XML read again for its merged ranges

__all__ = ["Layout", "ReadResult", "RowProblem", "read_matrix", "write_matrix"]

HEADERS = {
    "function": ("職能", "function"),
    "activity": ("工作項目", "activity"),
    "kind": ("類型", "kind"),
    "split": ("分工說明", "split"),
}
KIND_WORDS = {
    "strategy": Kind.STRATEGY,
    "策略": Kind.STRATEGY,
    "budget": Kind.BUDGET,
    "預算": Kind.BUDGET,
    "execution": Kind.EXECUTION,
    "執行": Kind.EXECUTION,
}
PERSON_HEADER = re.compile(r"^(?P<name>.+?)\s*\((?P<team>[^()]+)\)$")

# The codes of what `read_matrix` refuses (UnusableFile: no_sheet, no_header, no_parties,
# too_many_parties, duplicate_party, bad_team_kind, empty_file, not_text,
# no_activity_column; lib/xlsxfile's own: not_zip, xls_file, strict_ooxml…) and of
# the row problems it reports (bad_cell, unknown_letters, no_activity_name, no_function,
# bad_kind, duplicate_activity) are worded in `raci/messages.py`.


def _clean(value: object) -> str:
    """A cell as text. Names keep their full-width punctuation: only keywords are folded."""
    return "" if value is None else str(value).strip()


def _header_field(text: str) -> str | None:
    lowered = folded(text)
    for name, words in HEADERS.items():
        if lowered in words:
            return name
    return None


def party_header(party: Party, team_names: Mapping[str, str]) -> str:
    return (
        f"{party.name} ({team_names.get(party.team, party.team)})"
        if party.is_person
        else party.name
    )


def read_matrix(
    data: bytes, limits: file_limits.FileLimits | None = None, *, name: str = ""
) -> ReadResult:
    """The matrix in an .xlsx or CSV file: crewplan's own layout (the first sheet), else
    the first sheet holding a RACI grid in a layout of people's own (`raci/reading.py`).
    `name`, the file's name when known, tells a mistyped .xlsx from a CSV; without it
    the bytes decide. `limits` default to `lib/limits.RACI_MATRIX`."""
    limits = limits or file_limits.RACI_MATRIX
    if len(data) > limits.bytes:
        raise file_limits.too_large(limits)
    if not data.strip():
        raise UnusableFile("empty_file")
    binary = data.startswith((b"PK\x03\x04", OLE2_MAGIC))
    if not binary and not name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        return _read_csv(data, limits)
    workbook = open_workbook(data)
    try:
        if not workbook.sheetnames:
            raise UnusableFile("no_sheet")
        looked: list[str] = []
        for title in workbook.sheetnames[:MAX_SHEETS]:
            sheet = workbook[title]
            rows = list(file_limits.limited_rows(sheet, limits, header_rows=2))
            if not looked and _is_own_layout(rows):
                return _read_own_layout(rows)
            looked.append(title)
            result = read_grid(
                rows,
                _merged_ranges(workbook, sheet),
                source="xlsx",
                sheet_name=title,
                default_function=title,
            )
            if result is not None:
                return result
    finally:
        workbook.close()
    raise UnusableFile("no_header", ", ".join(looked) if len(looked) > 1 else "")


def _is_own_layout(rows: Sequence[Sequence[object]]) -> bool:
    """Row 1 starts 職能/Function, 工作項目/Activity and row 2 gives a team kind under a
    party column, or there is nothing but that header (refused as `no_parties`)."""
    if not rows:
        return False
    header = [_clean(v) for v in rows[0]]
    if len(header) < 2 or _header_field(header[0]) != "function":
        return False
    if _header_field(header[1]) != "activity":
        return False
    kinds = [folded(_clean(v)) for v in rows[1]] if len(rows) > 1 else []
    fixed = [i for i, t in enumerate(header) if _header_field(t) is not None]
    parties = [i for i in range(len(fixed), len(header)) if header[i]]
    return not parties or any(i < len(kinds) and kinds[i] in TEAM_KIND_WORDS for i in parties)


def _read_csv(data: bytes, limits: file_limits.FileLimits) -> ReadResult:
    try:
        text, encoding = decode_text(data)
    except NotText:
        raise UnusableFile("not_text") from None
    if "\x00" in text:
        raise UnusableFile("not_text")
    delimiter = _delimiter(text)
    rows: list[list[str]] = []
    last = 2 + limits.rows
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            if any(v.strip() for v in row[limits.columns :]):
                raise file_limits.too_many_columns(limits)
            if number > last:
                if any(v.strip() for v in row):
                    raise file_limits.too_many_rows(limits)
                continue
            rows.append(row[: limits.columns])
    except csv.Error:  # a field longer than csv's own limit
        raise UnusableFile("not_text") from None
    if _is_own_layout(rows):
        own = _read_own_layout(rows)
        return replace(own, layout=replace(own.layout, encoding=encoding, delimiter=delimiter))
    result = read_grid(rows, (), source="csv", default_function="RACI")
    if result is None:
        raise UnusableFile("no_header")
    layout = replace(result.layout, encoding=encoding, delimiter=delimiter)
    return replace(result, layout=layout)


def _delimiter(text: str) -> str:
    """The CSV's delimiter: comma, semicolon (Excel in much of Europe) or tab."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (",", ";", "\t")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


_MERGE_REF = re.compile(
    rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Za-z]{1,3}[0-9]{1,7}:[A-Za-z]{1,3}[0-9]{1,7})\""
)


def _merged_ranges(workbook: Any, sheet: Any) -> list[Merge]:
    """The sheet's merged ranges: openpyxl's read-only sheets do not give them. They
    stand in `<mergeCells>` after the sheet's data, where no cell text can reach (text
    inside cells has its "<" escaped), so the part's tail is searched for their `ref`
    attributes instead of parsing every row a second time. Skipped for a sheet part over
    MAX_MERGE_SCAN bytes (then continuation rows are told by their empty letters)."""
    archive = getattr(workbook, "_archive", None)
    path = getattr(sheet, "_worksheet_path", None)
    if archive is None or path is None:
        return []
    try:
        if archive.getinfo(path).file_size > MAX_MERGE_SCAN:
            return []
        xml = archive.read(path)
    except (KeyError, OSError, ValueError):
        return []
    end = xml.rfind(b"sheetData>")
    merged: list[Merge] = []
    for ref in _MERGE_REF.findall(xml, max(end, 0)):
        left, top, right, bottom = range_boundaries(ref.decode("ascii"))
        if left and top and right and bottom:
            merged.append((top, left, bottom, right))
    return merged


def _read_own_layout(rows: Sequence[Sequence[object]]) -> ReadResult:
    """crewplan's own layout (docs/raci.md), read as it always was."""
    header = [_clean(v) for v in rows[0]]
    kinds = [folded(_clean(v)) for v in rows[1]] if len(rows) > 1 else []
    fixed: dict[str, int] = {}
    first_party = 0
    for index, text in enumerate(header):
        field_name = _header_field(text)
        if field_name is None or field_name in fixed:
            first_party = index
            break
        fixed[field_name] = index
    else:
        first_party = len(header)
    party_columns = [(i, header[i]) for i in range(first_party, len(header)) if header[i]]
    if not party_columns:
        raise UnusableFile("no_parties")
    if len(party_columns) > MAX_PARTIES:
        raise UnusableFile("too_many_parties")
    parties: list[tuple[int, Party]] = []
    seen: set[str] = set()
    for index, text in party_columns:
        if folded(text) in seen:
            raise UnusableFile("duplicate_party", text)
        seen.add(folded(text))
        kind = TEAM_KIND_WORDS.get(kinds[index] if index < len(kinds) else "")
        if kind is None:
            raise UnusableFile("bad_team_kind", text)
        person = PERSON_HEADER.match(text.replace("（", "(").replace("）", ")"))
        if person:
            party = Party(
                key=text,
                name=person["name"].strip(),
                kind=kind,
                is_person=True,
                team=person["team"].strip(),
            )
        else:
            party = Party(key=text, name=text, kind=kind)
        parties.append((index, party))

    activities: list[Activity] = []
    cells: dict[tuple[str, str], frozenset[Role]] = {}
    problems: list[RowProblem] = []
    where: dict[str, int] = {}
    names_seen: set[tuple[str, str]] = set()
    function = ""
    for number, values in enumerate(rows[2:], start=3):
        values = tuple(values) + (None,) * max(0, len(header) - len(values))
        texts = [_clean(v) for v in values]
        if not any(texts):
            continue
        function = texts[0] or function
        name = texts[1]
        row_cells: dict[str, frozenset[Role]] = {}
        for index, party in parties:
            try:
                roles = parse_cell(values[index] if index < len(values) else None)
            except CellError:
                problems.append(
                    RowProblem(number, "bad_cell", {"column": party.key, "text": texts[index]})
                )
                continue
            if roles:
                row_cells[party.key] = roles
        if not name:
            problems.append(RowProblem(number, "no_activity_name"))
            continue
        if not function:
            problems.append(RowProblem(number, "no_function"))
        kind_text = folded(texts[fixed["kind"]]) if "kind" in fixed else ""
        kind = KIND_WORDS.get(kind_text) if kind_text else infer_kind(name)
        if kind is None:
            problems.append(RowProblem(number, "bad_kind", {"text": texts[fixed["kind"]]}))
            kind = infer_kind(name)
        if (function.lower(), name.lower()) in names_seen:
            problems.append(RowProblem(number, "duplicate_activity", {"text": name}))
            continue
        names_seen.add((function.lower(), name.lower()))
        key = f"row{number}"
        split = texts[fixed["split"]] if "split" in fixed else ""
        activities.append(Activity(key=key, name=name, function=function, kind=kind, split=split))
        where[key] = number
        for party_key, roles in row_cells.items():
            cells[(key, party_key)] = roles
    matrix = Matrix(parties=tuple(p for _, p in parties), activities=tuple(activities), cells=cells)
    layout = Layout(
        source="crewplan",
        header_row=1,
        activity_column="B",
        activity_header=header[1],
        function_column="A",
        function_header=header[0],
        role_columns=tuple(RoleColumn(get_column_letter(i + 1), p.key, p.kind) for i, p in parties),
        kinds_stated=True,
    )
    return ReadResult(matrix=matrix, problems=tuple(problems), rows=where, layout=layout)


SHEET_NAMES = {
    "en": ("RACI", "Findings", "Sign-offs"),
    "zh-hant": ("RACI", "檢查結果", "簽核"),
}
LABELS = {
    "en": {
        "function": "Function",
        "activity": "Activity",
        "kind": "Kind",
        "split": "Split",
        "code": "Code",
        "severity": "Severity",
        "parties": "Parties",
        "message": "Finding",
        "fix": "Suggested fix",
        "team": "Team",
        "signed_by": "Signed by",
        "signed_at": "Signed at",
        "internal": "internal",
        "external": "external",
    },
    "zh-hant": {
        "function": "職能",
        "activity": "工作項目",
        "kind": "類型",
        "split": "分工說明",
        "code": "代碼",
        "severity": "嚴重度",
        "parties": "相關對象",
        "message": "檢查結果",
        "fix": "建議修正",
        "team": "團隊",
        "signed_by": "簽核人",
        "signed_at": "簽核時間",
        "internal": "內部",
        "external": "外部",
    },
}
ROLE_FILLS = {
    Role.A: PatternFill("solid", fgColor="FDE2C5"),
    Role.R: PatternFill("solid", fgColor="D6ECF3"),
}


class WordedFinding(Protocol):
    """A finding with its sentences (`raci/messages.Worded`)."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def activity(self) -> str | None: ...
    @property
    def parties(self) -> tuple[str, ...]: ...
    @property
    def message(self) -> str: ...
    @property
    def fix(self) -> str: ...


@dataclass(frozen=True, slots=True)
class SignOffRow:
    team: str
    signed_by: str
    signed_at: str


def write_matrix(
    matrix: Matrix,
    *,
    team_names: Mapping[str, str],
    findings: Sequence[WordedFinding] = (),
    signoffs: Iterable[SignOffRow] = (),
    language: str = "en",
    title: str = "",
) -> bytes:
    """The matrix in the layout `read_matrix()` reads, plus a findings sheet and a
    sign-offs sheet. `team_names` maps a person's team key to the team's name."""
    lang = normalize(language)
    label = LABELS[lang]
    kind_words = {
        Kind.STRATEGY: ("strategy", "策略"),
        Kind.BUDGET: ("budget", "預算"),
        Kind.EXECUTION: ("execution", "執行"),
    }
    book = Workbook()
    grid = book.active
    assert grid is not None
    grid.title = sheet_title(SHEET_NAMES[lang][0])
    bold = Font(bold=True)
    headers = [label["function"], label["activity"], label["kind"], label["split"]]
    headers += [party_header(p, team_names) for p in matrix.parties]
    append_row(grid, headers)
    append_row(grid, ["", "", "", ""] + [label[p.kind] for p in matrix.parties])
    for activity in matrix.activities:
        row: list[Any] = [
            activity.function,
            activity.name,
            pick(kind_words[activity.kind], lang),
            activity.split,
        ]
        row += [format_cell(matrix.cells.get((activity.key, p.key), ())) for p in matrix.parties]
        append_row(grid, row)
    for cell in grid[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_cells in grid.iter_rows(min_row=3, min_col=5):
        for cell in row_cells:
            cell.alignment = Alignment(horizontal="center")
            if cell.value and "A" in str(cell.value):
                cell.fill = ROLE_FILLS[Role.A]
            elif cell.value and "R" in str(cell.value):
                cell.fill = ROLE_FILLS[Role.R]
    grid.freeze_panes = "E3"
    widths = [12, 28, 10, 24] + [max(10, min(24, len(h) * 2)) for h in headers[4:]]
    for index, width in enumerate(widths, start=1):
        grid.column_dimensions[get_column_letter(index)].width = width

    names = {a.key: a.name for a in matrix.activities}
    party_names = {p.key: p.name for p in matrix.parties}
    sheet = book.create_sheet(sheet_title(SHEET_NAMES[lang][1], book.sheetnames))
    append_row(
        sheet,
        [
            label["severity"],
            label["code"],
            label["activity"],
            label["parties"],
            label["message"],
            label["fix"],
        ],
    )
    for f in findings:
        append_row(
            sheet,
            [
                f.severity.value,
                f.code,
                names.get(f.activity or "", ""),
                ", ".join(party_names.get(p, p) for p in f.parties),
                f.message,
                f.fix,
            ],
        )
    for cell in sheet[1]:
        cell.font = bold
    for letter, width in zip("ABCDEF", (10, 28, 24, 24, 60, 50), strict=True):
        sheet.column_dimensions[letter].width = width

    signed = book.create_sheet(sheet_title(SHEET_NAMES[lang][2], book.sheetnames))
    append_row(signed, [label["team"], label["signed_by"], label["signed_at"]])
    for s in signoffs:
        append_row(signed, [s.team, s.signed_by, s.signed_at])
    for cell in signed[1]:
        cell.font = bold
    for letter, width in zip("ABC", (24, 28, 22), strict=True):
        signed.column_dimensions[letter].width = width
    if title:
        book.properties.title = as_text(title)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
