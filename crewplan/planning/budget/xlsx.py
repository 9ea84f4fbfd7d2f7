"""The budget plan as an .xlsx file (no Django): the layout of docs/budget.md.

Sheet `預算` or `Budget`: a header row with `類別`/`Category`, `項目`/`Item`, optional
`工具`/`Tool`, `KPI`, `負責團隊`/`Owner`, then the months `1月`…`12月` (or `Jan`…`Dec`)
or one `全年`/`Annual` column, spread evenly. One line per row below it.
Optional sheet `工具` or `Tools`: `工具`/`Tool`, `類別`/`Category`, `狀態`/`Status`,
`客戶資料`/`Customer data` (yes/no), `席次`/`Seats`, optional `可使用人數`/`Able users`
and `KPI`.

`read_plan()` is tolerant of how people type amounts (`12,000`, `NT$ 3,500`, full-width
digits, blanks) and reports problems per sheet row instead of stopping at the first.
A file it cannot use at all raises `UnusableFile` (its own codes worded in
`planning/budget/messages.py`).
"""

import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from crewplan.lib import limits as file_limits
from crewplan.lib.language import is_chinese, normalize, pick
from crewplan.lib.sheets import Formula, append_row, sheet_title
from crewplan.lib.xlsxfile import UnusableFile, open_workbook
from crewplan.planning.budget.plan import (
    CATEGORY_NAMES,
    ZERO,
    Category,
    Line,
    Plan,
    Tool,
    ToolStatus,
    spread,
)

BUDGET_SHEETS = ("預算", "budget")
TOOL_SHEETS = ("工具", "tools")
_EN_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTH_HEADERS = [{f"{m}月", _EN_MONTHS[m - 1]} for m in range(1, 13)]
ANNUAL = {"全年", "annual"}
COLUMNS = {
    "category": {"類別", "category"},
    "item": {"項目", "item"},
    "tool": {"工具", "tool"},
    "kpi": {"kpi"},
    "owner": {"負責團隊", "owner"},
    "status": {"狀態", "status"},
    "customer_data": {"客戶資料", "customer data"},
    "seats": {"席次", "seats"},
    "able": {"可使用人數", "able users"},
}
CATEGORY_WORDS = (
    {c.value: c for c in Category}
    | {zh: c for c, (_en, zh) in CATEGORY_NAMES.items()}
    | {en.lower(): c for c, (en, _zh) in CATEGORY_NAMES.items()}
)
STATUS_WORDS = {s.value: s for s in ToolStatus} | {
    "候選": ToolStatus.CANDIDATE,
    "試用": ToolStatus.PILOT,
    "使用中": ToolStatus.ACTIVE,
    "已停用": ToolStatus.RETIRED,
}
YES = {"yes", "y", "true", "1", "是", "有", "v", "✓"}
NO = {"no", "n", "false", "0", "否", "無", ""}

ROW_TEXTS = {
    "bad_category": (
        "category “{text}” is not one of the eight budget categories",
        "類別「{text}」不是八種預算類別之一",
    ),
    "no_item": ("a line needs an item name", "每一行預算都需要項目名稱"),
    "bad_amount": ("{column}: “{text}” is not an amount", "{column}：「{text}」不是金額"),
    "negative_amount": ("{column}: amounts cannot be negative", "{column}：金額不能是負數"),
    "unknown_tool": (
        "tool “{text}” is not on the 工具/Tools sheet",
        "工具「{text}」不在「工具」工作表上",
    ),
    "bad_status": (
        "status “{text}” is not candidate, pilot, active or retired",
        "狀態「{text}」不是候選、試用、使用中或已停用",
    ),
    "bad_yes_no": ("{column}: “{text}” is not yes or no", "{column}：「{text}」不是是或否"),
    "bad_count": ("{column}: “{text}” is not a whole number", "{column}：「{text}」不是整數"),
    "duplicate_tool": ("tool “{text}” appears twice", "工具「{text}」重複出現"),
}


