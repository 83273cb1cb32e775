"""Sentence segmentation with NLTK's Punkt, built entirely offline.

Punkt normally learns its abbreviation list from training data that NLTK
downloads at run time; Parallax must never touch the network, so the
tokenizer is assembled here from hand-written :class:`PunktParameters`
tuned for news copy (titles, ranks, months, agencies, ``U.S.``).

Punkt alone gets a few things wrong that matter for alignment, so its output
is corrected afterwards:

* it only knows ASCII quotes, while scrapes are full of curly ones, so the
  text is handed to it with curly quotes (and NBSP) mapped to same-length
  ASCII stand-ins -- offsets stay valid because every replacement is one
  character for one character;
* a split before a lowercase word (``"Is it over?" he asked.``) is undone;
* a split after an initial (``J. K. Rowling``) is undone;
* a closing quote or bracket left at the start of the next sentence is moved
  back to the sentence it closes;
* an ellipsis followed by a capitalised word (``hurt…  Power was cut``) is a
  sentence end Punkt does not see, unless the word before it shows the
  sentence was cut off mid-phrase (``talks with… Pakistan``).

Paragraph structure is respected first: a blank line, or a line that starts
with a bullet marker, is a hard boundary that Punkt never sees across.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from tui.core.words import MONTH_ABBREVIATIONS, WEEKDAY_ABBREVIATIONS

if TYPE_CHECKING:
    from tui.core.nltk_parts import PunktSentenceTokenizer

__all__ = ["ABBREVIATIONS", "split_sentences", "tokenizer"]

#: Abbreviations that end in a period without ending the sentence. Punkt
#: stores them lowercased and without the final period.
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    mr mrs ms mx dr prof gen lt col sgt capt cpl maj adm cmdr gov sen rep rev
    hon pres supt insp det st jr sr inc ltd co corp bros plc llc vs v etc al
    no nos vol pp fig approx est dept univ assn
    u.s u.k u.n e.u u.a.e u.s.a a.m p.m i.e e.g ph.d m.d b.a m.a
    mt ft ave blvd rd gen'l sq km kg lb lbs oz
    """.split()
) | frozenset(MONTH_ABBREVIATIONS) | WEEKDAY_ABBREVIATIONS

#: Length-preserving stand-ins so Punkt, which only knows ASCII quotes, sees
#: curly quotes as quotes. One character in, one character out.
_PUNKT_VIEW = str.maketrans(
    {
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',  # „
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u00a0": " ",  # NBSP
        "\u2007": " ",
        "\u202f": " ",
    }
)

_WS = " \t\n\r\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\x1c\x1d\x1e\x1f\x85"
_WS_SET = frozenset(_WS)

# A blank line (possibly holding only whitespace) separates paragraphs.
_PARAGRAPH_BREAK = re.compile(r"(?:\r\n|\r|\n)[^\S\r\n]*(?:\r\n|\r|\n)[\s\u200b\ufeff]*")
# A line that starts with a bullet marker begins a block of its own.
_BULLET_LINE = re.compile(r"(?:\r\n|\r|\n)(?=[^\S\r\n]*(?:[-*\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2013]|\d{1,3}[.)])[^\S\r\n]+\S)")

# Punkt only ever breaks after one of these followed by white space.
_POSSIBLE_BREAK = re.compile(r"[.?!][^\s]{0,3}\s")

_OPENERS = "\"'([{\u201c\u2018\u00ab\u201e"
_CLOSERS = "\"')]}\u201d\u2019\u00bb"
# An initial: a lone capital letter with its period, e.g. the "K." of "J. K. Rowling".
_ENDS_WITH_INITIAL = re.compile(r"(?:^|[\s.(])[A-Z]\.$")


