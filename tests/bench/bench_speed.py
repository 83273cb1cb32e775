"""Whole-process speed and memory of Parallax beside a naive rapidfuzz peer, in one table.

Both sides are measured the way a user meets them, as a fresh process on
the corpus written as files: Parallax is ``parallax export DIR -o
/dev/null`` (interpreter start, imports, ingest, align, compare, CSV); the
peer is this file's ``naive`` command on the same files and the same
sentences (Parallax's ingest, then rapidfuzz ``token_set_ratio`` over every
cross-source pair with ``process.cdist(workers=-1)``, greedy merging above
one threshold, a CSV). Each side runs ``--runs`` times (default five),
alternating, and the table gives the medians, the ratio Parallax / peer and
each side's peak resident memory (the largest ``ru_maxrss`` of its runs).
The machine is shared, so the load average is printed before and after:
figures taken under a load above the core count are slowed by contention.

Corpora: the synthetic stories of tests/bench/synthetic.py (20 x 300, 100 x
100, 2 x 1,700), the seeds, and any folder given with ``--corpus
NAME=DIR`` (a large test set kept outside the repository, for instance two
documents of 1,725 sentences each). ``--msrp`` adds that one, ``msrp``: the
first 1,725 MSRP training pairs (shared/eval, read by msrp_calibrate.py) as two
files, each pair's first sentence in one and its second in the other, a
paragraph each, written to a temporary folder (the MSRP test split is not in
shared/eval; the data never enters the repository). ``--only NAME`` keeps
some of them.

``--pivot`` times the reader's ``p`` both ways: aligning again with another
pivot against reordering the rows on hand (:func:`tui.core.align.with_pivot`).
``--against DIR`` measures a second checkout in turn with the first (the
machine's load changes by the minute, so a before/after is only fair when
both sides run side by side).

``--scaling`` shows that the aligner's cost follows the candidate pairs, not
all pairs, on two pairs of synthetic stories: 20 x 150 -> 20 x 300 (all
cross-source pairs x4, while each sentence keeps its number of candidates,
so candidates x2) and 50 x 100 -> 100 x 100 (all pairs x4; the candidates
per sentence grow with the sources, ``k = n_sources / 2 + 8``). Per size it
prints the sentences, all cross-source pairs, the candidate pairs the
aligner keeps, the pairs it scores in all (candidates and the pairs its row
tests ask for), the seconds of ``align`` (median of ``--runs`` after a
warm-up run, so the sentences are already read) and of its candidate
search (``_candidates`` in tui/core/candidates.py), and the
growth from the smaller size.

``--profile`` also runs Parallax once per corpus under cProfile and prints
the top of the profile (cumulative and own time), so the next thing to make
faster is named by measurement. ``--repo DIR`` measures another checkout
(the "before" side of a change).

    .venv/bin/python tests/bench/bench_speed.py [--runs 5] [--only 100x100] [--profile]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SYNTHETIC = [(20, 300), (100, 100), (2, 1700)]
#: token_set_ratio (0..100) a pair needs to share a row in the peer
NAIVE_CUTOFF = 70
#: the peer is skipped on corpora with more cross-source pairs than this (it is quadratic:
#: 100 x 100 sentences are 49.5 million pairs, minutes); --naive-all runs it anyway
NAIVE_MAX_PAIRS = 5_000_000


def naive(paths: list[str]) -> int:
    """The peer: all cross-source pairs by token_set_ratio, greedy, one threshold; CSV to stdout."""
    import csv

    import numpy as np
    from rapidfuzz import fuzz, process

    from tui.core.pipeline import load

    sources = load(paths, warn=lambda _message: None)
    texts = [s.text.lower() for src in sources for s in src.sentences]
    owner = np.array([src.id for src in sources for _ in src.sentences], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum([len(src.sentences) for src in sources])])
    a_parts, b_parts, v_parts = [], [], []
    for s in range(len(sources)):
        for t in range(s + 1, len(sources)):
            m = process.cdist(texts[start[s]:start[s + 1]], texts[start[t]:start[t + 1]],
                              scorer=fuzz.token_set_ratio, workers=-1, dtype=np.uint8,
                              score_cutoff=NAIVE_CUTOFF)
            rows, cols = np.nonzero(m)
            a_parts.append(rows + start[s])
            b_parts.append(cols + start[t])
            v_parts.append(m[rows, cols])
    a, b, v = (np.concatenate(p) if p else np.zeros(0, dtype=np.int64) for p in (a_parts, b_parts, v_parts))
    order = np.lexsort((b, a, -v.astype(np.int64)))
    n = len(texts)
    root = list(range(n))
    owners: list[set[int]] = [{int(o)} for o in owner]

    def find(i: int) -> int:
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    for e in order.tolist():
        x, y = find(int(a[e])), find(int(b[e]))
        if x != y and not owners[x] & owners[y]:
            root[y] = x
            owners[x] |= owners[y]
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    flat = [(src, s) for src in sources for s in src.sentences]
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(["row", "source", "sentence", "text"])
    for r, members in enumerate(sorted(groups.values())):
        for i in members:
            src, s = flat[i]
            writer.writerow([r, src.name, s.index, s.text])
    sys.stdout.write(out.getvalue())
    return 0


#: MSRP training pairs in the ``--msrp`` corpus (as many as the test split has)
MSRP_PAIRS = 1_725


def write_msrp(folder: Path, pairs: int = MSRP_PAIRS) -> Path:
    """Two documents from the first ``pairs`` MSRP training pairs: first sentences, second sentences."""
    from msrp_calibrate import MSRP, load

    if not MSRP.exists():
        raise SystemExit(f"--msrp: {MSRP} is not there")
    rows = load()[:pairs]
    folder.mkdir(parents=True, exist_ok=True)
    for name, side in (("a.txt", 1), ("b.txt", 2)):
        (folder / name).write_text("\n\n".join(r[side] for r in rows) + "\n", encoding="utf-8")
    return folder


def _timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.perf_counter() - t0
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {err}")
    return secs, usage.ru_maxrss / 1024


def parallax_cmd(folder: Path) -> list[str]:
    return [sys.executable, "-m", "tui", "export", str(folder), "-o", os.devnull]


def naive_cmd(folder: Path, repo: Path) -> list[str]:
    return [sys.executable, str(HERE / "bench_speed.py"), "naive", "--repo", str(repo), str(folder)]


def cross_pairs(folder: Path) -> int:
    """Cross-source sentence pairs of a corpus (lines as a stand-in for sentences: only a size)."""
    counts = [sum(1 for line in f.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())
              for f in sorted(folder.iterdir()) if f.is_file()]
    total = sum(counts)
    return (total * total - sum(c * c for c in counts)) // 2


PIVOT = r"""
import sys, time, statistics
sys.path.insert(0, sys.argv[1])
from tui.core.pipeline import load
from tui.core.align import align, with_pivot
from tui.core.model import AlignSettings
sources = load([sys.argv[2]], warn=lambda _m: None)
base = align(sources, AlignSettings())
pivot = 1 % len(sources)
t = time.perf_counter(); full = align(sources, AlignSettings(pivot=pivot)); realign = time.perf_counter() - t
runs = []
for _ in range(20):
    t = time.perf_counter(); moved = with_pivot(base, pivot); runs.append(time.perf_counter() - t)
