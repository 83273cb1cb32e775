"""How likely two sentences from different outlets report the same thing.

News paraphrase shares few exact words, and the words it does share are
often the story's topic words ("Pakistan", "Taliban", "talks") that every
sentence of every outlet carries. So raw string similarity is a poor judge:
the scorer weighs shared *stems* by their inverse document frequency over the
corpus being aligned (a word in every sentence counts for almost nothing),
and adds what the lexical overlap misses -- shared or conflicting numbers,
shared names, how much of the shorter sentence the longer one contains, and a
rapidfuzz string score -- combined by a logistic model into a probability.
Soft word matching, as monolingual word aligners do it, adds the share of
each sentence's content that finds a partner in the other (identical stem,
else a spelling/morphological variant, a paraphrase concept or a rounded
number); the smaller of the two shares is what tells a same-fact pair from a
same-topic one (with coefficients fitted on MSRP alone it lifts held-out
accuracy there from 0.71 to 0.74).
The coefficients were fitted by ``tests/bench/fit_gold.py`` (gold stories
plus MSRP pairs); the numbers live in ``AlignParams`` (params.py). Features with weight zero
(rare_min, bigram, the string score) were kept measurable for refits.

Everything works on batches: an :class:`Index` holds the sparse
sentence-by-stem matrix of a corpus, and products of its blocks give the
per-pair overlap sums for many pairs at once without a Python loop per pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np
from rapidfuzz import fuzz, process

from tui.core.keysets import KeySet
from tui.core.params import DEFAULT_PARAMS, AlignParams
from tui.core.text import Features, concept_of, features, magnitude
from tui.core.variants import _variants

#: The scorer's inputs. Their weights and the bias are ``AlignParams.coef`` and
#: ``AlignParams.bias`` (tui/core/params.py), with the history of their fit.
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
    "soft_min",      # min over both sides of the idf share of content words softly matched
    "soft_hm",       # harmonic mean of those two shares
    "rare_min",      # min over both sides of the share of its rare_k rarest words matched
    "bigram",        # shared content-stem bigrams / bigrams of the shorter sentence
    "quote",         # word trigrams shared where one side quotes them, log-scaled to 0..1
    "quote_clash",   # both sentences quote someone and share no quoted trigram
    "soft_max",      # max over both sides of the soft-matched share (containment)
    "generic",       # 1 when the pair shares only story vocabulary (see Index._init_story)
    "opinion",       # 1 when either side reads as commentary and they share no number, name or quote
)
assert len(DEFAULT_PARAMS.coef) == len(FEATURE_NAMES)

_FUZZY = FEATURE_NAMES.index("fuzzy")
_BIGRAM = FEATURE_NAMES.index("bigram")

#: Probabilities below this are "unrelated" at any sensible threshold; pairs
#: that cannot reach it even with a perfect string score skip that score.
_NEGLIGIBLE = 0.01

#: Tokens found in more sentences than this are handled by a bitmask instead
#: of the sparse product, whose cost grows with the square of a token's count.
_HEAVY_DF = 48
#: Batches of string scores at least this big are spread over all cores.
_PARALLEL_MIN = 2_000
_MAX_HEAVY = 64

#: Numbers at least this big may agree "approximately" (see Index._init_rounded).
_ROUNDED_MIN = 100.0
#: Pairs per chunk of the soft-match computation and the heavy tokens' sums: it
#: bounds their memory, and at this size their arrays (a few hundred thousand
#: entries) stay in the caches; a pair's figures do not depend on its chunk.
_SOFT_CHUNK = 20_000


def _ragged(starts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Concatenated ranges start[i] .. start[i]+count[i]-1, without a Python loop."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    # one repeat: each range's start less the place it begins at, plus the place
    return np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)


#: Set bits per byte value, and the positions of those bits (lowest first), for :func:`_set_bits`.
_BYTE_COUNT = np.asarray([bin(v).count("1") for v in range(256)], dtype=np.int64)
_BYTE_BITS = np.asarray([[k for k in range(8) if v >> k & 1] + [0] * (8 - bin(v).count("1")) for v in range(256)],
                        dtype=np.int64).ravel()


def _set_bits(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The set bits of 64-bit ``words``, as (word, bit) index pairs, word by word and lowest bit first.

    What ``np.nonzero(np.unpackbits(words.view(np.uint8).reshape(-1, 8), axis=1, bitorder="little"))``
    gives, without unpacking every bit of every word (64 per pair, where a pair shares a few heavy
    tokens): only the non-zero bytes are read, their bits taken from a table.
    """
    raw = np.ascontiguousarray(words, dtype="<u8").view(np.uint8)
    at = np.flatnonzero(raw)
    value = raw[at].astype(np.int64)
    count = _BYTE_COUNT[value]
    byte = np.repeat(at, count)
    bit = _BYTE_BITS[_ragged(value * 8, count)]
    return byte >> 3, (byte & 7) * 8 + bit


