"""Page furniture: the lines a scrape drags along that are not the article.

One line on its own (:func:`furniture_reason`: comment forms, share bars,
date strips, press-release markers, contact details, reader call-outs), and
lines that are furniture only by where they stand (mastheads above the
headline, an issuer's name, the names under "Media contact", the headlines
under "Related Posts"). Patterns describe kinds of furniture, never one site.
"""

from __future__ import annotations

import re

from tui.core.words import month_pattern, weekday_pattern
from tui.core.ingest.lines import (
    _EMPHASIS,
    _ENDS_SENTENCE,
    _FUNCTION_WORDS,
    _content_lines,
    _is_title_like,
    _Line,
    _norm,
)


_MONTH = month_pattern()
_WEEKDAY = weekday_pattern()
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[a-z]{2,4}\)?)?"

# When a press release was issued or may be published: "4 March 2025",
# "00:01 GMT Thursday 6 March", "Tuesday 4 March". Dates here often lack the year.
_SHORT_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
# _DATE or _SHORT_DATE: the same strings with the month pattern written twice instead of
# four times (the year optional after either order of day and month), which makes
# _FURNITURE, where this stands six times, 2,000 characters shorter (3 ms less to compile)
_SOME_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_WHEN_PART = rf"(?:{_SOME_DATE}|{_WEEKDAY}|{_TIME}|\d{{4}}\s*(?:hrs|hours)|midnight|noon)"
_WHEN = (
    rf"{_WHEN_PART}(?:\s*(?:(?:,|at|on|-|\u2013|\|)\s*)?{_WHEN_PART}){{0,4}}"
    r"(?:\s*(?:hrs|hours|gmt|bst|utc|cet|cest|local time|uk time))?"
)
# Press-release markers: "NEWS RELEASE", "PRESS RELEASE - FOR IMMEDIATE RELEASE",
# "MEDIA RELEASE: 4 March 2025", the "ENDS" / "-ends-" / "###" / "-30-" end marks.
_RELEASE_MARKER = (
    rf"(?:(?:news|press|media) release|for immediate release)"
    rf"(?:\s*[-\u2013\u2014:|,]\s*(?:for immediate release|{_WHEN}))?"
    r"|-?\s*ends\s*-?|-+\s*end\s*-+|#{3}|-30-"
    r"|notes? (?:to|for) editors?:?|editor'?s'? ?notes?:?"
)
# A press release's own date line: "Issued: 4 March 2025", "Released 5 March",
# "Embargoed until 00:01 GMT Thursday 6 March". Only a label plus a date or time
# makes the whole line, so "The council issued a statement on Monday" stays.
_RELEASE_DATE = (
    rf"(?:issued|released|date (?:of )?issue|release date|embargo(?:ed)?(?: until| till)?)(?: on| at)?\s*(?::\s*)?{_WHEN}"
    r"|embargo(?:ed)?\s*:\s*(?:none|no embargo)"
)
# The line that opens a media-contact block: "For media enquiries", "Media contact",
# "Press enquiries, please contact:", "For further information contact:", "Contact:".
_CONTACT_HEADER = (
    r"(?:for |all )?(?:media|press|journalists?'?|news)(?: and (?:media|press|broadcast|interview))?"
    r" (?:enquiries|inquiries|queries|contacts?|information|relations)"
    r"(?:,? (?:please )?(?:contact|call|e-?mail))?(?: only)?:?"
    r"|(?:for )?(?:further|more) (?:information|details),? (?:please )?contact:?"
    r"|(?:enquiries|inquiries|contacts?|contact details)\s*:?"
)

#: One share/view/comment count: a number, maybe "k"/"m", maybe what it counts.
_COUNT = r"\d[\d.,]*(?:\s*[km])?(?:\s*(?:shares?|views?|comments?|likes?|reactions?|reads?))?"

#: Three patterns that cost the most on an ordinary sentence (each backtracks over the
#: line's first words), matched on their own behind a test of what they cannot match
#: without: see :func:`_furniture_pattern`.
_ALL_RIGHTS_PATTERN = r".{0,150}all rights reserved\.?.{0,60}"
_WEATHER_PATTERN = (
    r"-?\d{1,3}(?:[.,]\d)?\s*[cf]|(?:[a-z][a-z ]{0,30}(?:\s+|\s*,\s*))?-?\d{1,3}(?:[.,]\d)?\s*(?:\u00b0(?:\s*[cf])?|\u2103|\u2109)(?:(?:\s+|\s*,\s*)[a-z][a-z ]{0,30})?"
)
_CRUMBS_PATTERN = r"[\w'&](?:[\w'& ]{0,28}[\w'&])?(?:(?:\s*[\u00bb\u203a>])+\s*[\w'&](?:[\w'& ]{0,28}[\w'&])?){1,6}"

