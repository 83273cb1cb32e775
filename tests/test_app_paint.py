"""The reader's first frame comes before the alignment: the draft, keys that wait, the same final view.

The aligner here is the fixed story's, held back by a gate the test opens,
so "before the alignment" is a state the test controls, not a race.
"""

from __future__ import annotations

import asyncio
import threading
from contextlib import asynccontextmanager
from dataclasses import replace

from appkit import LABELS, loaded, make_source, pivot_aligner, story, word_diff

from tui.app.app import ParallaxApp
from tui.app.widgets.draft import draft_columns, draft_lines
from tui.core.errors import ParallaxError


def gated(aligner):
    """``aligner`` that waits for the returned event before it answers (10 s at most)."""
    gate = threading.Event()

    def run(sources, settings):
        gate.wait(10)
        return aligner(sources, settings)

    return run, gate


def story_parts():
    sources, alignment = story()
    return sources, pivot_aligner(alignment)


def pane_lines(view) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


def screen_text(reader) -> dict[str, list[str]]:
    """What the reader's widgets draw, line by line (text and styles), for comparing two runs."""
    out = {}
    for name, widget in (("view", reader.view), ("columns", reader.column_header), ("map", reader.coverage)):
        out[name] = [repr(list(widget.render_line(y))) for y in range(widget.size.height)]
    out["story"] = [str(reader.story.render())]
    return out


async def until(pilot, condition, tries: int = 300) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("condition never held")


@asynccontextmanager
async def drafting(app, ready=lambda reader: True):
    """``app`` running at 120x40, once its reader shows the draft and ``ready(reader)`` holds."""
    async with app.run_test(size=(120, 40)) as pilot:
        reader = app.screen_stack[0]
        await until(pilot, lambda: bool(reader.view.draft) and ready(reader))
        yield pilot, reader


# ----------------------------------------------------------------------------- the draft


def test_draft_lines_wrap_each_sentence_and_mark_paragraphs():
    source = make_source(0, "Wire", ["First sentence here.", "Second one, which is a good deal longer."])
    lines = draft_lines(source, 16, 10)
    assert lines == ["First sentence", "here.", "Second one,", "which is a good", "deal longer."]
    # a blank line in the article (a paragraph break) is a blank line in the draft
    para = replace(source, text=source.text.replace("here. Second", "here.\n\nSecond"))
    para = replace(para, sentences=(para.sentences[0], replace(para.sentences[1], start=22, end=22 + 40)))
    assert draft_lines(para, 16, 10)[2] == ""
    assert draft_lines(source, 16, 3) == lines[:3]  # only what fits on the screen


def test_draft_shows_control_characters_as_stand_ins():
    source = make_source(0, "Wire", ["Evil \x1b]52;c;aGk=\x07 text."])
    (line,) = draft_lines(source, 80, 5)
    assert "\x1b" not in line and "\x07" not in line
    assert draft_columns([source], [(0, 80), (3, 80)], 5) == [[line], []]  # a source out of range: an empty pane


def test_first_frame_shows_the_articles_before_the_rows():
    sources, aligner = story_parts()
    run, gate = gated(aligner)
    app = ParallaxApp(sources, aligner=run, differ=word_diff)

    async def main() -> None:
        async with drafting(app, lambda reader: any("Officials said 23" in line
                                                    for line in pane_lines(reader.view))) as (pilot, reader):
            assert reader.alignment is None  # text on screen, no rows yet
            lines = pane_lines(reader.view)
            text = "\n".join(lines)
            # every pane on screen has its own first sentence, in the aligned view's columns
            for source in sources[: reader.view.visible_count]:
                assert source.sentences[0].text.split()[0] in text
            gutter = reader.view.gutter_width
            assert all(not line[:gutter].strip() for line in lines), "no row gutter: nothing claims to be aligned"
            header = reader.column_header.render_line(0).text
            assert all(label in header for label in LABELS[: reader.view.visible_count])
            story_line = str(reader.story.render())
            assert "aligning" in story_line and "not lined up yet" in story_line
            width_before = reader.coverage.size.width
            gate.set()
            await loaded(app, pilot)
            assert reader.alignment is not None
            assert reader.coverage.size.width == width_before  # the map kept its room: the panes did not move
            assert "not lined up" not in str(reader.story.render())
            assert reader.view.render_line(0).text[:gutter].strip(), "the rows have their gutter"

    asyncio.run(main())


def test_the_view_after_the_alignment_is_the_view_without_a_wait():
    """Drawing the draft first changes nothing about what the reader sees once the rows are in."""
    sources, aligner = story_parts()
    run, gate = gated(aligner)
    screens = []

    async def main(app, before) -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            await before(pilot)
            await loaded(app, pilot)
            await pilot.pause()
            screens.append(screen_text(app.screen_stack[0]))

    async def wait_then_open(pilot) -> None:
        await until(pilot, lambda: bool(pilot.app.screen_stack[0].view.draft))
        await pilot.pause(0.05)
        gate.set()

    async def nothing(pilot) -> None:
        return None

    asyncio.run(main(ParallaxApp(sources, aligner=run, differ=word_diff), wait_then_open))
    asyncio.run(main(ParallaxApp(sources, aligner=aligner, differ=word_diff), nothing))
    assert screens[0] == screens[1]


# ----------------------------------------------------------------------------- keys while aligning


