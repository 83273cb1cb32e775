"""Sentence splitting: the hard cases of news copy, and the span invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.segment import split_sentences


def sents(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def test_plain_sentences_are_split():
    assert sents("The talks failed. Both sides left. Nobody spoke.") == [
        "The talks failed.",
        "Both sides left.",
        "Nobody spoke.",
    ]


def test_abbreviations_do_not_end_sentences():
    text = "Mr. Asif met Dr. Khan and Gen. Munir on Oct. 29 in the U.S. capital. They talked."
    assert sents(text) == [
        "Mr. Asif met Dr. Khan and Gen. Munir on Oct. 29 in the U.S. capital.",
        "They talked.",
    ]


def test_numbers_decimals_and_initials_do_not_end_sentences():
    text = "Resolution No. 3 raised tariffs by 2.5 percent. J. K. Rowling was not consulted. Sales fell."
    assert sents(text) == [
        "Resolution No. 3 raised tariffs by 2.5 percent.",
        "J. K. Rowling was not consulted.",
        "Sales fell.",
    ]


def test_closing_curly_quote_stays_with_its_sentence():
    text = "He said: “The talks failed.” Then he left."
    assert sents(text) == ["He said: “The talks failed.”", "Then he left."]


def test_quotation_across_sentences_is_split_into_them():
    text = "“Instead of accepting responsibility, they blamed us. The dialogue failed.” Tarar spoke on Wednesday."
    assert sents(text) == [
        "“Instead of accepting responsibility, they blamed us.",
        "The dialogue failed.”",
        "Tarar spoke on Wednesday.",
    ]


def test_quote_followed_by_attribution_is_one_sentence():
    text = "“We came to know that the talks failed,” remarked Ajab Khan. “Now we go back.”"
    assert sents(text) == [
        "“We came to know that the talks failed,” remarked Ajab Khan.",
        "“Now we go back.”",
    ]


def test_no_split_before_lowercase_continuation():
    assert sents('"Is it over?" he asked. She nodded.') == ['"Is it over?" he asked.', "She nodded."]
    assert sents("“Is it over?” he asked. She nodded.") == ["“Is it over?” he asked.", "She nodded."]


def test_question_in_quotes_before_capital_is_split():
    assert sents("“Is it over?” He paused. “Yes!”") == ["“Is it over?”", "He paused.", "“Yes!”"]


def test_single_quotes_with_period_outside():
    text = "He wrote on ‘X’, ‘We have tolerated your mockery’. The post spread."
    assert sents(text) == ["He wrote on ‘X’, ‘We have tolerated your mockery’.", "The post spread."]


def test_blank_line_is_a_hard_boundary_even_without_punctuation():
    text = "Border tensions\n\nThe clashes began in October"
    assert sents(text) == ["Border tensions", "The clashes began in October"]


def test_single_newline_inside_a_paragraph_is_just_space():
    text = "The talks between the two\nneighbours collapsed on Wednesday. Both left."
    assert sents(text) == ["The talks between the two\nneighbours collapsed on Wednesday.", "Both left."]


def test_bullet_lines_start_their_own_blocks():
    text = "Key points\n- Talks failed\n- Ceasefire holds. Trade stopped."
    assert sents(text) == ["Key points", "- Talks failed", "- Ceasefire holds.", "Trade stopped."]


def test_spans_are_absolute_within_a_window():
    text = "IGNORED. First one. Second one. IGNORED TOO."
    start = text.index("First")
    end = text.index(" IGNORED TOO")
    spans = split_sentences(text, start, end)
    assert [text[a:b] for a, b in spans] == ["First one.", "Second one."]
    assert spans[0][0] == start


def test_whitespace_and_empty_inputs_give_nothing():
    assert split_sentences("") == []
    assert split_sentences(" \n\n\t\u00a0 \r\n") == []


def test_crlf_text_keeps_offsets():
    text = "One here.\r\n\r\nTwo there. Three.\r\n"
    assert sents(text) == ["One here.", "Two there.", "Three."]


_ALPHABET = st.sampled_from(
    list("ab Z.?!\"'“”‘’\n\r\t -•*1:\u00a0\u200b") + ["Mr.", "U.S.", "J. ", "\r\n", "\n\n", "\ud800"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), st.lists(_ALPHABET, max_size=60).map("".join)))
def test_spans_are_trimmed_ordered_and_disjoint(text):
    previous_end = 0
    for a, b in split_sentences(text):
        assert previous_end <= a < b <= len(text)
        piece = text[a:b]
        assert not piece[0].isspace() and not piece[-1].isspace()
        previous_end = b


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Alpha rose.", "Beta fell!", "Gamma?", "Mr. Delta won."]), min_size=1, max_size=8))
def test_sentences_joined_by_spaces_come_back_apart(parts):
    text = " ".join(parts)
    assert sents(text) == parts


def test_abbreviation_that_ends_a_sentence_before_a_typical_opener():
    text = "The meeting ended at 5 p.m. The talks resume today. He joined Acme Inc. in 2020."
    assert sents(text) == [
        "The meeting ended at 5 p.m.",
        "The talks resume today.",
        "He joined Acme Inc. in 2020.",
    ]


def test_an_ellipsis_before_a_capitalised_word_ends_a_sentence():
    assert sents("Nine were hurt\u2026  Power was cut to the town.") == ["Nine were hurt\u2026", "Power was cut to the town."]
    assert sents("Nine were hurt... Power was cut.") == ["Nine were hurt...", "Power was cut."]
    assert sents("It hurt\u2026 \u201cPower is out,\u201d he said.") == ["It hurt\u2026", "\u201cPower is out,\u201d he said."]


def test_an_ellipsis_inside_a_sentence_is_not_a_break():
    for text in ("Wait... what happened?",             # lowercase: the thought goes on
                 "He spoke with\u2026 Pakistan officials today.",  # cut off after "with": a continuation
                 "They said... NATO will act.",        # all capitals: likely a name, be conservative
                 "\u2026 And then it ended."):          # a leading ellipsis ends nothing
        assert sents(text) == [text], text
