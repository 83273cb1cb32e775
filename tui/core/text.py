"""Turn a sentence into the lexical signals the matcher compares.

Two outlets reporting the same fact rarely share wording: they differ in case,
typography (curly vs straight quotes, en dashes), inflection ("killed" vs
"killing"), function words and the way they write numbers ("four" vs "4").
Everything here strips those differences away so that what is left -- content
stems, numbers, names and quoted phrases -- can be compared directly.
Pure functions, no Textual, no downloaded NLTK data (Snowball is rule-based).
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import NamedTuple

from tui.core.lexicon import COMMENTARY_WORDS, NEWS_CONCEPTS
from tui.core.stemmer import stem as _snowball
from tui.core.words import MONTH_ABBREVIATIONS, NEWS_STOP_WORDS, NUMBER_ONES, NUMBER_SCALES, NUMBER_TENS

# The pair scorer's stop list lives with the other word lists in tui.core.words.
STOP_WORDS: frozenset[str] = NEWS_STOP_WORDS

# Number words map to digits so that "four days" and "4 days" agree.
_NUMBER_WORDS: dict[str, str] = {w: str(v) for w, v in (NUMBER_ONES | NUMBER_TENS).items()}
_NUMBER_WORDS.update({"dozen": str(NUMBER_SCALES["dozen"]), "first": "1st", "second": "2nd", "third": "3rd"})
# "one" as a number is too ambiguous ("one of the", "no one") to be a signal.
_WEAK_NUMBERS = frozenset({"one", "first", "second"})

_MONTHS = MONTH_ABBREVIATIONS
_PHRASES = re.compile(r"\bper[ -]cent\b|\bpct\b", re.IGNORECASE)

# Clock times, written as one "hourN" token rounded to the nearest hour: outlets
# give one moment as "11.40pm", "23:42" or "shortly before midnight", and "9 a.m."
# vs "08:55". Left as digits they would even *conflict* as numbers ("11.40" vs
# "23", "42"); as tokens they agree when within half an hour of each other.
_TIME_RE = re.compile(
    r"\b(?:(?P<h12>1[0-2]|0?[1-9])(?:[.:](?P<m12>[0-5][0-9]))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|(?P<h24>[01]?[0-9]|2[0-3]):(?P<m24>[0-5][0-9])\b"
    r"|(?P<word>midnight|noon|midday))",
    re.IGNORECASE)

# Cheap pre-test on the lower-cased sentence, so the full pattern only runs on
# the few sentences that can hold a clock time.
_TIME_HINT = re.compile(r"[0-9][.:][0-5][0-9]|[0-9] ?[ap]\.?m\b|midnight|noon|midday")


# Clock times in words, as a local paper writes them ("a quarter past four", "half
# past one", "ten to ten", "nine o'clock"): the same "hourN" token. "M to H" is
# also a range ("ten to twelve people"), so it counts as a time only after a word
# that introduces one ("at about ten to ten", "by five to eight") and before the
# end of the clause or a word that cannot be the range's noun ("... on Sunday").
_HOUR_WORDS = [w for w, v in NUMBER_ONES.items() if 1 <= v <= 12]
_HOUR_VALUES = {w: NUMBER_ONES[w] for w in _HOUR_WORDS} | {str(i): i for i in range(1, 13)}
_MINUTE_VALUES = {"five": 5, "ten": 10, "twenty": 20, "twenty-five": 25, "twenty five": 25,
                  "quarter": 15, "a quarter": 15, "half": 30}
_HOUR_ALT = "|".join([*_HOUR_WORDS, r"1[0-2]", r"[1-9]"])
_MINUTE_ALT = r"twenty[- ]five|twenty|ten|five|(?:a )?quarter"
_SPOKEN_TIME_RE = re.compile(
    rf"\b(?:(?P<pm>{_MINUTE_ALT}|half) past (?P<ph>{_HOUR_ALT})"
    rf"|(?P<pre>(?:at|about|around|by|until|till|before|after) )(?P<tm>{_MINUTE_ALT}) to (?P<th>{_HOUR_ALT})"
    r"(?=\s*(?:[.,;:!?)\"']|$)|\s(?:on|in|at|and|that|this|last|when|yesterday|tonight|the|as|before|after|with|while|but)\b)"
    rf"|(?P<oh>{_HOUR_ALT}) o'clock)\b"
    r"(?P<day> in the (?:morning|afternoon|evening)| at night| tonight)?",
    re.IGNORECASE)
_SPOKEN_HINT = re.compile(r"(?:five|ten|twenty|quarter|half) (?:past|to) |o'clock")


def _spoken_time_token(m: re.Match[str]) -> str:
    """The "hourN" token(s) of a clock time in words (see :func:`_hours`)."""
    if m.group("oh"):
        hour, minute = _HOUR_VALUES[m.group("oh").lower()], 0
    elif m.group("ph"):
        hour, minute = _HOUR_VALUES[m.group("ph").lower()], _MINUTE_VALUES[m.group("pm").lower()]
    else:
        hour, minute = _HOUR_VALUES[m.group("th").lower()] - 1, 60 - _MINUTE_VALUES[m.group("tm").lower()]
    return (m.group("pre") or "") + _hours(hour, minute, m.group("day"))  # "at about " stays


def _hours(hour: int, minute: int, day: str | None) -> str:
    """The 24-hour token(s) of a 12-hour time in words: "in the morning" says a.m., "in the
    evening" or "at night" p.m.; with neither, both tokens, for either may be meant."""
    am = f"hour{(hour % 12 + (minute >= 30)) % 24}"
    pm = f"hour{(hour % 12 + 12 + (minute >= 30)) % 24}"
    if day:
        return f"{am} {day}" if day.lower().endswith("morning") else f"{pm} {day}"
    return f"{am} {pm}"


