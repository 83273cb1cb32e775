"""How much of the reader's screen is article text, how many panes are readable, what search shows.

    .venv/bin/python tests/bench/bench_layout.py                 # in-process (App.run_test), quick
    .venv/bin/python tests/bench/bench_layout.py --tmux          # the real `parallax` in tmux
    .venv/bin/python tests/bench/bench_layout.py --tmux --sizes 120x40 160x45 -- PATH ...

Figures per terminal size, on the first screen after the reader opens (the
bundled seeds unless paths follow ``--``):

* **words**: the share of the body area's cells that hold article words. The
  body area is every line between the pane headers and the footer, across the
  whole width (panes, gutter, coverage map). A cell counts when it belongs to a
  run of non-blank characters that is a word of the sources' sentences (or a
  word cut short by ``…``); gap labels, gutter marks, counts, fold lines and
  the map do not.
* **panes**: the source panes on screen, and how many are *readable*: at
  least :data:`READABLE` cells of text per line, a narrow newspaper column.
* **highlights**: the share of the words of rows two or more sources have
  that the *all* and the *distinctive* highlight modes mark (real comparer).
* **search**: type ``/Tora Bora`` (or ``--search``), then ``enter`` once per
  further match: each time, whether the phrase is readable in a pane *of the
  cursor's row* (the row marked ``▶``, its pane lines joined so a phrase
  wrapped over two lines counts). ``3/3`` means every match was shown.

The tmux mode starts ``parallax`` in a detached tmux session of the given size
(``PARALLAX_HOME`` in a temporary folder, so no session of yours is touched),
waits for the rows, reads the screen with ``tmux capture-pane -p`` and kills
the session. The in-process mode renders the same screen with ``run_test``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

#: Fewest text cells per line for a pane to count as readable: a narrow newspaper column.
READABLE = 22
SEPARATOR = "│"


@dataclass
class Figures:
    size: str
    words: float
    panes: int
    readable: int
    widths: list[int]
    #: (matches whose row showed the phrase, matches visited)
    search_found: tuple[int, int] | None = None

    def line(self) -> str:
        found = "" if self.search_found is None else f"  search shown {self.search_found[0]}/{self.search_found[1]}"
        return (f"{self.size:>7}  article words {self.words:5.1%} of the body  "
                f"panes {self.panes} ({self.readable} readable, text widths {self.widths}){found}")


def article_words(sources) -> set[str]:
    words: set[str] = set()
    for source in sources:
        for sentence in source.sentences:
            words.update(sentence.text.split())
    return words


def _is_word(run: str, words: set[str]) -> bool:
    if run in words:
        return True
    if run.endswith("…") and len(run) > 1:
        stem = run[:-1]
        return any(w.startswith(stem) for w in words)
    return False


def screen_parts(lines: list[str]) -> tuple[list[str], list[int]]:
    """The body lines (between the pane headers and the footer) and the text widths of the panes.

    The pane header is the line that starts with the window ("all 5", "1–3 of 5");
    pane widths are read from the separators of the body's lines.
    """
    header = next((i for i, line in enumerate(lines) if re.match(r"^(all \d+|\d+(–\d+)?( of |/)\d+)", line)), 2)
    body = lines[header + 1 : len(lines) - 1]
    return body, []


def coverage_of(body: list[str], words: set[str]) -> float:
    total = sum(len(line) for line in body) or 1
    covered = 0
    for line in body:
        for m in re.finditer(r"[^\s│▏▕▌▐]+", line):
            if _is_word(m.group(), words):
                covered += len(m.group())
    return covered / total


def cursor_lines(body: list[str]) -> list[str]:
    """The lines of the cursor's row: the one whose gutter starts with ``▶`` and those marked ``▌`` under it."""
    out: list[str] = []
    for line in body:
        if line.startswith("▶") or (out and line.startswith("▌")):
            out.append(line)
        elif out:
            break
    return out


def match_count(lines: list[str]) -> int:
    for line in lines[:3]:
        m = re.search(r"search '.*' in (\d+) rows?", line)
        if m:
            return int(m.group(1))
    return 0


