"""Wall time and throughput of ``parallax batch`` on a process pool and on a local Dask cluster.

Two corpora, both built here from the repository's own articles (the bundled
seeds and the non-blind gold stories; never ``../shared/eval``), each article
perturbed with a seeded RNG so no two are the same: paragraphs dropped,
neighbours swapped, a number changed now and then (so some rows carry flags).

* **research**: 45 stories of 11 articles each, the shape of the real corpus
  the issue was timed on (45 stories x ~11 articles took 18-31 s as one
  ``parallax export`` process per story). Target: <= 10 s with 2 workers,
  measured as the whole ``parallax batch`` process (interpreter start,
  pool start, every story, both CSVs written).
* **small**: 1,000 stories of 3 short articles, for throughput (stories/s)
  where the per-story overhead, not the aligner, dominates: on the pool,
  and on a Dask ``LocalCluster`` (2 worker processes, 1 thread each, on
  127.0.0.1) started here. The cluster's start-up is reported apart.

Every run is a fresh ``python -m tui batch`` subprocess, timed from outside.
The pool's and the cluster's output files are compared byte for byte. The
machine's load average is printed before and after: on a shared machine the
figures are only as good as the load was low.

    .venv/bin/python tests/bench/bench_batch.py [--baseline] [--no-dask] [--keep DIR]

``--baseline`` also times one ``parallax export`` process per research story
(the way it was done before ``parallax batch``).
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
GOLD = REPO / "tests" / "gold"
sys.path.insert(0, str(REPO))

from tui.core.ingest import decode  # noqa: E402 - after the checkout is on the path
#: Article sets to draw from: the seeds and the gold stories (blind/ is never used).
BASES = [
    REPO / "seeds",
    GOLD / "harbour-fire" / "articles",
    GOLD / "mayor-recount" / "articles",
    GOLD / "pill-recall" / "articles",
    GOLD / "heldout" / "bridge-closure" / "articles",
    GOLD / "heldout" / "lab-breach" / "articles",
]
_FRONT = re.compile(r"^[A-Z][A-Za-z-]*: ")
_NUMBER = re.compile(r"\b\d{2,}\b")


def _split(text: str) -> tuple[list[str], list[str]]:
    """Front matter lines (``Key: value`` at the top) and the body's non-empty lines (paragraphs)."""
    lines = text.splitlines()
    front: list[str] = []
    while lines and _FRONT.match(lines[0]):
        front.append(lines.pop(0))
    return front, [line for line in lines if line.strip()]


def perturb(text: str, rng: random.Random, *, drop: float, keep: int | None = None) -> str:
    """One outlet's retelling: some paragraphs dropped, neighbours swapped, a number changed.

    ``keep`` cuts the article short: the headline and that many paragraphs of prose.
    """
    front, body = _split(text)
    if keep is not None:  # the headline and the first ``keep`` paragraphs of prose (no bylines, strips)
        prose = [p for p in body[1:] if len(p.split()) >= 12 and "|" not in p and p.rstrip()[-1:] in '.!?"”'][:keep]
        body = body[:1] + prose
    head, rest = body[:2], [p for p in body[2:] if rng.random() >= drop]
    for i in range(len(rest) - 1):
        if rng.random() < 0.15:
            rest[i], rest[i + 1] = rest[i + 1], rest[i]
    changed = []
    for p in rest:
        if rng.random() < 0.1:
            p = _NUMBER.sub(lambda m: str(int(m.group()) + rng.randint(1, 9)), p, count=1)
        changed.append(p)
    parts = (["\n".join(front)] if front else []) + head + changed
    return "\n\n".join(parts) + "\n"