def _time_token(m: re.Match[str]) -> str:
    """The "hourN" token (N = 0..23, nearest hour) of a clock-time match."""
    if m.group("word"):
        hour = 0 if m.group("word").lower() == "midnight" else 12
        return f"hour{hour}"
    if m.group("h12"):
        hour = int(m.group("h12")) % 12 + (12 if m.group("ap").lower() == "p" else 0)
        minute = int(m.group("m12") or 0)
    else:
        hour, minute = int(m.group("h24")), int(m.group("m24"))
    return f"hour{(hour + (minute >= 30)) % 24}"

_MULTIPLIERS = {w: float(v) for w, v in NUMBER_SCALES.items() if w != "dozen"}

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2015": "-", "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ",
        "\u2026": "...",
    }
)

# A compact newswire paraphrase lexicon: words that outlets use interchangeably
# for one notion, grouped under a concept id. A sentence keeps its own stems
# and *also* carries the concept ("=talk" for talks, negotiations, dialogue),
# so "negotiations failed" meets "talks collapsed" even though they share no
# word. Only general reporting vocabulary belongs here, nothing of one story.
# Families measured and left out: contaminant/impurity/tainted and
# cancer/carcinogen joined product headlines to background paragraphs about
# earlier cases ("contaminated with similar impurities") more often than they
# found a missed paraphrase (mean gold F1 0.781 with them, 0.802 without).
_CONCEPTS: dict[str, str] = {
    "talk": "talks negotiations negotiation negotiate negotiators discussions dialogue parleys "
            "meeting meetings summit",
    "fail": "failed fail failure collapsed collapse faltered stalled deadlock deadlocked "
            "inconclusive inconclusively unsuccessful breakdown impasse stalemate",
    "end": "ended end concluded conclude finished wrapped",
    "shut": "closed close closure shut shutting shutdown suspended suspend halted halt",
    "agree": "agreement agreements deal accord pact treaty resolution settlement consensus "
             "understanding breakthrough progress",
    "truce": "ceasefire truce armistice cease",
    "kill": "killed kill killing dead died death deaths fatalities fatality casualties "
            "lives perished slain",
    "injure": "injured injuries injury wounded hurt hospitalised hospitalized treated",
    "attack": "attack attacks attacked strike strikes struck assault assaults raid raids "
              "bombardment bombing shelling offensive airstrike airstrikes",
    "clash": "clash clashes clashed fighting skirmishes hostilities violence",
    "warn": "warn warned warning warnings threaten threatened threat threats caution cautioned",
    "deny": "deny denied denies denial reject rejected rejects dismiss dismissed dismisses "
            "refute refuted",
    "accuse": "accuse accused accuses accusation accusations allege alleged allegation "
              "allegations blame blamed charge",
    "demand": "demand demanded demands insist insisted require required requires sought seek "
              "seeks call urged urge",
    "troops": "soldiers troops forces military army personnel servicemen",
    "militant": "militants militant insurgents terrorists terrorist fighters rebels extremists "
                "gunmen",
    "govern": "government administration authorities regime officials cabinet agency "
              "regulator regulators regulatory watchdog ministry",
    "border": "border frontier boundary",
    "fire": "fire blaze flames inferno",
    "building": "warehouse building premises facility shed hall depot",
    "resign": "resign resigned resignation quit stepped",
    "arrest": "arrested arrest detained detain custody apprehended",
    "investigate": "investigation investigate investigating probe inquiry enquiry "
                   "investigators",
    "recall": "recall recalled recalls withdrawn withdraw withdrew pulled",
    "cause": "cause caused causes triggered sparked prompted",
    "evacuate": "evacuated evacuate evacuation fled flee displaced",
    "vote": "vote votes ballots ballot",
    "count": "recount count counted tally tallied",
    "win": "won win winner victory victorious",
    "lose": "lost lose loser defeat defeated",
    "announce": "announced announce announcement unveiled declared",
    "confirm": "confirmed confirm confirms verified acknowledged admitted",
    "refuse": "refused refuse declined decline",
    "respond": "respond responded response reply replied retaliated retaliate retaliation "
               "reaction",
    "increase": "increase increased rise rose surge surged spike jump jumped soared rising",
    "decrease": "decrease decreased fall fell drop dropped decline plunged slid slump slumped "
                "tumbled",
    "big": "large huge massive major significant",
    "small": "minor small tiny low slight negligible",
    "use": "use employ utilise utilize using employing",
    "need": "need needs require requires necessary",
    "assure": "assure assured assurance assurances guarantee guarantees guaranteed",
    "company": "company firm manufacturer maker",
    "medicine": "pill pills tablets tablet drug drugs medication medicine medicines treatment",
    "patient": "patients consumers customers users",
    "court": "court judge tribunal",
    "lawsuit": "lawsuit suit litigation challenge appeal",
    "police": "police policemen",
    "staff": "workers employees staff crew",
    "find": "found find finds detected detect detection discovered discover discovery "
            "identified identify uncovered",
    "risk": "risk risks danger dangers dangerous hazard hazards",
    "pharmacy": "pharmacy pharmacies pharmacist pharmacists chemist chemists drugstore",
    "test": "test tests testing tested checks inspection inspections screening",
    "batch": "batch batches lot lots consignment shipment",
    "percent": "percent percentage",
}
_CONCEPT_OF: dict[str, str] = {}
_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[.,][0-9]+)*(?:'[A-Za-z]+)?")
_QUOTE_RE = re.compile(r'"([^"]{3,}?)"')


# Irregular past forms the Snowball stemmer leaves apart from their verb
# ("taken" vs "take", "fled" vs "flee"): mapped to the base form before
# stemming, so "take the tablets" meets "taken over many years". Forms that
# are mostly another word are left out ("left", "saw" is kept: in news it is
# the verb); "found" maps to "find" because in news "was found" is far more
# frequent than "founded".
_IRREGULAR: dict[str, str] = {
    "took": "take", "taken": "take", "gave": "give", "given": "give", "began": "begin",
    "begun": "begin", "broke": "break", "broken": "break", "spoke": "speak", "spoken": "speak",
    "wrote": "write", "written": "write", "rose": "rise", "risen": "rise", "fell": "fall",
    "fallen": "fall", "chose": "choose", "chosen": "choose", "drove": "drive", "driven": "drive",
    "shown": "show", "knew": "know", "known": "know", "saw": "see", "seen": "see",
    "held": "hold", "sent": "send", "brought": "bring", "bought": "buy", "caught": "catch",
    "fought": "fight", "thought": "think", "sought": "seek", "won": "win", "lost": "lose",
    "met": "meet", "paid": "pay", "kept": "keep", "struck": "strike", "ran": "run",
    "fled": "flee", "spent": "spend", "sold": "sell", "stood": "stand", "built": "build",
    "found": "find", "hid": "hide", "hidden": "hide", "froze": "freeze", "frozen": "freeze",
}

@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball stem of a lower-case word (:mod:`tui.core.stemmer`); cached because news repeats its words."""
    return _snowball(word)


# the families above first, then tui.core.lexicon's (a word keeps its first family); through
# the cache, so a story's words of these families are not stemmed again
for _concept, _words in [*_CONCEPTS.items(), *NEWS_CONCEPTS.items()]:
    for _w in _words.split():
        _CONCEPT_OF.setdefault(stem(_IRREGULAR.get(_w, _w)), "=" + _concept)
# "ended without a deal", "no breakthrough": failure said with a negation.
_FAILED_RE = re.compile(
    r"\b(?:without|no|not reach(?:ed)?|fail(?:ed)? to (?:reach|produce|yield))\s+(?:an?\s+|any\s+)?"
    r"(?:agreement|deal|accord|resolution|breakthroughs?|progress|result|outcome|consensus)\b",
    re.IGNORECASE)
# features() runs it only where the lower-case text holds one of its nouns ("resolut": IGNORECASE
# also matches a dotless i), which every match holds.


# "nobody was killed", "no fatalities", "no one died": the absence of deaths is
# one fact however it is worded, and the opposite of the "=kill" it mentions.
_NO_DEATH_RE = re.compile(
    r"\b(?:no(?:body| one)\s+(?:(?:was|were|has been|had been)\s+)?(?:killed|died|dead|hurt|injured|lost)"
    r"|no\s+(?:fatalities|deaths|casualties|lives\s+lost|one\s+died|reported\s+(?:deaths|fatalities|casualties))"
    r"|(?:there\s+were|there\s+have\s+been)\s+no\s+(?:fatalities|deaths|casualties))\b",
    re.IGNORECASE)
# "brought under control", "was contained", "was put out": a fire, riot or
# outbreak being stopped, said in phrases no single word carries. Only the
# passive "was contained" counts: the active "the warehouse contained cotton"
# means "held".
_QUELLED_RE = re.compile(
    r"\bunder control\b|\b(?:was|were|been|being|is|are)\s+(?:\w+\s+)?"
    r"(?:contained|extinguished|put out|doused|quelled)\b",
    re.IGNORECASE)
# Contractions written out, so "we'd" meets "we would" and "didn't" does not
# become a content word "didnt" that the full form lacks.
_CONTRACTIONS = [
    (re.compile(r"\b(can)'t\b", re.IGNORECASE), r"\1 not"),
    (re.compile(r"\b(w)on't\b", re.IGNORECASE), r"\1ill not"),
    (re.compile(r"\b(sha)n't\b", re.IGNORECASE), r"\1ll not"),
    (re.compile(r"\b([A-Za-z]+)n't\b", re.IGNORECASE), r"\1 not"),
    (re.compile(r"\b([A-Za-z]+)'d\b", re.IGNORECASE), r"\1 would"),
    (re.compile(r"\b([A-Za-z]+)'ll\b", re.IGNORECASE), r"\1 will"),
    (re.compile(r"\b([A-Za-z]+)'re\b", re.IGNORECASE), r"\1 are"),
    (re.compile(r"\b([A-Za-z]+)'ve\b", re.IGNORECASE), r"\1 have"),
    (re.compile(r"\b(I)'m\b", re.IGNORECASE), r"\1 am"),
    (re.compile(r"\b(it|that|there|what|he|she|who|here)'s\b", re.IGNORECASE), r"\1 is"),
]


#: the lower-case piece each of _CONTRACTIONS needs, in their order: a pattern whose piece the
#: text lacks cannot match (and no rewrite writes an apostrophe, so none can appear later)
_CONTRACTION_PIECES = ("n't", "n't", "n't", "n't", "'d", "'ll", "'re", "'ve", "'m", "'s")


def expand_contractions(text: str) -> str:
    """Write out English contractions ("we'd" -> "we would"); possessive 's is left alone."""
    if "'" not in text:
        return text
    low = text.lower()
    for (pat, rep), piece in zip(_CONTRACTIONS, _CONTRACTION_PIECES):
        if piece in low:
            text = pat.sub(rep, text)
    return text


def quoted_mask(text: str) -> list[bool]:
    """Per character of normalised text: whether it lies inside double quotes.

    Sentence splitting cuts quotations apart, so a sentence may open a quote
    it never closes (``"The roof came down within forty minutes.``) or close
    one opened in the sentence before (``... on anyone," said the chief``).
    A mark is an opening one when it follows a space or the start and comes
    before a word, else a closing one; an unclosed opening runs to the end,
    and text before a first closing mark counts as quoted.
    """
    marks = [i for i, c in enumerate(text) if c == '"']
    inside = [False] * len(text)
    if not marks:
        return inside
    opening = []
    for i in marks:
        before = text[i - 1] if i > 0 else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opening.append((before.isspace() or before in "([:-") and not after.isspace())
    state = not opening[0]  # a sentence that starts by closing a quote began inside one
    prev = 0
    for i, op in zip(marks, opening):
        if state:
            for k in range(prev, i):
                inside[k] = True
        state = op
        prev = i + 1
    if state:
        for k in range(prev, len(text)):
            inside[k] = True
    return inside


def concept_of(stem_: str) -> str | None:
    """The paraphrase concept ("=talk") a content stem evokes, if any (see _CONCEPTS)."""
    return _CONCEPT_OF.get(stem_)


def normalize(text: str) -> str:
    """Fold typography and diacritics so equal words compare equal (case is kept)."""
    text = text.translate(_TRANSLATE)
    if text.isascii():
        return text  # nothing to decompose (most sentences: a fast path)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Word tokens of normalised text, case kept, possessive "'s" dropped."""
    if "'" not in text:  # nothing to drop (most sentences)
        return _WORD_RE.findall(text)
    out = []
    for w in _WORD_RE.findall(text):
        if w.endswith(("'s", "'S")):
            w = w[:-2]
        elif "'" in w:
            w = w.replace("'", "")
        out.append(w)
    return out


def magnitude(number: str) -> str | None:
    """One-significant-digit bucket of a number, so 42.3 and 43, or 310,000 and 300,000, meet.

    Outlets round the same figure differently; the bucket lets an
    approximate agreement count as shared evidence. Years are left out:
    2013 and 2018 are different facts, not roundings of one.
    """
    try:
        value = float(number)
    except ValueError:
        return None
    if not math.isfinite(value) or value <= 0 or (1900 <= value <= 2100 and value.is_integer()):
        return None
    return f"~{float(f'{value:.0e}'):g}"


def _canon(value: float) -> str:
    """A computed number as a token; ValueError past the largest float (a 309-digit figure times a million)."""
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return str(int(value)) if value.is_integer() else f"{value:g}"


@lru_cache(maxsize=200_000)
def _number_token(word: str) -> str | None:
    """The number a word stands for, normalised; cached like :func:`stem`."""
    lw = word.lower()
    if lw in _NUMBER_WORDS and lw not in _WEAK_NUMBERS:
        return _NUMBER_WORDS[lw]
    if not lw.isalpha() and any(c.isdigit() for c in lw):  # a word of letters only (most) holds no digit
        return lw.replace(",", "")
    return None


@dataclass(frozen=True, slots=True)
class Features:
    """The comparable signals of one sentence."""

    #: content stems in reading order (stop words dropped, numbers as digits),
    #: then the paraphrase concepts they evoke ("=talk"), see _CONCEPTS
    stems: tuple[str, ...]
    #: normalised numbers mentioned ("4", "58", "2.5e9")
    numbers: frozenset[str]
    #: stems of capitalised words not at the sentence start, and acronyms
    names: frozenset[str]
    #: stems of the content of quoted phrases, joined by spaces
    quotes: tuple[str, ...]
    #: the stems joined by spaces, for string-based fuzzy scorers
    key: str
    #: word trigrams (stems of every word, stop words included, contractions
    #: written out) that hold at least one content word, in reading order
    trigrams: tuple[str, ...] = ()
    #: those of the trigrams that lie inside a quotation
    quoted: frozenset[str] = frozenset()
    #: whether the sentence reads as commentary (a word of lexicon.COMMENTARY_WORDS)
    opinion: bool = False


_INVERTED_AFTER = frozenset("the a an they he she it we you there any".split())


class _Plan(NamedTuple):
    """What :func:`features` reads off one word token (see :func:`_plan`)."""

    #: the number it stands for (:func:`_number_token`)
    number: str | None
    #: the factor when it is a multiplier ("thousand")
    mult: float | None
    #: its stem when it is a content word (None for a stop word or a single character)
    stem: str | None
    #: whether it starts with a capital letter
    capital: bool
    #: whether it is written in capitals, two letters or more (an acronym)
    acronym: bool
    #: whether it is a commentary word (lexicon.COMMENTARY_WORDS)
    commentary: bool
    #: whether it is "should", in any case
    should: bool
    #: whether a "should" before it has its subject after it (a capital, or see _INVERTED_AFTER)
    inverts: bool
    #: how a word trigram reads it (:func:`_trigram_word`)
    trigram: tuple[str, bool]


@lru_cache(maxsize=200_000)
def _plan(word: str) -> _Plan:
    """What :func:`features` reads off one word token, cached: one lookup per token."""
    lw = word.lower()
    content = lw not in STOP_WORDS and len(lw) >= 2
    return _Plan(_number_token(word), _MULTIPLIERS.get(lw),
                 stem(_IRREGULAR.get(lw) or _MONTHS.get(lw, lw)) if content else None,
                 word[0].isupper(), len(word) > 1 and word.isupper(),
                 (word if word == "May" else lw) in COMMENTARY_WORDS, lw == "should",
                 word[:1].isupper() or lw in _INVERTED_AFTER,
                 _trigram_word(word))




def _is_opinion(toks: Sequence[str]) -> bool:
    """Whether a sentence reads as commentary (see lexicon.COMMENTARY_WORDS).

    Besides the word list, a conditional "should" with its subject after it
    ("retaliate should Pakistan strike again", "should the talks fail") is
    a hypothetical, not a report; "Patients should keep taking ..." is
    advice and does not count.
    """
    return _opinion([_plan(w) for w in toks])


def _opinion(plans: Sequence[_Plan]) -> bool:
    """:func:`_is_opinion` of the words so planned."""
    for k, p in enumerate(plans):
        if p.commentary or (p.should and k + 1 < len(plans) and plans[k + 1].inverts):
            return True
    return False


def features(text: str) -> Features:
    """Extract the signals of one sentence."""
    norm = normalize(text)
    low = norm.lower()
    if "per" in low or "pct" in low:  # what _PHRASES needs (else it cannot match)
        norm = _PHRASES.sub("percent", norm)
        low = norm.lower()
    if "'" in norm:
        norm = expand_contractions(norm)
        low = norm.lower()
    if _TIME_HINT.search(low):
        norm = _TIME_RE.sub(_time_token, norm)
    if _SPOKEN_HINT.search(low):
        norm = _SPOKEN_TIME_RE.sub(_spoken_time_token, norm)
    toks = words(norm)
    plans = [_plan(w) for w in toks]
    stems: list[str] = []
    numbers: set[str] = set()
    names: set[str] = set()
    # the first word counts as a name when the second is capitalised too
    first_name = len(plans) > 1 and plans[1].capital
    for pos, p in enumerate(plans):
        num, mult = p.number, p.mult
        if num is None and mult is None:  # a word; its stem is None for a stop word or a single letter
            s = p.stem
            if s is not None:
                stems.append(s)
                if (p.capital and (pos > 0 or first_name)) or p.acronym:
                    names.add(s)
            continue
        if mult is not None and pos > 0 and plans[pos - 1].number is not None:
            continue  # already folded into the number before it
        if num is None and mult is not None:
            num = _canon(mult)  # "a thousand", "hundreds"
        if num is not None:
            nxt = plans[pos + 1].mult if pos + 1 < len(plans) else None
            if nxt is not None:
                try:
                    num = _canon(float(num) * nxt)
                except ValueError:
                    pass
            numbers.add(num)
            stems.append(num)
            mag = magnitude(num)
            if mag is not None and float(mag[1:]) != float(num):
                stems.append(mag)
    key = " ".join(stems)
    concepts = {_CONCEPT_OF[x] for x in stems if x in _CONCEPT_OF}
    # each pattern only where the lower-case text holds what any of its matches must (cheap tests first)
    if ("agreement" in low or "deal" in low or "accord" in low or "resolut" in low or "breakthrough" in low
            or "progress" in low or "result" in low or "outcome" in low or "consensus" in low) \
            and _FAILED_RE.search(norm):
        concepts.add("=fail")
    if "no" in low and _NO_DEATH_RE.search(norm):
        concepts.add("=nodeath")
    if ("control" in low or "contained" in low or "extinguished" in low or "put out" in low
            or "doused" in low or "quelled" in low) and _QUELLED_RE.search(norm):
        concepts.add("=quell")
    stems.extend(sorted(concepts - set(stems)))
    quotes = []
    for q in _QUOTE_RE.findall(norm):
        qs = [stem(x.lower()) for x in words(q) if x.lower() not in STOP_WORDS]
        if len(qs) >= 2:
            quotes.append(" ".join(qs))
    trigrams, quoted = _trigrams(norm, [p.trigram for p in plans])
    return Features(
        stems=tuple(stems),
        numbers=frozenset(numbers),
        names=frozenset(names),
        quotes=tuple(quotes),
        key=key,
        trigrams=trigrams,
        quoted=quoted,
        opinion=_opinion(plans),
    )


def join_compounds(feats: Sequence[Features]) -> list[Features]:
    """Let "Black Tide" meet "BlackTide" or "Blacktide" within one corpus.

    Outlets write a name as one word or two (a ransomware group, a ship, a
    company). Two adjacent name stems whose concatenation is a word some
    other sentence of the corpus uses get that word as one more stem, so the
    two spellings share evidence. Only names, only when the joined form
    really occurs: "Black" and "Tide" elsewhere stay two words.
    """
    vocab = {t for f in feats for t in f.stems if t[:1] not in "=~"}
    out: list[Features] = []
    for f in feats:
        if not f.names:  # two name stems join, so a sentence without a name has nothing to join
            out.append(f)
            continue
        seq = [t for t in f.stems if t[:1] not in "=~"]
        extra: list[str] = []
        for x, y in zip(seq, seq[1:]):
            if x in f.names and y in f.names and x.isalpha() and y.isalpha():
                joined = stem(x + y)
                if joined in vocab and joined not in f.stems and joined not in extra:
                    extra.append(joined)
        if extra:
            f = replace(f, stems=f.stems + tuple(extra), names=f.names | frozenset(extra))
        out.append(f)
    return out


@lru_cache(maxsize=200_000)
def _trigram_word(word: str) -> tuple[str, bool]:
    """A word token as a trigram reads it: (its number or stem, whether it is a content word)."""
    if word.endswith(("'s", "'S")):
        word = word[:-2]
    lw = word.lower().replace("'", "")
    num = _number_token(lw)
    return (num if num is not None else stem(lw)), (num is not None or lw not in STOP_WORDS)


def _trigrams(norm: str, read: Sequence[tuple[str, bool]]) -> tuple[tuple[str, ...], frozenset[str]]:
    """Word trigrams of the sentence and the quoted ones among them (see Features).

    ``read``: :func:`_trigram_word` of each of its words (``_WORD_RE``'s
    tokens; as :func:`words` gives them, which reads the same).

    Stop words stay in: a reported statement is recognised by its exact run
    of words ("within forty minutes"), function words included, while a
    trigram of stop words alone ("it would be") says nothing.
    """
    if '"' not in norm:  # no quotation (most sentences): the words alone
        return tuple([f"{x} {y} {z}" for (x, cx), (y, cy), (z, cz) in zip(read, read[1:], read[2:])
                      if cx or cy or cz]), frozenset()
    inside = quoted_mask(norm)
    inq = [inside[m.start()] for m in _WORD_RE.finditer(norm)]
    grams: list[str] = []
    quoted: set[str] = set()
    for (x, cx), (y, cy), (z, cz), qx, qy, qz in zip(read, read[1:], read[2:], inq, inq[1:], inq[2:]):
        if not (cx or cy or cz):
            continue
        g = f"{x} {y} {z}"
        grams.append(g)
        if qx and qy and qz:
            quoted.add(g)
    return tuple(grams), frozenset(quoted)


# --------------------------------------------------------------------------
# Inline Markdown, for display and scoring only
# --------------------------------------------------------------------------

_MD_IMAGE_OR_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+\"[^\"]*\")?\)")
_MD_EM_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_EM_UNDERSCORE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")
_MD_CODE = re.compile(r"`([^`\n]+)`")
# Starts only where a run of spaces starts (the look-behind): tried inside a run
# of 16,000 spaces, the leading [^\S\r\n]* made every position scan the run.
_MD_QUOTE_CONTINUATION = re.compile(r"(?<![^\S\r\n])[^\S\r\n]*(?:\r\n|[\n\r])[^\S\r\n]*(?:>[^\S\r\n]*)+")


