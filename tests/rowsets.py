"""Random corpora and random *valid* row sets, for testing every consumer of the row model.

The aligner decides which rows it builds; the consumers (export, evaluation,
overrides, sessions, the reader) must work for any row set the model allows:
cells holding a run of consecutive body sentences, summary lines (headlines,
headings, leading bullets) beside body sentences, rows of one source only.
These helpers draw such row sets from a :class:`random.Random`, so they serve
plain seeded loops and Hypothesis (``st.randoms()``) alike.
"""

from __future__ import annotations

import random

from tui.core.model import (BODY, KIND_BODY, KIND_BULLET, KIND_HEADING, KIND_HEADLINE, Alignment,
                            AlignSettings, Row, Sentence, Source, sentence_layers)

#: Sentence openings, some of them ones a spreadsheet would run as a formula.
_OPENINGS = ("The", "Officials", "=SUM(A1)", "+44", "-", "@here", "Nobody", "Crews")


def make_source(sid: int, kinds: list[str], rng: random.Random | None = None) -> Source:
    """A source whose content sentences have ``kinds``, one line each, offsets exact."""
    rng = rng or random.Random(sid)
    texts = []
    for i, kind in enumerate(kinds):
        words = " ".join(rng.choice(["ferry", "sandbank", "inquiry", "212", "Tuesday", "crew", "tug"])
                         for _ in range(rng.randint(1, 9)))
        texts.append(f"{rng.choice(_OPENINGS)} {words} s{sid}n{i}" + ("" if kind != KIND_BODY else "."))
    sentences, pos = [], 0
    for i, (text, kind) in enumerate(zip(texts, kinds)):
        sentences.append(Sentence(sid, i, text, pos, pos + len(text), kind))
        pos += len(text) + 1
    return Source(id=sid, name=f"s{sid}.txt", label=f"Outlet {sid}", text="\n".join(texts),
                  sentences=tuple(sentences))


def random_sources(rng: random.Random, n_sources: int | None = None) -> list[Source]:
    """2-5 sources, some with a headline, a "Key points" block or a heading between paragraphs."""
    out = []
    for sid in range(n_sources or rng.randint(2, 5)):
        kinds: list[str] = []
        if rng.random() < 0.6:
            kinds.append(KIND_HEADLINE)
        if rng.random() < 0.3:
            kinds += [KIND_BULLET] * rng.randint(1, 2)
        for _ in range(rng.randint(0 if kinds else 1, 7)):
            kinds.append(KIND_HEADING if rng.random() < 0.1 else KIND_BODY)
        out.append(make_source(sid, kinds, rng))
    return out


def random_cells(rng: random.Random, source: Source, run: float = 0.4, attach: float = 0.5) -> list[tuple[int, ...]]:
    """Cut one source's sentences into valid cells.

    Body sentences are cut into runs of consecutive body sentences (a run goes
    on with probability ``run``); each summary line joins a random run with
    probability ``attach``, else it is a cell of its own.
    """
    layer = sentence_layers(source)
    runs: list[list[int]] = []
    for i, kind in enumerate(layer):
        if kind == BODY:
            if runs and rng.random() < run:  # the next body sentence continues the run
                runs[-1].append(i)
            else:
                runs.append([i])
    # a body run spans over summary lines between its sentences (a heading), not over body ones
    summaries = [i for i, kind in enumerate(layer) if kind != BODY]
    cells = [list(r) for r in runs]
    for i in summaries:
        if cells and rng.random() < attach:
            rng.choice(cells).append(i)
        else:
            cells.append([i])
    return [tuple(sorted(c)) for c in cells]


def random_rows(rng: random.Random, sources: list[Source], join: float = 0.6, **kw: float) -> tuple[Row, ...]:
    """A random valid row set over ``sources``: every sentence once, every cell valid."""
    n = len(sources)
    units = [(s, cell) for s, src in enumerate(sources) for cell in random_cells(rng, src, **kw)]
    rng.shuffle(units)
    rows: list[list[tuple[int, ...]]] = []
    for s, cell in units:
        options = [r for r in rows if not r[s]]
        if options and rng.random() < join:
            rng.choice(options)[s] = cell
        else:
            row: list[tuple[int, ...]] = [()] * n
            row[s] = cell
            rows.append(row)
    return tuple(Row(tuple(r), round(rng.random(), 3) if sum(map(len, r)) > 1 else 1.0) for r in rows)


def random_alignment(rng: random.Random, n_sources: int | None = None, **kw: float) -> Alignment:
    sources = random_sources(rng, n_sources)
    return Alignment(tuple(sources), random_rows(rng, sources, **kw),
                     AlignSettings(pivot=rng.randrange(len(sources))))
