"""The reading view's use of the screen: quiet gaps, folds, more panes, following jumps, highlights.

Pilot tests on the fixed four-outlet story of ``appkit.py`` (with its fixed
diff) and on small hand-built corpora, so that they fail when the view
changes, not when the aligner is retuned. Issue 15 items 1 to 3.
"""

from __future__ import annotations

from appkit import make_source, notes, run, story_app, synthetic, word_diff

from tui.core.model import AlignSettings, Alignment, Row

from tui.app.app import ParallaxApp
from tui.app.widgets.parallel import LEFT_OUT_TEXT, ParallelView


def screen_text(view: ParallelView) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


def _luminance(color) -> float:
    r, g, b = (c / 255 for c in color.get_truecolor())
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(style, base) -> float:
    """How far a style's text stands from the background, 0 (invisible) to 1 (black on white)."""
    return abs(_luminance(style.color) - _luminance(base.bgcolor))


# ------------------------------------------------------------------ space


def test_gaps_are_quiet_and_say_left_out_only_where_a_source_leaves_a_row_out():
    async def body(app, pilot):
        view = app.reader.view
        text = screen_text(view)
        assert "not reported" not in text
        # row 1 is widely reported (3 of 4) and Herald lacks it: the only gap with words
        row1 = view.row_span(1)[0]
        herald = next(c for c in view.columns if c.source == 2)
        assert view.render_line(row1).text[herald.x:herald.x + herald.width].strip() == LEFT_OUT_TEXT
        # row 2 is only Herald's: the others' gaps are a faint dot, nobody's omission
        row2 = view.row_span(2)[0]
        wire = view.columns[0]
        assert view.render_line(row2).text[wire.x:wire.x + wire.width].strip() == "·"
        # and they are quieter than the article text
        y = view.row_span(1)[0] - int(view.scroll_offset.y)
        strip = view.render_line(y)
        text_style = next(seg.style for seg in strip if "Talks" in seg.text)
        left_out = next(seg.style for seg in strip if "left out" in seg.text)
        y = view.row_span(2)[0] - int(view.scroll_offset.y)
        gap = next(seg.style for seg in view.render_line(y) if seg.text == "·")
        base = view.base_style
        assert _contrast(gap, base) < _contrast(left_out, base) < _contrast(text_style, base) * 0.6

    run(story_app(), body)


def test_rows_no_pane_shows_fold_into_one_line_and_enter_opens_them():
    async def body(app, pilot):
        reader = app.reader
        view = reader.view
        assert [c.source for c in view.columns] == [0, 1]  # 80 columns: two panes
        text = screen_text(view)
        assert "1 row only in Herald · enter opens" in text
        assert "Traders at the Chaman crossing" not in text
        await pilot.press("j")
        assert view.cursor == 1
        await pilot.press("j")
        assert view.cursor == 2 and view.fold_at(2) == (2,)  # the cursor stands on the fold
        assert view.row_span(2)[1] == 1
        await pilot.press("enter")  # opens the fold, not the detail panel
        assert not reader.detail_box.display
        assert view.fold_at(2) is None
        line = view.render_line(view.row_span(2)[0] - int(view.scroll_offset.y)).text
        assert "only in Herald: Traders at the Chaman crossing" in line
        await pilot.press("enter")  # on an opened row: the detail as usual
        assert reader.detail_box.display

    run(story_app(), body, size=(80, 24))


def test_a_run_of_off_screen_rows_is_one_fold_and_z_turns_folding_off():
    sources, alignment = _far_story()

    async def body(app, pilot):
        view = app.reader.view
        text = screen_text(view)
        assert "3 rows only in E · enter opens" in text
        before = view.virtual_size.height
        await pilot.press("z")
        assert not view.folding
        assert view.virtual_size.height == before + 2  # three one-line rows instead of one fold
        assert "only in E: E alone says one." in screen_text(view)
        await pilot.press("z")
        assert "3 rows only in E · enter opens" in screen_text(view)

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


def test_j_and_k_step_over_a_fold_as_one_row():
    sources, alignment = _far_story()

    async def body(app, pilot):
        view = app.reader.view
        assert view.cursor == 0
        await pilot.press("j")
        assert view.cursor == 1 and view.fold_at(1) == (1, 2, 3)
        await pilot.press("j")
        assert view.cursor == 4
        await pilot.press("k")
        assert view.cursor == 1

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


def test_four_of_five_sources_fit_at_120_columns_and_five_at_160():
    sources, alignment = synthetic(5, 30)

    def app():
        return ParallaxApp(sources, aligner=lambda s, st: alignment)

    async def at_120(app, pilot):
        view = app.reader.view
        assert view.visible_count == 4
        assert min(c.width - 1 for c in view.columns) >= 24  # text cells per line in each pane
        await pilot.press("w")  # compact: one line per sentence, narrower panes
        assert view.visible_count == 5

    async def at_160(app, pilot):
        view = app.reader.view
        assert view.visible_count == 5
        assert min(c.width - 1 for c in view.columns) >= 24

    run(app(), at_120, size=(120, 40))
    run(app(), at_160, size=(160, 45))


