"""User-facing errors: their message is shown as is, in one line, with no traceback."""


class ParallaxError(Exception):
    """Base for every error whose message is meant for the user."""


class IngestError(ParallaxError):
    """A source could not be read: missing, binary, empty, too large, unreadable."""


class ExportError(ParallaxError):
    """An export could not be written."""


class SessionError(ParallaxError):
    """A session could not be read, written or found."""


class EvaluationError(ParallaxError):
    """A gold alignment is malformed or does not match the corpus it describes."""
