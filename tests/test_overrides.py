"""Manual alignment fixes: unlink, link, refusals, and the invariants they must keep."""

from __future__ import annotations

import random

import pytest

from tui.core.model import AlignSettings, Alignment, Override, Row, Sentence, Source, alignment_problems
from tui.core.overrides import apply_overrides, apply_overrides_report, validate_override


def make_source(sid: int, texts: list[str]) -> Source:
    sentences = []
    pos = 0
    for i, t in enumerate(texts):
        sentences.append(Sentence(sid, i, t, pos, pos + len(t)))
        pos += len(t) + 1
    return Source(id=sid, name=f"s{sid}.txt", label=f"Outlet {sid}", text="\n".join(texts), sentences=tuple(sentences))


def corpus() -> Alignment:
    """Three sources; rows: (0,0,0) (1,1,-) (2,-,1) (-,2,2) (3,-,-)."""
    a = make_source(0, ["A0", "A1", "A2", "A3"])
    b = make_source(1, ["B0", "B1", "B2"])
    c = make_source(2, ["C0", "C1", "C2"])
    rows = (
        Row((0, 0, 0), 0.9),
        Row((1, 1, None), 0.7),
        Row((2, None, 1), 0.6),
        Row((None, 2, 2), 0.8),
        Row((3, None, None), 1.0),
    )
    return Alignment((a, b, c), rows, AlignSettings(pivot=0))


def check_invariants(al: Alignment) -> None:
    seen = []
    for row in al.rows:
        assert row.count >= 1, "empty row left behind"
        assert len(row.cells) == len(al.sources)
        seen += row.members
    expected = [(s.id, x.index) for s in al.sources for x in s.sentences]
    assert sorted(seen) == sorted(expected), "a sentence is missing or duplicated"
    assert alignment_problems(al) == [], "every cell stays valid"


def row_of(al: Alignment, source: int, index: int) -> int:
    return next(r for r, row in enumerate(al.rows) if row.holds(source, index))


def test_unlink_makes_a_single_row_right_after_the_old_one():
    al = corpus()
    out = apply_overrides(al, [Override("unlink", 1, 0)])
    assert out.rows[0] == Row((0, None, 0), 0.9)
    # lost a member, keeps its score
    assert out.rows[1] == Row((None, 0, None), 1.0)
    assert out.rows[2:] == al.rows[1:]
    check_invariants(out)


def test_unlink_leaving_a_single_scores_it_one():
    out = apply_overrides(corpus(), [Override("unlink", 0, 1)])
    assert out.rows[1] == Row((None, 1, None), 1.0)
    assert out.rows[2] == Row((1, None, None), 1.0)


def test_link_moves_the_sentence_and_drops_the_emptied_row():
    al = corpus()
    # A3 (alone in the last row) joins the row of B2/C2
    out = apply_overrides(al, [Override("link", 0, 3, anchor_source=1, anchor_index=2)])
    assert len(out.rows) == len(al.rows) - 1
    assert out.rows[3] == Row((3, 2, 2), 1.0)
    check_invariants(out)


def test_link_out_of_a_shared_row_keeps_the_rest():
    al = corpus()
    out = apply_overrides(al, [Override("link", 2, 1, anchor_source=1, anchor_index=1)])
    assert out.rows[1].cells == ((1,), (1,), (1,))
    assert out.rows[2] == Row((2, None, None), 1.0)
    check_invariants(out)


@pytest.mark.parametrize(
    ("override", "words"),
    [
        (Override("link", 1, 2, anchor_source=0, anchor_index=0), "already holds"),
        (Override("unlink", 0, 3), "row of its own"),
        (Override("link", 0, 0, anchor_source=0, anchor_index=0), "itself"),
        (Override("link", 1, 0, anchor_source=2, anchor_index=0), "already in that row"),
        (Override("unlink", 1, 9), "has no sentence #9"),
        (Override("unlink", 7, 0), "not part of this comparison"),
        (Override("link", 0, 3), "names no sentence"),
        (Override("merge", 0, 3), "unknown"),
    ],
)
def test_invalid_overrides_are_refused_with_a_reason_and_skipped(override, words):
    al = corpus()
    reason = validate_override(al, override)
    assert reason is not None and words in reason
    assert "\n" not in reason
    result = apply_overrides_report(al, [override])
    assert result.alignment == al
    assert result.refused == ((override, reason),)
    assert result.applied == ()


