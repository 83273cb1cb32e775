"""Fit the pair scorer on the gold stories, leave-one-story-out, and print the fit.

MSRP teaches what a paraphrase looks like, but the aligner must also tell a
same-fact sentence from a same-topic one in a small story corpus, which only
story-level gold shows. Each story is scored with coefficients fitted on the
*other* stories (plus MSRP), so the figures estimate unseen-story quality.

    .venv/bin/python tests/bench/fit_gold.py
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from msrp_calibrate import MSRP, fit, load  # noqa: E402

from tui.core import similarity  # noqa: E402
from tui.core.align import align, tiers  # noqa: E402
from tui.core.evaluate import gold_links, load_gold, score  # noqa: E402
from tui.core.ingest import load_sources  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402
from tui.core.params import AlignParams  # noqa: E402
from tui.core.similarity import Index  # noqa: E402
from tui.core.text import features  # noqa: E402

GOLD = Path(__file__).resolve().parents[1] / "gold"


def story_pairs(path: Path):
    g = load_gold(path)
    sources = load_sources([g.corpus / n for n in g.sources])
    sure, poss = gold_links(g, sources)
    flat = [(s.id, x.index) for s in sources for x in s.sentences]
    src = np.array([s for s, _ in flat])
    index = Index([features(sources[s].sentences[i].text) for s, i in flat])
    n = len(flat)
    a, b = np.triu_indices(n, 1)
    keep = src[a] != src[b]
    a, b = a[keep], b[keep]
    # the aligner never compares a summary line with a body sentence (align.tiers)
    layer = tiers(sources)
    tier = np.array([layer[s][i] for s, i in flat])
    same = tier[a] == tier[b]
    a, b = a[same], b[same]
    x = index.feature_matrix(index.pair_stats(a, b), all_features=True)
    good = {(flat.index(link[0]), flat.index(link[1])) for link in sure | poss}
    y = np.array([(int(i), int(j)) in good for i, j in zip(a, b)], dtype=float)
    return g, sources, x, y


#: evidence that can only make two sentences *more* alike; a negative weight
#: on one of them is collinearity, not meaning, and breaks identical pairs
POSITIVE = ("cosine", "contain", "cover", "fuzzy", "names", "num_shared", "jaccard", "n_shared",
            "soft_min", "soft_hm", "rare_min", "bigram", "quote", "soft_max")


def fit_monotone(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Logistic fit that drops positive-evidence features whose weight comes out negative."""
    names = similarity.FEATURE_NAMES
    active = list(range(len(names)))
    while True:
        coef, bias = fit(x[:, active], y)
        bad = [j for j, c in zip(active, coef) if names[j] in POSITIVE and c < 0]
        if not bad:
            full = np.zeros(len(names))
            full[active] = coef
            return full, bias
        worst = min(bad, key=lambda j: coef[active.index(j)])
        active.remove(worst)


def msrp_xy():
    rows = load()
    texts, pos = [], {}
    for _, s1, s2 in rows:
        for s in (s1, s2):
            pos.setdefault(s, len(texts))
            if len(texts) < len(pos):
                texts.append(s)
    index = Index([features(t) for t in texts])
    a = np.array([pos[r[1]] for r in rows])
    b = np.array([pos[r[2]] for r in rows])
    return index.feature_matrix(index.pair_stats(a, b), all_features=True), np.array([r[0] for r in rows], dtype=float)


def main() -> int:
    # the tuning stories only: tests/gold/heldout/ and tests/gold/blind/ are never fitted on
    stories = [GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
    data = {p: story_pairs(p) for p in stories}
    xm, ym = msrp_xy() if MSRP.exists() else (np.zeros((0, len(similarity.FEATURE_NAMES))), np.zeros(0))
    msrp_w = float(sys.argv[1]) if len(sys.argv) > 1 else 0.1
    # Fit on candidate-like pairs only (light cosine >= the aligner's candidate
    # cut): the row builder never sees the rest, and thousands of trivially
    # unrelated pairs otherwise dominate the fit and blunt the features that
    # tell a same-fact pair from a same-topic one.
    hard = "--all-pairs" not in sys.argv
    if hard:
        cos = similarity.FEATURE_NAMES.index("cosine")
        for p, (g, s, x, y) in list(data.items()):
            keep = x[:, cos] >= 0.03
            data[p] = (g, s, x[keep], y[keep])
    thresholds = [float(t) for t in sys.argv[2:] if not t.startswith("-")] or [0.3, 0.4, 0.5]

    def fit_on(train):
        xs = [data[p][2] for p in train] + [xm]
        ys = [data[p][3] for p in train] + [ym]
        # MSRP rows are many; down-weight by subsampling to msrp_w of the story rows
        n_story = sum(len(y) for y in ys[:-1])
        m = min(len(ym), int(msrp_w * n_story))
        xs[-1], ys[-1] = xm[:m], ym[:m]
        return fit_monotone(np.vstack(xs), np.concatenate(ys))

    held_f1: dict[float, list[float]] = {}
    for held in stories:
        coef, bias = fit_on([p for p in stories if p != held])
        params = replace(AlignParams(), coef=tuple(float(c) for c in coef), bias=float(bias))
        g, sources = data[held][0], data[held][1]
        line = []
        for t in thresholds:
            r = score(g, align(sources, AlignSettings(threshold=t), params))
            line.append(f"t={t}: P={r.precision:.2f} R={r.recall:.2f} F1={r.f1:.2f}")
        print(f"{held.parent.name if held.name == 'gold.json' else held.stem:<14}", " | ".join(line))
        for t, f in zip(thresholds, line):
            held_f1.setdefault(t, []).append(float(f.rsplit("=", 1)[1]))
    for t, fs in held_f1.items():
        print(f"leave-one-story-out mean F1 at t={t}: {np.mean(fs):.3f}")
    coef, bias = fit_on(stories)
    print("all-story fit COEF =", np.array2string(coef, precision=2, separator=", "), f"BIAS = {bias:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
