"""The pair evidence the row builder works from: probabilities of the candidates, support.

The candidates themselves, each sentence's top-k partners, come from
:mod:`tui.core.candidates`; only those pairs get the full score up front
(:class:`tui.core.similarity.Index`). Two corpus-level signals then lift
a pair beyond what its own words say: being each other's clear best match
(:func:`_mutual_boost`) and having matching neighbours (:func:`_context_boost`).
:class:`_Scores` serves every other pair the row builder asks about, and
:func:`_supported` is the one test of whether two groups may share a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from tui.core.analysis import analysis_of
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.similarity import Index, PairStats
from tui.core.text import Features


def pair_keys(u: int, others: Iterable[int], width: int) -> list[int]:
    """The keys of the pairs of sentence ``u`` with each of ``others``, in their order.

    A pair (u, v) of ``width`` sentences is keyed ``min * width + max`` (see
    :class:`_Scores`); the row passes build these lists in their inner loops.
    """
    uw = u * width
    return [uw + v if u < v else v * width + u for v in others]


def cross_keys(xs: list[int], ys: list[int], width: int) -> list[int]:
    """The keys of every pair of ``xs`` x ``ys``, row by row (``xs[0]`` with each of ``ys``, then ``xs[1]`` ...)."""
    return [u * width + v if u < v else v * width + u for u in xs for v in ys]


class _Scores:
    """Pair probabilities: the candidates scored up front, the rest on demand.

    ``cache`` holds exactly the pairs scored so far *on request*; _refine
    reads it as "the pairs with evidence", so speculative work must not leak
    into it. Scoring a pair costs little, but each batch carries a fixed
    numpy overhead of about a millisecond, and the greedy merge asks for a
    few pairs at a time thousands of times; so :meth:`many` may also score
    pairs the caller expects to need soon (``ahead``) in the same batch and
    keep them in ``spare`` until they are asked for. A pair's probability
    does not depend on the batch it is scored in, so this changes no result.
    """

    def __init__(self, index: Index, tier: np.ndarray | None = None) -> None:
        self.index = index
        self.tier = tier
        #: a pair (u, v), u < v, is the key ``u * width + v``: an int hashes and
        #: compares in a fraction of a tuple's time, and the merge looks up
        #: about 650,000 pairs on 100 x 100 sentences
        self.width = index.n
        self.cache: dict[int, float] = {}
        self.spare: dict[int, float] = {}
        #: every batch scored so far (the candidates, what many() scored, asked for or ahead),
        #: as arrays of keys and probabilities: what :meth:`peek` searches
        self._batches: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, a: np.ndarray, b: np.ndarray, p: np.ndarray) -> None:
        w = self.width
        if (a < b).all():  # the candidates: each pair already (low, high), filled in one call
            keys = a * w + b
            self.cache.update(zip(keys.tolist(), p.tolist()))
            self._batches.append((keys, np.asarray(p, dtype=np.float64)))
            return
        keyed = [pair_keys(x, (y,), w)[0] for x, y in zip(a.tolist(), b.tolist())]
        for key, v in zip(keyed, p.tolist()):
            self.cache[key] = v
        self._batches.append((np.asarray(keyed, dtype=np.int64), np.asarray(p, dtype=np.float64)))

    def peek(self, keys: np.ndarray) -> np.ndarray:
        """What :meth:`many` gives for the pair ``keys`` (an int64 array), by numpy, without filling ``cache``.

        For the rows' scores once every pass is done, when no one reads
        ``cache`` again: the pairs scored so far are searched in their sorted
        keys instead of looked up one by one (some 280,000 on 100 x 100
        sentences), and the others scored in one batch. A pair's probability
        does not depend on its batch, so each is what many() returns. A key
        given twice to :meth:`add` (where the cache kept the later value)
        leaves the search to many() itself.
        """
        if not len(keys):
            return np.zeros(0)
        known = np.concatenate([k for k, _ in self._batches]) if self._batches else np.zeros(0, dtype=np.int64)
        vals = np.concatenate([v for _, v in self._batches]) if self._batches else np.zeros(0)
        order = np.argsort(known, kind="stable")  # nearly sorted already: the candidates come sorted
        known, vals = known[order], vals[order]
        if len(known) > 1 and bool((known[1:] == known[:-1]).any()):
            return np.asarray(self.many(keys.tolist()), dtype=np.float64)
        out = np.zeros(len(keys))
        hit = np.zeros(len(keys), dtype=bool)
        if len(known):
            pos = np.minimum(np.searchsorted(known, keys), len(known) - 1)
            hit = known[pos] == keys
            out[hit] = vals[pos[hit]]
        miss = np.flatnonzero(~hit)
        if len(miss):
            out[miss] = self._score(keys[miss])
        return out

    def _score(self, keys: np.ndarray) -> np.ndarray:
        """The probabilities of the pair ``keys`` (an int64 array), scored now; 0 across the layers."""
        lo, hi = np.divmod(keys, self.width)
        prob = self.index.probability(self.index.pair_stats(lo, hi))
        if self.tier is not None:
            prob = np.where(self.tier[lo] == self.tier[hi], prob, 0.0)
        return prob

    def many(self, pairs: list[int], ahead: Callable[[], list[int]] | None = None) -> list[float]:
        """The probabilities of ``pairs`` (keys, see ``width``), scoring those not scored yet."""
        cache, spare = self.cache, self.spare
        try:
            # the common case, every pair already scored: one pass, no sets
            return list(map(cache.__getitem__, pairs))
        except KeyError:
            pass
        missing = {p for p in pairs if p not in cache}
        for p in [p for p in missing if p in spare]:
            cache[p] = spare.pop(p)
            missing.discard(p)
        if missing:
            extra = set(ahead()) - missing if ahead is not None else set()
            extra = {p for p in extra if p not in cache and p not in spare}
            todo = sorted(missing | extra)
            keys = np.asarray(todo, dtype=np.int64)
            prob = self._score(keys)
            self._batches.append((keys, prob))
            for pair, v in zip(todo, prob.tolist()):
                if pair in missing:
                    cache[pair] = v
                else:
                    spare[pair] = v
        return [cache[p] for p in pairs]


def _best_two(key: np.ndarray, p: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Best and second-best probability per key (a sentence facing one other source)."""
    best = np.zeros(size)
    np.maximum.at(best, key, p)
    # the runner-up: the best again when it is there twice, else the best of the rest
    top = p == best[key]
    twice = np.bincount(key[top], minlength=size) >= 2
    second = np.zeros(size)
    np.maximum.at(second, key[~top], p[~top])
    return best, np.where(twice, best, second)


