"""How well ``parallax omissions`` finds what each outlet really leaves out, per gold story.

Run from the repository root::

    .venv/bin/python tests/bench/omissions_gold.py              # tests/gold/* and tests/gold/heldout/*
    .venv/bin/python tests/bench/omissions_gold.py -v           # plus every wrong and missed omission
    .venv/bin/python tests/bench/omissions_gold.py --min-share 0.6
    .venv/bin/python tests/bench/omissions_gold.py --oracle     # the model on the gold's own rows
    .venv/bin/python tests/bench/omissions_gold.py tests/gold/harbour-fire/gold.json
    .venv/bin/python tests/bench/omissions_gold.py --fit        # the sweep the model's 0.74 came from
    .venv/bin/python tests/bench/omissions_gold.py --elsewhere-at 1.01 --summary-counts   # the model before them
    .venv/bin/python tests/bench/omissions_gold.py --twin-at 1.01   # without the twin rows (one fact, two rows)
    .venv/bin/python tests/bench/omissions_gold.py --why        # how strong the links behind the errors were

``--fit`` sweeps the "probably reports it elsewhere" probability on the
tuning stories only (tests/gold/*, never heldout/), on the aligner's rows and
on the gold's own: each story's P/R and the worst of them. The product's
value is the one with the best worst case, ties broken by the mean. A second
table sweeps the twin rows' link (``--twin-at``) the same way: it changes no
tuning story anywhere from 0.3 up, so its 0.5 is not fitted (it is even odds).

The truth comes from the gold groups (``docs/gold-format.md``), not from the
aligner. A source *reports* a group when it has a **sure** member in it. A
group is widely reported when at least ``min_share`` of the sources, and two,
report it; a source that has no member in it at all then **truly leaves it
out**. Possible members are the gold's "partly": a source whose only members
are possible neither reports the group nor truly leaves it out, and a group
that is widely reported only once possible members count is neither true nor
false. So, as for links (precision against sure ∪ possible, recall against
sure):

* an omission is *acceptable* when the group is widely reported counting
  sure and possible members, and the source has no sure member in it;
* precision = predicted omissions that are acceptable / predicted;
* recall = true omissions predicted / true omissions.

A predicted omission is (source, row): a widely reported row of the real
alignment that the source lacks, as :func:`tui.core.omissions.omissions`
says (the function the command prints). Its row stands for the gold groups
that share the most member sentences with it (ties: all of them); a row
sharing no sentence with any group stands for nothing, so its omissions are
wrong. A true omission (source, group) is found when some predicted
omission of that source stands for that group.

Each miss is put down to what caused it, so the figures say whether to work
on the aligner or on the model:

* ``split``: the group's sentences are spread over rows none of which is
  widely reported (the aligner did not join them);
* ``absorbed``: the source does have a sentence in the group's row, one the
  gold does not put in the group (the aligner put it there wrongly);
* and for wrong omissions, ``elsewhere`` (the source reports the group, but
  in another row: an alignment miss), ``no group`` (the row joins sentences
  the gold never groups) and ``narrow`` (the gold group is not widely
  reported: the row is wider than the group, or the model's share is).

Never run this on ``tests/gold/blind/``: those stories are scored once, by
the lead, at the end.
"""

from __future__ import annotations

import argparse
import bisect
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tui.core.align import align  # noqa: E402
from tui.core.evaluate import SURE, Gold, load_gold, locate_snippet  # noqa: E402
from tui.core.ingest import load_sources  # noqa: E402
from tui.core.model import AlignSettings, Alignment, Row, Source  # noqa: E402
from tui.core.omissions import DEFAULT_OMISSION_PARAMS, OmissionParams, needed_sources, omissions  # noqa: E402

GOLD_DIR = ROOT / "tests" / "gold"

Cell = tuple[int, int]


def gold_files() -> list[Path]:
    """Every story's gold and every held-out story's gold; never the blind ones."""
    files = [GOLD_DIR / "seeds.json"] if (GOLD_DIR / "seeds.json").is_file() else []
    files += sorted(GOLD_DIR.glob("*/gold.json"))
    files += sorted(GOLD_DIR.glob("heldout/*/gold.json"))
    return [f for f in files if not _is_blind(f)]


