"""Saved web pages: the article inside the page, and what the page says about it.

A page saved from a browser (or fetched from a URL) is mostly not the article:
navigation, a cookie banner, a search box, share bars, related links,
comments, a footer, scripts and their JSON. Reading it as text, as Parallax
once did, made ``<!DOCTYPE html>`` the headline and left the real lede
"not reported". The main text is found with trafilatura, the open extractor
with the best published scores on article extraction, tuned here for
precision (a sentence of chrome in the alignment costs more than a lost
caption) and with comments and tables left out.

What comes out is plain text built from the extracted blocks: the headline
on the first line, then paragraphs separated by blank lines, subheadings as
``## ...``, list items as ``- ...`` and quotations as ``> ...``. That text is
what the reader shows and what every sentence's offsets point into; the
ingest rules then run over it as over any article, so furniture the
extractor lets through ("Read more: ...", a newsletter plug) is still set
aside. The page's metadata supplies the headline, the site name (the
outlet's label), the author, the publication date and the canonical URL.

trafilatura and lxml are imported only when a page is actually read: plain
text runs (the seeds) never pay for them.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["HTML_SUFFIXES", "Page", "declared_charset", "extract_page", "looks_like_html"]

#: Suffixes read as saved web pages, in folders and when named directly.
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})

#: Where a document announces itself as HTML: a doctype, an <html> or <head>
#: tag, possibly after an XML declaration and comments.
_HTML_START = re.compile(
    # a comment ends at its first "-->": ".*?" could run on through the next
    # comments, so many comments before no <html> took polynomial time
    r"\A(?:\s|<!--(?:(?!-->).)*-->|<\?xml[^>]*\?>)*<(?:!doctype\s+html|html[\s>]|head[\s>])",
    re.IGNORECASE | re.DOTALL,
)
#: Tags that only pages have; a text or Markdown article about HTML mentions
#: them rarely, and never several of them as real tags.
_PAGE_TAGS = re.compile(r"<(?:body|div|p|meta|script|article|span|a\s+href)[\s>/]", re.IGNORECASE)

#: <meta charset="..."> or <meta http-equiv="Content-Type" content="...; charset=...">
_META_CHARSET = re.compile(rb"<meta[^<>]+charset\s*=\s*(?:[\"']\s*)?([A-Za-z0-9_.:-]+)", re.IGNORECASE)

# Loggers of trafilatura and the libraries it drives; left alone they print
# "discarding data: None" and the like on stderr through logging's last resort.
_QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


@dataclass(frozen=True, slots=True)
class Page:
    """The article found in a page: its text and what the page's metadata says."""

    #: headline, then the body blocks; offsets of sentences point into this
    text: str
    title: str | None = None
    #: the outlet's name (og:site_name, JSON-LD publisher, ...)
    sitename: str | None = None
    author: str | None = None
    #: publication date as YYYY-MM-DD
    date: str | None = None
    #: canonical URL of the page
    url: str | None = None
    #: whether ``text`` starts with the headline line
    has_headline: bool = False


def looks_like_html(text: str, *, strict: bool = False) -> bool:
    """Whether decoded content is a web page rather than text or Markdown.

    Used where no file name tells (standard input, a URL served as
    ``text/plain``, a saved page renamed ``.txt``): a document that starts as
    HTML does (a doctype, ``<html>``, ``<head>``), or, unless ``strict``, one
    dense with page tags. ``strict`` is for files called text or Markdown,
    where a few inline tags are legitimate Markdown.
    """
    head = text[:4096].lstrip("\ufeff")
    if _HTML_START.match(head):
        return True
    return not strict and len(_PAGE_TAGS.findall(head)) >= 5


def declared_charset(data: bytes, header: str | None = None) -> str | None:
    """The encoding a page declares: the HTTP header's, else its ``<meta>``'s.

    Returns a codec name Python knows, or None (then the caller guesses, as
    for any text file). Only the first 4 KB are searched: that is where
    browsers look too.
    """
    candidates = []
    if header:
        candidates.append(header)
    m = _META_CHARSET.search(data[:4096])
    if m:
        candidates.append(m.group(1).decode("ascii", "replace"))
    for name in candidates:
        try:
            codec = codecs.lookup(name.strip().strip("\"'")).name
        except LookupError:
            continue
        # As in browsers: a page labelled latin-1 or ASCII is read as
        # windows-1252, which is what such pages really contain (curly quotes at 0x93).
        return "cp1252" if codec in ("iso8859-1", "ascii") else codec
    return None


def _quiet() -> None:
    import logging  # only when a page is read: plain-text runs skip the import

    for name in _QUIET_LOGGERS:
        log = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in log.handlers):
            log.addHandler(logging.NullHandler())


_SPACES = re.compile(r"[^\S\n]+")


def _inline_text(el: Any) -> str:
    """The text of an extracted block, line breaks (``<lb/>``) kept as newlines."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.text and node.tag != "lb":
            parts.append(node.text)
        for child in node:
            if child.tag == "lb":
                parts.append("\n")
            elif child.tag not in ("graphic",):
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _blocks(body: Any) -> list[str]:
    """The extracted tree as text blocks, their kind written the Markdown way."""
    blocks: list[str] = []
    for el in body:
        tag = el.tag
        if tag == "head":
            text = _inline_text(el).replace("\n", " ")
            if text:
                blocks.append(f"## {text}")
        elif tag == "list":
            items = [_inline_text(item).replace("\n", " ") for item in el.iter("item")]
            items = [t for t in items if t]
            if items:
                blocks.append("\n".join(f"- {t}" for t in items))
        elif tag == "quote":
            text = _inline_text(el)
            if text:
                blocks.append("\n".join(f"> {line}" for line in text.split("\n")))
        elif tag in ("table", "graphic"):
            continue
        else:
            text = _inline_text(el)
            if text:
                blocks.append(text)
    return blocks


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def extract_page(html: str, url: str | None = None) -> Page:
    """Find the article in a page; a page with no article gives an empty ``text``.

    ``url`` is where the page came from, if known: the extractor resolves
    relative links against it and falls back on it for the canonical URL.
    Never raises on odd markup (the extractor's own failures give an empty
    page); deciding that an empty page is an error is the caller's job.
    """
    _quiet()
    import trafilatura  # heavy (lxml, dateparser): only when a page is read

    try:
        extracted = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            favor_precision=True,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,  # True keeps a process-wide cache: a page read twice would come out empty
            # Dates from the page's markup only: the extensive search guesses
            # from anything date-like, such as a footer's copyright year.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        doc = None if isinstance(extracted, dict) else extracted  # a dict only for as_dict=True
        title = _clean(doc.title) if doc is not None else None
        blocks = _blocks(doc.body) if doc is not None and doc.body is not None else []
    except Exception:  # noqa: BLE001 - the extractor failing on odd markup means "no article"
        doc = None
    if doc is None:
        return Page(text="")
    if title and blocks and _same(blocks[0].split("\n", 1)[0].lstrip("#> "), title):
        first, _, rest = blocks[0].partition("\n")
        blocks = ([rest] if rest.strip() else []) + blocks[1:]
    if not blocks:
        return Page(text="", title=title)
    text = "\n\n".join(([title] if title else []) + blocks) + "\n"
    return Page(
        text=text,
        title=title,
        sitename=_clean(doc.sitename),
        author=_clean(doc.author),
        date=_clean(doc.date),
        url=_clean(doc.url) or url,
        has_headline=bool(title),
    )
