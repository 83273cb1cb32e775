"""The reader on rows that hold several sentences of one source.

A row may carry an outlet's headline beside the body sentence it restates, or
a statement the outlet split over consecutive sentences (issue 10). The fixed
story of ``appkit.split_story`` has both; these pilot tests walk the reader
over it and use ``x``/``v`` on such cells.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from appkit import notes, run, split_story, split_story_app

from tui.core.model import Alignment, Row, alignment_problems

from tui.app.cellview import Layers, cell_look, mixes_layers
from tui.app.screens.cut import CutScreen, cut_choices


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("tui.app.screens.saving.AUTOSAVE_DELAY", 0.2)
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
        assert "Wire: 2 sentences\n  #0 headline · Pakistan warns Kabul" in detail
        assert "\n  #1 Officials said 23 soldiers" in detail
        # in the panes: the tag, then each sentence of the cell on a line of its own
        lines = ["".join(seg.text for seg in strip) for strip in reader.view._render_row(0, 5)]
        assert "headline · Pakistan" in lines[0]
        gutter = reader.view.gutter_width
        assert any(line.split("│")[0][gutter:].strip().startswith("Officials said 23") for line in lines[1:])
        await pilot.press("w")  # compact: one line, and how many sentences did not fit
        compact = "".join(seg.text for seg in reader.view._render_row(9, 1)[0])
        assert "+1" in compact and "Analysts say" in compact
        await pilot.press("w")
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
        await pilot.press("x")  # Wire has two sentences here: which one?
        await pilot.pause()
        assert isinstance(app.screen, CutScreen)
        assert app.screen.options.highlighted == 1  # the last one is ready
        await pilot.press("escape")
        assert app.screen is reader and reader.state.cut is None
        await pilot.press("x", "enter")  # the last of Wire's two sentences leaves the row
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
        await pilot.press("e", "enter")  # the offered file in the exports folder
        await pilot.pause()
        path = next((Path(os.environ["PARALLAX_HOME"]) / "exports").glob("parallax-*.csv"))
        with path.open(encoding="utf-8", newline="") as fh:
            lines = list(csv.DictReader(fh))
        keys = [(d["source"], int(d["sentence"])) for d in lines]
        assert len(keys) == len(set(keys)) == sum(len(s.sentences) for s in reader.alignment.sources)
        rows = {d["sentence"]: d["row"] for d in lines if d["source"] == "wire.txt"}
        assert rows["4"] == rows["5"]

    run(split_story_app(session="cells"), body)


def test_x_picks_the_headline_out_of_the_ledes_row_with_a_digit(home):
    async def body(app, pilot):
        reader = app.reader
        reader.view.move_to(0)
        reader.view.set_focus_source(0)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, CutScreen)
        await pilot.press("1")  # the first listed: the headline
        await pilot.pause()
        assert app.screen is reader
        assert reader.state.cut == (0, 0)
        assert reader.alignment.rows[reader._row_of(reader.alignment, 0, 1)].cells[0] == (1,)
        # put back beside its lede: a summary line may join any body row of its outlet
        reader.view.move_to(reader._row_of(reader.alignment, 0, 1))
        await pilot.press("v")
        await pilot.pause()
        assert reader.alignment.rows[reader.view.cursor].cells[0] == (0, 1)

    run(split_story_app(session="headline"), body)


def test_the_chooser_lists_a_runs_inner_sentence_as_not_cuttable():
    sources, base = split_story()
    # Wire's sentences 4, 5 and 6 as one run (6 joins the row of 4 and 5)
    rows = [r for r in base.rows if not r.holds(0, 6)]
    at = next(k for k, r in enumerate(rows) if r.holds(0, 4))
    rows[at] = Row(((4, 5, 6), *rows[at].cells[1:]))
    al = Alignment(base.sources, tuple(rows), base.settings)
    assert alignment_problems(al) == []
    choices = cut_choices(al, at, 0)
    assert [(i, reason is None) for i, _, reason in choices] == [(4, True), (5, False), (6, True)]
    assert "cut #4 or #6 first" in str(choices[1][1])


def test_a_summary_line_is_tagged_only_beside_body_sentences():
    sources, al = split_story()
    layers = Layers(al)
    look = cell_look(al, 0, 0, layers)
    assert look.text.startswith("headline · Pakistan warns Kabul")
    assert [p.summary for p in look.parts] == [True, False]
    # highlight offsets of the cell text land on the same characters when drawn
    cell_text = al.cell_text(0, 0)
    for offset in (0, 5, len(cell_text) - 1):
        assert look.text[look.display_offset(offset)] == cell_text[offset]
    # a headline in a row of summary lines only is drawn as it is
    headlines = Alignment(al.sources, (Row(((0,), (), (), ())),))
    assert not mixes_layers(headlines, 0, Layers(headlines))
    assert cell_look(headlines, 0, 0, Layers(headlines)).plain


def test_the_note_dialog_shows_a_cells_sentences_apart_and_tagged():
    """A headline and its body sentence in one cell read as two, as in the panes, not run together."""
    from test_app_panels import shown_text

    async def body(app, pilot):
        app.reader.view.move_to(0)
        await pilot.press("a")
        await pilot.pause()
        text = shown_text(app.screen.query_one("#note-sentences"), width=300)
        assert "Wire: headline · Pakistan warns Kabul" in text
        assert " / Officials said 23 soldiers" in text

    run(split_story_app(session="cells-note"), body)
