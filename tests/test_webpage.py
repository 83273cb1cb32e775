"""Saved web pages: the article's sentences come out, the page's chrome does not.

The fixtures in tests/fixtures/pages are pages written for these tests the
way news sites build them: navigation, a cookie banner, a search box, share
bars, related links, comments with a reply form, a newsletter box, a footer,
scripts, JSON-LD and og: tags around one article each.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from pageserver import PAGES
from tui.core.ingest import parse_source
from tui.core.ingest.webpage import declared_charset, extract_page, looks_like_html

COURIER = [
    "Millbrook residents told to leave as engineers inspect Kestrel dam",
    "About 600 people in Millbrook were asked to leave their homes on Tuesday night after engineers found "
    "water seeping through the base of the Kestrel dam.",
    "The county council said the evacuation was a precaution and that the dam was not expected to fail.",
    "Inspectors spotted the leak during a routine check at about 4pm, when the reservoir was close to its "
    "highest level after three weeks of heavy rain.",
    "Families from the lower part of the village were taken to the sports hall at Millbrook Academy, where "
    "the Red Cross set up beds and served hot meals.",
    "\u201cWe would rather move people tonight and be wrong than wait and be sorry,\u201d said council leader Ruth Adeyemi.",
    "Pumps were brought in overnight to lower the reservoir by two metres, which engineers said would take "
    "at least 48 hours.",
    "The 70-year-old dam was last inspected in full in 2019, when minor cracks in its spillway were repaired.",
    "Residents will not be allowed back until the water level has dropped and the structure has been checked again.",
    "Roads into the lower village, including the bridge on Mill Lane, remain closed to traffic.",
]

LEDGER = [
    "Kestrel dam leak forces overnight evacuation",
    "Around 600 residents of Millbrook were evacuated overnight after a leak was found at the foot of the "
    "Kestrel dam, which holds back a reservoir swollen by weeks of rain.",
    "Engineers discovered the seepage on Tuesday afternoon during a scheduled inspection of the 70-year-old "
    "earth embankment.",
    "Officials stressed there was no immediate danger of collapse but said they could not rule out further "
    "damage while the water stayed so high.",
    "Draining the reservoir",
    "Contractors worked through the night to install high-capacity pumps, aiming to lower the water by two "
    "metres over the next two days.",
    "\u201cMoving people tonight and being wrong is better than waiting and being sorry,\u201d the council leader, "
    "Ruth Adeyemi, told reporters.",
    "Evacuees were given camp beds and hot food at Millbrook Academy, where volunteers from the Red Cross "
    "stayed with them until morning.",
    "The Environment Agency said it was monitoring the River Alder downstream but had not issued a flood warning.",
    "Spillway cracks at the dam were repaired five years ago, according to county council records.",
    "Residents have been told it could be the weekend before they can return home.",
]

WIRE = [
    "Engineers lower Kestrel reservoir after dam leak",
    "Key points",
    "About 600 Millbrook residents spent the night away from home",
    "Pumps are lowering the reservoir by two metres",
    "The council says the dam is not expected to fail",
    "Engineers began pumping water out of the Kestrel reservoir on Wednesday after a leak at the base of its "
    "dam forced about 600 people from their homes.",
    "The leak was found on Tuesday afternoon during a planned inspection, council officials said.",
    "Residents of the lower village were moved to Millbrook Academy overnight, where the Red Cross provided "
    "beds and meals.",
    "\u201cIt is a precaution, and we expect people to be home within days,\u201d council leader Ruth Adeyemi said.",
    "The dam, built in the 1950s, had minor repairs to its spillway in 2019.",
    "Mill Lane bridge and two other roads into the village were closed.",
]

#: Words of each page's chrome; none may reach a sentence (or, for most, the text at all).
CHROME = [
    "cookie", "Accept all", "Manage preferences", "Privacy", "Search", "Subscribe", "Sign in", "Sign up",
    "Share", "Facebook", "Twitter", "WhatsApp", "LinkedIn", "Email this", "shares", "Copy link",
    "Related", "More on this story", "More from", "Most Read", "bakery", "Harbury", "budget gap",
    "Leave a Reply", "Post Comment", "Required fields", "thoughts on", "grandmother", "volunteers at the academy",
    "spillway only patched", "Whitehall", "school hall was warm", "Commenting", "RiverWatcher",
    "All rights reserved", "Terms", "Advertis", "Obituaries", "What's On", "Home \u00bb", "Latest", "Log in",
    "dataLayer", "gtag", "_paq", "function", "schema.org", "@type", "{", "__NEXT_DATA__", "Photograph",
    "Light rain", "Budget statement", "FTSE", "First Edition", "newsletter", "correspondent", "Tags:",
    "143 partners", "Find out more", "Flood defences tested", "emergency repair fund", "Your privacy",
]


def _chrome_in(text: str) -> list[str]:
    return [w for w in CHROME if re.search(rf"(?<!\w){re.escape(w)}", text, re.IGNORECASE)]


def _load(name: str, encoding: str = "utf-8"):
    page = extract_page((PAGES / name).read_bytes().decode(encoding))
    return page, parse_source(page.text, name=name, headline_first=page.has_headline)


@pytest.mark.parametrize(
    ("name", "encoding", "expected"),
    [("courier.html", "utf-8", COURIER), ("ledger.html", "utf-8", LEDGER), ("wire.html", "cp1252", WIRE)],
)
def test_the_sentences_are_the_articles_and_none_of_the_chrome(name, encoding, expected):
    page, source = _load(name, encoding)
    assert [s.text for s in source.sentences] == expected
    for s in source.sentences:
        assert _chrome_in(s.text) == [], s.text
        assert source.text[s.start : s.end] == s.text
    assert source.sentences[0].kind == "headline"


@pytest.mark.parametrize("name", ["courier.html", "ledger.html"])
def test_most_chrome_never_reaches_the_text(name):
    page, _ = _load(name)
    assert _chrome_in(page.text) == []


def test_furniture_the_extractor_lets_through_meets_parallax_rules():
    # "Read more: ..." sits inside the Ledger's article body and the Wire's
    # copyright line inside its story div: the extractor keeps both, ingest does not.
    _, ledger = _load("ledger.html")
    assert [(f.reason, f.text) for f in ledger.furniture] == [
        ("read more", "Read more: How Britain's ageing dams are inspected")
    ]
    _, wire = _load("wire.html", "cp1252")
    assert any(f.reason == "copyright" and "Valley Wire" in f.text for f in wire.furniture)
    assert wire.dateline is not None and wire.dateline.text == "MILLBROOK, England (VW) \u2014"


@pytest.mark.parametrize(
    ("name", "encoding", "meta"),
    [
        ("courier.html", "utf-8", ("The Millbrook Courier", "Harriet Okafor", "2024-03-12",
                                   "https://www.millbrookcourier.example/news/2024/03/12/kestrel-dam-evacuation")),
        ("ledger.html", "utf-8", ("Northern Ledger", "Daniel Mbeki", "2024-03-13",
                                  "https://northernledger.example/uk/kestrel-dam-leak-evacuation-a19377")),
        ("wire.html", "cp1252", ("Valley Wire", "Priya Raman", "2024-03-13", None)),
    ],
)
def test_metadata_comes_from_the_page(name, encoding, meta):
    page, _ = _load(name, encoding)
    assert (page.sitename, page.author, page.date, page.url) == meta
    assert page.title == COURIER[0] if name == "courier.html" else page.title
    assert page.text.startswith(page.title + "\n\n")


def test_the_url_given_stands_in_for_a_missing_canonical_url():
    html = (PAGES / "wire.html").read_bytes().decode("cp1252")
    assert extract_page(html, url="https://valleywire.example/a/9").url == "https://valleywire.example/a/9"


def test_the_pages_headline_is_the_headline_whatever_it_looks_like():
    # ends with a full stop and starts in lower case: the text heuristics would call it prose
    html = (PAGES / "ledger.html").read_text(encoding="utf-8").replace(
        "Kestrel dam leak forces overnight evacuation", "eBay seller's dam photos go viral."
    )
    page = extract_page(html)
    source = parse_source(page.text, headline_first=page.has_headline)
    assert (source.sentences[0].kind, source.sentences[0].text) == ("headline", "eBay seller's dam photos go viral.")
    assert source.sentences[1].kind == "body"
    assert source.title == "eBay seller's dam photos go viral."


def test_subheadings_lists_and_quotes_keep_their_kind():
    _, ledger = _load("ledger.html")
    kinds = {s.text: s.kind for s in ledger.sentences}
    assert kinds["Draining the reservoir"] == "heading"
    _, wire = _load("wire.html", "cp1252")
    assert [s.kind for s in wire.sentences[:5]] == ["headline", "heading", "bullet", "bullet", "bullet"]


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><nav><a href='/'>Home</a> <a href='/n'>News</a></nav></body></html>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "",
        "<<<>>>",
        "<html><body>" + "<div><span>" * 3000 + "deep" + "</span></div>" * 3000 + "</body></html>",
        "<html><body><p>" + "<b>" * 3000 + "bold" + "</b>" * 3000 + "</p></body></html>",
        "<html><body>" + "\x00" * 100 + "</body></html>",
    ],
)
def test_a_page_without_an_article_gives_no_text(html):
    assert extract_page(html).text == ""


def test_extraction_is_deterministic_when_repeated():
    html = (PAGES / "courier.html").read_text(encoding="utf-8")
    assert extract_page(html) == extract_page(html) == extract_page(html)


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("<!DOCTYPE html><html><body><p>x</p></body></html>", True),
        ("\ufeff  <!-- saved --> <html lang=en><p>x", True),
        ('<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml">', True),
        ("<head><title>x</title></head>", True),
        ("<div><p>One.</p><p>Two.</p><span>a</span><a href='x'>b</a><meta name=x></div>", True),
        ("# A Markdown article\n\nIt mentions <div> once.", False),
        ("Plain text about <html> tags and a <p> or two.", False),
        ("", False),
    ],
)
def test_looks_like_html(text, html):
    assert looks_like_html(text.lstrip("\ufeff")) is html


def test_declared_charset():
    assert declared_charset((PAGES / "wire.html").read_bytes()) == "cp1252"
    assert declared_charset(b'<meta charset="utf-8">') == "utf-8"
    assert declared_charset(b'<meta charset="utf-8">', header="ISO-8859-1") == "cp1252"
    assert declared_charset(b'<meta charset="no-such-codec">') is None
    assert declared_charset(b"<p>nothing declared</p>") is None


def test_importing_the_module_does_not_load_the_extractor():
    code = "import sys, tui.core.ingest.webpage; print('trafilatura' in sys.modules, 'lxml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_extractor_prints_nothing(capfd):
    extract_page("<html><body><p>x</p></body></html>")
    extract_page((PAGES / "courier.html").read_text(encoding="utf-8"))
    out, err = capfd.readouterr()
    assert out == "" and err == ""
