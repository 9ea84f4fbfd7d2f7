"""The two languages crewplan speaks, and how a language is chosen (pure, no Django).

crewplan speaks Traditional Chinese (Taiwan) and English. Every language code it meets
(Django's "zh-hant", a browser's "zh-TW", a locale's "zh_TW.UTF-8", a CLI's
"--language zh-hant") comes down to one of `LANGUAGES` through `normalize`. Pages take
the active Django language (`crewplan.lib.active_language`, apart so that this module
imports no Django); command-line tools take `--language`, else the locale, else English
(`for_command_line`).
"""

from collections.abc import Mapping
from typing import Final

CHINESE: Final = "zh-hant"
ENGLISH: Final = "en"
LANGUAGES: Final = (ENGLISH, CHINESE)

# Locale variables in the order the C library consults them for messages.
_LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def normalize(code: str | None) -> str:
    """ "zh-hant" for any Chinese code (zh, zh-TW, zh_Hant, zh_TW.UTF-8), else "en"."""
    return CHINESE if is_chinese(code) else ENGLISH


def is_chinese(code: str | None) -> bool:
    return (code or "").strip().lower().replace("_", "-").startswith("zh")


def pick[T](pair: tuple[T, T], language: str | None) -> T:
    """The English or the Chinese of an (English, Chinese) pair."""
    return pair[1] if is_chinese(language) else pair[0]


def for_command_line(option: str | None, environ: Mapping[str, str]) -> str:
    """A command's language: `--language` when given, else the locale (the first set of
    LC_ALL, LC_MESSAGES, LANG: zh_TW.UTF-8 → Chinese; C or POSIX → English), else
    English."""
    if option:
        return normalize(option)
    return of_locale(environ) or ENGLISH


def of_locale(environ: Mapping[str, str]) -> str | None:
    """The language the locale asks for (the first set of LC_ALL, LC_MESSAGES, LANG),
    None when none is set."""
    for name in _LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            return normalize(value)
    return None
