"""Property-based tests: every core stage survives hostile and broken input.

Example tests show the pipeline works on the articles we thought of; these
show it keeps its contracts on the ones we did not. Each property states an
invariant another stage (or the reader) relies on -- offsets that slice back
exactly, every sentence aligned exactly once, CSV cells that round-trip,
session files that stay inside their folder -- and Hypothesis hunts for input
that breaks it, from lone surrogates to 10,000-character lines.

A failing property here is a bug report against the module under test, not a
test to relax: see /tmp/hypothesis_bugs.md for the reproductions.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from strategies import (
    PROFILE,
    any_char,
    article_text,
    corpus_texts,
    encodable_char,
    file_bytes,
    hostile_text,
    long_line,
    news_sentence,
    profile,
    session_names,
)
from tui.core.ingest import structure as ingest_structure
from tui.core.align import align
from tui.core.rowid import row_ids
from tui.core.compare import compare_cells
from tui.core.errors import ExportError, IngestError, SessionError
from tui.core.export import FORMULA_TRIGGERS, LONG_HEADER, WIDE_LEAD, WIDE_TAIL, clean_cell, export, guard_cell
from tui.core.ingest import decode, load_sources, parse_source
from tui.core.model import BODY, AlignSettings, Alignment, Annotation, Source, alignment_problems, sentence_layers
from tui.core.omissions import omissions
from tui.core.segment import split_sentences
from tui.core.session import Session
from tui.core.session_names import validate_name
from tui.core.session_store import SessionStore

_WORD = re.compile(r"\w")


def _visible(text: str) -> str:
    """``text`` without the white space (Unicode and zero-width) segmentation may trim."""
    return "".join(c for c in text if not c.isspace() and c not in "\u200b\ufeff")


# --------------------------------------------------------------------------- helpers


def assert_source_offsets(source: Source) -> None:
    """The offset contract of model.py: every span slices back out of ``source.text`` exactly."""
    text = source.text
    prev_end = 0
    for i, s in enumerate(source.sentences):
        assert s.index == i, "sentence indices must run 0..n-1"
        assert s.source == source.id
        assert 0 <= s.start < s.end <= len(text), f"empty or out-of-range sentence span {s}"
        assert text[s.start : s.end] == s.text
        assert s.start >= prev_end, "sentences must be in order and not overlap"
        prev_end = s.end
        assert not s.text[0].isspace() and not s.text[-1].isspace(), f"untrimmed sentence {s.text!r}"
        assert _WORD.search(s.text), f"a sentence without a word character {s.text!r}"
    for f in source.furniture:
        assert 0 <= f.start < f.end <= len(text), f"empty or out-of-range furniture span {f}"
        assert text[f.start : f.end] == f.text
    if source.dateline is not None:
        d = source.dateline
        assert 0 <= d.start < d.end <= len(text)
        assert text[d.start : d.end] == d.text


def content_keys(sources: Sequence[Source]) -> list[tuple[int, int]]:
    return [(s.id, i) for s in sources for i in range(len(s.sentences))]


def sources_from(texts: Sequence[str]) -> list[Source]:
    return [parse_source(t, id=i, name=f"{i:02d}_src.txt") for i, t in enumerate(texts)]


def read_csv(data: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data, newline="")))


def write(alignment: Alignment, fmt: str, **kw) -> str:
    buf = io.StringIO(newline="")
    export(alignment, fmt, buf, **kw)
    return buf.getvalue()


# --------------------------------------------------------------------------- 1. ingest


@PROFILE
@given(article_text)
@example("\udc80 Mr. Smith said.\r\n\r\n\u202e\u0645\u0631\u062d\u0628\u0627.")
@example("Source: x\n---\n\x00\x1b[31m=HYPERLINK()\r\rLEAVE A REPLY\n- \n")
def test_parse_source_keeps_offsets_exact(text):
    """parse_source never raises and every span it reports slices back out of the text."""
    source = parse_source(text, id=3, name="x.txt")
    assert source.text == text, "ingest must never rewrite the text offsets point into"
    assert source.id == 3
    assert_source_offsets(source)


@PROFILE
@given(article_text)
def test_parse_source_never_needs_its_fallback(text):
    """The careful parse handles any text itself.

    parse_source swallows any exception of the careful parse and falls back to
    plain Punkt, losing headline, dateline and furniture; the fallback must
    stay a last line of defence, not hide a crash on real input.
    """
    with mock.patch.object(ingest_structure, "_fallback", side_effect=AssertionError("careful parse crashed")):
        parse_source(text, id=0, name="x.txt")


@PROFILE
@given(article_text)
def test_content_and_furniture_never_overlap(text):
    """A stretch of text is content or furniture (or the dateline), never both."""
    source = parse_source(text, id=0, name="x.txt")
    others = sorted([(f.start, f.end) for f in source.furniture]
                    + ([(source.dateline.start, source.dateline.end)] if source.dateline else []))
    for s in source.sentences:
        for a, b in others:
            assert b <= s.start or a >= s.end, f"sentence {s.text!r} overlaps furniture {text[a:b]!r}"


@PROFILE
@given(file_bytes)
def test_decode_returns_text_or_ingest_error(data):
    """Any bytes decode to clean text or fail with IngestError -- and never to a lone surrogate."""
    try:
        text, encoding = decode(data)
    except IngestError:
        return
    assert isinstance(text, str) and isinstance(encoding, str)
    text.encode("utf-8")  # raises on a lone surrogate, which nothing downstream can write out


@PROFILE
@given(st.text(encodable_char, max_size=300))
def test_decode_reads_utf8_as_itself(text):
    """Valid UTF-8 is never misread as cp1252 or latin-1 (only a leading BOM is dropped)."""
    try:
        decoded, _ = decode(text.encode("utf-8"))
    except IngestError:
        return  # binary-looking (NUL, mostly control characters): refused, which is fine
    assert decoded == (text[1:] if text.startswith("\ufeff") else text)


@profile(0.5)
@given(st.lists(st.tuples(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="/\x00"),
                                  min_size=1, max_size=20), file_bytes), min_size=1, max_size=3))
def test_load_sources_returns_sources_or_ingest_error(files):
    """Whatever is on disk, load_sources gives Sources or an IngestError, nothing else."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        paths = []
        for i, (name, data) in enumerate(files):
            path = folder / f"{i}_{name}.txt"
            if len(path.name.encode("utf-8")) > 200:
                path = folder / f"{i}.txt"
            try:
                path.write_bytes(data)
            except OSError:
                continue  # a name this file system refuses (not what is under test)
            paths.append(path)
        assume(paths)
        for target in (paths, [folder]):
            try:
                sources = load_sources(target)
            except IngestError:
                continue
            assert len(sources) == len(paths)
            for i, source in enumerate(sources):
                assert source.id == i and source.sentences
                assert_source_offsets(source)


