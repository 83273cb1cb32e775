"""The aligner's contract and its judgement on small hand-written stories."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from tui.core.align import align
from tui.core.model import BODY, KIND_HEADING, AlignSettings, Alignment, Sentence, Source, alignment_problems
from tui.core.params import DEFAULT_PARAMS

REPO = Path(__file__).resolve().parents[1]


def make_source(sid: int, sentences: list[str], kinds: dict[int, str] | None = None) -> Source:
    kinds = kinds or {}
    text = ""
    sents = []
    for i, s in enumerate(sentences):
        start = len(text)
        text += s + "\n"
        sents.append(Sentence(sid, i, s, start, start + len(s), kinds.get(i, "body")))
    return Source(id=sid, name=f"{sid:02d}.txt", label=f"outlet {sid}", text=text, sentences=tuple(sents))


def make_sources(*articles: list[str]) -> list[Source]:
    return [make_source(i, a) for i, a in enumerate(articles)]


def row_of(al: Alignment, source: int, index: int) -> int:
    return next(r for r, row in enumerate(al.rows) if row.holds(source, index))


def together(al: Alignment, a: tuple[int, int], b: tuple[int, int]) -> bool:
    return row_of(al, *a) == row_of(al, *b)


def check_contract(al: Alignment) -> None:
    n_src = len(al.sources)
    seen = set()
    for row in al.rows:
        assert len(row.cells) == n_src
        assert row.count >= 1
        assert 0.0 <= row.score <= 1.0
        if row.count == 1:
            assert row.score == 1.0
        assert row.coverage == tuple(i for i, c in enumerate(row.cells) if c)
        for m in row.members:
            assert m not in seen
            seen.add(m)
    expected = {(s.id, x.index) for s in al.sources for x in s.sentences}
    assert seen == expected
    assert alignment_problems(al) == []
    # pivot order: rows holding a pivot sentence follow the pivot's order (a
    # row is placed by its first body sentence of the pivot, if it has one)
    layer = al.layers(al.pivot)
    piv = [next((i for i in row.cells[al.pivot] if layer[i] == BODY), row.cells[al.pivot][0])
           for row in al.rows if row.cells[al.pivot]]
    assert piv == sorted(piv)


# A small story, three outlets, the same facts in different words and orders.
WIRE = [
    "Flooding forced the evacuation of 2,000 residents from the riverside town of Aldmere on Sunday.",
    "The river Tamsk burst its banks after three days of heavy rain, the regional authority said.",
    "Emergency crews rescued 14 people trapped on rooftops by boat.",
    "Mayor Helen Okafor said the town's flood barriers had failed at two points.",
    "The railway line to Corrin remains closed.",
]
LOCAL = [
    "Aldmere mayor Helen Okafor admitted flood barriers gave way in two places.",
    "About 2,000 people were evacuated from Aldmere as floodwater rose on Sunday.",
    "Boat crews pulled 14 stranded residents from rooftops.",
    "A bake sale for the school roof raised 300 pounds last month.",
    "Three days of torrential rain caused the Tamsk to burst its banks.",
]
TABLOID = [
    "Three days of downpours sent the Tamsk river over its banks.",
    "Rescuers in boats saved 14 people stuck on their roofs.",
    "Two thousand Aldmere residents fled their homes on Sunday as the town flooded.",
]


def test_contract_on_a_small_story():
    al = align(make_sources(WIRE, LOCAL, TABLOID))
    check_contract(al)


def test_reordered_paraphrases_align():
    al = align(make_sources(WIRE, LOCAL, TABLOID))
    assert together(al, (0, 0), (1, 1))  # evacuation
    assert together(al, (0, 2), (1, 2))  # rooftop rescue
    assert together(al, (0, 2), (2, 1))
    assert together(al, (0, 3), (1, 0))  # barriers
    assert together(al, (0, 1), (1, 4))  # rain
    assert together(al, (0, 1), (2, 0))


def test_unrelated_same_topic_sentence_stays_alone():
    al = align(make_sources(WIRE, LOCAL, TABLOID))
    assert al.rows[row_of(al, 1, 3)].count == 1  # bake sale
    assert al.rows[row_of(al, 0, 4)].count == 1  # railway, said only by the wire


def test_identical_shuffled_articles_align_completely():
    base = [
        "The central bank raised its key interest rate to 4.5 percent on Thursday.",
        "Governor Lena Varga said inflation had stayed above target for nine months.",
        "Bond yields rose sharply after the announcement.",
        "Economists at Brinmoor Capital had expected the rate to stay unchanged.",
        "The bank's next policy meeting is scheduled for March.",
        "Mortgage lenders are expected to pass the increase on to customers within weeks.",
    ]
    rng = random.Random(3)
    articles = []
    for _ in range(4):
        a = base[:]
        rng.shuffle(a)
        articles.append(a)
    al = align(make_sources(*articles))
    check_contract(al)
    assert len(al.rows) == len(base)
    assert all(row.count == 4 for row in al.rows)


def test_no_chaining_through_a_bridge_sentence():
    # B shares half its content with A and the other half with C; A and C share nothing.
    a = ["The harbour crane collapsed onto the container ship Solvang during loading on Friday."]
    b = ["The harbour crane collapsed onto the Solvang, and the dockworkers union called a strike over pay."]
    c = ["The dockworkers union called a strike over pay and pensions across all northern ports."]
    al = align(make_sources(a, b, c))
    check_contract(al)
    assert not together(al, (0, 0), (2, 0))


def test_threshold_controls_how_much_is_linked():
    srcs = make_sources(WIRE, LOCAL, TABLOID)
    links = []
    for t in (0.05, 0.5, 0.99):
        al = align(srcs, AlignSettings(threshold=t))
        check_contract(al)
        links.append(sum(r.count * (r.count - 1) // 2 for r in al.rows))
    assert links[0] >= links[1] >= links[2]
    assert links[0] > links[2]
    assert links[2] == 0 or links[2] < links[1]


def test_pivot_order_and_placement_next_to_neighbours():
    srcs = make_sources(WIRE, LOCAL, TABLOID)
    for pivot in range(3):
        al = align(srcs, AlignSettings(pivot=pivot))
        check_contract(al)
        assert al.pivot == pivot
    al = align(srcs, AlignSettings(pivot=0))
    # LOCAL #3 (bake sale) has no pivot partner: it sits right after the row of LOCAL #2.
    assert row_of(al, 1, 3) == row_of(al, 1, 2) + 1


def test_content_before_any_pivot_match_goes_first():
    first = ["Shares in Ostrava Motors fell 12 percent after the carmaker cut its annual forecast."]
    other = ["Separately, a new stadium opened in the capital to large crowds on Saturday.",
             "Ostrava Motors shares dropped 12 percent as the carmaker lowered its yearly forecast."]
    al = align(make_sources(first, other))
    check_contract(al)
    assert al.rows[0].cells == ((), (0,))
    assert al.rows[1].cells == ((0,), (1,))


def test_heading_needs_strong_evidence():
    srcs = [
        make_source(0, ["Background", "Talks between the two governments began in Istanbul in May."],
                    kinds={0: KIND_HEADING}),
        make_source(1, ["The background to the talks is a long border dispute.",
                        "Negotiations between both governments started in Istanbul in May."]),
    ]
    al = align(srcs)
    check_contract(al)
    assert al.rows[row_of(al, 0, 0)].count == 1
    assert together(al, (0, 1), (1, 1))


def test_a_heading_that_states_a_fact_joins_its_row_like_a_sentence():
    # tollsey-ferry's explainer: "An investigation has begun" (four stems with its concepts)
    # scores 0.65 against the wire's sentence, under the 0.8 a topic label needs; a
    # heading that long is a statement and is held to the threshold, as a sentence is
    from tui.core.ingest import load_sources

    folder = Path(__file__).parent / "gold" / "tollsey-ferry" / "articles"
    names = [p.name for p in sorted(folder.iterdir())]
    sources = load_sources(sorted(folder.iterdir()))

    def find(name: str, text: str) -> tuple[int, int]:
        s = names.index(name)
        return s, next(i for i, x in enumerate(sources[s].sentences) if x.text.startswith(text))

    heading = find("04_coastline_explainer.md", "An investigation has begun")
    wire = find("01_tidemark_wire.txt", "The Marine Accident Branch said")
    assert sources[heading[0]].sentences[heading[1]].kind == KIND_HEADING
    assert together(align(sources), heading, wire)
    strict = replace(DEFAULT_PARAMS, heading_short_stems=99)  # every heading a topic label
    assert not together(align(sources, params=strict), heading, wire)


def test_two_sources_and_empty_sources():
    al = align(make_sources(WIRE, []))
    check_contract(al)
    assert len(al.rows) == len(WIRE)
    al = align(make_sources([], []))
    assert al.rows == ()


def test_fifty_sources():
    rng = random.Random(11)
    facts = WIRE + LOCAL
    articles = [rng.sample(facts, 6) for _ in range(50)]
    al = align(make_sources(*articles))
    check_contract(al)
    # every copy of one sentence lands in a single row
    for fact in facts:
        holders = {row_of(al, s, a.index(fact)) for s, a in enumerate(articles) if fact in a}
        assert len(holders) == 1


def _rows_json(al: Alignment) -> str:
    return json.dumps([[list(r.cells), round(r.score, 9)] for r in al.rows])


def test_deterministic_within_a_process():
    srcs = make_sources(WIRE, LOCAL, TABLOID)
    assert _rows_json(align(srcs)) == _rows_json(align(srcs))


SCRIPT = """
import json, sys
sys.path.insert(0, {tests!r})
from test_align import WIRE, LOCAL, TABLOID, make_sources, _rows_json
from tui.core.align import align
print(_rows_json(align(make_sources(WIRE, LOCAL, TABLOID, LOCAL[::-1]))))
"""


@pytest.mark.parametrize("seeds", [("0", "1", "12345")])
def test_deterministic_across_hash_seeds(seeds):
    outs = set()
    for seed in seeds:
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run([sys.executable, "-c", SCRIPT.format(tests=str(REPO / "tests"))],
                             capture_output=True, text=True, env=env, cwd=REPO, check=True)
        outs.add(res.stdout)
    assert len(outs) == 1


def test_supported_merge_tolerates_one_weak_pair_but_not_an_outsider():
    from tui.core.evidence import _supported

    t = 0.4
    # two pairs of outlets telling one fact: one weak cross pair still merges
    pairs = np.array([[0.9, 0.8], [0.7, 0.02]])
    assert _supported(pairs, t)
    # a bridge: {A, B} + {C} where C is unrelated to A
    bridge = np.array([[0.0], [0.9]])
    assert not _supported(bridge, t)


def test_context_boost_lifts_a_pair_whose_neighbours_match():
    from tui.core.evidence import _context_boost

    src = np.array([0, 0, 1, 1])
    a = np.array([0, 1, 1])
    b = np.array([2, 3, 2])
    p = np.array([0.9, 0.2, 0.2])
    out = _context_boost(p, a, b, src)
    assert out[1] > 0.2          # (1, 3) follows the strong (0, 2)
    assert out[2] == pytest.approx(0.2)  # (1, 2) has no matching neighbour
    assert out[0] >= 0.9


def test_mutual_boost_skips_a_pair_that_shares_one_plain_word():
    from tui.core.evidence import _mutual_boost

    # two sources, one sentence each side per pair: (0, 2) and (1, 3) are both reciprocal best
    src = np.array([0, 0, 1, 1])
    a = np.array([0, 1])
    b = np.array([2, 3])
    p = np.array([0.14, 0.14])
    thin = np.array([True, False])
    out = _mutual_boost(p, a, b, src, 2, thin=thin)
    assert out[0] == pytest.approx(0.14)   # one shared word, no number, no name: left as scored
    assert out[1] > 0.35                   # the same score with more in common is lifted
    assert (_mutual_boost(p, a, b, src, 2) > 0.35).all()


def test_two_short_lines_sharing_one_word_stay_apart():
    # tollsey-ferry: each is the other's best match in the other article, and all they
    # share is "sea" (0.14); the reciprocal-best lift took them over the threshold
    from tui.core.ingest import load_sources

    folder = Path(__file__).parent / "gold" / "tollsey-ferry" / "articles"
    sources = load_sources(sorted(folder.iterdir()))
    al = align(sources)

    def find(s: int, text: str) -> tuple[int, int]:
        return s, next(i for i, x in enumerate(sources[s].sentences) if x.text.startswith(text))

    names = [p.name for p in sorted(folder.iterdir())]
    splash, column = names.index("03_daily_splash.txt"), names.index("05_islander_column.txt")
    assert not together(al, find(splash, "Sea-safety investigators"), find(column, "The sea was flat calm"))
    # what the splash line does report stays linked where it was
    assert together(al, find(splash, "Police said the captain"), find(names.index("01_tidemark_wire.txt"),
                                                                      "The ship's master was breath-tested"))


class _FakeScores:
    """Just the pair cache that _refine reads, keyed as _Scores keys it (u * width + v)."""

    width = 1_000

    def __init__(self, probs: dict[tuple[int, int], float]) -> None:
        self.cache = {u * self.width + v: p for (u, v), p in probs.items()}


def test_leftover_pairs_join_two_lone_sentences_that_are_each_others_best():
    from tui.core.rowpasses import _leftover_pairs

    # sources: 0 -> sentences 0, 1; 1 -> sentences 2, 3. (0, 2) is a row already;
    # 1 and 3 are alone, each the other's best match, at 0.3 -- under the
    # threshold 0.35 but over leftover_min x threshold (0.28)
    src = np.array([0, 0, 1, 1])
    a, b, p = np.array([0, 1, 0]), np.array([2, 3, 3]), np.array([0.9, 0.3, 0.1])
    strict = np.zeros(4, dtype=bool)
    out = _leftover_pairs([[0, 2], [1], [3]], src, a, b, p, 0.35, strict)
    assert sorted(out) == [[0, 2], [1, 3]]
    # under the lower bar they stay apart, and a heading or fragment never joins this way
    low = _leftover_pairs([[0, 2], [1], [3]], src, a, b, np.array([0.9, 0.2, 0.1]), 0.35, strict)
    assert sorted(low) == [[0, 2], [1], [3]]
    strict[3] = True
    assert sorted(_leftover_pairs([[0, 2], [1], [3]], src, a, b, p, 0.35, strict)) == [[0, 2], [1], [3]]


def test_leftover_pairs_do_not_give_a_sentence_its_second_choice():
    from tui.core.rowpasses import _leftover_pairs

    # 1's best match is 2, which a row holds: 1 must not fall back on 3 (its runner-up),
    # however alone both are -- that is a same-topic sentence, not a paraphrase
    src = np.array([0, 0, 1, 1])
    a, b, p = np.array([0, 1, 1]), np.array([2, 2, 3]), np.array([0.9, 0.5, 0.3])
    out = _leftover_pairs([[0, 2], [1], [3]], src, a, b, p, 0.35, np.zeros(4, dtype=bool))
    assert sorted(out) == [[0, 2], [1], [3]]


def test_leftover_pairs_keep_summary_lines_and_body_sentences_apart():
    from tui.core.model import BODY, SUMMARY
    from tui.core.rowpasses import _leftover_pairs

    src = np.array([0, 1])
    tier = np.array([SUMMARY, BODY])
    out = _leftover_pairs([[0], [1]], src, np.array([0]), np.array([1]), np.array([0.3]), 0.35,
                          np.zeros(2, dtype=bool), tier)
    assert sorted(out) == [[0], [1]]


def test_refine_gives_the_slot_to_the_better_supported_sentence():
    from tui.core.rowpasses import _refine

    # sources: 0 -> sentence 0, 1 -> sentences 1 and 2, 2 -> sentence 3.
    # The greedy merge put 1 with 0 (one link, 0.45); sentence 2 of the same
    # outlet links strongly to both 0 and 3, so it should take the slot, and
    # 3 should follow it into the row.
    src = np.array([0, 1, 1, 2])
    probs = {(0, 1): 0.45, (0, 2): 0.8, (2, 3): 0.85, (0, 3): 0.7, (1, 3): 0.0}
    a = np.array([0, 0, 2, 0])
    b = np.array([1, 2, 3, 3])
    out = _refine([[0, 1], [2], [3]], src, a, b, _FakeScores(probs), threshold=0.3)
    assert sorted(out) == [[0, 2, 3], [1]]


def test_refine_leaves_a_row_alone_when_the_challenger_is_weaker():
    from tui.core.rowpasses import _refine

    src = np.array([0, 1, 1])
    probs = {(0, 1): 0.9, (0, 2): 0.5}
    a = np.array([0, 0])
    b = np.array([1, 2])
    out = _refine([[0, 1], [2]], src, a, b, _FakeScores(probs), threshold=0.3)
    assert sorted(out) == [[0, 1], [2]]


def test_refine_does_not_pull_in_a_sentence_unrelated_to_most_of_the_row():
    from tui.core.rowpasses import _refine

    # 3 links well to 0 only; the row {0, 1, 2} must not take it in, since
    # it is unrelated to two of the three members (no chaining by moves).
    src = np.array([0, 1, 2, 3])
    probs = {(0, 1): 0.8, (0, 2): 0.8, (1, 2): 0.8, (0, 3): 0.95}
    a = np.array([0, 0, 1, 0])
    b = np.array([1, 2, 2, 3])
    out = _refine([[0, 1, 2], [3]], src, a, b, _FakeScores(probs), threshold=0.3)
    assert sorted(out) == [[0, 1, 2], [3]]


class _FakeManyScores(_FakeScores):
    """The pair cache plus the on-demand lookup _pair_up uses (unscored pairs are 0)."""

    def many(self, pairs: list[int]) -> list[float]:
        return [self.cache.get(p, 0.0) for p in pairs]


def _pair_up_case(strong: float) -> list[list[int]]:
    from tui.core.rowpasses import _pair_up

    # Outlet 0 splits a statement over sentences 0 and 1; outlet 2 says it in
    # one sentence (3), which joined the row built around 0 by middling links
    # though its near-certain partner is 1.
    src = np.array([0, 0, 1, 2])
    probs = {(0, 2): 0.6, (0, 3): 0.5, (2, 3): 0.55, (1, 3): strong, (1, 2): 0.3}
    a = np.array([k[0] for k in probs])
    b = np.array([k[1] for k in probs])
    p = np.array(list(probs.values()))
    strict = np.zeros(4, dtype=bool)
    return sorted(_pair_up([[0, 2, 3], [1]], src, a, b, p, _FakeManyScores(probs), 0.35, strict))


def test_pair_up_puts_a_clear_reciprocal_best_pair_in_one_row():
    assert _pair_up_case(0.98) == [[0], [1, 2, 3]]


def test_pair_up_ignores_a_pair_that_is_not_clearly_best():
    assert _pair_up_case(0.55) == [[0, 2, 3], [1]]


# --- the summary layer: headlines, headings and leading bullets ---------------

def test_tiers_put_headlines_headings_and_leading_bullets_in_the_summary_layer():
    from tui.core.align import BODY, SUMMARY, tiers
    from tui.core.model import KIND_BULLET, KIND_HEADLINE

    body = "The council approved the new budget for the harbour district on Monday evening."
    src = make_source(0, ["Budget passes", "Key points", "Budget approved", "Harbour gets money",
                          "What we know:", body, body + " Again.", "First listed item of the plan",
                          body + " Once more."],
                      kinds={0: KIND_HEADLINE, 1: KIND_HEADING, 2: KIND_BULLET, 3: KIND_BULLET,
                             7: KIND_BULLET})
    # "What we know:" is too short to end the summary block; the bullet after
    # the first full sentence is list content
    assert tiers([src]) == [[SUMMARY, SUMMARY, SUMMARY, SUMMARY, BODY, BODY, BODY, BODY, BODY]]


def test_an_article_told_as_a_list_keeps_its_bullets_in_the_body_layer():
    from tui.core.align import BODY, SUMMARY, tiers
    from tui.core.model import KIND_BULLET, KIND_HEADLINE

    bullets = [f"Point number {i} of the story is told in this bullet here." for i in range(4)]
    src = make_source(0, ["Five things to know", *bullets, "That is all for today, said the editor."],
                      kinds={0: KIND_HEADLINE, **{i: KIND_BULLET for i in range(1, 5)}})
    assert tiers([src]) == [[SUMMARY, BODY, BODY, BODY, BODY, BODY]]


def test_a_headline_joins_the_lede_it_restates_beside_its_own_outlets_lede():
    from tui.core.model import KIND_BULLET, KIND_HEADLINE

    # Outlet 0's headline says nearly word for word what outlet 1's lede
    # says; compared with the body as one layer it took that row, and at one
    # sentence per source per row its own outlet's lede could no longer join.
    wire = make_source(0, [
        "Tamsk floods force 2,000 Aldmere residents from their homes",
        "Flooding drove 2,000 people out of Aldmere on Sunday after the Tamsk rose, officials said.",
        "Mayor Helen Okafor said the flood barriers had failed at two points.",
    ], kinds={0: KIND_HEADLINE})
    local = make_source(1, [
        "Town under water",
        "Key points",
        "Floods force 2,000 from Aldmere homes",
        "Flooding forced 2,000 Aldmere residents from their homes on Sunday when the Tamsk burst its banks.",
        "The mayor, Helen Okafor, admitted that the barriers had given way in two places.",
    ], kinds={0: KIND_HEADLINE, 1: KIND_HEADING, 2: KIND_BULLET})
    al = align([wire, local])
    check_contract(al)
    # the ledes share a row, and the headlines that restate them sit beside
    # them: the wire's headline does not take its own lede's place
    lede = al.rows[row_of(al, 0, 1)]
    assert together(al, (0, 1), (1, 3))
    assert together(al, (0, 0), (1, 3)) and together(al, (1, 2), (1, 3))
    assert lede.cells[0] == (0, 1) and 3 in lede.cells[1]
    assert together(al, (0, 2), (1, 4))
    # the local paper's own headline ("Town under water") restates nothing
    assert al.rows[row_of(al, 1, 0)].count == 1


def test_markdown_markup_and_link_urls_do_not_count_as_words():
    from tui.core.evidence import _features

    stems = _features("Anyone affected can read the [breach notice](http://example.org/notice) "
                      "from **Black Tide** victims.").stems
    assert "http" not in stems and "org" not in stems
    assert {"black", "tide", "breach"} <= set(stems)
    plain = [s.replace("[", "").replace("](http://example.org)", "").replace("**", "") for s in WIRE]
    marked = [s.replace("Okafor", "**Okafor**").replace("Corrin", "[Corrin](http://example.org)")
              for s in WIRE]
    with_markup = align(make_sources(marked, LOCAL, TABLOID))
    without = align(make_sources(plain, LOCAL, TABLOID))
    assert [r.cells for r in with_markup.rows] == [r.cells for r in without.rows]


def test_what_outlets_say_before_the_pivot_starts_reads_outlet_by_outlet():
    pivot = ["Shares in Ostrava Motors fell 12 percent after the carmaker cut its annual forecast."]
    one = ["Weather: heavy snow expected in the northern hills by Friday.",
           "Ostrava Motors shares dropped 12 percent as the carmaker lowered its yearly forecast."]
    two = ["A new stadium opened in the capital to large crowds on Saturday.",
           "The mayor cut a ribbon at the stadium gates before kick-off.",
           "Ostrava Motors stock lost 12 percent after the carmaker trimmed its annual forecast."]
    al = align(make_sources(pivot, one, two))
    check_contract(al)
    assert [r.cells for r in al.rows] == [((), (0,), ()), ((), (), (0,)), ((), (), (1,)), ((0,), (1,), (2,))]


def test_align_params_change_the_rows_without_touching_the_defaults():
    """AlignParams are passed in, not module state: a stricter row builder joins less."""
    from dataclasses import replace

    from tui.core.params import DEFAULT_PARAMS

    sources = make_sources(WIRE, LOCAL, TABLOID)
    before = [r.cells for r in align(sources).rows]
    strict = align(sources, params=replace(DEFAULT_PARAMS, bias=DEFAULT_PARAMS.bias - 6.0))
    check_contract(strict)
    assert all(r.count == 1 for r in strict.rows)
    assert len(before) < len(strict.rows)
    assert [r.cells for r in align(sources).rows] == before


def _split_case(p_next: float, alone: bool = True) -> list[list[int]]:
    from tui.core.rowpasses import _split_join

    # Outlet 0 tells in sentences 0 and 1 what outlet 1 says in sentence 2;
    # 0 and 2 already share a row. Sentence 3 (outlet 1) is unrelated.
    src = np.array([0, 0, 1, 1])
    probs = {(0, 2): 0.9, (1, 2): p_next, (0, 3): 0.0, (1, 3): 0.0, (2, 3): 0.0, (0, 1): 0.0}
    groups = [[0, 2], [1], [3]] if alone else [[0, 2], [1, 3]]
    strict = np.zeros(4, dtype=bool)
    return sorted(_split_join(groups, src, _FakeManyScores(probs), 0.35, strict))


def test_split_join_lets_a_row_take_the_next_sentence_of_an_outlet_in_it():
    assert _split_case(0.4) == [[0, 1, 2], [3]]


def test_split_join_leaves_an_unsupported_neighbour_alone():
    assert _split_case(0.05) == [[0, 2], [1], [3]]


def test_split_join_does_not_take_a_neighbour_that_has_a_row_of_its_own():
    assert _split_case(0.4, alone=False) == [[0, 2], [1, 3]]


# --- an opinion piece beside the news: no row on story vocabulary alone ------

FERRY_WIRE = [
    "The Northline ferry Aurora ran aground on a sandbank off Kessholm at 7:50 a.m. on Tuesday with 212 passengers on board.",
    "No one was killed, and four passengers were treated for minor injuries, the coastguard said.",
    "Northline said the ship's captain had reported a steering fault minutes before the grounding.",
    "Tugs refloated the vessel on the evening tide and it was towed to Kessholm harbour.",
]
FERRY_LOCAL = [
    "A Northline ferry carrying 212 people hit a sandbank near Kessholm shortly before 8 a.m. on Tuesday.",
    "Nobody died, though four people needed treatment for cuts and bruises.",
    "The company said a steering fault had been reported by the captain just before the ship struck the bank.",
    "The ferry was pulled free by tugs in the evening and brought into Kessholm harbour.",
]
FERRY_TABLOID = [
    "Terror at sea as Northline ferry smashes into sandbank at 7:50am.",
    "Four passengers were hurt but nobody was killed when the Aurora ran aground.",
    "Tugboats dragged the stricken ship off the sandbank on the evening tide.",
]
FERRY_OPINION = [
    "Northline has cut its crews to the legal minimum three times in five years.",
    "A ferry company that treats safety as a cost will sooner or later put a ship on the rocks.",
    "The regulator must now ask whether Northline's crews are large enough to handle an emergency.",
    "Until they do, nobody should feel safe boarding a Northline ferry.",
]


def test_an_opinion_line_stays_out_of_the_factual_rows():
    from tui.core.similarity import pair_score

    al = align(make_sources(FERRY_WIRE, FERRY_LOCAL, FERRY_TABLOID, FERRY_OPINION))
    check_contract(al)
    # the issue's two cases were "nobody should feel safe" beside "nobody
    # died", and the crew cuts in the grounding row; no opinion line is news
    for i in range(len(FERRY_OPINION)):
        row = al.rows[row_of(al, 3, i)]
        assert row.count == 1, (FERRY_OPINION[i], row.cells)
    assert pair_score(FERRY_OPINION[3], "Nobody died.", FERRY_WIRE + FERRY_LOCAL) < 0.1
    # the facts still line up
    assert together(al, (0, 1), (1, 1)) and together(al, (0, 1), (2, 1))
    assert together(al, (0, 0), (1, 0))


def test_nobody_alone_is_not_the_no_deaths_fact():
    from tui.core.text import features

    assert "=nodeath" in features("Nobody died.").stems
    assert "=nodeath" not in features("Until they do, nobody should feel safe boarding a ferry.").stems


def test_a_pair_sharing_only_story_vocabulary_is_held_down():
    """The generic feature: only the story's own words in common (no specific word, number, quote)."""
    from dataclasses import replace

    from tui.core.params import DEFAULT_PARAMS
    from tui.core.similarity import FEATURE_NAMES, Index
    from tui.core.text import features

    texts = FERRY_WIRE + FERRY_LOCAL + FERRY_TABLOID + FERRY_OPINION
    a = texts.index("Until they do, nobody should feel safe boarding a Northline ferry.")
    b = texts.index("The ferry was pulled free by tugs in the evening and brought into Kessholm harbour.")
    c = texts.index("Tugs refloated the vessel on the evening tide and it was towed to Kessholm harbour.")
    index = Index([features(t) for t in texts])
    g = FEATURE_NAMES.index("generic")
    x = index.feature_matrix(index.pair_stats(np.array([a, b]), np.array([b, c])))
    assert x[0, g] == 1.0  # "ferry" (and "Northline") only: the story's vocabulary
    assert x[1, g] == 0.0  # tugs, evening, harbour: the same fact
    coef = list(DEFAULT_PARAMS.coef)
    coef[g] = 0.0
    off = Index([features(t) for t in texts], replace(DEFAULT_PARAMS, coef=tuple(coef)))
    pairs = index.pair_stats(np.array([a]), np.array([b]))
    assert index.probability(pairs)[0] < off.probability(off.pair_stats(np.array([a]), np.array([b])))[0]


