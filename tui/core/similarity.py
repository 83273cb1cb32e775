"""How likely two sentences from different outlets report the same thing.

News paraphrase shares few exact words, and the words it does share are
often the story's topic words ("Pakistan", "Taliban", "talks") that every
sentence of every outlet carries. So raw string similarity is a poor judge:
the scorer weighs shared *stems* by their inverse document frequency over the
corpus being aligned (a word in every sentence counts for almost nothing),
and adds what the lexical overlap misses -- shared or conflicting numbers,
shared names, how much of the shorter sentence the longer one contains, and a
rapidfuzz string score -- combined by a logistic model into a probability.
The model's coefficients were fitted on the MSR paraphrase corpus by
``tests/bench/msrp_calibrate.py``; only the numbers live here.

Everything works on batches: an :class:`Index` holds the sparse
sentence-by-stem matrix of a corpus, and products of its blocks give the
per-pair overlap sums for many pairs at once without a Python loop per pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from tui.core.text import Features, features

#: Logistic coefficients, in the order of :data:`FEATURE_NAMES`, then the bias.
#: Fitted by tests/bench/msrp_calibrate.py (see its output for the figures).
FEATURE_NAMES: tuple[str, ...] = (
    "cosine",        # idf^2-weighted cosine of the stem sets
    "contain",       # shared idf mass / idf mass of the smaller sentence
    "cover",         # shared idf mass / idf mass of the larger sentence
    "fuzzy",         # rapidfuzz token_set_ratio of the stem strings, 0..1
    "names",         # shared name idf mass / smaller name idf mass
    "num_shared",    # at least one number in common
    "num_conflict",  # both carry numbers and none agree
    "short",         # 1 / (content stems of the shorter sentence)
    "jaccard",       # idf-weighted Jaccard of the stem sets
    "n_shared",      # log(1 + shared idf mass): how much rare vocabulary is shared
)
COEF: np.ndarray = np.array([0.0, 0.88, 0.0, 1.32, 0.0, 0.0, 0.26, 0.9, 0.0, 2.44])
BIAS: float = -4.77

_FUZZY = FEATURE_NAMES.index("fuzzy")
#: Probabilities below this are "unrelated" at any sensible threshold; pairs
#: that cannot reach it even with a perfect string score skip that score.
_NEGLIGIBLE = 0.01

#: Tokens found in more sentences than this are handled by a bitmask instead
#: of the sparse product, whose cost grows with the square of a token's count.
_HEAVY_DF = 48
#: Batches of string scores at least this big are spread over all cores.
_PARALLEL_MIN = 2_000
_MAX_HEAVY = 64


def _ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges start[i] .. start[i]+count[i]-1, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return np.repeat(starts, counts) + offs


def idf_weights(doc_freq: np.ndarray, n_docs: int) -> np.ndarray:
    """Smoothed idf, scaled so a word found in every sentence weighs about zero.

    Scaling by log(n) keeps the weights on one scale whether the corpus has
    50 sentences or 10,000, which keeps the calibrated coefficients valid.
    """
    n = max(n_docs, 2)
    raw = np.log((n + 1.0) / (doc_freq + 0.5))
    return np.clip(raw / np.log(n + 1.0), 0.02, None)


@dataclass
class PairStats:
    """Overlap sums for a batch of pairs (a[i], b[i]), one array per signal."""

    a: np.ndarray
    b: np.ndarray
    dot: np.ndarray      # sum of idf^2 over shared stems
    shared: np.ndarray   # sum of idf over shared stems
    names: np.ndarray    # sum of idf over stems that are names in both
    numbers: np.ndarray  # count of shared numbers
    count: np.ndarray    # count of shared stems


class Index:
    """The sparse sentence-by-stem matrix of one corpus, with its idf.

    Built once per alignment; every pair score in that alignment uses the
    same idf, so "rare" means rare in *this* story.
    """

    def __init__(self, feats: Sequence[Features]) -> None:
        self.feats = list(feats)
        n = len(self.feats)
        self.n = n
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        name_flag: list[bool] = []
        for i, f in enumerate(self.feats):
            for s in sorted(set(f.stems)):
                cols.append(vocab.setdefault(s, len(vocab)))
                rows.append(i)
                name_flag.append(s in f.names)
        self.vocab = vocab
        v = len(vocab)
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        nf = np.asarray(name_flag, dtype=bool)
        df = np.bincount(c, minlength=v).astype(np.float64)
        self.df = df
        self.idf = idf_weights(df, n)
        tokens = sorted(vocab, key=vocab.__getitem__)
        self.is_number = np.array([t[:1].isdigit() for t in tokens], dtype=bool)

        w = self.idf[c]
        self.norm = np.sqrt(np.bincount(r, weights=w * w, minlength=n))
        self.mass = np.bincount(r, weights=w, minlength=n)
        self.name_mass = np.bincount(r, weights=w * nf, minlength=n)
        self.n_numbers = np.bincount(r, weights=self.is_number[c], minlength=n)
        self.length = np.bincount(r, minlength=n).astype(np.float64)
        self.keys = [f.key for f in self.feats]

        # Heavy tokens: bit j of mask[i] says sentence i has heavy token j.
        order = np.argsort(-df, kind="stable")
        heavy = [int(t) for t in order[:_MAX_HEAVY] if df[t] > _HEAVY_DF]
        self.heavy = np.asarray(heavy, dtype=np.int64)
        heavy_bit = np.full(v, -1, dtype=np.int64)
        heavy_bit[self.heavy] = np.arange(len(heavy))
        hb = heavy_bit[c]
        is_heavy = hb >= 0
        self.mask = np.zeros(n, dtype=np.uint64)
        self.name_mask = np.zeros(n, dtype=np.uint64)
        np.bitwise_or.at(self.mask, r[is_heavy], np.left_shift(np.uint64(1), hb[is_heavy].astype(np.uint64)))
        hn = is_heavy & nf
        np.bitwise_or.at(self.name_mask, r[hn], np.left_shift(np.uint64(1), hb[hn].astype(np.uint64)))

        # Light entries in CSR (by sentence) and CSC (by token) order.
        light = ~is_heavy
        self._r, self._c, self._nf = r[light], c[light], nf[light]
        self._rowptr = np.concatenate([[0], np.cumsum(np.bincount(self._r, minlength=n))])
        by_col = np.argsort(self._c, kind="stable")
        self._col_rows = self._r[by_col]
        self._col_nf = self._nf[by_col]
        self._colptr = np.concatenate([[0], np.cumsum(np.bincount(self._c, minlength=v))])

    # -- blocks of the sparse product ---------------------------------------

    def block(self, rows: np.ndarray) -> tuple[np.ndarray, ...]:
        """Dense overlap sums of the given sentences against every sentence.

        Returns (dot, shared, names, numbers, count), each of shape (len(rows), n),
        for the light tokens only; :meth:`add_heavy` completes given pairs.
        """
        n = self.n
        rows = np.asarray(rows, dtype=np.int64)
        m = len(rows)
        ent = _ragged(self._rowptr[rows], self._rowptr[rows + 1] - self._rowptr[rows])
        er = np.repeat(np.arange(m), self._rowptr[rows + 1] - self._rowptr[rows])
        ec = self._c[ent]
        enf = self._nf[ent]
        starts = self._colptr[ec]
        counts = self._colptr[ec + 1] - starts
        size = m * n
        post = _ragged(starts, counts)
        if not len(post):
            return tuple(np.zeros((m, n)) for _ in range(5))  # type: ignore[return-value]
        rep = np.repeat(np.arange(len(ec)), counts)
        other = self._col_rows[post]
        key = er[rep] * n + other
        tok = ec[rep]
        idf = self.idf[tok]
        dot = np.bincount(key, weights=idf * idf, minlength=size).reshape(m, n)
        shared = np.bincount(key, weights=idf, minlength=size).reshape(m, n)
        both_names = enf[rep] & self._col_nf[post]
        names = np.bincount(key, weights=idf * both_names, minlength=size).reshape(m, n)
        nums = np.bincount(key, weights=self.is_number[tok], minlength=size).reshape(m, n)
        count = np.bincount(key, minlength=size).astype(np.float64).reshape(m, n)
        return dot, shared, names, nums, count

    def add_heavy(self, a: np.ndarray, b: np.ndarray, dot: np.ndarray, shared: np.ndarray,
                  names: np.ndarray, nums: np.ndarray, count: np.ndarray) -> None:
        """Add the heavy tokens' share of the sums for pairs (a, b), in place."""
        if not len(self.heavy) or not len(a):
            return
        both = self.mask[a] & self.mask[b]
        both_names = self.name_mask[a] & self.name_mask[b]
        for j, t in enumerate(self.heavy):
            bit = np.uint64(1) << np.uint64(j)
            hit = (both & bit) != 0
            if not hit.any():
                continue
            w = self.idf[t]
            dot += hit * (w * w)
            shared += hit * w
            names += ((both_names & bit) != 0) * w
            count += hit
            if self.is_number[t]:
                nums += hit

    def pair_stats(self, a: np.ndarray, b: np.ndarray) -> PairStats:
        """Exact overlap sums for arbitrary pairs, a block of rows at a time."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        out = [np.zeros(len(a)) for _ in range(5)]
        if len(a):
            rows, inverse = np.unique(a, return_inverse=True)
            step = max(1, 2_000_000 // max(self.n, 1))
            order = np.argsort(inverse, kind="stable")
            bounds = np.searchsorted(inverse[order], np.arange(0, len(rows) + step, step))
            for j, lo in enumerate(range(0, len(rows), step)):
                sel = order[bounds[j]:bounds[j + 1]]
                blocks = self.block(rows[lo:lo + step])
                for arr, blk in zip(out, blocks):
                    arr[sel] = blk[inverse[sel] - lo, b[sel]]
            self.add_heavy(a, b, *out)
        return PairStats(a, b, *out)

    # -- features and probability -------------------------------------------

    def feature_matrix(self, st: PairStats, fuzzy: np.ndarray | None = None,
                       skip_below: float | None = None) -> np.ndarray:
        """The model's inputs for each pair, in the order of FEATURE_NAMES.

        ``fuzzy`` (token_set_ratio / 100 per pair) may be passed when the
        caller computed it in bulk with ``process.cdist``. With ``skip_below``
        the string score, the costliest signal, is only computed for pairs
        that could reach that probability with it; the others get 0.
        """
        a, b = st.a, st.b
        denom = np.maximum(self.norm[a] * self.norm[b], 1e-9)
        cosine = st.dot / denom
        small = np.maximum(np.minimum(self.mass[a], self.mass[b]), 1e-9)
        large = np.maximum(np.maximum(self.mass[a], self.mass[b]), 1e-9)
        contain = st.shared / small
        cover = st.shared / large
        name_small = np.minimum(self.name_mass[a], self.name_mass[b])
        names = np.where(name_small > 0, st.names / np.maximum(name_small, 1e-9), 0.0)
        num_shared = (st.numbers > 0).astype(np.float64)
        num_conflict = ((self.n_numbers[a] > 0) & (self.n_numbers[b] > 0) & (st.numbers == 0)).astype(np.float64)
        short = 1.0 / np.maximum(np.minimum(self.length[a], self.length[b]), 1.0)
        union = np.maximum(self.mass[a] + self.mass[b] - st.shared, 1e-9)
        jaccard = st.shared / union
        n_shared = np.log1p(st.shared)
        x = np.column_stack([cosine, contain, cover, np.zeros(len(a)), np.clip(names, 0, 1),
                             num_shared, num_conflict, short, jaccard, n_shared])
        if fuzzy is not None:
            x[:, _FUZZY] = fuzzy
        elif len(a):
            need = np.ones(len(a), dtype=bool)
            if skip_below is not None:
                best_case = x @ COEF + BIAS + max(COEF[_FUZZY], 0.0)
                need = best_case >= np.log(skip_below / (1.0 - skip_below))
            if need.any():
                # a thread pool costs about a millisecond to start: only worth it
                # for big batches, not the handful of pairs the row builder asks for
                workers = -1 if need.sum() >= _PARALLEL_MIN else 1
                x[need, _FUZZY] = process.cpdist(
                    [self.keys[i] for i in a[need]], [self.keys[i] for i in b[need]],
                    scorer=fuzz.token_set_ratio, workers=workers) / 100.0
        return x

    def probability(self, st: PairStats, fuzzy: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probability that each pair reports the same thing."""
        return logistic(self.feature_matrix(st, fuzzy, skip_below=_NEGLIGIBLE))


