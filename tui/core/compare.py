"""What differs inside one aligned row: words to highlight and discrepancies to flag.

The aligner decides *which* sentences report the same thing; this module
answers the reader's next question, *how do they differ?* Two answers:

* ``RowDiff.unique``: per member, the words no other member of the row shares
  (compared after normalisation and stemming, stop words never count), so the
  panes can highlight what each outlet adds or words differently.
* ``RowDiff.flags``: concrete discrepancies a fact-checker cares about, i.e.
  numbers that disagree for the same quantity (23 vs 58 soldiers, three vs four
  days), conflicting dates and weekdays, names that differ (Solberg vs
  Sohlberg) and the same quote worded differently.
* ``RowDiff.quiet``: differences worth seeing but not worth a flag. Today one
  kind, ``spelling``: the same name in British and American spelling
  (Defence/Defense) or transliterated differently (Tehreek-i/Tehreek-e,
  Mohammad/Muhammad: a vowel, a hyphen, a space or a diacritic apart). A
  reader who sees ⚑ on every such row stops trusting ⚑, so the reader shows
  these only in the row's detail and the CSV's ``flags`` column leaves them
  out unless asked (``flags_text(..., quiet=True)``).

Flags must be trustworthy, so every detector errs towards silence: a number
one outlet simply leaves out is an omission, not a conflict; numbers are only
paired when they count the same thing; names only when they are capitalised,
near-identical spellings in the same context; quotes only when one is clearly
a rewording of the other (not a shorter excerpt of it).

Everything here is a pure function of the sentence texts. Per-text analysis is
cached, so the UI may call :func:`compare_row` for every visible row on every
repaint and the export may call it for every row.

Three modules share the work: :mod:`tui.core.analysis` reads one sentence
(words, numbers, dates, names, quotes), :mod:`tui.core.flags` holds the
discrepancy detectors, and this one compares a row and keeps the public API.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from rapidfuzz import fuzz

from tui.core.analysis import _TOKEN_RE, _analyse, _Analysis, _fold, _stem, _word_key
from tui.core.flags import (_MAX_NAME_FORMS, Flag, _date_flags, _name_flags, _number_flags, _quote_flags,
                            _spelling_key, spelling_variants)
from tui.core.model import Alignment, Source
from tui.core.words import NEWS_STOP_WORDS

__all__ = [
    "Flag", "RowDiff", "compare_row", "compare_row_flags", "compare_cells", "compare_cells_flags", "distinctive_spans",
    "flags_text", "source_tag",
    "spelling_variants", "vocabulary",
]

@dataclass(frozen=True, slots=True)
class RowDiff:
    """What differs in one row: unique-word spans per member, discrepancy flags, quiet notes.

    ``flags`` are what the reader marks with ⚑ and the CSV exports;
    ``quiet`` holds the spelling variants, for the detail panel (their words
    are not highlighted as unique either: the word is the same).
    """

    unique: dict[int, tuple[tuple[int, int], ...]]
    flags: tuple[Flag, ...]
    quiet: tuple[Flag, ...] = ()


# ------------------------------------------------------------------------- API


def compare_cells(texts: Mapping[int, str], labels: Mapping[int, str] | None = None) -> RowDiff:
    """Compare the sentences of one row (source index -> sentence text).

    ``labels`` names the sources in flag messages (default: the index).
    A single sentence has nothing to differ from: no highlights, no flags.
    """
    labels = labels or {}
    if len(texts) < 2:  # nothing to differ from; skip the (costly) analysis
        return RowDiff({m: () for m in texts}, ())
    an = {m: _analyse(t) for m, t in sorted(texts.items())}
    flags, quiet = _flags(an, texts, labels)
    # a word is unique to its member when no other member has its key: one member holds it
    held = Counter(k for a in an.values() for k in a.keys)
    unique = {m: [(s, e) for s, e, k in a.words if held[k] == 1] for m, a in an.items()}
    same = _spelled_alike(unique, texts, quiet)
    return RowDiff({m: tuple(sp for sp in spans if (m, sp[0]) not in same) for m, spans in unique.items()},
                   tuple(flags), tuple(quiet))


def compare_cells_flags(texts: Mapping[int, str], labels: Mapping[int, str] | None = None) -> RowDiff:
    """:func:`compare_cells` without the highlights: the same ``flags`` and ``quiet``, ``unique`` left empty.

    What the CSV export writes of a row (:func:`flags_text`), without
    looking for each member's unique words and their other spellings.
    """
    if len(texts) < 2:
        return RowDiff({}, ())
    an = {m: _analyse(t) for m, t in sorted(texts.items())}
    flags, quiet = _flags(an, texts, labels or {})
    return RowDiff({}, tuple(flags), tuple(quiet))


def _flags(an: dict[int, _Analysis], texts: Mapping[int, str],
           labels: Mapping[int, str]) -> tuple[list[Flag], list[Flag]]:
    """The discrepancy flags of a row so analysed, and its spelling variants."""
    names, quiet = _name_flags(an, texts, labels)
    flags = [
        *_number_flags(an, texts, labels),
        *_date_flags(an, texts, labels),
        *names,
        *_quote_flags(an, texts, labels),
    ]
    return flags, quiet


def _spelled_alike(
    unique: Mapping[int, Sequence[tuple[int, int]]], texts: Mapping[int, str], quiet: list[Flag]
) -> set[tuple[int, int]]:
    """(member, start) of unique words another member writes in another spelling: not differences.

    The spelling variants among names, plus any unique word of five letters
    or more whose spelling key a unique word of another member shares, with
    the same first and last letter and at least 80% alike letter by letter
    ("defence"/"defense", "organised"/"organized"; not "stated"/"stood" or
    "minister"/"ministry", whose keys collide). Only unique words are
    looked at: a variant spelling never shares its stem.
    """
    out = {(m, start) for f in quiet for m, start, _, _ in f.spans}
    keyed: dict[str, list[tuple[int, int, str]]] = {}
    for m, spans in unique.items():
        for start, end in spans:
            word = _fold(texts[m][start:end])
            if len(word) >= 5 and not word[:1].isdigit():
                keyed.setdefault(_spelling_key(word), []).append((m, start, word))
    for entries in keyed.values():
        # each pair of different spellings once, not each pair of mentions (a 2 MB row of names: minutes)
        members_of: dict[str, set[int]] = {}
        for m, _, word in entries:
            members_of.setdefault(word, set()).add(m)
        if len(members_of) < 2:
            continue
        spellings = list(members_of)[:_MAX_NAME_FORMS]
        alike: set[tuple[int, str]] = set()
        for k, x in enumerate(spellings):
            for y in spellings[k + 1 :]:
                if x[0] == y[0] and x[-1] == y[-1] and fuzz.ratio(x, y) >= 80:
                    alike.update((m, x) for m in members_of[x] if members_of[y] - {m})
                    alike.update((m, y) for m in members_of[y] if members_of[x] - {m})
        out.update((m, start) for m, start, word in entries if (m, word) in alike)
    return out


def source_tag(source: Source) -> str:
    """A short name for a source in flag messages.

    The outlet label when ingest found one, else the leading part of a file
    name such as ``000_bd062090da669a4d.txt`` ("000"), else the whole stem.
    """
    return _tag(source.name, source.label, source.id)


@lru_cache(maxsize=4096)
def _tag(name: str, label: str, id_: int) -> str:
    """:func:`source_tag` of a source so named (asked for every cell of every row: cached)."""
    stem = PurePath(name).stem
    if label and label != stem:
        return label
    head = stem.split("_", 1)[0]
    return head or stem or str(id_)


def compare_row(alignment: Alignment, row: int) -> RowDiff:
    """Compare the members of row ``row`` of ``alignment``; pure and cheap."""
    return compare_cells(*_cells(alignment, row))


def compare_row_flags(alignment: Alignment, row: int) -> RowDiff:
    """:func:`compare_row`'s flags and spelling variants only (``unique`` empty: see :func:`compare_cells_flags`)."""
    return compare_cells_flags(*_cells(alignment, row))


