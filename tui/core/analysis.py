"""One sentence, read once: what the matcher compares it by and what the row comparer reads.

:func:`analysis_of` gives the one :class:`SentenceAnalysis` of a sentence
text, built on first use and shared by everything downstream of the
segmenter, so no stage reads a sentence again:

* ``features`` (:class:`tui.core.text.Features`): what similarity and the
  aligner compare, the content stems (stemmed through the shared cache),
  numbers, names, quoted phrases and word trigrams of the sentence's display
  text;
* ``detail`` (:class:`_Analysis`): what the row comparer
  (:mod:`tui.core.compare`) and the discrepancy detectors
  (:mod:`tui.core.flags`) read, every content word with its offsets and
  comparison key (folded, stemmed, numbers as their value), the counts and
  measures with what they count, month-day dates, years, weekdays, the words
  that may be names (with their neighbours) and the quoted stretches.

The two views tokenise differently on purpose (the matcher reads Markdown-free
display text and drops what does not help matching; the comparer needs the
offsets of every word in the text as shown), so each is computed from the
text, once, and only when first asked for: aligning a corpus never pays for
the comparer's reading of a sentence that ends up alone in its row, and the
reader's repaints, the export, a re-align at another threshold and the
omission report all reuse what was read. A multi-sentence cell is analysed
as its joined text, through the same cache.

Below the sentence, the word: what either view asks of one word (its stem,
whether it is a stop word, a number, a month, a weekday, a capital; see
:func:`_token_info` and :func:`tui.core.text._plan`) is read once per
distinct word and looked up for every token, and the Snowball stems behind
both views come from one cache (:func:`tui.core.text.stem`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from tui.core.text import Features, display_text, features
from tui.core.text import stem as _snowball
from tui.core.words import MONTH_NUMBERS, MONTHS, NLTK_STOP_WORDS, NUMBER_ONES, NUMBER_SCALES, NUMBER_TENS, WEEKDAYS

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

#: nouns that count the same people, so "three pupils" meets "30 children" as one count (a
#: digest's wrong figure) -- only for what a number counts, never for the word diff, where
#: "pupils" vs "children" stays a difference. School-age children only: "students" may be
#: adults, and "people" counts more than children.
_COUNTED_AS_ONE = {
    w: "child" for w in "child children kid kids pupil pupils schoolchildren schoolchild "
    "schoolboys schoolgirls youngsters".split()
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
#: a character _find_quotes pairs up: a text without one has no quote
_QUOTE_CHARS = re.compile("[“”\"‘’']")


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    """Casefold, strip accents, unify apostrophes and drop a possessive ending."""
    if word.isascii():  # nothing to decompose, no curly apostrophe (most words): as below, only faster
        w = word.lower()
    else:
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


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str | None:
    """A content word's comparison key (:func:`_stem`), None for a stop word: one lookup per token."""
    return None if _fold(word) in _STOP_WORDS else _stem(word)


# ------------------------------------------------------------------------- analysis


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


class _Tokens:
    """The words and numbers of one text, as parallel lists (a token object each cost more than the reading).

    ``text[i]``, ``start[i]``, ``end[i]`` of token ``i``, and ``info[i]``, what
    :func:`_token_info` reads off its text once per distinct word.
    """

    __slots__ = ("text", "start", "end", "info")

    text: list[str]
    start: list[int]
    end: list[int]
    info: list[_Info]

    def __init__(self, source: str) -> None:
        # The tokens as strings (findall makes no match object per token), each found again from
        # the end of the one before: every token starts with a word character, where the pattern
        # matches, so no earlier occurrence of its text can lie between two matches and find()
        # returns the match's own offset.
        self.text = text = _TOKEN_RE.findall(source)
        self.start = start = []
        self.end = end = []
        find = source.find
        at = 0
        for t in text:
            at = find(t, at)
            start.append(at)
            at += len(t)
            end.append(at)
        self.info = list(map(_token_info, text))


class _Info(NamedTuple):
    """What the readers below ask of one token's text (see :func:`_token_info`)."""

    fold: str
    #: the comparison key (:func:`_word_key`), None for a stop word
    key: str | None
    #: the month number when the word is a capitalised month name
    month: int | None
    #: the day of the month (1-31, "19th" too)
    day: int | None
    #: the year (1800-2100)
    year: int | None
    #: whether a number phrase can start with it (a digit or a number word)
    number_start: bool
    #: the weekday (lower case) when the word is a capitalised weekday name
    weekday: str | None
    #: whether it starts with a capital letter
    name_start: bool
    #: the word as a name of one word is compared by: its fold, hyphens unified
    name_norm: str
    #: whether a name of this one word may be a name at all (a capital; not a stop word, month,
    #: weekday or number word)
    name_word: bool
    #: whether it may be a name and a capital follows its first letter ("McDonald", "NATO"): a name
    #: even first in a sentence (False for a word that may not be a name)
    capital_inside: bool


