"""From files on disk to :class:`~tui.core.model.Source` objects.

News scrapes arrive in whatever encoding the scraper felt like, with the
page's furniture (comment forms, share counters, "Related Posts", weather
strips, mastheads, press-release headers and media contacts, reader call-outs)
mixed into the article. Alignment is only as good as its input, so
this module keeps four things apart: front matter, headline, dateline and
body content; everything else it recognises as furniture and sets aside with
a reason, so the UI can still show it dimmed.

The work is split in two so that all of the judgement is testable without
touching the disk: :func:`parse_source` is a pure, never-raising function of
the decoded text, and :func:`load_sources` / :func:`decode` do the file I/O
and turn every way a file can be unusable into one clear
:class:`~tui.core.errors.IngestError`.

Offsets are sacred: nothing here rewrites ``Source.text``, and every span
slices back out of it exactly.

The rooms: :mod:`.decode` (bytes to text), :mod:`.files` (paths, names,
reading), :mod:`.furniture` (what is not the article), :mod:`.structure`
(front matter, headline, dateline, headings, bullets, body) and
:mod:`.lines` (the line helpers the last two share). Import from the
package; the modules are its inside.
"""

from __future__ import annotations

from tui.core.ingest.decode import decode
from tui.core.ingest.files import DEFAULT_MAX_BYTES, TEXT_SUFFIXES, load_sources
from tui.core.ingest.furniture import furniture_reason
from tui.core.ingest.structure import parse_source

__all__ = [
    "DEFAULT_MAX_BYTES",
    "TEXT_SUFFIXES",
    "decode",
    "display_text",
    "furniture_reason",
    "load_sources",
    "parse_source",
]


def __getattr__(name: str) -> object:
    """``display_text``, :mod:`tui.core.text`'s, imported when first asked for: reading the articles does not
    need the feature tables that module builds as it loads (the reader paints its draft before them)."""
    if name == "display_text":
        from tui.core.text import display_text

        return display_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
