"""Where Parallax keeps its files: one rule for sessions, configuration and the page cache.

Each folder is, in order: its own environment variable when it has one
(``PARALLAX_CONFIG_DIR``, ``PARALLAX_CACHE_DIR``), else a sub-folder of
``$PARALLAX_HOME`` (so tests, portable installs and people with many projects
can keep everything in one place), else the platform's user folder of that
kind (platformdirs, imported only when it is needed).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Literal


def user_folder(
    kind: Literal["data", "config", "cache"], home_sub: str, *, env: str | None = None, tail: str = ""
) -> Path:
    """``$env``, else ``$PARALLAX_HOME/home_sub``, else the platform's user ``kind`` folder ``/ tail``."""
    explicit = os.environ.get(env) if env else None
    if explicit:
        return Path(explicit).expanduser()
    home = os.environ.get("PARALLAX_HOME")
    if home:
        return Path(home).expanduser() / home_sub
    import platformdirs

    platform = {
        "data": platformdirs.user_data_dir,
        "config": platformdirs.user_config_dir,
        "cache": platformdirs.user_cache_dir,
    }[kind]
    return Path(platform("parallax")) / tail


def sessions_dir() -> Path:
    """Where sessions live: ``$PARALLAX_HOME/sessions``, else the platform's user data dir.

    Here rather than only in :mod:`tui.core.session_store` (which re-exports
    it) so that ``parallax export -o FILE`` can refuse a file in the sessions
    folder without importing the session machinery.
    """
    return user_folder("data", "sessions", tail="sessions")


def replace_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of one.

    The bytes go to a temporary file in the same folder, synced, then renamed
    over ``path``; on any failure the temporary file is removed and the error
    raised. Making the rename itself durable (syncing the folder) is the
    caller's choice: sessions do, the page cache does not.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
