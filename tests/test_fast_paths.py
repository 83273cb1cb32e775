"""The aligner's faster paths give their plain versions' answers, bit for bit.

Each is checked against the straightforward code it replaced (kept here as
the reference): key-set lookups by bitmap against ``np.searchsorted``, the
heavy tokens' share of the pair sums added entry by entry against the loop
over the bits, a sentence's best and runner-up partner without a sort, and
the merge's support test counted in plain Python against the matrix test, and
the merge with its look-ahead and chunked pass against the plain greedy loop.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import PROFILE
from tui.core import align as A
from tui.core.evidence import _best_two, _supported, _supported_flat
from tui.core.keysets import KeySet
from tui.core.similarity import Index, logistic
from tui.core.text import join_compounds

ROOT = Path(__file__).resolve().parent.parent


def _searched(keys: np.ndarray, k: np.ndarray) -> np.ndarray:
    if not len(keys):
        return np.zeros(len(k), dtype=bool)
    pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
    return keys[pos] == k


@PROFILE
@given(st.sets(st.integers(0, 5000), max_size=300), st.lists(st.integers(0, 5000), max_size=300),
       st.booleans())
def test_a_key_set_answers_as_the_sorted_search_does(members, queries, small):
    keys = np.asarray(sorted(members), dtype=np.int64)
    k = np.asarray(queries, dtype=np.int64)
    # a key space small enough for a bitmap, or one too big (the sorted search itself)
    found = KeySet(keys, 5001 if small else 1 << 40)
    assert (found.bits is not None) == (small and len(keys) > 0)
    assert np.array_equal(found.has(k), _searched(keys, k))
    hit, pos = found.find(k)
    assert np.array_equal(hit, _searched(keys, k))
    assert np.array_equal(keys[pos], k[hit])


def _heavy_by_loop(index: Index, a: np.ndarray, b: np.ndarray, sums: list[np.ndarray]) -> None:
    both = index.mask[a] & index.mask[b]
    both_names = index.name_mask[a] & index.name_mask[b]
    dot, shared, names, nums, count = sums
    for j, t in enumerate(index.heavy):
        bit = np.uint64(1) << np.uint64(j)
        hit = (both & bit) != 0
        w = index.idf[t]
        dot += hit * (w * w)
        shared += hit * w
        names += ((both_names & bit) != 0) * w
        count += hit
        if index.is_number[t]:
            nums += hit


@pytest.fixture(scope="module")
def big_index() -> Index:
    # 1,200 sentences: dozens of tokens in more than 48 of them, the "heavy" ones
    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    from synthetic import story

    sources = story(20, 60)
    flat = [(s, i) for s in range(len(sources)) for i in range(len(sources[s].sentences))]
    return Index(join_compounds([A._features(sources[s].sentences[i].text) for s, i in flat]))


def test_the_heavy_tokens_are_added_as_the_loop_over_their_bits_adds_them(big_index):
    index = big_index
    assert len(index.heavy) > 10
    rng = np.random.default_rng(7)
    a = rng.integers(0, index.n, 50_000)
    b = rng.integers(0, index.n, 50_000)
    base = [rng.random(len(a)) for _ in range(5)]
    fast = [x.copy() for x in base]
    slow = [x.copy() for x in base]
    index.add_heavy(a, b, *fast)
    _heavy_by_loop(index, a, b, slow)
    for x, y in zip(fast, slow):
        assert np.array_equal(x, y)
    assert not np.array_equal(fast[0], base[0])  # the pairs do share heavy tokens


def test_pair_stats_are_the_same_through_the_bitmap(big_index):
    index = big_index
    rng = np.random.default_rng(3)
    a = rng.integers(0, index.n, 20_000)
    b = rng.integers(0, index.n, 20_000)
    found = index.pair_stats(a, b)
    # a few of the pairs summed by hand: a's light tokens in order, those b holds, then the heavy ones
    keys = np.sort(index._r * index.v + index._c)
    for i in range(200):
        x, y = int(a[i]), int(b[i])
        toks = index._c[index._rowptr[x]:index._rowptr[x + 1]]
        dot = shared = count = 0.0
        for w in index.idf[toks[_searched(keys, y * index.v + toks)]].tolist():
            dot += w * w
            shared += w
            count += 1.0
        sums = [np.asarray([v]) for v in (dot, shared, 0.0, 0.0, count)]
        _heavy_by_loop(index, np.asarray([x]), np.asarray([y]), sums)
        assert (found.dot[i], found.shared[i], found.count[i]) == (sums[0][0], sums[1][0], sums[4][0])


def _best_two_sorted(key: np.ndarray, p: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    best = np.zeros(size)
    second = np.zeros(size)
    order = np.lexsort((-p, key))
    k, v = key[order], p[order]
    first = np.ones(len(k), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    best[k[first]] = v[first]
    is_second = np.zeros(len(k), dtype=bool)
    is_second[1:] = ~first[1:] & first[:-1]
    second[k[is_second]] = v[is_second]
    return best, second


@PROFILE
@given(st.lists(st.tuples(st.integers(0, 9), st.sampled_from([0.0, 0.1, 0.35, 0.5, 0.9, 1.0])), max_size=60))
def test_best_and_runner_up_are_those_of_the_sorted_lists(entries):
    # few keys and few values: ties for the best, keys with one entry, keys with none
    key = np.asarray([k for k, _ in entries], dtype=np.int64)
    p = np.asarray([v for _, v in entries], dtype=np.float64)
    for x, y in zip(_best_two(key, p, 10), _best_two_sorted(key, p, 10)):
        assert np.array_equal(x, y)


@PROFILE
@given(st.integers(1, 6), st.integers(1, 6), st.data(), st.sampled_from([0.3, 0.45, 0.6]))
def test_support_counted_in_python_answers_as_the_matrix_test(rows, cols, data, threshold):
    vals = data.draw(st.lists(st.sampled_from([0.0, 0.05, 0.2, 0.3, 0.45, 0.5, 0.7, 0.95, 1.0]),
                              min_size=rows * cols, max_size=rows * cols))
    matrix = np.asarray(vals).reshape(rows, cols)
    assert _supported_flat(vals, rows, cols, threshold) == _supported(matrix, threshold)


def test_support_at_the_bar_is_numpys_mean():
    # a mean in plain Python order may differ from numpy's in its last bits: where the bar lies
    # between the two (or at either), numpy's mean decides, as the matrix test does
    from dataclasses import replace

    params = replace(A.DEFAULT_PARAMS, join_mean=1.0)  # the bar is the threshold itself
    rng = np.random.default_rng(3)
    split = 0
    for _ in range(300):
        rows, cols = int(rng.integers(1, 4)), int(rng.integers(20, 60))
        vals = rng.uniform(0.5, 1.0, rows * cols).tolist()
        ours, numpys = sum(vals) / len(vals), float(np.asarray(vals).reshape(rows, cols).mean())
        split += ours != numpys
        for bar in {ours, numpys, np.nextafter(ours, 0.0), np.nextafter(ours, 1.0),
                    np.nextafter(numpys, 0.0), np.nextafter(numpys, 1.0)}:
            matrix = np.asarray(vals).reshape(rows, cols)
            assert _supported_flat(vals, rows, cols, float(bar), params) == _supported(matrix, float(bar), params)
    assert split  # some means did differ in their last bits


def test_a_pair_scores_the_same_in_any_batch(big_index):
    # _Scores.many scores pairs ahead of need in whatever batch comes up, and keeps them:
    # that changes no result only if a pair's probability does not depend on its batch
    index = big_index
    rng = np.random.default_rng(11)
    a = rng.integers(0, index.n, 6_000)
    b = rng.integers(0, index.n, 6_000)
    whole = index.probability(index.pair_stats(a, b))
    assert 0.0 < whole.min() < 0.5 < whole.max() < 1.0
    lo = 0
    while lo < len(a):
        m = int(rng.integers(1, 300))
        part = index.probability(index.pair_stats(a[lo:lo + m], b[lo:lo + m]))
        assert np.array_equal(part, whole[lo:lo + m])
        lo += m


def test_the_logistic_model_reads_each_row_alone():
    # random feature rows: a matrix product's last bit depends on the rows beside it, this does not
    rng = np.random.default_rng(0)
    x = rng.random((1_001, len(A.DEFAULT_PARAMS.coef)))
    whole = logistic(x)
    for m in range(1, 80):
        assert np.array_equal(logistic(x[:m]), whole[:m])
        assert np.array_equal(logistic(x[m:m + 7]), whole[m:m + 7])


@PROFILE
@given(st.integers(1, 12), st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11)), max_size=40))
def test_each_sentences_partners_are_the_other_ends_of_its_pairs(n, pairs):
    pairs = [(x % n, y % n) for x, y in pairs if x % n != y % n]
    a = np.asarray([x for x, _ in pairs], dtype=np.int64)
    b = np.asarray([y for _, y in pairs], dtype=np.int64)
    want = [set() for _ in range(n)]
    for x, y in pairs:
        want[x].add(y)
        want[y].add(x)
    partners = A._Partners(n, a, b)
    for u in [*range(n), *range(n)]:  # built on first use, then kept
        assert partners[u] == want[u]


def _plain_merge(n, src, a, b, p, scores, threshold, strict, params):
    """The greedy merge as written first: every candidate in turn, no look-ahead, no chunks."""
    ok = p >= threshold
    ok &= ~((strict[a] | strict[b]) & (p < max(threshold, params.short_min_prob)))
    a, b, p = a[ok], b[ok], p[ok]
    cluster_of = list(range(n))
    members = {i: [i] for i in range(n)}
    sources = {i: {int(src[i])} for i in range(n)}
    w = scores.width
    for e in np.lexsort((b, a, -p)).tolist():
        x, y = cluster_of[int(a[e])], cluster_of[int(b[e])]
        if x == y or sources[x] & sources[y]:
            continue
        mx, my = members[x], members[y]
        pairs = [u * w + v if u < v else v * w + u for u in mx for v in my]
        if not _supported(np.asarray(scores.many(pairs)).reshape(len(mx), len(my)), threshold, params):
            continue
        if len(mx) < len(my):
            x, y, mx, my = y, x, my, mx
        mx.extend(my)
        sources[x] |= sources.pop(y)
        for m in members.pop(y):
            cluster_of[m] = x
    return sorted(sorted(m) for m in members.values())


@pytest.mark.parametrize("chunk, edges, checks", [(None, None, None), (7, 30, 50), (1, 0, 0)])
def test_the_merge_with_look_ahead_builds_the_plain_merges_rows(monkeypatch, chunk, edges, checks):
    # the look-ahead (pairs scored early, kept spare) and the chunked same-cluster pass
    # change neither the rows nor the pairs scored on request, which _refine reads
    from dataclasses import replace

    from tui.core.candidates import _candidates
    from tui.core.evidence import _pair_probabilities, _Scores

    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    from synthetic import story

    for name, value in (("_EDGE_CHUNK", chunk), ("_AHEAD_EDGES", edges), ("_AHEAD_CHECKS", checks)):
        if value is not None:
            monkeypatch.setattr(A, name, value)
    params = replace(A.DEFAULT_PARAMS, refine=False, pair_up=False, split_join=False,
                     summary_join=False, leftover=False)
    sources = story(12, 30)
    flat = [(s, i) for s in range(len(sources)) for i in range(len(sources[s].sentences))]
    src = np.asarray([s for s, _ in flat], dtype=np.int64)
    feats = join_compounds([A._features(sources[s].sentences[i].text) for s, i in flat])
    strict = np.asarray([len(f.stems) <= params.short_stems for f in feats], dtype=bool)
    index = Index(feats, params)
    cand = _candidates(index, src, 14, None, params.min_cosine)
    p = _pair_probabilities(index, cand, src, len(sources), params)
    runs = []
    for merge in (_plain_merge, A._cluster):
        scores = _Scores(index)
        scores.add(cand.a, cand.b, p)
        rows = sorted(sorted(g) for g in merge(len(flat), src, cand.a, cand.b, p, scores, 0.45,
                                               strict, params))
        runs.append((rows, scores.cache))
    (plain, plain_cache), (fast, fast_cache) = runs
    assert fast == plain
    assert any(len(g) > 2 for g in plain) and len(plain_cache) > len(cand.a)  # rows grew past the candidates
    assert fast_cache == plain_cache


def _seeds_merged(params, k, threshold):
    """The bundled seeds through the greedy merge alone: what the later passes start from."""
    from tui.core.candidates import _candidates
    from tui.core.evidence import _pair_probabilities, _Scores
    from tui.core.pipeline import load

    sources = load([ROOT / "seeds"], warn=lambda _message: None)
    flat = [(s, i) for s in range(len(sources)) for i in range(len(sources[s].sentences))]
    src = np.asarray([s for s, _ in flat], dtype=np.int64)
    feats = join_compounds([A._features(sources[s].sentences[i].text) for s, i in flat])
    strict = np.asarray([len(f.stems) <= params.short_stems for f in feats], dtype=bool)
    index = Index(feats, params)
    tier = A._tier_array(sources, flat, params)
    cand = _candidates(index, src, k, tier, params.min_cosine)
    p = _pair_probabilities(index, cand, src, len(sources), params)
    scores = _Scores(index, tier)
    scores.add(cand.a, cand.b, p)
    groups = A._cluster(len(flat), src, cand.a, cand.b, p, scores, threshold, strict, params)
    return src, strict, scores, cand, p, groups


def _plain_split_join(groups, src, scores, threshold, strict, params):
    """_split_join as written first: every source of every row lists its row's others."""
    n = len(src)
    row_of = {m: r for r, g in enumerate(groups) for m in g}
    rows = {r: list(g) for r, g in enumerate(groups)}
    src_l = src.tolist()
    level = params.split_min * threshold
    w = scores.width

    def tests(r, s):
        own = [m for m in rows[r] if src_l[m] == s]
        others = [m for m in rows[r] if src_l[m] != s]
        return [(u, others) for u in (min(own) - 1, max(own) + 1)
                if 0 <= u < n and src_l[u] == s and len(rows[row_of[u]]) == 1]

    for r in sorted(rows):
        members = rows.get(r)
        if not members or len({src_l[m] for m in members}) < 2:
            continue
        for s in sorted({src_l[m] for m in members}):
            for u, others in tests(r, s):
                if len(rows[row_of[u]]) != 1:
                    continue
                vals = np.asarray(scores.many([u * w + m if u < m else m * w + u for m in others]))
                need = max(level, params.short_min_prob) if strict[u] else level
                if vals.mean() < need or not _supported(vals[None, :], need / params.join_mean, params):
                    continue
                del rows[row_of[u]]
                rows[r].append(u)
                row_of[u] = r
    return sorted(sorted(m) for m in rows.values())


