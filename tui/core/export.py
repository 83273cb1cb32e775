"""Write an alignment to CSV, the form researchers take Parallax's work away in.

Two shapes, because the two audiences differ: *long* (one line per sentence)
is what pandas, R and pivot tables want -- every content sentence of every
source appears exactly once, with its offsets, so nothing is lost and the
export can be joined back to the original files. *Wide* (one line per row, a
column per source) is what a person reads in a spreadsheet, side by side like
the reader's panes.

Article text is untrusted: a scraped sentence starting with ``=`` or ``@``
would run as a formula when the CSV is opened in a spreadsheet (CSV
injection). By default every text cell that a spreadsheet would execute gets a
leading ``'``, as OWASP recommends, and every control character but tab and
newline is written as the visible stand-in the reader paints (``\x1b`` as
``␛``), so that ``cat rows.csv`` cannot clear a screen or write the clipboard.
``guard=False`` writes text verbatim for tools that read CSV as data.

Callers pass a text file opened with ``encoding="utf-8", newline=""`` (the
csv module writes its own ``\\r\\n`` record ends and quotes embedded newlines
itself). Text the file cannot encode (lone surrogates, which undecodable
bytes in file names turn into) stops the export with an :class:`ExportError`
rather than a raw ``UnicodeEncodeError``; :func:`encodable` makes any text
safe to write.
"""

from __future__ import annotations

import contextlib
import csv
import re
from collections.abc import Callable, Container, Mapping
from pathlib import Path
from typing import TextIO

from tui.core.errors import ExportError
from tui.core.model import Alignment, Annotation
from tui.core.terminal import inert_text

#: Leading characters that make a spreadsheet treat a cell as a formula
#: (``=``, ``+``, ``-``, ``@``) or that let one slip past a naive check
#: (tab, carriage return). From the OWASP CSV injection guidance.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")

LONG_HEADER: tuple[str, ...] = (
    "row", "row_id", "source", "sentence", "text", "start", "end", "coverage", "score",
    "label", "kind", "flags", "note", "tags", "starred",
)
WIDE_LEAD: tuple[str, ...] = ("row", "row_id", "coverage", "score")
WIDE_TAIL: tuple[str, ...] = ("left_out_by", "flags", "note", "tags", "starred")

#: Separator between tags in the ``tags`` column, and between file names in ``left_out_by``.
TAG_SEPARATOR = "; "

FORMATS: tuple[str, ...] = ("long", "wide")

_NO_ANNOTATION = Annotation()


#: Lone surrogates: what Python makes of undecodable bytes in file names.
_SURROGATES = re.compile("[\ud800-\udfff]")