@lru_cache(maxsize=65536)
def _token_info(t: str) -> _Info:
    """Everything the readers below ask of one token's text, computed once per distinct word."""
    low = t.lower()
    first = t[:1]
    upper = first.isupper()
    day = year = None
    if first.isdigit():  # a day or a year starts with a digit ("19", "19th", "2021")
        m = _ORDINAL_RE.fullmatch(t)
        s = m.group(1) if m else t
        day = int(s) if s.isascii() and s.isdigit() and len(s) <= 2 and 1 <= int(s) <= 31 else None
        year = int(t) if len(t) == 4 and t.isascii() and t.isdigit() and 1800 <= int(t) <= 2100 else None
    fold = _fold(t)
    norm = _HYPHEN_GAP_RE.sub("-", fold) if "‐" in fold or "‑" in fold else fold
    name_start = upper and first.isalpha()
    name_word = False
    if name_start:
        nlow = norm.lower()
        name_word = not (nlow in _STOP_WORDS or nlow in _MONTHS or nlow in _WEEKDAYS or nlow in _ONES
                         or nlow in _TENS)
    return _Info(fold, _word_key(t), _MONTHS.get(low) if upper else None, day, year,
                 low[0].isdigit() or low in _NUMBER_STARTS, low if upper and low in _WEEKDAYS else None,
                 name_start, norm, name_word, name_word and any(c.isupper() for c in t[1:]))


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


def _parse_dates(text: str, toks: _Tokens) -> tuple[list[_Mention], list[_Mention], set[int]]:
    """Month-day dates ("October 19", "Oct. 29", "11 October 2025") and bare years.

    Returns the dates, the years and the token indices they consume, so the
    number detector does not mistake a day of the month for a count.
    """
    dates: list[_Mention] = []
    years: list[_Mention] = []
    used: set[int] = set()
    info, start, end = toks.info, toks.start, toks.end
    n = len(info)
    # Every date holds a month name, at i or at i + 1: only tokens next to one are looked at.
    at_month = [k for k, inf in enumerate(info) if inf.month is not None]
    for i in sorted({k for m in at_month for k in (m - 1, m) if k >= 0}) if at_month else ():
        if i in used:
            continue
        month = info[i].month
        if month is not None and i + 1 < n:
            day = info[i + 1].day
            if day is not None and _MONTH_GAP_RE.fullmatch(text[end[i] : start[i + 1]]):
                used.update((i, i + 1))
                dates.append(_Mention((month, day), start[i], end[i + 1], f"{_MONTH_NAMES[month]} {day}"))
                continue
        day = info[i].day
        if day is not None and i + 1 < n:
            month = info[i + 1].month
            if month is not None and _OF_GAP_RE.fullmatch(text[end[i] : start[i + 1]]):
                used.update((i, i + 1))
                dates.append(_Mention((month, day), start[i], end[i + 1], f"{_MONTH_NAMES[month]} {day}"))
    # years: inside full dates or standing alone; never a count
    for i in [i for i, inf in enumerate(info) if inf.year is not None]:
        used.add(i)
        years.append(_Mention(info[i].year, start[i], end[i], toks.text[i]))
    return dates, years, used


def _parse_number_at(text: str, toks: _Tokens, i: int) -> tuple[float, int, str] | None:
    """A number starting at token i (one whose info says a number can start there): (value, last token, shown)."""
    words, start, end = toks.text, toks.start, toks.end
    n = len(words)
    low = words[i].lower()
    value: float | None = _number_value(words[i])
    j = i
    if value is None:
        if low in ("a", "an") and i + 1 < n and words[i + 1].lower() in _SCALES:
            value, j = 1.0, i  # "a dozen", "a hundred": the scale below multiplies
        elif low in _ONES:
            value = float(_ONES[low])
        elif low in _TENS:
            value = float(_TENS[low])
            k = i + 1
            if k < n and words[k].lower() in _ONES and 1 <= _ONES[words[k].lower()] <= 9:
                if _WORD_GAP_RE.fullmatch(text[end[i] : start[k]]):
                    value += _ONES[words[k].lower()]
                    j = k
        else:
            return None
    k = j + 1
    if k < n and words[k].lower() in _SCALES and _WORD_GAP_RE.fullmatch(text[end[j] : start[k]]):
        value *= _SCALES[words[k].lower()]
        j = k
        if not math.isfinite(value):  # "9…9 billion" past the largest float
            return None
    if low in ("a", "an") and j == i:
        return None
    return value, j, text[start[i] : end[j]]


