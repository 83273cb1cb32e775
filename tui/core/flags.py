"""The discrepancy detectors: numbers, dates, names and quotes that disagree within one row.

Each detector takes the members' sentence analyses (:mod:`tui.core.analysis`)
and returns :class:`Flag` records; :func:`tui.core.compare.compare_cells`
runs them all. Every detector errs towards silence (see
:mod:`tui.core.compare`): a number one outlet leaves out is an omission, not
a conflict; names pair only when near-identical spellings share a context;
quotes only when one rewords the other. Names written in another spelling
convention come out as quiet ``spelling`` notes, not flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache, partial

from rapidfuzz import fuzz

from tui.core.analysis import _Analysis, _fold, _Mention, _Name, _Quote, _stem

KIND_NUMBER = "number"
KIND_DATE = "date"
KIND_NAME = "name"
KIND_QUOTE = "quote"
#: a quiet kind: never a ⚑, shown in the detail panel (see :mod:`tui.core.compare`)
KIND_SPELLING = "spelling"


@dataclass(frozen=True, slots=True)
class Flag:
    """One discrepancy between members of a row, with the spans that conflict.

    ``topic`` refines ``kind`` for display ("weekday", "year" are kinds of
    "date"), and ``values`` lists each distinct reading with the sources that
    give it, so renderers (CSV, status line) need not re-parse ``message``.
    """

    kind: str
    message: str
    #: (source, start, end, text) with offsets relative to that source's sentence text
    spans: tuple[tuple[int, int, int, str], ...]
    topic: str = ""
    values: tuple[tuple[str, tuple[int, ...]], ...] = ()



# --------------------------------------------------------------------- conflicts


def _label_list(members: Iterable[int], labels: Mapping[int, str]) -> str:
    return ", ".join(labels.get(m, str(m)) for m in members)


def _make_flag(
    kind: str,
    topic: str,
    heading: str,
    groups: list[tuple[str, list[int]]],
    spans: list[tuple[int, int, int, str]],
    labels: Mapping[int, str],
) -> Flag:
    values = tuple((shown, tuple(members)) for shown, members in groups)
    message = f"{heading}: " + " vs ".join(f"{shown} ({_label_list(ms, labels)})" for shown, ms in values)
    return Flag(kind, message, tuple(sorted(set(spans))), topic, values)


def _set_conflict(
    per_member: dict[int, list[_Mention]],
    texts: Mapping[int, str],
    kind: str,
    topic: str,
    heading: str,
    labels: Mapping[int, str],
) -> Flag | None:
    """Flag when two members give readings with nothing in common.

    A member may mention several values ("three or four times"); it conflicts
    with another only if their value sets are disjoint, so an extra detail on
    one side (an omission on the other) is never a conflict.
    """
    members = [m for m in sorted(per_member) if per_member[m]]
    if len(members) < 2:
        return None
    keysets = {m: frozenset(x.key for x in per_member[m]) for m in members}
    if not any(keysets[a].isdisjoint(keysets[b]) for ai, a in enumerate(members) for b in members[ai + 1 :]):
        return None
    groups: dict[frozenset[object], list[int]] = {}
    shown: dict[frozenset[object], str] = {}
    for m in members:
        ks = keysets[m]
        groups.setdefault(ks, []).append(m)
        if ks not in shown:
            seen: list[str] = []
            for x in per_member[m]:
                if x.display not in seen:
                    seen.append(x.display)
            shown[ks] = "/".join(seen)
    spans = [(m, x.start, x.end, texts[m][x.start : x.end]) for m in members for x in per_member[m]]
    return _make_flag(kind, topic, heading, [(shown[k], ms) for k, ms in groups.items()], spans, labels)


def _number_flags(an: dict[int, _Analysis], texts: Mapping[int, str], labels: Mapping[int, str]) -> list[Flag]:
    units = sorted({u for a in an.values() for x in a.numbers for u in x.units})
    flags: list[Flag] = []
    seen_spans: set[frozenset[tuple[int, int, int]]] = set()
    for unit in units:
        per = {m: [x for x in a.numbers if unit in x.units] for m, a in an.items()}
        flag = _set_conflict(per, texts, KIND_NUMBER, "number", "numbers differ", labels)
        if flag is None:
            continue
        key = frozenset((s, a, b) for s, a, b, _ in flag.spans)
        if key in seen_spans:  # "58 Pakistani soldier fatalities": one conflict, several unit words
            continue
        seen_spans.add(key)
        flags.append(flag)
    return flags


def _date_flags(an: dict[int, _Analysis], texts: Mapping[int, str], labels: Mapping[int, str]) -> list[Flag]:
    """Weekdays, days of the month and years that disagree.

    Days of the month are only compared within one month: "October 19" vs
    "October 11" is a conflict, while "the September 11 attacks" next to
    "October 11" names a different event.
    """
    flags = []
    weekday = _set_conflict({m: list(a.weekdays) for m, a in an.items()}, texts, KIND_DATE, "weekday", "weekday", labels)
    if weekday is not None:
        flags.append(weekday)
    months = sorted({d.key[0] for a in an.values() for d in a.dates})
    for month in months:
        per = {m: [d for d in a.dates if d.key[0] == month] for m, a in an.items()}
        flag = _set_conflict(per, texts, KIND_DATE, "date", "date", labels)
        if flag is not None:
            flags.append(flag)
    year = _set_conflict({m: list(a.years) for m, a in an.items()}, texts, KIND_DATE, "year", "year", labels)
    if year is not None:
        flags.append(year)
    return flags


def _find(parent: list[int], i: int) -> int:
    """Union-find root with path halving: groups mentions that name the same thing."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


