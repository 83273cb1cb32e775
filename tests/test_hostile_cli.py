"""Hostile input, round two, item 8 (issue 12): the smaller command-line and folder mistakes.

Each test failed before its fix: a pivot that ``str.isdigit`` accepts but
``int`` refuses (``²``) or cannot convert (5,000 digits) was exit 1 with
"unexpected ValueError"; a folder nested 1,200 deep was a RecursionError
from ``os.walk``; a sub-folder that cannot be listed was skipped without a
word; a gold file nested thousands deep was a RecursionError.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from tui.cli import main
from tui.core.errors import ParallaxError
from tui.core.ingest import load_sources

ARTICLE_A = "Officials said ten soldiers were killed on Sunday. The army gave no names.\n"
ARTICLE_B = "Ten soldiers died on Sunday, officials said. Names were not released.\n"


def _two(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (folder / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return folder


@pytest.mark.parametrize("pivot", ["²", "٣", "9" * 5000, "1" + "0" * 30], ids=["superscript", "arabic", "5000-digits", "huge"])
@pytest.mark.parametrize("command", ["align", "export"])
def test_a_pivot_no_source_has_is_a_one_line_usage_error(tmp_path, capsys, command, pivot):
    folder = _two(tmp_path / "story")
    assert main([command, str(folder), "--pivot", pivot]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown pivot" in err and "unexpected" not in err
    assert len(err) < 400  # the 5,000 digits are not echoed whole


def test_an_ascii_index_still_picks_the_pivot(tmp_path, capsys):
    folder = _two(tmp_path / "story")
    assert main(["align", str(folder), "--pivot", "1", "--width", "80"]) == 0
    assert "pivot 1" in capsys.readouterr().out


@pytest.mark.parametrize("width", ["100000000", "9" * 5000, "²", "39"], ids=["1e8", "5000-digits", "superscript", "39"])
def test_an_impossible_width_is_a_one_line_usage_error(tmp_path, capsys, width):
    folder = _two(tmp_path / "story")
    assert main(["align", str(folder), "--width", width]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--width" in err and len(err) < 400


def test_a_folder_nested_1200_deep_is_walked_without_recursion(tmp_path):
    top = _two(tmp_path / "story")
    here = top
    for _ in range(1200):  # os.makedirs recurses too
        here = here / "d"
        here.mkdir()
    (here / "deep.txt").write_text("Deep down, officials said ten soldiers were killed.\n", encoding="utf-8")
    try:
        sources = load_sources([top])
        assert [s.name for s in sources][:2] == ["a.txt", "b.txt"]
        assert len(sources) == 3 and "Deep down" in sources[2].text
    finally:
        # pytest's own clean-up of old temporary folders recurses (shutil.rmtree)
        # and fails on a tree this deep: remove it deepest first.
        (here / "deep.txt").unlink()
        while here != top:
            here.rmdir()
            here = here.parent


def test_an_unreadable_sub_folder_is_warned_about(tmp_path, monkeypatch):
    """As root, permissions do not stop a listing, so the refusal is simulated."""
    top = _two(tmp_path / "story")
    (top / "locked").mkdir()
    (top / "locked" / "c.txt").write_text(ARTICLE_A, encoding="utf-8")
    (top / "open").mkdir()
    (top / "open" / "d.txt").write_text(ARTICLE_B, encoding="utf-8")
    real = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    said: list[str] = []
    sources = load_sources([top], warn=said.append)
    assert [s.name for s in sources] == ["a.txt", "b.txt", "d.txt"]
    assert len(said) == 1 and "1 sub-folder" in said[0] and "locked" in said[0]


def test_an_unreadable_top_folder_is_still_an_error(tmp_path, monkeypatch):
    top = _two(tmp_path / "story")
    monkeypatch.setattr(os, "scandir", lambda path: (_ for _ in ()).throw(PermissionError(errno.EACCES, "Permission denied")))
    with pytest.raises(ParallaxError, match="cannot list this folder"):
        load_sources([top])


def test_folder_walk_keeps_name_order_and_ignores_links_to_folders(tmp_path):
    top = tmp_path / "story"
    for rel in ("b.txt", "a/z.txt", "a/b/c.txt", "c.md"):
        (top / rel).parent.mkdir(parents=True, exist_ok=True)
        (top / rel).write_text(ARTICLE_A.replace("ten", rel), encoding="utf-8")
    (top / "loop").symlink_to(top, target_is_directory=True)
    sources = load_sources([top])
    assert [s.path.relative_to(top).as_posix() for s in sources] == ["a/b/c.txt", "a/z.txt", "b.txt", "c.md"]


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                                  '{"story": ' + "9" * 5000 + "}"], ids=["lists", "objects", "5000-digits"])
def test_evaluate_on_a_deeply_nested_gold_file_is_one_line(tmp_path, capsys, body):
    gold = tmp_path / "gold.json"
    gold.write_text(body, encoding="utf-8")
    assert main(["evaluate", str(gold)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"gold {gold}" in err and "unexpected" not in err


def test_evaluate_still_reads_a_real_gold_file(tmp_path):
    from tui.core.evaluate import load_gold

    corpus = _two(tmp_path / "story")
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"story": "s", "corpus": str(corpus), "sources": ["a.txt", "b.txt"], "groups": []}),
                    encoding="utf-8")
    assert load_gold(gold).sources == ("a.txt", "b.txt") or list(load_gold(gold).sources) == ["a.txt", "b.txt"]


# --------------------------------------------------------------------------- 5 MB of one sentence: progress, a way out


class _Terminal:
    """A stream that says it is a terminal and records what was written."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass


def test_the_ticker_says_the_stage_and_how_to_stop_then_wipes_its_line():
    import time

    from tui.progress import Ticker

    term = _Terminal()
    with Ticker("parallax export", stream=term, delay=0.0, every=0.01) as ticker:
        ticker.stage("aligning 57,600 sentences of 2 sources")
        deadline = time.monotonic() + 10
        while not any("aligning" in p for p in term.parts) and time.monotonic() < deadline:
            time.sleep(0.01)
    written = "".join(term.parts)
    assert "parallax export: aligning 57,600 sentences of 2 sources, 0 s (Ctrl-C stops)" in written
    assert written.endswith("\r\x1b[K")  # the line is gone before the output comes


def test_the_ticker_is_silent_off_a_terminal_and_on_quick_runs():
    import io

    from tui.progress import Ticker

    pipe = io.StringIO()
    with Ticker("parallax export", stream=pipe, delay=0.0, every=0.01):
        pass
    term = _Terminal()
    with Ticker("parallax export", stream=term, delay=5.0):
        pass
    assert pipe.getvalue() == "" and term.parts == []


def test_a_long_export_shows_the_ticker_and_ctrl_c_is_one_line(tmp_path, capsys, monkeypatch):
    """5 MB of one sentence took 154 s with nothing on screen; now a ticker runs and Ctrl-C stops it in one line."""
    import time

    import tui.cli
    import tui.core.align

    folder = _two(tmp_path / "story")
    seen: list[str] = []

    def slow_align(*args, **kwargs):
        deadline = time.monotonic() + 10
        while not any("aligning" in line for line in seen) and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    term = _Terminal()
    real = tui.cli.Ticker

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, prog, **kwargs):
            super().__init__(prog, stream=term, delay=0.0, every=0.01)

        def line(self):
            text = super().line()
            seen.append(text)
            return text

    monkeypatch.setattr(tui.cli, "Ticker", Watched)
    monkeypatch.setattr(tui.core.align, "align", slow_align)
    assert main(["export", str(folder)]) == 130
    assert any("parallax export: aligning 4 sentences of 2 sources" in line and "Ctrl-C stops" in line for line in seen)
    assert capsys.readouterr().err == "parallax: interrupted\n"