# Each entry: (reason, pattern fully matching the normalised line).
_FURNITURE_PATTERNS: list[tuple[str, str]] = [
    (reason, pattern)
    for reason, pattern in [
        ("comment form", r"leave a (?:reply|comment|response)(?: cancel reply)?!?"),
        ("comment form", r"(?:post|submit|add|write) (?:a |your )?comment!?"),
        ("comment form", r"please enter (?:your |a |an )?(?:comment|name|e-?mail|website|valid)[^.]{0,40}[.!]?"),
        ("comment form", r"you have entered an incorrect e-?mail address!?"),
        ("comment form", r"save my name,? e-?mail,? (?:and|&) website.{0,120}"),
        ("comment form", r"your e-?mail address will not be published.{0,80}"),
        ("comment form", r"required fields are marked.{0,20}"),
        # the comment section's heading and house rules: "Have your say", "Comments are moderated."
        ("comment form", r"have your say|join the (?:conversation|discussion|debate)"),
        ("comment form", r"(?:all )?comments are (?:pre-?)?moderated(?: before (?:they appear|publication))?\.?"
                         r"(?:\s*please read our (?:community|comment(?:ing)?|house) (?:guidelines|rules|standards|policy)\.?)?"),
        # the comment section shut: "Comments are closed.", "Comments have been disabled for this article."
        ("comment form", r"comments? (?:are|is|have been|has been) (?:now )?(?:closed|disabled|turned off|switched off)"
                         r"(?: (?:for|on) this (?:article|story|post|page|piece))?\.?"),
        ("comment form", r"please (?:read|see|follow) our (?:community|comment(?:ing)?|house) (?:guidelines|rules|standards|policy)\.?"),
        ("comment form", r"cancel reply|no comments?(?: yet)?\.?|comments?(?: \(\d+\))?|(?:log|sign) in to (?:comment|reply).{0,40}"),
        ("related links", r"related(?: posts| articles| stories| news| content| coverage| topics| reading| links)?:?"),
        ("related links", r"top \d{1,2} (?:this|of the) (?:week|day|month)|top (?:stories|news|picks)"),
        ("related links", r"popular(?: articles| posts| stories| news| now| this week)?|most (?:read|popular|viewed|shared|commented)(?: (?:articles|stories|news))?"),
        ("related links", r"trending(?: now| news| stories| topics)?|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you| stories| articles)?"),
        ("related links", r"(?:latest|more) (?:news|posts|stories|articles|videos)|editor'?s? ?picks?|must read|don'?t miss|in case you missed it|(?:previous|next) (?:article|post|story)"),
        # "More from Pulse: Which factories are next?", "More from Companies": a related-links
        # header or entry (a short name, then at most a title with no full stop in it)
        ("related links", r"more from (?:the )?[\w'&.-]+(?: [\w'&.-]+){0,3}(?:\s*[:|\u2013\u2014-]\s*[^.]{1,120})?"),
        ("read more", r"(?:read more|also read|read also|see also|also see|read next|related|must read|click here|more on this|recommended|suggested)\s*(?:[:|»>\-\u2013\u2014]|\.\.\.|\u2026).*"),
        ("read more", r"read more(?: \u00bb| >>|\.\.\.|\u2026)?|continue reading.{0,60}|read (?:the )?full (?:story|article).{0,40}"),
        # Counts separated by white space ("1.2k shares 48 comments"). Each
        # digit run can be read one way only: nested repeats that could split
        # "1,1,1,…x" many ways made a failing match take exponential time.
        ("counter", rf"{_COUNT}(?:\s+{_COUNT})*"),
        # "\s*(?::\s*)?", never "\s*:?\s*": that splits a run of blanks two ways at every length
        ("counter", r"(?:shares?|views?|comments?|likes?|reads?)\s*(?::\s*)?\d[\d.,]*\s*[km]?"),
        # a count in words round it: "Shared 2.7k times", "Viewed 1,204 times", "Read 3k times"
        ("counter", r"(?:shared|viewed|read|liked|seen) \d[\d.,]*\s*[km]? times?"),
        ("date strip", r"(?:(?:posted|updated|published)\s*(?::\s*)?)?(?:about )?(?:\d+|an?) (?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?) ago"),
        ("reading time", r"\d+\s*(?:-\s*)?min(?:ute)?s?\.? read"),
        ("press release", _RELEASE_MARKER),
        ("press release", _RELEASE_DATE),
        ("media contact", r"(?:media|press) (?:contacts?|enquiries|inquiries|office)\s*:.{0,200}"),
        ("media contact", _CONTACT_HEADER),
        ("advertisement", r"advert(?:isement|isment|s)?|ads?|(?:sponsored|promoted|partner)(?: links| stories| content| posts?)?|promoted(?: content)?|paid (?:content|post)|scroll to continue(?: with content)?|story continues below(?: advertisement)?|continue reading below|skip (?:this )?ad"),
        ("copyright", r"(?:\u00a9|\(c\)|copyright\b).{0,150}"),
        ("copyright", _ALL_RIGHTS_PATTERN),
        ("weather", _WEATHER_PATTERN),
        ("date strip", rf"(?:(?:last )?(?:updated|published|posted|modified)(?: on| at)?:?\s*)?(?:{_WEEKDAY},?\s*)?{_DATE}(?:\s*(?:(?:,|at|-|\||\u2013)\s*)?{_TIME})?(?:\s*[a-z]{{3,4}})?"),
        ("date strip", rf"(?:(?:last )?(?:updated|published|posted|modified)(?: on| at)?:?\s*)?(?:{_WEEKDAY}|{_TIME})"),
        # a time stamp after its label, in any order of weekday, date and time ("Updated Sunday 15
        # March, 14:30", "Published 14:30 GMT, 15 March 2026"): the label makes the whole line a strip
        ("date strip", rf"(?:last )?(?:updated|published|posted|modified)(?: on| at)?\s*(?::\s*)?{_WHEN}"),
        # a day and month with no year ("3 March", "Updated March 3, 14:05"): a strip, never a sentence
        ("date strip", rf"(?:(?:last )?(?:updated|published|posted|modified)(?: on| at)?:?\s*)?{_SHORT_DATE}(?:,?\s*(?:at\s+)?{_TIME})?"),
        # the section an article is filed under, alone on its line above the headline ("OPINION", "Analysis:")
        ("section label", r"(?:opinion|analysis|comment|commentary|editorial|explainer|exclusive|breaking(?: news)?"
                          r"|live(?: updates)?|column|op-ed|guest (?:column|post|opinion|essay)|viewpoint|perspective"
                          r"|fact[ -]check|letters?(?: to the editor)?)\s*:?"),
        # an opinion page's disclaimer: "The views expressed are the author's own."
        ("disclaimer", r"(?:the )?(?:views?|opinions?) expressed(?: here| in this (?:article|piece|column|op-ed|commentary|blog))?"
                       r" (?:are|is) (?:(?:solely|entirely|purely) )?(?:(?:the )?(?:author|writer|columnist|contributor)(?:'s|s'|\u2019s)|(?:his|her|their)) own"
                       r"(?:\s*(?:,|and|\.)\s*.{0,160})?\.?"),
        ("disclaimer", r"(?:the )?(?:views?|opinions?) expressed(?: here| in this (?:article|piece|column|op-ed|commentary|blog))?"
                       r" (?:are|is) (?:(?:solely|entirely|purely) )?(?:those|that) of the (?:author|writer|columnist|contributor)s?(?: alone)?"
                       r"(?:\s*(?:,|and|\.)\s*.{0,160})?\.?"),
        # "This case report is for information only and does not constitute legal advice."
        ("disclaimer", r"(?:this|the) (?:[\w-]+ )?(?:article|report|column|piece|post|page|content|summary|briefing|note|update|newsletter|material)s?"
                       r" (?:is|are) (?:provided )?for (?:general )?information(?:al)?(?: purposes)? only"
                       r"(?:\s*(?:,|;|and|\.)\s*.{0,160})?\.?"),
        ("credits", r"(?:additional )?(?:reporting|writing|editing|compiled|produced) by .{1,200}"),
        ("tags", r"(?:tags?|filed under|topics?|categor(?:y|ies))\s*:.{0,200}"),
        ("caption", r"(?:photo|image|picture|file photo|video)(?: credit)?\s*:.{0,200}"),
        # a crumb starts and ends with a word character and the separator takes the
        # blanks round it; crumbs that could also take them split exponentially
        ("navigation", _CRUMBS_PATTERN),
        ("navigation", r"(?:skip to (?:main )?content|back to top|home|menu|search|close|next|previous|prev|load more|show more|view all|see all|more)"),
    ]
]

