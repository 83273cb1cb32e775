"""Manual fixes to the alignment, replayed on top of the automatic one.

The aligner is good but not perfect, and a reader who spots a wrong row must be
able to fix it without the fix being lost the next time the corpus is aligned
(with another pivot, another threshold, or a better matcher). So fixes are not
stored as edited rows but as :class:`~tui.core.model.Override` operations that
name sentences by identity (source, index) and are replayed, in order, on
whatever alignment the aligner produces. That is what this module does.

Two operations exist:

``unlink``
    The sentence leaves its row and becomes a row of its own, placed right
    after the row it left (so it stays near its context in the reading order).
    From a cell holding several sentences of its source (a split statement,
    a headline beside its body sentence) it takes out that one sentence only.
``link``
    The sentence moves into the row that holds the anchor sentence; the row it
    left is dropped when that leaves it empty. The row may already hold
    sentences of the same source as long as the result is still a valid cell
    (:func:`~tui.core.model.cell_problem`): the sentence continues the run of
    that source's body sentences there, or it is a summary line.

An override that does not make sense on the alignment at hand (the anchor row
holds a sentence of that source the new one does not continue, the sentence is
already alone, taking it out would split a run in two, an index points past
the end of a source that was edited...) is *skipped*, never half-applied, and
reported with a one-line reason the app can show as a notice.

Scores of touched rows, kept deliberately simple because the aligner's pair
scores are not part of the :class:`~tui.core.model.Alignment`:

* a row that ends up with a single sentence scores 1.0, like every single;
* a row a sentence was linked into scores 1.0: a reader vouched for it;
* a row that merely lost a member keeps its old score (its remaining pairs were
  matched by the aligner at that confidence; we cannot recompute better).

Everything here is pure and deterministic: same alignment and overrides in,
same rows out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tui.core.model import Alignment, Override, Row, cell_problem

UNLINK = "unlink"
LINK = "link"
KINDS = (UNLINK, LINK)


@dataclass(frozen=True, slots=True)
class OverrideResult:
    """The alignment after the overrides, and what happened to each override."""

    alignment: Alignment
    #: overrides that were applied, in order
    applied: tuple[Override, ...] = ()
    #: overrides that were skipped, each with the reason shown to the reader
    refused: tuple[tuple[Override, str], ...] = ()
    #: indices (into ``alignment.rows``) of rows shaped by a manual fix
    manual_rows: frozenset[int] = field(default_factory=frozenset)


@dataclass(slots=True)
class _WorkRow:
    """A mutable row while overrides are replayed."""

    cells: list[tuple[int, ...]]
    score: float
    manual: bool = False

    @property
    def size(self) -> int:
        return sum(len(c) for c in self.cells)


class _Layers:
    """Each source's sentence layers, computed when a fix first needs them."""

    def __init__(self, alignment: Alignment) -> None:
        self.alignment = alignment
        self._layers: dict[int, tuple[int, ...]] = {}

    def problem(self, source: int, cell: Sequence[int]) -> str | None:
        if source not in self._layers:
            self._layers[source] = self.alignment.layers(source)
        return cell_problem(cell, self._layers[source])


def _label(alignment: Alignment, source: int) -> str:
    return alignment.sources[source].label or alignment.sources[source].name


def _describe(alignment: Alignment, source: int, index: int) -> str:
    return f"sentence #{index} of {_label(alignment, source)}"


def _numbers(cell: Sequence[int]) -> str:
    return ", ".join(f"#{i}" for i in cell)


def _check_sentence(alignment: Alignment, source: int | None, index: int | None) -> str | None:
    """Why (source, index) does not name a content sentence, or None if it does."""
    if source is None or index is None:
        return "the override names no sentence"
    if not 0 <= source < len(alignment.sources):
        return f"source #{source} is not part of this comparison"
    count = len(alignment.sources[source].sentences)
    if not 0 <= index < count:
        return f"{_label(alignment, source)} has no sentence #{index} (it has {count})"
    return None


def _find(rows: Sequence[_WorkRow | Row], source: int, index: int) -> int | None:
    for r, row in enumerate(rows):
        if index in row.cells[source]:
            return r
    return None