def _is_blind(path: Path) -> bool:
    """Whether ``path`` lies in tests/gold/blind/ (judged below the gold folder, so a checkout
    that itself sits in a folder named "blind" is not taken for one)."""
    try:
        return "blind" in path.resolve().relative_to(GOLD_DIR.resolve()).parts
    except ValueError:
        return False


def _sentence_at(source: Source, offset: int) -> int | None:
    starts = [s.start for s in source.sentences]
    i = bisect.bisect_right(starts, offset) - 1
    if i >= 0 and source.sentences[i].start <= offset < source.sentences[i].end:
        return source.sentences[i].index
    return None


@dataclass
class GroupCells:
    """A gold group resolved against the loaded sentences."""

    id: str
    #: (source, sentence) -> "sure" or "possible" (sure wins when a sentence is named twice)
    cells: dict[Cell, str] = field(default_factory=dict)
    #: sources with a sure member, and with only possible members (possible members in furniture count here)
    sure: set[int] = field(default_factory=set)
    possible: set[int] = field(default_factory=set)


def resolve_groups(gold: Gold, sources: list[Source]) -> list[GroupCells]:
    by_name = {s.name: i for i, s in enumerate(sources)}
    out = []
    for group in gold.groups:
        g = GroupCells(group.id)
        for m in group.members:
            s = by_name[m.source]
            spans = locate_snippet(sources[s].text, m.text)
            sentence = _sentence_at(sources[s], spans[0][0]) if spans else None
            if m.link == SURE and sentence is not None:
                g.sure.add(s)
            else:
                g.possible.add(s)
            if sentence is not None and g.cells.get((s, sentence)) != SURE:
                g.cells[(s, sentence)] = m.link
        g.possible -= g.sure
        out.append(g)
    return out


def row_cells(alignment: Alignment, row: int) -> set[Cell]:
    r = alignment.rows[row]
    cells: set[Cell] = set()
    for s in r.coverage:
        cell = r.cells[s]
        for i in (cell,) if isinstance(cell, int) else tuple(cell):
            cells.add((s, i))
    return cells


@dataclass
class StoryReport:
    story: str
    sources: int
    needed: int
    predicted: int
    correct: int
    true: int
    found: int
    wrong: list[str]
    missed: list[str]
    causes: Counter
    #: per wrong "elsewhere" omission: the best pair probability from the source's own sentences
    #: of the group to the row's sentences (what the model's elsewhere rule weighs; 0: no candidate)
    elsewhere_links: list[float] = field(default_factory=list)
    #: per "split" miss: the best pair probability between the group's sentences in different rows
    split_links: list[float] = field(default_factory=list)
    #: per "absorbed" miss: the best pair probability from the source's sentence in the group's widely
    #: reported row (not one of the group's) to the group's members there: high when the gold splits
    #: what one sentence tells into two facts, low when the aligner put an unrelated sentence there
    absorbed_links: list[float] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.true if self.true else 1.0


def oracle_alignment(sources: list[Source], groups: list[GroupCells], settings: AlignSettings) -> Alignment:
    """The gold's own rows: one per group (sure and possible members), every other sentence alone.

    What the omission model makes of a perfect alignment: its figures on
    this are the model's own limit, whatever the aligner does.
    """
    rows: list[Row] = []
    grouped: set[Cell] = set()
    for g in groups:
        cells: list[tuple[int, ...] | None] = [None] * len(sources)
        for s in range(len(sources)):
            mine = tuple(sorted(i for (t, i) in g.cells if t == s))
            cells[s] = mine or None
        rows.append(Row(tuple(cells), score=1.0))
        grouped.update(g.cells)
    for s, src in enumerate(sources):
        for sent in src.sentences:
            if (s, sent.index) not in grouped:
                rows.append(Row(tuple(None if t != s else sent.index for t in range(len(sources))), score=1.0))
    return Alignment(tuple(sources), tuple(rows), settings)


_ALIGNED: dict[tuple[Path, AlignSettings, bool], tuple[Gold, list[Source], list[GroupCells], Alignment]] = {}


