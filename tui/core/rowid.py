"""Stable row ids: a name for a row that survives a new pivot, a new threshold and fixes elsewhere.

A row's number (``#59``) is its position in reading order, so it changes
with the pivot (which orders the rows) and with every fix (which adds or
removes rows before it): "see row #59" in a note does not survive. A row id
is instead derived from one of the row's own sentences, its *anchor*:

    ``<source tag>-<sentence index>``, e.g. ``kqzmbt-12``

* The **source tag** is six letters drawn from the sha256 of the source's
  bytes (its content, not its file name or its place in the corpus), so
  renaming a file, reordering the inputs or changing the pivot keeps it.
  Letters only (no vowels, no digits): a spreadsheet never reads an id as a
  number, a date or a formula, and no word is spelt by accident. Should two
  sources of a corpus share a tag, every tag of that corpus grows a letter
  until they differ; two sources with identical bytes are told apart by
  their file names.
* The **anchor** is chosen without the pivot: of the row's body sentences
  (headlines, headings and bullets only when the row has no body sentence),
  the one whose source has the smallest tag, then the smallest index. Body
  sentences first because summary lines are what joins and leaves a row most
  easily when the threshold moves (a heading joins a body row only at a high
  probability); the smallest tag because it is a fixed order over the corpus
  that owes nothing to the pivot or to which sources are on screen.

What that buys, and what it cannot: a row keeps its id whatever the pivot
(the pivot never regroups rows), whatever fixes are made to *other* rows,
and through any change that leaves its anchor in it. When a threshold
change splits a row, the part holding the anchor keeps the id and the rest
get the ids of their own anchors; when two rows merge, the merged row takes
the id of the one whose anchor comes first. Ids are unique within an
alignment because a sentence sits in one row only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from tui.core.model import KIND_BODY, Alignment, Row, Source

#: Letters a tag is spelt with: consonants only, so no tag reads as a word or a number.
ALPHABET = "bcdfghjklmnpqrstvwxz"
#: Letters in a tag before any collision lengthens them: 20**6 = 64 million, so two sources
#: of a 300-source corpus share a tag about once in 1,400 corpora.
TAG_LENGTH = 6


def _digest(source: Source) -> str:
    return source.sha256 or hashlib.sha256(source.text.encode("utf-8", "surrogatepass")).hexdigest()


def _spell(digest: str, length: int) -> str:
    value = int(digest, 16)
    letters = []
    for _ in range(length):
        value, rest = divmod(value, len(ALPHABET))
        letters.append(ALPHABET[rest])
    return "".join(letters)


def source_tags(sources: Sequence[Source]) -> tuple[str, ...]:
    """Each source's tag (see the module docstring), in corpus order; all different."""
    digests = [_digest(s) for s in sources]
    seen: dict[str, int] = {}
    for d in digests:
        seen[d] = seen.get(d, 0) + 1
    # identical bytes: the file name tells them apart
    keyed = [
        hashlib.sha256(f"{d}\0{s.name}".encode("utf-8", "surrogatepass")).hexdigest() if seen[d] > 1 else d
        for d, s in zip(digests, sources)
    ]
    length = TAG_LENGTH
    while True:
        tags = tuple(_spell(k, length) for k in keyed)
        if len(set(tags)) == len(tags) or length >= 64:
            return tags
        length += 1


def anchor(alignment: Alignment, row: Row, tags: Sequence[str] | None = None) -> tuple[int, int] | None:
    """The ``(source, index)`` a row's id is derived from, or None for an empty row."""
    tags = source_tags(alignment.sources) if tags is None else tags
    members = row.members
    if not members:
        return None
    body = [(s, i) for s, i in members if alignment.sources[s].sentences[i].kind == KIND_BODY]
    return min(body or members, key=lambda m: (tags[m[0]], m[1]))


def format_id(tag: str, index: int) -> str:
    return f"{tag}-{index}"


def row_ids(alignment: Alignment) -> tuple[str, ...]:
    """Every row's id, in row order (an empty row, which the aligner never makes, gets ``""``)."""
    tags = source_tags(alignment.sources)
    out = []
    for row in alignment.rows:
        found = anchor(alignment, row, tags)
        out.append("" if found is None else format_id(tags[found[0]], found[1]))
    return tuple(out)


def row_id(alignment: Alignment, row: int) -> str:
    """One row's id (computing every tag: use :func:`row_ids` for many rows)."""
    found = anchor(alignment, alignment.rows[row])
    if found is None:
        return ""
    return format_id(source_tags(alignment.sources)[found[0]], found[1])


def find_row(alignment: Alignment, wanted: str) -> int | None:
    """The row of ``alignment`` whose id is ``wanted`` (case and spaces ignored), if any."""
    wanted = wanted.strip().lower()
    for r, rid in enumerate(row_ids(alignment)):
        if rid == wanted:
            return r
    return None
