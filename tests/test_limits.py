"""Limits: files over the size guard, hundreds of sources, tens of thousands of sentences.

What is already covered elsewhere is not repeated: ``load_sources(max_bytes=…)``
refusing a big file is ``tests/test_ingest.py::test_too_large_file``, and
``parallax export … --max-size 0.1`` exiting 2 is ``tests/test_cli.py::test_too_large_file``.
Here: the default limit, the reader's own command (``parallax open``) refusing
before any terminal UI starts, a big file inside a folder, many sources
through the real pipeline, and the reader staying responsive while a long
alignment runs (simulated by a slow fake aligner so the test stays fast).
"""

from __future__ import annotations

import asyncio
import random
import sys
import threading
import time
import types
from pathlib import Path

import pytest
from appkit import loaded, pivot_aligner, run, story, synthetic, word_diff

from tui.cli import main
from tui.core.errors import IngestError
from tui.core.ingest import DEFAULT_MAX_BYTES, load_sources

from tui.app.app import ParallaxApp

VOCAB = "army talks border ceasefire minister soldiers killed trucks refugees officials spokesman winter".split()


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    return tmp_path


def article(rng: random.Random, n: int) -> str:
    sentences = [" ".join(rng.choice(VOCAB) for _ in range(10)).capitalize() + "." for _ in range(n)]
    return "A headline for this story\n\n" + " ".join(sentences) + "\n"


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("parallax: error: ") and "Traceback" not in err, err
    return lines[0]


# ---------------------------------------------------------------- size guard


def test_default_limit_refuses_a_file_just_over_it(tmp_path):
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:
        fh.truncate(DEFAULT_MAX_BYTES + 1)  # sparse: the size is checked before reading
    with pytest.raises(IngestError, match=r"huge\.txt: too large .*the limit is 5,242,880"):
        load_sources([big])


def test_a_big_file_inside_a_folder_is_named(tmp_path):
    folder = tmp_path / "scrape"
    folder.mkdir()
    rng = random.Random(1)
    for i in range(5):
        (folder / f"{i}.txt").write_text(article(rng, 3), encoding="utf-8")
    (folder / "3.txt").write_text(article(rng, 400), encoding="utf-8")
    with pytest.raises(IngestError, match=r"3\.txt: too large"):
        load_sources([folder], max_bytes=2_000)


def test_open_refuses_a_big_file_before_the_reader_starts(capsys, tmp_path, monkeypatch):
    """``parallax a.txt big.txt``: one line naming the file and how to lift the limit, no UI."""
    rng = random.Random(2)
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(article(rng, 3), encoding="utf-8")
    big.write_text(article(rng, 2_000), encoding="utf-8")
    started = []
    fake = types.ModuleType("tui.app.app")
    fake.run_app = lambda *a, **k: started.append(a) or 0
    monkeypatch.setitem(sys.modules, "tui.app.app", fake)
    monkeypatch.setattr("tui.cli._has_terminal", lambda: True)
    code = main([str(small), str(big), "--max-size", "0.05"])
    line = one_error_line(capsys.readouterr().err)
    assert code == 2 and not started
    assert "big.txt" in line and "too large" in line and "--max-size" in line
    assert main([str(small), str(big), "--max-size", "1"]) == 0 and started  # raised, it opens


# ---------------------------------------------------------------- many sources, many sentences


