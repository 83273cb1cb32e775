"""Sessions in the reader: annotate, fix rows, save, resume, export, and never lose work.

Every test points ``PARALLAX_HOME`` at its own ``tmp_path``, so sessions are
real files written by the real store; only the save-failure tests replace
``SessionStore.save`` (root ignores a read-only folder, so chmod cannot be
used to make saving fail). The acceptance test runs on the real seeds and the
real aligner; the rest use the fixed story from ``appkit.py`` so a retuned
aligner cannot move their rows.
"""

from __future__ import annotations

import asyncio
import csv
import json
import sys
import types
from pathlib import Path

import pytest
from appkit import loaded, notes, run, story_app

from tui.core.errors import SessionError
from tui.core.session_store import SessionStore

from tui.app.app import ParallaxApp
from tui.app.screens.annotate import AnnotateScreen, NameScreen


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tui.app.screens.saving.AUTOSAVE_DELAY", 0.2)
    return tmp_path


def stored(home: Path, name: str) -> dict:
    return json.loads((home / "sessions" / f"{name}.json").read_text(encoding="utf-8"))


async def annotate(pilot, note_lines: list[str], *, tag_first: bool = False, new_tag: str = "") -> None:
    """Open the annotation screen with ``a`` and fill it in with keys only."""
    await pilot.press("a")
    await pilot.pause()
    assert isinstance(pilot.app.screen, AnnotateScreen)
    for i, line in enumerate(note_lines):
        if i:
            await pilot.press("enter")
        await pilot.press(*line)
    if tag_first:
        await pilot.press("tab", "space")  # focus leaves the note for the first tag, and ticks it
    if new_tag:
        pilot.app.screen.query_one("#note-new-tag").focus()
        await pilot.press(*new_tag, "enter")
    await pilot.press("ctrl+s")
    await pilot.pause()


# ---------------------------------------------------------------- the acceptance test


def test_annotate_fix_quit_and_resume_on_the_seeds(home, seeds_path):
    from tui.core.ingest import load_sources

    sources = load_sources([seeds_path])
    found: dict = {}

    async def first(app, pilot):
        reader = app.reader
        alignment = reader.alignment
        # a row with at least two sentences to annotate and cut from, and a row to paste into
        source = 1
        cut_row = next(r for r, row in enumerate(alignment.rows) if row.count >= 2 and row.cells[source] != ())
        paste_row = next(r for r, row in enumerate(alignment.rows)
                         if r > cut_row + 3 and row.cells[source] == () and row.count >= 1)
        note_row = next(r for r, row in enumerate(alignment.rows) if r not in (cut_row, paste_row) and row.count >= 2)
        reader.view.move_to(note_row)
        await annotate(pilot, ["Numbers differ here.", "Check the wire copy."], tag_first=True, new_tag="casualties")
        await pilot.press("asterisk")
        note_members = list(reader.alignment.rows[note_row].members)

        reader.view.move_to(cut_row)
        reader.view.set_focus_source(source)
        cut = (source, reader.alignment.rows[cut_row].cells[source][-1])
        await pilot.press("x")
        assert reader.state.cut == cut
        assert "cut:" in reader.status_line()
        assert reader.alignment.rows[reader._row_of(reader.alignment, *cut)].count == 1
        target = reader._row_of(reader.alignment, *reader.state.base.rows[paste_row].members[0])
        reader.view.move_to(target)
        await pilot.press("v")
        await pilot.pause()
        assert reader.state.cut is None
        row = reader.alignment.rows[reader.view.cursor]
        assert row.holds(source, cut[1])  # the cursor follows the pasted sentence
        found.update(note_members=note_members, cut=cut, companions=[
            (s, i) for s, i in row.members if s != source], cursor_sentence=cut)
        await pilot.press("q")

    run(ParallaxApp(sources, session="story"), first)
    data = stored(home, "story")
    assert any(a["note"] == "Numbers differ here.\nCheck the wire copy." for a in data["annotations"])
    assert not (home / "sessions" / "story.lock").exists()  # the lock goes with the app

    async def second(app, pilot):
        reader = app.reader
        assert any("resumed session 'story'" in n for n in notes(app))
        alignment = reader.alignment
        note_row = reader._row_of(alignment, *found["note_members"][0])
        ann = reader.state.annotations[note_row]
        assert ann.note == "Numbers differ here.\nCheck the wire copy."
        assert ann.starred
        assert set(ann.tags) == {"omission", "casualties"}
        assert "casualties" in app.keeper.session.tags
        # the fix: the cut sentence sits in one row with the sentences it was pasted to
        row = alignment.rows[reader._row_of(alignment, *found["cut"])]
        for s, i in found["companions"]:
            assert row.holds(s, i)
        # the view: cursor on the pasted row, focus on the source we worked in
        assert reader.view.cursor == reader._row_of(alignment, *found["cursor_sentence"])
        assert reader.view.focus_source == found["cut"][0]
        # the detail panel shows the note
        reader.view.move_to(note_row)
        await pilot.press("enter")
        await pilot.pause()
        from test_app import shown_text

        text = shown_text(reader.detail)
        assert "★ starred" in text and "Check the wire copy." in text and "casualties" in text

    run(ParallaxApp(sources, session="story"), second)


