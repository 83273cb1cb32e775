"""Fit the pair scorer on the gold stories, MSRP and news_synth's tuning pairs; check it.

fit_gold.py fits on the gold stories and MSRP only; news_synth's tuning part
(two thirds of its pairs, see news_synth.py) adds hundreds of articles of
real news and heavy paraphrase. Figures printed, all on text the fit did not
see:

* each gold story aligned with coefficients fitted without it
  (leave-one-story-out; news_synth tuning pairs and MSRP always in);
* news_synth's tuning pairs in two halves, each aligned with coefficients
  fitted on the other half (plus every gold story and MSRP);
* the all-data coefficients, to paste into ``AlignParams``.

The held-back news_synth pairs are never read here.

    .venv/bin/python tests/bench/fit_news.py [--news-weight W] [--msrp-weight W] [-t 0.35]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import news_synth as ns  # noqa: E402
from fit_gold import GOLD, fit_monotone, msrp_xy, story_pairs  # noqa: E402
from msrp_calibrate import MSRP  # noqa: E402

from tui.core import similarity  # noqa: E402
from tui.core.align import align, tiers  # noqa: E402
from tui.core.evidence import _features  # noqa: E402
from tui.core.evaluate import score  # noqa: E402
from tui.core.ingest import load_sources  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402
from tui.core.params import DEFAULT_PARAMS, AlignParams  # noqa: E402
from tui.core.similarity import Index  # noqa: E402

COS = similarity.FEATURE_NAMES.index("cosine")


def news_xy(pair: ns.Pair) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the pair's cross-article candidate-like pairs."""
    with tempfile.TemporaryDirectory() as tmp:
        spans = ns.write_pair(pair, Path(tmp))
        sources = load_sources([Path(tmp) / n for n in ns.NAMES])
    flat = [(s.id, x.index) for s in sources for x in s.sentences]
    index = Index([_features(sources[s].sentences[i].text) for s, i in flat])
    na, nb = len(sources[0].sentences), len(sources[1].sentences)
    a = np.repeat(np.arange(na), nb)
    b = np.tile(np.arange(nb), na) + na
    layer = tiers(sources)
    same = np.array([layer[0][i] == layer[1][j - na] for i, j in zip(a, b)], dtype=bool)
    a, b = a[same], b[same]
    x = index.feature_matrix(index.pair_stats(a, b), all_features=True)
    para = [[ns._paragraph(spans[s], q.start) for q in sources[s].sentences] for s in (0, 1)]
    y = np.array([(para[0][i], para[1][j - na]) in pair.gold for i, j in zip(a, b)], dtype=float)
    keep = x[:, COS] >= 0.03
    return x[keep], y[keep]


def params_of(coef: np.ndarray, bias: float, base: AlignParams = DEFAULT_PARAMS) -> AlignParams:
    return replace(base, coef=tuple(round(float(c), 3) for c in coef), bias=round(float(bias), 3))


def news_rows(pairs: list[ns.Pair], params: AlignParams, threshold: float) -> ns.Tally:
    tally = ns.Tally()
    for p in pairs:
        tally.add(p, ns.predict_with(p, lambda s: align(s, AlignSettings(threshold=threshold), params)))
    return tally


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--news-weight", type=float, default=1.0, help="news rows kept per gold row (subsampled)")
    ap.add_argument("--msrp-weight", type=float, default=0.1)
    ap.add_argument("-t", "--threshold", type=float, default=0.35)
    ap.add_argument("--drop", default="", help="comma-separated features to leave out of the fit")
    args = ap.parse_args()

    stories = [GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
    gold = {p: story_pairs(p) for p in stories}
    tune = [p for p in ns.load_pairs() if not p.held]
    halves = [tune[0::2], tune[1::2]]
    news = [[news_xy(p) for p in h] for h in halves]
    xm, ym = msrp_xy() if MSRP.exists() else (np.zeros((0, len(similarity.FEATURE_NAMES))), np.zeros(0))
    drop = {similarity.FEATURE_NAMES.index(d) for d in args.drop.split(",") if d}

    def fit_on(gold_keys, news_parts):
        xs = [gold[k][2] for k in gold_keys]
        ys = [gold[k][3] for k in gold_keys]
        n_gold = sum(len(y) for y in ys)
        xn = np.vstack([x for part in news_parts for x, _ in part])
        yn = np.concatenate([y for part in news_parts for _, y in part])
        rng = np.random.default_rng(7)
        m = min(len(yn), int(args.news_weight * n_gold)) if args.news_weight > 0 else 0
        pick = rng.permutation(len(yn))[:m]
        mm = min(len(ym), int(args.msrp_weight * n_gold))
        x = np.vstack(xs + [xn[pick], xm[:mm]])
        y = np.concatenate(ys + [yn[pick], ym[:mm]])
        x = x.copy()
        x[:, sorted(drop)] = 0.0
        return fit_monotone(x, y)

    f1s = []
    for held in stories:
        coef, bias = fit_on([k for k in stories if k != held], news)
        g, sources = gold[held][0], gold[held][1]
        r = score(g, align(sources, AlignSettings(threshold=args.threshold), params_of(coef, bias)))
        f1s.append(r.f1)
        name = held.parent.name if held.name == "gold.json" else held.stem
        print(f"gold {name:<14} P={r.precision:.3f} R={r.recall:.3f} F1={r.f1:.3f}")
    print(f"gold leave-one-story-out mean F1 {np.mean(f1s):.3f}")
    total = ns.Tally()
    for k in (0, 1):
        coef, bias = fit_on(stories, [news[1 - k]])
        t = news_rows(halves[k], params_of(coef, bias), args.threshold)
        print(t.line(f"news h{k}"))
        for f in ("predicted", "correct", "gold", "reach", "pairs"):
            setattr(total, f, getattr(total, f) + getattr(t, f))
    print(total.line("news tune"))
    coef, bias = fit_on(stories, news)
    print("all-data coef =", "(" + ", ".join(f"{c:.2f}" for c in coef) + ")", f"bias = {bias:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