@pytest.mark.parametrize("threshold", [0.35, 0.45, 0.55])
def test_split_join_takes_the_neighbours_the_plain_pass_takes(threshold):
    # the pass lists a row's other outlets only for a neighbour that could join
    from dataclasses import replace

    from tui.core.rowpasses import _split_join

    params = replace(A.DEFAULT_PARAMS, split_join=False, summary_join=False, leftover=False)
    src, strict, scores, _cand, _p, groups = _seeds_merged(params, 12, threshold)
    plain = _plain_split_join(groups, src, scores, threshold, strict, params)
    assert sorted(sorted(g) for g in _split_join(groups, src, scores, threshold, strict, params)) == plain
    assert len(plain) < len(groups)  # some neighbours joined


def test_a_pair_scores_the_same_whatever_the_chunk(big_index, monkeypatch):
    # soft_features and add_heavy work through the pairs in chunks (similarity._SOFT_CHUNK)
    from tui.core import similarity

    index = big_index
    rng = np.random.default_rng(5)
    a = rng.integers(0, index.n, 3_000)
    b = rng.integers(0, index.n, 3_000)
    whole = index.probability(index.pair_stats(a, b))
    for chunk in (1, 7, 250, 2_999):
        monkeypatch.setattr(similarity, "_SOFT_CHUNK", chunk)
        assert np.array_equal(index.probability(index.pair_stats(a, b)), whole)


