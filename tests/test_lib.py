import os
import stat
from pathlib import Path

import pytest

from crewplan.lib.columns import display_width, pad, row
from crewplan.lib.env import env_bool, env_int, env_list
from crewplan.lib.paths import data_dir, secret_key


def test_env_bool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CP_X", raising=False)
    assert env_bool("CP_X", True) is True
    for raw, want in [
        ("1", True),
        ("YES", True),
        ("on", True),
        ("0", False),
        ("off", False),
        ("", False),
    ]:
        monkeypatch.setenv("CP_X", raw)
        assert env_bool("CP_X", not want) is want
    monkeypatch.setenv("CP_X", "treu")
    with pytest.raises(ValueError, match="not a yes/no value"):
        env_bool("CP_X", False)


def test_env_int_and_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CP_N", "42")
    assert env_int("CP_N", 1) == 42
    monkeypatch.setenv("CP_N", "forty")
    with pytest.raises(ValueError, match="whole number"):
        env_int("CP_N", 1)
    monkeypatch.setenv("CP_L", " a.example , b.example,, ")
    assert env_list("CP_L", []) == ["a.example", "b.example"]
    monkeypatch.delenv("CP_L")
    assert env_list("CP_L", ["x"]) == ["x"]


def test_data_dir_is_created_where_configured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "nested" / "crewplan"
    monkeypatch.setenv("CREWPLAN_DATA_DIR", str(target))
    assert data_dir() == target and target.is_dir()


def test_secret_key_is_generated_once_and_private(tmp_path: Path) -> None:
    first = secret_key(tmp_path)
    assert len(first) >= 50
    assert secret_key(tmp_path) == first
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_columns_count_chinese_as_two_terminal_columns() -> None:
    assert display_width("網路廣告") == 8 and display_width("Meta") == 4
    assert display_width("ＡＢ，") == 6  # full-width letters and punctuation
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert pad("網路廣告", 10) == "網路廣告  " and pad("12", 5, ">") == "   12"
    assert pad("a long name", 4) == "a long name"
    lines = [row(("通路", 10), ("花費", 8, ">")), row(("Meta", 10), ("1,200", 8, ">"))]
    assert {display_width(line) for line in lines} == {19}
