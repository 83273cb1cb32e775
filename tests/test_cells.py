"""The row model: a cell holds a run of consecutive body sentences plus summary lines.

Issue 10 lets a row hold two or more consecutive sentences of one source (an
outlet that says in two sentences what another says in one) and an outlet's
headline, headings or leading bullets beside the body sentence they restate.
These tests hold the model's one rule (:func:`tui.core.model.cell_problem`)
and every consumer of rows -- ordering, export, evaluation, comparison,
manual fixes, sessions -- to it, on hand-made cases and on random valid row
sets (``tests/rowsets.py``), independent of what the aligner happens to build.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import replace
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rowsets import make_source, random_alignment
from strategies import profile
from tui.core.align import _order_rows, tiers
from tui.core.rowid import row_ids
from tui.core.compare import compare_row
from tui.core.evaluate import predicted_links
from tui.core.export import LONG_HEADER, WIDE_LEAD, export, guard_cell
from tui.core.model import (BODY, CELL_SEPARATOR, KIND_BODY, KIND_BULLET, KIND_HEADING, KIND_HEADLINE, SUMMARY,
                            AlignSettings, Alignment, Annotation, Override, Row, alignment_problems, cell_problem,
                            sentence_layers)
from tui.core.overrides import apply_overrides, apply_overrides_report, validate_override
from tui.core.session import Session

B, H, K, L = KIND_BODY, KIND_HEADLINE, KIND_HEADING, KIND_BULLET


# --------------------------------------------------------------------------- the rule


def test_a_row_takes_the_old_one_index_shape_and_normalises_it():
    row = Row((3, None, (5, 4)), 0.5)
    assert row.cells == ((3,), (), (4, 5))
    assert row == Row(((3,), (), (4, 5)), 0.5)
    assert row.coverage == (0, 2) and row.count == 2 and row.size == 3
    assert row.members == ((0, 3), (2, 4), (2, 5))
    assert row.holds(2, 5) and not row.holds(1, 0) and not row.holds(9, 0)
    assert (row.first(0), row.first(1), row.first(2)) == (3, None, 4)


def test_layers_live_in_the_model_and_the_aligner_uses_the_same_rule():
    src = make_source(0, [H, K, L, L, B, B, K, B])
    # the bullets come before any full body sentence of at least six words, but
    # the random words may or may not make the body sentences "full": take the rule's word for it
    layer = sentence_layers(src)
    assert layer[:2] == (SUMMARY, SUMMARY) and layer[6] == SUMMARY and layer[4] == layer[5] == layer[7] == BODY
    assert tiers([src]) == [list(layer)]


@pytest.mark.parametrize(("cell", "ok"), [
    ((), True),
    ((4,), True),
    ((4, 5), True),                 # a split statement
    ((0, 4), True),                 # the headline beside the lede
    ((0, 1, 4, 5), True),           # headline, heading, a two-sentence run
    ((5, 7), True),                 # a heading (6) between the two halves of a run
    ((5, 6, 7), True),
    ((4, 7), False),                # body sentence 5 lies between
    ((4, 5, 7), True),              # only the heading lies between 5 and 7
    ((3, 5), False),
    ((5, 4), False),                # not ascending
    ((4, 4), False),
    ((8,), False),                  # no such sentence
    ((-1,), False),
])
def test_cell_problem(cell, ok):
    layers = (SUMMARY, SUMMARY, BODY, BODY, BODY, BODY, SUMMARY, BODY)
    why = cell_problem(cell, layers)
    assert (why is None) == ok, why
    if not ok:
        assert "\n" not in why


def test_alignment_problems_names_each_way_a_row_set_breaks_the_model():
    a = make_source(0, [B, B, B])
    b = make_source(1, [B, B])
    good = Alignment((a, b), (Row(((0, 1), (0,))), Row((2, 1))))
    assert alignment_problems(good) == []
    gap = Alignment((a, b), (Row(((0, 2), (0,))), Row((1, 1))))
    assert any("not consecutive" in p for p in alignment_problems(gap))
    twice = Alignment((a, b), (Row(((0, 1), (0,))), Row(((1, 2), (1,)))))
    assert any("rows #0 and #1" in p for p in alignment_problems(twice))
    lost = Alignment((a, b), (Row(((0, 1), (0,))),))
    assert any("in no row" in p for p in alignment_problems(lost))
    empty = Alignment((a, b), (Row(((0, 1, 2), (0, 1))), Row(((), ()))))
    assert any("empty" in p for p in alignment_problems(empty))


def test_cell_text_joins_the_sentences_and_cell_spans_point_into_it():
    a = make_source(0, [H, B, B])
    b = make_source(1, [B])
    al = Alignment((a, b), (Row(((0, 1, 2), (0,))),))
    text = al.cell_text(0, 0)
    assert text == CELL_SEPARATOR.join(s.text for s in a.sentences)
    for index, start, end in al.cell_spans(0, 0):
        assert text[start:end] == a.sentences[index].text
    assert al.cell_text(0, 1) == b.sentences[0].text
    assert [s.index for s in al.cell_sentences(0, 0)] == [0, 1, 2]
    assert al.row_index() == {(0, 0): 0, (0, 1): 0, (0, 2): 0, (1, 0): 0}


# --------------------------------------------------------------------------- ordering


def test_a_row_is_placed_by_its_first_body_sentence_not_by_a_headline_beside_it():
    pivot = make_source(0, [H, B, B, B])
    other = make_source(1, [H, B, B])
    rows = [
        Row(((0, 2), (1,))),        # the pivot's headline beside its second body sentence
        Row(((1,), (0,))),
        Row(((3,), ())),
        Row(((), (2,))),
    ]
    ordered = _order_rows(rows, [pivot, other], 0)
    assert ordered == [rows[1], rows[0], rows[3], rows[2]]


def test_a_run_in_the_pivot_is_one_row_in_its_place_and_the_rest_follow_their_neighbours():
    pivot = make_source(0, [B, B, B, B])
    other = make_source(1, [B, B, B])
    rows = [Row(((3,), ())), Row(((1, 2), (0,))), Row(((), (1,))), Row(((0,), ())), Row(((), (2,)))]
    ordered = _order_rows(rows, [pivot, other], 0)
    assert ordered == [rows[3], rows[1], rows[2], rows[4], rows[0]]
    # outside the pivot, a row with a summary line and a body sentence follows the body's neighbour
    wire = make_source(0, [B, B])
    local = make_source(1, [H, B, B, B])
    rows = [Row(((0,), (1,))), Row(((1,), (2,))), Row(((), (0, 3)))]
    assert _order_rows(rows, [wire, local], 0) == [rows[0], rows[1], rows[2]]


# --------------------------------------------------------------------------- export


def _read(alignment: Alignment, fmt: str, **kw) -> list[list[str]]:
    buf = io.StringIO(newline="")
    export(alignment, fmt, buf, **kw)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


@profile()
@given(st.randoms(use_true_random=False), st.booleans())
def test_long_csv_lists_every_sentence_exactly_once_with_its_row(rng, guard):
    al = random_alignment(rng)
    header, *lines = _read(al, "long", guard=guard)
    assert tuple(header) == LONG_HEADER
    where = al.row_index()
    ids = row_ids(al)
    names = {s.name: s.id for s in al.sources}
    keys = [(names[line[2]], int(line[3])) for line in lines]
    assert sorted(keys) == sorted(where), "every content sentence exactly once"
    for line, key in zip(lines, keys):
        assert int(line[0]) == where[key]
        assert line[1] == ids[where[key]]
        row = al.rows[where[key]]
        assert line[7] == str(row.count)
        sentence = al.sentence(*key)
        assert line[4] == (guard_cell(sentence.text) if guard else sentence.text)
        assert (int(line[5]), int(line[6])) == (sentence.start, sentence.end)
    # reading order, then sources in corpus order, then the cell's sentences in reading order
    assert [(int(line[0]), *k) for line, k in zip(lines, keys)] == sorted((where[k], *k) for k in keys)


@profile()
@given(st.randoms(use_true_random=False))
def test_wide_csv_joins_a_cells_sentences_in_the_cell(rng):
    al = random_alignment(rng)
    header, *lines = _read(al, "wide", guard=False)
    n = len(al.sources)
    assert len(lines) == len(al.rows)
    for r, (row, line) in enumerate(zip(al.rows, lines)):
        assert line[:len(WIDE_LEAD)] == [str(r), row_ids(al)[r], str(row.count), f"{row.score:.3f}"]
        for s, cell in enumerate(row.cells):
            assert line[4 + s] == " ".join(al.sources[s].sentences[i].text for i in cell)
        assert sum(1 for c in line[4:4 + n] if c) == row.count


def test_wide_csv_guards_a_joined_cell_by_its_first_character():
    a = make_source(0, [B, B])
    b = make_source(1, [B])
    a = replace(a, sentences=(replace(a.sentences[0], text="=1+1 is two."), replace(a.sentences[1], text="@x said so.")))
    al = Alignment((a, b), (Row(((0, 1), (0,))),))
    line = _read(al, "wide")[1]
    assert line[4] == "'=1+1 is two. @x said so."


# --------------------------------------------------------------------------- evaluation


@profile()
@given(st.randoms(use_true_random=False))
def test_evaluation_counts_every_cross_source_pair_of_a_row(rng):
    al = random_alignment(rng)
    links = predicted_links(al)
    expected = sum((row.size ** 2 - sum(len(c) ** 2 for c in row.cells)) // 2 for row in al.rows)
    assert len(links) == expected
    for row in al.rows:
        for a, b in combinations(row.members, 2):
            assert ((a, b) in links or (b, a) in links) == (a[0] != b[0])


# --------------------------------------------------------------------------- comparison


def _two_outlets(wire: list[str], local: list[str]) -> tuple:
    from test_overrides import make_source as plain

    return plain(0, wire), plain(1, local)


def test_a_split_statement_is_compared_as_its_joined_text():
    wire, local = _two_outlets(
        ["The ferry ran aground on Tuesday.", "All 212 passengers were brought ashore safely."],
        ["All 212 passengers were brought ashore safely after the ferry ran aground on Tuesday."],
    )
    al = Alignment((wire, local), (Row(((0, 1), (0,))),))
    diff = compare_row(al, 0)
    assert diff.flags == ()  # the number and the weekday are in different sentences of the wire: no clash
    joined = al.cell_text(0, 0)
    for start, end in diff.unique[0]:
        assert 0 <= start < end <= len(joined)
    # and a real disagreement in the second sentence is flagged, its span inside that sentence
    wire, local = _two_outlets(
        ["The ferry ran aground on Tuesday.", "All 58 passengers were brought ashore safely."],
        ["All 212 passengers were brought ashore safely after the ferry ran aground on Tuesday."],
    )
    al = Alignment((wire, local), (Row(((0, 1), (0,))),))
    diff = compare_row(al, 0)
    number = next(f for f in diff.flags if f.kind == "number")
    (_, second_start, second_end), = [sp for sp in al.cell_spans(0, 0) if sp[0] == 1]
    span = next(sp for sp in number.spans if sp[0] == 0)
    assert second_start <= span[1] < span[2] <= second_end
    assert al.cell_text(0, 0)[span[1]:span[2]].startswith("58")


# --------------------------------------------------------------------------- manual fixes


def _ferry() -> Alignment:
    """Wire: headline + four body sentences; Local: three body sentences.

    Rows: (H0 B1 B2 | L0), (B3 | L1), (B4 | -), (- | L2).
    """
    wire = make_source(0, [H, B, B, B, B])
    local = make_source(1, [B, B, B])
    return Alignment((wire, local), (Row(((0, 1, 2), (0,)), 0.7), Row((3, 1), 0.6), Row((4, None)), Row((None, 2))),
                     AlignSettings(pivot=0))


def test_unlink_takes_one_sentence_out_of_a_multi_sentence_cell():
    al = _ferry()
    out = apply_overrides(al, [Override("unlink", 0, 2)])
    assert out.rows[0] == Row(((0, 1), (0,)), 0.7)
    assert out.rows[1] == Row(((2,), ()), 1.0)
    out = apply_overrides(al, [Override("unlink", 0, 0)])  # the headline leaves the lede's row
    assert out.rows[:2] == (Row(((1, 2), (0,)), 0.7), Row(((0,), ()), 1.0))
    assert alignment_problems(out) == []


def test_unlink_from_the_middle_of_a_run_is_refused():
    al = Alignment(_ferry().sources, (Row(((1, 2, 3), (0,))), Row((0, None)), Row((4, 1)), Row((None, 2))))
    reason = validate_override(al, Override("unlink", 0, 2))
    assert reason is not None and "split the run" in reason and "\n" not in reason
    assert validate_override(al, Override("unlink", 0, 3)) is None
    # nor may a link pull the middle of a run out into another row
    assert "split the run" in (validate_override(al, Override("link", 0, 2, 1, 2)) or "")


def test_link_adds_a_sentence_that_continues_the_run_or_is_a_summary_line():
    al = _ferry()
    res = apply_overrides_report(al, [Override("link", 0, 3, 1, 0)])
    assert not res.refused
    assert res.alignment.rows[0] == Row(((0, 1, 2, 3), (0,)), 1.0)
    assert res.alignment.rows[1] == Row((None, 1), 1.0)  # it left its row; a single scores 1.0
    assert 0 in res.manual_rows and alignment_problems(res.alignment) == []
    # the headline may join any body row of its source
    out = apply_overrides(al, [Override("unlink", 0, 0), Override("link", 0, 0, 0, 4)])
    assert Row(((0, 4), ()), 1.0) in out.rows
    # a body sentence that would not continue the run is refused, with the reason
    reason = validate_override(al, Override("link", 0, 4, 1, 0))
    assert reason is not None and "does not continue" in reason and "#0, #1, #2" in reason


def test_link_to_a_sentence_of_the_same_source_builds_a_run():
    al = _ferry()
    out = apply_overrides(al, [Override("link", 0, 4, 0, 3)])
    assert out.rows[1] == Row(((3, 4), (1,)), 1.0)
    assert len(out.rows) == len(al.rows) - 1


def test_random_fixes_on_random_multi_sentence_rows_keep_every_cell_valid():
    rng = random.Random(77)
    applied = refused_split = 0
    for _ in range(300):
        al = random_alignment(rng)
        ovs = []
        for _ in range(rng.randint(1, 10)):
            s = rng.randrange(len(al.sources))
            i = rng.randrange(len(al.sources[s].sentences))
            if rng.random() < 0.4:
                ovs.append(Override("unlink", s, i))
            else:
                t = rng.randrange(len(al.sources))
                ovs.append(Override("link", s, i, t, rng.randrange(len(al.sources[t].sentences))))
        res = apply_overrides_report(al, ovs)
        assert alignment_problems(res.alignment) == [], (al.rows, ovs)
        applied += len(res.applied)
        refused_split += sum("split the run" in why for _, why in res.refused)
        for ov in res.applied[-1:]:
            row = res.alignment.rows[res.alignment.row_index()[(ov.source, ov.index)]]
            if ov.kind == "unlink":
                assert row.size == 1
            else:
                assert row.holds(ov.anchor_source, ov.anchor_index)
    assert applied > 300 and refused_split > 5


# --------------------------------------------------------------------------- sessions


def _old_session_json() -> dict:
    """A session as Parallax wrote it before a row could hold several sentences of a source."""
    def ref(source, index, text):
        return {"source": source, "index": index, "text": text}

    wire = ["The ferry ran aground at 7:50.", "Nobody was hurt.", "Crews freed it by noon.", "An inquiry begins Monday."]
    local = ["A ferry hit a sandbank at 7:50 a.m.", "Tugs pulled the ferry free before noon.",
             "Officials will open an inquiry on Monday."]
    when = "2026-01-01T00:00:00+00:00"
    return {
        "format": "parallax-session", "schema_version": 1, "revision": 0, "name": "old",
        "created": when, "updated": when, "settings": {"threshold": 0.35, "pivot": "wire.txt"},
        "sources": [{"name": "wire.txt", "path": "", "label": "Wire", "sha256": "", "sentences": wire},
                    {"name": "local.txt", "path": "", "label": "Local", "sha256": "", "sentences": local}],
        "annotations": [
            {"members": [ref("wire.txt", 0, wire[0]), ref("local.txt", 0, local[0])], "note": "grounding",
             "tags": ["numbers"], "starred": True, "created": when, "updated": when},
            {"members": [ref("wire.txt", 3, wire[3]), ref("local.txt", 2, local[2])], "note": "inquiry",
             "tags": [], "starred": False, "created": when, "updated": when},
        ],
        "overrides": [
            {"kind": "unlink", "sentence": ref("local.txt", 1, local[1]), "anchor": None},
            {"kind": "link", "sentence": ref("local.txt", 1, local[1]), "anchor": ref("wire.txt", 1, wire[1])},
        ],
        "tags": ["omission", "numbers"], "view": {}, "orphans": [],
    }, wire, local


def _sources(*texts: list[str]):
    from test_overrides import make_source as plain

    srcs = [plain(i, t) for i, t in enumerate(texts)]
    names = ["wire.txt", "local.txt"]
    return [replace(s, name=names[i], label=names[i].split(".")[0].title()) for i, s in enumerate(srcs)]


def test_a_session_written_before_multi_sentence_cells_loads_and_gives_the_same_rows():
    data, wire, local = _old_session_json()
    session = Session.from_json(json.loads(json.dumps(data)))
    sources = _sources(wire, local)
    base = Alignment(tuple(sources), (Row((0, 0), 0.8), Row((1, None)), Row((2, 1), 0.6), Row((3, 2), 0.7)))
    fixed = session.apply(base)
    # what the pre-change code produced from this file (rows and scores, then annotations)
    assert [r.cells for r in fixed.rows] == [Row(c).cells for c in [(0, 0), (1, 1), (2, None), (3, 2)]]
    assert [r.score for r in fixed.rows] == [0.8, 1.0, 1.0, 0.7]
    assert session.annotations_by_row(fixed) == {
        0: Annotation("grounding", ("numbers",), True), 3: Annotation("inquiry")}
    assert session.to_json()["overrides"] == data["overrides"]


def test_a_multi_sentence_row_is_stored_by_all_its_sentences_and_re_anchored_after_an_edit():
    wire = ["The ferry ran aground at 7:50.", "Nobody was hurt.", "Crews freed it by noon.", "An inquiry begins Monday."]
    local = ["A ferry hit a sandbank at 7:50 a.m.", "Tugs pulled the ferry free before noon.",
             "Officials will open an inquiry on Monday."]
    sources = _sources(wire, local)
    base = Alignment(tuple(sources), (Row((0, 0)), Row((1, None)), Row((2, 1)), Row((3, 2))))
    session = Session.new("split", sources)
    # the reader joins "Nobody was hurt." to the row of "Crews freed it by noon.": a two-sentence cell
    assert session.add_override(base, Override("link", 0, 1, 0, 2)) is None
    fixed = session.apply(base)
    row = fixed.row_index()[(0, 2)]
    assert fixed.rows[row].cells == ((1, 2), (1,))
    session.set_annotation(fixed, row, Annotation("freed"))
    stored = session.annotations[0].members
    assert [(m.source, m.index) for m in stored] == [("wire.txt", 1), ("wire.txt", 2), ("local.txt", 1)]
    back = Session.from_json(json.loads(json.dumps(session.to_json())))
    # the wire gains a sentence at the top: every stored sentence moves down one
    edited = _sources(["Breaking news."] + wire, local)
    new_base = Alignment(tuple(edited), (Row((0, None)), Row((1, 0)), Row((2, None)), Row((3, 1)), Row((4, 2))))
    result = back.bind(edited)
    assert result.orphaned == 0
    again = back.apply(new_base)
    row = again.row_index()[(0, 3)]
    assert again.rows[row].cells == ((2, 3), (1,))
    assert back.annotations_by_row(again) == {row: Annotation("freed")}


# --------------------------------------------------------------------------- the command line


def test_align_and_export_commands_show_a_multi_sentence_cell(tmp_path, monkeypatch, capsys):
    """Whatever rows the aligner builds, ``parallax align`` and ``export`` show each cell whole."""
    from tui import cli
    from tui.core import align as align_module

    (tmp_path / "a.txt").write_text("The ferry ran aground on a sandbank. All 212 people were safe.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("All 212 people on the ferry were safe after it ran aground.\n", encoding="utf-8")

    def fake_align(sources, settings=AlignSettings(), **kw):
        return Alignment(tuple(sources), (Row(((0, 1), (0,)), 0.9),), settings)

    monkeypatch.setattr(align_module, "align", fake_align)
    assert cli.main(["align", "--width", "160", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    out = capsys.readouterr().out
    assert "1 rows" in out and "sandbank." in out and "All 212 people were safe." in out
    assert cli.main(["export", "--format", "wide", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]) == 0
    header, line = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert line[4] == "The ferry ran aground on a sandbank. All 212 people were safe."