@lru_cache(maxsize=1)
def tokenizer() -> PunktSentenceTokenizer:
    """The shared Punkt tokenizer; built once because it is reused for every block.

    NLTK is imported here, on first use (15-20 ms): a text whose blocks hold
    no break Punkt could make (one sentence a line) never needs it.
    """
    from tui.core.nltk_parts import PunktParameters, PunktSentenceTokenizer

    params = PunktParameters()
    params.abbrev_types = set(ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _WS_SET:
        start += 1
    while end > start and text[end - 1] in _WS_SET:
        end -= 1
    return start, end


def _blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut ``text[start:end]`` at paragraph breaks and bullet lines."""
    if text.find("\n", start, end) < 0 and text.find("\r", start, end) < 0:
        # both patterns start with a line break: one line is one block
        a, b = _trim(text, start, end)
        return [(a, b)] if a < b else []
    return _cut_blocks(text, start, end)


def _cut_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """:func:`_blocks` without its one-line shortcut: every paragraph break and bullet line cut."""
    cuts = [start]
    for pattern in (_PARAGRAPH_BREAK, _BULLET_LINE):
        for match in pattern.finditer(text, start, end):
            cuts.append(match.start())
            cuts.append(match.end())
    cuts.append(end)
    cuts.sort()
    blocks = []
    # Pair cuts up so every block runs from a cut to the next one; whitespace
    # between them is trimmed away, so overlapping matches do no harm.
    for a, b in zip(cuts, cuts[1:]):
        a, b = _trim(text, a, b)
        if a < b:
            blocks.append((a, b))
    return blocks


def _first_word_char(text: str, start: int, end: int) -> str:
    """The first character of a span after any opening quotes or brackets."""
    i = start
    while i < end and (text[i] in _OPENERS or text[i] in _WS_SET):
        i += 1
    return text[i] if i < end else ""


def _fix(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo Punkt's known mistakes on one block (see the module docstring)."""
    fixed: list[tuple[int, int]] = []
    for s, e in spans:
        if fixed:
            ps, pe = fixed[-1]
            # Closing quotes/brackets stranded at the start of this span belong
            # to the previous sentence.
            i = s
            while i < e and text[i] in _CLOSERS and (i + 1 == e or text[i + 1] in _WS_SET or text[i + 1] in _CLOSERS):
                i += 1
            if i > s and (i == e or text[i] in _WS_SET):
                fixed[-1] = (ps, i)
                ps, pe = fixed[-1]
                s, e = _trim(text, i, e)
                if s >= e:
                    continue
            first = _first_word_char(text, s, e)
            prev = text[ps:pe]
            if first.islower() or _ENDS_WITH_INITIAL.search(prev):
                fixed[-1] = (ps, e)
                continue
        fixed.append((s, e))
    return fixed


# Abbreviations that often end a sentence ("at 5 p.m. The ..."). Punkt, which
# never breaks after a known abbreviation without orthographic evidence it
# does not have offline, is overruled when a typical sentence opener follows.
_FINAL_ABBREVIATION = re.compile(
    r"(?:\b[ap]\.m|\betc|\bInc|\bLtd|\bCorp|\bCo|\bU\.S|\bU\.K|\bU\.N|\bE\.U)\.[\"'\u201d\u2019)]*"
    r"(?P<gap>\s+)(?=[\"'\u201c\u2018]?(?:The|He|She|It|They|We|I|But|And|This|That|These|Those|His|Her|Their|"
    r"Its|Our|There|However|Meanwhile|Officials|Police|A|An|In|On|At|After|Before|Earlier|Later)\b)"
)


def _split_after_final_abbreviations(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for m in _FINAL_ABBREVIATION.finditer(text, s, e):
            out.append((s, m.start("gap")))
            s = m.end("gap")
        out.append((s, e))
    return out


# An ellipsis that ends a sentence: "hurt…  Power was cut". Punkt never
# splits there (it reads "..." as a trailing-off, not a full stop). Only a
# capitalised word in lowercase letters after it counts as a new sentence
# ("Wait... what" and "... NATO" stay whole).
_ELLIPSIS_BREAK = re.compile(
    r"(?:\u2026|\.{3})[\"'\u201d\u2019)\]]*(?P<gap>\s+)(?=[\"'\u201c\u2018(]?[A-Z][a-z])"
)
# Words after which a sentence cannot have ended, so what follows the ellipsis
# is its continuation ("talks with… Pakistan's army"), usually a proper noun.
_CONTINUES = frozenset(
    "a an the and or but nor of to in on at by for from with as into onto than that which who whom whose "
    "is are was were be been has have had will would can could should may might must said says told "
    "his her their its our my your this these those over under after before about against between "
    "like including such mr mrs ms dr".split()
)
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _split_after_ellipses(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        for m in _ELLIPSIS_BREAK.finditer(text, s, e):
            head = text[s : m.start()]
            last = _LAST_WORD.search(head)
            if last is None or last.group(1).casefold() in _CONTINUES:
                continue  # a leading ellipsis, or a sentence cut off mid-phrase
            out.append((s, m.start("gap")))
            s = m.end("gap")
        out.append((s, e))
    return out


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Return the sentence spans of ``text[start:end]`` as absolute offsets.

    Spans are trimmed of whitespace, never empty, in order and
    non-overlapping, so callers can slice ``text`` with them directly and keep
    offsets into the original file text.
    """
    n = len(text)
    end = n if end is None else max(0, min(end, n))
    start = max(0, min(start, end))
    result: list[tuple[int, int]] = []
    for bs, be in _blocks(text, start, end):
        if not _POSSIBLE_BREAK.search(text, bs, be) and "\u2026" not in text[bs:be]:
            result.append((bs, be))  # nothing Punkt could split on: spare it the work
            continue
        view = text[bs:be].translate(_PUNKT_VIEW)
        punkt = tokenizer()
        try:
            raw = [(bs + a, bs + b) for a, b in punkt.span_tokenize(view)]
        except Exception:  # Punkt must never take the reader down; keep the block whole.
            raw = [(bs, be)]
        spans = [t for t in (_trim(text, a, b) for a, b in raw) if t[0] < t[1]]
        result.extend(_split_after_ellipses(text, _split_after_final_abbreviations(text, _fix(text, spans))))
    return result
