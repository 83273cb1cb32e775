"""What each outlet leaves out: the omission model every view and export shares.

A row that some source lacks is not, by itself, that source's omission. In a
story told by five outlets most rows are one outlet's colour (a quote, a
local detail, a line of opinion); if "lacks the row" meant "leaves it out",
every outlet would leave out almost everything, and the careful wire report
would look worse than the opinion piece that skips the key facts. So the
model makes three distinctions:

* a row is **widely reported** when at least ``min_share`` of the sources,
  and at least two, have it (the default share is one half);
* a source **leaves out** a widely reported row it lacks;
* a row only one source has is **unique** to that source, and nobody's
  omission.

Rows made only of summary lines (headlines, headings, an outlet's leading
"key points" bullets) are never widely reported: an outlet without a
headline row has not left out a fact, the facts are in the body.

:func:`omissions` is the one place these rules live. The reader (``o``,
``u``, ``n``, the sources panel, the omissions list), ``parallax omissions``,
the wide CSV's ``left_out_by`` column and the batch tools built on them all
call it, so they cannot disagree. It is cheap (one pass over the rows) and
pure: the same alignment and share give the same answer.

The model only reads ``Row.coverage`` and ``Row.count``, never the shape of
a cell, and the row's sentences only through :func:`_sentences`, so it does
not care whether a cell holds one sentence or several.

Confidence lives here too, because it qualifies the same facts: a row whose
sentences the matcher links with a mean probability under
:data:`UNCERTAIN_BELOW` is *uncertain* (about even odds that they report the
same thing), and the reader marks it so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.model import SUMMARY, AlignSettings, Alignment, Row

__all__ = [
    "DEFAULT_MIN_SHARE",
    "UNCERTAIN_BELOW",
    "Omissions",
    "RowOmission",
    "SourceOmissions",
    "example",
    "is_uncertain",
    "needed_sources",
    "omissions",
]

#: Share of the sources a row needs (with at least two) to be widely reported.
DEFAULT_MIN_SHARE: float = AlignSettings().min_share

#: A row whose score (the mean calibrated probability of its links) is below
#: this is uncertain: at best even odds that its sentences report the same
#: thing. On the gold stories about half the multi-source rows under 0.5 hold
#: a wrong link, against about one in eight above it.
UNCERTAIN_BELOW: float = 0.5

@dataclass(frozen=True, slots=True)
class RowOmission:
    """One row as the omission model sees it."""

    #: the row's index in the alignment (the ``row`` column of every export)
    row: int
    #: sources that have a sentence in the row, in corpus order
    reporters: tuple[int, ...]
    #: sources that leave the row out: empty unless it is widely reported
    left_out_by: tuple[int, ...]
    #: at least ``min_share`` of the sources, and two, report it (and it is not summary only)
    widely_reported: bool
    #: only headlines, headings or leading key-point bullets: never widely reported
    summary: bool = False
    #: the matcher's links in it are weak (score under :data:`UNCERTAIN_BELOW`)
    uncertain: bool = False

    @property
    def unique(self) -> bool:
        """Only one source has it: its own, not an omission of anyone else."""
        return len(self.reporters) == 1

    @property
    def omitted(self) -> bool:
        """Widely reported and still left out by someone: a row worth stopping at."""
        return bool(self.left_out_by)


@dataclass(frozen=True, slots=True)
class SourceOmissions:
    """One source's account: what it leaves out and what only it reports."""

    source: int
    #: widely reported rows it lacks, in reading order
    left_out: tuple[int, ...]
    #: rows only it has, in reading order
    unique: tuple[int, ...]
    #: how many rows are widely reported in the whole alignment (the M of "K of M")
    widely_reported: int

    @property
    def leaves_out(self) -> int:
        """K in "leaves out K of the M widely reported rows"."""
        return len(self.left_out)

    @property
    def reports_unique(self) -> int:
        """U in "reports U rows no one else does"."""
        return len(self.unique)