#: Where the separately matched patterns stand in the list (the first pattern that matches decides).
_ALL_RIGHTS_AT = _FURNITURE_PATTERNS.index(("copyright", _ALL_RIGHTS_PATTERN))
_WEATHER_AT = _FURNITURE_PATTERNS.index(("weather", _WEATHER_PATTERN))
_CRUMBS_AT = _FURNITURE_PATTERNS.index(("navigation", _CRUMBS_PATTERN))
_APART = (_ALL_RIGHTS_AT, _WEATHER_AT, _CRUMBS_AT)
assert list(_APART) == sorted(_APART), "_furniture_pattern tries them in this order"

# The other patterns in one alternation, so a line costs one regex call; the
# name of the (empty) group closing the pattern that matched says which pattern
# (and so which reason) it was. The group goes after its pattern, not round it:
# then a pattern that starts with a letter or a class is skipped by the regex
# engine at the line's first character, without being entered.
_FURNITURE = re.compile("|".join(
    f"(?:{p})(?P<f{i}>)" for i, (_, p) in enumerate(_FURNITURE_PATTERNS) if i not in _APART
))
_FURNITURE_INDEX = {f"f{i}": i for i in range(len(_FURNITURE_PATTERNS))}
_FURNITURE_REASONS = {f"f{i}": reason for i, (reason, _) in enumerate(_FURNITURE_PATTERNS)}
_ALL_RIGHTS = re.compile(_ALL_RIGHTS_PATTERN)
_WEATHER = re.compile(_WEATHER_PATTERN)
_CRUMBS = re.compile(_CRUMBS_PATTERN)


def _furniture_pattern(t: str) -> str | None:
    """The reason of the first pattern of :data:`_FURNITURE_PATTERNS` fully matching ``t``, or ``None``.

    One alternation of all of them in order gives the same (the tests check it), slower: a
    pattern kept apart runs only where none earlier in the list matched and ``t`` holds what it
    needs -- "all rights reserved"; for the weather a final c or f or one of \u00b0 \u2103
    \u2109 (its two forms end "[cf]" or hold one); for crumbs a separator \u00bb \u203a ">".
    """
    m = _FURNITURE.fullmatch(t)
    at = _FURNITURE_INDEX[m.lastgroup or ""] if m else len(_FURNITURE_PATTERNS)
    if at > _ALL_RIGHTS_AT and "all rights reserved" in t and _ALL_RIGHTS.fullmatch(t):
        return "copyright"
    if (at > _WEATHER_AT and (t[-1:] in ("c", "f") or "\u00b0" in t or "\u2103" in t or "\u2109" in t)
            and _WEATHER.fullmatch(t)):
        return "weather"
    if at > _CRUMBS_AT and (">" in t or "\u00bb" in t or "\u203a" in t) and _CRUMBS.fullmatch(t):
        return "navigation"
    return _FURNITURE_REASONS[m.lastgroup or ""] if m else None

