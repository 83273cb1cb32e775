"""Two rows one outlet's adjacent sentences split become one (tui/core/rowmerge.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tui.core.align import align
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings
from tui.core.params import DEFAULT_PARAMS
from tui.core.rowmerge import _split_merge

ROOT = Path(__file__).resolve().parents[1]
SKERROW = ROOT / "tests" / "gold" / "heldout" / "skerrow-cable" / "articles"
T = 0.35


class _Fixed:
    """A stand-in for evidence._Scores: fixed probabilities, 0 for any other pair."""

    def __init__(self, n: int, probs: dict[tuple[int, int], float]) -> None:
        self.width = n
        self.tier = None
        self._p = {min(u, v) * n + max(u, v): p for (u, v), p in probs.items()}

    def many(self, keys: list[int]) -> list[float]:
        return [self._p.get(k, 0.0) for k in keys]


def _run(src: list[int], groups: list[list[int]], probs: dict[tuple[int, int], float],
         strict: list[bool] | None = None, **params: float) -> list[list[int]]:
    n = len(src)
    edges = sorted((min(u, v), max(u, v), p) for (u, v), p in probs.items())
    a = np.asarray([u for u, _, _ in edges], dtype=np.int64)
    b = np.asarray([v for _, v, _ in edges], dtype=np.int64)
    p = np.asarray([q for _, _, q in edges])
    st = np.asarray(strict or [False] * n, dtype=bool)
    out = _split_merge(groups, np.asarray(src, dtype=np.int64), a, b, p, _Fixed(n, probs), T, st,
                       replace(DEFAULT_PARAMS, **params))
    return sorted(sorted(g) for g in out)


# sentences: 0 = outlet A's full quote; 1, 2 = outlet B's two halves (adjacent);
# 3 = outlet C's full quote, the verbatim twin of 0
SRC = [0, 1, 1, 2]
ROWS = [[0, 1], [2, 3]]
STRONG = {(0, 3): 0.99, (0, 1): 0.8, (2, 3): 0.85, (0, 2): 0.7, (1, 3): 0.6}


def test_rows_split_by_one_outlets_adjacent_sentences_merge():
    assert _run(SRC, ROWS, STRONG) == [[0, 1, 2, 3]]


def test_no_merge_when_the_shared_outlets_sentences_are_not_adjacent():
    # outlet B's halves are sentences 1 and 3 of its article: something lies between them
    src = [0, 1, 1, 1, 2]
    rows = [[0, 1], [2], [3, 4]]
    probs = {(0, 4): 0.99, (0, 1): 0.8, (3, 4): 0.85, (0, 3): 0.7, (1, 4): 0.6}
    assert _run(src, rows, probs) == [[0, 1], [2], [3, 4]]


def test_no_merge_beyond_split_merge_max():
    src = [0, 1, 1, 1, 2]
    rows = [[0, 1, 2], [3, 4]]  # outlet B would hold three sentences
    probs = {(0, 4): 0.99, (0, 1): 0.8, (0, 2): 0.8, (3, 4): 0.85, (0, 3): 0.7, (1, 4): 0.6, (2, 4): 0.6}
    assert _run(src, rows, probs) == [[0, 1, 2], [3, 4]]
    assert _run(src, rows, probs, split_merge_max=3) == [[0, 1, 2, 3, 4]]


def test_no_merge_without_a_strong_link():
    probs = {**STRONG, (0, 3): 0.65, (0, 2): 0.65}  # every link across under split_merge_min x threshold
    assert _run(SRC, ROWS, probs) == [[0, 1], [2, 3]]


def test_a_member_linked_to_nothing_on_the_other_side_vetoes():
    # outlet D's sentence 4 sits with A and B's first half but shares nothing with the second row
    src = [0, 1, 1, 2, 3]
    rows = [[0, 1, 4], [2, 3]]
    probs = {**STRONG, (0, 4): 0.8, (1, 4): 0.8}
    assert _run(src, rows, probs) == [[0, 1, 4], [2, 3]]


def test_no_merge_of_rows_with_no_outlet_in_common():
    # two rows of different outlets are the greedy merge's business, not this pass's
    src = [0, 1, 2, 3]
    rows = [[0, 1], [2, 3]]
    probs = {(0, 2): 0.99, (1, 3): 0.9, (0, 3): 0.9, (1, 2): 0.9}
    assert _run(src, rows, probs) == [[0, 1], [2, 3]]


def test_strict_sentences_do_not_start_a_merge():
    assert _run(SRC, ROWS, {(0, 3): 0.99}, strict=[True, False, False, True]) == [[0, 1], [2, 3]]


def _row_with(alignment, source: int, index: int) -> int:
    return next(r for r, row in enumerate(alignment.rows) if index in row.cells[source])


@pytest.mark.skipif(not SKERROW.is_dir(), reason="the held-out story is not in this checkout")
def test_a_quote_told_whole_by_two_outlets_shares_their_row_on_a_real_story():
    """skerrow-cable: the wire and the trade paper give the operator's quote word for word; the
    national paper splits it over two sentences, each of which drew one of them."""
    sources = load_sources(sorted(p for p in SKERROW.iterdir() if p.is_file()))
    wire, twin = (0, 5), (4, 13)
    assert "highest priority" in sources[wire[0]].sentences[wire[1]].text
    assert sources[twin[0]].sentences[twin[1]].text.startswith(sources[wire[0]].sentences[wire[1]].text[:60])
    on = align(sources, AlignSettings())
    assert _row_with(on, *wire) == _row_with(on, *twin)
    row = on.rows[_row_with(on, *wire)]
    assert row.cells[1] == (5, 6)  # both halves of the split quote, in one cell
    off = align(sources, AlignSettings(), replace(DEFAULT_PARAMS, split_merge=False))
    assert _row_with(off, *wire) != _row_with(off, *twin)  # what the pass is for


# -- a headline joins its own article's lede at a lower bar (rowpasses._summary_join) --

_HEADLINE = "Storm cuts power to Marlow valley"
_LEDE_A = ("Thousands of homes in the Marlow valley lost electricity on Sunday night after high winds "
           "brought down lines.")
_OTHER = [
    ("Engineers from Westgrid worked through the night to restore supplies.",
     "Westgrid said its engineers had worked through the night."),
    ("The council opened two rest centres for elderly residents.",
     "Schools in the area will open as normal on Monday."),
]
_B = ["Marlow valley dark after gale",
      "Thousands of households in the Marlow valley were left without power on Sunday night when a gale "
      "brought down lines."]


def _two(tmp_path: Path, first_body_a: list[str]):
    a = [_HEADLINE, *first_body_a, *(x for x, _ in _OTHER)]
    b = [*_B, *(y for _, y in _OTHER)]
    (tmp_path / "a.txt").write_text("\n\n".join(a) + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n\n".join(b) + "\n", encoding="utf-8")
    return load_sources([tmp_path / "a.txt", tmp_path / "b.txt"])


def _row_of_text(alignment, source: int, text: str) -> int:
    sents = alignment.sources[source].sentences
    index = next(s.index for s in sents if s.text == text)
    return _row_with(alignment, source, index)


def test_a_headline_joins_the_row_of_its_own_lede(tmp_path):
    sources = _two(tmp_path, [_LEDE_A])
    on = align(sources)
    assert _row_of_text(on, 0, _HEADLINE) == _row_of_text(on, 0, _LEDE_A) == _row_of_text(on, 1, _B[1])
    # the pair is weak on words alone (B's lede against A's headline): at the plain bar it stays apart
    off = align(sources, AlignSettings(), replace(DEFAULT_PARAMS, summary_lede_min=DEFAULT_PARAMS.summary_min))
    assert _row_of_text(off, 0, _HEADLINE) != _row_of_text(off, 1, _B[1])


def test_the_lower_bar_is_only_for_the_row_of_the_headlines_own_lede(tmp_path):
    # A opens with something else: the matching sentence is not A's lede any more
    sources = _two(tmp_path, ["Forecasters had warned of the storm for three days.", _LEDE_A])
    got = align(sources)
    assert _row_of_text(got, 0, _LEDE_A) == _row_of_text(got, 1, _B[1])
    assert _row_of_text(got, 0, _HEADLINE) != _row_of_text(got, 0, _LEDE_A)