def test_summary_join_puts_a_headline_beside_the_lede_it_restates():
    from tui.core.align import _tier_array
    from tui.core.evidence import _Scores
    from tui.core.rowpasses import _summary_join
    from tui.core.model import KIND_HEADLINE
    from tui.core.similarity import Index
    from tui.core.text import features

    wire = make_source(0, [
        "Tamsk floods force 2,000 Aldmere residents from their homes",
        "Flooding drove 2,000 residents out of their homes in Aldmere on Sunday after the Tamsk rose.",
        "Mayor Helen Okafor said the flood barriers had failed at two points.",
    ], kinds={0: KIND_HEADLINE})
    local = make_source(1, [
        "Aldmere flood: 2,000 forced from homes as Tamsk bursts banks",
        "Some 2,000 Aldmere residents were forced from their homes on Sunday when the Tamsk burst its banks.",
        "The mayor, Helen Okafor, admitted that the barriers had given way in two places.",
    ], kinds={0: KIND_HEADLINE})
    sources = [wire, local]
    flat = [(s, i) for s in range(2) for i in range(3)]
    src = np.array([s for s, _ in flat])
    scores = _Scores(Index([features(sources[s].sentences[i].text) for s, i in flat]),
                     _tier_array(sources, flat))
    # the two layers aligned apart: headlines together, ledes together, mayors together
    groups = [[0, 3], [1, 4], [2, 5]]
    out = sorted(_summary_join(groups, src, scores, 0.35))
    assert out == [[0, 1, 3, 4], [2, 5]]
    # a headline no body row supports stays where it was
    lonely = [[0], [3], [1, 4], [2, 5]]
    scores.index = Index([features(t) for t in [
        "Council approves new budget for harbour district", sources[0].sentences[1].text,
        sources[0].sentences[2].text, "Weather: snow expected in the hills by Friday",
        sources[1].sentences[1].text, sources[1].sentences[2].text]])
    assert sorted(_summary_join(lonely, src, scores, 0.35)) == [[0], [1, 4], [2, 5], [3]]


