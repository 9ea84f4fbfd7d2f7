"""The data directory and the files in it that hold everything (database, secret key)
are private to the account crewplan runs as, whatever the umask."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from crewplan.lib.paths import data_dir, private_file, secret_key

ROOT = Path(__file__).resolve().parents[1]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> object:
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_new_data_dir_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: object
) -> None:
    monkeypatch.setenv("CREWPLAN_DATA_DIR", str(tmp_path / "new" / "crewplan"))
    assert mode(data_dir()) == 0o700


def test_private_file_is_created_0600_and_an_open_one_is_tightened(
    tmp_path: Path, open_umask: object
) -> None:
    new = tmp_path / "new.sqlite3"
    private_file(new)
    assert new.exists() and new.stat().st_size == 0 and mode(new) == 0o600
    old = tmp_path / "old.sqlite3"
    old.write_bytes(b"data")
    old.chmod(0o644)
    private_file(old)
    assert mode(old) == 0o600 and old.read_bytes() == b"data"
    private_file(tmp_path / "missing" / "db.sqlite3")  # no directory: left to SQLite
    assert not (tmp_path / "missing").exists()


def test_an_open_secret_key_file_is_tightened(tmp_path: Path) -> None:
    (tmp_path / "secret_key").write_text("k" * 50)
    (tmp_path / "secret_key").chmod(0o644)
    assert secret_key(tmp_path) == "k" * 50
    assert mode(tmp_path / "secret_key") == 0o600


def test_first_start_creates_a_private_sqlite_database(tmp_path: Path) -> None:
    """The settings as a real first start runs them, with the common umask 022."""
    target = tmp_path / "data"
    script = (
        "import os; os.umask(0o022); import django; django.setup();"
        "from django.db import connection;"
        "connection.cursor().execute('create table t (x integer)')"
    )
    env = {
        **os.environ,
        "CREWPLAN_DATA_DIR": str(target),
        "DJANGO_SETTINGS_MODULE": "crewplan.settings",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True)
    assert mode(target) == 0o700
    assert mode(target / "crewplan.sqlite3") == 0o600
    assert (target / "crewplan.sqlite3").stat().st_size > 0  # SQLite used the file
    assert mode(target / "secret_key") == 0o600
