"""Every core regular expression against every attack derived from it: the worst time of each.

The suite's property test (``tests/test_regex_linear.py``) samples these
attacks; this sweep runs all of them, which takes minutes, and prints the
worst case per pattern so a slow pattern is found before it ships::

    python tests/bench/regex_sweep.py                 # all patterns, 40,000-character inputs
    python tests/bench/regex_sweep.py --only ingest   # patterns whose name contains "ingest"
    python tests/bench/regex_sweep.py --size 100000 --timeout 10

A linear pattern's worst case is a few milliseconds at 40,000 characters;
``SLOW`` marks one still running after ``--timeout`` seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]

from regexkit import BREAKERS, Slow, Worker, attack, core_patterns, seeds, usage  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="only patterns whose name contains this")
    parser.add_argument("--size", type=int, default=40_000, help="characters per attack")
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds an attack may take")
    parser.add_argument("--quick", action="store_true", help="four breaking characters instead of all")
    args = parser.parse_args()
    worker = Worker()
    slow = 0
    modes = usage()
    started = time.monotonic()
    try:
        for name, pattern in core_patterns().items():
            if args.only not in name:
                continue
            breakers = ("", "\n", "!", "a") if args.quick else BREAKERS
            specs = [(h, p, b, lines) for h, p in seeds(pattern) for b in breakers for lines in (1, 200)]
            texts = [attack(h, p, b, args.size, lines) for h, p, b, lines in specs]
            try:
                times = worker.run(name, texts, args.timeout, modes[name])
            except Slow as exc:
                slow += 1
                print(f"SLOW {exc}", flush=True)
                continue
            worst = max(range(len(times)), key=times.__getitem__)
            print(f"{times[worst]:7.3f} s worst of {len(times):5d}  {modes[name]:8}  {name}  {specs[worst]!r}"[:200],
                  flush=True)
    finally:
        worker.close()
    print(f"{slow} slow pattern(s); {time.monotonic() - started:.0f} s")
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
