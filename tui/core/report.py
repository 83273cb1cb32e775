"""The alignment as a page to read: what each outlet leaves out, what only it reports, where they disagree.

The CSV and JSON exports are for tools; an editor who asks "what did we miss,
and where do the numbers not add up?" wants a page. This module writes one,
in Markdown (readable as plain text, rendered anywhere) or as a
self-contained HTML page: a short summary first (sources, rows, widely
reported rows, and per outlet "leaves out K of M, reports U alone"), then the
detail -- per outlet the widely reported rows it leaves out and the rows only
it has, the discrepancies with each reading and the outlets giving it, the
rows a reader starred or noted, the manual fixes -- and at the end the
settings and sources it was made from. Outlets are named by label, and
sentences quoted, trimmed to a readable length.

Every word of an article, and of a note, is data. In Markdown each piece of
such text is backslash-escaped wherever it could start markup (``*``, ``_``,
`` ` ``, ``[``, ``<``, ``&``, ``|``, a leading ``#``...), so ``<script>`` or
``[bold]`` reads as written in any renderer, raw HTML allowed or not, and
control characters are shown as symbols. The HTML page is that Markdown
rendered by markdown-it-py with raw HTML disabled (so whatever escaping might
miss still comes out as text), inside a page with inline CSS, no scripts, and
a Content-Security-Policy that forbids any script or outside resource should
something ever slip through.

The omission rules are :mod:`tui.core.omissions`' and the discrepancies
:mod:`tui.core.compare`'s, so the report says what the reader and every
export say.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from tui import __version__
from tui.core.compare import compare_row, compare_row_flags, source_tag
from tui.core.model import Alignment, Annotation, Override, Source
from tui.core.omissions import Omissions, example, omissions
from tui.core.terminal import inert_text

__all__ = ["FORMATS", "exports_dir", "format_for", "html", "markdown", "render", "write_reports"]

#: ``parallax report --format``; without it the output file's suffix decides.
FORMATS: tuple[str, ...] = ("markdown", "html")

#: A quoted sentence longer than this is trimmed (at a word) around what matters in it.
QUOTE_LIMIT = 280

#: Characters that can start Markdown (or HTML) markup anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]<>&|~])")
#: What starts a block at the head of a line: a heading, list, quote, rule or table.
_MD_LEADING = re.compile(r"^([#+\-=>]|\d+[.)])")
#: http(s) URLs simple enough to become links (no spaces, brackets or quotes to break out of one).
_PLAIN_URL = re.compile(r"https?://[^\s<>()\[\]\"'`\\]+\Z")

#: A flag's topic as the report names it: (in a heading, in front of the readings).
_TOPICS = {
    "number": ("numbers differ", "Numbers"),
    "date": ("dates differ", "Dates"),
    "weekday": ("weekdays differ", "Weekdays"),
    "year": ("years differ", "Years"),
    "month": ("months differ", "Months"),
    "name": ("names differ", "Names"),
    "quote": ("a quote is worded differently", "Quote"),
}


def _topic(flag: object) -> tuple[str, str]:
    key = getattr(flag, "topic", "") or getattr(flag, "kind", "")
    return _TOPICS.get(key, (f"{key} differs", key.capitalize()))


# --------------------------------------------------------------------------- text


def _plain(text: str) -> str:
    """Article text as one line, as written (the reader and the CSV show it so too): controls as symbols, spaces folded."""
    return " ".join(inert_text(text).split())


def md(text: str) -> str:
    """``text`` (one line, already plain) escaped so that Markdown shows it exactly as written."""
    text = _MD_INLINE.sub(r"\\\1", text)
    lead = _MD_LEADING.match(text)
    if lead:  # "# x", "- x", "> x", "1. x": escape the character that makes it a block
        mark = lead.group(1)
        text = mark[:-1] + "\\" + mark[-1] + text[len(mark):]
    return text


def _window(text: str, focus: tuple[int, int] | None, limit: int) -> tuple[int, int]:
    """The stretch of ``text`` to quote: all of it, or about ``limit`` characters cut at spaces, holding ``focus``."""
    n = len(text)
    if n <= limit:
        return 0, n
    start = 0
    if focus is not None and focus[1] > limit - 20:
        start = max(0, min(focus[0] - limit // 3, n - limit))
        if start > 0 and text[start - 1] != " ":
            space = text.find(" ", start, focus[0] + 1)  # start at the next word, never after the focus
            start = space + 1 if space >= 0 else start
    end = start + limit
    if end >= n:
        return start, n
    space = text.rfind(" ", start, end)
    if space > start + limit // 2 and (focus is None or space >= focus[1]):
        end = space
    return start, end


def quote(text: str, marks: Sequence[str] = (), limit: int = QUOTE_LIMIT) -> str:
    """A sentence as Markdown: escaped, trimmed sensibly, with the words in ``marks`` in bold.

    ``marks`` are pieces of the sentence (a flag's spans); each is bolded
    where it first occurs. A long sentence keeps the stretch around the
    first mark, with ``…`` where it was cut.
    """
    plain = _plain(text)
    found: list[tuple[int, int]] = []
    for mark in marks:
        piece = _plain(mark)
        at = plain.find(piece) if piece else -1
        if at >= 0 and not any(a < at + len(piece) and at < b for a, b in found):
            found.append((at, at + len(piece)))
    found.sort()
    start, end = _window(plain, found[0] if found else None, limit)
    out = ["… " if start > 0 else ""]
    pos = start
    for a, b in found:
        a, b = max(a, start), min(b, end)
        if a >= b:
            continue
        out.append(md(plain[pos:a]) if pos < a else "")
        out.append("**" + md(plain[a:b]) + "**")
        pos = b
    out.append(md(plain[pos:end]))
    if end < len(plain):
        out.append(" …")
    return "".join(out)


def _name(source: Source) -> str:
    """An outlet as the report names it: its label (short), escaped."""
    return md(_plain(source_tag(source)))


def _cell(alignment: Alignment, row: int, source: int) -> str:
    """A source's part of a row as one text to quote.

    A run of body sentences reads on as one passage; a headline, heading or
    key-point bullet that shares the cell is tagged and set apart (``[headline]
    … · ``), or it would run into the sentence after it as if one.
    """
    sentences = alignment.cell_sentences(row, source)
    if len(sentences) == 1 or all(s.kind == "body" for s in sentences):
        return " ".join(s.text for s in sentences)
    parts: list[str] = []
    for i, sentence in enumerate(sentences):
        if sentence.kind != "body":
            parts.append(f"[{sentence.kind}] {sentence.text}" + (" ·" if i + 1 < len(sentences) else ""))
        else:
            parts.append(sentence.text)
    return " ".join(parts)


def _kind(alignment: Alignment, row: int, source: int) -> str:
    """`` (headline)`` and the like when a cell holds no body sentence: a heading alone is no news."""
    kinds = {sentence.kind for sentence in alignment.cell_sentences(row, source)}
    return "" if not kinds or "body" in kinds else " (" + ", ".join(sorted(kinds)) + ")"


def _names(alignment: Alignment, sources: Iterable[int]) -> str:
    return ", ".join(_name(alignment.sources[s]) for s in sources)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _headline(alignment: Alignment) -> str:
    """The story's title: the pivot's headline, else the first outlet's that has one."""
    order = [alignment.pivot, *range(len(alignment.sources))]
    for s in order:
        if 0 <= s < len(alignment.sources) and alignment.sources[s].title:
            return _plain(alignment.sources[s].title or "")
    return "the story"


# --------------------------------------------------------------------------- sections


def _summary(alignment: Alignment, model: Omissions, flagged: Sequence[int],
             annotations: Mapping[int, Annotation], fixes: Sequence[Override], session: str | None) -> list[str]:
    n = len(alignment.sources)
    wide = len(model.widely_reported)
    lines = [
        f"**{_plural(n, 'source')}, {_plural(len(alignment.rows), 'row')}, {wide} widely reported** "
        f"(by at least {model.needed} of the {n} sources). "
        + (f"Outlets disagree on a number, date, name or quote in {_plural(len(flagged), 'row')}."
           if flagged else "No row has outlets disagreeing on a number, date, name or quote."),
        "",
    ]
    for account in model.sources:
        k = account.leaves_out
        lines.append(f"- **{_name(alignment.sources[account.source])}** leaves out "
                     f"{k if k else 'none'} of {wide}, reports {account.reports_unique} alone")
    if session is not None:
        starred = sum(1 for a in annotations.values() if a.starred)
        noted = sum(1 for a in annotations.values() if not a.empty)
        lines += ["", f"Session “{md(_plain(session))}”: {_plural(noted, 'annotated row')} "
                  f"({starred} starred), {_plural(len(fixes), 'manual fix', 'manual fixes')}."]
    return lines


def _outlets(alignment: Alignment, model: Omissions) -> list[str]:
    n = len(alignment.sources)
    wide = len(model.widely_reported)
    lines = ["## What each outlet leaves out and reports alone", ""]
    for account in model.sources:
        source = alignment.sources[account.source]
        lines += [f"### {_name(source)}", ""]
        about = [f"File {md(_plain(source.name))}"]
        if source.title:
            about.append(f"*{md(_plain(source.title))}*")
        lines += [" · ".join(about), ""]
        if not account.left_out:
            lines += [f"Leaves out none of the {wide} widely reported rows.", ""]
        else:
            lines += [f"Leaves out **{account.leaves_out}** of the {wide} widely reported rows:", ""]
            for r in account.left_out:
                reporters = model.rows[r].reporters
                shown = example(alignment, r, (alignment.pivot,))
                teller = f"; as {_name(alignment.sources[shown[0]])} has it: " if shown else ""
                lines.append(f"- **Row #{r}**, reported by {len(reporters)} of {n} ({_names(alignment, reporters)})"
                             f"{teller}{quote(_cell(alignment, r, shown[0])) if shown else ''}")
            lines.append("")
        if account.elsewhere:
            lines += ["Lacks, but probably tells in another of its rows (not counted as leaving out):", ""]
            for r, other in account.elsewhere:
                lines.append(f"- **Row #{r}**, in its row #{other}: {quote(_cell(alignment, other, account.source))}")
            lines.append("")
        if not account.unique:
            lines += ["Reports no row alone.", ""]
        else:
            lines += [f"Reports **{_plural(account.reports_unique, 'row')}** no one else has:", ""]
            for r in account.unique:
                text = _cell(alignment, r, account.source)
                lines.append(f"- **Row #{r}**{_kind(alignment, r, account.source)}: {quote(text)}")
            lines.append("")
    return lines


def _discrepancies(alignment: Alignment, flagged: Sequence[int]) -> list[str]:
    lines = ["## Where the outlets disagree", ""]
    if not flagged:
        return [*lines, "No row has outlets disagreeing on a number, date, name or quote.", ""]
    for r in flagged:
        diff = compare_row(alignment, r)
        topics: list[str] = []
        for f in diff.flags:
            if _topic(f)[0] not in topics:
                topics.append(_topic(f)[0])
        lines += [f"### Row #{r}: {md(', '.join(topics))}", ""]
        marks: dict[int, list[str]] = {}
        for f in diff.flags:
            readings = " vs ".join(f"**{md(_plain(value))}** ({_names(alignment, members)})"
                                   for value, members in f.values)
            lines.append(f"- {md(_topic(f)[1])}: {readings or md(_plain(f.message))}")
            for source, _start, _end, text in f.spans:
                marks.setdefault(source, []).append(text)
        lines.append("")
        for s in alignment.rows[r].coverage:
            text = _cell(alignment, r, s)
            lines.append(f"> **{_name(alignment.sources[s])}**: {quote(text, marks.get(s, ()))}")
            lines.append(">")
        lines[-1] = ""
    return lines


def _annotated(alignment: Alignment, annotations: Mapping[int, Annotation]) -> list[str]:
    rows = [(r, a) for r, a in sorted(annotations.items()) if not a.empty and 0 <= r < len(alignment.rows)]
    lines = ["## Starred and noted rows", ""]
    if not rows:
        return [*lines, "No row is starred or noted.", ""]
    for r, a in rows:
        head = f"### {'★ ' if a.starred else ''}Row #{r}"
        if a.tags:
            head += " · tags: " + ", ".join(md(_plain(t)) for t in a.tags)
        lines += [head, ""]
        note = [" ".join(inert_text(line).split()) for line in a.note.strip().splitlines()]
        if any(note):
            # a trailing backslash is Markdown's hard line break: the note keeps its lines
            quoted = [f"> {md(line)}" if line else ">" for line in note]
            lines += [q + "\\" if q != ">" and i + 1 < len(quoted) and quoted[i + 1] != ">" else q
                      for i, q in enumerate(quoted)]
            lines.append("")
        for s in alignment.rows[r].coverage:
            lines.append(f"- **{_name(alignment.sources[s])}**: {quote(_cell(alignment, r, s))}")
        lines.append("")
    return lines


def _fixes(alignment: Alignment, fixes: Sequence[Override]) -> list[str]:
    if not fixes:
        return []
    where = alignment.row_index()
    lines = ["## Manual fixes to the alignment", ""]
    for f in fixes:
        sentence = f"sentence #{f.index} of {_name(alignment.sources[f.source])}"
        now = where.get((f.source, f.index))
        at = f" (now row #{now})" if now is not None else ""
        if f.kind == "link" and f.anchor_source is not None:
            anchor = f"sentence #{f.anchor_index} of {_name(alignment.sources[f.anchor_source])}"
            lines.append(f"- Linked {sentence} to the row of {anchor}{at}")
        else:
            lines.append(f"- Cut {sentence} out of its row{at}")
    return [*lines, ""]


def _made_from(alignment: Alignment, model: Omissions, session: str | None) -> list[str]:
    n = len(alignment.sources)
    settings = alignment.settings
    pivot = alignment.sources[alignment.pivot] if 0 <= alignment.pivot < n else None
    lines = [
        "## Made from",
        "",
        f"- Rows follow the order of **{_name(pivot) if pivot else alignment.pivot}** (the pivot)",
        f"- Threshold {settings.threshold:g}: the pair score two sentences need to share a row",
        f"- Min share {model.min_share:g}: a row is widely reported when at least {model.needed} of the "
        f"{n} sources have it; a row only one source has is unique to it, nobody's omission",
    ]
    if session is not None:
        lines.append(f"- Session “{md(_plain(session))}”: its notes, tags, stars and fixes")
    lines += [f"- Parallax {__version__}", "",
              "| # | Outlet | File | Title | Date | Sentences | sha256 |", "|---|---|---|---|---|---|---|"]
    for s in alignment.sources:
        title = md(_plain(s.title)) if s.title else ""
        if s.url and _PLAIN_URL.match(s.url):
            title = f"[{title or md(_plain(s.url))}](<{s.url}>)"
        elif s.url:
            title = f"{title} ({md(_plain(s.url))})" if title else md(_plain(s.url))
        date = md(_plain(s.date)) if s.date else ""
        lines.append(f"| {s.id} | {_name(s)} | {md(_plain(s.name))} | {title} | {date} | {len(s.sentences)} | "
                     f"{s.sha256[:12]} |")
    return [*lines, ""]


# --------------------------------------------------------------------------- documents


def markdown(
    alignment: Alignment,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    fixes: Sequence[Override] = (),
    session: str | None = None,
) -> str:
    """The report as Markdown; ``annotations``, ``fixes`` and ``session`` as for the exports."""
    annotations = annotations or {}
    model = omissions(alignment)
    flagged = [r for r in range(len(alignment.rows))
               if alignment.rows[r].count > 1 and compare_row_flags(alignment, r).flags]
    lines = [f"# What the outlets report: {md(_headline(alignment))}", ""]
    lines += _summary(alignment, model, flagged, annotations, fixes, session)
    lines.append("")
    lines += _outlets(alignment, model)
    lines += _discrepancies(alignment, flagged)
    lines += _annotated(alignment, annotations)
    lines += _fixes(alignment, fixes)
    lines += _made_from(alignment, model, session)
    return "\n".join(lines).rstrip("\n") + "\n"


_CSS = """
body { margin: 0; background: #f6f5f1; color: #1d1d1f; font: 16px/1.55 Georgia, "Times New Roman", serif; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 2.5rem 4rem; background: #fff; }
h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font: 600 1.15rem/1.3 system-ui, sans-serif; margin: 2.5rem 0 .8rem; padding-bottom: .3rem;
     border-bottom: 2px solid #1d1d1f; text-transform: uppercase; letter-spacing: .04em; }
h3 { font: 600 1.05rem/1.3 system-ui, sans-serif; margin: 1.6rem 0 .5rem; color: #333; }
ul { padding-left: 1.3rem; } li { margin: .35rem 0; }
blockquote { margin: .6rem 0; padding: .2rem 1rem; border-left: 4px solid #c9a227; background: #fbf8ee; }
strong { color: #000; }
code { font: .85em ui-monospace, monospace; background: #f0f0f0; padding: 0 .25em; }
table { border-collapse: collapse; font: .85rem/1.4 system-ui, sans-serif; width: 100%; }
th, td { border: 1px solid #ddd; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0efe9; }
a { color: #0b5394; }
"""

#: No script, no outside resource, no form, no frame: a report only shows text.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"


def html(
    alignment: Alignment,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    fixes: Sequence[Override] = (),
    session: str | None = None,
) -> str:
    """The report as one self-contained HTML page (inline CSS, no scripts)."""
    from markdown_it import MarkdownIt

    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    body = renderer.render(markdown(alignment, annotations=annotations, fixes=fixes, session=session))
    title = html_lib.escape("Parallax report: " + _headline(alignment))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
        "<meta name=\"referrer\" content=\"no-referrer\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def format_for(path: str | Path | None) -> str:
    """``html`` for a ``.html``/``.htm`` file, else ``markdown`` (stdout, ``.md`` or anything else)."""
    if path is not None and Path(path).suffix.lower() in (".html", ".htm"):
        return "html"
    return "markdown"


def render(
    alignment: Alignment,
    fmt: str,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    fixes: Sequence[Override] = (),
    session: str | None = None,
) -> str:
    """The report in format ``fmt`` (one of :data:`FORMATS`)."""
    build = html if fmt == "html" else markdown
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    return build(alignment, annotations=annotations, fixes=fixes, session=session)


def exports_dir() -> Path:
    """Where the reader writes what it exports: ``exports/`` beside the sessions folder.

    That is ``$PARALLAX_HOME/exports`` or the platform's user data folder,
    so a report written from the reader lands in one known place whatever
    folder the reader was started in.
    """
    from tui.core.session_store import sessions_dir

    return sessions_dir().parent / "exports"


def write_reports(
    folder: Path,
    stem: str,
    alignment: Alignment,
    *,
    annotations: Mapping[int, Annotation] | None = None,
    fixes: Sequence[Override] = (),
    session: str | None = None,
) -> tuple[Path, Path]:
    """Write the report as ``<stem>.md`` and ``<stem>.html`` in ``folder`` (made if missing); return both paths.

    Both are rendered before either is written, and neither ever replaces
    an existing file. What the reader's report key calls.
    """
    from tui.core.export import encodable, write_new_file

    text = encodable(markdown(alignment, annotations=annotations, fixes=fixes, session=session))
    page = encodable(html(alignment, annotations=annotations, fixes=fixes, session=session))
    folder.mkdir(parents=True, exist_ok=True)
    md_path = write_new_file(folder, stem, text, ".md")
    return md_path, write_new_file(folder, md_path.stem, page, ".html")
