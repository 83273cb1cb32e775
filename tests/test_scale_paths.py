"""The scorer and row passes made cheaper at scale give the answers of the code they replaced.

Each reference below is the plain version that was in the product before
(kept here): the quoted-trigram tables built over every trigram, the bigram
tables built with the index, the feature matrix with every column computed,
the vocabulary numbered in a loop, every word looking through its alternates,
the pair keys written out, the partner lists filled pair by pair.
They are compared on real corpora, the seeds and the gold stories (never the
blind ones), where sentences quote each other and share phrasing.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core import align as A
from tui.core.evidence import cross_keys, pair_keys
from tui.core.pipeline import load
from tui.core.rowpasses import _partner_lists
from tui.core.similarity import FEATURE_NAMES, Index, _csr, _ragged, idf_weights, logistic
from tui.core.text import join_compounds

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "seeds", ROOT / "tests" / "gold" / "mayor-recount" / "articles",
           ROOT / "tests" / "gold" / "harbour-fire" / "articles",
           ROOT / "tests" / "gold" / "heldout" / "lab-breach" / "articles"]


def _index(folder: Path) -> Index:
    sources = load([folder], warn=lambda _message: None)
    texts = [s.text for src in sources for s in src.sentences]
    return Index(join_compounds([A._features(t) for t in texts]))


@pytest.fixture(scope="module", params=CORPORA, ids=lambda p: p.parent.name if p.name == "articles" else p.name)
def index(request) -> Index:
    return _index(request.param)


def _all_pairs(index: Index) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.triu_indices(index.n, 1)
    return a.astype(np.int64), b.astype(np.int64)


def _quoted_hits_over_all_trigrams(index: Index, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The quoted hits as computed before: ids for every trigram of every sentence."""
    tri_id: dict[str, int] = {}
    all_tri = [sorted({tri_id.setdefault(g, len(tri_id)) for g in f.trigrams}) for f in index.feats]
    quoted = [sorted(tri_id[g] for g in f.quoted) for f in index.feats]
    width = max(len(tri_id), 1)
    ptr, flat = _csr(all_tri)
    rows = np.repeat(np.arange(index.n), np.diff(ptr))
    keys = set((rows * width + flat).tolist())
    idf = idf_weights(np.bincount(flat, minlength=width).astype(np.float64), index.n) ** 2
    out = np.zeros(len(a))
    for k, (x, y) in enumerate(zip(a.tolist(), b.tolist())):
        total = 0.0  # summed in the order of x's quoted trigrams, as np.bincount adds them
        for t in quoted[x]:
            total += float(y * width + t in keys) * float(idf[t])
        out[k] = total
    return out


def test_the_quoted_trigram_hits_are_those_over_every_trigram(index):
    a, b = _all_pairs(index)
    quoting = np.flatnonzero(index.n_quoted[a] > 0)
    assert len(quoting), "the corpus must quote someone for this test to mean anything"
    a, b = a[quoting], b[quoting]
    got = np.maximum(index._quoted_hits(a, b), index._quoted_hits(b, a))
    want = np.maximum(_quoted_hits_over_all_trigrams(index, a, b), _quoted_hits_over_all_trigrams(index, b, a))
    assert np.array_equal(got, want)
    assert (got > 0).any()


def test_a_corpus_without_quotes_has_no_trigram_ids():
    index = Index(join_compounds([A._features(t) for t in
                                  ["The ferry ran aground off the coast.", "A ferry hit rocks near the coast."]]))
    assert index._ntri == 1 and not len(index._tri_keys)
    assert index.quote_features(np.array([0]), np.array([1])).tolist() == [[0.0, 0.0]]