def _plain_refine(groups, src, a, b, scores, threshold, rounds=8, params=A.DEFAULT_PARAMS):
    """_refine as written before its floor test: every tempting row read whole, the own row first."""
    from tui.core.rowpasses import _partner_lists, _row_index

    n = len(src)
    row_of, rows = _row_index(groups, n)
    nxt = len(groups)
    row_of = row_of.tolist()
    src = src.tolist()
    nbrs = _partner_lists(n, a, b)
    get = scores.cache.get
    w = scores.width

    def support(i, members):
        return [get(i * w + m if i < m else m * w + i, 0.0) for m in members]

    base = params.refine_offset * threshold

    def value(vals):
        return sum(v - base for v in vals)

    join_mean = params.join_mean * params.refine_join * threshold
    join_min = params.join_min * params.refine_join * threshold
    for _ in range(rounds):
        moved = False
        for i in range(n):
            home = row_of[i]
            away = sorted({row_of[j] for j in nbrs[i]} - {home})
            if not away:
                continue
            here = [m for m in rows[home] if m != i]
            stay = value(support(i, here))
            best, best_gain, best_d = -1, 1e-9, -1
            for r in away:
                d = next((m for m in rows[r] if src[m] == src[i]), -1)
                rest = [m for m in rows[r] if m != d]
                vals = support(i, rest)
                if not (vals and sum(vals) / len(vals) >= join_mean and min(vals) >= join_min):
                    continue
                gain = value(vals) - stay - (value(support(d, rest)) if d >= 0 else 0.0)
                if gain > best_gain:
                    best, best_gain, best_d = r, gain, d
            if best < 0:
                continue
            moved = True
            rows[home] = here
            if not here:
                del rows[home]
            if best_d >= 0:
                rows[best].remove(best_d)
                rows[nxt] = [best_d]
                row_of[best_d] = nxt
                nxt += 1
            rows[best].append(i)
            row_of[i] = best
        if not moved:
            break
    return sorted(sorted(m) for m in rows.values())


