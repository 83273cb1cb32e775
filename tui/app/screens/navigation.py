"""The reader's moving keys: rows, pages, sources, jumps to what matters, and search.

Mixed into :class:`~tui.app.screens.reader.ReaderScreen`. Every jump goes
through :meth:`NavigationActions._jump` or the view's ``move_to`` with the
sources the jump is about, so the window of panes slides to show them.
The search box's own handlers stay on the screen (Textual collects ``@on``
handlers from the screen class); the stepping lives here.
"""

from __future__ import annotations

from collections.abc import Sequence

from tui.app.keeper import Keeper
from tui.app.state import ReaderState


class NavigationActions:
    """The Navigate and Search keys of the reader.

    A mixin: it works on the screen's ``state`` and ``view`` and tells the
    reader through the screen's ``notify``.
    """

    state: ReaderState
    keeper: Keeper

    def _jump(
        self, row: int | None, nothing: str, follow: Sequence[int] | None = None, *, keep_focus: bool = False
    ) -> None:
        """Go to ``row``, the panes sliding to ``follow`` (default: the row's sources) if none is on screen.

        ``keep_focus``: the jump is about the focused source (``u``, ``o``),
        so the focus never moves away from it.
        """
        if row is None:
            self.notify(nothing, timeout=3, markup=False)
            return
        self.view.move_to(row, follow=self._concerned(row) if follow is None else follow, keep_focus=keep_focus)

    def _concerned(self, row: int) -> list[int]:
        """The sources a jump to ``row`` is about: the search hits, else the flagged ones, else all it has."""
        state = self.state
        assert state.alignment is not None and state.reading is not None
        if state.search_text:
            hits = state.reading.matching_sources(row, state.search_text)
            if hits:
                return hits
        diff = self.view.diff(row)
        if diff is not None and diff.flags:
            return sorted({span[0] for flag in diff.flags for span in flag.spans})
        return list(state.alignment.rows[row].coverage)

    def action_row(self, delta: int) -> None:
        target = self.view.step_target(delta)
        if target is not None:
            self.view.move_to(target)

    def action_page(self, direction: int) -> None:
        target = self.view.page_target(direction)
        if target is not None:
            if target == self.view.cursor:
                self.action_row(direction)
            else:
                self.view.move_to(target)

    def action_first_row(self) -> None:
        target = self.view.step_target(-(1 << 30))
        if target is not None:
            self.view.move_to(target)

    def action_last_row(self) -> None:
        target = self.view.step_target(1 << 30)
        if target is not None:
            self.view.move_to(target)

    def action_source(self, delta: int) -> None:
        self.view.set_focus_source(self.view.focus_source + delta)

    def action_next_diff(self) -> None:
        if self.state.search_text:
            self._step_match(1)
            return
        reading = self.state.reading
        assert reading is not None
        self._jump(reading.find(self.view.cursor, reading.matters),
                   "no more rows that matter (a widely reported row someone leaves out, or a flag)")

    def action_prev_diff(self) -> None:
        if self.state.search_text:
            self._step_match(-1)
            return
        reading = self.state.reading
        assert reading is not None
        self._jump(reading.find(self.view.cursor, reading.matters, forward=False),
                   "no earlier rows that matter (a widely reported row someone leaves out, or a flag)")

    def action_next_only(self) -> None:
        reading = self.state.reading
        assert reading is not None
        s = self.view.focus_source
        self._jump(reading.find(self.view.cursor, lambda r: reading.only_in(r, s)),
                   f"no more rows only {self.label(s)} reports", [s], keep_focus=True)

    def action_next_omitted(self) -> None:
        reading = self.state.reading
        assert reading is not None
        s = self.view.focus_source
        self._jump(reading.find(self.view.cursor, lambda r: reading.left_out_by(r, s)),
                   self._no_more_omitted(s), keep_focus=True)

    def _no_more_omitted(self, s: int) -> str:
        """What ``o`` says when it finds no further row the source leaves out, in the model's own terms."""
        reading = self.state.reading
        assert reading is not None
        model = reading.model
        account = model.sources[s]
        label = self.label(s)
        if not account.widely_reported:
            return (f"no row is widely reported (told by at least {model.needed} of the "
                    f"{len(model.sources)} sources), so {label} leaves out nothing")
        if not account.leaves_out:
            return f"{label} leaves out none of the {account.widely_reported} widely reported rows"
        return (f"no more rows {label} leaves out ({account.leaves_out} of the "
                f"{account.widely_reported} widely reported rows; O lists them)")

    def action_omissions(self) -> None:
        """The focused source's omissions, one per line, to read them all and jump to one."""
        state = self.state
        if state.alignment is None or state.reading is None:
            return
        from tui.app.screens.omissions import OmissionsScreen

        def done(row: int | None) -> None:
            if row is None or state.reading is None:
                return
            if state.reading.position(row) is None:  # the filter hides it: show everything
                state.set_filter("all")
                self.view.refilter()
                self.notify("filter: all rows (the row was hidden)", timeout=3, markup=False)
            self.view.move_to(row, center=True, follow=self._concerned(row))
            self.refresh_view()

        self.app.push_screen(OmissionsScreen(state.alignment, state.reading.model, self.view.focus_source), done)

    # ------------------------------------------------------------- search

    def action_search(self) -> None:
        box = self.search_input
        box.remove_class("hidden")
        self.state.search_origin = self.view.cursor
        box.value = self.state.search_text
        self.set_focus(box)

    def action_escape(self) -> None:
        """From the search box: back to the panes, search kept. In the panes: clear it; no search: close a panel."""
        if self.search_input.has_focus:
            if not self.state.search_text:
                self.search_input.add_class("hidden")
            self.view.focus()
            return
        if self.state.search_text:
            self._set_query("")
            self.search_input.value = ""
            self.search_input.add_class("hidden")
            return
        # nothing to clear: escape closes what enter or i opened, the detail first (it did nothing)
        for box in (self.detail_box, self.sources_box):
            if not box.has_class("hidden"):
                box.add_class("hidden")
                self._panels_changed()
                self.refresh_view()
                return

    def _set_query(self, query: str) -> None:
        self.state.set_query(query)
        self.view.set_query(query)
        self.refresh_view()  # escape means "clear search" only while there is one

    def _step_match(self, direction: int) -> None:
        """Go to the next (or previous) row matching the search, wrapping around."""
        found = self.state.next_match(self.view.cursor, direction)
        if found is None:
            self.notify(f"no match for {self.state.search_text!r}", timeout=3, markup=False)
            return
        target, wrapped = found
        if wrapped:
            self.notify("search wrapped around", timeout=2)
        self.view.move_to(target, center=True, follow=self._concerned(target))

