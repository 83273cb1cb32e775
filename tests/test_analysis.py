"""Tests of tui.core.analysis: one reading per sentence, shared by the matcher and the comparer (issue 16).

Two kinds: the record is built once per text and both views equal what the
stages computed for themselves before it existed (on the seeds and the
gold stories); and a unit test per field of the comparer's view, on
sentences made for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategies import PROFILE

from tui.core import align as align_module
from tui.core.analysis import SentenceAnalysis, _read, analysis_of
from tui.core.compare import compare_cells
from tui.core.pipeline import load
from tui.core.text import display_text, features

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO / "seeds", *sorted((REPO / "tests" / "gold").glob("*/articles"))]


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    texts: list[str] = []
    for folder in CORPORA:
        for source in load([str(folder)], warn=lambda _m: None):
            texts.extend(s.text for s in source.sentences)
    return texts


def test_one_record_per_text_and_each_view_read_once():
    text = "Officials said 23 soldiers died on Tuesday, October 19, in Khost."
    record = analysis_of(text)
    assert analysis_of(text) is record
    assert isinstance(record, SentenceAnalysis) and record.text == text
    assert record.features is record.features
    assert record.detail is record.detail


def test_views_are_read_only_when_asked_for():
    record = SentenceAnalysis("The minister resigned on Monday.")
    assert record._features is None and record._detail is None
    assert record.features.stems
    assert record._detail is None, "aligning does not pay for the comparer's reading"
    assert record.detail.weekdays
    assert record._detail is not None


def test_the_shared_views_equal_what_each_stage_read_for_itself(sentences):
    """On the seeds and every gold story: the matcher's and the comparer's view, as computed apart."""
    assert len(sentences) > 300
    for text in sentences:
        record = analysis_of(text)
        assert record.features == features(display_text(text))
        assert record.detail == _read(text)


def test_the_aligner_reads_features_from_the_shared_record(sentences):
    text = sentences[0]
    assert align_module._features(text) is analysis_of(text).features


def test_the_comparer_reads_the_shared_record():
    a = "Pakistan said 58 soldiers were killed."
    b = "Pakistan said 23 soldiers were killed."
    diff = compare_cells({0: a, 1: b})
    assert [f.kind for f in diff.flags] == ["number"]
    # what the flag points at is where the shared reading found the numbers
    mention = analysis_of(a).detail.numbers[0]
    assert (0, mention.start, mention.end, "58 soldiers") in diff.flags[0].spans


# ----------------------------------------------------------------- one test per field of the comparer's view


def test_words_and_keys_drop_stop_words_and_fold_numbers():
    text = "The four ministers met four times"
    d = analysis_of(text).detail
    shown = [text[s:e] for s, e, _ in d.words]
    assert shown == ["four", "ministers", "met", "four", "times"]  # "The" is a stop word
    keys = [k for _, _, k in d.words]
    assert keys[0] == keys[3] == "#4"
    assert keys[1] == "minist" or keys[1].startswith("minist")
    assert d.keys == frozenset(keys)


def test_numbers_carry_what_they_count():
    text = "At least 58 Pakistani soldiers and 3,000 people fled; turnout was 40 percent."
    nums = analysis_of(text).detail.numbers
    by_value = {m.key: m for m in nums}
    assert set(by_value) == {58.0, 3000.0, 40.0}
    assert "soldier" in by_value[58.0].units
    assert "peopl" in by_value[3000.0].units
    assert by_value[40.0].units == frozenset({"%"})
    assert text[by_value[58.0].start:by_value[58.0].start + 2] == "58"


def test_dates_years_and_weekdays():
    d = analysis_of("On Tuesday, Oct. 19, 2021, the talks resumed.").detail
    assert [m.key for m in d.dates] == [(10, 19)]
    assert [m.display for m in d.dates] == ["October 19"]
    assert [m.key for m in d.years] == [2021]
    assert [m.key for m in d.weekdays] == ["tuesday"]
    # a day of the month and a year are not counts
    assert d.numbers == ()


def test_names_keep_their_neighbours_and_skip_sentence_starts():
    text = "Officials said Khawaja Asif met Tehrik-e-Taliban envoys."
    d = analysis_of(text).detail
    names = {n.norm: n for n in d.names}
    assert "officials" not in names  # capitalised only because it starts the sentence
    assert {"khawaja", "asif", "tehrik-e-taliban"} <= set(names)
    asif = names["asif"]
    assert text[asif.start:asif.end] == "Asif"
    assert asif.prev is not None and asif.prev.startswith("khawaja")
    assert "tehrik-e-taliban" in d.all_forms


def test_quotes_are_found_with_their_words_and_editorial_insertions_dropped():
    text = 'He said "we will [not] give up the fight" and left.'
    quotes = analysis_of(text).detail.quotes
    assert len(quotes) == 1
    q = quotes[0]
    assert q.words == ("we", "will", "give", "up", "the", "fight")
    assert text[q.start:q.end] == "we will [not] give up the fight"
    assert all(text[s:e] == w for (s, e), w in zip(q.spans, q.words))


# ----------------------------------------------------------------- and of the matcher's view


def test_features_fields():
    f = analysis_of('Police said **two** fires "destroyed the old harbour" in Oslo.').features
    assert "2" in f.numbers and "2" in f.stems  # Markdown emphasis read as its words
    assert "oslo" in f.names
    assert f.quotes and "harbour" in f.quotes[0]
    assert f.key == " ".join(s for s in f.stems if not s.startswith("="))[: len(f.key)]
    assert any(g.startswith("destroy") for g in f.quoted)


@PROFILE
@given(st.text(alphabet=st.sampled_from("ab9 0.,'’-_éß\u00a0\u0660x"), max_size=40))
def test_tokens_sit_where_the_pattern_matches(text):
    # _Tokens finds each token's offset again with str.find after the previous one: the spans the
    # pattern's own matches have, on text made of word characters, digits, marks and separators
    from tui.core.analysis import _TOKEN_RE, _Tokens

    toks = _Tokens(text)
    spans = [m.span() for m in _TOKEN_RE.finditer(text)]
    assert list(zip(toks.start, toks.end)) == spans
    assert toks.text == [text[a:b] for a, b in spans]


def test_tokens_of_the_corpora_sit_where_the_pattern_matches(sentences):
    from tui.core.analysis import _TOKEN_RE, _Tokens

    for text in sentences:
        assert list(zip(_Tokens(text).start, _Tokens(text).end)) == [m.span() for m in _TOKEN_RE.finditer(text)]
