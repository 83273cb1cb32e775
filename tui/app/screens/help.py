"""The ``?`` screen: every key of the reader, by what it is for, and every mark it draws.

Built from the same binding list the reader screen uses, so the help can
never fall out of step with what the keys actually do. The legend lists
each glyph the panes, the pane headers and the coverage map draw, in the
colour they draw it (a test checks that none is missing).
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
    ("tab", "focus the next part of the screen (the detail or sources panel: ↑ ↓ PgUp PgDn scroll it)"),
    ("ctrl+p", "command palette: every action by name"),
]

#: Every mark the reader draws: (glyph, the theme colour it is drawn in or "", what it means), by where.
LEGEND: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Gutter (left of the panes)",
        [
            ("●5", "text-success", "every source has the row (the digit: how many do)"),
            ("◐3", "text-warning", "some sources have it"),
            ("○1", "text-accent", "only one source has it"),
            ("⚑", "text-error", "outlets disagree on a number, date, weekday, name or quote"),
            ("?", "text-warning", "uncertain: the matcher's links here are weak (score under 0.50)"),
            ("★ ✎", "text-accent", "you starred the row / noted or tagged it"),
            ("▶ ▌", "", "the cursor's row"),
        ],
    ),
    (
        "Panes",
        [
            ("·", "", "this source has nothing in the row"),
            ("· left out", "", "this source leaves out a widely reported row (see O)"),
            ("▸ › 4 rows only in 004", "", "a fold: rows no pane on screen has; enter opens it, z turns folds off"),
            ("› only in 004: …", "", "an opened row no pane shows: ‹ left of the panes, › right, ‹› both"),
            ("word", "text-warning", "a highlighted word: distinctive by default (d: distinctive, all, none)"),
            ("word", "text-error", "underlined: the words a ⚑ flag is about"),
            ("word", "search", "a search hit"),
            ("text across panes", "", "a sentence alone on screen in its row runs on over the empty panes"),
            ("headline · ", "", "a summary line (headline, heading, key point) beside body sentences"),
            ("+1", "", "compact mode: more sentences in the cell than the line shows"),
        ],
    ),
    (
        "Pane headers",
        [
            ("◆", "text-accent", "the pivot: rows follow its order (p makes the focused source the pivot)"),
            ("‹ ›", "", "more sources to the left / right (h l, ← →)"),
            ("1–4/5", "", "which sources are on screen, of how many"),
        ],
    ),
    (
        "Coverage map (right)",
        [
            ("█", "success", "the source has the row (green: all have it, amber: some, blue: one)"),
            ("▓ ▒ ░", "warning", "the source has some of the rows one line of the map stands for"),
            ("·", "", "the source has none of them"),
            ("▶ │", "", "the cursor's row; the rows on screen"),
            ("? ★ ✎", "", "an uncertain row; an annotated row"),
        ],
    ),
    (
        "Detail panel (enter)",
        [
            ("#12", "", "the row's number in reading order: it changes with the pivot and with fixes"),
            ("id qgwjrw-12", "", "the row's id: the same whatever the pivot (cite it in a note; / finds it; "
             "row_id in the CSV)"),
            ("left out by", "", "sources that leave out a widely reported row"),
        ],
    ),
]


def key_label(binding: Binding) -> str:
    """The keys of a binding as a reader types them (``↓ j`` rather than ``down,j``)."""
    names = {
        "down": "↓", "up": "↑", "left": "←", "right": "→", "pagedown": "PgDn", "pageup": "PgUp",
        "slash": "/", "question_mark": "?", "escape": "esc", "enter": "enter", "home": "Home", "end": "End",
        "asterisk": "*", "semicolon": ";", "comma": ",",
    }

    def one(key: str) -> str:
        *mods, base = key.strip().split("+")
        return "+".join([*mods, names.get(base, base)])

    return " ".join(one(k) for k in binding.key.split(","))


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
            yield Static(self._legend(), id="help-legend")

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

    def _legend(self) -> Table:
        """Every glyph, drawn as the reader draws it, with what it means."""
        variables = self.app.get_css_variables()

        def styled(glyph: str, colour: str) -> Text:
            if colour == "search":
                return Text(glyph, style=f"bold {variables.get('background', 'black')} on {variables.get('warning', 'yellow')}")
            if colour == "text-error" and glyph == "word":
                return Text(glyph, style=f"bold underline {variables.get('text-error', 'red')}")
            value = variables.get(colour) if colour else None
            return Text(glyph, style=value or "")

        table = Table(box=None, show_header=False, padding=(0, 1), expand=False)
        table.add_column("mark", no_wrap=True, justify="right")
        table.add_column("what")
        table.add_row("", "")
        table.add_row(Text(""), Text("What the marks mean", style="bold underline"))
        for place, marks in LEGEND:
            table.add_row(Text(""), Text(place, style="italic"))
            for glyph, colour, meaning in marks:
                table.add_row(styled(glyph, colour), Text(meaning))
        return table

    def action_close(self) -> None:
        self.dismiss(None)
