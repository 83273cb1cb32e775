"""Grid over the aligner's structural constants, leave-one-story-out coefficients.

For every gold story the pair model is fitted on the other stories (plus a
slice of MSRP), then the story is aligned under each setting; the table shows
mean and worst F1 so a setting is chosen for unseen stories, not one story.

    .venv/bin/python tests/bench/tune_align.py
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fit_gold import GOLD, fit_monotone, msrp_xy, story_pairs  # noqa: E402
from msrp_calibrate import MSRP  # noqa: E402

from tui.core import similarity  # noqa: E402
from tui.core.align import align  # noqa: E402
from tui.core.evaluate import score  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402
from tui.core.params import AlignParams  # noqa: E402


def main() -> int:
    # the tuning stories only: never heldout/ or blind/
    stories = [GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
    data = {p: story_pairs(p) for p in stories}
    xm, ym = msrp_xy() if MSRP.exists() else (np.zeros((0, len(similarity.FEATURE_NAMES))), np.zeros(0))
    coefs = {}
    for held in stories:
        xs = [data[p][2] for p in stories if p != held]
        ys = [data[p][3] for p in stories if p != held]
        m = int(0.1 * sum(len(y) for y in ys))
        coefs[held] = fit_monotone(np.vstack(xs + [xm[:m]]), np.concatenate(ys + [ym[:m]]))
    grid = dict(
        mutual_boost=[0.3, 0.45],
        mutual_floor=[0.05],
        mutual_margin=[1.0, 1.5, 2.5],
        join_mean=[0.5, 0.7],
        join_min=[0.05, 0.2],
        threshold=[0.4, 0.5],
    )
    results = []
    for combo in itertools.product(*grid.values()):
        cfg = dict(zip(grid, combo))
        f1s, ps = [], []
        for held in stories:
            coef, bias = coefs[held]
            params = replace(AlignParams(), coef=tuple(float(c) for c in coef), bias=float(bias),
                             **{k: v for k, v in cfg.items() if k != "threshold"})
            g, sources = data[held][0], data[held][1]
            r = score(g, align(sources, AlignSettings(threshold=cfg["threshold"]), params))
            f1s.append(r.f1)
            ps.append(r.precision)
        results.append((float(np.mean(f1s)), min(f1s), cfg, f1s, ps))
    results.sort(key=lambda r: -r[0])
    names = [p.parent.name if p.name == "gold.json" else p.stem for p in stories]
    print("stories:", names)
    for mean, worst, cfg, f1s, ps in results[:12]:
        print(f"mean F1={mean:.3f} worst={worst:.3f} F1s={np.round(f1s, 2)} P={np.round(ps, 2)} {cfg}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
