"""How the parallel panes are painted: rows, folds and cells as Line-API strips.

Split from :mod:`tui.app.widgets.parallel` (which owns the data, the layout
and the line index): this mixin turns one item of that index into the
:class:`~textual.strip.Strip` lines the screen shows, with the gutter
marks, the quiet gaps, the word highlights, the flags and the search hits.
It reads the view's state and never changes it, except for the cache of
rendered strips.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.app.cellview import CellLook
from tui.app.diffs import RowDiffLike
from tui.app.reading import GLYPHS, ONE
from tui.app.textutil import clean, truncate
from tui.app.widgets.draft import draft_columns

if TYPE_CHECKING:
    import re

    from tui.core.model import Alignment, Source

    from tui.app.reading import Reading

#: What a pane shows where its source has nothing in a row: a faint dot.
GAP_TEXT = "·"
#: ... and where it leaves out a widely reported row (the omission model's verdict).
LEFT_OUT_TEXT = "· left out"

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



class PanePainting:
    """The rendering half of :class:`~tui.app.widgets.parallel.ParallelView` (a mixin)."""

    if TYPE_CHECKING:  # provided by ParallelView
        alignment: Alignment | None
        reading: Reading | None
        cursor: int | None
        focus_source: int
        wrap: bool
        highlight: str
        message_text: str
        marks: dict[int, str]
        _query_re: re.Pattern[str] | None
        _columns: list[Column]
        _gutter: int
        _items: list[tuple[int, ...]]
        _folded: list[bool]
        _heights: list[int]
        _offsets: list[int]
        _strips: dict[int, list[Strip]]
        draft: tuple[Source, ...]
        _draft_text: list[list[str]] | None

        @property
        def shown_sources(self) -> range: ...
        @property
        def base_style(self) -> Style: ...
        def get_component_rich_style(self, *names: str, partial: bool = False) -> Style: ...
        def _ink(self, name: str) -> Style: ...
        def _off_screen(self, row: int) -> bool: ...
        def _cells_of(self, row: int) -> list[Column]: ...
        def _lines_of(self, row: int, source: int, width: int) -> list[tuple[int, int]]: ...
        def wraps(self, row: int) -> bool: ...
        def text(self, row: int, source: int) -> str | None: ...
        def look(self, row: int, source: int) -> CellLook | None: ...
        def diff(self, row: int) -> RowDiffLike | None: ...
        def fit_draft(self) -> None: ...

    # ------------------------------------------------------------- rendering

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        base = self.base_style
        if self.alignment is None and self.draft and not self.message_text:
            return self._render_draft(y, width, base)
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

    def _render_draft(self, y: int, width: int, base: Style) -> Strip:
        """Line ``y`` of the panes before the alignment: each article as written, no gutter, muted."""
        self.fit_draft()
        if self._draft_text is None:
            height = max(1, self.scrollable_content_region.height or self.size.height)
            self._draft_text = draft_columns(self.draft, [(c.source, c.width - 1) for c in self._columns], height)
        ink = base + self._ink("parallel--draft")
        separator = Segment("│", base + self._ink("parallel--separator"))
        segments = [Segment(" " * self._gutter, base)]
        for i, (col, lines) in enumerate(zip(self._columns, self._draft_text)):
            if i:
                segments.append(separator)
            text = lines[y] if y < len(lines) else ""
            segments.extend(Strip([Segment(" ", base), Segment(text, ink)]).adjust_cell_length(col.width, base))
        return Strip(segments).adjust_cell_length(width, base)

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
        if self.wraps(row):
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
        return lines[:height] if not self.wraps(row) else lines

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
