"""Storage faults under the running reader: the reader is told, and no annotation is lost.

Each test drives the real app with ``Pilot`` on the fixed story, with
``PARALLAX_HOME`` in its own ``tmp_path`` so sessions are real files written by
the real store. Faults are injected by monkeypatching the lowest layer that
would fail in life (``os.replace`` for a full or read-only disk, the file
itself for another writer), because root ignores ``chmod`` and a test cannot
fill a disk. Every test checks two things: what the reader sees (a notice in
``app._notifications``), and that the work survives (in memory, and on disk
after a later save that is allowed to succeed).

Covered elsewhere, not repeated here: the CLI's ``export -o missing/dir/out.csv``
(exit 2, one line: ``tests/test_cli.py::test_output_in_missing_folder``), ``e``
with the current folder gone (``tests/test_app_session.py::test_export_error_is_a_notice``),
and a damaged session file at start-up (``test_corrupt_session_opens_with_a_notice_and_is_moved_aside``).
"""

from __future__ import annotations

import builtins
import errno
import json
import os
import random
from pathlib import Path

import pytest
from appkit import notes, run, story_app

import tui.core.export as export_module
import tui.core.session_store as session_module
from tui.core.session_store import SessionStore

from tui.app.screens.annotate import NameScreen


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tui.app.screens.saving.AUTOSAVE_DELAY", 0.1)
    return tmp_path


def on_disk(home: Path, name: str) -> dict:
    return json.loads((home / "sessions" / f"{name}.json").read_text(encoding="utf-8"))


def starred_rows_in_memory(app) -> set[int]:
    return {row for row, a in app.reader.state.annotations.items() if a.starred}


