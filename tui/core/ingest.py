"""From files on disk to :class:`~tui.core.model.Source` objects.

News scrapes arrive in whatever encoding the scraper felt like, with the
page's furniture (comment forms, share counters, "Related Posts", weather
strips, mastheads, press-release headers and media contacts, reader call-outs)
mixed into the article. Alignment is only as good as its input, so
this module keeps four things apart: front matter, headline, dateline and
body content; everything else it recognises as furniture and sets aside with
a reason, so the UI can still show it dimmed.

The work is split in two so that all of the judgement is testable without
touching the disk: :func:`parse_source` is a pure, never-raising function of
the decoded text, and :func:`load_sources` / :func:`decode` do the file I/O
and turn every way a file can be unusable into one clear
:class:`~tui.core.errors.IngestError`.

Offsets are sacred: nothing here rewrites ``Source.text``, and every span
slices back out of it exactly.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import IngestError
from tui.core.model import KIND_BODY, KIND_BULLET, KIND_HEADING, KIND_HEADLINE, Sentence, Source, Span
from tui.core.segment import split_sentences
from tui.core.text import display_text

__all__ = [
    "DEFAULT_MAX_BYTES",
    "TEXT_SUFFIXES",
    "decode",
    "display_text",
    "furniture_reason",
    "load_sources",
    "parse_source",
]

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Suffixes picked up when a folder is given (files named explicitly are read whatever they are called).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})

# --------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------

#: C0 and C1 control characters other than the white-space ones text uses.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: Share of control characters above which a "text" is really binary.
_MAX_CONTROL_SHARE = 0.10


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    controls = len(text) - len(_CONTROL.sub("", text))
    return controls > _MAX_CONTROL_SHARE * len(text)


def decode(data: bytes) -> tuple[str, str]:
    """Decode raw file bytes into text, returning ``(text, encoding)``.

    Scrapes are UTF-8 most of the time, but Windows-era sites still serve
    cp1252 (curly quotes as 0x93/0x94) and some latin-1; those are tried in
    turn, so any file decodes to *something* and the real test of being text
    is what the characters look like. A UTF-8 byte-order mark is removed so it
    never shows up in the reader or shifts offsets.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = [("utf-8-sig", data[3:], "utf-8")]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = [("utf-16", data, "utf-16")]
    else:
        if b"\x00" in data:
            raise IngestError("looks like a binary file (it contains NUL bytes), not text")
        candidates = [("utf-8", data, "utf-8")]
        if any(0x80 <= b <= 0x9F for b in data):
            candidates.append(("cp1252", data, "cp1252"))
        candidates.append(("latin-1", data, "latin-1"))
    for name, payload, codec in candidates:
        try:
            text = payload.decode(codec)
        except UnicodeDecodeError:
            continue
        if codec == "utf-16":
            text = text.lstrip("\ufeff")
        if _looks_binary(text):
            raise IngestError("looks like a binary file (mostly control characters), not text")
        return text, name
    raise IngestError("cannot be decoded as text (not UTF-8, cp1252 or latin-1)")


# --------------------------------------------------------------------------
# Lines
# --------------------------------------------------------------------------