def _story(path: Path, settings: AlignSettings, oracle: bool) -> tuple[Gold, list[Source], list[GroupCells], Alignment]:
    """A gold story loaded and aligned, once per run (a sweep scores it many times)."""
    key = (path.resolve(), settings, oracle)
    if key not in _ALIGNED:
        gold = load_gold(path)
        sources = load_sources([gold.corpus / n for n in gold.sources])
        groups = resolve_groups(gold, sources)
        alignment = oracle_alignment(sources, groups, settings) if oracle else align(sources, settings)
        _ALIGNED[key] = (gold, sources, groups, alignment)
    return _ALIGNED[key]


def score_story(path: Path, settings: AlignSettings, oracle: bool = False,
                params: OmissionParams = DEFAULT_OMISSION_PARAMS) -> StoryReport:
    gold, sources, groups, alignment = _story(path, settings, oracle)
    n = len(sources)
    need = needed_sources(n, settings.min_share)
    model = omissions(alignment, params=params)

    true = {(s, gi) for gi, g in enumerate(groups) if len(g.sure) >= need
            for s in range(n) if s not in g.sure and s not in g.possible}
    acceptable = {(s, gi) for gi, g in enumerate(groups) if len(g.sure | g.possible) >= need
                  for s in range(n) if s not in g.sure}

    def stands_for(row: int) -> list[int]:
        cells = row_cells(alignment, row)
        overlap = [len(cells & g.cells.keys()) for g in groups]
        best = max(overlap, default=0)
        return [gi for gi, o in enumerate(overlap) if o == best] if best else []

    from tui.core.omissions_evidence import evidence_for

    ev = evidence_for(sources)

    def best_link(these: set[Cell], those: set[Cell]) -> float:
        return max((p for c in these for other, p in ev.partners(*c) if other in those and other[0] != c[0]),
                   default=0.0)

    label = [Path(s.name).stem for s in sources]
    where: dict[Cell, int] = {}
    for r in range(len(alignment.rows)):
        for c in row_cells(alignment, r):
            where[c] = r

    def text(row: int) -> str:
        r = alignment.rows[row]
        s = r.coverage[0]
        t = " ".join((alignment.cell_text(row, s) or "").split())
        return t if len(t) <= 70 else t[:69] + "…"

    predicted = [(s, r.row) for r in model.rows for s in r.left_out_by]
    found: set[tuple[int, int]] = set()
    correct = 0
    wrong: list[str] = []
    causes: Counter = Counter()
    elsewhere_links: list[float] = []
    split_links: list[float] = []
    absorbed_links: list[float] = []
    for s, row in predicted:
        meant = stands_for(row)
        hits = [gi for gi in meant if (s, gi) in acceptable]
        found.update((s, gi) for gi in meant if (s, gi) in true)
        if hits:
            correct += 1
            continue
        if not meant:
            cause = "no group"
        elif any(s in groups[gi].sure for gi in meant):
            cause = "elsewhere"
        else:
            cause = "narrow"
        causes[f"wrong: {cause}"] += 1
        ids = ",".join(groups[gi].id for gi in meant) or "-"
        note = ""
        if cause == "elsewhere":
            mine = {c for gi in meant for c, link in groups[gi].cells.items() if c[0] == s and link == SURE}
            elsewhere_links.append(best_link(mine, row_cells(alignment, row)))
            note = f" best link {elsewhere_links[-1]:.2f}"
        wrong.append(f"{label[s]} leaves out row #{row} [{ids}] ({cause}{note}): {text(row)}")
    missed: list[str] = []
    for s, gi in sorted(true - found):
        g = groups[gi]
        rows = {where[c] for c in g.cells if c in where}
        s_rows = [r for r in rows if s in alignment.rows[r].coverage]
        if any(model.rows[r].widely_reported for r in rows) and s_rows:
            cause = "absorbed"
        elif not any(model.rows[r].widely_reported for r in rows):
            cause = "split"
        else:
            cause = "other"
        causes[f"missed: {cause}"] += 1
        note = ""
        if cause == "split":
            links = [best_link({c for c in g.cells if where.get(c) == r}, {c for c in g.cells if where.get(c) != r})
                     for r in rows]
            split_links.append(max(links, default=0.0))
            note = f" best link across them {split_links[-1]:.2f}"
        elif cause == "absorbed":
            links = [best_link({c for c in row_cells(alignment, r) if c[0] == s},
                               {c for c in row_cells(alignment, r) if c in g.cells})
                     for r in s_rows if model.rows[r].widely_reported]
            absorbed_links.append(max(links, default=0.0))
            note = f" its sentence there links to the group at {absorbed_links[-1]:.2f}"
        missed.append(f"{label[s]} leaves out [{g.id}] ({cause}{note}), rows {sorted(rows)}")
    return StoryReport(gold.story, n, need, len(predicted), correct, len(true), len(true & found),
                       wrong, missed, causes, elsewhere_links, split_links, absorbed_links)


