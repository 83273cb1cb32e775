"""The detail panel, the help screen and the annotation dialog (issue 15 items 4 and 5).

Pilot tests on the fixed story of ``appkit.py``: the flags come first in the
detail, the panel scrolls from the panes, the help explains every mark the
reader draws, and the note dialog shows the row and never drops typed work on
a stray escape.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from appkit import run, story_app

from tui.app.cellview import TAG_END
from tui.app.reading import GLYPHS
from tui.app.screens.annotate import AnnotateScreen, DiscardScreen
from tui.app.screens.help import LEGEND, HelpScreen
from tui.app.widgets.parallel import GAP_TEXT, LEFT_OUT_TEXT


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def shown_text(widget, width: int = 160) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(widget.content if hasattr(widget, "content") else widget.render())
    return console.export_text()


# ---------------------------------------------------------------- detail


def test_the_detail_panel_puts_the_flags_first():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("enter")  # row 0: 23 vs 58 soldiers
        lines = shown_text(reader.detail).splitlines()
        assert lines[0].startswith("● row #0")
        assert lines[1].startswith("⚑ sources disagree: 23 vs 58")
        first_sentence = next(i for i, line in enumerate(lines) if line.startswith("Wire:"))
        assert first_sentence > 1

    run(story_app(), body, size=(80, 24))


def test_J_and_K_scroll_the_open_panel_from_the_panes():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("enter")
        box = reader.detail_box
        assert box.max_scroll_y > 0  # at 80×18 the detail of row 0 does not fit
        await pilot.press("J")
        await pilot.pause()
        assert box.scroll_y > 0
        assert reader.view.has_focus  # the panes keep the keys
        await pilot.press("K")
        await pilot.pause()
        assert box.scroll_y == 0

    run(story_app(), body, size=(80, 18))


def test_the_detail_highlights_what_the_panes_highlight():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("enter")
        distinctive = reader._highlighted(0)
        assert distinctive is not None
        await pilot.press("d")  # all
        assert reader._highlighted(0) is None  # every unshared word, as the diff says
        await pilot.press("d")  # off
        assert reader._highlighted(0) == {}

    run(story_app(), body)


# ------------------------------------------------------------------ help


def test_help_lists_the_scroll_keys_and_tab():
    async def body(app, pilot):
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        keys = shown_text(app.screen.query_one("#help-table"), width=120)
        assert "J shift+↓" in keys and "scroll the open panel" in keys
        assert "tab" in keys and "PgUp PgDn scroll it" in keys

    run(story_app(), body)


def test_the_help_legend_explains_every_glyph_the_reader_draws():
    from tui.app.screens.reader import MARK_NOTE, MARK_STAR
    from tui.app.widgets.coverage import _SHADES

    legend = " ".join(glyph + " " + meaning for _, marks in LEGEND for glyph, _, meaning in marks)
    drawn = [*GLYPHS.values(), "⚑", "?", MARK_STAR, MARK_NOTE, "▶", "▌", "◆", "‹", "›", "▸", GAP_TEXT,
             LEFT_OUT_TEXT, TAG_END.strip(), "+1", *_SHADES.strip(), "│"]
    missing = [glyph for glyph in drawn if glyph not in legend]
    assert missing == []

    async def body(app, pilot):
        await pilot.press("question_mark")
        text = shown_text(app.screen.query_one("#help-legend"), width=120)
        assert "What the marks mean" in text
        assert "a fold: rows no pane on screen has" in text and "a search hit" in text

    run(story_app(), body)


# -------------------------------------------------------------- annotate


def test_the_annotation_dialog_shows_the_rows_sentences():
    async def body(app, pilot):
        await pilot.press("a")
        assert isinstance(app.screen, AnnotateScreen)
        text = shown_text(app.screen.query_one("#note-sentences"), width=200)
        assert "Wire: Officials said 23 soldiers were killed" in text
        assert "Daily: Afghan officials claimed that 58 soldiers died" in text
        assert "Gazette: The army put the toll at 23" in text

    run(story_app(session="row"), body)


def test_escape_on_a_typed_note_asks_and_keep_editing_keeps_it():
    async def body(app, pilot):
        await pilot.press("a", *"half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardScreen)
        await pilot.press("escape")  # escape again: keep editing, the text still there
        await pilot.pause()
        assert isinstance(app.screen, AnnotateScreen)
        assert app.screen.query_one("#note-text").text == "half a thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.reader.state.annotations[0].note == "half a thought"

    run(story_app(session="keep"), body)


def test_escape_after_only_ticking_the_star_asks_too_and_discard_drops_it():
    async def body(app, pilot):
        await pilot.press("a")
        app.screen.query_one("#note-star").value = True
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DiscardScreen)
        await pilot.click("#discard-discard")
        await pilot.pause()
        assert not isinstance(app.screen, (AnnotateScreen, DiscardScreen))
        assert app.reader.state.annotations == {}

    run(story_app(session="drop"), body)
