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
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache, partial
from pathlib import PurePath
from typing import Any

from rapidfuzz import fuzz

from tui.core.model import Alignment, Source
from tui.core.text import stem as _snowball
from tui.core.words import (MONTH_NUMBERS, MONTHS, NEWS_STOP_WORDS, NLTK_STOP_WORDS, NUMBER_ONES, NUMBER_SCALES,
                             NUMBER_TENS, WEEKDAYS)

__all__ = [
    "Flag", "RowDiff", "compare_row", "compare_cells", "distinctive_spans", "flags_text", "source_tag",
    "spelling_variants", "vocabulary",
]

KIND_NUMBER = "number"
KIND_DATE = "date"
KIND_NAME = "name"
KIND_QUOTE = "quote"
#: a quiet kind: never a ⚑, shown in the detail panel (see the module docstring)
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


# --------------------------------------------------------------------------- lexicon

# The shared word lists (tui.core.words), under the names this module reads them by.
_STOP_WORDS = NLTK_STOP_WORDS
_ONES = NUMBER_ONES
_TENS = NUMBER_TENS
_SCALES = NUMBER_SCALES
#: the words a number phrase can start with (besides a digit): "four", "twenty", "a dozen"
_NUMBER_STARTS = frozenset(("a", "an", *_ONES, *_TENS))
_MONTHS = MONTH_NUMBERS
_MONTH_NAMES = ("", *(month.capitalize() for month in MONTHS))
_WEEKDAYS = {day: day.capitalize() for day in WEEKDAYS}
#: words between a number and its noun that say nothing about *what* is counted
_UNIT_FILLERS = frozenset(
    "more less fewer other additional further new extra many least most some about "
    "around nearly almost roughly approximately another".split()
)
#: unit spellings folded together before stemming, so "2,600-km" meets "2,600-kilometre"
_UNIT_SYNONYMS = {
    "km": "km", "kms": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km",
    "kilometers": "km", "mi": "mile", "miles": "mile", "mile": "mile", "percent": "%",
    "pct": "%", "yrs": "year", "hrs": "hour",
}

# ------------------------------------------------------------------------- patterns

