"""The data every stage of Parallax passes to the next.

These dataclasses are the contract between ingest, segmentation, alignment,
comparison, export, sessions and the UI. They are deliberately plain and
immutable (frozen) so that each stage is a pure function of the one before and
can be tested on its own; the UI only ever *reads* them.

Offsets are always character offsets into ``Source.text`` (the decoded file
text, after BOM removal and *without* newline normalisation), so
``source.text[s.start:s.end] == s.text`` holds for every sentence and every
furniture span.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

#: Sentence kinds. Headlines and headings are content (they can align with
#: body sentences); the dateline is kept apart as metadata, never a sentence.
KIND_HEADLINE = "headline"
KIND_HEADING = "heading"
KIND_BULLET = "bullet"
KIND_BODY = "body"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of a source's text that is not a content sentence.

    Used for page furniture ("LEAVE A REPLY", share counters, weather strips)
    and for the dateline; kept so the reader can show it dimmed.
    """

    text: str
    start: int
    end: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One content sentence of one source.

    ``index`` is the 0-based position among that source's *content*
    sentences, the identity used by alignment, export and sessions.
    """

    source: int
    index: int
    text: str
    start: int
    end: int
    kind: str = KIND_BODY


@dataclass(frozen=True, slots=True)
class Source:
    """One article: its text, metadata, content sentences and furniture."""

    #: position of the source in the corpus (0-based); sentences refer to it
    id: int
    #: file name, e.g. ``000_bd062090da669a4d.txt``; unique within a corpus
    #: (for a URL its host and path, for standard input ``stdin``)
    name: str
    #: outlet label: ``--label``, ``sources.toml``, the page's site name or the
    #: front-matter ``Source:`` line, else a short form of the file stem
    label: str
    #: the decoded text of the file (BOM removed); offsets point into it
    text: str
    sentences: tuple[Sentence, ...] = ()
    furniture: tuple[Span, ...] = ()
    title: str | None = None
    dateline: Span | None = None
    url: str | None = None
    date: str | None = None
    path: Path | None = None
    encoding: str = "utf-8"
    #: sha256 hex digest of the raw bytes, used by sessions to detect edits
    #: (for a web page the page's bytes, not the extracted text)
    sha256: str = ""
    author: str | None = None
    #: where the text came from when it is not a file: the URL as given (the
    #: key of the page cache) or ``-`` for standard input; None for files
    origin: str | None = None


#: A sentence's layer (see :func:`sentence_layers`): the article's body, or
#: its summary lines -- headline, headings, a leading "Key points" block.
BODY, SUMMARY = 0, 1

#: A body sentence of at least this many words ends an outlet's leading summary
#: block: bullets after it are list content, not a summary. The default of
#: ``AlignParams.full_sentence_words``; the validator of cells uses this one.
FULL_SENTENCE_WORDS = 6

#: Between the sentences of one cell when a cell is read as one text
#: (:meth:`Alignment.cell_text`): the comparison, the reader and the wide CSV
#: all see the same string, so character offsets agree between them.
CELL_SEPARATOR = " "

#: One source's part of a row: indices of its sentences, ascending; ``()`` = nothing.
Cell = tuple[int, ...]


def sentence_layers(source: Source, full_sentence_words: int = FULL_SENTENCE_WORDS) -> tuple[int, ...]:
    """Each content sentence's layer, SUMMARY or BODY, in reading order.

    Headlines and headings are summaries. Bullets are summaries when they come
    before the outlet's first full body sentence (a "Key points" block under
    the headline) -- unless they are most of the outlet's content: an article
    told as a list has nothing else to align. The layer decides both what the
    aligner compares with what and which cells are valid (:func:`cell_problem`),
    so it lives here, below both.
    """
    layer: list[int] = []
    leading: list[int] = []
    seen_body = False
    full = 0
    for i, s in enumerate(source.sentences):
        if s.kind in (KIND_HEADLINE, KIND_HEADING):
            layer.append(SUMMARY)
            continue
        if s.kind == KIND_BULLET and not seen_body:
            leading.append(i)
        if s.kind == KIND_BODY and len(s.text.split()) >= full_sentence_words:
            seen_body = True
            full += 1
        layer.append(BODY)
    if leading and full >= len(leading):
        for i in leading:
            layer[i] = SUMMARY
    return tuple(layer)


def cell_problem(cell: Sequence[int], layers: Sequence[int]) -> str | None:
    """Why ``cell`` cannot be one source's part of a row, or None when it can.

    ``layers`` is that source's :func:`sentence_layers`. The rule: sentence
    indices in range, ascending, each once; and the body sentences among them
    form **one run of consecutive body sentences** (no body sentence of the
    source lies between two of them; a heading may). Summary lines may join
    any cell. So a row can say "this outlet tells in two sentences what
    another tells in one" (a run) and "this headline restates this body
    sentence" (a summary line beside it) -- but never glue two far-apart
    statements of one outlet together, which would hide that the outlet
    said them in different places.
    """
    n = len(layers)
    prev = -1
    for i in cell:
        if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < n:
            return f"sentence #{i} does not exist (the source has {n})"
        if i <= prev:
            return "sentences must be listed once each, in ascending order"
        prev = i
    body = [i for i in cell if layers[i] == BODY]
    for a, b in zip(body, body[1:]):
        gap = next((k for k in range(a + 1, b) if layers[k] == BODY), None)
        if gap is not None:
            return f"sentences #{a} and #{b} are not consecutive (sentence #{gap} lies between them)"
    return None


def _cell(value: object) -> Cell:
    """One cell in the canonical shape: a sorted tuple of indices.

    Accepts the single-index shape rows had before a row could hold several
    sentences of a source (``None`` or an ``int``), so code and tests that
    build rows that way keep working.
    """
    if value is None:
        return ()
    if isinstance(value, int):
        return (value,)
    cell: Cell = tuple(cast("Iterable[int]", value))  # any iterable of indices (the old call forms)
    if any(b <= a for a, b in zip(cell, cell[1:])):
        cell = tuple(sorted(cell))
    return cell


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the alignment: what each source says of one thing.

    ``cells[i]`` is the tuple of source ``i``'s sentence indices in this row,
    ascending; ``()`` where source ``i`` has nothing here (an omission). Most
    cells hold one sentence; a cell may hold a run of consecutive body
    sentences (an outlet that says in two sentences what another says in one)
    and summary lines (a headline beside the body sentence it restates). The
    rule is :func:`cell_problem`; :func:`alignment_problems` checks a whole
    alignment against it. The constructor also takes the older
    one-index-per-source shape (``(3, None, 0)``) and normalises it.
    """

    cells: tuple[Cell, ...]
    #: confidence of the row in [0, 1]; 1.0 for a single-sentence row
    score: float = 1.0

    def __post_init__(self) -> None:
        cells = self.cells
        if type(cells) is not tuple or not all(type(c) is tuple for c in cells) or any(
                len(c) > 1 and any(b <= a for a, b in zip(c, c[1:])) for c in cells):
            object.__setattr__(self, "cells", tuple(_cell(c) for c in cells))

    @property
    def coverage(self) -> tuple[int, ...]:
        """Indices of the sources that have a sentence in this row."""
        return tuple(i for i, c in enumerate(self.cells) if c)

    @property
    def count(self) -> int:
        """How many sources have a sentence in this row (not how many sentences)."""
        return sum(1 for c in self.cells if c)

    @property
    def size(self) -> int:
        """How many sentences the row holds, over all sources."""
        return sum(len(c) for c in self.cells)

    @property
    def members(self) -> tuple[tuple[int, int], ...]:
        """Every (source, sentence index) of the row: sources in corpus order, indices ascending."""
        return tuple((s, i) for s, c in enumerate(self.cells) for i in c)

    def holds(self, source: int, index: int) -> bool:
        """Whether sentence ``index`` of ``source`` is in this row."""
        return 0 <= source < len(self.cells) and index in self.cells[source]

    def first(self, source: int) -> int | None:
        """The first of ``source``'s sentences here, or None: one sentence to name the cell by."""
        cell = self.cells[source]
        return cell[0] if cell else None