_SOCIAL = frozenset(
    "share shares sharing tweet pin email e-mail print copy link whatsapp facebook twitter x linkedin "
    "telegram reddit pinterest messenger viber flipboard threads bluesky instagram youtube tiktok "
    "on via this article story post column piece page us follow google news".split()
)
_SOCIAL_CORE = frozenset(
    "share tweet pin whatsapp facebook twitter linkedin telegram reddit pinterest messenger viber "
    "flipboard instagram youtube tiktok follow".split()
)
_SOCIAL_SPLIT = re.compile(r"[\s|\u2022\u00b7,/:]+")
#: The first piece :data:`_SOCIAL_SPLIT` cuts off a line.
_SOCIAL_HEAD = re.compile(r"[^\s|\u2022\u00b7,/:]+")


def _could_be_social(norm: str) -> bool:
    """False where :func:`_social`'s loop stops at the first piece (no share word, no number)."""
    head = _SOCIAL_HEAD.search(norm)
    if head:
        t = head.group().strip(".!")
        if t and not (t in _SOCIAL or t.isdigit()):
            return False
    return True


def _social(norm: str) -> bool:
    """A share bar: at most 12 share words and numbers, one of them a core one ("share", "tweet")."""
    if len(norm) > 150 or not _could_be_social(norm):
        return False
    tokens: list[str] = []
    for piece in _SOCIAL_SPLIT.split(norm):
        t = piece.strip(".!")
        if not t:
            continue
        if len(tokens) == 12 or not (t in _SOCIAL or t.isdigit()):  # a sentence fails at its first word
            return False
        tokens.append(t)
    return any(t in _SOCIAL_CORE for t in tokens)


def _subscription(norm: str) -> bool:
    words = norm.count(" ") + 1
    if words > 30:
        return False
    if norm.startswith(("subscribe", "sign up", "signup", "get our newsletter", "download our app", "download the app")):
        return True
    if "newsletter" in norm or "whatsapp channel" in norm or "telegram channel" in norm:
        return True
    if norm.startswith(("join our", "follow us", "get the latest", "stay up to date", "stay informed")):
        return True
    return False


def _cookie(norm: str) -> bool:
    return "cookie" in norm and norm.count(" ") < 60 and any(
        k in norm for k in ("we use", "accept", "policy", "consent", "this site", "this website", "browsing")
    )


# -- Contact details, press offices and reader call-outs ---------------------

#: The look-behind starts an address only where its run of characters starts:
#: tried inside "+7+7+7...", the local part scanned the run from every position.
_EMAIL = r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
#: A phone number after a label ("Tel: 01632 960 418"): any run of digits and spacing.
_PHONE = r"\+?\(?\d[\d ().-]{5,22}\d(?: ?(?:ext\.?|x) ?\d{1,6})?"
#: A phone number on its own must look like one: international, trunk-prefixed or 3-3-4.
_BARE_PHONE = r"(?:\+\d[\d ().-]{6,20}\d|\(?0\d[\d ().-]{7,20}\d|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})"
_PHONE_LABEL = (
    r"(?:tel(?:ephone)?|phone|ph|mob(?:ile)?|cell(?:phone)?|fax|out[ -]of[ -]hours|ooh|switchboard"
    r"|direct(?: line| dial)?|landline|helpline|hotline|whatsapp|[tmf](?=\s*:))"
)
# "\s*(?:[:.]\s*)?", not "\s*[:.]?\s*": the latter splits a run of blanks two ways at every length.
_CONTACT_FIELD = re.compile(
    rf"(?:{_PHONE_LABEL}(?: no\.?| number)?\s*(?:[:.]\s*)?{_PHONE}(?:\s*(?:or|/)\s*{_PHONE})*"
    rf"|(?:e-?mail|e(?=\s*:))\s*(?:[:.]\s*)?{_EMAIL}"
    r"|(?:web(?:site)?|w(?=\s*:)|twitter|x(?=\s*:))\s*:\s*\S+"
    rf"|{_EMAIL}|{_BARE_PHONE})"
    r"(?:\s*\([^()]{1,30}\))?"
)
#: Every contact field holds a digit, an "@" or a ":" (see _CONTACT_FIELD), every address to
#: reach one (_REACH) a digit or an "@": a line with none of them is tested no further.
_CONTACT_HINT = re.compile(r"[\d@:]")
_REACH_HINT = re.compile(r"[\d@]")
_CONTACT_SPLIT = re.compile(r"(?<!\s)\s*[|\u2022\u00b7;]\s*|,\s+|(?<!\s)\s+/\s+")
_REACH = re.compile(rf"(?<![\w.@]){_EMAIL}|(?<![\w+]){_BARE_PHONE}(?!\d)")


