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
from dataclasses import dataclass
from itertools import accumulate

from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.model import Alignment, Source

from tui.app.cellview import CellLook, Layers, Part, cell_look, mixes_layers
from tui.app.diffs import Differ, RowDiffLike, no_diff
from tui.app.reading import Reading
from tui.app.textutil import clean, wrap_offsets
from tui.app.widgets.painting import GAP_TEXT, LEFT_OUT_TEXT, Column, PanePainting, gutter_width
from tui.app.widgets.steering import PaneSteering

__all__ = ["GAP_TEXT", "LEFT_OUT_TEXT", "HIGHLIGHTS", "HIGHLIGHT_LABELS", "Column", "ParallelView", "gutter_width"]

#: Narrowest a source column may get (its text one cell less) before fewer
#: sources are shown at once, in wrapped mode: 24 cells of text, a narrow
#: newspaper column, so five sources fit at 160 columns and four at 120.
MIN_COLUMN = 25
#: The same in compact mode (one line per sentence): a line is a glimpse of
#: the sentence anyway, so panes may be narrower and more sources fit.
MIN_COMPACT_COLUMN = 19
#: Highlight modes, in the order ``d`` cycles through them.
HIGHLIGHTS: tuple[str, ...] = ("distinctive", "all", "off")
HIGHLIGHT_LABELS = {
    "distinctive": "distinctive words: numbers, names and words no other source of the row uses",
    "all": "every word not shared with the rest of the row",
    "off": "no word highlights (flags and search still shown)",
}


class ParallelView(PaneSteering, PanePainting, ScrollView, can_focus=True, inherit_bindings=False):
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
        "parallel--draft",
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
        & > .parallel--draft { color: $foreground 62%; }
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
        #: before the first alignment: the sources to paint as written, unaligned (see tui.app.widgets.draft)
        self.draft: tuple[Source, ...] = ()
        self.draft_pivot = 0
        self._draft_text: list[list[str]] | None = None

    # ------------------------------------------------------------------ data in

    @property
    def sources(self) -> tuple[Source, ...]:
        """The sources in the panes: the alignment's, else the draft's."""
        return tuple(self.alignment.sources) if self.alignment is not None else self.draft

    @property
    def pivot(self) -> int:
        return self.alignment.pivot if self.alignment is not None else self.draft_pivot

    def show_draft(self, sources: tuple[Source, ...], pivot: int = 0) -> None:
        """Until an alignment is loaded, paint ``sources`` as written, each in its pane, not lined up."""
        self.draft = tuple(sources)
        self.draft_pivot = pivot
        self.relayout()

    def fit_draft(self) -> None:
        """Lay the draft's panes out for the width the view has now.

        The first frame is painted right after the first layout, before the
        view hears of its size (``on_resize``); the draft and the column
        header call this as they paint, so that frame already has the panes
        at their width instead of one pane at no width, then the right ones.
        """
        if self.alignment is None and self.draft and self._content_width() != self._layout_width:
            self._layout_columns(len(self.draft))
            self._draft_text = None

    def load(
        self, alignment: Alignment, reading: Reading, differ: Differ, cursor: int | None = None, *, top: bool = False
    ) -> None:
        """Show a (new) alignment; ``cursor`` is the row to put the cursor on (``top``: near the top)."""
        self.alignment = alignment
        self.reading = reading
        self.differ = differ
        self.draft, self._draft_text = (), None
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
        self._draft_text = None
        if self.alignment is None or self.reading is None:
            self._columns = []
            self._items, self._folded, self._item_of = [], [], {}
            self._heights = []
            self._offsets = [0]
            self.virtual_size = Size(0, 0)
            if self.alignment is None and self.draft:
                self._layout_columns(len(self.draft))  # the draft's panes are the aligned view's
                self.post_message(self.Changed(self))  # the column header follows
            self.refresh()
            return
        width = self._layout_columns(len(self.alignment.sources))
        self._build_items()
        self._heights = [1 if folded else self._row_height(rows[0]) for rows, folded in zip(self._items, self._folded)]
        self._offsets = [0, *accumulate(self._heights)]
        self.virtual_size = Size(width, self._offsets[-1])
        self.refresh()
        self.post_message(self.Changed(self))

    def _layout_columns(self, n: int) -> int:
        """Place the panes of ``n`` sources at the current width; returns the width."""
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
        return width

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
        n = len(self.sources)
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

    def wraps(self, row: int) -> bool:
        """Whether ``row`` is drawn with its sentences whole: always when wrapping; in compact mode
        only the cursor's row, so the row being read is whole while the rest stays one line each."""
        return self.wrap or row == self.cursor

    def _row_height(self, row: int) -> int:
        if not self.wraps(row) or self._off_screen(row):
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
        self._draft_text = None  # laid out for the old height
        if self._content_width() != self._layout_width:
            self.relayout()
        # a panel opening below (i, enter) takes lines from the panes: at 80×24 the two of
        # them left one line, a fold's, with the cursor's row out of sight
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

