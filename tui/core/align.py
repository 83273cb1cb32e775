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
the full score.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from tui.core.model import BODY, SUMMARY  # noqa: F401 - the values of tiers(), re-exported
from tui.core.analysis import analysis_of
from tui.core.model import KIND_HEADING, AlignSettings, Alignment, Row, Source, sentence_layers
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.similarity import Index, PairStats
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
        self.cache: dict[tuple[int, int], float] = {}
        self.spare: dict[tuple[int, int], float] = {}

    def add(self, a: np.ndarray, b: np.ndarray, p: np.ndarray) -> None:
        for x, y, v in zip(a.tolist(), b.tolist(), p.tolist()):
            self.cache[(x, y) if x < y else (y, x)] = v

    def many(self, pairs: list[tuple[int, int]],
             ahead: Callable[[], list[tuple[int, int]]] | None = None) -> list[float]:
        cache, spare = self.cache, self.spare
        try:
            # the common case, every pair already scored: one pass, no sets
            return [cache[p] for p in pairs]
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
            arr = np.asarray(todo, dtype=np.int64)
            st = self.index.pair_stats(arr[:, 0], arr[:, 1])
            prob = self.index.probability(st)
            if self.tier is not None:
                prob = np.where(self.tier[arr[:, 0]] == self.tier[arr[:, 1]], prob, 0.0)
            for pair, v in zip(todo, prob.tolist()):
                if pair in missing:
                    cache[pair] = v
                else:
                    spare[pair] = v
        return [cache[p] for p in pairs]


#: How many of the next merge candidates _cluster prefetches pairs for on a
#: cache miss, and at most how many pairs (see _Scores.many).
_AHEAD_EDGES = 200
_AHEAD_PAIRS = 5_000


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
        blocks = index.block(np.arange(lo, hi))
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


