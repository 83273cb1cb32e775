"""Articles as people have them, through the command line: pages, URLs, stdin, names, unsupported files.

URLs are served by a server on 127.0.0.1 that each test starts
(tests/pageserver.py); the page cache is the test's own temporary folder.
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

from pageserver import PAGES, Answer, free_port, page, serve
from tui.cli import main

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_error(code: int, err: str, *fragments: str) -> str:
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.match(r"parallax( \w+)?: error: ", lines[0]) and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def rows(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text)))


def _python_m_tui(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("stdin", subprocess.DEVNULL)
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=kwargs.pop("cwd", REPO), env=env,
        capture_output=True, text=True, encoding="utf-8", timeout=120, **kwargs,
    )


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PARALLAX_CACHE_DIR": str(tmp_path / "cache"),
           "PARALLAX_HOME": str(tmp_path / "home")}
    env.pop("PARALLAX_DEBUG", None)
    return env


# --------------------------------------------------------------------------- saved pages


def test_saved_pages_export_the_article_labelled_by_site_name(capsys):
    code, out, err = run(capsys, "export", PAGES / "courier.html", PAGES / "ledger.html", PAGES / "wire.html")
    assert code == 0, err
    got = rows(out)
    assert {r["label"] for r in got} == {"The Millbrook Courier", "Northern Ledger", "Valley Wire"}
    assert {r["source"] for r in got} == {"courier.html", "ledger.html", "wire.html"}
    texts = [r["text"] for r in got]
    assert "About 600 people in Millbrook were asked to leave their homes on Tuesday night after engineers " \
        "found water seeping through the base of the Kestrel dam." in texts
    for chrome in ("cookies", "Leave a Reply", "Share on", "Related Posts", "All rights reserved", "dataLayer",
                   "Read more", "grandmother", "Subscribe"):
        assert not any(chrome in t for t in texts), chrome


def test_a_folder_of_saved_pages(capsys, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("courier.html", "ledger.html"):
        (folder / name).write_bytes((PAGES / name).read_bytes())
    (folder / "notes.htm").write_bytes((PAGES / "wire.html").read_bytes())
    code, out, err = run(capsys, "export", folder)
    assert code == 0 and err == ""
    assert {r["source"] for r in rows(out)} == {"courier.html", "ledger.html", "notes.htm"}


def test_offsets_point_into_the_extracted_text(capsys):
    from tui.core.pipeline import load

    for s in load([PAGES / "courier.html", PAGES / "ledger.html"]):
        assert s.text.startswith(s.title + "\n\n")
        for sent in s.sentences:
            assert s.text[sent.start : sent.end] == sent.text
        import hashlib

        assert s.sha256 == hashlib.sha256(s.path.read_bytes()).hexdigest()  # the page's bytes
        assert "<" not in s.text


def test_a_page_with_no_article_is_one_error(capsys, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    code, _, err = run(capsys, "export", empty, PAGES / "courier.html")
    one_error(code, err, "empty.html", "no article text found in this web page")


def test_a_saved_page_named_txt_is_still_read_as_a_page(capsys, tmp_path):
    disguised = tmp_path / "saved.txt"
    disguised.write_bytes((PAGES / "ledger.html").read_bytes())
    code, out, err = run(capsys, "export", disguised, PAGES / "courier.html")
    assert code == 0, err
    assert "Northern Ledger" in {r["label"] for r in rows(out)}
    assert not any("<" in r["text"] for r in rows(out))


# --------------------------------------------------------------------------- URLs


def test_export_two_urls_then_again_from_the_cache_gives_the_same_csv(tmp_path):
    """The acceptance test: a real process, a real server, then no server at all."""
    env = _env(tmp_path)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    with serve({"/a.html": page("courier.html"), "/b.html": page("ledger.html")}) as srv:
        a, b = srv.url("/a.html"), srv.url("/b.html")
        done = _python_m_tui("export", a, b, "-o", str(first), env=env)
        assert done.returncode == 0, done.stderr
        assert srv.hits("/a.html") == 1 and srv.hits("/b.html") == 1
        assert all(h.get("User-Agent", "").startswith("Parallax/") for _, h in srv.requests)
    # the server has stopped: only the cache can answer now
    done = _python_m_tui("export", a, b, "-o", str(second), env=env)
    assert done.returncode == 0, done.stderr
    assert first.read_bytes() == second.read_bytes()
    got = rows(first.read_text(encoding="utf-8"))
    assert {r["label"] for r in got} == {"The Millbrook Courier", "Northern Ledger"}
    assert {r["source"] for r in got} == {a.removeprefix("http://"), b.removeprefix("http://")}
    assert any(r["coverage"] == "2" for r in got)


@pytest.mark.parametrize(
    ("answer", "args", "fragment"),
    [
        (Answer(b"<p>missing</p>", status=404), (), "the server answered 404 Not Found"),
        (Answer(b"<p>broken</p>", status=500), (), "the server answered 500 Internal Server Error"),
        (Answer(b"<p>late</p>", delay=3), ("--timeout", "0.3"), "timed out"),
        (Answer(b"\x89PNG\r\n\x1a\n" + bytes(100), content_type="image/png"), (), "not a web page"),
        (Answer(b"%PDF-1.7" + bytes(100), content_type="application/pdf"), (), "application/pdf"),
        (page("courier.html"), ("--max-size", "0.001"), "too large"),
        (page("courier.html", chunked=True), ("--max-size", "0.001"), "too large"),
    ],
    ids=["404", "500", "timeout", "binary", "pdf", "too-large", "too-large-unannounced"],
)
def test_a_url_that_fails_is_one_line_and_exit_2(capsys, monkeypatch, answer, args, fragment):
    opened: list[object] = []
    fake = types.ModuleType("tui.app.app")
    fake.run_app = lambda *a, **k: opened.append(a) or 0
    monkeypatch.setitem(sys.modules, "tui.app.app", fake)
    monkeypatch.setattr("tui.cli._has_terminal", lambda: True)
    with serve({"/bad": answer, "/good.html": page("ledger.html")}) as srv:
        for command in ("export", "align", "omissions", "open"):
            code, out, err = run(capsys, command, srv.url("/bad"), srv.url("/good.html"), *args)
            line = one_error(code, err, fragment)
            assert srv.url("/bad") in line and out == ""
    assert opened == []  # the reader never started


def test_omissions_and_align_read_urls_too(capsys):
    with serve({"/a.html": page("courier.html"), "/b.html": page("ledger.html"), "/c.html": page("wire.html")}) as srv:
        urls = [srv.url(p) for p in ("/a.html", "/b.html", "/c.html")]
        code, out, err = run(capsys, "omissions", *urls)
        assert code == 0, err
        assert "Valley Wire" in out
        code, out, err = run(capsys, "align", *urls, "--width", "160")
        assert code == 0, err
        assert "Northern Led" in out and "Kestrel" in out
        assert srv.hits("/a.html") == 1  # the second command read the cache


def test_a_refused_connection_is_one_line(capsys):
    code, _, err = run(capsys, "export", f"http://127.0.0.1:{free_port()}/a.html", PAGES / "courier.html")
    one_error(code, err, "connection refused")


def test_a_failed_url_in_a_real_process_prints_no_traceback(tmp_path):
    with serve({"/gone": Answer(b"", status=404)}) as srv:
        done = _python_m_tui("export", srv.url("/gone"), str(PAGES / "courier.html"), env=_env(tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [f"parallax: error: {srv.url('/gone')}: the server answered 404 Not Found"]


def test_refresh_fetches_again(capsys):
    routes = {"/a.html": page("courier.html"), "/b.html": page("wire.html")}
    with serve(routes) as srv:
        a, b = srv.url("/a.html"), srv.url("/b.html")
        assert run(capsys, "export", a, b)[0] == 0
        routes["/a.html"] = page("ledger.html")
        code, out, _ = run(capsys, "export", a, b)
        assert code == 0 and "The Millbrook Courier" in {r["label"] for r in rows(out)}
        code, out, _ = run(capsys, "export", a, b, "--refresh")
        assert code == 0 and "Northern Ledger" in {r["label"] for r in rows(out)}
        assert srv.hits("/a.html") == 2


def test_a_url_as_text_is_an_article_and_its_label_is_the_host(capsys):
    text = b"Six hundred people left Millbrook on Tuesday after a leak at the Kestrel dam.\n"
    with serve({"/wire.txt": Answer(text, content_type="text/plain; charset=utf-8")}) as srv:
        code, out, err = run(capsys, "export", srv.url("/wire.txt"), PAGES / "courier.html")
    assert code == 0, err
    assert {r["label"] for r in rows(out)} == {"wire", "The Millbrook Courier"}


def test_a_page_without_site_name_from_a_url_is_labelled_by_host(capsys):
    html = b"<html><head><title>Dam leak</title></head><body><article><h1>Dam leak</h1>" + b"".join(
        b"<p>Paragraph %d says the Kestrel dam leaked on Tuesday and six hundred people left.</p>" % i
        for i in range(6)
    ) + b"</article></body></html>"
    with serve({"/x": Answer(html)}) as srv:
        code, out, err = run(capsys, "export", srv.url("/x"), PAGES / "courier.html")
    assert code == 0, err
    assert {r["label"] for r in rows(out)} - {"The Millbrook Courier"} == {srv.base.removeprefix("http://")}


def test_a_session_on_urls_stores_them_and_resumes_offline(capsys, tmp_path):
    from tui.core.pipeline import load
    from tui.core.session import Session
    from tui.core.session_store import SessionStore

    with serve({"/a.html": page("courier.html"), "/b.html": page("ledger.html")}) as srv:
        a, b = srv.url("/a.html"), srv.url("/b.html")
        sources = load([a, b])
    store = SessionStore()
    store.save(Session.new("dam", sources))
    stored = store.load("dam")
    assert [s.url for s in stored.sources] == [a, b]
    assert [s.sha256 for s in stored.sources] == [s.sha256 for s in sources]
    assert stored.source_inputs() == [a, b]
    # no server now: the export of the session reads the cached pages
    code, out, err = run(capsys, "export", "--session", "dam")
    assert code == 0, err
    assert {r["label"] for r in rows(out)} == {"The Millbrook Courier", "Northern Ledger"}


def test_a_url_given_twice_is_read_once(capsys):
    with serve({"/a.html": page("courier.html")}) as srv:
        code, _, err = run(capsys, "export", srv.url("/a.html"), srv.url("/a.html#top"))
    one_error(code, err.splitlines()[-1] + "\n", "need at least two sources")
    assert "given twice" in err


def test_a_url_with_its_slashes_collapsed_gets_a_hint(capsys):
    code, _, err = run(capsys, "export", "https:/www.example.com/story", PAGES / "courier.html")
    one_error(code, err, "https://")


# --------------------------------------------------------------------------- standard input


def test_cat_a_text_into_export_with_a_page(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(
        "Dam leak empties Millbrook\n\nAbout 600 people left their homes in Millbrook on Tuesday night after a "
        "leak was found at the Kestrel dam.\n\nPumps will lower the reservoir by two metres.\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        f'cat "{article}" | "{sys.executable}" -m tui export - "{PAGES / "ledger.html"}"',
        shell=True, cwd=REPO, env=_env(tmp_path), capture_output=True, text=True, encoding="utf-8", timeout=120,
    )
    assert done.returncode == 0, done.stderr
    got = rows(done.stdout)
    assert {r["source"] for r in got} == {"stdin", "ledger.html"}
    assert {r["label"] for r in got} == {"stdin", "Northern Ledger"}
    assert any(r["source"] == "stdin" and r["coverage"] == "2" for r in got)


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ((PAGES / "courier.html").read_bytes(), "The Millbrook Courier"),
        (b"# Dam leak\n\n*By Staff*\n\nSix hundred people left Millbrook on Tuesday after a leak.\n", "stdin"),
        (b"Source: Valley Radio\n\nSix hundred people left Millbrook on Tuesday after a leak.\n", "Valley Radio"),
    ],
    ids=["html", "markdown", "front-matter"],
)
def test_stdin_kind_is_found_by_content(capsys, monkeypatch, data, label):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run(capsys, "export", "-", PAGES / "ledger.html")
    assert code == 0, err
    got = rows(out)
    assert {r["label"] for r in got if r["source"] == "stdin"} == {label}
    assert not any("<" in r["text"] for r in got)


@pytest.mark.parametrize("option", [("--label", "-=Radio"), ("--label=-=Radio",), ("--label", "stdin=Radio")])
def test_stdin_can_be_named(capsys, monkeypatch, option):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"Six hundred people left Millbrook.\n")))
    code, out, err = run(capsys, "export", "-", PAGES / "ledger.html", *option)
    assert code == 0, err
    assert {r["label"] for r in rows(out)} == {"Radio", "Northern Ledger"}


def test_empty_stdin_and_stdin_twice_are_errors(capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"")))
    code, _, err = run(capsys, "export", "-", PAGES / "ledger.html")
    one_error(code, err, "standard input", "nothing was read")
    code, _, err = run(capsys, "export", "-", "-")
    one_error(code, err, "given twice")


def test_a_session_with_stdin_cannot_resume_without_paths(capsys, monkeypatch):
    from tui.core.pipeline import load
    from tui.core.session import Session
    from tui.core.session_store import SessionStore

    sources = load(["-", PAGES / "ledger.html"], stdin=b"Six hundred people left Millbrook.\n")
    SessionStore().save(Session.new("piped", sources))
    for argv in (("--session", "piped"), ("export", "--session", "piped")):
        code, _, err = run(capsys, *argv)
        one_error(code, err, "stdin", "standard input")


def test_the_reader_on_stdin_without_a_terminal_says_why(tmp_path):
    """No controlling terminal (a new session, as in CI): the reader cannot take keys anywhere."""
    done = _python_m_tui(
        "-", str(PAGES / "ledger.html"), env=_env(tmp_path), input="Six hundred people left Millbrook.\n",
        stdin=None, start_new_session=True,
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and len(done.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- names


def test_label_option_names_files_and_urls(capsys):
    with serve({"/b.html": page("ledger.html")}) as srv:
        code, out, err = run(
            capsys, "export", PAGES / "courier.html", srv.url("/b.html"),
            "--label", "courier.html=Courier", "--label", f"{srv.url('/b.html')}=Ledger",
        )
    assert code == 0, err
    assert {r["label"] for r in rows(out)} == {"Courier", "Ledger"}


def test_label_option_for_a_path_as_typed(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(PAGES.parent)
    code, out, err = run(capsys, "export", "pages/courier.html", "pages/wire.html", "--label", "pages/wire.html=W")
    assert code == 0, err
    assert {r["label"] for r in rows(out)} == {"The Millbrook Courier", "W"}


@pytest.mark.parametrize(
    ("option", "fragment"),
    [("nobody.txt=X", "matches no source"), ("courier.html", "expected FILE=NAME"), ("courier.html=", "FILE=NAME")],
)
def test_bad_label_options_are_one_line(capsys, option, fragment):
    code, _, err = run(capsys, "export", PAGES / "courier.html", PAGES / "ledger.html", "--label", option)
    one_error(code, err, fragment)


def test_seeds_get_short_labels_and_keep_their_file_names(capsys, seeds_path):
    code, out, _ = run(capsys, "export")
    got = rows(out)
    assert sorted({r["label"] for r in got}) == ["000", "001", "002", "003", "004"]
    assert sorted({r["source"] for r in got})[0] == "000_bd062090da669a4d.txt"
    code, out, _ = run(capsys, "export", "--pivot", "003")
    assert code == 0


def test_sources_toml_names_a_folders_articles(capsys, tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a1f09c3e77b2.txt").write_text("Six hundred people left Millbrook on Tuesday.\n", encoding="utf-8")
    (folder / "b7d2e4aa9130.txt").write_text("Millbrook emptied on Tuesday as 600 left.\n", encoding="utf-8")
    (folder / "sources.toml").write_text(
        '[[article]]\nfile = "a1f09c3e77b2.txt"\noutlet = "Valley Radio"\nurl = "https://radio.example/1"\n'
        "date = 2024-03-12\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "export", folder)
    assert code == 0 and err == ""
    labels = {r["source"]: r["label"] for r in rows(out)}
    assert labels == {"a1f09c3e77b2.txt": "Valley Radio", "b7d2e4aa9130.txt": "b7d2"}
    code, out, err = run(capsys, "export", folder / "a1f09c3e77b2.txt", folder / "b7d2e4aa9130.txt")
    assert {r["label"] for r in rows(out)} == {"Valley Radio", "b7d2"}  # named files too, not only the folder
    code, out, _ = run(capsys, "export", folder, "--label", "a1f09c3e77b2.txt=Radio")
    assert {r["label"] for r in rows(out)} == {"Radio", "b7d2"}  # --label wins


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[[article]\nfile = 'x'\n", "not valid TOML"),
        ("[[article]]\noutlet = 'X'\n", "article 1 has no 'file'"),
        ("[[article]]\nfile = 'a.txt'\noutlett = 'X'\n", "unknown key 'outlett'"),
        ("[[article]]\nfile = 'a.txt'\noutlet = 3\n", "'outlet' must be a non-empty string"),
        ("title = 'x'\n", "unknown table or key 'title'"),
    ],
)
def test_a_bad_sources_toml_is_one_line(capsys, tmp_path, content, fragment):
    (tmp_path / "a.txt").write_text("Six hundred people left Millbrook.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Millbrook emptied as 600 left.\n", encoding="utf-8")
    (tmp_path / "sources.toml").write_text(content, encoding="utf-8")
    code, _, err = run(capsys, "export", tmp_path)
    one_error(code, err, "sources.toml", fragment)


# --------------------------------------------------------------------------- unsupported files


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
        ("story.docx", b"PK\x03\x04" + bytes(40), "Word"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + bytes(40), "image"),
        ("scan", b"%PDF-1.4\n" + bytes(40), "PDF"),
    ],
)
def test_an_unsupported_file_given_directly_says_what_is_supported(capsys, tmp_path, name, data, kind):
    bad = tmp_path / name
    bad.write_bytes(data)
    code, _, err = run(capsys, "export", bad, PAGES / "courier.html")
    one_error(code, err, name, kind, ".txt", ".md", ".html", "URLs")


def test_a_folder_counts_what_it_skips(capsys, tmp_path):
    for name in ("a.txt", "b.md"):
        (tmp_path / name).write_text("Six hundred people left Millbrook on Tuesday.\n", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (tmp_path / "second.pdf").write_bytes(b"%PDF-1.7")
    (tmp_path / "README").write_text("x", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    code, out, err = run(capsys, "export", tmp_path)
    assert code == 0
    assert err.splitlines() == [
        f"parallax: warning: {tmp_path}: skipped 4 files Parallax cannot read "
        "(2 .pdf, 1 .jpg and 1 without a suffix); it reads .txt, .md and .html"
    ]


def test_a_folder_with_nothing_readable(capsys, tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    code, _, err = run(capsys, "export", tmp_path, PAGES / "courier.html")
    one_error(code, err, "no .txt, .md or .html files in this folder (1 other file)")
