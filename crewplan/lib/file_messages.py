"""Why a file cannot be read, in words: the sentences of the `UnusableFile` codes that
`lib/xlsxfile.py`, `lib/limits.py` and `lib/uploads.py` raise. Every sentence is a gettext
message (English msgid, zh-Hant in the catalogue), worded in the active language, or in
`language` when one is given (a command's). A reader with codes of its own (the RACI grid,
the budget plan) words them in its app's `messages.py` and passes them here as `own`."""

from collections.abc import Mapping

from django.utils.translation import gettext, gettext_noop

from crewplan.lib.active_language import speaking
from crewplan.lib.xlsxfile import UnusableFile

# code -> message; the `%(…)s` values come from the error's params (see `_values`).
SHARED: dict[str, str] = {
    # lib/uploads.py: what the bytes are ("no_file": see `refusal`)
    "empty_file": gettext_noop("the file is empty"),
    "xls_file": gettext_noop(
        "an Excel 97–2003 .xls file or a password-protected workbook: open it in Excel, "
        "remove any password and save it as .xlsx (Excel Workbook)"
    ),
    "not_spreadsheet": gettext_noop("not a spreadsheet (neither an .xlsx file nor CSV text)"),
    "not_text": gettext_noop("not a CSV or text file (it is a zip archive)"),
    # lib/limits.py
    "file_too_large": gettext_noop(
        "the file is larger than %(mb)s MB; crewplan reads files of at most %(mb)s MB"
    ),
    "too_many_rows": gettext_noop(
        "the file has more than %(rows)s rows; crewplan reads at most %(rows)s rows"
    ),
    "too_many_columns": gettext_noop(
        "the file has more than %(columns)s columns; crewplan reads at most %(columns)s columns"
    ),
    # lib/xlsxfile.py
    "not_zip": gettext_noop("not an .xlsx file (it is not a zip archive)"),
    "too_many_parts": gettext_noop("the .xlsx holds too many parts"),
    "too_large": gettext_noop("the .xlsx would inflate to more than 200 MB (a zip bomb?)"),
    "ratio": gettext_noop("the .xlsx is compressed suspiciously well (a zip bomb?)"),
    "not_xlsx": gettext_noop("not an .xlsx file (no spreadsheet inside the zip)"),
    "strict_ooxml": gettext_noop(
        "a Strict Open XML spreadsheet, which crewplan cannot read: save it as .xlsx "
        "(Excel Workbook)"
    ),
    "damaged": gettext_noop("the .xlsx is damaged"),
    "too_much_text": gettext_noop("the .xlsx holds more than 32 MB of text"),
}

# The same codes when the error names the sheet (params["sheet"]).
IN_SHEET: dict[str, str] = {
    "too_many_rows": gettext_noop(
        "the file has more than %(rows)s rows in sheet “%(sheet)s”; "
        "crewplan reads at most %(rows)s rows"
    ),
    "too_many_columns": gettext_noop(
        "the file has more than %(columns)s columns in sheet “%(sheet)s”; "
        "crewplan reads at most %(columns)s columns"
    ),
}


def _values(params: Mapping[str, object]) -> dict[str, object]:
    values = {
        name: f"{value:,}" if isinstance(value, int) else value for name, value in params.items()
    }
    size = params.get("bytes")
    if isinstance(size, int):
        values["mb"] = f"{size / (1024 * 1024):g}"
    return values


def unusable(
    error: UnusableFile, language: str | None = None, own: Mapping[str, str] | None = None
) -> str:
    """Why the file cannot be read: the reader's `own` sentence for its code, else the
    shared one, else the bare code; then the error's detail, if any."""
    template = (own or {}).get(error.code)
    if template is None and error.params.get("sheet"):
        template = IN_SHEET.get(error.code)
    if template is None:
        template = SHARED.get(error.code)
    with speaking(language):
        text = gettext(template) % _values(error.params) if template else error.code
    return f"{text}: {error.detail}" if error.detail else text


def refusal(error: UnusableFile, own: Mapping[str, str] | None = None) -> str:
    """The one line an upload page shows for a file it cannot use, in the active language."""
    if error.code == "no_file":
        return gettext("Choose an .xlsx file.")
    return gettext("This file cannot be used: %(reason)s") % {"reason": unusable(error, own=own)}
