"""The crafted files of issue 12 item 2, and how long the real reader takes to paint and quit on each.

Each crafted file once made a regular expression (or the name pairing of
compare) quadratic or worse, and ``q`` took up to 16.9 s to act. This writes
them, each in a folder with one seed article beside it (so there are two
sources to align), and optionally drives the real reader in tmux::

    python tests/bench/hostile_files.py OUT            # write OUT/<case>/ folders only
    python tests/bench/hostile_files.py OUT --tmux     # and time the reader on each

With ``--tmux`` each case runs ``parallax OUT/<case>`` in a detached tmux
session (``hostile-bench-<case>``, 120x40), waits for the first paint (the
header's "N rows" line), sends ``q`` and polls until the session has ended.
Printed per case: seconds to first paint, seconds from ``q`` to the end of
the process. The target is under a second from ``q``. Only the sessions this
script starts are killed, by name. The files are not kept in the repository:
this script is the way to make them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED, SEED2 = sorted((REPO / "seeds").glob("*.txt"))[:2]

#: Names for the name-heavy sentences: capitalised words the name pairing takes for names.
_FIRST = ["Ahmed", "Bilal", "Chen", "Dmitri", "Elena", "Farid", "Grace", "Hamza", "Ines", "Jamal", "Kofi",
          "Leila", "Marek", "Nadia", "Omar", "Priya", "Quentin", "Rashid", "Sofia", "Tariq", "Umar", "Vera"]
_LAST = ["Khan", "Shah", "Wei", "Ivanov", "Rossi", "Haddad", "Okafor", "Malik", "Novak", "Sato", "Mensah",
         "Costa", "Yilmaz", "Berg", "Dubois", "Rahman", "Silva", "Kowalski", "Nakamura", "Osei", "Lind", "Park"]


def _names_sentence(size: int, shift: int) -> str:
    parts: list[str] = []
    n = 0
    while sum(len(p) + 2 for p in parts) < size:
        parts.append(f"{_FIRST[(n + shift) % len(_FIRST)]} {_LAST[(n * 7 + shift) % len(_LAST)]}")
        n += 1
    return "Officials named " + ", ".join(parts) + " among the dead."


def cases() -> dict[str, dict[str, str]]:
    """Case name -> {file name: text}: the crafted inputs of issue 12 item 2, at the sizes it reported."""
    return {
        # text._NO_DEATH_RE: 24.7 s in features()
        "no-death": {"nobody.txt": "Nobody" + " " * 16_000 + "knows why the bridge failed.\n"},
        # ingest._MD_STRONG: 21 s
        "md-strong": {"strong.md": " **a" * 8_000 + "\n"},
        # ingest._MD_QUOTE_CONTINUATION: 5.4 s
        "md-quote": {"quote.md": "Officials said ten soldiers were killed.\n" + " " * 16_000 + "*\n"},
        # ingest._BYLINE: exponential in the 'and' splits
        "byline": {"byline.txt": "".join("By A" + "andA" * 18 + "#\n" for _ in range(200))
                   + "Officials said ten soldiers were killed.\n"},
        # compare's name pairing: two 40 KB name-heavy sentences, 4.3 s
        "names": {"names-a.txt": _names_sentence(40_000, 0) + "\n",
                  "names-b.txt": _names_sentence(40_000, 3) + "\n"},
        # the control: two plain seed articles, for what painting and quitting cost anyway
        "control": {SEED2.name: SEED2.read_text(encoding="utf-8")},
    }


def write(out: Path) -> list[Path]:
    """Write every case as ``out/<case>/`` with its crafted file(s) and one seed article."""
    folders = []
    for case, files in cases().items():
        folder = out / case
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        shutil.copy(SEED, folder / SEED.name)
        folders.append(folder)
    return folders


def _alive(session: str) -> bool:
    return subprocess.run(["tmux", "has-session", "-t", session], capture_output=True).returncode == 0


def _pane(session: str) -> str:
    return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True).stdout


def time_reader(folder: Path, *, limit: float = 120.0) -> tuple[float | None, float | None, str]:
    """(seconds to first paint, seconds from q to exit, note) for the reader on ``folder``."""
    session = f"hostile-bench-{folder.name}"
    home = folder.parent / ".home"
    exe = Path(sys.executable).with_name("parallax")
    command = f"PARALLAX_HOME={home} {exe} {folder}; sleep 0"
    subprocess.run(["tmux", "new", "-d", "-s", session, "-x", "120", "-y", "40", command], check=True)
    start = time.monotonic()
    painted = None
    try:
        while time.monotonic() - start < limit:
            screen = _pane(session)
            if " rows · " in screen:
                painted = time.monotonic() - start
                break
            if not _alive(session):
                return None, None, "exited before painting"
            time.sleep(0.05)
        if painted is None:
            return None, None, f"no paint within {limit:.0f} s"
        time.sleep(0.3)  # let the first frame settle, as a person would
        sent = time.monotonic()
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        while _alive(session):
            if time.monotonic() - sent > limit:
                return painted, None, f"still running {limit:.0f} s after q"
            time.sleep(0.02)
        return painted, time.monotonic() - sent, ""
    finally:
        if _alive(session):
            subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the cases into")
    parser.add_argument("--tmux", action="store_true", help="time the reader on each case in tmux")
    parser.add_argument("--only", default="", help="only cases whose name contains this")
    args = parser.parse_args()
    folders = [f for f in write(args.out) if args.only in f.name]
    for f in folders:
        sizes = ", ".join(f"{p.name} {p.stat().st_size:,} B" for p in sorted(f.iterdir()))
        print(f"{f.name:10} {sizes}")
    if not args.tmux:
        return 0
    if shutil.which("tmux") is None:
        print("tmux is not installed", file=sys.stderr)
        return 1
    worst = 0.0
    for f in folders:
        painted, quit_s, note = time_reader(f)
        shown_paint = f"{painted:6.2f} s" if painted is not None else "     -  "
        shown_quit = f"{quit_s:6.2f} s" if quit_s is not None else "     -  "
        print(f"{f.name:10} first paint {shown_paint}   q to exit {shown_quit}   {note}", flush=True)
        worst = max(worst, quit_s if quit_s is not None else float("inf"))
    print(f"worst q to exit: {worst:.2f} s (target < 1 s); load average {os.getloadavg()[0]:.2f}")
    return 0 if worst < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
