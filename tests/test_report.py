"""``parallax report``: the page an editor reads, in Markdown and HTML, and hostile text kept inert in both.

The seeds and a saved session go through the real pipeline; the report's
numbers are checked against the omission model and the comparer it quotes,
and its HTML is parsed to prove nothing in it can run.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from exportkit import annotated_session
from tui.cli import main
from tui.core.compare import compare_row, source_tag
from tui.core.model import AlignSettings, Alignment, Annotation, Override, Row, Sentence, Source
from tui.core.omissions import omissions
from tui.core.report import format_for, html, markdown, quote

RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main(["report", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def _section(text: str, heading: str) -> str:
    """The body of the Markdown section that starts with ``heading`` (up to the next heading of its level)."""
    level = heading.split(" ", 1)[0]
    start = text.index(heading + "\n")
    rest = text[start + len(heading) + 1:]
    nxt = re.search(rf"^#{{1,{len(level)}}} ", rest, flags=re.M)
    return rest[: nxt.start()] if nxt else rest


class _Page(HTMLParser):
    """Every tag, attribute and piece of text of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if not self._in_style:
            self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


#: What a report page may contain: text structure, an inline style, links out.
ALLOWED_TAGS = {"html", "head", "meta", "title", "style", "body", "main", "h1", "h2", "h3", "p", "ul", "li",
                "blockquote", "strong", "em", "a", "table", "thead", "tbody", "tr", "th", "td", "br", "hr"}


