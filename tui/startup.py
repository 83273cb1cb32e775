"""The garbage collector, paused while Parallax starts and resumed when the real work begins.

Starting the reader imports Textual, the ingest and the app (some 200,000
objects: modules, functions, classes), and CPython's cyclic collector keeps
walking that growing heap while it does, a full collection or two and
dozens of young ones; measured on the seeds' start-up, about a sixth of the
CPU time to the first frame (``tests/bench/bench_app.py``). Import-time
objects are nearly all kept for good, so those walks find next to nothing.
``parallax`` (the reader, ``export``) therefore pauses the collector as it
starts and resumes it once the start-up is over: the reader after its first
frame, ``export`` and ``report`` once they have written everything (aligning
and writing make next to no cycles either: see ``tui.finish``).
Reference counting frees everything else as usual meanwhile; only cycles
wait, for a fraction of a second.

Only a pause this module made is resumed: a collector someone else turned
off stays off.
"""

from __future__ import annotations

import gc

_paused = False


def pause_gc() -> None:
    """Turn the cyclic collector off for the start-up (no-op when it is off already)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume_gc() -> None:
    """Turn the collector back on if :func:`pause_gc` turned it off (safe to call more than once)."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


__all__ = ["pause_gc", "resume_gc"]
