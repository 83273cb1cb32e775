"""The Snowball English ("Porter2") stemmer, in plain Python, as NLTK's ``EnglishStemmer`` stems.

Parallax stems every content word (:func:`tui.core.text.stem`). It used
NLTK's Snowball stemmer, whose import and per-word bookkeeping (it carries
the regions R1 and R2 as strings and cuts all three strings at each step)
cost more than the rule work itself. This module is the same algorithm,
written from the published description (snowballstem.org, "The English
(Porter2) stemming algorithm"), keeping the regions as lengths: R1 and R2
are held as the number of letters at the end of the word that lie in them.
Its output equals NLTK's ``EnglishStemmer().stem`` on every lower-case word
(tests/test_stemmer.py compares the two), including where NLTK's version
differs from today's published one:

* the exceptional forms are looked up on the whole word as given (after
  lower-casing, before the apostrophes are dealt with), and the
  "after step 1a" exceptions (``inning``, ``proceed``…) are whole-word forms
  too (``innings``, ``proceeded``…);
* the R1 prefixes are only ``gener``, ``commun`` and ``arsen``;
* a region shorter than a suffix being replaced becomes empty (or, where
  ``-ational``, ``-ation``, ``-ator`` and ``-iveness``, ``-iviti`` are
  replaced, holds just the last ``e``), and after ``-at``/``-bl``/``-iz``
  gains an ``e`` in step 1b, R2 gains it only when the word is over five
  letters long or R1 holds three or more;
* in step 5, a final ``e`` in R1 but not R2 goes only from words of four
  letters or more.
"""

from __future__ import annotations

import re

_VOWELS = frozenset("aeiouy")
#: a vowel and the non-vowel after it (``Y``, a consonant ``y``, is a non-vowel)
_VOWEL_THEN_NOT = re.compile("[aeiouy][^aeiouy]")
#: ``y`` at the start or after a vowel, where it may be a consonant (see _mark_consonant_y)
_Y_MAYBE_CONSONANT = re.compile("^y|[aeiouy]y")

#: whole words stemmed as given (the published exceptional forms, with the inflected forms of
#: the words left alone after step 1a)
_EXCEPTIONS = {
    "skis": "ski", "skies": "sky", "dying": "die", "lying": "lie", "tying": "tie",
    "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli", "only": "onli",
    "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
    "cosmos": "cosmos", "bias": "bias", "andes": "andes",
}
for _base in ("inning", "outing", "canning", "herring", "earring"):
    _EXCEPTIONS[_base] = _EXCEPTIONS[_base + "s"] = _base
for _base in ("proceed", "exceed", "succeed"):
    for _form in ("", "s", "ed", "ing"):
        _EXCEPTIONS[_base + _form] = _base

_DOUBLES = ("bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt")
_LI_ENDING = frozenset("cdeghkmnrt")

_STEP1B = ("eedly", "ingly", "edly", "eed", "ing", "ed")

# Steps 2 and 3: (suffix, letters cut, letters added, what the regions do). Longest first: the
# first suffix the word ends with is the one whose rule applies, if it lies in the region the
# step asks. A region keeps its letters before the cut either way; what it does with the cut:
_CLAMP = -1  # loses the cut letters it holds (a suffix dropped, or cut back to a shorter one)
_IN_PLACE = -2  # the last letter changes: the region keeps its length
# a length >= 0: the suffix is replaced; a region shorter than the suffix keeps that many letters
_Rule = tuple[str, int, str, int]
_STEP2: tuple[_Rule, ...] = (
    ("ization", 5, "e", 0), ("ational", 5, "e", 1), ("fulness", 4, "", _CLAMP), ("ousness", 4, "", 0),
    ("iveness", 4, "", 1), ("tional", 2, "", _CLAMP), ("biliti", 5, "le", 0), ("lessli", 2, "", _CLAMP),
    ("entli", 2, "", _CLAMP), ("ation", 3, "e", 1), ("alism", 3, "", 0), ("aliti", 3, "", 0),
    ("ousli", 2, "", 0), ("iviti", 3, "e", 1), ("fulli", 2, "", _CLAMP), ("enci", 1, "e", _IN_PLACE),
    ("anci", 1, "e", _IN_PLACE), ("abli", 1, "e", _IN_PLACE), ("izer", 1, "", 0), ("ator", 2, "e", 1),
    ("alli", 2, "", 0), ("bli", 1, "e", _IN_PLACE), ("ogi", 1, "", _CLAMP), ("li", 2, "", _CLAMP),
)
_STEP2_ENDINGS = tuple(rule[0] for rule in _STEP2)

