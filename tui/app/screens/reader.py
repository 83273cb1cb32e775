"""The reader screen: where aligning, navigating and every panel come together.

The app itself stays thin; this screen owns the keys. What a reader changes
(filter, search, the cut sentence, the alignment on screen) lives in one
:class:`~tui.app.state.ReaderState`; each action changes it and calls
:meth:`ReaderScreen.refresh_view`, the one path that brings the widgets in
line. The widgets report cursor moves and clicks back up as messages. What
is kept, saved and refused is :class:`~tui.app.keeper.Keeper`'s business.
Aligning runs in a daemon thread so the terminal stays live while a large
corpus is matched, and starts only once the first frame is out: until the
rows are in, the panes show each article as written (the draft, see
:mod:`~tui.app.widgets.draft`), and a key that needs the rows waits for them
(:meth:`ReaderScreen.hold`) instead of being dropped. The keys live in mixins by what they do: moving and
search (:mod:`~tui.app.screens.navigation`), saving and exporting
(:mod:`~tui.app.screens.saving`), annotating and fixing
(:mod:`~tui.app.screens.editing`).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from textual import on, work
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input

from tui.core.errors import ParallaxError
from tui.core.model import AlignSettings, Alignment, Annotation, Source
from tui.core.settings import Explicit, resolve
from tui.startup import resume_gc

from tui.app.diffs import Differ
from tui.app.keeper import Keeper, Notice
from tui.app.keys import KEY_GROUPS, LONG_HELP, READER_BINDINGS
from tui.app.reading import FILTER_LABELS, source_stats
from tui.app.screens.editing import EditingActions
from tui.app.screens.navigation import NavigationActions
from tui.app.screens.saving import SavingActions
from tui.app.state import ReaderState, row_of
from tui.app.textutil import clean
from tui.app.widgets.columns import ColumnHeader
from tui.app.widgets.coverage import CoverageMap
from tui.app.widgets.panels import DetailPanel, SourcesPanel, StoryHeader
from tui.app.widgets.parallel import ParallelView

Aligner = Callable[[Sequence[Source], AlignSettings], Alignment]

MARK_STAR, MARK_NOTE = "★", "✎"


class SearchInput(Input):
    """Its own type so the screen can find it; escape is left to bubble up to the screen."""


class ReaderScreen(NavigationActions, SavingActions, EditingActions, Screen[None]):
    """Parallel panes, coverage map, detail and sources panels, search."""

    BINDINGS = READER_BINDINGS

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
        explicit: Explicit | None = None,
        *,
        aligner: Aligner,
        differ: Differ,
        session_name: str | None = None,
        keeper: Keeper | None = None,
    ) -> None:
        super().__init__()
        self.session_name = session_name
        self.keeper = keeper or Keeper()
        self.explicit = explicit or Explicit()
        self.state = ReaderState(tuple(sources), resolve(self.explicit), differ=differ)
        self.aligner = aligner
        self.differ = differ
        self._autosave_timer: Timer | None = None
        self._align_started = time.monotonic()
        self._align_ticker: Timer | None = None
        # what the panels last showed, so a cursor move redraws only what it changed
        self._last_cursor: int | None = -1
        self._last_focus = -1
        #: the names the sources came with (before the session's renames), by file name
        self._own_labels: dict[str, str] = {}
        #: keys (their actions) pressed before the first rows were in, run once they are
        self._waiting: list[str] = []
        #: the first alignment failed: keys that need rows are answered, not kept
        self._align_failed = False

    # ------------------------------------------------------------ accessors

    @property
    def view(self) -> ParallelView:
        # kept from compose: on the way out (unmount) the view must still say where the reader was
        return self._view

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

    @property
    def alignment(self) -> Alignment | None:
        """The rows on screen (the aligner's, with the session's fixes)."""
        return self.state.alignment

    def label(self, source: int) -> str:
        return self.state.label(source)

    # --------------------------------------------------------------- layout

    def compose(self) -> ComposeResult:
        view = self._view = ParallelView(id="panes")
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
            placeholder="search all sources (or a row id) · enter: next match · esc: back to the panes",
            id="search",
            classes="hidden",
            compact=True,
        )
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.view.focus()
        state = self.state
        opened = self.keeper.open(self.session_name, state.sources, self.explicit)
        state.settings = opened.settings
        self._own_labels = {s.name: s.label for s in state.sources}
        if self.keeper.session is not None:
            state.sources = tuple(self.keeper.session.labelled(state.sources))
        for severity, text in opened.notices:
            self.notify(clean(text), severity=severity, timeout=8, markup=False)  # type: ignore[arg-type]
        state.restore_view = self.keeper.session is not None and not self.keeper.session.view.empty
        # The first frame shows the articles as written; the aligner (its imports included) starts after
        # it, so it does not hold the screen up (both share one interpreter lock).
        self.coverage.expect(len(state.sources))
        self.view.show_draft(state.sources, state.settings.pivot)
        state.status = self._aligning_status()
        self._update_story()
        self.call_after_refresh(self._first_frame_out)

    def _first_frame_out(self) -> None:
        """The first frame is on screen: the start-up is over; align."""
        resume_gc()  # paused by the command line for the start-up (tui.startup)
        self.start_alignment(self.state.settings)

    def on_unmount(self) -> None:
        """Last chance on any way out (ctrl+q, an error): save quietly, then unlock."""
        self.finish()

    def finish(self) -> str | None:
        """Save what is unsaved and release the lock; returns why saving failed, if it did."""
        failure = None
        if self.keeper.can_save and self.keeper.session is not None:
            self._record_view()
            if self.keeper.session.dirty:
                failure = self.keeper.save()
        self.keeper.close()
        return failure

    # ------------------------------------------------------------- aligning

    def start_alignment(self, settings: AlignSettings, keep: tuple[tuple[int, int], ...] = ()) -> None:
        """Align in a thread; the result arrives as :class:`AlignmentReady`.

        A large corpus can take a while, so the header counts the seconds
        (the reader sees it is working, not hung) until the result is in.
        """
        self._align_started = time.monotonic()
        self.state.status = self._aligning_status()
        self.view.loading = self.state.alignment is None and not self.view.draft
        if self._align_ticker is None:
            self._align_ticker = self.set_interval(0.5, self._tick_alignment)
        self._align(settings, keep)

    def _aligning_status(self) -> str:
        sources = self.state.sources
        sentences = sum(len(s.sentences) for s in sources)
        text = f"aligning {sentences:,} sentences from {len(sources)} sources…"
        elapsed = time.monotonic() - self._align_started
        if elapsed >= 1:
            text += f" {elapsed:.0f} s (q quits)"
        if self._waiting:
            n = len(self._waiting)
            text += f" · {n} key{'s' if n != 1 else ''} waiting for the rows"
        return text

    def _tick_alignment(self) -> None:
        if self.state.status.startswith("aligning"):
            self.state.status = self._aligning_status()
            self._update_story()  # the cheap path: only the header counts the seconds

    def _stop_ticker(self) -> None:
        if self._align_ticker is not None:
            self._align_ticker.stop()
            self._align_ticker = None

    @work(exclusive=True, group="align")
    async def _align(self, settings: AlignSettings, keep: tuple[tuple[int, int], ...]) -> None:
        """Run the aligner in a daemon thread and wait for it without blocking the screen.

        Not a Textual thread worker: those run in asyncio's default executor,
        which ``asyncio.run`` joins on the way out, so ``q`` during a long
        alignment left the process hanging until the aligner finished. A
        daemon thread is simply abandoned when the reader quits. A newer
        alignment (exclusive) cancels this wait, so a stale result is never
        shown over a fresher one.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future[tuple[bool, object]] = loop.create_future()
        aligner, sources = self.aligner, self.state.sources

        def deliver(result: tuple[bool, object]) -> None:
            if not future.done():
                future.set_result(result)

        def run() -> None:
            try:
                result: tuple[bool, object] = (True, aligner(sources, settings))
            except BaseException as error:  # noqa: BLE001 - reported on the screen, never a traceback
                result = (False, error)
            try:
                loop.call_soon_threadsafe(deliver, result)
            except RuntimeError:  # the app has already gone: nobody is waiting
                pass

        threading.Thread(target=run, name="parallax-align", daemon=True).start()
        ok, value = await future
        if ok:
            assert isinstance(value, Alignment)
            self.post_message(self.AlignmentReady(value, keep))
        elif isinstance(value, ParallaxError):
            self.post_message(self.AlignmentFailed(str(value)))
        else:
            self.post_message(self.AlignmentFailed(f"aligning failed: {type(value).__name__}: {value}"))

    def on_reader_screen_alignment_ready(self, message: AlignmentReady) -> None:
        self._stop_ticker()
        self._take(message.alignment, message.keep)
        if self._waiting:
            self.call_after_refresh(self._run_waiting)  # once the panes have their rows laid out

    async def _run_waiting(self) -> None:
        """Run the keys pressed while aligning, in the order they came."""
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            await self.run_action(action)

    def hold(self, action: str) -> bool:
        """Whether ``action`` (a key's) was taken care of because there are no rows yet.

        Before the first alignment is in, a key that needs the rows is kept
        and run once they are (the header counts the keys waiting); after a
        failed alignment it is answered with a notice. Keys that work without
        rows (help, quit, search, save) and every key once there are rows go
        their usual way (False).
        """
        if self.state.alignment is not None:
            return False
        try:
            namespace, name, params = parse_action(action)
        except Exception:  # noqa: BLE001 - not ours to judge: Textual reports it
            return False
        if namespace or not callable(getattr(self, f"action_{name}", None)):
            return False
        if self.check_action(name, params) is not None:
            return False
        if self._align_failed:
            self.notify("there are no rows to act on: the sources could not be aligned", severity="warning",
                        timeout=4, markup=False)
            return True
        if not self._waiting:
            self.notify("still aligning: the keys pressed now run once the rows are lined up", timeout=3,
                        markup=False)
        self._waiting.append(action)
        self.state.status = self._aligning_status()
        self._update_story()
        return True

    def _take(self, base: Alignment, keep_sentences: Sequence[tuple[int, int]] = ()) -> None:
        """Make ``base`` (the aligner's rows) the reader's, with the session's fixes, and show it."""
        state = self.state
        state.base = base
        state.settings = base.settings
        session = self.keeper.session
        if session is not None:
            session.set_align_settings(state.settings, state.sources)
        alignment = self._fixed(base)
        keep = list(keep_sentences)
        first = state.alignment is None
        top = False
        if state.restore_view:
            state.restore_view = False
            keep = self._apply_view(alignment) + keep
        elif first and not keep:
            # Open where the pivot's story begins, at the top of the screen: other outlets'
            # headlines and summary bullets that precede it stay just above, one `k`/`g` away,
            # instead of filling the first screen.
            pivot = alignment.pivot
            if 0 <= pivot < len(alignment.sources) and alignment.sources[pivot].sentences:
                keep = [(pivot, 0)]
                top = True
        state.status = ""
        self.view.loading = False
        self._show(alignment, keep, top=top)

    def _fixed(self, base: Alignment) -> Alignment:
        """The aligner's rows with the session's fixes replayed; the plain rows if that fails."""
        session = self.keeper.session
        if session is None:
            return base
        try:
            return session.apply(base)
        except Exception as error:  # noqa: BLE001 - a bad fix must not take the reader down
            self.notify(f"could not apply the session's fixes: {error}", severity="error", markup=False)
            return base

    def _show(
        self, alignment: Alignment, keep: Sequence[tuple[int, int]] = (), row: int | None = None, *, top: bool = False
    ) -> None:
        """Put ``alignment`` on screen, the cursor on the row holding the first ``keep`` sentence."""
        state = self.state
        state.show(alignment, self._place_annotations(alignment))
        cursor = row
        for source, index in keep:
            found = row_of(alignment, source, index)
            if found is not None:
                cursor = found
                break
        assert state.reading is not None
        self.view.load(alignment, state.reading, self.differ, cursor, top=top)
        self.coverage.load(alignment)
        marks = {r: MARK_STAR if a.starred else MARK_NOTE for r, a in state.annotations.items()}
        self.view.set_marks(marks)
        self.coverage.set_notes(marks)
        self.refresh_view()  # the footer greys keys out until there is an alignment

    def _place_annotations(self, alignment: Alignment) -> dict[int, Annotation]:
        """The session's annotations by row of ``alignment``; none (and a notice) if they cannot be placed."""
        session = self.keeper.session
        if session is None:
            return {}
        try:
            return session.annotations_by_row(alignment)
        except Exception as error:  # noqa: BLE001
            self.notify(f"could not place annotations: {error}", severity="error", markup=False)
            return {}

    def on_reader_screen_alignment_failed(self, message: AlignmentFailed) -> None:
        self._stop_ticker()
        self.view.loading = False
        if self.state.alignment is None:
            self._align_failed = True
            self.view.show_draft(())  # a pane of text under "could not align" would read as a result
            if self._waiting:
                n, self._waiting = len(self._waiting), []
                self.notify(f"{n} key{'s' if n != 1 else ''} pressed while aligning {'were' if n != 1 else 'was'} "
                            "not run: there are no rows", severity="warning", timeout=8, markup=False)
        self.state.status = "could not align"
        text = clean(message.message)
        self.view.show_message(text)
        self.story.show_story(self.state.alignment, status=f"error: {text}")
        self.notify(text, title="Could not align", severity="error", timeout=10, markup=False)
        self.refresh_bindings()

    _row_of = staticmethod(row_of)

    # ------------------------------------------------------ view → screen

    @on(ParallelView.Changed)
    def _view_changed(self, event: ParallelView.Changed) -> None:
        self.refresh_view(force=False)

    @on(ParallelView.Clicked)
    def _clicked(self, event: ParallelView.Clicked) -> None:
        self.view.set_focus_source(event.source)
        self.view.move_to(event.row)
        self.view.focus()

    @on(CoverageMap.Jump)
    def _map_jump(self, event: CoverageMap.Jump) -> None:
        if self.state.reading is None:
            return
        row = self.state.reading.nearest_visible(event.row)
        if row is not None:
            self.view.move_to(row, center=True, follow=self._concerned(row))

    def refresh_view(self, *, force: bool = True) -> None:
        """Bring every widget in line with the state: the one path after any change.

        ``force=False`` is the cheap path a cursor move takes: the map's
        window, and the panels only where the cursor or the focus changed.
        Otherwise the header, both panels and the footer's keys are redrawn.
        """
        state, view = self.state, self.view
        self.column_header.refresh()
        if force:
            self.refresh_bindings()
            self._update_story()
        if state.alignment is None or state.reading is None:
            return
        height = view.scrollable_content_region.height
        top = view.row_at(int(view.scroll_offset.y))
        bottom = view.row_at(int(view.scroll_offset.y) + max(0, height - 1))
        if bottom is None and state.reading.visible:
            bottom = state.reading.visible[-1]
        shown = None if state.filter_name == "all" else frozenset(state.reading.visible)
        self.coverage.update_marks(view.cursor, (top or 0, bottom if bottom is not None else -1), shown)
        cursor_moved = view.cursor != self._last_cursor
        self._last_cursor = view.cursor
        focus_before, self._last_focus = self._last_focus, view.focus_source
        if force or cursor_moved:
            if self.detail_box.display:
                self.detail.show_row(
                    state.alignment,
                    view.cursor,
                    view.diff(view.cursor) if view.cursor is not None else None,
                    state.annotations.get(view.cursor) if view.cursor is not None else None,
                    state.reading.model.rows[view.cursor] if view.cursor is not None else None,
                    self._highlighted(view.cursor),
                    state.reading.ids[view.cursor] if view.cursor is not None else "",
                )
        if self.sources_box.display and (force or view.focus_source != focus_before):
            self.sources_panel.show_stats(source_stats(state.alignment, state.reading.model), state.alignment.pivot,
                                          view.focus_source)

    def _highlighted(self, row: int | None) -> dict[int, tuple[tuple[int, int], ...]] | None:
        """The words the panes highlight in ``row`` (their mode), for the detail panel; None: every unshared word."""
        view, reading = self.view, self.state.reading
        if row is None or reading is None or view.highlight == "all":
            return None
        if view.highlight == "off":
            return {}
        return reading.distinctive(row)

    def _update_story(self) -> None:
        state = self.state
        if state.alignment is None and self.view.draft:
            self.story.show_draft(state.sources, state.settings.pivot, self.status_line())
            return
        self.story.show_story(
            state.alignment,
            filter_name=state.filter_name,
            shown=len(state.reading.visible) if state.reading else 0,
            query=state.search_text,
            matches=len(state.matches),
            status=self.status_line(),
        )

    def status_line(self) -> str:
        """Status for the header: aligning, the cut sentence, the session and its save state."""
        state = self.state
        parts = [state.status] if state.status else []
        if state.cut is not None:
            source, index = state.cut
            parts.append(f"cut: {self.label(source)} #{index} (v puts it in a row)")
        keeper = self.keeper
        if keeper.named and keeper.session is not None:
            state = " (read-only)" if keeper.read_only else " (not saved!)" if keeper.last_error else ""
            parts.append(f"session {clean(keeper.session.name)}{state}")
        elif keeper.has_work:
            parts.append("unsaved: s saves as a session")
        return " · ".join(parts)

    # --------------------------------------------------------------- keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys that need a loaded alignment are disabled until there is one."""
        if action in {"help", "quit_reader", "escape", "search", "save"}:
            if action == "escape":
                return (bool(self.state.search_text) or self.search_input.has_focus
                        or not (self.detail_box.has_class("hidden") and self.sources_box.has_class("hidden")))
            return True
        if self.state.alignment is None:
            return None
        if action == "pivot":
            return None if self.view.focus_source == self.state.alignment.pivot else True
        if action == "paste":
            return None if self.state.cut is None else True
        if action == "undo":
            return True if self.keeper.session is not None and self.keeper.session.can_undo else None
        return True

    def action_pivot(self) -> None:
        """Make the focused source the pivot; stay on the same sentence.

        A pivot only orders the rows, it never regroups them, so the rows on
        hand are reordered (:func:`tui.core.align.with_pivot`, a fraction of a
        millisecond) instead of aligning again (seconds on a large corpus).
        """
        state = self.state
        if state.alignment is None or state.base is None:
            return
        from tui.core.align import with_pivot

        focus = self.view.focus_source
        keep = state.members(self.view.cursor, focus) if self.view.cursor is not None else []
        self.notify(f"pivot: {self.label(focus)}", timeout=2, markup=False)
        try:
            moved = with_pivot(state.base, focus)
        except Exception:  # noqa: BLE001 - rows the reorder cannot place: align again instead
            self.start_alignment(replace(state.settings, pivot=focus), tuple(keep))
            return
        self._take(moved, keep)

    def action_rename_source(self) -> None:
        """Give the focused source a name of the reader's choosing, kept in the session.

        An empty name gives the source back the name it came with (from
        ``--label``, ``sources.toml``, the page or the file name).
        """
        state, session = self.state, self.keeper.session
        if state.alignment is None or session is None:
            return
        focus = self.view.focus_source
        source = state.sources[focus]
        own = self._own_labels.get(source.name, source.label)
        from tui.core.ingest.names import clean_label

        from tui.app.screens.annotate import NameScreen

        def done(name: str | None) -> None:
            if name is None:
                return
            label = clean_label(name)
            new = label or own
            if new == source.label:
                return
            session.set_label(source.name, label if label and label != own else None)
            state.sources = tuple(replace(s, label=new) if i == focus else s for i, s in enumerate(state.sources))
            if state.base is not None:
                state.base = replace(state.base, sources=state.sources)
            keep = state.members(self.view.cursor, focus) if self.view.cursor is not None else []
            self._changed(f"{clean(source.label)} is now called {clean(new)}", keep)

        prompt = "Rename this source (empty: back to its own name)"
        self.app.push_screen(NameScreen(prompt, source.label, lambda _: None), done)

    def action_cycle_filter(self) -> None:
        state = self.state
        assert state.reading is not None
        state.cycle_filter()
        self.view.refilter()
        if not state.reading.visible:
            self.notify(f"no rows are {FILTER_LABELS[state.filter_name]}", timeout=3, markup=False)
        self.refresh_view()

    def action_toggle_detail(self) -> None:
        """Open or close the row's detail; on a fold, open the fold instead."""
        if self.view.unfold():
            return
        box = self.detail_box
        box.set_class(not box.has_class("hidden"), "hidden")
        self._panels_changed()
        self.refresh_view()
        self.call_after_refresh(self.view.scroll_to_cursor)

    def action_toggle_wrap(self) -> None:
        self.view.set_wrap(not self.view.wrap)
        self.notify("wrap: full sentences" if self.view.wrap else "compact: one line per row, the cursor's row whole", timeout=2)

    def action_toggle_folds(self) -> None:
        folding = not self.view.folding
        self.view.set_folding(folding)
        self.notify("rows no pane shows: folded" if folding else "rows no pane shows: one line each",
                    timeout=2, markup=False)

    def action_cycle_highlight(self) -> None:
        from tui.app.widgets.parallel import HIGHLIGHT_LABELS, HIGHLIGHTS

        mode = HIGHLIGHTS[(HIGHLIGHTS.index(self.view.highlight) + 1) % len(HIGHLIGHTS)]
        self.view.set_highlight(mode)
        self.refresh_view()  # the detail panel highlights as the panes do
        self.notify(f"highlight: {HIGHLIGHT_LABELS[mode]}", timeout=3, markup=False)

    def action_scroll_panel(self, lines: int) -> None:
        """Scroll the open panel (the detail, else the sources) without leaving the panes."""
        for box in (self.detail_box, self.sources_box):
            if box.display:
                box.scroll_relative(y=lines, animate=False)
                return
        self.notify("no panel open: enter opens the detail, i the sources", timeout=2, markup=False)

    def action_toggle_map(self) -> None:
        self.coverage.set_class(not self.coverage.has_class("hidden"), "hidden")

    def action_toggle_sources(self) -> None:
        box = self.sources_box
        box.set_class(not box.has_class("hidden"), "hidden")
        self._panels_changed()
        self.refresh_view()

    def _panels_changed(self) -> None:
        """Both panels open: each gets less height (app.tcss); at 80×24 they left the panes one line."""
        self.set_class(not self.detail_box.has_class("hidden") and not self.sources_box.has_class("hidden"),
                       "-both-panels")

    def action_help(self) -> None:
        from tui.app.screens.help import HelpScreen

        groups = getattr(self.app, "key_groups", KEY_GROUPS)  # as the user's keymap has them
        self.app.push_screen(HelpScreen(groups, LONG_HELP))

    def action_quit_reader(self) -> None:
        """Quit, but never silently drop work: a failed save (or unsaved work) needs a second q."""
        refused = self.keeper.before_quit(self._record_view)
        if refused is not None:
            self._tell(refused)
            self.refresh_view()
            return
        self.finish()
        self.app.exit(0)

    def _tell(self, notice: Notice) -> None:
        self.notify(notice.text, title=notice.title, severity=notice.severity,  # type: ignore[arg-type]
                    timeout=notice.timeout, markup=False)

    # ------------------------------------------------------------- search

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._set_query(event.value)
        target = self.state.first_match_from_origin()
        if target is not None:
            self.view.move_to(target, center=True, follow=self._concerned(target))

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if not self.state.search_text:
            self.action_escape()
            return
        self._step_match(1)
