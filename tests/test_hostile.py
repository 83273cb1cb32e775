"""Hostile input, round two (issue 12): each defect a red-team pass found, as a regression test.

Every test here failed before its fix. They are grouped by the issue's items:
escape sequences reaching a terminal or a file (1), regular expressions that
blow up (2), numbers too large for a float (3), thousands of sources (4),
``export -o`` that must be atomic and must not overwrite its own inputs (5),
hazards of the session folder (6, 7) and smaller command-line mistakes (8).
"""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from appkit import make_source
from tui import sessions_cli
from tui.core.export import export
from tui.core.model import AlignSettings, Alignment, Annotation, Row, Sentence, Source

REPO = Path(__file__).resolve().parents[1]

#: What a terminal acts on: C0 controls but tab and newline, DEL, C1.
ACTIVE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

CLEAR = "\x1b[2J"
OSC52 = "\x1b]52;c;SGVsbG8=\x07"
HOSTILE = f"Officials said{CLEAR} 23 soldiers{OSC52} were killed\x9b1m\r\x00."


def _run(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PARALLAX_DEBUG", None)
    kwargs.setdefault("timeout", 120)
    return subprocess.run([sys.executable, "-m", "tui", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, encoding="utf-8", errors="surrogateescape", **kwargs)


def _one_row(text: str, label: str, name: str) -> Alignment:
    a = Source(id=0, name=name, label=label, text=text, sentences=(Sentence(0, 0, text, 0, len(text)),))
    b = Source(id=1, name="b.txt", label="B", text="Plain.", sentences=(Sentence(1, 0, "Plain.", 0, 6),))
    return Alignment(sources=(a, b), rows=(Row(cells=(0, 0), score=0.5),), settings=AlignSettings())


# --------------------------------------------------------------------------- 1. escape sequences


@pytest.mark.parametrize("fmt", ["long", "wide"])
def test_exported_cells_show_control_characters_as_symbols(fmt):
    """Text, source, label, header, note and tags: no control but tab and newline, the reader's symbols instead."""
    alignment = _one_row(HOSTILE, f"Gazette{OSC52}", f"a{CLEAR}.txt")
    note = Annotation(note=f"line one\tTAB\nline two {CLEAR}", tags=(f"t{OSC52}",))
    buf = io.StringIO(newline="")
    export(alignment, fmt, buf, annotations={0: note})
    cells = [c for line in csv.reader(io.StringIO(buf.getvalue(), newline="")) for c in line]
    assert not [c for c in cells if ACTIVE.search(c)]
    joined = "\n".join(cells)
    assert "\u241b[2J" in joined and "\u241b]52;c;SGVsbG8=\u2407" in joined  # ␛ and ␇, as the reader paints them
    assert "\u2400" in joined and "\u240d" in joined and "\ufffd1m" in joined  # NUL, CR, C1 CSI
    assert "line one\tTAB\nline two" in joined  # tab and newline are data
    verbatim = io.StringIO(newline="")
    export(alignment, fmt, verbatim, annotations={0: note}, guard=False)
    assert CLEAR in verbatim.getvalue() and OSC52 in verbatim.getvalue()


def test_cell_cleaner_is_one_function_for_every_exporter():
    """CSV cells also get the formula guard; JSON strings only the control mapping; both one for one."""
    from tui.core.export import clean_cell, clean_text
    from tui.core.terminal import inert_text

    assert clean_text(HOSTILE) == inert_text(HOSTILE) and len(inert_text(HOSTILE)) == len(HOSTILE)
    assert clean_cell("=1+1\x1b") == "'=1+1\u241b"
    assert clean_cell("\r=1") == "\u240d=1"  # a CR shown as a symbol no longer starts a formula
    assert clean_cell("\t=1") == "'\t=1"
    assert clean_cell(HOSTILE, guard=False) == clean_text(HOSTILE, guard=False) == HOSTILE
    assert clean_cell("=x\x1b", guard=False, controls=True) == "=x\u241b"


def _corpus(tmp_path: Path) -> list[str]:
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(f"Officials said 23 soldiers were killed{CLEAR}{OSC52} on Sunday.\n", encoding="utf-8")
    b.write_text("At least 23 soldiers were killed on Sunday, officials said.\n", encoding="utf-8")
    return [str(a), str(b)]


def test_export_to_a_pipe_is_clean_unless_no_guard(tmp_path):
    paths = _corpus(tmp_path)
    done = _run("export", *paths)
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\u241b[2J" in done.stdout
    verbatim = _run("export", "--no-guard", *paths)
    assert CLEAR in verbatim.stdout


def test_export_no_guard_to_a_terminal_is_still_inert(tmp_path):
    """``--no-guard`` is for files and pipes; on a terminal the controls are still shown as symbols."""
    import pty

    paths = _corpus(tmp_path)
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "tui", "export", "--no-guard", *paths], cwd=REPO, env=env,
                            stdout=follower, stderr=subprocess.PIPE)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other side closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=120)
    os.close(leader)
    out = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 0
    assert "soldiers" in out
    assert "\x1b" not in out and "\x07" not in out
    assert "\u241b[2J" in out


