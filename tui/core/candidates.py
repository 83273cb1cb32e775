"""The candidate search: which pairs of sentences get the full score.

Scoring all pairs is quadratic, so candidates come from the sparse product of
the sentence-by-stem matrix (only sentences sharing informative stems are
compared) and each sentence keeps its top-k partners by idf cosine; only those
pairs get the full score (:class:`tui.core.similarity.Index`, and
:mod:`tui.core.evidence` for what lifts them).
"""

from __future__ import annotations

import numpy as np

from tui.core.params import DEFAULT_PARAMS
from tui.core.similarity import Index, PairStats, _ragged


def block(index: Index, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """Dense overlap sums of the given sentences against every sentence.

    Returns (dot, shared, names, numbers, count), each of shape (len(rows), n),
    for the light tokens only; :meth:`Index.add_heavy` completes given pairs.
    """
    n = index.n
    rows = np.asarray(rows, dtype=np.int64)
    m = len(rows)
    ent = _ragged(index._rowptr[rows], index._rowptr[rows + 1] - index._rowptr[rows])
    er = np.repeat(np.arange(m), index._rowptr[rows + 1] - index._rowptr[rows])
    ec = index._c[ent]
    enf = index._nf[ent]
    starts = index._colptr[ec]
    counts = index._colptr[ec + 1] - starts
    size = m * n
    post = _ragged(starts, counts)
    if not len(post):
        return tuple(np.zeros((m, n)) for _ in range(5))
    rep = np.repeat(np.arange(len(ec)), counts)
    other = index._col_rows[post]
    key = er[rep] * n + other
    tok = ec[rep]
    idf = index.idf[tok]
    dot = np.bincount(key, weights=idf * idf, minlength=size).reshape(m, n)
    shared = np.bincount(key, weights=idf, minlength=size).reshape(m, n)
    both_names = enf[rep] & index._col_nf[post]
    names = np.bincount(key, weights=idf * both_names, minlength=size).reshape(m, n)
    nums = np.bincount(key, weights=index.is_number[tok], minlength=size).reshape(m, n)
    count = np.bincount(key, minlength=size).astype(np.float64).reshape(m, n)
    return dot, shared, names, nums, count


#: Entries of the sparse product handled at once (bounds the search's memory).
_CHUNK_ENTRIES = 2_000_000


def _candidates(index: Index, src: np.ndarray, k: int, tier: np.ndarray | None = None,
                min_cosine: float = DEFAULT_PARAMS.min_cosine) -> PairStats:
    """Top-k partners of every sentence by light-stem idf cosine, other sources only.

    With ``tier``, only sentences of the same layer (see :func:`tiers`) are partners.

    Only pairs that share a light stem have a cosine above zero, so the
    search walks the stems' posting lists (the sentences holding each stem)
    and never looks at the other pairs: its cost grows with the pairs that
    share a light stem, not with all pairs. A pair's sums are accumulated in
    the same order as the dense product's (:func:`block`), so the cosines
    are bit for bit the ones :func:`dense_candidates` compares, and a
    sentence keeps the same top-k. Where ties straddle its k-th place (and
    it is above ``min_cosine``), which of the tied partners the dense
    search kept is the choice of ``np.argpartition`` over the whole row: that
    row is rebuilt densely and partitioned the same way.
    """
    n = index.n
    kk = min(k, n - 1)
    if kk <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return PairStats(empty, empty, *(np.zeros(0) for _ in range(5)))
    if min_cosine <= 0.0:
        return dense_candidates(index, src, k, tier, min_cosine)
    a, b, cos, sums = _shared_pairs(index, src, tier)
    m = len(a)
    # each pair from both sides, best first, then (a stable sort) sentence by sentence
    best = np.argsort(-cos)
    side = np.empty(2 * m, dtype=np.int16 if n <= np.iinfo(np.int16).max else np.int64)
    side[0::2], side[1::2] = a[best], b[best]
    pid = best[np.argsort(side, kind="stable") >> 1]
    val = cos[pid]
    count = np.bincount(a, minlength=n) + np.bincount(b, minlength=n)
    start = np.concatenate([[0], np.cumsum(count)])
    rank = np.arange(2 * m) - np.repeat(start[:-1], count)
    chosen = (rank < kk) & (val >= min_cosine)
    # rows whose k-th and (k+1)-th partner tie above the cut: the dense choice
    tied = np.flatnonzero(count > kk)
    kth = start[tied] + kk - 1
    tied = tied[(val[kth] == val[kth + 1]) & (val[kth] >= min_cosine)]
    for r in tied.tolist():
        lo, hi = start[r], start[r + 1]
        dense = np.zeros(n)
        other = np.where(a[pid[lo:hi]] == r, b[pid[lo:hi]], a[pid[lo:hi]])
        dense[other] = val[lo:hi]
        top = np.argpartition(-dense, kk - 1)[:kk]
        keep = np.zeros(n, dtype=bool)
        keep[top[dense[top] >= min_cosine]] = True
        chosen[lo:hi] = keep[other]
    picked = np.zeros(m, dtype=bool)
    picked[pid[chosen]] = True
    pick = np.flatnonzero(picked)
    a, b = a[pick], b[pick]
    sums = [x[pick] for x in sums]
    index.add_heavy(a, b, *sums)
    return PairStats(a, b, *sums)


def _shared_pairs(index: Index, src: np.ndarray, tier: np.ndarray | None
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[np.ndarray]]:
    """Every pair a < b of other sources (and one layer) sharing a light stem: its cosine and sums.

    Sorted by (a, b). The sums are (dot, shared, names, numbers, count) over
    the light stems, as :func:`block` gives them.
    """
    n = index.n
    ptr = index._rowptr
    # where each entry (sentence, light stem) sits in its stem's posting list, which is in
    # sentence order: the postings after it are the sentences above it holding that stem
    at = np.empty(len(index._c), dtype=np.int64)
    at[index._by_col] = np.arange(len(index._c))
    after = index._colptr[index._c + 1] - at - 1
    work = np.bincount(index._r, weights=after, minlength=n).astype(np.int64)
    bounds = np.searchsorted(np.cumsum(work), np.arange(_CHUNK_ENTRIES, int(work.sum()), _CHUNK_ENTRIES))
    edges = [0, *sorted(set((bounds + 1).tolist()) - {0, n}), n]
    parts: list[list[np.ndarray]] = []
    for lo, hi in zip(edges, edges[1:]):
        rows = np.arange(lo, hi)
        cnt = ptr[rows + 1] - ptr[rows]
        ent = _ragged(ptr[rows], cnt)
        er = np.repeat(rows, cnt)
        ec = index._c[ent]
        enf = index._nf[ent]
        counts = after[ent]
        post = _ragged(at[ent] + 1, counts)
        rep = np.repeat(np.arange(len(ec)), counts)
        x = er[rep]
        y = index._col_rows[post]
        keep = src[x] != src[y]
        if tier is not None:
            keep &= tier[x] == tier[y]
        post, rep, x, y = post[keep], rep[keep], x[keep], y[keep]
        if not len(x):
            continue
        key, inv = np.unique(x * n + y, return_inverse=True)
        tok = ec[rep]
        idf = index.idf[tok]
        size = len(key)
        dot = np.bincount(inv, weights=idf * idf, minlength=size)
        shared = np.bincount(inv, weights=idf, minlength=size)
        names = np.bincount(inv, weights=idf * (enf[rep] & index._col_nf[post]), minlength=size)
        nums = np.bincount(inv, weights=index.is_number[tok], minlength=size)
        count = np.bincount(inv, minlength=size).astype(np.float64)
        pa, pb = key // n, key % n
        cos = dot / np.maximum(index.norm[pa] * index.norm[pb], 1e-9)
        parts.append([pa, pb, cos, dot, shared, names, nums, count])
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), [np.zeros(0) for _ in range(5)]
    pa, pb, cos, *sums = (np.concatenate(p) for p in zip(*parts))
    return pa, pb, cos, sums


