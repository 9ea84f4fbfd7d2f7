"""Opening spreadsheets people upload, safely. An .xlsx is a zip of XML: refuse what is
not a zip, what would inflate past a sane size (zip bombs), and let openpyxl parse the
XML through defusedxml (a dependency; openpyxl uses it when installed).

openpyxl's read-only mode reads a sheet's size from its `<dimension>` element when the
workbook is opened; a sheet without one (many generated files, and an attacker's) is
parsed from end to end right there, before any limit can stop it: a 300,000-row sheet
took 13 s to open. crewplan never uses that size (`lib/limits.limited_rows` reads rows
until a limit), so its read-only sheets skip the scan."""

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

MESSAGES = {
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
    except zipfile.BadZipFile as error:
        raise UnusableFile("damaged", str(error)) from None
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise UnusableFile("damaged", type(error).__name__) from None