def test_a_lone_sentence_spills_over_empty_panes_but_never_over_a_left_out_one():
    async def body(app, pilot):
        view = app.reader.view
        # row 5, "Kabul has not commented on the minister's remarks.", is Wire's alone: one line, all across
        line = view.render_line(view.row_span(5)[0] - int(view.scroll_offset.y)).text
        assert view.row_span(5)[1] == 1
        assert "Kabul has not commented on the minister's remarks." in line
        assert line.count("│") == 0
        # row 9 (Wire and Daily) has two texts: each keeps its own pane
        assert len(view._cells_of(9)) == len(view.columns)

    run(story_app(), body)

    async def narrow(app, pilot):
        view = app.reader.view
        # at 80 columns row 4 shows only Wire's sentence, but Daily leaves the row out: no spill
        assert [c.source for c in view.columns] == [0, 1]
        assert [c.width for c in view._cells_of(4)] == [c.width for c in view.columns]
        line = view.render_line(view.row_span(4)[0] - int(view.scroll_offset.y)).text
        assert LEFT_OUT_TEXT in line

    run(story_app(), narrow, size=(80, 24))


def test_the_reader_opens_with_the_pivots_lede_at_the_top():
    async def body(app, pilot):
        view = app.reader.view
        assert view.cursor == 3  # A's first sentence; E's three rows come before it
        assert view.row_span(3)[0] > 0
        assert view.scroll_offset.y == view.row_span(3)[0]

    sources, alignment = _far_story(lead=3)
    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


# ------------------------------------------------------------- following


def test_search_slides_the_panes_to_the_source_with_the_match():
    async def body(app, pilot):
        view = app.reader.view
        assert [c.source for c in view.columns] == [0, 1]
        await pilot.press("slash", *"chaman", "enter")
        assert view.cursor == 2
        assert 2 in [c.source for c in view.columns]  # Herald, the only source with it, is on screen
        text = screen_text(view)
        assert "Chaman" in text

    run(story_app(), body, size=(80, 24))


def test_the_search_hit_is_the_loudest_highlight():
    async def body(app, pilot):
        view = app.reader.view
        await pilot.press("slash", *"soldiers", "escape")
        style = view.get_component_rich_style
        search, diff, base = style("parallel--search"), view.base_style + style("parallel--diff", partial=True), \
            view.base_style
        assert search.bgcolor is not None and search.bgcolor != base.bgcolor  # a solid block, not only a colour
        assert diff.bgcolor == base.bgcolor
        assert search.bold and not diff.bold
        # in the panes: the hit's cells carry the search background
        y = view.row_span(0)[0]
        segments = [seg for seg in view.render_line(y) if "soldiers" in seg.text.lower()]
        hit = next((seg for y2 in range(y, y + view.row_span(0)[1]) for seg in view.render_line(y2)
                    if seg.text.lower() == "soldiers"), None)
        assert hit is not None and hit.style.bgcolor == search.bgcolor
        del segments

    run(story_app(), body)


def test_n_on_a_flag_slides_to_the_sources_that_disagree():
    sources, alignment = _far_story()

    async def body(app, pilot):
        view = app.reader.view
        assert [c.source for c in view.columns] == [0, 1]
        await pilot.press("n")
        assert view.cursor == 5  # D and E disagree on a number there
        shown = [c.source for c in view.columns]
        assert 3 in shown or 4 in shown
        assert "⚑" in screen_text(view)

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


def test_o_keeps_the_focus_and_slides_when_a_window_can_hold_both():
    sources, alignment = _far_story()

    async def body(app, pilot):
        view = app.reader.view
        await pilot.press("l")  # focus B: the window is A, B
        assert view.focus_source == 1
        await pilot.press("o")  # row 6: A, C, D and E report it, B leaves it out; A is on screen
        assert view.cursor == 6 and [c.source for c in view.columns] == [0, 1]
        await pilot.press("o")  # row 7: C, D and E report it; a window holds B and C
        assert view.cursor == 7
        assert view.focus_source == 1
        assert [c.source for c in view.columns] == [1, 2]  # B still focused, C beside it

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


def test_o_never_moves_the_focus_even_when_no_window_shows_the_row():
    sources, alignment = _far_story()

    async def body(app, pilot):
        view = app.reader.view
        assert view.focus_source == 0
        await pilot.press("o")  # row 7: only C, D, E; A (focused) leaves it out; no two-pane window shows both
        assert view.cursor == 7 and view.focus_source == 0
        assert [c.source for c in view.columns] == [0, 1]
        line = view.render_line(view.row_span(7)[0] - int(view.scroll_offset.y)).text
        assert "› in C, D, E: C says seven." in line
        await pilot.press("o")
        assert any("no more rows A leaves out" in n for n in notes(app))

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


