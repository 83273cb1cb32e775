"""The reader's key table as plain data: every key with its binding id, footer label and longer help.

One entry per key, in one place. It is kept free of Textual so that the
command line can check a user keymap (:mod:`tui.core.config`) without
loading the UI: ``parallax export`` with a configuration file must start
as fast as without. :mod:`tui.app.keys` turns the entries into Textual
``Binding`` objects for the screen's ``BINDINGS``, the help screen, the
command palette and ``App.set_keymap``.

A new key is one :func:`_key` line in its group below: the footer, the
help screen, the palette, the keymap's known ids and the docs' list of
binding ids all follow from it. The action it names is a method
``action_<name>`` of :class:`~tui.app.screens.reader.ReaderScreen`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: The prefix of every reader binding's id.
ID_PREFIX = "parallax."


@dataclass(frozen=True, slots=True)
class Key:
    """One key of the reader: what Textual needs for a ``Binding``, plus the help screen's longer text."""

    keys: str
    action: str
    description: str
    long_help: str
    #: the full binding id (``parallax.<name>``), what a keymap names
    id: str
    show: bool = False
    display: str | None = None


def _key(
    keys: str, action: str, description: str, long_help: str, *, id: str, show: bool = False, display: str | None = None
) -> Key:
    return Key(keys, action, description, long_help, ID_PREFIX + id, show, display)