@dataclass(frozen=True, slots=True)
class AlignSettings:
    """Knobs of the aligner and of how its rows are read; stored in sessions so a resume is reproducible.

    ``min_share`` does not change the rows, only which of them count as
    widely reported (see :mod:`tui.core.omissions`); it travels with the
    aligner's settings so that the reader, every export and a resumed
    session all judge omissions by the same rule.
    """

    #: pair score (0..1) at or above which two sentences may share a row
    threshold: float = 0.35
    #: index of the source whose order the rows follow
    pivot: int = 0
    #: share of the sources (0..1] a row needs, and at least two, to be widely reported
    min_share: float = 0.5


@dataclass(frozen=True, slots=True)
class Alignment:
    """The aligned corpus: sources and rows in the pivot's reading order."""

    sources: tuple[Source, ...]
    rows: tuple[Row, ...]
    settings: AlignSettings = field(default_factory=AlignSettings)

    @property
    def pivot(self) -> int:
        return self.settings.pivot

    def sentence(self, source: int, index: int) -> Sentence:
        return self.sources[source].sentences[index]

    def cell_sentences(self, row: int, source: int) -> tuple[Sentence, ...]:
        """The sentences of ``source`` in row ``row``, in reading order (empty for a gap)."""
        sentences = self.sources[source].sentences
        return tuple(sentences[i] for i in self.rows[row].cells[source])

    def cell_text(self, row: int, source: int) -> str | None:
        """The cell as one text: its sentences joined by :data:`CELL_SEPARATOR`; None for a gap."""
        cell = self.rows[row].cells[source]
        if not cell:
            return None
        sentences = self.sources[source].sentences
        if len(cell) == 1:
            return sentences[cell[0]].text
        return CELL_SEPARATOR.join(sentences[i].text for i in cell)

    def cell_spans(self, row: int, source: int) -> tuple[tuple[int, int, int], ...]:
        """(sentence index, start, end) of each sentence of the cell within :meth:`cell_text`.

        What a view needs to style one member of a multi-sentence cell (a
        summary line) or to put a cursor on it.
        """
        out: list[tuple[int, int, int]] = []
        at = 0
        sentences = self.sources[source].sentences
        for i in self.rows[row].cells[source]:
            n = len(sentences[i].text)
            out.append((i, at, at + n))
            at += n + len(CELL_SEPARATOR)
        return tuple(out)

    def layers(self, source: int) -> tuple[int, ...]:
        """The layer of each of ``source``'s sentences (see :func:`sentence_layers`)."""
        return sentence_layers(self.sources[source])

    def cell_problem(self, source: int, cell: Sequence[int]) -> str | None:
        """Why ``cell`` cannot be ``source``'s part of a row here, or None (see :func:`cell_problem`)."""
        return cell_problem(cell, self.layers(source))

    def row_index(self) -> dict[tuple[int, int], int]:
        """(source, sentence index) -> the row that holds it."""
        return {(s, i): r for r, row in enumerate(self.rows) for s, c in enumerate(row.cells) for i in c}


