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
# Excel's "Strict Open XML Spreadsheet" names its parts' relationships in this namespace
# instead of the transitional one; openpyxl cannot read such a workbook at all.
STRICT_OOXML = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
MAX_PACKAGE_RELATIONSHIPS = 64 * 1024  # bytes of _rels/.rels read to tell strict files


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

    def message(self, language: str | None = "en") -> str:
        """The sentence of a shared code in `language` (the active one when None)."""
        # Imported here so this module stays importable, and checkable, without Django.
        from crewplan.lib.file_messages import unusable

        return unusable(self, language)

    def __str__(self) -> str:
        return self.message("en")


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
            if _is_strict(archive):
                raise UnusableFile("strict_ooxml")
    except zipfile.BadZipFile as error:
        raise UnusableFile("damaged", str(error)) from None
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for broken files
        raise UnusableFile("damaged", type(error).__name__) from None


def _is_strict(archive: zipfile.ZipFile) -> bool:
    try:
        relationships = archive.getinfo("_rels/.rels")
    except KeyError:
        return False
    if relationships.file_size > MAX_PACKAGE_RELATIONSHIPS:
        return False  # not Excel's; openpyxl decides
    try:
        return STRICT_OOXML in archive.read(relationships)
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError):
        return False  # damaged or encrypted: openpyxl says so
