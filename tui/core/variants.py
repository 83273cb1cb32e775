"""Spelling and morphological variants among a corpus's stems, for the soft word matching.

What a monolingual word aligner calls a "similar word" match
(:meth:`tui.core.similarity.Index._init_soft` gives each variant pair an
alternate match of weight ``AlignParams.variant_weight``).
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz

#: Stems at least this long may be variants of each other ...
_VARIANT_MIN_LEN = 5
#: ... spelling variants must reach this rapidfuzz ratio (names this one) ...
_SPELLING_RATIO = 85.0
_NAME_RATIO = 75.0
#: ... and a stem at least this long has as variants the stems it begins.
_VARIANT_PREFIX = 6


def _skeleton(word: str) -> str:
    """Consonant skeleton: vowels (and y) dropped, doubled letters collapsed."""
    out: list[str] = []
    for ch in word:
        if ch in "aeiouy":
            continue
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _shape(word: str) -> str:
    """Consonant/vowel shape with vowel runs collapsed: "tehreek" -> "CVCCVC"."""
    out: list[str] = []
    for ch in word:
        k = "V" if ch in "aeiouy" else "C"
        if not (k == "V" and out and out[-1] == "V"):
            out.append(k)
    return "".join(out)


def _variants(tokens: Sequence[str], is_name: Sequence[bool] = ()) -> list[tuple[int, int]]:
    """Pairs of vocabulary tokens that are spelling or morphological variants.

    What a monolingual word aligner calls a "similar word" match, limited to
    the two kinds that are safe without a dictionary:

    * transliteration and spelling variants, which differ only in vowels
      ("tehrik"/"tehreek", "turkiy"/"turkey", "neighbour"/"neighbor"):
      same first letter, same consonant skeleton of at least three letters,
      same consonant/vowel shape, and a rapidfuzz ratio of _SPELLING_RATIO
      (_NAME_RATIO when both are names: transliterations of a name differ
      more, while common words that differ so much are different words,
      "recent"/"recount");
    * derivations the stemmer left apart, where one stem of at least
      _VARIANT_PREFIX letters begins the other ("retali"/"retaliatori",
      "threat"/"threaten").

    A plain edit-distance cut was tried and rejected: among news stems it
    joins far more look-alikes ("state"/"stage", "truce"/"truck",
    "intend"/"intent", "progress"/"process") than variants. The relation
    is used pairwise, never closed transitively, so a chain of small
    differences cannot join unrelated words.
    """
    ok = [i for i, t in enumerate(tokens) if len(t) >= _VARIANT_MIN_LEN and t.isalpha()]
    out: set[tuple[int, int]] = set()
    by_skel: dict[tuple[str, str], list[int]] = {}
    for i in ok:
        sk = _skeleton(tokens[i])
        if len(sk) >= 3:
            by_skel.setdefault((tokens[i][0], sk), []).append(i)
    names = list(is_name) or [False] * len(tokens)
    for ids in by_skel.values():
        for j, x in enumerate(ids):
            for y in ids[j + 1:]:
                u, v = tokens[x], tokens[y]
                need = _NAME_RATIO if names[x] and names[y] else _SPELLING_RATIO
                if _shape(u) == _shape(v) and fuzz.ratio(u, v) >= need:
                    out.add((x, y))
    by_start: dict[str, list[int]] = {}
    for i in ok:
        if len(tokens[i]) >= _VARIANT_PREFIX:
            by_start.setdefault(tokens[i][:_VARIANT_PREFIX], []).append(i)
    for ids in by_start.values():
        for x in ids:
            for y in ids:
                if x != y and len(tokens[x]) < len(tokens[y]) and tokens[y].startswith(tokens[x]):
                    out.add((min(x, y), max(x, y)))
    return sorted(out)