@profile(0.3)
@given(st.lists(st.binary(min_size=1, max_size=30).filter(lambda b: b"/" not in b and b"\x00" not in b),
                min_size=2, max_size=3, unique=True))
def test_source_names_from_any_file_name_are_text(raw_names):
    """File names that are not UTF-8 (old zips, latin-1 file systems) still give printable names.

    Python hands such names over with lone surrogates (``caf\\udce9.txt``);
    kept as they are in ``Source.name`` and ``label`` they crash every UTF-8
    writer downstream: the CSV export to a file, the session save.
    """
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for raw in raw_names:
            name = os.fsdecode(raw + b".txt")
            try:
                (folder / name).write_bytes(b"The mayor said the fire was out by Tuesday.\n")
            except OSError:
                continue
        try:
            sources = load_sources([folder])
        except IngestError:
            return
        for source in sources:
            source.name.encode("utf-8")
            source.label.encode("utf-8")


# --------------------------------------------------------------------------- 2. segment


@PROFILE
@given(st.one_of(article_text, hostile_text, long_line()), st.integers(-5, 12_000), st.integers(-5, 12_000))
def test_split_sentences_spans_are_trimmed_ordered_and_inside(text, start, end):
    """Spans are non-empty, trimmed, in order, non-overlapping and inside the asked-for window."""
    lo = max(0, min(start, len(text)))
    hi = max(lo, min(end, len(text)))
    spans = split_sentences(text, start, end)
    prev = lo
    for a, b in spans:
        assert lo <= a < b <= hi, f"span {(a, b)} outside [{lo}, {hi})"
        assert a >= prev, "spans must be in order and not overlap"
        prev = b
        assert not text[a].isspace() and not text[b - 1].isspace(), f"untrimmed span {text[a:b]!r}"


