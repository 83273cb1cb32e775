"""The reader on rows that hold several sentences of one source.

A row may carry an outlet's headline beside the body sentence it restates, or
a statement the outlet split over consecutive sentences (issue 10). The fixed
story of ``appkit.split_story`` has both; these pilot tests walk the reader
over it and use ``x``/``v`` on such cells.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from appkit import notes, run, split_story, split_story_app

from tui.core.model import alignment_problems


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tui.app.screens.reader.AUTOSAVE_DELAY", 0.2)
    return tmp_path


def test_every_view_of_a_multi_sentence_row_works():
    _, base = split_story()

    async def body(app, pilot):
        reader = app.reader
        assert reader.alignment.rows[0].cells[0] == (0, 1)
        # the row's text in the pane is both sentences, one after the other
        assert reader.view.text(0, 0) == reader.alignment.cell_text(0, 0)
        for key in ("enter", "i", "w", "m", "j", "j", "j", "j", "G", "g", "f", "w"):
            await pilot.press(key)
        for _ in range(10):  # every filter, back to all rows
            if reader.state.filter_name == "all":
                break
            await pilot.press("f")
        assert reader.state.filter_name == "all"
        reader.view.move_to(0)
        await pilot.pause()
        detail = str(reader.detail.render())
        assert "Pakistan warns Kabul" in detail and "23 soldiers were killed" in detail
        await pilot.press("slash", *"choosing", "enter")
        await pilot.pause()
        assert reader.view.cursor == 4
        await pilot.press("escape", "escape")
        await pilot.press("l", "p")  # Daily as the pivot: its split statement stays one row
        await pilot.pause(0.3)
        assert reader.alignment.pivot == 1
        row = reader._row_of(reader.alignment, 1, 5)
        assert reader.alignment.rows[row].cells[1] == (5, 6)

    run(split_story_app(), body)


def test_x_and_v_on_a_multi_sentence_cell(home):
    async def body(app, pilot):
        reader = app.reader
        reader.view.move_to(4)
        reader.view.set_focus_source(0)
        await pilot.press("x")  # the last of Wire's two sentences leaves the row
        await pilot.pause()
        assert reader.state.cut == (0, 5)
        assert reader.alignment.rows[reader._row_of(reader.alignment, 0, 4)].cells[0] == (4,)
        assert reader.alignment.rows[reader._row_of(reader.alignment, 0, 5)].size == 1
        assert alignment_problems(reader.alignment) == []
        # v on a row whose Wire sentence it does not continue is refused, with the reason
        reader.view.move_to(reader._row_of(reader.alignment, 0, 7))
        await pilot.press("v")
        assert "does not continue" in notes(app)[-1] and reader.state.cut == (0, 5)
        # back next to the sentence it continues
        reader.view.move_to(reader._row_of(reader.alignment, 0, 4))
        await pilot.press("v")
        await pilot.pause()
        assert reader.state.cut is None
        assert reader.alignment.rows[reader.view.cursor].cells[0] == (4, 5)
        # the export lists each sentence once, both of Wire's on the same row
        await pilot.press("e")
        await pilot.pause()
        path = next(Path.cwd().glob("parallax-*.csv"))
        with path.open(encoding="utf-8", newline="") as fh:
            lines = list(csv.DictReader(fh))
        keys = [(d["source"], int(d["sentence"])) for d in lines]
        assert len(keys) == len(set(keys)) == sum(len(s.sentences) for s in reader.alignment.sources)
        rows = {d["sentence"]: d["row"] for d in lines if d["source"] == "wire.txt"}
        assert rows["4"] == rows["5"]

    run(split_story_app(session="cells"), body)