@dataclass(frozen=True, slots=True)
class RowProblem:
    sheet: str
    row: int
    code: str
    params: Mapping[str, str] = field(default_factory=dict)

    def message(self, language: str = "en") -> str:
        english, chinese = ROW_TEXTS[self.code]
        return pick((english, chinese), language).format(**self.params)


@dataclass(frozen=True, slots=True)
class ReadPlan:
    plan: Plan
    problems: tuple[RowProblem, ...]
    rows: Mapping[str, int]  # line key -> sheet row


def _fold(value: object) -> str:
    return "" if value is None else unicodedata.normalize("NFKC", str(value)).strip().lower()


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


_MONEY_NOISE = re.compile(r"(?i)nt\$|ntd|twd|us\$|\$|元|,|\s")


def parse_amount(value: object) -> Decimal:
    """An amount as people type it; blank is 0. Raises ValueError when it is not one."""
    if value is None or value == "":
        return ZERO
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))  # the cell's shortest repr, not the binary expansion
    cleaned = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", str(value)))
    if cleaned in ("", "-"):
        return ZERO
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(value) from None


def _sheet(workbook: Any, names: tuple[str, ...]) -> Any:
    for name in workbook.sheetnames:
        if _fold(name) in names:
            return workbook[name]
    return None


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, text in enumerate(header):
        for name, words in COLUMNS.items():
            if text in words and name not in found:
                found[name] = index
    return found


def read_plan(data: bytes, limits: file_limits.FileLimits | None = None) -> ReadPlan:
    """The plan of the file; `limits` (per sheet) default to `lib/limits.BUDGET_PLAN`."""
    limits = limits or file_limits.BUDGET_PLAN
    if len(data) > limits.bytes:
        raise file_limits.too_large(limits)
    workbook = open_workbook(data)
    try:
        problems: list[RowProblem] = []
        tools, tool_rows = _read_tools(workbook, problems, limits)
        sheet = _sheet(workbook, BUDGET_SHEETS)
        if sheet is None:
            raise UnusableFile("no_budget_sheet")
        rows = file_limits.limited_rows(sheet, limits)
        header_cells = list(next(rows, ()))
        header = [_fold(v) for v in header_cells]
        columns = _header_map(header)
        if "category" not in columns or "item" not in columns:
            raise UnusableFile("no_header")
        found_months = [
            next((i for i, h in enumerate(header) if h in words), None) for words in MONTH_HEADERS
        ]
        annual = next((i for i, h in enumerate(header) if h in ANNUAL), None)
        monthly = all(i is not None for i in found_months)
        amount_columns = (
            [i for i in found_months if i is not None]
            if monthly
            else [annual]
            if annual is not None
            else []
        )
        if not amount_columns:
            raise UnusableFile("no_amounts")
        lines: list[Line] = []
        where: dict[str, int] = {}
        implicit: dict[str, Tool] = {}
        sheet_name = sheet.title
        for number, values in enumerate(rows, start=2):
            values = tuple(values) + (None,) * max(0, len(header) - len(values))
            if (
                not any(_text(v) for v in values)
                or _fold(values[columns["category"]]) in TOTAL_WORDS
            ):
                continue  # blank rows, and the totals row an export writes

            def problem(code: str, row: int = number, **params: str) -> None:
                problems.append(RowProblem(sheet_name, row, code, params))

            category = CATEGORY_WORDS.get(_fold(values[columns["category"]]))
            if category is None:
                problem("bad_category", text=_text(values[columns["category"]]))
            item = _text(values[columns["item"]])
            if not item:
                problem("no_item")
            amounts: list[Decimal] = []
            bad = False
            for index in amount_columns:
                label = _text(header_cells[index])
                try:
                    amount = parse_amount(values[index])
                except ValueError:
                    problem("bad_amount", column=label, text=_text(values[index]))
                    bad = True
                    continue
                if amount < 0:
                    problem("negative_amount", column=label)
                    bad = True
                amounts.append(amount)
            tool_name = _text(values[columns["tool"]]) if "tool" in columns else ""
            tool_key = ""
            if tool_name:
                tool_key = _fold(tool_name)
                if tools is not None and tool_key not in tools:
                    problem("unknown_tool", text=tool_name)
                    bad = True
                elif tools is None and tool_key not in implicit:
                    implicit[tool_key] = Tool(tool_key, tool_name, ToolStatus.ACTIVE)
            if category is None or not item or bad:
                continue
            key = f"row{number}"
            lines.append(
                Line(
                    key=key,
                    category=category,
                    item=item,
                    amounts=tuple(amounts) if monthly else spread(amounts[0]),
                    tool=tool_key,
                    kpi=_text(values[columns["kpi"]]) if "kpi" in columns else "",
                    owner=_text(values[columns["owner"]]) if "owner" in columns else "",
                )
            )
            where[key] = number
        all_tools = tuple((tools or implicit).values())
        where |= tool_rows
    finally:
        workbook.close()
    return ReadPlan(Plan(tuple(lines), all_tools), tuple(problems), where)


