"""Saves one session over and over, each time a new self-consistent state, until it is killed.

Driven by ``tests/test_session_kill.py``: prints ``begin N`` before and
``done N`` after saving the state with counter N, so the test knows which
states may be on disk when its SIGKILL lands.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.session import SentenceRef, StoredAnnotation, ViewState
from tui.core.session_store import SessionStore


def state(counter: int) -> tuple[list[StoredAnnotation], dict[str, int]]:
    """The state for ``counter``: a varying number of annotations that all name it."""
    count = 20 + (counter * 37) % 400
    anns = [
        StoredAnnotation(
            (SentenceRef("a.txt", k, f"sentence {k} of a"),),
            note=f"counter {counter} item {k}\n" + "é" * (k % 50),
            tags=("framing",) if k % 2 else (),
            starred=bool(k % 3 == 0),
        )
        for k in range(count)
    ]
    return anns, {"counter": counter, "count": count}


def main(root: str, name: str) -> None:
    store = SessionStore(Path(root))
    store.acquire(name)  # takes over the lock of the writer killed before us
    session = store.load(name)
    counter = int(session.view.extra["counter"])
    print("ready", flush=True)
    while True:
        counter += 1
        session.annotations, view = state(counter)
        session.view = ViewState(extra=view)
        print(f"begin {counter}", flush=True)
        store.save(session)
        print(f"done {counter}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