def _unit_window(text: str, toks: _Tokens, j: int) -> tuple[frozenset[str], int]:
    """What a number ending at token j counts: the stems of the noun right after it.

    Skips capitalised adjectives ("58 *Pakistani* soldiers") and fillers
    ("more"), takes the first lowercase word and, when that one is singular, the
    next too ("23 soldier fatalities", "four-day discussions"); stops at
    punctuation, a stop word or another number. Capitalised words only count
    when nothing else does, so nationalities never pair unrelated numbers.
    Returns the unit stems and the end offset of the last word read.
    """
    words, starts, ends = toks.text, toks.start, toks.end
    pct = _PERCENT_RE.match(text, ends[j])
    if pct:
        return frozenset({"%"}), pct.end()
    lower: list[str] = []
    upper: list[str] = []
    end = ends[j]
    k = j + 1
    while k < len(words) and k - j <= 3:
        if not _WORD_GAP_RE.fullmatch(text[ends[k - 1] : starts[k]]):
            break
        w = words[k]
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
            lower.append(_COUNTED_AS_ONE.get(f) or _stem(w))
        end = ends[k - 1]
        if lower and (len(lower) == 2 or f.endswith("s")):
            break
    return frozenset(lower or upper), end


def _parse_numbers(
    text: str, toks: _Tokens, used: set[int]
) -> tuple[list[_Mention], list[tuple[float, int, int, str]]]:
    """Counts and measures with what they count; years and days of month excluded.

    Also returns every number phrase found, (value, first token, last token,
    shown), counting what it counts or not, for the word keys.
    """
    found: list[tuple[float, int, int, str]] = []  # value, first token, last token, shown
    starts = [k for k, inf in enumerate(toks.info) if inf.number_start and k not in used]
    after = 0  # the first token not inside a number phrase found so far
    for i in starts:
        if i < after:
            continue
        parsed = _parse_number_at(text, toks, i)
        if parsed is None:
            continue
        value, j, shown = parsed
        found.append((value, i, j, shown))
        after = j + 1
    if not found:
        return [], found
    tstart, tend = toks.start, toks.end
    mentions: list[_Mention] = []
    units_of: list[tuple[frozenset[str], int]] = [_unit_window(text, toks, j) for _, _, j, _ in found]
    # "three or four times", "3-4 days": the first number counts what the second does
    for n in range(len(found) - 2, -1, -1):
        if not units_of[n][0] and _RANGE_GAP_RE.fullmatch(text[tend[found[n][2]] : tstart[found[n + 1][1]]]):
            units_of[n] = (units_of[n + 1][0], tend[found[n][2]])
    for (value, i, _j, shown), (units, end) in zip(found, units_of):
        start = tstart[i]
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


def _compounds(text: str, toks: _Tokens) -> list[tuple[int, int]]:
    """First and last token index of each word or hyphenated compound ("Tehrik-e-Taliban")."""
    starts, ends = toks.start, toks.end
    n = len(starts)
    compounds: list[tuple[int, int]] = []
    i = 0
    while i < n:
        j = i
        # joined when exactly one hyphen separates the tokens (what _HYPHEN_GAP_RE matches)
        while j + 1 < n and starts[j + 1] - ends[j] == 1 and text[ends[j]] in _HYPHENS:
            j += 1
        compounds.append((i, j))
        i = j + 1
    return compounds


def _parse_names(text: str, toks: _Tokens) -> tuple[list[_Name], set[str]]:
    """Capitalised words and hyphenated compounds ("Tehrik-e-Taliban") that may be names.

    Also returns the folded form of every word and compound in the sentence,
    so a spelling the other sentence *also* uses is never flagged.
    """
    info = toks.info
    forms = {inf.fold for inf in info}
    if not text.isascii():  # only a word of other characters folds to a Unicode hyphen
        for folded in [f for f in forms if "‐" in f or "‑" in f]:
            forms.add(_HYPHEN_GAP_RE.sub("-", folded))
    names: list[_Name] = []
    if "-" not in text and "‐" not in text and "‑" not in text:
        # no compound: each word is its own, the candidates are the capitalised ones
        words, starts, ends = toks.text, toks.start, toks.end
        last = len(info) - 1
        for k in [k for k, inf in enumerate(info) if inf.name_word]:
            inf = info[k]
            if not inf.capital_inside and _is_sentence_initial(text, starts[k]):
                continue
            names.append(_Name(inf.name_norm, starts[k], ends[k], words[k], info[k - 1].key if k else None,
                               info[k + 1].key if k < last else None))
        return names, forms
    compounds = _compounds(text, toks)
    for i, j in compounds:
        if i != j:
            forms.add(_HYPHEN_GAP_RE.sub("-", _fold(text[toks.start[i] : toks.end[j]])))
    for n, (i, j) in enumerate(compounds):
        if not info[i].name_start:
            continue
        start, end = toks.start[i], toks.end[j]
        if i == j:  # one word (most of them): read off its token
            raw = toks.text[i]
            norm = info[i].name_norm
        else:
            raw = text[start:end]
            norm = _HYPHEN_GAP_RE.sub("-", _fold(raw))
        if _is_sentence_initial(text, start) and not any(c.isupper() for c in raw[1:]):
            continue
        low = norm.lower()
        if low in _STOP_WORDS or low in _MONTHS or low in _WEEKDAYS or low in _ONES or low in _TENS:
            continue
        names.append(_Name(norm, start, end, raw, _neighbour(text, toks, compounds, n - 1),
                           _neighbour(text, toks, compounds, n + 1)))
    return names, forms