def assert_inert_page(page: str) -> _Page:
    """No script, no event handler, no outside resource, no javascript: link; a CSP that forbids them anyway."""
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name not in ("src", "srcset", "action", "formaction"), (tag, name)
            if name == "href":
                assert value and re.match(r"https?://", value), value
    metas = [a for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert metas and "default-src 'none'" in (metas[0]["content"] or "")
    assert "script-src" not in (metas[0]["content"] or "")
    return parsed


# --------------------------------------------------------------------------- seeds


def test_seeds_report_summary_and_outlets_agree_with_the_omission_model(capsys, seeds_alignment):
    code, out, err = _run(capsys)
    assert code == 0, err
    model = omissions(seeds_alignment)
    wide = len(model.widely_reported)
    head = out.split("\n## ", 1)[0]
    assert f"**5 sources, {len(seeds_alignment.rows)} rows, {wide} widely reported**" in head
    for account in model.sources:
        source = seeds_alignment.sources[account.source]
        k = account.leaves_out or "none"
        assert f"- **{source_tag(source)}** leaves out {k} of {wide}, reports {account.reports_unique} alone" in head
        section = _section(out, f"### {source_tag(source)}")
        listed = [int(n) for n in re.findall(r"^- \*\*Row #(\d+)\*\*", section, flags=re.M)]
        assert listed == [*account.left_out, *(r for r, _ in account.elsewhere), *account.unique]
        for row, other in account.elsewhere:  # lacked but probably told in another row: said apart, with its row
            assert f"- **Row #{row}**, in its row #{other}: " in section
        for row in account.left_out:  # who reports it, named by label
            reporters = ", ".join(source_tag(seeds_alignment.sources[s]) for s in model.rows[row].reporters)
            assert f"**Row #{row}**, reported by {len(model.rows[row].reporters)} of 5 ({reporters})" in section


def test_seeds_report_lists_every_discrepancy_with_its_readings(capsys, seeds_alignment):
    _, out, _ = _run(capsys)
    section = _section(out, "## Where the outlets disagree")
    flagged = [r for r in range(len(seeds_alignment.rows)) if compare_row(seeds_alignment, r).flags]
    assert flagged
    assert [int(n) for n in re.findall(r"^### Row #(\d+):", section, flags=re.M)] == flagged
    for r in flagged:
        part = _section(section, next(h for h in section.splitlines() if h.startswith(f"### Row #{r}:")))
        for flag in compare_row(seeds_alignment, r).flags:
            for value, members in flag.values:
                names = ", ".join(source_tag(seeds_alignment.sources[m]) for m in members)
                assert f"**{value}** ({names})" in part
        quoted = re.findall(r"^> \*\*(\w+)\*\*: ", part, flags=re.M)
        assert quoted == [source_tag(seeds_alignment.sources[s]) for s in seeds_alignment.rows[r].coverage]


def test_seeds_report_says_what_it_was_made_from(capsys, seeds_alignment):
    _, out, _ = _run(capsys, "--min-share", "0.6", "--threshold", "0.4")
    made = _section(out, "## Made from")
    assert "Threshold 0.4" in made and "Min share 0.6" in made and "at least 3 of the 5 sources" in made
    for s in seeds_alignment.sources:
        assert f"| {s.id} | {source_tag(s)} | {s.name.replace('_', chr(92) + '_')} |" in made
        assert s.sha256[:12] in made
    assert "Starred and noted rows" in out and "No row is starred or noted." in out


def test_report_files_by_suffix(capsys, tmp_path):
    md_file, html_file = tmp_path / "r.md", tmp_path / "r.html"
    code, _, err = _run(capsys, "-o", md_file)
    assert code == 0 and f"wrote the report to {md_file}" in err
    code, _, err = _run(capsys, "-o", html_file)
    assert code == 0, err
    text = md_file.read_text(encoding="utf-8")
    assert text.startswith("# What the outlets report: ")
    page = html_file.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    parsed = assert_inert_page(page)
    assert "Where the outlets disagree" in "".join(parsed.text)
    assert format_for("x.HTM") == "html" and format_for("x.md") == "markdown" and format_for(None) == "markdown"
    code, out, _ = _run(capsys, "--format", "html")
    assert code == 0 and out.startswith("<!DOCTYPE html>")


def test_report_bad_output_is_one_line_and_exit_2(capsys, tmp_path):
    code, _, err = _run(capsys, "-o", tmp_path / "no" / "such" / "r.md")
    assert code == 2 and err.count("\n") == 1 and "does not exist" in err
    code, _, err = _run(capsys, "--session", "nonesuch")
    assert code == 2 and "nonesuch" in err and "Traceback" not in err


# --------------------------------------------------------------------------- session


def test_session_report_has_the_notes_tags_star_and_fix(capsys, tmp_path, monkeypatch, seeds_sources):
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    made = annotated_session(tmp_path, seeds_sources)
    code, out, err = _run(capsys, "--session", made.name)
    assert code == 0, err
    alignment = made.alignment
    assert f"Session “{made.name}”: 2 annotated rows (1 starred), 1 manual fix." in out
    noted = _section(out, "## Starred and noted rows")
    star = made.notes[made.from_row]
    part = _section(noted, f"### ★ Row #{made.from_row} · tags: {', '.join(star.tags)}")
    assert "> Worth a second source.\\\n> Check with the desk." in part  # a hard line break: the note keeps its lines
    members = re.findall(r"^- \*\*(\w+)\*\*: ", part, flags=re.M)
    assert members == [source_tag(alignment.sources[s]) for s in alignment.rows[made.from_row].coverage]
    plain = _section(noted, f"### Row #{made.cut_row} · tags: fixed")
    assert "> Cut: this one is about something else." in plain
    fixes = _section(out, "## Manual fixes to the alignment")
    source, index = made.cut
    assert f"- Cut sentence #{index} of {source_tag(alignment.sources[source])} out of its row (now row #{made.cut_row})" in fixes
    # the fix shows in the omissions too: the cut sentence is now a row only its outlet has
    outlet = _section(out, f"### {source_tag(alignment.sources[source])}")
    assert f"- **Row #{made.cut_row}**: " in outlet
    assert "Session “desk”: its notes, tags, stars and fixes" in _section(out, "## Made from")
    page = html(alignment, annotations={r: a for r, a in made.notes.items()}, fixes=[Override("unlink", *made.cut)],
                session=made.name)
    text = "".join(assert_inert_page(page).text)
    assert "Worth a second source." in text and "★ Row #" in text
    assert "Worth a second source.<br />\nCheck with the desk." in page


# --------------------------------------------------------------------------- hostile text

HOSTILE = [
    "Officials said <script>alert(1)</script> the toll was 23 <img src=x onerror=alert(2)> today.",
    "Officials said **the toll** was 58 [click](javascript:alert(3)) and [bold red]rising[/] \x1b[2J\x9b5n now.",
    "# Not a heading & not &amp; an entity | nor a | table ` code ` _em_ today.",
]


def _hostile() -> Alignment:
    sources = []
    for sid, sentence in enumerate(HOSTILE):
        label = ["<b>Wire</b>", "[red]Daily[/]", "Post\x1b]8;;http://evil\x07"][sid]
        sources.append(Source(id=sid, name=f"{sid}<i>.txt", label=label, text=sentence + "\n",
                              title="<script>alert('t')</script>" if sid == 0 else None,
                              url="javascript:alert(4)" if sid == 1 else None,
                              sentences=(Sentence(sid, 0, sentence, 0, len(sentence)),)))
    rows = (Row((0, 0, None), score=0.9), Row((None, None, 0)))
    return Alignment(tuple(sources), rows, AlignSettings())


def _hostile_notes() -> dict[int, Annotation]:
    return {0: Annotation(note="<script>alert(5)</script>\n# heading? [x](javascript:alert(6)) \x1b[31m",
                          tags=("<b>t</b>", "[bold]"), starred=True)}


def test_hostile_text_is_inert_in_markdown_even_where_raw_html_is_allowed():
    alignment = _hostile()
    text = markdown(alignment, annotations=_hostile_notes(), session="s<script>")
    assert not RAW_CONTROL.search(text.replace("\n", ""))
    assert "␛\\[2J" in text  # the escape shown as a symbol (and its bracket escaped)
    # a permissive renderer (raw HTML on, as many Markdown viewers have it) still makes no element of it
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)
    page = ("<html><head><meta http-equiv='Content-Security-Policy' content=\"default-src 'none'\"></head>"
            f"<body>{rendered}</body></html>")
    parsed = assert_inert_page(page)
    tags = [t for t, _ in parsed.tags]
    assert not {"script", "img", "b", "i", "code"} & set(tags)
    assert tags.count("h1") == 1  # the report's own title; the note's "# heading?" stays a line of text
    shown = "".join(parsed.text)
    assert "<script>alert(1)</script>" in shown
    assert "<img src=x onerror=alert(2)>" in shown
    assert "[click](javascript:alert(3))" in shown and "[bold red]rising[/]" in shown
    assert "**the toll**" in shown  # quoted as written, as the reader shows it
    assert "# Not a heading & not &amp; an entity | nor a | table ` code `" in shown
    assert "<b>Wire</b>" in shown and "[red]Daily[/]" in shown