def guard_cell(value: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula by prefixing ``'``."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def clean_text(value: str, *, guard: bool = True) -> str:
    """A text value as an exporter writes it: control characters shown (see :func:`inert_text`).

    For formats without formulas (JSON strings); ``guard=False`` keeps the text verbatim.
    """
    return inert_text(value) if guard else value


def clean_cell(value: str, *, guard: bool = True, controls: bool | None = None) -> str:
    """A CSV text cell as written: controls shown, then a would-be formula defused.

    ``guard=False`` writes the value verbatim; ``controls`` (default: same as
    ``guard``) decides about control characters alone, for verbatim text that
    still goes to a terminal.
    """
    if controls if controls is not None else guard:
        value = inert_text(value)
    return guard_cell(value) if guard else value


def _cleaner(guard: bool, controls: bool | None) -> Callable[[str], str]:
    if not guard and not controls:
        return _identity
    return lambda value: clean_cell(value, guard=guard, controls=controls)


def encodable(value: str) -> str:
    """Replace lone surrogates with U+FFFD so the text can be written as UTF-8.

    One character for one, so a sentence keeps the length its offsets imply.
    :func:`export` itself writes cells verbatim (a reader of the CSV in memory
    gets exactly the alignment's text); callers writing a file apply this to
    the rendered CSV, as the command line does.
    """
    return _SURROGATES.sub("\ufffd", value)


def _identity(value: str) -> str:
    return value


def _flagger(alignment: Alignment, spelling: bool = False) -> Callable[[int], str]:
    """Return a row -> flags-text function; ``spelling`` adds the quiet spelling variants.

    Imported here, not at the top: the command line imports this module for
    its format names, and ``parallax --help`` should not wait for the comparer.
    """
    from tui.core.compare import compare_row_flags, flags_text

    return lambda row: flags_text(compare_row_flags(alignment, row), alignment, quiet=spelling)


def _annotation_cells(annotation: Annotation, clean: Callable[[str], str]) -> list[str]:
    """The ``note, tags, starred`` cells for one row."""
    return [
        clean(annotation.note),
        clean(TAG_SEPARATOR.join(annotation.tags)),
        "1" if annotation.starred else "0",
    ]


def write_long(
    alignment: Alignment,
    fp: TextIO,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    guard: bool = True,
    spelling: bool = False,
    controls: bool | None = None,
    rows: Container[int] | None = None,
) -> int:
    """Write one line per content sentence; return the data lines written (header excluded).

    Lines follow the rows in reading order and, within a row, the sources in
    corpus order; a source with several sentences in a row (a split statement,
    a headline beside its body sentence) gets a line for each, in reading
    order, all with the same ``row``. Row-level columns (coverage, score, flags, annotations) are
    repeated on every line of a row so that filtering one column in a
    spreadsheet never loses them. ``rows`` limits the lines to those rows
    (the reader's filter); each keeps its number in the whole alignment.
    ``row_id`` is the row's stable id (:mod:`tui.core.rowid`): unlike ``row``
    it does not change with the pivot or with fixes to other rows.
    """
    from tui.core.rowid import row_ids

    annotations = annotations or {}
    clean = _cleaner(guard, controls)
    flags_for = _flagger(alignment, spelling)
    ids = row_ids(alignment)
    writer = csv.writer(fp)
    writer.writerow(LONG_HEADER)
    written = 0
    # a source's name and label cells, cleaned once for all its lines
    names = [clean(source.name) for source in alignment.sources]
    labels = [clean(source.label) for source in alignment.sources]
    for r, row in enumerate(alignment.rows):
        if rows is not None and r not in rows:
            continue
        shared = [str(row.count), f"{row.score:.3f}"]
        tail = [clean(flags_for(r)), *_annotation_cells(annotations.get(r, _NO_ANNOTATION), clean)]
        for s, index in row.members:
            sentence = alignment.sources[s].sentences[index]
            writer.writerow([
                str(r),
                ids[r],
                names[s],
                str(sentence.index),
                clean(sentence.text),
                str(sentence.start),
                str(sentence.end),
                *shared,
                labels[s],
                sentence.kind,
                *tail,
            ])
            written += 1
    return written


def write_wide(
    alignment: Alignment,
    fp: TextIO,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    guard: bool = True,
    spelling: bool = False,
    controls: bool | None = None,
    rows: Container[int] | None = None,
) -> int:
    """Write one line per row, a column per source; return the data lines written.

    A source with nothing in a row gets an empty cell: the gap the reader
    shows. A source with several sentences in the row gets them in one cell,
    joined as :meth:`~tui.core.model.Alignment.cell_text` joins them (one
    space), the text the reader shows and the flags are computed on. Source
    columns are headed by file name, which is unique within a corpus (labels
    need not be). ``left_out_by`` names the sources that leave a widely
    reported row out, by the alignment's ``min_share`` (see
    :mod:`tui.core.omissions`); a gap in a row few sources have is no one's
    omission and leaves it empty. ``rows`` limits the lines to those rows,
    as in :func:`write_long`; ``row_id`` as there.
    """
    from tui.core.rowid import row_ids

    annotations = annotations or {}
    clean = _cleaner(guard, controls)
    flags_for = _flagger(alignment, spelling)
    ids = row_ids(alignment)
    from tui.core.omissions import omissions  # lazily, as in _flagger

    model = omissions(alignment)
    writer = csv.writer(fp)
    writer.writerow([*WIDE_LEAD, *(clean(s.name) for s in alignment.sources), *WIDE_TAIL])
    written = 0
    for r, row in enumerate(alignment.rows):
        if rows is not None and r not in rows:
            continue
        texts = [clean(alignment.cell_text(r, s) or "") for s in range(len(row.cells))]
        writer.writerow([
            str(r),
            ids[r],
            str(row.count),
            f"{row.score:.3f}",
            *texts,
            clean(TAG_SEPARATOR.join(alignment.sources[s].name for s in model.left_out_by(r))),
            clean(flags_for(r)),
            *_annotation_cells(annotations.get(r, _NO_ANNOTATION), clean),
        ])
        written += 1
    return written


_WRITERS = {"long": write_long, "wide": write_wide}


def export(
    alignment: Alignment,
    fmt: str,
    fp: TextIO,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    guard: bool = True,
    spelling: bool = False,
    controls: bool | None = None,
    rows: Container[int] | None = None,
) -> int:
    """Write ``alignment`` in format ``fmt`` (``"long"`` or ``"wide"``); return data lines written.

    ``spelling`` also lists spelling variants (Defence/Defense) in the
    ``flags`` column; by default it holds only the discrepancies the reader
    marks with ⚑. ``guard`` defuses formulas and shows control characters;
    ``controls`` (default: as ``guard``) decides about control characters on their own.
    ``rows``, when given, is the set of rows to write.
    """
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise ExportError(f"unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    try:
        return writer(alignment, fp, annotations=annotations, guard=guard, spelling=spelling, controls=controls,
                      rows=rows)
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start:exc.end] if isinstance(exc.object, str) else ""
        raise ExportError(
            f"cannot write character {bad!r} as {exc.encoding}: the text holds characters that are not valid "
            "Unicode (often an undecodable file name)"
        ) from None


def write_new_file(folder: Path, stem: str, text: str, suffix: str = ".csv") -> Path:
    """Write ``text`` to a new file ``folder/<stem><suffix>`` and return its path.

    Never overwrites: a name already taken gets ``-2``, ``-3``… (the file is
    created exclusively, so two exports in the same second cannot collide).
    A write that fails half-way (a full disk) removes the truncated file
    rather than leave a CSV that looks whole.
    """
    path = folder / f"{stem}{suffix}"
    n = 1
    while True:
        try:
            fh = open(path, "x", encoding="utf-8", newline="")
        except FileExistsError:
            n += 1
            path = folder / f"{stem}-{n}{suffix}"
            continue
        try:
            with fh:
                fh.write(text)
        except BaseException:
            with contextlib.suppress(OSError):
                path.unlink()
            raise
        return path
