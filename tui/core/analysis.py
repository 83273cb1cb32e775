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
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
            lower.append(_COUNTED_AS_ONE.get(f) or _stem(w))
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
    forms.update(_fold(t.text) for t in toks)
    names: list[_Name] = []
    for n, (i, j) in enumerate(compounds):
        if i == j:  # one word (most of them): its text is the token's, its fold already a form
            raw = toks[i].text
            folded = _fold(raw)
            norm = folded
            if "‐" in folded or "‑" in folded:
                norm = _HYPHEN_GAP_RE.sub("-", folded)
                forms.add(norm)
        else:
            raw = text[toks[i].start : toks[j].end]
            norm = _HYPHEN_GAP_RE.sub("-", _fold(raw))
            forms.add(norm)
        first = raw[:1]
        if not first.isupper() or not first.isalpha():
            continue
        start, end = toks[i].start, toks[j].end
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


def _read(text: str) -> _Analysis:
    """The comparer's reading of one text (uncached: see :func:`analysis_of`)."""
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
