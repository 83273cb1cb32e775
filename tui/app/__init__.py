"""The Textual reader: a view over a :class:`tui.core.model.Alignment`."""