# Whitespace as a scrape means it: Python's idea plus zero-width characters.
_SPACE = frozenset(
    " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u200b\u200c\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff"
)
_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x85\x0b\x0c]")
_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_ZERO_WIDTH = str.maketrans({c: " " for c in _ZERO_WIDTH_CHARS})


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Trimmed (start, end) of every line; blank lines have start == end."""
    spans = []
    pos = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append(_trim(text, pos, match.start()))
        pos = match.end()
    spans.append(_trim(text, pos, len(text)))
    return spans


def _norm(s: str) -> str:
    """Lowercase, single-spaced form used for pattern matching only."""
    if any(c in s for c in _ZERO_WIDTH_CHARS):
        s = s.translate(_ZERO_WIDTH)
    return " ".join(s.split()).casefold()


# --------------------------------------------------------------------------
# Furniture
# --------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}"
    r"|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
)
_TIME = r"\d{1,2}[:.]\d{2}(?:\s*[ap]\.?m\.?)?(?:\s*\(?[a-z]{2,4}\)?)?"

# When a press release was issued or may be published: "4 March 2025",
# "00:01 GMT Thursday 6 March", "Tuesday 4 March". Dates here often lack the year.
_SHORT_DATE = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?)"
_WHEN_PART = rf"(?:{_DATE}|{_SHORT_DATE}|{_WEEKDAY}|{_TIME}|\d{{4}}\s*(?:hrs|hours)|midnight|noon)"
_WHEN = (
    rf"{_WHEN_PART}(?:\s*(?:,|at|on|-|\u2013|\|)?\s*{_WHEN_PART}){{0,4}}"
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
    rf"(?:issued|released|date (?:of )?issue|release date|embargo(?:ed)?(?: until| till)?)(?: on| at)?\s*:?\s*{_WHEN}"
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
        ("comment form", r"cancel reply|no comments?(?: yet)?\.?|comments?(?: \(\d+\))?|(?:log|sign) in to (?:comment|reply).{0,40}"),
        ("related links", r"related(?: posts| articles| stories| news| content| coverage| topics| reading| links)?:?"),
        ("related links", r"top \d{1,2} (?:this|of the) (?:week|day|month)|top (?:stories|news|picks)"),
        ("related links", r"popular(?: articles| posts| stories| news| now| this week)?|most (?:read|popular|viewed|shared|commented)(?: (?:articles|stories|news))?"),
        ("related links", r"trending(?: now| news| stories| topics)?|you (?:may|might) (?:also )?(?:like|be interested in)|recommended(?: for you| stories| articles)?"),
        ("related links", r"(?:latest|more) (?:news|posts|stories|articles|videos)|editor'?s? ?picks?|must read|don'?t miss|in case you missed it|(?:previous|next) (?:article|post|story)"),
        ("read more", r"(?:read more|also read|read also|see also|also see|read next|related|must read|click here|more on this|recommended|suggested)\s*(?:[:|»>\-\u2013\u2014]|\.\.\.|\u2026).*"),
        ("read more", r"read more(?: \u00bb| >>|\.\.\.|\u2026)?|continue reading.{0,60}|read (?:the )?full (?:story|article).{0,40}"),
        # Counts separated by white space ("1.2k shares 48 comments"). Each
        # digit run can be read one way only: nested repeats that could split
        # "1,1,1,…x" many ways made a failing match take exponential time.
        ("counter", rf"{_COUNT}(?:\s+{_COUNT})*"),
        ("counter", r"(?:shares?|views?|comments?|likes?|reads?)\s*:?\s*\d[\d.,]*\s*[km]?"),
        ("date strip", r"(?:(?:posted|updated|published)\s*:?\s*)?(?:about )?(?:\d+|an?) (?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?) ago"),
        ("reading time", r"\d+\s*-?\s*min(?:ute)?s?\.? read"),
        ("press release", _RELEASE_MARKER),
        ("press release", _RELEASE_DATE),
        ("media contact", r"(?:media|press) (?:contacts?|enquiries|inquiries|office)\s*:.{0,200}"),
        ("media contact", _CONTACT_HEADER),
        ("advertisement", r"advert(?:isement|isment|s)?|ads?|(?:sponsored|promoted|partner)(?: links| stories| content| posts?)?|promoted(?: content)?|paid (?:content|post)|scroll to continue(?: with content)?|story continues below(?: advertisement)?|continue reading below|skip (?:this )?ad"),
        ("copyright", r"(?:\u00a9|\(c\)|copyright\b).{0,150}"),
        ("copyright", r".{0,150}all rights reserved\.?.{0,60}"),
        ("weather", r"-?\d{1,3}(?:[.,]\d)?\s*[cf]|(?:[a-z][a-z ]{0,30}(?:\s+|\s*,\s*))?-?\d{1,3}(?:[.,]\d)?\s*(?:\u00b0\s*[cf]?|\u2103|\u2109)(?:(?:\s+|\s*,\s*)[a-z][a-z ]{0,30})?"),
        ("date strip", rf"(?:(?:last )?(?:updated|published|posted|modified)(?: on| at)?:?\s*)?(?:{_WEEKDAY},?\s*)?{_DATE}(?:\s*(?:,|at|-|\||\u2013)?\s*{_TIME})?(?:\s*[a-z]{{3,4}})?"),
        ("date strip", rf"(?:(?:last )?(?:updated|published|posted|modified)(?: on| at)?:?\s*)?{_WEEKDAY}|{_TIME}"),
        ("credits", r"(?:additional )?(?:reporting|writing|editing|compiled|produced) by .{1,200}"),
        ("tags", r"(?:tags?|filed under|topics?|categor(?:y|ies))\s*:.{0,200}"),
        ("caption", r"(?:photo|image|picture|file photo|video)(?: credit)?\s*:.{0,200}"),
        ("navigation", r"[\w'& ]{1,30}(?:\s*[\u00bb\u203a>]\s*[\w'& ]{1,30}){1,6}"),
        ("navigation", r"(?:skip to (?:main )?content|back to top|home|menu|search|close|next|previous|prev|load more|show more|view all|see all|more)"),
    ]
]

# All patterns in one alternation, so a line costs one regex call; the name
# of the group that matched says which pattern (and so which reason) it was.
_FURNITURE = re.compile("|".join(f"(?P<f{i}>{p})" for i, (_, p) in enumerate(_FURNITURE_PATTERNS)))
_FURNITURE_REASONS = {f"f{i}": reason for i, (reason, _) in enumerate(_FURNITURE_PATTERNS)}

_SOCIAL = frozenset(
    "share shares sharing tweet pin email e-mail print copy link whatsapp facebook twitter x linkedin "
    "telegram reddit pinterest messenger viber flipboard threads bluesky instagram youtube tiktok "
    "on via this article story post us follow google news".split()
)
_SOCIAL_CORE = frozenset(
    "share tweet pin whatsapp facebook twitter linkedin telegram reddit pinterest messenger viber "
    "flipboard instagram youtube tiktok follow".split()
)
_SOCIAL_SPLIT = re.compile(r"[\s|\u2022\u00b7,/:]+")


def _social(norm: str) -> bool:
    if len(norm) > 150:
        return False
    tokens = [t.strip(".!") for t in _SOCIAL_SPLIT.split(norm) if t.strip(".!")]
    return bool(tokens) and len(tokens) <= 12 and all(t in _SOCIAL or t.isdigit() for t in tokens) and any(
        t in _SOCIAL_CORE for t in tokens
    )


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

_EMAIL = r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+"
#: A phone number after a label ("Tel: 01632 960 418"): any run of digits and spacing.
_PHONE = r"\+?\(?\d[\d ().-]{5,22}\d(?: ?(?:ext\.?|x) ?\d{1,6})?"
#: A phone number on its own must look like one: international, trunk-prefixed or 3-3-4.
_BARE_PHONE = r"(?:\+\d[\d ().-]{6,20}\d|\(?0\d[\d ().-]{7,20}\d|\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4})"
_PHONE_LABEL = (
    r"(?:tel(?:ephone)?|phone|ph|mob(?:ile)?|cell(?:phone)?|fax|out[ -]of[ -]hours|ooh|switchboard"
    r"|direct(?: line| dial)?|landline|helpline|hotline|whatsapp|[tmf](?=\s*:))"
)
_CONTACT_FIELD = re.compile(
    rf"(?:{_PHONE_LABEL}(?: no\.?| number)?\s*[:.]?\s*{_PHONE}(?:\s*(?:or|/)\s*{_PHONE})*"
    rf"|(?:e-?mail|e(?=\s*:))\s*[:.]?\s*{_EMAIL}"
    r"|(?:web(?:site)?|w(?=\s*:)|twitter|x(?=\s*:))\s*:\s*\S+"
    rf"|{_EMAIL}|{_BARE_PHONE})"
    r"(?:\s*\([^()]{1,30}\))?"
)
_CONTACT_SPLIT = re.compile(r"\s*[|\u2022\u00b7;]\s*|,\s+|\s+/\s+")
_REACH = re.compile(rf"(?<![\w.@]){_EMAIL}|(?<![\w+]){_BARE_PHONE}(?!\d)")


def _contact_details(norm: str) -> bool:
    """A line made only of contact fields: "Tel: ... | Out of hours: ...", "Email: ...", a bare address.

    Such lines close press releases and author boxes; a sentence that
    mentions an address in passing has words round it and stays content.
    """
    if len(norm) > 200:
        return False
    segments = [seg for seg in _CONTACT_SPLIT.split(norm) if seg]
    return bool(segments) and all(_CONTACT_FIELD.fullmatch(seg) for seg in segments)


# "Press Office, Wexcombe Borough Council", "Media Relations Team", "Council Press Office":
# a line naming the office journalists should call. Anything before the office
# must be an organisation's name, so "Inside the press office" stays.
_PRESS_OFFICE = re.compile(
    r"(?:(?P<org>[^.!?]{1,60}?)\s+)?(?:press|media|communications|comms|news)(?: relations)? (?:office|team|desk|unit)"
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
    if len(norm) > 400 or any(q in norm for q in "\"\u201c\u201d") or not _REACH.search(norm):
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


_HAS_WORD = re.compile(r"\w")
_ALNUM = re.compile(r"[^\W_]")
_BYLINE = re.compile(
    r"[Bb][Yy]:?\s+[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){0,4})*"
    r"(?:\s*[|,\u2013\u2014-]\s*[\w .'\u2019-]{0,40})?"
)


_PIPE = re.compile(r"\s+[|\u2022\u00b7]\s+")
_CALL_TO_ACTION = re.compile(
    r"send us your (?:pictures|photos|videos|stories|story|tips)|share your (?:story|pictures|photos|videos)"
    r"|got a (?:story|news tip)|do you have a (?:story|news tip)|contact (?:our|the) newsroom"
)
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


def furniture_reason(line: str) -> str | None:
    """Why this line (or sentence) is page furniture, or ``None`` if it is content.

    Patterns describe *kinds* of furniture (any comment form, any share bar,
    any date strip) and must match the whole line, so a real sentence that
    merely mentions "comments" or "2025" stays content.
    """
    norm = _norm(line)
    if not norm:
        return None
    if not _ALNUM.search(norm):
        return "punctuation"
    if len(norm) > 400:
        return None
    # "(Reporting by ...)" is the same furniture with brackets round it.
    m = _FURNITURE.fullmatch(norm.strip("()[] ") if norm[0] in "([" else norm)
    if m:
        return _FURNITURE_REASONS[m.lastgroup or ""]
    if _CALL_TO_ACTION.search(norm) and norm.count(" ") < 40:
        return "call to action"
    if _contact_details(norm):
        return "media contact"
    if _reader_callout(norm):
        return "call to action"
    stripped = " ".join(line.split())
    if _ABOUT_ORGANISATION.fullmatch(stripped):
        return "boilerplate"
    if _press_office(stripped):
        return "media contact"
    if "|" in stripped or "\u2022" in stripped or "\u00b7" in stripped:
        segments = _PIPE.split(stripped)
        if len(segments) >= 2:
            return _strip_reason(segments)
    if _social(norm):
        return "share buttons"
    if _subscription(norm):
        return "subscription"
    if _cookie(norm):
        return "cookie notice"
    # Markdown wraps bylines in emphasis: "*By Jane Doe*", "_By Jane Doe_", "**By ...**".
    bare = stripped.strip(_EMPHASIS + " ") if stripped[:1] in _EMPHASIS else stripped
    if len(bare) <= 80 and not bare.endswith((".", "?", "!")) and _BYLINE.fullmatch(bare):
        return "byline"
    return None


# --------------------------------------------------------------------------
# Headline, headings, bullets, dateline
# --------------------------------------------------------------------------

# Markdown: "## Heading" and "**Heading**" lines; the markup is not part of the text.
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")
_EMPHASIS = "*_"
#: Markdown blockquote markers at the start of a line (nested ones too: "> > ").
_BLOCKQUOTE = re.compile(r"(?:>[^\S\r\n]*)+")
_BULLET = re.compile(r"(?:[-*+\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043\u2013]|\d{1,3}[.)]|[a-z][.)])[^\S\r\n]+(?=\S)")
_TERMINAL = re.compile(r"[.!?\u2026:;,][\"'\u201d\u2019)\]]*$")
_ENDS_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)\]]*$")
_FUNCTION_WORDS = frozenset(
    "a an the and or but nor of to in on at by for from with as into onto than that which who whom whose "
    "is are was were be been being has have had will would can could should may might must shall do does did "
    "not its his her their our your my this these those over under after before about against between".split()
)
_PLACE_LINE = re.compile(r"[A-Z][\w'\u2019.-]*(?:[ ,]+[A-Z][\w'\u2019.-]*){0,3}")

_CAPWORD = r"[A-Z][A-Za-z.\-]*"
_PLACE = rf"{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,3}}"
_DL_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DL_DATE = (
    rf"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?[ \t]+)?"
    rf"(?:{_DL_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ \t]+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_DL_MONTH}(?:,?[ \t]+\d{{4}})?)"
)
_DATELINE = re.compile(
    rf"(?P<place>{_PLACE}(?:[ \t]*/[ \t]*{_PLACE})*)"
    rf"(?:,[ \t]*(?P<region>{_PLACE}))?"
    rf"(?:[ \t]*(?:,|[\u2014\u2013-])[ \t]*(?P<date>{_DL_DATE}))?"
    rf"[ \t]*(?P<agency>\([^()\r\n]{{1,40}}\))?"
    rf"[ \t]*(?P<sep>:|[\u2014\u2013]+|--|(?<=[ \t])-(?=[ \t])|$)"
)
_ALLCAPS_WORD = re.compile(r"\b[A-Z]{3,}\b")


def _match_dateline(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Span of a dateline at the start of ``text[start:end]``, or ``None``.

    A dateline is a place (and maybe a date and an agency) followed by a
    colon or dash: ``ISLAMABAD:``, ``Islamabad, Oct 29 (NationPress) -``,
    ``ISLAMABAD / KABUL — Oct 29:``. Title-case places without a date or an
    agency are accepted only before a colon, to keep ``Khawaja Asif — the
    minister — said`` out.
    """
    m = _DATELINE.match(text, start, end)
    if not m or m.end() - start > 90:
        return None
    place = m.group("place")
    caps = bool(_ALLCAPS_WORD.search(place))
    if not m.group("sep") and not (m.group("date") or (caps and m.group("agency"))):
        return None  # without a colon or dash only a date makes a line a dateline
    if not (caps or m.group("date") or m.group("agency")):
        if m.group("sep") != ":" or len(place.split()) > 3:
            return None
    rest_start, _ = _trim(text, m.end(), end)
    if rest_start < end:
        first = text[rest_start]
        if not (first.isupper() or first.isdigit() or first in "\"'\u201c\u2018"):
            return None
    return start, m.end()


