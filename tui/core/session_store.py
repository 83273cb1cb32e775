"""Where sessions live on disk: the store, its locks and its atomic writes.

:class:`SessionStore` lists, loads, saves, deletes and locks named sessions
in the sessions folder; the :class:`~tui.core.session.Session` it reads and
writes knows nothing of files. Written the paranoid way (see
:mod:`tui.core.session`): atomically, never clobbering someone else's change,
moving a damaged file aside instead of deleting it, and one lock per session
so two readers never write over each other.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import socket
import stat
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tui.core.errors import SessionError
from tui.core.paths import replace_atomically, sessions_dir
from tui.core.regular import hash_regular, kind_of, read_regular
from tui.core.session import Session, _NewerSchemaError, _now
from tui.core.session_names import name_taken, validate_name

#: Largest session file read: the biggest real ones (300 sources' sentences) are tens of MB.
#: A link to /dev/zero or a runaway file is refused instead of filling memory.
MAX_SESSION_BYTES = 256 * 1024 * 1024
#: Largest lock file read: a real one is about 150 bytes.
MAX_LOCK_BYTES = 64 * 1024
#: A save's temporary file of another session older than this is a killed save's, and removed.
STALE_TEMP_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """One line of ``parallax sessions``: enough to choose a session without loading it all."""

    name: str
    path: Path
    sources: int = 0
    annotations: int = 0
    orphans: int = 0
    updated: str = ""
    #: why the file could not be read, when it could not (it is listed anyway)
    error: str | None = None


def _pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine (a zombie counts as alive)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # type: ignore[attr-defined]  # Windows only; access denied: it exists
        code = ctypes.c_ulong()
        try:
            kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        finally:
            kernel32.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class SessionLock:
    """Held while a Parallax has a session open; release it (or use ``with``) on the way out."""

    def __init__(self, path: Path, token: str) -> None:
        self.path = path
        self.token = token

    def release(self) -> None:
        """Remove the lock file if it is still ours; safe to call twice."""
        holder = _read_lock(self.path)
        if holder is not None and holder.get("token") == self.token:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __enter__(self) -> SessionLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_lock(path: Path) -> dict[str, Any] | None:
    try:
        raw, _ = read_regular(path, MAX_LOCK_BYTES)  # a FIFO lock opens at once and is refused
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


#: a lock file with no readable content this old is a crash between create and write
_UNREADABLE_LOCK_GRACE = 5.0


def _fsync_dir(folder: Path) -> None:
    """Make a rename durable: without this a power cut can lose the new directory entry."""
    if os.name == "nt":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse; the data is already synced
        pass
    finally:
        os.close(fd)


def write_copy(session: Session, path: Path) -> Path:
    """Write the session, as its store would, to any file the user names.

    The escape hatch when the sessions folder cannot be written (read-only,
    full, gone): the reader's work reaches disk somewhere, and the copy can
    be put back later — it is an ordinary session file, so placing it at
    ``<PARALLAX_HOME>/sessions/<name>.json`` resumes it. Atomic like every save;
    it never touches the session's own file, stamp or revision.
    """
    path = Path(path).expanduser()
    if path.suffix.lower() != ".json":
        path = path.with_name(path.name + ".json")
    if not path.parent.is_dir():
        raise SessionError(f"cannot write {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise SessionError(f"cannot write {path}: it is a folder")
    try:
        data = json.dumps(session.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
        _atomic_write(path, data)
    except (OSError, TypeError, ValueError) as exc:
        raise SessionError(f"could not write a copy to {path}: {_reason(exc)}") from None
    return path


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix."""
    replace_atomically(path, data)
    # The new file is in place: a failure to sync the folder now must not be reported as
    # "not saved" (the caller would roll back its revision and then refuse its own file).
    with contextlib.suppress(OSError):
        _fsync_dir(path.parent)