def _read_tools(
    workbook: Any, problems: list[RowProblem], limits: file_limits.FileLimits
) -> tuple[dict[str, Tool] | None, dict[str, int]]:
    sheet = _sheet(workbook, TOOL_SHEETS)
    if sheet is None:
        return None, {}
    rows = file_limits.limited_rows(sheet, limits)
    header_cells = list(next(rows, ()))
    columns = _header_map([_fold(v) for v in header_cells])
    if "tool" not in columns:
        raise UnusableFile("no_tool_header")
    tools: dict[str, Tool] = {}
    where: dict[str, int] = {}
    for number, values in enumerate(rows, start=2):
        values = tuple(values) + (None,) * max(0, len(header_cells) - len(values))
        name = _text(values[columns["tool"]])
        if not name:
            continue
        row_ok = True

        def problem(code: str, **params: str) -> None:
            nonlocal row_ok
            row_ok = False
            problems.append(RowProblem(sheet.title, number, code, params))  # noqa: B023 -- called in this iteration only

        status = ToolStatus.CANDIDATE
        if "status" in columns and _fold(values[columns["status"]]):
            found = STATUS_WORDS.get(_fold(values[columns["status"]]))
            if found is None:
                problem("bad_status", text=_text(values[columns["status"]]))
            else:
                status = found
        customer_data = False
        if "customer_data" in columns:
            answer = _fold(values[columns["customer_data"]])
            if answer in YES:
                customer_data = True
            elif answer not in NO:
                problem(
                    "bad_yes_no", column=_text(header_cells[columns["customer_data"]]), text=answer
                )
        counts: dict[str, int | None] = {"seats": 0, "able": None}
        for name_ in ("seats", "able"):
            if name_ in columns and _text(values[columns[name_]]):
                try:
                    value = parse_amount(values[columns[name_]])
                    if value != value.to_integral_value() or value < 0:
                        raise ValueError(value)
                    counts[name_] = int(value)
                except ValueError:
                    problem(
                        "bad_count",
                        column=_text(header_cells[columns[name_]]),
                        text=_text(values[columns[name_]]),
                    )
        key = _fold(name)
        if key in tools:
            problem("duplicate_tool", text=name)
        if row_ok:
            tools[key] = Tool(
                key,
                name,
                status,
                customer_data,
                counts["seats"] or 0,
                counts["able"],
                _text(values[columns["kpi"]]) if "kpi" in columns else "",
            )
            where[key] = number
    return tools, where


