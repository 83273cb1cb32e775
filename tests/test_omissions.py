"""The omission model: what counts as widely reported, left out and unique (tui.core.omissions)."""

from __future__ import annotations

import pytest

from tui.core.model import KIND_HEADLINE, AlignSettings, Alignment, Row, Sentence, Source
from tui.core.omissions import (
    UNCERTAIN_BELOW,
    OmissionParams,
    example,
    is_uncertain,
    needed_sources,
    omissions,
)


def corpus(pattern: list[str], *, share: float = 0.5, kinds: dict[tuple[int, int], str] | None = None,
           scores: list[float] | None = None, cell=lambda i: i) -> Alignment:
    """Rows from a pattern: row ``r`` is the string ``pattern[r]``, one character per source ('x' = has it).

    Source ``s``'s sentences are numbered in row order, so every sentence is in exactly one row.
    ``cell`` builds a cell from a sentence index (to try other cell shapes).
    """
    n = len(pattern[0])
    counts = [0] * n
    cells_of: list[list[int | None]] = []
    texts: list[list[str]] = [[] for _ in range(n)]
    for r, line in enumerate(pattern):
        cells: list[int | None] = []
        for s, ch in enumerate(line):
            if ch == "x":
                cells.append(counts[s])
                texts[s].append(f"Source {s} says thing {r}" + "." * (s + 1))
                counts[s] += 1
            else:
                cells.append(None)
        cells_of.append(cells)
    kinds = kinds or {}
    sources = []
    for s in range(n):
        text, sentences = "", []
        for i, t in enumerate(texts[s]):
            sentences.append(Sentence(s, i, t, len(text), len(text) + len(t), kinds.get((s, i), "body")))
            text += t + " "
        sources.append(Source(s, f"{s:02d}.txt", f"S{s}", text, tuple(sentences)))
    rows = tuple(
        Row(tuple(None if c is None else cell(c) for c in cells), score=(scores[r] if scores else 0.9))
        for r, cells in enumerate(cells_of)
    )
    return Alignment(tuple(sources), rows, AlignSettings(min_share=share))


def test_needed_sources_rounds_up_and_never_below_two():
    assert needed_sources(5, 0.5) == 3  # at least half of five is three
    assert needed_sources(4, 0.5) == 2
    assert needed_sources(2, 0.5) == 2
    assert needed_sources(3, 0.0) == 2  # a row one source has is never widely reported
    assert needed_sources(5, 0.6) == 3  # 0.6 * 5 is 3.0000000000000004 in floating point
    assert needed_sources(10, 1.0) == 10
    for bad in (-0.1, 1.5, float("nan")):
        with pytest.raises(ValueError):
            needed_sources(5, bad)


def test_widely_reported_left_out_and_unique():
    al = corpus([
        "xxxxx",  # 0: all
        "xxx..",  # 1: widely reported, 3 and 4 leave it out
        "xx...",  # 2: two of five: not widely reported, nobody's omission
        "..x..",  # 3: unique to 2
        ".xxxx",  # 4: widely reported, 0 leaves it out
        "....x",  # 5: unique to 4
    ])
    model = omissions(al)
    assert model.needed == 3
    assert model.widely_reported == (0, 1, 4)
    assert model.omitted == (1, 4)
    assert [r.left_out_by for r in model.rows] == [(), (3, 4), (), (), (0,), ()]
    assert model.rows[1].reporters == (0, 1, 2)
    assert [r.unique for r in model.rows] == [False, False, False, True, False, True]
    assert model.leaves_out(3, 1) and not model.leaves_out(3, 2) and not model.leaves_out(0, 1)
    assert model.only_in(2, 3) and not model.only_in(1, 3)
    by = {a.source: a for a in model.sources}
    assert [by[s].left_out for s in range(5)] == [(4,), (), (), (1,), (1,)]
    assert [by[s].unique for s in range(5)] == [(), (), (3,), (), (5,)]
    assert {a.widely_reported for a in model.sources} == {3}
    assert (by[4].leaves_out, by[4].reports_unique) == (1, 1)


