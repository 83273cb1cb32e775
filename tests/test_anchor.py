"""Summary lines placed by their own article (tui/core/anchor.py, issue 10 item 2)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from tui.core.align import align, tiers
from tui.core.anchor import LEDE_SENTENCES, summary_scopes
from tui.core.ingest import parse_source
from tui.core.model import SUMMARY, AlignSettings
from tui.core.params import DEFAULT_PARAMS

WIRE = parse_source(
    "Stadium roof gives way in storm, 14 hurt\n\n"
    "A section of the roof at Marlow Park stadium collapsed during a storm on Saturday evening, "
    "injuring 14 spectators, the fire service said.\n\n"
    "Three of the injured were taken to hospital with serious injuries.\n\n"
    "The club said the roof had passed an inspection in March.\n", name="wire.txt")
TABLOID = parse_source(
    "Fans hurt as Marlow Park canopy crashes down\n\n"
    "Key points\n\n"
    "- Three fans critical\n"
    "- The roof was inspected in March, the club says\n\n"
    "Part of the roof at Marlow Park stadium collapsed onto fans during a storm on Saturday, "
    "injuring 14 people.\n\n"
    "Three fans remain critical in hospital tonight.\n\n"
    "The club insists the roof passed an inspection in March.\n", name="tabloid.txt")
EXPLAINER = parse_source(
    "# What happened at Marlow Park\n\n"
    "The stadium's roof collapsed during Saturday's storm, and 14 spectators were injured.\n\n"
    "## Background\n\n"
    "The club said the roof passed its inspection in March.\n", name="explainer.md")
SOURCES = (WIRE, TABLOID, EXPLAINER)


def _row_of(alignment, source: int, text: str):
    index = next(i for i, s in enumerate(alignment.sources[source].sentences) if s.text.startswith(text))
    return next(row for row in alignment.rows if index in row.cells[source])


def _flat_tier(sources):
    return np.asarray([t for per in tiers(sources) for t in per], dtype=np.int64)


def test_scopes_a_headline_its_lede_a_heading_its_section_a_bullet_the_body():
    scopes = summary_scopes(SOURCES, _flat_tier(SOURCES))
    wire_body = [i for i, t in enumerate(tiers(SOURCES)[0]) if t != SUMMARY]
    assert scopes[0] == (wire_body[0], wire_body[min(LEDE_SENTENCES, len(wire_body)) - 1] + 1)
    assert all(scopes[i] == (0, 0) for i in wire_body)  # body sentences have no scope
    base = len(WIRE.sentences) + len(TABLOID.sentences)
    kinds = [s.kind for s in EXPLAINER.sentences]
    background = kinds.index("heading", 1)
    # the heading's section is the one sentence under it, not the lede above it
    assert scopes[base + background] == (base + background + 1, base + background + 2)
    first_bullet = len(WIRE.sentences) + [s.kind for s in TABLOID.sentences].index("bullet")
    tab_body = [len(WIRE.sentences) + i for i, t in enumerate(tiers(SOURCES)[1]) if t != SUMMARY]
    assert scopes[first_bullet] == (tab_body[0], tab_body[-1] + 1)


def test_a_key_point_joins_the_row_of_the_body_sentence_it_restates_beside_it():
    # "Three fans critical" is too short and too headline-worded for the wire's
    # "Three of the injured were taken to hospital with serious injuries", but
    # restates its own article's "Three fans remain critical in hospital tonight"
    alignment = align(SOURCES)
    row = _row_of(alignment, 1, "Three fans critical")
    assert row is _row_of(alignment, 1, "Three fans remain critical")  # beside it, not instead of it
    assert len(row.cells[1]) == 2
    assert row is _row_of(alignment, 0, "Three of the injured")  # so it links to what the wire says there


def test_without_the_pass_the_same_key_point_is_left_apart():
    off = replace(DEFAULT_PARAMS, anchor=False)
    alignment = align(SOURCES, AlignSettings(), off)
    row = _row_of(alignment, 1, "Three fans critical")
    assert row is not _row_of(alignment, 1, "Three fans remain critical")
    assert not row.cells[0]


def test_a_topic_heading_is_not_placed_by_its_section():
    # "Background" names a topic: a short line needs short_min_prob, which its section does not give it
    alignment = align(SOURCES)
    row = _row_of(alignment, 2, "Background")
    assert [bool(c) for c in row.cells] == [False, False, True]


def test_a_summary_line_never_joins_a_row_of_its_own_outlet_alone():
    lone = parse_source(
        "Council approves new library for Ashby\n\n"
        "Ashby council approved plans for a new library on Tuesday.\n", name="lone.txt")
    other = parse_source("Heavy snow closed schools across the region on Monday.\n", name="other.txt")
    alignment = align((lone, other))
    row = _row_of(alignment, 0, "Council approves")
    assert not row.cells[1]
    assert row is not _row_of(alignment, 0, "Ashby council approved")  # no other outlet there: stays apart


def test_the_summary_join_forgives_one_body_member_the_line_does_not_restate():
    from tui.core.evidence import _linked_across, _linked_to_most

    # a key point against a row of three: the wire and the local paper say it, an opinion line
    # on the same sum does not -- that one member no longer keeps the key point out
    one_off = np.array([[0.66, 0.66, 0.02]])
    assert _linked_to_most(one_off, 0.1, 0.5)
    assert not _linked_across(one_off, 0.1, 0.5)
    assert not _linked_to_most(np.array([[0.66, 0.02, 0.02]]), 0.1, 0.5)  # most of the row: no
    assert not _linked_to_most(np.array([[0.66, 0.66, 0.02], [0.02, 0.02, 0.02]]), 0.1, 0.5)  # every line
    # a pair of one outlet (NaN) counts neither way
    assert _linked_to_most(np.array([[np.nan, 0.5, 0.02]]), 0.1, 0.5)
    assert not _linked_to_most(np.array([[np.nan, 0.02, 0.02]]), 0.1, 0.5)


def test_a_three_word_masthead_taken_for_a_headline_gets_no_scope():
    # "Employment Law Brief" is a masthead ingest took for a headline: it would match its own
    # body's words ("employment law") and be placed in a row of facts it does not state
    brief = parse_source(
        "Employment Law Brief\n\n"
        "The appeal court ruled that the employment law protects couriers as workers.\n", name="brief.txt")
    real = parse_source(
        "Appeal court backs couriers\n\n"
        "The appeal court ruled that the employment law protects couriers as workers.\n", name="real.txt")
    for source, placed in ((brief, False), (real, True)):
        scopes = summary_scopes((source,), _flat_tier((source,)))
        assert source.sentences[0].kind == "headline"
        assert (scopes[0] != (0, 0)) is placed


def test_leftover_pairs_no_two_summary_lines():
    from tui.core.model import BODY
    from tui.core.rowpasses import _leftover_pairs

    # two lone sentences, each the other's best at 0.3 (above leftover_min x threshold)
    groups = [[0], [1]]
    src = np.array([0, 1])
    a, b, p = np.array([0]), np.array([1]), np.array([0.3])
    strict = np.zeros(2, dtype=bool)
    body = np.array([BODY, BODY])
    assert sorted(map(sorted, _leftover_pairs(groups, src, a, b, p, 0.35, strict, body))) == [[0, 1]]
    summary = np.array([SUMMARY, SUMMARY])
    assert sorted(map(sorted, _leftover_pairs(groups, src, a, b, p, 0.35, strict, summary))) == [[0], [1]]