TOTAL_WORDS = {"合計", "total", "總計"}
EXPORT_LABELS = {
    "en": {
        "category": "Category",
        "item": "Item",
        "tool": "Tool",
        "kpi": "KPI",
        "owner": "Owner",
        "total": "Total",
        "year": "Year total",
        "status": "Status",
        "customer_data": "Customer data",
        "seats": "Seats",
        "tools": "Tools",
        "budget": "Budget",
        "yes": "yes",
        "no": "no",
    },
    "zh-hant": {
        "category": "類別",
        "item": "項目",
        "tool": "工具",
        "kpi": "KPI",
        "owner": "負責團隊",
        "total": "合計",
        "year": "全年合計",
        "status": "狀態",
        "customer_data": "客戶資料",
        "seats": "席次",
        "tools": "工具",
        "budget": "預算",
        "yes": "是",
        "no": "否",
    },
}


@dataclass(frozen=True, slots=True)
class VersionSheet:
    title: str  # e.g. "v2 Q2 重新預測"
    plan: Plan


def write_plan(
    sheets: list[VersionSheet],
    *,
    current: int = 0,
    language: str = "zh-hant",
    currency_format: str = "#,##0",
) -> bytes:
    """The plan in the layout `read_plan()` reads: the version `sheets[current]` on the
    `預算`/`Budget` sheet, then one sheet per version, then the tools. Totals are Excel
    formulas, so the file keeps adding up when people edit it."""
    lang = normalize(language)
    label = EXPORT_LABELS[lang]
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    month_names = (
        [f"{m}月" for m in range(1, 13)]
        if is_chinese(lang)
        else [m.capitalize() for m in _EN_MONTHS]
    )
    tool_names = {t.key: t.name for sheet in sheets for t in sheet.plan.tools}
    bold = Font(bold=True)

    def fill(ws: Any, plan: Plan) -> None:
        append_row(
            ws,
            [
                label["category"],
                label["item"],
                label["tool"],
                label["kpi"],
                label["owner"],
                *month_names,
                label["year"],
            ],
        )
        for line in plan.lines:
            row = ws.max_row + 1
            append_row(
                ws,
                [
                    pick(CATEGORY_NAMES[line.category], lang),
                    line.item,
                    tool_names.get(line.tool, ""),
                    line.kpi,
                    line.owner,
                    *line.amounts,
                    Formula(f"=SUM(F{row}:Q{row})"),
                ],
            )
        last = ws.max_row
        totals = [label["total"], "", "", "", ""]
        totals += [
            Formula(f"=SUM({get_column_letter(c)}2:{get_column_letter(c)}{last})")
            for c in range(6, 19)
        ]
        append_row(ws, totals)
        for cell in ws[1]:
            cell.font = bold
        for cell in ws[ws.max_row]:
            cell.font = bold
        for row in ws.iter_rows(min_row=2, min_col=6, max_col=18):
            for cell in row:
                cell.number_format = currency_format
        ws.freeze_panes = "F2"
        for col, width in zip("ABCDE", (18, 28, 16, 14, 14), strict=True):
            ws.column_dimensions[col].width = width

    main = book.create_sheet(label["budget"])
    fill(main, sheets[current].plan)
    # The reader finds the budget and tools sheets by these names: no version takes them.
    taken = [label["budget"], label["tools"]]
    for number, sheet in enumerate(sheets, start=1):
        title = sheet_title(sheet.title, taken, fallback=f"v{number}")
        taken.append(title)
        fill(book.create_sheet(title), sheet.plan)
    tools_sheet = book.create_sheet(label["tools"])
    append_row(
        tools_sheet,
        [label["tool"], label["status"], label["customer_data"], label["seats"], label["kpi"]],
    )
    for cell in tools_sheet[1]:
        cell.font = bold
    seen: set[str] = set()
    for sheet in sheets:
        for tool in sheet.plan.tools:
            if tool.key in seen:
                continue
            seen.add(tool.key)
            append_row(
                tools_sheet,
                [
                    tool.name,
                    tool.status.value,
                    label["yes"] if tool.customer_data else label["no"],
                    tool.seats,
                    tool.kpi,
                ],
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
