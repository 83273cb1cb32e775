"""The one analysis per sentence (issue 16, item 1): read once, shared by the aligner and the comparer.

Three kinds of test: the row comparer's result from the shared record (read
while aligning and exporting a corpus) equals its result from fresh text; the
record is computed once per sentence however many stages ask (calls counted
through a monkeypatch); and the per-word readings the record is built from
(:func:`tui.core.analysis._token_info`, :func:`tui.core.text._plan`) say what
the reading of the whole sentence says.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from tui.core import analysis, text
from tui.core.align import align
from tui.core.analysis import _read, _Tokens, analysis_of
from tui.core.compare import compare_cells, compare_row, flags_text
from tui.core.export import export
from tui.core.export_json import write_json
from tui.core.model import AlignSettings, Sentence, Source
from tui.core.pipeline import load

REPO = Path(__file__).resolve().parents[1]

#: sentences with numbers, dates, years, weekdays, names, hyphenated names, quotes and currency
ROWS = [
    ("Pakistan said 58 soldiers were killed in Khost on Tuesday, October 19.",
     "Pakistan said 23 soldiers were killed in Khost on Wednesday, October 20.",
     "Officials said twenty-three soldiers died in Khost on Tuesday, Oct. 19, 2021."),
    ('Minister Khawaja Asif said "we will not give up the fight" at a rally.',
     'Minister Khawaja Asiff said "we shall never give up the fight" at a rally.'),
    ("The Tehrik-e-Taliban claimed the attack on 11 October 2025, killing four.",
     "The Tehreek-i-Taliban claimed the attack on October 12 2025, killing 4 people."),
    ("A dozen pupils and three teachers were hurt; costs rose 40 percent to $3,000.",
     "Thirty children and 3 teachers were hurt; costs rose 45 per cent to $3,500."),
    ("The Defence Ministry said 2.5 million people fled the 3-4 day offensive.",
     "The Defense Ministry said 2.4 million people fled the three or four day offensive."),
    ("“Pakistan’s army won’t retreat,” said Gen. Asim Munir on Monday.",
     "\u2018Pakistan’s army will not retreat,\u2019 Gen. Asim Muneer said on Sunday."),
]


def _sources(rows: list[tuple[str, ...]]) -> list[Source]:
    """One source per column of ``rows``, its sentences in row order."""
    width = max(len(r) for r in rows)
    out = []
    for s in range(width):
        sentences, offset, parts = [], 0, []
        for r in rows:
            if s < len(r):
                sentences.append(Sentence(s, len(sentences), r[s], offset, offset + len(r[s])))
                parts.append(r[s])
                offset += len(r[s]) + 2
        out.append(Source(s, f"{s:03d}.txt", f"{s:03d}", "\n\n".join(parts), tuple(sentences)))
    return out


def test_compare_from_the_shared_analysis_equals_compare_from_fresh_text():
    alignment = align(_sources(ROWS), AlignSettings())
    for row in range(len(alignment.rows)):
        shared = compare_row(alignment, row)  # through the records the aligner left behind
        texts = {s: alignment.cell_text(row, s) for s in alignment.rows[row].coverage}
        texts = {s: t for s, t in texts.items() if t is not None}
        if len(texts) < 2:
            continue
        # fresh: every record dropped, every text read again
        analysis_of.cache_clear()
        fresh = compare_cells(texts, {s: f"{s:03d}" for s in texts})
        assert shared == fresh
        for t in texts.values():
            assert analysis_of(t).detail == _read(t)
    flagged = [flags_text(compare_row(alignment, r)) for r in range(len(alignment.rows))]
    assert any("number" in f for f in flagged) and any("date" in f for f in flagged)


def test_each_sentence_is_analysed_once_across_align_and_every_export(monkeypatch):
    read_calls: Counter[str] = Counter()
    feature_calls: Counter[str] = Counter()
    real_read, real_features = analysis._read, analysis.features

    def counting_read(t: str) -> analysis._Analysis:
        read_calls[t] += 1
        return real_read(t)

    def counting_features(t: str) -> text.Features:
        feature_calls[t] += 1
        return real_features(t)

    monkeypatch.setattr(analysis, "_read", counting_read)
    monkeypatch.setattr(analysis, "features", counting_features)
    analysis_of.cache_clear()
    sources = load([str(REPO / "seeds")], warn=lambda _m: None)
    alignment = align(sources, AlignSettings())
    align(sources, AlignSettings(pivot=1))  # a second alignment reads nothing again
    for fmt in ("long", "wide"):
        export(alignment, fmt, io.StringIO())
    write_json(alignment, io.StringIO())
    for row in range(len(alignment.rows)):  # the reader's repaints ask again
        compare_row(alignment, row)
    n_sentences = len({s.text for src in sources for s in src.sentences})
    assert len(feature_calls) == n_sentences
    assert max(feature_calls.values()) == 1
    assert read_calls, "the export compared rows"
    assert max(read_calls.values()) == 1, [t for t, n in read_calls.items() if n > 1][:3]
    # only rows of two members or more are compared, each cell text once
    compared = {alignment.cell_text(r, s) for r in range(len(alignment.rows)) if len(alignment.rows[r].coverage) > 1
                for s in alignment.rows[r].coverage}
    assert set(read_calls) == compared - {None}


# ----------------------------------------------------------------- the per-word readings


@pytest.mark.parametrize("sentence", [r for row in ROWS for r in row])
def test_token_readings_agree_with_the_tokens(sentence):
    toks = _Tokens(sentence)
    assert toks.text == [sentence[a:b] for a, b in zip(toks.start, toks.end)]
    assert toks.text == analysis._TOKEN_RE.findall(sentence)
    for word, info in zip(toks.text, toks.info):
        assert info.fold == analysis._fold(word)
        assert info.key == analysis._word_key(word)
        assert (info.month is not None) == (word[:1].isupper() and word.lower() in analysis._MONTHS)
        assert (info.weekday is not None) == (word[:1].isupper() and word.lower() in analysis._WEEKDAYS)


def test_token_info_reads_days_years_and_number_starts():
    info = analysis._token_info
    assert info("19th").day == 19 and info("19").day == 19 and info("32").day is None
    assert info("2021").year == 2021 and info("1799").year is None and info("2021").day is None
    assert info("Oct").month == 10 and info("oct").month is None and info("MAY").month == 5
    assert info("four").number_start and info("a").number_start and info("3,000").number_start
    assert not info("soldiers").number_start
    assert info("Tuesday").weekday == "tuesday" and info("tuesday").weekday is None
    assert info("Khost").name_start and not info("khost").name_start and not info("2021").name_start
    assert info("Khost").name_word and not info("The").name_word and not info("March").name_word
    assert info("McDonald").capital_inside and info("NATO").capital_inside and not info("Khost").capital_inside
    assert not info("mcDonald").capital_inside, "read only where the word may be a name"
    assert info("٣").day is None and info("٣").number_start, "an Arabic-Indic 3: a number, no day"


def test_names_read_alike_with_and_without_a_compound_in_the_sentence():
    """A hyphen anywhere takes the compound path; the other names come out the same."""
    plain = _read("Officials said Khawaja Asif met Imran Khan in Kabul, a longstanding ally.")
    hyphen = _read("Officials said Khawaja Asif met Imran Khan in Kabul, a long-standing ally.")
    assert [(n.norm, n.start, n.prev, n.next) for n in plain.names] == \
        [(n.norm, n.start, n.prev, n.next) for n in hyphen.names]
    compound = _read("Officials said Tehrik-e-Taliban fighters met Khan.")
    assert "tehrik-e-taliban" in {n.norm for n in compound.names}
    assert "tehrik-e-taliban" in compound.all_forms


def test_fold_of_ascii_and_accented_words():
    fold = analysis._fold
    assert fold("Pakistan's") == fold("Pakistan’s") == "pakistan"
    assert fold("Zoë") == "zoe" and fold("ZOE") == "zoe"
    assert fold("Straße") == "strasse"
    assert fold("boys'") == "boys"


def test_plan_readings_agree_with_the_sentence_features():
    words = text.words("Should the talks fail, Pakistan's army MAY retaliate, officials said.")
    plans = [text._plan(w) for w in words]
    assert [p.trigram for p in plans] == [text._trigram_word(w) for w in words]
    assert plans[0].should and plans[1].inverts
    assert text._is_opinion(words) is text._opinion(plans) is True
    f = text.features("Should the talks fail, Pakistan's army MAY retaliate, officials said.")
    assert f.opinion and "pakistan" in f.names and "army" not in f.names
    # advice, not a hypothetical
    assert not text.features("Patients should keep taking the tablets.").opinion


# ----------------------------------------------------------------- the matcher's cheap pre-tests

_TRICKY = [
    "Talks ended without a resolut\u0131on.",  # a dotless i, which IGNORECASE matches as "i"
    "Talks ended without a con\u017fen\u017fus.",  # long s, which NFKD folds
    "No breaK\u212athrough was made.",  # the Kelvin sign, which NFKD folds
    "The talks ended without a deal.", "They failed to reach an agreement.", "no progress",
    "No one died in the blaze.", "Nobody was hurt.", "NO DEATHS were reported.",
    "There were no fatalities.", "Prices rose 5 per cent.", "Prices rose 5 PCT.", "Per-cent",
]


def _normalised(sentence: str) -> str:
    norm = text.expand_contractions(text._PHRASES.sub("percent", text.normalize(sentence)))
    return text._TIME_RE.sub(text._time_token, norm)


def test_a_sentence_that_a_concept_pattern_matches_passes_its_pre_test():
    """features() runs _FAILED_RE, _NO_DEATH_RE and _PHRASES only where a substring test passes."""
    sentences = list(_TRICKY)
    for folder in [REPO / "seeds", *sorted((REPO / "tests" / "gold" / "heldout").glob("*/articles"))]:
        for source in load([str(folder)], warn=lambda _m: None):
            sentences.extend(s.text for s in source.sentences)
    nouns = ("agreement", "deal", "accord", "resolut", "breakthrough", "progress", "result", "outcome",
             "consensus")
    matched = Counter[str]()
    for sentence in sentences:
        shown = text.normalize(text.display_text(sentence))
        if text._PHRASES.search(shown):
            matched["phrase"] += 1
            assert "per" in shown.lower() or "pct" in shown.lower()
        norm = _normalised(text.display_text(sentence))
        if text._FAILED_RE.search(norm):
            matched["fail"] += 1
            assert any(n in norm.lower() for n in nouns), sentence
            assert "=fail" in text.features(text.display_text(sentence)).stems
        if text._NO_DEATH_RE.search(norm):
            matched["nodeath"] += 1
            assert "no" in norm.lower(), sentence
            assert "=nodeath" in text.features(text.display_text(sentence)).stems
    assert matched["phrase"] >= 4 and matched["fail"] >= 6 and matched["nodeath"] >= 4


def test_number_token_of_words_with_and_without_digits():
    assert text._number_token("Soldiers") is None
    assert text._number_token("3,000") == "3000" and text._number_token("4x4") == "4x4"
    assert text._number_token("four") == "4" and text._number_token("one") is None
