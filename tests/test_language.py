"""One way to tell the two languages apart, in pages and on the command line."""

import pytest
from django.utils import translation

from crewplan.lib import language
from crewplan.lib.active_language import active_language


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("zh-hant", "zh-hant"),
        ("zh-TW", "zh-hant"),
        ("zh_TW.UTF-8", "zh-hant"),
        ("ZH", "zh-hant"),
        ("en", "en"),
        ("en-US", "en"),
        ("", "en"),
        (None, "en"),
        ("C.UTF-8", "en"),
    ],
)
def test_normalize(code: str | None, expected: str) -> None:
    assert language.normalize(code) == expected


def test_command_line_option_then_locale_then_english() -> None:
    assert language.for_command_line("zh-hant", {"LANG": "en_US.UTF-8"}) == "zh-hant"
    assert language.for_command_line(None, {"LANG": "zh_TW.UTF-8"}) == "zh-hant"
    # LC_ALL wins over LANG, as in the C library.
    assert language.for_command_line(None, {"LC_ALL": "C", "LANG": "zh_TW.UTF-8"}) == "en"
    assert language.for_command_line(None, {"LC_MESSAGES": "zh_TW", "LANG": "C"}) == "zh-hant"
    assert language.for_command_line(None, {}) == "en"


def test_locale_language_is_none_when_no_locale_is_set() -> None:
    assert language.of_locale({}) is None
    assert language.of_locale({"LANG": ""}) is None
    assert language.of_locale({"LANG": "C"}) == "en"
    assert language.of_locale({"LC_ALL": "zh_TW.UTF-8", "LANG": "C"}) == "zh-hant"


def test_active_follows_django() -> None:
    with translation.override("zh-hant"):
        assert active_language() == "zh-hant"
    with translation.override("en"):
        assert active_language() == "en"
    assert language.pick(("Save", "儲存"), "zh-TW") == "儲存"