@pytest.mark.parametrize("threshold", [0.25, 0.35, 0.45])
def test_refine_moves_the_sentences_the_plain_search_moves(threshold):
    # the floor test refuses a row at its first weak pair, and the own row is read only for a row
    # that passes: the same moves (on the seeds some sentences move at the lower thresholds)
    from dataclasses import replace

    from tui.core.rowpasses import _refine

    params = replace(A.DEFAULT_PARAMS, refine=False, pair_up=False, split_join=False, split_merge=False,
                     summary_join=False, anchor=False, leftover=False)
    src, _strict, scores, cand, p, groups = _seeds_merged(params, 14, threshold)
    ok = p >= threshold
    plain = _plain_refine(groups, src, cand.a[ok], cand.b[ok], scores, threshold)
    assert sorted(sorted(g) for g in _refine(groups, src, cand.a[ok], cand.b[ok], scores, threshold)) == plain
    assert (plain != sorted(sorted(g) for g in groups)) == (threshold < 0.4)


@pytest.mark.parametrize("layers", [False, True])
def test_peek_gives_what_many_gives(big_index, layers):
    # the rows' scores search the scored batches (candidates, pairs asked for, pairs scored ahead)
    # and score the rest in one batch: each pair as many() gives it
    from tui.core.evidence import _Scores

    index = big_index
    rng = np.random.default_rng(11)
    tier = rng.integers(0, 2, index.n) if layers else None
    a = rng.integers(0, index.n - 1, 400)
    b = a + 1 + rng.integers(0, index.n - 1 - a)  # a < b
    key = np.unique(a * index.n + b)
    a, b = np.divmod(key, index.n)
    scores = _Scores(index, tier)
    scores.add(a[:150], b[:150], rng.uniform(0.0, 1.0, 150))  # "candidates", with their own values
    asked = key[150:250].tolist()
    scores.many(asked[:50], ahead=lambda: asked[50:])  # 50 asked for, 50 scored ahead (spare)
    wanted = np.concatenate([key, rng.integers(0, index.n - 1, 200) * index.n + index.n - 1])
    wanted = wanted[wanted // index.n < wanted % index.n]
    peeked = scores.peek(wanted)
    assert len(scores.cache) == 200  # peek records nothing
    assert peeked.tolist() == scores.many(wanted.tolist())


def test_peek_leaves_a_key_added_twice_to_many():
    # add() with a pair given twice keeps the later value in the cache: peek defers to many()
    from tui.core.evidence import _Scores

    sys.path.insert(0, str(ROOT / "tests" / "bench"))
    from synthetic import story

    sources = story(4, 10)
    flat = [(s, i) for s in range(len(sources)) for i in range(len(sources[s].sentences))]
    index = Index(join_compounds([A._features(sources[s].sentences[i].text) for s, i in flat]))
    scores = _Scores(index)
    scores.add(np.asarray([3, 5, 1]), np.asarray([1, 6, 3]), np.asarray([0.2, 0.4, 0.9]))
    key = np.asarray([1 * index.n + 3, 5 * index.n + 6])
    assert scores.peek(key).tolist() == [0.9, 0.4] == scores.many(key.tolist())


@PROFILE
@given(st.lists(st.one_of(st.integers(0, 2**64 - 1), st.sampled_from([0, 1, 2**63, 2**64 - 1, 255 << 56])),
                max_size=40))
def test_the_set_bits_are_those_unpacked(words):
    # add_heavy reads each pair's shared heavy tokens off the non-zero bytes of its mask
    from tui.core.similarity import _set_bits

    w = np.asarray(words, dtype=np.uint64)
    want = np.nonzero(np.unpackbits(w.astype("<u8").view(np.uint8).reshape(-1, 8), axis=1, bitorder="little"))
    got = _set_bits(w)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@PROFILE
@given(st.lists(st.integers(0, 70_000), max_size=200), st.booleans())
def test_the_stable_order_of_small_keys_is_numpys(keys, small):
    # _Partners, _partner_lists, the index's stem order and the candidate search sort sentence and
    # stem numbers stably through 16-bit keys where those fit
    from tui.core.similarity import _stable_argsort

    k = np.asarray(keys, dtype=np.int64) % (1 << 16 if small else 70_001)
    got = _stable_argsort(k, 1 << 16 if small else 70_001)
    assert np.array_equal(got, np.argsort(k, kind="stable"))
