"""The reader's edits: annotations (note, tags, star) and fixes to the alignment (cut, put, undo).

Mixed into :class:`~tui.app.screens.reader.ReaderScreen`, whose keys they
answer. Every edit goes through the session (which records it for undo and
autosave) and then :meth:`EditingActions._changed`, which rebuilds the rows
with the fixes replayed, keeps the cursor on the same sentences and names
the row as the reader now sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from tui.core.model import Alignment, Annotation, Override
from tui.core.rowid import row_id

from tui.app.cellview import Layers, cell_look
from tui.app.keeper import Keeper
from tui.app.state import ReaderState
from tui.app.textutil import clean


class EditingActions:
    """The Annotate and Fix-the-alignment keys of the reader.

    A mixin: it works on the screen's ``state``, ``keeper`` and ``view`` and
    redisplays through the screen's ``_show`` and ``refresh_view``.
    """

    state: ReaderState
    keeper: Keeper

    def _row_cells(self) -> tuple[int, tuple[tuple[int, ...], ...]] | None:
        alignment = self.state.alignment
        if alignment is None or self.view.cursor is None:
            self.notify("no row selected", timeout=3)
            return None
        return self.view.cursor, alignment.rows[self.view.cursor].cells

    def _members(self, row: int) -> list[tuple[int, int]]:
        """The row's sentences, focused source first: what the cursor should follow after a change."""
        return self.state.members(row, self.view.focus_source)

    def _changed(
        self, what: str | Callable[[], str], keep: Sequence[tuple[int, int]] = (), row: int | None = None
    ) -> None:
        """After a fix or an annotation: redisplay, tell the reader, schedule the autosave.

        ``what`` may be a function, called after the rows are rebuilt, for a
        message that names a row number: a fix renumbers rows, and the notice
        must name the row as the reader now sees it.
        """
        if self.state.base is not None:
            self._show(self._fixed(self.state.base), keep, row)
        else:
            self.refresh_view()
        self.notify(clean(what() if callable(what) else what), timeout=3, markup=False)
        self._schedule_autosave()

    def _landed(self, source: int, index: int, fallback: int) -> int:
        """The row now holding sentence (source, index), after a rebuild."""
        found = self.state.row_of(source, index)
        return fallback if found is None else found

    def _here(self, fallback: int) -> int:
        """The cursor's row after a rebuild (``fallback`` when there is none)."""
        cursor = self.view.cursor
        return fallback if cursor is None else cursor

    def action_annotate(self) -> None:
        here = self._row_cells()
        session = self.keeper.session
        if here is None or session is None or self.state.alignment is None:
            return
        from tui.app.screens.annotate import AnnotateScreen, AnnotationResult

        row, _ = here
        shown = self.state.alignment
        current = self.state.annotations.get(row, Annotation())

        def done(result: AnnotationResult | None) -> None:
            if result is None:
                return
            for tag in result.new_tags:
                session.add_tag(tag)
            self._set_annotation(shown, row, result.annotation, bool(result.new_tags))

        sentences = [(self.label(s), _cell_line(shown, row, s)) for s in shown.rows[row].coverage]
        self.app.push_screen(AnnotateScreen(f"Annotate row #{row} · id {row_id(shown, row)}", current, session.tags, sentences), done)

    def _set_annotation(
        self, shown: Alignment, row: int, annotation: Annotation, force: bool = False, what: str | None = None
    ) -> None:
        session = self.keeper.session
        assert session is not None
        keep = self._members(row) if shown is self.state.alignment else []
        try:
            done = session.set_annotation(shown, row, annotation)
        except (IndexError, ValueError) as error:
            self.notify(f"could not annotate: {error}", severity="error", markup=False)
            return
        if done is None and not force:
            self.notify("annotation unchanged", timeout=2)
            return
        self._changed(what or done or "tags updated", keep, row)

    def action_star(self) -> None:
        here = self._row_cells()
        if here is None or self.state.alignment is None:
            return
        row, _ = here
        current = self.state.annotations.get(row, Annotation())
        starred = not current.starred
        self._set_annotation(self.state.alignment, row, replace(current, starred=starred),
                             what=f"{'starred' if starred else 'unstarred'} row #{row}")

    def action_next_note(self, direction: int) -> None:
        state = self.state
        if state.reading is None:
            return
        if not state.annotations:
            self.notify("no annotated rows yet: a annotates the current row", timeout=3)
            return
        target = state.reading.find(self.view.cursor, lambda r: r in state.annotations, forward=direction > 0)
        self._jump(target, "no more annotated rows" if direction > 0 else "no earlier annotated rows")

    def action_cut(self) -> None:
        here = self._row_cells()
        session, alignment = self.keeper.session, self.state.alignment
        if here is None or session is None or alignment is None:
            return
        row, cells = here
        source = self.view.focus_source
        if not cells[source]:
            self.notify(f"nothing to cut: {self.label(source)} has no sentence in this row", timeout=3, markup=False)
            return
        if len(cells[source]) == 1:
            self._cut(row, source, cells[source][0])
            return
        # several sentences of the focused source in this row: ask which one
        from tui.app.screens.cut import CutScreen

        shown = alignment

        def chosen(index: int | None) -> None:
            if index is not None and self.state.alignment is shown:
                self._cut(row, source, index)

        self.app.push_screen(CutScreen(alignment, row, source), chosen)

    def _cut(self, row: int, source: int, index: int) -> None:
        """Cut sentence ``index`` of ``source`` out of ``row`` and hold it for ``v``."""
        session, alignment = self.keeper.session, self.state.alignment
        assert session is not None and alignment is not None
        if alignment.rows[row].size == 1:
            self.state.cut = (source, index)
            self.refresh_view()
            self.notify(f"cut sentence #{index} of {self.label(source)} (it is alone in row #{row}): "
                        "go to a row and press v", timeout=4, markup=False)
            return
        others = [m for m in self._members(row) if m != (source, index)]
        reason = session.add_override(alignment, Override("unlink", source, index))
        if reason:
            self.notify(clean(reason), severity="warning", timeout=5, markup=False)
            return
        self.state.cut = (source, index)
        label = self.label(source)
        # the rest of the row may be renumbered by the rebuild: name the row the cursor stays on
        self._changed(lambda: f"cut sentence #{index} of {label} out of row #{self._here(row)}: "
                              "go to a row and press v", others, row)

    def action_paste(self) -> None:
        here = self._row_cells()
        session, alignment = self.keeper.session, self.state.alignment
        if here is None or session is None or alignment is None:
            return
        if self.state.cut is None:
            self.notify("nothing cut: x cuts the focused sentence first", timeout=3)
            return
        row, _ = here
        source, index = self.state.cut
        members = alignment.rows[row].members
        anchors = [(s, i) for s, i in members if s != source]
        anchor = anchors[0] if anchors else members[0]
        reason = session.add_override(alignment, Override("link", source, index, anchor[0], anchor[1]))
        if reason:
            self.notify(f"cannot put it here: {clean(reason)}", severity="warning", timeout=5, markup=False)
            return
        self.state.cut = None
        label = self.label(source)
        # rows are renumbered by the rebuild, so the number is read afterwards, from where the sentence landed
        self._changed(lambda: f"put sentence #{index} of {label} into row #{self._landed(source, index, row)}",
                      [(source, index), anchor])

    def action_undo(self) -> None:
        session = self.keeper.session
        if session is None or self.state.alignment is None:
            return
        keep = self._members(self.view.cursor) if self.view.cursor is not None else []
        what = session.undo()
        if what is None:
            self.notify("nothing to undo", timeout=3)
            return
        self._changed(f"undid {what}", keep, self.view.cursor)


def _cell_line(alignment: Alignment, row: int, source: int) -> str:
    """A cell as one line for the note dialog: its sentences apart (`` / ``), summary lines tagged as in the panes."""
    look = cell_look(alignment, row, source, Layers(alignment))
    if look is None:
        return ""
    return " / ".join(look.text[p.start:p.end] for p in look.parts)