def _stable_argsort(keys: np.ndarray, bound: int) -> np.ndarray:
    """``np.argsort(keys, kind="stable")`` of integer keys in [0, ``bound``): the same order, through
    16-bit keys where they fit, which numpy sorts by radix (several times faster than 64-bit keys)."""
    if bound <= 1 << 16:
        return np.argsort(keys.astype(np.uint16), kind="stable")
    return np.argsort(keys, kind="stable")


def _is_year(token: str) -> bool:
    """Whether a number token is a year (1900-2100, written without decimals)."""
    return token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2100


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


def _csr(lists: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Row pointer and flat values of a list of integer lists."""
    ptr = np.zeros(len(lists) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(x) for x in lists])
    flat = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


class Index:
    """The sparse sentence-by-stem matrix of one corpus, with its idf.

    Built once per alignment; every pair score in that alignment uses the
    same idf, so "rare" means rare in *this* story.
    """

    def __init__(self, feats: Sequence[Features], params: AlignParams = DEFAULT_PARAMS) -> None:
        self.params = params
        self.coef = np.asarray(params.coef, dtype=np.float64)
        self.bias = float(params.bias)
        self.feats = list(feats)
        n = len(self.feats)
        self.n = n
        # each sentence's distinct stems in order; a stem's id is its place of first occurrence
        uniq = [sorted(set(f.stems)) for f in self.feats]
        flat = list(chain.from_iterable(uniq))
        vocab = {t: i for i, t in enumerate(dict.fromkeys(flat))}
        self.vocab = vocab
        v = len(vocab)
        r = np.repeat(np.arange(n, dtype=np.int64), [len(u) for u in uniq])
        c = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
        nf = np.fromiter(chain.from_iterable(map(f.names.__contains__, u) for f, u in zip(self.feats, uniq)),
                         dtype=bool, count=len(flat))
        self._all_r, self._all_c, self._all_nf = r, c, nf
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
        is_year = np.array([_is_year(t) for t in tokens], dtype=bool)
        self.n_years = np.bincount(r, weights=is_year[c], minlength=n)
        self.length = np.bincount(r, minlength=n).astype(np.float64)
        self.keys = [f.key for f in self.feats]
        self.opinion = np.array([f.opinion for f in self.feats], dtype=bool)

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
        by_col = _stable_argsort(self._c, v)
        #: the light entries in stem order (stable): where each stands in its stem's posting list
        self._by_col = by_col
        self._col_rows = self._r[by_col]
        self._col_nf = self._nf[by_col]
        self._colptr = np.concatenate([[0], np.cumsum(np.bincount(self._c, minlength=v))])
        self._init_story()
        self._init_soft(tokens)
        self._init_rounded()

    def _init_story(self) -> None:
        """Which tokens are the story's own vocabulary.

        Every sentence of a ferry grounding says "ferry", and the ferry's name;
        two sentences that share only such words (or generic ones, which the
        stop list and the idf already discount) are about the same story, not
        the same fact -- an opinion line and a casualty figure. A token is
        story vocabulary when it occurs in at least story_frac of the
        sentences and in at least story_min_df of them (so a two-sentence
        comparison has none).
        """
        pm = self.params
        self.story = (self.df >= pm.story_min_df) & (self.df >= pm.story_frac * self.n)

    def _init_soft(self, tokens: list[str]) -> None:
        """Structures of the soft word matching (see :meth:`soft_features`).

        Content words are the sentence's own stems: not the concept tokens
        ("=talk") nor the rounded numbers ("~40") that features() adds, which
        are *ways* a word can match, not words of their own. Each content
        token has a list of alternates -- its variants, its concept, its
        rounded number -- with the weight such a match earns.
        """
        v = len(self.vocab)
        self.v = v
        aux = np.array([t[:1] in "=~" for t in tokens], dtype=bool)
        vocab = self.vocab
        # each sentence's content words in reading order; the bigrams are read off them
        # only when a pair's bigram feature is asked for (see _init_bigrams)
        self._seqs = [[vocab[t] for t in f.stems if t[:1] not in "=~"] for f in self.feats]
        self._ct_ptr, self._ct_tok = _csr([sorted(set(seq)) for seq in self._seqs])
        w = self.idf[self._ct_tok]
        rows = np.repeat(np.arange(self.n), np.diff(self._ct_ptr))
        self.content_mass = np.bincount(rows, weights=w, minlength=self.n)
        # rank of each content entry by idf within its sentence: rarest rare_k count as rare
        # words found in no other sentence cannot match anything: rank the rest
        seen = self.df[self._ct_tok] >= 2
        order = np.lexsort((-w, ~seen, rows))
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order)) - self._ct_ptr[rows[order]]
        self._ct_rare = (rank < self.params.rare_k) & seen
        self.rare_mass = np.bincount(rows, weights=w * self._ct_rare, minlength=self.n)
        # every (sentence, token) present, including concepts and rounded numbers
        self._keys = np.sort(self._all_r * v + self._all_c)

        alts: list[list[tuple[int, float]]] = [[] for _ in range(v)]
        is_name = np.zeros(v, dtype=bool)
        is_name[self._all_c[self._all_nf]] = True
        pm = self.params
        for x, y in _variants(tokens, is_name.tolist()):
            alts[x].append((y, pm.variant_weight))
            alts[y].append((x, pm.variant_weight))
        for i, t in enumerate(tokens):
            if aux[i]:
                continue
            c = concept_of(t)
            if c is not None and c in self.vocab:
                alts[i].append((self.vocab[c], pm.concept_weight))
            if t[:1].isdigit():
                m = magnitude(t)
                if m is not None and m in self.vocab:
                    alts[i].append((self.vocab[m], pm.rounded_weight))
                # the round figure itself ("300,000") carries no bucket token of
                # its own: a near figure ("310,000") meets it through this alt
                if m is not None and m != "~" + t:
                    exact = self.vocab.get(m[1:])
                    if exact is not None and exact != i:
                        alts[i].append((exact, pm.rounded_weight))
        self._init_quotes()
        self._alt_ptr, self._alt_tok = _csr([[x for x, _ in al] for al in alts])
        self._alt_w = np.fromiter((wt for al in alts for _, wt in al), dtype=np.float64,
                                  count=len(self._alt_tok))
        #: the heaviest alternate match (see _matched)
        self._alt_top = float(self._alt_w.max()) if len(self._alt_w) else 0.0

    def _init_bigrams(self) -> None:
        """Each sentence's content-stem bigrams (distinct pairs of neighbouring content words).

        Built on first use: the bigram feature's fitted weight is zero, so
        scoring pairs for the row builder never reads them (see
        :meth:`feature_matrix`); the fitting scripts and :meth:`soft_features`
        called directly do.
        """
        bigrams: list[list[int]] = []
        bigram_id: dict[tuple[int, int], int] = {}
        for seq in self._seqs:
            bg = {bigram_id.setdefault((x, y), len(bigram_id)) for x, y in zip(seq, seq[1:]) if x != y}
            bigrams.append(sorted(bg))
        self._bg_ptr, self._bg_tok = _csr(bigrams)
        self.n_bigrams = np.diff(self._bg_ptr).astype(np.float64)
        self._nbg = max(len(bigram_id), 1)
        bg_rows = np.repeat(np.arange(self.n), np.diff(self._bg_ptr))
        self._bg_keys = np.sort(bg_rows * self._nbg + self._bg_tok)

    def _init_rounded(self) -> None:
        """Each sentence's numbers as one-significant-digit buckets (see text.magnitude).

        Outlets round one figure differently ("about 310,000" / "around
        300,000"): the exact numbers differ, yet the sentences agree, so a
        shared bucket must not count as a number conflict. Only figures of
        at least _ROUNDED_MIN: small counts are not rounded by outlets, and
        their buckets are wide (12 and 14 both "~10"), so 12 injured against
        14 stays a conflict.
        """
        bucket: dict[str, int] = {}
        lists = []
        for f in self.feats:
            ids = set()
            for num in f.numbers:
                m = magnitude(num)
                if m is not None and float(num) >= _ROUNDED_MIN:
                    ids.add(bucket.setdefault(m, len(bucket)))
            lists.append(sorted(ids))
        self._rd_ptr, self._rd_tok = _csr(lists)
        self._nrd = max(len(bucket), 1)
        rows = np.repeat(np.arange(self.n), np.diff(self._rd_ptr))
        self._rd_keys = np.sort(rows * self._nrd + self._rd_tok)

    def rounded_agree(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Whether pairs (a, b) share a number bucket (an approximate agreement)."""
        cnt = self._rd_ptr[a + 1] - self._rd_ptr[a]
        ent = _ragged(self._rd_ptr[a], cnt)
        pi = np.repeat(np.arange(len(a)), cnt)
        hit = self._has(self._rd_keys, b[pi], self._rd_tok[ent], self._nrd)
        return np.bincount(pi, weights=hit, minlength=len(a)) > 0

    def _init_quotes(self) -> None:
        """Word-trigram keys of every sentence and the quoted trigrams of each.

        A run of words one outlet puts inside quotation marks and another
        repeats is the strongest sign two sentences report the same
        statement, whatever else each adds around it.
        """
        # Only trigrams quoted somewhere are ever looked up (_quoted_hits), and only their
        # idf is read: the others get no id. Ids go by first occurrence, sentence by
        # sentence in reading order, as they would among all trigrams, so a sentence's
        # quoted trigrams keep their order (and its hits their order of summation).
        any_quoted = frozenset().union(*(f.quoted for f in self.feats))
        tri_id: dict[str, int] = {}
        all_tri: list[list[int]] = []
        for f in self.feats:
            if any_quoted.isdisjoint(f.trigrams):
                all_tri.append([])
                continue
            all_tri.append(sorted({tri_id.setdefault(g, len(tri_id)) for g in f.trigrams if g in any_quoted}))
        quoted = [sorted(tri_id[g] for g in f.quoted) for f in self.feats]
        self._ntri = max(len(tri_id), 1)
        ptr, flat = _csr(all_tri)
        rows = np.repeat(np.arange(self.n), np.diff(ptr))
        self._tri_keys = np.sort(rows * self._ntri + flat)
        self._q_ptr, self._q_tok = _csr(quoted)
        self.n_quoted = np.diff(self._q_ptr)
        # a phrase most sentences use ("the afghan taliban") is the story's
        # vocabulary, not one statement: trigrams are weighed by their own idf
        df = np.bincount(flat, minlength=self._ntri).astype(np.float64)
        self._tri_idf = idf_weights(df, self.n) ** 2

    def _quoted_hits(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Idf^2 mass of a's quoted trigrams that occur anywhere in b."""
        cnt = self._q_ptr[a + 1] - self._q_ptr[a]
        if not cnt.any():
            return np.zeros(len(a))
        ent = _ragged(self._q_ptr[a], cnt)
        pi = np.repeat(np.arange(len(a)), cnt)
        hit = self._has(self._tri_keys, b[pi], self._q_tok[ent], self._ntri)
        return np.bincount(pi, weights=hit * self._tri_idf[self._q_tok[ent]], minlength=len(a))

    def quote_features(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """quote and quote_clash for pairs (a, b); see FEATURE_NAMES.

        One shared trigram ("within forty minutes") is already strong
        evidence, so the count is log-scaled and saturates at three. Two
        sentences that both quote someone yet share no quoted words are
        likely different statements of the same story.
        """
        hits = np.maximum(self._quoted_hits(a, b), self._quoted_hits(b, a))
        quote = np.minimum(np.log1p(hits) / np.log(4.0), 1.0)
        clash = ((self.n_quoted[a] > 0) & (self.n_quoted[b] > 0) & (hits == 0)).astype(np.float64)
        return np.column_stack([quote, clash])

    def _has(self, keys: np.ndarray, rows: np.ndarray, toks: np.ndarray, width: int) -> np.ndarray:
        """Whether sentence rows[i] holds token toks[i] (keys: sorted row*width+token)."""
        if not len(keys) or not len(rows):
            return np.zeros(len(rows), dtype=bool)
        sets = self.__dict__.setdefault("_keysets", {})  # one KeySet (bitmap) per key array
        found = sets.get(id(keys)) or sets.setdefault(id(keys), KeySet(keys, self.n * width))
        return found.has(rows * width + toks)

    def _matched(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Idf mass of a's content words matched in b: overall, of a's rarest words,
        and of its words that are not the story's own vocabulary (see _init_story).

        Each word takes its best match: identical stem (1.0), else the best
        alternate present in b (variant, concept or rounded number).
        """
        cnt = self._ct_ptr[a + 1] - self._ct_ptr[a]
        ent = _ragged(self._ct_ptr[a], cnt)
        pi = np.repeat(np.arange(len(a)), cnt)
        tok = self._ct_tok[ent]
        other = b[pi]
        m = self._has(self._keys, other, tok, self.v).astype(np.float64)
        # a word found as itself (1.0) cannot do better through an alternate
        # that weighs no more: only the others look through their alternates
        acnt = self._alt_ptr[tok + 1] - self._alt_ptr[tok]
        look = np.flatnonzero((acnt > 0) & (m < self._alt_top))
        if len(look):
            acnt = acnt[look]
            aent = _ragged(self._alt_ptr[tok[look]], acnt)
            ei = np.repeat(look, acnt)
            hit = self._has(self._keys, other[ei], self._alt_tok[aent], self.v) * self._alt_w[aent]
            np.maximum.at(m, ei, hit)
        w = self.idf[tok] * m
        return (np.bincount(pi, weights=w, minlength=len(a)),
                np.bincount(pi, weights=w * self._ct_rare[ent], minlength=len(a)),
                np.bincount(pi, weights=w * ~self.story[tok], minlength=len(a)))

    def _shared_bigrams(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if not hasattr(self, "_bg_keys"):
            self._init_bigrams()
        cnt = self._bg_ptr[a + 1] - self._bg_ptr[a]
        ent = _ragged(self._bg_ptr[a], cnt)
        pi = np.repeat(np.arange(len(a)), cnt)
        hit = self._has(self._bg_keys, b[pi], self._bg_tok[ent], self._nbg)
        return np.bincount(pi, weights=hit, minlength=len(a))

    def soft_features(self, a: np.ndarray, b: np.ndarray, bigrams: bool = True) -> np.ndarray:
        """soft_min, soft_hm, rare_min, bigram and soft_max for pairs (a, b); see FEATURE_NAMES.

        Without ``bigrams`` the bigram column is left at 0 (not computed).

        In the spirit of monolingual word aligners: every content word of
        each sentence looks for its best partner in the other, and the score
        is how much of each sentence's (idf-weighted) content found one. The
        *minimum* over the two sides is what separates "same fact" from
        "same topic": a same-topic sentence matches the story words of the
        other but leaves its own specific words -- the rarest ones, which
        rare_min checks -- unmatched. Shared bigrams reward shared phrasing.
        """
        out = np.zeros((len(a), 6))
        for lo in range(0, len(a), _SOFT_CHUNK):
            x, y = a[lo:lo + _SOFT_CHUNK], b[lo:lo + _SOFT_CHUNK]
            ma, ra, ka = self._matched(x, y)
            mb, rb, kb = self._matched(y, x)
            sa = ma / np.maximum(self.content_mass[x], 1e-9)
            sb = mb / np.maximum(self.content_mass[y], 1e-9)
            rra = ra / np.maximum(self.rare_mass[x], 1e-9)
            rrb = rb / np.maximum(self.rare_mass[y], 1e-9)
            if bigrams:
                shared = self._shared_bigrams(x, y)
                nb = np.maximum(np.minimum(self.n_bigrams[x], self.n_bigrams[y]), 1.0)
                bigram = np.minimum(shared / nb, 1.0)
            else:
                bigram = np.zeros(len(x))
            out[lo:lo + len(x)] = np.column_stack([
                np.minimum(sa, sb), 2 * sa * sb / np.maximum(sa + sb, 1e-9),
                np.minimum(rra, rrb), bigram, np.maximum(sa, sb),
                np.maximum(ka, kb)])
        return out

    # -- overlap sums -------------------------------------------------------

    def add_heavy(self, a: np.ndarray, b: np.ndarray, dot: np.ndarray, shared: np.ndarray,
                  names: np.ndarray, nums: np.ndarray, count: np.ndarray) -> None:
        """Add the heavy tokens' share of the sums for pairs (a, b), in place."""
        if not len(self.heavy) or not len(a):
            return
        # each pair's shared heavy tokens as (pair, bit) entries, pair by pair and bit by bit;
        # np.add.at adds them in that order, as a loop over the bits would
        for lo in range(0, len(a), _SOFT_CHUNK):
            x, y = a[lo:lo + _SOFT_CHUNK], b[lo:lo + _SOFT_CHUNK]
            pi, j = _set_bits(self.mask[x] & self.mask[y])
            t, at = self.heavy[j], pi + lo
            w = self.idf[t]
            np.add.at(dot, at, w * w)
            np.add.at(shared, at, w)
            np.add.at(names, at, ((self.name_mask[x[pi]] & self.name_mask[y[pi]]) >> j.astype(np.uint64) & 1) * w)
            np.add.at(count, at, 1.0)
            np.add.at(nums, at[self.is_number[t]], 1.0)

    def pair_stats(self, a: np.ndarray, b: np.ndarray) -> PairStats:
        """Exact overlap sums for arbitrary pairs, looked up pair by pair.

        Each of a's light tokens is searched among b's (sorted sentence*vocab
        keys), so a pair costs its own length, not a block product against
        the whole corpus: the row builder asks for a few pairs at a time,
        thousands of times. The sums are accumulated in a's token order, as
        :meth:`block` does, so both give bit-identical figures.
        """
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        m = len(a)
        if not m:
            return PairStats(a, b, *(np.zeros(0) for _ in range(5)))
        if not hasattr(self, "_light_keys"):
            key = self._r * self.v + self._c
            order = np.argsort(key, kind="stable")
            self._light_keys, self._light_nf = key[order], self._nf[order]
            self._light_set = KeySet(self._light_keys, self.n * self.v)
        cnt = self._rowptr[a + 1] - self._rowptr[a]
        ent = _ragged(self._rowptr[a], cnt)
        pi = np.repeat(np.arange(m), cnt)
        tok = self._c[ent]
        keys = self._light_keys
        if len(keys):
            hit, pos = self._light_set.find(b[pi] * self.v + tok)
            pi, tok, nf = pi[hit], tok[hit], self._nf[ent][hit]
        else:
            pos, pi, tok, nf = (np.zeros(0, dtype=np.int64),) * 3 + (np.zeros(0, dtype=bool),)
        idf = self.idf[tok]
        both_names = nf & self._light_nf[pos] if len(keys) else nf
        # (bincount of no entries returns int64 even with weights: cast)
        out = [np.bincount(pi, weights=w, minlength=m).astype(np.float64)
               for w in (idf * idf, idf, idf * both_names, self.is_number[tok], None)]
        self.add_heavy(a, b, *out)
        return PairStats(a, b, *out)

    # -- features and probability -------------------------------------------

    def feature_matrix(self, st: PairStats, fuzzy: np.ndarray | None = None,
                       skip_below: float | None = None, all_features: bool = False) -> np.ndarray:
        """The model's inputs for each pair, in the order of FEATURE_NAMES.

        ``fuzzy`` (token_set_ratio / 100 per pair) may be passed when the
        caller computed it in bulk with ``process.cdist``. With ``skip_below``
        the string score, the costliest signal, is only computed for pairs
        that could reach that probability with it; the others get 0. While
        its fitted weight is zero it is not computed at all, unless
        ``all_features`` (for the fitting scripts, which must see it); the
        same holds for the bigram share (0 while its weight is zero).
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
        num_shared = st.numbers > 0
        num_conflict = (self.n_numbers[a] > 0) & (self.n_numbers[b] > 0) & ~num_shared
        if num_conflict.any():
            # figures rounded differently agree: shared, not conflicting
            agree = self.rounded_agree(a[num_conflict], b[num_conflict])
            idx = np.flatnonzero(num_conflict)[agree]
            num_shared[idx] = True
            num_conflict[idx] = False
        # two different years are two different events, not one figure told two
        # ways: no "same figure, told differently" lift when both carry only years
        num_conflict &= ~((self.n_years[a] == self.n_numbers[a]) & (self.n_years[b] == self.n_numbers[b]))
        num_shared = num_shared.astype(np.float64)
        num_conflict = num_conflict.astype(np.float64)
        short = 1.0 / np.maximum(np.minimum(self.length[a], self.length[b]), 1.0)
        union = np.maximum(self.mass[a] + self.mass[b] - st.shared, 1e-9)
        jaccard = st.shared / union
        n_shared = np.log1p(st.shared)
        x = np.column_stack([cosine, contain, cover, np.zeros(len(a)), np.clip(names, 0, 1),
                             num_shared, num_conflict, short, jaccard, n_shared,
                             self.soft_features(a, b, all_features or self.coef[_BIGRAM] != 0.0)])
        soft = x[:, 10:16]
        quote = self.quote_features(a, b)
        # nothing in common but the story's own vocabulary: no specific word
        # (exact or soft), no number, no quoted words -- unless the two say nearly
        # the same words (a sentence repeated in a story told in few words)
        generic = ((soft[:, 5] <= 0.0) & (num_shared <= 0.0) & (quote[:, 0] <= 0.0)
                   & (soft[:, 0] < 0.5))
        # a line of commentary ("analysts say the move could ...") beside a report
        # with no fact in common: no shared number, name or quoted words
        opinion = ((self.opinion[a] | self.opinion[b]) & (num_shared <= 0.0) & (st.names <= 0.0)
                   & (quote[:, 0] <= 0.0))
        x = np.column_stack([x[:, :10], soft[:, :4], quote, soft[:, 4], generic.astype(np.float64),
                             opinion.astype(np.float64)])
        if fuzzy is not None:
            x[:, _FUZZY] = fuzzy
        elif len(a) and (all_features or self.coef[_FUZZY] != 0.0):
            need = np.ones(len(a), dtype=bool)
            if skip_below is not None:
                best_case = x @ self.coef + self.bias + max(self.coef[_FUZZY], 0.0)
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
        return logistic(self.feature_matrix(st, fuzzy, skip_below=_NEGLIGIBLE), self.coef, self.bias)


def logistic(x: np.ndarray, coef: np.ndarray | Sequence[float] | None = None,
             bias: float | None = None) -> np.ndarray:
    """Apply the logistic model to a feature matrix (default: the product's weights)."""
    c = np.asarray(DEFAULT_PARAMS.coef if coef is None else coef, dtype=np.float64)
    b0 = DEFAULT_PARAMS.bias if bias is None else bias
    # column by column, not ``x @ c``: a matrix product's summation order (and so the last bit of
    # a pair's score) depends on how many rows the batch has; this way a pair scores the same in any
    # batch, which lets the row builder score pairs ahead (_Scores.many) without changing a result
    z = np.zeros(len(x))
    for j in np.flatnonzero(c).tolist():
        z += x[:, j] * c[j]
    z += b0
    return 1.0 / (1.0 + np.exp(-z))


def score_matrix(a_sentences: Sequence[str], b_sentences: Sequence[str],
                 context: Sequence[str] = (), params: AlignParams = DEFAULT_PARAMS) -> np.ndarray:
    """Probabilities for every pair of ``a_sentences`` × ``b_sentences``.

    The idf is computed over both lists plus ``context`` (more sentences of
    the same story), because what counts as a rare word depends on the story.
    """
    texts = list(a_sentences) + list(b_sentences) + list(context)
    index = Index([features(t) for t in texts], params)
    na, nb = len(a_sentences), len(b_sentences)
    if not na or not nb:
        return np.zeros((na, nb))
    a = np.repeat(np.arange(na), nb)
    b = np.tile(np.arange(nb), na) + na
    fuzzy = None
    if index.coef[_FUZZY] != 0.0:
        fuzzy = process.cdist(index.keys[:na], index.keys[na:na + nb], scorer=fuzz.token_set_ratio,
                              workers=-1, dtype=np.float64).ravel() / 100.0
    return index.probability(index.pair_stats(a, b), fuzzy).reshape(na, nb)


def pair_score(a: str, b: str, context: Sequence[str] = (), params: AlignParams = DEFAULT_PARAMS) -> float:
    """Probability that two sentences report the same thing (see score_matrix)."""
    return float(score_matrix([a], [b], context, params)[0, 0])