def _strip_strong(text: str) -> str:
    """``**x**`` and ``__x__`` as ``x``: ``re.sub(r"(\\*\\*|__)(?=\\S)(.+?)(?<=\\S)\\1", r"\\2", text)``, in linear time.

    That pattern tried every opening ``**`` against the rest of its line, so a
    line of `` **a`` repeated 8,000 times took 21 s. Here every opener looks
    up the first closer after it (a ``**`` or ``__`` right after a non-space)
    among the precomputed ones; the result is the same, left to right.
    """
    closers: dict[str, list[int]] = {"**": [], "__": []}
    openers: list[int] = []
    for mark, found in closers.items():
        i = text.find(mark)
        while i != -1:
            openers.append(i)
            if i > 0 and not text[i - 1].isspace():
                found.append(i)
            i = text.find(mark, i + 1)
    if not openers:
        return text
    openers.sort()
    breaks = [i for i, c in enumerate(text) if c == "\n"] if "\n" in text else []
    n = len(text)
    out: list[str] = []
    last = 0
    for i in openers:
        if i < last or i + 2 >= n or text[i + 2].isspace():
            continue
        found = closers[text[i : i + 2]]
        k = bisect_left(found, i + 3)
        if k == len(found):
            continue
        j = found[k]
        b = bisect_left(breaks, i + 2)
        if b < len(breaks) and breaks[b] < j:  # the content may not span a line break
            continue
        out.append(text[last:i])
        out.append(text[i + 2 : j])
        last = j + 2
    out.append(text[last:])
    return "".join(out)


def display_text(text: str) -> str:
    """``text`` without inline Markdown: ``**x**``, ``*x*``, ``_x_``, `` `x` `` and ``[x](url)`` become ``x``.

    :attr:`Sentence.text` must stay an exact slice of the file (offsets are
    what sessions and exports anchor to), so the markup stays in it; this is
    the view to *show* or *score* instead, so a link's URL does not count as
    words and ``**said**`` compares equal to ``said``. The ``>`` of a
    blockquote line wrapped into the same sentence goes too. Snake_case
    words and lone asterisks (``5 * 3``) are left alone. Pure and cheap.
    """
    if not any(c in text for c in "*_[`>"):
        return text
    text = _MD_QUOTE_CONTINUATION.sub(" ", text)
    text = _MD_IMAGE_OR_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    for _ in range(2):  # "***x***" is strong around emphasis
        text = _strip_strong(text)
    text = _MD_EM_STAR.sub(r"\1", text)
    return _MD_EM_UNDERSCORE.sub(r"\1", text)
