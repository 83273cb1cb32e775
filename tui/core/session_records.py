"""What a session stores, record by record, and how each record reads and writes as JSON.

These are the frozen pieces of :class:`tui.core.session.Session`: sentences
named by source, index and text (so they survive re-alignment and edits),
what the session remembers of each source, where the reader was, the
stored settings, annotations, fixes and orphans. Reading is strict (a
malformed file raises ValueError with a short reason, and the store moves
the file aside), except for :class:`ViewState`, which only helps the reader
find their place and so is lenient.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tui.core.model import AlignSettings, Annotation, Source
from tui.core.overrides import LINK, UNLINK


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class NewerSchemaError(ValueError):
    """The file was written by a newer Parallax: refused, never clobbered."""

    def __init__(self, version: int) -> None:
        super().__init__(f"schema {version}")
        self.version = version


# --------------------------------------------------------------------------- stored records


@dataclass(frozen=True, slots=True)
class SentenceRef:
    """A sentence named the way that survives re-alignment and edits: source name, index, text."""

    source: str
    index: int
    text: str


@dataclass(frozen=True, slots=True)
class SourceRef:
    """What a session remembers of a source, enough to notice and follow an edit."""

    name: str
    #: absolute path of the file when the session last saw it ("" for in-memory sources)
    path: str
    label: str
    sha256: str
    #: texts of the content sentences, in order: the baseline re-anchoring diffs against
    sentences: tuple[str, ...] = ()
    #: the URL a fetched page was read from ("" for files): resuming reads it from the page cache
    url: str = ""

    @classmethod
    def of(cls, source: Source) -> SourceRef:
        path = str(Path(source.path).absolute()) if source.path is not None else ""
        url = source.origin if source.origin and source.origin != "-" else ""
        return cls(source.name, path, source.label, source.sha256, tuple(s.text for s in source.sentences), url)


@dataclass(frozen=True, slots=True)
class ViewState:
    """Where the reader was: the row (and a sentence of it), the focused source, the filter, wrap.

    The row is kept by sentence too (``anchor``: source name and index), so a
    new alignment, with other row numbers, still finds the place. Loading is
    lenient because these values only help the reader find their place: a
    value of the wrong type is not used, and it is kept in ``extra`` with the
    keys this version does not know, so re-saving loses nothing a file held.
    """

    row: int | None = None
    anchor: tuple[str, int] | None = None
    #: the focused source, by name
    focus: str | None = None
    filter: str | None = None
    wrap: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.to_json()

    def to_json(self) -> dict[str, Any]:
        data = dict(self.extra)
        for key in ("row", "anchor", "focus", "filter", "wrap"):
            value = getattr(self, key)
            if value is not None:
                data[key] = list(value) if key == "anchor" else value
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ViewState:
        known: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key == "row" and isinstance(value, int):
                known[key] = value
            elif (key == "anchor" and isinstance(value, (list, tuple)) and len(value) == 2
                  and isinstance(value[0], str) and isinstance(value[1], int)):
                known[key] = (value[0], value[1])
            elif key in ("focus", "filter") and isinstance(value, str):
                known[key] = value
            elif key == "wrap" and isinstance(value, bool):
                known[key] = value
            else:
                extra[key] = value
        return cls(**known, extra=extra)


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """Aligner settings as stored: the pivot by source *name*, so reordering files keeps it."""

    threshold: float = AlignSettings().threshold
    pivot: str | None = None
    #: share of the sources a row needs to be widely reported (files written before it existed: the default)
    min_share: float = AlignSettings().min_share


@dataclass(frozen=True, slots=True)
class StoredOverride:
    """An alignment fix, with its sentences named by text so it can be re-anchored."""

    kind: str
    sentence: SentenceRef
    anchor: SentenceRef | None = None


@dataclass(frozen=True, slots=True)
class StoredAnnotation:
    """A note on a row, anchored to the row's member sentences (pivot's first).

    ``row_id`` is the row's stable id (:mod:`tui.core.rowid`) when the note
    was written, shown by ``parallax sessions show`` so a note can be found
    in an export (the CSV's ``row_id``). The note itself stays anchored to
    all its member sentences, the id's among them: that survives more than
    any single sentence does.
    """

    members: tuple[SentenceRef, ...]
    note: str = ""
    tags: tuple[str, ...] = ()
    starred: bool = False
    created: str = ""
    updated: str = ""
    row_id: str = ""

    @property
    def annotation(self) -> Annotation:
        return Annotation(self.note, self.tags, self.starred)


@dataclass(frozen=True, slots=True)
class Orphan:
    """An annotation or fix whose sentences vanished from an edited source; kept, never dropped."""

    kind: str  # "annotation" | "override"
    reason: str
    item: StoredAnnotation | StoredOverride
    since: str = ""


@dataclass(frozen=True, slots=True)
class BindResult:
    """What :meth:`Session.bind` found, for the app to show in one notice."""

    changed: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    added: tuple[str, ...] = ()
    #: sentence references that now point at another index or a reworded sentence
    reanchored: int = 0
    #: annotations and fixes that could not be re-anchored and went to orphans
    orphaned: int = 0

    @property
    def message(self) -> str:
        """One line for the reader, or "" when there is nothing worth saying."""
        parts = []
        if self.changed:
            parts.append(f"{len(self.changed)} source(s) changed since last time")
        if self.reanchored:
            parts.append(f"{self.reanchored} reference(s) re-anchored")
        if self.orphaned:
            parts.append(f"{self.orphaned} item(s) could not be placed (see orphans)")
        if self.missing:
            parts.append(f"missing: {', '.join(self.missing)}")
        return "; ".join(parts)


# --------------------------------------------------------------------------- JSON


def sentence_json(r: SentenceRef) -> dict[str, Any]:
    return {"source": r.source, "index": r.index, "text": r.text}


def annotation_json(a: StoredAnnotation) -> dict[str, Any]:
    return {"members": [sentence_json(m) for m in a.members], "note": a.note, "tags": list(a.tags),
            "starred": a.starred, "created": a.created, "updated": a.updated,
            **({"row_id": a.row_id} if a.row_id else {})}


def override_json(o: StoredOverride) -> dict[str, Any]:
    return {"kind": o.kind, "sentence": sentence_json(o.sentence),
            "anchor": None if o.anchor is None else sentence_json(o.anchor)}


def read_obj(v: Any, what: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise ValueError(f"{what} must be an object")
    return v


def read_list(v: Any, what: str) -> list[Any]:
    if not isinstance(v, list):
        raise ValueError(f"{what} must be a list")
    return v


def read_str(v: Any, what: str) -> str:
    if not isinstance(v, str):
        raise ValueError(f"{what} must be a string")
    return v


def read_opt_str(v: Any, what: str) -> str | None:
    return None if v is None else read_str(v, what)


def read_int(v: Any, what: str) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise ValueError(f"{what} must be a non-negative integer")
    return v


def sentence_from(v: Any) -> SentenceRef:
    d = read_obj(v, "sentence")
    return SentenceRef(read_str(d.get("source"), "sentence source"), read_int(d.get("index"), "sentence index"),
                       read_str(d.get("text"), "sentence text"))


def source_from(v: Any) -> SourceRef:
    d = read_obj(v, "source")
    return SourceRef(read_str(d.get("name"), "source name"), read_str(d.get("path", ""), "source path"),
                     read_str(d.get("label", ""), "source label"), read_str(d.get("sha256", ""), "source sha256"),
                     tuple(read_str(t, "source sentence") for t in read_list(d.get("sentences", []), "source sentences")),
                     read_str(d.get("url", ""), "source url"))


def annotation_from(v: Any) -> StoredAnnotation:
    d = read_obj(v, "annotation")
    starred = d.get("starred", False)
    if not isinstance(starred, bool):
        raise ValueError("annotation starred must be true or false")
    members = tuple(sentence_from(m) for m in read_list(d.get("members"), "annotation members"))
    if not members:
        raise ValueError("an annotation has no sentences")
    return StoredAnnotation(members, read_str(d.get("note", ""), "note"),
                            tuple(read_str(t, "tag") for t in read_list(d.get("tags", []), "annotation tags")),
                            starred, read_str(d.get("created", ""), "created"), read_str(d.get("updated", ""), "updated"),
                            read_str(d.get("row_id", ""), "row_id"))


def override_from(v: Any) -> StoredOverride:
    d = read_obj(v, "override")
    kind = read_str(d.get("kind"), "override kind")
    if kind not in (LINK, UNLINK):
        raise ValueError(f"unknown override kind {kind!r}")
    anchor = d.get("anchor")
    if kind == LINK and anchor is None:
        raise ValueError("a link override has no anchor")
    return StoredOverride(kind, sentence_from(d.get("sentence")), None if anchor is None else sentence_from(anchor))
