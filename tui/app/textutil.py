"""Make article text safe to paint, and wrap it into lines we can style by offset.

Article text is data scraped from the web: it may carry terminal escape
sequences (an OSC 52 clipboard write, colour codes) or bidi overrides that
would let a file take over the terminal or disguise what it says. Every
character that could do that is swapped for a visible stand-in *one for one*,
so character offsets into the sentence (the diff and flag spans from
``tui.core.compare``) stay valid after cleaning.

Wrapping is done here rather than by Rich because the view needs to know,
for every wrapped line, which character range of the sentence it shows:
highlights are applied by offset, and line heights drive the row index.
"""

from __future__ import annotations

from functools import lru_cache

from rich.cells import cell_len, get_character_cell_size

from tui.core.terminal import CONTROL_TABLE

#: The core's table, with line breaks as plain spaces: inside a sentence pane
#: they are only white space.
_TABLE = {**CONTROL_TABLE, 0x0A: " ", 0x0D: " "}


def clean(text: str) -> str:
    """Neutralise control and bidi characters, keeping the length unchanged."""
    return text.translate(_TABLE)


@lru_cache(maxsize=4096)
def _char_widths(text: str) -> tuple[int, ...]:
    return tuple(get_character_cell_size(c) for c in text)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` into lines at most ``width`` cells wide.

    Returns ``(start, end)`` character ranges; trailing spaces at a break are
    left out of the line. Words longer than a line are cut. Always returns
    at least one (possibly empty) line.
    """
    width = max(1, width)
    n = len(text)
    if n == 0:
        return [(0, 0)]
    if cell_len(text) <= width:
        return [(0, n)]
    widths = _char_widths(text)
    lines: list[tuple[int, int]] = []
    start = 0
    while start < n:
        # skip spaces at the start of a continuation line
        while start < n and text[start] == " " and lines:
            start += 1
        if start >= n:
            break
        used = 0
        pos = start
        last_break = -1
        while pos < n:
            w = widths[pos]
            if used + w > width:
                break
            if text[pos] == " ":
                last_break = pos
            used += w
            pos += 1
        if pos >= n:
            lines.append((start, n))
            break
        if text[pos] == " ":
            end = pos
        elif last_break > start:
            end = last_break
        else:
            end = max(pos, start + 1)  # a word longer than the line: cut it
        stripped = end
        while stripped > start and text[stripped - 1] == " ":
            stripped -= 1
        lines.append((start, stripped if stripped > start else end))
        start = end
    return lines or [(0, 0)]


def truncate(text: str, width: int) -> tuple[int, bool]:
    """How many characters of ``text`` fit in ``width`` cells with room for '…'.

    Returns ``(chars, truncated)``; when truncated the caller adds an ellipsis.
    """
    if cell_len(text) <= width:
        return len(text), False
    used = 0
    for i, w in enumerate(_char_widths(text)):
        if used + w > width - 1:
            return i, True
        used += w
    return len(text), False