def test_sessions_show_and_list_are_inert(tmp_path, monkeypatch):
    """Sentence text, source names, labels, notes, tags, pivot and errors: nothing reaches the terminal raw."""
    from tui.core.session import Session
    from tui.core.session_store import SessionStore

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    a = make_source(0, f"Wire{OSC52}", [f"Officials said 23 soldiers were killed{CLEAR}."])
    a = Source(a.id, f"wire{CLEAR}.txt", a.label, a.text, a.sentences)
    b = make_source(1, "Gazette", ["At least 23 soldiers were killed."])
    alignment = Alignment(sources=(a, b), rows=(Row(cells=(0, 0), score=0.9),),
                          settings=AlignSettings(pivot=0))
    session = Session.new("hostile", [a, b], AlignSettings(pivot=0))
    session.bind([a, b])
    session.set_annotation(alignment, 0, Annotation(note=f"first\nsecond {CLEAR}", tags=(f"tag{OSC52}",),
                                                    starred=True))
    session.add_tag(f"story{CLEAR}")
    store = SessionStore()
    store.save(session)
    for argv in (["show", "hostile"], ["list"], ["show", "missing"]):
        out, err = io.StringIO(), io.StringIO()
        sessions_cli.main(argv, out=out, err=err)
        text = out.getvalue() + err.getvalue()
        assert text.strip()
        assert not ACTIVE.search(text), (argv, text)
    shown = "\n".join(sessions_cli.show_lines(store.load("hostile")))
    assert "\u241b[2J" in shown and "\u241b]52" in shown
    assert not ACTIVE.search(shown)


# --------------------------------------------------------------------------- 3. numbers past a float

BIG = "9" * 309  # float("9" * 309) is inf


@pytest.mark.parametrize("sentence", [
    f"The army said {BIG} soldiers died.",
    f"The army said {BIG} million soldiers died.",
    f"The army said {'9' * 300} billion soldiers died.",
    f"About {'1' * 400}.5 people, or {BIG},000 people.",
])
def test_numbers_past_a_float_are_no_error_in_features_or_compare(sentence):
    from tui.core.compare import compare_cells
    from tui.core.text import features

    features(sentence)
    diff = compare_cells({0: sentence, 1: "The army said 23 soldiers died."})
    assert all("inf" not in f.message for f in diff.flags)


def test_export_and_align_with_a_309_digit_number(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text(f"The army said {BIG} soldiers were killed on Sunday.\nTalks ended.\n", encoding="utf-8")
    b.write_text("The army said 23 soldiers were killed on Sunday.\nTalks ended.\n", encoding="utf-8")
    for args in (["export"], ["export", "--format", "wide"], ["align", "--width", "120"]):
        done = _run(*args, str(a), str(b))
        assert done.returncode == 0, (args, done.stderr)
        assert (BIG if args[0] == "export" else "9" * 40) in done.stdout  # align folds it across lines


def test_reader_export_with_a_309_digit_number(tmp_path, monkeypatch):
    from appkit import notes
    from tui.app.app import ParallaxApp

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    sources = [make_source(0, "Wire", [f"The army said {BIG} soldiers were killed.", "Talks ended."]),
               make_source(1, "Gazette", ["The army said 23 soldiers were killed.", "Talks ended."])]

    async def body(app, pilot):
        await pilot.press("e", "enter")
        await pilot.pause()
        written = list((tmp_path / "home" / "exports").glob("parallax-*.csv"))
        assert len(written) == 1, notes(app)
        assert BIG in written[0].read_text(encoding="utf-8")

    from appkit import run

    run(ParallaxApp(sources), body)


# --------------------------------------------------------------------------- 4. thousands of sources


def _many(folder: Path, n: int) -> Path:
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:05d}.txt").write_text(f"Officials said {i} soldiers were killed on Sunday.\n", encoding="utf-8")
    return folder


