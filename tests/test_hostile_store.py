"""Hostile input, round two, items 6 and 7 (issue 12): a full disk and a hostile sessions folder.

Each test failed before its fix:

- 6: a full disk made ``SessionStore.acquire`` raise a raw ``OSError`` (a
  traceback at start) and left an empty lock; a killed save's ``.tmp`` file
  stayed in the folder for good.
- 7: ``NAME.json`` or ``NAME.lock`` being a FIFO hung ``sessions
  list/show/delete``, ``export --session`` and the reader; ``NAME.json``
  linked to ``/dev/zero`` filled memory; a timestamp out of range (year 9999
  west of UTC) broke ``sessions list`` for every session; a 4,300-digit
  revision made every save fail; stored source paths were read whole
  (a FIFO hung ``sessions show``) and decided on their own which files an
  export read (``/etc/passwd`` ended up in a CSV).

A FIFO that the old code would block on is opened in a worker thread or a
subprocess with a time bound, so a regression fails instead of hanging the
suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tui.core.errors import SessionError
from tui.core.ingest import load_sources
from tui.core.regular import NotRegularFile, hash_regular, read_regular
from tui.core.session import Session
from tui.core.session_store import SessionStore

REPO = Path(__file__).resolve().parents[1]

ARTICLE_A = "Officials said ten soldiers were killed on Sunday. The army gave no names.\n"
ARTICLE_B = "Ten soldiers died on Sunday, officials said. Names were not released.\n"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _story(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return [folder / "a.txt", folder / "b.txt"]


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _saved(home: Path, name: str, files: list[Path]) -> tuple[SessionStore, Path]:
    store = SessionStore()
    store.save(Session.new(name, load_sources(files)))
    return store, store.path(name)


def _edit(path: Path, **changes) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def _run(*args: str, timeout: float = 60, memory: int | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m tui ARGS`` with a time bound (a hang fails the test) and optionally an address-space cap."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PARALLAX_DEBUG", None)

    def cap() -> None:
        if memory is not None:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=cap if memory is not None else None)


def _bounded(fn, fifo: Path | None = None, seconds: float = 15.0):
    """Run ``fn`` in a thread; fail (and unblock a reader stuck on ``fifo``) if it takes over ``seconds``."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            result["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        if fifo is not None:  # let the blocked open/read finish, so the thread ends
            try:
                fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:
                pass
        pytest.fail(f"{getattr(fn, '__name__', fn)} did not return within {seconds} s (blocked on a FIFO?)")
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result.get("value")


# --------------------------------------------------------------------------- 6. a full disk at start


