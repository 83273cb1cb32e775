"""Time and memory of align() on synthetic corpora, beside a naive all-pairs baseline.

Each measurement runs in a fresh subprocess so the peak resident memory
(ru_maxrss) is that run's alone. Targets: 2 x 1,700 under 3 s; 20 x 300 and
100 x 100 under 10 s; under 1 GB for the whole process.

    .venv/bin/python tests/bench/bench_align.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONFIGS = [(2, 1700), (20, 300), (100, 100), (5, 200), (50, 40)]
#: the naive baseline is quadratic in memory too; skip it above this many sentences
BASELINE_MAX = 4000


def _naive(sources) -> int:
    """token_set_ratio over every cross-source pair, greedy, one threshold."""
    import numpy as np
    from rapidfuzz import fuzz, process

    texts = [s.text.lower() for src in sources for s in src.sentences]
    owner = np.array([src.id for src in sources for _ in src.sentences])
    m = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.uint8)
    m[owner[:, None] == owner[None, :]] = 0
    a, b = np.nonzero(np.triu(m >= 70))
    return len(a)


def run_one(kind: str, n_src: int, n_sent: int) -> dict:
    sys.path.insert(0, str(HERE))
    from synthetic import story

    from tui.core.align import align

    sources = story(n_src, n_sent)
    t0 = time.perf_counter()
    if kind == "align":
        rows = len(align(sources).rows)
    else:
        rows = _naive(sources)
    secs = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": secs, "peak_mb": peak_mb, "rows": rows}


def main() -> int:
    if len(sys.argv) == 4:
        print(json.dumps(run_one(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
        return 0
    print(f"{'sources x sentences':>20} {'total':>7} | {'align s':>8} {'peak MB':>8} {'rows':>6} | "
          f"{'naive s':>8} {'peak MB':>8}")
    for n_src, n_sent in CONFIGS:
        res = {}
        for kind in ("align", "naive"):
            if kind == "naive" and n_src * n_sent > BASELINE_MAX:
                res[kind] = None
                continue
            out = subprocess.run([sys.executable, __file__, kind, str(n_src), str(n_sent)],
                                 capture_output=True, text=True, cwd=REPO, check=True)
            res[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        al, nv = res["align"], res["naive"]
        naive = f"{nv['seconds']:8.2f} {nv['peak_mb']:8.0f}" if nv else f"{'skipped':>8} {'':>8}"
        print(f"{f'{n_src} x {n_sent}':>20} {n_src * n_sent:7d} | {al['seconds']:8.2f} "
              f"{al['peak_mb']:8.0f} {al['rows']:6d} | {naive}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
