"""Hypothesis strategies for hostile and broken input, and the test profiles.

Parallax reads text scraped from the web: whatever a scraper, a bad decoder
or a malicious page can put in a file will eventually reach ingest, the
aligner, the CSV export and the terminal. These strategies generate that
material on purpose -- combining marks, right-to-left scripts, emoji ZWJ
sequences, zero-width and control characters, NUL, lone surrogates, every
line-end convention, 10,000-character lines -- and, because pure noise rarely
exercises the interesting code paths, news-like articles assembled from
sentence fragments with abbreviations, quotes, bullets, datelines and page
furniture mixed in.

Profiles
--------
``ci`` (the default) is bounded and derandomized so that a CI failure is
reproducible byte for byte on any machine. ``long`` runs thousands of
examples per property with a random seed, for hunting rare bugs locally::

    PARALLAX_HYPOTHESIS_PROFILE=long .venv/bin/python -m pytest tests/test_properties.py tests/test_injection.py

The profile is applied through :data:`PROFILE` / :func:`profile` on the
property tests that import this module, rather than loaded globally, so
importing it never changes the settings of other engineers' tests.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# --------------------------------------------------------------------------- profiles

PROFILE_ENV = "PARALLAX_HYPOTHESIS_PROFILE"

settings.register_profile(
    "ci",
    max_examples=60,
    # Input sizes vary by orders of magnitude (a 10,000-character line next to
    # an empty string), so per-example timing says nothing useful here.
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    # Building a five-source corpus is legitimately slower to generate than a
    # string; that is the input we want, not a strategy mistake.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long",
    max_examples=2500,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

PROFILE_NAME = os.environ.get(PROFILE_ENV, "ci")
PROFILE = settings.get_profile(PROFILE_NAME)


def profile(scale: float = 1.0) -> settings:
    """The active profile with ``max_examples`` scaled for an expensive property.

    Aligning or running the CLI costs far more per example than splitting a
    string, so those properties run a fraction of the examples and keep the
    whole file fast in CI.
    """
    return settings(PROFILE, max_examples=max(10, int(PROFILE.max_examples * scale)))


# --------------------------------------------------------------------------- hostile characters

COMBINING = ["\u0301", "\u0308", "\u0327", "\u20dd", "e\u0301\u0301\u0301", "Z\u0351\u0352\u0353\u0354"]
RTL = ["\u0645\u0631\u062d\u0628\u0627", "\u05e9\u05dc\u05d5\u05dd", "\u200f", "\u200e", "\u202e", "\u2066", "\u2069"]
EMOJI = [
    "\U0001f4f0",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: ZWJ sequence
    "\U0001f3f3\ufe0f\u200d\U0001f308",  # rainbow flag
    "\U0001f44d\U0001f3fd",  # skin-tone modifier
    "\U0001f1fa\U0001f1f8",  # regional indicators
]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x1b", "\x1b[31m", "\x7f", "\x85", "\x9b", "\x1c", "\x1f"]
SURROGATES = ["\udc80", "\udcff", "\ud800", "\udfff"]
LINE_ENDS = ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x0b", "\x0c", "\n\n", "\r\n\r\n", "\r\r"]
SPACES = [" ", "\t", "\u00a0", "\u2007", "\u202f", "\u3000", "   "]
PUNCT = [".", "?", "!", "\u2026", "...", '"', "\u201c", "\u201d", "'", "\u2019", "(", ")", "[", "]", ":", ";", ","]
FORMULA = ["=", "+", "-", "@", "=HYPERLINK(\"http://e\")", "+1", "-2", "@SUM(A1)"]
ABBREVIATIONS = ["Mr.", "Mrs.", "Dr.", "U.S.", "U.K.", "Oct.", "p.m.", "a.m.", "J. K.", "Inc.", "No.", "etc."]

HOSTILE_PIECES: list[str] = [
    *COMBINING, *RTL, *EMOJI, *ZERO_WIDTH, *CONTROL, *SURROGATES, *LINE_ENDS, *SPACES, *PUNCT, *FORMULA,
    *ABBREVIATIONS,
]

#: Every Unicode character *including* surrogates (Hypothesis leaves those out by default).
any_char = st.characters(exclude_categories=())
#: Any character Python can hold, without the lone surrogates UTF-8 cannot encode.
encodable_char = st.characters(exclude_categories=["Cs"])

words = st.sampled_from(
    "the mayor said police fire harbour ship soldiers killed three 23 58 Tuesday Wednesday "
    "minister Khawaja Asif Islamabad Kabul officials reported blaze crew residents".split()
)

#: Short stretches of arbitrary or hostile characters.
hostile_text: st.SearchStrategy[str] = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.text(any_char, max_size=6), words),
    max_size=40,
).map("".join)


@st.composite
def long_line(draw: st.DrawFn, length: int = 10_000) -> str:
    """One ``length``-character line: a drawn fragment repeated (cheap to generate, costly to parse)."""
    frag = draw(st.one_of(hostile_text.filter(bool), st.sampled_from(["Mr. Smith said. ", "a", "=", ". ", "\u200b"])))
    return (frag * (length // len(frag) + 1))[:length]


# --------------------------------------------------------------------------- news-like text

_SUBJECTS = [
    "The mayor", "Mr. Smith", "Police", "The U.S. Army", "Dr. Jones of St. Mary's hospital", "Officials",
    "Three soldiers", "At least 23 people", "The minister, Khawaja Asif,", "Residents", "The company, Acme Inc.,",
]
_VERBS = ["said", "reported", "denied", "confirmed", "warned", "announced", "told reporters"]
_OBJECTS = [
    "the fire started at 5 p.m. on Oct. 29", "58 people were evacuated", "the talks had failed",
    "the ship sank near the harbour", "four days of talks ended", "the recount would begin on Tuesday",
    "no one was hurt", "the blaze was under control by 3 a.m.", "the figure was closer to 2,600 km",
]
_QUOTES = [
    '"We will rebuild," she said.', "\u201cIt is over,\u201d he told reporters.",
    '"Is it over?" he asked.', "\u2018No comment,\u2019 a spokesman said.",
    '"The first part." And then "the second part," said Mr. Lee.',
]
FURNITURE_LINES = [
    "LEAVE A REPLY", "Please enter your comment!", "Please enter your name here",
    "You have entered an incorrect email address!", "Related Posts", "Read More: Fire in the harbour",
    "1.2K shares", "Share this: Facebook Twitter WhatsApp", "23\u00b0C Sunny", "Monday, October 27, 2025",
    "Advertisement", "\u00a9 2025 The Gazette. All rights reserved.", "Subscribe to our newsletter",
    "Home \u00bb World \u00bb Asia", "5 min read", "Posted 3 hours ago", "Tags: fire, harbour",
]
DATELINES = ["ISLAMABAD, Oct 29 (Reuters) -", "KABUL:", "ISLAMABAD / KABUL \u2014 Oct 29:", "Islamabad:"]
HEADLINES = ["Fire Sweeps Through Harbour District", "Talks Collapse After Four Days", "Mayor Orders Recount"]


@st.composite
def news_sentence(draw: st.DrawFn) -> str:
    """A plausible news sentence: subject, verb, object, or a quote, with optional noise inside."""
    if draw(st.integers(0, 4)) == 0:
        s = draw(st.sampled_from(_QUOTES))
    else:
        s = f"{draw(st.sampled_from(_SUBJECTS))} {draw(st.sampled_from(_VERBS))} {draw(st.sampled_from(_OBJECTS))}."
    if draw(st.integers(0, 5)) == 0:  # a little debris inside an otherwise normal sentence
        at = draw(st.integers(0, len(s)))
        s = s[:at] + draw(st.sampled_from(HOSTILE_PIECES)) + s[at:]
    return s


@st.composite
def news_line(draw: st.DrawFn) -> str:
    """One line of a scraped article: a paragraph, a bullet, a heading, furniture or noise."""
    kind = draw(st.sampled_from(["para", "para", "para", "bullet", "heading", "furniture", "noise"]))
    if kind == "para":
        return " ".join(draw(st.lists(news_sentence(), min_size=1, max_size=4)))
    if kind == "bullet":
        marker = draw(st.sampled_from(["- ", "* ", "\u2022 ", "1. ", "2) ", "a) "]))
        return marker + draw(news_sentence())
    if kind == "heading":
        return draw(st.sampled_from(["## ", "**", ""])) + draw(st.sampled_from(HEADLINES))
    if kind == "furniture":
        return draw(st.sampled_from(FURNITURE_LINES))
    return draw(hostile_text)


@st.composite
def news_article(draw: st.DrawFn, body: st.SearchStrategy[str] | None = None) -> str:
    """A whole scraped article: optional front matter, headline, dateline, then body lines."""
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    parts: list[str] = []
    if draw(st.booleans()):
        parts += [f"Source: {draw(st.sampled_from(['Gazette', 'Wire', '=Evil', 'Daily Blast']))}",
                  f"Title: {draw(st.sampled_from(HEADLINES))}", ""]
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(HEADLINES)))
    if draw(st.booleans()):
        parts.append(draw(st.sampled_from(DATELINES)) + " " + draw(news_sentence()))
    lines = draw(st.lists(body if body is not None else news_line(), min_size=1, max_size=10))
    for line in lines:
        parts.append(line)
        if draw(st.booleans()):
            parts.append("")  # a paragraph break
    # Mixed line ends happen in real scrapes (pasted fragments): sometimes use a random one per join.
    if draw(st.integers(0, 3)) == 0:
        out = parts[0]
        for p in parts[1:]:
            out += draw(st.sampled_from(LINE_ENDS)) + p
        return out
    return eol.join(parts)


#: Any text ingest may be handed: noise, a news article, or either with a 10,000-character line.
article_text: st.SearchStrategy[str] = st.one_of(
    hostile_text,
    st.text(any_char, max_size=200),
    news_article(),
    st.tuples(news_article(), long_line()).map(lambda t: t[0] + "\n" + t[1] + "\n" + t[0]),
)


@st.composite
def corpus_texts(draw: st.DrawFn, min_sources: int = 2, max_sources: int = 6) -> list[str]:
    """Texts of 2-6 articles about one story: shared sentences, reordered, reworded, plus noise.

    Sources built from one pool of sentences are what the aligner exists
    for; a share of sources made of pure noise checks it copes with those too.
    """
    pool = draw(st.lists(news_sentence(), min_size=1, max_size=8))
    n = draw(st.integers(min_sources, max_sources))
    texts = []
    for _ in range(n):
        if draw(st.integers(0, 5)) == 0:
            texts.append(draw(st.one_of(hostile_text, st.text(any_char, max_size=80))))
            continue
        picked = draw(st.lists(st.sampled_from(pool), min_size=0, max_size=len(pool) + 2))
        extra = draw(st.lists(news_line(), max_size=2))
        lines = picked + extra
        lines = draw(st.permutations(lines)) if lines else lines
        texts.append(draw(st.sampled_from(["\n", "\r\n", "\n\n", " "])).join(lines))
    return texts


# --------------------------------------------------------------------------- names and bytes

NASTY_NAMES = [
    "../x", "/etc/passwd", "a/b", "..", ".", "", " ", "CON", "con", "nul.txt", "com1", "COM\u00b9", "LPT9.log",
    "aux.", "x.", " x", "x ", "a\\b", "C:evil", "a\x00b", "a\nb", "\x1b[31m", "\u202eexe.txt", "\u200b",
    "x" * 81, "x" * 80, "\u00e9" * 80, "\u4e2d" * 80, "\U0001f4f0" * 80, "\U0001f4f0" * 60, "\u4e2d" * 79,
    "\udc80", "\ud800", "caf\u00e9", "\u05e9\u05dc\u05d5\u05dd", "a..b", "...", "~", "~root", "$HOME", "%APPDATA%",
    "session", "pakistan-2025",
]

session_names: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(NASTY_NAMES),
    st.text(any_char, max_size=100),
    st.text(st.sampled_from("./\\:~ abcCON1\u00b9\x00"), max_size=12),
)

#: Raw file contents: random bytes, encoded articles, and the odd BOM-prefixed or truncated ones.
file_bytes: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=400),
    news_article().map(lambda t: t.encode("utf-8", "surrogatepass")),
    news_article().map(lambda t: t.encode("cp1252", "replace")),
    st.tuples(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b""]), st.binary(max_size=200)).map(
        lambda t: t[0] + t[1]
    ),
    news_article().map(lambda t: t.encode("utf-16", "surrogatepass")),
)
