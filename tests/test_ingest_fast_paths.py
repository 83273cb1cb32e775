"""The furniture tests' fast paths give the full chain's answer, line for line (issue 16).

:func:`furniture_reason` skips work on a line only where a cheap test proves
the skipped rule cannot match: three costly patterns matched apart behind a
word or character they need, the others in one alternation whose groups close
each pattern instead of opening it, share bars rejected at their first piece,
the call-to-action and press-office patterns behind words they hold. Here each
is checked against the plain version it stands for (the one alternation of all
patterns in order, every guard switched off) on every line of the seeds, the
gold stories' articles and the fixtures, on cuts and variants of them, and on
lines built from furniture words. ``_norm`` and the segmenter's ``_blocks`` keep
their old code here as the reference too.
"""

from __future__ import annotations

import ast
import random
import re
import sys
from pathlib import Path

import pytest

from tui.core import segment
from tui.core.ingest import furniture as F
from tui.core.ingest import lines as L
from tui.core.seeds import seeds_dir

ROOT = Path(__file__).resolve().parent
BLIND = ROOT / "gold" / "blind"

#: A date or time of a press release or date strip as first written: _DATE or _SHORT_DATE
#: (furniture.py now has the two as one pattern, _SOME_DATE).
_WHEN_PART_AS_WRITTEN = (
    rf"(?:{F._DATE}|{F._SHORT_DATE}|{F._WEEKDAY}|{F._TIME}|\d{{4}}\s*(?:hrs|hours)|midnight|noon)"
)
#: The definition the split-up matching stands for: all patterns in one alternation, in order.
_ALL_IN_ONE = re.compile("|".join(
    f"(?P<f{i}>{p.replace(F._WHEN_PART, _WHEN_PART_AS_WRITTEN)})" for i, (_, p) in enumerate(F._FURNITURE_PATTERNS)
))


def _all_in_one(t: str) -> str | None:
    m = _ALL_IN_ONE.fullmatch(t)
    return F._FURNITURE_REASONS[m.lastgroup or ""] if m else None


def _reference_reason(line: str) -> str | None:
    """:func:`furniture_reason` with every fast path switched off."""
    saved = {name: getattr(F, name) for name in ("_furniture_pattern", "_could_call", "_could_be_office",
                                                 "_could_be_social")}
    try:
        F._furniture_pattern = _all_in_one
        F._could_call = F._could_be_office = F._could_be_social = lambda norm: True
        return F.furniture_reason(line)
    finally:
        for name, value in saved.items():
            setattr(F, name, value)