_STEP3: tuple[_Rule, ...] = (
    ("ational", 5, "e", 0), ("tional", 2, "", _CLAMP), ("alize", 3, "", _CLAMP), ("icate", 3, "", 0),
    ("iciti", 3, "", 0), ("ative", 5, "", _CLAMP), ("ical", 2, "", 0), ("ness", 4, "", _CLAMP),
    ("ful", 3, "", _CLAMP),
)
_STEP3_ENDINGS = tuple(rule[0] for rule in _STEP3)

_STEP4 = ("ement", "ance", "ence", "able", "ible", "ment", "ant", "ent", "ism", "ate", "iti",
          "ous", "ive", "ize", "ion", "al", "er", "ic")


def _cut(region: int, suffix_len: int, cut: int, added: int, rule: int) -> int:
    """A region's length after its word's suffix lost ``cut`` letters and gained ``added`` (see _STEP2)."""
    if rule == _CLAMP:
        return region - cut if region > cut else 0
    if rule == _IN_PLACE:
        return region
    return region - cut + added if region >= suffix_len else rule


def _ends_short_syllable(word: str) -> bool:
    """A vowel and a non-vowel (not w, x, Y) after a non-vowel at the end, or vowel and non-vowel as the word."""
    n = len(word)
    if n >= 3:
        return (word[-1] not in _VOWELS and word[-1] not in "wxY" and word[-2] in _VOWELS
                and word[-3] not in _VOWELS)
    return n == 2 and word[0] in _VOWELS and word[1] not in _VOWELS


def _regions(word: str) -> tuple[int, int]:
    """R1 and R2 of ``word`` as the number of letters at its end each holds.

    R1 starts after the first non-vowel that follows a vowel, R2 after the
    next such pair inside R1 (``_VOWEL_THEN_NOT``).
    """
    n = len(word)
    if word.startswith(("gener", "arsen")):
        p1 = 5
    elif word.startswith("commun"):
        p1 = 6
    else:
        m = _VOWEL_THEN_NOT.search(word)
        if m is None:
            return 0, 0
        p1 = m.end()
    m = _VOWEL_THEN_NOT.search(word, p1)
    p2 = m.end() if m is not None else n
    return n - p1 if p1 < n else 0, n - p2 if p2 < n else 0


