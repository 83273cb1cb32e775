"""Changing the pivot reorders the rows on hand: the result must be the full run's, exactly.

The reader's ``p`` no longer aligns again (seconds on a big corpus): it calls
:func:`tui.core.align.with_pivot` on the rows it has. That is only right if
the pivot never changes which sentences share a row or their scores, so these
tests compare the reorder with a full ``align`` at that pivot, row for row,
on the seeds, the gold stories and random corpora.
"""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rowsets import random_alignment
from strategies import corpus_texts, profile
from test_properties import check_alignment, sources_from
from tui.core.align import align, with_pivot
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings, Alignment

GOLD = Path(__file__).parent / "gold"


def test_every_pivot_of_the_seeds_equals_a_full_run(seeds_sources, seeds_alignment):
    for pivot in range(len(seeds_sources)):
        full = align(list(seeds_sources), AlignSettings(pivot=pivot))
        assert with_pivot(seeds_alignment, pivot) == full, f"pivot {pivot}"


@pytest.mark.parametrize("story", ["harbour-fire", "mayor-recount"])
def test_every_pivot_of_a_gold_story_equals_a_full_run(story):
    sources = load_sources([GOLD / story / "articles"])
    base = align(sources, AlignSettings())
    for pivot in range(1, len(sources)):
        assert with_pivot(base, pivot) == align(sources, AlignSettings(pivot=pivot)), f"pivot {pivot}"


def test_from_any_pivot_to_any_other(seeds_sources):
    """Reordering does not depend on the order the rows come in: from pivot 3 to 1 is the run at 1."""
    at_three = align(list(seeds_sources), AlignSettings(pivot=3))
    assert with_pivot(at_three, 1) == align(list(seeds_sources), AlignSettings(pivot=1))
    assert with_pivot(at_three, 3) == at_three


def test_the_settings_follow_the_pivot_and_keep_the_rest(seeds_alignment):
    base = replace(seeds_alignment, settings=AlignSettings(threshold=0.35, pivot=0, min_share=0.7))
    moved = with_pivot(base, 2)
    assert moved.settings == AlignSettings(threshold=0.35, pivot=2, min_share=0.7)
    assert moved.sources is base.sources


def test_a_pivot_out_of_range_orders_by_the_first_source_as_align_does(seeds_sources, seeds_alignment):
    moved = with_pivot(seeds_alignment, 9)
    assert moved == align(list(seeds_sources), AlignSettings(pivot=9))
    assert moved.rows == seeds_alignment.rows


def test_an_empty_alignment_stays_empty():
    empty = Alignment(sources=(), rows=(), settings=AlignSettings())
    assert with_pivot(empty, 1) == Alignment(sources=(), rows=(), settings=AlignSettings(pivot=1))


@profile(0.3)
@given(corpus_texts(min_sources=2, max_sources=5), st.data())
def test_reordering_equals_a_full_run_on_any_corpus(texts, data):
    """Any corpus, threshold and pair of pivots: reordering gives the full run's alignment."""
    sources = sources_from(texts)
    threshold = data.draw(st.sampled_from([0.0, 0.35, 1.0]) | st.floats(0.0, 1.0), label="threshold")
    start = data.draw(st.integers(0, len(sources) - 1), label="start")
    pivot = data.draw(st.integers(0, len(sources) - 1), label="pivot")
    base = align(sources, AlignSettings(threshold=threshold, pivot=start))
    moved = with_pivot(base, pivot)
    assert moved == align(sources, AlignSettings(threshold=threshold, pivot=pivot))
    check_alignment(moved, sources)


@profile(0.5)
@given(st.randoms(use_true_random=False), st.data())
def test_reordering_any_valid_row_set_keeps_its_rows_and_ignores_their_order(rng, data):
    """Multi-sentence cells, summary lines, one-source rows: the same rows come out, in one order.

    The order out depends only on the rows and the pivot, never on the order
    they came in, so reordering twice is reordering once.
    """
    al = random_alignment(rng)
    pivot = data.draw(st.integers(0, len(al.sources) - 1), label="pivot")
    moved = with_pivot(al, pivot)
    assert sorted(moved.rows, key=repr) == sorted(al.rows, key=repr)
    shuffled = list(al.rows)
    random.Random(rng.random()).shuffle(shuffled)
    assert with_pivot(replace(al, rows=tuple(shuffled)), pivot) == moved
    other = data.draw(st.integers(0, len(al.sources) - 1), label="other")
    assert with_pivot(with_pivot(al, other), pivot) == moved


def test_the_readers_p_reorders_without_aligning_again(seeds_sources, seeds_alignment):
    """``p`` in the reader: the rows of a full run at that pivot, the aligner not called again."""
    from appkit import run

    from tui.app.app import ParallaxApp

    calls: list[AlignSettings] = []

    def aligner(sources, settings):
        calls.append(settings)
        return align(sources, settings)

    async def body(app, pilot):
        reader = app.reader
        await pilot.press("l", "l")
        await pilot.press("p")
        await pilot.pause()
        assert reader.alignment.pivot == 2
        assert reader.state.base == align(list(seeds_sources), AlignSettings(pivot=2))
        assert reader.alignment.rows == reader.state.base.rows
        assert calls == [AlignSettings()]

    run(ParallaxApp(seeds_sources, aligner=aligner), body)
