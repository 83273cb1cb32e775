"""The reader's key table: every binding with its id, its footer label and its longer help.

The help screen, the footer and the command palette read this table, and
a user keymap (``App.set_keymap``) rebinds keys by the ids given here.
"""

from __future__ import annotations

from textual.binding import Binding

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
    "parallax.annotate": "annotate the current row: note, tags, star (ctrl+s saves, esc cancels)",
    "parallax.star": "star or unstar the current row",
    "parallax.next_note": "next annotated row",
    "parallax.prev_note": "previous annotated row",
    "parallax.cut": "cut the focused sentence out of its row (it becomes a row of its own)",
    "parallax.paste": "put the cut sentence into the current row",
    "parallax.undo": "undo the last fix or annotation change",
    "parallax.save": "save the session now (asks for a name the first time)",
    "parallax.export": "export the rows in view (the filter applies) to CSV, long form, with notes, here",
    "parallax.help": "this help",
    "parallax.quit": "quit (saves the session first)",
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
        "Annotate",
        [
            Binding("a", "annotate", "Annotate", show=False, id="parallax.annotate"),
            Binding("asterisk", "star", "Star", show=False, id="parallax.star", key_display="*"),
            Binding("semicolon", "next_note(1)", "Next note", show=False, id="parallax.next_note", key_display=";"),
            Binding("comma", "next_note(-1)", "Prev note", show=False, id="parallax.prev_note", key_display=","),
        ],
    ),
    (
        "Fix the alignment",
        [
            Binding("x", "cut", "Cut sentence", show=False, id="parallax.cut"),
            Binding("v", "paste", "Put sentence here", show=False, id="parallax.paste"),
            Binding("ctrl+z", "undo", "Undo", show=False, id="parallax.undo"),
        ],
    ),
    (
        "App",
        [
            Binding("s", "save", "Save", show=False, id="parallax.save"),
            Binding("e", "export", "Export CSV", show=False, id="parallax.export"),
            Binding("question_mark", "help", "Help", id="parallax.help", key_display="?"),
            Binding("q", "quit_reader", "Quit", id="parallax.quit"),
        ],
    ),
]
