"""Score the current aligner on every gold story, as one table.

Run from the repository root::

    .venv/bin/python tests/bench/evaluate_gold.py            # the table
    .venv/bin/python tests/bench/evaluate_gold.py -v         # plus wrong and missed links
    .venv/bin/python tests/bench/evaluate_gold.py --threshold 0.6
    .venv/bin/python tests/bench/evaluate_gold.py --heldout  # plus tests/gold/heldout/
    .venv/bin/python tests/bench/evaluate_gold.py --blind    # plus tests/gold/blind/ (once, at a round's end)

One table over all stories, rather than a test per story, because tuning the
aligner means watching every story move at once: a change that lifts the
seeds and sinks another story is not an improvement.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.core.errors import ParallaxError  # noqa: E402
from tui.core.evaluate import EvalReport, evaluate  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold"


def gold_files(heldout: bool = False, blind: bool = False) -> list[Path]:
    """The seeds gold first, then every story folder's gold.json (held-out and blind ones on request).

    Blind stories are scored once, when a round of tuning is over; a default run
    that showed them would make them tuning data.
    """
    files = [GOLD_DIR / "seeds.json"] if (GOLD_DIR / "seeds.json").is_file() else []
    files += sorted(GOLD_DIR.glob("*/gold.json"))
    files += sorted(GOLD_DIR.glob("heldout/*/gold.json")) if heldout else []
    return files + (sorted(GOLD_DIR.glob("blind/*/gold.json")) if blind else [])


def _row(name: str, r: EvalReport, seconds: float) -> str:
    return (
        f"{name:<28} {r.sources:>3} {r.sure:>5}/{r.possible:<5} {r.predicted:>5} "
        f"{r.precision:>6.3f} {r.recall:>6.3f} {r.f1:>6.3f} "
        f"{r.furniture_aligned:>3}/{r.furniture:<3} {seconds:>6.2f}s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list wrong and missed links")
    parser.add_argument("--threshold", type=float, default=AlignSettings().threshold)
    parser.add_argument("--heldout", action="store_true",
                        help="also score tests/gold/heldout/ (stories never tuned on)")
    parser.add_argument("--blind", action="store_true",
                        help="also score tests/gold/blind/ (written blind; score once, at the end of a round)")
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: all under tests/gold)")
    args = parser.parse_args(argv)

    settings = AlignSettings(threshold=args.threshold)
    files = args.gold or gold_files(args.heldout, args.blind)
    if not files:
        print("no gold files found under tests/gold", file=sys.stderr)
        return 1

    header = f"{'story':<28} {'src':>3} {'sure/possible':<11} {'pred':>5} {'prec':>6} {'rec':>6} {'F1':>6} furn.aln   time"
    print(header)
    print("-" * len(header))
    reports: list[EvalReport] = []
    failed = 0
    for path in files:
        name = path.stem if path.name != "gold.json" else path.parent.name
        if path.parent.parent.name == "heldout":
            name = f"{name} (held out)"
        elif path.parent.parent.name == "blind":
            name = f"{name} (blind)"
        t0 = time.perf_counter()
        try:
            report = evaluate(path, settings)
        except ParallaxError as exc:
            print(f"{name:<28} ERROR: {exc}")
            failed += 1
            continue
        reports.append(report)
        print(_row(name, report, time.perf_counter() - t0))
        if args.verbose:
            for title, items in (("wrong", report.false_positives), ("missed", report.missed)):
                for item in items:
                    print(f"    {title}: {item}")
    if len(reports) > 1:
        n = len(reports)
        print("-" * len(header))
        print(
            f"{'mean':<28} {'':>3} {'':<11} {'':>5} "
            f"{sum(r.precision for r in reports) / n:>6.3f} {sum(r.recall for r in reports) / n:>6.3f} "
            f"{sum(r.f1 for r in reports) / n:>6.3f} {sum(r.furniture_aligned for r in reports):>3}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
