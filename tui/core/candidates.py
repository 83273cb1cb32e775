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


def _candidates(index: Index, src: np.ndarray, k: int, tier: np.ndarray | None = None,
                min_cosine: float = DEFAULT_PARAMS.min_cosine) -> PairStats:
    """Top-k partners of every sentence by light-stem idf cosine, other sources only.

    With ``tier``, only sentences of the same layer (see :func:`tiers`) are partners.

    The overlap sums of the kept pairs are read off the same block products,
    so each block is computed once.
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
