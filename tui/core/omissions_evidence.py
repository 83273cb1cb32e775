"""The pair evidence the omission model weighs a row's absentees by.

The aligner decides rows from pair probabilities (:mod:`tui.core.evidence`)
and then forgets them; a row only keeps the mean of its links
(``Row.score``). To tell a source that lacks a row but says the same thing in
another row from one that really leaves it out, the omission model needs the
pairs again: :meth:`PairEvidence.partners` gives a sentence's scored
candidate partners in other sources (a pair that was no candidate shares no
rare word, so it is no evidence), with the aligner's probabilities (the same
index, candidate search and reciprocal-best and context lifts), and, which
the aligner does not compare, a headline's or key-point line's best body
sentences.

:func:`tui.core.align.align` hands its candidates over as it goes
(:func:`remember`), so the omission model of a fresh alignment costs no second
candidate search; for an alignment rebuilt from a session's stored rows
:func:`evidence_for` scores them once per corpus. Either way the result
depends on the sources only and the last few are kept, so the reader, which
recomputes the omission model after every fix, pays for it once.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

from tui.core.candidates import _candidates, block
from tui.core.evidence import _features, _pair_probabilities
from tui.core.model import SUMMARY, Source, sentence_layers
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.similarity import Index, PairStats
from tui.core.text import join_compounds

__all__ = ["PairEvidence", "evidence_for", "remember"]

#: What align() already computed: the index, the scored candidates and each sentence's layer.
_Parts = tuple[Index, PairStats, np.ndarray, "np.ndarray | None"]


def candidate_k(n_sources: int) -> int:
    """How many partners each sentence keeps (the aligner's rule)."""
    return max(12, n_sources // 2 + 8)


class PairEvidence:
    """Each content sentence's scored candidate partners in other sources (see module docstring)."""

    def __init__(self, sources: Sequence[Source], params: AlignParams = DEFAULT_PARAMS,
                 parts: _Parts | None = None) -> None:
        self.sources = tuple(sources)
        counts = [len(s.sentences) for s in self.sources]
        self._offset = [0]
        for c in counts:
            self._offset.append(self._offset[-1] + c)
        self._flat = [(s, i) for s, c in enumerate(counts) for i in range(c)]
        self._params = params
        self._parts = parts
        self._partners: list[list[tuple[int, float]]] | None = None

    def _build(self) -> list[list[tuple[int, float]]]:
        """The partner lists, made on first use (align() hands over arrays; the lists cost a loop)."""
        flat, params, n_src = self._flat, self._params, len(self.sources)
        partners: list[list[tuple[int, float]]] = [[] for _ in flat]
        if not flat:
            return partners
        src = np.asarray([s for s, _ in flat], dtype=np.int64)
        if self._parts is not None:
            index, cand, p, tier = self._parts
        else:
            index = Index(join_compounds([_features(self.sources[s].sentences[i].text) for s, i in flat]), params)
            layers = [sentence_layers(source, params.full_sentence_words) for source in self.sources]
            tier = np.asarray([layers[s][i] for s, i in flat], dtype=np.int64)
            if not (tier != tier[0]).any():
                tier = None
            cand = _candidates(index, src, candidate_k(n_src), tier, params.min_cosine)
            p = _pair_probabilities(index, cand, src, n_src, params)
        self._parts = None  # the index is not needed any more
        _add(partners, cand.a.tolist(), cand.b.tolist(), p.tolist())
        if tier is not None:
            a, b, v = _summary_pairs(index, src, tier, candidate_k(n_src), params.min_cosine)
            _add(partners, a, b, v)
        return partners

    def flat(self, source: int, index: int) -> int:
        return self._offset[source] + index

    def partners(self, source: int, index: int) -> list[tuple[tuple[int, int], float]]:
        """The sentence's scored candidate partners in other sources: ((source, index), probability)."""
        if self._partners is None:
            self._partners = self._build()
        flat = self._flat
        return [(flat[b], v) for b, v in self._partners[self.flat(source, index)]]


def _add(partners: list[list[tuple[int, float]]], a: list[int], b: list[int], p: list[float]) -> None:
    for x, y, v in zip(a, b, p):
        partners[x].append((y, v))
        partners[y].append((x, v))


def _summary_pairs(index: Index, src: np.ndarray, tier: np.ndarray, k: int,
                   min_cosine: float) -> tuple[list[int], list[int], list[float]]:
    """Partners across the layers: each summary line's top-k body sentences by cosine, scored.

    The aligner compares headlines with headlines and body with body, so a
    summary line is no body sentence's candidate; but a source whose headline
    states a row's fact reports it. A story has few summary lines, so this is
    a small block product.
    """
    rows = np.flatnonzero(tier == SUMMARY)
    kk = min(k, index.n - 1)
    if not len(rows) or kk <= 0:
        return [], [], []
    dot = block(index, rows)[0]
    cos = dot / np.maximum(np.outer(index.norm[rows], index.norm), 1e-9)
    cos[src[rows, None] == src[None, :]] = 0.0
    cos[:, tier == SUMMARY] = 0.0
    top = np.argpartition(-cos, kk - 1, axis=1)[:, :kk]
    r = np.repeat(np.arange(len(rows)), kk)
    c = top.ravel()
    keep = cos[r, c] >= min_cosine
    a, b = rows[r[keep]], c[keep]
    if not len(a):
        return [], [], []
    prob = index.probability(index.pair_stats(a, b))
    return a.tolist(), b.tolist(), prob.tolist()


#: How many corpora are kept (the reader holds one; a batch run walks many, one at a time).
_KEEP = 2
#: keyed by the identities of the sources; the value holds the sources themselves, so an id
#: cannot be reused by another object while its entry lives
_kept: OrderedDict[tuple[int, ...], tuple[tuple[Source, ...], PairEvidence]] = OrderedDict()


def _keep(key: tuple[Source, ...], ev: PairEvidence) -> None:
    _kept[tuple(id(s) for s in key)] = (key, ev)
    _kept.move_to_end(tuple(id(s) for s in key))
    while len(_kept) > _KEEP:
        _kept.popitem(last=False)


def remember(sources: Sequence[Source], params: AlignParams, index: Index, cand: PairStats,
             p: np.ndarray, tier: np.ndarray | None) -> None:
    """What :func:`tui.core.align.align` scored, kept for the omission model (the product's params only)."""
    if params == DEFAULT_PARAMS:
        key = tuple(sources)
        _keep(key, PairEvidence(key, params, (index, cand, p, tier)))


def evidence_for(sources: Sequence[Source]) -> PairEvidence:
    """The :class:`PairEvidence` of ``sources``: the one align() left, else built now (and kept)."""
    key = tuple(sources)
    ids = tuple(id(s) for s in key)
    hit = _kept.get(ids)
    if hit is not None and all(a is b for a, b in zip(hit[0], key)):
        _kept.move_to_end(ids)
        return hit[1]
    ev = PairEvidence(key)
    _keep(key, ev)
    return ev