# ---------------------------------------------------------------- annotations


def test_semicolon_and_comma_jump_between_annotated_rows():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("semicolon")
        assert "no annotated rows yet" in notes(app)[-1]
        for row in (3, 7):
            reader.view.move_to(row)
            await pilot.press("asterisk")
        assert set(reader.state.annotations) == {3, 7}
        assert reader.view.marks == {3: "★", 7: "★"}
        assert "★" in reader.coverage.render_line(reader.coverage.line_of(3)).text
        reader.view.move_to(0)
        await pilot.press("semicolon")
        assert reader.view.cursor == 3
        await pilot.press("semicolon")
        assert reader.view.cursor == 7
        await pilot.press("semicolon")
        assert reader.view.cursor == 7 and "no more annotated rows" in notes(app)[-1]
        await pilot.press("comma")
        assert reader.view.cursor == 3

    run(story_app(session="nav"), body)


def test_escape_cancels_the_annotation_screen():
    async def body(app, pilot):
        await pilot.press("a")
        await pilot.press("escape")  # nothing typed: it just closes
        await pilot.pause()
        assert not isinstance(app.screen, AnnotateScreen)
        await pilot.press("a", *"draft")
        await pilot.press("escape", "d")  # typed: it asks, d discards
        await pilot.pause()
        assert not isinstance(app.screen, AnnotateScreen)
        assert app.reader.state.annotations == {}

    run(story_app(session="cancel"), body)


def test_undo_annotation_and_fix():
    async def body(app, pilot):
        reader = app.reader
        before = reader.alignment.rows
        await pilot.press("asterisk")
        assert reader.state.annotations[0].starred
        await pilot.press("ctrl+z")
        assert reader.state.annotations == {}
        assert "undid" in notes(app)[-1]
        await pilot.press("x")  # Wire's sentence leaves row 0
        assert reader.alignment.rows != before
        assert reader.view.cursor == 0  # still on the rest of the row
        await pilot.press("ctrl+z")
        assert reader.alignment.rows == before
        assert "undid unlink" in notes(app)[-1]
        await pilot.press("ctrl+z")
        assert "nothing to undo" in notes(app)[-1] or not app.reader.keeper.session.can_undo

    run(story_app(session="undo"), body)


def test_paste_into_a_row_whose_sentences_of_that_source_it_does_not_continue_is_refused():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("x")  # Wire #0 cut out of row 0
        rows = reader.alignment.rows
        target = next(r for r, row in enumerate(rows) if row.cells[0] and row.cells[0][0] > 1 and row.count > 1)
        reader.view.move_to(target)
        await pilot.press("v")
        assert "cannot put it here" in notes(app)[-1]
        assert reader.state.cut == (0, 0) and reader.alignment.rows == rows
        # a row Wire leaves out takes it
        free = next(r for r, row in enumerate(rows) if row.cells[0] == () and row.count > 1)
        reader.view.move_to(free)
        await pilot.press("v")
        assert reader.state.cut is None
        assert reader.alignment.rows[reader.view.cursor].holds(0, 0)

    run(story_app(session="refuse"), body)