def _is_title_like(line: str, *, max_words: int) -> bool:
    """A line that reads like a headline: no full stop at the end, not too long, capitalised."""
    if not line or _TERMINAL.search(line) and not line.endswith(("?", "!")):
        return False
    first = line.lstrip("\"'\u201c\u2018(")[:1]
    if not (first.isupper() or first.isdigit()):
        return False
    words = line.split()
    if len(words) > max_words or len(line) > 300:
        return False
    return words[-1].strip("\"'\u201d\u2019)").casefold() not in _FUNCTION_WORDS


# --------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------

_FRONT_KEYS = frozenset({"source", "title", "url", "date", "author", "byline", "published", "outlet", "link"})
_FRONT_LINE = re.compile(r"([A-Za-z][A-Za-z _-]{0,20}):[ \t]*(.*)")
_FENCE = re.compile(r"-{3,}")


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    kind: str = "prose"  # blank | front | furniture | bullet | heading | headline | prose
    reason: str = ""
    body: int = 0  # where a bullet's text starts, after its marker


def _front_matter(text: str, lines: list[_Line]) -> tuple[int, dict[str, str]]:
    """Number of leading lines that are front matter, and its fields."""
    i = 0
    while i < len(lines) and lines[i].start == lines[i].end:
        i += 1
    fenced = i < len(lines) and _FENCE.fullmatch(text[lines[i].start : lines[i].end]) is not None
    j = i + 1 if fenced else i
    fields: dict[str, str] = {}
    while j < len(lines) and lines[j].start < lines[j].end:
        m = _FRONT_LINE.fullmatch(text[lines[j].start : lines[j].end])
        if not m or m.group(1).strip().casefold() not in _FRONT_KEYS:
            break
        fields.setdefault(m.group(1).strip().casefold(), m.group(2).strip())
        j += 1
    if not fields:
        return 0, {}
    if fenced:
        if j < len(lines) and _FENCE.fullmatch(text[lines[j].start : lines[j].end]):
            return j + 1, fields
        return 0, {}
    if j >= len(lines) or lines[j].start == lines[j].end or len(fields) >= 2:
        return j, fields
    return 0, {}