#: a number with thousands separators/decimals, else a word (inner apostrophes kept)
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*(?!\w)|\w+(?:['’]\w+)*")
_PLAIN_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_THOUSANDS_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_ORDINAL_RE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)")
_HYPHEN_GAP_RE = re.compile(r"[-‐‑]")
_WORD_GAP_RE = re.compile(r"[\s\-‐‑]*")
_MONTH_GAP_RE = re.compile(r"\.?\s+")
_OF_GAP_RE = re.compile(r"\s+(?:of\s+)?", re.IGNORECASE)
# The (?<!\s) lets these start only where a run of white space starts: tried
# at every position of a long run, a leading \s* or \s+ that fails at its end
# is quadratic.
_RANGE_GAP_RE = re.compile(r"(?<!\s)\s*(?:[-–—]|\s(?:or|to)\s)\s*")
_PERCENT_RE = re.compile(r"(?<!\s)(?:\s?%|\s+per\s?cent\b|\s+percent\b)", re.IGNORECASE)
_CURRENCY_RE = re.compile(r"[$£€¥₹]$")
_DOUBLE_QUOTE_RE = re.compile(r'[“”"]')
_SINGLE_QUOTE_RE = re.compile(r"[‘’']")
#: an editorial [insertion]: innermost brackets, so "[[[[..." without a "]" fails at once
_BRACKETED_RE = re.compile(r"\[[^\[\]]*\]")
_SENTENCE_START_CHARS = frozenset('.!?:“"‘«')
#: the characters _HYPHEN_GAP_RE matches, for a test without the regex
_HYPHENS = frozenset("-‐‑")

@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """Casefold, strip accents, unify apostrophes and drop a possessive ending."""
    w = unicodedata.normalize("NFKD", word.casefold())
    w = "".join(c for c in w if not unicodedata.combining(c)).replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    return w.rstrip("'")


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """The comparison key of a word: folded, synonym-mapped, Snowball-stemmed.

    The Snowball step is the matcher's own cached :func:`tui.core.text.stem`,
    so a word the aligner has stemmed is not stemmed again here.
    """
    w = _fold(word)
    return _UNIT_SYNONYMS.get(w) or _snowball(w)


def _is_stop(word: str) -> bool:
    return _fold(word) in _STOP_WORDS


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str | None:
    """A content word's comparison key (:func:`_stem`), None for a stop word: one lookup per token."""
    return None if _fold(word) in _STOP_WORDS else _stem(word)


# ------------------------------------------------------------------------- analysis


class _Token:
    """A word or number of the sentence and where it is (a plain slotted class: cheap to build)."""

    __slots__ = ("start", "end", "text")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text


@dataclass(frozen=True, slots=True)
class _Mention:
    """A comparable item found in one sentence: a value and where it is."""

    key: Any  # what is compared: a number value, (month, day), a year, a weekday
    start: int
    end: int
    display: str
    units: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class _Name:
    norm: str
    start: int
    end: int
    text: str
    prev: str | None
    next: str | None


@dataclass(frozen=True, slots=True)
class _Quote:
    start: int
    end: int
    words: tuple[str, ...]  # normalised words, editorial [insertions] removed
    spans: tuple[tuple[int, int], ...]  # offsets of each word in the sentence


@dataclass(frozen=True, slots=True)
class _Analysis:
    """Everything compare needs from one sentence; cached per text."""

    words: tuple[tuple[int, int, str], ...]  # (start, end, key) of content words
    keys: frozenset[str]
    numbers: tuple[_Mention, ...]
    dates: tuple[_Mention, ...]
    years: tuple[_Mention, ...]
    weekdays: tuple[_Mention, ...]
    names: tuple[_Name, ...]
    all_forms: frozenset[str]  # folded forms of every word and hyphenated compound
    quotes: tuple[_Quote, ...]


def _gap(text: str, a: _Token, b: _Token) -> str:
    return text[a.end : b.start]


def _number_value(tok: str) -> float | None:
    """The value of a digit token; None for malformed ones and for those beyond a float (309+ digits)."""
    if _THOUSANDS_RE.fullmatch(tok):
        value = float(tok.replace(",", ""))
    elif _PLAIN_NUMBER_RE.fullmatch(tok):
        if "," in tok:  # "2,5" or "1,20": not a well-formed English number
            return None
        try:
            value = float(tok)
        except ValueError:  # "1.2.3"
            return None
    else:
        return None
    return value if math.isfinite(value) else None


def _fmt_value(v: float) -> str:
    if not math.isfinite(v):
        return str(v)
    return str(int(v)) if v == int(v) else f"{v:g}"


def _parse_dates(text: str, toks: list[_Token]) -> tuple[list[_Mention], list[_Mention], set[int]]:
    """Month-day dates ("October 19", "Oct. 29", "11 October 2025") and bare years.

    Returns the dates, the years and the token indices they consume, so the
    number detector does not mistake a day of the month for a count.
    """
    dates: list[_Mention] = []
    years: list[_Mention] = []
    used: set[int] = set()

    def day_at(i: int) -> int | None:
        if i >= len(toks):
            return None
        t = toks[i].text
        m = _ORDINAL_RE.fullmatch(t)
        s = m.group(1) if m else t
        if s.isascii() and s.isdigit() and len(s) <= 2 and 1 <= int(s) <= 31:
            return int(s)
        return None

    def month_at(i: int) -> int | None:
        if 0 <= i < len(toks) and toks[i].text[:1].isupper():
            return _MONTHS.get(toks[i].text.lower())
        return None

    # Every date holds a month name, at i or at i + 1: only tokens next to one are looked at.
    at_month = [k for k, t in enumerate(toks) if t.text[:1].isupper() and t.text.lower() in _MONTHS]
    for i in sorted({k for m in at_month for k in (m - 1, m) if k >= 0}) if at_month else ():
        if i in used:
            continue
        tok = toks[i]
        month = month_at(i)
        if month is not None and i + 1 < len(toks):
            gap = _gap(text, tok, toks[i + 1])
            day = day_at(i + 1)
            if day is not None and _MONTH_GAP_RE.fullmatch(gap):
                used.update((i, i + 1))
                dates.append(_Mention((month, day), tok.start, toks[i + 1].end, f"{_MONTH_NAMES[month]} {day}"))
                continue
        day = day_at(i)
        if day is not None and i + 1 < len(toks):
            month = month_at(i + 1)
            if month is not None and _OF_GAP_RE.fullmatch(_gap(text, tok, toks[i + 1])):
                used.update((i, i + 1))
                dates.append(_Mention((month, day), tok.start, toks[i + 1].end, f"{_MONTH_NAMES[month]} {day}"))
    # years: inside full dates or standing alone; never a count
    for i, tok in enumerate(toks):
        t = tok.text
        if len(t) == 4 and t.isascii() and t.isdigit() and 1800 <= int(t) <= 2100:
            used.add(i)
            years.append(_Mention(int(t), tok.start, tok.end, t))
    return dates, years, used


def _parse_number_at(text: str, toks: list[_Token], i: int) -> tuple[float, int, str] | None:
    """A number starting at token i: (value, index of its last token, shown text)."""
    low = toks[i].text.lower()
    if not low[0].isdigit() and low not in _NUMBER_STARTS:
        return None  # the common case, a plain word: no digit, no number word (as below, only faster)
    value: float | None = _number_value(toks[i].text)
    j = i
    if value is None:
        if low in ("a", "an") and i + 1 < len(toks) and toks[i + 1].text.lower() in _SCALES:
            value, j = 1.0, i  # "a dozen", "a hundred": the scale below multiplies
        elif low in _ONES:
            value = float(_ONES[low])
        elif low in _TENS:
            value = float(_TENS[low])
            k = i + 1
            if k < len(toks) and toks[k].text.lower() in _ONES and 1 <= _ONES[toks[k].text.lower()] <= 9:
                if _WORD_GAP_RE.fullmatch(_gap(text, toks[i], toks[k])):
                    value += _ONES[toks[k].text.lower()]
                    j = k
        else:
            return None
    k = j + 1
    if k < len(toks) and toks[k].text.lower() in _SCALES and _WORD_GAP_RE.fullmatch(_gap(text, toks[j], toks[k])):
        value *= _SCALES[toks[k].text.lower()]
        j = k
        if not math.isfinite(value):  # "9…9 billion" past the largest float
            return None
    if low in ("a", "an") and j == i:
        return None
    return value, j, text[toks[i].start : toks[j].end]


def _unit_window(text: str, toks: list[_Token], j: int) -> tuple[frozenset[str], int]:
    """What a number ending at token j counts: the stems of the noun right after it.

    Skips capitalised adjectives ("58 *Pakistani* soldiers") and fillers
    ("more"), takes the first lowercase word and, when that one is singular, the
    next too ("23 soldier fatalities", "four-day discussions"); stops at
    punctuation, a stop word or another number. Capitalised words only count
    when nothing else does, so nationalities never pair unrelated numbers.
    Returns the unit stems and the end offset of the last word read.
    """
    pct = _PERCENT_RE.match(text, toks[j].end)
    if pct:
        return frozenset({"%"}), pct.end()
    lower: list[str] = []
    upper: list[str] = []
    end = toks[j].end
    k = j + 1
    while k < len(toks) and k - j <= 3:
        if not _WORD_GAP_RE.fullmatch(_gap(text, toks[k - 1], toks[k])):
            break
        w = toks[k].text
        f = _fold(w)
        if f in _STOP_WORDS or _number_value(w) is not None or f in _ONES or f in _TENS:
            break
        k += 1
        if f in _UNIT_FILLERS:
            continue
        if w[:1].isupper():
            if lower:
                break
            upper.append(_stem(w))
        else:
            lower.append(_stem(w))
        end = toks[k - 1].end
        if lower and (len(lower) == 2 or f.endswith("s")):
            break
    return frozenset(lower or upper), end


def _parse_numbers(
    text: str, toks: list[_Token], used: set[int]
) -> tuple[list[_Mention], list[tuple[float, int, int, str]]]:
    """Counts and measures with what they count; years and days of month excluded.

    Also returns every number phrase found, (value, first token, last token,
    shown), counting what it counts or not, for the word keys.
    """
    found: list[tuple[float, int, int, str]] = []  # value, first token, last token, shown
    i = 0
    while i < len(toks):
        if i in used:
            i += 1
            continue
        parsed = _parse_number_at(text, toks, i)
        if parsed is None:
            i += 1
            continue
        value, j, shown = parsed
        found.append((value, i, j, shown))
        i = j + 1
    mentions: list[_Mention] = []
    units_of: list[tuple[frozenset[str], int]] = [_unit_window(text, toks, j) for _, _, j, _ in found]
    # "three or four times", "3-4 days": the first number counts what the second does
    for n in range(len(found) - 2, -1, -1):
        if not units_of[n][0] and _RANGE_GAP_RE.fullmatch(text[toks[found[n][2]].end : toks[found[n + 1][1]].start]):
            units_of[n] = (units_of[n + 1][0], toks[found[n][2]].end)
    for (value, i, _j, shown), (units, end) in zip(found, units_of):
        start = toks[i].start
        if start > 0 and _CURRENCY_RE.search(text[:start]):
            units = units | {text[start - 1]}
            start -= 1
        if units:
            mentions.append(_Mention(value, start, end, shown, units))
    return mentions, found


def _is_sentence_initial(text: str, start: int) -> bool:
    # walks back over the blanks only: text[:start].rstrip() copied the whole
    # prefix for every word, quadratic in a long sentence
    i = start
    while i > 0 and text[i - 1].isspace():
        i -= 1
    return i == 0 or text[i - 1] in _SENTENCE_START_CHARS


def _parse_names(text: str, toks: list[_Token]) -> tuple[list[_Name], set[str]]:
    """Capitalised words and hyphenated compounds ("Tehrik-e-Taliban") that may be names.

    Also returns the folded form of every word and compound in the sentence,
    so a spelling the other sentence *also* uses is never flagged.
    """
    forms: set[str] = set()
    compounds: list[tuple[int, int]] = []  # first and last token index
    i = 0
    while i < len(toks):
        j = i
        # joined when exactly one hyphen separates the tokens (what _HYPHEN_GAP_RE matches)
        while j + 1 < len(toks) and toks[j + 1].start - toks[j].end == 1 and text[toks[j].end] in _HYPHENS:
            j += 1
        compounds.append((i, j))
        i = j + 1
    for t in toks:
        forms.add(_fold(t.text))
    names: list[_Name] = []
    for n, (i, j) in enumerate(compounds):
        start, end = toks[i].start, toks[j].end
        raw = text[start:end]
        folded = _fold(raw)
        norm = _HYPHEN_GAP_RE.sub("-", folded) if i != j or "‐" in folded or "‑" in folded else folded
        forms.add(norm)
        first = raw[:1]
        if not first.isupper() or not first.isalpha():
            continue
        if _is_sentence_initial(text, start) and not any(c.isupper() for c in raw[1:]):
            continue
        low = norm.lower()
        if low in _STOP_WORDS or low in _MONTHS or low in _WEEKDAYS or low in _ONES or low in _TENS:
            continue

        names.append(_Name(norm, start, end, raw, _neighbour(text, toks, compounds, n - 1),
                           _neighbour(text, toks, compounds, n + 1)))
    return names, forms


def _neighbour(text: str, toks: list[_Token], compounds: list[tuple[int, int]], m: int) -> str | None:
    """The key of compound ``m`` (a name's neighbour), None off the ends and for stop words."""
    if not 0 <= m < len(compounds):
        return None
    a, b = compounds[m]
    w = text[toks[a].start : toks[b].end]
    return None if _is_stop(w) else _stem(w)


def _find_quotes(text: str) -> list[tuple[int, int]]:
    """Spans of quoted text (inside the marks), tolerant of quotes cut by sentence splitting.

    Curly and straight double quotes pair up in order; an unmatched closing
    mark means the quote began in an earlier sentence, an unmatched opening
    one that it runs on. Single quotes count only when they open before a word
    and close after one, so apostrophes ("Pakistan’s", "don’t") never do.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for m in _DOUBLE_QUOTE_RE.finditer(text):
        c, p = m.group(), m.start()
        if c == '"':
            prev = text[p - 1] if p > 0 else " "
            nxt = text[p + 1] if p + 1 < len(text) else " "
            opening = (prev.isspace() or prev in "([{—–-") and not nxt.isspace()
        else:
            opening = c == "“"
        if opening:
            if open_at is None:
                open_at = p + 1
        elif open_at is not None:
            spans.append((open_at, p))
            open_at = None
        elif not spans:  # the quote began in an earlier sentence
            spans.append((0, p))
    if open_at is not None:  # ... or runs on into the next one
        spans.append((open_at, len(text)))
    single_open: int | None = None
    for m in _SINGLE_QUOTE_RE.finditer(text):
        p = m.start()
        prev = text[p - 1] if p > 0 else " "
        nxt = text[p + 1] if p + 1 < len(text) else " "
        if m.group() in "‘'" and (prev.isspace() or prev in "(—–-:") and nxt.isalnum():
            single_open = p + 1
        elif m.group() in "’'" and single_open is not None and not nxt.isalnum() and not prev.isspace():
            spans.append((single_open, p))
            single_open = None
    spans = [(a, b) for a, b in spans if b > a]
    spans.sort()
    # drop single-quoted spans nested in a double-quoted one
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            continue
        out.append((a, b))
    return out


def _quote_words(text: str, start: int, end: int) -> _Quote:
    inner = text[start:end]
    blank = _BRACKETED_RE.sub(lambda m: " " * len(m.group()), inner)  # editorial [insertions]
    words: list[str] = []
    spans: list[tuple[int, int]] = []
    for m in _TOKEN_RE.finditer(blank):
        words.append(_fold(m.group()) if not m.group().isdigit() else m.group())
        spans.append((start + m.start(), start + m.end()))
    # trim whitespace and trailing punctuation from the span shown to the reader
    s, e = start, end
    while s < e and not (text[s].isalnum() or text[s] == "["):
        s += 1
    while e > s and not (text[e - 1].isalnum() or text[e - 1] in "]!?"):
        e -= 1
    return _Quote(s, e, tuple(words), tuple(spans))


@lru_cache(maxsize=8192)
def _analyse(text: str) -> _Analysis:
    toks = [_Token(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(text)]
    dates, years, used = _parse_dates(text, toks)
    numbers, found = _parse_numbers(text, toks, used)
    # every token of a number phrase gets the value as its key, so "four" meets "4"
    number_keys: dict[int, str] = {}
    for value, i, j, _ in found:
        for k in range(i, j + 1):
            number_keys[k] = "#" + _fmt_value(value)
    words: list[tuple[int, int, str]] = []
    for k, t in enumerate(toks):
        if k in number_keys:
            if toks[k].text.lower() not in ("a", "an"):
                words.append((t.start, t.end, number_keys[k]))
        else:
            key = _word_key(t.text)
            if key is not None:
                words.append((t.start, t.end, key))
    weekdays = [
        _Mention(t.text.lower(), t.start, t.end, _WEEKDAYS[t.text.lower()])
        for t in toks
        if t.text[:1].isupper() and t.text.lower() in _WEEKDAYS
    ]
    names, forms = _parse_names(text, toks)
    quotes = [_quote_words(text, a, b) for a, b in _find_quotes(text)]
    return _Analysis(
        words=tuple(words),
        keys=frozenset(k for _, _, k in words),
        numbers=tuple(numbers),
        dates=tuple(dates),
        years=tuple(years),
        weekdays=tuple(weekdays),
        names=tuple(names),
        all_forms=frozenset(forms),
        quotes=tuple(q for q in quotes if len(q.words) >= 3),
    )


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
    names, quiet = _name_flags(an, texts, labels)
    flags = [
        *_number_flags(an, texts, labels),
        *_date_flags(an, texts, labels),
        *names,
        *_quote_flags(an, texts, labels),
    ]
    unique: dict[int, list[tuple[int, int]]] = {}
    for m, a in an.items():
        others: set[str] = set()
        for o, b in an.items():
            if o != m:
                others |= b.keys
        unique[m] = [(s, e) for s, e, k in a.words if k not in others]
    same = _spelled_alike(unique, texts, quiet)
    return RowDiff({m: tuple(sp for sp in spans if (m, sp[0]) not in same) for m, spans in unique.items()},
                   tuple(flags), tuple(quiet))


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
    stem = PurePath(source.name).stem
    if source.label and source.label != stem:
        return source.label
    head = stem.split("_", 1)[0]
    return head or stem or str(source.id)


def compare_row(alignment: Alignment, row: int) -> RowDiff:
    """Compare the members of row ``row`` of ``alignment``; pure and cheap."""
    texts = {}
    for s in alignment.rows[row].coverage:
        t = alignment.cell_text(row, s)
        if t is not None:
            texts[s] = t
    labels = {s: source_tag(alignment.sources[s]) for s in texts}
    return compare_cells(texts, labels)


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