def test_align_refuses_more_sources_than_a_table_can_show(tmp_path, capsys, monkeypatch):
    """1,000 files reached 757 MB with columns 0-1 characters wide: refused before aligning, with advice."""
    from tui.cli import main
    import tui.core.align

    folder = _many(tmp_path / "many", 201)
    aligned = []
    monkeypatch.setattr(tui.core.align, "align", lambda *a, **k: aligned.append(1))
    assert main(["align", str(folder), "--width", "5000"]) == 2
    err = capsys.readouterr().err
    assert "201 sources are too many for a table" in err and "export --format wide" in err
    assert aligned == []


def test_align_says_what_width_a_table_needs(tmp_path, capsys):
    from tui.cli import main

    folder = _many(tmp_path / "twelve", 12)
    assert main(["align", str(folder), "--width", "80"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "need a table 116 columns wide" in err and "--width 116" in err
    assert main(["align", str(folder), "--width", "116"]) == 0
    assert "12 rows" in capsys.readouterr().out


# --------------------------------------------------------------------------- 5. export -o: whole or nothing, never over its inputs


def _two_articles(folder: Path) -> list[str]:
    folder.mkdir(exist_ok=True)
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text("Officials said 23 soldiers were killed on Sunday.\nTalks ended without a deal.\n", encoding="utf-8")
    b.write_text("At least 23 soldiers were killed, officials said.\nThe talks ended.\n", encoding="utf-8")
    return [str(a), str(b)]


class _FullDisk:
    """A file object that takes half of what it is given, then fails as a full disk does."""

    def __init__(self, fp):
        self.fp = fp

    def write(self, text: str) -> int:
        import errno

        self.fp.write(text[: len(text) // 2])
        self.fp.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.fp, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fp.close()


@pytest.mark.parametrize("command", ["export", "report"])
def test_output_on_a_full_disk_keeps_the_old_file(tmp_path, capsys, monkeypatch, command):
    """519 of 4,449 lines were left in place of the CSV: now the old file stays, no temp file, one line."""
    from tui.cli import main

    paths = _two_articles(tmp_path / "in")
    out = tmp_path / "rows.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k)))
    assert main([command, *paths, "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and str(out) in err
    assert out.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "rows.csv"]  # no .tmp left behind


def test_output_is_written_whole_with_the_old_files_permissions(tmp_path, capsys):
    from tui.cli import main

    paths = _two_articles(tmp_path / "in")
    out = tmp_path / "rows.csv"
    out.write_text("old\n", encoding="utf-8")
    os.chmod(out, 0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(out)
    assert main(["export", *paths, "-o", str(link)]) == 0
    assert link.is_symlink() and out.read_text(encoding="utf-8").startswith("row,row_id,source,")
    assert (out.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "link.csv", "rows.csv"]


def test_output_over_an_input_article_or_a_session_is_refused(tmp_path, capsys, monkeypatch):
    from tui.cli import main

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    paths = _two_articles(tmp_path / "in")
    before = Path(paths[0]).read_bytes()
    assert main(["export", *paths, "-o", paths[0]]) == 2
    err = capsys.readouterr().err
    assert "is the article a.txt being exported" in err and err.count("\n") == 1
    assert Path(paths[0]).read_bytes() == before
    sessions = tmp_path / "home" / "sessions"
    sessions.mkdir(parents=True)
    (sessions / "story.json").write_text("{}", encoding="utf-8")
    for target in (sessions / "story.json", sessions / "new.csv"):
        assert main(["export", *paths, "-o", str(target)]) == 2
        assert "sessions folder" in capsys.readouterr().err
    assert (sessions / "story.json").read_text(encoding="utf-8") == "{}"
    assert not (sessions / "new.csv").exists()