def test_paste_next_to_the_sentence_it_continues_makes_a_two_sentence_cell():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("x")  # Wire #0 cut out of row 0
        assert reader.state.cut == (0, 0)
        reader.view.move_to(reader._row_of(reader.alignment, 0, 1))
        await pilot.press("v")
        assert reader.state.cut is None
        row = reader.alignment.rows[reader.view.cursor]
        assert row.cells[0] == (0, 1)
        assert "put sentence #0 of Wire" in notes(app)[-1]
        # and x then enter takes the last of them out again
        await pilot.press("x", "enter")
        await pilot.pause()
        assert reader.state.cut == (0, 1)
        assert reader.alignment.rows[reader._row_of(reader.alignment, 0, 0)].cells[0] == (0,)

    run(story_app(session="split"), body)


# ---------------------------------------------------------------- saving


def test_autosave_writes_without_pressing_s(home):
    async def body(app, pilot):
        await annotate(pilot, ["autosaved note"])
        for _ in range(50):
            await pilot.pause(0.05)
            path = home / "sessions" / "auto.json"
            if path.exists() and "autosaved note" in path.read_text(encoding="utf-8"):
                break
        data = stored(home, "auto")
        assert [a["note"] for a in data["annotations"]] == ["autosaved note"]
        assert app.is_running  # nobody pressed q or s

    run(story_app(session="auto"), body)


def test_save_failure_is_told_once_keeps_work_and_needs_a_second_q(home, monkeypatch):
    real_save = SessionStore.save

    def fail(self, session, force=False):
        if session.name == "full":  # that disk is full; the one "full-2" goes to is not
            raise SessionError("could not save session: No space left on device")
        return real_save(self, session, force=force)

    monkeypatch.setattr(SessionStore, "save", fail)

    async def body(app, pilot):
        reader = app.reader
        await pilot.press("asterisk")
        await pilot.pause(0.5)
        await pilot.press("down", "asterisk")
        await pilot.pause(0.5)
        failures = [n for n in notes(app) if "could not save" in n]
        assert len(failures) == 1 and "No space left" in failures[0]
        assert set(reader.state.annotations) == {0, 1}
        assert "not saved!" in reader.status_line()
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and "q again" in notes(app)[-1]
        # s tries again, fails, and offers another name, which works
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, NameScreen)
        await pilot.press("enter")  # the suggested name
        await pilot.pause()
        assert any(n.startswith("saved to") for n in notes(app))

    run(story_app(session="full"), body)
    assert not (home / "sessions" / "full.json").exists()
    assert len(stored(home, "full-2")["annotations"]) == 2


def test_second_q_quits_when_saving_keeps_failing(home, monkeypatch):
    def fail(self, session, force=False):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(SessionStore, "save", fail)

    async def main():
        app = story_app(session="ro")
        async with app.run_test() as pilot:
            await loaded(app, pilot)
            await pilot.press("asterisk", "q")
            await pilot.pause()
            assert app.is_running
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0

    asyncio.run(main())


