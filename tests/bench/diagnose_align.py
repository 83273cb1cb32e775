"""Where do the aligner's missed links get lost: in the pair scorer or in row building?

For each gold story this prints, at a few thresholds, the recall (vs sure) and
precision (vs sure+possible) of

* ``pairs``: every cross-source pair whose scored probability reaches the
  threshold, before any row is built (an upper bound on what rows can recall
  at that threshold, though rows may also add links by transitivity);
* ``rows``: the links of the finished alignment.

A large gap between the two means the row builder throws good links away; a
low ``pairs`` recall means the scorer does not see the paraphrase at all.

    .venv/bin/python tests/bench/diagnose_align.py [threshold ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.core import align as align_mod  # noqa: E402
from tui.core.evaluate import gold_links, load_gold, predicted_links  # noqa: E402
from tui.core.ingest import load_sources  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402

GOLD = ROOT / "tests" / "gold"


def _pr(pred: set, sure: set, good: set) -> tuple[float, float]:
    prec = len(pred & good) / len(pred) if pred else 1.0
    rec = len(pred & sure) / len(sure) if sure else 1.0
    return prec, rec


def main() -> int:
    thresholds = [float(a) for a in sys.argv[1:]] or [0.2, 0.3, 0.4]
    files = [GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
    for path in files:
        name = path.stem if path.name != "gold.json" else path.parent.name
        gold = load_gold(path)
        sources = load_sources([gold.corpus / n for n in gold.sources])
        sure, poss = gold_links(gold, sources)
        good = sure | poss
        flat = [(s.id, x.index) for s in sources for x in s.sentences]
        probs = align_mod.pair_probabilities(sources)
        n = len(flat)
        a, b = np.triu_indices(n, 1)
        src = np.array([s for s, _ in flat])
        keep = src[a] != src[b]
        a, b = a[keep], b[keep]
        pa = probs[a, b]
        for t in thresholds:
            pred_pairs = {(flat[i], flat[j]) for i, j in zip(a[pa >= t], b[pa >= t])}
            pp, pr = _pr(pred_pairs, sure, good)
            rows = predicted_links(align_mod.align(sources, AlignSettings(threshold=t)))
            rp, rr = _pr(rows, sure, good)
            print(f"{name:<14} t={t:.2f}  pairs P={pp:.2f} R={pr:.2f} (n={len(pred_pairs):4d})   "
                  f"rows P={rp:.2f} R={rr:.2f} (n={len(rows):4d})")
        # how well the scorer ranks: sure links' probabilities
        sure_p = sorted(float(probs[flat.index(x), flat.index(y)]) for x, y in sure)
        print(f"{'':<14} sure-link probability quartiles: "
              + " ".join(f"{q:.2f}" for q in np.quantile(sure_p, [0.1, 0.25, 0.5, 0.75])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