def test_the_share_comes_from_the_settings_or_the_caller():
    pattern = ["xxxx", "xx..", "xxx."]
    assert omissions(corpus(pattern, share=0.5)).widely_reported == (0, 1, 2)
    assert omissions(corpus(pattern, share=0.75)).widely_reported == (0, 2)
    assert omissions(corpus(pattern, share=0.5), min_share=1.0).widely_reported == (0,)
    assert omissions(corpus(pattern), min_share=1.0).min_share == 1.0
    with pytest.raises(ValueError):
        omissions(corpus(pattern), min_share=2.0)


def test_two_sources_leave_nothing_out():
    """With two outlets a row the other lacks is unique to one of them: nobody's omission."""
    model = omissions(corpus(["xx", "x.", ".x"]))
    assert model.omitted == ()
    assert [a.unique for a in model.sources] == [(1,), (2,)]


def test_rows_of_headlines_only_are_not_omissions():
    al = corpus(["xxx.", "xxx.", "x..."], kinds={(0, 0): KIND_HEADLINE, (1, 0): KIND_HEADLINE, (2, 0): KIND_HEADLINE})
    model = omissions(al)
    assert model.rows[0].summary and not model.rows[0].widely_reported
    assert model.rows[0].left_out_by == ()
    assert model.widely_reported == (1,)
    assert model.sources[3].left_out == (1,)
    assert model.sources[0].widely_reported == 1


def test_the_model_does_not_care_what_shape_a_cell_has():
    """A cell may become a tuple of sentence indices (split statements); the answers must not change."""
    pattern = ["xxxx", "xxx.", "x...", ".xx."]
    plain = omissions(corpus(pattern))
    tupled = omissions(corpus(pattern, cell=lambda i: (i,)))
    assert plain == tupled


def test_uncertain_rows():
    al = corpus(["xxx", "xx.", "x.."], scores=[0.95, UNCERTAIN_BELOW - 0.01, 0.1])
    model = omissions(al)
    assert [r.uncertain for r in model.rows] == [False, True, False]  # a lone sentence is never uncertain
    assert is_uncertain(Row((0, 0), score=0.3)) and not is_uncertain(Row((0, 0), score=UNCERTAIN_BELOW))


def test_example_prefers_the_given_source_else_the_fullest_telling():
    al = corpus(["xxx", ".xx"])
    assert example(al, 1, prefer=(1,)) == (1, al.cell_text(1, 1))
    assert example(al, 1, prefer=(0,)) == (2, al.cell_text(1, 2))  # 0 lacks it; 2's text is longest
    assert example(al, 0) == (2, al.cell_text(0, 2))


def test_example_shows_a_body_sentence_not_a_headline_run_into_it():
    """A headline beside its lede is left out of the example text, and a source with a body
    sentence in the row is shown before one with only a headline there, however long."""
    head = "Cargo jet skids off runway and into a farmer's field near the airport last night"
    texts = [[(head, KIND_HEADLINE), ("A cargo jet skidded off the end of the runway.", "body")],
             [("A cargo jet ran off the runway.", "body")],
             [("Jet overruns runway, ploughs into field, airport shut for the whole of Wednesday",
               KIND_HEADLINE)]]
    sources = []
    for sid, sents in enumerate(texts):
        text, made = "", []
        for i, (t, kind) in enumerate(sents):
            made.append(Sentence(sid, i, t, len(text), len(text) + len(t), kind))
            text += t + "\n"
        sources.append(Source(id=sid, name=f"{sid:02d}.txt", label=f"o{sid}", text=text,
                              sentences=tuple(made)))
    al = Alignment(tuple(sources), (Row(((0, 1), (0,), (0,)), 0.8),), AlignSettings())
    assert example(al, 0) == (0, "A cargo jet skidded off the end of the runway.")
    assert example(al, 0, prefer=(0,)) == (0, "A cargo jet skidded off the end of the runway.")
    assert example(al, 0, prefer=(2,))[0] == 2  # asked for: its headline is all it has


