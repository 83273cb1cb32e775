"""The app's hold on a session: open or resume it, lock it, save it, never lose it.

This is the only place the reader talks to the session store. It is kept free
of Textual so its rules (what happens when the session is locked, damaged or
cannot be written) are plain code returning plain messages; the reader screen
decides how to show them.

Policy, in one place:

* ``--session NAME`` that another Parallax holds open: the reader still opens
  it, *read-only*: changes stay in memory and are never written over the other
  instance's work; ``s`` offers to save them under another name.
* A damaged session file: the store moves it aside; the reader starts a fresh
  session under the same name and says where the old bytes went.
* Without ``--session``: the work lives in an unnamed in-memory session until
  ``s`` gives it a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import SessionError
from tui.core.model import AlignSettings, Source
from tui.core.session import Session, SessionLock, SessionStore, validate_name, write_copy

#: name of the in-memory session used until the reader names it
UNNAMED = "untitled"


@dataclass
class OpenResult:
    """What opening found: the settings to align with and notices for the reader."""

    settings: AlignSettings
    notices: list[tuple[str, str]] = field(default_factory=list)  # (severity, text)


class Keeper:
    """Owns the session, its lock and its store for the app's lifetime."""

    def __init__(self, store: SessionStore | None = None) -> None:
        self.store = store or SessionStore()
        self.session: Session | None = None
        #: False for the in-memory session the app starts without --session
        self.named = False
        #: True when another Parallax holds the session: nothing is written
        self.read_only = False
        self.lock: SessionLock | None = None
        #: the reason the last save failed, None after a success
        self.last_error: str | None = None
        self.last_path: Path | None = None

    # ------------------------------------------------------------- opening

    def open(self, name: str | None, sources: Sequence[Source], settings: AlignSettings) -> OpenResult:
        """Create or resume ``name`` (or an unnamed session); never raises for bad input.

        ``settings`` are the command line's: when they are the defaults, a
        resumed session's own pivot and threshold win; when the reader asked
        for others explicitly, those win and become the session's.
        """
        result = OpenResult(settings)
        if name is None:
            self.session = Session.new(UNNAMED, sources, settings)
            self.session.dirty = False
            return result
        try:
            validate_name(name)
        except SessionError as error:
            result.notices.append(("error", f"{error}; working without a session (s saves under a name)"))
            return self.open(None, sources, settings)
        try:
            self.lock = self.store.acquire(name)
        except SessionError as error:
            self.read_only = True
            result.notices.append(("warning", f"{error}; opened read-only: changes are not saved here "
                                               "(s saves them under another name)"))
        session: Session | None = None
        if self.store.exists(name):
            try:
                session = self.store.load(name)
            except SessionError as error:
                result.notices.append(("error", f"{error}; starting it afresh"))
        if session is None:
            session = Session.new(name, sources, settings)
            if not self.read_only:
                result.notices.append(("information", f"new session {name!r}"))
        else:
            bound = session.bind(sources)
            if settings == AlignSettings():
                result.settings = session.align_settings(sources)
            else:
                session.set_align_settings(settings, sources)
            what = f"resumed session {name!r}: {len(session.annotations)} annotation(s), {len(session.overrides)} fix(es)"
            if bound.message:
                what += f"; {bound.message}"
            result.notices.append(("warning" if bound.orphaned or bound.missing else "information", what))
        self.session = session
        self.named = True
        return result

    # ------------------------------------------------------------- saving

    @property
    def can_save(self) -> bool:
        """Whether changes go to disk on their own (named, and not someone else's)."""
        return self.named and not self.read_only and self.session is not None

    @property
    def has_work(self) -> bool:
        """Whether the session holds anything of the reader's own worth keeping."""
        s = self.session
        return s is not None and bool(s.annotations or s.overrides)

    def save(self) -> str | None:
        """Write the session now; returns the reason it failed, or None."""
        if self.session is None:
            return "there is no session to save"
        if not self.named:
            return "this session has no name yet"
        if self.read_only:
            return f"session {self.session.name!r} is open in another Parallax"
        try:
            self.last_path = self.store.save(self.session)
        except (SessionError, OSError) as error:
            self.last_error = " ".join(str(error).split()) or type(error).__name__
            return self.last_error
        self.last_error = None
        return None

    def save_as(self, name: str) -> str | None:
        """Give the session a new name (locked, not taken) and save it there; returns the failure."""
        assert self.session is not None
        try:
            validate_name(name)
            if self.store.exists(name):
                return f"a session named {name!r} already exists; pick another name"
            lock = self.store.acquire(name)
        except (SessionError, OSError) as error:
            return str(error)
        old_lock = self.lock
        self.session.rename(name)
        self.lock, self.named, self.read_only = lock, True, False
        if old_lock is not None:
            old_lock.release()
        return self.save()

    def save_copy(self, target: str) -> str | None:
        """Write a copy of the session to a file path the reader typed; returns the failure.

        Used when the sessions folder itself cannot be written: the session
        keeps its name and its own file, so autosave resumes there once the
        folder works again.
        """
        assert self.session is not None
        try:
            self.last_path = write_copy(self.session, Path(target))
        except SessionError as error:
            return str(error)
        return None

    @staticmethod
    def is_path(text: str) -> bool:
        """Whether the name prompt was given an explicit file path rather than a session name.

        Only absolute paths count (``/…``, ``~…``, ``C:\\…``, ``\\\\server\\…``). Relative
        ones (``./x``, ``../x``) are refused as names: they were written relative to
        whatever folder Parallax happened to start in, which surprised readers who
        then could not find the copy. A mistyped name such as ``a/b`` or ``../x``
        gets the name rules explained, with the hint to type a full path.
        """
        return (text.startswith(("/", "~", "\\\\"))
                or bool(re.match(r"[A-Za-z]:[\\/]", text)))

    def suggest_name(self) -> str:
        """A free name to offer in the prompt: the current one with a number, or a fresh one."""
        base = self.session.name if self.session is not None and self.named else "story"
        for n in range(2, 1000):
            candidate = f"{base}-{n}"
            try:
                if not self.store.exists(candidate):
                    return candidate
            except SessionError:
                break
        return base

    def close(self) -> None:
        """Release the lock (safe to call twice)."""
        if self.lock is not None:
            try:
                self.lock.release()
            except OSError:
                pass
            self.lock = None
