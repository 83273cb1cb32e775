"""What the reader is looking at, kept apart from the widgets that show it.

The reader screen used to carry this as two dozen loose attributes, changed
from many places, each followed by its own hand-placed refresh. Here it is
one plain object: the alignment on screen and the one it was built from,
the filter, the search and its matches, the sentence cut with ``x``, the
annotations by row. Its methods keep the derived parts (the filtered
:class:`~tui.app.reading.Reading`, the search matches) consistent, and the
choices that are pure logic (which match is next, where the cursor goes
after a change) are answered here, testable without an app. The screen
changes the state, then calls its one ``refresh_view()``.

No Textual here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.model import AlignSettings, Alignment, Annotation, Source

from tui.app.diffs import Differ, no_diff
from tui.app.reading import FILTERS, Reading
from tui.app.textutil import clean


def row_of(alignment: Alignment, source: int, index: int) -> int | None:
    """The row of ``alignment`` holding sentence ``index`` of ``source``, if any."""
    for r, row in enumerate(alignment.rows):
        if row.holds(source, index):
            return r
    return None


def members_of(alignment: Alignment, row: int, focus: int | None = None) -> list[tuple[int, int]]:
    """The row's sentences as (source, index), the ``focus`` source first when given.

    What the cursor should follow after a change: the row may be renumbered,
    the sentences are not.
    """
    cells = alignment.rows[row].cells
    order = range(len(cells)) if focus is None else [focus, *(s for s in range(len(cells)) if s != focus)]
    return [(s, i) for s in order for i in cells[s]]


@dataclass
class ReaderState:
    """The reader's model: everything a key can change, nothing a widget owns."""

    sources: tuple[Source, ...]
    settings: AlignSettings
    #: the aligner's own rows; what is shown is this with the session's fixes applied
    base: Alignment | None = None
    #: the rows on screen
    alignment: Alignment | None = None
    #: row kinds and the filtered row list of ``alignment``
    reading: Reading | None = None
    #: row → the reader's annotation, for the alignment on screen
    annotations: dict[int, Annotation] = field(default_factory=dict)
    #: (source, index) of the sentence cut with ``x``, waiting for ``v``
    cut: tuple[int, int] | None = None
    filter_name: str = "all"
    search_text: str = ""
    #: visible rows matching ``search_text``, in reading order
    matches: list[int] = field(default_factory=list)
    #: what the header says the reader is doing ("aligning…"), empty when idle
    status: str = "aligning…"
    #: the cursor's row when the search box opened: typing searches from there
    search_origin: int | None = None
    #: the session has a view (row, filter, focus) to restore at the next alignment
    restore_view: bool = False
    #: compares a row (word highlights, flags); the reading keeps its answers
    differ: Differ = no_diff

    def label(self, source: int) -> str:
        """The source's label, safe to show."""
        return clean(self.sources[source].label) if source < len(self.sources) else "?"

    # ----------------------------------------------------------- changes

    def show(self, alignment: Alignment, annotations: dict[int, Annotation] | None = None) -> None:
        """Make ``alignment`` the one on screen (with its ``annotations``), under the current filter and search."""
        self.alignment = alignment
        if annotations is not None:
            self.annotations = annotations
        self.reading = Reading(alignment, self.filter_name, differ=self.differ, annotated=set(self.annotations))
        self._recompute_matches()

    def set_filter(self, filter_name: str) -> None:
        self.filter_name = filter_name
        if self.reading is not None:
            self.reading.set_filter(filter_name)
        self._recompute_matches()

    def cycle_filter(self) -> str:
        """Move on to the next filter (all → shared → partial → unique → all); returns it."""
        self.set_filter(FILTERS[(FILTERS.index(self.filter_name) + 1) % len(FILTERS)])
        return self.filter_name

    def set_query(self, query: str) -> None:
        self.search_text = query
        self._recompute_matches()

    def _recompute_matches(self) -> None:
        self.matches = self.reading.search(self.search_text) if self.reading is not None else []

    # ----------------------------------------------------------- questions

    def row_of(self, source: int, index: int) -> int | None:
        return row_of(self.alignment, source, index) if self.alignment is not None else None

    def members(self, row: int, focus: int) -> list[tuple[int, int]]:
        assert self.alignment is not None
        return members_of(self.alignment, row, focus)

    def first_match_from_origin(self) -> int | None:
        """Where typing in the search box goes: the first match at or after where the search began."""
        if not self.search_text or self.reading is None:
            return None
        origin = self.search_origin
        origin_pos = self.reading.position(origin) if origin is not None else 0
        for row in self.matches:
            pos = self.reading.position(row)
            if pos is not None and pos >= (origin_pos or 0):
                return row
        return self.matches[0] if self.matches else None

    def next_match(self, cursor: int | None, direction: int) -> tuple[int, bool] | None:
        """The next (``direction`` > 0) or previous match from ``cursor``, wrapping around.

        Returns the row and whether to say the search wrapped (it did, and
        that is news: more than one match, or it moved the cursor); None when
        nothing matches.
        """
        if not self.matches or self.reading is None:
            return None
        reading, matches = self.reading, self.matches
        pos = reading.position(cursor) if cursor is not None else -1
        positions = [reading.position(r) for r in matches]
        if direction > 0:
            after = [r for r, p in zip(matches, positions) if p is not None and p > (pos if pos is not None else -1)]
            target = after[0] if after else matches[0]
            wrapped = not after
        else:
            before = [r for r, p in zip(matches, positions) if p is not None and pos is not None and p < pos]
            target = before[-1] if before else matches[-1]
            wrapped = not before
        return target, bool(wrapped and len(matches) > 1 or (wrapped and target != cursor))