def test_hostile_text_is_inert_in_html():
    alignment = _hostile()
    page = html(alignment, annotations=_hostile_notes(), session="s<script>")
    assert not RAW_CONTROL.search(page.replace("\n", ""))
    parsed = assert_inert_page(page)
    assert [t for t, _ in parsed.tags].count("script") == 0
    shown = "".join(parsed.text)
    for piece in ("<script>alert(1)</script>", "<img src=x onerror=alert(2)>", "[click](javascript:alert(3))",
                  "[bold red]rising[/]", "<script>alert(5)</script>", "<b>t</b>", "javascript:alert(4)",
                  "<script>alert('t')</script>", "Post␛]8;;http://evil␇"):
        assert piece in shown, piece
    assert "<title>Parallax report: &lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;</title>" in page


def test_report_on_an_article_with_a_script_tag(capsys, tmp_path):
    a, b, c = tmp_path / "wire.txt", tmp_path / "daily.md", tmp_path / "post.txt"
    a.write_text("Council passes budget\n\nThe council approved the budget on Monday by seven votes to two.\n\n"
                 "A resident held up a sign reading <script>alert(1)</script> during the vote.\n\n"
                 "The mayor said 40 jobs would be saved by the plan.\n", encoding="utf-8")
    b.write_text("# Budget passes\n\nThe council approved the city budget on Monday by seven votes to two.\n\n"
                 "The mayor said 45 jobs would be saved by the plan.\n\n"
                 "Critics called it <b onmouseover=alert(2)>reckless</b>.\n", encoding="utf-8")
    c.write_text("On Monday the council approved the budget, seven votes to two.\n\n"
                 "The mayor told reporters 40 jobs would be saved by the plan.\n", encoding="utf-8")
    for name in ("r.md", "r.html"):
        code, _, err = _run(capsys, a, b, c, "-o", tmp_path / name)
        assert code == 0, err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    shown = "".join(assert_inert_page(page).text)
    assert "reading <script>alert(1)</script> during" in shown
    assert "Critics called it <b onmouseover=alert(2)>reckless</b>." in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    text = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "reading \\<script\\>alert(1)\\</script\\> during" in text
    assert "- Numbers: **40** (wire, post) vs **45** (daily)" in text
    assert "> **daily**: The mayor said **45 jobs** would be saved by the plan." in text


# --------------------------------------------------------------------------- quoting


def test_long_sentences_are_trimmed_at_words_around_what_matters():
    words = " ".join(f"word{i}" for i in range(120))
    short = quote(words)
    assert short.endswith(" …") and len(short) <= 300
    assert short[:-2].split(" ") == words.split(" ")[: len(short[:-2].split(" "))]  # whole words only
    focused = quote(words, ["word110"])
    assert focused.startswith("… ") and "**word110**" in focused and "word119" in focused
    assert quote("Four days, said *the* minister.", ["Four days"]) == r"**Four days**, said \*the\* minister."


def test_a_headline_sharing_a_cell_is_tagged_and_set_apart():
    text = "Toll rises to 23"
    body = "The army said 23 soldiers died."
    other = "The toll rose to 58 soldiers, officials said."
    sources = (
        Source(0, "a.txt", "A", f"{text}\n{body}\n", (Sentence(0, 0, text, 0, len(text), "headline"),
                                                      Sentence(0, 1, body, len(text) + 1, len(text) + 1 + len(body)))),
        Source(1, "b.txt", "B", other + "\n", (Sentence(1, 0, other, 0, len(other)),)),
    )
    alignment = Alignment(sources, (Row(((0, 1), (0,)), score=0.8),), AlignSettings())
    text_md = markdown(alignment)
    # the headline does not run into the sentence after it, and the flagged words are still found
    assert r"> **A**: \[headline\] Toll rises to 23 · The army said **23 soldiers** died." in text_md
    assert "> **B**: The toll rose to **58 soldiers**, officials said." in text_md
