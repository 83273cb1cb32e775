"""The ``?`` screen: every key of the reader, by what it is for.

Built from the same binding list the reader screen uses, so the help can
never fall out of step with what the keys actually do.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

#: What the mouse does, for completeness; not a binding.
MOUSE_HELP = [
    ("wheel", "scroll the panes"),
    ("click a cell", "select its row and focus its source"),
    ("click the map", "jump to that part of the story"),
    ("ctrl+p", "command palette: every action by name"),
]


def key_label(binding: Binding) -> str:
    """The keys of a binding as a reader types them (``↓ j`` rather than ``down,j``)."""
    names = {
        "down": "↓", "up": "↑", "left": "←", "right": "→", "pagedown": "PgDn", "pageup": "PgUp",
        "slash": "/", "question_mark": "?", "escape": "esc", "enter": "enter", "home": "Home", "end": "End",
        "asterisk": "*", "semicolon": ";", "comma": ",",
    }
    return " ".join(names.get(k.strip(), k.strip()) for k in binding.key.split(","))


class HelpScreen(ModalScreen[None]):
    """Keys grouped as in the reader; any of esc, ?, q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "close", "Close help", id="parallax.help_close"),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 84;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: round $primary;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen Static { width: 100%; }
    """

    def __init__(self, groups: list[tuple[str, list[Binding]]], explain: dict[str, str] | None = None) -> None:
        super().__init__()
        self.groups = groups
        self.explain = explain or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Parallax keys"
            box.border_subtitle = "esc to close"
            yield Static(self._table(), id="help-table")

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
        table.add_column("key", style="bold", no_wrap=True, justify="right")
        table.add_column("what")
        first = True
        for group, bindings in self.groups:
            if not first:
                table.add_row("", "")
            first = False
            table.add_row(Text(""), Text(group, style="bold underline"))
            for binding in bindings:
                what = self.explain.get(binding.id or "", binding.description)
                table.add_row(Text(key_label(binding)), Text(what))
        table.add_row("", "")
        table.add_row(Text(""), Text("Mouse & more", style="bold underline"))
        for key, what in MOUSE_HELP:
            table.add_row(Text(key), Text(what))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