def fit(files: list[Path], settings: AlignSettings, params: OmissionParams) -> int:
    """The tuning tables of ``elsewhere_at`` and ``twin_at``: every story's worst of P and R, aligned and on the gold rows.

    Only the tuning stories: a held-out story given on the command line is
    refused here, so that a sweep can never see one.
    """
    if any("heldout" in f.resolve().parts for f in files):
        print("--fit sweeps the tuning stories only; leave tests/gold/heldout/ out", file=sys.stderr)
        return 2
    names = [f.stem if f.name != "gold.json" else f.parent.name for f in files]
    print("elsewhere_at  " + "  ".join(f"{n[:13]:>13}" for n in names) + "  worst  (P/R aligned; oracle P/R)")
    for at in (0.5, 0.6, 0.65, 0.7, 0.72, 0.73, 0.74, 0.75, 0.76, 0.8, 0.9, 1.01):
        p = OmissionParams(elsewhere_at=at, elsewhere_counts=params.elsewhere_counts,
                           summary_counts=params.summary_counts, twin_at=params.twin_at)
        reps = [score_story(f, settings, params=p) for f in files]
        oracle = [score_story(f, settings, oracle=True, params=p) for f in files]
        worst = min(min(r.precision, r.recall) for r in reps)
        cells = "  ".join(f"{r.precision:.2f}/{r.recall:.2f}" + " " * 4 for r in reps)
        print(f"{at:>12.2f}  {cells} {worst:.3f}  oracle " + " ".join(f"{o.precision:.2f}/{o.recall:.2f}" for o in oracle))
    print()
    print("     twin_at  " + "  ".join(f"{n[:13]:>13}" for n in names) + "  worst  (P/R aligned; oracle P/R)")
    for at in (0.3, 0.4, 0.5, 0.55, 0.6, 0.7, 1.01):
        p = OmissionParams(elsewhere_at=params.elsewhere_at, elsewhere_counts=params.elsewhere_counts,
                           summary_counts=params.summary_counts, twin_at=at)
        reps = [score_story(f, settings, params=p) for f in files]
        oracle = [score_story(f, settings, oracle=True, params=p) for f in files]
        worst = min(min(r.precision, r.recall) for r in reps)
        cells = "  ".join(f"{r.precision:.2f}/{r.recall:.2f}" + " " * 4 for r in reps)
        print(f"{at:>12.2f}  {cells} {worst:.3f}  oracle " + " ".join(f"{o.precision:.2f}/{o.recall:.2f}" for o in oracle))
    return 0


#: the bands --why counts links in: under the aligner's threshold, to even odds, to the elsewhere rule, above it
_BANDS = (0.35, 0.5)