@PROFILE
@given(st.lists(news_sentence(), min_size=1, max_size=8), st.sampled_from([" ", "\n", "\r\n", "\n\n"]))
def test_split_sentences_loses_no_text(sentences, sep):
    """Only white space falls between spans: segmentation drops no article text."""
    text = sep.join(sentences)
    spans = split_sentences(text)
    covered = "".join(text[a:b] for a, b in spans)
    assert _visible(text) == _visible(covered)


# --------------------------------------------------------------------------- 3. align


def check_alignment(alignment: Alignment, sources: Sequence[Source]) -> None:
    n_src = len(sources)
    seen: list[tuple[int, int]] = []
    for row in alignment.rows:
        assert len(row.cells) == n_src, "one cell per source"
        assert row.count >= 1, "no empty rows"
        assert isinstance(row.score, float) and math.isfinite(row.score) and 0.0 <= row.score <= 1.0
        for s, i in row.members:
            assert 0 <= i < len(sources[s].sentences)
            seen.append((s, i))
    assert sorted(seen) == sorted(content_keys(sources)), "every content sentence exactly once"
    assert alignment_problems(alignment) == [], "every cell follows the row model"
    pivot = alignment.pivot if 0 <= alignment.pivot < n_src else 0
    # a row is placed by its first body sentence of the pivot (else its first one)
    layer = sentence_layers(sources[pivot])
    order = [next((i for i in row.cells[pivot] if layer[i] == BODY), row.cells[pivot][0])
             for row in alignment.rows if row.cells[pivot]]
    assert order == sorted(order), "rows follow the pivot's reading order"
    assert sorted(i for row in alignment.rows for i in row.cells[pivot]) == list(range(len(sources[pivot].sentences)))


@profile(0.5)
@given(corpus_texts(), st.data())
def test_align_places_every_sentence_once_deterministically(texts, data):
    """Any corpus, pivot and threshold: a valid, reproducible alignment."""
    sources = sources_from(texts)
    pivot = data.draw(st.integers(0, len(sources) - 1), label="pivot")
    threshold = data.draw(st.sampled_from([0.0, 0.5, 1.0]) | st.floats(0.0, 1.0), label="threshold")
    settings = AlignSettings(threshold=threshold, pivot=pivot)
    first = align(sources, settings)
    check_alignment(first, sources)
    assert align(sources, settings) == first, "same input, same rows"


@profile(0.3)
@given(corpus_texts(min_sources=2, max_sources=4))
def test_every_pivot_works_and_only_reorders(texts):
    """Any pivot gives a valid alignment, and changing it reorders rows without regrouping them.

    The pivot is a reading choice ("follow this outlet's order"); if it changed
    which sentences share a row, switching pivots would change the findings.
    """
    sources = sources_from(texts)
    groupings = set()
    for pivot in range(len(sources)):
        alignment = align(sources, AlignSettings(pivot=pivot))
        check_alignment(alignment, sources)
        groupings.add(frozenset(
            frozenset(row.members) for row in alignment.rows))
    assert len(groupings) == 1


# --------------------------------------------------------------------------- 4. export

annotation = st.builds(
    Annotation,
    note=hostile_text,
    tags=st.lists(st.one_of(hostile_text, st.sampled_from(["=tag", "+x", "-y", "@z", "\tt", "\rr"])),
                  max_size=3).map(tuple),
    starred=st.booleans(),
)


