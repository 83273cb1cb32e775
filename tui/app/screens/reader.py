"""The reader screen: where aligning, navigating and every panel come together.

The app itself stays thin; this screen owns the keys and the state a reader
changes (filter, search, wrap, which panels are open) and pushes it down into
the widgets, which report cursor moves and clicks back up as messages.
Aligning runs in a thread worker so the terminal stays live while a large
corpus is matched.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input

from tui.core.errors import ParallaxError
from tui.core.model import AlignSettings, Alignment, Source

from tui.app.diffs import Differ
from tui.app.reading import FILTERS, FILTER_LABELS, Reading, source_stats
from tui.app.textutil import clean
from tui.app.widgets.columns import ColumnHeader
from tui.app.widgets.coverage import CoverageMap
from tui.app.widgets.panels import DetailPanel, SourcesPanel, StoryHeader
from tui.app.widgets.parallel import ParallelView

Aligner = Callable[[Sequence[Source], AlignSettings], Alignment]

#: Longer explanations for the help screen and the command palette; the
#: binding descriptions stay short because the footer has 80 columns to share.
LONG_HELP: dict[str, str] = {
    "parallax.row_down": "next row",
    "parallax.row_up": "previous row",
    "parallax.page_down": "a screen further down",
    "parallax.page_up": "a screen further up",
    "parallax.first_row": "first row",
    "parallax.last_row": "last row",
    "parallax.source_next": "focus the next source (the panes slide along)",
    "parallax.source_prev": "focus the previous source",
    "parallax.pivot": "make the focused source the pivot: rows follow its order",
    "parallax.next_diff": "next row some source leaves out (next match while searching)",
    "parallax.prev_diff": "previous such row (previous match while searching)",
    "parallax.next_only": "next row only the focused source reports",
    "parallax.next_omitted": "next row the focused source leaves out",
    "parallax.filter": "filter rows: all → shared by all → partial → unique",
    "parallax.detail": "detail of the current row: full sentences, score, flags",
    "parallax.wrap": "wrap sentences, or compact: one line per sentence",
    "parallax.map": "show or hide the coverage map",
    "parallax.sources": "show or hide the sources panel (coverage per source)",
    "parallax.search": "search all sources; enter: next match, esc: back to the panes",
    "parallax.escape": "clear the search",
    "parallax.help": "this help",
    "parallax.quit": "quit",
}

#: Every key of the reader, grouped for the help screen. Each binding has an
#: id (so a keymap can rebind it) and a description (footer, help, palette).
KEY_GROUPS: list[tuple[str, list[Binding]]] = [
    (
        "Move",
        [
            Binding("down,j", "row(1)", "Next row", show=False, id="parallax.row_down", key_display="↓/j"),
            Binding("up,k", "row(-1)", "Previous row", show=False, id="parallax.row_up", key_display="↑/k"),
            Binding("pagedown", "page(1)", "Page down", show=False, id="parallax.page_down"),
            Binding("pageup", "page(-1)", "Page up", show=False, id="parallax.page_up"),
            Binding("g,home", "first_row", "First row", show=False, id="parallax.first_row", key_display="g"),
            Binding("G,end", "last_row", "Last row", show=False, id="parallax.last_row", key_display="G"),
        ],
    ),
    (
        "Sources",
        [
            Binding("right,l", "source(1)", "Next source", show=False, id="parallax.source_next", key_display="→/l"),
            Binding("left,h", "source(-1)", "Previous source", show=False, id="parallax.source_prev", key_display="←/h"),
            Binding("p", "pivot", "Pivot", show=False, id="parallax.pivot"),
        ],
    ),
    (
        "Differences",
        [
            Binding("n", "next_diff", "Diff", id="parallax.next_diff"),
            Binding("N", "prev_diff", "Prev diff", show=False, id="parallax.prev_diff"),
            Binding("u", "next_only", "Only", id="parallax.next_only"),
            Binding("o", "next_omitted", "Omitted", id="parallax.next_omitted"),
        ],
    ),
    (
        "View",
        [
            Binding("f", "cycle_filter", "Filter", id="parallax.filter"),
            Binding("enter", "toggle_detail", "Detail", id="parallax.detail"),
            Binding("w", "toggle_wrap", "Wrap", show=False, id="parallax.wrap"),
            Binding("m", "toggle_map", "Map", show=False, id="parallax.map"),
            Binding("i", "toggle_sources", "Sources", show=False, id="parallax.sources"),
        ],
    ),
    (
        "Search",
        [
            Binding("slash", "search", "Search", id="parallax.search", key_display="/"),
            Binding("escape", "escape", "Clear search", show=False, id="parallax.escape"),
        ],
    ),
    (
        "App",
        [
            Binding("question_mark", "help", "Help", id="parallax.help", key_display="?"),
            Binding("q", "quit_reader", "Quit", id="parallax.quit"),
        ],
    ),
]


class SearchInput(Input):
    """Its own type so the screen can find it; escape is left to bubble up to the screen."""


class ReaderScreen(Screen[None]):
    """Parallel panes, coverage map, detail and sources panels, search."""

    BINDINGS = [b for _, group in KEY_GROUPS for b in group]

    @dataclass
    class AlignmentReady(Message):
        """The worker finished; ``keep`` names sentences whose row should stay current."""

        alignment: Alignment
        keep: tuple[tuple[int, int], ...] = ()

    @dataclass
    class AlignmentFailed(Message):
        message: str

    def __init__(
        self,
        sources: Sequence[Source],
        settings: AlignSettings,
        *,
        aligner: Aligner,
        differ: Differ,
    ) -> None:
        super().__init__()
        self.sources = tuple(sources)
        self.settings = settings
        self.aligner = aligner
        self.differ = differ
        self.alignment: Alignment | None = None
        self.reading: Reading | None = None
        self.filter_name = "all"
        self.search_text = ""
        self.matches: list[int] = []
        self.status = "aligning…"
        self._search_origin: int | None = None
        self._last_cursor: int | None = -1
        self._last_focus = -1

    # ------------------------------------------------------------ accessors

    @property
    def view(self) -> ParallelView:
        return self.query_one(ParallelView)

    @property
    def coverage(self) -> CoverageMap:
        return self.query_one(CoverageMap)

    @property
    def detail(self) -> DetailPanel:
        return self.query_one(DetailPanel)

    @property
    def detail_box(self) -> VerticalScroll:
        return self.query_one("#detail-box", VerticalScroll)

    @property
    def sources_panel(self) -> SourcesPanel:
        return self.query_one(SourcesPanel)

    @property
    def sources_box(self) -> VerticalScroll:
        return self.query_one("#sources-box", VerticalScroll)

    @property
    def search_input(self) -> SearchInput:
        return self.query_one(SearchInput)

    @property
    def story(self) -> StoryHeader:
        return self.query_one(StoryHeader)

    @property
    def column_header(self) -> ColumnHeader:
        return self.query_one(ColumnHeader)

    @property
    def cursor(self) -> int | None:
        return self.view.cursor

    @property
    def focus_source(self) -> int:
        return self.view.focus_source

    def label(self, source: int) -> str:
        return clean(self.sources[source].label) if source < len(self.sources) else "?"

    # --------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        view = ParallelView(id="panes")
        yield StoryHeader(id="story")
        with Horizontal(id="body"):
            with Vertical(id="pane-box"):
                yield ColumnHeader(view, id="columns")
                yield view
            yield CoverageMap(id="coverage")
        with VerticalScroll(id="sources-box", classes="hidden"):
            yield SourcesPanel(id="sources")
        with VerticalScroll(id="detail-box", classes="hidden"):
            yield DetailPanel(id="detail")
        yield SearchInput(
            placeholder="search all sources · enter: next match · esc: back to the panes",
            id="search",
            classes="hidden",
            compact=True,
        )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.story.show_story(None, status="aligning…")
        self.view.loading = True
        self.view.focus()
        self.start_alignment(self.settings)

    # ------------------------------------------------------------- aligning

    def start_alignment(self, settings: AlignSettings, keep: tuple[tuple[int, int], ...] = ()) -> None:
        """Align in a thread; the result arrives as :class:`AlignmentReady`."""
        self.status = "aligning…"
        self.view.loading = self.alignment is None
        self._align(settings, keep)

    @work(exclusive=True, thread=True, group="align")
    def _align(self, settings: AlignSettings, keep: tuple[tuple[int, int], ...]) -> None:
        try:
            alignment = self.aligner(self.sources, settings)
        except ParallaxError as error:
            self.post_message(self.AlignmentFailed(str(error)))
        except Exception as error:  # noqa: BLE001 - shown to the reader instead of a traceback
            self.post_message(self.AlignmentFailed(f"aligning failed: {type(error).__name__}: {error}"))
        else:
            self.post_message(self.AlignmentReady(alignment, keep))

    def on_reader_screen_alignment_ready(self, message: AlignmentReady) -> None:
        alignment = message.alignment
        self.alignment = alignment
        self.settings = alignment.settings
        self.reading = Reading(alignment, self.filter_name)
        cursor = None
        for source, index in message.keep:
            cursor = self._row_of(alignment, source, index)
            if cursor is not None:
                break
        self.status = ""
        self.view.loading = False
        self.view.load(alignment, self.reading, self.differ, cursor)
        self.coverage.load(alignment)
        self._recompute_matches()
        self._refresh_panels(force=True)
        self.refresh_bindings()  # the footer greys keys out until there is an alignment

    def on_reader_screen_alignment_failed(self, message: AlignmentFailed) -> None:
        self.view.loading = False
        self.status = "could not align"
        text = clean(message.message)
        self.view.show_message(text)
        self.story.show_story(self.alignment, status=f"error: {text}")
        self.notify(text, title="Could not align", severity="error", timeout=10, markup=False)
        self.refresh_bindings()

    @staticmethod
    def _row_of(alignment: Alignment, source: int, index: int) -> int | None:
        for r, row in enumerate(alignment.rows):
            if source < len(row.cells) and row.cells[source] == index:
                return r
        return None

    # ------------------------------------------------------ view → screen

    @on(ParallelView.Changed)
    def _view_changed(self, event: ParallelView.Changed) -> None:
        self._refresh_panels()

    @on(ParallelView.Clicked)
    def _clicked(self, event: ParallelView.Clicked) -> None:
        self.view.set_focus_source(event.source)
        self.view.move_to(event.row)
        self.view.focus()

    @on(CoverageMap.Jump)
    def _map_jump(self, event: CoverageMap.Jump) -> None:
        if self.reading is None:
            return
        row = self.reading.nearest_visible(event.row)
        if row is not None:
            self.view.move_to(row, center=True)

    def _refresh_panels(self, force: bool = False) -> None:
        """Bring headers, map and panels in line with the view's cursor and focus."""
        view = self.view
        self.column_header.refresh()
        if self.alignment is None or self.reading is None:
            return
        height = view.scrollable_content_region.height
        top = view.row_at(int(view.scroll_offset.y))
        bottom = view.row_at(int(view.scroll_offset.y) + max(0, height - 1))
        if bottom is None and self.reading.visible:
            bottom = self.reading.visible[-1]
        shown = None if self.filter_name == "all" else frozenset(self.reading.visible)
        self.coverage.update_marks(view.cursor, (top or 0, bottom if bottom is not None else -1), shown)
        cursor_moved = view.cursor != self._last_cursor
        self._last_cursor = view.cursor
        focus_before, self._last_focus = self._last_focus, view.focus_source
        if force:
            self._update_story()
        if force or cursor_moved:
            if self.detail_box.display:
                self.detail.show_row(self.alignment, view.cursor, view.diff(view.cursor) if view.cursor is not None else None)
        if self.sources_box.display and (force or view.focus_source != focus_before):
            self.sources_panel.show_stats(source_stats(self.alignment), self.alignment.pivot, view.focus_source)

    def _update_story(self) -> None:
        self.story.show_story(
            self.alignment,
            filter_name=self.filter_name,
            shown=len(self.reading.visible) if self.reading else 0,
            query=self.search_text,
            matches=len(self.matches),
            status=self.status,
        )

    # --------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a loaded alignment are disabled until there is one."""
        if action in {"help", "quit_reader", "escape", "search"}:
            if action == "escape":
                return bool(self.search_text) or self.search_input.has_focus
            return True
        if self.alignment is None:
            return None
        if action == "pivot":
            return None if self.view.focus_source == self.alignment.pivot else True
        return True

    def _jump(self, row: int | None, nothing: str) -> None:
        if row is None:
            self.notify(nothing, timeout=3, markup=False)
            return
        self.view.move_to(row)

    def action_row(self, delta: int) -> None:
        reading, cursor = self.reading, self.view.cursor
        if reading is None or not reading.visible:
            return
        pos = reading.position(cursor) if cursor is not None else None
        pos = 0 if pos is None else max(0, min(len(reading.visible) - 1, pos + delta))
        self.view.move_to(reading.visible[pos])

    def action_page(self, direction: int) -> None:
        target = self.view.page_target(direction)
        if target is not None:
            if target == self.view.cursor:
                self.action_row(direction)
            else:
                self.view.move_to(target)

    def action_first_row(self) -> None:
        if self.reading and self.reading.visible:
            self.view.move_to(self.reading.visible[0])

    def action_last_row(self) -> None:
        if self.reading and self.reading.visible:
            self.view.move_to(self.reading.visible[-1])

    def action_source(self, delta: int) -> None:
        self.view.set_focus_source(self.view.focus_source + delta)

    def action_next_diff(self) -> None:
        if self.search_text:
            self._step_match(1)
            return
        assert self.reading is not None
        self._jump(self.reading.find(self.view.cursor, self.reading.is_partial), "no more rows that some source leaves out")

    def action_prev_diff(self) -> None:
        if self.search_text:
            self._step_match(-1)
            return
        assert self.reading is not None
        self._jump(
            self.reading.find(self.view.cursor, self.reading.is_partial, forward=False),
            "no earlier rows that some source leaves out",
        )

    def action_next_only(self) -> None:
        assert self.reading is not None
        s = self.view.focus_source
        self._jump(self.reading.find(self.view.cursor, lambda r: self.reading.only_in(r, s)), f"no more rows only {self.label(s)} reports")

    def action_next_omitted(self) -> None:
        assert self.reading is not None
        s = self.view.focus_source
        self._jump(self.reading.find(self.view.cursor, lambda r: self.reading.left_out_by(r, s)), f"no more rows {self.label(s)} leaves out")

    def action_pivot(self) -> None:
        """Re-align with the focused source as pivot; stay on the same sentence."""
        if self.alignment is None:
            return
        focus = self.view.focus_source
        keep: list[tuple[int, int]] = []
        if self.view.cursor is not None:
            cells = self.alignment.rows[self.view.cursor].cells
            order = [focus, *(s for s in range(len(cells)) if s != focus)]
            keep = [(s, cells[s]) for s in order if cells[s] is not None]
        self.notify(f"pivot: {self.label(focus)}", timeout=2, markup=False)
        self.start_alignment(replace(self.settings, pivot=focus), tuple(keep))

    def action_cycle_filter(self) -> None:
        assert self.reading is not None
        self.filter_name = FILTERS[(FILTERS.index(self.filter_name) + 1) % len(FILTERS)]
        self.reading.set_filter(self.filter_name)
        self.view.refilter()
        self._recompute_matches()
        if not self.reading.visible:
            self.notify(f"no rows are {FILTER_LABELS[self.filter_name]}", timeout=3, markup=False)
        self._refresh_panels(force=True)

    def action_toggle_detail(self) -> None:
        box = self.detail_box
        box.set_class(not box.has_class("hidden"), "hidden")
        self._refresh_panels(force=True)
        self.call_after_refresh(self.view.scroll_to_cursor)

    def action_toggle_wrap(self) -> None:
        self.view.set_wrap(not self.view.wrap)
        self.notify("wrap: full sentences" if self.view.wrap else "compact: one line per sentence", timeout=2)

    def action_toggle_map(self) -> None:
        self.coverage.set_class(not self.coverage.has_class("hidden"), "hidden")

    def action_toggle_sources(self) -> None:
        box = self.sources_box
        box.set_class(not box.has_class("hidden"), "hidden")
        self._refresh_panels(force=True)

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(KEY_GROUPS, LONG_HELP))

    def action_quit_reader(self) -> None:
        self.app.exit(0)

    # ------------------------------------------------------------- search

    def action_search(self) -> None:
        box = self.search_input
        box.remove_class("hidden")
        self._search_origin = self.view.cursor
        box.value = self.search_text
        box.focus()

    def action_escape(self) -> None:
        """From the search box: back to the panes, search kept. In the panes: clear it."""
        if self.search_input.has_focus:
            if not self.search_text:
                self.search_input.add_class("hidden")
            self.view.focus()
            return
        if self.search_text:
            self._set_query("")
            self.search_input.value = ""
            self.search_input.add_class("hidden")

    def _set_query(self, query: str) -> None:
        self.search_text = query
        self.view.set_query(query)
        self._recompute_matches()
        self._update_story()
        self.refresh_bindings()  # escape means "clear search" only while there is one

    def _recompute_matches(self) -> None:
        self.matches = self.reading.search(self.search_text) if self.reading is not None else []

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._set_query(event.value)
        if not self.search_text or self.reading is None:
            return
        origin = self._search_origin
        origin_pos = self.reading.position(origin) if origin is not None else 0
        for row in self.matches:
            pos = self.reading.position(row)
            if pos is not None and pos >= (origin_pos or 0):
                self.view.move_to(row, center=True)
                return
        if self.matches:
            self.view.move_to(self.matches[0], center=True)

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if not self.search_text:
            self.action_escape()
            return
        self._step_match(1)

    def _step_match(self, direction: int) -> None:
        """Go to the next (or previous) row matching the search, wrapping around."""
        if not self.matches or self.reading is None:
            self.notify(f"no match for {self.search_text!r}", timeout=3, markup=False)
            return
        cursor = self.view.cursor
        pos = self.reading.position(cursor) if cursor is not None else -1
        positions = [self.reading.position(r) for r in self.matches]
        if direction > 0:
            after = [r for r, p in zip(self.matches, positions) if p is not None and p > (pos if pos is not None else -1)]
            target = after[0] if after else self.matches[0]
            wrapped = not after
        else:
            before = [r for r, p in zip(self.matches, positions) if p is not None and pos is not None and p < pos]
            target = before[-1] if before else self.matches[-1]
            wrapped = not before
        if wrapped and len(self.matches) > 1 or (wrapped and target != cursor):
            self.notify("search wrapped around", timeout=2)
        self.view.move_to(target, center=True)
