"""Where crewplan keeps its files when nothing is configured, and keeping them private.

The data directory holds the database, the generated secret key and uploads: a new one is
created 0700 and the SQLite file and secret key 0600 whatever the umask. An existing
directory keeps its mode (an operator may share it with a backup group on purpose); an
existing database or key file readable by group or others is tightened to 0600 on start,
since anyone who can read either can read or forge everything in crewplan."""

import contextlib
import os
import secrets
import stat
from pathlib import Path

import platformdirs

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def data_dir() -> Path:
    """`CREWPLAN_DATA_DIR` if set, else the per-user data directory
    (`~/.local/share/crewplan` on Linux). Created (0700) on first use."""
    configured = os.environ.get("CREWPLAN_DATA_DIR")
    path = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("crewplan"))
    )
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    return path


def private_file(path: Path) -> None:
    """Make sure `path` exists and only its owner may read or write it: created empty and
    0600 when missing (so SQLite, which creates its file with the umask's mode, finds it
    already private; an empty file is an empty database), group and other permissions
    removed when an existing one has any."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        _tighten(path)
    except FileNotFoundError:  # no such directory: SQLite will say so when it connects
        return
    else:
        os.close(fd)


def _tighten(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # Someone else's file (we can read it): not ours to change.
        with contextlib.suppress(PermissionError):
            path.chmod(mode & ~0o077)


def secret_key(directory: Path) -> str:
    """The secret key kept in `directory/secret_key`, generated (0600) on first start so
    sessions survive restarts without anyone having to configure one."""
    path = directory / "secret_key"
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:  # another process wrote it first: use theirs
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key
    _tighten(path)
    return key
