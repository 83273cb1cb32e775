"""Lines of an article and the line-level tests the furniture and structure rules share.

Every rule in the package looks at trimmed line spans of the original text
(offsets stay exact) and pattern-matches a normalised copy of each line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Whitespace as a scrape means it: Python's idea plus zero-width characters.
_SPACE = frozenset(
    " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x85\x0b\x0c]")
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = str.maketrans({c: " " for c in _ZERO_WIDTH_CHARS})


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Trimmed (start, end) of every line; blank lines have start == end."""
    spans = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append(_trim(text, pos, match.start()))
        pos = match.end()
    spans.append(_trim(text, pos, len(text)))
    return spans


def _norm(s: str) -> str:
    """Lowercase, single-spaced form used for pattern matching only."""
    if not s.isascii() and any(c in s for c in _ZERO_WIDTH_CHARS):
        s = s.translate(_ZERO_WIDTH)
    return " ".join(s.split()).casefold()


_HAS_WORD = re.compile(r"\w")
_EMPHASIS = "*_"
_TERMINAL = re.compile(r"[.!?\u2026:;,][\"'\u201d\u2019)\]]*$")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for from with as into onto than that which who whom whose "
    "is are was were be been being has have had will would can could should may might must shall do does did "
    "not its his her their our your my this these those over under after before about against between".split()
)


def _is_title_like(line: str, *, max_words: int) -> bool:
    """A line that reads like a headline: no full stop at the end, not too long, capitalised."""
    if not line or _TERMINAL.search(line) and not line.endswith(("?", "!")):
        return False
    first = line.lstrip("\"'\u201c\u2018(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    words = line.split()
    if len(words) > max_words or len(line) > 300:
        return False
    return words[-1].strip("\"'\u201d\u2019)").casefold() not in _FUNCTION_WORDS


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    kind: str = "prose"  # blank | front | furniture | bullet | heading | headline | prose
    reason: str = ""
    body: int = 0  # where a bullet's text starts, after its marker


def _content_lines(lines: list[_Line], first: int, limit: int) -> list[int]:
    """Indices of the first ``limit`` lines still counted as content (prose or heading)."""
    found = []
    for k in range(first, len(lines)):
        if lines[k].kind in ("prose", "heading"):
            found.append(k)
            if len(found) == limit:
                break
    return found


def _neighbour(lines: list[_Line], k: int, step: int, first: int) -> int | None:
    """Index of the nearest non-blank line before/after ``k``."""
    j = k + step
    while first <= j < len(lines) and lines[j].kind == "blank":
        j += step
    return j if first <= j < len(lines) else None