def _neighbour(text: str, toks: _Tokens, compounds: list[tuple[int, int]], m: int) -> str | None:
    """The key of compound ``m`` (a name's neighbour), None off the ends and for stop words."""
    if not 0 <= m < len(compounds):
        return None
    a, b = compounds[m]
    if a == b:
        return toks.info[a].key
    return _word_key(text[toks.start[a] : toks.end[b]])


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


def _read(text: str) -> _Analysis:
    """The comparer's reading of one text (uncached: see :func:`analysis_of`)."""
    toks = _Tokens(text)
    dates, years, used = _parse_dates(text, toks)
    numbers, found = _parse_numbers(text, toks, used)
    info, starts, ends = toks.info, toks.start, toks.end
    if found:
        # every token of a number phrase gets the value as its key, so "four" meets "4"
        number_keys: dict[int, str] = {}
        for value, i, j, _ in found:
            for k in range(i, j + 1):
                number_keys[k] = "#" + _fmt_value(value)
        words: list[tuple[int, int, str]] = []
        for k, inf in enumerate(info):
            if k in number_keys:
                if toks.text[k].lower() not in ("a", "an"):
                    words.append((starts[k], ends[k], number_keys[k]))
            elif inf.key is not None:
                words.append((starts[k], ends[k], inf.key))
    else:
        words = [(s, e, inf.key) for s, e, inf in zip(starts, ends, info) if inf.key is not None]
    weekdays = [
        _Mention(inf.weekday, s, e, _WEEKDAYS[inf.weekday])
        for s, e, inf in zip(starts, ends, info)
        if inf.weekday is not None
    ]
    names, forms = _parse_names(text, toks)
    quotes = [_quote_words(text, a, b) for a, b in _find_quotes(text)] if _QUOTE_CHARS.search(text) else []
    return _Analysis(
        words=tuple(words),
        keys=frozenset([w[2] for w in words]),
        numbers=tuple(numbers),
        dates=tuple(dates),
        years=tuple(years),
        weekdays=tuple(weekdays),
        names=tuple(names),
        all_forms=frozenset(forms),
        quotes=tuple(q for q in quotes if len(q.words) >= 3),
    )


# ------------------------------------------------------------- the shared record


class SentenceAnalysis:
    """Everything read off one sentence text, each view computed once, on first use.

    Immutable from outside (the views are pure functions of ``text``); the
    slots are filled lazily so that a caller who needs one view does not pay
    for the other.
    """

    __slots__ = ("text", "_features", "_detail")

    def __init__(self, text: str) -> None:
        self.text = text
        self._features: Features | None = None
        self._detail: _Analysis | None = None

    @property
    def features(self) -> Features:
        """The matcher's view: features of the display text (no Markdown, no link URLs)."""
        if self._features is None:
            self._features = features(display_text(self.text))
        return self._features

    @property
    def detail(self) -> _Analysis:
        """The comparer's view: words with offsets and keys, numbers, dates, names, quotes."""
        if self._detail is None:
            self._detail = _read(self.text)
        return self._detail

    def __repr__(self) -> str:
        return f"SentenceAnalysis({self.text!r})"


#: Sentence texts whose analysis is kept: a 300-source story holds tens of thousands.
_CACHE_SIZE = 65536


@lru_cache(maxsize=_CACHE_SIZE)
def analysis_of(text: str) -> SentenceAnalysis:
    """The one analysis of ``text`` (a sentence, or a cell's sentences joined)."""
    return SentenceAnalysis(text)


def _analyse(text: str) -> _Analysis:
    """The comparer's view of ``text`` (``analysis_of(text).detail``)."""
    return analysis_of(text).detail
