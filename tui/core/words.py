"""The English word lists every stage shares: months, weekdays, number words, stop words.

Ingest recognises date strips by their month names, the sentence splitter
must not end a sentence at "Oct.", the scorer maps "four" to 4 and "Sept" to
September, and the comparer reads "March 3" as a date and flags "Tuesday vs
Wednesday". Each used to keep its own copy of these lists, and copies drift;
here they are written once, as data, with the few regular-expression
fragments built from them. Nothing here is tuned: these are facts of the
language, not of a story. Pure data.
"""

from __future__ import annotations

__all__ = [
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NUMBERS",
    "NEWS_STOP_WORDS",
    "NLTK_STOP_WORDS",
    "NUMBER_ONES",
    "NUMBER_SCALES",
    "NUMBER_TENS",
    "WEEKDAYS",
    "WEEKDAY_ABBREVIATIONS",
    "full_weekday_pattern",
    "month_pattern",
    "weekday_pattern",
]

# ------------------------------------------------------------------ calendar

#: Month names in calendar order, lowercase: ``MONTHS[0]`` is January.
MONTHS: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
#: The short forms news copy uses ("Oct.", "Sept 3"), each to its full name.
MONTH_ABBREVIATIONS: dict[str, str] = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}
#: Every spelling of a month, full or short, to its number (January = 1).
MONTH_NUMBERS: dict[str, int] = {
    **{name: i for i, name in enumerate(MONTHS, 1)},
    **{short: MONTHS.index(full) + 1 for short, full in MONTH_ABBREVIATIONS.items()},
}

#: Weekday names, Monday first, lowercase.
WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Short weekday forms ("Tue.", "Thurs") as they appear before a full stop.
WEEKDAY_ABBREVIATIONS: frozenset[str] = frozenset("mon tue tues wed thu thur thurs fri sat sun".split())


def _alternation(forms: set[str], *, capitalised: bool) -> str:
    """``(?:a|b|…)`` of ``forms``, longest first, so a longer spelling is preferred where two could match."""
    ordered = sorted(forms, key=lambda f: (-len(f), f))
    return "(?:" + "|".join(f.capitalize() if capitalised else f for f in ordered) + ")"


def month_pattern(*, capitalised: bool = False) -> str:
    """A regex fragment matching any month spelling, maybe with a full stop ("Oct.", "september").

    Lowercase by default, for lines that were casefolded before matching;
    ``capitalised=True`` for case-sensitive patterns such as datelines.
    """
    return _alternation(set(MONTHS) | set(MONTH_ABBREVIATIONS), capitalised=capitalised) + r"\.?"


def weekday_pattern() -> str:
    """A lowercase regex fragment for a weekday, full or short, maybe with a full stop.

    A weekday is a stem and an optional "day": "tue", "tues", "tuesday",
    "wednes(day)", so the stems are the short forms plus each full name
    without its "day".
    """
    stems = set(WEEKDAY_ABBREVIATIONS) | {day.removesuffix("day") for day in WEEKDAYS}
    return _alternation(stems, capitalised=False) + r"(?:day)?\.?"


def full_weekday_pattern(*, capitalised: bool = True) -> str:
    """A regex fragment for a weekday's full name only ("Tuesday"), capitalised by default."""
    return _alternation(set(WEEKDAYS), capitalised=capitalised)


# ------------------------------------------------------------------ numbers

#: Number words below twenty, to their values.
NUMBER_ONES: dict[str, int] = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen".split()
    )
}
#: The tens, twenty to ninety.
NUMBER_TENS: dict[str, int] = {
    w: 10 * i
    for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split(), 2)
}
#: Words that multiply the number before them ("a dozen", "3 million").
NUMBER_SCALES: dict[str, int] = {
    "dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
    "billion": 1_000_000_000, "trillion": 1_000_000_000_000,
}

# ------------------------------------------------------------------ stop words

#: Words that say nothing about *which* fact a news sentence reports: function
#: words plus the reporting verbs and time fillers every news sentence carries
#: ("said", "on Wednesday"). The pair scorer ignores them. Hand-written, so
#: nothing depends on the NLTK stopwords corpus being downloaded.
NEWS_STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all almost along already also although am among an and
    another any anyone anything are around as at be became because become been before being
    below between both but by can cannot could did do does doing done down during each either
    else enough even ever every few for from further had has have having he her here hers
    herself him himself his how however i if in into is it its itself just least less let
    like made make many may me might more most much must my myself neither no nor not now of
    off often on once one only or other others otherwise our ours ourselves out over own per
    perhaps quite rather s same several shall she should since so some such than that the
    their theirs them themselves then there these they this those though through thus to too
    toward towards under until up upon us very via was we well were what whatever when where
    whereas whether which while who whom whose why will with within without would yet you
    your yours yourself yourselves
    said says say saying told tells according added adding stated noted reportedly reported
    mr mrs ms dr
    today yesterday tomorrow
    week weeks earlier later ago
    """.split()
) | frozenset(WEEKDAYS)

#: NLTK's English stop list (plus a few contraction forms and "said"), inlined
#: so nothing needs downloading at run time. The comparer leaves these words
#: unhighlighted when they differ within a row: they are not what differs.
NLTK_STOP_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against ain all am an and any are aren aren't as at be because
    been before being below between both but by can couldn couldn't d did didn didn't do does
    doesn doesn't doing don don't down during each few for from further had hadn hadn't has
    hasn hasn't have haven haven't having he he'd he'll he's her here hers herself him himself
    his how i i'd i'll i'm i've if in into is isn isn't it it'd it'll it's its itself just ll
    m ma me mightn mightn't more most mustn mustn't my myself needn needn't no nor not now o
    of off on once only or other our ours ourselves out over own re s same shan shan't she
    she'd she'll she's should should've shouldn shouldn't so some such t than that that'll the
    their theirs them themselves then there these they they'd they'll they're they've this
    those through to too under until up ve very was wasn wasn't we we'd we'll we're we've were
    weren weren't what when where which while who whom why will with won won't wouldn
    wouldn't y you you'd you'll you're you've your yours yourself yourselves also would could
    said says mr mrs ms
    """.split()
)
