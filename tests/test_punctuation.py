"""Chinese sentences in the zh-Hant catalogue use full-width punctuation (，：) — never a
half-width colon or comma next to a Chinese character. Placeholders, URLs, times such as
12:00 and numbers are not sentences and are left out."""

import re
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "crewplan/locale/zh_Hant/LC_MESSAGES/django.po"
CJK = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
HALF_WIDTH_NEXT_TO_CJK = re.compile(rf"{CJK}\s*[:,]|[:,] ?{CJK}")
NOT_SENTENCES = re.compile(r"%\([^)]*\)[sdf]|%[sd]|\{[^}]*\}|https?://\S+|\d+[:,]\d+")

# Where the half-width marks are the syntax people type, shown as an example.
SYNTAX_EXAMPLES = {"例如 LINE 官方帳號: LINE@, Line 官方帳號"}


def half_width_in_chinese(text: str) -> list[str]:
    for example in SYNTAX_EXAMPLES:
        text = text.replace(example, "")
    text = NOT_SENTENCES.sub("X", text)
    return [match.group() for match in HALF_WIDTH_NEXT_TO_CJK.finditer(text)]


def test_the_check_finds_half_width_marks_and_spares_the_rest() -> None:
    assert half_width_in_chinese("名稱: 值") == ["稱:"]
    assert half_width_in_chinese("甲,乙") == ["甲,"]
    assert half_width_in_chinese("：，") == []
    assert half_width_in_chinese("中午 12:00 發布，共 1,200 字") == []
    assert half_width_in_chinese("%(label)s: %(error)s") == []
    assert half_width_in_chinese("見 https://example.com/a:b,c 說明") == []


def test_catalogue_uses_full_width_punctuation_in_chinese() -> None:
    po = polib.pofile(str(PO))
    offenders = {
        entry.msgid: text
        for entry in po
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if half_width_in_chinese(text)
    }
    assert offenders == {}, "use ：and ，in these Chinese sentences"
