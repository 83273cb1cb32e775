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

from dataclasses import dataclass, field
from pathlib import Path

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


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the alignment: at most one sentence per source.

    ``cells[i]`` is the index of source ``i``'s sentence in this row, or
    ``None`` where source ``i`` has nothing here (an omission).
    """

    cells: tuple[int | None, ...]
    #: confidence of the row in [0, 1]; 1.0 for a single-sentence row
    score: float = 1.0

    @property
    def coverage(self) -> tuple[int, ...]:
        """Indices of the sources that have a sentence in this row."""
        return tuple(i for i, c in enumerate(self.cells) if c is not None)

    @property
    def count(self) -> int:
        return sum(1 for c in self.cells if c is not None)


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

    def cell_text(self, row: int, source: int) -> str | None:
        idx = self.rows[row].cells[source]
        return None if idx is None else self.sources[source].sentences[idx].text


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
    a row of its own. ``kind == "link"``: sentence (source, index) moves into
    the row that holds the anchor sentence (anchor_source, anchor_index).
    Sentences are named by identity, not row number, so overrides survive a
    change of pivot or threshold.
    """

    kind: str
    source: int
    index: int
    anchor_source: int | None = None
    anchor_index: int | None = None