def _classify(text: str, lines: list[_Line], first: int) -> None:
    """Mark each line as blank, furniture, bullet or prose (in place)."""
    for line in lines[first:]:
        if line.start == line.end:
            line.kind = "blank"
            continue
        s = text[line.start : line.end]
        quote = _BLOCKQUOTE.match(s)
        if quote:
            # "> " is markup like a bullet marker: the sentence starts after it.
            line.start, _ = _trim(text, line.start + quote.end(), line.end)
            if line.start >= line.end:
                line.kind = "blank"
                continue
            s = text[line.start : line.end]
        reason = furniture_reason(s)
        if reason:
            line.kind, line.reason = "furniture", reason
            continue
        md = _MD_HEADING.match(s)
        if md:
            line.kind, line.start = "heading", line.start + md.end()
            _strip_emphasis(text, line)
            continue
        m = _BULLET.match(s)
        if m and _HAS_WORD.search(s, m.end()):
            line.kind, line.body = "bullet", line.start + m.end()
            continue
        if len(s) > 4 and s[:2] in ("**", "__") and s[-2:] == s[:2]:
            line.kind = "heading"
            _strip_emphasis(text, line)
    # A lone place name is furniture when it sits by a date or weather strip.
    strips = {"date strip", "weather", "navigation"}
    for k in range(first, len(lines)):
        line = lines[k]
        if line.kind != "prose" or not _PLACE_LINE.fullmatch(text[line.start : line.end]):
            continue
        for n in (_neighbour(lines, k, -1, first), _neighbour(lines, k, 1, first)):
            if n is not None and lines[n].kind == "furniture" and lines[n].reason in strips:
                line.kind, line.reason = "furniture", "place"
                break