@st.composite
def alignments(draw: st.DrawFn, *, encodable: bool = True) -> tuple[Alignment, dict[int, Annotation]]:
    """A real alignment of a hostile corpus, with annotations on some rows."""
    texts = draw(corpus_texts(max_sources=4))
    if encodable:  # what ingest can produce from bytes: no lone surrogates
        texts = [t.encode("utf-8", "replace").decode("utf-8") for t in texts]
    sources = sources_from(texts)
    alignment = align(sources, AlignSettings(pivot=draw(st.integers(0, len(sources) - 1))))
    rows = range(len(alignment.rows))
    notes = draw(st.dictionaries(st.sampled_from(rows), annotation, max_size=3)) if rows else {}
    return alignment, notes


@profile(0.5)
@given(alignments(), st.booleans())
def test_long_csv_round_trips(case, guard):
    """Long CSV read back gives exactly the alignment's cells, guarded or verbatim."""
    alignment, notes = case
    clean = clean_cell if guard else (lambda v: v)
    header, *lines = read_csv(write(alignment, "long", annotations=notes, guard=guard))
    assert tuple(header) == LONG_HEADER
    assert header[:5] == ["row", "row_id", "source", "sentence", "text"]
    expected = []
    ids = row_ids(alignment)
    for r, row in enumerate(alignment.rows):
        ann = notes.get(r, Annotation())
        for s, c in row.members:
            src = alignment.sources[s]
            sent = src.sentences[c]
            expected.append([str(r), ids[r], clean(src.name), str(c), clean(sent.text), str(sent.start), str(sent.end),
                             str(row.count), f"{row.score:.3f}", clean(src.label), sent.kind,
                             clean(ann.note), clean("; ".join(ann.tags)), "1" if ann.starred else "0"])
    got = [line[:11] + line[12:] for line in lines]  # flags (column 11) come from compare, checked below
    assert got == expected
    assert all(len(line) == len(LONG_HEADER) for line in lines)
    if not guard:
        by_key = {(line[2], int(line[3])): line[4] for line in lines}
        for src in alignment.sources:
            for sent in src.sentences:
                assert by_key[(src.name, sent.index)] == sent.text


@profile(0.5)
@given(alignments(), st.booleans())
def test_wide_csv_round_trips(case, guard):
    """Wide CSV read back: a column per source, a line per row, the cells the alignment holds."""
    alignment, notes = case
    clean = clean_cell if guard else (lambda v: v)
    header, *lines = read_csv(write(alignment, "wide", annotations=notes, guard=guard))
    n = len(alignment.sources)
    assert header == [*WIDE_LEAD, *(clean(s.name) for s in alignment.sources), *WIDE_TAIL]
    assert len(lines) == len(alignment.rows)
    for r, (row, line) in enumerate(zip(alignment.rows, lines)):
        assert len(line) == len(header)
        assert line[:4] == [str(r), row_ids(alignment)[r], str(row.count), f"{row.score:.3f}"]
        cells = [clean(" ".join(alignment.sources[s].sentences[i].text for i in c)) for s, c in enumerate(row.cells)]
        assert line[4 : 4 + n] == cells
        left_out = omissions(alignment).left_out_by(r)
        assert line[4 + n] == clean("; ".join(alignment.sources[s].name for s in left_out))
        ann = notes.get(r, Annotation())
        assert line[6 + n :] == [clean(ann.note), clean("; ".join(ann.tags)), "1" if ann.starred else "0"]


@PROFILE
@given(st.text(any_char, max_size=30))
def test_guard_cell_defuses_formulas_and_leaves_the_rest(value):
    """A guarded cell never starts with a formula trigger; harmless cells are untouched."""
    guarded = guard_cell(value)
    if value.startswith(FORMULA_TRIGGERS):
        assert guarded == "'" + value
    else:
        assert guarded == value
    assert not guarded.startswith(FORMULA_TRIGGERS)


def _surrogate_case() -> tuple[Alignment, dict[int, Annotation]]:
    sources = [parse_source("Fire \udc80 broke out at the harbour.", id=0, name="a.txt"),
               parse_source("Fire broke out at the harbour.", id=1, name="b\udce9.txt")]
    return align(sources), {}