def alignment_problems(alignment: Alignment) -> list[str]:
    """Everything that makes ``alignment`` break the row model; empty when it is sound.

    One cell per source in every row, no empty row, every cell valid
    (:func:`cell_problem`), every content sentence in exactly one row. The
    aligner and the manual fixes keep these invariants; the tests check them
    with this one function so that every producer is held to the same rule.
    """
    sources = alignment.sources
    layers = [sentence_layers(s) for s in sources]
    problems: list[str] = []
    seen: dict[tuple[int, int], int] = {}
    for r, row in enumerate(alignment.rows):
        if len(row.cells) != len(sources):
            problems.append(f"row #{r} has {len(row.cells)} cells for {len(sources)} sources")
            continue
        if not row.size:
            problems.append(f"row #{r} is empty")
        for s, cell in enumerate(row.cells):
            why = cell_problem(cell, layers[s])
            if why:
                problems.append(f"row #{r}, source #{s}: {why}")
                continue
            for i in cell:
                if (s, i) in seen:
                    problems.append(f"sentence #{i} of source #{s} is in rows #{seen[(s, i)]} and #{r}")
                seen[(s, i)] = r
    for s, src in enumerate(sources):
        missing = [i for i in range(len(src.sentences)) if (s, i) not in seen]
        if missing:
            problems.append(f"source #{s} has sentences in no row: {missing[:5]}")
    return problems


@dataclass(frozen=True, slots=True)
class Annotation:
    """What a reader noted on a row. Empty annotations are never stored."""

    note: str = ""
    tags: tuple[str, ...] = ()
    starred: bool = False

    @property
    def empty(self) -> bool:
        return not (self.note.strip() or self.tags or self.starred)


@dataclass(frozen=True, slots=True)
class Override:
    """A manual fix to the alignment, applied on top of the automatic one.

    ``kind == "unlink"``: sentence (source, index) leaves its row and becomes
    a row of its own (from a multi-sentence cell, only that sentence leaves).
    ``kind == "link"``: sentence (source, index) moves into the row that holds
    the anchor sentence (anchor_source, anchor_index), beside any sentences of
    its source already there if the cell stays valid (:func:`cell_problem`).
    Sentences are named by identity, not row number, so overrides survive a
    change of pivot or threshold.
    """

    kind: str
    source: int
    index: int
    anchor_source: int | None = None
    anchor_index: int | None = None