#: Every key of the reader, grouped for the help screen, each with its long help.
KEY_TABLE: tuple[tuple[str, tuple[Key, ...]], ...] = (
    (
        "Move",
        (
            _key("down,j", "row(1)", "Next row", "next row",
                 id="row_down", display="↓/j"),
            _key("up,k", "row(-1)", "Previous row", "previous row",
                 id="row_up", display="↑/k"),
            _key("pagedown", "page(1)", "Page down", "a screen further down",
                 id="page_down"),
            _key("pageup", "page(-1)", "Page up", "a screen further up",
                 id="page_up"),
            _key("g,home", "first_row", "First row", "first row",
                 id="first_row", display="g"),
            _key("G,end", "last_row", "Last row", "last row",
                 id="last_row", display="G"),
        ),
    ),
    (
        "Sources",
        (
            _key("right,l", "source(1)", "Next source", "focus the next source (the panes slide along)",
                 id="source_next", display="→/l"),
            _key("left,h", "source(-1)", "Previous source", "focus the previous source",
                 id="source_prev", display="←/h"),
            _key("p", "pivot", "Pivot", "make the focused source the pivot: rows follow its order",
                 id="pivot"),
            _key("r", "rename_source", "Rename", "rename the focused source (kept in the session)",
                 id="rename_source"),
        ),
    ),
    (
        "Differences",
        (
            _key("n", "next_diff", "Diff", "next row that matters: a widely reported row some source leaves out, "
                 "or a flag (next match while searching)",
                 id="next_diff", show=True),
            _key("N", "prev_diff", "Prev diff", "previous row that matters (previous match while searching)",
                 id="prev_diff"),
            _key("u", "next_only", "Only", "next row only the focused source reports",
                 id="next_only", show=True),
            _key("o", "next_omitted", "Omitted",
                 "next row the focused source leaves out (widely reported, it lacks it)",
                 id="next_omitted", show=True),
            _key("O", "omissions", "Omissions", "list everything the focused source leaves out; enter jumps to a row",
                 id="omissions"),
        ),
    ),
    (
        "View",
        (
            _key("f", "cycle_filter", "Filter",
                 "filter rows: all → shared by all → partial → unique → flagged → annotated",
                 id="filter", show=True),
            _key("enter", "toggle_detail", "Detail",
                 "detail of the current row: flags, full sentences, score, who leaves it out, why it is uncertain (?); "
                 "on a fold: open it",
                 id="detail", show=True),
            _key("w", "toggle_wrap", "Wrap", "wrap sentences, or compact: one line per row but the cursor's, drawn whole "
                 "(narrower panes, more sources)", id="wrap"),
            _key("d", "cycle_highlight", "Highlight",
                 "highlight words: distinctive (numbers, names, words the row's other sources never use) → "
                 "all not shared → off",
                 id="highlight"),
            _key("z", "toggle_folds", "Folds",
                 "fold runs of rows no pane on screen has into one line (enter on a fold opens it), or not",
                 id="folds"),
            _key("m", "toggle_map", "Map", "show or hide the coverage map",
                 id="map"),
            _key("J,shift+down", "scroll_panel(3)", "Scroll panel down",
                 "scroll the open panel (detail, else sources) down; tab also focuses it for ↑ ↓ PgUp PgDn",
                 id="panel_down", display="J"),
            _key("K,shift+up", "scroll_panel(-3)", "Scroll panel up", "scroll the open panel up",
                 id="panel_up", display="K"),
            _key("i", "toggle_sources", "Sources",
                 "show or hide the sources panel: what each source leaves out and what only it reports",
                 id="sources"),
        ),
    ),
    (
        "Search",
        (
            _key("slash", "search", "Search", "search all sources; enter: next match, esc: back to the panes",
                 id="search", show=True, display="/"),
            _key("escape", "escape", "Clear search", "clear the search; with none, close the detail, then the sources panel",
                 id="escape"),
        ),
    ),
    (
        "Annotate",
        (
            _key("a", "annotate", "Annotate", "annotate the current row: note, tags, star (ctrl+s saves, esc cancels)",
                 id="annotate"),
            _key("asterisk", "star", "Star", "star or unstar the current row",
                 id="star", display="*"),
            _key("semicolon", "next_note(1)", "Next note", "next annotated row",
                 id="next_note", display=";"),
            _key("comma", "next_note(-1)", "Prev note", "previous annotated row",
                 id="prev_note", display=","),
        ),
    ),
    (
        "Fix the alignment",
        (
            _key("x", "cut", "Cut sentence", "cut the focused sentence out of its row (it becomes a row of its own; "
                 "of several, pick one)",
                 id="cut"),
            _key("v", "paste", "Put sentence here", "put the cut sentence into the current row (next to its own "
                 "outlet's sentences only if it continues them)",
                 id="paste"),
            _key("ctrl+z", "undo", "Undo", "undo the last fix or annotation change",
                 id="undo"),
        ),
    ),
    (
        "App",
        (
            _key("s", "save", "Save", "save the session now (asks for a name the first time)",
                 id="save"),
            _key("e", "export", "Export CSV", "export the rows in view (the filter applies) to CSV, long form, with notes and row ids: into "
                 "the exports folder beside the sessions, or a file or folder you type",
                 id="export"),
            _key("E", "report", "Report",
                 "write a report to read (what each source leaves out and reports alone, where they disagree, "
                 "the notes) as Markdown and HTML into the exports folder",
                 id="report"),
            _key("question_mark", "help", "Help", "this help",
                 id="help", show=True, display="?"),
            _key("q", "quit_reader", "Quit", "quit (saves the session first)",
                 id="quit", show=True),
        ),
    ),
)

#: Every binding id of the reader (what a keymap may name).
BINDING_IDS: frozenset[str] = frozenset(k.id for _, keys in KEY_TABLE for k in keys)


def keymap_clashes(keymap: Mapping[str, str]) -> list[tuple[str, str]]:
    """(key, binding id) for each default key of a binding the keymap leaves alone that the keymap gives to another.

    Textual's keymap takes such a key from the default binding without a
    word (its clash report skips bindings that have ids); the reader and
    ``parallax config`` say so. Keys are compared as written, in Textual's
    names (``question_mark``, not ``?``).
    """
    taken: dict[str, str] = {}
    for _, keys in KEY_TABLE:
        for key in keys:
            if key.id not in keymap:
                for name in key.keys.split(","):
                    taken[name.strip()] = key.id
    return sorted({(name, taken[name]) for binding, keys in keymap.items() for name in keys.split(",")
                   if name in taken and taken[name] != binding})
