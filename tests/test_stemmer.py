"""tui.core.stemmer stems exactly as NLTK's Snowball ``EnglishStemmer`` does (Parallax's stems must not move).

NLTK stays installed (Punkt comes from it), so every test here compares the
two directly: on every word of the seeds and the gold stories' articles, on
a generated set of words built to reach each suffix rule and the regions'
edge cases, and on random words (hypothesis).
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st
from strategies import profile

from tui.core.nltk_parts import EnglishStemmer
from tui.core.stemmer import stem
from tui.core.text import stem as cached_stem

REPO = Path(__file__).resolve().parent.parent
NLTK = EnglishStemmer().stem

#: words as the matcher reads them (tui.core.text), and runs of letters and apostrophes
_WORDS = (re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*(?:'[A-Za-z]+)?"), re.compile(r"[^\W\d_]+(?:['’‘][^\W\d_]*)*"))


def _words(folder: Path) -> set[str]:
    out: set[str] = set()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".md", ".html", ".htm", ""):
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            for pattern in _WORDS:
                out.update(pattern.findall(text))
    return out


def _differing(words: set[str]) -> list[str]:
    return sorted(w for w in words if stem(w) != NLTK(w))


def test_every_word_of_the_seeds_stems_as_nltk_stems_it():
    words = _words(REPO / "seeds")
    assert len(words) > 500
    differing = _differing(words)
    assert differing == [], [(w, stem(w), NLTK(w)) for w in differing[:20]]


def test_every_word_of_the_gold_stories_articles_stems_as_nltk_stems_it():
    folders = sorted((REPO / "tests" / "gold").glob("**/articles"))
    assert len(folders) >= 10
    for folder in folders:
        words = _words(folder)
        assert words, folder
        differing = _differing(words)
        if "blind" in folder.relative_to(REPO).parts:  # the blind stories' text is not to be read: only how many differ
            assert differing == [], f"{len(differing)} words of a blind story stem differently"
        else:
            assert differing == [], [(w, stem(w), NLTK(w)) for w in differing[:20]]


#: every suffix a rule looks for, and what can follow them
_ENDINGS = (
    "ization ational fulness ousness iveness tional biliti lessli entli ation alism aliti ousli iviti fulli "
    "enci anci abli izer ator alli bli ogi li alize icate iciti ative ical ness ful ement ance ence able ible "
    "ment ant ent ism ate iti ous ive ize ion sion tion al er ic eedly ingly edly eed ing ed sses ied ies us ss "
    "s 's 's' ' y e l ll at bl iz bb dd ff gg mm nn pp rr tt ee oy ay"
).split()
_INFLECTIONS = ("", "s", "ed", "ing", "ly", "edly", "ingly", "'s", "es", "e", "y", "ies", "ied")


def test_generated_words_for_every_suffix_rule_stem_as_nltk_stems_them():
    # up to two leading letters of both kinds (a, y, e, i for the regions; y after a vowel is a
    # consonant) and an apostrophe, before every ending and its inflections: each region edge case
    prefixes = ["", *("".join(p) for n in (1, 2) for p in itertools.product("aybtlsie'", repeat=n))]
    words = {p + e + i for p in prefixes for e in _ENDINGS for i in _INFLECTIONS}
    words |= {p + w for p in ("", "re", "un", "gener", "commun", "arsen", "'") for w in (
        "skis skies dying lying tying idly gently ugly early only singly sky news howe atlas cosmos bias andes "
        "inning innings outing outings canning cannings herring herrings earring earrings proceed proceeds "
        "proceeded proceeding exceed exceeds exceeded exceeding succeed succeeds succeeded succeeding "
        "generate generously communism communication arsenal arsenic yesterday playing saying yyy ayy"
    ).split()}
    assert len(words) > 50_000
    differing = _differing(words)
    assert differing == [], [(w, stem(w), NLTK(w)) for w in differing[:20]]


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


@profile(8)
@given(st.text(alphabet=_LETTERS, max_size=16))
@example("")
@example("y")
@example("ied")
def test_random_lower_case_ascii_words_stem_as_nltk_stems_them(word):
    assert stem(word) == NLTK(word)


@profile(8)
@given(st.text(alphabet=_LETTERS[:12] + "aeiouyy'’‘‛-0123456789éèüößøçñłæ", max_size=16))
@example("'''")
@example("'s'")
@example("’yelled")
@example("état-major's")
def test_random_words_with_apostrophes_hyphens_digits_and_other_letters_stem_as_nltk_stems_them(word):
    assert stem(word) == NLTK(word)


@profile(4)
@given(st.text(alphabet=st.characters(categories=("Ll",)), max_size=12))
def test_random_words_of_any_lower_case_letters_stem_as_nltk_stems_them(word):
    assert stem(word) == NLTK(word)


def test_the_matchers_cached_stem_is_this_stemmer():
    for word in ("negotiations", "running", "généralement", "proceeded", "hopefully"):
        assert cached_stem(word) == stem(word) == NLTK(word)
