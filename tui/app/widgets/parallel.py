"""The parallel panes: every source side by side, one aligned row per band.

This is one Line-API :class:`~textual.scroll_view.ScrollView` rather than a
widget per pane or per sentence. A row is as tall as its tallest wrapped
cell, so separate scrolling panes would drift apart the moment one outlet
writes longer sentences; painting all visible columns in a single widget
keeps every pane in step by construction, and scales to thousands of rows
because only the lines on screen are ever rendered.

What is drawn is a list of *items*: a row, or a **fold**, one line standing
for a run of consecutive rows that none of the panes on screen has ("4 rows
only in 004 ▸"). Without folds, a story with more sources than panes spent
most of the screen on bands of empty cells. The widget keeps an index from
virtual line ``y`` to ``(item, line in item)`` (prefix sums of item
heights), rebuilt only when the width, the source window, the wrap mode,
the folds or the filter change. Rendered items are cached as lists of
:class:`~textual.strip.Strip`; moving the cursor only drops the two whose
look changed.

Gaps are quiet: a faint dot where a source simply has nothing, a muted
"left out" only where the omission model says the source leaves out a
widely reported row. Article words are the brightest thing in a pane; a
search hit is the loudest highlight of all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.model import Alignment

from tui.app.cellview import CellLook, Layers, Part, cell_look, mixes_layers
from tui.app.diffs import Differ, RowDiffLike, no_diff
from tui.app.reading import GLYPHS, ONE, Reading
from tui.app.textutil import clean, truncate, wrap_offsets

#: Narrowest a source column may get (its text one cell less) before fewer
#: sources are shown at once, in wrapped mode: 24 cells of text, a narrow
#: newspaper column, so five sources fit at 160 columns and four at 120.
MIN_COLUMN = 25
#: The same in compact mode (one line per sentence): a line is a glimpse of
#: the sentence anyway, so panes may be narrower and more sources fit.
MIN_COMPACT_COLUMN = 19
#: What a pane shows where its source has nothing in a row: a faint dot.
GAP_TEXT = "·"
#: ... and where it leaves out a widely reported row (the omission model's verdict).
LEFT_OUT_TEXT = "· left out"
#: Highlight modes, in the order ``d`` cycles through them.
HIGHLIGHTS: tuple[str, ...] = ("distinctive", "all", "off")
HIGHLIGHT_LABELS = {
    "distinctive": "distinctive words: numbers, names and words no other source of the row uses",
    "all": "every word not shared with the rest of the row",
    "off": "no word highlights (flags and search still shown)",
}

# per-character highlight bits: highlighted word, flagged discrepancy, search hit,
# a summary line's tag ("headline · "), a summary line beside body sentences
_DIFF, _FLAG, _SEARCH, _TAG, _SUMMARY = 1, 2, 4, 8, 16


def gutter_width(n_sources: int) -> int:
    """Cursor, coverage glyph, count, flag, uncertain and note marks: ``▶◐3⚑?★``."""
    return len(str(n_sources)) + 5


@dataclass(frozen=True, slots=True)
class Column:
    """One visible source pane: which source, where it starts, how wide."""

    source: int
    x: int
    width: int


class ParallelView(ScrollView, can_focus=True, inherit_bindings=False):
    """All visible sources in aligned columns, with a row cursor and a focused source.

    State flows down from the reader screen (alignment, filter, wrap, search);
    the view reports cursor and focus changes up with :class:`Changed`.
    """

    COMPONENT_CLASSES = {
        "parallel--gutter",
        "parallel--all",
        "parallel--some",
        "parallel--one",
        "parallel--one-cell",
        "parallel--gap",
        "parallel--left-out",
        "parallel--fold",
        "parallel--elsewhere",
        "parallel--separator",
        "parallel--cursor",
        "parallel--cursor-cell",
        "parallel--diff",
        "parallel--flag",
        "parallel--flag-marker",
        "parallel--search",
        "parallel--note",
        "parallel--uncertain",
        "parallel--summary",
        "parallel--summary-tag",
    }

    DEFAULT_CSS = """
    ParallelView {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
        & > .parallel--gutter { color: $text-muted; }
        & > .parallel--all { color: $text-success; text-style: bold; }
        & > .parallel--some { color: $text-warning; text-style: bold; }
        & > .parallel--one { color: $text-accent; text-style: bold; }
        & > .parallel--one-cell { background: $accent 8%; }
        & > .parallel--gap { color: $foreground 22%; }
        & > .parallel--left-out { color: $foreground 40%; text-style: italic; }
        & > .parallel--fold { color: $foreground 50%; text-style: italic; }
        & > .parallel--elsewhere { color: $foreground 50%; }
        & > .parallel--separator { color: $foreground 18%; }
        & > .parallel--cursor { background: $primary 22%; }
        & > .parallel--cursor-cell { background: $primary 40%; }
        & > .parallel--diff { color: $text-warning; }
        & > .parallel--flag { color: $text-error; text-style: bold underline; }
        & > .parallel--flag-marker { color: $text-error; text-style: bold; }
        & > .parallel--search { background: $warning; color: $background; text-style: bold; }
        & > .parallel--note { color: $text-accent; text-style: bold; }
        & > .parallel--uncertain { color: $text-warning; text-style: bold; }
        & > .parallel--summary { text-style: italic; }
        & > .parallel--summary-tag { color: $text-muted; text-style: italic; }
    }
    """

    @dataclass
    class Changed(Message):
        """The cursor row, the focused source or the source window changed."""

        view: ParallelView

    @dataclass
    class Clicked(Message):
        """A cell was clicked: the screen moves cursor and focus there."""

        row: int
        source: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.alignment: Alignment | None = None
        self.reading: Reading | None = None
        self.differ: Differ = no_diff
        #: the current row (an index into ``alignment.rows``), None when nothing is visible;
        #: on a fold, the fold's first row
        self.cursor: int | None = None
        self.focus_source = 0
        self.window_start = 0
        self.wrap = True
        #: fold runs of rows no pane on screen has (``z`` turns it off)
        self.folding = True
        #: which words are highlighted: one of :data:`HIGHLIGHTS`
        self.highlight = HIGHLIGHTS[0]
        self.search_text = ""
        self._query_re: re.Pattern[str] | None = None
        self.message_text = ""
        self._diffs: dict[int, RowDiffLike | None] = {}
        self._clean: dict[tuple[int, int], str] = {}
        self._looks: dict[tuple[int, int], CellLook | None] = {}
        self._mixed: dict[int, bool] = {}
        self._layers: Layers | None = None
        self._strips: dict[int, list[Strip]] = {}
        self._wraps: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        self._columns: list[Column] = []
        self._gutter = gutter_width(1)
        #: what is drawn, top to bottom: each item a tuple of rows (one row, or a fold's run)
        self._items: list[tuple[int, ...]] = []
        self._folded: list[bool] = []
        #: row -> index into ``_items`` of the item drawing it
        self._item_of: dict[int, int] = {}
        self._heights: list[int] = []
        self._offsets: list[int] = [0]
        self._layout_width = -1
        self._base_style: Style | None = None
        self._inks: dict[str, Style] = {}
        #: rows the reader opened (enter on a fold); they stay open until the alignment changes
        self._unfolded: set[int] = set()
        #: row → gutter mark of the reader's annotation on it (★ starred, ✎ noted or tagged)
        self.marks: dict[int, str] = {}

    # ------------------------------------------------------------------ data in

    def load(
        self, alignment: Alignment, reading: Reading, differ: Differ, cursor: int | None = None, *, top: bool = False
    ) -> None:
        """Show a (new) alignment; ``cursor`` is the row to put the cursor on (``top``: near the top)."""
        self.alignment = alignment
        self.reading = reading
        self.differ = differ
        self._diffs.clear()
        self._clean.clear()
        self._looks.clear()
        self._mixed.clear()
        self._wraps.clear()
        self._unfolded.clear()
        n = len(alignment.sources)
        self._layers = Layers(alignment)
        self.focus_source = min(self.focus_source, max(0, n - 1))
        self.message_text = ""
        self.cursor = reading.nearest_visible(cursor if cursor is not None else 0)
        self.relayout()
        self.scroll_to_cursor(center=cursor is not None, top=top)
        if cursor is not None:
            # the new virtual size only bounds scrolling after the next layout: scroll again then
            self.call_after_refresh(self.scroll_to_cursor, center=True, top=top)

    def set_marks(self, marks: dict[int, str]) -> None:
        """Annotation marks changed: repaint (only the gutter differs, heights do not)."""
        if marks != self.marks:
            self.marks = dict(marks)
            self._strips.clear()
            self.refresh()

    def show_message(self, text: str) -> None:
        """Replace the panes with a one-line notice (loading, an error)."""
        self.message_text = text
        self.refresh()

    def set_wrap(self, wrap: bool) -> None:
        self.wrap = wrap
        self.relayout()
        self.scroll_to_cursor()

    def set_folding(self, folding: bool) -> None:
        """Fold runs of rows no pane shows (True), or show every row (False)."""
        self.folding = folding
        self._unfolded.clear()
        self.relayout()
        self.scroll_to_cursor()

    def set_highlight(self, mode: str) -> None:
        """Highlight distinctive words, every unshared word, or none (see :data:`HIGHLIGHTS`)."""
        if mode not in HIGHLIGHTS:
            raise ValueError(f"unknown highlight mode {mode!r}")
        self.highlight = mode
        self._strips.clear()
        self.refresh()

    def set_query(self, query: str) -> None:
        """Highlight ``query`` (case-insensitive, literal) in every pane."""
        self.search_text = query
        self._query_re = re.compile(re.escape(query), re.IGNORECASE) if query else None
        self._strips.clear()
        self.refresh()

    def refilter(self) -> None:
        """The reading's filter changed: keep the cursor on the nearest row still shown."""
        if self.reading is None:
            return
        if self.cursor is not None:
            self.cursor = self.reading.nearest_visible(self.cursor)
        elif self.reading.visible:
            self.cursor = self.reading.visible[0]
        self.relayout()
        self.scroll_to_cursor(center=True)

    def diff(self, row: int) -> RowDiffLike | None:
        """The comparison of ``row``, computed once and kept (by the reading, which ``n`` shares)."""
        if self.reading is not None and self.reading.differ is self.differ:
            return self.reading.diff(row)
        if row not in self._diffs:
            assert self.alignment is not None
            self._diffs[row] = self.differ(self.alignment, row)
        return self._diffs[row]

    def text(self, row: int, source: int) -> str | None:
        """The cleaned (display-safe) sentence of ``source`` in ``row``."""
        key = (row, source)
        if key not in self._clean:
            assert self.alignment is not None
            raw = self.alignment.cell_text(row, source)
            if raw is None:
                return None
            self._clean[key] = clean(raw)
        return self._clean[key]

    def look(self, row: int, source: int) -> CellLook | None:
        """How the cell is drawn: its sentences one after another, summary lines tagged."""
        key = (row, source)
        if key not in self._looks:
            assert self.alignment is not None
            cell = self.alignment.rows[row].cells[source]
            assert self._layers is not None
            if row not in self._mixed:
                self._mixed[row] = mixes_layers(self.alignment, row, self._layers)
            if len(cell) == 1 and not self._mixed[row]:
                text = self.text(row, source)  # the common case: one sentence, drawn as it is
                assert text is not None
                self._looks[key] = CellLook(text, (Part(cell[0], 0, len(text), 0, 0, False),))
            else:
                self._looks[key] = cell_look(self.alignment, row, source, self._layers, self._mixed[row])
        return self._looks[key]

    # ---------------------------------------------------------------- layout

    @property
    def columns(self) -> list[Column]:
        return self._columns

    @property
    def gutter_width(self) -> int:
        return self._gutter

    @property
    def visible_count(self) -> int:
        """How many source columns fit at the current width."""
        return len(self._columns)

    @property
    def shown_sources(self) -> range:
        """The sources that have a pane on screen."""
        if not self._columns:
            return range(0)
        return range(self._columns[0].source, self._columns[-1].source + 1)

    def _content_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def column_widths(self, available: int, n_sources: int) -> list[int]:
        """The width of each pane that fits in ``available`` cells: as many as the minimum allows, even."""
        narrowest = MIN_COLUMN if self.wrap else MIN_COMPACT_COLUMN
        ncols = max(1, min(n_sources, (available + 1) // (narrowest + 1)))
        base = (available - (ncols - 1)) // ncols
        extra = (available - (ncols - 1)) - base * ncols
        return [max(1, base + (1 if i < extra else 0)) for i in range(ncols)]

    def relayout(self) -> None:
        """Recompute columns, folds, item heights and the line index; drop cached strips."""
        self._strips.clear()
        if len(self._wraps) > 200_000:  # keyed by width, so it stays valid; just bound it
            self._wraps.clear()
        if self.alignment is None or self.reading is None:
            self._columns = []
            self._items, self._folded, self._item_of = [], [], {}
            self._heights = []
            self._offsets = [0]
            self.virtual_size = Size(0, 0)
            self.refresh()
            return
        n = len(self.alignment.sources)
        width = self._content_width()
        self._layout_width = width
        self._gutter = gutter_width(n)
        available = max(1, width - self._gutter)
        widths = self.column_widths(available, n)
        self._fit_window(len(widths))
        cols: list[Column] = []
        x = self._gutter
        for i, w in enumerate(widths):
            cols.append(Column(self.window_start + i, x, w))
            x += w + 1
        self._columns = cols
        self._build_items()
        self._heights = [1 if folded else self._row_height(rows[0]) for rows, folded in zip(self._items, self._folded)]
        self._offsets = [0, *accumulate(self._heights)]
        self.virtual_size = Size(width, self._offsets[-1])
        self.refresh()
        self.post_message(self.Changed(self))

    def _off_screen(self, row: int) -> bool:
        """No pane on screen has ``row``: it folds away, or shows as one line naming where it is."""
        assert self.alignment is not None
        shown = self.shown_sources
        return not any(s in shown for s in self.alignment.rows[row].coverage)

    def _build_items(self) -> None:
        """Group the visible rows into items: rows on screen one by one, off-screen runs as folds.

        The cursor's row never folds (the reader is on it), nor do rows the
        reader opened.
        """
        assert self.reading is not None
        items: list[tuple[int, ...]] = []
        folded: list[bool] = []
        run: list[int] = []
        for row in self.reading.visible:
            if (self.folding and row != self.cursor and row not in self._unfolded and self._off_screen(row)):
                run.append(row)
                continue
            if run:
                items.append(tuple(run))
                folded.append(True)
                run = []
            items.append((row,))
            folded.append(False)
        if run:
            items.append(tuple(run))
            folded.append(True)
        self._items, self._folded = items, folded
        self._item_of = {row: i for i, rows in enumerate(items) for row in rows}

    def _fit_window(self, ncols: int) -> None:
        assert self.alignment is not None
        n = len(self.alignment.sources)
        if self.focus_source < self.window_start:
            self.window_start = self.focus_source
        elif self.focus_source >= self.window_start + ncols:
            self.window_start = self.focus_source - ncols + 1
        self.window_start = max(0, min(self.window_start, n - ncols))

    def _lines_of(self, row: int, source: int, width: int) -> list[tuple[int, int]]:
        key = (row, source, width)
        lines = self._wraps.get(key)
        if lines is None:
            look = self.look(row, source)
            if look is None:
                lines = [(0, 0)]
            elif len(look.parts) == 1:
                lines = wrap_offsets(look.text, width)
            else:  # each sentence of the cell starts on a line of its own
                lines = [(p.start + a, p.start + b) for p in look.parts
                         for a, b in wrap_offsets(look.text[p.start:p.end], width)]
            self._wraps[key] = lines
        return lines

    def _row_height(self, row: int) -> int:
        if not self.wrap or self._off_screen(row):
            return 1
        return max((len(self._lines_of(row, c.source, c.width - 1)) for c in self._cells_of(row)), default=1)

    def _cells_of(self, row: int) -> list[Column]:
        """The row's cells across the panes: one per pane, except that a lone sentence spills.

        When only one pane on screen has text in the row, its sentence runs on
        over the empty panes to its right, as a spreadsheet lets text overflow
        into empty neighbours: a sentence only one outlet has no longer stands
        in a narrow column eleven lines tall beside three empty ones. It never
        spills over a pane whose source *leaves the row out* (that gap says
        something), nor leftwards: the text always starts in its own pane.
        """
        cols = self._columns
        if len(cols) < 2 or self.alignment is None:
            return cols
        cells = self.alignment.rows[row].cells
        with_text = [i for i, c in enumerate(cols) if cells[c.source]]
        if len(with_text) != 1:
            return cols
        i = with_text[0]
        j = i
        while j + 1 < len(cols) and not (self.reading is not None and self.reading.left_out_by(row, cols[j + 1].source)):
            j += 1
        if j == i:
            return cols
        spilled = Column(cols[i].source, cols[i].x, cols[j].x + cols[j].width - cols[i].x)
        return [*cols[:i], spilled, *cols[j + 1:]]

    def on_resize(self, event: events.Resize) -> None:
        if self._content_width() != self._layout_width:
            self.relayout()
            self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Theme or CSS changed: every cached strip carries stale colours."""
        super().notify_style_update()
        self._strips.clear()
        self._base_style = None
        self._inks.clear()

    def _ink(self, name: str) -> Style:
        """A component's text style without its background, to lay over a cell's own background.

        Not ``get_component_rich_style(partial=True)``: that drops the alpha of
        a colour such as ``$foreground 22%`` and paints it at full strength (the
        gaps and separators were as bright as article text). The full style
        has the colour blended as the CSS means it; only its background goes.
        """
        ink = self._inks.get(name)
        if ink is None:
            full = self.get_component_rich_style(name)
            ink = self._inks[name] = Style(color=full.color, bold=full.bold, dim=full.dim, italic=full.italic,
                                           underline=full.underline, reverse=full.reverse, strike=full.strike)
        return ink

    @property
    def base_style(self) -> Style:
        """The widget's own style, kept until the CSS changes (it is asked for per line)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    # ------------------------------------------------------------------ folds

    def fold_at(self, row: int | None) -> tuple[int, ...] | None:
        """The rows of the fold drawn where ``row`` is, or None when ``row`` is drawn as itself."""
        if row is None:
            return None
        i = self._item_of.get(row)
        if i is None or not self._folded[i]:
            return None
        return self._items[i]

    def unfold(self, row: int | None = None) -> bool:
        """Open the fold at ``row`` (default: the cursor's): its rows show one line each. False if none."""
        rows = self.fold_at(self.cursor if row is None else row)
        if rows is None:
            return False
        self._unfolded.update(rows)
        self.relayout()
        self.scroll_to_cursor()
        return True

    # ----------------------------------------------------------- navigation

    def row_span(self, row: int) -> tuple[int, int] | None:
        """``(first virtual line, height)`` of the item drawing a visible row."""
        i = self._item_of.get(row)
        if i is None or i >= len(self._heights):
            return None
        return self._offsets[i], self._heights[i]

    def row_at(self, y: int) -> int | None:
        """The row drawn at virtual line ``y`` (a fold's first row on a fold)."""
        if not self._items or y < 0 or y >= self._offsets[-1]:
            return None
        return self._items[bisect_right(self._offsets, y) - 1][0]

    def step_target(self, delta: int) -> int | None:
        """The row ``delta`` items on from the cursor (a fold counts as one), clamped to the ends."""
        if not self._items:
            return None
        i = self._item_of.get(self.cursor) if self.cursor is not None else None
        i = 0 if i is None else max(0, min(len(self._items) - 1, i + delta))
        return self._items[i][0]

    def source_at(self, x: int) -> int | None:
        for col in self._columns:
            if col.x <= x < col.x + col.width + 1:
                return col.source
        return None

    def follow(self, sources: Sequence[int], *, keep_focus: bool = False) -> bool:
        """Slide the panes so one of ``sources`` is on screen; True if they moved.

        The focused source stays on screen when a window can hold it and one
        of ``sources`` (the most of them it can); otherwise the focus moves to
        the nearest of ``sources``, unless ``keep_focus`` (the focused source
        is what the jump is about, as for ``o``): then nothing moves and the
        row shows as one line saying where it is. Nothing moves when one of
        ``sources`` is on screen already.
        """
        if self.alignment is None or not self._columns:
            return False
        n = len(self.alignment.sources)
        wanted = sorted({s for s in sources if 0 <= s < n})
        shown = self.shown_sources
        if not wanted or any(s in shown for s in wanted):
            return False
        ncols = len(self._columns)
        best: tuple[tuple[int, int], int] | None = None
        for start in range(max(0, self.focus_source - ncols + 1), min(self.focus_source, n - ncols) + 1):
            count = sum(1 for s in wanted if start <= s < start + ncols)
            score = (count, -abs(start - self.window_start))
            if count and (best is None or score > best[0]):
                best = (score, start)
        if best is not None:
            self.window_start = best[1]
        elif keep_focus:
            return False
        else:
            self.focus_source = min(wanted, key=lambda s: (abs(s - self.focus_source), s))
            # the focus at the window's edge nearest where it came from, the other wanted sources beside it
            starts = range(max(0, self.focus_source - ncols + 1), min(self.focus_source, n - ncols) + 1)
            self.window_start = max(starts, key=lambda st: (sum(1 for s in wanted if st <= s < st + ncols),
                                                          -abs(st - self.window_start)))
        self.relayout()
        return True

    def move_to(
        self, row: int | None, *, center: bool = False, follow: Sequence[int] | None = None, keep_focus: bool = False
    ) -> None:
        """Put the cursor on ``row`` (must be visible) and bring it into view.

        ``follow`` names the sources the move is about (a search hit, a
        flag, the row's own sources): when none is on screen the panes slide
        to one first (see :meth:`follow`). A row that is still folded away is
        unfolded.
        """
        if row is not None and follow is not None:
            self.follow(follow, keep_focus=keep_focus)
        if row is not None:
            i = self._item_of.get(row)
            if i is not None and self._folded[i]:
                if self._items[i][0] != row or follow is not None:
                    self._unfolded.update(self._items[i])
                    self.cursor = row
                    self.relayout()
                    self.scroll_to_cursor(center=center)
                    return
        if row == self.cursor:
            self.scroll_to_cursor(center=center)
            return
        old = self.cursor
        self.cursor = row
        for changed in (old, row):
            if changed is None:
                continue
            i = self._item_of.get(changed)
            if i is not None:
                self._strips.pop(self._items[i][0], None)
            span = self.row_span(changed)
            if span is not None:
                self.refresh_lines(*span)  # only the two items whose look changed
        self.scroll_to_cursor(center=center)
        self.post_message(self.Changed(self))

    def set_focus_source(self, source: int) -> None:
        """Focus ``source``; slide the window of columns if it is off screen."""
        assert self.alignment is not None
        source = max(0, min(source, len(self.alignment.sources) - 1))
        if source == self.focus_source:
            return
        self.focus_source = source
        before = self.window_start
        self._fit_window(len(self._columns) or 1)
        if self.window_start != before:
            self.relayout()  # different columns: heights and folds change
            self.scroll_to_cursor()
        else:
            if self.cursor is not None:
                self._strips.pop(self.cursor, None)
            self.refresh()
            self.post_message(self.Changed(self))

    def scroll_to_cursor(self, *, center: bool = False, top: bool = False) -> None:
        """Bring the cursor into view; ``center``: a third of the way down, ``top``: at the top."""
        if self.cursor is None:
            return
        span = self.row_span(self.cursor)
        if span is None:
            return
        y, h = span
        height = self.scrollable_content_region.height
        if top and height:
            self.scroll_to(y=y, animate=False, immediate=True)
            return
        if center and height:
            self.scroll_to(y=max(0, y - max(0, (height - h) // 3)), animate=False, immediate=True)
            return
        # keep one line of context around the cursor where there is room
        top = self.scroll_offset.y
        if y < top + 1:
            self.scroll_to(y=max(0, y - 1), animate=False, immediate=True)
        elif y + h > top + height - 1:
            target = y + h - height + 1 if h < height - 1 else y
            self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def page_target(self, direction: int) -> int | None:
        """The row a page up/down lands on: one screen height away from the cursor."""
        if self.cursor is None or self.reading is None:
            return None
        span = self.row_span(self.cursor)
        if span is None:
            return None
        height = max(1, self.scrollable_content_region.height - 1)
        y = span[0] + direction * height
        y = max(0, min(y, self._offsets[-1] - 1))
        return self.row_at(y)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = self.row_at(offset.y + self.scroll_offset.y)
        source = self.source_at(offset.x)
        if row is not None:
            self.post_message(self.Clicked(row, self.focus_source if source is None else source))

    # ------------------------------------------------------------- rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.base_style
        if self.message_text or self.reading is None or not self.reading.visible:
            text = self.message_text or ("no rows match this filter" if self.reading else "")
            if y == 1 and text:
                gap = self.get_component_rich_style("parallel--fold")
                return Strip([Segment("  " + text, gap)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        vy = y + self.scroll_offset.y
        if vy >= self._offsets[-1]:
            return Strip.blank(width, base)
        pos = bisect_right(self._offsets, vy) - 1
        rows = self._items[pos]
        lines = self._strips.get(rows[0])
        if lines is None:
            if self._folded[pos]:
                lines = [self._render_fold(rows)]
            elif self._off_screen(rows[0]):
                lines = [self._render_elsewhere(rows[0])]
            else:
                lines = self._render_row(rows[0], self._heights[pos])
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[rows[0]] = lines
        return lines[vy - self._offsets[pos]].adjust_cell_length(width, base)

    def _where(self, sources: Sequence[int]) -> str:
        """Which side of the panes ``sources`` are on: ‹ left, › right, ‹› both."""
        first, last = self.shown_sources.start, self.shown_sources.stop - 1
        if all(s < first for s in sources):
            return "‹"
        if all(s > last for s in sources):
            return "›"
        return "‹›"

    def _names(self, sources: Sequence[int], room: int = 3) -> str:
        assert self.alignment is not None
        labels = [clean(self.alignment.sources[s].label) for s in sources[:room]]
        if len(sources) > room:
            labels.append(f"+{len(sources) - room}")
        return ", ".join(labels)

    def _spanning(self, row: int, marker: str, text: str, text_style: Style) -> Strip:
        """One line across every pane: the gutter, then ``text`` (a fold, a row no pane has)."""
        style = self.get_component_rich_style
        is_cursor = row == self.cursor
        base = style("parallel--cursor") if is_cursor else self.base_style
        gutter_style = base + self._ink("parallel--gutter")
        first = self._columns[0].x if self._columns else self._gutter
        width = (self._columns[-1].x + self._columns[-1].width - first) if self._columns else 20
        segments = [
            Segment("▶" if is_cursor else " ", gutter_style),
            Segment(marker, gutter_style),
            Segment(" " * (self._gutter - 2), base),
            Segment(" ", base),
        ]
        room = max(1, width - 1)
        if cell_len(text) > room:
            chars, _ = truncate(text, room)
            text = text[:chars] + "…"
        segments.append(Segment(text, base + text_style))
        return Strip(segments).adjust_cell_length(self._gutter + width, base)

    def _render_fold(self, rows: tuple[int, ...]) -> Strip:
        """``4 rows only in 004 ▸``: a run of rows no pane on screen has, as one line."""
        assert self.alignment is not None
        present = sorted({s for r in rows for s in self.alignment.rows[r].coverage})
        count = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        if len(present) == 1:
            what = f"{count} only in {self._names(present)}"
        else:
            what = f"{count} in {self._names(present)}"
        text = f"{self._where(present)} {what} · enter opens"
        return self._spanning(rows[0], "▸", text, self._ink("parallel--fold"))

    def _render_elsewhere(self, row: int) -> Strip:
        """An opened row no pane on screen has: where it is and the start of what it says."""
        assert self.alignment is not None
        present = list(self.alignment.rows[row].coverage)
        if not present:
            return self._spanning(row, " ", "", Style())
        kind = self.reading.kinds[row] if self.reading is not None else ONE
        glyph = GLYPHS[kind]
        where = f"only in {self._names(present)}" if len(present) == 1 else f"in {self._names(present)}"
        text = f"{self._where(present)} {where}: {self.text(row, present[0]) or ''}"
        return self._spanning(row, glyph, text, self._ink("parallel--elsewhere"))

    def _render_row(self, row: int, height: int) -> list[Strip]:
        """All the lines of one row, gutter and every visible column."""
        assert self.alignment is not None and self.reading is not None
        style = self.get_component_rich_style
        is_cursor = row == self.cursor
        base = style("parallel--cursor") if is_cursor else self.base_style
        kind = self.reading.kinds[row]
        diff = self.diff(row)
        alignment_row = self.alignment.rows[row]

        # gutter: cursor mark, kind glyph, coverage count, flag marker, uncertain marker, annotation mark
        count_w = self._gutter - 5
        gutter_lines: list[list[Segment]] = []
        flagged = bool(diff and diff.flags)
        first = [
            Segment("▶" if is_cursor else " ", base + self._ink("parallel--gutter")),
            Segment(GLYPHS[kind], base + self._ink(f"parallel--{kind}")),
            Segment(f"{alignment_row.count}".rjust(count_w), base + self._ink("parallel--gutter")),
            Segment("⚑" if flagged else " ", base + self._ink("parallel--flag-marker")),
            Segment("?" if self.reading.uncertain(row) else " ", base + self._ink("parallel--uncertain")),
            Segment(self.marks[row], base + self._ink("parallel--note"))
            if row in self.marks
            else Segment(" ", base),
        ]
        gutter_lines.append(first)
        bar = Segment("▌" if is_cursor else " ", base + self._ink("parallel--gutter"))
        for _ in range(1, height):
            gutter_lines.append([bar, Segment(" " * (self._gutter - 1), base)])

        separator = Segment("│", base + self._ink("parallel--separator"))
        out: list[list[Segment]] = gutter_lines
        distinct = self.reading.distinctive(row) if self.highlight == "distinctive" else None
        for i, col in enumerate(self._cells_of(row)):
            cell = self._render_cell(row, col, height, is_cursor, kind, diff, distinct)
            for line_no in range(height):
                if i:
                    out[line_no].append(separator)
                out[line_no].extend(cell[line_no])
        return [Strip(segments) for segments in out]

    def _render_cell(
        self,
        row: int,
        col: Column,
        height: int,
        is_cursor: bool,
        kind: str,
        diff: RowDiffLike | None,
        distinct: dict[int, Sequence[tuple[int, int]]] | None = None,
    ) -> list[list[Segment]]:
        style = self.get_component_rich_style
        width = col.width
        if is_cursor and col.source == self.focus_source:
            cell_base = style("parallel--cursor-cell")
        elif is_cursor:
            cell_base = style("parallel--cursor")
        else:
            cell_base = self.base_style
        look = self.look(row, col.source)
        text = None if look is None else look.text
        if kind == ONE and text is not None and not is_cursor:
            cell_base = style("parallel--one-cell")
        blank = [Segment(" " * width, cell_base)]
        if text is None:
            left_out = self.reading is not None and self.reading.left_out_by(row, col.source)
            gap = LEFT_OUT_TEXT if left_out else GAP_TEXT
            if cell_len(gap) > width - 1:
                gap = gap[: max(1, width - 2)] + "…"
            gap_style = self._ink("parallel--left-out" if left_out else "parallel--gap")
            first = [Segment(" ", cell_base), Segment(gap, cell_base + gap_style)]
            strip = Strip(first).adjust_cell_length(width, cell_base)
            return [list(strip)] + [blank] * (height - 1)

        assert look is not None
        mask = self._mask(row, col.source, look, diff, distinct)
        styles = {
            0: cell_base,
            _DIFF: cell_base + self._ink("parallel--diff"),
            _FLAG: cell_base + self._ink("parallel--flag"),
            _SEARCH: style("parallel--search"),
        }
        summary_style = self._ink("parallel--summary")
        tag_style = cell_base + self._ink("parallel--summary-tag")

        def style_of(bits: int) -> Style:
            if bits & _TAG:
                return tag_style
            if bits & _SEARCH:
                found = styles[_SEARCH] + (self._ink("parallel--flag") if bits & _FLAG else Style())
            elif bits & _FLAG:
                found = styles[_FLAG]
            else:
                found = styles[bits & _DIFF]
            return found + summary_style if bits & _SUMMARY else found

        inner = width - 1  # one column of padding after the separator
        more = ""
        if self.wrap:
            ranges = self._lines_of(row, col.source, inner)
            ellipsis = False
        else:
            # one line: a cell of several sentences that does not fit says how many more it holds
            more = f" +{len(look.parts) - 1}" if len(look.parts) > 1 and cell_len(text) > inner else ""
            chars, ellipsis = truncate(text, max(1, inner - len(more)))
            ranges = [(0, chars)]
        lines: list[list[Segment]] = []
        for a, b in ranges:
            segments: list[Segment] = [Segment(" ", cell_base)]
            start = a
            while start < b:
                bits = mask[start]
                end = start + 1
                while end < b and mask[end] == bits:
                    end += 1
                segments.append(Segment(text[start:end], style_of(bits)))
                start = end
            if ellipsis:
                segments.append(Segment("…", cell_base))
            if more:
                segments.append(Segment(more, tag_style))
            strip = Strip(segments).adjust_cell_length(width, cell_base)
            lines.append(list(strip))
        while len(lines) < height:
            lines.append(blank)
        return lines[:height] if not self.wrap else lines

    def _mask(
        self,
        row: int,
        source: int,
        look: CellLook,
        diff: RowDiffLike | None,
        distinct: dict[int, Sequence[tuple[int, int]]] | None = None,
    ) -> bytearray:
        """Per-character highlight bits of the drawn text (see the bits above).

        The comparison's offsets refer to the cell text; a cell of several
        sentences is drawn with tags, so they are moved to where each
        sentence is drawn.
        """
        text = look.text
        n = len(text)
        mask = bytearray(n)
        if diff is not None:
            found = bytearray(max((p.source_start + p.end - p.start - p.tag for p in look.parts), default=0))
            m = len(found)
            if self.highlight == "all":
                words: Sequence[tuple[int, int]] = diff.unique.get(source, ())
            elif self.highlight == "distinctive" and distinct is not None:
                words = distinct.get(source, ())
            else:
                words = ()
            for start, end in words:
                for i in range(max(0, start), min(m, end)):
                    found[i] |= _DIFF
            for flag in diff.flags:
                for span in flag.spans:
                    if span[0] == source:
                        for i in range(max(0, span[1]), min(m, span[2])):
                            found[i] |= _FLAG
            if look.plain:
                mask[:] = found[:n]
            else:
                for p in look.parts:
                    length = p.end - p.start - p.tag
                    mask[p.start + p.tag:p.end] = found[p.source_start:p.source_start + length]
        if self._query_re is not None:
            for hit in self._query_re.finditer(text):
                for i in range(hit.start(), hit.end()):
                    mask[i] |= _SEARCH
        if not look.plain:
            for p in look.parts:
                for i in range(p.start, p.start + p.tag):
                    mask[i] = _TAG
                if p.summary:
                    for i in range(p.start + p.tag, p.end):
                        mask[i] |= _SUMMARY
        return mask
