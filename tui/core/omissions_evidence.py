"""The pair evidence the omission model weighs a row's reporters by.

The aligner decides rows from pair probabilities (:mod:`tui.core.evidence`)
and then forgets them; a row only keeps the mean of its links
(``Row.score``). To tell a source that is in a row by a strong link from one
that is there by a weak one, or a source that lacks a row but says the same
thing in another, the omission model needs the pairs again. This module
rebuilds them the way :func:`tui.core.align.align` builds them (the same
index, the same candidate search, the same reciprocal-best and context
lifts) and answers two questions:

* :meth:`PairEvidence.pair`: the probability of one pair, the aligner's
  candidate score when the pair was a candidate, else the pair's own
  (unlifted) probability -- the same rule ``align`` uses for a row's score,
  headlines beside body sentences included;
* :meth:`PairEvidence.partners`: a sentence's scored candidate partners in
  other sources, the only pairs worth asking about for "does this source
  say it somewhere else" (a pair that was no candidate shares no rare word).

Rebuilding costs a part of one alignment (no clustering); the result depends
on the sources only, so :func:`evidence_for` keeps the last few, and the
reader, which recomputes the omission model after every fix, pays for it
once per corpus.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence

import numpy as np

# the aligner's own steps, taken from where align() takes them, so that the evidence is its evidence
from tui.core.align import _candidates, _features, _pair_probabilities, _tier_array
from tui.core.model import Source
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.similarity import Index
from tui.core.text import join_compounds

__all__ = ["PairEvidence", "evidence_for"]


class PairEvidence:
    """Pair probabilities between the content sentences of one corpus (see module docstring)."""

    def __init__(self, sources: Sequence[Source], params: AlignParams = DEFAULT_PARAMS) -> None:
        self.sources = tuple(sources)
        counts = [len(s.sentences) for s in self.sources]
        self._offset = [0]
        for c in counts:
            self._offset.append(self._offset[-1] + c)
        flat = [(s, i) for s, c in enumerate(counts) for i in range(c)]
        self._flat = flat
        self._cache: dict[tuple[int, int], float] = {}
        self._partners: list[list[tuple[int, float]]] = [[] for _ in flat]
        n_src = len(self.sources)
        if not flat:
            self.index: Index | None = None
            return
        src = np.asarray([s for s, _ in flat], dtype=np.int64)
        self.index = Index(join_compounds([_features(self.sources[s].sentences[i].text) for s, i in flat]), params)
        tier = _tier_array(self.sources, flat, params)
        cand = _candidates(self.index, src, max(12, n_src // 2 + 8), tier, params.min_cosine)
        p = _pair_probabilities(self.index, cand, src, n_src, params)
        for a, b, v in zip(cand.a.tolist(), cand.b.tolist(), p.tolist()):
            self._cache[(a, b) if a < b else (b, a)] = v
            self._partners[a].append((b, v))
            self._partners[b].append((a, v))

    def flat(self, source: int, index: int) -> int:
        return self._offset[source] + index

    def sentence(self, flat: int) -> tuple[int, int]:
        """(source, sentence index) of a flat sentence number."""
        return self._flat[flat]

    def pairs(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        """Probabilities of flat-numbered pairs: the candidate score, else scored now (and kept)."""
        keys = [(a, b) if a < b else (b, a) for a, b in pairs]
        todo = sorted({k for k in keys if k not in self._cache})
        if todo and self.index is not None:
            arr = np.asarray(todo, dtype=np.int64)
            prob = self.index.probability(self.index.pair_stats(arr[:, 0], arr[:, 1]))
            for k, v in zip(todo, prob.tolist()):
                self._cache[k] = float(v)
        return [self._cache.get(k, 0.0) for k in keys]

    def pair(self, a: tuple[int, int], b: tuple[int, int]) -> float:
        """Probability that sentence ``a`` and sentence ``b`` ((source, index) each) report the same thing."""
        return self.pairs([(self.flat(*a), self.flat(*b))])[0]

    def partners(self, source: int, index: int) -> list[tuple[tuple[int, int], float]]:
        """The sentence's scored candidate partners in other sources: ((source, index), probability)."""
        return [(self._flat[b], v) for b, v in self._partners[self.flat(source, index)]]


#: How many corpora :func:`evidence_for` keeps (the reader holds one; a batch run walks many).
_KEEP = 4
#: keyed by the identities of the sources; the value holds the sources themselves, so an id
#: cannot be reused by another object while its entry lives
_kept: OrderedDict[tuple[int, ...], tuple[tuple[Source, ...], PairEvidence]] = OrderedDict()


def evidence_for(sources: Sequence[Source]) -> PairEvidence:
    """The :class:`PairEvidence` of ``sources``, built once per corpus (the last few are kept)."""
    key = tuple(sources)
    ids = tuple(id(s) for s in key)
    hit = _kept.get(ids)
    if hit is not None and all(a is b for a, b in zip(hit[0], key)):
        _kept.move_to_end(ids)
        return hit[1]
    ev = PairEvidence(key)
    _kept[ids] = (key, ev)
    while len(_kept) > _KEEP:
        _kept.popitem(last=False)
    return ev
