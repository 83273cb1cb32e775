"""Where the command line's output goes: whole files or nothing, never over an input, inert on a terminal.

Every command that writes (export, report, omissions, batch) builds its
whole output first and hands it to :func:`_write_output` (a temporary file
beside the target, synced, renamed over it) or to :func:`_utf8_stdout`; the
checks that can fail (a folder, a missing folder, the sessions folder, one
of the articles being read) run before any aligning, so a mistake costs no
time. Text from articles and file names go through :func:`printable`.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from tui.core.errors import ParallaxError

if TYPE_CHECKING:
    from tui.core.model import Alignment


class UsageError(ParallaxError):
    """A mistake on the command line that argparse cannot see (e.g. an unknown pivot)."""


def printable(text: str, *, keep_newlines: bool = False) -> str:
    """Make article text (or a file name) inert on a terminal (see :mod:`tui.core.terminal`).

    A raw ESC in a scraped article would start a control sequence when
    printed: OSC 52 writes the clipboard, OSC 8 hides a link, CSI clears the
    screen. Controls are shown as their Unicode control pictures instead.
    """
    from tui.core.terminal import terminal_safe

    if keep_newlines:
        return "\n".join(terminal_safe(line) for line in text.split("\n"))
    return terminal_safe(text)


def _check_output(path: Path) -> None:
    """Refuse an output path that cannot work, before spending time aligning.

    A file in the sessions folder is refused too: written over, a session
    would read as damaged and be moved aside.
    """
    if path.is_dir():
        raise UsageError(f"cannot write {path}: it is a directory")
    parent = path.parent
    if not parent.is_dir():
        raise UsageError(f"cannot write {path}: folder {parent} does not exist")
    from tui.core.paths import sessions_dir  # not session_store: export need not import the sessions

    try:
        sessions = Path(os.path.realpath(sessions_dir()))
    except OSError:
        return
    if sessions == Path(os.path.realpath(parent)) or sessions in Path(os.path.realpath(parent)).parents:
        raise UsageError(f"will not write {path}: it is in the sessions folder ({sessions}); choose another file")


def _check_not_an_input(path: Path, alignment: Alignment) -> None:
    """Refuse to write over one of the articles being exported (it would be lost, and the session's anchor with it)."""
    for source in alignment.sources:
        if source.path is None:
            continue
        try:
            same = os.path.samefile(path, source.path)
        except OSError:  # the output does not exist yet, or the article has gone
            continue
        if same:
            raise UsageError(f"will not write {path}: it is the article {source.name} being exported; "
                             "choose another file")


def _write_output(path: Path, text: str, *, newline: str = "") -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside it, synced, then renamed.

    On a full disk the old file stays as it was and the temporary one goes;
    the error is one line. A symlink is followed (its target is replaced,
    not the link); a FIFO or device (``-o /dev/stdout``) cannot be replaced,
    so it is written directly.
    """
    import contextlib
    import stat
    import tempfile

    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(real, "w", encoding="utf-8", newline=newline) as fp:
                fp.write(text)
        except OSError as exc:
            raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
        return
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fp:
            fp.write(text)
            fp.flush()
            os.fsync(fp.fileno())
        os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, real)
        tmp = None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _stdout_is_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (ValueError, AttributeError):
        return False


def _utf8_stdout() -> TextIO:
    """Stdout fit for CSV: UTF-8 whatever the locale says, and no newline translation.

    Article text is full of curly quotes a legacy console encoding cannot
    hold, and the csv module writes its own record ends.
    """
    out = sys.stdout
    if isinstance(out, io.TextIOWrapper):
        changes: dict[str, Any] = {}
        if (out.encoding or "").lower().replace("-", "") != "utf8":
            changes["encoding"] = "utf-8"
        if os.linesep != "\n":
            changes["newline"] = ""
        if changes:
            out.reconfigure(**changes)
    return out