def stem(word: str) -> str:
    """The Snowball English stem of ``word`` (lower-cased first), as NLTK's ``EnglishStemmer`` gives it."""
    word = word.lower()
    if len(word) <= 2:
        return word
    found = _EXCEPTIONS.get(word)
    if found is not None:
        return found
    if not word.isascii():
        word = word.replace("\u2019", "'").replace("\u2018", "'").replace("\u201b", "'")
    if word[0] == "'":
        word = word[1:]
    if "y" in word and _Y_MAYBE_CONSONANT.search(word):
        word = _mark_consonant_y(word)
    r1, r2 = _regions(word)

    # step 0: the longest of 's' 's '
    if word[-1] == "'" or word.endswith("'s"):
        cut = 3 if word.endswith("'s'") else 2 if word[-1] == "s" else 1
        word = word[:-cut]
        r1 = r1 - cut if r1 > cut else 0
        r2 = r2 - cut if r2 > cut else 0

    # step 1a
    if word.endswith("s"):
        cut = 0
        if word.endswith("sses"):
            cut = 2
        elif word.endswith(("ied", "ies")):
            cut = 2 if len(word) > 4 else 1
        elif word.endswith(("us", "ss")):
            pass
        elif not _VOWELS.isdisjoint(word[:-2]):
            cut = 1
        if cut:
            word = word[:-cut]
            r1 = r1 - cut if r1 > cut else 0
            r2 = r2 - cut if r2 > cut else 0
    elif word.endswith("ied"):
        cut = 2 if len(word) > 4 else 1
        word = word[:-cut]
        r1 = r1 - cut if r1 > cut else 0
        r2 = r2 - cut if r2 > cut else 0

    # step 1b
    if word.endswith(_STEP1B):
        word, r1, r2 = _step1b(word, r1, r2)

    # step 1c
    if len(word) > 2 and word[-1] in "yY" and word[-2] not in _VOWELS:
        word = word[:-1] + "i"

    # step 2 (in R1)
    if r1 and word.endswith(_STEP2_ENDINGS):
        word, r1, r2 = _step2(word, r1, r2)

    # step 3 (in R1; -ative in R2)
    if r1 and word.endswith(_STEP3_ENDINGS):
        for suffix, cut, added, short in _STEP3:
            if word.endswith(suffix):
                n = len(suffix)
                if r1 >= n and (suffix != "ative" or r2 >= n):
                    word = word[:-cut] + added
                    r1 = _cut(r1, n, cut, len(added), short)
                    r2 = _cut(r2, n, cut, len(added), short)
                break

    # step 4 (in R2)
    if r2 and word.endswith(_STEP4):
        for suffix in _STEP4:
            if word.endswith(suffix):
                n = len(suffix)
                if r2 >= n and (suffix != "ion" or word[-4] in "st"):
                    word = word[:-n]
                    r1 = r1 - n if r1 > n else 0
                    r2 -= n
                break

    # step 5
    last = word[-1:]
    if last == "l":
        if r2 and word[-2] == "l":
            word = word[:-1]
    elif last == "e":
        if r2 or (r1 and len(word) >= 4 and not _ends_short_syllable(word[:-1])):
            word = word[:-1]
    return word.replace("Y", "y") if "Y" in word else word


def _mark_consonant_y(word: str) -> str:
    """``y`` at the start or after a vowel as ``Y`` (a consonant)."""
    chars = list(word)
    if chars[0] == "y":
        chars[0] = "Y"
    for i in range(1, len(chars)):
        if chars[i] == "y" and chars[i - 1] in _VOWELS:
            chars[i] = "Y"
    return "".join(chars)


def _step1b(word: str, r1: int, r2: int) -> tuple[str, int, int]:
    for suffix in _STEP1B:
        if word.endswith(suffix):
            break
    n = len(suffix)
    if suffix in ("eed", "eedly"):
        if r1 >= n:
            word = word[:-n] + "ee"
            r1 = r1 - n + 2
            r2 = r2 - n + 2 if r2 >= n else 0
        return word, r1, r2
    stem_ = word[:-n]
    if _VOWELS.isdisjoint(stem_):
        return word, r1, r2
    word = stem_
    r1 = r1 - n if r1 > n else 0
    r2 = r2 - n if r2 > n else 0
    if word.endswith(("at", "bl", "iz")):
        word += "e"
        r1 += 1
        if len(word) > 5 or r1 >= 3:
            r2 += 1
    elif word.endswith(_DOUBLES):
        word = word[:-1]
        r1 = r1 - 1 if r1 > 1 else 0
        r2 = r2 - 1 if r2 > 1 else 0
    elif not r1 and _ends_short_syllable(word):
        word += "e"
    return word, r1, r2


def _step2(word: str, r1: int, r2: int) -> tuple[str, int, int]:
    for suffix, cut, added, short in _STEP2:
        if word.endswith(suffix):
            n = len(suffix)
            if r1 < n:
                return word, r1, r2
            if suffix == "ogi":
                if word[-4] != "l":
                    return word, r1, r2
            elif suffix == "li":
                if word[-3] not in _LI_ENDING:
                    return word, r1, r2
            word = word[:-cut] + added
            return word, _cut(r1, n, cut, len(added), short), _cut(r2, n, cut, len(added), short)
    return word, r1, r2


__all__ = ["stem"]
