"""How a command that aligns and writes ends: the collector paused until it has written, then no teardown.

``export``, ``report``, ``omissions`` and ``align`` read the sources, align
them and write the result, building millions of objects (every sentence's
analysis, the scored pairs) and next to no reference cycles. Two costs
follow that do no work for them, and this module removes both:

* the cyclic collector's full passes over that growing heap: 0.9 s of an
  export of 100 x 100 sentences (0.4 s of 20 x 300, 0.1 s of MSRP's
  2 x 1,725) that freed about 1,300 objects in all. :func:`collector_paused`
  runs a command with the collector paused to its last line written
  (:mod:`tui.startup`); reference counting frees everything else as usual;
* the interpreter's exit, which walks and frees each of those objects (a
  last full collection, then every module's globals) after the output is
  written: 0.3-0.5 s on 100 x 100, 0.25 s on MSRP, a tenth or more of the
  run. :func:`end_at_once` flushes the output, runs the exit handlers
  (:mod:`atexit`) and ends the process, and the operating system takes the
  memory back at once. A command run that way (:func:`ending_at_once`)
  leaves the collector paused when it returns: resuming it a moment before
  the end would start a full collection over the whole heap (83 ms of
  MSRP's export) for a process about to go.

Tiny and import-free on purpose: the command line imports it before anything.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Commands that have written all they write when they return and leave nothing running.
ENDS_AT_ONCE = frozenset({"export", "report", "omissions", "align"})

#: True while :func:`ending_at_once` runs a command: :func:`collector_paused` then leaves the collector paused
_ending = False


@contextlib.contextmanager
def ending_at_once() -> Iterator[None]:
    """Run a command whose process ends at once after it (:func:`end_at_once`), the collector left paused.

    Leaving the block (when :func:`end_at_once` could not end the process, or
    on an error) resumes the collector, and the ordinary exit follows.
    """
    global _ending
    _ending = True
    try:
        yield
    finally:
        _ending = False
        from tui.startup import resume_gc

        resume_gc()


def collector_paused(command: Callable[[T], int]) -> Callable[[T], int]:
    """``command`` run with the cyclic collector paused, to the last line written.

    Resumed after, unless the process ends at once (:func:`ending_at_once`).
    """

    def run(args: T) -> int:
        from tui.startup import pause_gc, resume_gc

        pause_gc()
        try:
            return command(args)
        finally:
            if not _ending:
                resume_gc()

    run.__name__ = command.__name__
    run.__doc__ = command.__doc__
    return run


def end_at_once(status: int) -> None:
    """End the process with ``status`` now, the output flushed and the exit handlers run.

    Only when no other thread runs and the flush succeeds; otherwise (say, a
    closed pipe) it returns, and the ordinary exit follows.
    """
    import atexit
    import threading

    if threading.active_count() != 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    atexit._run_exitfuncs()
    with contextlib.suppress(OSError, ValueError):
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    os._exit(status)


__all__ = ["ENDS_AT_ONCE", "collector_paused", "end_at_once", "ending_at_once"]