def logistic(x: np.ndarray, coef: np.ndarray | None = None, bias: float | None = None) -> np.ndarray:
    """Apply the logistic model to a feature matrix."""
    c = COEF if coef is None else coef
    b0 = BIAS if bias is None else bias
    z = x @ c + b0
    return 1.0 / (1.0 + np.exp(-z))


def score_matrix(a_sentences: Sequence[str], b_sentences: Sequence[str],
                 context: Sequence[str] = ()) -> np.ndarray:
    """Probabilities for every pair of ``a_sentences`` × ``b_sentences``.

    The idf is computed over both lists plus ``context`` (more sentences of
    the same story), because what counts as a rare word depends on the story.
    """
    texts = list(a_sentences) + list(b_sentences) + list(context)
    index = Index([features(t) for t in texts])
    na, nb = len(a_sentences), len(b_sentences)
    if not na or not nb:
        return np.zeros((na, nb))
    a = np.repeat(np.arange(na), nb)
    b = np.tile(np.arange(nb), na) + na
    fuzzy = process.cdist(index.keys[:na], index.keys[na:na + nb], scorer=fuzz.token_set_ratio,
                          workers=-1, dtype=np.float64).ravel() / 100.0
    return index.probability(index.pair_stats(a, b), fuzzy).reshape(na, nb)


def pair_score(a: str, b: str, context: Sequence[str] = ()) -> float:
    """Probability that two sentences report the same thing (see score_matrix)."""
    return float(score_matrix([a], [b], context)[0, 0])
