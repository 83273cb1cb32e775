"""The pane headers: one source label above each column of the parallel view.

Kept outside the scrolling view so the labels never scroll away; it reads the
column geometry straight from the :class:`ParallelView` it labels, so the two
can never disagree about where a pane starts.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from tui.app.textutil import clean
from tui.app.widgets.parallel import ParallelView


class ColumnHeader(Widget):
    """Source labels over the panes, the focused one highlighted, and the window."""

    COMPONENT_CLASSES = {"columns--label", "columns--focus", "columns--pivot", "columns--window"}

    DEFAULT_CSS = """
    ColumnHeader {
        height: 1;
        background: $panel;
        color: $foreground;
        & > .columns--label { color: $text-muted; text-style: bold; }
        & > .columns--focus { background: $primary; color: $text; text-style: bold; }
        & > .columns--pivot { color: $text-accent; }
        & > .columns--window { color: $text-muted; }
    }
    """

    def __init__(self, view: ParallelView, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view

    def window_text(self) -> str:
        """``"2–4 of 7"`` when not every source fits, else ``"5 sources"``."""
        view = self.view
        if not view.columns:
            return ""
        n = len(view.sources)
        first = view.columns[0].source + 1
        last = view.columns[-1].source + 1
        if first == 1 and last == n:
            return f"all {n}"
        return f"{first}–{last} of {n}" if first != last else f"{first} of {n}"

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        view = self.view
        view.fit_draft()  # the first frame may come before the view has heard of its width
        if y != 0 or not view.columns:  # the panes of an alignment, or of the draft before it
            return Strip.blank(width, base)
        style = self.get_component_rich_style
        window = self.window_text()
        gutter = view.gutter_width
        window = window if len(window) < gutter else window.replace(" of ", "/")
        segments = [Segment(window[: gutter - 1].ljust(gutter), base + style("columns--window", partial=True))]
        sources = view.sources
        n = len(sources)
        pivot = view.pivot
        for i, col in enumerate(view.columns):
            if i:
                segments.append(Segment(" ", base))
            focused = col.source == view.focus_source
            cell_style = style("columns--focus") if focused else base + style("columns--label", partial=True)
            label = clean(sources[col.source].label)
            mark = "◆ " if col.source == pivot else ""
            left = "‹ " if i == 0 and col.source > 0 else ""
            right = " ›" if i == len(view.columns) - 1 and col.source < n - 1 else ""
            room = col.width - len(left) - len(right) - 1
            body = f"{mark}{label}"
            if len(body) > room:
                body = body[: max(0, room - 1)] + "…"
            text = (" " + left + body).ljust(col.width - len(right)) + right
            segments.append(Segment(text[: col.width], cell_style))
        return Strip(segments).adjust_cell_length(width, base)
