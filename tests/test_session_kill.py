"""SIGKILL at random moments while a session is being saved never leaves a damaged file.

A real process (``session_kill_writer.py``) saves a session in a loop, each
save a new self-consistent state; we kill it at random moments, then load:
the file must always load and hold either the last state known to be saved or
the one whose save was under way, never a mix and never something else.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.core.session import Session, ViewState
from tui.core.session_store import SessionStore

HELPER = Path(__file__).with_name("session_kill_writer.py")
KILLS = 40

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def check_consistent(session: Session) -> int:
    """The counter of a loaded state, after checking every part of it agrees with it."""
    counter, count = session.view.extra["counter"], session.view.extra["count"]
    assert len(session.annotations) == count
    for k, ann in enumerate(session.annotations):
        assert ann.note == f"counter {counter} item {k}\n" + "é" * (k % 50)
        assert ann.members[0].index == k
    return counter


def test_sigkill_during_saves_never_corrupts_the_session(tmp_path: Path):
    store = SessionStore(tmp_path)
    first = Session.new("killed", [])
    first.view = ViewState(extra={"counter": 0, "count": 0})
    store.save(first)
    rng = random.Random(20251029)
    previous = 0
    mid_save = saves = 0
    started = time.monotonic()
    for attempt in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, str(HELPER), str(tmp_path), "killed"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        seen: list[str] = []
        try:
            ready = proc.stdout.readline()
            assert ready == "ready\n", f"writer failed to start: {proc.stderr.read()}"
            # Let one or two saves finish first, so a loaded machine (a slow
            # writer) cannot leave the test with nothing exercised; then kill
            # at a random moment, usually inside the next save.
            for _ in range(rng.randint(1, 2)):
                while (line := proc.stdout.readline()) and not line.startswith("done"):
                    seen.append(line)
                seen.append(line)
            time.sleep(rng.uniform(0.0, 0.06))
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        lines = ("".join(seen) + proc.stdout.read()).split()
        proc.stdout.close()
        proc.stderr.close()
        begun = [int(n) for word, n in zip(lines[::2], lines[1::2]) if word == "begin"]
        done = [int(n) for word, n in zip(lines[::2], lines[1::2]) if word == "done"]
        last_done = done[-1] if done else previous
        last_begun = begun[-1] if begun else previous

        counter = check_consistent(store.load("killed"))
        assert counter in {last_done, last_begun}, (attempt, counter, last_done, last_begun)
        mid_save += last_begun != last_done
        saves += len(done)
        previous = counter

    assert not list(tmp_path.glob("*.corrupt-*"))
    assert saves > KILLS, "the writer hardly saved anything: the test exercised nothing"
    assert mid_save > 0, "no kill landed during a save"
    print(f"{saves} saves, {mid_save} kills mid-save, {time.monotonic() - started:.1f}s")
