"""Small modal screens for the reader's own work: annotating a row, naming a session.

They return plain values (an :class:`~tui.core.model.Annotation`, a name)
and leave storing them to the reader screen, so the rules about undo and
saving stay in one place. Tags and names come from the reader, but they are
still shown as plain text, never parsed as markup, and a note or a tag read
from a session file is painted with its control characters as symbols (a
note holding ``ESC[2J`` would otherwise clear the screen).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static, TextArea

from tui.core.model import Annotation
from tui.core.terminal import CONTROL_TABLE

#: Control characters as symbols; tabs stay tabs, the text area lays them out itself.
_NOTE_TABLE = {code: char for code, char in CONTROL_TABLE.items() if code != 0x09}


class NoteArea(TextArea):
    """A text area that paints control characters as symbols and keeps them in the text.

    The mapping is one character for one, so cursor columns and the note
    itself are unchanged: only what reaches the terminal is inert.
    """

    def get_line(self, line_index: int) -> Text:
        # Not super().get_line: rich.Text drops some controls (BEL, CR) and
        # would shift every column after them.
        return Text(self.document.get_line(line_index).translate(_NOTE_TABLE), end="", no_wrap=True)


@dataclass(frozen=True, slots=True)
class AnnotationResult:
    """What the annotation screen hands back: the annotation and tags the reader coined."""

    annotation: Annotation
    new_tags: tuple[str, ...] = ()


class TagBox(Checkbox):
    """A tag toggle; remembers its tag so the label can be shortened safely."""

    def __init__(self, tag: str, value: bool) -> None:
        super().__init__(Text(tag.translate(CONTROL_TABLE)), value, compact=True)
        self.tag = tag


class AnnotateScreen(ModalScreen[AnnotationResult | None]):
    """Note, tags and star for one row, with the row's sentences above them to write about.

    ctrl+s or the Save button keeps; escape cancels, but asks first when
    something was changed (a typed note is work: escape used to drop it
    without a word).
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "Save note", id="parallax.note_save"),
        Binding("escape", "cancel", "Cancel", id="parallax.note_cancel"),
    ]

    def __init__(
        self, title: str, current: Annotation, tags: Sequence[str], sentences: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__()
        self.title_text = title
        self.current = current
        self.tags = list(dict.fromkeys([*tags, *current.tags]))
        self.new_tags: list[str] = []
        #: (source label, its sentence in the row), shown above the note
        self.sentences = list(sentences)

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Static(Text(self.title_text.translate(CONTROL_TABLE), style="bold"), id="note-title")
            if self.sentences:
                with VerticalScroll(id="note-row"):  # shift+tab from the note reaches it, to scroll
                    yield Static(self._row_text(), id="note-sentences")
            yield NoteArea(self.current.note, id="note-text", soft_wrap=True, tab_behavior="focus")
            with VerticalScroll(id="note-tags", can_focus=False):  # tab goes straight to the first tag
                for tag in self.tags:
                    yield TagBox(tag, tag in self.current.tags)
            yield Input(placeholder="new tag · enter adds it", id="note-new-tag", compact=True)
            with Horizontal(id="note-buttons"):
                yield Checkbox("★ starred", self.current.starred, id="note-star", compact=True)
                yield Button("Save (ctrl+s)", id="note-save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="note-cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Input.Submitted, "#note-new-tag")
    def _add_tag(self, event: Input.Submitted) -> None:
        tag = " ".join(event.value.split())
        event.input.value = ""
        if not tag:
            return
        for box in self.query(TagBox):
            if box.tag == tag:
                box.value = True
                return
        self.new_tags.append(tag)
        box = TagBox(tag, True)
        self.query_one("#note-tags", VerticalScroll).mount(box)
        box.scroll_visible()

    def _row_text(self) -> Text:
        out = Text()
        for i, (label, sentence) in enumerate(self.sentences):
            if i:
                out.append("\n")
            out.append(f"{label.translate(CONTROL_TABLE)}: ", style="bold")
            out.append(sentence.translate(CONTROL_TABLE))
        return out

    def _edited(self) -> Annotation:
        tags = tuple(box.tag for box in self.query(TagBox) if box.value)
        note = self.query_one(TextArea).text.rstrip()
        starred = self.query_one("#note-star", Checkbox).value
        return Annotation(note, tags, starred)

    @property
    def changed(self) -> bool:
        """Whether the note, the tags or the star differ from what the row had."""
        edited, current = self._edited(), self.current
        return (edited.note != current.note.rstrip() or set(edited.tags) != set(current.tags)
                or edited.starred != current.starred or bool(self.new_tags))

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        self.dismiss(AnnotationResult(self._edited(), tuple(self.new_tags)))

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(DiscardScreen(), answered)


class DiscardScreen(ModalScreen[bool]):
    """Escape on a changed note: keep editing (the default, and escape again) or throw the changes away."""

    BINDINGS = [
        Binding("escape,k", "keep", "Keep editing", id="parallax.discard_keep"),
        Binding("d", "discard", "Discard", id="parallax.discard_discard"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="discard-dialog"):
            yield Label(Text("This note has changes that are not saved."), id="discard-prompt")
            with Horizontal(id="discard-buttons"):
                yield Button("Keep editing (esc)", id="discard-keep", variant="primary", compact=True)
                yield Button("Discard (d)", id="discard-discard", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#discard-keep", Button).focus()

    @on(Button.Pressed, "#discard-keep")
    def action_keep(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#discard-discard")
    def action_discard(self) -> None:
        self.dismiss(True)


class NameScreen(ModalScreen[str | None]):
    """Ask for a session name; ``check`` returns why a name is refused, shown inline."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="parallax.name_cancel")]

    def __init__(self, prompt: str, default: str, check: Callable[[str], str | None]) -> None:
        super().__init__()
        self.prompt = prompt
        self.default = default
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(id="name-dialog"):
            yield Label(Text(self.prompt), id="name-prompt")
            yield Input(self.default, id="name-input", compact=True)
            yield Static("", id="name-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#name-input")
    def _submitted(self, event: Input.Submitted) -> None:
        name = event.value
        reason = self.check(name)
        if reason:
            self.query_one("#name-error", Static).update(Text(reason))
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