def _why(reports: list[StoryReport], params: OmissionParams) -> str:
    """How strong the links behind each wrong "elsewhere" omission and each "split" and "absorbed" miss were.

    A wrong "elsewhere" omission is one the elsewhere rule would excuse if the
    source's own sentence of the fact linked to the row at ``elsewhere_at``;
    a split miss is one the twin rule (or the aligner) would join if the
    fact's two rows linked well. Counting the best such links in bands says
    whether a lower bar could fix them (links just under it) or only a better
    pair scorer could (links under the aligner's threshold, or no candidate).
    An absorbed miss with a strong link is a sentence that tells the group's
    fact with another, which a row of one sentence per source cannot split.
    """
    edges = (*_BANDS, params.elsewhere_at)
    names = [f"<{edges[0]:.2f}", *(f"{lo:.2f}-{hi:.2f}" for lo, hi in zip(edges, edges[1:])), f">={edges[-1]:.2f}"]

    def bands(values: list[float]) -> str:
        counts = [0] * (len(edges) + 1)
        for v in values:
            counts[sum(v >= e for e in edges)] += 1
        return "  ".join(f"{name} {c}" for name, c in zip(names, counts))

    lines = ["best pair probability behind each error (0: no candidate pair)"]
    for label, pick in (("wrong 'elsewhere'", lambda r: r.elsewhere_links), ("missed 'split'", lambda r: r.split_links),
                        ("missed 'absorbed'", lambda r: r.absorbed_links)):
        for rep in reports:
            values = pick(rep)
            if values:
                lines.append(f"  {label:<18} {rep.story[:28]:<28} {len(values):>3}: {bands(values)}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong and missed omission")
    parser.add_argument("--min-share", type=float, default=AlignSettings().min_share)
    parser.add_argument("--threshold", type=float, default=AlignSettings().threshold)
    parser.add_argument("--oracle", action="store_true",
                        help="score the model on the gold's own rows instead of the aligner's (the model's own limit)")
    parser.add_argument("--elsewhere-at", type=float, default=DEFAULT_OMISSION_PARAMS.elsewhere_at,
                        help="the model's 'probably reports it elsewhere' probability (above 1: the rule off)")
    parser.add_argument("--split", action=argparse.BooleanOptionalAction,
                        default=DEFAULT_OMISSION_PARAMS.elsewhere_counts,
                        help="whether a source that reports a row elsewhere counts towards its share")
    parser.add_argument("--summary-counts", action=argparse.BooleanOptionalAction,
                        default=DEFAULT_OMISSION_PARAMS.summary_counts,
                        help="whether a source there only by a headline or key-point line counts towards the share")
    parser.add_argument("--twin-at", type=float, default=DEFAULT_OMISSION_PARAMS.twin_at,
                        help="the model's 'one fact told in two rows' link probability (above 1: the rule off)")
    parser.add_argument("--why", action="store_true",
                        help="count the errors by how strong the link was that would have prevented them")
    parser.add_argument("--fit", action="store_true",
                        help="sweep --elsewhere-at on the tuning stories only (never the held-out ones) and stop")
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: tests/gold and tests/gold/heldout)")
    args = parser.parse_args(argv)
    files = args.gold or gold_files()
    if any(_is_blind(f) for f in files):
        print("refusing tests/gold/blind/: those stories are scored once, at the end", file=sys.stderr)
        return 2
    settings = AlignSettings(threshold=args.threshold, min_share=args.min_share)
    params = OmissionParams(elsewhere_at=args.elsewhere_at, elsewhere_counts=args.split,
                            summary_counts=args.summary_counts, twin_at=args.twin_at)
    if args.fit:
        tuning = [f for f in gold_files() if "heldout" not in f.relative_to(GOLD_DIR).parts]
        return fit(args.gold or tuning, settings, params)
    header = f"{'story':<28} {'src':>3} {'need':>4} {'pred':>5} {'true':>5} {'prec':>6} {'rec':>6}  causes"
    print(header)
    print("-" * len(header))
    reports = []
    for path in files:
        name = path.stem if path.name != "gold.json" else path.parent.name
        if path.parent.parent.name == "heldout":
            name += " (held out)"
        rep = score_story(path, settings, oracle=args.oracle, params=params)
        reports.append(rep)
        causes = ", ".join(f"{k} {v}" for k, v in sorted(rep.causes.items()))
        print(f"{name:<28} {rep.sources:>3} {rep.needed:>4} {rep.predicted:>5} {rep.true:>5} "
              f"{rep.precision:>6.3f} {rep.recall:>6.3f}  {causes}")
        if args.verbose:
            for line in rep.wrong:
                print(f"    wrong: {line}")
            for line in rep.missed:
                print(f"    missed: {line}")
    if len(reports) > 1:
        print("-" * len(header))
        k = len(reports)
        print(f"{'mean':<28} {'':>3} {'':>4} {sum(r.predicted for r in reports):>5} "
              f"{sum(r.true for r in reports):>5} {sum(r.precision for r in reports) / k:>6.3f} "
              f"{sum(r.recall for r in reports) / k:>6.3f}")
        bar = all(r.precision >= 0.8 and r.recall >= 0.8 for r in reports)
        print(f"every story >= 0.80 precision and recall: {'yes' if bar else 'no'}")
    if args.why:
        print()
        print(_why(reports, params))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
