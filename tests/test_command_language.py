"""The command-line tools speak `--language`, else the locale (LC_ALL / LC_MESSAGES /
LANG, zh_TW → Traditional Chinese), else English; run as people run them, in a process
with its own environment. (`crewplan raci check`: tests/raci/test_xlsx.py.)"""

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from tests.factories import client_for


def no_budget_sheet(tmp_path: Path) -> Path:
    book = Workbook()
    assert book.active is not None
    book.active.title = "Notes"
    path = tmp_path / "plan.xlsx"
    book.save(path)
    return path


def budget_check(path: Path, *args: str, **locale: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crewplan", "budget", "check", str(path), *args],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "CREWPLAN_DATA_DIR": str(path.parent / "data"),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            **locale,
        },
    )


def test_budget_check_speaks_the_locale_unless_told(tmp_path: Path) -> None:
    path = no_budget_sheet(tmp_path)
    english, chinese = "no sheet named 預算 or Budget", "找不到名為「預算」或「Budget」的工作表"
    for args, locale, expected in [
        ((), {}, english),
        ((), {"LANG": "zh_TW.UTF-8"}, chinese),
        ((), {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, chinese),
        ((), {"LANG": "C.UTF-8"}, english),
        (("--language", "en"), {"LANG": "zh_TW.UTF-8"}, english),
        (("--language", "zh-hant"), {}, chinese),
    ]:
        result = budget_check(path, *args, **locale)
        assert result.returncode == 2, (args, locale, result.stderr)
        assert expected in result.stderr, (args, locale)


@pytest.fixture
def plan(world: Any) -> None:
    alice = client_for(world.people["alice"])
    made = alice.post("/w/alpha/plan/budget/versions/", {"year": "2026", "name": "Original"})
    assert made.status_code == 302


@pytest.mark.parametrize(
    ("args", "locale", "budget_sheet"),
    [
        ((), {}, "Budget"),  # workspace A works in English
        ((), {"LANG": "zh_TW.UTF-8"}, "預算"),
        (("--language", "en"), {"LANG": "zh_TW.UTF-8"}, "Budget"),
        (("--language", "zh-hant"), {"LANG": "en_US.UTF-8"}, "預算"),
    ],
)
def test_budget_export_language(
    world: Any,
    plan: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    locale: dict[str, str],
    budget_sheet: str,
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in locale.items():
        monkeypatch.setenv(name, value)
    out = tmp_path / "plan.xlsx"
    call_command(
        "budget",
        "export",
        "--workspace",
        "alpha",
        "--year",
        "2026",
        *args,
        str(out),
        stdout=io.StringIO(),
    )
    assert load_workbook(out).sheetnames[0] == budget_sheet