_SPELLING_SPLIT_RE = re.compile(r"[\s\-‐‑'’.]+")
#: British endings and their American forms, applied to each part of a name
_BRITISH_ENDINGS = (
    (re.compile(r"enc(es?)$"), r"ens\1"),  # defence, licence, offences
    (re.compile(r"([iy])z(e|ed|es|ing|ation|ations|er|ers)$"), r"\1s\2"),  # organize, analyze
)
_VOWELS_RE = re.compile(r"[aeiouy]+")
_DOUBLED_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def _spelling_key(word: str) -> str:
    """What is left of a word once spelling conventions are set aside.

    Diacritics, case, hyphens, spaces and apostrophes go; the British
    ``-ence``/``-ise`` endings become American; then vowels (y included) and
    doubled letters go. Two spellings with one key differ only by a vowel, a
    hyphen, a space, a diacritic or a UK/US convention: "Defence"/"Defense",
    "Tehreek-i"/"Tehrik-e", "Mohammad"/"Muhammad", "Kowalczyk"/"Kowalczik".
    Consonants stay, so "Solberg"/"Sohlberg" and "Shariq"/"Sharif" do not
    share a key.
    """
    parts = []
    for part in _SPELLING_SPLIT_RE.split(_fold(word)):
        for pattern, repl in _BRITISH_ENDINGS:
            part = pattern.sub(repl, part)
        parts.append(part)
    return _DOUBLED_RE.sub(r"\1", _VOWELS_RE.sub("", "".join(parts)))


def spelling_variants(a: str, b: str) -> bool:
    """Whether two different spellings are the same word written another way (see :func:`_spelling_key`)."""
    return a.casefold() != b.casefold() and _spelling_key(a) == _spelling_key(b) != ""


#: Different name spellings of one row compared pairwise at most: no real row
#: comes near, and a 40 KB "sentence" of names must not cost minutes.
_MAX_NAME_FORMS = 400


