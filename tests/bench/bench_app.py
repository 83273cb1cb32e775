"""How quickly the reader paints and answers keys.

    .venv/bin/python tests/bench/bench_app.py [--runs 5] [--bytecode] [--first-paint-only]

1. Launch to first paint on the seeds (real ingest, aligner and comparer),
   120×40, the median of ``--runs`` fresh processes, two ways:

   * *Pilot*: a subprocess runs the app under ``App.run_test`` and polls the
     panes every 5 ms; the first frame with article text is the first time
     the pane's lines hold letters (the draft, each article as written, or
     aligned rows), the aligned frame the first with the aligner's rows in
     the panes (then one ``pilot.pause()``). Timed from the interpreter's
     start and from the parent's spawn.
   * *Terminal*: the real command (``python -m tui``) in a pseudo-terminal of
     120×40, timed from the spawn to the first bytes on the terminal that
     show a sentence of the seeds in a pane (escape sequences removed), and
     to the header's ``N rows``, which only an aligned view shows. This is
     what a person at a terminal waits for, interpreter start-up, imports,
     loading and the terminal driver included. The same is measured for a
     bare Textual app (one line of text and a footer): the floor that no
     change to Parallax can go under.

   Target (issue 16): first frame with article text <= 500 ms.
2. Time per keypress on a synthetic 50 sources × 200 sentences corpus, built
   directly as an Alignment so the aligner's speed does not enter into it.
   Two figures per key: *work* = the action plus rendering every line of the
   screen it changed (what the reader waits for), and *pilot* = the wall time
   of ``pilot.press`` including Textual's test-harness idle waits (an upper
   bound). Target < 50 ms of work per key.

Where ``PYTHONDONTWRITEBYTECODE`` is set (this machine), modules without an
up-to-date ``__pycache__`` are compiled again at every launch; ``--bytecode``
compiles ``tui/`` first, as ``pip install`` does.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO / "tests"))

FIRST_PAINT = r"""
import time
spawned = time.time()  # replaced below by the parent's clock at spawn, when given
t0 = time.perf_counter()
import sys
if len(sys.argv) > 1:
    spawned = float(sys.argv[1])
import asyncio
from tui.core.pipeline import load
from tui.app.app import ParallaxApp

t_import = time.perf_counter() - t0

def pane_text(view):
    return "".join(view.render_line(y).text for y in range(view.size.height))

async def main():
    sources = load(None)
    t_load = time.perf_counter() - t0
    app = ParallaxApp(sources)
    text_at = None
    async with app.run_test(size=(120, 40)) as pilot:
        while True:
            reader = app.screen_stack[0]
            view = reader.view
            if view.columns and text_at is None and any(c.isalpha() for c in pane_text(view)):
                # no pilot.pause() here: it waits for the process to idle, i.e. for the aligner's thread
                text_at = (time.perf_counter() - t0, time.time() - spawned, time.process_time())
            if reader.alignment is not None and view.columns and any(c.isalpha() for c in pane_text(view)):
                await pilot.pause()
                break
            await asyncio.sleep(0.005)
        aligned_at = time.perf_counter() - t0
    return t_load, text_at, aligned_at

t_load, (t_text, t_spawn, cpu_text), t_aligned = asyncio.run(main())
print(t_import, t_load, t_text, t_spawn, t_aligned, cpu_text)
"""


def first_paint(runs: int = 3) -> list[tuple[float, ...]]:
    """Per run, in seconds from the interpreter's start: imports done, sources loaded, first frame with
    article text, aligned frame; the first frame with text from the parent's spawning the process; and the
    CPU time the process had used by then (steadier than the wall clock on a busy machine)."""
    out = []
    for _ in range(runs):
        res = subprocess.run([sys.executable, "-c", FIRST_PAINT, repr(time.time())], capture_output=True, text=True,
                             cwd=REPO, check=True)
        out.append(tuple(float(x) for x in res.stdout.strip().splitlines()[-1].split()))
    return out


_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")


def _probes() -> list[str]:
    """Phrases of the seeds that only a pane shows: the first words (up to 16 characters) of each
    source's second and third sentences (the first may be the headline the header repeats)."""
    from tui.core.pipeline import load

    probes = []
    for source in load(None):
        for sentence in source.sentences[1:3]:
            words = sentence.text.split()
            phrase = words[0]
            for word in words[1:]:
                if len(phrase) + 1 + len(word) > 16:
                    break
                phrase += " " + word
            if len(phrase) >= 8:
                probes.append(phrase)
    return probes


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (Linux /proc; clock ticks, so 10 ms steps)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


