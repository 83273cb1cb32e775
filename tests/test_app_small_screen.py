"""The reader at 80×24 and other sizes a daily reader has: nothing it shows is out of reach.

Pilot tests on the fixed story of ``appkit.py`` and small hand-built
corpora. Each pins something a tmux pass at 80×24 found cut off or hidden:
the cursor's row behind the panels, the end of the ``O`` list, a source's
name cut in a wide sources panel, a score that read "0.50" on a row marked
uncertain for being under 0.50.
"""

from __future__ import annotations

import io

from appkit import make_source, run, story_app, word_diff

from tui.core.model import AlignSettings, Alignment, Row

from tui.app.app import ParallaxApp


def shown_text(widget, width: int = 200) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(widget.content if hasattr(widget, "content") else widget.render())
    return console.export_text()


def cursor_in_view(view) -> bool:
    """At least the first line of the cursor's row is inside the panes' visible lines."""
    span = view.row_span(view.cursor)
    assert span is not None
    top, height = view.scroll_offset.y, view.scrollable_content_region.height
    return height > 0 and top <= span[0] < top + height


def _many_omissions_app() -> ParallaxApp:
    """Three outlets report twelve facts (the fourth with weak links); a fourth outlet reports none, only two lines of its own."""
    facts = [f"Fact number {i} was reported by the three outlets about the storm on the coast." for i in range(12)]
    a = make_source(0, "Wire", facts)
    b = make_source(1, "Daily", facts)
    c = make_source(2, "Herald", facts)
    d = make_source(3, "Column", ["The council should act.", "Nobody listened."])
    rows = [Row((i, i, i, None), 0.45 if i == 3 else 0.9) for i in range(12)] + [Row((None, None, None, 0), 1.0),
                                                             Row((None, None, None, 1), 1.0)]
    alignment = Alignment((a, b, c, d), tuple(rows), AlignSettings())
    return ParallaxApp([a, b, c, d], aligner=lambda sources, settings: alignment, differ=word_diff)


def test_opening_the_sources_and_detail_panels_keeps_the_cursors_row_on_screen():
    async def body(app, pilot):
        reader = app.reader
        view = reader.view
        for _ in range(6):
            await pilot.press("j")
        await pilot.pause()
        assert cursor_in_view(view)
        await pilot.press("i")  # the sources panel takes the lower part of the screen
        await pilot.pause()
        await pilot.pause()
        assert cursor_in_view(view)
        await pilot.press("enter")  # and the detail panel more of it
        await pilot.pause()
        await pilot.pause()
        assert reader.detail_box.display
        assert cursor_in_view(view), (view.scroll_offset.y, view.row_span(view.cursor), view.size)
        # the two panels share the space: the panes keep a few lines, not one
        assert view.scrollable_content_region.height >= 5, view.scrollable_content_region
        await pilot.press("i")  # one panel again: it may take its full height
        await pilot.pause()
        assert not reader.has_class("-both-panels") and cursor_in_view(view)

    run(_many_omissions_app(), body, size=(80, 24))


def test_in_a_view_of_a_line_or_two_the_cursors_row_beats_the_line_of_context():
    async def body(app, pilot):
        view = app.reader.view
        for _ in range(4):
            await pilot.press("j")
        await pilot.pause()
        view.styles.height = 2  # as if panels below took all but two lines
        await pilot.pause()
        await pilot.pause()
        assert view.scrollable_content_region.height <= 2
        span = view.row_span(view.cursor)
        assert span is not None and view.scroll_offset.y == span[0]  # not the line above it

    run(story_app(), body, size=(80, 24))