def _texts() -> list[tuple[bool, str]]:
    """(from the blind set, text) of every article file, fixture and string constant of the ingest tests."""
    out: list[tuple[bool, str]] = []
    files = sorted(seeds_dir().glob("*"))
    files += sorted(p for p in (ROOT / "gold").rglob("*") if p.is_file() and "articles" in p.parts)
    files += sorted(p for p in (ROOT / "fixtures").rglob("*") if p.is_file())
    for path in files:
        try:
            out.append((BLIND in path.parents, path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    for name in ("test_ingest.py", "test_hostile.py", "test_hostile_cli.py", "test_hostile_app.py"):
        path = ROOT / name
        if path.exists():
            tree = ast.parse(path.read_text(encoding="utf-8"))
            out += [(False, node.value) for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)]
    return out


#: Words and marks of every kind of furniture, and characters the engine folds oddly.
_PIECES = (
    "updated", "published", "posted", "last", "modified", "on", "at", "issued", "embargoed until", "4", "04",
    "15", "march", "mar", "sunday", "2025", "14:30", "9.05 am", "gmt", "bst", "hrs", "midnight", "|", "-",
    ",", ":", "\u2013", "\u00bb", "\u203a", ">", ">>", "\u00a9", "(c)", "copyright", "all rights reserved",
    "all rights reserved.", "22\u00b0c", "22 \u00b0", "-5c", "12f", "14\u2103", "60\u2109", "london",
    "sunny", "weather", "home", "news", "world", "read more", "share", "tweet", "facebook", "email", "1.2k",
    "shares", "comments", "press", "media", "office", "team", "communications", "comms", "relations",
    "council", "send us your", "story", "got a", "do you have a", "news tip", "contact", "our", "newsroom",
    "your", "the", "views expressed", "are the author's own", "by", "jane", "doe", "advertisement",
    "related", "posts", "more from", "pulse", "...", "\u2026", "ends", "###", "-30-", "tel:", "01632 960 418",
    "news@example.com", "pre\u017f\u017f", "med\u0131a", "\u212aelvin", "PRESS", "Media", "NEWS", "(", ")",
    "[", "]", "*", "_", "minutes ago", "5 min read", "photo:", "tags:", "opinion", "analysis:",
    "4th", "of", "4,", "march 4,", "2025-03-04", "04/03/25", "4.3.2025", "noon", "hours", "0001 hrs",
    "embargoed", "release", "press release", "for immediate release", "news release:", "issued:", "thursday,",
    "sept", "dec.", "1st", "22nd", "of june", "june", "2026", "at", "uk time", "local time", "cet",
)


def _variants(line: str) -> list[str]:
    words = line.split()
    out = [line, f"({line})", f"*{line}*", line.upper(), line + " \u00bb News", "Home > " + line,
           line + " All rights reserved.", line + " 21\u00b0C", "Updated " + line, line + " | Share"]
    out += [" ".join(words[:k]) for k in range(1, min(len(words), 8))]
    out += [" ".join(words[-k:]) for k in range(1, min(len(words), 6))]
    return out


def _lines() -> list[tuple[bool, str]]:
    seen: set[str] = set()
    out: list[tuple[bool, str]] = []
    for blind, text in _texts():
        for raw in text.splitlines():
            for line in [raw, *(text[a:b] for a, b in segment.split_sentences(raw))]:
                for v in _variants(line.strip()):
                    if v not in seen:
                        seen.add(v)
                        out.append((blind, v))
    rng = random.Random(16)
    made = [" ".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 8))) for _ in range(30_000)]
    made += [_date_line(rng) for _ in range(20_000)]
    for v in made:
        if v not in seen:
            seen.add(v)
            out.append((False, v))
    return out


_LABELS = ("", "Updated ", "Published on ", "Last modified at ", "Posted: ", "Issued: ", "Released ",
           "Embargoed until ", "Embargo: ", "PRESS RELEASE - ", "News release: ", "Date of issue ", "By ")
_WHENS = ("4 March 2025", "4th of March, 2025", "March 4", "Mar 4th, 2025", "4 March", "2025-03-04",
          "04/03/2025", "4.3.25", "Tuesday", "Tue,", "14:30", "9.05 am", "00:01 GMT", "0001 hrs", "1200 hours",
          "midnight", "noon", "2025", "March", "4", "Sept. 30", "30 Sept", "Dec 25, 2024")
_SEPS = (" ", ", ", " at ", " on ", " - ", " | ", " – ", "", ",", " / ")


def _date_line(rng: random.Random) -> str:
    """A date strip or release date, or something near one: a label, dates and times, a zone."""
    parts = [rng.choice(_WHENS) for _ in range(rng.randint(1, 6))]
    line = rng.choice(_LABELS) + "".join(p + rng.choice(_SEPS) for p in parts[:-1]) + parts[-1]
    line += rng.choice(("", "", " GMT", " BST", " local time", " UK time", " hrs", "."))
    if rng.random() < 0.2:
        k = rng.randrange(len(line))
        line = line[:k] + line[k + 1:]
    return line


@pytest.fixture(scope="module")
def lines() -> list[tuple[bool, str]]:
    return _lines()


def _mismatches(lines: list[tuple[bool, str]], fast, slow) -> tuple[list[str], int]:
    shown: list[str] = []
    blind = 0
    for from_blind, line in lines:
        if fast(line) != slow(line):
            if from_blind:
                blind += 1  # never shown
            else:
                shown.append(line)
    return shown, blind