def _best_two(key: np.ndarray, p: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Best and second-best probability per key (a sentence facing one other source)."""
    best = np.zeros(size)
    second = np.zeros(size)
    order = np.lexsort((-p, key))
    k, v = key[order], p[order]
    first = np.ones(len(k), dtype=bool)
    first[1:] = k[1:] != k[:-1]
    best[k[first]] = v[first]
    is_second = np.zeros(len(k), dtype=bool)
    is_second[1:] = ~first[1:] & first[:-1]
    second[k[is_second]] = v[is_second]
    return best, second


def _mutual_boost(p: np.ndarray, a: np.ndarray, b: np.ndarray, src: np.ndarray,
                  n_src: int, params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Raise pairs that are clearly each other's best match in the other's source.

    A paraphrase that shares few words still scores low in absolute terms,
    but if each sentence is the other's best match in that article, by a
    margin over the runner-up, the pair is far more likely right than its
    score says. Unrelated sentences that merely share topic words rarely
    stand out like that.
    """
    size = len(src) * n_src
    ka = a * n_src + src[b]
    kb = b * n_src + src[a]
    key = np.concatenate([ka, kb])
    best, second = _best_two(key, np.concatenate([p, p]), size)
    runner_up = np.maximum(second[ka], second[kb])
    mutual = ((p >= best[ka]) & (p >= best[kb]) & (p >= params.mutual_floor)
              & (p >= params.mutual_margin * runner_up))
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


def _cluster(n: int, src: np.ndarray, a: np.ndarray, b: np.ndarray, p: np.ndarray,
             scores: _Scores, threshold: float, strict: np.ndarray,
             params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Constrained average-link merging, strongest pair first."""
    full = (a, b, p)
    ok = p >= threshold
    ok &= ~((strict[a] | strict[b]) & (p < max(threshold, params.short_min_prob)))
    a, b, p = a[ok], b[ok], p[ok]
    order = np.lexsort((b, a, -p))
    cluster_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    sources: dict[int, set[int]] = {i: {int(src[i])} for i in range(n)}
    rejected: set[tuple[int, int, int, int]] = set()
    edges = order.tolist()
    a_list, b_list = a.tolist(), b.tolist()
    cache = scores.cache
    pos = 0
    # Cluster pairs (ids and sizes, like ``rejected``) whose cross pairs an
    # earlier prefetch already handed over: every one of them is now scored
    # (cache or spare), so listing them again only costs time -- on 100 x 100
    # sentences the same big rows came up in prefetch after prefetch.
    fetched: set[tuple[int, int, int, int]] = set()

    def ahead() -> list[tuple[int, int]]:
        """Unscored pairs the next merge tests will probably need, as things stand."""
        out: list[tuple[int, int]] = []
        for f in edges[pos + 1:pos + 1 + _AHEAD_EDGES]:
            cx, cy = cluster_of[a_list[f]], cluster_of[b_list[f]]
            if cx == cy or sources[cx] & sources[cy]:
                continue
            mx, my = members[cx], members[cy]
            key = (cx, cy, len(mx), len(my)) if cx < cy else (cy, cx, len(my), len(mx))
            if key in fetched or key in rejected:
                continue
            fetched.add(key)
            out.extend(q for u in mx for v in my
                       if (q := (u, v) if u < v else (v, u)) not in cache)
            if len(out) >= _AHEAD_PAIRS:
                break
        return out

    for pos, e in enumerate(edges):  # noqa: B007 - ahead() reads pos (the edge being tested) through its closure
        x, y = cluster_of[a_list[e]], cluster_of[b_list[e]]
        if x == y or sources[x] & sources[y]:
            continue
        mx, my = members[x], members[y]
        # clusters only grow, so a refusal stands until either side changes
        seen = (x, y, len(mx), len(my)) if x < y else (y, x, len(my), len(mx))
        if seen in rejected:
            continue
        pairs = [(u, v) if u < v else (v, u) for u in mx for v in my]
        vals = np.asarray(scores.many(pairs, ahead)).reshape(len(mx), len(my))
        if not _supported(vals, threshold, params):
            rejected.add(seen)
            continue
        if len(mx) < len(my):
            x, y, mx, my = y, x, my, mx
        mx.extend(my)
        sources[x] |= sources.pop(y)
        for m in members.pop(y):
            cluster_of[m] = x
    groups = [sorted(m) for m in members.values()]
    if params.refine:
        groups = _refine(groups, src, a, b, scores, threshold, params=params)
    if params.pair_up:
        groups = _pair_up(groups, src, *full, scores, threshold, strict, params)
    if params.split_join:
        groups = _split_join(groups, src, scores, threshold, strict, params)
    if params.summary_join and scores.tier is not None:
        groups = _summary_join(groups, src, scores, threshold, strict, params)
    return groups


def _row_index(groups: list[list[int]], n: int) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Rows by id (the passes below move sentences between them) and each sentence's row id."""
    row_of = np.empty(n, dtype=np.int64)
    rows: dict[int, list[int]] = {}
    for r, g in enumerate(groups):
        rows[r] = list(g)
        row_of[g] = r
    return row_of, rows


def _refine(groups: list[list[int]], src: np.ndarray, a: np.ndarray, b: np.ndarray,
            scores: _Scores, threshold: float, rounds: int = 8,
            params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Local search after the greedy merge: move a sentence to the row that supports it best.

    The greedy merge is order-dependent: one outlet's sentence can take a
    row's slot for that outlet first and block a better-supported sentence of
    the same outlet, which then stays single. Here every sentence, in index
    order, may move to a row holding one of its candidate partners
    (``a``/``b``, already filtered), displacing that row's sentence of its
    own source, when that raises the total of (probability - refine_offset x
    threshold) over all within-row pairs -- i.e. it only moves when the row
    gains more support than the sentence's old row and the displaced
    sentence lose. Each move strictly raises that total, so the search ends
    (``rounds`` caps it anyway); the displaced sentence becomes single and
    may move on in a later round. A move must also pass :func:`_supported`
    at refine_join x threshold, so it cannot chain an unrelated sentence in.
    """
    n = len(src)
    row_of, rows = _row_index(groups, n)
    nxt = len(groups)
    row_of = row_of.tolist()  # Python ints from here on
    src = src.tolist()
    nbrs: list[list[int]] = [[] for _ in range(n)]
    for x, y in zip(a.tolist(), b.tolist()):
        nbrs[x].append(y)
        nbrs[y].append(x)

    # Only pairs already scored count, any other as 0: such a pair was
    # neither sentence's top-k candidate nor needed by the merge, so it shares
    # next to no rare vocabulary. Scoring it would cost a block product per
    # sentence, most of the run time on 100 x 100 sentences, and the
    # strict refine_join test made the exact scores change no gold result.
    # Read through per-sentence dicts rather than (i, m) tuple keys: support
    # runs over ~2 million member pairs on 100 x 100 sentences, and building
    # and ordering a tuple per lookup was most of its cost.
    by: list[dict[int, float]] = [{} for _ in range(n)]
    for (x, y), v in scores.cache.items():
        by[x][y] = v
        by[y][x] = v

    def support(i: int, members: list[int]) -> list[float]:
        get = by[i].get
        return [get(m, 0.0) for m in members]

    def tempted(i: int) -> list[int]:
        # rows holding a candidate partner of i, other than its own
        return sorted({row_of[j] for j in nbrs[i]} - {row_of[i]})

    # Plain Python floats, not numpy: the vectors are a row long, and this
    # loop runs for every sentence every round, where numpy's per-call cost
    # dominated the 100 x 100 run time.
    if params.refine_value == "logit":
        lo, hi = params.refine_clip, 1.0 - params.refine_clip
        q = min(max(params.refine_offset * threshold, lo), hi)
        base = math.log(q / (1.0 - q))

        def value(vals: list[float]) -> float:
            return sum(math.log(c / (1.0 - c)) - base for c in (min(max(v, lo), hi) for v in vals))
    else:
        base = params.refine_offset * threshold

        def value(vals: list[float]) -> float:
            return sum(v - base for v in vals)

    join_mean = params.join_mean * params.refine_join * threshold
    join_min = params.join_min * params.refine_join * threshold

    def joins(vals: list[float]) -> bool:
        # _supported for one sentence against a row: each single member is
        # its own column, so every pair must reach the floor
        return bool(vals) and sum(vals) / len(vals) >= join_mean and min(vals) >= join_min

    # A sentence's decision reads only its own row and the rows it is
    # tempted by. If none of those changed since it last found no better row,
    # it would find none again, so later rounds skip it: ``version`` stamps
    # each row with the clock of its last change, ``checked`` the clock at
    # which each sentence was last evaluated. (A neighbour moving in or out
    # changes one of those rows, so the tempting set is covered too.) The
    # result is exactly that of re-evaluating everyone every round.
    clock = 0
    version: dict[int, int] = {}
    checked = [-1] * n
    looked: list[list[int]] = [[] for _ in range(n)]

    def touch(r: int) -> None:
        version[r] = clock

    for _ in range(rounds):
        moved = False
        for i in range(n):
            home = row_of[i]
            c = checked[i]
            if c >= 0 and version.get(home, -1) <= c and all(
                    version.get(r, -1) <= c for r in looked[i]):
                continue
            away = tempted(i)
            checked[i] = clock
            looked[i] = away
            if not away:
                continue
            here = [m for m in rows[home] if m != i]
            stay = value(support(i, here))
            best, best_gain, best_d = -1, 1e-9, -1
            si = src[i]
            for r in away:
                d = next((m for m in rows[r] if src[m] == si), -1)
                rest = [m for m in rows[r] if m != d]
                vals = support(i, rest)
                if not joins(vals):
                    continue
                gain = value(vals) - stay
                if d >= 0:
                    gain -= value(support(d, rest))
                if gain > best_gain:
                    best, best_gain, best_d = r, gain, d
            if best < 0:
                continue
            moved = True
            clock += 1
            touch(home)
            touch(best)
            rows[home] = here
            if not here:
                del rows[home]
            if best_d >= 0:
                rows[best].remove(best_d)
                rows[nxt] = [best_d]
                row_of[best_d] = nxt
                touch(nxt)
                nxt += 1
            rows[best].append(i)
            row_of[i] = best
        if not moved:
            break
    return [sorted(m) for m in rows.values()]


def _pair_up(groups: list[list[int]], src: np.ndarray, a: np.ndarray, b: np.ndarray,
             p: np.ndarray, scores: _Scores, threshold: float,
             strict: np.ndarray, params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Put clear reciprocal best matches in one row.

    Row building maximises a row's total support, which favours big rows: when
    one outlet splits a statement over two sentences and another outlet says
    it in one, the one long sentence joins the bigger row built around the
    split outlet's *other* sentence, and a near-certain pair is lost to
    several middling ones. A pair that is each side's best match in the
    other's source, strongly and by a clear margin over the runner-up, is the
    most reliable evidence the aligner has, so here it wins: one side moves to
    the other's row (displacing that row's sentence of its source) if it is
    supported there (:func:`_supported` at the threshold), otherwise the two
    leave their rows and form their own. Pairs go strongest first, and a
    sentence placed by a pair is not moved by a weaker one.
    """
    n = len(src)
    n_src = int(src.max()) + 1 if n else 0
    ka = a * n_src + src[b]
    kb = b * n_src + src[a]
    best, second = _best_two(np.concatenate([ka, kb]), np.concatenate([p, p]), n * n_src)
    runner_up = np.maximum(second[ka], second[kb])
    keep = ((p >= params.pair_min) & (p >= best[ka]) & (p >= best[kb])
            & (p - runner_up >= params.pair_margin) & ~strict[a] & ~strict[b])
    if not keep.any():
        return groups
    row_of, rows = _row_index(groups, n)
    nxt = len(groups)
    locked = np.zeros(n, dtype=bool)
    ka_, kb_, kp = a[keep], b[keep], p[keep]
    for e in np.lexsort((kb_, ka_, -kp)).tolist():
        i, j = int(ka_[e]), int(kb_[e])
        if row_of[i] == row_of[j] or (locked[i] and locked[j]):
            continue
        placed = False
        # try moving the unlocked side whose row is smaller into the other's row
        for mover, anchor in sorted(((i, j), (j, i)), key=lambda t: len(rows[row_of[t[0]]])):
            if locked[mover]:
                continue
            target = int(row_of[anchor])
            rest = [m for m in rows[target] if src[m] != src[mover]]
            if any(locked[m] for m in rows[target] if src[m] == src[mover]):
                continue
            pairs = [(mover, m) if mover < m else (m, mover) for m in rest]
            vals = np.asarray(scores.many(pairs))
            if not _supported(vals[None, :], threshold, params):
                continue
            home = int(row_of[mover])
            rows[home].remove(mover)
            if not rows[home]:
                del rows[home]
            for d in [m for m in rows[target] if src[m] == src[mover]]:
                rows[target].remove(d)
                rows[nxt] = [d]
                row_of[d] = nxt
                nxt += 1
            rows[target].append(mover)
            row_of[mover] = target
            placed = True
            break
        if not placed:
            if locked[i] or locked[j]:
                continue
            for m in (i, j):
                home = int(row_of[m])
                rows[home].remove(m)
                if not rows[home]:
                    del rows[home]
            rows[nxt] = [i, j]
            row_of[i] = row_of[j] = nxt
            nxt += 1
        locked[i] = locked[j] = True
    return [sorted(m) for m in rows.values()]


def _split_join(groups: list[list[int]], src: np.ndarray, scores: _Scores, threshold: float,
                strict: np.ndarray, params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Let a row take the next or previous sentence of an outlet already in it (1:n).

    One outlet often says in two sentences what another says in one ("A
    jury took under three hours." / "It found him guilty of misconduct."
    against "It took a jury under three hours to find him guilty of
    misconduct."). At one sentence per source per row the second half is
    left alone and reads as something only that outlet reports. Here a
    sentence that is alone in its row joins the row of its neighbour in its
    own article (the sentence just before or after) when the row's other
    outlets support it: a mean probability of at least split_min x
    threshold, and each of them linked to it (:func:`_supported` at that
    level). The bar is lower than a row's own, because a continuation
    shares only part of the statement -- but it must be adjacent to a
    sentence that already matched, which an unrelated sentence rarely is.
    Each row grows at most one sentence at each end per pass, and short
    fragments keep their stricter bar (short_min_prob).
    """
    n = len(src)
    if n == 0:
        return groups
    row_of, rows = _row_index(groups, n)
    src_l = src.tolist()
    level = params.split_min * threshold

    def tests(r: int, s: int) -> list[tuple[int, list[int]]]:
        """The neighbours of source s's sentences in row r that could join, with the row's others."""
        own = [m for m in rows[r] if src_l[m] == s]
        others = [m for m in rows[r] if src_l[m] != s]
        return [(u, others) for u in (min(own) - 1, max(own) + 1)
                if 0 <= u < n and src_l[u] == s and len(rows[int(row_of[u])]) == 1]

    # score what the loop below will ask for in one batch (see _Scores); a
    # pair it needs only after an earlier join is scored on demand
    ahead = [(u, m) if u < m else (m, u)
             for r, members in rows.items() if len({src_l[m] for m in members}) >= 2
             for s in {src_l[m] for m in members} for u, others in tests(r, s) for m in others]
    if ahead:
        scores.many(ahead)
    for r in sorted(rows):
        members = rows.get(r)
        if not members or len({src_l[m] for m in members}) < 2:
            continue
        for s in sorted({src_l[m] for m in members}):
            for u, others in tests(r, s):
                if len(rows[int(row_of[u])]) != 1:
                    continue
                pairs = [(u, m) if u < m else (m, u) for m in others]
                vals = np.asarray(scores.many(pairs))
                need = max(level, params.short_min_prob) if strict[u] else level
                if vals.mean() < need or not _supported(vals[None, :], need / params.join_mean, params):
                    continue
                del rows[int(row_of[u])]
                rows[r].append(u)
                row_of[u] = r
    return [sorted(m) for m in rows.values()]


def _summary_join(groups: list[list[int]], src: np.ndarray, scores: _Scores, threshold: float,
                  strict: np.ndarray | None = None,
                  params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Put a headline, heading or key-points line in the body row it restates.

    The summary layer keeps headlines from competing with body sentences for
    a row (a headline that took another outlet's lede slot pushed its own
    outlet's lede out); but a headline that restates the lede *is* that
    story, and shown apart it reads as something nobody else reports. So
    after the rows are built, each summary row -- the outlets' headlines
    lined up, or one summary line alone -- joins the body row that
    supports it best: mean cross-layer probability of at least summary_min
    x threshold and every member linked (:func:`_supported` at that level).
    A summary line sits beside its own outlet's body sentence in that row,
    never instead of it. Candidates are the body sentences that share the
    most rare words with a summary line (top summary_k by light cosine). A
    row with a heading or a fragment in it ("Background") needs
    short_min_prob, as everywhere.
    """
    index, tier = scores.index, scores.tier
    assert tier is not None
    n = len(src)
    summary = np.flatnonzero(tier == SUMMARY)
    if not len(summary):
        return groups
    k = params.summary_k
    part_a: list[np.ndarray] = []
    part_b: list[np.ndarray] = []
    step = max(1, 1_000_000 // max(n, 1))
    for lo in range(0, len(summary), step):
        chunk = summary[lo:lo + step]
        blocks = index.block(chunk)
        cos = blocks[0] / np.maximum(np.outer(index.norm[chunk], index.norm), 1e-9)
        cos[src[chunk, None] == src[None, :]] = 0.0
        cos[:, tier == SUMMARY] = 0.0
        kk = min(k, n - 1)
        if kk <= 0:
            continue
        top = np.argpartition(-cos, kk - 1, axis=1)[:, :kk]
        at = np.repeat(np.arange(len(chunk)), kk)
        c = top.ravel()
        keep = cos[at, c] >= params.min_cosine
        part_a.append(chunk[at[keep]])
        part_b.append(c[keep])
    if not part_a:
        return groups
    cand_a, cand_b = np.concatenate(part_a), np.concatenate(part_b)
    cache: dict[tuple[int, int], float] = {}

    def cross(pairs: list[tuple[int, int]]) -> np.ndarray:
        todo = sorted({q for q in pairs if q not in cache})
        if todo:
            arr = np.asarray(todo, dtype=np.int64)
            prob = index.probability(index.pair_stats(arr[:, 0], arr[:, 1]))
            cache.update(zip(todo, prob.tolist()))
        return np.asarray([cache[q] for q in pairs])

    row_of, rows = _row_index(groups, n)
    partners: dict[int, set[int]] = {}
    for u, v in zip(cand_a.tolist(), cand_b.tolist()):
        partners.setdefault(int(row_of[u]), set()).add(int(row_of[v]))
    level = params.summary_min * threshold
    src_l = src.tolist()
    for r in sorted(partners):
        head = rows.get(r)
        if not head or any(tier[m] != SUMMARY for m in head):
            continue
        need = max(level, params.short_min_prob) if strict is not None and strict[head].any() else level
        best, best_mean = -1, need
        for t in sorted(partners[r]):
            body = [m for m in rows.get(t, ()) if tier[m] != SUMMARY]
            if not body:
                continue
            pairs = [(u, v) if u < v else (v, u) for u in head for v in body if src_l[u] != src_l[v]]
            if not pairs:
                continue
            vals = cross(pairs)
            mat = np.asarray([[cache.get((u, v) if u < v else (v, u), 0.0) if src_l[u] != src_l[v]
                               else np.nan for v in body] for u in head])
            # a member's own outlet's sentence is no evidence either way
            ok = ~np.isnan(mat)
            linked = (np.nan_to_num(mat) >= params.join_min * level / params.join_mean) & ok
            share = params.join_share
            per_u = linked.sum(axis=1) / np.maximum(ok.sum(axis=1), 1)
            per_v = linked.sum(axis=0) / np.maximum(ok.sum(axis=0), 1)
            if (per_u[ok.any(axis=1)] < share).any() or (per_v[ok.any(axis=0)] < share).any():
                continue
            if vals.mean() >= best_mean:
                best, best_mean = t, float(vals.mean())
        if best >= 0:
            rows[best].extend(head)
            del rows[r]
            for m in head:
                row_of[m] = best
    return [sorted(m) for m in rows.values()]


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


def _pair_probabilities(index: Index, cand: PairStats, src: np.ndarray, n_src: int,
                        params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Scored candidates, lifted by reciprocal-best and local-context evidence."""
    if not len(cand.a):
        return np.zeros(0)
    p = _mutual_boost(index.probability(cand), cand.a, cand.b, src, n_src, params)
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
    """
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
        [sources[s].sentences[i].kind == KIND_HEADING or len(f.stems) <= params.short_stems
         for (s, i), f in zip(flat, feats)], dtype=bool)

    tier = _tier_array(sources, flat, params)

    k = max(12, n_src // 2 + 8)
    cand = _candidates(index, src, k, tier, params.min_cosine)
    a, b = cand.a, cand.b
    scores = _Scores(index, tier)
    p = _pair_probabilities(index, cand, src, n_src, params)
    scores.add(a, b, p)
    clusters = _cluster(n, src, a, b, p, scores, settings.threshold, strict, params)

    # every row's cross-source pairs in one batch (see _Scores); a summary
    # line beside body sentences is scored across the layers
    row_pairs = [[(u, v) for x, u in enumerate(mem) for v in mem[x + 1:] if src[u] != src[v]]
                 for mem in clusters]
    flat_pairs = [q for pairs in row_pairs for q in pairs]
    all_vals = scores.many(flat_pairs)
    if tier is not None:
        mixed = [k for k, (u, v) in enumerate(flat_pairs) if tier[u] != tier[v]]
        if mixed:
            arr = np.asarray([flat_pairs[k] for k in mixed], dtype=np.int64)
            for k, v in zip(mixed, index.probability(index.pair_stats(arr[:, 0], arr[:, 1])).tolist()):
                all_vals[k] = v
    rows: list[Row] = []
    at = 0
    for mem, pairs in zip(clusters, row_pairs):
        cells: list[tuple[int, ...]] = [()] * n_src
        for g in mem:  # ascending, so each cell's indices are too
            s, i = flat[g]
            cells[s] = (*cells[s], i)
        if pairs:
            vals = all_vals[at:at + len(pairs)]
            at += len(pairs)
            score = float(np.clip(sum(vals) / len(vals), 0.0, 1.0))
        else:
            score = 1.0
        rows.append(Row(cells=tuple(cells), score=score))
    ordered = _order_rows(rows, sources, pivot)
    return Alignment(sources=sources, rows=tuple(ordered), settings=settings)
