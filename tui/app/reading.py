"""What the reader knows about an alignment beyond the rows themselves.

Row kinds, filters, "next row that ..." searches and per-source statistics
are plain functions of an :class:`~tui.core.model.Alignment`; keeping them
here, away from widgets, means the navigation rules can be tested without
starting an app and the widgets stay a thin view.

What a source *leaves out* is not "every row it lacks" but the core's
omission model (:func:`tui.core.omissions.omissions`): the widely reported
rows it lacks. ``o``, ``n``, the sources panel and the omissions list all
read it from :attr:`Reading.model`, so they agree with ``parallax
omissions`` and the CSV's ``left_out_by``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tui.core.model import Alignment, Row, Source
from tui.core.omissions import Omissions, omissions
from tui.core.rowid import row_ids

from tui.app.diffs import Differ, RowDiffLike, no_diff
from tui.app.textutil import clean

#: Row kinds: every source has it, some do, only one does.
ALL, SOME, ONE = "all", "some", "one"

#: Filters in the order ``f`` cycles through them, with the label shown.
FILTERS: tuple[str, ...] = ("all", "shared", "partial", "unique", "flagged", "annotated")
FILTER_LABELS: dict[str, str] = {
    "all": "all rows",
    "shared": "shared by all",
    "partial": "partial",
    "unique": "unique",
    "flagged": "flagged ⚑",
    "annotated": "annotated ★✎",
}
#: Filters that depend on more than a row's coverage (its flags, the reader's notes).
ROW_FILTERS = frozenset({"flagged", "annotated"})
GLYPHS: dict[str, str] = {ALL: "●", SOME: "◐", ONE: "○"}


def row_kind(row: Row, n_sources: int) -> str:
    count = row.count
    if count >= n_sources:
        return ALL
    if count <= 1:
        return ONE
    return SOME


def passes(kind: str, filter_name: str) -> bool:
    """Whether a row of ``kind`` is shown under ``filter_name`` (for the coverage filters)."""
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
    #: rows only this source has (U of "reports U rows no one else does")
    only: int
    #: widely reported rows it leaves out (K of "leaves out K of the M widely reported rows")
    left_out: int
    #: widely reported rows in the whole alignment (M)
    widely: int

    @property
    def shared_share(self) -> float:
        return self.shared / self.sentences if self.sentences else 0.0


def source_stats(alignment: Alignment, model: Omissions | None = None) -> list[SourceStats]:
    """Per source: sentences, the share also reported elsewhere, its unique rows and its omissions."""
    model = model or omissions(alignment)
    n = len(alignment.sources)
    shared = [0] * n
    for row in alignment.rows:
        if row.count > 1:
            for s in row.coverage:
                shared[s] += _sentences_in(row, s)
    return [
        SourceStats(s, clean(src.label), len(src.sentences), shared[s], model.sources[s].reports_unique,
                    model.sources[s].leaves_out, model.sources[s].widely_reported)
        for s, src in enumerate(alignment.sources)
    ]


def _sentences_in(row: Row, source: int) -> int:
    """How many sentences ``source`` has in ``row`` (a cell may hold one index or several)."""
    cell = row.cells[source]
    if cell is None:
        return 0
    return 1 if isinstance(cell, int) else len(cell)


def headline(alignment: Alignment) -> str:
    """The story's headline: the pivot's title, else its first sentence."""
    return source_headline(alignment.sources, alignment.pivot)


def source_headline(sources: Sequence[Source], pivot: int) -> str:
    """The headline :func:`headline` gives, from the sources and the pivot alone (before an alignment)."""
    if not sources:
        return ""
    source = sources[min(pivot, len(sources) - 1)]
    if source.title:
        return clean(source.title)
    if source.sentences:
        return clean(source.sentences[0].text)
    return clean(source.label)


def story_slug(alignment: Alignment | None) -> str:
    """A file-name-safe word or three from the headline, for default session and export names."""
    text = headline(alignment) if alignment is not None else "story"
    words = [w[:24] for w in re.findall(r"[a-z0-9]+", text.lower())[:4]]  # a 309-digit "word" is no file name
    return "-".join(words) or "story"


class Reading:
    """The alignment as the reader sees it: row kinds, omissions, flags and the filtered row list.

    ``differ`` compares a row (see :mod:`tui.app.diffs`); its results are
    kept here, once per row, for the panes, ``n`` and the flagged filter
    alike. ``annotated`` are the rows the reader has noted, tagged or starred.
    """

    def __init__(
        self,
        alignment: Alignment,
        filter_name: str = "all",
        *,
        differ: Differ = no_diff,
        annotated: frozenset[int] | set[int] = frozenset(),
    ) -> None:
        self.alignment = alignment
        self.n_sources = len(alignment.sources)
        self.kinds: list[str] = [row_kind(r, self.n_sources) for r in alignment.rows]
        #: who reports each row, who leaves it out, what is unique (the core's one rule)
        self.model: Omissions = omissions(alignment)
        #: each row's stable id (:mod:`tui.core.rowid`): what a note can cite, whatever the pivot
        self.ids: tuple[str, ...] = row_ids(alignment)
        self.differ = differ
        self.annotated: frozenset[int] = frozenset(annotated)
        self.filter = filter_name
        self.visible: list[int] = []
        self._position: dict[int, int] = {}
        self._lower: dict[tuple[int, int], str] = {}
        self._diffs: dict[int, RowDiffLike | None] = {}
        self._distinct: dict[int, dict[int, tuple[tuple[int, int], ...]]] = {}
        self._vocab: dict[int, frozenset[str]] = {}
        self.set_filter(filter_name)

    def set_filter(self, filter_name: str) -> None:
        self.filter = filter_name
        self.visible = [i for i in range(len(self.kinds)) if self.shows(i, filter_name)]
        self._position = {row: pos for pos, row in enumerate(self.visible)}

    def shows(self, row: int, filter_name: str | None = None) -> bool:
        """Whether ``row`` passes ``filter_name`` (default: the current filter)."""
        name = self.filter if filter_name is None else filter_name
        if name == "flagged":
            return self.is_flagged(row)
        if name == "annotated":
            return row in self.annotated
        return passes(self.kinds[row], name)

    def set_annotated(self, rows: frozenset[int] | set[int]) -> None:
        """The reader's annotated rows changed; under the annotated filter the visible rows follow."""
        self.annotated = frozenset(rows)
        if self.filter == "annotated":
            self.set_filter(self.filter)

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

    def diff(self, row: int) -> RowDiffLike | None:
        """The comparison of ``row``, computed once and kept."""
        if row not in self._diffs:
            self._diffs[row] = self.differ(self.alignment, row) if self.alignment.rows[row].count > 1 else None
        return self._diffs[row]

    def distinctive(self, row: int) -> dict[int, tuple[tuple[int, int], ...]]:
        """Per source, the spans of the row's distinctive words (see :func:`tui.core.compare.distinctive_spans`).

        Worked out from the differ's unique words, so a fixed test differ
        gets distinctive words too; the sources' vocabularies are read once,
        and only for sources that share a compared row.
        """
        found = self._distinct.get(row)
        if found is None:
            diff = self.diff(row)
            found = {}
            if diff is not None and diff.unique:
                from tui.core.compare import distinctive_spans

                try:
                    texts = {s: t for s in self.alignment.rows[row].coverage
                             if (t := self.alignment.cell_text(row, s)) is not None}
                    found = distinctive_spans(texts, diff.unique, {s: self.vocabulary(s) for s in texts})
                except Exception:  # noqa: BLE001 - a broken comparer must not take the view down
                    found = {}
            self._distinct[row] = found
        return found

    def vocabulary(self, source: int) -> frozenset[str]:
        """The content-word keys ``source`` uses anywhere in its article."""
        vocab = self._vocab.get(source)
        if vocab is None:
            from tui.core.compare import vocabulary

            vocab = self._vocab[source] = vocabulary(s.text for s in self.alignment.sources[source].sentences)
        return vocab

    def matching_sources(self, row: int, query: str) -> list[int]:
        """The sources whose sentence in ``row`` contains ``query`` (case-insensitive)."""
        q = query.lower()
        return [s for s in range(self.n_sources) if q and (t := self.lower_text(row, s)) is not None and q in t]

    def is_flagged(self, row: int) -> bool:
        """Outlets disagree on a number, date, name or quote here (spelling variants do not count)."""
        diff = self.diff(row)
        return bool(diff is not None and diff.flags)

    def matters(self, row: int) -> bool:
        """A row ``n`` stops at: widely reported and left out by someone, or flagged.

        Not every row some source lacks: most rows are one outlet's own
        detail, and stopping at each of them hid the rows that matter.
        """
        return bool(self.model.rows[row].left_out_by) or self.is_flagged(row)

    def is_partial(self, row: int) -> bool:
        return self.kinds[row] != ALL

    def only_in(self, row: int, source: int) -> bool:
        """Only ``source`` reports ``row``."""
        return self.model.only_in(source, row)

    def left_out_by(self, row: int, source: int) -> bool:
        """``source`` leaves out ``row``: widely reported, and it lacks it."""
        return self.model.leaves_out(source, row)

    def uncertain(self, row: int) -> bool:
        """The matcher's links in ``row`` are weak (see :data:`tui.core.omissions.UNCERTAIN_BELOW`)."""
        return self.model.rows[row].uncertain

    def matches(self, row: int, query: str) -> bool:
        """Case-insensitive substring match in any source's sentence of the row, or the row's id.

        A row id (``qgwjrw-12``, as a note or an export cites it) finds its
        row whatever the pivot; no article text looks like one.
        """
        q = query.lower()
        if q.strip() == self.ids[row]:
            return True
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
