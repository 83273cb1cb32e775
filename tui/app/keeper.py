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
* Saving as: a name must follow the session-name rules and be free; a full
  path (``~/copy.json``) writes a copy there instead, for when the sessions
  folder cannot be written.
* A failed autosave is told once per run of failures, not every 1.5 s.
* Quitting with work that could not be saved takes a second ``q`` within
  :data:`QUIT_CONFIRM_SECONDS`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tui.core.errors import SessionError
from tui.core.model import AlignSettings, Source
from tui.core.session import Session
from tui.core.session_names import explain_name_error, free_name, is_path, name_taken, validate_name
from tui.core.session_store import SessionLock, SessionStore, describe_stored_paths, write_copy
from tui.core.settings import Explicit, resolve

#: name of the in-memory session used until the reader names it
UNNAMED = "untitled"
#: A second ``q`` within this many seconds quits even though saving failed.
QUIT_CONFIRM_SECONDS = 5.0


@dataclass(frozen=True)
class Notice:
    """A message for the reader, as the screen should show it."""

    text: str
    severity: str = "information"
    title: str = ""
    timeout: float = 4


@dataclass
class OpenResult:
    """What opening found: the settings to align with and notices for the reader."""

    settings: AlignSettings
    notices: list[tuple[str, str]] = field(default_factory=list)  # (severity, text)