class SessionStore:
    """The sessions folder: list, load, save, delete and lock named sessions."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else sessions_dir()

    def path(self, name: str) -> Path:
        return self.root / f"{validate_name(name)}.json"

    def exists(self, name: str) -> bool:
        """Whether something holds the name: a session file, or a FIFO or device in its place (it cannot be taken)."""
        path = self.path(name)
        return path.is_file() or kind_of(path) is not None

    def list(self) -> list[SessionInfo]:
        """Every session, most recently changed first; unreadable ones listed with the reason."""
        infos = []
        if not self.root.is_dir():
            return []
        for path in self.root.glob("*.json"):
            name = path.name[: -len(".json")]
            try:
                validate_name(name)
            except SessionError:
                continue
            try:
                raw, _ = read_regular(path, MAX_SESSION_BYTES)
                session = Session.from_json(json.loads(raw.decode("utf-8")))
            except _NewerSchemaError as exc:
                infos.append(SessionInfo(name, path, error=f"written by a newer Parallax ({exc})"))
                continue
            except (OSError, ValueError, UnicodeDecodeError, RecursionError) as exc:
                infos.append(SessionInfo(name, path, error=_reason(exc)))
                continue
            infos.append(SessionInfo(name, path, len(session.sources), len(session.annotations),
                                     len(session.orphans), session.updated))
        infos.sort(key=lambda i: i.name)
        infos.sort(key=lambda i: i.updated, reverse=True)
        return infos

    def load(self, name: str, *, quarantine: bool = True) -> Session:
        """Read a session; a damaged file is moved aside (when ``quarantine``) and reported.

        Moving it aside rather than leaving it lets the app start a clean
        session under the same name while keeping the damaged bytes for
        whoever wants to rescue them.
        """
        path = self.path(name)
        try:
            raw, st = read_regular(path, MAX_SESSION_BYTES)
        except FileNotFoundError:
            raise SessionError(f"no session named {name!r}") from None
        except OSError as exc:  # a FIFO, a device, a folder, too large: not moved aside, not read
            raise SessionError(f"cannot read session {name!r} ({path.name}): {exc.strerror or exc}") from None
        try:
            session = Session.from_json(json.loads(raw.decode("utf-8")))
        except _NewerSchemaError as exc:
            raise SessionError(
                f"session {name!r} was written by a newer Parallax (schema {exc.version}); upgrade to open it"
            ) from None
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            if not quarantine:
                raise SessionError(f"session {name!r} is damaged ({_reason(exc)})") from None
            moved = self._quarantine(path)
            raise SessionError(
                f"session {name!r} is damaged ({_reason(exc)}); moved it aside to {moved.name}"
            ) from None
        session.name = name
        session._stamp = (st.st_mtime_ns, st.st_size)
        session._digest = hashlib.sha256(raw).hexdigest()
        return session

    def _quarantine(self, path: Path) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        n = 1
        while target.exists():
            n += 1
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        try:
            os.replace(path, target)
        except OSError as exc:
            raise SessionError(f"session {path.stem!r} is damaged and could not be moved aside: "
                               f"{exc.strerror or exc}") from None
        return target

    def save(self, session: Session, *, force: bool = False) -> Path:
        """Write the session atomically; refuse to clobber a file someone else changed.

        "Someone else" is another Parallax, a sync tool or an editor: if the
        file on disk is not the one this session was loaded from or last
        saved to, the save raises SessionError unless ``force``.
        """
        path = self.path(session.name)
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SessionError(f"cannot create the sessions folder {self.root}: {exc.strerror or exc}") from None
        if not force:
            self._check_unchanged(session, path)
        old = (session.revision, session.updated)
        session.revision += 1
        session.updated = _now()
        try:
            data = json.dumps(session.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
            _atomic_write(path, data)
        except (OSError, TypeError, ValueError) as exc:
            session.revision, session.updated = old
            raise SessionError(f"could not save session {session.name!r}: {_reason(exc)}") from None
        session._digest = hashlib.sha256(data).hexdigest()
        try:
            st = path.stat()
            session._stamp = (st.st_mtime_ns, st.st_size)
        except OSError:  # written, but not statable now: the digest alone recognises it next time
            session._stamp = (-1, -1)
        session.dirty = False
        return path

    def _check_unchanged(self, session: Session, path: Path) -> None:
        try:
            st = path.stat()
        except FileNotFoundError:
            return  # new, or deleted meanwhile: writing it loses nothing
        except OSError as exc:
            raise SessionError(f"cannot check session {session.name!r}: {exc.strerror or exc}") from None
        if session._stamp is None:
            raise SessionError(name_taken(session.name))
        if (st.st_mtime_ns, st.st_size) == session._stamp:
            return
        # the stamp moved: still ours if the bytes are exactly what we last read or wrote
        # (touched, or copied back by a sync tool); anything else is someone else's work
        try:
            same = hash_regular(path) == session._digest
        except OSError:
            same = False
        if not same:
            raise SessionError(
                f"session {session.name!r} was changed on disk by someone else since it was opened; not overwriting it"
            )

    def delete(self, name: str) -> Path:
        """Delete a session file (and its stale lock); refuses while another Parallax has it open."""
        path = self.path(name)
        if not path.is_file() and kind_of(path) is None:  # a FIFO or a link to a device is deleted too
            raise SessionError(f"no session named {name!r}")
        lock = self.acquire(name)
        try:
            path.unlink()
        except OSError as exc:
            raise SessionError(f"cannot delete session {name!r}: {exc.strerror or exc}") from None
        finally:
            lock.release()
        return path

    def acquire(self, name: str) -> SessionLock:
        """Lock a session for this process, taking over a lock whose owner died.

        The lock file (``<name>.lock``, created with O_EXCL) records pid and
        host; a lock from this host whose pid is gone is stale. A lock from
        another host cannot be checked and is respected.
        """
        path = self.root / f"{validate_name(name)}.lock"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SessionError(f"cannot create the sessions folder {self.root}: {exc.strerror or exc}") from None
        odd = _odd_lock(path)
        if odd is not None:
            raise SessionError(f"cannot lock session {name!r}: its lock {path.name} is {odd}; "
                               "remove it if no Parallax has the session open")
        host = socket.gethostname()
        token = uuid.uuid4().hex
        for _ in range(5):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = _read_lock(path)
                if self._stale(path, holder, host):
                    if _read_lock(path) == holder:  # narrow the race with another taker
                        with contextlib.suppress(FileNotFoundError):
                            path.unlink()
                    continue
                pid = holder.get("pid", "?") if holder else "?"
                where = f" on {holder['host']}" if holder and holder.get("host") not in (None, host) else ""
                raise SessionError(f"session {name!r} is open in another Parallax (pid {pid}{where})") from None
            except OSError as exc:
                raise SessionError(f"cannot lock session {name!r}: {exc.strerror or exc}") from None
            data = json.dumps({"pid": os.getpid(), "host": host, "token": token, "created": _now()}).encode("utf-8")
            try:
                try:
                    view = memoryview(data)
                    while view:
                        view = view[os.write(fd, view):]
                finally:
                    os.close(fd)
            except OSError as exc:
                # a full disk (or quota): no empty lock left to block the next start for seconds
                with contextlib.suppress(OSError):
                    path.unlink()
                raise SessionError(f"cannot lock session {name!r}: {_reason(exc)}") from None
            self.clean_temporaries(name)
            return SessionLock(path, token)
        raise SessionError(f"cannot lock session {name!r}: its lock keeps changing")

    def clean_temporaries(self, name: str | None = None) -> tuple[Path, ...]:
        """Remove the temporary files of saves that were killed before their rename.

        Every save writes ``.<name>.json.<random>.tmp`` and renames it over
        ``<name>.json``; a kill between the two leaves the temporary behind,
        never read again. ``name``'s own are removed whatever their age (the
        caller holds its lock, and every save of it holds the lock); other
        sessions' only once they are :data:`STALE_TEMP_SECONDS` old. Returns
        what was removed; a failure to remove one is not an error.
        """
        removed: tuple[Path, ...] = ()
        own = f".{name}.json." if name is not None else None
        now = time.time()
        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return removed
        for entry in entries:
            n = entry.name
            if not (n.startswith(".") and n.endswith(".tmp") and ".json." in n):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
                if not stat.S_ISREG(st.st_mode):
                    continue
                if not (own is not None and n.startswith(own)) and now - st.st_mtime < STALE_TEMP_SECONDS:
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed += (Path(entry.path),)
        return removed

    @staticmethod
    def _stale(path: Path, holder: dict[str, Any] | None, host: str) -> bool:
        if holder is None:
            try:
                return time.time() - path.stat().st_mtime > _UNREADABLE_LOCK_GRACE
            except FileNotFoundError:
                return True
        if holder.get("host") != host:
            return False
        pid = holder.get("pid")
        return not (isinstance(pid, int) and _pid_alive(pid))


def check_stored_paths(session: Session, name: str) -> list[str]:
    """The files a session would have read on its own, refused when they are not plainly articles.

    A session file says which files to read when resumed without arguments,
    and a session file can come from anyone (shared, synced, edited): one
    naming ``/etc/passwd`` put that file in a CSV. Read on the session's word
    alone are only absolute paths to regular files called ``.txt``, ``.md``
    or ``.html`` with no hidden folder or file on the way (``~/.ssh/…``);
    anything else raises SessionError naming it, so the user passes the
    articles themselves. Returns the stored paths (URLs aside) for
    :func:`describe_stored_paths`.
    """
    paths = []
    for ref in session.sources:
        if ref.url or not ref.path:
            continue
        why = stored_path_problem(ref.path)
        if why is not None:
            raise SessionError(f"session {name!r} names {ref.path} as a source ({why}); it is not read on the "
                               f"session's word: pass the article files to use (... FILES --session {name})")
        paths.append(ref.path)
    return paths


def stored_path_problem(path: str) -> str | None:
    """Why a path stored in a session is not read on the session's word alone, or None if it may be."""
    from tui.core.ingest.files import READ_SUFFIXES

    p = Path(path)
    if not p.is_absolute():
        return "not an absolute path"
    if any(part.startswith(".") for part in p.parts[1:]):
        return "inside a hidden folder or hidden itself"
    if p.suffix.casefold() not in READ_SUFFIXES:
        return "not a .txt, .md or .html file"
    return kind_of(p)


def describe_stored_paths(paths: list[str]) -> str:
    """``5 files in /home/ana/story`` (or the folders, up to three): where a resumed session reads from."""
    folders = sorted({str(Path(p).parent) for p in paths})
    n = len(paths)
    what = f"{n} file{'' if n == 1 else 's'}"
    if len(folders) <= 3:
        return f"{what} in {', '.join(folders)}"
    return f"{what} in {len(folders)} folders ({', '.join(folders[:3])}, ...)"


def _odd_lock(path: Path) -> str | None:
    """What a lock path is when it is there but not a file (a FIFO, a folder, a link to a device)."""
    return kind_of(path)


def _reason(exc: BaseException) -> str:
    """A short, one-line reason for a low-level failure."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, json.JSONDecodeError):
        return f"not valid JSON at line {exc.lineno}"
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return " ".join(str(exc).split()) or type(exc).__name__
