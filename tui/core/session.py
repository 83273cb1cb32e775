"""Named sessions: a reader's annotations and alignment fixes, saved and resumed without loss.

A session is the only thing in Parallax that holds the reader's own work, so it
is kept the paranoid way (this module is the session itself; writing it to disk
is :mod:`tui.core.session_store`'s job, its name rules
:mod:`tui.core.session_names`', its stored records and their JSON
:mod:`tui.core.session_records`', following edited articles
:mod:`tui.core.session_anchor`'s):

* **Atomically.** Every save writes a temporary file in the sessions folder,
  fsyncs it, ``os.replace``-s it over the old file and fsyncs the folder, so a
  crash or a kill at any moment leaves either the old or the new session on
  disk, never a mix (``tests/test_session_kill.py`` checks this with SIGKILL).
* **Never silently lost.** A file that cannot be read is moved aside to
  ``<name>.json.corrupt-<timestamp>`` (not deleted) and reported; an annotation
  or fix that no longer fits the edited article goes to ``orphans`` with the
  reason, where the reader can still see it.
* **Not clobbered.** A lock file keeps a second Parallax off a session that is
  open, and ``save`` refuses to overwrite a file someone else changed since we
  read it.

Everything refers to sentences by *source name, index and text*, never by row
number: rows change with the pivot, the threshold and the matcher, sentences do
not. The text is what lets :meth:`Session.bind` re-anchor annotations and fixes
when an article file is edited: exact text first, then a fuzzy match
(rapidfuzz ``ratio`` ≥ :data:`REANCHOR_CUTOFF`).

Sources missing from the corpus a session is bound to are *not* an error here:
their annotations and fixes simply stay dormant (kept, not shown, not orphaned)
until the file is back. :func:`tui.core.pipeline.export_alignment`, which
must be faithful, refuses instead when a stored source file is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tui.core.model import AlignSettings, Alignment, Annotation, Override, Source
from tui.core.overrides import LINK, apply_overrides, validate_override
from tui.core.session_anchor import REANCHOR_CUTOFF, locate, reanchor_map, snippet
from tui.core.rowid import row_id
from tui.core.session_names import validate_name
from tui.core.session_records import (
    BindResult,
    NewerSchemaError,
    Orphan,
    SentenceRef,
    SessionSettings,
    SourceRef,
    StoredAnnotation,
    StoredOverride,
    ViewState,
    _now,
    annotation_from,
    annotation_json,
    override_from,
    override_json,
    read_int,
    read_list,
    read_obj,
    read_opt_str,
    read_str,
    source_from,
)

#: The records are defined in :mod:`tui.core.session_records` and re-anchoring in
#: :mod:`tui.core.session_anchor`; they are importable from here as well.
__all__ = [
    "DEFAULT_TAGS",
    "REANCHOR_CUTOFF",
    "SCHEMA_VERSION",
    "BindResult",
    "NewerSchemaError",
    "Orphan",
    "SentenceRef",
    "Session",
    "SessionSettings",
    "SourceRef",
    "StoredAnnotation",
    "StoredOverride",
    "ViewState",
]
# session_store's name for it
_NewerSchemaError = NewerSchemaError

#: version of the JSON layout written by this code; a newer file is refused, not clobbered
SCHEMA_VERSION = 1
_FORMAT = "parallax-session"

DEFAULT_TAGS: tuple[str, ...] = (
    "omission", "contradiction", "framing", "sourcing", "loaded-language", "follow-up",
)

_UNDO_DEPTH = 200


@dataclass(frozen=True, slots=True)
class _Snapshot:
    description: str
    annotations: tuple[StoredAnnotation, ...]
    overrides: tuple[StoredOverride, ...]
    tags: tuple[str, ...]


# --------------------------------------------------------------------------- the session


@dataclass(eq=False)
class Session:
    """Everything a reader did on one comparison, plus what is needed to resume it.

    Mutate it only through its methods: they keep the undo stack and ``dirty``
    right, which is what ctrl+z and autosave rely on.
    """

    name: str
    sources: list[SourceRef] = field(default_factory=list)
    settings: SessionSettings = field(default_factory=SessionSettings)
    overrides: list[StoredOverride] = field(default_factory=list)
    annotations: list[StoredAnnotation] = field(default_factory=list)
    tags: list[str] = field(default_factory=lambda: list(DEFAULT_TAGS))
    #: where the reader was (row, focused source, filter, wrap)
    view: ViewState = field(default_factory=ViewState)
    orphans: list[Orphan] = field(default_factory=list)
    #: source name -> the label the reader gave it (``r`` in the reader); wins over every other name
    labels: dict[str, str] = field(default_factory=dict)
    created: str = field(default_factory=_now)
    updated: str = field(default_factory=_now)
    schema_version: int = SCHEMA_VERSION
    #: bumped by every save; how a store notices someone else saved in between
    revision: int = 0
    #: True when there are changes not yet saved (autosave watches this)
    dirty: bool = False
    #: in-memory only: snapshots for ctrl+z
    _undo: list[_Snapshot] = field(default_factory=list, init=False, repr=False)
    #: (mtime_ns, size) of the file as we last loaded or saved it
    _stamp: tuple[int, int] | None = field(default=None, init=False, repr=False)
    #: sha256 of those bytes: a file rewritten by someone else is told apart even when its
    #: revision number happens to equal ours (another Parallax that also saved once)
    _digest: str | None = field(default=None, init=False, repr=False)
    #: identity of the corpus the references were last re-anchored to
    _bound: tuple[tuple[str, str, int], ...] | None = field(default=None, init=False, repr=False)

    # ----------------------------------------------------------------- creation

    @classmethod
    def new(cls, name: str, sources: Sequence[Source], settings: AlignSettings | None = None) -> Session:
        """A fresh session on ``sources`` (not saved yet; ``dirty`` so autosave writes it)."""
        session = cls(name=validate_name(name), sources=[SourceRef.of(s) for s in sources])
        session.set_align_settings(settings or AlignSettings(), sources)
        session.dirty = True
        session._bound = _bind_key(sources)
        return session

    # ----------------------------------------------------------------- settings and view

    def align_settings(self, sources: Sequence[Source]) -> AlignSettings:
        """The stored settings for this corpus; a pivot that is not in it falls back to source 0."""
        names = [s.name for s in sources]
        pivot = names.index(self.settings.pivot) if self.settings.pivot in names else 0
        return AlignSettings(threshold=self.settings.threshold, pivot=pivot, min_share=self.settings.min_share)

    def set_align_settings(self, settings: AlignSettings, sources: Sequence[Source]) -> None:
        pivot = sources[settings.pivot].name if 0 <= settings.pivot < len(sources) else None
        new = SessionSettings(threshold=float(settings.threshold), pivot=pivot, min_share=float(settings.min_share))
        if new != self.settings:
            self.settings = new
            self.dirty = True

    def update_view(self, **values: Any) -> None:
        """Remember where the reader is (JSON values, merged into the view); marks the session dirty when it changes."""
        json.dumps(values)  # fail now, not at save time
        view = ViewState.from_json({**self.view.to_json(), **values})
        if view != self.view:
            self.view = view
            self.dirty = True

    def rename(self, name: str) -> None:
        """Name the session anew ("save as"): the next save writes a new file, not the old one."""
        self.name = validate_name(name)
        self._stamp = None
        self.dirty = True

    def set_label(self, source_name: str, label: str | None) -> bool:
        """Remember the reader's name for a source (None forgets it); True if that changed anything."""
        label = " ".join(label.split()) if label else None
        if (self.labels.get(source_name) or None) == label:
            return False
        if label:
            self.labels[source_name] = label
        else:
            self.labels.pop(source_name, None)
        self.dirty = True
        return True

    def labelled(self, sources: Sequence[Source]) -> list[Source]:
        """``sources`` with the labels the reader gave them in this session."""
        return [replace(s, label=self.labels[s.name]) if self.labels.get(s.name) else s for s in sources]

    def add_tag(self, tag: str) -> bool:
        """Add a tag to the session's vocabulary; False if it was already there or is blank."""
        tag = " ".join(tag.split())
        if not tag or tag in self.tags:
            return False
        self.tags.append(tag)
        self.dirty = True
        return True

    def source_paths(self) -> list[Path]:
        """The stored source files, in the session's order (URLs aside)."""
        return [Path(s.path) for s in self.sources if s.path]

    def source_inputs(self) -> list[str]:
        """What to read to resume without arguments: each source's file or URL, in the session's order.

        A source read from standard input has neither and cannot be resumed
        this way; :meth:`unresumable` names such sources.
        """
        return [s.url or s.path for s in self.sources if s.url or s.path]

    def unresumable(self) -> list[str]:
        """Names of stored sources that have no file or URL to read again (standard input)."""
        return [s.name for s in self.sources if not (s.url or s.path)]

    def missing_paths(self) -> list[Path]:
        return [p for p in self.source_paths() if not p.is_file()]

    # ----------------------------------------------------------------- binding

    def bind(self, sources: Sequence[Source]) -> BindResult:
        """Re-anchor every annotation and fix to ``sources`` as they are now.

        Sources are matched to the stored ones by name, then by path (so a
        session survives being opened with the files passed another way). For
        every source whose sentences differ from the stored baseline, each
        reference is moved to its new index, or to a reworded version of its
        sentence; annotations that lose all their members and fixes that lose
        either sentence go to :attr:`orphans` with the reason. The stored
        baseline is then updated, so the next bind compares against this one.
        """
        by_name = {s.name: s for s in sources}
        by_path = {str(Path(s.path).absolute()): s for s in sources if s.path is not None}
        renames: dict[str, str] = {}
        current: dict[str, Source] = {}
        taken: set[str] = set()
        for ref in self.sources:
            src = by_name.get(ref.name) or (by_path.get(ref.path) if ref.path else None)
            if src is not None and src.name not in taken:
                taken.add(src.name)
                if ref.name != src.name:
                    renames[ref.name] = src.name
                current[ref.name] = src
        missing = tuple(r.name for r in self.sources if r.name not in current)
        changed = tuple(r.name for r in self.sources if r.name in current
                        and (current[r.name].sha256 != r.sha256 or _texts(current[r.name]) != r.sentences))

        maps: dict[str, tuple[SourceRef, dict[int, int], tuple[str, ...]]] = {}
        for ref in self.sources:
            if ref.name in current and _texts(current[ref.name]) != ref.sentences:
                new = _texts(current[ref.name])
                maps[ref.name] = (ref, reanchor_map(ref.sentences, new), new)

        moved = 0

        def follow(s: SentenceRef) -> SentenceRef | None:
            nonlocal moved
            name = renames.get(s.source, s.source)
            if s.source not in maps:
                return s if name == s.source else replace(s, source=name)
            ref, mapping, new = maps[s.source]
            if 0 <= s.index < len(ref.sentences) and ref.sentences[s.index] == s.text:
                j = mapping.get(s.index)
            else:
                j = locate(s.text, new, s.index)
            if j is None:
                return None
            if j != s.index or new[j] != s.text:
                moved += 1
            return SentenceRef(name, j, new[j])

        stamp = _now()
        orphaned = 0
        annotations: list[StoredAnnotation] = []
        for ann in self.annotations:
            members = [follow(m) for m in ann.members]
            kept = tuple(m for m in members if m is not None)
            if kept:
                annotations.append(replace(ann, members=kept))
            else:
                gone = "; ".join(f"{m.source}: {snippet(m.text)!r}" for m in ann.members)
                self.orphans.append(Orphan("annotation", f"its sentences are no longer in the source ({gone})",
                                           ann, stamp))
                orphaned += 1
        overrides: list[StoredOverride] = []
        for ov in self.overrides:
            sent = follow(ov.sentence)
            anchor = follow(ov.anchor) if ov.anchor is not None else None
            lost = [r for r, new in ((ov.sentence, sent), (ov.anchor, anchor)) if r is not None and new is None]
            if lost:
                gone = "; ".join(f"{r.source}: {snippet(r.text)!r}" for r in lost)
                self.orphans.append(Orphan("override", f"its sentence is no longer in the source ({gone})", ov, stamp))
                orphaned += 1
            else:
                assert sent is not None
                overrides.append(StoredOverride(ov.kind, sent, anchor))

        stored = {r.name for r in self.sources}
        refs = [SourceRef.of(current[r.name]) if r.name in current else r for r in self.sources]
        added = tuple(s.name for s in sources if s.name not in stored and s.name not in renames.values())
        refs += [SourceRef.of(s) for s in sources if s.name in added]
        pivot = renames.get(self.settings.pivot or "", self.settings.pivot)

        touched = (annotations != self.annotations or overrides != self.overrides or refs != self.sources
                   or pivot != self.settings.pivot)
        self.annotations, self.overrides, self.sources = annotations, overrides, refs
        self.settings = replace(self.settings, pivot=pivot)
        if touched:
            self.dirty = True
            self._undo.clear()  # snapshots hold pre-bind indices; replaying them would misplace notes
        self._bound = _bind_key(sources)
        return BindResult(changed=changed, missing=missing, added=added, reanchored=moved, orphaned=orphaned)

    def _ensure_bound(self, sources: Sequence[Source]) -> None:
        if self._bound != _bind_key(sources):
            self.bind(sources)

    # ----------------------------------------------------------------- annotations

    def annotations_by_row(self, alignment: Alignment) -> dict[int, Annotation]:
        """Row index → annotation for this alignment, whatever its pivot, threshold or fixes.

        An annotation belongs to the row holding most of its member sentences
        (ties: the earliest member, the pivot's sentence when it was made), so
        unlinking one sentence from an annotated row leaves the note with the
        rest of the row. Two annotations landing on one row (a higher
        threshold merged their rows) are shown merged, nothing hidden.
        """
        rows: dict[int, list[StoredAnnotation]] = {}
        for ann, row in self._placed(alignment):
            rows.setdefault(row, []).append(ann)
        return {row: _merge(anns) for row, anns in sorted(rows.items())}

    def _placed(self, alignment: Alignment) -> Iterator[tuple[StoredAnnotation, int]]:
        self._ensure_bound(alignment.sources)
        where = _row_index(alignment)
        ids = {s.name: i for i, s in enumerate(alignment.sources)}
        for ann in self.annotations:
            votes: dict[int, int] = {}
            for m in ann.members:
                pos = _position(alignment, ids, m)
                if pos is not None and pos in where:
                    votes.setdefault(where[pos], 0)
                    votes[where[pos]] += 1
            if votes:
                best = max(votes.values())
                yield ann, next(r for r, v in votes.items() if v == best)

    def set_annotation(self, alignment: Alignment, row: int, annotation: Annotation) -> str | None:
        """Set (or, with an empty annotation, remove) the annotation of ``row``.

        ``alignment`` is the one on screen (overrides applied). Returns a
        description for the undo notice, or None when nothing changed. New
        tags join the session's tag vocabulary.
        """
        if not 0 <= row < len(alignment.rows):
            raise IndexError(f"row {row} is not in the alignment")
        here = [a for a, r in self._placed(alignment) if r == row]
        current = _merge(here) if here else Annotation()
        if (current.empty and annotation.empty) or (here and current == annotation):
            return None
        what = f"{'removed ' if annotation.empty else ''}annotation on row #{row}"
        self._push(what)
        now = _now()
        keep = [a for a in self.annotations if not any(a is h for h in here)]
        if not annotation.empty:
            members = _row_members(alignment, row)
            created = min((a.created for a in here if a.created), default=now)
            keep.append(StoredAnnotation(members, annotation.note, tuple(annotation.tags), annotation.starred,
                                         created, now, row_id(alignment, row)))
            for tag in annotation.tags:
                if tag not in self.tags:
                    self.tags.append(tag)
        self.annotations = keep
        self.dirty = True
        return what

    # ----------------------------------------------------------------- overrides

    def resolved_overrides(self, sources: Sequence[Source]) -> list[Override]:
        """The stored fixes as :class:`Override` on these sources' current indices.

        Fixes involving a source that is not in the corpus stay dormant (left out).
        """
        self._ensure_bound(sources)
        ids = {s.name: i for i, s in enumerate(sources)}
        out = []
        for ov in self.overrides:
            a = _position_in(sources, ids, ov.sentence)
            b = _position_in(sources, ids, ov.anchor) if ov.anchor is not None else None
            if a is None or (ov.anchor is not None and b is None):
                continue
            out.append(Override(ov.kind, a[0], a[1], b[0] if b else None, b[1] if b else None))
        return out

    def apply(self, alignment: Alignment) -> Alignment:
        """The automatic ``alignment`` with this session's fixes replayed on it."""
        return apply_overrides(alignment, self.resolved_overrides(alignment.sources))

    def add_override(self, alignment: Alignment, override: Override) -> str | None:
        """Record a fix made on the alignment on screen; returns the refusal reason, or None.

        ``alignment`` must be the displayed one (fixes applied): that is where
        the reader saw the rows, so that is where the fix is validated.
        """
        reason = validate_override(alignment, override)
        if reason:
            return reason
        sent = _ref(alignment, override.source, override.index)
        anchor = None
        if override.kind == LINK:
            assert override.anchor_source is not None and override.anchor_index is not None
            anchor = _ref(alignment, override.anchor_source, override.anchor_index)
        label = alignment.sources[override.source].label or sent.source
        what = f"{override.kind} of sentence #{override.index} of {label}"
        self._push(what)
        self.overrides.append(StoredOverride(override.kind, sent, anchor))
        self.dirty = True
        return None

    # ----------------------------------------------------------------- undo

    def _push(self, description: str) -> None:
        self._undo.append(_Snapshot(description, tuple(self.annotations), tuple(self.overrides), tuple(self.tags)))
        del self._undo[:-_UNDO_DEPTH]

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str | None:
        """Undo the last annotation change or fix; returns what was undone, or None.

        The stack lives in memory only (like an editor's): it covers this run,
        and a bind that moved sentences clears it.
        """
        if not self._undo:
            return None
        snap = self._undo.pop()
        self.annotations, self.overrides, self.tags = list(snap.annotations), list(snap.overrides), list(snap.tags)
        self.dirty = True
        return snap.description

    # ----------------------------------------------------------------- JSON

    def to_json(self) -> dict[str, Any]:
        return {
            "format": _FORMAT,
            "schema_version": self.schema_version,
            "revision": self.revision,
            "name": self.name,
            "created": self.created,
            "updated": self.updated,
            "settings": {"threshold": self.settings.threshold, "pivot": self.settings.pivot,
                         "min_share": self.settings.min_share},
            "sources": [
                {"name": s.name, "path": s.path, "label": s.label, "sha256": s.sha256, "sentences": list(s.sentences),
                 **({"url": s.url} if s.url else {})}
                for s in self.sources
            ],
            "annotations": [annotation_json(a) for a in self.annotations],
            "overrides": [override_json(o) for o in self.overrides],
            "tags": list(self.tags),
            "view": self.view.to_json(),
            **({"labels": dict(self.labels)} if self.labels else {}),
            "orphans": [
                {"kind": o.kind, "reason": o.reason, "since": o.since,
                 "item": annotation_json(o.item) if isinstance(o.item, StoredAnnotation) else override_json(o.item)}
                for o in self.orphans
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> Session:
        """Parse and validate; raises ValueError (with a short reason) on anything malformed."""
        d = read_obj(data, "session")
        if d.get("format") != _FORMAT:
            raise ValueError("not a Parallax session file")
        version = read_int(d.get("schema_version"), "schema_version")
        if version > SCHEMA_VERSION:
            raise NewerSchemaError(version)
        s = read_obj(d.get("settings"), "settings")
        threshold = s.get("threshold")
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise ValueError("settings.threshold must be a number in [0, 1]")
        min_share = s.get("min_share", AlignSettings().min_share)
        if isinstance(min_share, bool) or not isinstance(min_share, (int, float)) or not 0 <= min_share <= 1:
            raise ValueError("settings.min_share must be a number in [0, 1]")
        orphans = []
        for o in read_list(d.get("orphans", []), "orphans"):
            o = read_obj(o, "orphan")
            kind = read_str(o.get("kind"), "orphan kind")
            if kind not in ("annotation", "override"):
                raise ValueError(f"unknown orphan kind {kind!r}")
            item: StoredAnnotation | StoredOverride = (
                annotation_from(o.get("item")) if kind == "annotation" else override_from(o.get("item"))
            )
            reason = read_str(o.get("reason"), "orphan reason")
            orphans.append(Orphan(kind, reason, item, read_str(o.get("since", ""), "since")))
        return cls(
            name=read_str(d.get("name"), "name"),
            schema_version=version,
            revision=_revision(read_int(d.get("revision", 0), "revision")),
            created=read_str(d.get("created"), "created"),
            updated=read_str(d.get("updated"), "updated"),
            settings=SessionSettings(float(threshold), read_opt_str(s.get("pivot"), "settings.pivot"), float(min_share)),
            sources=[source_from(x) for x in read_list(d.get("sources"), "sources")],
            annotations=[annotation_from(x) for x in read_list(d.get("annotations"), "annotations")],
            overrides=[override_from(x) for x in read_list(d.get("overrides"), "overrides")],
            tags=[read_str(t, "tag") for t in read_list(d.get("tags", list(DEFAULT_TAGS)), "tags")],
            view=ViewState.from_json(read_obj(d.get("view", {}), "view")),
            orphans=orphans,
            labels={read_str(k, "label source"): read_str(v, "label") for k, v in read_obj(d.get("labels", {}), "labels").items()},
        )


# --------------------------------------------------------------------------- helpers


def _texts(source: Source) -> tuple[str, ...]:
    return tuple(s.text for s in source.sentences)


def _bind_key(sources: Sequence[Source]) -> tuple[tuple[str, str, int], ...]:
    return tuple((s.name, s.sha256, len(s.sentences)) for s in sources)


def _ref(alignment: Alignment, source: int, index: int) -> SentenceRef:
    return SentenceRef(alignment.sources[source].name, index, alignment.sentence(source, index).text)


def _position_in(sources: Sequence[Source], ids: Mapping[str, int], ref: SentenceRef) -> tuple[int, int] | None:
    """(source id, index) of a stored sentence in this corpus, if it is there with the same text."""
    sid = ids.get(ref.source)
    if sid is None:
        return None
    sentences = sources[sid].sentences
    if 0 <= ref.index < len(sentences) and sentences[ref.index].text == ref.text:
        return sid, ref.index
    return None


def _position(alignment: Alignment, ids: Mapping[str, int], ref: SentenceRef) -> tuple[int, int] | None:
    return _position_in(alignment.sources, ids, ref)


def _row_index(alignment: Alignment) -> dict[tuple[int, int], int]:
    return alignment.row_index()


def _row_members(alignment: Alignment, row: int) -> tuple[SentenceRef, ...]:
    """Every sentence of the row, the pivot's first: an annotation is stored by all of them."""
    cells = alignment.rows[row].cells
    order = sorted(range(len(cells)), key=lambda s: (s != alignment.pivot, s))
    return tuple(_ref(alignment, s, i) for s in order for i in cells[s])


def _merge(anns: Sequence[StoredAnnotation]) -> Annotation:
    if len(anns) == 1:
        return anns[0].annotation
    notes = [a.note for a in anns if a.note.strip()]
    tags = tuple(dict.fromkeys(t for a in anns for t in a.tags))
    return Annotation("\n\n".join(notes), tags, any(a.starred for a in anns))


#: A revision past this is no count of saves (2**53: any JSON reader still holds it exactly).
_MAX_REVISION = 2**53


def _revision(v: int) -> int:
    """A stored revision, restarted from 0 when absurd: 4,300 digits made every later save fail.

    The revision is informative only (whether a file is still ours is told by
    its stamp and sha256), so restarting it loses nothing.
    """
    return v if v < _MAX_REVISION else 0
