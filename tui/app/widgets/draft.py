"""The panes before the alignment: every article as written, side by side, not lined up.

Aligning the seeds takes a few hundred milliseconds (its imports included),
a large corpus seconds. Rather than a blank screen with a spinner, the
parallel view paints each source's own text in its pane straight away, in
the columns the aligned view will use, while the aligner works in its
thread. It must not pass for an alignment: there are no rows, so there is
no gutter (no cursor, no coverage glyph, no count), the text is drawn in
the muted colour of a fold, and the header says the rows are still being
lined up (:meth:`~tui.app.widgets.panels.StoryHeader.show_draft`). A
paragraph break of the article is a blank line; each sentence starts on a
line of its own. Only the first screenful is ever laid out.

No Textual here: plain functions over sources and columns, so the draft is
tested without an app.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.core.model import Source

from tui.app.textutil import clean, wrap_offsets


def draft_lines(source: Source, width: int, height: int) -> list[str]:
    """The first ``height`` lines of ``source`` wrapped to ``width`` cells: sentences as written, in order.

    Each sentence starts on a new line; a blank line stands where the
    article has a paragraph break (an empty line between two sentences).
    """
    lines: list[str] = []
    previous_end: int | None = None
    for sentence in source.sentences:
        if len(lines) >= height:
            break
        if previous_end is not None and lines and "\n\n" in source.text[previous_end:sentence.start].replace("\r", ""):
            lines.append("")
        text = clean(sentence.text)
        lines.extend(text[a:b] for a, b in wrap_offsets(text, width))
        previous_end = sentence.end
    return lines[:height]


def draft_columns(sources: Sequence[Source], shown: Sequence[tuple[int, int]], height: int) -> list[list[str]]:
    """Per pane on screen, given as (source, text width), its first ``height`` lines."""
    return [draft_lines(sources[s], width, height) if 0 <= s < len(sources) else [] for s, width in shown]


__all__ = ["draft_columns", "draft_lines"]
