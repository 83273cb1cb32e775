"""Fit and check the pair scorer's logistic coefficients on the MSR paraphrase corpus.

The corpus is for measurement only: it is read at run time from
``../shared/eval/msrp-train`` (relative to the repo) and nothing of it is
copied into the project; only the fitted coefficients are pasted into
``tui/core/params.py`` by hand.

MSRP pairs are all lexically close, while the aligner must also reject
unrelated sentences; so the fit adds "easy" negatives (sentences of two
different MSRP pairs), but accuracy and F1 are reported on held-back
*labelled* pairs only, comparable with published figures.

    .venv/bin/python tests/bench/msrp_calibrate.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

from tui.core.params import DEFAULT_PARAMS
from tui.core.similarity import FEATURE_NAMES, Index, logistic
from tui.core.text import features

REPO = Path(__file__).resolve().parents[2]
#: ``shared/eval`` beside the checkout, or beside the folder of a worktree
EVAL = next((up / "shared" / "eval" for up in REPO.parents if (up / "shared" / "eval").is_dir()),
            REPO.parent / "shared" / "eval")
MSRP = EVAL / "msrp-train" / "msr_paraphrase_train.txt"


def load() -> list[tuple[int, str, str]]:
    with MSRP.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        return [(int(r[0]), r[3], r[4]) for r in reader if len(r) >= 5]


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iters: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (bias unpenalised)."""
    xb = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[-1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(xb @ w)))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w[:-1], float(w[-1])


def report(name: str, p: np.ndarray, y: np.ndarray) -> None:
    pred = p >= 0.5
    tp = float((pred & (y == 1)).sum())
    prec = tp / max(pred.sum(), 1)
    rec = tp / max((y == 1).sum(), 1)
    f1 = 2 * prec * rec / max(prec + rec, 1e-9)
    acc = float((pred == (y == 1)).mean())
    print(f"{name:<28} n={len(y):5d}  accuracy={acc:.3f}  precision={prec:.3f}  recall={rec:.3f}  F1={f1:.3f}")


def main() -> int:
    if not MSRP.exists():
        print(f"skipped: {MSRP} not found")
        return 0
    rows = load()
    texts: list[str] = []
    pos: dict[str, int] = {}
    for _, s1, s2 in rows:
        for s in (s1, s2):
            if s not in pos:
                pos[s] = len(texts)
                texts.append(s)
    index = Index([features(t) for t in texts])
    a = np.array([pos[r[1]] for r in rows])
    b = np.array([pos[r[2]] for r in rows])
    y = np.array([r[0] for r in rows], dtype=np.float64)
    x = index.feature_matrix(index.pair_stats(a, b), all_features=True)

    rng = np.random.default_rng(20240607)
    order = rng.permutation(len(rows))
    cut = int(0.75 * len(rows))
    train, test = order[:cut], order[cut:]

    # Easy negatives: first sentence of one pair against the second of another.
    n_easy = len(train) // 2
    ea = a[rng.choice(train, n_easy)]
    eb = b[rng.choice(train, n_easy)]
    xe = index.feature_matrix(index.pair_stats(ea, eb), all_features=True)

    xtr = np.vstack([x[train], xe])
    ytr = np.concatenate([y[train], np.zeros(n_easy)])
    coef, bias = fit(xtr, ytr)

    print("features:", ", ".join(FEATURE_NAMES))
    print("fitted COEF =", np.array2string(coef, precision=2, separator=", "), f" BIAS = {bias:.2f}")
    print("in code COEF =", np.array2string(np.asarray(DEFAULT_PARAMS.coef), precision=2, separator=", "),
          f" BIAS = {DEFAULT_PARAMS.bias:.2f}")
    report("held-back, fitted", logistic(x[test], coef, bias), y[test])
    report("held-back, coefficients in code", logistic(x[test]), y[test])
    report("majority baseline", np.ones(len(test)), y[test])
    easy_test = logistic(index.feature_matrix(index.pair_stats(a[rng.choice(test, 1000)],
                                                                b[rng.choice(test, 1000)]), all_features=True))
    print(f"unrelated pairs scored >= 0.5 (coefficients in code): {(easy_test >= 0.5).mean():.3%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
