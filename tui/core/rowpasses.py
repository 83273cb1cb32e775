"""The passes that reshape rows after the greedy merge (see :func:`tui.core.align._cluster`).

Each takes the rows as lists of flat sentence numbers and returns new ones,
reading pair probabilities through :class:`tui.core.evidence._Scores`:

* :func:`_refine` -- local search: a sentence moves to the row that supports it best;
* :func:`_pair_up` -- clear reciprocal best matches share a row;
* :func:`_split_join` -- a row takes an outlet's next or previous sentence (1:n);
* :func:`_summary_join` -- a headline or key-points line joins the body row it restates;
* :func:`_leftover_pairs` -- two sentences no row took, each the other's best left, pair up.
"""

from __future__ import annotations

import math
from itertools import chain, repeat

import numpy as np

from tui.core.candidates import block
from tui.core.evidence import _best_two, _linked_to_most, _Scores, _supported, pair_keys
from tui.core.model import SUMMARY
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.similarity import _stable_argsort


def _row_index(groups: list[list[int]], n: int) -> tuple[np.ndarray, dict[int, list[int]]]:
    """Rows by id (the passes below move sentences between them) and each sentence's row id."""
    row_of = np.empty(n, dtype=np.int64)
    rows = {r: list(g) for r, g in enumerate(groups)}
    sizes = [len(g) for g in groups]
    # one assignment, not one per row (a numpy call each: MSRP's 3,400 rows of one or two)
    row_of[np.fromiter(chain.from_iterable(groups), dtype=np.int64, count=sum(sizes))] = np.repeat(
        np.arange(len(groups), dtype=np.int64), sizes)
    return row_of, rows


