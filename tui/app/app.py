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

from collections import OrderedDict, deque
from collections.abc import Iterable, Mapping, Sequence
from functools import partial

from textual import events
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

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


class KeyDone(Message):
    """Follows a key sent again up the path it takes: when it reaches the app, the key is done."""

    def __init__(self, token: int) -> None:
        super().__init__()
        self.token = token


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
        #: per key on its way (by id): the key, the screen and focus it went to, how often it was resent
        self._key_routes: OrderedDict[int, tuple[events.Key, Screen, Widget | None, int]] = OrderedDict()
        #: keys sent again by :meth:`on_event` (by id): how often each has been resent
        self._resent_keys: dict[int, int] = {}
        #: keys waiting to be sent again, in order: key, character, resends
        self._replay: deque[tuple[str, str | None, int]] = deque()
        #: the token of the resent key on its way (None: none; -1: posted, not yet handed on)
        self._replaying: int | None = None
        self._replaying_next = 0

    #: how often one key may be handed on to a new focus (a screen that keeps changing focus ends it)
    KEY_RESENDS = 8
    #: keys on their way remembered at most (a burst is a few dozen; older routes are long done)
    KEY_ROUTES = 256
    #: seconds to wait for a resent key to be done before the next goes (its widget went away)
    KEY_WAIT = 0.5

    async def on_event(self, event: events.Event) -> None:
        """Keys typed in a burst go where the focus went, not where it was when they arrived.

        Textual hands each key to the focused widget as it arrives and runs the
        key's binding only when the key comes back up to the app. A burst
        ("/doha", "ahello" typed fast or sent by tmux) is handed out whole
        before the first key's action has run: the ``/`` focuses the search
        box, the ``a`` opens the note screen, while the keys behind them are
        already on their way to the panes, where they would run as commands
        ("/doha" opened the notes at its ``a``) or, on a screen not mounted
        yet, be dropped. So the app remembers where each key was sent, and a
        key that comes back unhandled after the screen or the focus changed is
        sent again, to the new focus. Keys sent again go one at a time, the
        next once the last is done (:class:`KeyDone` follows it up the same
        path), and fresh keys wait behind them: "/do", Esc, "j" searches "do",
        leaves the box and moves the cursor, as it does typed slowly.
        """
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if not event.is_forwarded:
            resends = self._resent_keys.pop(id(event), None)
            if resends is None and (self._replay or self._replaying is not None):
                event.stop()
                event.prevent_default()
                self._replay.append((event.key, event.character, 0))  # a fresh key waits its turn
                return
            target = self.focused or self.screen
            self._key_routes[id(event)] = (event, self.screen, self.focused, resends or 0)
            while len(self._key_routes) > self.KEY_ROUTES:
                self._key_routes.popitem(last=False)
            await super().on_event(event)
            if resends is not None:
                self._replaying = token = self._replaying_next = self._replaying_next + 1
                target.post_message(KeyDone(token))
                self.set_timer(self.KEY_WAIT, partial(self._key_done, token))
            return
        route = self._key_routes.pop(id(event), None)
        if route is not None:
            _, screen, focused, resends = route
            if (screen is not self.screen or focused is not self.focused) and resends < self.KEY_RESENDS:
                event.stop()
                event.prevent_default()
                self._replay.append((event.key, event.character, resends + 1))
                if self._replaying is None and len(self._replay) == 1:
                    self._send_next_key()
                return
        await super().on_event(event)

    def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        self._key_done(message.token)

    def _key_done(self, token: int) -> None:
        if token == self._replaying:
            self._replaying = None
            self._send_next_key()

    def _send_next_key(self) -> None:
        """Send the next key waiting to be sent again; a screen still mounting (no focus yet) first settles."""
        if not self._replay:
            return
        if self.focused is None:
            self.call_after_refresh(self._post_next_key)
        else:
            self._post_next_key()

    def _post_next_key(self) -> None:
        if not self._replay or self._replaying is not None:
            return
        key, character, resends = self._replay.popleft()
        again = events.Key(key, character)
        self._resent_keys[id(again)] = resends
        self._replaying = -1  # sent, not yet handed on: fresh keys wait
        self.post_message(again)

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
