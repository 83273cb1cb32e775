"""The reader's bindings: :mod:`tui.app.keytable`'s entries as Textual ``Binding`` objects.

The screen's ``BINDINGS``, the help screen and the command palette read
these. Each binding has an id (``parallax.<name>``) so a user keymap (the
configuration file's ``[keymap]``, see :mod:`tui.core.config`) rebinds it
with ``App.set_keymap``; :func:`with_keymap` gives the help screen the keys
as rebound. The short description goes in the footer (80 columns to
share), the long help in the help screen and the palette.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.binding import Binding

from tui.app.keytable import BINDING_IDS, ID_PREFIX, KEY_TABLE, Key

__all__ = ["BINDING_IDS", "ID_PREFIX", "KEY_GROUPS", "LONG_HELP", "READER_BINDINGS", "with_keymap"]


def _binding(key: Key) -> Binding:
    return Binding(key.keys, key.action, key.description, show=key.show, id=key.id, key_display=key.display)


#: The bindings by group, for the help screen.
KEY_GROUPS: list[tuple[str, list[Binding]]] = [(group, [_binding(k) for k in keys]) for group, keys in KEY_TABLE]
#: Longer explanations by binding id, for the help screen and the command palette.
LONG_HELP: dict[str, str] = {k.id: k.long_help for _, keys in KEY_TABLE for k in keys}
#: All of the reader's bindings, for ``ReaderScreen.BINDINGS``.
READER_BINDINGS: list[Binding] = [b for _, group in KEY_GROUPS for b in group]


def with_keymap(groups: list[tuple[str, list[Binding]]], keymap: Mapping[str, str]) -> list[tuple[str, list[Binding]]]:
    """``groups`` with the keys a keymap gave (by binding id), for showing them: the help screen, the palette."""
    if not keymap:
        return groups
    return [
        (group, [b.with_key(keymap[b.id], key_display=None) if b.id is not None and b.id in keymap else b
                 for b in bindings])
        for group, bindings in groups
    ]