def _shared_bigrams_built_with_the_index(index: Index, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    bigram_id: dict[tuple[int, int], int] = {}
    sets = []
    for f in index.feats:
        seq = [index.vocab[t] for t in f.stems if t[:1] not in "=~"]
        sets.append({bigram_id.setdefault((x, y), len(bigram_id)) for x, y in zip(seq, seq[1:]) if x != y})
    shared = np.asarray([len(sets[x] & sets[y]) for x, y in zip(a.tolist(), b.tolist())], dtype=np.float64)
    nb = np.maximum(np.minimum([len(sets[x]) for x in a.tolist()], [len(sets[y]) for y in b.tolist()]), 1.0)
    return np.minimum(shared / nb, 1.0)


def test_bigrams_read_on_first_use_are_those_built_with_the_index(index):
    a, b = _all_pairs(index)
    soft = index.soft_features(a, b)
    assert np.array_equal(soft[:, 3], _shared_bigrams_built_with_the_index(index, a, b))
    assert (soft[:, 3] > 0).any()
    without = index.soft_features(a, b, bigrams=False)
    assert np.array_equal(np.delete(without, 3, axis=1), np.delete(soft, 3, axis=1))
    assert not without[:, 3].any()


def test_the_probability_is_the_full_feature_matrix_scored(index):
    # the bigram share (and the string score) are left out only while their weight is zero
    assert index.coef[FEATURE_NAMES.index("bigram")] == 0.0
    a, b = _all_pairs(index)
    st = index.pair_stats(a, b)
    full = index.feature_matrix(st, all_features=True)
    assert np.array_equal(index.probability(st), logistic(full, index.coef, index.bias))
    lean = index.feature_matrix(st)
    kept = [j for j, name in enumerate(FEATURE_NAMES) if name not in ("bigram", "fuzzy")]
    assert np.array_equal(lean[:, kept], full[:, kept])


# ------------------------------------------------------------------ step 2: the index's vocabulary,
# the soft match's alternates, the pair keys and the refine pass's partner lists


def _vocabulary_by_loop(index: Index) -> tuple[dict[str, int], list[int], list[int], list[bool]]:
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    names: list[bool] = []
    for i, f in enumerate(index.feats):
        for s in sorted(set(f.stems)):
            cols.append(vocab.setdefault(s, len(vocab)))
            rows.append(i)
            names.append(s in f.names)
    return vocab, rows, cols, names


def test_the_vocabulary_is_numbered_as_the_loop_numbered_it(index):
    vocab, rows, cols, names = _vocabulary_by_loop(index)
    assert list(index.vocab.items()) == list(vocab.items())
    assert index._all_r.tolist() == rows and index._all_c.tolist() == cols and index._all_nf.tolist() == names
    assert index._all_r.dtype == np.int64 and index._all_c.dtype == np.int64


def _matched_through_every_alternate(index: Index, a: np.ndarray, b: np.ndarray):
    """Index._matched as it was: every content word looks through all its alternates."""
    cnt = index._ct_ptr[a + 1] - index._ct_ptr[a]
    ent = _ragged(index._ct_ptr[a], cnt)
    pi = np.repeat(np.arange(len(a)), cnt)
    tok = index._ct_tok[ent]
    other = b[pi]
    m = index._has(index._keys, other, tok, index.v).astype(np.float64)
    acnt = index._alt_ptr[tok + 1] - index._alt_ptr[tok]
    if acnt.any():
        aent = _ragged(index._alt_ptr[tok], acnt)
        ei = np.repeat(np.arange(len(tok)), acnt)
        hit = index._has(index._keys, other[ei], index._alt_tok[aent], index.v) * index._alt_w[aent]
        np.maximum.at(m, ei, hit)
    w = index.idf[tok] * m
    return (np.bincount(pi, weights=w, minlength=len(a)),
            np.bincount(pi, weights=w * index._ct_rare[ent], minlength=len(a)),
            np.bincount(pi, weights=w * ~index.story[tok], minlength=len(a)))


def test_words_matched_as_themselves_skip_their_alternates_and_nothing_changes(index):
    a, b = _all_pairs(index)
    assert len(index._alt_w) and index._alt_top == index._alt_w.max()
    for x, y in ((a, b), (b, a)):
        got, want = index._matched(x, y), _matched_through_every_alternate(index, x, y)
        assert all(np.array_equal(g, w) for g, w in zip(got, want))


def test_an_alternate_heavier_than_an_identical_word_is_still_looked_through(index):
    # the skip is only for alternates that weigh no more than the word itself (1.0)
    a, b = _all_pairs(index)
    heavy = copy.copy(index)
    heavy._alt_w = index._alt_w * 2.0
    heavy._alt_top = float(heavy._alt_w.max())
    got, want = heavy._matched(a, b), _matched_through_every_alternate(heavy, a, b)
    assert all(np.array_equal(g, w) for g, w in zip(got, want))


@given(st.integers(0, 40), st.lists(st.integers(0, 40), max_size=30), st.lists(st.integers(0, 40), max_size=5))
def test_pair_keys_are_the_low_high_keys(u, others, xs):
    w = 41
    assert pair_keys(u, others, w) == [min(u, v) * w + max(u, v) for v in others]
    assert cross_keys(xs, others, w) == [min(x, v) * w + max(x, v) for x in xs for v in others]


def test_the_refine_pass_sees_each_sentence_s_candidate_partners(index):
    a, b = _all_pairs(index)
    keep = np.random.default_rng(3).random(len(a)) < 0.1
    a, b = a[keep], b[keep]
    by_loop: list[set[int]] = [set() for _ in range(index.n)]
    for x, y in zip(a.tolist(), b.tolist()):
        by_loop[x].add(y)
        by_loop[y].add(x)
    got = _partner_lists(index.n, a, b)
    assert [sorted(p) for p in got] == [sorted(p) for p in by_loop]
    assert sum(map(len, got)) == 2 * len(a)


@given(st.integers(1, 6), st.integers(1, 6), st.data(), st.sampled_from([0.3, 0.45, 0.6]),
       st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 1.5]))
def test_the_support_test_of_one_line_answers_as_the_matrix_test(rows, cols, data, threshold, share):
    # a sentence against a row (rows == 1) or a row against a sentence (cols == 1) skips the
    # per-member lines; any share, including the edges 0 and 1 and one no line reaches
    from dataclasses import replace

    from tui.core.evidence import _supported, _supported_flat
    from tui.core.params import DEFAULT_PARAMS

    params = replace(DEFAULT_PARAMS, join_share=share)
    vals = data.draw(st.lists(st.sampled_from([0.0, 0.05, 0.2, 0.3, 0.45, 0.5, 0.7, 0.95, 1.0]),
                              min_size=rows * cols, max_size=rows * cols))
    matrix = np.asarray(vals).reshape(rows, cols)
    assert _supported_flat(vals, rows, cols, threshold, params) == _supported(matrix, threshold, params)


@pytest.mark.parametrize("collector_on", [True, False])
def test_align_pauses_the_cycle_collector_and_leaves_it_as_it_found_it(monkeypatch, collector_on):
    import gc

    seen: list[bool] = []
    inner = A._align

    def recording(*args):
        seen.append(gc.isenabled())
        return inner(*args)

    monkeypatch.setattr(A, "_align", recording)
    sources = load([ROOT / "seeds"], warn=lambda _message: None)
    was_on = gc.isenabled()
    try:
        gc.enable() if collector_on else gc.disable()
        rows = A.align(sources).rows
        assert gc.isenabled() is collector_on
        with pytest.raises(ZeroDivisionError):  # resumed on the way out of an error too
            monkeypatch.setattr(A, "_align", lambda *args: 1 / 0)
            A.align(sources)
        assert gc.isenabled() is collector_on
    finally:
        gc.enable() if was_on else gc.disable()
    assert seen == [False] and len(rows) > 0