def _cells(alignment: Alignment, row: int) -> tuple[dict[int, str], dict[int, str]]:
    """Row ``row``'s cell texts (source index -> text) and the sources' tags, as compare_cells takes them."""
    texts = {}
    for s in alignment.rows[row].coverage:
        t = alignment.cell_text(row, s)
        if t is not None:
            texts[s] = t
    return texts, {s: source_tag(alignment.sources[s]) for s in texts}


def flags_text(diff: RowDiff, alignment: Alignment | None = None, *, quiet: bool = False) -> str:
    """One line for the CSV ``flags`` column: 'number: 58 vs 23; weekday: Wednesday vs Tuesday'.

    With an alignment, each reading is followed by the sources giving it:
    'number: 58 (000) vs 23 (003)'. ``quiet`` appends the spelling variants
    ('spelling: Defence vs Defense'), which are left out by default.
    """
    parts = []
    for f in (*diff.flags, *(diff.quiet if quiet else ())):
        topic = f.topic or f.kind
        if not f.values:
            parts.append(f.message)
            continue
        if alignment is None:
            readings = [shown for shown, _ in f.values]
        else:
            readings = [
                f"{shown} ({', '.join(source_tag(alignment.sources[m]) for m in ms)})" for shown, ms in f.values
            ]
        parts.append(f"{topic}: " + " vs ".join(readings))
    return "; ".join(parts)


