"""The sentences of the budget plan file reader (`planning/budget/xlsx.py`): why a plan
file cannot be read, from the reader's stable codes. Gettext messages (English msgid,
zh-Hant in the catalogue), worded in the active language, or in `language` when one is
given (a command's)."""

from django.utils.translation import gettext_noop

from crewplan.lib import file_messages
from crewplan.lib.xlsxfile import UnusableFile

# What makes a plan file unusable (xlsx.read_plan), by UnusableFile code.
FILE_PROBLEMS: dict[str, str] = {
    "no_budget_sheet": gettext_noop("no sheet named 預算 or Budget"),
    "no_header": gettext_noop(
        "the 預算/Budget sheet needs a header row with 類別/Category and 項目/Item"
    ),
    "no_amounts": gettext_noop(
        "the header row has neither 1月…12月 (Jan…Dec) nor a 全年/Annual column"
    ),
    "no_tool_header": gettext_noop("the 工具/Tools sheet needs a 工具/Tool column"),
}


def unusable(error: UnusableFile, language: str | None = None) -> str:
    """Why a plan file cannot be read: the plan reader's reasons, else the shared file
    checks' (lib/file_messages)."""
    return file_messages.unusable(error, language, own=FILE_PROBLEMS)