def test_clicking_the_map_on_a_folded_row_slides_the_panes_there():
    sources, alignment = _far_story()

    async def body(app, pilot):
        from tui.app.widgets.coverage import CoverageMap

        view = app.reader.view
        line = app.reader.coverage.line_of(2)
        row = app.reader.coverage.bucket(line).start
        assert view.fold_at(row) == (1, 2, 3)
        await pilot.click(CoverageMap, offset=(2, line))
        await pilot.pause()
        assert view.cursor == row
        assert 4 in [c.source for c in view.columns]

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body,
        size=(80, 24))


# ---------------------------------------------------------- highlights


def test_d_cycles_highlight_modes_distinctive_all_off():
    async def body(app, pilot):
        reader = app.reader
        view = reader.view
        assert view.highlight == "distinctive"
        row = 0
        diff = view.diff(row)
        text = view.text(row, 1)
        every = set(range(len(text)))
        masks = {}
        for mode in ("distinctive", "all", "off"):
            assert view.highlight == mode
            masks[mode] = {i for i in every if view._mask(row, 1, view.look(row, 1), diff, reader.state.reading.distinctive(row))[i] & 1}
            await pilot.press("d")
        assert view.highlight == "distinctive"
        assert masks["off"] == set()
        assert masks["distinctive"] < masks["all"]  # fewer words, and only words 'all' marks too
        # Daily: "Afghan officials claimed that 58 soldiers died in the clashes."
        assert text.index("58") in masks["distinctive"]  # a number no one else gives
        assert text.index("claimed") in masks["distinctive"]  # a word no other outlet of the row ever uses
        assert text.index("died") in masks["all"] and text.index("died") not in masks["distinctive"]  # too short
        assert any("highlight: distinctive" in n for n in notes(app))

    run(story_app(), body)


# ------------------------------------------------------------------ corpora


def test_o_says_why_there_is_nothing_left_out():
    """When o finds nothing it says whether the source leaves out none, or no row is widely reported at all."""
    rows = [("A one.", "B one.", None), ("A two.", None, None), (None, "B three.", None), (None, None, "C four.")]
    per: list[list[str]] = [[], [], []]
    cells = []
    for row in rows:
        c = []
        for s, text in enumerate(row):
            c.append(None if text is None else len(per[s]))
            if text is not None:
                per[s].append(text)
        cells.append(tuple(c))
    sources = [make_source(s, "ABC"[s], per[s]) for s in range(3)]
    alignment = Alignment(tuple(sources), tuple(Row(c, 0.8) for c in cells), AlignSettings())
    lonely = Alignment(tuple(sources), tuple(Row(c, 0.8) for c in
                                             [(0, None, None), (1, None, None), (None, 0, None),
                                              (None, 1, None), (None, None, 0)]), AlignSettings())

    async def body(app, pilot):
        await pilot.press("o")  # A has the one widely reported row (A and B: two of three)
        assert any(n == "A leaves out none of the 1 widely reported rows" for n in notes(app))
        await pilot.press("l", "l", "o")  # C lacks it
        assert app.reader.view.cursor == 0
        await pilot.press("o")
        assert any("no more rows C leaves out (1 of the 1 widely reported rows; O lists them)" in n
                   for n in notes(app))

    run(ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff), body, size=(80, 24))

    async def lonely_body(app, pilot):
        await pilot.press("o")
        assert any("no row is widely reported (told by at least 2 of the 3 sources), so A leaves out nothing"
                   in n for n in notes(app))

    run(ParallaxApp(sources, aligner=lambda s, st: lonely, differ=word_diff), lonely_body, size=(80, 24))


def _far_story(lead: int = 0) -> tuple[list, Alignment]:
    """Five outlets A–E; rows only in E run three long, D and E disagree on a number, B and A leave rows out.

    ``lead`` moves that many of E's own rows before the first row (as other outlets' summary lines come
    before the pivot's lede).
    """
    rows: list[tuple[str | None, ...]] = [
        ("A opens the story.", "B opens the story.", "C opens the story.", "D opens the story.", "E opens the story."),
        (None, None, None, None, "E alone says one."),
        (None, None, None, None, "E alone says two."),
        (None, None, None, None, "E alone says three."),
        ("A and B agree here.", "B and A agree here.", None, None, None),
        (None, None, None, "D counts 12 dead.", "E counts 15 dead."),
        ("A says six.", None, "C says six.", "D says six.", "E says six."),
        (None, None, "C says seven.", "D says seven.", "E says seven."),
        ("A closes.", "B closes.", "C closes.", "D closes.", "E closes."),
        *((f"A adds {k + 100}.", f"B adds {k + 100}.", None, None, None) for k in range(20)),  # enough to scroll (no figure of the rows above: "adds 6" would tell "says six" again)
    ]
    rows = rows[1:1 + lead] + rows[:1] + rows[1 + lead:]
    labels = "ABCDE"
    per: list[list[str]] = [[] for _ in labels]
    cells = []
    for row in rows:
        c = []
        for s, text in enumerate(row):
            if text is None:
                c.append(None)
            else:
                c.append(len(per[s]))
                per[s].append(text)
        cells.append(tuple(c))
    sources = [make_source(s, labels[s], per[s]) for s in range(len(labels))]
    return sources, Alignment(tuple(sources), tuple(Row(c, 0.8) for c in cells), AlignSettings())