def _link_similar_names(an: Mapping[int, _Analysis], nodes: Sequence[tuple[int, _Name]], parent: list[int]) -> set[int]:
    """Union the mentions (``nodes``) of one name spelled differently across sources; return those linked.

    The same grouping as comparing every mention with every other, but each
    pair of *spellings* is compared once, only within spellings that share
    first and last letter and could reach the fuzzy ratio, and mentions that
    repeat a spelling join as a group: two 40 KB name-heavy sentences took
    4 s pairing mention by mention.
    """
    find = partial(_find, parent)

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    spots: dict[str, dict[int, list[int]]] = {}  # spelling -> member -> mentions
    for i, (m, n) in enumerate(nodes):
        spots.setdefault(n.norm, {}).setdefault(m, []).append(i)
    buckets: dict[tuple[str, str], list[str]] = {}
    for norm in list(spots)[:_MAX_NAME_FORMS]:
        if len(norm) >= 5:
            buckets.setdefault((norm[0], norm[-1]), []).append(norm)
    linked: set[int] = set()
    joined: set[tuple[str, int, str | None, str | None]] = set()

    def join(group: list[int], key: tuple[str, int, str | None, str | None]) -> int:
        """Union a group of mentions (once) and return its first."""
        if key not in joined:
            joined.add(key)
            for j in group[1:]:
                union(j, group[0])
            linked.update(group)
        return group[0]

    for bucket in buckets.values():
        bucket.sort(key=lambda norm: (len(norm), norm))
        for k, x in enumerate(bucket):
            for y in bucket[k + 1 :]:
                if 2 * len(x) < 0.8 * (len(x) + len(y)):  # sorted by length: no longer y can reach ratio 80
                    break
                if not _similar_spelling(x, y):
                    continue
                distinctive = min(len(x), len(y)) >= 8
                for ma, xs in spots[x].items():
                    for mb, ys in spots[y].items():
                        if mb == ma or x in an[mb].all_forms or y in an[ma].all_forms:
                            continue
                        if distinctive:
                            union(join(xs, (x, ma, None, None)), join(ys, (y, mb, None, None)))
                            continue
                        by_prev: dict[str, list[int]] = {}
                        by_next: dict[str, list[int]] = {}
                        for j in ys:
                            nb = nodes[j][1]
                            if nb.prev is not None:
                                by_prev.setdefault(nb.prev, []).append(j)
                            if nb.next is not None:
                                by_next.setdefault(nb.next, []).append(j)
                        for i in xs:
                            na = nodes[i][1]
                            for word, index, key in ((na.prev, by_prev, (y, mb, na.prev, None)),
                                                     (na.next, by_next, (y, mb, None, na.next))):
                                if word is not None and word in index:
                                    union(i, join(index[word], key))
                                    linked.add(i)
    return linked


def _similar_spelling(x: str, y: str) -> bool:
    """Spelling variants of one name, not two names or two forms of a word.

    Same first and last letter (so "Pakistan"/"Pakistani", "Minister"/"Ministry"
    stay apart) and near-identical spelling. :func:`_link_similar_names` also
    wants either a long enough name to be distinctive (8 letters) or a shared
    neighbouring word ("Khawaja M?hammad Asif").
    """
    if x == y or min(len(x), len(y)) < 5 or x[0] != y[0] or x[-1] != y[-1]:
        return False
    if _stem(x) == _stem(y):
        return False
    return fuzz.ratio(x, y) >= 80


def _name_flags(
    an: dict[int, _Analysis], texts: Mapping[int, str], labels: Mapping[int, str]
) -> tuple[list[Flag], list[Flag]]:
    """Names spelled differently: (flags for names that really differ, quiet spelling variants).

    Mentions are grouped by similarity first; a group whose spellings all
    share one spelling key is a spelling variant, anything else (one
    consonant apart, a different name) stays a flag.
    """
    members = sorted(an)
    nodes: list[tuple[int, _Name]] = [(m, n) for m in members for n in an[m].names]
    parent = list(range(len(nodes)))
    find = partial(_find, parent)
    linked = _link_similar_names(an, nodes, parent)
    components: dict[int, list[int]] = {}
    for i in sorted(linked):
        components.setdefault(find(i), []).append(i)
    flags: list[Flag] = []
    quiet: list[Flag] = []
    for idxs in components.values():
        groups: dict[str, list[int]] = {}
        shown: dict[str, str] = {}
        spans = []
        for i in idxs:
            m, n = nodes[i]
            if m not in groups.setdefault(n.norm, []):
                groups[n.norm].append(m)
            shown.setdefault(n.norm, n.text)
            spans.append((m, n.start, n.end, texts[m][n.start : n.end]))
        readings = [(shown[k], ms) for k, ms in groups.items()]
        if len({_spelling_key(k) for k in groups}) == 1:
            quiet.append(_make_flag(KIND_SPELLING, "spelling", "spelling variant", readings, spans, labels))
        else:
            flags.append(_make_flag(KIND_NAME, "name", "name spelled differently", readings, spans, labels))
    return flags, quiet


