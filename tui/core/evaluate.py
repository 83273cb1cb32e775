"""Measure an alignment against a hand-made gold alignment.

The alignment is the product's heart, and "looks right" is not a measurement.
A gold file (see ``docs/gold-format.md``) names groups of sentences that report
the same thing by *snippets* of their text, not by sentence numbers, so one gold
stays valid while the sentence splitter changes. This module resolves those
snippets against whatever sentences ingest produced, turns the groups into
**sure** and **possible** links (as word-alignment evaluation does), and scores
a predicted alignment: precision against sure ∪ possible, recall against sure.

Nothing here imports Textual; ``ingest`` and ``align`` are imported only when
:func:`evaluate` runs, so the scorer can be used on hand-built alignments.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import NoReturn

from tui.core.errors import EvaluationError
from tui.core.model import AlignSettings, Alignment, Source

SURE = "sure"
POSSIBLE = "possible"

#: (source index, sentence index): one content sentence of the corpus
Cell = tuple[int, int]
#: two cells from different sources, in ascending order so a link has one spelling
Link = tuple[Cell, Cell]


def make_link(a: Cell, b: Cell) -> Link:
    """Order the pair so that (a, b) and (b, a) are the same link."""
    return (a, b) if a <= b else (b, a)


# --------------------------------------------------------------------------- gold


@dataclass(frozen=True, slots=True)
class GoldMember:
    """One sentence of a group, named by a snippet of its source's text."""

    source: str
    text: str
    link: str = SURE