def test_a_short_sentence_told_whole_inside_another_shares_its_row():
    """A short statement ("no passengers on board", two content words) is held to a high bar as a
    fragment, but not against the same statement with a clause added: that is one sentence, told whole.
    (The eleven-outlet merriton-runway-overrun had it alone beside three copies, at 0.73.)"""
    lead = ["A cargo jet ran off the runway at Merriton Airport late on Tuesday.",
            "The jet went through the perimeter fence and stopped in a field."]
    sources = make_sources(
        [*lead, "There were no passengers on board.", "The airport stayed closed on Wednesday."],
        [*lead, "There were no passengers on board.", "Forty-two flights were cancelled."],
        [*lead, "There were no passengers on board.", "The airport hopes to reopen on Thursday."],
        [*lead, "There were no passengers on board, as it was a pure freight flight.",
         "Investigators recovered both flight recorders."],
    )
    al = align(sources)
    check_contract(al)
    assert all(together(al, (0, 2), (s, 2)) for s in (1, 2, 3))
    # the bar still holds for a fragment whose words are not all in the other sentence
    frag = make_sources(["No passengers.", "The airport stayed closed on Wednesday."],
                        ["There were passengers stranded at the terminal for hours.", "Flights resumed."])
    al = align(frag)
    assert not together(al, (0, 0), (1, 0))


def test_short_pairs_relieves_only_a_short_unit_told_whole_in_the_other():
    import numpy as np

    from tui.core.align import _features, _short_pairs
    from tui.core.params import DEFAULT_PARAMS
    texts = ["There were no passengers on board.",                      # short, two content stems
             "There were no passengers on board, as it was a freight flight.",
             "Passengers were stranded at the terminal on board buses.",  # holds both: relieved too (the threshold decides)
             "There was no fire.",                                       # short, one content stem
             "Four fire engines were sent to the airport."]
    feats = [_features(t) for t in texts]
    strict = np.array([len(f.stems) <= DEFAULT_PARAMS.short_stems for f in feats])
    assert strict.tolist() == [True, False, False, True, False]
    a, b = np.array([0, 0, 3, 1]), np.array([1, 2, 4, 2])
    assert _short_pairs(feats, strict, a, b).tolist() == [False, False, True, False]
    from dataclasses import replace
    off = replace(DEFAULT_PARAMS, short_contained_stems=0)
    assert _short_pairs(feats, strict, a, b, off).tolist() == [True, True, True, False]
