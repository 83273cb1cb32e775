"""Time and memory of align() on synthetic corpora, beside a naive all-pairs baseline.

Each measurement runs in a fresh subprocess so the peak resident memory
(ru_maxrss) is that run's alone. Three figures per run: ``align s`` is the
call itself (corpus already in memory); ``process s`` is the whole product
run end to end on the same corpus written as files, ``parallax export DIR
-o /dev/null`` (interpreter start, imports, ingest, align, compare, CSV),
and ``peak MB`` that process's resident peak. Targets for the whole process on the 2-core machine:
2 x 1,700 under 3 s; 20 x 300 and 100 x 100 under 10 s; under 1 GB.

The naive baseline (token_set_ratio over every cross-source pair, greedy,
one threshold) is scored in row blocks so its memory stays bounded; on the
large corpora it takes minutes, which is the point. ``--quick`` skips it
above 4,000 sentences.

    .venv/bin/python tests/bench/bench_align.py [--quick]
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
CONFIGS = [(2, 1700), (20, 300), (100, 100), (5, 200), (50, 40)]
#: with --quick, skip the (quadratic) naive baseline above this many sentences
QUICK_BASELINE_MAX = 4000
#: rows of the all-pairs matrix scored at a time by the baseline
BLOCK = 500


def _naive(sources) -> int:
    """token_set_ratio over every cross-source pair, greedy, one threshold."""
    import numpy as np
    from rapidfuzz import fuzz, process

    texts = [s.text.lower() for src in sources for s in src.sentences]
    owner = np.array([src.id for src in sources for _ in src.sentences])
    links = 0
    for lo in range(0, len(texts), BLOCK):
        hi = min(lo + BLOCK, len(texts))
        m = process.cdist(texts[lo:hi], texts, scorer=fuzz.token_set_ratio, workers=-1,
                          dtype=np.uint8, score_cutoff=70)
        m[owner[lo:hi, None] == owner[None, :]] = 0
        rows, cols = np.nonzero(m)
        links += int(np.count_nonzero(cols > rows + lo))  # each unordered pair once
    return links


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


def run_cli(n_src: int, n_sent: int) -> dict:
    """Whole-process time and peak memory of ``parallax export`` on the corpus as files."""
    sys.path.insert(0, str(HERE))
    from synthetic import write_story

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_story(Path(tmp) / "corpus", n_src, n_sent)
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "tui", "export", str(folder), "-o", os.devnull],
                                cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        secs = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            raise RuntimeError(f"parallax export failed: {proc.stderr.read().decode(errors='replace')}")
        proc.stderr.close()
    return {"seconds": secs, "peak_mb": usage.ru_maxrss / 1024}


def main() -> int:
    if len(sys.argv) == 4:
        print(json.dumps(run_one(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))))
        return 0
    quick = "--quick" in sys.argv[1:]
    print(f"{'sources x sentences':>20} {'total':>7} | {'align s':>8} {'rows':>6} | "
          f"{'process s':>9} {'peak MB':>8} | {'naive s':>8} {'peak MB':>8}")
    for n_src, n_sent in CONFIGS:
        res = {}
        for kind in ("align", "naive"):
            if kind == "naive" and quick and n_src * n_sent > QUICK_BASELINE_MAX:
                res[kind] = None
                continue
            out = subprocess.run([sys.executable, __file__, kind, str(n_src), str(n_sent)],
                                 capture_output=True, text=True, cwd=REPO, check=True)
            res[kind] = json.loads(out.stdout.strip().splitlines()[-1])
        al, nv, cli = res["align"], res["naive"], run_cli(n_src, n_sent)
        naive = f"{nv['seconds']:8.2f} {nv['peak_mb']:8.0f}" if nv else f"{'skipped':>8} {'':>8}"
        print(f"{f'{n_src} x {n_sent}':>20} {n_src * n_sent:7d} | {al['seconds']:8.2f} {al['rows']:6d} | "
              f"{cli['seconds']:9.2f} {cli['peak_mb']:8.0f} | {naive}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