assert moved == full
print(realign, statistics.median(runs))
"""


SCALING = r"""
import statistics, sys, time
sys.path.insert(0, sys.argv[1])
sys.path.insert(0, sys.argv[2])
import numpy as np
from synthetic import story
from tui.core import align as A, similarity
from tui.core.model import AlignSettings
n_src, n_sent, runs = (int(x) for x in sys.argv[3:6])
sources = story(n_src, n_sent)
scored = [0]
original = similarity.Index.pair_stats
def counting(self, a, b):
    scored[0] += len(a)
    return original(self, a, b)
similarity.Index.pair_stats = counting
cand = [0, 0.0]
original_candidates = A._candidates
def candidates(*args, **kwargs):
    t = time.perf_counter()
    out = original_candidates(*args, **kwargs)
    cand[0], cand[1] = len(out.a), cand[1] + time.perf_counter() - t
    return out
A._candidates = candidates
A.align(sources, AlignSettings())  # warm: the shared sentence analyses are read here, once
times, search = [], []
for _ in range(runs):
    scored[0], cand[1] = 0, 0.0
    t = time.perf_counter(); A.align(sources, AlignSettings()); times.append(time.perf_counter() - t)
    search.append(cand[1])
counts = [len(s.sentences) for s in sources]
total = sum(counts)
every = (total * total - sum(c * c for c in counts)) // 2
print(total, every, cand[0], cand[0] + scored[0], statistics.median(times), statistics.median(search))
"""

#: pairs of (sources, sentences) for --scaling: all pairs x4 from the first to the second of each
SCALING_SIZES = [((20, 150), (20, 300)), ((50, 100), (100, 100))]


def scaling(repo: Path, runs: int) -> list[str]:
    """One line per size: sentences, all pairs, candidate pairs, scored pairs, align seconds, growth."""
    lines = [f"{'size':>8} | {'sentences':>9} {'all pairs':>11} {'candidates':>10} {'scored':>9} "
             f"{'align s':>8} {'search s':>8} | growth: all pairs, candidates, scored, align s, search s, "
             "rest of align s"]
    first: list[float] | None = None
    for n_src, n_sent in (size for pair in SCALING_SIZES for size in pair):
        if any(size == (n_src, n_sent) for size, _ in SCALING_SIZES):
            first = None  # the smaller of a pair: growth is measured from it
        out = subprocess.run([sys.executable, "-c", SCALING, str(repo), str(HERE), str(n_src), str(n_sent),
                              str(runs)], capture_output=True, text=True, check=True, cwd=repo).stdout.split()
        n, every, cand, scored = (int(x) for x in out[:4])
        secs, search = float(out[4]), float(out[5])
        row = [float(every), float(cand), float(scored), secs, search, secs - search]
        growth = "" if first is None else ", ".join(f"x{b / a:.2f}" for a, b in zip(first, row))
        first = first or row
        lines.append(f"{n_src:>3}x{n_sent:<4} | {n:9,} {every:11,} {cand:10,} {scored:9,} {secs:8.2f} {search:8.2f} | "
                     f"{growth}")
    return lines


def pivot_cost(folder: Path, repo: Path) -> tuple[float, float]:
    """Seconds to re-align with another pivot against seconds to reorder the rows (``p``)."""
    out = subprocess.run([sys.executable, "-c", PIVOT, str(repo), str(folder)], capture_output=True, text=True,
                         check=True, cwd=repo).stdout.split()
    return float(out[-2]), float(out[-1])


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def profile(folder: Path, repo: Path, top: int) -> str:
    """The top of a cProfile of one ``parallax export`` run, by cumulative and by own time."""
    import pstats

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "export.prof"
        # main(argv) returns, where run as the program (-m tui) export ends the
        # process at once, before cProfile could write its file
        code = ("import cProfile, sys; from tui.cli import main; "
                "cProfile.run('main(sys.argv[2:])', sys.argv[1])")
        subprocess.run([sys.executable, "-c", code, str(out), "export", str(folder), "-o", os.devnull],
                       cwd=repo, check=True, stdout=subprocess.DEVNULL)
        text = io.StringIO()
        stats = pstats.Stats(str(out), stream=text)
        stats.strip_dirs().sort_stats("cumulative").print_stats(top)
        stats.sort_stats("tottime").print_stats(top)
    return text.getvalue()


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "naive":
        p = argparse.ArgumentParser()
        p.add_argument("cmd")
        p.add_argument("--repo", type=Path, default=REPO)
        p.add_argument("paths", nargs="+")
        a = p.parse_args()
        sys.path.insert(0, str(a.repo.resolve()))
        return naive(a.paths)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], help="corpus names to keep (repeatable)")
    parser.add_argument("--corpus", action="append", default=[], metavar="NAME=DIR")
    parser.add_argument("--msrp", action="store_true",
                        help=f"add the first {MSRP_PAIRS:,} MSRP training pairs as two documents (corpus 'msrp')")
    parser.add_argument("--no-naive", action="store_true", help="skip the peer")
    parser.add_argument("--naive-all", action="store_true",
                        help=f"run the peer above {NAIVE_MAX_PAIRS:,} cross-source pairs too")
    parser.add_argument("--profile", action="store_true", help="print the top of a profile per corpus")
    parser.add_argument("--bytecode", action="store_true",
                        help="compile the checkouts' modules first (__pycache__), as pip does on install; "
                             "without it, where PYTHONDONTWRITEBYTECODE is set, every run compiles them again")
    parser.add_argument("--pivot", action="store_true",
                        help="also time the pivot key: re-aligning with pivot 1 against reordering the rows")
    parser.add_argument("--scaling", action="store_true",
                        help="also show that align's cost follows the candidate pairs, not all pairs (two sizes)")
    parser.add_argument("--top", type=int, default=30, help="lines of each profile table")
    parser.add_argument("--repo", type=Path, default=REPO, help="measure Parallax from this checkout")
    parser.add_argument("--against", type=Path, default=None,
                        help="also measure this checkout (say, main before a change), run for run in turn "
                             "with --repo, so both see the same load")
    args = parser.parse_args()
    repo = args.repo.resolve()
    against = args.against.resolve() if args.against else None
    sys.path.insert(0, str(HERE))
    from synthetic import write_story

    if args.bytecode:
        import compileall

        for checkout in filter(None, (repo, against)):
            compileall.compile_dir(str(checkout / "tui"), quiet=1)
    elif os.environ.get("PYTHONDONTWRITEBYTECODE") and not any((repo / "tui").glob("__pycache__/*.pyc")):
        print("note: PYTHONDONTWRITEBYTECODE is set and tui/ has no compiled modules: every run compiles "
              "them (--bytecode measures as installed)")
    with tempfile.TemporaryDirectory() as tmp:
        todo: list[tuple[str, Path]] = []
        for n_src, n_sent in SYNTHETIC:
            todo.append((f"{n_src}x{n_sent}", Path(tmp) / f"{n_src}x{n_sent}"))
        todo.append(("seeds", REPO / "seeds"))
        if args.msrp:
            todo.append(("msrp", write_msrp(Path(tmp) / "msrp")))
        for item in args.corpus:
            name, _, folder = item.partition("=")
            todo.append((name, Path(folder)))
        if args.only:
            todo = [(n, f) for n, f in todo if n in args.only]
        print(f"Parallax from {repo}; {args.runs} runs each; load average {load_average()}")
        if against:
            print(f"against: Parallax from {against}, in turn with it")
        print(f"{'corpus':>12} | {'parallax s':>10} {'peak MB':>8} | {'naive s':>8} {'peak MB':>8} | "
              f"{'ratio':>6} | parallax runs" + (" | against s, peak MB, parallax / against" if against else ""))
        profiles = []
        for name, folder in todo:
            if not folder.exists():
                n_src, n_sent = (int(x) for x in name.split("x"))
                write_story(folder, n_src, n_sent)
            pairs = cross_pairs(folder)
            run_peer = not args.no_naive and (args.naive_all or pairs <= NAIVE_MAX_PAIRS)
            ours: list[tuple[float, float]] = []
            peer: list[tuple[float, float]] = []
            other: list[tuple[float, float]] = []
            for _ in range(args.runs):
                ours.append(_timed(parallax_cmd(folder), repo))
                if against:
                    other.append(_timed(parallax_cmd(folder), against))
                if run_peer:
                    peer.append(_timed(naive_cmd(folder, repo), repo))
            med = statistics.median(t for t, _ in ours)
            mem = max(m for _, m in ours)
            if peer:
                pmed = statistics.median(t for t, _ in peer)
                pmem = max(m for _, m in peer)
                right = f"{pmed:8.2f} {pmem:8.0f} | {med / pmed:6.2f}"
            else:
                why = "off" if args.no_naive else f"skipped: {pairs / 1e6:.1f}M pairs"
                right = f"{why:>26}"
            runs = " ".join(f"{t:.2f}" for t, _ in ours)
            if other:
                omed = statistics.median(t for t, _ in other)
                runs += f" | {omed:.2f} s, {max(m for _, m in other):.0f} MB, {med / omed:.2f}"
            print(f"{name:>12} | {med:10.2f} {mem:8.0f} | {right} | {runs}", flush=True)
            if args.pivot:
                realign, reorder = pivot_cost(folder, repo)
                print(f"{'':>12}   pivot: align again {realign * 1000:.0f} ms, reorder the rows (with_pivot) "
                      f"{reorder * 1000:.2f} ms", flush=True)
            if args.profile:
                profiles.append((name, profile(folder, repo, args.top)))
        if args.scaling:
            print(f"\nscaling of align (in process, median of {args.runs} after a warm-up run):")
            for line in scaling(repo, args.runs):
                print(line, flush=True)
        print(f"load average after: {load_average()}")
        for name, text in profiles:
            print(f"\n===== profile of parallax export on {name} =====\n{text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
