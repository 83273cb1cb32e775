"""Export every gold story and the synthetic corpora, to check a speed change altered no output.

A speed change must leave the rows, their scores and every flag identical to
the digit. This script writes, per corpus, the long CSV (with and without
the spelling variants), the wide CSV and the JSON document into a folder;
run it on the code before and after the change and compare the folders::

    .venv/bin/python tests/bench/export_check.py write /tmp/before --repo /path/to/main-checkout
    .venv/bin/python tests/bench/export_check.py write /tmp/after
    .venv/bin/python tests/bench/export_check.py compare /tmp/before /tmp/after

``--repo`` imports Parallax from another checkout (default: this one), so
the "before" side can be main while this worktree holds the change.
``--extra NAME=DIR`` adds a corpus of your own (say, a large test set kept
outside the repository); ``--quick`` leaves out the big synthetic corpora.
Only file digests are printed, never a file's content, so the blind gold
stories can be compared without anyone reading their rows.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

#: (sources, sentences) of the synthetic corpora (tests/bench/synthetic.py)
SYNTHETIC = [(5, 200), (50, 40), (20, 300), (100, 100), (2, 1700)]
QUICK_SYNTHETIC = [(5, 200), (50, 40)]


def corpora(quick: bool, extra: list[str], exclude: Sequence[str] = ()) -> list[tuple[str, Path | tuple[int, int]]]:
    """Every corpus to export: seeds, gold stories (held-out and blind too), synthetic, extras.

    Corpora whose name starts with one of ``exclude`` ("blind") are left out.
    """
    out: list[tuple[str, Path | tuple[int, int]]] = [("seeds", REPO / "seeds")]
    gold = REPO / "tests" / "gold"
    for articles in sorted(gold.glob("**/articles")):
        out.append((str(articles.parent.relative_to(gold)).replace("/", "_"), articles))
    for n_src, n_sent in QUICK_SYNTHETIC if quick else SYNTHETIC:
        out.append((f"synthetic_{n_src}x{n_sent}", (n_src, n_sent)))
    for item in extra:
        name, _, folder = item.partition("=")
        out.append((name, Path(folder)))
    return [(name, where) for name, where in out if not any(name.startswith(x) for x in exclude)]


def write(target: Path, quick: bool, extra: list[str], pivots: bool, exclude: Sequence[str] = ()) -> None:
    sys.path.insert(0, str(HERE))
    from synthetic import write_story

    from tui.core.align import align
    from tui.core.export import export
    from tui.core.export_json import write_json
    from tui.core.model import AlignSettings
    from tui.core.pipeline import load

    import tui

    print(f"parallax from {Path(tui.__file__).parent}", file=sys.stderr)
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, where in corpora(quick, extra, exclude):
            if isinstance(where, tuple):
                where = write_story(Path(tmp) / name, *where)
            sources = load([where], warn=lambda _message: None)
            settings = [AlignSettings()]
            if pivots and len(sources) <= 8:
                settings += [AlignSettings(pivot=p) for p in range(1, len(sources))]
            for setting in settings:
                t0 = time.perf_counter()
                alignment = align(sources, setting)
                stem = name if setting.pivot == 0 else f"{name}_pivot{setting.pivot}"
                for fmt, spelling in (("long", False), ("long", True), ("wide", False)):
                    buf = io.StringIO(newline="")
                    export(alignment, fmt, buf, spelling=spelling)
                    suffix = f"{fmt}{'-spelling' if spelling else ''}"
                    (target / f"{stem}.{suffix}.csv").write_text(buf.getvalue(), encoding="utf-8", newline="")
                buf = io.StringIO(newline="")
                write_json(alignment, buf)
                (target / f"{stem}.json").write_text(buf.getvalue(), encoding="utf-8", newline="")
                print(f"{stem:40s} {len(alignment.rows):6d} rows {time.perf_counter() - t0:7.2f} s",
                      file=sys.stderr, flush=True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.iterdir()} | {p.name for p in after.iterdir()})
    bad = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            print(f"MISSING  {name} ({'before' if not a.exists() else 'after'} has none)")
            bad += 1
        elif a.read_bytes() != b.read_bytes():
            print(f"DIFFERS  {name} {digest(a)} -> {digest(b)}")
            bad += 1
    print(f"{len(names) - bad} of {len(names)} files identical" + ("" if not bad else f", {bad} not"))
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    w = sub.add_parser("write")
    w.add_argument("target", type=Path)
    w.add_argument("--repo", type=Path, default=None, help="import Parallax from this checkout")
    w.add_argument("--quick", action="store_true")
    w.add_argument("--no-pivots", action="store_true", help="only the default pivot")
    w.add_argument("--extra", action="append", default=[], metavar="NAME=DIR")
    w.add_argument("--exclude", action="append", default=[], metavar="PREFIX",
                   help="leave out the corpora whose name starts so (say, blind)")
    c = sub.add_parser("compare")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.cmd == "compare":
        return compare(args.before, args.after)
    sys.path.insert(0, str((args.repo or REPO).resolve()))
    write(args.target, args.quick, args.extra, not args.no_pivots, args.exclude)
    return 0


if __name__ == "__main__":
    sys.exit(main())