def _contact_details(norm: str) -> bool:
    """A line made only of contact fields: "Tel: ... | Out of hours: ...", "Email: ...", a bare address.

    Such lines close press releases and author boxes; a sentence that
    mentions an address in passing has words round it and stays content.
    """
    if len(norm) > 200 or not _CONTACT_HINT.search(norm):
        return False
    segments = [seg for seg in _CONTACT_SPLIT.split(norm) if seg]
    return bool(segments) and all(_CONTACT_FIELD.fullmatch(seg) for seg in segments)


# "Press Office, Wexcombe Borough Council", "Media Relations Team", "Council Press Office":
# a line naming the office journalists should call. Anything before the office
# must be an organisation's name, so "Inside the press office" stays.
_PRESS_OFFICE = re.compile(
    r"(?:(?P<org>[^.!?\s](?:[^.!?]{0,58}?[^.!?\s])?)\s+)?(?:press|media|communications|comms|news)(?: relations)? (?:office|team|desk|unit)"
    r"(?:\s*[,:|\u2013\u2014-]\s*[^.!?]{1,80})?|(?:press|media) relations",
    re.IGNORECASE,
)
_ORG_NAME = re.compile(
    r"(?:The |THE )?[A-Z][\w'\u2019&.-]*(?:,? (?:[A-Z][\w'\u2019&.()-]*|of|and|for|the|on|in|&|de|du|la|le|van|von))*"
)
_ORG_CONNECTORS = frozenset("of and for the on in & de du la le van von".split())


def _organisation_name(line: str, *, max_words: int = 8) -> bool:
    """A short line that is a proper name: capitalised words and connectors, ending on a name word."""
    words = line.split()
    return (
        0 < len(words) <= max_words
        and _ORG_NAME.fullmatch(line) is not None
        and words[-1].casefold() not in _ORG_CONNECTORS
    )


def _could_be_office(norm: str) -> bool:
    """False where :data:`_PRESS_OFFICE` cannot match the line whose :func:`_norm` is ``norm``.

    Its forms hold "press", "media", "communications", "comms" or "news" in any case; each
    character the engine takes for one of p r e s m d c o n w casefolds to it (the tests check
    all of Unicode), so ``norm`` holds "press", "med", "comm" or "news" (no "i": the engine
    also takes a dotless "\u0131" for one, which casefolds to itself).
    """
    return "press" in norm or "med" in norm or "comm" in norm or "news" in norm


def _press_office(line: str) -> bool:
    m = _PRESS_OFFICE.fullmatch(line)
    return m is not None and (m.group("org") is None or _organisation_name(m.group("org")))


# A reader call-out: the outlet asking readers to get in touch, with an address
# or number to do it ("Tell us how the closure hit you: news@...", "Got a tip?
# Email ..."). The appeal is what tells it from reporting that quotes an address.
_APPEAL = re.compile(
    r"\b(?:tell|contact|e-?mail|call|ring|phone|text|message|write to|send|show|let|drop|dm|whatsapp|reach) us\b"
    r"|^get in touch\b|\bget in touch with us\b|\bwe(?:'d|\u2019d| would)? (?:love|like|want) to hear\b"
    r"|\b(?:got|have you got|do you have) (?:a |any )?"
    r"(?:story|tip|news tip|tip-off|information|pictures?|photos?|videos?)\b"
    r"|^(?:e-?mail|contact|call|ring|text|write to|send)\b"
)
_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")
#: Reporting verbs: "..., the council said" is someone else's appeal being reported.
_REPORTED = re.compile(r"\b(?:said|says|told|according to|added|urged|asked)\b")
_YOU = re.compile(r"\byour?\b")


def _reader_question(norm: str) -> bool:
    """A short question put to the reader: "Do you live in Wexcombe?", "Were you affected?"."""
    return norm.endswith("?") and _YOU.search(norm) is not None and norm.count(" ") < 15


def _reader_callout(norm: str) -> bool:
    """Every sentence is an appeal, a question to the reader or an address; one appeal at least.

    Quotation marks or a reporting verb mean someone else's words are being
    reported, not the outlet asking.
    """
    if (len(norm) > 400 or not _REACH_HINT.search(norm) or any(q in norm for q in "\"\u201c\u201d")
            or not _REACH.search(norm)):
        return False
    if _REPORTED.search(norm):
        return False
    pieces = [p for p in _SENTENCE_GAP.split(norm) if p]
    if len(pieces) > 3:
        return False
    appeal = False
    for piece in pieces:
        if _APPEAL.search(piece):
            appeal = True
        elif not (_reader_question(piece) or _contact_details(piece.rstrip("."))):
            return False
    return appeal


