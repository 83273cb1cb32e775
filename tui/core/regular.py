"""Reading a file that may not be a file: FIFOs, devices and huge files met where a small file was expected.

A session folder, a lock, a stored source path or a gold file is named by
something Parallax does not control (a sync tool, a shared session, a
prankster). ``open(path).read()`` on a FIFO waits for a writer forever; on
``/dev/zero`` (or a link to it) it fills memory; on a 1 GB article it reads
1 GB. Everything here opens without blocking (``O_NONBLOCK``: a FIFO opens at
once), checks on the open descriptor that it is a regular file (so a swap
between a check and the open cannot slip a FIFO in) and reads at most a
limit, or hashes in chunks without keeping the bytes.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

__all__ = ["NotRegularFile", "TooLarge", "describe_mode", "hash_regular", "open_regular", "read_regular"]

_CHUNK = 1 << 20


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder, not a file of bytes."""


class TooLarge(OSError):
    """The file is larger than the caller's limit (it was not read); ``size`` is None when it grew while read."""

    def __init__(self, message: str, path: str, size: int | None, limit: int) -> None:
        super().__init__(0, message, path)
        self.size = size
        self.limit = limit


def describe_mode(mode: int) -> str:
    """``a FIFO``, ``a character device`` …: what a non-regular file is, for messages."""
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def open_regular(path: str | os.PathLike[str]) -> tuple[int, os.stat_result]:
    """Open ``path`` read-only without blocking; returns (fd, stat) of a regular file, else raises.

    Raises :class:`NotRegularFile` (its ``strerror`` says what it is) or the
    OSError of the open itself (FileNotFoundError, PermissionError …).
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = describe_mode(st.st_mode)
            raise NotRegularFile(0, f"it is {what}, not a file" if what.startswith("a ") else what, str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd, st


def read_regular(path: str | os.PathLike[str], limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most ``limit`` bytes, and its stat; raises OSError otherwise.

    The limit is checked before reading and again while reading (a file that
    grows meanwhile is cut off at ``limit + 1`` bytes and refused).
    """
    fd, st = open_regular(path)
    try:
        if st.st_size > limit:
            raise TooLarge(f"it is {st.st_size:,} bytes, over the limit of {limit:,}", str(path), st.st_size, limit)
        parts: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - got))
            if not chunk:
                break
            parts.append(chunk)
            got += len(chunk)
        if got > limit:
            raise TooLarge(f"it grew past the limit of {limit:,} bytes while being read", str(path), None, limit)
        return b"".join(parts), st
    finally:
        os.close(fd)


def hash_regular(path: str | os.PathLike[str]) -> str:
    """sha256 hex digest of a regular file, read in 1 MB chunks (a 1 GB file costs 1 MB of memory)."""
    fd, _ = open_regular(path)
    digest = hashlib.sha256()
    try:
        while chunk := os.read(fd, _CHUNK):
            digest.update(chunk)
    finally:
        os.close(fd)
    return digest.hexdigest()


def is_regular(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is (or links to) a regular file; never opens it."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def kind_of(path: Path) -> str | None:
    """What ``path`` is when it exists and is not a regular file (``a FIFO`` …), else None."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return None if stat.S_ISREG(mode) else describe_mode(mode)