def _quote_relation(a: tuple[str, ...], b: tuple[str, ...]) -> str | None:
    """"same", "differs" (one quote reworded) or None (not the same quote).

    An excerpt of a longer quote is the same quote: only differences strictly
    inside the stretch both outlets quote count.
    """
    if a == b:
        return "same"
    sm = SequenceMatcher(None, a, b, autojunk=False)
    blocks = sm.get_matching_blocks()
    matched = sum(bl.size for bl in blocks)
    if matched < 3 or matched / min(len(a), len(b)) < 0.6:
        return None
    if max(bl.size for bl in blocks) < 3:
        return None
    if fuzz.token_set_ratio(" ".join(a), " ".join(b)) < 60:
        return None
    return "differs" if any(op[0] != "equal" for op in _inner_opcodes(a, b)) else "same"


def _inner_opcodes(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, int, int, int, int]]:
    """Edit operations from ``a`` to ``b``, minus extra words quoted at either end only."""
    ops: list[tuple[str, int, int, int, int]] = list(SequenceMatcher(None, a, b, autojunk=False).get_opcodes())
    while ops and ops[0][0] in ("insert", "delete"):
        ops.pop(0)
    while ops and ops[-1][0] in ("insert", "delete"):
        ops.pop()
    return ops


def _quote_gist(text: str, q: _Quote, other: _Quote, limit: int = 48) -> str:
    """The stretch of a quote around its first difference from ``other``, for messages."""
    if not q.spans:
        return "“”"
    diffs = [op for op in _inner_opcodes(q.words, other.words) if op[0] != "equal"]
    i = min(diffs[0][1], len(q.spans) - 1) if diffs else 0
    lo = max(0, i - 2)
    hi = min(len(q.spans), lo + 6)
    s, e = q.spans[lo][0], q.spans[hi - 1][1]
    body = " ".join(text[s:e].split())
    if len(body) > limit:
        body = body[: limit - 1].rstrip() + "…"
    return "“" + ("…" if lo > 0 else "") + body + ("…" if hi < len(q.spans) else "") + "”"


def _quote_flags(an: dict[int, _Analysis], texts: Mapping[int, str], labels: Mapping[int, str]) -> list[Flag]:
    nodes = [(m, q) for m in sorted(an) for q in an[m].quotes]
    parent = list(range(len(nodes)))
    find = partial(_find, parent)

    differs: set[int] = set()
    linked: set[int] = set()
    for i, (ma, qa) in enumerate(nodes):
        for j in range(i + 1, len(nodes)):
            mb, qb = nodes[j]
            if mb == ma:
                continue
            rel = _quote_relation(qa.words, qb.words)
            if rel is None:
                continue
            parent[find(i)] = find(j)
            linked.update((i, j))
            if rel == "differs":
                differs.update((find(i),))
    components: dict[int, list[int]] = {}
    for i in sorted(linked):
        components.setdefault(find(i), []).append(i)
    flags = []
    for root, idxs in components.items():
        if not any(find(d) == root for d in differs):
            continue
        groups: dict[tuple[str, ...], list[int]] = {}
        reps: dict[tuple[str, ...], int] = {}
        spans = []
        for i in idxs:
            m, q = nodes[i]
            if m not in groups.setdefault(q.words, []):
                groups[q.words].append(m)
            reps.setdefault(q.words, i)
            spans.append((m, q.start, q.end, texts[m][q.start : q.end]))
        if len(groups) < 2:
            continue
        keys = list(groups)
        first_q = nodes[reps[keys[0]]][1]
        second_q = nodes[reps[keys[1]]][1]
        shown = []
        for n, k in enumerate(keys):
            m, q = nodes[reps[k]]
            shown.append((_quote_gist(texts[m], q, second_q if n == 0 else first_q), groups[k]))
        flags.append(_make_flag(KIND_QUOTE, "quote", "quote worded differently", shown, spans, labels))
    return flags
