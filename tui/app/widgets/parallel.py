"""The parallel panes: every source side by side, one aligned row per band.

This is one Line-API :class:`~textual.scroll_view.ScrollView` rather than a
widget per pane or per sentence. A row is as tall as its tallest wrapped
cell, so separate scrolling panes would drift apart the moment one outlet
writes longer sentences; painting all visible columns in a single widget
keeps every pane in step by construction, and scales to thousands of rows
because only the lines on screen are ever rendered.

The widget keeps an index from virtual line ``y`` to ``(row, line in row)``
(prefix sums of row heights), rebuilt only when the width, the source window,
the wrap mode or the filter changes. Rendered rows are cached as lists of
:class:`~textual.strip.Strip`; moving the cursor only drops the two rows
whose look changed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.model import Alignment

from tui.app.cellview import CellLook, Layers, Part, cell_look, mixes_layers
from tui.app.diffs import Differ, RowDiffLike, no_diff
from tui.app.reading import ALL, GLYPHS, ONE, Reading
from tui.app.textutil import clean, truncate, wrap_offsets

#: Narrowest a source column may get before fewer sources are shown at once.
MIN_COLUMN = 28
GAP_TEXT = "·· not reported ··"

# per-character highlight bits: unshared word, flagged discrepancy, search hit,
# a summary line's tag ("headline · "), a summary line beside body sentences
_DIFF, _FLAG, _SEARCH, _TAG, _SUMMARY = 1, 2, 4, 8, 16


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
        overflow-x: hidden;
        & > .parallel--gutter { color: $text-muted; }
        & > .parallel--all { color: $text-success; text-style: bold; }
        & > .parallel--some { color: $text-warning; text-style: bold; }
        & > .parallel--one { color: $text-accent; text-style: bold; }
        & > .parallel--one-cell { background: $accent 12%; }
        & > .parallel--gap { color: $text-disabled; text-style: italic; }
        & > .parallel--separator { color: $foreground 25%; }
        & > .parallel--cursor { background: $primary 22%; }
        & > .parallel--cursor-cell { background: $primary 40%; }
        & > .parallel--diff { color: $text-warning; text-style: bold; }
        & > .parallel--flag { color: $text-error; text-style: bold underline; }
        & > .parallel--flag-marker { color: $text-error; text-style: bold; }
        & > .parallel--search { background: $secondary 55%; color: $foreground; text-style: bold; }
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
        #: the current row (an index into ``alignment.rows``), None when nothing is visible
        self.cursor: int | None = None
        self.focus_source = 0
        self.window_start = 0
        self.wrap = True
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
        self._gutter = 8
        self._heights: list[int] = []
        self._offsets: list[int] = [0]
        self._layout_width = -1
        self._base_style: Style | None = None
        #: row → gutter mark of the reader's annotation on it (★ starred, ✎ noted or tagged)
        self.marks: dict[int, str] = {}

    # ------------------------------------------------------------------ data in

    def load(self, alignment: Alignment, reading: Reading, differ: Differ, cursor: int | None = None) -> None:
        """Show a (new) alignment; ``cursor`` is the row to put the cursor on."""
        self.alignment = alignment
        self.reading = reading
        self.differ = differ
        self._diffs.clear()
        self._clean.clear()
        self._looks.clear()
        self._mixed.clear()
        self._wraps.clear()
        n = len(alignment.sources)
        self._layers = Layers(alignment)
        self.focus_source = min(self.focus_source, max(0, n - 1))
        self.message_text = ""
        self.cursor = reading.nearest_visible(cursor if cursor is not None else 0)
        self.relayout()
        self.scroll_to_cursor(center=cursor is not None)
        if cursor is not None:
            # the new virtual size only bounds scrolling after the next layout: scroll again then
            self.call_after_refresh(self.scroll_to_cursor, center=True)

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

    def _content_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def relayout(self) -> None:
        """Recompute columns, row heights and the line index; drop cached strips."""
        self._strips.clear()
        if len(self._wraps) > 200_000:  # keyed by width, so it stays valid; just bound it
            self._wraps.clear()
        if self.alignment is None or self.reading is None:
            self._columns = []
            self._heights = []
            self._offsets = [0]
            self.virtual_size = Size(0, 0)
            self.refresh()
            return
        n = len(self.alignment.sources)
        width = self._content_width()
        self._layout_width = width
        count_w = len(f"{n}/{n}")
        self._gutter = count_w + 6  # cursor, glyph, space, count, flag, uncertain, note
        available = max(1, width - self._gutter)
        ncols = max(1, min(n, (available + 1) // (MIN_COLUMN + 1)))
        self._fit_window(ncols)
        base = (available - (ncols - 1)) // ncols
        extra = (available - (ncols - 1)) - base * ncols
        cols: list[Column] = []
        x = self._gutter
        for i in range(ncols):
            w = base + (1 if i < extra else 0)
            cols.append(Column(self.window_start + i, x, max(1, w)))
            x += w + 1
        self._columns = cols
        self._heights = [self._row_height(r) for r in self.reading.visible]
        self._offsets = [0, *accumulate(self._heights)]
        self.virtual_size = Size(width, self._offsets[-1])
        self.refresh()
        self.post_message(self.Changed(self))

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
        if not self.wrap:
            return 1
        return max((len(self._lines_of(row, c.source, c.width - 1)) for c in self._columns), default=1)

    def on_resize(self, event: events.Resize) -> None:
        if self._content_width() != self._layout_width:
            self.relayout()
            self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        """Theme or CSS changed: every cached strip carries stale colours."""
        super().notify_style_update()
        self._strips.clear()
        self._base_style = None

    @property
    def base_style(self) -> Style:
        """The widget's own style, kept until the CSS changes (it is asked for per line)."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    # ----------------------------------------------------------- navigation

    def row_span(self, row: int) -> tuple[int, int] | None:
        """``(first virtual line, height)`` of a visible row."""
        if self.reading is None:
            return None
        pos = self.reading.position(row)
        if pos is None or pos >= len(self._heights):
            return None
        return self._offsets[pos], self._heights[pos]

    def row_at(self, y: int) -> int | None:
        """The visible row drawn at virtual line ``y``."""
        if self.reading is None or not self.reading.visible or y < 0 or y >= self._offsets[-1]:
            return None
        pos = bisect_right(self._offsets, y) - 1
        return self.reading.visible[pos]

    def source_at(self, x: int) -> int | None:
        for col in self._columns:
            if col.x <= x < col.x + col.width + 1:
                return col.source
        return None

    def move_to(self, row: int | None, *, center: bool = False) -> None:
        """Put the cursor on ``row`` (must be visible) and bring it into view."""
        if row == self.cursor:
            return
        old = self.cursor
        self.cursor = row
        for changed in (old, row):
            if changed is None:
                continue
            self._strips.pop(changed, None)
            span = self.row_span(changed)
            if span is not None:
                self.refresh_lines(*span)  # only the two rows whose look changed
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
            self.relayout()  # different columns: heights change
            self.scroll_to_cursor()
        else:
            if self.cursor is not None:
                self._strips.pop(self.cursor, None)
            self.refresh()
            self.post_message(self.Changed(self))

    def scroll_to_cursor(self, *, center: bool = False) -> None:
        if self.cursor is None:
            return
        span = self.row_span(self.cursor)
        if span is None:
            return
        y, h = span
        height = self.scrollable_content_region.height
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
                gap = self.get_component_rich_style("parallel--gap")
                return Strip([Segment("  " + text, gap)]).adjust_cell_length(width, base)
            return Strip.blank(width, base)
        vy = y + self.scroll_offset.y
        if vy >= self._offsets[-1]:
            return Strip.blank(width, base)
        pos = bisect_right(self._offsets, vy) - 1
        row = self.reading.visible[pos]
        lines = self._strips.get(row)
        if lines is None:
            lines = self._render_row(row, self._heights[pos])
            if len(self._strips) > 2000:
                self._strips.clear()
            self._strips[row] = lines
        return lines[vy - self._offsets[pos]].adjust_cell_length(width, base)

    def _render_row(self, row: int, height: int) -> list[Strip]:
        """All the lines of one row, gutter and every visible column."""
        assert self.alignment is not None and self.reading is not None
        style = self.get_component_rich_style
        is_cursor = row == self.cursor
        base = style("parallel--cursor") if is_cursor else self.base_style
        kind = self.reading.kinds[row]
        diff = self.diff(row)
        n = len(self.alignment.sources)
        alignment_row = self.alignment.rows[row]

        # gutter: cursor mark, kind glyph, coverage count, flag marker, uncertain marker, annotation mark
        count_w = self._gutter - 6
        gutter_lines: list[list[Segment]] = []
        flagged = bool(diff and diff.flags)
        first = [
            Segment("▶" if is_cursor else " ", base + style("parallel--gutter", partial=True)),
            Segment(GLYPHS[kind], base + style(f"parallel--{kind}", partial=True)),
            Segment(f" {alignment_row.count}/{n}".rjust(count_w + 1), base + style("parallel--gutter", partial=True)),
            Segment("⚑" if flagged else " ", base + style("parallel--flag-marker", partial=True)),
            Segment("?" if self.reading.uncertain(row) else " ", base + style("parallel--uncertain", partial=True)),
            Segment(self.marks[row], base + style("parallel--note", partial=True))
            if row in self.marks
            else Segment(" ", base),
        ]
        gutter_lines.append(first)
        bar = Segment("▌" if is_cursor else " ", base + style("parallel--gutter", partial=True))
        for _ in range(1, height):
            gutter_lines.append([bar, Segment(" " * (self._gutter - 1), base)])

        separator = Segment("│", base + style("parallel--separator", partial=True))
        out: list[list[Segment]] = gutter_lines
        elsewhere = self._elsewhere(row)
        for i, col in enumerate(self._columns):
            cell = self._render_cell(row, col, height, is_cursor, kind, diff, elsewhere if i == 0 else "")
            for line_no in range(height):
                if i:
                    out[line_no].append(separator)
                out[line_no].extend(cell[line_no])
        return [Strip(segments) for segments in out]

    def _elsewhere(self, row: int) -> str:
        """For a row no visible pane has: where it is, so the band is not a mystery."""
        assert self.alignment is not None
        shown = {c.source for c in self._columns}
        present = self.alignment.rows[row].coverage
        if not present or any(s in shown for s in present):
            return ""
        first, last = self._columns[0].source, self._columns[-1].source
        arrow = "‹" if all(s < first for s in present) else "›" if all(s > last for s in present) else "‹›"
        if len(present) == 1:
            return f"{arrow} only in {clean(self.alignment.sources[present[0]].label)}"
        return f"{arrow} in {len(present)} sources off screen"

    def _render_cell(
        self,
        row: int,
        col: Column,
        height: int,
        is_cursor: bool,
        kind: str,
        diff: RowDiffLike | None,
        elsewhere: str = "",
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
            gap = elsewhere or GAP_TEXT
            if cell_len(gap) > width - 1:
                gap = gap[: max(1, width - 2)] + "…"
            first = [Segment(" ", cell_base), Segment(gap, cell_base + style("parallel--gap", partial=True))]
            strip = Strip(first).adjust_cell_length(width, cell_base)
            return [list(strip)] + [blank] * (height - 1)

        assert look is not None
        mask = self._mask(row, col.source, look, diff)
        styles = {
            0: cell_base,
            _DIFF: cell_base + style("parallel--diff", partial=True),
            _FLAG: cell_base + style("parallel--flag", partial=True),
            _SEARCH: style("parallel--search"),
        }
        summary_style = style("parallel--summary", partial=True)
        tag_style = cell_base + style("parallel--summary-tag", partial=True)

        def style_of(bits: int) -> Style:
            if bits & _TAG:
                return tag_style
            if bits & _SEARCH:
                found = styles[_SEARCH] + (style("parallel--flag", partial=True) if bits & _FLAG else Style())
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

    def _mask(self, row: int, source: int, look: CellLook, diff: RowDiffLike | None) -> bytearray:
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
            for start, end in diff.unique.get(source, ()):
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
