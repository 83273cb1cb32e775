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

#: Explicit stand-ins for the controls a reader is most likely to meet.
_VISIBLE = {
    0x1B: "\u241b",  # ESC  -> ␛
    0x07: "\u2407",  # BEL  -> ␇
    0x7F: "\u2421",  # DEL  -> ␡
    0x09: " ",  # tab and line breaks are just whitespace inside a sentence
    0x0A: " ",
    0x0D: " ",
}
#: Bidi embeddings/overrides/isolates and other invisible formatting that
#: can reorder or hide text on screen.
_INVISIBLE_FORMAT = {*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C}


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)  # C0 controls -> Control Pictures block
    for code in range(0x80, 0xA0):
        table[code] = "\ufffd"  # C1 controls (incl. 8-bit CSI 0x9b) -> replacement char
    for code in _INVISIBLE_FORMAT:
        table[code] = "\ufffd"
    table.update({k: v for k, v in _VISIBLE.items()})
    return table


_TABLE = _build_table()


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
