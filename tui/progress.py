"""A one-line progress ticker on stderr for the commands that can run long.

Five megabytes of one sentence repeated took minutes to align with nothing on
screen, which looks like a hang. The aligner gives no percentage, so this
says what stage the command is at, for how long, and how to stop it; it
only speaks on a terminal, after a couple of seconds (a quick command stays
silent), and wipes its line before the command writes its output.
"""

from __future__ import annotations

import sys
import threading
import time
from types import TracebackType
from typing import TextIO

#: What a terminal is told to erase the ticker's line (carriage return, erase to end of line).
_WIPE = "\r\x1b[K"


class Ticker:
    """``with Ticker("parallax export") as t: t.stage("aligning …")``: elapsed time on stderr while it runs."""

    def __init__(self, prog: str, *, stream: TextIO | None = None, delay: float = 2.0, every: float = 1.0,
                 force: bool = False) -> None:
        self.prog = prog
        self.stream = stream if stream is not None else sys.stderr
        self.delay = delay
        self.every = every
        self._text = "reading the articles"
        self._start = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = False
        self._lock = threading.Lock()
        try:
            self._active = force or bool(self.stream.isatty())
        except (AttributeError, ValueError, OSError):
            self._active = False

    def stage(self, text: str) -> None:
        """What the command does now (shown from the next tick)."""
        self._text = text

    def line(self) -> str:
        """The ticker's current line, without the terminal codes around it."""
        seconds = int(time.monotonic() - self._start)
        return f"{self.prog}: {self._text}, {seconds} s (Ctrl-C stops)"

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        while True:
            with self._lock:
                if self._stop.is_set():
                    return
                try:
                    self.stream.write(_WIPE + self.line())
                    self.stream.flush()
                    self._shown = True
                except (OSError, ValueError):
                    return
            if self._stop.wait(self.every):
                return

    def __enter__(self) -> Ticker:
        self._start = time.monotonic()
        if self._active:
            self._thread = threading.Thread(target=self._run, name="parallax-ticker", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        with self._lock:  # no tick can start after this: the wipe is the last thing written
            if self._shown:
                try:
                    self.stream.write(_WIPE)
                    self.stream.flush()
                except (OSError, ValueError):
                    pass
                self._shown = False
