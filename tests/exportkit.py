"""A saved session with notes, tags, a star and a manual fix, for the export and report tests.

Built through the session's own API on the real seeds, as the reader would
make it, and saved under ``$PARALLAX_HOME/sessions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tui.core.model import Alignment, Annotation, Override, Source


@dataclass
class Made:
    """What :func:`annotated_session` did, to check the exports against."""

    name: str
    #: the alignment as the reader showed it after the fix
    alignment: Alignment
    #: (source, sentence) cut out of its row by the fix
    cut: tuple[int, int]
    #: the row the fix took it from, and the row it is alone in now
    from_row: int
    cut_row: int
    #: row -> annotation made
    notes: dict[int, Annotation]


def annotated_session(home: Path, sources: tuple[Source, ...], name: str = "desk") -> Made:
    """Save session ``name``: one sentence unlinked from a row all five sources share, two annotations."""
    from tui.core.align import align
    from tui.core.session import Session
    from tui.core.session_store import SessionStore

    session = Session.new(name, sources)
    base = align(list(sources), session.align_settings(sources))
    # a row all five share, where source 2 has one sentence: unlinking it takes source 2 out
    # (a headline beside its lede would leave the other sentence in)
    full = next(r for r, row in enumerate(base.rows) if row.count == len(sources) and len(row.cells[2]) == 1)
    index = base.rows[full].cells[2][-1]
    assert session.add_override(base, Override("unlink", 2, index)) is None
    shown = session.apply(base)
    cut_row = shown.row_index()[(2, index)]
    from_row = shown.row_index()[(0, base.rows[full].cells[0][0])]
    assert shown.rows[cut_row].coverage == (2,) and 2 not in shown.rows[from_row].coverage
    notes = {
        from_row: Annotation(note="Worth a second source.\nCheck with the desk.",
                             tags=("numbers", "follow-up"), starred=True),
        cut_row: Annotation(note="Cut: this one is about something else.", tags=("fixed",)),
    }
    for row, annotation in notes.items():
        assert session.set_annotation(shown, row, annotation) is not None
    SessionStore(home / "sessions").save(session)
    return Made(name, shown, (2, index), from_row, cut_row, notes)