def _strip_emphasis(text: str, line: _Line) -> None:
    """Drop Markdown emphasis markers around a heading, keeping offsets exact."""
    start, end = line.start, line.end
    while start < end and text[start] in _EMPHASIS:
        start += 1
    while end > start and text[end - 1] in _EMPHASIS:
        end -= 1
    start, end = _trim(text, start, end)
    if start < end:
        line.start, line.end = start, end


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
_MASTHEAD_NAME = r"[\w'\u2019&. -]{1,60}?"
_MASTHEAD_SEP = r"(?:\s*[|\u2022\u00b7:,/]\s*|\s+[-\u2013\u2014]+\s+)"
_EDITION_WORD = (
    r"(?:english|french|german|spanish|international|global|world|national|regional|local|city|state"
    r"|digital|online|web|print|morning|evening|late|early|weekend|sunday|saturday|daily|weekly|[a-z]{2})"
)
_MASTHEAD = re.compile(
    rf"{_MASTHEAD_NAME}{_MASTHEAD_SEP}(?:{_EDITION_WORD} ){{0,2}}edition"
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


def _content_lines(lines: list[_Line], first: int, limit: int) -> list[int]:
    """Indices of the first ``limit`` lines still counted as content (prose or heading)."""
    found = []
    for k in range(first, len(lines)):
        if lines[k].kind in ("prose", "heading"):
            found.append(k)
            if len(found) == limit:
                break
    return found


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


def _neighbour(lines: list[_Line], k: int, step: int, first: int) -> int | None:
    """Index of the nearest non-blank line before/after ``k``."""
    j = k + step
    while first <= j < len(lines) and lines[j].kind == "blank":
        j += step
    return j if first <= j < len(lines) else None


def _mark_headings(text: str, lines: list[_Line], first: int) -> None:
    """Short title-like lines standing on their own inside the body are headings."""
    for k in range(first, len(lines)):
        line = lines[k]
        if line.kind != "prose":
            continue
        s = text[line.start : line.end]
        if _ENDS_SENTENCE.search(s) or not _is_title_like(s, max_words=12) or len(s) > 100:
            continue
        prev = lines[k - 1] if k - 1 >= first else None
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        if prev is not None and prev.kind == "prose" and not _TERMINAL.search(text[prev.start : prev.end]):
            continue  # the tail of a wrapped sentence
        if nxt is not None and nxt.kind == "prose":
            lead = text[nxt.start : nxt.start + 1]
            if lead.islower() or len(s) > 40:
                continue  # the head of a wrapped sentence
        line.kind = "heading"


def _find_headline_and_dateline(text: str, lines: list[_Line], first: int) -> Span | None:
    """Promote the top title-like lines to headlines and find the dateline."""
    content = [k for k in range(first, len(lines)) if lines[k].kind in ("prose", "heading")]
    if not content:
        return None
    pos = 0
    top = lines[content[0]]
    top_text = text[top.start : top.end]
    m = _match_dateline(text, top.start, top.end)
    if not (m and _trim(text, m[1], top.end)[0] >= top.end):
        if len(top_text.split()) >= 3 and _is_title_like(top_text, max_words=35):
            top.kind = "headline"
            pos = 1
            if pos < len(content):
                sub = lines[content[pos]]
                sub_text = text[sub.start : sub.end]
                if (
                    content[pos] == _neighbour(lines, content[0], 1, first)
                    and len(sub_text.split()) >= 6
                    and _is_title_like(sub_text, max_words=45)
                    and not _match_dateline(text, sub.start, sub.end)
                ):
                    sub.kind = "headline"
                    pos = 2
    # The dateline: the first prose line after the headline(s), either a line
    # of its own or the opening words of the first paragraph.
    for k in content[pos:]:
        line = lines[k]
        m = _match_dateline(text, line.start, line.end)
        if m is None:
            if line.kind == "prose":
                return None
            continue
        span_end = m[1]
        rest, _ = _trim(text, span_end, line.end)
        if rest >= line.end:
            line.kind, line.reason = "dateline", ""
        else:
            line.start = rest
        return Span(text[m[0] : span_end], m[0], span_end, "dateline")
    return None


def parse_source(
    text: str,
    *,
    id: int = 0,
    name: str = "source.txt",
    path: Path | None = None,
    encoding: str = "utf-8",
    sha256: str = "",
) -> Source:
    """Turn decoded article text into a :class:`Source`; never raises.

    Everything that is judgement rather than I/O lives here so it can be
    tested (and fuzzed) with plain strings. A text with no content simply
    yields a Source without sentences; :func:`load_sources` decides whether
    that is an error.
    """
    try:
        return _parse(text, id=id, name=name, path=path, encoding=encoding, sha256=sha256)
    except Exception:  # pragma: no cover - last line of defence for odd input
        return _fallback(text, id=id, name=name, path=path, encoding=encoding, sha256=sha256)


def _stem(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.lstrip(".") else base
    return stem or base


def _fallback(text: str, **kw) -> Source:
    """Plain Punkt over the whole text: used only if the careful parse fails."""
    spans = [(a, b) for a, b in split_sentences(text) if _HAS_WORD.search(text, a, b)]
    sentences = tuple(
        Sentence(kw["id"], i, text[a:b], a, b, KIND_BODY) for i, (a, b) in enumerate(spans)
    )
    return Source(
        id=kw["id"], name=kw["name"], label=_stem(kw["name"]), text=text, sentences=sentences,
        path=kw["path"], encoding=kw["encoding"], sha256=kw["sha256"],
    )


def _parse(text: str, *, id: int, name: str, path: Path | None, encoding: str, sha256: str) -> Source:
    if not isinstance(text, str):
        text = str(text)
    lines = [_Line(s, e) for s, e in _line_spans(text)]
    furniture: list[Span] = []
    first, fields = _front_matter(text, lines)
    for line in lines[:first]:
        line.kind = "front"
        if line.start < line.end:
            furniture.append(Span(text[line.start : line.end], line.start, line.end, "front matter"))
    _classify(text, lines, first)
    _mark_masthead(text, lines, first)
    _mark_issuer(text, lines, first)
    _mark_contact_blocks(text, lines, first)
    _mark_link_lists(text, lines, first)
    _mark_headings(text, lines, first)
    dateline = _find_headline_and_dateline(text, lines, first)

    units: list[tuple[int, int, str]] = []  # (start, end, kind) of content blocks
    k = first
    while k < len(lines):
        line = lines[k]
        if line.kind == "furniture":
            furniture.append(Span(text[line.start : line.end], line.start, line.end, line.reason))
        elif line.kind in ("headline", "heading"):
            units.append((line.start, line.end, line.kind))
        elif line.kind == "bullet":
            units.append((line.body, line.end, KIND_BULLET))
        elif line.kind == "prose":
            # A paragraph hard-wrapped over several lines is one block.
            end = line.end
            while (
                k + 1 < len(lines)
                and lines[k + 1].kind == "prose"
                and not _TERMINAL.search(text[lines[k].start : lines[k].end])
            ):
                k += 1
                end = lines[k].end
            units.append((line.start, end, KIND_BODY))
        k += 1

    sentences: list[Sentence] = []
    for start, end, kind in units:
        spans = [(start, end)] if kind in (KIND_HEADLINE, KIND_HEADING) else split_sentences(text, start, end)
        unit_first = len(sentences)
        for a, b in spans:
            piece = text[a:b]
            # Whole lines were vetted already; only a sentence cut out of a
            # longer paragraph ("Read more: ..." after the last sentence) is new.
            reason = furniture_reason(piece) if len(spans) > 1 else None
            if not _HAS_WORD.search(piece):
                reason = "punctuation"
            if reason:
                # "Do you live in Wexcombe? Tell us: news@..." - the question
                # leads into the call-out and goes with it.
                if reason == "call to action" and len(sentences) > unit_first and _reader_question(
                    _norm(sentences[-1].text)
                ):
                    q = sentences.pop()
                    furniture.append(Span(q.text, q.start, q.end, reason))
                furniture.append(Span(piece, a, b, reason))
            else:
                sentences.append(Sentence(id, len(sentences), piece, a, b, kind))

    furniture.sort(key=lambda s: (s.start, s.end))
    headline = next((s.text for s in sentences if s.kind == KIND_HEADLINE), None)
    title = fields.get("title") or headline
    return Source(
        id=id,
        name=name,
        label=fields.get("source") or fields.get("outlet") or _stem(name),
        text=text,
        sentences=tuple(sentences),
        furniture=tuple(furniture),
        title=title or None,
        dateline=dateline,
        url=fields.get("url") or fields.get("link") or None,
        date=fields.get("date") or fields.get("published") or None,
        path=path,
        encoding=encoding,
        sha256=sha256,
    )


# --------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _folder_files(folder: Path) -> list[Path]:
    """The text files under ``folder``, in name order, skipping hidden entries."""
    found: list[tuple[tuple[str, ...], Path]] = []
    try:
        walker = os.walk(folder, onerror=None, followlinks=False)
        for root, dirs, files in walker:
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            rel = Path(root).relative_to(folder).parts
            for f in files:
                if not _hidden(f) and Path(f).suffix.casefold() in TEXT_SUFFIXES:
                    found.append(((*rel, f), Path(root) / f))
    except OSError as exc:
        raise IngestError(f"{folder}: cannot list this folder ({exc.strerror or exc})") from None
    found.sort(key=lambda item: item[0])
    return [p for _, p in found]


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            if not os.access(p, os.R_OK | os.X_OK):
                raise IngestError(f"{p}: cannot open this folder (permission denied)")
            inside = _folder_files(p)
            if not inside:
                raise IngestError(f"{p}: no .txt or .md files in this folder")
            files.extend(inside)
        elif p.exists():
            files.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    return files


def _printable_name(name: str) -> str:
    """A file name that every UTF-8 writer accepts.

    Names that are not valid UTF-8 on disk reach Python as lone surrogates
    (``caf\\udce9.txt``); left in ``Source.name`` they would crash the CSV
    export and the session save, so undecodable bytes become U+FFFD.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").encode(
        "utf-8", "replace"
    ).decode("utf-8")


def _unique_names(files: Sequence[Path]) -> list[str]:
    """File names, lengthened with parent folders only where two would clash."""
    # The anchor ("/" or "C:\\") is not a folder name: joined in, it would
    # produce "//tmp/a.txt" once the names grew all the way up.
    parts = [p.absolute().parts[1:] if p.absolute().anchor else p.absolute().parts for p in files]
    depth = [1] * len(files)

    def label(i: int) -> str:
        return "/".join(parts[i][-depth[i] :])

    while True:
        groups: dict[str, list[int]] = {}
        for i in range(len(files)):
            groups.setdefault(label(i), []).append(i)
        grown = False
        for members in groups.values():
            if len(members) > 1:
                for i in members:
                    if depth[i] < len(parts[i]):
                        depth[i] += 1
                        grown = True
        if not grown:
            break
    names = [_printable_name(label(i)) for i in range(len(files))]
    seen: dict[str, int] = {}
    for i, n in enumerate(names):  # the very same file given twice
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
    return names


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise IngestError(f"{path}: not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,})")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except IngestError:
        raise
    except PermissionError:
        raise IngestError(f"{path}: cannot read this file (permission denied)") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise IngestError(f"{path}: too large (over the limit of {max_bytes:,} bytes)")
    return data


def _identity(path: Path) -> object:
    """What makes two paths the same file: device and inode, else the resolved path.

    Inodes also catch hard links and case-insensitive file systems, where
    ``A.txt`` and ``a.txt`` resolve to different strings but one file.
    """
    try:
        st = path.stat()
        if st.st_ino:
            return (st.st_dev, st.st_ino)
    except OSError:
        pass
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _unique_files(files: Sequence[Path], on_duplicate: Callable[[Path, Path], None] | None) -> list[Path]:
    """Drop every file already seen (keeping the first), reporting each drop.

    An article given twice (``a.txt ./a.txt``, or a file that is also inside a
    given folder) would otherwise be aligned against itself: every sentence
    a perfect match, a story with no differences.
    """
    seen: dict[object, Path] = {}
    unique: list[Path] = []
    for path in files:
        key = _identity(path)
        if key in seen:
            if on_duplicate is not None:
                on_duplicate(path, seen[key])
            continue
        seen[key] = path
        unique.append(path)
    return unique


def load_sources(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_duplicate: Callable[[Path, Path], None] | None = None,
) -> list[Source]:
    """Read files and folders of articles into Sources, ids in the given order.

    Folders contribute their ``.txt``/``.md`` files (recursively, by name,
    hidden entries skipped); files named explicitly are read whatever their
    extension. Anything unusable stops the load with an
    :class:`IngestError` naming the offending path, because silently
    comparing four articles when the reader asked for five would mislead.

    A file reached twice is read once, at its first position;
    ``on_duplicate(skipped, kept)`` is called for each repeat so the caller
    (the CLI, the app) can say so in its own way -- this module prints nothing.
    """
    files = _unique_files(_expand(paths), on_duplicate)
    names = _unique_names(files)
    sources: list[Source] = []
    for i, (path, name) in enumerate(zip(files, names)):
        data = _read(path, max_bytes)
        if not data.strip():
            raise IngestError(f"{path}: the file is empty")
        try:
            text, encoding = decode(data)
        except IngestError as exc:
            raise IngestError(f"{path}: {exc}") from None
        if not text.strip(" \t\n\r\f\v\u00a0\u200b\ufeff\u3000\u2028\u2029"):
            raise IngestError(f"{path}: the file holds only white space")
        source = parse_source(
            text, id=i, name=name, path=path, encoding=encoding, sha256=hashlib.sha256(data).hexdigest()
        )
        if not source.sentences:
            raise IngestError(f"{path}: no article text found (only page furniture or front matter)")
        sources.append(source)
    return sources