def test_the_omissions_list_reaches_its_last_row_at_80x24():
    from tui.app.screens.omissions import OmissionsScreen

    async def body(app, pilot):
        await pilot.press("l", "l", "l", "O")  # Column leaves out all twelve
        screen = app.screen
        assert isinstance(screen, OmissionsScreen)
        options = screen.options
        assert options.option_count == 12
        # "3 of 4" alone left a reader asking "3 of 4 what?": it says what the CLI says
        assert "· reported by 3 of 4 ·" in str(options.get_option_at_index(0).prompt)
        # a row of weak links is marked as the panes and the CLI mark it (row 3 scores 0.45)
        marked = [i for i in range(12) if "? uncertain links" in str(options.get_option_at_index(i).prompt)]
        assert marked == [3]
        dialog = screen.query_one("#omissions-dialog")
        # the list fits inside its dialog, so it scrolls instead of being cut off by it
        assert options.region.bottom <= dialog.region.bottom - 1
        await pilot.press("end")
        await pilot.pause()
        assert options.highlighted == 11
        last = options.scroll_offset.y + options.scrollable_content_region.height
        assert options.max_scroll_y > 0 and options.scroll_y == options.max_scroll_y
        assert last >= options.virtual_size.height
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.reader and app.reader.view.cursor == 11

    run(_many_omissions_app(), body, size=(80, 24))


def test_a_wide_sources_panel_shows_long_source_names_whole():
    long_names = ("Coastline News Service wire", "Carn Valley Gazette local", "Westcountry Voice opinion column",
                  "Snapline morning digest")

    async def body(app, pilot):
        await pilot.press("i")
        await pilot.pause()
        text = shown_text(app.reader.query_one("#sources"), width=app.reader.query_one("#sources").size.width)
        for name in long_names:
            assert name in text, text
        assert "…" not in text

    from appkit import STORY_ROWS, pivot_aligner, story

    sources, alignment = story()
    renamed = [make_source(s.id, long_names[s.id], [x.text for x in s.sentences]) for s in sources]
    alignment = Alignment(tuple(renamed), alignment.rows, alignment.settings)
    assert len(STORY_ROWS) == len(alignment.rows)
    run(ParallaxApp(renamed, aligner=pivot_aligner(alignment), differ=word_diff), body, size=(200, 50))


def test_an_uncertain_rows_score_never_reads_as_the_threshold():
    from tui.core.omissions import UNCERTAIN_BELOW

    score = UNCERTAIN_BELOW - 0.0012  # "0.50" at two decimals
    a = make_source(0, "Wire", ["The ferry ran aground near the harbour on Monday."])
    b = make_source(1, "Daily", ["Nobody was hurt, the coastguard said."])
    alignment = Alignment((a, b), (Row((0, 0), score),), AlignSettings())

    async def body(app, pilot):
        await pilot.press("enter")
        await pilot.pause()
        text = shown_text(app.reader.detail)
        assert "? uncertain" in text
        assert f"score {UNCERTAIN_BELOW:.2f}" not in text and f"at {UNCERTAIN_BELOW:.2f} on" not in text
        assert f"{score:.3f}" in text

    run(ParallaxApp([a, b], aligner=lambda sources, settings: alignment, differ=word_diff), body, size=(120, 40))


def test_escape_with_no_search_closes_the_detail_then_the_sources_panel():
    async def body(app, pilot):
        reader = app.reader
        await pilot.press("i", "enter")
        await pilot.pause()
        assert reader.detail_box.display and reader.sources_box.display
        await pilot.press("escape")
        await pilot.pause()
        assert not reader.detail_box.display and reader.sources_box.display
        await pilot.press("escape")
        await pilot.pause()
        assert not reader.sources_box.display
        # while there is a search, escape clears it and leaves the panel open
        await pilot.press("enter", "slash", *"kabul", "enter", "escape")
        await pilot.pause()
        assert reader.state.search_text == "kabul" and reader.detail_box.display
        await pilot.press("escape")
        await pilot.pause()
        assert reader.state.search_text == "" and reader.detail_box.display
        await pilot.press("escape")
        await pilot.pause()
        assert not reader.detail_box.display

    run(story_app(), body, size=(80, 24))