def _refusal(alignment: Alignment, rows: Sequence[_WorkRow] | Sequence[Row], ov: Override,
             layers: _Layers) -> str | None:
    """The reason ``ov`` cannot be applied to ``rows``, or None when it can."""
    if ov.kind not in KINDS:
        return f"unknown alignment fix {ov.kind!r}"
    problem = _check_sentence(alignment, ov.source, ov.index)
    if problem:
        return problem
    here = _find(rows, ov.source, ov.index)
    what = _describe(alignment, ov.source, ov.index)
    if here is None:
        return f"{what} is not in the alignment"
    if ov.kind == UNLINK and sum(len(c) for c in rows[here].cells) == 1:
        return f"{what} is already on a row of its own"
    if ov.kind == LINK:
        problem = _check_sentence(alignment, ov.anchor_source, ov.anchor_index)
        if problem:
            return problem
        assert ov.anchor_source is not None and ov.anchor_index is not None
        if (ov.anchor_source, ov.anchor_index) == (ov.source, ov.index):
            return "cannot link a sentence to itself"
        there = _find(rows, ov.anchor_source, ov.anchor_index)
        if there is None:
            return f"{_describe(alignment, ov.anchor_source, ov.anchor_index)} is not in the alignment"
        if there == here:
            return f"{what} is already in that row"
        held = rows[there].cells[ov.source]
        if held and layers.problem(ov.source, sorted((*held, ov.index))):
            return (f"that row already holds {_label(alignment, ov.source)}'s sentence{'s' if len(held) > 1 else ''} "
                    f"{_numbers(held)}, and #{ov.index} does not continue them (a row takes one run of "
                    "consecutive sentences of an outlet, plus its headline or headings); unlink them first")
    cell = rows[here].cells[ov.source]
    rest = tuple(i for i in cell if i != ov.index)
    if rest and layers.problem(ov.source, rest):
        return (f"{what} sits inside the run {_numbers(cell)} of its row: taking it out would split the run; "
                "take out a sentence at an end of the run first")
    return None


def validate_override(alignment: Alignment, override: Override) -> str | None:
    """Why ``override`` cannot be applied to ``alignment`` (one line), or None if it can.

    The app calls this before recording a fix so the reader gets a notice
    instead of a fix that silently does nothing.
    """
    return _refusal(alignment, alignment.rows, override, _Layers(alignment))


def apply_overrides_report(alignment: Alignment, overrides: Sequence[Override]) -> OverrideResult:
    """Replay ``overrides`` in order on ``alignment``, skipping and reporting invalid ones.

    Invariants kept whatever the input: every content sentence that was in the
    alignment is in exactly one row afterwards, and every cell that was valid
    (:func:`~tui.core.model.cell_problem`) stays valid.
    """
    rows = [_WorkRow(list(r.cells), r.score) for r in alignment.rows]
    layers = _Layers(alignment)
    applied: list[Override] = []
    refused: list[tuple[Override, str]] = []
    for ov in overrides:
        reason = _refusal(alignment, rows, ov, layers)
        if reason:
            refused.append((ov, reason))
            continue
        here = _find(rows, ov.source, ov.index)
        assert here is not None
        old = rows[here]
        old.cells[ov.source] = tuple(i for i in old.cells[ov.source] if i != ov.index)
        if ov.kind == UNLINK:
            single: list[tuple[int, ...]] = [()] * len(old.cells)
            single[ov.source] = (ov.index,)
            rows.insert(here + 1, _WorkRow(single, 1.0, manual=True))
        else:
            assert ov.anchor_source is not None and ov.anchor_index is not None
            there = _find(rows, ov.anchor_source, ov.anchor_index)
            assert there is not None
            target = rows[there]
            target.cells[ov.source] = tuple(sorted((*target.cells[ov.source], ov.index)))
            target.score = 1.0
            target.manual = True
            if old.size == 0:
                del rows[here]
        if old.size == 1:
            old.score = 1.0
        if old.size:
            old.manual = True
        applied.append(ov)
    if not applied:
        return OverrideResult(alignment, (), tuple(refused), frozenset())
    out = Alignment(
        sources=alignment.sources,
        rows=tuple(Row(tuple(r.cells), r.score) for r in rows),
        settings=alignment.settings,
    )
    manual = frozenset(i for i, r in enumerate(rows) if r.manual)
    return OverrideResult(out, tuple(applied), tuple(refused), manual)


def apply_overrides(alignment: Alignment, overrides: Sequence[Override]) -> Alignment:
    """The alignment with ``overrides`` replayed in order; invalid ones are skipped.

    Use :func:`apply_overrides_report` to learn which were skipped and why.
    """
    return apply_overrides_report(alignment, overrides).alignment
