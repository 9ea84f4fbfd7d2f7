"""An expense file read (pure, no Django): one invoice or payment a row, with the columns
date, budget line (its item, or category and item), amount, vendor, invoice number and
note, headed in English or Traditional Chinese (日期, 預算項目, 金額, 廠商, 發票號碼, 備註),
as CSV (UTF-8 with or without BOM, UTF-16, Big5) or XLSX.

The reader keeps every row with what is wrong with it (`problems`, codes): the preview
shows them all and nothing is saved while one remains. Matching a row's line to the
plan and invoice numbers to those already recorded is the Django side's
(`measure/expenses.py`). Dates: the values are read by the
metrics imports' parsers (`measure/parse.py`): dates ISO, ROC (民國) years, 2026年1月5日;
amounts with thousands separators, NT$ / $ / 元, (1,200) or -1,200 for a refund."""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from crewplan.lib import dates, limits
from crewplan.lib.encodings import NotText, decode_text
from crewplan.lib.limits import FileLimits
from crewplan.lib.text import fold_spaceless
from crewplan.lib.xlsxfile import UnusableFile, open_workbook
from crewplan.measure import parse

EXPENSE_FILE = FileLimits(bytes=5 * 1024 * 1024, rows=20_000, columns=32)

# The headings each column is known by, folded (NFKC, casefold, no spaces).
HEADINGS: dict[str, tuple[str, ...]] = {
    "day": ("date", "day", "paid on", "invoice date", "日期", "付款日", "付款日期", "發票日期"),
    "line": ("budget line", "line", "item", "預算項目", "項目", "預算"),
    "category": ("category", "類別", "預算類別"),
    "amount": ("amount", "total", "金額", "總額", "總金額"),
    "vendor": ("vendor", "supplier", "payee", "廠商", "供應商", "付款對象"),
    "invoice_number": (
        "invoice number",
        "invoice no.",
        "invoice no",
        "invoice",
        "發票號碼",
        "發票",
    ),
    "note": ("note", "notes", "memo", "備註", "說明"),
}
REQUIRED = ("day", "line", "amount")
HEADER_SEARCH_ROWS = 10  # a title or a blank line may come above the headings
HUNDREDTH = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # what Expense.amount holds (14 digits, 2 decimals)


@dataclass(frozen=True, slots=True)
class ExpenseRow:
    """One row of the file as read: `number` is its row in the file (1 = first)."""

    number: int
    day: date | None
    line: str
    category: str
    amount: Decimal | None
    vendor: str
    invoice_number: str
    note: str
    problems: tuple[str, ...] = ()  # bad_date, bad_amount, zero_amount, no_line


@dataclass
class ReadExpenses:
    rows: list[ExpenseRow] = field(default_factory=list)
    encoding: str = ""  # of a text file; "" for XLSX


_BY_HEADING = {fold_spaceless(h): name for name, headings in HEADINGS.items() for h in headings}


def parse_day(value: Any) -> date | None:
    """A date as a spreadsheet or a person writes it (`measure.parse.parse_day` for text),
    or None when it is not one or lies outside 1990–2100."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = parse.parse_day(str(value or ""))
        except ValueError:
            return None
    return value if dates.in_range(value) else None


def parse_amount(value: Any) -> Decimal | None:
    """An amount to the cent (`measure.parse.parse_amount` for text: 1,200 / NT$1,200 /
    1200元 / (1,200) / -1200.50); None when it is not one or is empty."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        value = repr(value) if isinstance(value, float) else str(value)
    try:
        hundredths = parse.parse_amount(str(value or ""))
    except ValueError:
        return None
    if hundredths is None:
        return None
    amount = (Decimal(hundredths) / 100).quantize(HUNDREDTH)
    return amount if abs(amount) <= MAX_AMOUNT else None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an invoice number typed as a number
    return " ".join(str(value).split())


def _columns(header: Sequence[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, heading in enumerate(header):
        name = _BY_HEADING.get(fold_spaceless(_cell(heading)))
        if name is not None and name not in found:
            found[name] = index
    return found


def _rows_of(table: Iterable[Sequence[Any]]) -> list[ExpenseRow]:
    rows = iter(enumerate(table, start=1))
    columns: dict[str, int] = {}
    for number, header in rows:
        columns = _columns(header)
        if all(name in columns for name in REQUIRED):
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if not all(name in columns for name in REQUIRED):
        raise UnusableFile("expense_header")
    read = []
    for number, values in rows:
        if not any(_cell(v) for v in values):
            continue

        def get(name: str, values: Sequence[Any] = values) -> Any:
            index = columns.get(name)
            return values[index] if index is not None and index < len(values) else None

        read.append(_row(number, get))
    return read


def _row(number: int, get: Any) -> ExpenseRow:
    problems = []
    day = parse_day(get("day"))
    if day is None:
        problems.append("bad_date")
    amount = parse_amount(get("amount"))
    if amount is None:
        problems.append("bad_amount")
    elif amount == 0:
        problems.append("zero_amount")
    line = _cell(get("line"))
    if not line:
        problems.append("no_line")
    return ExpenseRow(
        number=number,
        day=day,
        line=line,
        category=_cell(get("category")),
        amount=amount,
        vendor=_cell(get("vendor")),
        invoice_number=_cell(get("invoice_number")),
        note=_cell(get("note")),
        problems=tuple(problems),
    )


def read_expenses(data: bytes, *, spreadsheet: bool) -> ReadExpenses:
    """The rows of an expense file (`spreadsheet`: XLSX, else CSV or tab-separated text).
    UnusableFile when it cannot be read or has no header row naming a date, a budget line
    and an amount; more rows or columns than EXPENSE_FILE allows are refused too."""
    if spreadsheet:
        book = open_workbook(data)
        try:
            sheet = book.worksheets[0]
            return ReadExpenses(rows=_rows_of(limits.limited_rows(sheet, EXPENSE_FILE)))
        finally:
            book.close()
    try:
        text, encoding = decode_text(data)
    except NotText:
        raise UnusableFile("not_spreadsheet") from None
    first = text.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if len(table) > EXPENSE_FILE.rows + 1:
        raise limits.too_many_rows(EXPENSE_FILE)
    if any(len(r) > EXPENSE_FILE.columns for r in table):
        raise limits.too_many_columns(EXPENSE_FILE)
    return ReadExpenses(rows=_rows_of(table), encoding=encoding)
