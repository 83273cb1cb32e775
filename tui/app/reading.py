"""What the reader knows about an alignment beyond the rows themselves.

Row kinds, filters, "next row that ..." searches and per-source statistics
are plain functions of an :class:`~tui.core.model.Alignment`; keeping them
here, away from widgets, means the navigation rules can be tested without
starting an app and the widgets stay a thin view.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.core.model import Alignment, Row

from tui.app.textutil import clean

#: Row kinds: every source has it, some do, only one does.
ALL, SOME, ONE = "all", "some", "one"

#: Filters in the order ``f`` cycles through them, with the label shown.
FILTERS: tuple[str, ...] = ("all", "shared", "partial", "unique")
FILTER_LABELS: dict[str, str] = {
    "all": "all rows",
    "shared": "shared by all",
    "partial": "partial",
    "unique": "unique",
}
GLYPHS: dict[str, str] = {ALL: "●", SOME: "◐", ONE: "○"}


def row_kind(row: Row, n_sources: int) -> str:
    count = row.count
    if count >= n_sources:
        return ALL
    if count <= 1:
        return ONE
    return SOME


def passes(kind: str, filter_name: str) -> bool:
    """Whether a row of ``kind`` is shown under ``filter_name``."""
    if filter_name == "shared":
        return kind == ALL
    if filter_name == "partial":
        return kind == SOME
    if filter_name == "unique":
        return kind == ONE
    return True


@dataclass(frozen=True, slots=True)
class SourceStats:
    """How one source relates to the others, for the sources panel."""

    source: int
    label: str
    sentences: int
    #: of its sentences, how many sit in a row another source also has
    shared: int
    #: rows only this source has
    only: int
    #: rows this source leaves out
    missing: int

    @property
    def shared_share(self) -> float:
        return self.shared / self.sentences if self.sentences else 0.0


def source_stats(alignment: Alignment) -> list[SourceStats]:
    n = len(alignment.sources)
    shared = [0] * n
    only = [0] * n
    missing = [0] * n
    for row in alignment.rows:
        count = row.count
        for s, cell in enumerate(row.cells):
            if cell is None:
                missing[s] += 1
            elif count == 1:
                only[s] += 1
            else:
                shared[s] += 1
    return [
        SourceStats(s, clean(src.label), len(src.sentences), shared[s], only[s], missing[s])
        for s, src in enumerate(alignment.sources)
    ]


def headline(alignment: Alignment) -> str:
    """The story's headline: the pivot's title, else its first sentence."""
    if not alignment.sources:
        return ""
    pivot = alignment.sources[min(alignment.pivot, len(alignment.sources) - 1)]
    if pivot.title:
        return clean(pivot.title)
    if pivot.sentences:
        return clean(pivot.sentences[0].text)
    return clean(pivot.label)


def story_slug(alignment: Alignment | None) -> str:
    """A file-name-safe word or three from the headline, for default session and export names."""
    text = headline(alignment) if alignment is not None else "story"
    words = re.findall(r"[a-z0-9]+", text.lower())[:4]
    return "-".join(words) or "story"


class Reading:
    """The alignment as the reader sees it: row kinds and the filtered row list."""

    def __init__(self, alignment: Alignment, filter_name: str = "all") -> None:
        self.alignment = alignment
        self.n_sources = len(alignment.sources)
        self.kinds: list[str] = [row_kind(r, self.n_sources) for r in alignment.rows]
        self.filter = filter_name
        self.visible: list[int] = []
        self._position: dict[int, int] = {}
        self._lower: dict[tuple[int, int], str] = {}
        self.set_filter(filter_name)

    def set_filter(self, filter_name: str) -> None:
        self.filter = filter_name
        self.visible = [i for i, k in enumerate(self.kinds) if passes(k, filter_name)]
        self._position = {row: pos for pos, row in enumerate(self.visible)}

    def position(self, row: int) -> int | None:
        """Index of ``row`` among visible rows, or None if the filter hides it."""
        return self._position.get(row)

    def nearest_visible(self, row: int) -> int | None:
        """The visible row closest to ``row`` (ties go forward), None if none is."""
        if not self.visible:
            return None
        if row in self._position:
            return row
        from bisect import bisect_left

        i = bisect_left(self.visible, row)
        candidates = [self.visible[j] for j in (i - 1, i) if 0 <= j < len(self.visible)]
        return min(candidates, key=lambda r: (abs(r - row), -r))

    def step(self, cursor: int | None, delta: int) -> int | None:
        """The visible row ``delta`` rows on from ``cursor`` (clamped to the ends; the first when there is no cursor)."""
        if not self.visible:
            return None
        pos = self.position(cursor) if cursor is not None else None
        pos = 0 if pos is None else max(0, min(len(self.visible) - 1, pos + delta))
        return self.visible[pos]

    def find(
        self, start: int | None, predicate: Callable[[int], bool], forward: bool = True
    ) -> int | None:
        """First visible row after (or before) row ``start`` that satisfies ``predicate``."""
        if not self.visible:
            return None
        pos = self._position.get(start, -1) if start is not None else -1
        if forward:
            order: Sequence[int] = self.visible[pos + 1 :]
        else:
            order = self.visible[:pos][::-1] if pos >= 0 else []
        for row in order:
            if predicate(row):
                return row
        return None

    # predicates -----------------------------------------------------------

    def is_partial(self, row: int) -> bool:
        return self.kinds[row] != ALL

    def only_in(self, row: int, source: int) -> bool:
        r = self.alignment.rows[row]
        return r.count == 1 and r.cells[source] is not None

    def left_out_by(self, row: int, source: int) -> bool:
        return self.alignment.rows[row].cells[source] is None

    def matches(self, row: int, query: str) -> bool:
        """Case-insensitive substring match in any source's sentence of the row."""
        q = query.lower()
        for s in range(self.n_sources):
            text = self.lower_text(row, s)
            if text is not None and q in text:
                return True
        return False

    def lower_text(self, row: int, source: int) -> str | None:
        key = (row, source)
        if key not in self._lower:
            text = self.alignment.cell_text(row, source)
            if text is None:
                return None
            self._lower[key] = clean(text).lower()
        return self._lower[key]

    def search(self, query: str) -> list[int]:
        """Visible rows whose text contains ``query`` (all of them, in order)."""
        if not query:
            return []
        return [r for r in self.visible if self.matches(r, query)]
