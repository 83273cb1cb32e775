"""What of an article may reach a terminal: every character that could act, shown instead.

Scraped text can carry escape sequences (an OSC 52 clipboard write, OSC 8
links, colour codes, a screen clear), C1 controls (0x9b is an 8-bit CSI) and
bidi overrides that reorder what a reader sees. The CLI prints article text
and the reader paints it; both run it through the one table here, so a file
can never drive the terminal whichever way it is shown. Exported files get
the same stand-ins through :func:`inert_text`. The mapping is one
character for one, so offsets into a sentence (diff and flag spans) stay
valid after cleaning.
"""

from __future__ import annotations

#: Bidi embeddings/overrides/isolates and other invisible formatting that can
#: reorder or hide text on screen.
_INVISIBLE_FORMAT = (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)


def _build_table() -> dict[int, str]:
    table: dict[int, str] = {code: chr(0x2400 + code) for code in range(0x20)}  # C0 -> control pictures
    table.update({code: "\ufffd" for code in range(0x80, 0xA0)})  # C1 (incl. 8-bit CSI) -> replacement
    table.update({code: "\ufffd" for code in _INVISIBLE_FORMAT})
    table[0x7F] = "\u2421"  # DEL -> ␡
    table[0x09] = " "  # a tab is just white space
    return table


#: ``str.translate`` table: C0 controls as their Unicode control pictures (ESC
#: shows as ␛, BEL as ␇, a line feed as ␊), C1 and bidi controls as U+FFFD.
CONTROL_TABLE: dict[int, str] = _build_table()


def terminal_safe(text: str) -> str:
    """``text`` with every character a terminal would act on replaced by a visible stand-in."""
    return text.translate(CONTROL_TABLE)


#: ``str.translate`` table for text that goes into a file (CSV cells, JSON
#: strings): the C0 controls but tab and line feed, DEL and the C1 range, as
#: the same stand-ins the reader paints. A file is ``cat``ed or opened in a
#: pager long after it was written, so it must not carry an escape sequence
#: either; tab and line feed are kept because a multi-line note is data.
CELL_TABLE: dict[int, str] = {
    code: CONTROL_TABLE[code] for code in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if code not in (0x09, 0x0A)
}


def inert_text(text: str) -> str:
    """``text`` with every C0/C1 control but tab and newline shown as its stand-in, one for one.

    What every exporter calls on a text value before it writes it (the CSV
    cells through :func:`tui.core.export.clean_cell`, JSON strings directly).
    Bidi marks are left alone here: they reorder what a screen shows but do
    not drive the terminal, and right-to-left text needs them.
    """
    return text.translate(CELL_TABLE)