def test_seeds_leave_out_few_rows(seeds_alignment):
    """On the seeds most rows lack some source; only a few are anyone's omission."""
    model = omissions(seeds_alignment)
    rows = len(seeds_alignment.rows)
    partial = sum(1 for r in seeds_alignment.rows if r.count < len(seeds_alignment.sources))
    assert partial > rows * 0.8
    assert 0 < len(model.omitted) < rows / 4
    for r in model.rows:
        assert not r.widely_reported or (len(r.reporters) >= 3 and not r.summary)
        assert set(r.reporters).isdisjoint(r.left_out_by)
        assert {s for s, _ in r.elsewhere}.isdisjoint(r.left_out_by)
        assert set(r.reporters) | {s for s, _ in r.elsewhere} | set(r.left_out_by) == (
            set(range(len(seeds_alignment.sources))) if r.widely_reported else set(r.reporters))


# ------------------------------------------------------------------ the evidence rules


def story(rows: list[dict[int, str | tuple[str, str]]], n: int) -> Alignment:
    """An alignment of real sentences: ``rows[r][s]`` is source ``s``'s sentence in row ``r``.

    A value ``(kind, text)`` gives the sentence a kind (a headline); rows list
    each source's sentences in reading order.
    """
    texts: list[list[tuple[str, str]]] = [[] for _ in range(n)]
    cells: list[list[int | None]] = []
    for r in rows:
        line: list[int | None] = []
        for s in range(n):
            if s in r:
                v = r[s]
                texts[s].append(v if isinstance(v, tuple) else ("body", v))
                line.append(len(texts[s]) - 1)
            else:
                line.append(None)
        cells.append(line)
    sources = []
    for s in range(n):
        text, sentences = "", []
        for i, (kind, t) in enumerate(texts[s]):
            sentences.append(Sentence(s, i, t, len(text), len(text) + len(t), kind))
            text += t + " "
        sources.append(Source(s, f"{s:02d}.txt", f"S{s}", text, tuple(sentences)))
    return Alignment(tuple(sources), tuple(Row(tuple(c), score=0.9) for c in cells), AlignSettings())


CRACKS = "Divers found deep cracks in Pier 2 of St Aldric's Bridge during a routine underwater inspection on Monday."
FUND = "The council has set up a hardship fund of 150,000 pounds for shops hit by the closure."
SHUTTLE = "A free shuttle bus will run every 20 minutes between the Eastside estate and the town centre."


def test_a_source_that_tells_the_fact_in_another_row_does_not_leave_it_out():
    """Source 3 lacks row 0, but its row-3 sentence says what row 0 says: it reports it elsewhere."""
    al = story([
        {0: CRACKS, 1: CRACKS.replace("Divers", "Engineering divers"), 2: "On Monday divers found cracks in Pier 2 "
         "of St Aldric's Bridge during a routine underwater inspection."},
        {0: FUND, 1: FUND.replace("set up", "established"), 3: FUND.replace("shops", "small shops")},
        {0: SHUTTLE, 2: SHUTTLE.replace("20", "twenty")},
        {3: "During a routine underwater inspection on Monday, divers found deep cracks in Pier 2 of St Aldric's "
            "Bridge, the council said."},
    ], 4)
    model = omissions(al)
    assert model.needed == 2
    row = model.rows[0]
    assert row.widely_reported
    assert row.left_out_by == ()  # before: (3,)
    assert row.elsewhere == ((3, 3),) and row.elsewhere_row(3) == 3 and row.elsewhere_row(2) is None
    assert row.reported_by == 4
    assert model.sources[3].elsewhere == ((0, 3),)
    assert 0 not in model.sources[3].left_out
    # a source with nothing like it still leaves a row out: 2 lacks the fund, 1 and 3 the shuttle
    assert model.rows[1].left_out_by == (2,)
    assert model.rows[2].left_out_by == (1, 3)
    assert model.rows[2].elsewhere == ()


