"""Every user-visible string has its Traditional Chinese (Taiwan) translation, and the
committed catalogue is what the templates and code ask for."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parent.parent / "crewplan" / "locale"
PO = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_complete() -> None:
    po = polib.pofile(str(PO))
    assert not po.metadata_is_fuzzy
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert len(po.translated_entries()) > 150


def test_catalogue_covers_every_string_in_the_code(tmp_path: Path) -> None:
    """Re-extract the strings into a scratch copy: nothing new may be missing."""
    scratch = tmp_path / "crewplan"
    package = PO.parents[3]
    shutil.copytree(package, scratch, ignore=shutil.ignore_patterns("__pycache__", "static"))
    result = subprocess.run(
        [
            "django-admin",
            "makemessages",
            "-l",
            "zh_Hant",
            "--no-obsolete",
            "--no-location",
            "--ignore",
            "static/*",
        ],
        cwd=scratch,
        capture_output=True,
        text=True,
        env={
            "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "",
        },
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(scratch / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries()]
    assert missing == [], f"translate these in {PO} and run compilemessages: {missing}"


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Sign in", "登入"),
        ("People & teams", "人員與團隊"),
        ("Owner", "擁有者"),
        ("Audit log", "稽核紀錄"),
    ],
)
def test_compiled_catalogue_is_used(english: str, chinese: str) -> None:
    with translation.override("zh-hant"):
        assert translation.gettext(english) == chinese
    with translation.override("en"):
        assert translation.gettext(english) == english
