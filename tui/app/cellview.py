"""How one cell of a row is shown when it holds several sentences of its source.

A row may carry two or more consecutive sentences of one outlet (it split a
statement another outlet makes in one) and an outlet's headline, heading or
"key point" beside the body sentence it restates. The reader draws such a cell
as one cell: its sentences one after another, each starting on a line of its
own, and a summary line tagged (``headline · …``) so that a reader does not
take a headline for a sentence of the body. A summary line is tagged only in a
row that also holds body sentences; in a row of headlines there is nothing to
tell apart, and the panes look as they always did.

The look is a display string plus, per sentence, where it sits in that string
and in :meth:`~tui.core.model.Alignment.cell_text` (which the comparison's
highlight offsets refer to), so the widgets map highlights by offset. Pure
logic, no Textual: the panes, the detail panel and the ``x`` chooser share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tui.core.model import CELL_SEPARATOR, KIND_BULLET, KIND_HEADING, KIND_HEADLINE, SUMMARY, Alignment

from tui.app.textutil import clean

#: What a summary line is called in its tag; a leading bullet is the outlet's "key point".
SUMMARY_TAGS: dict[str, str] = {KIND_HEADLINE: "headline", KIND_HEADING: "heading", KIND_BULLET: "key point"}
TAG_END = " · "


@dataclass(frozen=True, slots=True)
class Part:
    """One sentence of a cell as drawn."""

    #: the sentence's index in its source
    index: int
    #: where it is drawn in :attr:`CellLook.text`, tag included: ``text[start:end]``
    start: int
    end: int
    #: length of the tag (``headline · ``) at ``start``; 0 for a body sentence
    tag: int
    #: where the sentence itself starts in ``Alignment.cell_text``
    source_start: int
    #: a summary line beside body sentences (drawn tagged, in italics)
    summary: bool


@dataclass(frozen=True, slots=True)
class CellLook:
    """The display text of a cell and where each of its sentences is in it."""

    text: str
    parts: tuple[Part, ...]

    @property
    def plain(self) -> bool:
        """One untagged sentence: the text is the cleaned sentence, as before cells could hold more."""
        return len(self.parts) == 1 and not self.parts[0].tag

    def display_offset(self, offset: int) -> int | None:
        """Where character ``offset`` of the cell text is drawn, None if it is between sentences."""
        for p in self.parts:
            if p.source_start <= offset < p.source_start + (p.end - p.start - p.tag):
                return p.start + p.tag + offset - p.source_start
        return None

    def part_at(self, offset: int) -> Part | None:
        """The sentence drawn at display offset ``offset``."""
        return next((p for p in self.parts if p.start <= offset < p.end), None)


class Layers:
    """Each source's sentence layers, computed when first asked for (a row names few sources)."""

    def __init__(self, alignment: Alignment) -> None:
        self.alignment = alignment
        self._layers: dict[int, tuple[int, ...]] = {}

    def __getitem__(self, source: int) -> tuple[int, ...]:
        if source not in self._layers:
            self._layers[source] = self.alignment.layers(source)
        return self._layers[source]


def mixes_layers(alignment: Alignment, row: int, layers: Sequence[Sequence[int]] | Layers) -> bool:
    """Whether ``row`` holds both summary lines and body sentences (then its summaries are tagged)."""
    seen: set[int] = set()
    for s, i in alignment.rows[row].members:
        seen.add(layers[s][i])
        if len(seen) == 2:
            return True
    return False


def summary_tag(alignment: Alignment, source: int, index: int) -> str:
    """``headline``, ``heading`` or ``key point``: what to call a summary line."""
    return SUMMARY_TAGS.get(alignment.sentence(source, index).kind, "summary")


def cell_look(alignment: Alignment, row: int, source: int, layers: Sequence[Sequence[int]] | Layers,
              mixed: bool | None = None) -> CellLook | None:
    """How ``source``'s cell in ``row`` is drawn; None for a gap.

    ``layers`` is every source's :meth:`~tui.core.model.Alignment.layers`;
    ``mixed`` (computed when not given) says whether the row mixes summary and
    body sentences, see :func:`mixes_layers`.
    """
    cell = alignment.rows[row].cells[source]
    if not cell:
        return None
    if mixed is None:
        mixed = mixes_layers(alignment, row, layers)
    sentences = alignment.sources[source].sentences
    parts: list[Part] = []
    pieces: list[str] = []
    at = source_at = 0
    for i in cell:
        summary = mixed and layers[source][i] == SUMMARY
        tag = summary_tag(alignment, source, i) + TAG_END if summary else ""
        piece = tag + clean(sentences[i].text)
        parts.append(Part(i, at, at + len(piece), len(tag), source_at, summary))
        pieces.append(piece)
        at += len(piece) + len(CELL_SEPARATOR)
        source_at += len(sentences[i].text) + len(CELL_SEPARATOR)
    return CellLook(CELL_SEPARATOR.join(pieces), tuple(parts))