def test_the_corpus_is_large(lines):
    assert len(lines) > 50_000
    assert sum(1 for _, line in lines if _reference_reason(line)) > 2_000, "plenty of furniture among them"


def test_furniture_reason_matches_the_full_chain(lines):
    shown, blind = _mismatches(lines, F.furniture_reason, _reference_reason)
    assert not shown and not blind, (shown[:20], len(shown), blind)


def test_the_split_pattern_matching_matches_the_one_alternation(lines):
    """On the normalised lines, as furniture_reason passes them: the first pattern in order decides."""
    norms = [(blind, L._norm(line)) for blind, line in lines]
    norms = [(blind, n) for blind, n in norms if n]
    shown, blind = _mismatches(norms, F._furniture_pattern, _all_in_one)
    assert not shown and not blind, (shown[:20], len(shown), blind)


def test_the_reference_has_the_dates_as_first_written():
    assert _ALL_IN_ONE.pattern.count(_WHEN_PART_AS_WRITTEN) == 6
    assert F._WHEN_PART not in _ALL_IN_ONE.pattern
    assert F._SOME_DATE not in _ALL_IN_ONE.pattern


def test_the_patterns_kept_apart_are_where_the_list_says():
    assert F._FURNITURE_PATTERNS[F._ALL_RIGHTS_AT] == ("copyright", F._ALL_RIGHTS_PATTERN)
    assert F._FURNITURE_PATTERNS[F._WEATHER_AT] == ("weather", F._WEATHER_PATTERN)
    assert F._FURNITURE_PATTERNS[F._CRUMBS_AT] == ("navigation", F._CRUMBS_PATTERN)
    assert len(F._FURNITURE.groupindex) == len(F._FURNITURE_PATTERNS) - 3


def test_the_press_office_letters_casefold_to_themselves():
    """Every character the case-blind engine takes for p, r, e, s, m, d, c, o, n or w casefolds to it.

    So a line :data:`_PRESS_OFFICE` matches holds, casefolded, "press",
    "med", "comm" or "news" (see :func:`_could_be_office`).
    """
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    for letter in "presmdconw":
        for c in re.findall(letter, everything, re.IGNORECASE):
            assert c.casefold() == letter, (letter, hex(ord(c)))


def test_the_press_office_hint_holds_on_odd_case():
    for line in ("PRE\u017f\u017f OFFICE", "Media Relations", "Comms Team", "NEWS DESK, Wexcombe Council"):
        assert F._press_office(line) and F._could_be_office(L._norm(line))
    assert F._press_office("Med\u0131a Relations") and F._could_be_office(L._norm("Med\u0131a Relations"))


def _norm_reference(s: str) -> str:
    if any(c in s for c in L._ZERO_WIDTH_CHARS):
        s = s.translate(L._ZERO_WIDTH)
    return " ".join(s.split()).casefold()


def test_norm_matches_its_reference(lines):
    extra = ["a\u200bb", "x\ufeff y", "\u2060", "plain ascii", "caf\u00e9 \u200c"]
    for _, line in lines[:20_000] + [(False, e) for e in extra]:
        assert L._norm(line) == _norm_reference(line)


_blocks_reference = segment._cut_blocks  # the cutting itself, without _blocks' one-line shortcut


def test_blocks_match_their_reference(lines):
    texts = [text for _, text in _texts()]
    texts += ["", "  ", "one line", " a \r b ", "a\n\nb", "- a\n- b", "x\r\ny", "\u2028a"]
    for text in texts:
        for start, end in ((0, len(text)), (1, max(1, len(text) - 1)), (len(text) // 2, len(text))):
            start, end = min(start, len(text)), min(max(start, end), len(text))
            assert segment._blocks(text, start, end) == _blocks_reference(text, start, end)
    for _, line in lines[:20_000]:
        assert segment._blocks(line, 0, len(line)) == _blocks_reference(line, 0, len(line))
