"""The reader shows each row's stable id (issue 15 item 6): the detail panel and the note dialog name it."""

from __future__ import annotations

from pathlib import Path

import pytest
from appkit import run, story_app
from test_app_panels import shown_text

from tui.core.rowid import row_ids


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_detail_shows_the_row_id_and_it_survives_a_new_pivot():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("j", "j", "j", "j", "enter")
        row = reader.view.cursor
        wanted = row_ids(reader.alignment)[row]
        assert f"row #{row} · id {wanted}" in shown_text(reader.detail)
        sentence = next(m for m in reader.alignment.rows[row].members if m[0] == 2)
        await pilot.press("l", "l", "p")  # Herald becomes the pivot: the rows reorder
        await pilot.pause()
        assert reader.alignment.pivot == 2
        now = reader.view.cursor
        assert sentence in reader.alignment.rows[now].members  # still on the same sentence
        assert f"· id {wanted}" in shown_text(reader.detail)
        assert row_ids(reader.alignment)[now] == wanted

    run(story_app(), body)


def test_the_note_dialog_names_the_row_by_number_and_id():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("j", "a")
        await pilot.pause()
        assert app.screen.title_text == f"Annotate row #1 · id {row_ids(reader.alignment)[1]}"

    run(story_app(session="dialog"), body)


def test_searching_for_a_row_id_finds_its_row_under_any_pivot():
    async def body(app, pilot):
        reader = app.reader
        wanted = row_ids(reader.alignment)[6]
        await pilot.press("slash", *wanted, "enter")
        await pilot.pause()
        assert row_ids(reader.alignment)[reader.view.cursor] == wanted
        assert reader.state.matches == [reader.view.cursor]
        await pilot.press("escape", "escape", "l", "l", "l", "p")  # another pivot, another order
        await pilot.pause()
        await pilot.press("slash", *wanted, "enter")
        await pilot.pause()
        assert row_ids(reader.alignment)[reader.view.cursor] == wanted

    run(story_app(), body)