def test_report_lists_applied_and_refused_and_marks_manual_rows():
    al = corpus()
    good = Override("unlink", 1, 0)
    bad = Override("link", 2, 2, anchor_source=0, anchor_index=0)  # row 0 keeps C0, C2 does not continue it
    res = apply_overrides_report(al, [good, bad])
    assert res.applied == (good,)
    assert [o for o, _ in res.refused] == [bad]
    assert res.manual_rows == frozenset({0, 1})


def test_validity_is_judged_after_the_earlier_overrides():
    al = corpus()
    # B2 does not continue B0, so it may only join row 0 once B0 has left it
    ovs = [Override("link", 1, 2, anchor_source=0, anchor_index=0)]
    assert apply_overrides_report(al, ovs).refused
    ovs = [Override("unlink", 1, 0), *ovs]
    res = apply_overrides_report(al, ovs)
    assert not res.refused
    assert res.alignment.rows[row_of(res.alignment, 0, 0)] == Row((0, 2, 0))
    check_invariants(res.alignment)


def test_apply_is_pure_and_deterministic():
    al = corpus()
    ovs = [Override("unlink", 1, 0), Override("link", 1, 0, anchor_source=0, anchor_index=3)]
    before = al.rows
    assert apply_overrides(al, ovs) == apply_overrides(al, ovs)
    assert al.rows == before


def random_alignment(rng: random.Random) -> Alignment:
    n_sources = rng.randint(2, 5)
    sources = [make_source(s, [f"S{s}-{i}" for i in range(rng.randint(1, 8))]) for s in range(n_sources)]
    pending = [(s, i) for s in range(n_sources) for i in range(len(sources[s].sentences))]
    rng.shuffle(pending)
    rows: list[list[int | None]] = []
    for s, i in pending:
        options = [r for r in rows if r[s] is None]
        if options and rng.random() < 0.6:
            rng.choice(options)[s] = i
        else:
            cells: list[int | None] = [None] * n_sources
            cells[s] = i
            rows.append(cells)
    return Alignment(tuple(sources), tuple(Row(tuple(r), rng.random()) for r in rows))


def random_override(rng: random.Random, al: Alignment) -> Override:
    s = rng.randrange(len(al.sources))
    i = rng.randrange(len(al.sources[s].sentences) + 1)  # sometimes one past the end
    if rng.random() < 0.4:
        return Override("unlink", s, i)
    t = rng.randrange(len(al.sources))
    return Override("link", s, i, anchor_source=t, anchor_index=rng.randrange(len(al.sources[t].sentences)))


def test_random_sequences_keep_the_invariants():
    rng = random.Random(1234)
    applied = refused = 0
    for _ in range(300):
        al = random_alignment(rng)
        ovs = [random_override(rng, al) for _ in range(rng.randint(1, 12))]
        res = apply_overrides_report(al, ovs)
        check_invariants(res.alignment)
        applied += len(res.applied)
        refused += len(res.refused)
        assert len(res.applied) + len(res.refused) == len(ovs)
        if res.applied:
            last = res.applied[-1]  # the last applied fix is visible in the result
            row = res.alignment.rows[row_of(res.alignment, last.source, last.index)]
            if last.kind == "unlink":
                assert row.count == 1
            else:
                assert row.holds(last.anchor_source, last.anchor_index)
    assert applied > 300 and refused > 100  # the generator exercises both paths


def test_a_link_holds_whatever_the_row_order():
    """Overrides name sentences, not rows, so a pivot change keeps their meaning."""
    al = corpus()
    by_b = Alignment(al.sources, tuple(sorted(al.rows, key=lambda r: (not r.cells[1], r.cells[1]))),
                     AlignSettings(pivot=1))
    ovs = [Override("unlink", 2, 0), Override("link", 2, 0, anchor_source=0, anchor_index=3),
           Override("link", 1, 2, anchor_source=0, anchor_index=2)]
    for base in (al, by_b):
        out = apply_overrides_report(base, ovs)
        assert not out.refused
        rows = {row.cells for row in out.alignment.rows}
        assert Row((3, None, 0)).cells in rows
        assert Row((2, 2, 1)).cells in rows
        assert Row((None, None, 2)).cells in rows
        check_invariants(out.alignment)
