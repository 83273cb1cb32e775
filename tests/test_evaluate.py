"""The evaluation harness: gold loading, link resolution and the score arithmetic.

Sources here are built by hand (text plus the sentences a splitter might have
cut) so the harness is tested on its own, independent of ingest and align.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui.core.errors import EvaluationError
from tui.core.evaluate import (
    Gold,
    gold_links,
    load_gold,
    locate_snippet,
    make_link,
    predicted_links,
    score,
)
from tui.core.model import Alignment, Row, Sentence, Source, Span, cell_problem, sentence_layers

ROOT = Path(__file__).resolve().parent.parent
SEEDS_GOLD = ROOT / "tests" / "gold" / "seeds.json"
#: Stories written blind for issues 10/11 (tests/gold/README.md): checked here
#: for shape only, never scored by the suite.
BLIND_GOLD = sorted((ROOT / "tests" / "gold").glob("blind/*/gold.json"))
ALL_GOLD = [SEEDS_GOLD, *sorted((ROOT / "tests" / "gold").glob("*/gold.json")),
            *sorted((ROOT / "tests" / "gold").glob("heldout/*/gold.json")), *BLIND_GOLD]

TEXTS = {
    "a.txt": "Talks in Istanbul failed on Tuesday. The minister warned Kabul. Trucks are stranded at Chaman.",
    "b.txt": "The Istanbul talks collapsed without a deal.\nAsif issued a warning to the Taliban.\nShare 11\n",
    "c.txt": "Negotiators left Istanbul with nothing. A warning came from the defence minister. Rain fell.",
}


def make_source(sid: int, name: str, text: str, pieces: list[str], furniture: list[str] = ()) -> Source:
    """A source whose content sentences are exactly ``pieces``, found in order in ``text``."""
    sentences, pos = [], 0
    for i, piece in enumerate(pieces):
        start = text.index(piece, pos)
        sentences.append(Sentence(source=sid, index=i, text=piece, start=start, end=start + len(piece)))
        pos = start + len(piece)
    spans = []
    for f in furniture:
        start = text.index(f)
        spans.append(Span(text=f, start=start, end=start + len(f), reason="test"))
    return Source(id=sid, name=name, label=name, text=text, sentences=tuple(sentences), furniture=tuple(spans))


def default_sources() -> list[Source]:
    return [
        make_source(0, "a.txt", TEXTS["a.txt"], [
            "Talks in Istanbul failed on Tuesday.", "The minister warned Kabul.", "Trucks are stranded at Chaman.",
        ]),
        make_source(1, "b.txt", TEXTS["b.txt"], [
            "The Istanbul talks collapsed without a deal.", "Asif issued a warning to the Taliban.",
        ], furniture=["Share 11"]),
        make_source(2, "c.txt", TEXTS["c.txt"], [
            "Negotiators left Istanbul with nothing.", "A warning came from the defence minister.", "Rain fell.",
        ]),
    ]


def write_corpus(tmp_path: Path, texts: dict[str, str] = TEXTS) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in texts.items():
        (corpus / name).write_text(text, encoding="utf-8")
    return corpus


def member(source: str, text: str, link: str = "sure") -> dict:
    return {"source": source, "text": text, "link": link}


def default_groups() -> list[dict]:
    return [
        {"id": "talks-failed", "members": [
            member("a.txt", "Istanbul failed on Tuesday"),
            member("b.txt", "talks collapsed without a deal"),
            member("c.txt", "left Istanbul with nothing", "possible"),
        ]},
        {"id": "warning", "members": [
            member("a.txt", "minister warned Kabul"),
            member("b.txt", "issued a warning to the Taliban"),
            member("c.txt", "came from the defence minister"),
        ]},
    ]


def write_gold(tmp_path: Path, groups: list[dict] | None = None, furniture: list[dict] | None = None,
               texts: dict[str, str] = TEXTS) -> Path:
    write_corpus(tmp_path, texts)
    gold = {
        "story": "tiny",
        "corpus": "corpus",
        "sources": list(texts),
        "groups": default_groups() if groups is None else groups,
        "furniture": furniture or [],
    }
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return path


def alignment_of(sources: list[Source], rows: list[tuple[int | None, ...]]) -> Alignment:
    return Alignment(sources=tuple(sources), rows=tuple(Row(cells=r) for r in rows))


# ------------------------------------------------------------------ links


def test_gold_links_sure_when_both_members_sure_otherwise_possible(tmp_path):
    gold = load_gold(write_gold(tmp_path))
    sure, possible = gold_links(gold, default_sources())
    assert sure == {
        make_link((0, 0), (1, 0)),
        make_link((0, 1), (1, 1)), make_link((0, 1), (2, 1)), make_link((1, 1), (2, 1)),
    }
    assert possible == {make_link((0, 0), (2, 0)), make_link((1, 0), (2, 0))}


def test_link_named_sure_by_one_group_and_possible_by_another_is_sure(tmp_path):
    groups = default_groups() + [{"id": "dup", "members": [
        member("a.txt", "Talks in Istanbul", "possible"), member("b.txt", "The Istanbul talks", "possible"),
    ]}]
    sure, possible = gold_links(load_gold(write_gold(tmp_path, groups)), default_sources())
    assert make_link((0, 0), (1, 0)) in sure
    assert make_link((0, 0), (1, 0)) not in possible


def test_predicted_links_are_all_pairs_in_a_row():
    sources = default_sources()
    al = alignment_of(sources, [(0, 0, 0), (1, None, 1), (2, None, None), (None, 1, None), (None, None, 2)])
    assert predicted_links(al) == {
        make_link((0, 0), (1, 0)), make_link((0, 0), (2, 0)), make_link((1, 0), (2, 0)),
        make_link((0, 1), (2, 1)),
    }


# ------------------------------------------------------------------ scoring


def test_perfect_alignment_scores_one(tmp_path):
    gold = load_gold(write_gold(tmp_path))
    al = alignment_of(default_sources(), [(0, 0, 0), (1, 1, 1), (2, None, None), (None, None, 2)])
    report = score(gold, al)
    assert (report.precision, report.recall, report.f1) == (1.0, 1.0, 1.0)
    assert report.false_positives == () and report.missed == ()


def test_precision_recall_f1_arithmetic(tmp_path):
    gold = load_gold(write_gold(tmp_path))
    # Row 1 links a0-b0 (sure). Row 2 links a1-c2 (wrong) and b1 is left alone, so
    # of the 4 sure links only a0-b0 is found; a2-b1 in row 3 is wrong too.
    al = alignment_of(default_sources(), [(0, 0, None), (1, None, 2), (2, 1, None), (None, None, 0), (None, None, 1)])
    report = score(gold, al)
    assert report.predicted == 3
    assert report.correct == 1 and report.correct_sure == 1
    assert report.precision == pytest.approx(1 / 3)
    assert report.recall == pytest.approx(1 / 4)
    assert report.f1 == pytest.approx(2 * (1 / 3) * (1 / 4) / (1 / 3 + 1 / 4))
    assert len(report.false_positives) == 2 and len(report.missed) == 3
    assert "Trucks are stranded" in str(report.false_positives[0]) + str(report.false_positives[1])


def test_possible_links_help_precision_but_are_not_required_for_recall(tmp_path):
    gold = load_gold(write_gold(tmp_path))
    sources = default_sources()
    # only the possible links a0-c0 and b0-c0 are predicted, plus nothing else
    with_possible = score(gold, alignment_of(sources, [(None, 0, 0), (0, None, None), (1, 1, 1), (2, None, 2)]))
    # a0-b0 sure link missing, c0 row with b0 is a possible link: precision still 1 for it
    assert with_possible.false_positives[0].link == make_link((0, 2), (2, 2))
    assert with_possible.correct == 4  # b0-c0 possible + the three warning links
    assert with_possible.correct_sure == 3
    assert with_possible.recall == pytest.approx(3 / 4)
    assert with_possible.precision == pytest.approx(4 / 5)
    # leaving a possible link out costs nothing
    without = score(gold, alignment_of(sources, [(0, 0, None), (None, None, 0), (1, 1, 1), (2, None, None), (None, None, 2)]))
    assert (without.precision, without.recall) == (1.0, 1.0)


def test_nothing_predicted_has_no_wrong_links_but_no_recall(tmp_path):
    gold = load_gold(write_gold(tmp_path))
    sources = default_sources()
    rows = [(i, None, None) for i in range(3)] + [(None, i, None) for i in range(2)] + [(None, None, i) for i in range(3)]
    report = score(gold, alignment_of(sources, rows))
    assert (report.precision, report.recall, report.f1) == (1.0, 0.0, 0.0)
    assert "precision 1.000  recall 0.000  F1 0.000" in report.summary()


def test_furniture_as_content_and_aligned(tmp_path):
    texts = dict(TEXTS)
    furniture = [{"source": "b.txt", "line": "Share 11"}, {"source": "c.txt", "text": "Rain fell."}]
    gold = load_gold(write_gold(tmp_path, furniture=furniture, texts=texts))
    sources = default_sources()
    # b.txt's "Share 11" is a furniture span (not content); c.txt's "Rain fell." is
    # content and sits in a row with a.txt's last sentence.
    al = alignment_of(sources, [(0, 0, 0), (1, 1, 1), (2, None, 2)])
    report = score(gold, al)
    assert report.furniture == 2
    assert report.furniture_as_content == 1
    assert report.furniture_aligned == 1
    alone = score(gold, alignment_of(sources, [(0, 0, 0), (1, 1, 1), (2, None, None), (None, None, 2)]))
    assert (alone.furniture_as_content, alone.furniture_aligned) == (1, 0)


def test_score_is_independent_of_how_unrelated_text_is_split(tmp_path):
    """Cutting a sentence no snippet names shifts every later index; the score must not move."""
    texts = dict(TEXTS)
    texts["c.txt"] = "Rain fell. Wind blew. Negotiators left Istanbul with nothing. A warning came from the defence minister."
    gold = load_gold(write_gold(tmp_path, texts=texts))
    a, b, _ = default_sources()
    one = make_source(2, "c.txt", texts["c.txt"], [
        "Rain fell. Wind blew.", "Negotiators left Istanbul with nothing.", "A warning came from the defence minister.",
    ])
    two = make_source(2, "c.txt", texts["c.txt"], [
        "Rain fell.", "Wind blew.", "Negotiators left Istanbul with nothing.", "A warning came from the defence minister.",
    ])
    r1 = score(gold, alignment_of([a, b, one], [(0, 0, 1), (1, 1, None), (None, None, 2), (2, None, 0)]))
    r2 = score(gold, alignment_of([a, b, two], [(0, 0, 2), (1, 1, None), (None, None, 3), (2, None, 0), (None, None, 1)]))
    assert (r1.precision, r1.recall, r1.predicted, r1.correct) == (r2.precision, r2.recall, r2.predicted, r2.correct)
    assert r1.recall == pytest.approx(2 / 4)


def test_snippets_match_across_line_breaks_and_spacing():
    text = "The talks\n   collapsed in  Istanbul.\nOther."
    assert locate_snippet(text, "talks collapsed in Istanbul") == [(4, text.index("Istanbul") + len("Istanbul"))]


# ------------------------------------------------------------------ errors


def test_snippet_not_found_names_group_and_snippet(tmp_path):
    groups = default_groups()
    groups[1]["members"][0]["text"] = "minister threatened Kabul"
    with pytest.raises(EvaluationError, match=r'group "warning".*"minister threatened Kabul" not found in a\.txt'):
        load_gold(write_gold(tmp_path, groups))


def test_ambiguous_snippet_is_rejected(tmp_path):
    groups = default_groups()
    groups[0]["members"][0]["text"] = "Istanbul"
    with pytest.raises(EvaluationError, match=r'group "talks-failed".*"Istanbul" occurs 2 times in a\.txt'):
        load_gold(write_gold(tmp_path, groups, texts={**TEXTS, "a.txt": TEXTS["a.txt"] + " Istanbul again."}))


def test_sure_member_in_furniture_is_an_error_possible_one_is_skipped(tmp_path):
    groups = default_groups() + [{"id": "counter", "members": [
        member("a.txt", "stranded at Chaman"), member("b.txt", "Share 11"),
    ]}]
    gold = load_gold(write_gold(tmp_path, groups))
    with pytest.raises(EvaluationError, match=r'group "counter".*in furniture "Share 11"'):
        gold_links(gold, default_sources())
    groups[-1]["members"][1]["link"] = "possible"
    again = tmp_path / "again"
    again.mkdir()
    gold = load_gold(write_gold(again, groups))
    sure, possible = gold_links(gold, default_sources())
    assert all((1, 2) not in link for link in sure | possible)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g.pop("sources"), "sources"),
        (lambda g: g["groups"][0]["members"][0].update(link="maybe"), "sure.*possible"),
        (lambda g: g["groups"][0]["members"][0].update(source="zzz.txt"), "zzz.txt"),
        (lambda g: g["groups"].append(dict(g["groups"][0])), "used twice"),
        (lambda g: g["groups"][0].update(members=g["groups"][0]["members"][:1]), "two sources"),
        (lambda g: g["sources"].append("missing.txt"), "missing.txt not found"),
    ],
)
def test_malformed_gold_is_rejected_with_a_clear_message(tmp_path, mutate, message):
    path = write_gold(tmp_path)
    data = json.loads(path.read_text(encoding="utf-8"))
    mutate(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(EvaluationError, match=message):
        load_gold(path)


def test_invalid_json_is_an_evaluation_error(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(EvaluationError, match="not valid JSON"):
        load_gold(path)


def test_unknown_loaded_source_is_an_error(tmp_path):
    gold = load_gold(write_gold(tmp_path))
    a, b, c = default_sources()
    renamed = make_source(2, "other.txt", c.text, [s.text for s in c.sentences])
    with pytest.raises(EvaluationError, match="c.txt is not among the loaded sources"):
        gold_links(gold, [a, b, renamed])


# ------------------------------------------------------------------ the seeds gold


def _seeds_gold() -> Gold:
    return load_gold(SEEDS_GOLD)


def test_seeds_gold_loads_with_enough_groups():
    gold = _seeds_gold()
    assert len(gold.groups) >= 40
    assert len(gold.sources) == 5
    assert gold.furniture, "the seeds carry page furniture that the gold must list"
    assert sum(len(g.members) for g in gold.groups) >= 100


def test_seeds_gold_resolves_against_ingested_seeds():
    from tui.core.ingest import load_sources

    gold = _seeds_gold()
    sources = load_sources([gold.corpus / name for name in gold.sources])
    sure, possible = gold_links(gold, sources)
    assert len(sure) >= 60 and possible
    assert not sure & possible


def perfect_alignment(gold: Gold, sources: list[Source]) -> tuple[Alignment, list[str]]:
    """The rows the gold's sure links make, and why any of them breaks the row model.

    Sentences joined by sure links (directly or through others) share a row;
    every other sentence is a row of its own.
    """
    sure, _ = gold_links(gold, sources)
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(cell):
        while parent.setdefault(cell, cell) != cell:
            cell = parent[cell]
        return cell

    for a, b in sure:
        parent[root(a)] = root(b)
    groups: dict[tuple[int, int], list[list[int]]] = {}
    for cell in sorted(parent):
        groups.setdefault(root(cell), [[] for _ in sources])[cell[0]].append(cell[1])
    problems = []
    for cells in groups.values():
        for s, cell in enumerate(cells):
            why = cell_problem(cell, sentence_layers(sources[s]))
            if why:
                problems.append(f"sure links join sentences {cell} of {sources[s].name}: {why}")
    rows = [Row(tuple(tuple(c) for c in cells)) for cells in groups.values()]
    rows += [Row(tuple((i,) if k == s else () for k in range(len(sources))))
             for s, src in enumerate(sources) for i in range(len(src.sentences)) if (s, i) not in parent]
    return Alignment(sources=tuple(sources), rows=tuple(rows)), problems


@pytest.mark.parametrize("path", ALL_GOLD, ids=lambda p: p.parent.name if p.name == "gold.json" else p.stem)
def test_gold_admits_a_perfect_alignment(path):
    """Rows are cliques of valid cells, so the sure links must form such rows too.

    Joining every sure link into rows must give each source a valid cell (one
    run of consecutive body sentences plus any summary lines, see
    ``tui.core.model.cell_problem``), and every pair of sources inside such a
    row must be a gold link; otherwise no alignment could reach recall 1 at
    precision 1 and the gold, not the aligner, would be capping the score.
    """
    from tui.core.ingest import load_sources

    gold = load_gold(path)
    sources = load_sources([gold.corpus / name for name in gold.sources])
    alignment, problems = perfect_alignment(gold, sources)
    assert problems == []
    report = score(gold, alignment)
    assert (report.precision, report.recall) == (1.0, 1.0), [str(d) for d in report.false_positives]


@pytest.mark.parametrize("path", BLIND_GOLD, ids=lambda p: p.parent.name)
def test_blind_gold_has_sure_links_and_furniture(path):
    """The blind stories are for scoring issue 10 at the end; test_gold_admits_a_perfect_alignment
    checks that their multi-sentence rows fit the row model. No aligner runs here."""
    from tui.core.ingest import load_sources

    gold = load_gold(path)
    sources = load_sources([gold.corpus / name for name in gold.sources])
    sure, _ = gold_links(gold, sources)
    assert sure and gold.furniture


def test_a_split_statement_in_the_gold_is_achievable(tmp_path):
    """One outlet tells in two consecutive sentences what another tells in one: both links sure."""
    groups = [{"id": "warning", "members": [
        member("a.txt", "minister warned Kabul"), member("a.txt", "Trucks are stranded"),
        member("b.txt", "issued a warning to the Taliban"),
    ]}]
    gold = load_gold(write_gold(tmp_path, groups=groups))
    alignment, problems = perfect_alignment(gold, default_sources())
    assert problems == []
    assert Row(((1, 2), (1,), ())) in alignment.rows
    report = score(gold, alignment)
    assert (report.predicted, report.precision, report.recall) == (2, 1.0, 1.0)


def test_sure_links_joining_far_apart_sentences_of_one_source_are_not_achievable(tmp_path):
    groups = [{"id": "talks", "members": [
        member("a.txt", "Istanbul failed on Tuesday"), member("a.txt", "Trucks are stranded"),
        member("b.txt", "talks collapsed without a deal"),
    ]}]
    gold = load_gold(write_gold(tmp_path, groups=groups))
    _, problems = perfect_alignment(gold, default_sources())
    assert len(problems) == 1 and "#0 and #2 are not consecutive" in problems[0]


def test_predicted_links_pair_every_sentence_of_a_multi_sentence_cell_with_the_other_sources():
    al = Alignment(sources=tuple(default_sources()), rows=(Row(((0, 1), (0,), ())), Row(((2,), (1,), (0, 1, 2)))))
    links = predicted_links(al)
    assert links == {
        make_link((0, 0), (1, 0)), make_link((0, 1), (1, 0)),
        *(make_link(a, b) for a, b in [((0, 2), (1, 1))]),
        *(make_link(x, (2, i)) for x in [(0, 2), (1, 1)] for i in range(3)),
    }
    assert not any(a[0] == b[0] for a, b in links), "no link between sentences of one source"


#: Regression floors under today's figures (F1 after issue 10's aligner work: seeds
#: 0.840, harbour-fire 0.793, mayor-recount 0.926, pill-recall 0.831; before it 0.838,
#: 0.787, 0.885, 0.841), so a change that drops below these broke something.
QUALITY_FLOORS = {"seeds.json": 0.82, "harbour-fire": 0.77, "mayor-recount": 0.88, "pill-recall": 0.80}


#: The held-out stories (tests/gold/README.md): bridge-closure F1 0.786 and lab-breach
#: 0.672 when they were first scored; 0.830 and 0.730 after issue 10's aligner work
#: (their errors were not read this round; lab-breach's "BlackTide" failure, named in
#: the previous round's note, is what join_compounds fixes). Their floors guard against
#: a change that helps the tuning stories by hurting unseen text.
QUALITY_FLOORS.update({"heldout/bridge-closure": 0.78, "heldout/lab-breach": 0.70})


@pytest.mark.parametrize("story", sorted(QUALITY_FLOORS))
def test_aligner_stays_above_its_quality_floor_and_never_aligns_furniture(story):
    from tui.core.evaluate import evaluate

    gold_dir = SEEDS_GOLD.parent
    path = gold_dir / story if story.endswith(".json") else gold_dir / story / "gold.json"
    report = evaluate(path)
    assert report.furniture_aligned == 0, report.summary()
    assert report.f1 >= QUALITY_FLOORS[story], report.summary()


def test_aligner_meets_the_quality_bar_on_the_seeds():
    from tui.core.evaluate import evaluate

    report = evaluate(SEEDS_GOLD)
    assert report.furniture_aligned == 0, report.summary()
    assert report.precision >= 0.85, report.summary()
    assert report.f1 >= 0.80, report.summary()


def test_aligner_meets_issue_10s_bar_on_the_seeds():
    from tui.core.evaluate import evaluate

    report = evaluate(SEEDS_GOLD)
    assert report.precision >= 0.88 and report.f1 >= 0.85, report.summary()


def test_evaluate_with_paths_replaces_the_gold_corpus(tmp_path):
    """``parallax evaluate GOLD PATH…``: the same articles elsewhere score the same."""
    from tui.core.evaluate import evaluate

    path = write_gold(tmp_path)
    here = evaluate(path)
    moved = tmp_path / "moved"
    (tmp_path / "corpus").rename(moved)
    with pytest.raises(EvaluationError, match="not found"):
        evaluate(path)
    there = evaluate(path, paths=[moved / name for name in TEXTS])
    assert (there.precision, there.recall, there.predicted) == (here.precision, here.recall, here.predicted)
    assert there.sure == 4 and there.possible == 2
