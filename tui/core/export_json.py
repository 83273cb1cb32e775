"""The alignment as one JSON document, the form scripts and other tools take Parallax's work away in.

The long CSV is one line per sentence, so a script that wants *rows* has to
group lines back together, and row-level facts (flags, who leaves a row out,
notes) are repeated on every line as flat strings. This document keeps the
structure instead: settings, sources, then one object per row holding its
member sentences per source (with their offsets into the file), its flags
with each reading and the sources that give it, the omission model's verdict
on it, and finally the session's annotations and manual fixes. Every content
sentence appears exactly once, in the same rows and order as the long CSV.

The shape is fixed by ``docs/export.schema.json`` (JSON Schema 2020-12);
``schema_version`` goes up when a field changes meaning or disappears, not
when an optional one is added. A row's members per source are a *list* of
sentences, so the document reads the same whether a cell holds one sentence
or a run of them.

Article text is untrusted. By default (``guard=True``) every C0/C1 control
character but tab and line feed is written as the visible stand-in the reader
and the CSV use (ESC as ``␛``), one character for one, so offsets stay valid;
``guard=False`` keeps the text verbatim. Either way the *file* stays inert:
JSON escapes C0 controls itself, and DEL, the C1 range and the line/paragraph
separators are written as ``\\uXXXX`` escapes, so ``cat export.json`` cannot
drive a terminal even when the values are verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TextIO

from tui import __version__
from tui.core.export import clean_text, encodable
from tui.core.model import Alignment, Annotation, Override, Source
from tui.core.omissions import UNCERTAIN_BELOW, omissions
from tui.core.rowid import row_ids

__all__ = ["FORMAT", "SCHEMA_VERSION", "document", "dumps", "session_fixes", "write_json"]

#: What a tool checks to know it holds a Parallax export.
FORMAT = "parallax-export"
#: Bumped when a field changes meaning or is removed (adding an optional field is not a change).
SCHEMA_VERSION = 1

#: Characters written as \\u escapes in the file whatever the values hold: DEL, C1, U+2028/2029.
_FILE_ESCAPES = re.compile("[\x7f-\x9f\u2028\u2029]")
#: A list of whole numbers that ``indent`` spread over one line each (JSON strings hold no raw newline).
_NUMBER_LIST = re.compile(r"\[\s+(-?\d+(?:,\s+-?\d+)*)\s+\]")


def _absolute(alignment: Alignment, row: int, source: int, offset: int) -> tuple[int, int]:
    """(sentence index, file offset) of a character offset into the cell's text.

    A cell of several sentences is compared as their texts joined
    (:meth:`Alignment.cell_text`), so a flag's offset is walked back through
    that join to the sentence it falls in.
    """
    spans = alignment.cell_spans(row, source)
    if not spans:
        raise ValueError(f"source {source} has no sentence in row {row}")
    for index, start, end in spans:
        if offset <= end or index == spans[-1][0]:
            sentence = alignment.sources[source].sentences[index]
            return index, sentence.start + max(0, min(offset - start, end - start))
    raise AssertionError("unreachable")


def _flag(alignment: Alignment, row: int, flag: Any, clean: Callable[[str], str]) -> dict[str, Any]:
    spans = []
    for source, start, end, text in flag.spans:
        sentence, a = _absolute(alignment, row, source, start)
        _, b = _absolute(alignment, row, source, end)
        spans.append({"source": source, "sentence": sentence, "start": a, "end": b, "text": clean(text)})
    return {
        "kind": flag.kind,
        "topic": flag.topic or flag.kind,
        "message": clean(flag.message),
        "readings": [{"value": clean(value), "sources": list(members)} for value, members in flag.values],
        "spans": spans,
    }


def _source(source: Source, model_source: Any, clean: Callable[[str], str]) -> dict[str, Any]:
    def opt(value: str | None) -> str | None:
        return None if value is None else clean(value)

    return {
        "id": source.id,
        "name": clean(source.name),
        "label": clean(source.label),
        "title": opt(source.title),
        "url": opt(source.url),
        "date": opt(source.date),
        "author": opt(source.author),
        "dateline": None if source.dateline is None else clean(source.dateline.text),
        "sha256": source.sha256,
        "encoding": source.encoding,
        "sentences": len(source.sentences),
        "leaves_out": list(model_source.left_out),
        "reports_alone": list(model_source.unique),
    }


def _fix(override: Override, rows: Mapping[tuple[int, int], int]) -> dict[str, Any]:
    anchor = None
    if override.anchor_source is not None and override.anchor_index is not None:
        anchor = {"source": override.anchor_source, "sentence": override.anchor_index}
    return {
        "kind": override.kind,
        "source": override.source,
        "sentence": override.index,
        "anchor": anchor,
        "row": rows.get((override.source, override.index)),
    }


def document(
    alignment: Alignment,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    fixes: Iterable[Override] = (),
    session: str | None = None,
    guard: bool = True,
) -> dict[str, Any]:
    """The export as plain JSON values (see ``docs/export.schema.json``).

    ``annotations`` are the session's notes by row (as every export takes
    them), ``fixes`` its manual alignment fixes on this corpus's sentence
    indices (:meth:`Session.resolved_overrides`), already applied to
    ``alignment``; ``session`` its name. ``guard=False`` keeps control
    characters in the text verbatim.
    """
    from tui.core.compare import compare_row  # the comparer is heavy; only an export needs it

    def clean(text: str) -> str:
        return clean_text(text, guard=guard)

    annotations = annotations or {}
    model = omissions(alignment)
    ids = row_ids(alignment)
    rows = []
    for r, row in enumerate(alignment.rows):
        verdict = model.rows[r]
        diff = compare_row(alignment, r)
        item: dict[str, Any] = {"row": r, "id": ids[r]}
        item.update({
            "coverage": row.count,
            "sources": list(row.coverage),
            "score": round(row.score, 4),
            "uncertain": verdict.uncertain,
            "widely_reported": verdict.widely_reported,
            "summary": verdict.summary,
            "unique": verdict.unique,
            "left_out_by": list(verdict.left_out_by),
            "elsewhere": [{"source": s, "row": other} for s, other in verdict.elsewhere],
            "flags": [_flag(alignment, r, f, clean) for f in diff.flags],
            "variants": [_flag(alignment, r, f, clean) for f in diff.quiet],
            "members": [
                {
                    "source": s,
                    "sentences": [
                        {
                            "index": sentence.index,
                            "text": clean(sentence.text),
                            "start": sentence.start,
                            "end": sentence.end,
                            "kind": sentence.kind,
                        }
                        for sentence in alignment.cell_sentences(r, s)
                    ],
                }
                for s in row.coverage
            ],
        })
        rows.append(item)
    where = alignment.row_index()
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "generator": {"name": "parallax", "version": __version__},
        "settings": {
            "threshold": alignment.settings.threshold,
            "pivot": alignment.pivot,
            "min_share": model.min_share,
            "widely_reported_needs": model.needed,
            "uncertain_below": UNCERTAIN_BELOW,
            "guard": guard,
        },
        "session": None if session is None else {"name": clean(session)},
        "sources": [_source(s, model.sources[s.id], clean) for s in alignment.sources],
        "rows": rows,
        "annotations": [
            {"row": r, "note": clean(a.note), "tags": [clean(t) for t in a.tags], "starred": a.starred}
            for r, a in sorted(annotations.items())
            if not a.empty
        ],
        "fixes": [_fix(f, where) for f in fixes],
    }


def session_fixes(name: str, alignment: Alignment, store: Any = None) -> list[Override]:
    """The manual fixes of session ``name`` on ``alignment``'s sentences, for :func:`document`.

    Reads the session without changing it (as the export of its rows does):
    the fixes are re-anchored in memory to the corpus being exported, and
    those involving a source it lacks are left out, as they were when the
    rows were built.
    """
    from tui.core.session_store import SessionStore

    session = (store or SessionStore()).load(name, quarantine=False)
    return session.resolved_overrides(alignment.sources)


def dumps(doc: Mapping[str, Any]) -> str:
    """The document as UTF-8-ready text: indented, and inert on a terminal whatever its values hold."""
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    text = _NUMBER_LIST.sub(lambda m: "[" + ", ".join(m.group(1).replace(",", " ").split()) + "]", text)
    text = _FILE_ESCAPES.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return encodable(text)  # lone surrogates (undecodable file names) as U+FFFD, as in the CSV


def write_json(
    alignment: Alignment,
    fp: TextIO,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    fixes: Sequence[Override] = (),
    session: str | None = None,
    guard: bool = True,
) -> int:
    """Write the document to ``fp``; return the number of rows in it."""
    doc = document(alignment, annotations=annotations, fixes=fixes, session=session, guard=guard)
    fp.write(dumps(doc))
    return len(doc["rows"])
