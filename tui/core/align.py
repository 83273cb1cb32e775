"""Group the sentences of N articles into rows that report the same thing.

Articles about one story reorder freely, so this is not a diff: the aligner
scores cross-source pairs, keeps the likely ones, and grows rows from the
most confident links down (a constrained agglomerative clustering). A
sentence or row joins another only if the two are similar *as a whole* --
most of their cross pairs above the threshold and a high mean -- so a chain
A~B~C cannot drag an unrelated C next to A. Each row holds at most one
sentence per source. The greedy merge is order-dependent (an outlet's first
sentence to reach a row blocks a better one of the same outlet), so a local
search (_refine) then moves sentences to the rows that support them best.

Headlines, section headings and an outlet's leading summary bullets ("Key
points") are a *summary layer*: they compress the whole story, so they
half-match many body sentences and, at one sentence per source per row, a
headline that joins the row of another outlet's lede pushes its own
outlet's lede out of it. So the two layers align separately: summaries with
summaries (the headlines line up as the first row), body with body
(see :func:`tiers`).

Cost: scoring all pairs is quadratic, so candidates come from the sparse
product of the sentence-by-stem matrix (only sentences sharing informative
stems are compared) and each sentence keeps its top-k; only those pairs get
the full score. The pair evidence lives in :mod:`tui.core.evidence`, the
passes after the greedy merge in :mod:`tui.core.rowpasses` and
:mod:`tui.core.rowmerge` (two rows one outlet's adjacent sentences split);
this module builds and orders the rows.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

import numpy as np

from tui.core.candidates import _candidates
from tui.core.evidence import _features, _pair_probabilities, _Scores, _supported_flat, cross_keys, pair_keys
from tui.core.model import BODY, SUMMARY  # noqa: F401 - the values of tiers(), re-exported
from tui.core.model import KIND_HEADING, AlignSettings, Alignment, Row, Source, sentence_layers
from tui.core.omissions_evidence import remember
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.anchor import _anchor_summaries, summary_scopes
from tui.core.rowmerge import _split_merge
from tui.core.rowpasses import _leftover_pairs, _pair_up, _partner_order, _refine, _split_join, _summary_join
from tui.core.similarity import Index
from tui.core.text import Features, join_compounds


def tiers(sources: Sequence[Source], params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Each content sentence's layer: SUMMARY or BODY, per source in reading order.

    The rule is :func:`tui.core.model.sentence_layers`: it also decides which
    cells a row may hold, so it lives in the model, below the aligner.
    """
    return [list(sentence_layers(source, params.full_sentence_words)) for source in sources]


def _tier_array(sources: Sequence[Source], flat: Sequence[tuple[int, int]],
                params: AlignParams = DEFAULT_PARAMS) -> np.ndarray | None:
    """Each flat sentence's layer (see :func:`tiers`), or ``None`` when all share one."""
    layer = tiers(sources, params)
    tier = np.asarray([layer[s][i] for s, i in flat], dtype=np.int64)
    return tier if len(tier) and (tier != tier[0]).any() else None


#: How far ahead (merge candidates, in order) _cluster looks on a cache miss for
#: pairs to score in the same batch, and at most how many cross pairs of new
#: cluster pairs it goes through there (see _Scores.many).
_AHEAD_EDGES = 10_000
_AHEAD_CHECKS = 40_000
#: Merge candidates whose clusters _cluster compares in one numpy pass.
_EDGE_CHUNK = 4_096


class _Partners:
    """Each sentence's candidate partners (the other ends of its pairs (a, b)), as a set on first use."""

    def __init__(self, n: int, a: np.ndarray, b: np.ndarray) -> None:
        self._other, self._stop = _partner_order(n, a, b)
        self._sets: dict[int, set[int]] = {}

    def __getitem__(self, u: int) -> set[int]:
        got = self._sets.get(u)
        if got is None:
            got = self._sets[u] = set(self._other[self._stop[u - 1] if u else 0:self._stop[u]].tolist())
        return got