def _mutual_boost(p: np.ndarray, a: np.ndarray, b: np.ndarray, src: np.ndarray,
                  n_src: int, params: AlignParams = DEFAULT_PARAMS,
                  thin: np.ndarray | None = None) -> np.ndarray:
    """Raise pairs that are clearly each other's best match in the other's source.

    A paraphrase that shares few words still scores low in absolute terms,
    but if each sentence is the other's best match in that article, by a
    margin over the runner-up, the pair is far more likely right than its
    score says. Unrelated sentences that merely share topic words rarely
    stand out like that. Pairs marked ``thin`` (one shared word, no number,
    no name: see ``AlignParams.mutual_min_shared``) are never raised.
    """
    size = len(src) * n_src
    ka = a * n_src + src[b]
    kb = b * n_src + src[a]
    key = np.concatenate([ka, kb])
    best, second = _best_two(key, np.concatenate([p, p]), size)
    runner_up = np.maximum(second[ka], second[kb])
    mutual = ((p >= best[ka]) & (p >= best[kb]) & (p >= params.mutual_floor)
              & (p >= params.mutual_margin * runner_up))
    if thin is not None:
        mutual &= ~thin
    return np.where(mutual, 1.0 - (1.0 - p) * (1.0 - params.mutual_boost), p)


def _supported(vals: np.ndarray, threshold: float, params: AlignParams = DEFAULT_PARAMS) -> bool:
    """Whether two groups with cross-pair probabilities ``vals`` may become one row.

    The mean must be high, and every member must be linked above a low floor
    to at least join_share of the other group. The second test is what stops
    chaining -- in A~B~C with A unrelated to C, A reaches no member of {C} --
    while tolerating a weak pair inside a multi-outlet paraphrase row (two
    outlets that chose other details) as long as each has other support.
    """
    if vals.mean() < params.join_mean * threshold:
        return False
    linked = vals >= params.join_min * threshold
    share = params.join_share
    return bool((linked.mean(axis=1) >= share).all() and (linked.mean(axis=0) >= share).all())


def _linked_to_most(mat: np.ndarray, floor: float, share: float) -> bool:
    """The summary join's link test: each summary line (a row of ``mat``) linked at ``floor`` to at
    least ``share`` of the body members it can be compared with, and at least ``share`` of those body
    members (columns) linked to one of the lines; NaN marks pairs of one outlet, as in :func:`_linked_across`.

    Looser than :func:`_linked_across` on the body side on purpose: a body row may hold a member the
    headline does not restate (a loose paraphrase, an opinion line on the same number), and one such
    member must not keep the line out of the row the rest of it shares with the headline.
    """
    ok, linked = _cross_links(mat, floor)
    if not _each_linked(ok, linked, share, axis=1):
        return False
    judged = np.asarray(ok.any(axis=0))
    return not judged.any() or float(np.asarray(linked.any(axis=0))[judged].mean()) >= share


