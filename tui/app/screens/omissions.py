"""The ``O`` screen: everything one source leaves out, to read in one go and jump to.

``o`` walks a source's omissions one row at a time, in the panes, where each
sits among what the source does report. This list is the other way to read
them: all at once, each with how many outlets report it and what one of them
says, so a reader sees at a glance what an opinion piece skips. Below them,
dim and not counted, the widely reported rows the source lacks but probably
tells in another row, with its own sentence there. ``enter``
closes the list on that row; ``←``/``→`` go to the previous or next source.

It reads the same omission model as the rest of the reader
(:mod:`tui.core.omissions`), passed in from the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui.core.model import Alignment
from tui.core.omissions import Omissions, example
from tui.core.rowid import row_ids

from tui.app.textutil import clean


class OmissionsScreen(ModalScreen[int | None]):
    """One source's omissions as a list; dismissed with the chosen row, or None."""

    BINDINGS = [
        Binding("escape,q,O", "close", "Close", id="parallax.omissions_close"),
        Binding("left,h", "source(-1)", "Previous source", id="parallax.omissions_prev_source", key_display="←"),
        Binding("right,l", "source(1)", "Next source", id="parallax.omissions_next_source", key_display="→"),
    ]

    def __init__(self, alignment: Alignment, model: Omissions, source: int) -> None:
        super().__init__()
        self.alignment = alignment
        self.model = model
        self.source = source
        #: every row's stable id, computed when the first line is drawn
        self._ids: tuple[str, ...] | None = None

    @property
    def options(self) -> OptionList:
        return self.query_one("#omissions-list", OptionList)

    @property
    def heading(self) -> Static:
        return self.query_one("#omissions-heading", Static)

    def compose(self) -> ComposeResult:
        with Vertical(id="omissions-dialog") as box:
            box.border_subtitle = "enter: go to the row · ←/→: other source · esc: close"
            yield Static(id="omissions-heading")
            yield OptionList(id="omissions-list")

    def on_mount(self) -> None:
        self._fill()
        self.options.focus()

    def label(self, source: int) -> str:
        return clean(self.alignment.sources[source].label)

    def _fill(self) -> None:
        """Show the current source's omissions (the heading says how many, of how many)."""
        account = self.model.sources[self.source]
        box = self.query_one("#omissions-dialog", Vertical)
        box.border_title = f"What {self.label(self.source)} leaves out"
        n = len(self.alignment.sources)
        heading = Text()
        heading.append(self.label(self.source), style="bold")
        k, m = account.leaves_out, account.widely_reported
        heading.append(f" leaves out {k or 'none'} of the {m} widely reported row{'s' if m != 1 else ''}")
        heading.append(f" (reported by at least {self.model.needed} of {n} sources)", style="dim")
        if account.elsewhere:
            e = len(account.elsewhere)
            heading.append(f"; it probably tells {e} more in other rows (listed last, not counted)", style="dim")
        self.heading.update(heading)
        options = self.options
        options.clear_options()
        for row in account.left_out:
            options.add_option(Option(self._prompt(row), id=str(row)))
        for row, other in account.elsewhere:
            options.add_option(Option(self._elsewhere_prompt(row, other), id=f"e{row}"))
        if options.option_count:
            options.highlighted = 0

    def _elsewhere_prompt(self, row: int, other: int) -> Text:
        """A widely reported row the source lacks but probably tells in its row ``other``: its own sentence."""
        out = Text()
        out.append(f"row #{row}", style="bold dim")
        out.append(f" · probably in its row #{other}: ", style="dim")
        out.append(clean(self.alignment.cell_text(other, self.source) or ""), style="dim")
        return out

    def _prompt(self, row: int) -> Text:
        shown = example(self.alignment, row, (self.alignment.pivot,))
        out = Text()
        out.append(f"row #{row}", style="bold")
        if self._ids is None:
            self._ids = row_ids(self.alignment)
        out.append(f" · id {self._ids[row]}", style="dim")
        out.append(f" · reported by {self.model.rows[row].reported_by} of {len(self.alignment.sources)} · ", style="dim")
        if self.model.rows[row].uncertain:  # the panes' ?, and what `parallax omissions` says of the row
            out.append("? uncertain links", style="bold")
            out.append(" · ", style="dim")
        if shown is not None:
            out.append(f"{self.label(shown[0])}: ", style="bold")
            out.append(clean(shown[1]))
        return out

    def action_source(self, delta: int) -> None:
        self.source = (self.source + delta) % len(self.alignment.sources)
        self._fill()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id.lstrip("e")))

    def action_close(self) -> None:
        self.dismiss(None)