def pane_texts(body: list[str]) -> list[str]:
    """Each pane's text, lines joined with a space (so a phrase wrapped over two lines is found)."""
    columns: dict[int, list[str]] = {}
    for line in body:
        area = line[: line.rindex("▏")] if "▏" in line else line  # the coverage map is not a pane
        for i, part in enumerate(area.split(SEPARATOR)):
            columns.setdefault(i, []).append(part.strip())
    return [" ".join(parts) for _, parts in sorted(columns.items())]


# ------------------------------------------------------------- in process


async def _in_process(size: tuple[int, int], paths: list[str], search: str | None) -> tuple[list[str], object, tuple]:
    from rich.console import Console

    from tui.app.app import ParallaxApp
    from tui.core.pipeline import load

    sources = load(paths or None)
    app = ParallaxApp(sources)

    def screen_text() -> list[str]:
        console = Console(width=size[0], height=size[1], file=io.StringIO(), force_terminal=True,
                          color_system="truecolor", record=True, legacy_windows=False)
        console.print(app.screen._compositor.render_update(full=True))
        return console.export_text().splitlines()[: size[1]]

    async with app.run_test(size=size) as pilot:
        for _ in range(1000):
            if app.reader.alignment is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause(0.5)  # the opening scroll and any notices settle
        app.clear_notifications()
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        first = screen_text()
        after: list[list[str]] = []
        if search:
            await pilot.press("slash", *search)
            await pilot.pause(0.2)
            after.append(screen_text())
            for _ in range(min(9, match_count(after[0])) - 1):
                await pilot.press("enter")
                await pilot.pause(0.1)
                after.append(screen_text())
        view = app.reader.view
        widths = [c.width - 1 for c in view.columns]
        return first, sources, (after, widths)  # type: ignore[return-value]


# ------------------------------------------------------------------ tmux


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def _capture(name: str, height: int) -> list[str]:
    return _tmux("capture-pane", "-p", "-t", name).splitlines()[:height] + [""] * 0


