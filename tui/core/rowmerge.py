"""Two rows that tell one statement, one outlet splitting it over adjacent sentences, become one.

The greedy merge (:func:`tui.core.align._cluster`) keeps one sentence per
outlet in a row, and :func:`tui.core.rowpasses._split_join` lets a row take an
outlet's next sentence only while that sentence is alone. When one outlet
splits a quote over two sentences and each half has already drawn other
outlets to it ("We are treating the restoration of service as our highest
priority, and our engineers have worked through the night," in full in two
outlets; "Our absolute priority is getting the island back online." / "Our
engineers have worked through the night." in a third), the two halves sit in
two rows, and the full quote of one outlet lands in the first row while its
verbatim twin from another outlet lands in the second. Each row then reads
as missing an outlet that in fact reports it.

Here two rows merge when a strong pair links them, the only outlets they
share have adjacent sentences across the two (a run of at most
split_merge_max sentences each), and the merged row passes the merge's own
support test over its cross-outlet pairs between the two rows
(:func:`tui.core.evidence._supported`, pairs of one outlet left out).
"""

from __future__ import annotations

import numpy as np

from tui.core.evidence import _Scores
from tui.core.params import DEFAULT_PARAMS, AlignParams


def _split_merge(groups: list[list[int]], src: np.ndarray, a: np.ndarray, b: np.ndarray,
                 p: np.ndarray, scores: _Scores, threshold: float, strict: np.ndarray,
                 params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Merge two rows one outlet's adjacent sentences split, when their other outlets agree (see module)."""
    n = len(src)
    if n == 0 or not len(a):
        return groups
    keep = (p >= params.split_merge_min * threshold) & ~strict[a] & ~strict[b]
    if scores.tier is not None:
        keep &= scores.tier[a] == scores.tier[b]
    if not keep.any():
        return groups
    src_l = src.tolist()
    row_arr = np.empty(n, dtype=np.int64)
    rows: dict[int, list[int]] = {}
    for r, g in enumerate(groups):
        rows[r] = list(g)
        row_arr[g] = r
    # rows only grow, so a pair in one row at the start stays in one row
    keep[keep] = row_arr[a[keep]] != row_arr[b[keep]]
    if not keep.any():
        return groups
    row_of = row_arr.tolist()
    outlets: dict[int, set[int]] = {}

    def outlets_of(r: int) -> set[int]:
        got = outlets.get(r)
        if got is None:
            got = outlets[r] = {src_l[m] for m in rows[r]}
        return got

    w = scores.width
    ka, kb, kp = a[keep], b[keep], p[keep]
    limit = params.split_merge_max
    refused: set[tuple[int, int]] = set()  # row pairs tested and refused (rows change only by merging)
    for e in np.lexsort((kb, ka, -kp)).tolist():
        ri, rj = row_of[int(ka[e])], row_of[int(kb[e])]
        if ri == rj or (min(ri, rj), max(ri, rj)) in refused:
            continue
        shared = outlets_of(ri) & outlets_of(rj)
        if not shared:
            continue
        x, y = rows[ri], rows[rj]
        fits = True
        for s in shared:
            run = sorted(m for m in x + y if src_l[m] == s)
            if len(run) > limit or run[-1] - run[0] != len(run) - 1:
                fits = False
                break
        if not fits:
            refused.add((min(ri, rj), max(ri, rj)))
            continue
        mat = np.full((len(x), len(y)), np.nan)
        pairs = [(i, j, u * w + v if u < v else v * w + u)
                 for i, u in enumerate(x) for j, v in enumerate(y) if src_l[u] != src_l[v]]
        vals = scores.many([q for _, _, q in pairs])
        for (i, j, _), v in zip(pairs, vals):
            mat[i, j] = v
        ok = ~np.isnan(mat)
        got = np.nan_to_num(mat)
        if got[ok].mean() < params.split_merge_mean * threshold:
            refused.add((min(ri, rj), max(ri, rj)))
            continue
        linked = (got >= params.join_min * threshold) & ok
        share = params.join_share
        per_u = linked.sum(axis=1) / np.maximum(ok.sum(axis=1), 1)
        per_v = linked.sum(axis=0) / np.maximum(ok.sum(axis=0), 1)
        if (per_u[ok.any(axis=1)] < share).any() or (per_v[ok.any(axis=0)] < share).any():
            refused.add((min(ri, rj), max(ri, rj)))
            continue
        x.extend(y)
        del rows[rj]
        outlets_of(ri).update({src_l[m] for m in y})
        outlets.pop(rj, None)
        for m in y:
            row_of[m] = ri
        # a refusal involving ri was about the smaller row
        refused = {q for q in refused if ri not in q}
    return [sorted(m) for m in rows.values()]
