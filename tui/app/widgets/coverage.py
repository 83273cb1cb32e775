"""The coverage map: the whole story's shape in a strip a few columns wide.

Each line is one row of the alignment (or a bucket of consecutive rows when
there are more rows than lines), each character one source (or a group of
sources when there are too many to fit): a full block where the source has
the row, a dot where it leaves it out, shades in between for buckets. The
marker column left of them holds the cursor (▶), the reader's notes (★ ✎),
a ``?`` where a row is uncertain (its links are weak) and ``│`` for the rows
on screen. A reader sees at a glance where outlets agree, where one runs on
alone, and where they are; a click jumps there.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tui.core.model import Alignment
from tui.core.omissions import is_uncertain

from tui.app.reading import ALL, ONE, row_kind

#: Most characters the map spends on sources; more sources share a character.
MAX_SOURCE_CHARS = 12
_SHADES = " ░▒▓█"


def _ink(full: Style) -> Style:
    """A full component style's colour alone: the partial style loses the alpha of ``$foreground 30%``."""
    return Style(color=full.color)


class CoverageMap(Widget):
    """Rows × sources at a glance; the current row and the rows on screen marked."""

    COMPONENT_CLASSES = {
        "coverage--all",
        "coverage--some",
        "coverage--one",
        "coverage--absent",
        "coverage--current",
        "coverage--in-view",
        "coverage--hidden",
        "coverage--note",
        "coverage--uncertain",
    }

    DEFAULT_CSS = """
    CoverageMap {
        width: auto;
        height: 1fr;
        background: $panel;
        padding: 0 1 0 0;
        & > .coverage--all { color: $success; }
        & > .coverage--some { color: $warning; }
        & > .coverage--one { color: $accent; }
        & > .coverage--absent { color: $foreground 30%; }
        & > .coverage--current { background: $primary 60%; color: $text; }
        & > .coverage--in-view { color: $text-primary; }
        & > .coverage--hidden { color: $foreground 15%; }
        & > .coverage--note { color: $text-accent; text-style: bold; }
        & > .coverage--uncertain { color: $text-warning; }
    }
    """

    @dataclass
    class Jump(Message):
        """The reader clicked the map: go to this row."""

        row: int

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.alignment: Alignment | None = None
        self.current: int | None = None
        self.in_view: tuple[int, int] = (0, -1)
        self.shown: frozenset[int] | None = None
        self._cache: dict[tuple, Strip] = {}
        #: row → annotation mark (★/✎), shown in the marker column where no cursor is
        self.marks: dict[int, str] = {}
        #: before the alignment: how many sources it will have, so the map takes its width (empty) from the
        #: first frame and the panes beside it keep theirs when the rows arrive
        self.expected_sources = 0

    # ------------------------------------------------------------- data in

    def load(self, alignment: Alignment) -> None:
        self.alignment = alignment
        self._cache.clear()
        self.refresh(layout=True)

    def expect(self, n_sources: int) -> None:
        """Take the width of a map of ``n_sources`` sources now, before the alignment is loaded."""
        if n_sources != self.expected_sources:
            self.expected_sources = n_sources
            self.refresh(layout=True)

    def set_notes(self, marks: dict[int, str]) -> None:
        """Rows the reader annotated changed; they get a ★/✎ in the marker column."""
        if marks != self.marks:
            self.marks = dict(marks)
            self._cache.clear()
            self.refresh()

    def update_marks(self, current: int | None, in_view: tuple[int, int], shown: frozenset[int] | None) -> None:
        """Move the current-row and in-view marks; ``shown`` are the rows the filter keeps."""
        if shown is not self.shown or in_view != self.in_view:
            if shown is not self.shown:
                self._cache.clear()
            self.current, self.in_view, self.shown = current, in_view, shown
            self.refresh()
        elif current != self.current:
            # only the lines holding the old and the new current row change
            for row in (self.current, current):
                if row is not None:
                    self.refresh(Region(0, self.line_of(row), self.size.width, 1))
            self.current = current

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # ------------------------------------------------------------ geometry

    @property
    def source_chars(self) -> int:
        if self.alignment is None:
            return min(self.expected_sources, MAX_SOURCE_CHARS)
        return min(len(self.alignment.sources), MAX_SOURCE_CHARS)

    def get_content_width(self, container, viewport) -> int:  # noqa: ANN001 - Textual's signature
        return self.source_chars + 1

    def rows_per_line(self) -> int:
        if self.alignment is None:
            return 1
        height = max(1, self.size.height)
        n = len(self.alignment.rows)
        return max(1, -(-n // height))

    def bucket(self, y: int) -> range:
        per = self.rows_per_line()
        n = len(self.alignment.rows) if self.alignment else 0
        return range(min(n, y * per), min(n, (y + 1) * per))

    def line_of(self, row: int) -> int:
        return row // self.rows_per_line()

    # ------------------------------------------------------------ render

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self.alignment is None:
            return Strip.blank(width, base)
        rows = self.bucket(y)
        if not rows:
            return Strip.blank(width, base)
        current = self.current is not None and self.current in rows
        lo, hi = self.in_view
        visible = any(lo <= r <= hi for r in rows)
        key = (y, rows.start, rows.stop, current, visible, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render(rows, current, visible).adjust_cell_length(width, base)
            self._cache[key] = strip
        return strip

    def _render(self, rows: range, current: bool, visible: bool) -> Strip:
        assert self.alignment is not None
        style = self.get_component_rich_style
        base = style("coverage--current") if current else self.rich_style
        n = len(self.alignment.sources)
        chars = self.source_chars
        note = next((self.marks[r] for r in rows if r in self.marks), None)
        if note == "✎" and any(self.marks.get(r) == "★" for r in rows):
            note = "★"
        # an uncertain row (weak links) shows "?" where no cursor or note claims the marker column
        uncertain = note is None and any(is_uncertain(self.alignment.rows[r]) for r in rows)
        marker = "▶" if current else (note or ("?" if uncertain else "│" if visible else " "))
        marker_style = ("coverage--note" if note and not current
                        else "coverage--uncertain" if uncertain and not current and not visible
                        else "coverage--in-view")
        segments = [Segment(marker, base + style(marker_style, partial=True))]
        row_objs = [self.alignment.rows[r] for r in rows]
        kept = [r for r in rows if self.shown is None or r in self.shown]
        kinds = {row_kind(self.alignment.rows[r], n) for r in kept}
        kind = ALL if kinds == {ALL} else ONE if kinds == {ONE} else "some"
        present_style: Style = base + style(f"coverage--{kind}", partial=True)
        if not kept:
            present_style = base + _ink(style("coverage--hidden"))
        absent_style = base + _ink(style("coverage--absent"))
        for c in range(chars):
            group = range(c * n // chars, (c + 1) * n // chars)
            total = len(group) * len(row_objs)
            have = sum(1 for row in row_objs for s in group if row.cells[s])
            if have == 0:
                segments.append(Segment("·", absent_style))
            elif have == total:
                segments.append(Segment("█", present_style))
            else:
                level = 1 + (have * 3) // total
                segments.append(Segment(_SHADES[min(level, 3)], present_style))
        return Strip(segments)

    def on_click(self, event: events.Click) -> None:
        rows = self.bucket(event.y)
        if rows:
            self.post_message(self.Jump(rows.start))
