"""Time of the discrepancy analysis on one typical row (a benchmark, not a test).

Moved out of the test suite: a timed assertion fails on a loaded machine and
says nothing about correctness. Run: ``.venv/bin/python tests/bench/bench_compare.py``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tui.core.compare import compare_cells  # noqa: E402


def main() -> None:
    row = {
        0: "Earlier this month, the Pakistani military conducted strikes on what it identified as hideouts "
        "of the Pakistani Taliban within Afghanistan, reportedly killing numerous insurgents.",
        1: "Pakistani officials said the main sticking point was Kabul’s reluctance to take action against "
        "the banned Tehreek-i-Taliban Pakistan (TTP) — a group distinct from Afghanistan’s ruling Taliban.",
        2: "This warning to the Taliban follows a recent spike in tensions after Pakistani forces conducted "
        "cross-border operations into Afghanistan, coupled with the failure of discussions on Monday.",
        3: "Pakistan said it had carried out air strikes near Kabul against the Tehreek-e-Taliban Pakistan "
        "(TTP), claiming the group enjoys sanctuary in Afghanistan.",
        4: "The tensions began earlier this month when Pakistan was attacked from the Afghan border on the "
        "night of October 11, following allegations that Pakistan had carried out airstrikes in Afghanistan.",
    }
    compare_cells(row)  # warm the stemmer
    runs = 200
    start = time.perf_counter()
    for n in range(runs):
        compare_cells({k: v + f" {n}" for k, v in row.items()})  # new texts: no cache hits
    per_row = (time.perf_counter() - start) / runs
    print(f"compare_cells on a typical five-source seeds row: {per_row * 1000:.2f} ms per row (target < 5 ms)")


if __name__ == "__main__":
    main()