def test_three_hundred_sources_through_the_real_pipeline(capsys, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    rng = random.Random(3)
    for i in range(300):
        (folder / f"outlet-{i:03d}.txt").write_text(article(rng, 4), encoding="utf-8")
    out = tmp_path / "out.csv"
    code = main(["export", str(folder), "-o", str(out), "--no-guard"])
    err = capsys.readouterr().err
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert all(f"outlet-{i:03d}.txt" in text for i in (0, 150, 299))


def test_reader_with_three_hundred_sources_moves_and_slides(tmp_path):
    sources, alignment = synthetic(300, 3)

    async def body(app, pilot):
        reader = app.reader
        assert len(reader.alignment.rows) == len(alignment.rows)
        await pilot.press("G")
        assert reader.view.cursor == len(alignment.rows) - 1
        for _ in range(5):
            await pilot.press("l")
        assert reader.view.focus_source == 5
        await pilot.press("i")  # the sources panel lists all 300 without falling over
        await pilot.pause()
        assert app.is_running

    run(ParallaxApp(sources, aligner=pivot_aligner(alignment), differ=word_diff), body)


def test_reader_with_twenty_thousand_sentences_stays_usable(tmp_path):
    sources, alignment = synthetic(4, 5_000)
    assert sum(len(s.sentences) for s in sources) >= 20_000

    async def body(app, pilot):
        reader = app.reader
        await pilot.press("G", "g", "n", "f", "f")
        await pilot.pause()
        assert reader.state.filter_name != "all"

    run(ParallaxApp(sources, aligner=pivot_aligner(alignment), differ=word_diff), body)


# ---------------------------------------------------------------- a long alignment


def test_long_alignment_shows_progress_stays_live_and_q_quits_at_once():
    """While the aligner works the header counts seconds, keys still work, and ``q`` leaves at once.

    The fake aligner blocks until the test releases it, i.e. far longer than
    the test: before the fix, leaving the app waited for the aligner's thread.
    """
    sources, alignment = story()
    release = threading.Event()

    def slow(sources_, settings):
        release.wait(30)
        return alignment

    seen: dict = {}

    async def main_() -> None:
        app = ParallaxApp(sources, aligner=slow, differ=word_diff)
        async with app.run_test() as pilot:
            reader = app.reader
            # the header counts whole seconds; on a loaded machine the first tick can come late,
            # so wait for it (up to 10 s) rather than for a fixed 1.2 s
            for _ in range(50):
                await pilot.pause(0.2)
                seen["status"] = reader.status_line()
                if "s (q quits)" in seen["status"]:
                    break
            await pilot.press("question_mark")  # help opens over the waiting reader…
            await pilot.pause()
            await pilot.press("escape", "j", "f", "slash", "escape")  # …and the keys do no harm
            await pilot.pause()
            assert app.is_running and reader.alignment is None
            seen["q"] = time.monotonic()
            await pilot.press("q")
            await pilot.pause()
            seen["running"] = app.is_running

    try:
        asyncio.run(main_())
        seen["done"] = time.monotonic()
    finally:
        release.set()
    total = sum(len(s.sentences) for s in sources)
    assert f"aligning {total} sentences from 4 sources" in seen["status"] and "s (q quits)" in seen["status"]
    assert seen["running"] is False
    # the fake aligner blocks for 30 s: quitting must not wait for it
    assert seen["done"] - seen["q"] < 10


def test_a_newer_alignment_wins_over_a_slower_older_one():
    """Pressing ``p`` while a slow alignment runs: the stale result must never replace the fresh one."""
    sources, alignment = story()
    first = threading.Event()
    calls = []
    reorder = pivot_aligner(alignment)

    def aligner(sources_, settings):
        calls.append(settings.pivot)
        if len(calls) == 2:  # the first re-alignment is slow…
            first.wait(5)
        return reorder(sources_, settings)

    async def main_() -> None:
        app = ParallaxApp(sources, aligner=aligner, differ=word_diff)
        async with app.run_test() as pilot:
            await loaded(app, pilot)
            reader = app.reader
            await pilot.press("l", "p")  # pivot 1: slow
            await pilot.pause(0.1)
            await pilot.press("l", "p")  # pivot 2: fast
            for _ in range(100):
                if reader.alignment.pivot == 2:
                    break
                await pilot.pause(0.02)
            first.set()  # the stale pivot-1 result arrives now
            await pilot.pause(0.3)
            assert reader.alignment.pivot == 2

    try:
        asyncio.run(main_())
    finally:
        first.set()