#: The floor under the reader's first paint: Textual itself, an app of one line of text and a footer.
BARE_TEXTUAL = r"""
from textual.app import App
from textual.widgets import Footer, Static

class Bare(App):
    def compose(self):
        yield Static("bare textual app: first frame")
        yield Footer()

    def on_key(self, event):
        self.exit()

Bare().run()
"""


def terminal_paint(runs: int = 3, timeout: float = 20.0, *, bare: bool = False) -> list[tuple[float, float, float]]:
    """Per run: seconds from spawning ``python -m tui`` in a 120×40 pseudo-terminal to the first output
    showing a seed sentence in a pane, and to the aligned view's header (``N rows``); and the CPU time
    the process had used when the text showed. ``bare``: the same for :data:`BARE_TEXTUAL` (its one
    line of text; the second figure is the first)."""
    import fcntl
    import pty
    import struct
    import termios

    probes = ["bare textual app"] if bare else _probes()
    rows_re = re.compile(r"bare textual app" if bare else r"\d+ rows")
    command = [sys.executable, "-c", BARE_TEXTUAL] if bare else [sys.executable, "-m", "tui"]
    out = []
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TERM": "xterm-256color", "PARALLAX_HOME": home, "COLUMNS": "120", "LINES": "40"}
        env.pop("TEXTUAL", None)
        for _ in range(runs):
            master, slave = pty.openpty()
            fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
            t0 = time.perf_counter()
            proc = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave,
                                    cwd=REPO, env=env, start_new_session=True)
            os.close(slave)
            seen, text_at, aligned_at, cpu = "", None, None, float("nan")
            try:
                while aligned_at is None and time.perf_counter() - t0 < timeout:
                    ready, _, _ = select.select([master], [], [], 0.05)
                    if not ready:
                        continue
                    try:
                        chunk = os.read(master, 1 << 16)
                    except OSError:
                        break
                    now = time.perf_counter() - t0
                    seen += _ESCAPES.sub("", chunk.decode("utf-8", "replace"))
                    if text_at is None and any(p in seen for p in probes):
                        text_at, cpu = now, _cpu_seconds(proc.pid)
                    if text_at is not None and rows_re.search(seen):
                        aligned_at = now
                os.write(master, b"q")
                deadline = time.perf_counter() + 5
                while proc.poll() is None and time.perf_counter() < deadline:
                    if select.select([master], [], [], 0.05)[0]:
                        try:
                            os.read(master, 1 << 16)
                        except OSError:
                            break
            finally:
                if proc.poll() is None:
                    proc.kill()
                proc.wait()
                os.close(master)
            if text_at is None or aligned_at is None:
                raise RuntimeError(f"the reader showed no seed text within {timeout} s")
            out.append((text_at, aligned_at, cpu))
    return out


def _render_screen(app) -> None:
    """Render every line of the reader's widgets, as a frame after the key would."""
    reader = app.screen_stack[0]
    for widget in (reader.view, reader.coverage, reader.column_header):
        for y in range(widget.size.height):
            widget.render_line(y)


