"""The shared word lists: one spelling table, the patterns built from it agree with it."""

from __future__ import annotations

import re

import pytest

from tui.core import words
from tui.core.segment import ABBREVIATIONS


def test_every_month_spelling_has_a_number_and_matches_the_pattern():
    pattern = re.compile(words.month_pattern())
    capitalised = re.compile(words.month_pattern(capitalised=True))
    for spelling, number in words.MONTH_NUMBERS.items():
        assert words.MONTHS[number - 1].startswith(spelling[:3])
        assert pattern.fullmatch(spelling) and pattern.fullmatch(spelling + ".")
        assert capitalised.fullmatch(spelling.capitalize())
        assert not capitalised.fullmatch(spelling.upper() + "X")
    assert len(words.MONTH_NUMBERS) == 12 + len(words.MONTH_ABBREVIATIONS)


@pytest.mark.parametrize("word", ["mayor", "marching", "junk", "decade", "octopus", "sunny", "monk"])
def test_month_and_weekday_patterns_match_whole_words_only(word):
    assert not re.fullmatch(words.month_pattern(), word)
    assert not re.fullmatch(words.weekday_pattern(), word)


def test_weekday_pattern_takes_short_and_full_forms():
    pattern = re.compile(words.weekday_pattern())
    for form in [*words.WEEKDAYS, *words.WEEKDAY_ABBREVIATIONS, "tues.", "thurs."]:
        assert pattern.fullmatch(form), form
    full = re.compile(words.full_weekday_pattern())
    assert all(full.fullmatch(day.capitalize()) for day in words.WEEKDAYS)
    assert not full.fullmatch("Tues")


def test_the_splitter_knows_every_short_month_and_weekday():
    assert set(words.MONTH_ABBREVIATIONS) <= ABBREVIATIONS
    assert words.WEEKDAY_ABBREVIATIONS <= ABBREVIATIONS


def test_number_words_cover_zero_to_ninety_nine_once():
    values = sorted(
        one + ten for ten in [0, *words.NUMBER_TENS.values()] for one in words.NUMBER_ONES.values()
        if ten == 0 or one < 10
    )
    assert values == list(range(100))
