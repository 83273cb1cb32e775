"""The ``x`` chooser: which sentence of a multi-sentence cell to cut out of its row.

Most cells hold one sentence and ``x`` cuts it at once. A cell that holds
several sentences of its source (a split statement, a headline beside its
body sentence) asks which one: a short list of them, numbered as in the
detail panel, with the last one ready so that ``x`` then ``enter`` cuts the
end of the run, ``1``-``9`` pick the first nine by position, and ``esc``
changes nothing. A
sentence inside a run cannot leave on its own (the row would hold two runs
of that outlet), so it is listed but disabled, with the reason.
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

from tui.app.cellview import Layers, cell_look, mixes_layers
from tui.app.textutil import clean


def cut_choices(alignment: Alignment, row: int, source: int) -> list[tuple[int, Text, str | None]]:
    """(sentence index, how it is listed, why it cannot be cut or None) for each sentence of the cell."""
    layers = Layers(alignment)
    look = cell_look(alignment, row, source, layers, mixes_layers(alignment, row, layers))
    if look is None:
        return []
    cell = alignment.rows[row].cells[source]
    out: list[tuple[int, Text, str | None]] = []
    for k, part in enumerate(look.parts, 1):
        rest = tuple(i for i in cell if i != part.index)
        why = alignment.cell_problem(source, rest)
        prompt = Text()
        prompt.append(f"{k} " if k < 10 else "  ", style="bold")  # the digit that picks it
        prompt.append(f"#{part.index} ", style="dim")
        if part.tag:
            prompt.append(look.text[part.start:part.start + part.tag], style="dim italic")
        prompt.append(look.text[part.start + part.tag:part.end], style="italic" if part.summary else "")
        reason = None
        if why:
            body = [i for i in cell if layers[source][i] == layers[source][part.index]]
            ends = " or ".join(f"#{i}" for i in (body[0], body[-1]))
            reason = f"inside the run: cut {ends} first"
            prompt.append(f"  ({reason})", style="dim")
        out.append((part.index, prompt, reason))
    return out


class CutScreen(ModalScreen[int | None]):
    """Pick one sentence of a cell; dismissed with its index, or None."""

    BINDINGS = [
        Binding("escape,q", "close", "Cancel", id="parallax.cut_cancel"),
        *(Binding(str(k), f"pick({k - 1})", f"Sentence {k}", show=False, id=f"parallax.cut_pick_{k}")
          for k in range(1, 10)),
    ]

    def __init__(self, alignment: Alignment, row: int, source: int) -> None:
        super().__init__()
        self.alignment = alignment
        self.row = row
        self.source = source
        self.choices = cut_choices(alignment, row, source)

    @property
    def options(self) -> OptionList:
        return self.query_one("#cut-list", OptionList)

    def compose(self) -> ComposeResult:
        label = clean(self.alignment.sources[self.source].label)
        with Vertical(id="cut-dialog") as box:
            box.border_title = f"Cut which sentence of {label}?"
            box.border_subtitle = "enter or 1-9: cut it · esc: cancel"
            yield Static(Text(f"row #{self.row} holds {len(self.choices)} sentences of {label}; "
                              "the one you pick becomes a row of its own", style="dim"), id="cut-heading")
            yield OptionList(*(Option(prompt, id=str(index), disabled=reason is not None)
                               for index, prompt, reason in self.choices), id="cut-list")

    def on_mount(self) -> None:
        options = self.options
        enabled = [k for k, (_, _, reason) in enumerate(self.choices) if reason is None]
        if enabled:
            options.highlighted = enabled[-1]
        options.focus()

    def action_pick(self, position: int) -> None:
        if 0 <= position < len(self.choices) and self.choices[position][2] is None:
            self.dismiss(self.choices[position][0])
        elif 0 <= position < len(self.choices):
            self.notify(f"#{self.choices[position][0]} is {self.choices[position][2]}", timeout=3, markup=False)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(int(event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