@dataclass(frozen=True, slots=True)
class GoldGroup:
    """Sentences from several sources that report the same thing."""

    id: str
    members: tuple[GoldMember, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class GoldFurniture:
    """Page furniture that must never be aligned.

    ``whole_line`` entries match a complete line (after trimming), which is how
    bare share counters such as ``0`` are named: as substrings they occur
    everywhere, as lines they are unique.
    """

    source: str
    text: str
    whole_line: bool = False


@dataclass(frozen=True, slots=True)
class Gold:
    """A parsed gold file; ``corpus`` is already resolved against the file's folder."""

    path: Path
    story: str
    corpus: Path
    sources: tuple[str, ...]
    groups: tuple[GoldGroup, ...]
    furniture: tuple[GoldFurniture, ...] = ()


def _collapse(text: str) -> tuple[str, list[int]]:
    """Collapse runs of white space to one space, remembering original offsets.

    Scrapes wrap and indent unpredictably, and gold authors copy snippets across
    line breaks; comparing collapsed text makes "once in the source" mean what
    a reader would mean by it.
    """
    out: list[str] = []
    offsets: list[int] = []
    in_space = False
    for i, ch in enumerate(text):
        if ch.isspace():
            if not in_space:
                out.append(" ")
                offsets.append(i)
            in_space = True
        else:
            out.append(ch)
            offsets.append(i)
            in_space = False
    return "".join(out), offsets


def _find_all(haystack: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``haystack``, overlapping ones included."""
    found: list[int] = []
    at = haystack.find(needle)
    while at != -1:
        found.append(at)
        at = haystack.find(needle, at + 1)
    return found


def locate_snippet(text: str, snippet: str) -> list[tuple[int, int]]:
    """Spans ``[start, end)`` in ``text`` of each occurrence of ``snippet``.

    Matching ignores differences in white space; the spans point into the
    original, uncollapsed text so they compare with sentence offsets.
    """
    needle, _ = _collapse(snippet.strip())
    if not needle:
        return []
    hay, offsets = _collapse(text)
    return [(offsets[i], offsets[i + len(needle) - 1] + 1) for i in _find_all(hay, needle)]


def locate_line(text: str, line: str) -> list[tuple[int, int]]:
    """Spans of the lines of ``text`` that equal ``line`` once trimmed (white space collapsed)."""
    wanted, _ = _collapse(line.strip())
    spans: list[tuple[int, int]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        stripped = body.strip()
        if stripped and _collapse(stripped)[0] == wanted:
            start = pos + (len(body) - len(body.lstrip()))
            spans.append((start, start + len(stripped)))
        pos += len(raw)
    return spans


def _furniture_spans(text: str, item: GoldFurniture) -> list[tuple[int, int]]:
    return locate_line(text, item.text) if item.whole_line else locate_snippet(text, item.text)


def _short(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _read_text(path: Path) -> str:
    """Decode a corpus file well enough to validate snippets.

    The authoritative text is ``Source.text`` from ingest, against which links
    are resolved again; this only lets :func:`load_gold` fail early and clearly.
    """
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _require(cond: bool, where: Path, message: str) -> None:
    if not cond:
        _fail(where, message)


def _fail(where: Path, message: str) -> NoReturn:
    raise EvaluationError(f"gold {where}: {message}")


def _parse_gold(path: Path, data: object) -> Gold:
    """Check the JSON shape; every complaint names the group or entry at fault."""
    _require(isinstance(data, dict), path, "expected a JSON object at the top level")
    assert isinstance(data, dict)
    story = data.get("story", path.stem)
    _require(isinstance(story, str), path, '"story" must be a string')
    corpus = data.get("corpus")
    if not (isinstance(corpus, str) and corpus):
        _fail(path, '"corpus" must be a folder path (string)')
    sources = data.get("sources")
    if not (isinstance(sources, list) and len(sources) >= 2 and all(isinstance(s, str) for s in sources)):
        _fail(path, '"sources" must list at least two file names')
    _require(len(set(sources)) == len(sources), path, '"sources" names a file twice')
    known = set(sources)

    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list):
        _fail(path, '"groups" must be a list')
    groups: list[GoldGroup] = []
    seen_ids: set[str] = set()
    for n, g in enumerate(raw_groups):
        _require(isinstance(g, dict), path, f"group #{n + 1} is not an object")
        gid = g.get("id")
        _require(isinstance(gid, str) and bool(gid), path, f"group #{n + 1} has no string id")
        _require(gid not in seen_ids, path, f'group id "{gid}" is used twice')
        seen_ids.add(gid)
        raw_members = g.get("members")
        _require(isinstance(raw_members, list), path, f'group "{gid}": "members" must be a list')
        members: list[GoldMember] = []
        for m in raw_members:
            _require(isinstance(m, dict), path, f'group "{gid}": a member is not an object')
            src, text, link = m.get("source"), m.get("text"), m.get("link")
            _require(src in known, path, f'group "{gid}": member source {src!r} is not in "sources"')
            _require(
                isinstance(text, str) and bool(text.strip()), path, f'group "{gid}": a member has no "text"'
            )
            _require(
                link in (SURE, POSSIBLE),
                path,
                f'group "{gid}": member "{_short(text)}" needs "link": "sure" or "possible", got {link!r}',
            )
            members.append(GoldMember(source=src, text=text, link=link))
        _require(
            len({m.source for m in members}) >= 2,
            path,
            f'group "{gid}": needs members from at least two sources',
        )
        note = g.get("note", "")
        groups.append(GoldGroup(id=gid, members=tuple(members), note=note if isinstance(note, str) else ""))

    raw_furniture = data.get("furniture", [])
    _require(isinstance(raw_furniture, list), path, '"furniture" must be a list')
    furniture: list[GoldFurniture] = []
    for f in raw_furniture:
        _require(isinstance(f, dict), path, "a furniture entry is not an object")
        src = f.get("source")
        _require(src in known, path, f'furniture source {src!r} is not in "sources"')
        has_text, has_line = "text" in f, "line" in f
        _require(has_text != has_line, path, f'furniture in {src}: give exactly one of "text" or "line"')
        value = f["text"] if has_text else f["line"]
        _require(isinstance(value, str) and bool(value.strip()), path, f"furniture in {src}: empty text")
        furniture.append(GoldFurniture(source=src, text=value, whole_line=has_line))

    return Gold(
        path=path,
        story=story,
        corpus=(path.parent / corpus).resolve(),
        sources=tuple(sources),
        groups=tuple(groups),
        furniture=tuple(furniture),
    )


def _check_unique(path: Path, what: str, name: str, snippet: str, spans: list[tuple[int, int]]) -> None:
    if not spans:
        raise EvaluationError(f'gold {path}: {what}: snippet "{_short(snippet)}" not found in {name}')
    if len(spans) > 1:
        raise EvaluationError(
            f'gold {path}: {what}: snippet "{_short(snippet)}" occurs {len(spans)} times in {name}; '
            "make it longer so it names one sentence"
        )


def load_gold(path: Path, *, check_corpus: bool = True) -> Gold:
    """Read and validate a gold file.

    With ``check_corpus`` every listed source must exist in the corpus folder
    and every snippet must occur exactly once in it; ``evaluate`` turns this off
    when the caller supplies the corpus from elsewhere (snippets are then
    checked against the sources actually loaded).
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise EvaluationError(f"gold file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EvaluationError(f"cannot read gold file {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise EvaluationError(f"gold {path} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    except RecursionError:  # [[[[... thousands deep: the parser gives up, in one line not a traceback
        raise EvaluationError(f"gold {path} is nested too deeply to be a gold file") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise EvaluationError(f"gold {path} is not valid JSON: {' '.join(str(exc).split()[:12])}") from None
    gold = _parse_gold(path, data)
    if check_corpus:
        texts: dict[str, str] = {}
        for name in gold.sources:
            file = gold.corpus / name
            if not file.is_file():
                raise EvaluationError(f"gold {path}: source {name} not found in {gold.corpus}")
            texts[name] = _read_text(file)
        for group in gold.groups:
            for m in group.members:
                spans = locate_snippet(texts[m.source], m.text)
                _check_unique(path, f'group "{group.id}"', m.source, m.text, spans)
        for f in gold.furniture:
            _check_unique(path, "furniture", f.source, f.text, _furniture_spans(texts[f.source], f))
    return gold


# ---------------------------------------------------------------- resolving links


class _SentenceIndex:
    """Find the content sentence covering a character offset of one source."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._sentences = sorted(source.sentences, key=lambda s: s.start)
        self._starts = [s.start for s in self._sentences]

    def at(self, offset: int) -> int | None:
        i = bisect.bisect_right(self._starts, offset) - 1
        if i >= 0 and self._sentences[i].start <= offset < self._sentences[i].end:
            return self._sentences[i].index
        return None

    def overlapping(self, start: int, end: int) -> list[int]:
        return [s.index for s in self._sentences if s.start < end and start < s.end]

    def describe(self, offset: int) -> str:
        """Say where a non-content offset fell, so a gold author knows what to fix."""
        dl = self.source.dateline
        if dl is not None and dl.start <= offset < dl.end:
            return f'in the dateline "{_short(dl.text)}"'
        for span in self.source.furniture:
            if span.start <= offset < span.end:
                return f'in furniture "{_short(span.text)}"'
        return "outside every content sentence"


def _sources_by_name(gold: Gold, sources: Sequence[Source]) -> dict[str, int]:
    index = {s.name: i for i, s in enumerate(sources)}
    missing = [n for n in gold.sources if n not in index]
    if missing:
        raise EvaluationError(
            f"gold {gold.path}: source {missing[0]} is not among the loaded sources "
            f"({len(missing)} missing)"
        )
    return {n: index[n] for n in gold.sources}


def _resolve(gold: Gold, where: str, source: Source, snippet: str) -> tuple[int, int]:
    spans = locate_snippet(source.text, snippet)
    _check_unique(gold.path, where, source.name, snippet, spans)
    return spans[0]


def gold_links(gold: Gold, sources: Sequence[Source]) -> tuple[set[Link], set[Link]]:
    """Turn the gold's groups into (sure, possible) links between loaded sentences.

    A member names the content sentence holding its snippet's first character.
    A *sure* member that falls outside content (furniture, dateline) is an
    error: the gold says it must be aligned, so ingest and gold disagree. A
    *possible* member there is skipped, since leaving it unaligned is allowed
    anyway. A pair of sentences named by several groups keeps its strongest
    link, so ``possible`` never overlaps ``sure``.
    """
    by_name = _sources_by_name(gold, sources)
    indexes = {name: _SentenceIndex(sources[i]) for name, i in by_name.items()}
    sure: set[Link] = set()
    possible: set[Link] = set()
    for group in gold.groups:
        where = f'group "{group.id}"'
        cells: list[tuple[Cell, str]] = []
        for m in group.members:
            idx = indexes[m.source]
            start, _ = _resolve(gold, where, idx.source, m.text)
            sentence = idx.at(start)
            if sentence is None:
                if m.link == POSSIBLE:
                    continue
                raise EvaluationError(
                    f'gold {gold.path}: {where}: snippet "{_short(m.text)}" in {m.source} is '
                    f"{idx.describe(start)}, not in a content sentence"
                )
            cells.append(((by_name[m.source], sentence), m.link))
        for (a, la), (b, lb) in combinations(cells, 2):
            if a[0] == b[0]:
                continue
            link = make_link(a, b)
            (sure if la == SURE and lb == SURE else possible).add(link)
    return sure, possible - sure


def predicted_links(alignment: Alignment) -> set[Link]:
    """Every pair of sentences of different sources that share a row: what a reader sees as "the same".

    A cell holding several sentences of one source links each of them with
    every sentence of the other sources in the row; sentences of one source
    give no link with each other (the gold has none to compare with).
    """
    links: set[Link] = set()
    for row in alignment.rows:
        members = row.members
        links.update(make_link(a, b) for a, b in combinations(members, 2) if a[0] != b[0])
    return links


# ---------------------------------------------------------------------- scoring


@dataclass(frozen=True, slots=True)
class LinkDetail:
    """A link spelled out in text, for reading what went wrong."""

    link: Link
    left: str
    right: str

    def __str__(self) -> str:
        return f"{self.left}\n    <-> {self.right}"


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Scores of one alignment against one gold, with the errors to look at."""

    story: str
    sources: int
    groups: int
    sure: int
    possible: int
    predicted: int
    #: predicted links found in sure ∪ possible
    correct: int
    #: predicted links found in sure
    correct_sure: int
    precision: float
    recall: float
    f1: float
    furniture: int
    #: furniture lines sitting in a content sentence that shares a row
    furniture_aligned: int
    #: furniture lines sitting in a content sentence at all
    furniture_as_content: int
    false_positives: tuple[LinkDetail, ...] = field(default=())
    missed: tuple[LinkDetail, ...] = field(default=())
    #: sources loaded but not named by the gold; their links are not scored
    unscored_sources: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        lines = [
            f"{self.story}: {self.sources} sources, {self.groups} groups, "
            f"{self.sure} sure + {self.possible} possible gold links",
            f"predicted {self.predicted} links: {self.correct} in gold ({self.correct_sure} sure), "
            f"{len(self.false_positives)} wrong, {len(self.missed)} sure links missed",
            f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}",
            f"furniture: {self.furniture_aligned} of {self.furniture} aligned, "
            f"{self.furniture_as_content} kept as content",
        ]
        if self.unscored_sources:
            lines.append(f"not scored (not in the gold): {', '.join(self.unscored_sources)}")
        return "\n".join(lines)


def _detail(link: Link, sources: Sequence[Source]) -> LinkDetail:
    def cell(c: Cell) -> str:
        src = sources[c[0]]
        return f"[{src.name} #{c[1]}] {_short(src.sentences[c[1]].text, 100)}"

    return LinkDetail(link=link, left=cell(link[0]), right=cell(link[1]))


def _ratio(num: int, den: int) -> float:
    """Empty denominators score 1.0: predicting nothing makes no wrong link, and
    a gold with no sure links cannot be missed."""
    return num / den if den else 1.0


def score(gold: Gold, alignment: Alignment) -> EvalReport:
    """Compare an alignment with the gold.

    Precision counts a predicted link as right when it is sure or possible;
    recall only asks for the sure ones. Links touching a source the gold does
    not name are left out, since the gold cannot judge them.
    """
    sources = alignment.sources
    by_name = _sources_by_name(gold, sources)
    scored = set(by_name.values())
    sure, possible = gold_links(gold, sources)
    gold_all = sure | possible
    predicted = {lk for lk in predicted_links(alignment) if lk[0][0] in scored and lk[1][0] in scored}
    correct = predicted & gold_all
    correct_sure = predicted & sure
    precision = _ratio(len(correct), len(predicted))
    recall = _ratio(len(correct_sure), len(sure))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    shared: set[Cell] = set()
    for row in alignment.rows:
        if row.count >= 2:
            shared.update(row.members)
    aligned = as_content = 0
    for item in gold.furniture:
        src_i = by_name[item.source]
        spans = _furniture_spans(sources[src_i].text, item)
        _check_unique(gold.path, "furniture", item.source, item.text, spans)
        hits = _SentenceIndex(sources[src_i]).overlapping(*spans[0])
        as_content += bool(hits)
        aligned += any((src_i, h) in shared for h in hits)

    return EvalReport(
        story=gold.story,
        sources=len(gold.sources),
        groups=len(gold.groups),
        sure=len(sure),
        possible=len(possible),
        predicted=len(predicted),
        correct=len(correct),
        correct_sure=len(correct_sure),
        precision=precision,
        recall=recall,
        f1=f1,
        furniture=len(gold.furniture),
        furniture_aligned=aligned,
        furniture_as_content=as_content,
        false_positives=tuple(_detail(lk, sources) for lk in sorted(predicted - gold_all)),
        missed=tuple(_detail(lk, sources) for lk in sorted(sure - predicted)),
        unscored_sources=tuple(s.name for i, s in enumerate(sources) if i not in scored),
    )


def evaluate(
    gold_path: Path,
    settings: AlignSettings | None = None,
    paths: Sequence[Path] | None = None,
) -> EvalReport:
    """Load the gold's corpus (or ``paths`` instead), align it and score it.

    Without ``paths`` only the files the gold lists are loaded, in its order,
    so stray files in the corpus folder cannot change the score.
    """
    from tui.core.align import align
    from tui.core.ingest import load_sources

    gold = load_gold(Path(gold_path), check_corpus=paths is None)
    files: Iterable[Path] = [Path(p) for p in paths] if paths else [gold.corpus / n for n in gold.sources]
    sources = load_sources(list(files))
    return score(gold, align(sources, settings or AlignSettings()))
