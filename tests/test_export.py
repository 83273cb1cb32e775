"""The CSV contract: what researchers load into pandas and spreadsheets.

The seeds go through the real pipeline, so these tests also hold ingest and
align to the promises export makes (every sentence exactly once, no
furniture); hand-built alignments cover text no article happens to contain.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.core.errors import ExportError
from tui.core.export import LONG_HEADER, clean_cell, encodable, export, guard_cell, write_long, write_wide
from tui.core.model import AlignSettings, Alignment, Annotation, Row, Sentence, Source

LONG_COLUMNS = "row,row_id,source,sentence,text,start,end,coverage,score,label,kind,flags,note,tags,starred".split(",")


def _csv(alignment: Alignment, fmt: str, **kwargs) -> list[list[str]]:
    buf = io.StringIO(newline="")
    export(alignment, fmt, buf, **kwargs)
    return list(csv.reader(io.StringIO(buf.getvalue(), newline="")))


def _dicts(alignment: Alignment, fmt: str, **kwargs) -> list[dict[str, str]]:
    header, *lines = _csv(alignment, fmt, **kwargs)
    return [dict(zip(header, line, strict=True)) for line in lines]


def corpus(*articles: list[str], names: list[str] | None = None) -> Alignment:
    """Hand-built alignment: row i holds sentence i of every article that has one."""
    sources = []
    for sid, sentences in enumerate(articles):
        text, spans = "", []
        for sentence in sentences:
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence + " "
        name = names[sid] if names else f"{sid:02d}.txt"
        sources.append(Source(
            id=sid, name=name, label=Path(name).stem, text=text,
            sentences=tuple(Sentence(sid, i, s, a, b) for i, (s, (a, b)) in enumerate(zip(sentences, spans))),
        ))
    depth = max(len(a) for a in articles)
    rows = tuple(
        Row(tuple(i if i < len(a) else None for a in articles), score=0.5 + i / 1000)
        for i in range(depth)
    )
    return Alignment(tuple(sources), rows, AlignSettings())


# --------------------------------------------------------------------------- long form, seeds


def test_long_header_is_the_documented_one(seeds_alignment):
    header = _csv(seeds_alignment, "long")[0]
    assert header == LONG_COLUMNS
    assert list(LONG_HEADER) == LONG_COLUMNS


def test_long_has_every_content_sentence_exactly_once(seeds_alignment):
    lines = _dicts(seeds_alignment, "long", guard=False)
    seen = Counter((d["source"], int(d["sentence"])) for d in lines)
    expected = Counter((s.name, sent.index) for s in seeds_alignment.sources for sent in s.sentences)
    assert seen == expected
    by_name = {s.name: s for s in seeds_alignment.sources}
    for d in lines:
        sentence = by_name[d["source"]].sentences[int(d["sentence"])]
        assert d["text"] == sentence.text
        assert (int(d["start"]), int(d["end"])) == (sentence.start, sentence.end)
        assert by_name[d["source"]].text[int(d["start"]):int(d["end"])] == d["text"]
        assert d["label"] == by_name[d["source"]].label
        assert d["kind"] == sentence.kind


def test_long_never_contains_furniture(seeds_alignment):
    furniture = [(s.name, f) for s in seeds_alignment.sources for f in s.furniture]
    assert furniture, "the seeds carry page furniture; ingest should have found some"
    lines = _dicts(seeds_alignment, "long", guard=False)
    for name, span in furniture:
        for d in lines:
            if d["source"] != name:
                continue
            assert d["text"] != span.text.strip()
            overlap = min(int(d["end"]), span.end) - max(int(d["start"]), span.start)
            assert overlap <= 0, f"{name}: sentence {d['text']!r} overlaps furniture {span.text!r}"
    texts = {d["text"] for d in lines}
    assert "LEAVE A REPLY" not in texts


def test_long_rows_follow_reading_order(seeds_alignment):
    lines = _dicts(seeds_alignment, "long", guard=False)
    numbers = [int(d["row"]) for d in lines]
    assert numbers == sorted(numbers)
    assert sorted(set(numbers)) == list(range(len(seeds_alignment.rows)))
    ids = {s.name: s.id for s in seeds_alignment.sources}
    for d in lines:
        row = seeds_alignment.rows[int(d["row"])]
        assert row.holds(ids[d["source"]], int(d["sentence"]))
        assert int(d["coverage"]) == row.count
        assert d["score"] == f"{row.score:.3f}"
    pivot = seeds_alignment.sources[seeds_alignment.pivot].name
    pivot_order = [int(d["sentence"]) for d in lines if d["source"] == pivot]
    assert pivot_order == sorted(pivot_order), "rows should follow the pivot's reading order"


def test_flags_column_comes_from_compare(seeds_alignment):
    from tui.core import compare

    lines = _dicts(seeds_alignment, "wide", guard=False)
    for r, d in enumerate(lines):
        assert d["flags"] == compare.flags_text(compare.compare_row(seeds_alignment, r), seeds_alignment)


# --------------------------------------------------------------------------- wide form, seeds


def test_wide_has_a_column_per_source_and_a_line_per_row(seeds_alignment):
    header, *lines = _csv(seeds_alignment, "wide")
    names = [s.name for s in seeds_alignment.sources]
    assert header == ["row", "row_id", "coverage", "score", *names, "left_out_by", "flags", "note", "tags", "starred"]
    assert len(lines) == len(seeds_alignment.rows)
    assert [int(line[0]) for line in lines] == list(range(len(lines)))


def test_wide_coverage_counts_the_filled_cells(seeds_alignment):
    n = len(seeds_alignment.sources)
    for r, line in enumerate(_csv(seeds_alignment, "wide", guard=False)[1:]):
        cells = line[4:4 + n]
        assert int(line[2]) == sum(1 for c in cells if c) == seeds_alignment.rows[r].count
        for s, cell in enumerate(cells):
            assert cell == (seeds_alignment.cell_text(r, s) or "")


def test_wide_left_out_by_names_who_leaves_out_a_widely_reported_row():
    al = corpus(["a0", "a1", "a2"], ["b0", "b1"], ["c0", "c1"], ["d0"], names=["w.txt", "x.txt", "y.txt", "z.txt"])
    lines = _dicts(al, "wide")
    # row 0: all four; row 1: three of four, z leaves it out; row 2: only w has it, nobody's omission
    assert [d["left_out_by"] for d in lines] == ["", "z.txt", ""]
    al = corpus(["a0", "a1"], ["b0", "b1"], ["c0"], ["d0"], names=["w.txt", "x.txt", "y.txt", "z.txt"])
    assert [d["left_out_by"] for d in _dicts(al, "wide")] == ["", "y.txt; z.txt"]  # half of four is enough
    from dataclasses import replace

    stricter = replace(al, settings=replace(al.settings, min_share=0.75))
    assert [d["left_out_by"] for d in _dicts(stricter, "wide")] == ["", ""]


def test_wide_left_out_by_agrees_with_the_omission_model(seeds_alignment):
    from tui.core.omissions import omissions

    model = omissions(seeds_alignment)
    names = [s.name for s in seeds_alignment.sources]
    lines = _dicts(seeds_alignment, "wide", guard=False)
    assert [d["left_out_by"] for d in lines] == ["; ".join(names[s] for s in r.left_out_by) for r in model.rows]
    assert sum(1 for d in lines if d["left_out_by"]) == len(model.omitted) > 0


def test_spelling_variants_only_on_request(seeds_alignment):
    plain = " ".join(d["flags"] for d in _dicts(seeds_alignment, "long"))
    spelled = " ".join(d["flags"] for d in _dicts(seeds_alignment, "long", spelling=True))
    assert "Defense" not in plain and "spelling: Defence (000, 001, 002) vs Defense (003, 004)" in spelled
    assert "number: four (001, 003) vs three (002)" in plain


def test_writers_return_data_lines(seeds_alignment):
    total = sum(len(s.sentences) for s in seeds_alignment.sources)
    assert write_long(seeds_alignment, io.StringIO()) == total
    assert write_wide(seeds_alignment, io.StringIO()) == len(seeds_alignment.rows)


def test_unknown_format_is_a_user_error(seeds_alignment):
    with pytest.raises(ExportError, match="long, wide"):
        export(seeds_alignment, "tall", io.StringIO())


# --------------------------------------------------------------------------- formula guard


DANGEROUS = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_guard_prefixes_formula_triggers(text):
    assert guard_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Plain", "", "1=1", "a-b", "'quoted"])
def test_guard_leaves_harmless_text_alone(text):
    assert guard_cell(text) == text


def test_guard_applies_to_every_text_cell_and_can_be_turned_off():
    alignment = corpus(["=1+1 said A.", "Safe."], ["@cmd B.", "+Plus."], names=["=evil.txt", "ok.txt"])
    notes = {0: Annotation(note="-note", tags=("=tag", "ok"), starred=True)}
    on = _dicts(alignment, "long", annotations=notes)
    first = on[0]
    assert first["text"] == "'=1+1 said A."
    assert first["source"] == "'=evil.txt"
    assert first["label"] == "'=evil"
    assert first["note"] == "'-note"
    assert first["tags"] == "'=tag; ok"
    assert first["starred"] == "1"
    assert first["row"] == "0" and first["score"] == "0.500"  # numbers are never guarded
    assert on[1]["text"] == "'@cmd B."
    off = _dicts(alignment, "long", annotations=notes, guard=False)
    assert [d["text"] for d in off] == ["=1+1 said A.", "@cmd B.", "Safe.", "+Plus."]
    assert off[0]["note"] == "-note"
    wide_on = _csv(alignment, "wide")
    assert wide_on[0][4] == "'=evil.txt"
    assert wide_on[1][4:6] == ["'=1+1 said A.", "'@cmd B."]
    wide_off = _csv(alignment, "wide", guard=False)
    assert wide_off[1][4:6] == ["=1+1 said A.", "@cmd B."]


def test_annotations_land_on_their_row_only():
    alignment = corpus(["One.", "Two."], ["Uno.", "Dos."])
    notes = {1: Annotation(note="check the figure", tags=("numbers",), starred=False)}
    lines = _dicts(alignment, "long", annotations=notes)
    assert [(d["row"], d["note"], d["tags"], d["starred"]) for d in lines] == [
        ("0", "", "", "0"), ("0", "", "", "0"),
        ("1", "check the figure", "numbers", "0"), ("1", "check the figure", "numbers", "0"),
    ]
    wide = _dicts(alignment, "wide", annotations=notes)
    assert [d["note"] for d in wide] == ["", "check the figure"]


# --------------------------------------------------------------------------- round trip


NASTY = [
    'He said, "no comment," and left.',
    "Line one\nline two\r\nline three",
    '""quoted"" start, with, commas',
    "=SUM(A1:A9)",
    "Tab\tinside and trailing space ",
    "Unicode: Türkiye “curly” — dash, emoji 📰",
]


def test_nasty_text_round_trips_through_a_real_file(tmp_path):
    alignment = corpus(NASTY, list(reversed(NASTY)))
    for fmt in ("long", "wide"):
        path = tmp_path / f"{fmt}.csv"
        with path.open("w", encoding="utf-8", newline="") as fp:
            export(alignment, fmt, fp, guard=False)
        with path.open(encoding="utf-8", newline="") as fp:
            header, *lines = list(csv.reader(fp))
        if fmt == "long":
            assert [line[4] for line in lines] == [t for pair in zip(NASTY, reversed(NASTY)) for t in pair]
        else:
            assert [line[4:6] for line in lines] == [list(p) for p in zip(NASTY, reversed(NASTY))]


@settings(max_examples=60, deadline=None)
@example(["²", "= 1", "a,b\n\"c\""])  # '²'.isdigit() is True but int('²') fails
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=4))
def test_any_text_round_trips_unguarded(texts):
    alignment = corpus(texts, ["x"])
    lines = _dicts(alignment, "long", guard=False)
    assert [d["text"] for d in lines if d["source"] == "00.txt"] == texts
    guarded = _dicts(alignment, "long")
    assert [d["text"] for d in guarded if d["source"] == "00.txt"] == [clean_cell(t) for t in texts]


def test_text_a_file_cannot_encode_is_an_export_error(tmp_path):
    """Lone surrogates (undecodable bytes in a file name) stop a file export cleanly."""
    alignment = corpus(["Caf\udce9 opened."], ["Fire."], names=["caf\udce9.txt", "b.txt"])
    with (tmp_path / "out.csv").open("w", encoding="utf-8", newline="") as fp:
        with pytest.raises(ExportError, match="not valid Unicode"):
            export(alignment, "long", fp)
    buf = io.StringIO(newline="")
    export(alignment, "long", buf, guard=False)  # in memory, text stays exactly as aligned
    assert "caf\udce9.txt" in buf.getvalue()
    assert encodable("caf\udce9 \ud800x") == "caf\ufffd \ufffdx"


def test_a_row_filter_writes_those_rows_only_numbered_as_in_the_whole_alignment():
    from appkit import story

    _, alignment = story()
    for fmt in ("long", "wide"):
        full, part = io.StringIO(), io.StringIO()
        export(alignment, fmt, full)
        keep = {1, 3}
        written = export(alignment, fmt, part, rows=keep)
        full_lines, part_lines = full.getvalue().splitlines(), part.getvalue().splitlines()
        assert part_lines[0] == full_lines[0]
        assert part_lines[1:] == [line for line in full_lines[1:] if int(line.split(",")[0]) in keep]
        assert written == len(part_lines) - 1 > 0


def test_write_new_file_never_overwrites_and_numbers_the_next(tmp_path):
    from tui.core.export import write_new_file

    first = write_new_file(tmp_path, "parallax-x", "a\n")
    second = write_new_file(tmp_path, "parallax-x", "b\n")
    assert (first.name, second.name) == ("parallax-x.csv", "parallax-x-2.csv")
    assert first.read_text() == "a\n" and second.read_text() == "b\n"
