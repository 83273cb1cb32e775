"""Fixed corpora and helpers for the app's pilot, snapshot and benchmark runs.

The reader is tested on hand-built alignments with hand-built diffs, not on
the real aligner and comparer: those are still being tuned, and a pilot or
snapshot test should fail because the *view* changed, not because a row of
the seeds moved. The real pipeline gets its own end-to-end check.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace

from tui.core.model import AlignSettings, Alignment, Row, Sentence, Source


def make_source(sid: int, label: str, sentences: Sequence[str], title: str | None = None) -> Source:
    """A Source whose text is its sentences joined by spaces, offsets exact."""
    parts: list[Sentence] = []
    pos = 0
    chunks = []
    for i, text in enumerate(sentences):
        parts.append(Sentence(sid, i, text, pos, pos + len(text)))
        chunks.append(text)
        pos += len(text) + 1
    return Source(sid, f"{label.lower()}.txt", label, " ".join(chunks), tuple(parts), title=title)


# Each row: one entry per source, the sentence or None where it is left out.
STORY_ROWS: list[tuple[str | None, ...]] = [
    (
        "Officials said 23 soldiers were killed in the border clashes on Sunday.",
        "Afghan officials claimed that 58 soldiers died in the clashes.",
        "At least 23 soldiers were killed, the army said.",
        "The army put the toll at 23 soldiers killed in the fighting along the border.",
    ),
    (
        "Talks in Istanbul lasted four days without an agreement.",
        "The Istanbul talks ran for three days and ended without a deal.",
        None,
        "After four days of talks in Istanbul, no agreement was reached.",
    ),
    (None, None, "Traders at the Chaman crossing said hundreds of trucks were stranded.", None),
    (
        "The ceasefire agreed in Doha appears to be holding.",
        "A ceasefire brokered in Doha is still holding, officials said.",
        "The Doha ceasefire has largely held since it was signed.",
        "The truce reached in Doha appears to be holding for now.",
    ),
    (
        "The defence minister warned of a bitter response to any new attack.",
        None,
        "The minister promised a response that would be bitter.",
        "Any attack would get a bitter response, the minister warned.",
    ),
    ("Kabul has not commented on the minister's remarks.", None, None, None),
    (None, "Refugee families waited in long lines at the border.", None, "Families of refugees lined up at the crossing."),
    (
        "Both countries closed their main border crossings.",
        "The two neighbours shut all major crossings.",
        "All major crossings between the countries are closed.",
        "Main border crossings remain shut on both sides.",
    ),
    (None, None, None, "Analysts expect the talks to resume after the winter."),
    (
        "The militant group has grown bolder since 2021, according to analysts who follow the region closely.",
        "Analysts say the group has become more aggressive since the Taliban returned to power in Kabul in 2021.",
        None,
        None,
    ),
    ("Pakistan accuses Kabul of sheltering militants.", "Islamabad says Kabul shelters militants.", "Kabul denies sheltering militants.", "Kabul rejects the accusation of sheltering militants."),
    (None, "A spokesman declined to comment further.", None, None),
]
LABELS = ("Wire", "Daily", "Herald", "Gazette")


@dataclass
class FixedFlag:
    kind: str
    message: str
    spans: tuple[tuple[int, int, int, str], ...]


@dataclass
class FixedDiff:
    unique: dict[int, tuple[tuple[int, int], ...]]
    flags: tuple[FixedFlag, ...] = field(default_factory=tuple)


def story() -> tuple[list[Source], Alignment]:
    """A four-outlet story with every kind of row: shared, partial, unique."""
    n = len(LABELS)
    per_source: list[list[str]] = [[] for _ in range(n)]
    cells_per_row: list[tuple[int | None, ...]] = []
    for row in STORY_ROWS:
        cells: list[int | None] = []
        for s, text in enumerate(row):
            if text is None:
                cells.append(None)
            else:
                cells.append(len(per_source[s]))
                per_source[s].append(text)
        cells_per_row.append(tuple(cells))
    sources = [make_source(s, LABELS[s], per_source[s]) for s in range(n)]
    rows = tuple(Row(c, 1.0 if sum(x is not None for x in c) == 1 else 0.8) for c in cells_per_row)
    return sources, Alignment(tuple(sources), rows, AlignSettings())


#: The story again, with cells of several sentences: a tuple is one source's
#: sentences in that row; a sentence starting with "# " is a headline.
SPLIT_ROWS: list[tuple[str | tuple[str, ...] | None, ...]] = [
    (("# Pakistan warns Kabul after 23 soldiers die", STORY_ROWS[0][0]), *STORY_ROWS[0][1:]),
    *STORY_ROWS[1:4],
    ((STORY_ROWS[4][0], "He said the answer would come at a time of Pakistan's choosing."), *STORY_ROWS[4][1:]),
    *STORY_ROWS[5:9],
    (STORY_ROWS[9][0], ("Analysts say the group has become more aggressive.",
                        "They date the change to the Taliban's return to power in Kabul in 2021."), None, None),
    *STORY_ROWS[10:],
]


def split_story() -> tuple[list[Source], Alignment]:
    """The four-outlet story with a headline beside its lede and two split statements."""
    from tui.core.model import KIND_BODY, KIND_HEADLINE

    n = len(LABELS)
    per_source: list[list[str]] = [[] for _ in range(n)]
    rows: list[Row] = []
    for row in SPLIT_ROWS:
        cells: list[tuple[int, ...]] = []
        for s, entry in enumerate(row):
            texts = () if entry is None else (entry,) if isinstance(entry, str) else entry
            cells.append(tuple(range(len(per_source[s]), len(per_source[s]) + len(texts))))
            per_source[s].extend(texts)
        rows.append(Row(tuple(cells), 1.0 if sum(map(len, cells)) == 1 else 0.8))
    sources = []
    for s in range(n):
        plain = make_source(s, LABELS[s], [t.removeprefix("# ") for t in per_source[s]])
        kinds = [KIND_HEADLINE if t.startswith("# ") else KIND_BODY for t in per_source[s]]
        sources.append(replace(plain, sentences=tuple(replace(x, kind=k) for x, k in zip(plain.sentences, kinds))))
    return sources, Alignment(tuple(sources), tuple(rows), AlignSettings())


def split_story_app(**kwargs):
    """The reader on :func:`split_story`, with the fixed diff."""
    from tui.app.app import ParallaxApp

    sources, alignment = split_story()
    return ParallaxApp(sources, aligner=pivot_aligner(alignment), differ=word_diff, **kwargs)


def word_diff(alignment: Alignment, row: int) -> FixedDiff:
    """A simple, predictable stand-in for the comparer: words no other member has."""
    import re

    texts = {s: alignment.cell_text(row, s) for s in alignment.rows[row].coverage}
    words = {s: {m.group().lower() for m in re.finditer(r"\w+", t)} for s, t in texts.items() if t}
    unique: dict[int, tuple[tuple[int, int], ...]] = {}
    for s, text in texts.items():
        others = set().union(*(w for o, w in words.items() if o != s)) if len(words) > 1 else set()
        if not others:
            continue
        unique[s] = tuple((m.start(), m.end()) for m in re.finditer(r"\w+", text) if m.group().lower() not in others)
    flags: tuple[FixedFlag, ...] = ()
    numbers = {s: [(m.start(), m.end(), m.group()) for m in re.finditer(r"\d+", t)] for s, t in texts.items()}
    values = {v for spans in numbers.values() for _, _, v in spans}
    if len(values) > 1:
        spans = tuple((s, a, b, v) for s, found in numbers.items() for a, b, v in found)
        flags = (FixedFlag("number", "sources disagree: " + " vs ".join(sorted(values)), spans),)
    return FixedDiff(unique, flags)


def pivot_aligner(base: Alignment) -> Callable[[Sequence[Source], AlignSettings], Alignment]:
    """An aligner that only reorders ``base``'s rows by the pivot's sentence order.

    Rows the pivot lacks stay right after the row they followed, which is
    what the real aligner promises too.
    """

    def aligner(sources: Sequence[Source], settings: AlignSettings) -> Alignment:
        keys: list[float] = []
        last = -1.0
        for row in base.rows:
            cell = row.cells[settings.pivot]
            last = float(cell[0]) if cell else last + 0.001
            keys.append(last)
        order = sorted(range(len(base.rows)), key=lambda i: (keys[i], i))
        return Alignment(tuple(sources), tuple(base.rows[i] for i in order), settings)

    return aligner


def story_app(**kwargs):
    """The reader on the fixed story, with the fixed diff."""
    from tui.app.app import ParallaxApp

    sources, alignment = story()
    return ParallaxApp(sources, aligner=pivot_aligner(alignment), differ=word_diff, **kwargs)


def synthetic(n_sources: int, n_sentences: int, seed: int = 7) -> tuple[list[Source], Alignment]:
    """A big random corpus: ``n_sources`` outlets of ``n_sentences`` each, rows of mixed coverage."""
    rng = random.Random(seed)
    vocab = (
        "army talks border ceasefire minister soldiers killed trucks refugees Kabul Islamabad Doha "
        "agreement attack response crossing militants officials spokesman analysts families winter "
        "statement warning strikes territory government delegation negotiations casualties"
    ).split()
    per_source: list[list[str]] = [[] for _ in range(n_sources)]
    rows: list[tuple[int | None, ...]] = []
    while min(len(p) for p in per_source) < n_sentences:
        k = rng.choice([1, 1, 2, 3, n_sources // 2, n_sources, n_sources])
        members = set(rng.sample(range(n_sources), max(1, min(k, n_sources))))
        members = {s for s in members if len(per_source[s]) < n_sentences} or {
            min(range(n_sources), key=lambda s: len(per_source[s]))
        }
        cells: list[int | None] = []
        for s in range(n_sources):
            if s in members:
                words = [rng.choice(vocab) for _ in range(rng.randint(8, 30))]
                words.insert(rng.randrange(len(words)), str(rng.randint(2, 90)))
                cells.append(len(per_source[s]))
                per_source[s].append(" ".join(words).capitalize() + ".")
            else:
                cells.append(None)
        rows.append(tuple(cells))
    sources = [make_source(s, f"Outlet {s + 1:02d}", per_source[s]) for s in range(n_sources)]
    return sources, Alignment(tuple(sources), tuple(Row(c, 0.7) for c in rows), AlignSettings())


async def loaded(app, pilot) -> None:
    """Wait until the alignment worker has delivered and the view has laid out."""
    for _ in range(400):
        reader = app.screen_stack[0]
        if getattr(reader, "alignment", None) is not None or getattr(reader, "status", "") == "could not align":
            break
        await pilot.pause(0.01)
    await pilot.pause()


def run(app, body: Callable[..., Awaitable[None]], size: tuple[int, int] = (120, 40)) -> None:
    """Run ``body(app, pilot)`` inside ``app.run_test`` once the alignment is in."""

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await loaded(app, pilot)
            await body(app, pilot)

    asyncio.run(main())


__all__ = [
    "LABELS",
    "STORY_ROWS",
    "loaded",
    "make_source",
    "pivot_aligner",
    "run",
    "split_story",
    "split_story_app",
    "story",
    "story_app",
    "synthetic",
    "word_diff",
]


def notes(app) -> list[str]:
    """The messages of every notification the app has shown, oldest first."""
    return [n.message for n in app._notifications]