def _full_disk_for(monkeypatch, suffix: str) -> None:
    """Creating a file ending in ``suffix`` works, writing to it fails with ENOSPC, as on a full disk.

    The file is really created (so a leftover would be seen); the descriptor
    handed back is /dev/full's, which refuses every write with ENOSPC.
    """
    real_open = os.open

    def fake_open(path, flags, mode=0o777, *args, **kwargs):
        if str(path).endswith(suffix) and flags & os.O_CREAT:
            fd = real_open(path, flags, mode, *args, **kwargs)
            os.close(fd)
            return real_open("/dev/full", os.O_WRONLY)
        return real_open(path, flags, mode, *args, **kwargs)

    monkeypatch.setattr(os, "open", fake_open)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_lock_on_a_full_disk_is_a_clear_error_and_leaves_no_lock(home, monkeypatch):
    store = SessionStore()
    _full_disk_for(monkeypatch, ".lock")
    with pytest.raises(SessionError, match=r"cannot lock session 'story': No space left on device"):
        store.acquire("story")
    assert not (store.root / "story.lock").exists()
    monkeypatch.undo()
    monkeypatch.setenv("PARALLAX_HOME", str(home))
    store.acquire("story").release()  # and the next start, with room again, locks at once


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_reader_on_a_full_disk_opens_read_only_with_a_notice(home, monkeypatch, tmp_path):
    from tui.app.keeper import Keeper

    sources = load_sources(_story(tmp_path / "story"))
    _full_disk_for(monkeypatch, ".lock")
    keeper = Keeper()
    result = keeper.open("story", sources)
    assert keeper.read_only
    assert any("No space left on device" in text and "read-only" in text for _, text in result.notices)
    assert not (keeper.store.root / "story.lock").exists()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_sessions_delete_on_a_full_disk_is_one_line(home, monkeypatch, tmp_path, capsys):
    from tui import sessions_cli

    _saved(home, "story", _story(tmp_path / "story"))
    _full_disk_for(monkeypatch, ".lock")
    assert sessions_cli.main(["delete", "story"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err
    assert (home / "sessions" / "story.json").exists()


_KILLED_SAVE = """
import os, signal, sys
from tui.core.ingest import load_sources
from tui.core.session import Session
from tui.core.session_store import SessionStore
store = SessionStore()
session = Session.new(sys.argv[1], load_sources(sys.argv[2:]))
os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)  # killed between write and rename
store.save(session)
"""


def test_a_killed_saves_temporary_file_is_removed_by_the_next_start(home, tmp_path):
    files = _story(tmp_path / "story")
    env = {**os.environ, "PYTHONPATH": str(REPO), "PARALLAX_HOME": str(home)}
    proc = subprocess.run([sys.executable, "-c", _KILLED_SAVE, "story", *map(str, files)], env=env, timeout=120)
    assert proc.returncode == -9
    folder = home / "sessions"
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 1 and left[0].startswith(".story.json.") and left[0].endswith(".tmp")
    # another session's: a fresh one may be a save in progress (kept), an hour-old one is a killed save's
    fresh = folder / ".other.json.fresh01.tmp"
    old = folder / ".other.json.old0001.tmp"
    for p in (fresh, old):
        p.write_bytes(b"{")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    note = folder / "notes.tmp"  # not a save's: never touched
    note.write_text("mine", encoding="utf-8")

    SessionStore().acquire("story").release()
    assert sorted(p.name for p in folder.iterdir()) == [".other.json.fresh01.tmp", "notes.tmp"]


# --------------------------------------------------------------------------- 7. FIFOs and devices in the folder


@needs_fifo
def test_a_fifo_session_file_hangs_nothing(home, tmp_path):
    _saved(home, "good", _story(tmp_path / "story"))
    os.mkfifo(home / "sessions" / "piped.json")
    listed = _run("sessions", "list")
    assert listed.returncode == 0 and "good" in listed.stdout
    assert "piped" in listed.stdout and "FIFO" in listed.stdout
    shown = _run("sessions", "show", "piped")
    assert shown.returncode == 2 and shown.stderr.count("\n") == 1 and "FIFO" in shown.stderr
    exported = _run("export", "--session", "piped")
    assert exported.returncode == 2 and exported.stderr.count("\n") == 1 and "FIFO" in exported.stderr
    deleted = _run("sessions", "delete", "piped")
    assert deleted.returncode == 0, deleted.stderr
    assert not (home / "sessions" / "piped.json").exists()


@needs_fifo
def test_reader_on_a_fifo_session_file_starts_with_a_notice(home, tmp_path):
    from tui.app.keeper import Keeper

    sources = load_sources(_story(tmp_path / "story"))
    fifo = home / "sessions" / "piped.json"
    fifo.parent.mkdir(parents=True)
    os.mkfifo(fifo)
    keeper = Keeper()
    result = _bounded(lambda: keeper.open("piped", sources), fifo)
    assert any("FIFO" in text for _, text in result.notices)
    assert fifo.exists()  # not "moved aside" as a damaged file: it is not the user's bytes


@needs_fifo
def test_a_fifo_lock_is_refused_at_once(home, tmp_path):
    from tui.app.keeper import Keeper

    store, _ = _saved(home, "story", _story(tmp_path / "story"))
    fifo = store.root / "story.lock"
    os.mkfifo(fifo)
    with pytest.raises(SessionError, match="story.lock is a FIFO"):
        _bounded(lambda: store.acquire("story"), fifo)
    deleted = _run("sessions", "delete", "story")
    assert deleted.returncode == 2 and "FIFO" in deleted.stderr and deleted.stderr.count("\n") == 1
    keeper = Keeper()
    result = _bounded(lambda: keeper.open("story", load_sources(_story(tmp_path / "story"))), fifo)
    assert keeper.read_only and any("FIFO" in text for _, text in result.notices)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_session_linked_to_dev_zero_is_refused_without_reading_it(home, tmp_path):
    _saved(home, "good", _story(tmp_path / "story"))
    (home / "sessions" / "zero.json").symlink_to("/dev/zero")
    (home / "sessions" / "zero.lock").symlink_to("/dev/zero")
    cap = 1 << 30  # 1 GB of address space: reading /dev/zero whole dies of MemoryError
    listed = _run("sessions", "list", memory=cap)
    assert listed.returncode == 0 and "good" in listed.stdout and "character device" in listed.stdout
    shown = _run("sessions", "show", "zero", memory=cap)
    assert shown.returncode == 2 and "character device" in shown.stderr and shown.stderr.count("\n") == 1


def test_a_session_file_over_the_size_limit_is_refused(home, tmp_path, monkeypatch):
    import tui.core.session_store as session_store

    store, path = _saved(home, "story", _story(tmp_path / "story"))
    monkeypatch.setattr(session_store, "MAX_SESSION_BYTES", 100)
    with pytest.raises(SessionError, match="over the limit of 100"):
        store.load("story")
    assert path.exists()  # refused, not moved aside
    assert "over the limit" in (store.list()[0].error or "")


# --------------------------------------------------------------------------- 7. hostile values in a session


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00"])
def test_one_out_of_range_timestamp_does_not_break_the_list(home, tmp_path, stamp):
    from tui import sessions_cli
    import io

    files = _story(tmp_path / "story")
    _saved(home, "good", files)
    _, odd = _saved(home, "odd", files)
    _edit(odd, updated=stamp, created=stamp)
    out, err = io.StringIO(), io.StringIO()
    assert sessions_cli.main(["list"], out=out, err=err) == 0, err.getvalue()
    assert "good" in out.getvalue() and "odd" in out.getvalue() and stamp in out.getvalue()
    out = io.StringIO()
    assert sessions_cli.main(["show", "odd"], out=out, err=err) == 0
    assert stamp in out.getvalue()


def test_a_4300_digit_revision_does_not_make_every_save_fail(home, tmp_path):
    store, path = _saved(home, "story", _story(tmp_path / "story"))
    _edit(path, revision=int("9" * 4300))
    session = store.load("story")
    session.add_tag("checked")
    store.save(session)
    again = store.load("story")
    assert "checked" in again.tags and again.revision < 2**53
    store.save(again)  # and the next one too


# --------------------------------------------------------------------------- 7. stored source paths


@needs_fifo
@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_sessions_show_with_stored_paths_that_are_no_files(home, tmp_path):
    store, path = _saved(home, "story", _story(tmp_path / "story"))
    fifo = tmp_path / "story" / "fifo.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "story" / "zero.txt"
    zero.symlink_to("/dev/zero")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sources"][0]["path"] = str(fifo)
    data["sources"][1]["path"] = str(zero)
    path.write_text(json.dumps(data), encoding="utf-8")
    shown = _run("sessions", "show", "story", memory=1 << 30)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("NOT A FILE") == 2


def test_stored_sources_are_hashed_in_chunks(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(b"Officials said ten soldiers were killed. " * 150_000)  # ~6 MB
    asked: list[int] = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: (asked.append(n), real_read(fd, n))[1])
    import hashlib

    assert hash_regular(big) == hashlib.sha256(big.read_bytes()).hexdigest()
    assert asked and max(asked) <= 1 << 20


@needs_fifo
def test_read_regular_refuses_a_fifo_at_once(tmp_path):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    with pytest.raises(NotRegularFile, match="FIFO"):
        _bounded(lambda: read_regular(fifo, 1000), fifo)
    with pytest.raises(NotRegularFile, match="FIFO"):
        _bounded(lambda: hash_regular(fifo), fifo)


def _with_stored_path(home: Path, tmp_path: Path, target: str) -> None:
    _, path = _saved(home, "story", _story(tmp_path / "story"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sources"][1]["path"] = target
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("target", ["/etc/passwd", "{home}/.ssh/notes.txt", "relative/a.txt"],
                         ids=["system-file", "hidden-folder", "relative"])
@pytest.mark.parametrize("command", ["export", "report", "open"])
def test_stored_paths_that_are_not_plainly_articles_are_not_read(home, tmp_path, command, target):
    """/etc/passwd ended up in a CSV: the session's word alone no longer picks any file to read."""
    target = target.format(home=tmp_path)
    if target.startswith(str(tmp_path)):
        Path(target).parent.mkdir(parents=True)
        Path(target).write_text(ARTICLE_B, encoding="utf-8")
    _with_stored_path(home, tmp_path, target)
    result = _run(command, "--session", "story")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and target in result.stderr and "pass the article files" in result.stderr
    assert "root:" not in result.stdout


def test_stored_plain_articles_are_read_and_named(home, tmp_path):
    _saved(home, "story", _story(tmp_path / "story"))
    result = _run("export", "--session", "story")
    assert result.returncode == 0, result.stderr
    assert "Officials said ten soldiers" in result.stdout
    assert f"reading its sources as stored, 2 files in {tmp_path / 'story'}" in result.stderr


def test_given_files_still_win_over_stored_paths(home, tmp_path):
    _with_stored_path(home, tmp_path, "/etc/passwd")
    files = [str(p) for p in _story(tmp_path / "story")]
    result = _run("export", *files, "--session", "story")
    assert result.returncode == 0, result.stderr
    assert "root:" not in result.stdout


def test_sessions_show_does_not_open_a_stored_path_that_is_no_article(home, tmp_path, monkeypatch):
    import io

    from tui import sessions_cli
    import tui.core.regular

    _with_stored_path(home, tmp_path, "/etc/passwd")
    opened: list[str] = []
    real = tui.core.regular.open_regular
    monkeypatch.setattr(tui.core.regular, "open_regular", lambda p: (opened.append(str(p)), real(p))[1])
    out = io.StringIO()
    assert sessions_cli.main(["show", "story"], out=out, err=io.StringIO()) == 0
    assert "NOT READ (no article file)" in out.getvalue() and "/etc/passwd" in out.getvalue()
    assert "/etc/passwd" not in opened and "unchanged" in out.getvalue()


def test_the_reader_says_which_files_a_resumed_session_read(home, tmp_path):
    from tui.app.keeper import Keeper

    files = _story(tmp_path / "story")
    _saved(home, "story", files)
    result = Keeper().open("story", load_sources(files))
    assert any(f"its sources as stored: 2 files in {tmp_path / 'story'}" in text for _, text in result.notices)