def dense_candidates(index: Index, src: np.ndarray, k: int, tier: np.ndarray | None = None,
                min_cosine: float = DEFAULT_PARAMS.min_cosine) -> PairStats:
    """What :func:`_candidates` finds, by the dense product against every sentence.

    Its cost grows with all pairs; it is kept as the definition the sparse
    search is tested against, and serves a ``min_cosine`` of zero or less
    (where pairs sharing no light stem at all could be kept).
    """
    n = index.n
    step = max(1, min(n, 1_000_000 // max(n, 1)))
    kk = min(k, n - 1)
    found: list[list[np.ndarray]] = []
    for lo in range(0, n, step) if kk > 0 else ():
        hi = min(n, lo + step)
        blocks = block(index, np.arange(lo, hi))
        cos = blocks[0] / np.maximum(np.outer(index.norm[lo:hi], index.norm), 1e-9)
        cos[src[lo:hi, None] == src[None, :]] = 0.0
        if tier is not None:
            cos[tier[lo:hi, None] != tier[None, :]] = 0.0
        top = np.argpartition(-cos, kk - 1, axis=1)[:, :kk]
        rows = np.repeat(np.arange(hi - lo), kk)
        cols = top.ravel()
        keep = cos[rows, cols] >= min_cosine
        rows, cols = rows[keep], cols[keep]
        found.append([rows + lo, cols] + [blk[rows, cols] for blk in blocks])
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return PairStats(empty, empty, *(np.zeros(0) for _ in range(5)))
    a, b, *sums = (np.concatenate(parts) for parts in zip(*found))
    key = np.minimum(a, b) * n + np.maximum(a, b)
    order = np.argsort(key, kind="stable")
    first = np.ones(len(order), dtype=bool)
    first[1:] = key[order][1:] != key[order][:-1]
    pick = order[first]
    a, b = np.minimum(a, b)[pick], np.maximum(a, b)[pick]
    sums = [x[pick].copy() for x in sums]
    index.add_heavy(a, b, *sums)
    return PairStats(a, b, *sums)