_ALNUM = re.compile(r"[^\W_]")
#: A wire desk's sign-off, the initials of writer and editor in brackets: "(tid/ls)", "(ban/mk)".
_DESK_INITIALS = re.compile(r"[(\[][a-z]{2,4}(?:/[a-z]{2,4}){1,3}[)\]]")
# "and" between names needs white space round it: inside a word ("AandAandA")
# it let every name split in two ways, exponential in the number of "and"s.
# "Posted by", "Written by", "Words by" ...: the verb some sites put before "by".
_BYLINE_VERB = r"(?:(?:[Pp]osted|[Ww]ritten|[Ww]ords|[Ss]tory|[Rr]eport(?:ed)?|[Tt]ext|[Ff]iled|[Cc]ompiled)\s+)?"
# Lower-case job words a byline puts among the names: "By Advertiser reporter Sally Grant",
# "By our political editor", "By staff writer Jane Doe".
_BYLINE_ROLE = (
    r"(?:our|staff|senior|chief|special|political|local|news|crime|health|business|sports?|city|court"
    r"|education|environment|science|foreign|home|affairs|reporter|correspondent|writer|editor|journalist"
    r"|team|desk|columnist|contributor)"
)
_BYLINE_WORD = rf"(?:[A-Z][\w.'\u2019-]*|{_BYLINE_ROLE})"
_BYLINE = re.compile(
    rf"{_BYLINE_VERB}[Bb][Yy]:?\s+{_BYLINE_WORD}(?:\s+{_BYLINE_WORD}){{0,5}}"
    rf"(?:(?:\s*[,&]\s*|\s+and\s+){_BYLINE_WORD}(?:\s+{_BYLINE_WORD}){{0,5}})*"
    r"(?:\s*[|,\u2013\u2014-]\s*[\w .'\u2019-]{0,40})?"
)
# A byline typed all in lower case: "by jane doe" (two or three words, none a function word).
_LOWER_BYLINE = re.compile(r"by:?\s+([a-z][a-z.'\u2019-]+(?:\s+[a-z][a-z.'\u2019-]+){1,2})")


_PIPE = re.compile(r"(?<!\s)\s+[|\u2022\u00b7]\s+")
_CALL_TO_ACTION = re.compile(
    r"send us your (?:pictures|photos|videos|stories|story|tips)|share your (?:story|pictures|photos|videos)"
    r"|got a (?:story|news tip)|do you have a (?:story|news tip)|contact (?:our|the) newsroom"
)


def _could_call(norm: str) -> bool:
    """False where :data:`_CALL_TO_ACTION` cannot match: each of its forms holds one of these words."""
    return "your " in norm or "got a " in norm or "you have a " in norm or "newsroom" in norm


_ABOUT_ORGANISATION = re.compile(r"About (?:[A-Z][\w.&'-]*|of|the|and|for)(?: (?:[A-Z][\w.&'-]*|of|the|and|for)){0,7}")
_SHORT_NAME = re.compile(r"[A-Z][\w'\u2019.-]*(?: [A-Z][\w'\u2019.-]*){0,3}")


def _strip_reason(segments: list[str]) -> str | None:
    """Reason for a line of " | "-separated bits: a date/weather/byline strip or a menu."""
    if len(segments) >= 3 and all(len(s.split()) <= 3 and not _ENDS_SENTENCE.search(s) for s in segments):
        return "navigation"
    reasons = []
    for seg in segments:
        reason = furniture_reason(seg)
        if reason is None and not _SHORT_NAME.fullmatch(seg):
            return None
        reasons.append(reason)
    return next((r for r in reasons if r), None)


def _unwrapped(s: str) -> str:
    """``s`` without the Markdown emphasis round all of it ("*By Jane Doe*" -> "By Jane Doe")."""
    if len(s) > 2 and s[0] in _EMPHASIS and s[-1] in _EMPHASIS:
        return s.strip(_EMPHASIS + " ")
    return s


def furniture_reason(line: str) -> str | None:
    """Why this line (or sentence) is page furniture, or ``None`` if it is content.

    Patterns describe *kinds* of furniture (any comment form, any share bar,
    any date strip) and must match the whole line, so a real sentence that
    merely mentions "comments" or "2025" stays content.
    """
    norm = _norm(line)
    if not norm:
        return None
    # Markdown emphasis round a whole line ("*Opinion | By Jane Doe*", "_Advertisement_") says
    # nothing of what the line is: read what is inside it.
    whole = line.strip()
    inner = _unwrapped(whole)
    if inner and inner != whole:
        return furniture_reason(inner)
    if not _ALNUM.search(norm):
        return "punctuation"
    if len(norm) > 400:
        return None
    if _DESK_INITIALS.fullmatch(norm):
        return "credits"
    # "(Reporting by ...)" is the same furniture with brackets round it.
    reason = _furniture_pattern(norm.strip("()[] ") if norm[0] in "([" else norm)
    if reason:
        return reason
    if _could_call(norm) and _CALL_TO_ACTION.search(norm) and norm.count(" ") < 40:
        return "call to action"
    if _contact_details(norm):
        return "media contact"
    if _reader_callout(norm):
        return "call to action"
    stripped = " ".join(line.split())
    if _ABOUT_ORGANISATION.fullmatch(stripped):
        return "boilerplate"
    if _could_be_office(norm) and _press_office(stripped):
        return "media contact"
    if _cookie(norm):  # before the pipe split: "We use cookies ... Accept all | Manage preferences"
        return "cookie notice"
    if "|" in stripped or "\u2022" in stripped or "\u00b7" in stripped:
        segments = _PIPE.split(stripped)
        if len(segments) >= 2:
            return _strip_reason(segments)
    if _social(norm):
        return "share buttons"
    if _subscription(norm):
        return "subscription"
    # Markdown wraps bylines in emphasis: "*By Jane Doe*", "_By Jane Doe_", "**By ...**".
    bare = stripped.strip(_EMPHASIS + " ") if stripped[:1] in _EMPHASIS else stripped
    if len(bare) <= 80 and not bare.endswith((".", "?", "!")):
        if _BYLINE.fullmatch(bare):
            return "byline"
        low = _LOWER_BYLINE.fullmatch(bare)
        if low and not any(w in _FUNCTION_WORDS for w in low.group(1).split()):
            return "byline"
    return None