# --------------------------------------------------------------- distinctive words

#: Fewest letters an ordinary (lowercase) word needs to count as distinctive:
#: the shorter ones a paraphrase swaps are mostly common verbs and adverbs
#: ("take", "must", "want"); names and numbers count at any length.
DISTINCTIVE_MIN_LETTERS = 5


def vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """The comparison keys of every content word in ``texts``: what a source says anywhere in its article.

    Cheaper than the full analysis (no dates, names or quotes): only the
    tokens, stop words dropped, stemmed as :attr:`RowDiff.unique` compares them.
    """
    keys: set[str] = set()
    for text in texts:
        for token in _TOKEN_RE.findall(text):
            key = _word_key(token)
            if key is not None:
                keys.add(key)
    return frozenset(keys)


def distinctive_spans(
    texts: Mapping[int, str],
    unique: Mapping[int, Sequence[tuple[int, int]]],
    vocabularies: Mapping[int, frozenset[str]],
) -> dict[int, tuple[tuple[int, int], ...]]:
    """Of each member's unique words, the ones that say something the others never do.

    ``RowDiff.unique`` marks every content word a sentence does not share
    with the rest of its row; in paraphrased news that is half the words,
    and a highlight on half the words says nothing. Distinctive is stricter:
    a number, or a name or a content word (at least
    :data:`DISTINCTIVE_MIN_LETTERS` letters, not a reporting or filler word)
    that none of the row's *other* sources uses anywhere in its article
    (``vocabularies``: source -> :func:`vocabulary` of its sentences). "Khost"
    that only one outlet names is distinctive; "Pakistan", which every outlet
    says somewhere, is not, even where this outlet alone says it in this row.
    """
    out: dict[int, tuple[tuple[int, int], ...]] = {}
    for member, spans in unique.items():
        text = texts.get(member)
        if not text or not spans:
            out[member] = ()
            continue
        others = [vocabularies[o] for o in texts if o != member and o in vocabularies]
        analysis = _analyse(text)
        keys = {start: key for start, _, key in analysis.words}
        names = [(name.start, name.end) for name in analysis.names]
        keep: list[tuple[int, int]] = []
        for start, end in spans:
            word = text[start:end]
            key = keys.get(start) or _stem(word)
            if key.startswith("#") or word[:1].isdigit():
                keep.append((start, end))
                continue
            named = any(a <= start < b for a, b in names)
            if not named and (sum(c.isalpha() for c in word) < DISTINCTIVE_MIN_LETTERS
                              or _fold(word) in NEWS_STOP_WORDS):
                continue
            if any(key in vocab for vocab in others):
                continue
            keep.append((start, end))
        out[member] = tuple(keep)
    return out
