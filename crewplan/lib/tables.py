"""Every table a dashboard shows, as a file to take away: CSV for any tool and XLSX for
Excel (no Django).

CSV is UTF-8 *with* a BOM, so Excel on a zh-TW Windows opens it as UTF-8 instead of
cp950 mojibake (TAIWAN.md §4), with CRLF line ends. A text cell that Excel would take
for a formula (it starts with `=`, `+`, `-`, `@`, a tab or a CR) gets a leading `'`, as
OWASP advises for CSV; numbers are written as numbers (a negative amount stays `-12.50`).
XLSX cells are typed (`lib/sheets.put`): text stays text, amounts are numbers.

    table = Table(title="通路", columns=("通路", "花費"), rows=[("Meta", Decimal("1200.50"))])
    table.csv()   # bytes
    table.xlsx()  # bytes
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

from crewplan.lib.sheets import FORMULA_STARTS, append_row, as_text, sheet_title

Value = str | int | Decimal | date | None

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value: Value) -> str:
    """A value as CSV text: formula-looking text quoted with `'`, numbers plain, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = as_text(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass
class Table:
    """A table as the page shows it: a title (the sheet's name), column headings in the
    reader's language and rows of plain values."""

    title: str
    columns: Sequence[str]
    rows: list[Sequence[Value]] = field(default_factory=list)

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([csv_cell(c) for c in self.columns])
        for row in self.rows:
            writer.writerow([csv_cell(v) for v in row])
        return ("\ufeff" + out.getvalue()).encode("utf-8")

    def xlsx(self) -> bytes:
        book = Workbook(write_only=False)
        sheet = book.active
        assert sheet is not None
        sheet.title = sheet_title(self.title, fallback="Table")
        append_row(sheet, self.columns)
        for row in self.rows:
            append_row(sheet, row)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
