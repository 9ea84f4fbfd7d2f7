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
from crewplan.lib.sheets import Formula, append_row, sheet_title
from crewplan.lib.xlsxfile import UnusableFile, open_workbook
from crewplan.planning.budget.plan import (
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
    "channel": {"通路", "channel"},
    "status": {"狀態", "status"},
    "customer_data": {"客戶資料", "customer data"},
    "seats": {"席次", "seats"},
    "able": {"可使用人數", "able users"},
}
# The words the reader accepts for a category: its code, and its name in either language
# as the plan file and its export write it (the labels people read are the model's).
CATEGORY_WORDS: dict[str, Category] = {c.value: c for c in Category} | {
    "工具訂閱": Category.TOOL_SUBSCRIPTION,
    "tool subscriptions": Category.TOOL_SUBSCRIPTION,
    "整合客製": Category.INTEGRATION,
    "integration and customization": Category.INTEGRATION,
    "教育訓練": Category.TRAINING,
    "training": Category.TRAINING,
    "資料處理與隱私": Category.DATA_PRIVACY,
    "數據處理與隱私": Category.DATA_PRIVACY,  # the label files written before 2026-12 carry
    "data processing and privacy": Category.DATA_PRIVACY,
    "實驗預備金": Category.EXPERIMENT_RESERVE,
    "experiment reserve": Category.EXPERIMENT_RESERVE,
    "顧問諮詢": Category.CONSULTING,
    "consulting": Category.CONSULTING,
    "代理商服務費": Category.AGENCY_FEES,
    "agency fees": Category.AGENCY_FEES,
    "媒體投放": Category.MEDIA,
    "media spend": Category.MEDIA,
}
STATUS_WORDS = {s.value: s for s in ToolStatus} | {
    "候選": ToolStatus.CANDIDATE,
    "試用": ToolStatus.PILOT,
    "使用中": ToolStatus.ACTIVE,
    "已停用": ToolStatus.RETIRED,
}
YES = {"yes", "y", "true", "1", "是", "有", "v", "✓"}
NO = {"no", "n", "false", "0", "否", "無", ""}

# The codes of what `read_plan` refuses (UnusableFile: no_budget_sheet, no_header,
# no_amounts, no_tool_header) and of the row problems it lists (RowProblem: bad_category,
# no_item, bad_amount, negative_amount, unknown_tool, bad_status, bad_yes_no, bad_count,
# duplicate_tool); their sentences are gettext messages in `budget/messages.py`.
FILE_PROBLEMS = ("no_budget_sheet", "no_header", "no_amounts", "no_tool_header")
ROW_PROBLEMS = (
    "bad_category",
    "no_item",
    "bad_amount",
    "negative_amount",
    "unknown_tool",
    "bad_status",
    "bad_yes_no",
    "bad_count",
    "duplicate_tool",
)


@dataclass(frozen=True, slots=True)
class RowProblem:
    sheet: str
    row: int
    code: str
    params: Mapping[str, str] = field(default_factory=dict)


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
                    channel=_text(values[columns["channel"]]) if "channel" in columns else "",
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


@dataclass(frozen=True, slots=True)
class FileLabels:
    """The words the written file uses, in one language (`budget/messages.file_labels`):
    sheet names and headers the reader recognises again, category names, yes and no."""

    budget: str  # the sheet of the current version
    tools: str  # the sheet of the tools
    category: str
    item: str
    tool: str
    kpi: str
    owner: str
    channel: str
    year: str  # the year total column
    total: str  # the totals row
    status: str
    customer_data: str
    seats: str
    yes: str
    no: str
    months: tuple[str, ...]  # 12 column headers, fiscal month 1 first
    categories: Mapping[Category, str]


@dataclass(frozen=True, slots=True)
class VersionSheet:
    title: str  # e.g. "v2 Q2 重新預測"
    plan: Plan


def write_plan(
    sheets: list[VersionSheet],
    *,
    labels: FileLabels,
    current: int = 0,
    currency_format: str = "#,##0",
) -> bytes:
    """The plan in the layout `read_plan()` reads: the version `sheets[current]` on the
    `預算`/`Budget` sheet, then one sheet per version, then the tools. Totals are Excel
    formulas, so the file keeps adding up when people edit it."""
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    tool_names = {t.key: t.name for sheet in sheets for t in sheet.plan.tools}
    bold = Font(bold=True)

    def fill(ws: Any, plan: Plan) -> None:
        append_row(
            ws,
            [
                labels.category,
                labels.item,
                labels.tool,
                labels.kpi,
                labels.owner,
                *labels.months,
                labels.year,
                labels.channel,
            ],
        )
        for line in plan.lines:
            row = ws.max_row + 1
            append_row(
                ws,
                [
                    labels.categories[line.category],
                    line.item,
                    tool_names.get(line.tool, ""),
                    line.kpi,
                    line.owner,
                    *line.amounts,
                    Formula(f"=SUM(F{row}:Q{row})"),
                    line.channel,
                ],
            )
        last = ws.max_row
        totals = [labels.total, "", "", "", ""]
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

    main = book.create_sheet(labels.budget)
    fill(main, sheets[current].plan)
    # The reader finds the budget and tools sheets by these names: no version takes them.
    taken = [labels.budget, labels.tools]
    for number, sheet in enumerate(sheets, start=1):
        title = sheet_title(sheet.title, taken, fallback=f"v{number}")
        taken.append(title)
        fill(book.create_sheet(title), sheet.plan)
    tools_sheet = book.create_sheet(labels.tools)
    append_row(
        tools_sheet,
        [labels.tool, labels.status, labels.customer_data, labels.seats, labels.kpi],
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
                    labels.yes if tool.customer_data else labels.no,
                    tool.seats,
                    tool.kpi,
                ],
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
