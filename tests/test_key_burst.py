"""Keys typed or pasted in one burst go where the focus went, not where it was.

The keys are posted to the app all at once, as a fast typist or ``tmux
send-keys`` delivers them: every one is handed to the panes before the first
key's action has run. Without the app's re-sending (ParallaxApp.on_event) the
``a`` of "/doha" opened the notes and the search box stayed empty, and the
text typed behind ``a`` (annotate), ``s`` (save) or ``r`` (rename) was
dropped while the dialog mounted. Each test compares with what the same keys
do typed one at a time, where it matters.
"""

from __future__ import annotations

from appkit import run, story_app
from textual import events
from textual.widgets import Input, TextArea

from tui.app.screens.annotate import AnnotateScreen, NameScreen
from tui.app.screens.reader import ReaderScreen

#: characters of a burst that are named keys
NAMED = {"/": "slash", " ": "space", "\x1b": "escape", "\r": "enter"}


async def _burst(app, pilot, text: str) -> None:
    """Post every key of ``text`` at once, then let the app handle them."""
    for ch in text:
        app.post_message(events.Key(NAMED.get(ch, ch), ch))
    for _ in range(4):
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


def test_escape_and_a_command_inside_the_burst_act_as_typed_slowly():
    """"/do", Esc, "j": the box gets "do" and gives the focus back, and j moves the cursor."""
    async def slow(app, pilot):
        for key in ("slash", "d", "o", "escape", "j"):
            await pilot.press(key)
        return app.reader.view.cursor

    async def fast(app, pilot):
        await _burst(app, pilot, "/do\x1bj")
        return app.reader.view.cursor

    async def check(app, pilot, typing):
        cursor = await typing(app, pilot)
        reader = app.reader
        assert app.focused is reader.view
        assert reader.search_input.value == "do"  # the j went to the panes, not the box
        return cursor

    results = []
    for typing in (slow, fast):
        async def body(app, pilot, typing=typing):
            results.append(await check(app, pilot, typing))
        run(story_app(), body)
    assert results[0] == results[1]


def test_a_note_typed_behind_a_is_kept():
    async def body(app, pilot):
        await _burst(app, pilot, "ahello")
        assert isinstance(app.screen, AnnotateScreen)
        assert isinstance(app.focused, TextArea)
        assert app.focused.text == "hello"

    run(story_app(), body)


def test_a_name_typed_behind_s_or_r_replaces_the_default():
    for key, typed in (("s", "mine"), ("r", "Wire2")):
        async def body(app, pilot, key=key, typed=typed):
            await _burst(app, pilot, key + typed)
            assert isinstance(app.screen, NameScreen)
            box = app.screen.query_one(Input)
            assert app.focused is box
            assert box.value == typed  # the default was selected, the typing took its place
            await _burst(app, pilot, "\r")
            assert isinstance(app.screen, ReaderScreen)

        run(story_app(), body)


def test_plain_commands_in_a_burst_still_run():
    async def body(app, pilot):
        await _burst(app, pilot, "jjj")
        assert app.reader.view.cursor == 3
        assert app.focused is app.reader.view

    run(story_app(), body)
