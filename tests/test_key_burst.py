"""Keys typed or pasted in one burst behind ``/`` land in the search box, not in the panes.

The keys are posted to the app all at once, as a fast typist or a paste
delivers them: each reaches the panes before the search action has moved the
focus, so without the hold in ParallelView.on_key the ``a`` of "doha" opened
the notes and the search box stayed empty.
"""

from __future__ import annotations

from appkit import run, story_app
from textual import events

from tui.app.screens.reader import ReaderScreen


async def _burst(app, pilot, text: str) -> None:
    """Post every key of ``text`` at once, then let the app handle them."""
    for ch in text:
        app.post_message(events.Key("slash" if ch == "/" else ch, ch))
    await pilot.pause()
    await pilot.pause()


def test_a_burst_behind_slash_is_typed_into_the_search_box():
    async def body(app, pilot):
        reader = app.reader
        await _burst(app, pilot, "/doha")
        assert isinstance(app.screen, ReaderScreen)  # "a" opened no notes, "e" no export
        assert app.focused is reader.search_input
        assert reader.search_input.value == "doha"
        assert reader.state.matches  # the story's Doha sentence was found

    run(story_app(), body)


def test_keys_after_the_search_is_left_are_commands_again():
    async def body(app, pilot):
        reader = app.reader
        await _burst(app, pilot, "/doha")
        await pilot.press("escape")
        assert app.focused is reader.view
        before = reader.view.cursor
        await pilot.press("j")
        assert reader.view.cursor != before  # j moves the cursor: no key is held any more
        assert reader.search_input.value == "doha"

    run(story_app(), body)
