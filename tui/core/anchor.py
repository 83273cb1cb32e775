"""Summary lines placed by their own article (issue 10 item 2).

A headline, a section heading or a "key points" bullet restates something
its own article says in the body: the headline its lede, a heading the
section under it, a key point one of the article's facts. Against *other*
outlets' sentences such a line scores poorly -- it is short and written in
headline words ("Crossings to Tollsey axed until Tuesday" against "Brinmoor
said all sailings ... were cancelled until at least Tuesday") -- so
:func:`tui.core.rowpasses._summary_join` often finds no body row it clears
the bar of, and the line stays in a row of its own (or of other outlets'
headlines), shown as something only that outlet says. Against its own
article it scores well: the same writer uses the same words ("All crossings
to the island have been axed until Tuesday").

So, after the summary join, each summary line still in a row of summary
lines only looks for the body sentence of its own article it restates --
the best-scoring one in its scope (:func:`summary_scopes`: a headline, the
first :data:`LEDE_SENTENCES` body sentences; a heading, its section; a
bullet, the whole body) -- and, when that pair reaches anchor_min x
threshold (short lines, a heading such as "Border tensions", need
short_min_prob as everywhere), moves into that sentence's row, beside it,
provided the row holds other outlets too. The line then links to what the
other outlets say there: the restatement is carried by the article's own
body sentence, which the aligner had already matched across outlets.

Measured (evaluate_gold.py, issue 10's tuning stories, F1; anchor_min 1.0):
seeds 0.875 -> 0.868 (P 0.897 -> 0.881), harbour-fire 0.841 -> 0.808 (its
older gold leaves most headline-body pairs unlinked), lissendale-blackout
0.678 -> 0.767, tollsey-ferry 0.528 -> 0.534, mayor-recount and pill-recall
unchanged or +0.001; news_synth has no summary lines. 0.5 and 0.75 cost the
seeds more; 1.5 and 2.0 lost lissendale's gain. Lining up each line alone
("each") beat moving a row of several outlets' headlines only when all of
them point to one row (lissendale 0.767 vs 0.719).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tui.core.evidence import _Scores
from tui.core.model import KIND_BULLET, KIND_HEADING, KIND_HEADLINE, SUMMARY, Source
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.rowpasses import _row_index

#: A headline restates its article's lede: one of its first body sentences.
LEDE_SENTENCES = 3

#: A headline of at most this many words is not placed by its article: such a line is more
#: often a masthead or section name taken for a headline ("Employment Law Brief"), which
#: matches its own body's words too easily.
HEADLINE_MIN_WORDS = 4

#: (first, stop) flat indices of the own-body sentences a summary line may restate; (0, 0) for none.
Scope = tuple[int, int]


def summary_scopes(sources: Sequence[Source], tier: np.ndarray) -> list[Scope]:
    """For each content sentence (flat order), the own-body sentences it may restate (see module docstring)."""
    out: list[Scope] = []
    base = 0
    for source in sources:
        sents = source.sentences
        n = len(sents)
        body = [i for i in range(n) if tier[base + i] != SUMMARY]
        for i, s in enumerate(sents):
            scope: list[int] = []
            if tier[base + i] == SUMMARY:
                if s.kind == KIND_HEADLINE:
                    if len(s.text.split()) >= HEADLINE_MIN_WORDS:
                        scope = [j for j in body if j > i][:LEDE_SENTENCES]
                elif s.kind == KIND_HEADING:
                    stop = next((j for j in range(i + 1, n) if sents[j].kind in (KIND_HEADING, KIND_HEADLINE)), n)
                    scope = [j for j in body if i < j < stop]
                elif s.kind == KIND_BULLET:
                    scope = body
            out.append((base + scope[0], base + scope[-1] + 1) if scope else (0, 0))
        base += n
    return out


def _anchor_summaries(groups: list[list[int]], src: np.ndarray, scores: _Scores, threshold: float,
                      scopes: Sequence[Scope], strict: np.ndarray,
                      params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Move each summary line of a summary-only row into the row of the own-body sentence it restates."""
    index, tier = scores.index, scores.tier
    assert tier is not None
    n = len(src)
    row_of, rows = _row_index(groups, n)
    src_l = src.tolist()
    level = params.anchor_min * threshold
    for r in sorted(rows):
        head = rows[r]
        if any(tier[m] != SUMMARY for m in head):
            continue
        for u in list(head):
            lo, hi = scopes[u]
            if hi <= lo:
                continue
            body = np.arange(lo, hi, dtype=np.int64)
            # the same scorer as any pair; own-article pairs are never candidates, so scored here
            p = index.probability(index.pair_stats(np.minimum(body, u), np.maximum(body, u)))
            k = int(np.argmax(p))
            need = max(level, params.short_min_prob) if strict[u] else level
            if p[k] < need:
                continue
            t = int(row_of[int(body[k])])
            if t == r or len({src_l[m] for m in rows[t]}) < 2:
                continue
            rows[t].append(u)
            head.remove(u)
            row_of[u] = t
        if not head:
            del rows[r]
    return [sorted(m) for m in rows.values()]


__all__ = ["HEADLINE_MIN_WORDS", "LEDE_SENTENCES", "summary_scopes"]
