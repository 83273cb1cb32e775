"""Hostile input in the reader (issue 12): what reaches the terminal, and what keeps the reader responsive."""

from __future__ import annotations

import re

from appkit import run, story_app
from tui.core.model import Annotation

#: What a terminal acts on: C0 controls, DEL, C1.
ACTIVE = re.compile(r"[\x00-\x1f\x7f-\x9f]")

CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"


def _screen_lines(app) -> list[str]:
    """Every character the compositor would send to the terminal for the current screen, line by line."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def test_note_dialog_paints_escape_sequences_as_symbols_and_keeps_the_note():
    """A note holding ``ESC[2J`` (from a session file) must not clear the screen when the dialog opens."""
    from tui.app.screens.annotate import AnnotateScreen

    note = f"first line {CLEAR}\nsecond\tline {OSC52} \x07bell"
    current = Annotation(note=note, tags=(f"tag{OSC52}",))

    async def body(app, pilot):
        results = []
        await app.push_screen(AnnotateScreen(f"row #0 {CLEAR}", current, ["plain"]), results.append)
        await pilot.pause()
        lines = _screen_lines(app)
        assert not [line for line in lines if ACTIVE.search(line)]
        text = "\n".join(lines)
        assert "\u241b[2J" in text and "\u2407bell" in text  # ␛[2J and ␇ are visible instead
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert results and results[0].annotation.note == note  # the note itself is unchanged
        assert results[0].annotation.tags == current.tags

    run(story_app(), body)
