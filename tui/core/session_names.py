"""Session names: the one place that says what a name may be and what is a path instead.

A session's name becomes ``<name>.json`` (and ``<name>.lock``) in the
sessions folder, is typed by a reader at the ``s`` prompt and on the command
line, and ends up in export file names. The rules for all of that live here:
:func:`validate_name` for a name, :func:`is_path` for a full path typed
where a name was asked for, :func:`free_name` for the name to offer, and
:func:`file_stem` for a file-name-safe stem from any text.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable

from tui.core.errors import SessionError

#: file systems limit names to 255 bytes; leave room for '.json', '.lock' and temp suffixes
MAX_NAME_BYTES = 160
MAX_NAME_LENGTH = 80
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in "123456789¹²³"}
    | {f"LPT{i}" for i in "123456789¹²³"}
)
_FORBIDDEN_CHARS = set('<>:"/\\|?*')


def validate_name(name: str) -> str:
    """Return ``name`` if it is safe as a file name on every platform; raise SessionError otherwise.

    The name becomes ``<name>.json`` in the sessions folder, so anything that
    could escape the folder, clash with a device name on Windows or confuse a
    terminal is refused rather than mangled (a mangled name would surprise the
    reader who types it next time).
    """
    def bad(why: str) -> SessionError:
        return SessionError(f"invalid session name {name!r}: {why}")

    if not isinstance(name, str) or not name:
        raise bad("it is empty")
    if len(name) > MAX_NAME_LENGTH:
        raise bad(f"longer than {MAX_NAME_LENGTH} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp", "Cs") for c in name):
        raise bad("it contains control characters or undecodable bytes")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise bad(f"longer than {MAX_NAME_BYTES} bytes once encoded")
    if ".." in name:
        raise bad("it contains '..'")
    if name.startswith("."):
        raise bad("it starts with '.'")
    seps = {"/", "\\", os.sep, os.altsep or "/"}
    if any(c in seps for c in name) or os.path.isabs(name):
        raise bad("it contains a path separator")
    if any(c in _FORBIDDEN_CHARS for c in name):
        raise bad('it contains one of < > : " / \\ | ? *')
    if name != name.strip() or name.endswith("."):
        raise bad("it starts or ends with a space or ends with '.'")
    if name.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        raise bad("it is a reserved device name on Windows")
    return name


def name_taken(name: str) -> str:
    """The one way to say a name is in use (the store and the reader's prompt both say it)."""
    return f"a session named {name!r} already exists; pick another name"


def is_path(text: str) -> bool:
    """Whether a full file path was typed where a session name was asked for.

    Only absolute paths count (``/…``, ``~…``, ``C:\\…``, ``\\\\server\\…``). Relative
    ones (``./x``, ``../x``) are refused as names: they were written relative to
    whatever folder Parallax happened to start in, which surprised readers who
    then could not find the copy. A mistyped name such as ``a/b`` or ``../x``
    gets the name rules explained, with the hint to type a full path.
    """
    return (text.startswith(("/", "~", "\\\\"))
            or bool(re.match(r"[A-Za-z]:[\\/]", text)))


def explain_name_error(name: str, error: SessionError) -> str:
    """What to tell a reader whose typed name broke a rule; a path-like name gets the full-path hint."""
    if "/" in name or "\\" in name:  # meant as a path, but only full paths are taken
        return f"{error} (for a copy outside the sessions folder, type a full path: ~/copy.json)"
    return str(error)


def free_name(base: str, exists: Callable[[str], bool]) -> str:
    """``base-2``, ``base-3``…: the first name ``exists`` says is free; ``base`` if none is (or it cannot tell)."""
    for n in range(2, 1000):
        candidate = f"{base}-{n}"
        try:
            if not exists(candidate):
                return candidate
        except SessionError:
            break
    return base


def file_stem(text: str, default: str = "story", max_length: int = 100) -> str:
    """``text`` made safe as part of a file name: runs of anything but word characters, '.' and '-' become '-'.

    At most ``max_length`` characters, so a long headline or session name
    cannot push the file name past what a file system allows.
    """
    return re.sub(r"[^\w.-]+", "-", text).strip("-.")[:max_length] or default