def _mark_link_lists(text: str, lines: list[_Line], first: int) -> None:
    """Headline-like lines under a "Related Posts" / "Most Read" marker are links, not content.

    Only after the article has begun: at the top of a page the same marker is
    often followed by the article's own headline.
    """
    seen_content = False
    in_list = False
    for line in lines[first:]:
        if line.kind == "blank":
            continue
        if line.kind == "furniture":
            in_list = seen_content and line.reason == "related links" or in_list and line.reason != "comment form"
            continue
        s = text[line.start : line.end]
        if in_list and (line.kind == "bullet" or _is_title_like(s, max_words=20)) and not _ENDS_SENTENCE.search(s):
            line.kind, line.reason = "furniture", "related links"
            continue
        in_list = False
        seen_content = True


# Masthead lines: the outlet's name with its edition or founding year, printed
# above the headline ("Veldrian Herald \u2013 English edition", "The Courier | Edition: UK",
# "Est. 1887"). "Edition" must follow a separator or an edition word, so a headline
# such as "Special edition stamps sell out" is not one.
# The name ends on a non-blank, so the blanks before a separator are the separator's:
# a name that could also take them was tried at every length over a run of blanks.
_MASTHEAD_NAME = r"[\w'\u2019&.-](?:[\w'\u2019&. -]{0,58}[\w'\u2019&.-])?"
_MASTHEAD_SEP = r"(?:\s*[|\u2022\u00b7:,/]\s*|\s+[-\u2013\u2014]+\s+)"
_EDITION_WORD = (
    r"(?:english|french|german|spanish|international|global|world|national|regional|local|city|state"
    r"|digital|online|web|print|morning|evening|late|early|weekend|sunday|saturday|daily|weekly|[a-z]{2})"
)
#: The desks a page files a story under, after the outlet's name on a masthead strip.
_DESK = (
    r"(?:news|business|companies|markets|economy|money|finance|world|international|national|regional|local"
    r"|politics|europe|africa|asia|americas|uk|us|sport|sports|science|technology|tech|health|environment"
    r"|climate|culture|arts|education|crime|courts|opinion|comment|lifestyle|travel|region|city|home news)"
)
_MASTHEAD = re.compile(
    rf"{_MASTHEAD_NAME}{_MASTHEAD_SEP}{_DESK}(?:{_MASTHEAD_SEP}{_DESK})?"
    rf"|{_MASTHEAD_NAME}{_MASTHEAD_SEP}(?:{_EDITION_WORD} ){{0,2}}edition"
    rf"|(?:{_MASTHEAD_NAME}{_MASTHEAD_SEP})?edition{_MASTHEAD_SEP}[a-z][\w.'-]*(?: [a-z][\w.'-]*)?"
    rf"|(?:{_EDITION_WORD} ){{1,2}}edition"
    rf"|(?:{_MASTHEAD_NAME}(?:{_MASTHEAD_SEP}|\s+))?"
    r"(?:est(?:d|ablished)?\.?|founded|since)(?: in)?\s*(?:1[5-9]\d\d|20\d\d)"
)
#: Last words that make a proper name an organisation's: the issuers of press releases.
_ORG_WORDS = frozenset(
    "council ministry department agency authority police constabulary service services trust university "
    "college school hospital commission office board committee group ltd limited plc inc llc corporation "
    "company association foundation institute society union federation government parliament assembly "
    "embassy court bank network partnership centre center fire rescue party league club".split()
)


def _mark_masthead(text: str, lines: list[_Line], first: int) -> None:
    """Masthead lines at the very top, above the headline, are furniture.

    Only at the top: there the outlet's edition or founding year labels the
    page, it is not part of the story; another content line must follow.
    """
    top = _content_lines(lines, first, 4)
    for k, _following in zip(top, top[1:]):
        if not _MASTHEAD.fullmatch(_norm(text[lines[k].start : lines[k].end])):
            break
        lines[k].kind, lines[k].reason = "furniture", "masthead"


def _mark_issuer(text: str, lines: list[_Line], first: int) -> None:
    """The organisation's name heading a press release ("Wexcombe Borough Council") is furniture.

    Only in a file that is recognisably a press release (it has a release
    marker, date line or "ENDS"), only for the first content line, only when
    a headline still follows it, and only when the line is a proper name that
    sits right next to a release marker or ends like an organisation's name.
    """
    if not any(line.kind == "furniture" and line.reason == "press release" for line in lines[first:]):
        return
    top = _content_lines(lines, first, 2)
    if len(top) < 2:
        return
    k, nxt = top
    s = text[lines[k].start : lines[k].end]
    if not _organisation_name(s):
        return
    headline = text[lines[nxt].start : lines[nxt].end]
    if _ENDS_SENTENCE.search(headline) or not _is_title_like(headline, max_words=35):
        return
    beside = [lines[j] for j in (k - 1, k + 1) if first <= j < len(lines)]
    next_to_marker = any(b.kind == "furniture" and b.reason == "press release" for b in beside)
    if next_to_marker or s.split()[-1].casefold().strip(".") in _ORG_WORDS:
        lines[k].kind, lines[k].reason = "furniture", "press release"