def fail_replace_into(monkeypatch, name: str, code: int, active: dict) -> None:
    """``os.replace`` onto ``<name>.json`` raises ``code`` while ``active['on']``."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if active["on"] and Path(dst).name == f"{name}.json":
            raise OSError(code, os.strerror(code), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(session_module.os, "replace", replace)


async def wait_for(pilot, condition, seconds: float = 3.0) -> bool:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def no_temp_files(home: Path) -> bool:
    return not list((home / "sessions").glob(".*.tmp"))


# ---------------------------------------------------------------- full or read-only disk


def test_disk_full_during_autosave_then_space_is_freed(home, monkeypatch):
    active = {"on": True}
    fail_replace_into(monkeypatch, "full", errno.ENOSPC, active)

    async def body(app, pilot):
        await pilot.press("asterisk")
        assert await wait_for(pilot, lambda: any("could not save" in n for n in notes(app)))
        told = [n for n in notes(app) if "could not save" in n]
        assert len(told) == 1 and "No space left on device" in told[0] and "kept in memory" in told[0]
        assert "not saved!" in app.reader.status_line()
        await pilot.press("down", "asterisk")  # a second failing autosave is not told again
        await pilot.pause(0.4)
        assert len([n for n in notes(app) if "could not save" in n]) == 1
        assert starred_rows_in_memory(app) == {0, 1}
        assert len(app.keeper.session.annotations) == 2
        assert no_temp_files(home)  # the failed writes cleaned up after themselves
        active["on"] = False  # the reader frees some space
        await pilot.press("s")
        await pilot.pause()
        assert notes(app)[-1].startswith("saved to")
        assert "not saved!" not in app.reader.status_line()

    run(story_app(session="full"), body)
    assert len(on_disk(home, "full")["annotations"]) == 2


def test_read_only_place_on_s_then_save_as_another_name(home, monkeypatch):
    fail_replace_into(monkeypatch, "ro", errno.EROFS, {"on": True})

    async def body(app, pilot):
        await pilot.press("asterisk", "down", "down", "asterisk")
        await pilot.press("s")
        await pilot.pause()
        assert any("Read-only file system" in n for n in notes(app))
        assert isinstance(app.screen, NameScreen)  # s offers another name at once
        await pilot.press("enter")  # the suggested one: ro-2
        await pilot.pause()
        assert notes(app)[-1].startswith("saved to") and "ro-2" in notes(app)[-1]
        assert starred_rows_in_memory(app) == {0, 2}

    run(story_app(session="ro"), body)
    assert not (home / "sessions" / "ro.json").exists()
    assert len(on_disk(home, "ro-2")["annotations"]) == 2
    assert no_temp_files(home)


def test_whole_sessions_folder_read_only_save_a_copy_elsewhere(home, monkeypatch, tmp_path):
    """Every name in the sessions folder fails: a file path in the prompt writes a copy outside it."""
    real = os.replace
    sessions = home / "sessions"

    def replace(src, dst, *args, **kwargs):
        if Path(dst).parent == sessions:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dst))
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(session_module.os, "replace", replace)
    rescue = tmp_path / "elsewhere"
    rescue.mkdir()

    async def body(app, pilot):
        await pilot.press("asterisk", "down", "down", "asterisk", "s")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        app.screen.query_one("Input").value = str(rescue / "rescued")
        await pilot.press("enter")
        await pilot.pause()
        assert notes(app)[-1] == (f"saved a copy to {rescue / 'rescued.json'} — to resume it, put it in "
                                  f"{sessions} and run parallax --session rescued")
        assert starred_rows_in_memory(app) == {0, 2}

    run(story_app(session="locked-out"), body)
    copy = json.loads((rescue / "rescued.json").read_text(encoding="utf-8"))
    assert len(copy["annotations"]) == 2
    # an ordinary session file: put back into a sessions folder, it resumes
    other = tmp_path / "home2" / "sessions"
    other.mkdir(parents=True)
    (other / "locked-out.json").write_text(json.dumps(copy), encoding="utf-8")
    assert len(session_module.SessionStore(other).load("locked-out").annotations) == 2


@pytest.mark.parametrize("typed", ["../evil", "./here", "sub/dir"])
def test_relative_path_in_the_name_prompt_is_refused_with_the_full_path_hint(home, typed):
    """A relative path used to be written relative to wherever Parallax started; now it is a bad name."""
    async def body(app, pilot):
        await pilot.press("asterisk", "s")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        app.screen.query_one("Input").value = typed
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)  # still asking
        error = str(app.screen.query_one("#name-error").render())
        assert f"invalid session name {typed!r}" in error and "type a full path: ~/copy.json" in error
        await pilot.press("escape")

    run(story_app(), body)
    leaf = typed.rsplit("/", 1)[-1]
    assert not list(home.parent.rglob(f"{leaf}.json")) and not list(home.rglob(f"{leaf}.json"))


@pytest.mark.parametrize(
    ("typed", "is_path"),
    [("/tmp/x", True), ("~/x.json", True), ("C:\\x.json", True), ("d:/x", True), ("\\\\srv\\x", True),
     ("./x", False), ("../x", False), ("..\\x", False), ("a/b", False), ("story", False)],
)
def test_only_absolute_and_home_paths_are_copy_destinations(typed, is_path):
    from tui.core.session_names import is_path as is_a_path

    assert is_a_path(typed) is is_path


# ---------------------------------------------------------------- the file changes under us


def test_session_file_deleted_while_running_is_recreated(home):
    async def body(app, pilot):
        path = home / "sessions" / "gone.json"
        await pilot.press("asterisk")
        assert await wait_for(pilot, lambda: path.exists())
        path.unlink()
        await pilot.press("down", "asterisk", "s")
        await pilot.pause()
        assert notes(app)[-1].startswith("saved to")

    run(story_app(session="gone"), body)
    assert len(on_disk(home, "gone")["annotations"]) == 2


@pytest.mark.parametrize("revision_step", [0, 3], ids=["same-revision", "newer-revision"])
def test_session_file_replaced_by_another_writer_is_not_overwritten(home, revision_step):
    """Another Parallax (or a sync tool) wrote the file: saving refuses; save-as keeps the work.

    ``same-revision`` is the sneaky case: the other writer also saved once, so
    its revision number equals ours; only the content tells them apart.
    """
    theirs: dict = {}

    async def body(app, pilot):
        path = home / "sessions" / "shared.json"
        await pilot.press("asterisk")
        assert await wait_for(pilot, lambda: path.exists() and on_disk(home, "shared")["annotations"])
        other = on_disk(home, "shared")
        other["annotations"] = []
        other["revision"] += revision_step
        other["tags"] = [*other.get("tags", []), "their-own-tag"]
        path.write_text(json.dumps(other), encoding="utf-8")
        theirs["text"] = path.read_text(encoding="utf-8")
        await pilot.press("down", "asterisk", "s")
        await pilot.pause()
        assert any("changed on disk by someone else" in n for n in notes(app))
        assert isinstance(app.screen, NameScreen)
        assert path.read_text(encoding="utf-8") == theirs["text"]  # their work untouched
        assert starred_rows_in_memory(app) == {0, 1}
        await pilot.press("enter")  # save as shared-2
        await pilot.pause()
        assert notes(app)[-1].startswith("saved to")

    run(story_app(session="shared"), body)
    assert (home / "sessions" / "shared.json").read_text(encoding="utf-8") == theirs["text"]
    assert len(on_disk(home, "shared-2")["annotations"]) == 2


def test_session_file_replaced_with_garbage_while_running(home):
    async def body(app, pilot):
        path = home / "sessions" / "junk.json"
        await pilot.press("asterisk")
        assert await wait_for(pilot, lambda: path.exists())
        path.write_bytes(b"\x00\xff{ not json at all")
        await pilot.press("down", "asterisk")
        await pilot.pause(0.4)  # the autosave meets the garbage
        assert app.is_running
        assert any("could not save" in n and "someone else" in n for n in notes(app))
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert notes(app)[-1].startswith("saved to")

    run(story_app(session="junk"), body)
    assert (home / "sessions" / "junk.json").read_bytes().startswith(b"\x00\xff")
    assert len(on_disk(home, "junk-2")["annotations"]) == 2


def test_folder_sync_failure_after_the_file_is_in_place_is_not_a_failed_save(home, monkeypatch):
    """fsync of the folder failing after the rename must not make the app refuse its own file."""
    def broken_fsync_dir(folder):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(session_module, "_fsync_dir", broken_fsync_dir)

    async def body(app, pilot):
        await pilot.press("asterisk", "s")
        await pilot.pause()
        await pilot.press("down", "asterisk", "s")
        await pilot.pause()
        assert not any("could not save" in n for n in notes(app))

    run(story_app(session="eio"), body)
    assert len(on_disk(home, "eio")["annotations"]) == 2


# ---------------------------------------------------------------- export


class _FillsUp:
    """A file that takes some bytes and then reports a full disk."""

    def __init__(self, fh) -> None:
        self.fh = fh

    def write(self, text: str) -> int:
        self.fh.write(text[:50])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.fh.close()


@pytest.mark.parametrize("fault", ["permission", "disk-full-mid-write"])
def test_export_fault_is_a_notice_leaves_no_partial_file_and_loses_nothing(home, monkeypatch, fault):
    real_open = builtins.open

    def fake_open(path, mode="r", *args, **kwargs):
        if str(path).endswith(".csv"):
            if fault == "permission":
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
            return _FillsUp(real_open(path, mode, *args, **kwargs))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(export_module, "open", fake_open, raising=False)

    async def body(app, pilot):
        await pilot.press("asterisk", "e", "enter")
        await pilot.pause()
        last = notes(app)[-1]
        assert last.startswith("could not export:")
        assert ("Permission denied" if fault == "permission" else "No space left") in last
        assert not list(home.glob("**/parallax-*.csv"))
        assert starred_rows_in_memory(app) == {0}
        await pilot.press("q")

    run(story_app(session="exp"), body)
    assert len(on_disk(home, "exp")["annotations"]) == 1


# ---------------------------------------------------------------- random faults


def test_random_save_faults_never_lose_an_annotation(home, monkeypatch):
    """Star and unstar rows while a seeded RNG makes saves fail at several layers.

    Faults: the store's save raising OSError outright, ``os.replace`` raising
    ENOSPC/EROFS (the store must roll back its revision), and the folder
    fsync failing after the rename (the file is written; the app must not
    then refuse its own file). At the end saving is allowed to work, and
    what is on disk must be exactly what the reader sees.
    """
    rng = random.Random(20261121)
    faults = {"on": True, "count": 0}
    real_save, real_replace = SessionStore.save, os.replace

    def maybe(kind: str) -> bool:
        hit = faults["on"] and rng.random() < 0.35
        faults["count"] += hit
        return hit

    def save(self, session, force=False):
        if maybe("save"):
            raise OSError(errno.EIO, "Input/output error")
        return real_save(self, session, force=force)

    def replace(src, dst, *args, **kwargs):
        if str(dst).endswith(".json") and maybe("replace"):
            code = rng.choice([errno.ENOSPC, errno.EROFS])
            raise OSError(code, os.strerror(code), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    def fsync_dir(folder):
        if maybe("fsync"):
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(SessionStore, "save", save)
    monkeypatch.setattr(session_module.os, "replace", replace)
    monkeypatch.setattr(session_module, "_fsync_dir", fsync_dir)
    moves = rng.choices(range(12), k=14)

    async def body(app, pilot):
        reader = app.reader
        for row in moves:
            reader.view.move_to(row)
            await pilot.press("asterisk")
            if rng.random() < 0.3:
                await pilot.press("s")
                await pilot.pause()
                if isinstance(app.screen, NameScreen):
                    await pilot.press("escape")  # not now: keep the name
                    await pilot.pause()
            await pilot.pause(rng.choice([0.0, 0.15]))  # sometimes long enough to autosave
        assert faults["count"] >= 3, "the seed should inject several faults"
        faults["on"] = False
        await pilot.press("s")
        await pilot.pause()
        assert notes(app)[-1].startswith("saved to"), notes(app)[-3:]
        # what the reader sees is what the session holds
        expected = {row for row in range(12) if moves.count(row) % 2 == 1}
        assert starred_rows_in_memory(app) == expected
        found["expected"] = len(expected)
        found["memory"] = sorted(json.dumps(a, sort_keys=True) for a in app.keeper.session.to_json()["annotations"])

    found: dict = {}
    run(story_app(session="chaos"), body)
    stored = on_disk(home, "chaos")
    assert sorted(json.dumps(a, sort_keys=True) for a in stored["annotations"]) == found["memory"]
    assert len(stored["annotations"]) == found["expected"]
    assert no_temp_files(home)
