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

from tui.core.evidence import _linked_across, _Scores, pair_keys
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.rowpasses import _row_index


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
    row_arr, rows = _row_index(groups, n)
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
        # cross-outlet pairs only: NaN marks two sentences of one outlet
        mat = np.full((len(x), len(y)), np.nan)
        cols = [[j for j, v in enumerate(y) if src_l[v] != src_l[u]] for u in x]
        vals = scores.many([k for u, js in zip(x, cols) for k in pair_keys(u, [y[j] for j in js], w)])
        at = 0
        for i, js in enumerate(cols):
            mat[i, js] = vals[at:at + len(js)]
            at += len(js)
        if (mat[~np.isnan(mat)].mean() < params.split_merge_mean * threshold
                or not _linked_across(mat, params.join_min * threshold, params.join_share)):
            refused.add((min(ri, rj), max(ri, rj)))
            continue
        x.extend(y)
        del rows[rj]
        outlets_of(ri).update({src_l[m] for m in y})
        outlets.pop(rj, None)
        for m in y:
            row_of[m] = ri
        # a refusal involving ri was about the row before it grew
        refused = {q for q in refused if ri not in q}
    return [sorted(m) for m in rows.values()]
