"""Leave-one-story-out choice of the row builder's constants and the threshold.

For each gold story, the setting with the best mean F1 on the *other* stories
is chosen and that story is scored with it; the held-out figures estimate how
the chosen constants do on an unseen story. The last line is the setting with
the best mean over all stories (what goes into the code).

    .venv/bin/python tests/bench/tune_structure.py
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.core.align import align  # noqa: E402
from tui.core.evaluate import load_gold, score  # noqa: E402
from tui.core.ingest import load_sources  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402
from tui.core.params import AlignParams  # noqa: E402

GOLD = ROOT / "tests" / "gold"
GRID = dict(
    refine_value=["linear", "logit"],
    refine_join=[1.0, 2.0],
    pair_up=[False, True],
    pair_min=[0.7, 0.8, 0.9],
    pair_margin=[0.1, 0.2],
    threshold=[0.3, 0.35],
)


def main() -> int:
    files = [GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
    names = [p.stem if p.name != "gold.json" else p.parent.name for p in files]
    data = []
    for f in files:
        g = load_gold(f)
        data.append((g, load_sources([g.corpus / n for n in g.sources])))
    configs = [dict(zip(GRID, c)) for c in itertools.product(*GRID.values())]
    table = []  # per config: list of (P, R, F1) per story
    for cfg in configs:
        params = replace(AlignParams(), **{k: v for k, v in cfg.items() if k != "threshold"})
        rs = [score(g, align(s, AlignSettings(threshold=cfg["threshold"]), params)) for g, s in data]
        table.append([(r.precision, r.recall, r.f1) for r in rs])
    f1 = np.array([[x[2] for x in row] for row in table])
    print("leave-one-story-out (setting chosen on the other stories):")
    for i, name in enumerate(names):
        others = [j for j in range(len(names)) if j != i]
        best = int(np.argmax(f1[:, others].mean(axis=1)))
        p, r, f = table[best][i]
        print(f"  {name:<14} P={p:.3f} R={r:.3f} F1={f:.3f}  with {configs[best]}")
    best = int(np.argmax(f1.mean(axis=1)))
    print("best over all stories:", configs[best], "F1s", np.round(f1[best], 3), f"mean {f1[best].mean():.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
