"""Precision, recall and F1 of align() on every gold story, over a range of thresholds.

    .venv/bin/python tests/bench/eval_gold.py [threshold ...] [-v]
"""

from __future__ import annotations

import sys
from pathlib import Path

from tui.core.evaluate import evaluate
from tui.core.model import AlignSettings

GOLD = Path(__file__).resolve().parents[1] / "gold"


def gold_files() -> list[Path]:
    # the tuning and held-out stories; never blind/ (scored once, by the lead)
    return ([GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
            + sorted(GOLD.glob("heldout/*/gold.json")))


def main() -> int:
    verbose = "-v" in sys.argv
    args = [a for a in sys.argv[1:] if a != "-v"]
    thresholds = [float(a) for a in args] or [0.3, 0.4, 0.5, 0.6, 0.7]
    for t in thresholds:
        for g in gold_files():
            r = evaluate(g, AlignSettings(threshold=t))
            print(f"t={t:.2f} {g.parent.name if g.name == 'gold.json' else g.stem:<16} "
                  f"P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}")
            if verbose:
                for d in r.false_positives:
                    print("   FP", d)
                for d in r.missed:
                    print("   MISS", d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
