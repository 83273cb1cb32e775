"""How well row ids survive a threshold change, for the anchor rule and two alternatives (a measurement).

A row id (:mod:`tui.core.rowid`) is derived from one member sentence, the
anchor. Pivot and fixes to other rows cannot change it (the tests check
that); a threshold change can, when it splits or merges the anchor's row.
This script counts, for each of several thresholds, how many sentences are
still in a row with the same id as at the default threshold, under three
anchor rules:

* ``body-min`` (the one :mod:`tui.core.rowid` uses): body sentences first,
  then the smallest source tag, then the smallest index;
* ``min``: the smallest source tag and index, summary lines included;
* ``central``: the body member most similar to the row's other members
  (rapidfuzz token_set_ratio), ties by tag.

Run: ``.venv/bin/python tests/bench/bench_rowid.py [ARTICLES_DIR ...]`` (no
argument: the seeds and the three development gold stories).
Figures of 2026-12-02 (sentences keeping their id, summed over thresholds
0.25, 0.30, 0.40, 0.45, 0.50): seeds body-min 607 / min 593 / central 597 of
5 x 138; harbour-fire 402 / 402 / 396 of 5 x 85; mayor-recount 306 / 306 /
304 of 5 x 64; pill-recall 270 / 269 / 265 of 5 x 60.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from tui.core.align import align  # noqa: E402
from tui.core.model import KIND_BODY, AlignSettings, Alignment, Row  # noqa: E402
from tui.core.pipeline import load  # noqa: E402
from tui.core.rowid import anchor, source_tags  # noqa: E402

THRESHOLDS = (0.25, 0.30, 0.40, 0.45, 0.50)
Pick = Callable[[Alignment, Row], tuple[int, int]]


def rules(tags: tuple[str, ...]) -> dict[str, Pick]:
    def body_min(a: Alignment, row: Row) -> tuple[int, int]:
        found = anchor(a, row, tags)
        assert found is not None
        return found

    def any_min(a: Alignment, row: Row) -> tuple[int, int]:
        return min(row.members, key=lambda m: (tags[m[0]], m[1]))

    def central(a: Alignment, row: Row) -> tuple[int, int]:
        pool = [m for m in row.members if a.sources[m[0]].sentences[m[1]].kind == KIND_BODY] or list(row.members)

        def closeness(m: tuple[int, int]) -> float:
            text = a.sources[m[0]].sentences[m[1]].text
            return -sum(fuzz.token_set_ratio(text, a.sources[o[0]].sentences[o[1]].text)
                        for o in pool if o[0] != m[0])

        return min(pool, key=lambda m: (closeness(m), tags[m[0]], m[1]))

    return {"body-min": body_min, "min": any_min, "central": central}


def sentence_ids(a: Alignment, pick: Pick) -> dict[tuple[int, int], tuple[int, int]]:
    out = {}
    for row in a.rows:
        rid = pick(a, row)
        for m in row.members:
            out[m] = rid
    return out


def measure(paths: list[str] | None, label: str) -> None:
    sources = load(paths)
    tags = source_tags(sources)
    base = align(sources, AlignSettings())
    runs = [align(sources, AlignSettings(threshold=t)) for t in THRESHOLDS]
    for name, pick in rules(tags).items():
        before = sentence_ids(base, pick)
        kept = []
        for run in runs:
            after = sentence_ids(run, pick)
            kept.append(sum(1 for k, v in before.items() if after.get(k) == v))
        print(f"{label:14} {name:9} kept {kept} of {len(before)} each; total {sum(kept)}")


def main(argv: list[str]) -> None:
    if argv:
        for path in argv:
            measure([path], Path(path).parent.name or path)
        return
    measure(None, "seeds")
    for story in ("harbour-fire", "mayor-recount", "pill-recall"):
        measure([str(ROOT / "tests" / "gold" / story / "articles")], story)


if __name__ == "__main__":
    main(sys.argv[1:])
