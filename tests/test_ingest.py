"""Ingest: decoding, bad inputs, front matter, headline/dateline/body, furniture, the seeds."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core import ingest
from tui.core.ingest import files, structure
from tui.core.errors import IngestError
from tui.core.ingest import decode, furniture_reason, load_sources, parse_source
from tui.core.model import KIND_BODY, KIND_BULLET, KIND_HEADING, KIND_HEADLINE, Source
from tui.core.seeds import seeds_dir

SEEDS = seeds_dir()
SEED_FILES = sorted(SEEDS.glob("*.txt"))

# Page furniture the brief lists; none of it may ever end up inside a sentence.
FURNITURE_STRINGS = [
    "LEAVE A REPLY",
    "Please enter your comment!",
    "Please enter your name here",
    "Related Posts",
    "Top 5 This Week",
    "Popular Articles",
    "Read More:",
    "25 C",
    "Tuesday, November 11, 2025",
]


@pytest.fixture(scope="module")
def seeds() -> dict[str, Source]:
    return {s.name: s for s in load_sources([SEEDS])}


def seed(seeds: dict[str, Source], prefix: str) -> Source:
    return next(s for name, s in seeds.items() if name.startswith(prefix))


def texts(source: Source, kind: str | None = None) -> list[str]:
    return [s.text for s in source.sentences if kind is None or s.kind == kind]


def assert_offsets(source: Source) -> None:
    for s in source.sentences:
        assert source.text[s.start : s.end] == s.text
        assert s.text.strip() == s.text and s.text
    for f in source.furniture:
        assert source.text[f.start : f.end] == f.text
    if source.dateline is not None:
        d = source.dateline
        assert source.text[d.start : d.end] == d.text
    assert [s.index for s in source.sentences] == list(range(len(source.sentences)))
    starts = [s.start for s in source.sentences]
    assert starts == sorted(starts)
    for a, b in zip(source.sentences, source.sentences[1:]):
        assert a.end <= b.start


# -- decoding -----------------------------------------------------------------


def test_decode_utf8():
    assert decode("Türkiye’s “talks”".encode()) == ("Türkiye’s “talks”", "utf-8")


def test_decode_utf8_bom_is_removed():
    text, encoding = decode(b"\xef\xbb\xbf" + "Café talks.".encode())
    assert text == "Café talks."
    assert encoding == "utf-8-sig"


def test_decode_cp1252_curly_quotes():
    text, encoding = decode(b"\x93Caf\xe9 talks\x94 failed.")
    assert text == "“Café talks” failed."
    assert encoding == "cp1252"


def test_decode_latin1():
    text, encoding = decode("Café in Zürich, naïve façade.".encode("latin-1"))
    assert text == "Café in Zürich, naïve façade."
    assert encoding in {"latin-1", "cp1252"}


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 4,
        b"\x01\x02\x03\x04\x05\x06\x07\x08 text \x0e\x0f\x10\x11\x12\x13\x14\x15\x16",
    ],
)
def test_decode_rejects_binary(data):
    with pytest.raises(IngestError):
        decode(data)


# -- loading and bad inputs ------------------------------------------------------


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


@pytest.mark.parametrize(
    ("raw", "expected", "encoding"),
    [
        ("The talks failed. Türkiye mediated.".encode(), "Türkiye mediated.", "utf-8"),
        (b"\xef\xbb\xbfThe talks failed. T\xc3\xbcrkiye mediated.", "Türkiye mediated.", "utf-8-sig"),
        (b"The \x93talks\x94 failed. Caf\xe9 owners mediated.", "Café owners mediated.", "cp1252"),
        (b"The talks failed. Caf\xe9 owners mediated.", "Café owners mediated.", None),
    ],
)
def test_load_each_encoding(tmp_path, raw, expected, encoding):
    path = write(tmp_path / "a.txt", raw)
    (source,) = load_sources([path])
    assert texts(source)[-1] == expected
    assert not source.text.startswith("\ufeff")
    if encoding:
        assert source.encoding == encoding
    assert source.sha256 == hashlib.sha256(raw).hexdigest()
    assert source.path == path
    assert_offsets(source)


def test_missing_path(tmp_path):
    with pytest.raises(IngestError, match="nope.txt"):
        load_sources([tmp_path / "nope.txt"])


def test_empty_folder(tmp_path):
    with pytest.raises(IngestError, match=str(tmp_path.name)):
        load_sources([tmp_path])


def test_folder_with_only_an_image(tmp_path):
    write(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(IngestError):
        load_sources([tmp_path])


def test_binary_file(tmp_path):
    path = write(tmp_path / "data.txt", b"\x00\x01\x02binary\x00\xff" * 20)
    with pytest.raises(IngestError, match="data.txt"):
        load_sources([path])


def test_empty_file(tmp_path):
    path = write(tmp_path / "empty.txt", b"")
    with pytest.raises(IngestError, match="empty.txt"):
        load_sources([path])


def test_whitespace_only_file(tmp_path):
    path = write(tmp_path / "blank.txt", " \n\n\t \r\n\u00a0\n")
    with pytest.raises(IngestError, match="blank.txt"):
        load_sources([path])


def test_furniture_only_file(tmp_path):
    path = write(tmp_path / "junk.txt", "LEAVE A REPLY\n\nPlease enter your comment!\n11\n0\nRelated Posts\n")
    with pytest.raises(IngestError, match="junk.txt"):
        load_sources([path])


def test_too_large_file(tmp_path):
    path = write(tmp_path / "big.txt", "The talks failed. " * 100)
    with pytest.raises(IngestError, match="big.txt"):
        load_sources([path], max_bytes=1000)
    assert load_sources([path], max_bytes=10_000)


def test_unreadable_file(tmp_path):
    path = write(tmp_path / "locked.txt", "The talks failed.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        with pytest.raises(IngestError, match="locked.txt"):
            load_sources([path])
    finally:
        path.chmod(0o644)


def test_errors_are_one_line(tmp_path):
    with pytest.raises(IngestError) as info:
        load_sources([tmp_path / "missing\u00a0dir" / "x.txt"])
    assert "\n" not in str(info.value)


def test_folder_order_recursion_hidden_and_extensions(tmp_path):
    write(tmp_path / "b.md", "Bravo says the talks failed.")
    write(tmp_path / "a.txt", "Alpha says the talks failed.")
    write(tmp_path / "notes.csv", "not,an,article")
    write(tmp_path / ".hidden.txt", "Hidden says the talks failed.")
    write(tmp_path / ".git" / "c.txt", "Git says the talks failed.")
    write(tmp_path / "sub" / "c.txt", "Charlie says the talks failed.")
    sources = load_sources([tmp_path])
    assert [s.name for s in sources] == ["a.txt", "b.md", "c.txt"]
    assert [s.id for s in sources] == [0, 1, 2]
    assert texts(sources[2]) == ["Charlie says the talks failed."]


def test_explicit_file_is_read_whatever_its_extension(tmp_path):
    path = write(tmp_path / "story.html.bak", "The talks failed on Wednesday.")
    (source,) = load_sources([path])
    assert texts(source) == ["The talks failed on Wednesday."]


def test_ids_follow_the_given_order(tmp_path):
    a = write(tmp_path / "a.txt", "Alpha reported it.")
    b = write(tmp_path / "b.txt", "Bravo reported it.")
    assert [s.name for s in load_sources([b, a])] == ["b.txt", "a.txt"]


def test_clashing_names_are_disambiguated_by_folder(tmp_path):
    a = write(tmp_path / "a" / "x.txt", "Alpha reported it.")
    b = write(tmp_path / "b" / "x.txt", "Bravo reported it.")
    c = write(tmp_path / "y.txt", "Charlie reported it.")
    names = [s.name for s in load_sources([a, b, c])]
    assert names == ["a/x.txt", "b/x.txt", "y.txt"]
    assert [s.name for s in load_sources([c, c])] == ["y.txt"]  # the same file twice is one source


def test_a_file_given_twice_is_read_once_whatever_the_path(tmp_path, monkeypatch):
    """a.txt ./a.txt, a symlink, and a folder holding it: one source, each repeat reported."""
    monkeypatch.chdir(tmp_path)
    a = write(tmp_path / "f" / "a.txt", "Alpha reported it.")
    b = write(tmp_path / "b.txt", "Bravo reported it.")
    link = tmp_path / "link.txt"
    link.symlink_to(a)
    skipped: list[tuple[Path, Path]] = []
    sources = load_sources(
        [a, "f/./a.txt", tmp_path / "f" / ".." / "f" / "a.txt", link, tmp_path / "f", b],
        on_duplicate=lambda dup, kept: skipped.append((dup, kept)),
    )
    assert [s.name for s in sources] == ["a.txt", "b.txt"]
    assert [s.id for s in sources] == [0, 1]
    assert len(skipped) == 4 and all(kept == a for _, kept in skipped)
    assert load_sources([b, a, a])[1].path == a  # the first mention wins, in its position


def test_names_never_start_with_the_root(tmp_path):
    """Names grown to full length (identical paths) are folder/name, never "//tmp/..."."""
    names = files._unique_names([tmp_path / "x.txt", tmp_path / "x.txt"])
    assert all(not n.startswith(("/", "\\")) for n in names), names
    assert names[0].endswith("x.txt") and names[0] != names[1]


# -- Markdown --------------------------------------------------------------------


@pytest.mark.parametrize("line", ["*By Jane Doe*", "_By Jane Doe_", "**By Jane Doe**", "By Jane Doe",
                                  "*By Jane Doe, Reuters*"])
def test_markdown_bylines_are_furniture(line):
    assert furniture_reason(line) == "byline"
    assert furniture_reason("*By the river the town flooded.*") is None  # a sentence, not a byline


@pytest.mark.parametrize(("line", "reason"), [
    ("*Opinion | By Jane Doe*", "section label"),
    ("*Opinion*", "section label"),
    ("_The views expressed are her own._", "disclaimer"),
])
def test_emphasis_round_a_whole_line_does_not_hide_its_furniture(line, reason):
    assert furniture_reason(line) == furniture_reason(line.strip("*_")) == reason
    assert furniture_reason("*The company said it would appeal.*") is None  # emphasised prose stays content


def test_an_opinion_strip_names_the_writer_whose_closing_note_is_furniture():
    body = "\n\n".join(f"The council met for the {n} time on the plan." for n in ("first", "second", "third"))
    text = ("# Grit the hill\n\n*Opinion | By Jane Doe*\n\n" + body
            + "\n\n*Jane Doe is a former county councillor. The views expressed are her own.*\n")
    source = parse_source(text, name="a.md")
    assert [s.text for s in source.sentences][1:] == [
        f"The council met for the {n} time on the plan." for n in ("first", "second", "third")]
    assert [f.reason for f in source.furniture] == ["section label", "author bio"]


def test_blockquote_marker_is_not_part_of_the_sentence():
    text = ("# Bridge closes after crack\n\n*By Jane Doe*\n\n"
            "The bridge closed on **Monday** after engineers found a [crack](http://x.com/c).\n\n"
            '> "It is not safe," the mayor said.\n>\n> > Traffic was diverted.\n')
    source = parse_source(text, name="a.md")
    texts = [s.text for s in source.sentences]
    assert texts == [
        "Bridge closes after crack",
        "The bridge closed on **Monday** after engineers found a [crack](http://x.com/c).",
        '"It is not safe," the mayor said.',
        "Traffic was diverted.",
    ]
    assert all(text[s.start : s.end] == s.text for s in source.sentences)  # offsets stay exact
    assert [f.reason for f in source.furniture] == ["byline"]


@pytest.mark.parametrize(("raw", "shown"), [
    ("He **said** the [bridge](http://x.com/a_(b)) was *closed* and _shut_.", "He said the bridge was closed and shut."),
    ("***Both*** and `code` and ![a photo](p.png)", "Both and code and a photo"),
    ("a quote\n> continued", "a quote continued"),
    ("snake_case_name and 5 * 3 * 2 stay", "snake_case_name and 5 * 3 * 2 stay"),
    ("plain text", "plain text"),
])
def test_display_text_strips_inline_markdown(raw, shown):
    assert ingest.display_text(raw) == shown


# -- front matter ----------------------------------------------------------------


def test_front_matter_gives_label_title_url_and_is_not_content():
    text = "Source: Dawn\nTitle: Talks collapse\nURL: https://example.com/x\nDate: 2025-10-29\n\nThe talks failed."
    source = parse_source(text, name="dawn.txt")
    assert source.label == "Dawn"
    assert source.title == "Talks collapse"
    assert source.url == "https://example.com/x"
    assert source.date == "2025-10-29"
    assert texts(source) == ["The talks failed."]
    assert all(f.reason == "front matter" for f in source.furniture)
    assert_offsets(source)


def test_front_matter_between_fences_case_insensitive():
    text = "---\nsource: Reuters\ntitle: Talks fail\n---\n\nThe talks failed."
    source = parse_source(text, name="r.txt")
    assert (source.label, source.title) == ("Reuters", "Talks fail")
    assert texts(source) == ["The talks failed."]


def test_label_defaults_to_stem():
    assert parse_source("The talks failed.", name="000_abc.txt").label == "000_abc"


def test_colon_line_that_is_not_front_matter_stays_content():
    source = parse_source("Reason: nobody trusted the other side.\n\nThe talks failed.")
    assert "The talks failed." in texts(source)
    assert any("nobody trusted" in t for t in texts(source))


# -- structure ---------------------------------------------------------------------


def test_headline_heading_bullets_and_dateline_prefix():
    text = (
        "Talks Collapse As Border Clashes Flare\n\n"
        "Key Takeaways\n"
        "- Talks failed.\n"
        "• Ceasefire holds.\n"
        "1. Trade stopped.\n\n"
        "KABUL, Oct 29 (Reuters) - The talks failed on Wednesday. Both sides left.\n\n"
        "Background\n\n"
        "The fighting began in October.\n"
    )
    source = parse_source(text)
    assert source.title == "Talks Collapse As Border Clashes Flare"
    assert source.sentences[0].kind == KIND_HEADLINE
    assert texts(source, KIND_HEADING) == ["Key Takeaways", "Background"]
    assert texts(source, KIND_BULLET) == ["Talks failed.", "Ceasefire holds.", "Trade stopped."]
    assert source.dateline is not None and source.dateline.text == "KABUL, Oct 29 (Reuters) -"
    assert "The talks failed on Wednesday." in texts(source, KIND_BODY)
    assert not any("KABUL" in t for t in texts(source))
    assert_offsets(source)


@pytest.mark.parametrize("label", ["What we know:", "Key points:", "Background:", "What we know so far:"])
def test_a_label_ending_in_a_colon_over_a_list_is_a_heading_not_content(label):
    # the digest's "What we know:" names the bullets under it and reports nothing itself;
    # as a body sentence it was a row of its own that only this outlet "reports"
    text = f"Bus Overturns On Icy Hill\n\nA bus overturned on Monday.\n\n{label}\n\n- 30 children were hurt\n- No one was killed\n"
    source = parse_source(text)
    assert texts(source, KIND_HEADING) == [label]
    assert texts(source, KIND_BULLET) == ["30 children were hurt", "No one was killed"]
    assert label not in texts(source, KIND_BODY)
    assert_offsets(source)


@pytest.mark.parametrize("line", ["The council listed five demands:", "He said:"])
def test_a_colon_line_that_says_something_or_leads_no_list_stays_content(line):
    listed = parse_source(f"{line}\n- Safer crossings\n- Lower speed limits\n")
    quoted = parse_source("Bus overturns.\n\nHe said:\n\nIt was terrifying for everyone on board.\n")
    assert line in texts(listed, KIND_BODY)
    assert "He said:" in texts(quoted, KIND_BODY)


@pytest.mark.parametrize(
    ("opening", "dateline"),
    [
        ("ISLAMABAD: Pakistan warned Kabul.", "ISLAMABAD:"),
        ("Islamabad: Pakistan warned Kabul.", "Islamabad:"),
        ("WASHINGTON (AP) — Pakistan warned Kabul.", "WASHINGTON (AP) —"),
        ("Islamabad, Oct 29 (NationPress) - On Wednesday, Pakistan warned Kabul.", "Islamabad, Oct 29 (NationPress) -"),
    ],
)
def test_dateline_prefix_is_cut_from_the_first_sentence(opening, dateline):
    source = parse_source(opening + "\nKabul denied it.")
    assert source.dateline is not None and source.dateline.text == dateline
    assert source.sentences[0].start >= source.dateline.end
    assert not texts(source)[0].startswith(dateline)
    assert_offsets(source)


def test_dash_inside_a_sentence_is_not_a_dateline():
    source = parse_source("Khawaja Asif — the defence minister — said the talks failed.")
    assert source.dateline is None
    assert texts(source) == ["Khawaja Asif — the defence minister — said the talks failed."]


def test_markdown_headings_lose_their_markup():
    text = "# Talks Collapse In Istanbul\n\nThe talks failed.\n\n## **Background**\n\nThe fighting began."
    source = parse_source(text, name="story.md")
    assert source.title == "Talks Collapse In Istanbul"
    assert source.sentences[0].kind == KIND_HEADLINE
    assert texts(source, KIND_HEADING) == ["Background"]
    assert_offsets(source)


def test_standalone_dateline_line_without_separator():
    source = parse_source("Talks Collapse In Istanbul\n\nISLAMABAD, Oct 29\n\nThe talks failed.")
    assert source.dateline is not None and source.dateline.text == "ISLAMABAD, Oct 29"
    assert texts(source) == ["Talks Collapse In Istanbul", "The talks failed."]


def test_one_word_opening_line_is_not_a_headline():
    source = parse_source("Background\n\nThe talks failed.")
    assert source.title is None
    assert source.sentences[0].kind == KIND_HEADING


def test_bylines_and_credits_are_furniture():
    source = parse_source("By Staff Reporter\n\nThe talks failed.\n\nReporting by Asif Shahzad; Editing by Jane Doe")
    assert texts(source) == ["The talks failed."]
    assert {f.reason for f in source.furniture} == {"byline", "credits"}


def test_furniture_sentence_at_the_end_of_a_paragraph():
    source = parse_source("The talks failed. Share this article.")
    assert texts(source) == ["The talks failed."]
    assert [f.text for f in source.furniture] == ["Share this article."]


def test_hard_wrapped_paragraph_is_joined():
    text = "The talks between Pakistan and\nAfghanistan ended on Wednesday without\nany agreement. Both left.\n"
    source = parse_source(text)
    assert texts(source, KIND_BODY) == [
        "The talks between Pakistan and\nAfghanistan ended on Wednesday without\nany agreement.",
        "Both left.",
    ]


def test_crlf_and_cr_line_ends_keep_offsets():
    for eol in ("\r\n", "\r"):
        text = eol.join(["Talks Collapse In Istanbul", "", "The talks failed.", "", "LEAVE A REPLY", ""])
        source = parse_source(text)
        assert texts(source) == ["Talks Collapse In Istanbul", "The talks failed."]
        assert [f.text for f in source.furniture] == ["LEAVE A REPLY"]
        assert_offsets(source)


# -- furniture -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Leave a comment",
        "LEAVE A REPLY",
        "Please enter your comment!",
        "Please enter your name here",
        "You have entered an incorrect email address!",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Related Articles",
        "Related Posts",
        "Top 10 This Week",
        "Popular Articles",
        "Most Read",
        "Read More: Talks resume in Doha after a pause",
        "Also Read: Ceasefire holds along the border",
        "READ MORE",
        "11",
        "1.2K Shares",
        "Share",
        "Tweet",
        "Facebook Twitter WhatsApp",
        "Share on Facebook",
        "Advertisement",
        "Subscribe to our newsletter for daily updates",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "© 2025 Daily Times. All rights reserved.",
        "All rights reserved",
        "25 C",
        "31°C",
        "Wednesday, October 29, 2025",
        "Oct 29, 2025 10:45 AM",
        "* * *",
        "\u00a0—\u00a0",
        "OPINION",
        "Analysis:",
        "Live updates",
        "The views expressed are the author's own.",
        "The views expressed in this column are those of the author and do not necessarily reflect those of the paper.",
        "by jane doe",
        "By Advertiser reporter Sally Grant",
        "Posted by our political editor",
        "3 March",
        "Updated March 3, 14:05",
        "Updated Sunday 15 March, 14:30",
        "Published 14:30 GMT, 15 March 2026",
        "*Coastline Explained | Updated Sunday 15 March, 14:30*",
    ],
)
def test_furniture_lines_are_recognised(line):
    assert furniture_reason(line)
    source = parse_source(f"The talks failed on Wednesday.\n\n{line}\n\nBoth sides left.")
    assert texts(source) == ["The talks failed on Wednesday.", "Both sides left."]
    assert line.strip("\u00a0") in [f.text for f in source.furniture]


@pytest.mark.parametrize(
    "line",
    [
        "He declined to comment.",
        "Nobody shared the details.",
        "Updated figures were published on Sunday 15 March.",
        "The report was updated on 15 March, 14:30.",
        "The talks resumed on October 29, 2025.",
        "Read the full statement, he urged reporters.",
        "Twenty-five people were hurt.",
        "It rained.",
        "Kabul denied it.",
        "The views of residents are mixed.",
        "Opinion is divided in the town.",
        "By Tuesday night the fire was out.",
        "By March 3 the water was safe.",
        "by the sea",
    ],
)
def test_short_body_sentences_survive(line):
    source = parse_source(f"The talks failed on Wednesday.\n\n{line}\n\nBoth sides left.")
    assert line in texts(source)


@pytest.mark.parametrize(
    "line",
    [
        "Wednesday, October 15, 2025 | Dunmore Bay 11°C Light rain",
        "Home | News | World | Sport",
        "Home > News > Local Politics",
        "Posted 2 hours ago | 5 min read",
        "(Reporting by Ann Lee; Editing by Bo Chan)",
        "By Jane Doe, Political Editor",
        "Media contact: press@example.org | +1 555 0100",
        "Shares 3.4K",
        "Sponsored Links",
        "FOR IMMEDIATE RELEASE",
        "Posted by Advertiser reporter Sally Grant | 3 March | 4 min read",
        "Updated 14:05 | 2 min read",
    ],
)
def test_composite_strips_and_boilerplate_are_furniture(line):
    source = parse_source(f"The talks failed on Wednesday.\n\n{line}\n\nBoth sides left.")
    assert texts(source) == ["The talks failed on Wednesday.", "Both sides left."]


def test_link_list_under_a_related_marker_after_the_article_is_furniture():
    text = (
        "Fire Guts Warehouse At The Port\n\nThe fire started at midnight.\n\n"
        "Related Posts\n\nPort posts record cargo year\n\nResidents demand traffic plan\n\nLEAVE A REPLY\n"
    )
    source = parse_source(text)
    assert texts(source) == ["Fire Guts Warehouse At The Port", "The fire started at midnight."]
    assert "Port posts record cargo year" in [f.text for f in source.furniture]


def test_lone_place_next_to_a_date_strip_is_furniture_but_not_elsewhere():
    strip = parse_source("25°C\nKarachi\nMonday, March 3, 2025\n\nThe talks failed.")
    assert "Karachi" in [f.text for f in strip.furniture]
    assert texts(strip) == ["The talks failed."]
    heading = parse_source("The talks failed.\n\nKarachi\n\nTraders there were angry.")
    assert "Karachi" in texts(heading)


def test_furniture_is_in_text_order():
    source = parse_source("11\n0\n\nThe talks failed.\n\nLEAVE A REPLY\n\nPlease enter your comment!")
    starts = [f.start for f in source.furniture]
    assert starts == sorted(starts) and len(starts) == 4


# -- press releases, media contacts, mastheads, reader call-outs ---------------------


def between(line: str) -> Source:
    """``line`` as a paragraph of its own between two body sentences."""
    return parse_source(f"The talks failed on Wednesday.\n\n{line}\n\nBoth sides left.")


@pytest.mark.parametrize(
    "line",
    ["NEWS RELEASE", "Media Release", "PRESS RELEASE: 4 March 2025", "For Immediate Release",
     "ENDS", "-ends-", "- END -", "-30-", "Notes for editors", "Editor's notes"],
)
def test_press_release_markers_are_furniture(line):
    assert furniture_reason(line) == "press release"
    assert texts(between(line)) == ["The talks failed on Wednesday.", "Both sides left."]


@pytest.mark.parametrize(
    "line",
    ["The council's news release was published on Monday.", "The release ends a long dispute.",
     "Press releases were sent to every newsroom."],
)
def test_sentences_about_releases_stay_content(line):
    assert furniture_reason(line) is None
    assert line in texts(between(line))


@pytest.mark.parametrize(
    "line",
    ["Issued: 4 March 2025", "Released: Tuesday 4 March 2025", "Date of issue: 12/03/2025",
     "Embargoed until 00:01 GMT Thursday 6 March", "EMBARGOED UNTIL: 00.01 hrs, 6 March 2025", "Embargo: none"],
)
def test_release_date_lines_are_furniture(line):
    assert furniture_reason(line) == "press release"
    assert texts(between(line)) == ["The talks failed on Wednesday.", "Both sides left."]


@pytest.mark.parametrize(
    "line",
    ["The council issued a statement on Monday.", "Issued: a warning to every driver in the county",
     "Released on bail, he left the court on 4 March 2025."],
)
def test_sentences_about_issuing_stay_content(line):
    assert furniture_reason(line) is None
    assert line in texts(between(line))


def test_release_date_line_is_not_taken_for_a_dateline():
    source = parse_source("PRESS RELEASE\n\nLibrary reopens after flood repairs\n\nIssued: 2 May 2025\n\n"
                          "The library reopened on Friday.")
    assert source.dateline is None
    assert texts(source) == ["Library reopens after flood repairs", "The library reopened on Friday."]
    assert "Issued: 2 May 2025" in [f.text for f in source.furniture]


@pytest.mark.parametrize(
    "line",
    ["For media enquiries", "Media contact", "Press enquiries, please contact:", "For further information contact:",
     "Contact:", "Press Office, Harlow District Council", "Harlow District Council Press Office",
     "Media Relations Team",
     "Tel: 01632 960 555 | Out of hours: 07700 900 321", "Email: press@harlow.example", "press@harlow.example",
     "T: 020 7946 0000 | E: press@harlow.example", "Mobile: 07700 900 321 (out of hours)"],
)
def test_media_contact_lines_are_furniture(line):
    assert furniture_reason(line) == "media contact"
    assert texts(between(line)) == ["The talks failed on Wednesday.", "Both sides left."]


@pytest.mark.parametrize(
    "line",
    ["Complaints can be sent to roads@harlow.example, the council said.",
     "He joined the council's press office in 2019.", "Inside the press office",
     "Call centre staff took 2016-2020 complaints.", "The helpline number is 0800 123 4567 and it is free."],
)
def test_sentences_quoting_contacts_stay_content(line):
    assert furniture_reason(line) is None
    assert line in texts(between(line))


def test_names_under_a_media_contact_line_are_furniture_up_to_a_blank_line():
    text = (
        "The library reopened on Friday.\n\n"
        "For media enquiries\nJane Doe\nHead of Communications\nTel: 01632 960 555\n\n"
        "Background\n\nThe library flooded in January.\n"
    )
    source = parse_source(text)
    assert texts(source) == ["The library reopened on Friday.", "Background", "The library flooded in January."]
    assert {f.text: f.reason for f in source.furniture} == {
        "For media enquiries": "media contact", "Jane Doe": "media contact",
        "Head of Communications": "media contact", "Tel: 01632 960 555": "media contact",
    }
    assert_offsets(source)


def test_a_sentence_under_a_media_contact_line_stays_content():
    source = parse_source("Media contact: press@harlow.example\nThe library reopened on Friday.\n")
    assert texts(source) == ["The library reopened on Friday."]


def test_issuer_line_at_the_top_of_a_press_release_is_furniture():
    beside_marker = parse_source("NEWS RELEASE\nHarlow Library Trust\n\nLibrary reopens after flood repairs\n\n"
                                 "The library reopened on Friday.\n")
    apart_but_an_organisation = parse_source("FOR IMMEDIATE RELEASE\n\nHarlow District Council\n\n"
                                             "Library reopens after flood repairs\n\nThe library reopened on Friday.\n")
    for source in (beside_marker, apart_but_an_organisation):
        assert texts(source) == ["Library reopens after flood repairs", "The library reopened on Friday."]
        assert source.title == "Library reopens after flood repairs"
        assert_offsets(source)
    assert "Harlow Library Trust" in [f.text for f in beside_marker.furniture]


def test_organisation_line_stays_content_unless_the_file_is_a_press_release():
    news = parse_source("Harlow District Council\n\nLibrary reopens after flood repairs\n\n"
                        "The library reopened on Friday.\n")
    assert "Harlow District Council" in texts(news)
    # A title-case headline right under the marker is the headline, not an issuer.
    release = parse_source("PRESS RELEASE\nCouncil Opens New Library\n\nThe council opened a library on Friday.\n")
    assert texts(release) == ["Council Opens New Library", "The council opened a library on Friday."]
    assert release.title == "Council Opens New Library"


@pytest.mark.parametrize(
    "masthead",
    ["Kessbury Gazette \u2013 English edition", "The Kessbury Gazette | Edition: UK", "Kessbury Gazette | Edition",
     "Est. 1887", "The Kessbury Gazette \u00b7 Est. 1887", "International Edition"],
)
def test_masthead_above_the_headline_is_furniture(masthead):
    source = parse_source(f"{masthead}\nLibrary reopens after flood repairs\n\nThe library reopened on Friday.\n")
    assert texts(source) == ["Library reopens after flood repairs", "The library reopened on Friday."]
    assert source.title == "Library reopens after flood repairs"
    assert [(f.text, f.reason) for f in source.furniture] == [(masthead, "masthead")]


@pytest.mark.parametrize(
    "headline",
    ["Special edition stamps sell out", "Special Edition: Stamps Sell Out In An Hour",
     "Paper founded in 1887 prints its final edition"],
)
def test_headline_with_edition_or_founding_year_stays_content(headline):
    source = parse_source(f"{headline}\n\nThe stamps sold out on Friday.\n")
    assert texts(source) == [headline, "The stamps sold out on Friday."]
    assert source.title == headline


def test_masthead_words_below_the_top_stay_content():
    source = parse_source("Library reopens after flood repairs\n\nThe library reopened on Friday.\n\n"
                          "International Edition\n\nReaders abroad can borrow e-books.\n")
    assert "International Edition" in texts(source)


@pytest.mark.parametrize(
    "line",
    ["Do you live in Harlow? Tell us how the closure has hit you: news@paper.example",
     "Got a tip? Email tips@paper.example", "Got a story? Contact us on 0161 496 0000",
     "Were you caught in the queues? Let us know at news@paper.example.",
     "We'd love to hear from you: call 0800 123 4567", "Get in touch: news@paper.example"],
)
def test_reader_call_outs_with_an_address_are_furniture(line):
    assert furniture_reason(line) == "call to action"
    assert texts(between(line)) == ["The talks failed on Wednesday.", "Both sides left."]


@pytest.mark.parametrize(
    "line",
    ["Residents who want to get in touch can email roads@harlow.example.",
     "\u201cEmail us at help@harlow.example,\u201d the spokesman said.",
     "Anyone with information should call police on 101.",
     "Tell us the truth, the protesters chanted outside the town hall.",
     "Do you live in Harlow? The council wants residents to answer a survey."],
)
def test_reporting_that_mentions_contact_or_appeals_stays_content(line):
    assert furniture_reason(line) is None
    assert not between(line).furniture


def test_call_out_at_the_end_of_a_paragraph_takes_its_question_along():
    source = parse_source("Bridge to reopen next spring\n\nThe bridge reopens next spring. "
                          "Were you stuck in the queues? Tell us at news@paper.example.")
    assert texts(source) == ["Bridge to reopen next spring", "The bridge reopens next spring."]
    assert [f.reason for f in source.furniture] == ["call to action", "call to action"]
    assert_offsets(source)


# -- the seeds -----------------------------------------------------------------------


def test_all_seeds_load_with_offsets(seeds):
    assert [s.name for s in seeds.values()] == [p.name for p in SEED_FILES]
    for source in seeds.values():
        assert source.sentences
        assert_offsets(source)


def test_no_furniture_in_any_seed_sentence(seeds):
    for source in seeds.values():
        for sentence in source.sentences:
            for junk in FURNITURE_STRINGS:
                assert junk.casefold() not in sentence.text.casefold(), (source.name, sentence.text)
            assert sentence.text not in {"11", "0", "Lahore"}


def test_seed_000_has_no_headline(seeds):
    source = seed(seeds, "000")
    assert source.title is None
    assert all(s.kind == KIND_BODY for s in source.sentences)
    last = source.sentences[-1].text
    assert last.endswith("survive there.”")


def test_seed_001_headline_counters_and_dateline(seeds):
    source = seed(seeds, "001")
    first = source.sentences[0]
    assert first.kind == KIND_HEADLINE
    assert source.title == first.text and first.text.startswith("Pakistan–Afghanistan Peace Talks Collapse")
    assert source.dateline is not None and source.dateline.text == "ISLAMABAD / KABUL — Oct 29:"
    assert source.sentences[1].text.startswith("Talks aimed at securing")
    assert {"11", "0", "LEAVE A REPLY"} <= {f.text for f in source.furniture}
    assert {"Warnings and Rising Rhetoric", "Background"} <= set(texts(source, KIND_HEADING))


def test_seed_002_headline_bullets_and_dateline_prefix(seeds):
    source = seed(seeds, "002")
    assert source.sentences[0].kind == KIND_HEADLINE
    assert source.title and source.title.endswith("Challenging the Taliban?")
    assert "Key Takeaways" in texts(source, KIND_HEADING)
    bullets = texts(source, KIND_BULLET)
    assert len(bullets) == 5
    assert all(not b.startswith("-") for b in bullets)
    assert source.dateline is not None and source.dateline.text.startswith("Islamabad, Oct 29")
    opening = next(s for s in source.sentences if s.kind == KIND_BODY)
    assert opening.text.startswith("On Wednesday, Pakistan")


def test_seed_003_dateline_and_trailing_blank_lines(seeds):
    source = seed(seeds, "003")
    assert source.dateline is not None and source.dateline.text == "ISLAMABAD:"
    assert source.sentences[0].text.startswith("Pakistan’s Defense Minister")
    assert source.sentences[-1].text.endswith(".")
    tail = source.text[source.sentences[-1].end :]
    assert not tail.strip()
    assert not any(f.start >= source.sentences[-1].end for f in source.furniture)


def test_seed_004_strip_headlines_and_read_more(seeds):
    source = seed(seeds, "004")
    reasons = {f.text: f.reason for f in source.furniture}
    for junk in ("25 C", "Lahore", "Tuesday, November 11, 2025", "Top 5 This Week", "Related Posts"):
        assert junk in reasons
    assert any(f.text.startswith("Read More:") for f in source.furniture)
    headlines = texts(source, KIND_HEADLINE)
    assert len(headlines) >= 1 and headlines[0].startswith("Afghan Taliban must take into account")
    assert source.title == headlines[0]
    assert source.dateline is not None and source.dateline.text == "Islamabad:"
    body = texts(source, KIND_BODY)
    assert body[0].startswith("Defense Minister Khawaja Muhammad Asif")
    assert {"Border tensions", "Turkey, Qatar try to salvage talks"} <= set(texts(source, KIND_HEADING))


# -- robustness ----------------------------------------------------------------------

_PIECES = st.sampled_from(
    list("ab Z.?!\"“”‘’\n\r\t -•*1:—\u00a0\u200b\ufeff\x00\x0b")
    + ["\ud800", "Mr.", "U.S.", "LEAVE A REPLY", "Title: x", "---", "\r\n", "ISLAMABAD:", "Oct 29", "25 C"]
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=80).map("".join)))
def test_parse_source_never_raises_and_keeps_offsets(text):
    # The careful parser itself must cope: its last-resort fallback is disabled here.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(structure, "_fallback", _no_fallback)
        assert_offsets(parse_source(text))


def _no_fallback(text, **kw):
    raise AssertionError(f"the parser failed on {text!r}")


def test_very_long_line_is_fine():
    text = "word " * 2500 + "end. " + "x" * 10_000
    source = parse_source(text)
    assert source.sentences
    assert_offsets(source)


def test_furniture_patterns_answer_at_once_on_lines_built_to_backtrack():
    """A failing full match must not try every way to split a digit run (it took minutes)."""
    import subprocess
    import sys

    hostile = ["1" * 300 + "x", "1," * 150 + "x", " ".join(["1"] * 150) + " x",
               "1.1." * 80 + "zz", "12 shares " * 30 + "and then a sentence"]
    code = ("import sys; from tui.core.ingest import furniture_reason\n"
            "print([furniture_reason(line) for line in sys.argv[1:]])")
    # a subprocess with a generous limit: the test fails instead of hanging the suite
    out = subprocess.run([sys.executable, "-c", code, *hostile], capture_output=True, text=True,
                         timeout=60, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str([None] * len(hostile))


_PIECE = "A Column About Water\n\n{byline}The pipes are old.\n\nNobody fixed them.\n\nThe council must act.\n\n{last}\n"


@pytest.mark.parametrize(
    "byline, last",
    [
        ("", "Martin Howlett writes on public services."),
        ("By Martin Howlett\n\n", "Martin Howlett is a former council engineer."),
        ("OPINION\n\n", "Jane Doe is a columnist for the Ledger and a former councillor."),
    ],
)
def test_the_writers_note_closing_a_piece_is_furniture(byline, last):
    source = parse_source(_PIECE.format(byline=byline, last=last))
    assert texts(source, KIND_BODY) == ["The pipes are old.", "Nobody fixed them.", "The council must act."]
    assert [f.reason for f in source.furniture if f.text == last] == ["author bio"]


@pytest.mark.parametrize(
    "text",
    [
        # a news story closing on a person's background: no byline, no opinion label
        _PIECE.format(byline="", last="John Smith is a former journalist who now runs the cafe."),
        # a note about the writer only counts on the last content line
        _PIECE.format(byline="By Martin Howlett\n\n", last="The end is near.").replace(
            "Nobody fixed them.", "Martin Howlett writes on public services."
        ),
        # the byline's name doing something else than being described
        _PIECE.format(byline="By Martin Howlett\n\n", last='"Martin Howlett is wrong," the council said.'),
    ],
)
def test_closing_lines_about_people_stay_content(text):
    source = parse_source(text)
    assert not [f for f in source.furniture if f.reason == "author bio"]


# --- furniture seen on the 2026-12-02 stories: comment rules, desk sign-offs, "More from", desks


@pytest.mark.parametrize(("line", "reason"), [
    ("Have your say", "comment form"),
    ("Comments are moderated. Please read our community guidelines.", "comment form"),
    ("All comments are pre-moderated.", "comment form"),
    ("(tid/ls)", "credits"),
    ("[ban/mk]", "credits"),
    ("More from Pulse: Which factories are next?", "related links"),
    ("More from Companies", "related links"),
    ("This case report is for information only and does not constitute legal advice.", "disclaimer"),
    ("Share this column", "share buttons"),
    ("We use cookies to improve your experience. Accept all | Manage preferences", "cookie notice"),
    # seen on the eleven-outlet merriton-runway-overrun (2026-12-04): "Comments are closed." was
    # content and shared the "airport was closed" row
    ("Comments are closed.", "comment form"),
    ("Comments have been disabled for this article.", "comment form"),
    ("Shared 2.7k times", "counter"),
    ("Viewed 1,204 times", "counter"),
])
def test_page_furniture_kinds_of_2026_12(line, reason):
    assert furniture_reason(line) == reason


@pytest.mark.parametrize("line", [
    "More from the minister, who said the plan would go ahead.",
    "The drug is for information only.",
    "Readers will have their say in a vote on Monday.",
    "The comments were moderated by a judge.",
    "He signed it (and/or initialled it).",
    "Comments are closed to protect the families.",
    "The video was shared 2,700 times before it was taken down.",
])
def test_sentences_like_that_furniture_stay_content(line):
    assert furniture_reason(line) is None


def test_outlet_and_desk_strip_above_the_headline_is_a_masthead():
    text = ("Hallstad Tidende | Business\nNorrvik closes factory in England\n\n"
            "Norrvik will close its plant in Brackwell.\n\nAround 1,100 employees are affected.\n")
    source = parse_source(text, name="a.txt")
    assert [s.text for s in source.sentences][0] == "Norrvik closes factory in England"
    assert source.sentences[0].kind == "headline"
    assert [f.reason for f in source.furniture] == ["masthead"]


def test_a_desk_strip_below_the_top_stays_content():
    text = ("Norrvik closes factory in England\n\nNorrvik will close its plant.\n\n"
            "Hallstad Tidende | Business\n\nAround 1,100 employees are affected.\n")
    assert "Hallstad Tidende | Business" in [s.text for s in parse_source(text, name="a.txt").sentences]


@pytest.mark.parametrize(("strip", "note"), [
    # the strip's last words are the outlet's: the writer is the name after "By"
    ("*Comment | By Helen Achterberg | The Civic Review*",
     "*Helen Achterberg is a former economic adviser to the regional assembly.*"),
    ("*Opinion | By Marcus Thorne | Riverwatch*",
     "*Marcus Thorne chairs the Ossery Rivers Trust. The views expressed are his own.*"),
    ("*Analysis | By Corinne Beaulac | ArtWatch | 13 October 2025*",
     "*Corinne Beaulac edits ArtWatch and has written two books on art crime.*"),
])
def test_a_signed_strip_names_the_writer_of_the_closing_note(strip, note):
    body = "\n\n".join(f"The council met for the {n} time on the plan." for n in ("first", "second", "third"))
    text = f"# Grit the hill\n\n{strip}\n\n{body}\n\n{note}\n\nShare this article: Facebook · X · Email\n"
    source = parse_source(text, name="a.md")
    assert [s.text for s in source.sentences][1:] == [
        f"The council met for the {n} time on the plan." for n in ("first", "second", "third")]
    assert "author bio" in [f.reason for f in source.furniture]


def test_a_closing_line_about_someone_else_stays_content():
    body = "\n\n".join(f"The council met for the {n} time on the plan." for n in ("first", "second", "third"))
    text = (f"# Grit the hill\n\n*Opinion | By Marcus Thorne | Riverwatch*\n\n{body}\n\n"
            "Jane Doe chairs the Ossery Rivers Trust.\n")
    assert "Jane Doe chairs the Ossery Rivers Trust." in [s.text for s in parse_source(text, name="a.md").sentences]