def _mark_contact_blocks(text: str, lines: list[_Line], first: int) -> None:
    """Short name lines right under a media-contact line are part of the contact block.

    "For media enquiries" is followed by who to call: "Jane Doe", "Head of
    Communications", an office, numbers. Numbers and offices are furniture on
    their own already; the names and job titles only are here, so the block
    ends at the first blank line or the first line that reads as a sentence.
    """
    in_block = False
    for line in lines[first:]:
        if line.kind == "blank":
            in_block = False
        elif line.kind == "furniture":
            in_block = line.reason == "media contact" or in_block
        elif in_block and line.kind in ("prose", "heading") and _contact_member(text[line.start : line.end]):
            line.kind, line.reason = "furniture", "media contact"
        else:
            in_block = False


def _contact_member(line: str) -> bool:
    """A name, job title or organisation line: short, capitalised, not a sentence."""
    return not _ENDS_SENTENCE.search(line) and _is_title_like(line, max_words=10)


# An author's note closing an opinion piece or a column: "Martin Howlett writes on
# public services.", "Jane Doe is a columnist for the Ledger and a former MP."
_BIO_NAME = r"[A-Z][\w'\u2019.-]*(?: (?:[A-Z][\w'\u2019.-]*|de|van|von|al|el|bin|da)){1,3}"
_BIO_ROLE = (
    r"(?:columnist|writer|journalist|correspondent|commentator|contributor|editor|author|reporter|novelist"
    r"|broadcaster|blogger|analyst|fellow|lecturer|professor|researcher|economist|historian)"
)
_BIO_WRITES = re.compile(rf"{_BIO_NAME} (?:writes|blogs|comments) (?:on|about|for|regularly)\b.{{0,200}}")
_BIO_JOB = re.compile(rf"{_BIO_NAME} (?:is|was) (?:a|an|the) (?:[\w-]+ ){{0,4}}{_BIO_ROLE}\b.{{0,200}}")
#: What a byline's author may go on to do in the closing note once named.
_BIO_VERB = re.compile(
    r" (?:writes|blogs|is|was|has|covers|reports|teaches|works|lives|chairs|leads|heads|runs|directs|edits"
    r"|founded|co-founded|served|sits|advises|campaigns|researches|studies|represented|represents)\b"
)


#: "By Jane Doe" starting a strip or one of its parts ("Opinion | By Jane Doe | The Review").
_SIGNED_STRIP = re.compile(r"(?:^|[|\u2022\u00b7])\s*[*_]*[Bb]y:?\s+[A-Z]")
#: The writer's name after "By", spelled as a closing note names them (its first three words are kept).
_BYLINE_NAME = re.compile(_BIO_NAME)


def _byline_names(text: str, lines: list[_Line], first: int) -> set[str]:
    """The capitalised names of the page's bylines ("By Martin Howlett" -> "Martin Howlett")."""
    names: set[str] = set()
    for line in lines[first:]:
        if line.kind == "furniture" and (
            line.reason == "byline" or _SIGNED_STRIP.search(text[line.start : line.end])
        ):  # "By Jane Doe", and a strip that names the writer too: "Opinion | By Jane Doe | The Review"
            # "Comment | By Helen Achterberg | The Civic Review": the name is what follows "By"
            # (the strip's last words are the outlet's); a byline without "By" is the name itself
            strip = text[line.start : line.end]
            after = re.split(r"\b[Bb]y:?\s+", strip, maxsplit=1)
            name = _BYLINE_NAME.match(after[-1].strip(_EMPHASIS + " "))
            words = name.group(0).split() if name else []
            if len(words) >= 2:
                names.add(" ".join(words[:3]))
    return names


def _mark_author_bio(text: str, lines: list[_Line], first: int) -> None:
    """The note about the writer on the last content line of a piece is furniture.

    Only the last line that is still content, only a short one, and only when
    it reads as a note about a writer: a name and "writes on/about", a name and
    a writer's job ("is a columnist"), or the byline's own name and a verb.
    """
    last = next((k for k in range(len(lines) - 1, first - 1, -1) if lines[k].kind == "prose"), None)
    if last is None:
        return
    s = _unwrapped(" ".join(text[lines[last].start : lines[last].end].split()))  # "*Jane Doe is a columnist.*"
    if len(s.split()) > 40 or any(q in s for q in "\"\u201c\u201d"):
        return
    if len(_content_lines(lines, first, 3)) < 3:
        return  # a piece of a line or two is the article itself
    names = _byline_names(text, lines, first)
    # "X is a former correspondent" also closes news stories about X: only on a
    # page that names its writer or files itself as opinion is it the writer's note.
    signed = bool(names) or any(
        line.kind == "furniture" and line.reason in ("section label", "disclaimer") for line in lines[first:]
    )
    if (
        _BIO_WRITES.fullmatch(s)
        or signed and _BIO_JOB.fullmatch(s)
        or any(s.startswith(name) and _BIO_VERB.match(s, len(name)) for name in names)
    ):
        lines[last].kind, lines[last].reason = "furniture", "author bio"
