"""Precision, recall and F1 of ``parallax export`` on the news_synth pairs (ABCD-LINK).

news_synth (``../shared/eval/news_synth/``, CC BY 4.0, for measuring only: nothing
of it enters the project) holds 346 pairs of a Wikinews article and a rewrite of
it, with gold links between the sentences that report the same thing. Each pair
is written as two article files (one sentence per paragraph) in a temporary
folder and run through the real export; a predicted link is two sentences, one
from each article, sharing a row of the long CSV. Scores are micro-averaged over
pairs: precision = predicted links that are gold / predicted links, recall =
gold links predicted / gold links.

"reachable" is the recall an alignment could reach with rows of one sentence
per source and no wrong link: the largest matching of the gold links. Split
statements (1:n) are what lies beyond it.

A fixed third of the pairs is **held back** (by a hash of the pair id, so the
split never changes): tune on the rest, report both, and never read the
held-back pairs' errors -- ``--errors`` lists tuning pairs only.

    .venv/bin/python tests/bench/news_synth.py              # every pair, subprocesses
    .venv/bin/python tests/bench/news_synth.py --inproc     # one process (fast)
    .venv/bin/python tests/bench/news_synth.py --inproc --part tune --limit 60
    .venv/bin/python tests/bench/news_synth.py --inproc --errors 20
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _shared_eval() -> Path:
    """``shared/eval`` beside the checkout (or beside a worktree's parent folder)."""
    for up in REPO.parents:
        if (up / "shared" / "eval").is_dir():
            return up / "shared" / "eval"
    return REPO.parent / "shared" / "eval"


DATA = _shared_eval() / "news_synth"
sys.path.insert(0, str(REPO))

#: One pair in HOLD_MOD is held back (its id's sha1 modulo HOLD_MOD is 0).
HOLD_MOD = 3

#: A link: (sentence of the first article, sentence of the second), 0-based as in the data.
Link = tuple[int, int]


@dataclass(frozen=True)
class Pair:
    id: str
    a: tuple[str, ...]
    b: tuple[str, ...]
    gold: frozenset[Link]

    @property
    def held(self) -> bool:
        return is_held(self.id)


def is_held(pair_id: str) -> bool:
    """Whether a pair belongs to the held-back part (fixed: a hash of its id)."""
    return int(hashlib.sha1(pair_id.encode("utf-8")).hexdigest(), 16) % HOLD_MOD == 0


def _sentences(doc: dict[str, str]) -> tuple[str, ...]:
    return tuple(doc[k] for k in sorted(doc, key=int))


def load_pairs(data: Path = DATA) -> list[Pair]:
    docs = json.loads((data / "docs.json").read_text(encoding="utf-8"))
    links = json.loads((data / "news_synth_links.json").read_text(encoding="utf-8"))
    out = []
    for pid in sorted(links):
        entry = links[pid]
        gold = frozenset((int(i), int(j)) for i, js in entry["links"].items() for j in js)
        out.append(Pair(pid, _sentences(docs[entry["doc1"]]), _sentences(docs[entry["doc2"]]), gold))
    return out


NAMES = ("a.txt", "b.txt")


def write_pair(pair: Pair, folder: Path) -> list[list[tuple[int, int]]]:
    """Write the two articles; return each one's paragraph spans (by data sentence index).

    A data sentence that is empty once stripped is not written, and gets an
    empty span that no exported sentence falls in.
    """
    spans = []
    for name, sentences in zip(NAMES, (pair.a, pair.b)):
        parts: list[str] = []
        doc_spans: list[tuple[int, int]] = []
        pos = 0
        for s in sentences:
            s = " ".join(s.split())
            if not s:
                doc_spans.append((pos, pos))
                continue
            if parts:
                parts.append("\n\n")
                pos += 2
            doc_spans.append((pos, pos + len(s)))
            parts.append(s)
            pos += len(s)
        (folder / name).write_text("".join(parts) + "\n", encoding="utf-8")
        spans.append(doc_spans)
    return spans


def _paragraph(spans: list[tuple[int, int]], offset: int) -> int | None:
    for i, (lo, hi) in enumerate(spans):
        if lo <= offset < hi:
            return i
    return None


def links_from_csv(text: str, spans: list[list[tuple[int, int]]]) -> set[Link]:
    """Cross-article pairs of data sentences that share a row of the long CSV."""
    rows: dict[str, tuple[set[int], set[int]]] = {}
    for rec in csv.DictReader(io.StringIO(text)):
        side = NAMES.index(rec["source"])
        para = _paragraph(spans[side], int(rec["start"]))
        if para is not None:
            rows.setdefault(rec["row"], (set(), set()))[side].add(para)
    return {(i, j) for left, right in rows.values() for i in left for j in right}


def reachable(gold: Iterable[Link]) -> int:
    """Size of the largest matching of the gold links (augmenting paths; pairs are small)."""
    adj: dict[int, list[int]] = {}
    for i, j in sorted(gold):
        adj.setdefault(i, []).append(j)
    match: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in adj[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match or augment(match[j], seen):
                match[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in adj)


# -- running the export -------------------------------------------------------


def run_subprocess(folder: Path, extra: Sequence[str]) -> str:
    out = folder / "out.csv"
    proc = subprocess.run([sys.executable, "-m", "tui", "export", *[str(folder / n) for n in NAMES],
                           "-o", str(out), *extra], cwd=REPO, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"parallax export failed on {folder}: {proc.stderr.strip()}")
    return out.read_text(encoding="utf-8")


def run_inproc(folder: Path, extra: Sequence[str]) -> str:
    from tui.cli import main

    out = folder / "out.csv"
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(["export", *[str(folder / n) for n in NAMES], "-o", str(out), *extra])
    if code != 0:
        raise RuntimeError(f"parallax export failed on {folder}: {err.getvalue().strip()}")
    return out.read_text(encoding="utf-8")


def predict(pair: Pair, runner: Callable[[Path, Sequence[str]], str], extra: Sequence[str]) -> set[Link]:
    with tempfile.TemporaryDirectory(prefix="news_synth-") as tmp:
        folder = Path(tmp)
        spans = write_pair(pair, folder)
        return links_from_csv(runner(folder, extra), spans)


def predict_with(pair: Pair, align_fn: Callable) -> set[Link]:
    """Links of ``align_fn(sources)`` on the pair's files: for tuning scripts that pass AlignParams.

    Same files, same ingest as the export; the rows are read off the
    Alignment instead of the CSV.
    """
    from tui.core.ingest import load_sources

    with tempfile.TemporaryDirectory(prefix="news_synth-") as tmp:
        folder = Path(tmp)
        spans = write_pair(pair, folder)
        sources = load_sources([folder / n for n in NAMES])
        al = align_fn(sources)
    out: set[Link] = set()
    for row in al.rows:
        sides: list[set[int]] = [set(), set()]
        for s, cell in enumerate(row.cells):
            for idx in _cell_indices(cell):
                para = _paragraph(spans[s], sources[s].sentences[idx].start)
                if para is not None:
                    sides[s].add(para)
        out.update((i, j) for i in sides[0] for j in sides[1])
    return out


def _cell_indices(cell) -> tuple[int, ...]:
    """A row cell as sentence indices, whether the model stores one index or several."""
    if cell is None:
        return ()
    if isinstance(cell, int):
        return (cell,)
    return tuple(cell)


# -- scoring -------------------------------------------------------------------


@dataclass
class Tally:
    predicted: int = 0
    correct: int = 0
    gold: int = 0
    reach: int = 0
    pairs: int = 0

    def add(self, pair: Pair, pred: set[Link]) -> None:
        self.predicted += len(pred)
        self.correct += len(pred & pair.gold)
        self.gold += len(pair.gold)
        self.reach += reachable(pair.gold)
        self.pairs += 1

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self, name: str) -> str:
        reach = self.reach / self.gold if self.gold else 1.0
        return (f"{name:<10} {self.pairs:>5} {self.gold:>6} {self.predicted:>6} "
                f"{self.precision:>6.3f} {self.recall:>6.3f} {self.f1:>6.3f}   {reach:>6.3f}")


HEADER = f"{'part':<10} {'pairs':>5} {'gold':>6} {'pred':>6} {'prec':>6} {'rec':>6} {'F1':>6}   reachable"


def select(pairs: list[Pair], part: str, limit: int | None) -> list[Pair]:
    chosen = [p for p in pairs if part == "all" or (p.held == (part == "held"))]
    return chosen[:limit] if limit else chosen


def score_pairs(pairs: Sequence[Pair], preds: Sequence[set[Link]]) -> dict[str, Tally]:
    parts = {"all": Tally(), "tune": Tally(), "held": Tally()}
    for pair, pred in zip(pairs, preds):
        parts["all"].add(pair, pred)
        parts["held" if pair.held else "tune"].add(pair, pred)
    return parts


def report(parts: dict[str, Tally], out=sys.stdout) -> None:
    print(HEADER, file=out)
    print("-" * len(HEADER), file=out)
    for name in ("all", "tune", "held"):
        if parts[name].pairs:
            print(parts[name].line(name), file=out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inproc", action="store_true", help="run the export in this process (fast)")
    ap.add_argument("--jobs", type=int, default=2, help="parallel subprocesses (default 2)")
    ap.add_argument("--part", choices=("all", "tune", "held"), default="all")
    ap.add_argument("--limit", type=int, help="only the first N pairs of the part")
    ap.add_argument("--threshold", type=float, help="passed to parallax export")
    ap.add_argument("--errors", type=int, metavar="N",
                    help="print wrong and missed links of up to N tuning pairs (never held-back ones)")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"skipped: {DATA} not found")
        return 0
    pairs = select(load_pairs(), "tune" if args.errors else args.part, args.limit)
    extra = ["--threshold", str(args.threshold)] if args.threshold is not None else []
    t0 = time.perf_counter()
    if args.inproc:
        preds = [predict(p, run_inproc, extra) for p in pairs]
    else:
        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            preds = list(pool.map(lambda p: predict(p, run_subprocess, extra), pairs))
    secs = time.perf_counter() - t0
    if args.errors:
        for pair, pred in list(zip(pairs, preds))[:args.errors]:
            assert not pair.held
            wrong, missed = sorted(pred - pair.gold), sorted(pair.gold - pred)
            if not wrong and not missed:
                continue
            print(f"== {pair.id}")
            for tag, items in (("wrong", wrong), ("missed", missed)):
                for i, j in items:
                    print(f"  {tag}: A{i} {pair.a[i].strip()[:110]}\n      <-> B{j} {pair.b[j].strip()[:110]}")
    report(score_pairs(pairs, preds))
    print(f"({len(pairs)} pairs, {'in process' if args.inproc else f'{args.jobs} subprocesses'}, "
          f"{secs:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