def _in_tmux(size: tuple[int, int], paths: list[str], search: str | None) -> tuple[list[str], list[list[str]]]:
    exe = shutil.which("parallax", path=str(Path(sys.executable).parent)) or "parallax"
    name = f"reader-bench-{os.getpid()}"
    home = tempfile.mkdtemp(prefix="parallax-bench-")
    command = " ".join([f"PARALLAX_HOME={home}", exe, *paths])
    _tmux("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), command)
    try:
        deadline = time.monotonic() + 60
        lines: list[str] = []
        while time.monotonic() < deadline:
            time.sleep(0.3)
            lines = _capture(name, size[1])
            if any(re.search(r"\d+ rows", line) for line in lines[:3]):
                break
        time.sleep(5.5)  # the opening notices time out
        first = _capture(name, size[1])
        after: list[list[str]] = []
        if search:
            _tmux("send-keys", "-t", name, "/")
            time.sleep(0.3)
            _tmux("send-keys", "-t", name, "-l", search)
            time.sleep(1.0)
            after.append(_capture(name, size[1]))
            for _ in range(min(9, match_count(after[0])) - 1):
                _tmux("send-keys", "-t", name, "Enter")
                time.sleep(1.0)
                after.append(_capture(name, size[1]))
        return first, after
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def _widths_from(body: list[str], gutter: int) -> list[int]:
    """Text widths of the panes, read off the body line with the most pane separators.

    The panes end at the coverage map's border (``▏``) less the one-cell
    scrollbar; the first pane starts after the ``gutter``; each pane has one
    cell of padding before its text.
    """
    best: list[str] = []
    for line in body:
        area = line[: line.rindex("▏")] if "▏" in line else line
        parts = area[:-1].split(SEPARATOR)
        if len(parts) > len(best):
            best = parts
    if not best:
        return []
    widths = [len(p) - 1 for p in best]
    widths[0] -= gutter
    return widths


def measure(size: tuple[int, int], paths: list[str], search: str | None, tmux: bool) -> Figures:
    from tui.core.pipeline import load

    sources = load(paths or None)
    words = article_words(sources)
    if tmux:
        from tui.app.widgets.parallel import gutter_width

        first, after = _in_tmux(size, paths, search)
        body, _ = screen_parts(first)
        widths = _widths_from(body, gutter_width(len(sources)))
    else:
        first, _, (after, widths) = asyncio.run(_in_process(size, paths, search))  # type: ignore[misc]
        body, _ = screen_parts(first)
    figures = Figures(f"{size[0]}x{size[1]}", coverage_of(body, words), len(widths),
                      sum(1 for w in widths if w >= READABLE), widths)
    if search:
        phrase = search.lower()
        shown = 0
        for screen in after:
            body_after, _ = screen_parts(screen)
            texts = pane_texts(cursor_lines(body_after))
            shown += any(phrase in " ".join(t.split()).lower() for t in texts)
        figures.search_found = (shown, len(after))
    return figures


# ------------------------------------------------------------- highlight density


def highlight_density(paths: list[str]) -> tuple[float, float]:
    """Share of the words of shared rows highlighted in 'all' and in 'distinctive' mode (real comparer)."""
    from tui.app.diffs import default_differ
    from tui.app.reading import Reading
    from tui.core.pipeline import build

    alignment = build(paths or None)
    reading = Reading(alignment, differ=default_differ())
    words = every = distinct = 0
    for r, row in enumerate(alignment.rows):
        if row.count < 2:
            continue
        diff = reading.diff(r)
        found = reading.distinctive(r)
        for s in row.coverage:
            words += len((alignment.cell_text(r, s) or "").split())
            every += len(diff.unique.get(s, ())) if diff is not None else 0
            distinct += len(found.get(s, ()))
    return every / max(1, words), distinct / max(1, words)


# ------------------------------------------------------------- layout options

def _focus_context(self, available: int, n_sources: int) -> list[int]:
    """Focus + context: the focused pane at least 40 cells, the others at least 20."""
    if n_sources == 1 or available < 40:
        return _EVEN(self, available, n_sources)
    others = max(0, min(n_sources - 1, (available - 40) // 21))
    rest = available - others * 21
    widths = [rest] + [20] * others
    # the focused pane is the window's first here; close enough for measuring space
    return widths


_EVEN = None


def _patch(option: str):
    """Apply one layout variant to the view classes, for ``--options``; returns an undo function."""
    from tui.app.widgets import parallel

    view = parallel.ParallelView
    saved = {name: getattr(view, name) for name in ("column_widths", "_cells_of", "load")}
    saved_min = parallel.MIN_COLUMN
    global _EVEN
    _EVEN = saved["column_widths"]
    if option == "min-28":
        parallel.MIN_COLUMN = 28
    elif option == "focus+context":
        view.column_widths = _focus_context
    elif option == "no-spill":
        view._cells_of = lambda self, row: self._columns
    elif option == "no-folds":
        original = saved["load"]

        def load(self, *args, **kwargs):
            self.folding = False
            return original(self, *args, **kwargs)

        view.load = load
    elif option == "centre-open":
        original = saved["load"]

        def load(self, *args, **kwargs):
            kwargs["top"] = False
            return original(self, *args, **kwargs)

        view.load = load

    def undo() -> None:
        for name, value in saved.items():
            setattr(view, name, value)
        parallel.MIN_COLUMN = saved_min

    return undo


OPTIONS = ("chosen", "min-28", "focus+context", "no-spill", "no-folds", "centre-open")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tmux", action="store_true", help="measure the real parallax in tmux")
    parser.add_argument("--sizes", nargs="+", default=["80x24", "120x40", "160x45", "200x50"])
    parser.add_argument("--search", default="Tora Bora", help="phrase to search for ('' for none)")
    parser.add_argument("--show", action="store_true", help="print the captured first screen too")
    parser.add_argument("--options", action="store_true",
                        help="in process: compare layout variants (" + ", ".join(OPTIONS) + ")")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    every, distinct = highlight_density(args.paths)
    print(f"highlighted words in shared rows: all {every:.1%}, distinctive {distinct:.1%}")
    if args.options:
        for option in OPTIONS:
            undo = _patch(option)
            try:
                for spec in args.sizes:
                    w, h = (int(x) for x in spec.lower().split("x"))
                    print(f"{option:>14} " + measure((w, h), args.paths, None, False).line(), flush=True)
            finally:
                undo()
        return 0
    for spec in args.sizes:
        w, h = (int(x) for x in spec.lower().split("x"))
        figures = measure((w, h), args.paths, args.search or None, args.tmux)
        print(figures.line(), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
