"""Synthetic story corpora for benchmarks: many outlets retelling the same facts.

A story is a set of "facts", each a bag of words drawn from a made-up,
Zipf-distributed vocabulary plus a few topic words every fact shares. Each
outlet reports a random subset of the facts in its own order and its own
wording (words dropped, swapped for others, reordered), so the corpus has the
shape of real coverage -- shared facts, omissions, reordering, a common topic
vocabulary -- at any size, from a seeded RNG and no external text.
"""

from __future__ import annotations

import itertools
import random
from pathlib import Path

from tui.core.model import Sentence, Source

_SYLLABLES = ("ka", "lo", "mi", "ter", "an", "sol", "ve", "dur", "pin", "ros", "ta", "qu", "ex", "bor", "fen", "ul")


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < size:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            out.append(w)
    return out


def story(n_sources: int, n_sentences: int, seed: int = 7, coverage: float = 0.6) -> list[Source]:
    """``n_sources`` articles of ``n_sentences`` sentences each."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng, 6000)
    cum: list[float] = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(vocab))))
    topic = vocab[:6]
    n_facts = max(n_sentences, int(n_sentences / coverage))
    facts = [rng.choices(vocab, cum_weights=cum, k=rng.randint(8, 20)) for _ in range(n_facts)]
    sources = []
    for sid in range(n_sources):
        picked = rng.sample(range(n_facts), n_sentences)
        sentences = []
        text_parts: list[str] = []
        pos = 0
        for idx, f in enumerate(picked):
            words = [w for w in facts[f] if rng.random() > 0.25]
            words += rng.choices(vocab, cum_weights=cum, k=rng.randint(0, 4))
            words += rng.sample(topic, 2)
            rng.shuffle(words)
            sent = " ".join(words).capitalize() + "."
            sentences.append(Sentence(sid, idx, sent, pos, pos + len(sent)))
            text_parts.append(sent)
            pos += len(sent) + 1
        sources.append(Source(id=sid, name=f"{sid:03d}.txt", label=f"outlet {sid}",
                              text="\n".join(text_parts), sentences=tuple(sentences)))
    return sources


def write_story(folder: Path, n_sources: int, n_sentences: int, seed: int = 7) -> Path:
    """The same corpus as files, one article per file, for whole-process runs of the CLI."""
    folder.mkdir(parents=True, exist_ok=True)
    for src in story(n_sources, n_sentences, seed=seed):
        (folder / src.name).write_text(src.text + "\n", encoding="utf-8")
    return folder