def test_the_elsewhere_rule_has_a_threshold():
    al = story([
        {0: CRACKS, 1: CRACKS, 2: CRACKS},
        {3: CRACKS.replace("Monday", "Tuesday")},
    ], 4)
    assert omissions(al).rows[0].left_out_by == ()
    assert omissions(al, params=OmissionParams(elsewhere_at=1.01)).rows[0].left_out_by == (3,)


def test_a_headline_alone_reports_a_row_but_does_not_make_it_widely_reported():
    """Five sources need three; a row of two body sentences and a headline is not widely reported."""
    headline = ("headline", "Cracks found in Pier 2 of St Aldric's Bridge")
    al = story([
        {2: headline, 3: ("headline", "Bridge shut"), 4: ("headline", "Council sets up fund")},
        {0: CRACKS, 1: CRACKS.replace("deep", "large")},
        {0: FUND, 1: FUND, 2: FUND, 4: FUND.replace("shops", "traders")},
        {0: SHUTTLE, 1: SHUTTLE, 2: SHUTTLE, 3: ("headline", "Free shuttle bus every 20 minutes to the town centre")},
    ], 5)
    # put source 2's headline beside the cracks row, as the aligner's summary join does
    rows = list(al.rows)
    rows[0] = Row((None, None, None, 0, 0), score=0.9)
    rows[1] = Row((0, 0, 0, None, None), score=0.6)
    al = Alignment(al.sources, tuple(rows), al.settings)
    model = omissions(al)
    assert model.needed == 3
    assert not model.rows[1].widely_reported  # before: widely reported, 3 and 4 leaving it out
    assert model.rows[1].left_out_by == ()
    # a row told in three bodies is widely reported; a headline beside it still reports it
    assert model.rows[3].widely_reported
    assert model.rows[3].left_out_by == (4,)  # not 3: its headline tells it
    assert model.rows[2].left_out_by == (3,)


def test_a_key_point_bullet_counts_towards_the_share_where_a_headline_does_not():
    """A key point restates one fact: with two bodies it makes three of five; a headline does not."""
    for kind, widely in (("bullet", True), ("headline", False)):
        al = story([
            {2: (kind, "Divers found cracks in Pier 2"), 3: ("headline", "Bridge shut")},
            {0: CRACKS, 1: CRACKS.replace("deep", "large")},
            {2: FUND, 3: FUND, 4: FUND},
        ], 5)
        rows = list(al.rows)
        rows[0] = Row((None, None, None, 0, None), score=0.9)  # source 2's line beside the cracks row
        rows[1] = Row((0, 0, 0, None, None), score=0.6)
        al = Alignment(al.sources, tuple(rows), al.settings)
        model = omissions(al)
        assert model.rows[1].widely_reported is widely, kind
        assert model.rows[1].left_out_by == ((3, 4) if widely else ())


def test_a_lone_headline_or_heading_is_no_row_only_its_outlet_reports():
    """An outlet's own headline or a section heading alone in its row is layout: not unique, not u's stop."""
    al = story([
        {0: ("headline", "Bridge shut after divers find cracks")},
        {1: ("heading", "No pollution")},
        {0: CRACKS, 1: CRACKS.replace("deep", "large")},
        {1: SHUTTLE},
    ], 2)
    model = omissions(al)
    assert [r.summary for r in model.rows] == [True, True, False, False]
    assert [r.unique for r in model.rows] == [False, False, False, True]
    assert not model.only_in(0, 0) and not model.only_in(1, 1) and model.only_in(1, 3)
    assert (model.sources[0].unique, model.sources[1].unique) == ((), (3,))


