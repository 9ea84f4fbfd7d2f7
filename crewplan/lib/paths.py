"""Where crewplan keeps its files when nothing is configured."""

import os
import secrets
from pathlib import Path

import platformdirs


def data_dir() -> Path:
    """`CREWPLAN_DATA_DIR` if set, else the per-user data directory
    (`~/.local/share/crewplan` on Linux). Created on first use."""
    configured = os.environ.get("CREWPLAN_DATA_DIR")
    path = (
        Path(configured).expanduser()
        if configured
        else Path(platformdirs.user_data_dir("crewplan"))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """The secret key kept in `directory/secret_key`, generated (0600) on first start so
    sessions survive restarts without anyone having to configure one."""
    path = directory / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(50)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process wrote it first: use theirs
            return path.read_text().strip()
        with os.fdopen(fd, "w") as fh:
            fh.write(key)
        return key