def build(root: Path, stories: int, articles: int, *, drop: float, keep: int | None, seed: int) -> dict[str, float]:
    """Write ``stories`` story folders of ``articles`` perturbed articles each; return its size."""
    bases = [sorted(b.iterdir()) for b in BASES]
    n_bytes = n_files = 0
    for k in range(stories):
        rng = random.Random(seed * 100_003 + k)
        files = bases[k % len(bases)]
        folder = root / f"story-{k:04d}"
        folder.mkdir(parents=True)
        for j in range(articles):
            base = files[j % len(files)]
            text, encoding = decode(base.read_bytes())  # the seeds are not all UTF-8; each keeps its own
            data = perturb(text, rng, drop=drop, keep=keep).encode(encoding.removesuffix("-sig"), "replace")
            (folder / f"{j:02d}_{base.stem[:24]}.txt").write_bytes(data)
            n_bytes += len(data)
            n_files += 1
    return {"stories": stories, "articles": n_files, "MB": n_bytes / 1e6}


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def timed(argv: list[str]) -> float:
    """Wall seconds of one subprocess, which must succeed."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    return wall


def batch(stories: Path, out: Path, *extra: str) -> float:
    out.mkdir(parents=True, exist_ok=True)
    return timed([sys.executable, "-m", "tui", "batch", str(stories), "-o", str(out / "stats.csv"),
                  "--rows", str(out / "rows.csv"), *extra])


def same(a: Path, b: Path) -> str:
    return "identical" if all(filecmp.cmp(a / f, b / f, shallow=False) for f in ("stats.csv", "rows.csv")) else "DIFFER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", action="store_true", help="also time one parallax export per research story")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask cluster runs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--small", type=int, default=1000, help="stories in the small corpus (default 1000)")
    parser.add_argument("--keep", type=Path, help="build the corpora in DIR and keep them")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    research, small = root / "research", root / "small"
    if not research.exists():
        size = build(research, 45, 11, drop=0.1, keep=None, seed=1)
        print(f"research corpus: {size['stories']} stories, {size['articles']} articles, {size['MB']:.2f} MB")
    if not small.exists():
        size = build(small, args.small, 3, drop=0.2, keep=6, seed=2)
        print(f"small corpus:    {size['stories']} stories, {size['articles']} articles, {size['MB']:.2f} MB")
    print(f"cores: {os.cpu_count()}, load average before: {load()}")
    w = str(args.workers)

    wall = batch(research, root / "out-research-pool", "--workers", w)
    with (root / "out-research-pool" / "rows.csv").open(encoding="utf-8", newline="") as fp:
        sentences = sum(1 for _ in csv.reader(fp)) - 1
    print(f"research, pool of {w}: {wall:6.2f} s wall  ({45 / wall:.1f} stories/s, {sentences} sentences)  "
          f"target <= 10 s: {'met' if wall <= 10 else 'NOT met'}")
    wall = batch(small, root / "out-small-pool", "--workers", w)
    print(f"small,    pool of {w}: {wall:6.2f} s wall  ({args.small / wall:.1f} stories/s)")

    if not args.no_dask:
        from distributed import LocalCluster

        start = time.perf_counter()
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None) as cluster:
            up = time.perf_counter() - start
            address = cluster.scheduler_address
            print(f"local Dask cluster ({w} worker processes) up in {up:.2f} s at {address}")
            wall = batch(research, root / "out-research-dask", "--scheduler", address)
            print(f"research, Dask {w}:    {wall:6.2f} s wall  ({45 / wall:.1f} stories/s)  "
                  f"output vs pool: {same(root / 'out-research-pool', root / 'out-research-dask')}")
            wall = batch(small, root / "out-small-dask", "--scheduler", address)
            print(f"small,    Dask {w}:    {wall:6.2f} s wall  ({args.small / wall:.1f} stories/s)  "
                  f"output vs pool: {same(root / 'out-small-pool', root / 'out-small-dask')}")

    if args.baseline:
        total = 0.0
        for story in sorted(research.iterdir()):
            total += timed([sys.executable, "-m", "tui", "export", str(story), "-o", os.devnull])
        print(f"baseline, one 'parallax export' process per research story, in turn: {total:6.2f} s")

    print(f"load average after: {load()}")
    if args.keep is None:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