def test_a_fact_split_over_two_rows_counts_once_when_asked():
    """With ``elsewhere_counts`` a fact two rows tell is widely reported once, at the first of them."""
    al = story([
        {0: CRACKS, 1: CRACKS.replace("deep", "large")},
        {4: SHUTTLE, 5: SHUTTLE},
        {2: CRACKS.replace("Monday", "Monday morning"), 3: CRACKS.replace("routine", "regular")},
    ], 6)
    plain = omissions(al, params=OmissionParams(twin_at=1.01))
    assert plain.needed == 3 and plain.widely_reported == ()
    split = omissions(al, params=OmissionParams(elsewhere_counts=True, twin_at=1.01))
    assert split.widely_reported == (0,)
    assert split.rows[0].elsewhere == ((2, 2), (3, 2))
    assert split.rows[0].left_out_by == (4, 5)
    assert split.sources[4].left_out == (0,)  # once, not once per row


def test_the_evidence_is_built_once_per_corpus(seeds_alignment):
    from tui.core.omissions_evidence import evidence_for

    first = evidence_for(seeds_alignment.sources)
    assert evidence_for(seeds_alignment.sources) is first
    assert evidence_for(list(seeds_alignment.sources)) is first
    assert omissions(seeds_alignment) == omissions(seeds_alignment)


def test_the_aligners_pairs_are_the_evidence_it_would_build(seeds_sources):
    """align() hands its scored candidates over; built afresh (a resumed session) they are the same."""
    from tui.core.align import align
    from tui.core.omissions_evidence import PairEvidence, evidence_for

    al = align(seeds_sources)
    handed = evidence_for(al.sources)
    fresh = PairEvidence(al.sources)
    assert handed is not fresh
    sentences = [(s, i) for s, src in enumerate(al.sources) for i in range(len(src.sentences))]
    for s, i in sentences:
        assert sorted(handed.partners(s, i)) == pytest.approx(sorted(fresh.partners(s, i)))
    headline = next((s, i) for s, i in sentences if al.sources[s].sentences[i].kind == KIND_HEADLINE)
    assert any(al.sources[t].sentences[j].kind == "body" for (t, j), _ in fresh.partners(*headline))


def test_two_rows_of_one_fact_with_no_source_in_common_are_one_fact():
    """Two outlets in one row, two in another, all telling the cracks: nobody leaves them out.

    The elsewhere rule is off, so only the twin rule can join them.
    """
    rows = [
        {0: CRACKS, 1: CRACKS.replace("deep", "large")},
        {0: FUND, 1: FUND, 2: FUND.replace("shops", "traders")},
        {2: CRACKS.replace("Monday", "Monday morning"), 3: CRACKS.replace("routine", "regular")},
    ]
    al = story(rows, 4)
    apart = omissions(al, params=OmissionParams(elsewhere_at=1.01, twin_at=1.01))
    assert apart.rows[0].left_out_by == (2, 3) and apart.rows[2].left_out_by == (0, 1)
    model = omissions(al, params=OmissionParams(elsewhere_at=1.01))
    assert model.rows[0].widely_reported and model.rows[0].left_out_by == ()
    assert model.rows[0].elsewhere == ((2, 2), (3, 2)) and model.rows[0].reported_by == 4
    assert not model.rows[2].widely_reported and model.rows[2].left_out_by == ()  # counted once, at the first
    assert model.widely_reported == (0, 1)
    assert model.sources[3].elsewhere == ((0, 2),) and model.sources[3].left_out == (1,)
    # a source of one row that says something else keeps the rows apart, however well the others match
    rows[2] = {2: rows[2][2], 3: SHUTTLE}
    model = omissions(story(rows, 4), params=OmissionParams(elsewhere_at=1.01))
    assert model.rows[0].left_out_by == (2, 3) and model.rows[2].left_out_by == (0, 1)