def test_keys_pressed_while_aligning_run_once_the_rows_are_in():
    sources, aligner = story_parts()
    run, gate = gated(aligner)
    cursors = []

    async def main(app, early: bool) -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            reader = app.screen_stack[0]
            if early:
                await until(pilot, lambda: bool(reader.view.draft))
                await pilot.press("j", "j", "l")
                assert reader.alignment is None
                assert "3 keys waiting for the rows" in str(reader.story.render())
                assert any("still aligning" in n.message for n in app._notifications)
                gate.set()
                await loaded(app, pilot)
                await pilot.pause()
            else:
                await loaded(app, pilot)
                await pilot.press("j", "j", "l")
                await pilot.pause()
            cursors.append((reader.view.cursor, reader.view.focus_source))
            assert "waiting" not in str(reader.story.render())

    asyncio.run(main(ParallaxApp(sources, aligner=run, differ=word_diff), early=True))
    asyncio.run(main(ParallaxApp(sources, aligner=aligner, differ=word_diff), early=False))
    assert cursors[0] == cursors[1]
    assert cursors[0][1] == 1  # `l` moved the focus


def test_keys_that_need_no_rows_work_while_aligning():
    sources, aligner = story_parts()
    run, gate = gated(aligner)
    app = ParallaxApp(sources, aligner=run, differ=word_diff)

    async def main() -> None:
        async with drafting(app) as (pilot, reader):
            await pilot.press("question_mark")
            await pilot.pause()
            assert type(app.screen).__name__ == "HelpScreen"
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is reader and not reader._waiting
            gate.set()
            await loaded(app, pilot)

    asyncio.run(main())


def test_a_failed_alignment_answers_the_keys_and_clears_the_draft():
    sources, _ = story_parts()

    def failing(sources, settings):
        gate.wait(10)
        raise ParallaxError("the aligner gave up")

    gate = threading.Event()
    app = ParallaxApp(sources, aligner=failing, differ=word_diff)

    async def main() -> None:
        async with drafting(app) as (pilot, reader):
            await pilot.press("j")
            gate.set()
            await until(pilot, lambda: reader.state.status == "could not align")
            await pilot.pause()
            messages = [n.message for n in app._notifications]
            assert any("1 key pressed while aligning was not run" in m for m in messages)
            assert not reader.view.draft  # no article text left standing under the error
            assert any("the aligner gave up" in line for line in pane_lines(reader.view))
            await pilot.press("n")
            await pilot.pause()
            assert any("could not be aligned" in n.message for n in app._notifications)
            assert reader._waiting == []

    asyncio.run(main())


# ----------------------------------------------------------------------------- the collector's pause


def test_the_collector_pause_resumes_only_its_own():
    import gc

    from tui.startup import pause_gc, resume_gc

    assert gc.isenabled()
    try:
        pause_gc()
        assert not gc.isenabled()
        resume_gc()
        assert gc.isenabled()
        resume_gc()  # twice: still on, nothing else happens
        assert gc.isenabled()
        gc.disable()  # someone else's pause is not ours to end
        pause_gc()
        resume_gc()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_reader_resumes_the_collector_after_its_first_frame():
    import gc

    from tui.startup import pause_gc

    sources, aligner = story_parts()
    run, gate = gated(aligner)
    app = ParallaxApp(sources, aligner=run, differ=word_diff)

    async def main() -> None:
        async with drafting(app, lambda reader: gc.isenabled()) as (pilot, reader):
            assert reader.alignment is None  # on again while the aligner is still held back
            gate.set()
            await loaded(app, pilot)

    pause_gc()
    try:
        asyncio.run(main())
    finally:
        gc.enable()


def test_open_and_export_leave_the_collector_on(tmp_path, capsys, monkeypatch):
    import gc
    import sys
    import types

    from tui import cli

    fake = types.ModuleType("tui.app.app")
    fake.run_app = lambda sources, explicit, *, session=None, config=None: 0  # no reader: nothing resumes it but open
    monkeypatch.setitem(sys.modules, "tui.app.app", fake)
    monkeypatch.setattr("tui.cli._has_terminal", lambda: True)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("The mayor resigned on Monday. She cited her health.\n", encoding="utf-8")
    b.write_text("On Monday the mayor quit. Health reasons were given.\n", encoding="utf-8")
    assert cli.main(["open", str(a), str(b)]) == 0 and gc.isenabled()
    assert cli.main(["open", str(a)]) == 2 and gc.isenabled()  # refused before the app: on again all the same
    assert cli.main(["export", str(a), str(b), "-o", str(tmp_path / "out.csv")]) == 0 and gc.isenabled()
    assert cli.main(["export", str(a), str(tmp_path / "missing.txt")]) == 2 and gc.isenabled()
    capsys.readouterr()


def test_reading_the_articles_leaves_the_feature_tables_to_the_aligner():
    """What the draft needs (the sources, read and split into sentences) imports no tui.core.text: its tables
    load with the aligner, after the first frame. The ingest's display_text is still there when asked for."""
    import subprocess
    import sys
    from pathlib import Path

    probe = ("import sys; from tui.core.pipeline import load; load(None); print('tui.core.text' in sys.modules); "
             "from tui.core import ingest; print(ingest.display_text('**said**'), 'tui.core.text' in sys.modules)")
    repo = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", probe], cwd=repo, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "said", "True"]