async def keypresses(n_sources: int = 50, n_sentences: int = 200, presses: int = 40) -> dict[str, dict[str, float]]:
    from appkit import loaded, synthetic, word_diff

    from tui.app.app import ParallaxApp

    sources, alignment = synthetic(n_sources, n_sentences)
    app = ParallaxApp(sources, aligner=lambda s, st: alignment, differ=word_diff)
    results: dict[str, dict[str, float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(app, pilot)
        reader = app.screen_stack[0]
        reader.view._strips.clear()

        async def measure(name: str, key: str, action: str) -> None:
            work, wall = [], []
            for _ in range(presses):
                t = time.perf_counter()
                await reader.run_action(action)
                _render_screen(app)
                work.append(time.perf_counter() - t)
                t = time.perf_counter()
                await pilot.press(key)
                wall.append(time.perf_counter() - t)
            results[name] = {
                "work_median_ms": statistics.median(work) * 1000,
                "work_max_ms": max(work) * 1000,
                "pilot_median_ms": statistics.median(wall) * 1000,
            }

        await measure("scroll down (j)", "j", "row(1)")
        await measure("next difference (n)", "n", "next_diff")
        await pilot.press("slash", *"kabul", "escape")
        assert reader.state.matches, "the synthetic corpus should mention Kabul"
        await measure("search step (n)", "n", "next_diff")
        await measure("focus next source (l)", "l", "source(1)")
    results["rows"] = {"count": float(len(alignment.rows))}
    return results


def main() -> int:
    import argparse
    import compileall

    parser = argparse.ArgumentParser(description="first paint and keypress timings of the reader")
    parser.add_argument("--runs", type=int, default=3, help="first-paint runs (the median is reported)")
    parser.add_argument("--first-paint-only", action="store_true", help="skip the keypress timings")
    parser.add_argument("--bytecode", action="store_true",
                        help="compile tui/ first (__pycache__), as pip does on install; where "
                             "PYTHONDONTWRITEBYTECODE is set, every launch otherwise compiles the modules again")
    args = parser.parse_args()
    if args.bytecode:
        compileall.compile_dir(str(REPO / "tui"), quiet=1)
    load = os.getloadavg()[0]
    phases = first_paint(args.runs)
    med = statistics.median
    compiled = ", compiled modules" if args.bytecode else ""
    print(f"launch → first frame with article text on the seeds (120×40, {len(phases)} runs{compiled}, "
          f"load average {load:.2f}; issue 16 target <= 500 ms)")
    print(f"  Pilot: median {med(p[2] for p in phases) * 1000:.0f} ms from the interpreter's start, "
          f"{med(p[3] for p in phases) * 1000:.0f} ms from the spawn (CPU {med(p[5] for p in phases) * 1000:.0f} ms); "
          f"aligned frame {med(p[4] for p in phases) * 1000:.0f} ms from the interpreter's start")
    for imp, loaded_at, text, _, aligned, _ in phases:
        print(f"    imports {imp * 1000:4.0f} ms · sources loaded {loaded_at * 1000:4.0f} ms · "
              f"article text {text * 1000:4.0f} ms · aligned rows {aligned * 1000:4.0f} ms")
    terminal = terminal_paint(args.runs)
    print(f"  Terminal (python -m tui in a pty): median {med(t[0] for t in terminal) * 1000:.0f} ms from the spawn "
          f"to article text (CPU {med(t[2] for t in terminal) * 1000:.0f} ms), "
          f"{med(t[1] for t in terminal) * 1000:.0f} ms to the aligned view; text/aligned per run: "
          + ", ".join(f"{a * 1000:.0f}/{b * 1000:.0f}" for a, b, _ in terminal) + " ms")
    floor = terminal_paint(args.runs, bare=True)
    print(f"  Floor, Textual alone (an app of one Static and a Footer, same pty): median "
          f"{med(t[0] for t in floor) * 1000:.0f} ms from the spawn (CPU {med(t[2] for t in floor) * 1000:.0f} ms)")
    if args.first_paint_only:
        return 0
    res = asyncio.run(keypresses())
    rows = int(res.pop("rows")["count"])
    print(f"keypress on synthetic 50 sources × 200 sentences ({rows} rows), 120×40:")
    for name, r in res.items():
        print(f"  {name:24s} work median {r['work_median_ms']:6.1f} ms  max {r['work_max_ms']:6.1f} ms"
              f"   pilot.press median {r['pilot_median_ms']:6.1f} ms  (target < 50 ms)")
    print(json.dumps({"first_paint_s": [p[2] for p in phases], "terminal_s": terminal, "keys": res}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
