"""Document structure: front matter, headline, dateline, headings, bullets and body.

:func:`parse_source` is the pure, never-raising heart of ingest: decoded
text in, a :class:`~tui.core.model.Source` out, with furniture set aside
and every sentence an exact slice of the text.
"""

from __future__ import annotations

import re
from pathlib import Path

from tui.core.ingest.furniture import (
    _mark_author_bio,
    _mark_contact_blocks,
    _mark_issuer,
    _mark_link_lists,
    _mark_masthead,
    _reader_question,
    furniture_reason,
)
from tui.core.ingest.lines import (
    _EMPHASIS,
    _ENDS_SENTENCE,
    _HAS_WORD,
    _TERMINAL,
    _is_title_like,
    _Line,
    _line_spans,
    _neighbour,
    _norm,
    _trim,
)
from tui.core.model import KIND_BODY, KIND_BULLET, KIND_HEADING, KIND_HEADLINE, Sentence, Source, Span
from tui.core.segment import split_sentences
from tui.core.words import full_weekday_pattern, month_pattern


# Markdown: "## Heading" and "**Heading**" lines; the markup is not part of the text.
_MD_HEADING = re.compile(r"#{1,6}[ \t]+(?=\S)")
#: Markdown blockquote markers at the start of a line (nested ones too: "> > ").
_BLOCKQUOTE = re.compile(r"(?:>[^\S\r\n]*)+")
_BULLET = re.compile(r"(?:[-*+\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043\u2013]|\d{1,3}[.)]|[a-z][.)])[^\S\r\n]+(?=\S)")
_PLACE_LINE = re.compile(r"[A-Z][\w'\u2019.-]*(?:[ ,]+[A-Z][\w'\u2019.-]*){0,3}")

_CAPWORD = r"[A-Z][A-Za-z.\-]*"
_PLACE = rf"{_CAPWORD}(?:[ \t]+{_CAPWORD}){{0,3}}"
_DL_MONTH = month_pattern(capitalised=True)
_DL_DATE = (
    rf"(?:{full_weekday_pattern()},?[ \t]+)?"
    rf"(?:{_DL_MONTH}[ \t]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ \t]+\d{{4}})?|\d{{1,2}}(?:st|nd|rd|th)?[ \t]+{_DL_MONTH}(?:,?[ \t]+\d{{4}})?)"
)
_DATELINE = re.compile(
    rf"(?P<place>{_PLACE}(?:[ \t]*/[ \t]*{_PLACE})*)"
    rf"(?:,[ \t]*(?P<region>{_PLACE}))?"
    rf"(?:[ \t]*(?:,|[\u2014\u2013-])[ \t]*(?P<date>{_DL_DATE}))?"
    # the agency takes its own leading blanks: "[ \t]*(agency)?[ \t]*" split a
    # run of tabs two ways at every length (a line "A" + 16,000 tabs: minutes)
    rf"(?:[ \t]*(?P<agency>\([^()\r\n]{{1,40}}\)))?"
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


_FRONT_KEYS = frozenset({"source", "title", "url", "date", "author", "byline", "published", "outlet", "link"})
# The value may not start with a blank: "[ \t]*(.*)" could split the blanks
# after the colon anywhere, quadratic when the match then fails.
_FRONT_LINE = re.compile(r"([A-Za-z][A-Za-z _-]{0,20}):[ \t]*((?:[^ \t\n].*)?)")
_FENCE = re.compile(r"-{3,}")


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


def _mark_headings(text: str, lines: list[_Line], first: int) -> None:
    """Short title-like lines standing on their own inside the body are headings.

    So is a short label ending in a colon over a list ("What we know:", "Key
    points:"): it names the bullets under it and reports nothing itself.
    """
    for k in range(first, len(lines)):
        line = lines[k]
        if line.kind != "prose":
            continue
        s = text[line.start : line.end]
        if _is_list_label(s):
            nxt_k = _neighbour(lines, k, 1, first)
            if nxt_k is not None and lines[nxt_k].kind == "bullet":
                line.kind = "heading"
                continue
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


#: Labels of a summing-up list, which may run longer than four words ("What we know so far:").
_SUMMARY_LABEL = re.compile(
    r"(?:the\s+)?(?:key\s+(?:points|facts|takeaways)|what\s+we\s+know(?:\s+so\s+far)?|(?:story\s+)?highlights"
    r"|at\s+a\s+glance|in\s+brief|summary|main\s+points|what\s+you\s+need\s+to\s+know):",
    re.IGNORECASE)


_SPEECH_VERBS = frozenset("said says say added adds told tells wrote writes explained explains stated states "
                          "warned warns asked asks".split())


def _is_list_label(s: str) -> bool:
    """A label ending in a colon, as a list's title: "Key points:", "Background:", "What we know so far:".

    At most four words (a longer line such as "The council listed five
    demands:" says something itself) unless it is a summing-up label.
    """
    s = s.strip()
    if not (s.endswith(":") and not s.endswith("::") and 2 <= len(s) <= 50 and s[:1].isupper()):
        return False
    words = s[:-1].split()
    if words and words[-1].casefold() in _SPEECH_VERBS:
        return False  # "He said:" introduces the words that follow
    return len(words) <= 4 or _SUMMARY_LABEL.fullmatch(s) is not None


def _find_headline_and_dateline(
    text: str, lines: list[_Line], first: int, *, headline_first: bool = False
) -> Span | None:
    """Promote the top title-like lines to headlines and find the dateline.

    ``headline_first``: the caller knows the first line is the headline (a
    web page's, from its metadata), whatever it looks like.
    """
    content = [k for k in range(first, len(lines)) if lines[k].kind in ("prose", "heading")]
    if not content:
        return None
    pos = 0
    top = lines[content[0]]
    top_text = text[top.start : top.end]
    m = _match_dateline(text, top.start, top.end)
    if headline_first:
        if content[0] == _neighbour(lines, first - 1, 1, first):
            top.kind = "headline"
            pos = 1
    elif not (m and _trim(text, m[1], top.end)[0] >= top.end):
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
    headline_first: bool = False,
) -> Source:
    """Turn decoded article text into a :class:`Source`; never raises.

    Everything that is judgement rather than I/O lives here so it can be
    tested (and fuzzed) with plain strings. A text with no content simply
    yields a Source without sentences; :func:`load_sources` decides whether
    that is an error.

    ``headline_first`` is for text Parallax built itself from a web page:
    its first line is the page's headline and there is no front matter.
    """
    try:
        return _parse(
            text, id=id, name=name, path=path, encoding=encoding, sha256=sha256, headline_first=headline_first
        )
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


def _parse(
    text: str, *, id: int, name: str, path: Path | None, encoding: str, sha256: str, headline_first: bool = False
) -> Source:
    if not isinstance(text, str):
        text = str(text)
    lines = [_Line(s, e) for s, e in _line_spans(text)]
    furniture: list[Span] = []
    first, fields = (0, {}) if headline_first else _front_matter(text, lines)
    for line in lines[:first]:
        line.kind = "front"
        if line.start < line.end:
            furniture.append(Span(text[line.start : line.end], line.start, line.end, "front matter"))
    _classify(text, lines, first)
    _mark_masthead(text, lines, first)
    _mark_issuer(text, lines, first)
    _mark_contact_blocks(text, lines, first)
    _mark_link_lists(text, lines, first)
    _mark_author_bio(text, lines, first)
    _mark_headings(text, lines, first)
    dateline = _find_headline_and_dateline(text, lines, first, headline_first=headline_first)

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