def _cross_links(mat: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs of ``mat`` are comparable (not NaN: not one outlet's) and which of those reach ``floor``."""
    ok = ~np.isnan(mat)
    return ok, (np.nan_to_num(mat) >= floor) & ok


def _each_linked(ok: np.ndarray, linked: np.ndarray, share: float, axis: int) -> bool:
    """Whether every member along ``axis`` (1: the rows, 0: the columns) with a comparable pair is
    linked to at least ``share`` of those it can be compared with."""
    per = linked.sum(axis=axis) / np.maximum(ok.sum(axis=axis), 1)
    return not (per[ok.any(axis=axis)] < share).any()


def _linked_across(mat: np.ndarray, floor: float, share: float) -> bool:
    """:func:`_supported`'s link test on a matrix whose NaN marks pairs of one outlet.

    A sentence's own outlet's sentences are no evidence either way, so each
    member is judged on its cross-outlet pairs only: linked at ``floor`` to
    at least ``share`` of them (a member with none is not judged).
    """
    ok, linked = _cross_links(mat, floor)
    return _each_linked(ok, linked, share, axis=1) and _each_linked(ok, linked, share, axis=0)


#: How far a mean of pair probabilities summed in plain Python order may be from the bar for
#: :func:`_supported_flat` to trust its side of it. Two float sums of the same n values in [0, 1], in
#: any order, give means at most about 2 * n * 2**-53 apart (the division adds one rounding of 2**-53):
#: for n up to _SLACK_MAX_VALUES that is under 3e-10, a tenth of the slack. Nearer the bar (or for
#: more values) numpy's own mean decides, as it always did.
_MEAN_SLACK = 3e-9
_SLACK_MAX_VALUES = 1_000_000


def _supported_flat(vals: list[float], rows: int, cols: int, threshold: float,
                    params: AlignParams = DEFAULT_PARAMS) -> bool:
    """:func:`_supported` of ``vals`` read as a rows x cols matrix, row by row; the same answer, cheaper.

    The merge asks this about ten thousand times on 100 x 100 sentences, mostly
    of a sentence against a row. The links are counted in plain Python (counts
    and their shares are exact either way); the mean, a float sum whose last
    bit depends on numpy's order of summation, is taken only when the links
    pass, in plain Python where that cannot change the answer (see
    _MEAN_SLACK), else numpy's own (for one pair the mean is the value itself).
    """
    floor = params.join_min * threshold
    share = params.join_share
    linked = [v >= floor for v in vals]
    if rows == 1 or cols == 1:
        # one line of them all, and as many lines of one value each, whose share is 1 or 0
        k = sum(linked)
        if k / len(linked) < share or 1.0 < share or (0.0 < share and k < len(linked)):
            return False
    else:
        for i in range(rows):
            if sum(linked[i * cols:(i + 1) * cols]) / cols < share:
                return False
        for j in range(cols):
            if sum(linked[j::cols]) / rows < share:
                return False
    bar = params.join_mean * threshold
    if rows * cols == 1:
        return not vals[0] < bar
    n = len(vals)
    if n <= _SLACK_MAX_VALUES:
        # a plain left-to-right sum is numpy's pairwise one to within n * 2**-52 (the values lie in
        # [0, 1]); farther than _MEAN_SLACK from the bar, both means fall on one side of it
        mean = sum(vals) / n
        if mean - bar > _MEAN_SLACK:
            return True
        if bar - mean > _MEAN_SLACK:
            return False
    return not np.asarray(vals).reshape(rows, cols).mean() < bar


def _context_boost(p: np.ndarray, a: np.ndarray, b: np.ndarray, src: np.ndarray,
                   params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Raise a pair whose neighbours (previous with previous, or next with next) match well.

    Outlets reorder a story, but locally they often tell it in the same run:
    a paraphrase too loose to score well on its own is much more likely right
    when the sentences just before (or after) both of them are a strong
    match. The test is vectorised: pair keys are sorted once and the
    neighbour pairs looked up with searchsorted.
    """
    n = len(src)
    if not len(a):
        return p
    key = a * n + b
    order = np.argsort(key)
    skey, sp = key[order], p[order]

    def lookup(da: int) -> np.ndarray:
        na, nb = a + da, b + da
        valid = (na >= 0) & (nb >= 0) & (na < n) & (nb < n)
        na, nb = np.clip(na, 0, n - 1), np.clip(nb, 0, n - 1)
        valid &= (src[na] == src[a]) & (src[nb] == src[b])
        k = na * n + nb
        pos = np.clip(np.searchsorted(skey, k), 0, len(skey) - 1)
        return np.where(valid & (skey[pos] == k), sp[pos], 0.0)

    neighbour = np.maximum(lookup(-1), lookup(1))
    lift = (neighbour >= params.context_floor) & (p >= params.mutual_floor)
    return np.where(lift, 1.0 - (1.0 - p) * (1.0 - params.context_boost), p)


def _pair_probabilities(index: Index, cand: PairStats, src: np.ndarray, n_src: int,
                        params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Scored candidates, lifted by reciprocal-best and local-context evidence."""
    if not len(cand.a):
        return np.zeros(0)
    thin = (cand.count < params.mutual_min_shared) & (cand.numbers <= 0) & (cand.names <= 0)
    p = _mutual_boost(index.probability(cand), cand.a, cand.b, src, n_src, params, thin)
    return _context_boost(p, cand.a, cand.b, src, params)


def _features(text: str) -> Features:
    """What a sentence is compared by: its words, not its Markdown.

    A link's URL ("http", "example", "org") would count as shared words
    between every two sentences that carry a link, and ``**Black Tide**``
    should compare as ``Black Tide``. Read once per sentence text and shared
    with the row comparer (:func:`tui.core.analysis.analysis_of`), so aligning
    again (another threshold, the omission report) does not read it again.
    """
    return analysis_of(text).features