def _short_pairs(feats: Sequence[Features], strict: np.ndarray, a: np.ndarray, b: np.ndarray,
                 params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Which candidate pairs the merge holds to ``short_min_prob``: those with a short unit on a side.

    Unless the short unit is the other sentence with a clause dropped: when its
    content stems (at least ``short_contained_stems``, concepts aside) all occur
    in the other, the pair is judged by the threshold like any other ("There
    were no passengers on board." in "There were no passengers on board, as it
    was a pure freight flight.", 0.73). The bar is there for a fragment that
    shares one word with a sentence; a sentence told whole inside another is
    not that.
    """
    short = strict[a] | strict[b]
    need = params.short_contained_stems
    if need <= 0 or not short.any():
        return short
    plain: dict[int, frozenset[str]] = {}

    def content(i: int) -> frozenset[str]:
        got = plain.get(i)
        if got is None:
            got = plain[i] = frozenset(t for t in feats[i].stems if not t.startswith("="))
        return got

    out = short.copy()
    for k in np.flatnonzero(short).tolist():
        x, y = int(a[k]), int(b[k])
        held = False
        for u, v in ((x, y), (y, x)):
            if strict[u]:
                mine = content(u)
                if len(mine) < need or not mine <= content(v):
                    held = True
        out[k] = held
    return out


def _cluster(n: int, src: np.ndarray, a: np.ndarray, b: np.ndarray, p: np.ndarray,
             scores: _Scores, threshold: float, strict: np.ndarray,
             params: AlignParams = DEFAULT_PARAMS, scopes: list[tuple[int, int]] | None = None,
             short_pair: np.ndarray | None = None) -> list[list[int]]:
    """Constrained average-link merging, strongest pair first.

    A candidate (``a``, ``b``) is held to ``short_min_prob`` where ``short_pair`` says so (by
    default: where either side is ``strict``, see :func:`_short_pairs`).
    """
    full = (a, b, p)
    ok = p >= threshold
    short = (strict[a] | strict[b]) if short_pair is None else short_pair
    ok &= ~(short & (p < max(threshold, params.short_min_prob)))
    a, b, p = a[ok], b[ok], p[ok]
    order = np.lexsort((b, a, -p))
    edge_a, edge_b = a[order], b[order]
    n_edges = len(order)
    cluster_of = list(range(n))
    # cluster_of as an array, kept equal to it: most candidates join sentences
    # already in one cluster (nine in ten on 100 x 100 sentences), and clusters
    # only grow, so a pass over the next chunk drops those at numpy speed
    cluster_arr = np.arange(n)
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sources: dict[int, set[int]] = {i: {int(src[i])} for i in range(n)}
    rejected: set[tuple[int, int, int, int]] = set()
    w = scores.width
    near = _Partners(n, full[0], full[1])  # every candidate is scored up front
    pos = 0
    # Cluster pairs (ids and sizes, like ``rejected``) whose cross pairs a
    # prefetch already handed over: each is scored (cache or spare) or was
    # foreseen wrongly, and listing it again only costs time.
    fetched: set[tuple[int, int, int, int]] = set()

    def ahead() -> list[int]:
        """Pairs (keys) the next merge tests will probably need: those tests replayed as if each passed.

        Nine tests in ten pass, so the replay foresees the rows the next
        tests meet; a wrong guess only scores a pair too many (kept spare) or
        leaves one for the next miss. Pairs of candidates are scored already:
        only the others are listed (some may be scored too; _Scores.many
        drops those).
        """
        alias: dict[int, int] = {}  # cluster merged, in the replay, into another
        grown: dict[int, list[int]] = {}
        grown_src: dict[int, set[int]] = {}
        out: list[int] = []
        checks = 0
        hi = min(n_edges, pos + _AHEAD_EDGES)
        xa, xb = edge_a[pos:hi], edge_b[pos:hi]
        keep = np.flatnonzero(cluster_arr[xa] != cluster_arr[xb])
        for u0, v0 in zip(xa[keep].tolist(), xb[keep].tolist()):
            cx = cluster_of[u0]
            while cx in alias:
                cx = alias[cx]
            cy = cluster_of[v0]
            while cy in alias:
                cy = alias[cy]
            if cx == cy:
                continue
            sx, sy = grown_src.get(cx) or sources[cx], grown_src.get(cy) or sources[cy]
            if not sx.isdisjoint(sy):
                continue
            mx, my = grown.get(cx) or members[cx], grown.get(cy) or members[cy]
            key = (cx, cy, len(mx), len(my)) if cx < cy else (cy, cx, len(my), len(mx))
            if key in rejected:
                continue
            if key not in fetched:
                fetched.add(key)
                small, large = (mx, my) if len(mx) <= len(my) else (my, mx)
                others = set(large)
                for u in small:
                    out.extend(pair_keys(u, others - near[u], w))
                checks += len(mx) * len(my)
                if checks >= _AHEAD_CHECKS:
                    break
            if len(mx) < len(my):
                cx, cy, mx, my, sx, sy = cy, cx, my, mx, sy, sx
            alias[cy] = cx
            # the replay's own copies grow in place (a row replayed through a hundred joins was
            # copied a hundred times); a real cluster's list and sources are copied once
            if cx in grown:
                grown[cx].extend(my)
                grown_src[cx] |= sy
            else:
                grown[cx] = mx + my
                grown_src[cx] = sx | sy
        return out

    for lo in range(0, n_edges, _EDGE_CHUNK):
        xa, xb = edge_a[lo:lo + _EDGE_CHUNK], edge_b[lo:lo + _EDGE_CHUNK]
        keep = np.flatnonzero(cluster_arr[xa] != cluster_arr[xb])
        for f, u0, v0 in zip((keep + lo).tolist(), xa[keep].tolist(), xb[keep].tolist()):
            x, y = cluster_of[u0], cluster_of[v0]
            if x == y or not sources[x].isdisjoint(sources[y]):
                continue
            mx, my = members[x], members[y]
            # clusters only grow, so a refusal stands until either side changes
            seen = (x, y, len(mx), len(my)) if x < y else (y, x, len(my), len(mx))
            if seen in rejected:
                continue
            pos = f  # ahead() starts from the edge being tested
            pairs = cross_keys(mx, my, w)
            if not _supported_flat(scores.many(pairs, ahead), len(mx), len(my), threshold, params):
                rejected.add(seen)
                continue
            if len(mx) < len(my):
                x, y, mx, my = y, x, my, mx
            mx.extend(my)
            sources[x] |= sources.pop(y)
            moved = members.pop(y)
            for m in moved:
                cluster_of[m] = x
            cluster_arr[moved] = x
    groups = [sorted(m) for m in members.values()]
    if params.refine:
        groups = _refine(groups, src, a, b, scores, threshold, params=params)
    if params.pair_up:
        groups = _pair_up(groups, src, *full, scores, threshold, strict, params)
    if params.split_join:
        groups = _split_join(groups, src, scores, threshold, strict, params)
    if params.split_merge:
        groups = _split_merge(groups, src, *full, scores, threshold, strict, params)
    if params.summary_join and scores.tier is not None:
        groups = _summary_join(groups, src, scores, threshold, strict, params)
    if params.anchor and scopes is not None and scores.tier is not None:
        groups = _anchor_summaries(groups, src, scores, threshold, scopes, strict, params)
    if params.leftover:
        groups = _leftover_pairs(groups, src, *full, threshold, strict, scores.tier, params)
    return groups


def _order_rows(rows: list[Row], sources: Sequence[Source], pivot: int) -> list[Row]:
    """Pivot rows in pivot order; the rest after the row of their previous sentence.

    What an outlet says before anything the pivot has (its headline, a
    "Key points" block) goes above the pivot's first row, outlets in their
    order, so the top of the view reads outlet by outlet.

    A row holding several sentences of one source is placed by the first of
    them -- by its first *body* sentence when it has one, so that a headline
    sitting beside the lede it restates does not pull the lede's row up to
    the top.
    """
    row_of: dict[tuple[int, int], int] = {}
    for r, row in enumerate(rows):
        for s, c in enumerate(row.cells):
            for i in c:
                row_of[(s, i)] = r
    layers = [sentence_layers(src) for src in sources]

    def placed_by(s: int, i: int) -> bool:
        # whether (s, i) is the member that places its row among s's sentences
        cell = rows[row_of[(s, i)]].cells[s]
        if len(cell) == 1:
            return True
        layer = layers[s]
        body = [k for k in cell if layer[k] == BODY]
        return i == (body[0] if body else cell[0])

    head = -1
    nxt: dict[int, int | None] = {head: None}
    placed: set[int] = set()
    last = head
    for i in range(len(sources[pivot].sentences)):
        r = row_of[(pivot, i)]
        if r in placed or not placed_by(pivot, i):
            continue
        nxt[last] = r
        nxt[r] = None
        placed.add(r)
        last = r
    first_pivot = nxt[head]

    def lead_end() -> int:
        # the last row above the pivot's first one
        at = head
        while nxt[at] is not None and nxt[at] != first_pivot:
            at = nxt[at]  # type: ignore[assignment]
        return at

    for s in [pivot] + [j for j in range(len(sources)) if j != pivot]:
        for i in range(len(sources[s].sentences)):
            r = row_of[(s, i)]
            if r in placed or not placed_by(s, i):
                continue
            # after the row of the nearest earlier sentence already placed
            j = i - 1
            while j >= 0 and row_of[(s, j)] not in placed:
                j -= 1
            anchor = row_of[(s, j)] if j >= 0 else lead_end()
            nxt[r] = nxt[anchor]
            nxt[anchor] = r
            placed.add(r)
    out: list[Row] = []
    cur = nxt[head]
    while cur is not None:
        out.append(rows[cur])
        cur = nxt[cur]
    return out


def with_pivot(alignment: Alignment, pivot: int) -> Alignment:
    """``alignment`` read in ``pivot``'s order: the same rows, reordered, without aligning again.

    The pivot only decides the order of the rows (see :func:`_order_rows`),
    never which sentences share one, so this gives exactly what
    ``align(sources, replace(settings, pivot=pivot))`` would, at the cost of
    one pass over the rows instead of a whole alignment. A pivot out of range
    orders by source 0, as :func:`align` does.
    """
    settings = replace(alignment.settings, pivot=pivot)
    if not alignment.rows:
        return Alignment(sources=alignment.sources, rows=alignment.rows, settings=settings)
    order_by = pivot if 0 <= pivot < len(alignment.sources) else 0
    rows = _order_rows(list(alignment.rows), alignment.sources, order_by)
    return Alignment(sources=alignment.sources, rows=tuple(rows), settings=settings)


def pair_probabilities(sources: Sequence[Source], params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Dense matrix of the scored candidate pairs over all content sentences (0 elsewhere).

    For diagnosis (tests/bench/diagnose_align.py): what the row builder is
    given, sentences numbered source by source in reading order.
    """
    flat = [(s, i) for s in range(len(sources)) for i in range(len(sources[s].sentences))]
    src = np.asarray([s for s, _ in flat], dtype=np.int64)
    index = Index(join_compounds([_features(sources[s].sentences[i].text) for s, i in flat]), params)
    tier = _tier_array(sources, flat, params)
    cand = _candidates(index, src, max(12, len(sources) // 2 + 8), tier, params.min_cosine)
    p = _pair_probabilities(index, cand, src, len(sources), params)
    out = np.zeros((len(flat), len(flat)))
    out[cand.a, cand.b] = p
    out[cand.b, cand.a] = p
    return out


def align(sources: Sequence[Source], settings: AlignSettings = AlignSettings(),
          params: AlignParams = DEFAULT_PARAMS) -> Alignment:
    """Align the content sentences of ``sources`` into rows (see module docstring).

    ``settings`` are the user's choices (threshold, pivot); ``params`` the
    aligner's internals, which only tuning scripts and tests change.

    Python's cycle collector is paused meanwhile (as ``parallax export``
    pauses it for the whole run, see :mod:`tui.startup`): aligning builds
    hundreds of thousands of small lists, sets and dict entries and next to
    no reference cycles, and each collection walks every object alive; on
    100 x 100 sentences, aligning again in one process with the collector
    on spent about a tenth of its time there. It is turned back on after, if
    it was on before.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        return _align(sources, settings, params)
    finally:
        if was_on:
            gc.enable()


def _row_keys(members: list[int], src: np.ndarray, width: int) -> np.ndarray:
    """The keys (see :class:`_Scores`) of a row's pairs of two sources, member by member: ``members[0]``
    with each later member, then ``members[1]`` ... (``members`` ascending, so each key is low * width + high)."""
    if len(members) < 2:
        return np.zeros(0, dtype=np.int64)
    mem = np.asarray(members, dtype=np.int64)
    x, y = _upper_pairs(len(members))
    u, v = mem[x], mem[y]
    keep = src[u] != src[v]
    return u[keep] * width + v[keep]


@lru_cache(maxsize=256)
def _upper_pairs(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Both ends of every pair (i, j), i < j < size, row by row (np.triu_indices, kept per size)."""
    return np.triu_indices(size, 1)


def _align(sources: Sequence[Source], settings: AlignSettings, params: AlignParams) -> Alignment:
    """:func:`align` itself."""
    sources = tuple(sources)
    n_src = len(sources)
    pivot = settings.pivot if 0 <= settings.pivot < n_src else 0
    flat = [(s, i) for s in range(n_src) for i in range(len(sources[s].sentences))]
    n = len(flat)
    if n == 0:
        return Alignment(sources=sources, rows=(), settings=settings)
    src = np.asarray([s for s, _ in flat], dtype=np.int64)
    feats = join_compounds([_features(sources[s].sentences[i].text) for s, i in flat])
    index = Index(feats, params)
    strict = np.asarray(
        [len(f.stems) <= (params.heading_short_stems if sources[s].sentences[i].kind == KIND_HEADING
                          else params.short_stems)
         for (s, i), f in zip(flat, feats)], dtype=bool)

    tier = _tier_array(sources, flat, params)

    k = max(12, n_src // 2 + 8)
    cand = _candidates(index, src, k, tier, params.min_cosine)
    a, b = cand.a, cand.b
    scores = _Scores(index, tier)
    p = _pair_probabilities(index, cand, src, n_src, params)
    remember(sources, params, index, cand, p, tier)  # the omission model weighs absentees by the same pairs
    scores.add(a, b, p)
    scopes = summary_scopes(sources, tier) if tier is not None else None  # see tui.core.anchor
    clusters = _cluster(n, src, a, b, p, scores, settings.threshold, strict, params, scopes,
                        _short_pairs(feats, strict, a, b, params))

    # every row's cross-source pairs in one batch (see _Scores); a summary
    # line beside body sentences is scored across the layers
    w = scores.width
    row_keys = [_row_keys(mem, src, w) for mem in clusters]
    flat_keys = np.concatenate(row_keys) if row_keys else np.zeros(0, dtype=np.int64)
    found = scores.peek(flat_keys)  # the cache is read no more: searched, not looked up pair by pair
    if tier is not None:
        lo, hi = np.divmod(flat_keys, w)
        mixed = np.flatnonzero(tier[lo] != tier[hi])
        if len(mixed):
            found[mixed] = index.probability(index.pair_stats(lo[mixed], hi[mixed]))
    all_vals = found.tolist()  # Python floats: each row's mean is summed left to right, as it was
    rows: list[Row] = []
    at = 0
    for mem, keys in zip(clusters, row_keys):
        cells: list[tuple[int, ...]] = [()] * n_src
        for g in mem:  # ascending, so each cell's indices are too
            s, i = flat[g]
            cells[s] = (*cells[s], i)
        if len(keys):
            vals = all_vals[at:at + len(keys)]
            at += len(keys)
            score = float(np.clip(sum(vals) / len(vals), 0.0, 1.0))
        else:
            score = 1.0
        rows.append(Row(cells=tuple(cells), score=score))
    ordered = _order_rows(rows, sources, pivot)
    return Alignment(sources=sources, rows=tuple(ordered), settings=settings)