def test_s_without_a_session_asks_for_a_valid_name(home):
    async def body(app, pilot):
        await pilot.press("asterisk", "s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, NameScreen)
        box = screen.query_one("#name-input")
        box.value = ""
        await pilot.press(*"bad/name", "enter")
        assert isinstance(app.screen, NameScreen)
        assert "path separator" in str(screen.query_one("#name-error").render())
        box.value = ""
        await pilot.press(*"mine", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, NameScreen)
        assert "session mine" in app.reader.status_line()

    run(story_app(), body)
    assert stored(home, "mine")["annotations"][0]["starred"] is True


def test_ctrl_c_saves_and_quits(home):
    async def main():
        app = story_app(session="cc")
        async with app.run_test() as pilot:
            await loaded(app, pilot)
            await pilot.press("down", "down", "asterisk", "ctrl+c")
            await pilot.pause()
        data = stored(home, "cc")
        assert data["annotations"] and data["view"]["row"] == 2

    asyncio.run(main())


def test_corrupt_session_opens_with_a_notice_and_is_moved_aside(home):
    folder = home / "sessions"
    folder.mkdir()
    (folder / "bad.json").write_text("{ not json", encoding="utf-8")

    async def body(app, pilot):
        assert any("damaged" in n and "moved it aside" in n for n in notes(app))
        await pilot.press("asterisk", "q")

    run(story_app(session="bad"), body)
    assert list(folder.glob("bad.json.corrupt-*"))
    assert stored(home, "bad")["annotations"]


def test_locked_session_opens_read_only_and_writes_nothing(home):
    lock = SessionStore().acquire("busy")
    try:
        async def body(app, pilot):
            assert any("read-only" in n for n in notes(app))
            await pilot.press("asterisk")
            await pilot.pause(0.5)
            await pilot.press("q")
            await pilot.pause()
            assert app.is_running and "not saved" in notes(app)[-1]

        run(story_app(session="busy"), body)
    finally:
        lock.release()
    assert not (home / "sessions" / "busy.json").exists()


# ---------------------------------------------------------------- export


def test_e_exports_the_view_with_annotations(home):
    async def body(app, pilot):
        await annotate(pilot, ["=check this", "twice"])
        await pilot.press("e", "enter")
        await pilot.pause()
        assert "exported" in notes(app)[-1]

    run(story_app(session="exp"), body)
    files = list((home / "exports").glob("parallax-exp-*.csv"))
    assert len(files) == 1
    rows = list(csv.reader(files[0].open(encoding="utf-8", newline="")))
    assert any("'=check this\ntwice" in cell for row in rows for cell in row)


def test_export_error_is_a_notice(home, monkeypatch):
    (home / "exports").write_text("a file where the exports folder should be", encoding="utf-8")

    async def body(app, pilot):
        await pilot.press("e", "enter")
        await pilot.pause()
        assert "could not export" in notes(app)[-1]

    run(story_app(), body)


# ---------------------------------------------------------------- the command line


def test_session_without_paths_resumes_its_own_files(home, monkeypatch, capsys):
    from tui.cli import main
    from tui.core.session import Session
    from tui.core.ingest import load_sources

    for name in ("one.txt", "two.txt"):
        (home / name).write_text(f"Title {name}\n\nThe army said 23 soldiers died. Talks went on.\n", encoding="utf-8")
    sources = load_sources([home / "one.txt", home / "two.txt"])
    SessionStore().save(Session.new("mine", sources))
    calls = []
    fake = types.ModuleType("tui.app.app")
    fake.run_app = lambda sources, settings, *, session=None, config=None: calls.append((sources, session)) or 0
    monkeypatch.setitem(sys.modules, "tui.app.app", fake)
    monkeypatch.setattr("tui.cli._has_terminal", lambda: True)
    assert main(["--session", "mine"]) == 0
    assert [s.name for s in calls[0][0]] == ["one.txt", "two.txt"] and calls[0][1] == "mine"
    (home / "two.txt").unlink()
    assert main(["--session", "mine"]) == 2
    assert "two.txt" in capsys.readouterr().err
    assert main(["--session", "fresh"]) == 0
    assert len(calls[-1][0]) >= 2  # a new session starts on the samples


# ---------------------------------------------------------------- row numbers the CSV shares


def csv_lines(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8", newline="")))


def test_row_numbers_in_the_app_are_the_csv_row_numbers(home):
    """Detail panel, annotate title and star toast say ``#3`` for the row the CSV calls ``row=3``."""
    from test_app import shown_text

    async def body(app, pilot):
        reader = app.reader
        await pilot.press("j", "j", "j", "enter")
        assert reader.view.cursor == 3
        detail = shown_text(reader.detail)
        assert f"row #3 · id {reader.state.reading.ids[3]} · 4 of 4 sources · 12 rows" in detail
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.title_text == f"Annotate row #3 · id {reader.state.reading.ids[3]}"
        await pilot.press(*"doha", "ctrl+s")
        await pilot.pause()
        await pilot.press("asterisk")
        assert notes(app)[-1] == "starred row #3"
        await pilot.press("e", "enter")
        await pilot.pause()

    run(story_app(session="numbers"), body)
    (path,) = (home / "exports").glob("parallax-numbers-*.csv")
    noted = {line["row"] for line in csv_lines(path) if line["note"] == "doha"}
    assert noted == {"3"}


def test_paste_notice_names_the_row_the_sentence_lands_in():
    """Cutting empties a row of its own, so the rows renumber: the notice must name the new row."""
    async def body(app, pilot):
        reader = app.reader
        reader.view.move_to(4)
        await pilot.press("x")  # Wire #3 leaves row 4 for a row of its own (row 5)
        assert notes(app)[-1].startswith("cut sentence #3 of Wire out of row #4")
        await pilot.press("j", "j", "j")
        aimed_at = reader.view.cursor
        await pilot.press("v")  # Wire's own row goes away: the target row moves up by one
        landed = reader._row_of(reader.alignment, 0, 3)
        assert landed == reader.view.cursor == aimed_at - 1
        assert notes(app)[-1] == f"put sentence #3 of Wire into row #{landed}"

    run(story_app(session="landed"), body)


def test_e_exports_only_the_rows_the_filter_shows(home):
    """``e`` with a filter on writes those rows only, each under its number in the whole alignment."""
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("f", "f", "f")  # all → shared → partial → unique
        assert reader.state.filter_name == "unique"
        visible = list(reader.state.reading.visible)
        assert visible and visible != list(range(len(reader.alignment.rows)))
        await pilot.press("e", "enter")
        await pilot.pause()
        note = notes(app)[-1]
        assert note.startswith(f"exported {len(visible)} rows (filter: unique), {len(visible)} lines, to ")
        body.visible = visible

    run(story_app(session="filtered"), body)
    (path,) = (home / "exports").glob("parallax-filtered-*.csv")
    lines = csv_lines(path)
    assert [int(line["row"]) for line in lines] == body.visible
    assert all(line["coverage"] == "1" for line in lines)


def test_e_without_a_filter_says_it_wrote_every_row(home):
    async def body(app, pilot):
        await pilot.press("e", "enter")
        await pilot.pause()
        n = len(app.reader.alignment.rows)
        assert notes(app)[-1].startswith(f"exported {n} rows, ") and "(filter:" not in notes(app)[-1]

    run(story_app(session="whole"), body)
    (path,) = (home / "exports").glob("parallax-whole-*.csv")
    assert len({line["row"] for line in csv_lines(path)}) == 12


# ---------------------------------------------------------------- renaming a source


async def _rename(pilot, name: str) -> None:
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(pilot.app.screen, NameScreen)
    box = pilot.app.screen.query_one("#name-input")
    box.value = ""
    if name:
        await pilot.press(*name)
    await pilot.press("enter")
    await pilot.pause()


def _header_text(app) -> str:
    from textual.strip import Strip

    header = app.reader.column_header
    return "".join(seg.text for seg in Strip.join([header.render_line(y) for y in range(header.size.height)]))


def test_renaming_a_source_shows_everywhere_and_is_kept_in_the_session(home):
    async def first(app, pilot):
        await pilot.press("l")  # focus source 1, "Daily"
        await _rename(pilot, "Morning Daily")
        reader = app.reader
        assert reader.state.sources[1].label == "Morning Daily"
        assert reader.alignment.sources[1].label == "Morning Daily"
        assert "Morning Daily" in _header_text(app)
        assert app.reader.keeper.session.labels == {"daily.txt": "Morning Daily"}
        await pilot.press("p")  # a new alignment keeps the name
        await loaded(app, pilot)
        await pilot.pause(0.3)
        assert reader.alignment.sources[1].label == "Morning Daily"

    run(story_app(session="named"), first)
    assert stored(home, "named")["labels"] == {"daily.txt": "Morning Daily"}

    async def second(app, pilot):
        assert app.reader.alignment.sources[1].label == "Morning Daily"
        assert app.reader.view.focus_source == 1  # the session's view, restored
        await _rename(pilot, "")  # empty: back to the name it came with
        assert app.reader.alignment.sources[1].label == "Daily"
        assert app.reader.keeper.session.labels == {}

    run(story_app(session="named"), second)
    assert "labels" not in stored(home, "named")


def test_a_rename_is_in_the_export_of_the_session(home, tmp_path, capsys, two_files_for_rename):
    from tui.cli import main

    a, b = two_files_for_rename

    async def body(app, pilot):
        await _rename(pilot, "Wire desk")
        await pilot.press("s")
        await pilot.pause(0.3)

    from tui.app.app import ParallaxApp
    from tui.core.ingest import load_sources

    run(ParallaxApp(load_sources([a, b]), session="renamed"), body)
    assert main(["export", "--session", "renamed"]) == 0
    out = capsys.readouterr().out
    assert {r["label"] for r in csv.DictReader(out.splitlines())} == {"Wire desk", "beta"}


@pytest.fixture
def two_files_for_rename(tmp_path) -> tuple[Path, Path]:
    a, b = tmp_path / "alpha.txt", tmp_path / "beta.txt"
    a.write_text("The bridge closed on Monday after engineers found a crack.\n", encoding="utf-8")
    b.write_text("Engineers found a crack in the bridge, which closed on Monday.\n", encoding="utf-8")
    return a, b
