"""Where the parallel panes are: folds, the cursor, the focused source and the window of panes.

Split from :mod:`tui.app.widgets.parallel` (which owns the data, the layout
and the line index): this mixin answers "which row is at this line", "where
does a step, a page or a jump land" and slides the window of panes so the
source a jump is about is on screen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.strip import Strip

    from tui.core.model import Alignment

    from tui.app.reading import Reading
    from tui.app.widgets.painting import Column


class PaneSteering:
    """The navigation half of :class:`~tui.app.widgets.parallel.ParallelView` (a mixin)."""

    if TYPE_CHECKING:  # provided by ParallelView and Textual's ScrollView
        alignment: Alignment | None
        reading: Reading | None
        cursor: int | None
        focus_source: int
        window_start: int
        wrap: bool
        _columns: list[Column]
        _items: list[tuple[int, ...]]
        _folded: list[bool]
        _item_of: dict[int, int]
        _heights: list[int]
        _offsets: list[int]
        _unfolded: set[int]
        _strips: dict[int, list[Strip]]

        @property
        def shown_sources(self) -> range: ...
        def relayout(self) -> None: ...
        def _fit_window(self, ncols: int) -> None: ...

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
        if not self.wrap:
            # compact mode draws the cursor's row whole: the two rows change height
            self.relayout()
            self.scroll_to_cursor(center=center)
            return
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
        # keep one line of context around the cursor where there is room: in a view of a line
        # or two (panels open at 80×24) that line would be all there is, and the cursor's row hidden
        top = self.scroll_offset.y
        context = 1 if height > 3 else 0
        if y < top + context:
            self.scroll_to(y=max(0, y - context), animate=False, immediate=True)
        elif y + h > top + height - context:
            target = y + h - height + context if h < height - context else y
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

