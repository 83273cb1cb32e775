"""The Parallax application: a thin shell around the reader screen.

The app holds what the command line hands over (sources, settings, an
optional session, the user's configuration) and the two functions the view
depends on (the aligner and the row comparer), so tests and benchmarks can
swap in fixed ones. All the reading happens in
:class:`~tui.app.screens.reader.ReaderScreen`; the app applies the
configuration's theme and keymap (``App.set_keymap``) and says, once, when
the configuration file was bad and ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial

from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from tui.core.config import Config
from tui.core.model import AlignSettings, Alignment, Source
from tui.core.settings import Explicit

from tui.app.diffs import Differ, default_differ
from tui.app.keeper import Keeper
from tui.app.keys import KEY_GROUPS, LONG_HELP, with_keymap
from tui.app.keytable import keymap_clashes
from tui.app.screens.reader import Aligner, ReaderScreen
from tui.app.textutil import clean


def _align(sources: Sequence[Source], settings: AlignSettings) -> Alignment:
    """:func:`tui.core.align.align`, imported on the first call: in the aligner's thread, after the
    first frame (numpy, rapidfuzz and the analysis tables are a third of a second of imports)."""
    from tui.core.align import align

    return align(sources, settings)


class ParallaxApp(App[int]):
    """Parallel reading of several articles about one story."""

    CSS_PATH = "app.tcss"
    TITLE = "Parallax"

    def __init__(
        self,
        sources: Sequence[Source],
        explicit: Explicit | None = None,
        *,
        session: str | None = None,
        aligner: Aligner | None = None,
        differ: Differ | None = None,
        config: Config | None = None,
    ) -> None:
        super().__init__()
        #: the user's configuration file, as read and checked (None: none, the built-in defaults)
        self.config = config

        if config is not None and config.theme is not None:
            self.theme = config.theme
        self.sources = tuple(sources)
        #: the settings the command line was given explicitly (they win over a session's)
        self.explicit = explicit or Explicit()
        #: the name of the session to create or resume (None: an unnamed, in-memory one)
        self.session_name = session
        self.aligner = aligner or _align
        self.differ = differ or default_differ()

    def get_default_screen(self) -> Screen:
        defaults = self.config.defaults() if self.config is not None else None
        return ReaderScreen(
            self.sources, self.explicit, aligner=self.aligner, differ=self.differ, session_name=self.session_name,
            keeper=Keeper(defaults=defaults),
        )

    def on_mount(self) -> None:
        config = self.config
        if config is None:
            return
        if config.keymap:
            self.set_keymap(dict(config.keymap))
            taken = keymap_clashes(config.keymap)
            if taken:
                lost = ", ".join(f"{key} (was {binding})" for key, binding in taken)
                self.notify(clean(f"keymap: the configured keys take {lost}"), title="Configuration",
                            severity="warning", timeout=10, markup=False)
        if config.notice is not None:
            self.notify(clean(config.notice), title="Configuration", severity="warning", timeout=12, markup=False)

    @property
    def key_groups(self) -> list[tuple[str, list[Binding]]]:
        """The reader's bindings by group with the keys the user's keymap gave them (help screen, palette)."""
        return with_keymap(KEY_GROUPS, self.config.keymap if self.config is not None else {})

    @property
    def keeper(self) -> Keeper:
        """The session holder (opened when the reader mounts)."""
        return self.reader.keeper

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        """Every key, palette entry and footer click passes here: one that needs the rows, come before
        them, waits for the alignment (or is answered) instead of being dropped (:meth:`ReaderScreen.hold`)."""
        if isinstance(action, str) and isinstance(default_namespace, ReaderScreen) and default_namespace.hold(action):
            return True
        return await super().run_action(action, default_namespace, namespaces)

    async def action_quit(self) -> None:
        """ctrl+q goes through the reader's quit, which saves first and never drops work silently."""
        self.reader.action_quit_reader()

    def action_help_quit(self) -> None:
        """ctrl+c quits the same way (Textual would only tell the reader to press ctrl+q)."""
        self.reader.action_quit_reader()

    @property
    def reader(self) -> ReaderScreen:
        """The reader screen (the default screen, under any modal)."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        return screen

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette lists every reader action by name, next to Textual's own."""
        yield from super().get_system_commands(screen)
        reader = self.reader
        seen: set[str] = set()
        for group, bindings in self.key_groups:
            for binding in bindings:
                if binding.action in seen:
                    continue
                seen.add(binding.action)
                yield SystemCommand(
                    f"{group}: {LONG_HELP.get(binding.id or '', binding.description)}",
                    f"key {binding.key_display or binding.key}",
                    partial(reader.run_action, binding.action),
                )


def run_app(
    sources: Sequence[Source],
    explicit: Explicit | None = None,
    *,
    session: str | None = None,
    config: Config | None = None,
) -> int:
    """Open the reader on already loaded sources, with the session named ``session``; returns the exit status."""
    app = ParallaxApp(sources, explicit, session=session, config=config)
    result = app.run()
    if app.return_code not in (None, 0):
        return app.return_code
    return result if isinstance(result, int) else 0
