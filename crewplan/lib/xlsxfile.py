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
import zlib
from collections.abc import Mapping
from typing import Any

import openpyxl
import openpyxl.reader.excel
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

MAX_UNCOMPRESSED = 200 * 1024 * 1024  # bytes, all members together
MAX_RATIO = 200  # uncompressed / compressed, for any member over 1 MiB
MAX_MEMBERS = 10_000
MAX_SHARED_STRINGS = 32 * 1024 * 1024  # bytes of the text table openpyxl loads at once
# Excel's "Strict Open XML Spreadsheet" names its parts and relationships in the
# purl.oclc.org namespaces instead of the transitional ones, which is all openpyxl knows:
# such a workbook is read with the names rewritten in memory, else refused.
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


class _SheetOfUnknownSize(ReadOnlyWorksheet):
    def _get_size(self) -> None:
        """Skip openpyxl's scan for `<dimension>` (see the module docstring)."""


setattr(openpyxl.reader.excel, "ReadOnlyWorksheet", _SheetOfUnknownSize)  # noqa: B010 -- not in the stubs


class UnusableFile(ValueError):
    """The file cannot be read at all: a stable `code`, the `params` of its sentence and an
    optional `detail` (the name or text at fault) shown after it. The sentences people
    read are gettext messages in `lib/file_messages.py` (this module's codes and
    `lib/limits.py`'s) or in the reader's app's `messages.py` (its own codes)."""

    def __init__(
        self, code: str, detail: str = "", params: Mapping[str, object] | None = None
    ) -> None:
        self.code = code
        self.detail = detail
        self.params: Mapping[str, object] = dict(params or {})
        super().__init__(code, detail)

    def __str__(self) -> str:
        """The code and detail, for logs and tracebacks: people read the sentence,
        `lib/file_messages.unusable()` (this module imports no Django)."""
        return f"{self.code}: {self.detail}" if self.detail else self.code


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
            raise UnusableFile("strict_ooxml") from None
        raise UnusableFile("damaged", type(error).__name__) from None
    if strict and not workbook.sheetnames:
        workbook.close()
        raise UnusableFile("strict_ooxml")
    return workbook


def _is_strict(archive: zipfile.ZipFile) -> bool:
    """Strict Open XML, told by the workbook part's or the package relationships' first
    bytes (damaged or encrypted parts: openpyxl says so)."""
    for name in ("xl/workbook.xml", "_rels/.rels"):
        try:
            with archive.open(name) as part:
                if STRICT_MARK in part.read(4096):
                    return True
        except KeyError:
            continue
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError):
            return False
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