@profile(0.3)
@given(alignments(encodable=False), st.sampled_from(["long", "wide"]))
@example(_surrogate_case(), "long")
def test_export_to_a_utf8_file_never_crashes(case, fmt):
    """Text that cannot be encoded (lone surrogates from parse_source or file names) is handled.

    The CLI writes CSV to a UTF-8 file; a lone surrogate there raises
    UnicodeEncodeError halfway through the file. The export must either write
    a valid UTF-8 file or stop with an ExportError the CLI can report -- not
    crash with a half-written file.
    """
    alignment, notes = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "out.csv"
        try:
            with path.open("w", encoding="utf-8", newline="") as fp:
                export(alignment, fmt, fp, annotations=notes)
        except ExportError:
            return
        path.read_bytes().decode("utf-8")


# --------------------------------------------------------------------------- 5. compare

_NUMBERS = ["23", "58", "three", "four", "2,600", "1.5 million", "Tuesday", "Wednesday", "Oct. 29", "Oct 30",
            "Khawaja Asif", "Khwaja Asif", "12%", "$5", "-3", "\u0663\u0662"]


@st.composite
def row_texts(draw: st.DrawFn) -> dict[int, str]:
    """Texts of one row: variants of one sentence with numbers, dates and names swapped, or noise."""
    base = draw(news_sentence())
    n = draw(st.integers(1, 5))
    out = {}
    for i in range(n):
        if draw(st.integers(0, 4)) == 0:
            out[i] = draw(st.one_of(hostile_text, st.text(any_char, max_size=60), long_line(2000)))
            continue
        words = base.split(" ")
        for _ in range(draw(st.integers(0, 3))):
            words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(_NUMBERS)))
        out[i] = " ".join(words)
    return out


@PROFILE
@given(st.one_of(row_texts(), st.dictionaries(st.integers(0, 6), st.text(any_char, max_size=80), max_size=4)))
@example({0: "Room 5\u00b2 was hit.", 1: "Room 5 was hit."})
def test_compare_cells_spans_point_into_the_texts(texts):
    """compare_cells never raises; every highlighted and flagged span lies in its own text."""
    diff = compare_cells(texts)
    assert set(diff.unique) <= set(texts)
    for src, spans in diff.unique.items():
        for start, end in spans:
            assert 0 <= start < end <= len(texts[src]), f"unique span {(start, end)} outside {texts[src]!r}"
    for flag in diff.flags:
        assert flag.spans, "a flag names the spans that conflict"
        assert isinstance(flag.message, str)
        for src, start, end, span_text in flag.spans:
            assert src in texts
            assert 0 <= start <= end <= len(texts[src])
            assert texts[src][start:end] == span_text


# --------------------------------------------------------------------------- 6. sessions


@PROFILE
@given(session_names)
@example("../x")
@example("/etc/passwd")
@example("\udc80")
def test_session_names_never_escape_the_sessions_folder(name):
    """A name is refused with SessionError, or its file sits directly inside the sessions folder."""
    with tempfile.TemporaryDirectory() as home, pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARALLAX_HOME", home)
        store = SessionStore()
        root = Path(home) / "sessions"
        try:
            path = store.path(name)
        except SessionError:
            return
        # Pure string arithmetic: a name a file system cannot even encode is
        # the business of the save/resume property below, not of this one.
        assert path.name == f"{name}.json"
        assert Path(os.path.normpath(path)).parent == Path(os.path.normpath(root))
        assert not Path(name).is_absolute() and len(Path(f"{name}.json").parts) == 1


@profile(0.5)
@given(session_names)
@example("\u4e2d" * 80)
@example("\udc80")
def test_accepted_session_names_can_be_saved_and_resumed(name):
    """A name validate_name accepts is usable: save, list and load it back under the same name.

    Accepting a name and then failing at save time would lose the reader's
    work at the worst moment (autosave), so acceptance must mean it works.
    """
    try:
        validate_name(name)
    except SessionError:
        return
    with tempfile.TemporaryDirectory() as home, pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARALLAX_HOME", home)
        store = SessionStore()
        session = Session.new(name, [])
        session.add_tag("checked")
        path = store.save(session)
        assert path.resolve().parent == (Path(home) / "sessions").resolve()
        loaded = store.load(name)
        assert loaded.name == name and "checked" in loaded.tags
        assert name in [info.name for info in store.list()]