class Keeper:
    """Owns the session, its lock and its store for the app's lifetime."""

    def __init__(self, store: SessionStore | None = None, defaults: AlignSettings | None = None) -> None:
        self.store = store or SessionStore()
        #: the settings a new session starts from when no flag says otherwise (the user's configured
        #: defaults; None: the built-in ones)
        self.defaults = defaults
        self.session: Session | None = None
        #: False for the in-memory session the app starts without --session
        self.named = False
        #: True when another Parallax holds the session: nothing is written
        self.read_only = False
        self.lock: SessionLock | None = None
        #: the reason the last save failed, None after a success
        self.last_error: str | None = None
        self.last_path: Path | None = None
        #: the reader has been told the current run of save failures
        self.failure_told = False
        #: when a quit was refused for unsaved work (a second q soon after quits)
        self.quit_armed_at = float("-inf")

    # ------------------------------------------------------------- opening

    def open(
        self,
        name: str | None,
        sources: Sequence[Source],
        explicit: Explicit = Explicit(),
        defaults: AlignSettings | None = None,
    ) -> OpenResult:
        """Create or resume ``name`` (or an unnamed session); never raises for bad input.

        ``explicit`` holds the settings the command line was given: each of
        them wins, even one equal to the default, and becomes the session's;
        the others come from a resumed session's own settings, else from
        ``defaults`` (else the keeper's own: the user's configured ones, or
        the built-in ones if None).
        """
        defaults = defaults if defaults is not None else self.defaults
        result = OpenResult(resolve(explicit, defaults=defaults))
        if name is None:
            self.session = Session.new(UNNAMED, sources, result.settings)
            self.session.dirty = False
            return result
        try:
            validate_name(name)
        except SessionError as error:
            unnamed = self.open(None, sources, explicit, defaults)
            unnamed.notices.append(("error", f"{error}; working without a session (s saves under a name)"))
            return unnamed
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
            session = Session.new(name, sources, result.settings)
            if not self.read_only:
                result.notices.append(("information", f"new session {name!r}"))
        else:
            stored = {r.path for r in session.sources if r.path}
            read = [str(Path(s.path).absolute()) for s in sources if s.path is not None]
            bound = session.bind(sources)
            result.settings = resolve(explicit, stored=session.align_settings(sources))
            if explicit:
                session.set_align_settings(result.settings, sources)
            what = f"resumed session {name!r}: {len(session.annotations)} annotation(s), {len(session.overrides)} fix(es)"
            if bound.message:
                what += f"; {bound.message}"
            if read and set(read) <= stored:  # say which files a session's own paths made the reader open
                what += f"; its sources as stored: {describe_stored_paths(read)}"
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
        return s is not None and bool(s.annotations or s.overrides or s.labels)

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

    def save_now(self, *, quiet: bool) -> tuple[bool, Notice | None]:
        """Save (an autosave when ``quiet``); returns whether it worked and what to tell the reader.

        A failure is told once per run of failures: a quiet retry of a
        failure already told says nothing, and the work stays in memory.
        """
        failure = self.save()
        if failure:
            notice = None
            if not (quiet and self.failure_told):
                notice = Notice(f"could not save: {failure}. Your work is kept in memory; press s to save it "
                                "under another name.", "error", "Not saved", 10)
            self.failure_told = True
            return False, notice
        self.failure_told = False
        return True, None if quiet else Notice(f"saved to {self.last_path}")

    def save_as_prompt(self, story: str) -> tuple[str, str]:
        """The question ``s`` asks when a name is needed, and the name it offers."""
        # the dialog is one line of an 80-column screen: keep both prompts under 60 characters
        if self.named:
            return "New session name (or a full path for a copy):", self.suggest_name()
        return "Session name (or a full path such as ~/copy.json):", story

    def check_save_name(self, name: str) -> str | None:
        """Why ``name`` cannot be saved under (asked while it is typed), or None."""
        if is_path(name):
            return None  # a file path: write_copy reports what goes wrong
        try:
            validate_name(name)
            if self.store.exists(name):
                return name_taken(name)
        except SessionError as error:
            return explain_name_error(name, error)
        return None

    def save_under(self, name: str) -> Notice:
        """Save as the name (or the full path) the reader gave; what to tell them either way."""
        if is_path(name):
            failure = self.save_copy(name)
            if failure:
                return Notice(f"{failure}. Your work is kept in memory.", "error", "Not saved", 10)
            path = self.last_path
            stem = path.stem if path is not None else "NAME"
            return Notice(f"saved a copy to {path} — to resume it, put it in {self.store.root} "
                          f"and run parallax --session {stem}", timeout=12)
        failure = self.save_as(name)
        if failure:
            self.failure_told = True
            return Notice(f"could not save: {failure}. Your work is kept in memory.", "error", "Not saved", 10)
        self.failure_told = False
        return Notice(f"saved to {self.last_path}")

    def before_quit(self, record: Callable[[], None], now: float | None = None) -> Notice | None:
        """Save on the way out; a Notice (and no quitting) when work would be lost.

        ``record`` puts the reader's place into the session first. A refused
        quit arms the next one: a second ``q`` within
        :data:`QUIT_CONFIRM_SECONDS` quits whatever happened.
        """
        now = time.monotonic() if now is None else now
        if now - self.quit_armed_at < QUIT_CONFIRM_SECONDS:
            return None
        if self.can_save and self.session is not None:
            record()
            if self.session.dirty:
                failure = self.save()
                if failure:
                    self.quit_armed_at = now
                    return Notice(f"could not save: {failure}. Your work is still here: press s to save it "
                                  "under another name, or q again to quit without saving.", "error", "Not saved", 10)
        elif self.has_work and self.session is not None and self.session.dirty:
            self.quit_armed_at = now
            return Notice("your annotations and fixes are not saved: press s to save them as a session, "
                          "or q again to quit without saving.", "warning", "Not saved", 10)
        return None

    def save_as(self, name: str) -> str | None:
        """Give the session a new name (locked, not taken) and save it there; returns the failure."""
        assert self.session is not None
        try:
            validate_name(name)
            if self.store.exists(name):
                return name_taken(name)
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

    def suggest_name(self) -> str:
        """A free name to offer in the prompt: the current one with a number, or a fresh one."""
        base = self.session.name if self.session is not None and self.named else "story"
        return free_name(base, self.store.exists)

    def close(self) -> None:
        """Release the lock (safe to call twice)."""
        if self.lock is not None:
            try:
                self.lock.release()
            except OSError:
                pass
            self.lock = None
