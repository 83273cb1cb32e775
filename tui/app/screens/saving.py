"""The reader's keeping keys: the view recorded in the session, autosave, save, export, report.

Mixed into :class:`~tui.app.screens.reader.ReaderScreen`. What may be saved
and what a failure means is :class:`~tui.app.keeper.Keeper`'s business;
this mixin records where the reader is, schedules the autosave and writes
the files the reader asks for, saying where they went.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from tui.core.errors import ParallaxError
from tui.core.export import write_long, write_new_file
from tui.core.model import Alignment
from tui.core.session import ViewState
from tui.core.session_names import file_stem

from tui.app.keeper import Keeper
from tui.app.reading import FILTER_LABELS, FILTERS, story_slug
from tui.app.state import ReaderState, members_of
from tui.app.textutil import clean

#: Seconds between a change and its autosave: long enough to batch a burst of
#: keys into one write, short enough that a crash loses almost nothing.
AUTOSAVE_DELAY = 1.5


class SavingActions:
    """The Session and Export keys of the reader, and the autosave behind every change.

    A mixin: it works on the screen's ``state``, ``keeper`` and ``view``.
    """

    state: ReaderState
    keeper: Keeper

    def _record_view(self) -> None:
        """Put where the reader is into the session, by sentence so a new alignment finds it."""
        session, alignment, sources = self.keeper.session, self.state.alignment, self.state.sources
        if session is None or alignment is None:
            return
        values: dict[str, object] = {"filter": self.state.filter_name, "wrap": self.view.wrap}
        focus = self.view.focus_source
        if focus < len(sources):
            values["focus"] = sources[focus].name
        row = self.view.cursor
        if row is not None:
            values["row"] = row
            members = self._members(row)
            if members:
                s, i = members[0]
                values["anchor"] = [sources[s].name, i]
        try:
            session.update_view(**values)
        except (TypeError, ValueError):
            pass

    def _apply_view(self, alignment: Alignment) -> list[tuple[int, int]]:
        """Restore filter, wrap and focus from the session; returns the sentence to put the cursor on."""
        view = self.keeper.session.view if self.keeper.session is not None else ViewState()
        names = [s.name for s in self.state.sources]
        if view.filter in FILTERS:
            self.state.filter_name = view.filter
        if view.wrap is not None:
            self.view.wrap = view.wrap
        if view.focus in names:
            self.view.focus_source = names.index(view.focus)
        if view.anchor is not None and view.anchor[0] in names:
            return [(names.index(view.anchor[0]), view.anchor[1])]
        if view.row is not None and 0 <= view.row < len(alignment.rows):
            return members_of(alignment, view.row)
        return []

    def _schedule_autosave(self) -> None:
        if not self.keeper.can_save:
            return
        if self._autosave_timer is not None:
            self._autosave_timer.stop()
        self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)

    def _autosave(self) -> None:
        self._autosave_timer = None
        self._save(quiet=True)

    def _save(self, *, quiet: bool) -> bool:
        """Save now; a failure is told once (per run of failures) and the work stays in memory."""
        self._record_view()
        ok, notice = self.keeper.save_now(quiet=quiet)
        if notice is not None:
            self._tell(notice)
        self.refresh_view()
        return ok

    def action_save(self) -> None:
        """Save now; the first time (or after a failure) ask for a name."""
        keeper = self.keeper
        if keeper.session is None:
            return
        if keeper.can_save and self._save(quiet=False):
            return
        from tui.app.screens.annotate import NameScreen

        def done(name: str | None) -> None:
            if name is not None:
                self._tell(keeper.save_under(name))
                self.refresh_view()

        prompt, default = keeper.save_as_prompt(story_slug(self.state.alignment))
        self.app.push_screen(NameScreen(prompt, default, keeper.check_save_name), done)

    def action_export(self) -> None:
        """Ask where to write what the reader sees as long CSV (the exports folder unless a path is typed).

        "What the reader sees": the rows the active filter lets through, in the
        pivot's order, with the session's fixes and the annotations. Each line
        keeps its row's number in the whole alignment (not its position in the
        filtered list), so ``row`` in the file is the ``#n`` the app shows and
        the number a full export or ``parallax export`` writes for that row;
        ``row_id`` is the id the detail panel shows. The dialog offers a new
        file in the exports folder beside the sessions (found again whatever
        folder the reader was started in); the reader may type a folder or a
        file name instead. Nothing is ever written over: a file name taken is
        refused in the dialog.
        """
        if self.state.alignment is None or self.state.reading is None:
            return
        from tui.core.report import exports_dir

        from tui.app.screens.annotate import NameScreen

        keeper = self.keeper
        stem = keeper.session.name if keeper.named and keeper.session is not None else story_slug(self.state.alignment)
        name = f"parallax-{file_stem(stem)}-{time.strftime('%Y%m%d-%H%M%S')}"
        folder = exports_dir()
        visible = list(self.state.reading.visible)
        rows = f"{len(visible)} row{'s' if len(visible) != 1 else ''}"
        if self.state.filter_name != "all":
            rows += f" (filter: {FILTER_LABELS[self.state.filter_name]})"

        def done(typed: str | None) -> None:
            if typed is not None:
                self._export_to(typed, folder, name, visible, rows)

        prompt = f"Export {rows} as CSV to (enter writes; type another file or folder to write there)"
        self.app.push_screen(NameScreen(prompt, str(folder / f"{name}.csv"),
                                        lambda typed: export_target(typed, folder, name)[1]), done)

    def _export_to(self, typed: str, folder: Path, name: str, visible: list[int], rows: str) -> None:
        assert self.state.alignment is not None
        target, refused = export_target(typed, folder, name)
        if target is None:
            self.notify(clean(f"could not export: {refused}"), title="Export failed", severity="error", timeout=8,
                        markup=False)
            return
        where, stem, suffix = target
        buffer = io.StringIO()
        try:
            if where == folder:
                where.mkdir(parents=True, exist_ok=True)  # the exports folder is made on first use
            # the whole alignment's row numbers, flags and annotations: the lines of a full export
            lines = write_long(self.state.alignment, buffer, annotations=self.state.annotations, rows=set(visible))
            path = write_new_file(where, stem, buffer.getvalue(), suffix)
        except (OSError, ParallaxError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self.notify(clean(f"could not export: {reason}"), title="Export failed", severity="error", timeout=8,
                        markup=False)
            return
        self.notify(clean(f"exported {rows}, {lines} lines, to {path}"), timeout=10, markup=False)

    def action_report(self) -> None:
        """Write the report of the alignment on screen (fixes, notes) as Markdown and HTML; say where.

        The whole alignment, not the filtered view: the report's numbers
        ("leaves out K of M") only mean something over every row. It goes to
        the exports folder beside the sessions, so it is found again whatever
        folder the reader was started in.
        """
        state = self.state
        if state.alignment is None:
            return
        from tui.core.report import exports_dir, write_reports

        keeper = self.keeper
        named = keeper.session is not None and keeper.named
        stem = keeper.session.name if named and keeper.session is not None else story_slug(state.alignment)
        stem = file_stem(stem)
        fixes = keeper.session.resolved_overrides(state.alignment.sources) if keeper.session is not None else []
        try:
            md_path, html_path = write_reports(
                exports_dir(), f"parallax-{stem}-{time.strftime('%Y%m%d-%H%M%S')}-report", state.alignment,
                annotations=state.annotations, fixes=fixes,
                session=keeper.session.name if named and keeper.session is not None else None,
            )
        except (OSError, ParallaxError, ValueError) as error:
            reason = getattr(error, "strerror", None) or str(error)
            self.notify(clean(f"could not write the report: {reason}"), title="Report failed", severity="error",
                        timeout=8, markup=False)
            return
        self.notify(clean(f"report written to {html_path} (and {md_path.name} beside it)"), title="Report",
                    timeout=10, markup=False)


def export_target(typed: str, folder: Path, name: str) -> tuple[tuple[Path, str, str] | None, str | None]:
    """Where ``e`` writes for what the reader typed: ``((folder, stem, suffix), None)`` or ``(None, why not)``.

    Empty: the offered file in ``folder`` (the exports folder). An existing
    folder (or a path ending in ``/``): a file named ``name`` in it. Anything
    else is a file name; ``.csv`` is added when it has no suffix, its folder
    must exist, and a file already there is refused rather than replaced.
    ``~`` means the home folder; a relative path is relative to the folder the
    reader was started in.
    """
    text = typed.strip()
    if not text:
        return (folder, name, ".csv"), None
    if "\0" in text:
        return None, "a path cannot hold a NUL character"
    path = Path(text).expanduser()
    try:
        if path == folder or path.is_dir() or text.endswith(("/", "\\")):
            if path != folder and not path.is_dir():
                return None, f"no folder {path}"
            return (path, name, ".csv"), None
        parent = path.parent
        if parent != folder and not parent.is_dir():
            return None, f"no folder {parent}"
        if path.exists():
            return None, f"{path} exists; choose another name (nothing is written over)"
    except (OSError, ValueError) as error:
        return None, str(error)
    suffix = path.suffix or ".csv"
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return (parent, stem, suffix), None
