"""The omission model: what counts as widely reported, left out and unique (tui.core.omissions)."""

from __future__ import annotations

import pytest

from tui.core.model import KIND_HEADLINE, AlignSettings, Alignment, Row, Sentence, Source
from tui.core.omissions import (
    UNCERTAIN_BELOW,
    example,
    is_uncertain,
    needed_sources,
    omissions,
)


def corpus(pattern: list[str], *, share: float = 0.5, kinds: dict[tuple[int, int], str] | None = None,
           scores: list[float] | None = None, cell=lambda i: i) -> Alignment:
    """Rows from a pattern: row ``r`` is the string ``pattern[r]``, one character per source ('x' = has it).

    Source ``s``'s sentences are numbered in row order, so every sentence is in exactly one row.
    ``cell`` builds a cell from a sentence index (to try other cell shapes).
    """
    n = len(pattern[0])
    counts = [0] * n
    cells_of: list[list[int | None]] = []
    texts: list[list[str]] = [[] for _ in range(n)]
    for r, line in enumerate(pattern):
        cells: list[int | None] = []
        for s, ch in enumerate(line):
            if ch == "x":
                cells.append(counts[s])
                texts[s].append(f"Source {s} says thing {r}" + "." * (s + 1))
                counts[s] += 1
            else:
                cells.append(None)
        cells_of.append(cells)
    kinds = kinds or {}
    sources = []
    for s in range(n):
        text, sentences = "", []
        for i, t in enumerate(texts[s]):
            sentences.append(Sentence(s, i, t, len(text), len(text) + len(t), kinds.get((s, i), "body")))
            text += t + " "
        sources.append(Source(s, f"{s:02d}.txt", f"S{s}", text, tuple(sentences)))
    rows = tuple(
        Row(tuple(None if c is None else cell(c) for c in cells), score=(scores[r] if scores else 0.9))
        for r, cells in enumerate(cells_of)
    )
    return Alignment(tuple(sources), rows, AlignSettings(min_share=share))


def test_needed_sources_rounds_up_and_never_below_two():
    assert needed_sources(5, 0.5) == 3  # at least half of five is three
    assert needed_sources(4, 0.5) == 2
    assert needed_sources(2, 0.5) == 2
    assert needed_sources(3, 0.0) == 2  # a row one source has is never widely reported
    assert needed_sources(5, 0.6) == 3  # 0.6 * 5 is 3.0000000000000004 in floating point
    assert needed_sources(10, 1.0) == 10
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError):
            needed_sources(5, bad)


def test_widely_reported_left_out_and_unique():
    al = corpus([
        "xxxxx",  # 0: all
        "xxx..",  # 1: widely reported, 3 and 4 leave it out
        "xx...",  # 2: two of five: not widely reported, nobody's omission
        "..x..",  # 3: unique to 2
        ".xxxx",  # 4: widely reported, 0 leaves it out
        "....x",  # 5: unique to 4
    ])
    model = omissions(al)
    assert model.needed == 3
    assert model.widely_reported == (0, 1, 4)
    assert model.omitted == (1, 4)
    assert [r.left_out_by for r in model.rows] == [(), (3, 4), (), (), (0,), ()]
    assert model.rows[1].reporters == (0, 1, 2)
    assert [r.unique for r in model.rows] == [False, False, False, True, False, True]
    assert model.leaves_out(3, 1) and not model.leaves_out(3, 2) and not model.leaves_out(0, 1)
    assert model.only_in(2, 3) and not model.only_in(1, 3)
    by = {a.source: a for a in model.sources}
    assert [by[s].left_out for s in range(5)] == [(4,), (), (), (1,), (1,)]
    assert [by[s].unique for s in range(5)] == [(), (), (3,), (), (5,)]
    assert {a.widely_reported for a in model.sources} == {3}
    assert (by[4].leaves_out, by[4].reports_unique) == (1, 1)


def test_the_share_comes_from_the_settings_or_the_caller():
    pattern = ["xxxx", "xx..", "xxx."]
    assert omissions(corpus(pattern, share=0.5)).widely_reported == (0, 1, 2)
    assert omissions(corpus(pattern, share=0.75)).widely_reported == (0, 2)
    assert omissions(corpus(pattern, share=0.5), min_share=1.0).widely_reported == (0,)
    assert omissions(corpus(pattern), min_share=1.0).min_share == 1.0
    with pytest.raises(ValueError):
        omissions(corpus(pattern), min_share=2.0)


def test_two_sources_leave_nothing_out():
    """With two outlets a row the other lacks is unique to one of them: nobody's omission."""
    model = omissions(corpus(["xx", "x.", ".x"]))
    assert model.omitted == ()
    assert [a.unique for a in model.sources] == [(1,), (2,)]


def test_rows_of_headlines_only_are_not_omissions():
    al = corpus(["xxx.", "xxx.", "x..."], kinds={(0, 0): KIND_HEADLINE, (1, 0): KIND_HEADLINE, (2, 0): KIND_HEADLINE})
    model = omissions(al)
    assert model.rows[0].summary and not model.rows[0].widely_reported
    assert model.rows[0].left_out_by == ()
    assert model.widely_reported == (1,)
    assert model.sources[3].left_out == (1,)
    assert model.sources[0].widely_reported == 1


def test_the_model_does_not_care_what_shape_a_cell_has():
    """A cell may become a tuple of sentence indices (split statements); the answers must not change."""
    pattern = ["xxxx", "xxx.", "x...", ".xx."]
    plain = omissions(corpus(pattern))
    tupled = omissions(corpus(pattern, cell=lambda i: (i,)))
    assert plain == tupled


def test_uncertain_rows():
    al = corpus(["xxx", "xx.", "x.."], scores=[0.95, UNCERTAIN_BELOW - 0.01, 0.1])
    model = omissions(al)
    assert [r.uncertain for r in model.rows] == [False, True, False]  # a lone sentence is never uncertain
    assert is_uncertain(Row((0, 0), score=0.3)) and not is_uncertain(Row((0, 0), score=UNCERTAIN_BELOW))


def test_example_prefers_the_given_source_else_the_fullest_telling():
    al = corpus(["xxx", ".xx"])
    assert example(al, 1, prefer=(1,)) == (1, al.cell_text(1, 1))
    assert example(al, 1, prefer=(0,)) == (2, al.cell_text(1, 2))  # 0 lacks it; 2's text is longest
    assert example(al, 0) == (2, al.cell_text(0, 2))


def test_seeds_leave_out_few_rows(seeds_alignment):
    """On the seeds most rows lack some source; only a few are anyone's omission."""
    model = omissions(seeds_alignment)
    rows = len(seeds_alignment.rows)
    partial = sum(1 for r in seeds_alignment.rows if r.count < len(seeds_alignment.sources))
    assert partial > rows * 0.8
    assert 0 < len(model.omitted) < rows / 4
    for r in model.rows:
        assert r.widely_reported == (len(r.reporters) >= 3 and not r.summary)
        assert set(r.reporters).isdisjoint(r.left_out_by)