@dataclass(frozen=True, slots=True)
class Omissions:
    """The omission model of one alignment at one share (see :func:`omissions`)."""

    #: the share asked for
    min_share: float
    #: sources a row needs to be widely reported: ``ceil(min_share * sources)``, at least 2
    needed: int
    #: one entry per row of the alignment, same order
    rows: tuple[RowOmission, ...]
    #: one entry per source, corpus order
    sources: tuple[SourceOmissions, ...]

    @property
    def widely_reported(self) -> tuple[int, ...]:
        """Rows widely reported, in reading order."""
        return tuple(r.row for r in self.rows if r.widely_reported)

    @property
    def omitted(self) -> tuple[int, ...]:
        """Widely reported rows that at least one source leaves out."""
        return tuple(r.row for r in self.rows if r.left_out_by)

    def left_out_by(self, row: int) -> tuple[int, ...]:
        """The sources that leave row ``row`` out (empty if it is not widely reported)."""
        return self.rows[row].left_out_by

    def leaves_out(self, source: int, row: int) -> bool:
        """Whether ``source`` leaves out row ``row``."""
        return source in self.rows[row].left_out_by

    def only_in(self, source: int, row: int) -> bool:
        """Whether row ``row`` is unique to ``source``."""
        r = self.rows[row]
        return r.reporters == (source,)


def needed_sources(n_sources: int, min_share: float = DEFAULT_MIN_SHARE) -> int:
    """How many sources a row needs to be widely reported: the share of them, and at least two.

    The share is rounded up ("at least half of five" is three); a hair of
    tolerance keeps ``0.6 * 5`` from becoming 3.0000000000000004 and so 4.
    """
    if not 0.0 <= min_share <= 1.0 or math.isnan(min_share):
        raise ValueError(f"min_share must be between 0 and 1, got {min_share!r}")
    return max(2, math.ceil(min_share * n_sources - 1e-9))


def is_uncertain(row: Row) -> bool:
    """Whether the matcher's confidence in a row is low enough to say so (single sentences never are)."""
    return row.count >= 2 and row.score < UNCERTAIN_BELOW


def _sentences(row: Row, source: int) -> tuple[int, ...]:
    """Sentence indices of ``source`` in ``row``, whether a cell holds one index or several."""
    cell = row.cells[source]
    if cell is None:
        return ()
    if isinstance(cell, int):
        return (cell,)
    return tuple(cell)


def _summary_layers(alignment: Alignment) -> list[set[int]]:
    """Per source, the indices of its summary lines, by the aligner's own rule (:func:`tiers`)."""
    from tui.core.align import tiers  # here, not above: the reader imports this module before its first frame

    return [{i for i, layer in enumerate(per) if layer == SUMMARY} for per in tiers(alignment.sources)]


def _is_summary(row: Row, summary: Sequence[set[int]]) -> bool:
    members = [(s, i) for s in row.coverage for i in _sentences(row, s)]
    return bool(members) and all(i in summary[s] for s, i in members)


def omissions(alignment: Alignment, min_share: float | None = None) -> Omissions:
    """Who reports, who leaves out and what is unique, for every row and source of ``alignment``.

    ``min_share`` defaults to the alignment's own setting
    (``alignment.settings.min_share``, which sessions store and
    ``--min-share`` sets), so callers that pass nothing all agree.
    Raises ``ValueError`` for a share outside [0, 1].
    """
    share = alignment.settings.min_share if min_share is None else float(min_share)
    n = len(alignment.sources)
    need = needed_sources(n, share)
    summary = _summary_layers(alignment)
    rows: list[RowOmission] = []
    left: list[list[int]] = [[] for _ in range(n)]
    unique: list[list[int]] = [[] for _ in range(n)]
    widely = 0
    for r, row in enumerate(alignment.rows):
        reporters = tuple(row.coverage)
        is_summary = _is_summary(row, summary)
        wide = len(reporters) >= need and not is_summary
        lacking: tuple[int, ...] = ()
        if wide:
            widely += 1
            have = set(reporters)
            lacking = tuple(s for s in range(n) if s not in have)
            for s in lacking:
                left[s].append(r)
        elif len(reporters) == 1:
            unique[reporters[0]].append(r)
        rows.append(RowOmission(r, reporters, lacking, wide, is_summary, is_uncertain(row)))
    sources = tuple(SourceOmissions(s, tuple(left[s]), tuple(unique[s]), widely) for s in range(n))
    return Omissions(share, need, tuple(rows), sources)


def example(alignment: Alignment, row: int, prefer: Sequence[int] = ()) -> tuple[int, str] | None:
    """One source's text for row ``row``, to show what a row says: ``(source, text)``.

    The first of ``prefer`` that has the row wins (say, the pivot), else the
    reporter whose text is longest (the fullest telling), ties to corpus order.
    """
    r = alignment.rows[row]
    have = r.coverage
    if not have:
        return None
    for s in prefer:
        if s in have:
            text = alignment.cell_text(row, s)
            if text is not None:
                return s, text
    best: tuple[int, str] | None = None
    for s in have:
        text = alignment.cell_text(row, s)
        if text is not None and (best is None or len(text) > len(best[1])):
            best = (s, text)
    return best
