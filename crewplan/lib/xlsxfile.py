"""Opening spreadsheets people upload, safely. An .xlsx is a zip of XML: refuse what is
not a zip, what would inflate past a sane size (zip bombs), and let openpyxl parse the
XML through defusedxml (a dependency; openpyxl uses it when installed).

openpyxl's read-only mode reads a sheet's size from its `<dimension>` element when the
workbook is opened; a sheet without one (many generated files, and an attacker's) is
parsed from end to end right there, before any limit can stop it: a 300,000-row sheet
took 13 s to open. crewplan never uses that size (`lib/limits.limited_rows` reads rows
until a limit), so its read-only sheets skip the scan.

Strict Open XML (Excel's "Strict Open XML Spreadsheet", namespace
`http://purl.oclc.org/ooxml/spreadsheetml/main`) is the same workbook under other
namespace names; openpyxl knows only the transitional ones and sees no sheets at all.
`open_workbook` renames the namespaces in memory (`STRICT_NAMESPACES`) and reads it like
any other; a strict workbook that still shows no sheet is refused, never read as empty."""

import io
import zipfile
from typing import Any

import openpyxl
import openpyxl.reader.excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from crewplan.lib.language import pick as language_pick

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200  # uncompressed / compressed, for any member over 1 MiB
MAX_MEMBERS = 10_000
MAX_SHARED_STRINGS = 32 * 1024 * 1024  # bytes of the text table openpyxl loads at once

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
STRICT_NAMESPACES = (
    # Strict Open XML -> transitional; the relationships prefix also renames every
    # relationship type (…/relationships/worksheet and so on).
    (
        b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
        b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
        b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/main",
        b"http://schemas.openxmlformats.org/drawingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
        b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    ),
    (
        b"http://purl.oclc.org/ooxml/drawingml/chart",
        b"http://schemas.openxmlformats.org/drawingml/2006/chart",
    ),
)
STRICT_MARK = b"http://purl.oclc.org/ooxml/"

MESSAGES = {
    "xls_file": (
        "an Excel 97-2003 .xls workbook (or a password-protected one): save it as .xlsx "
        "or CSV and upload that",
        "這是 Excel 97-2003 的 .xls 活頁簿（或設有密碼的活頁簿）：請另存為 .xlsx 或 CSV 再上傳",
    ),
    "strict_unreadable": (
        "a Strict Open XML workbook crewplan cannot read: save it as an ordinary "
        "Excel Workbook (.xlsx)",
        "這是 crewplan 無法讀取的 Strict Open XML 活頁簿：請另存為一般的 Excel 活頁簿（.xlsx）",
    ),
    "not_zip": (
        "not an .xlsx file (it is not a zip archive)",
        "不是 .xlsx 檔案（不是 zip 壓縮檔）",
    ),
    "too_many_parts": ("the .xlsx holds too many parts", "這個 .xlsx 內含的部分過多"),
    "too_large": (
        "the .xlsx would inflate to more than 200 MB (a zip bomb?)",
        "這個 .xlsx 解壓縮後超過 200 MB（疑似壓縮炸彈）",
    ),
    "ratio": (
        "the .xlsx is compressed suspiciously well (a zip bomb?)",
        "這個 .xlsx 的壓縮比異常（疑似壓縮炸彈）",
    ),
    "not_xlsx": (
        "not an .xlsx file (no spreadsheet inside the zip)",
        "不是 .xlsx 檔案（壓縮檔內沒有試算表）",
    ),
    "damaged": ("the .xlsx is damaged", "這個 .xlsx 檔案已損壞"),
    "too_much_text": (
        "the .xlsx holds more than 32 MB of text",
        "這個 .xlsx 內含的文字超過 32 MB",
    ),
}


class _SheetOfUnknownSize(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        """Skip openpyxl's scan for `<dimension>` (see the module docstring)."""


setattr(openpyxl.reader.excel, "ReadOnlyWorksheet", _SheetOfUnknownSize)  # noqa: B010 -- not in the stubs


class UnusableFile(ValueError):
    """The file cannot be read at all. `code` is stable; `message(language)` is for people.
    A reader whose codes are worded in a gettext catalogue (`raci/messages.py`) gives no
    `texts`: its code then stands for the message here."""

    def __init__(self, code: str, detail: str = "", texts: tuple[str, str] | None = None) -> None:
        self.code = code
        self.detail = detail
        self.texts = texts or MESSAGES.get(code, (code, code))
        super().__init__(self.message("en"))

    def message(self, language: str = "en") -> str:
        text = language_pick(self.texts, language)
        return f"{text}: {self.detail}" if self.detail else text


def open_workbook(data: bytes) -> Any:
    """A read-only openpyxl workbook (cell values, not formulas) from uploaded bytes."""
    if data.startswith(OLE2_MAGIC):
        raise UnusableFile("xls_file")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnusableFile("not_zip")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise UnusableFile("too_many_parts")
            if sum(m.file_size for m in members) > MAX_UNCOMPRESSED:
                raise UnusableFile("too_large")
            for m in members:
                if m.file_size > 1024 * 1024 and m.file_size > MAX_RATIO * max(m.compress_size, 1):
                    raise UnusableFile("ratio")
            if any(
                m.filename.endswith("sharedStrings.xml") and m.file_size > MAX_SHARED_STRINGS
                for m in members
            ):
                raise UnusableFile("too_much_text")
            if "[Content_Types].xml" not in archive.namelist():
                raise UnusableFile("not_xlsx")
            strict = _is_strict(archive)
            if strict:
                data = _transitional(archive)
    except zipfile.BadZipFile as error:
        raise UnusableFile("damaged", str(error)) from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        if strict:
            raise UnusableFile("strict_unreadable") from None
        raise UnusableFile("damaged", type(error).__name__) from None
    if strict and not workbook.sheetnames:
        workbook.close()
        raise UnusableFile("strict_unreadable")
    return workbook


def _is_strict(archive: zipfile.ZipFile) -> bool:
    try:
        with archive.open("xl/workbook.xml") as part:
            return STRICT_MARK in part.read(4096)
    except KeyError:
        return False


def _transitional(archive: zipfile.ZipFile) -> bytes:
    """The workbook rewritten with transitional namespace names (the sizes were checked)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as copy:
        for member in archive.infolist():
            content = archive.read(member)
            if member.filename.endswith((".xml", ".rels")):
                for strict, transitional in STRICT_NAMESPACES:
                    content = content.replace(strict, transitional)
            copy.writestr(member.filename, content)
    return out.getvalue()