def _partner_order(n: int, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The other ends of the pairs (a, b), sentence by sentence, and where each sentence's run stops."""
    ends = np.concatenate([a, b])
    other = np.concatenate([b, a])[_stable_argsort(ends, n)]
    return other, np.cumsum(np.bincount(ends, minlength=n)).tolist()


def _partner_lists(n: int, a: np.ndarray, b: np.ndarray) -> list[list[int]]:
    """Each sentence's partners in the pairs (a, b): its candidates, sorted into place with numpy."""
    other, stop = _partner_order(n, a, b)
    partner = other.tolist()
    return [partner[start:end] for start, end in zip([0, *stop[:-1]], stop)]


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
    nbrs = _partner_lists(n, a, b)

    # Only pairs already scored count, any other as 0: such a pair was
    # neither sentence's top-k candidate nor needed by the merge, so it shares
    # next to no rare vocabulary. Scoring it would cost a block product per
    # sentence, most of the run time on 100 x 100 sentences, and the
    # strict refine_join test made the exact scores change no gold result.
    # Read by integer pair key (see _Scores) straight from the cache: support
    # runs over ~360,000 member pairs on 100 x 100 sentences, fewer than the
    # ~330,000 pairs scored, so a dict per sentence cost more to fill than it saved.
    get = scores.cache.get
    w = scores.width

    def support(i: int, members: list[int]) -> list[float]:
        return list(map(get, pair_keys(i, members, w), repeat(0.0)))

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

    def below_floor(i: int, si: int, members: list[int]) -> bool:
        # whether joins() refuses i for a row on its floor alone: a pair of i with a member (all but
        # the row's first sentence of i's source, as ``rest`` below) under join_min. Nearly every
        # tempting row fails so, most at their first pair: the rest of the row is not read
        iw = i * w
        skip = True
        for m in members:
            if skip and src[m] == si:
                skip = False
                continue
            if get(iw + m if i < m else m * w + i, 0.0) < join_min:
                return True
        return False

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
            stay: float | None = None  # what i brings its own row: read only for a row it may join
            best, best_gain, best_d = -1, 1e-9, -1
            si = src[i]
            for r in away:
                members = rows[r]
                if below_floor(i, si, members):
                    continue
                d = next((m for m in members if src[m] == si), -1)
                rest = [m for m in members if m != d]
                vals = support(i, rest)
                if not joins(vals):
                    continue
                if stay is None:
                    stay = value(support(i, [m for m in rows[home] if m != i]))
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
            here = [m for m in rows[home] if m != i]
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
    w = scores.width
    ka = a * n_src + src[b]
    kb = b * n_src + src[a]
    best, second = _best_two(np.concatenate([ka, kb]), np.concatenate([p, p]), n * n_src)
    runner_up = np.maximum(second[ka], second[kb])
    keep = ((p >= params.pair_min) & (p >= best[ka]) & (p >= best[kb])
            & (p - runner_up >= params.pair_margin) & ~strict[a] & ~strict[b])
    if not keep.any():
        return groups
    row_index, rows = _row_index(groups, n)
    nxt = len(groups)
    # plain Python lists and ints from here on: a numpy scalar per test cost more than the tests
    row_of = row_index.tolist()
    src_of = src.tolist()
    locked = [False] * n
    ka_, kb_, kp = a[keep], b[keep], p[keep]
    order = np.lexsort((kb_, ka_, -kp))
    for i, j in zip(ka_[order].tolist(), kb_[order].tolist()):
        if row_of[i] == row_of[j] or (locked[i] and locked[j]):
            continue
        placed = False
        # try moving the unlocked side whose row is smaller into the other's row
        for mover, anchor in sorted(((i, j), (j, i)), key=lambda t: len(rows[row_of[t[0]]])):
            if locked[mover]:
                continue
            target = row_of[anchor]
            own = src_of[mover]
            rest = [m for m in rows[target] if src_of[m] != own]
            if any(locked[m] for m in rows[target] if src_of[m] == own):
                continue
            pairs = pair_keys(mover, rest, w)
            vals = np.asarray(scores.many(pairs))
            if not _supported(vals[None, :], threshold, params):
                continue
            home = row_of[mover]
            rows[home].remove(mover)
            if not rows[home]:
                del rows[home]
            for d in [m for m in rows[target] if src_of[m] == own]:
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
                home = row_of[m]
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
    row_arr, rows = _row_index(groups, n)
    row_of = row_arr.tolist()
    src_l = src.tolist()
    level = params.split_min * threshold

    def spans(members: list[int]) -> dict[int, tuple[int, int]]:
        """Each source's first and last sentence among ``members``."""
        out: dict[int, tuple[int, int]] = {}
        for m in members:
            s = src_l[m]
            got = out.get(s)
            out[s] = (m, m) if got is None else (min(got[0], m), max(got[1], m))
        return out

    def lonely(s: int, first: int, last: int) -> list[int]:
        """The sentences of source s just before ``first`` and after ``last`` that are alone in a row."""
        return [u for u in (first - 1, last + 1) if 0 <= u < n and src_l[u] == s and len(rows[row_of[u]]) == 1]

    # score what the loop below will ask for in one batch (see _Scores); a
    # pair it needs only after an earlier join is scored on demand. A row's
    # other outlets are listed only for a neighbour that could join: most
    # have a row of their own
    w = scores.width
    ahead: list[int] = []
    for row in rows.values():
        span = spans(row)
        if len(span) < 2:
            continue
        for s, (first, last) in span.items():
            for u in lonely(s, first, last):
                ahead.extend(pair_keys(u, [m for m in row if src_l[m] != s], w))
    if ahead:
        scores.many(ahead)
    for r in sorted(rows):
        members = rows.get(r)
        if not members:
            continue
        span = spans(members)  # the row as it stands: it only takes sentences of its own sources
        if len(span) < 2:
            continue
        for s in sorted(span):
            joining = lonely(s, *span[s])
            if not joining:
                continue
            others = [m for m in rows[r] if src_l[m] != s]
            for u in joining:
                if len(rows[row_of[u]]) != 1:
                    continue
                pairs = pair_keys(u, others, w)
                vals = np.asarray(scores.many(pairs))
                need = max(level, params.short_min_prob) if strict[u] else level
                if vals.mean() < need or not _supported(vals[None, :], need / params.join_mean, params):
                    continue
                del rows[row_of[u]]
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
    x threshold, each summary line linked to half the body members and half
    the body members linked to a line (:func:`_linked_to_most`: one member
    the headline does not restate does not keep it out).
    A summary line sits beside its own outlet's body sentence in that row,
    never instead of it. Candidates are the body sentences that share the
    most rare words with a summary line (top summary_k by light cosine). A
    row with a short heading or a fragment in it ("Background"; see
    AlignParams.heading_short_stems) needs short_min_prob, as everywhere. The body row that holds the first body
    sentence (the lede) of at least half the summary lines' own outlets
    needs only summary_lede_min x threshold: by the trade's convention a
    headline restates its own article's lede, so that row is the likeliest
    one. Among the rows that pass, the one furthest above its own bar wins.
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
        blocks = block(index, chunk)
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
    # each outlet's lede: its first body sentence (flat numbers ascend by source)
    lede: dict[int, int] = {}
    for m in np.flatnonzero(tier != SUMMARY).tolist():
        lede.setdefault(src_l[m], m)
    lede_level = params.summary_lede_min * threshold
    for r in sorted(partners):
        head = rows.get(r)
        if not head or any(tier[m] != SUMMARY for m in head):
            continue
        short = strict is not None and bool(strict[head].any())
        need = max(level, params.short_min_prob) if short else level
        best, best_mean, best_need = -1, need, need
        for t in sorted(partners[r]):
            body = [m for m in rows.get(t, ()) if tier[m] != SUMMARY]
            if not body:
                continue
            # the row holding the summary lines' own outlets' ledes: a headline
            # restates its own article's first sentence, by the trade's convention
            own = sum(1 for u in head if lede.get(src_l[u]) in body)
            base = lede_level if own and 2 * own >= len(head) else level
            bar = max(base, params.short_min_prob) if short else base
            pairs = [(u, v) if u < v else (v, u) for u in head for v in body if src_l[u] != src_l[v]]
            if not pairs:
                continue
            vals = cross(pairs)
            mat = np.asarray([[cache.get((u, v) if u < v else (v, u), 0.0) if src_l[u] != src_l[v]
                               else np.nan for v in body] for u in head])
            if not _linked_to_most(mat, params.join_min * base / params.join_mean, params.join_share):
                continue
            if vals.mean() >= bar and (best < 0 or vals.mean() - bar >= best_mean - best_need):
                best, best_mean, best_need = t, float(vals.mean()), bar
        if best >= 0:
            rows[best].extend(head)
            del rows[r]
            for m in head:
                row_of[m] = best
    return [sorted(m) for m in rows.values()]


def _leftover_pairs(groups: list[list[int]], src: np.ndarray, a: np.ndarray, b: np.ndarray,
                    p: np.ndarray, threshold: float, strict: np.ndarray,
                    tier: np.ndarray | None = None,
                    params: AlignParams = DEFAULT_PARAMS) -> list[list[int]]:
    """Pair two sentences no row took when each is the other's best match, at a lower bar.

    Two sentences of different outlets that are each other's best candidate
    in the other's article, yet share no row after every other pass, lost
    only to the threshold: nothing else in either article claims them. Such
    a pair reaching leftover_min x threshold gets a row of its own -- the
    loose paraphrase ("passed away after a long illness" / "her death
    followed a long battle with ill health") that the scorer undervalues.
    A pair whose best match went elsewhere is not helped, so a sentence
    that merely shares the story's vocabulary with a taken sentence stays
    alone. Nothing already in a row moves; headings and fragments
    (``strict``) and summary lines stay out (a headline half-matches many
    lines; two that only share a word, "The riders have won. Now the law has
    to catch up" and a masthead taken for a headline, "Employment Law
    Brief", are each other's best when their rows have gone). The row's
    score is under the threshold, so the reader marks it as uncertain
    (tui.core.omissions.UNCERTAIN_BELOW).
    """
    n = len(src)
    if n == 0 or not len(a):
        return groups
    n_src = int(src.max()) + 1
    ka = a * n_src + src[b]
    kb = b * n_src + src[a]
    best, _ = _best_two(np.concatenate([ka, kb]), np.concatenate([p, p]), n * n_src)
    alone = np.zeros(n, dtype=bool)
    for g in groups:
        if len(g) == 1:
            alone[g[0]] = True
    ok = (alone[a] & alone[b] & ~strict[a] & ~strict[b] & (p >= params.leftover_min * threshold)
          & (p >= best[ka]) & (p >= best[kb]))
    if tier is not None:  # body sentences only: summary lines had their merge and their joins
        ok &= (tier[a] != SUMMARY) & (tier[b] != SUMMARY)
    used: set[int] = set()
    paired: list[list[int]] = []
    for e in np.flatnonzero(ok)[np.lexsort((b[ok], a[ok], -p[ok]))].tolist():
        i, j = int(a[e]), int(b[e])
        if i in used or j in used:  # a tie for best: the first (strongest) pair wins
            continue
        used.update((i, j))
        paired.append(sorted((i, j)))
    if not paired:
        return groups
    return [g for g in groups if not (len(g) == 1 and g[0] in used)] + paired
