"""The ``parallax`` command: exit statuses, messages and output, in-process and for real.

Most tests call :func:`tui.cli.main` directly (fast, with capsys); a few run
``python -m tui`` in a subprocess, because only a real process shows what a
user sees: the console entry point, a closed pipe, stray tracebacks.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tui import __version__
from tui.cli import main, printable
from tui.core.settings import Explicit, resolve_pivot
from tui.core.export import export
from tui.core.model import AlignSettings

REPO = Path(__file__).resolve().parent.parent
HEADER = "row,row_id,source,sentence,text,start,end,coverage,score,label,kind,flags,note,tags,starred"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_user_error(code: int, err: str, *fragments: str) -> None:
    """Exit 2 with exactly one ``parallax: error:`` line mentioning every fragment."""
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("parallax: error: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


# --------------------------------------------------------------------------- basics


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.strip() == f"parallax {__version__}"


def test_help_has_examples(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    assert "examples:" in out and "parallax export" in out


# --------------------------------------------------------------------------- export


def test_export_to_stdout_is_long_csv_of_the_seeds(capsys, seeds_alignment):
    code, out, err = run(capsys, "export")
    assert code == 0 and err == ""
    header, *lines = list(csv.reader(io.StringIO(out)))
    assert ",".join(header) == HEADER
    assert len(lines) == sum(len(s.sentences) for s in seeds_alignment.sources)


def test_export_to_file_reports_lines(capsys, tmp_path, seeds_alignment):
    target = tmp_path / "rows.csv"
    code, out, err = run(capsys, "export", "-o", target)
    total = sum(len(s.sentences) for s in seeds_alignment.sources)
    assert code == 0 and out == ""
    assert err.strip() == f"wrote {total} lines to {target}"
    with target.open(encoding="utf-8", newline="") as fp:
        rows = list(csv.reader(fp))
    assert ",".join(rows[0]) == HEADER and len(rows) == total + 1


def test_export_wide(capsys, seeds_alignment):
    code, out, _ = run(capsys, "export", "--format", "wide")
    header, *lines = list(csv.reader(io.StringIO(out)))
    assert code == 0
    assert header[4:-5] == [s.name for s in seeds_alignment.sources]
    assert len(lines) == len(seeds_alignment.rows)


def test_export_pivot_by_name_matches_the_pipeline(capsys, seeds_alignment):
    from tui.core.align import align

    pivot = seeds_alignment.sources[2]
    expected = io.StringIO(newline="")
    export(align(list(seeds_alignment.sources), AlignSettings(pivot=2)), "long", expected)
    for name in (pivot.name, Path(pivot.name).stem, "2"):
        code, out, _ = run(capsys, "export", "--pivot", name)
        assert code == 0
        assert out == expected.getvalue()


def test_export_paths_and_threshold(capsys, two_articles):
    code, out, _ = run(capsys, "export", *two_articles, "--threshold", "0.99", "--no-guard")
    assert code == 0
    sources = {line[2] for line in list(csv.reader(io.StringIO(out)))[1:]}
    assert sources == {"alpha.txt", "beta.md"}


def test_export_does_not_import_textual(tmp_path):
    code = (
        "import sys; from tui.cli import main\n"
        f"rc = main(['export', '-o', {str(tmp_path / 'x.csv')!r}])\n"
        "print(rc, 'textual' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["0", "False"], done.stderr


def test_parser_leaves_the_batch_driver_unimported_until_batch_runs(tmp_path):
    code = (
        "import sys; from tui.cli import build_parser, main\n"
        "args = build_parser().parse_args(['batch', 'stories', '--workers', '2'])\n"
        f"rc = main(['export', '-o', {str(tmp_path / 'x.csv')!r}])\n"
        "print(rc, args.workers, 'tui.batch_cli' in sys.modules, 'tui.core.batch' in sys.modules)\n"
        f"main(['batch', {str(tmp_path / 'none')!r}])\n"
        "print('tui.batch_cli' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["0", "2", "False", "False", "True"], done.stderr


def test_program_runs_openblas_on_one_thread_unless_the_user_chose():
    code = (
        "import os, sys; from tui.cli import main\n"
        "main(['--version'])\n"  # called with arguments (a test, a host program): the environment stays
        "print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules)\n"
        "sys.argv = ['parallax', '--version']\n"
        "main()\n"
        "print(os.environ.get('OPENBLAS_NUM_THREADS'))\n"
    )

    def seen(**env: str) -> list[str]:
        base = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**base, **env},
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        lines = done.stdout.splitlines()
        return lines[1::2]  # each after the version line

    assert seen() == ["None False", "1"]  # set by main() as the program (numpy is not loaded yet)
    assert seen(OPENBLAS_NUM_THREADS="3") == ["3 False", "3"]


def test_printable_shows_controls_as_symbols():
    assert printable("a\x1b[2Jb\x9bc\x7f\td") == "a\u241b[2Jb\ufffdc\u2421 d"
    assert printable("one\ntwo", keep_newlines=True) == "one\ntwo"
    assert printable("one\ntwo") == "one\u240atwo"


# --------------------------------------------------------------------------- pivot


def test_resolve_pivot_forms(seeds_sources):
    third = seeds_sources[3]
    assert resolve_pivot(seeds_sources, "3") == 3
    assert resolve_pivot(seeds_sources, third.name) == 3
    assert resolve_pivot(seeds_sources, Path(third.name).stem) == 3
    assert resolve_pivot(seeds_sources, third.label.upper()) == 3


def test_unknown_pivot_lists_the_choices(capsys, seeds_sources):
    code, _, err = run(capsys, "export", "--pivot", "nonesuch")
    assert_user_error(code, err, "unknown pivot 'nonesuch'", *(s.name for s in seeds_sources))
    code, _, err = run(capsys, "export", "--pivot", "9")
    assert_user_error(code, err, "unknown pivot '9'")


# --------------------------------------------------------------------------- bad input


def test_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "export", tmp_path / "nope.txt", tmp_path / "nope2.txt")
    assert_user_error(code, err, "nope")


def test_folder_without_text_files(capsys, tmp_path):
    (tmp_path / "picture.png").write_bytes(b"\x89PNG")
    code, _, err = run(capsys, "export", tmp_path)
    assert_user_error(code, err)


def test_binary_file(capsys, tmp_path, two_articles):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(bytes(range(256)) * 8)
    code, _, err = run(capsys, "export", two_articles[0], blob)
    assert_user_error(code, err, "blob.txt")


def test_empty_file(capsys, tmp_path, two_articles):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    code, _, err = run(capsys, "export", two_articles[0], empty)
    assert_user_error(code, err, "empty.txt")


def test_too_large_file(capsys, tmp_path, two_articles):
    big = tmp_path / "big.txt"
    big.write_text("Word. " * 40_000, encoding="utf-8")
    code, _, err = run(capsys, "export", two_articles[0], big, "--max-size", "0.1")
    assert_user_error(code, err, "big.txt")


def test_only_one_source(capsys, two_articles):
    code, _, err = run(capsys, "export", two_articles[0])
    assert_user_error(code, err, "need at least two sources to compare")


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="needs a file system that takes any bytes")
def test_undecodable_file_names_still_export_utf8(capsys, tmp_path):
    folder = tmp_path / "scrape"
    folder.mkdir()
    for raw in (b"caf\xe9.txt", b"na\xefve.txt"):
        (folder / os.fsdecode(raw)).write_bytes(b"The mayor said the fire was out by Tuesday.\n")
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "export", folder, "-o", target)
    assert code == 0, err
    text = target.read_bytes().decode("utf-8")
    assert text.count("The mayor said") == 2


@pytest.mark.parametrize(("argv", "prog", "fragment"), [
    (["export", "--threshold", "abc"], "parallax export", "not a number"),
    (["export", "--threshold", "-1"], "parallax export", "between 0 and 1"),
    (["export", "--threshold", "nan"], "parallax export", "between 0 and 1"),
    (["export", "--threshold", "inf"], "parallax export", "between 0 and 1"),
    (["export", "--threshold", "2"], "parallax export", "between 0 and 1"),
    (["export", "--format", "xml"], "parallax export", "invalid choice: 'xml'"),
    (["export", "--pivot"], "parallax export", "expected one argument"),
    (["export", "--max-size", "0"], "parallax export", "above 0"),
    (["export", "--max-size", "nan"], "parallax export", "above 0"),
    (["align", "--width", "5"], "parallax align", "at least 40"),
    (["omissions", "--min-share", "1.5"], "parallax omissions", "between 0 and 1"),
    (["omissions", "--min-share", "half"], "parallax omissions", "not a number"),
    (["omissions", "--format", "json"], "parallax omissions", "invalid choice: 'json'"),
    (["export", "--min-share", "-0.5"], "parallax export", "between 0 and 1"),
    (["--min-share", "nan"], "parallax", "between 0 and 1"),
    (["--threshold", "7"], "parallax", "between 0 and 1"),  # open, the implied command
    (["--frobnicate"], "parallax", "unrecognized arguments"),
])
def test_bad_option_values_are_one_line_errors(capsys, argv, prog, fragment):
    """No usage block, no garbled prog: one line naming the command, exit 2."""
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"{prog}: error: ") and fragment in lines[0]


def test_subcommand_help_has_a_clean_usage_line(capsys):
    code, out, _ = run(capsys, "export", "--help")
    assert code == 0
    assert out.startswith("usage: parallax export [-h]")
    assert "COMMAND" not in out.split("\n\n")[0]  # the main parser's usage does not leak in


def test_a_file_given_twice_is_used_once_with_a_warning(capsys, tmp_path, monkeypatch, two_articles):
    monkeypatch.chdir(tmp_path)
    a, b = two_articles
    code, _, err = run(capsys, "export", a, "./alpha.txt")
    lines = err.splitlines()
    assert lines[0] == "parallax: warning: alpha.txt is given twice (also as " + str(a) + "); using it once"
    assert_user_error(code, "\n".join(lines[1:]), "at least two sources")  # not an article against itself

    code, out, err = run(capsys, "export", a, b, tmp_path)  # the folder holds both again
    assert code == 0
    assert err.count("parallax: warning: ") == 2 and "Traceback" not in err
    sources = {d["source"] for d in csv.DictReader(io.StringIO(out))}
    assert sources == {"alpha.txt", "beta.md"}  # no "(2)" copies, no "//tmp/..." names


def test_output_in_missing_folder(capsys, tmp_path):
    code, _, err = run(capsys, "export", "-o", tmp_path / "no" / "such" / "out.csv")
    assert_user_error(code, err, "does not exist")


def test_output_is_a_directory(capsys, tmp_path):
    code, _, err = run(capsys, "export", "-o", tmp_path)
    assert_user_error(code, err, "is a directory")


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_output_in_read_only_folder(capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        code, _, err = run(capsys, "export", "-o", locked / "out.csv")
    finally:
        locked.chmod(0o700)
    assert_user_error(code, err, "cannot write", "ermission denied")


def test_output_that_cannot_be_opened(capsys, tmp_path, monkeypatch):
    """The read-only case without relying on file modes (CI may run as root)."""
    import tempfile

    target = tmp_path / "out.csv"
    real_mkstemp = tempfile.mkstemp

    def refuse(*args, dir=None, **kwargs):  # noqa: A002 - tempfile's own name
        if dir is not None and Path(dir) == target.parent:  # -o writes a temporary file beside the target
            raise PermissionError(13, "Permission denied", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    code, _, err = run(capsys, "export", "-o", target)
    assert_user_error(code, err, "cannot write", "Permission denied")


def test_unexpected_error_is_one_line_unless_debugging(capsys, monkeypatch):
    import tui.core.align

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(tui.core.align, "align", boom)
    monkeypatch.delenv("PARALLAX_DEBUG", raising=False)
    code, _, err = run(capsys, "export")
    assert code == 1
    assert err.count("\n") == 1 and "RuntimeError: boom" in err and "Traceback" not in err
    monkeypatch.setenv("PARALLAX_DEBUG", "1")
    code, _, err = run(capsys, "export")
    assert code == 1 and "Traceback" in err


def test_ctrl_c_exits_130_with_one_line(capsys, monkeypatch):
    """Issue 12 item 8: a long run stopped with Ctrl-C says so in one line, no traceback."""
    import tui.core.align

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tui.core.align, "align", interrupted)
    code, out, err = run(capsys, "export")
    assert (code, out, err) == (130, "", "parallax: interrupted\n")


# --------------------------------------------------------------------------- align, evaluate, sessions, open


def test_align_prints_every_source(capsys, seeds_sources):
    code, out, _ = run(capsys, "align", "--width", "2000")
    assert code == 0
    for source in seeds_sources:
        shortest = min((s.text for s in source.sentences), key=len)
        assert shortest in out
    assert "—" in out  # gaps are shown


def test_align_never_reads_article_text_as_markup(capsys, tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("The [bold]mayor[/bold] spoke at [link=x]noon[/link].\n", encoding="utf-8")
    b.write_text("Nobody else said [red]anything[/].\n", encoding="utf-8")
    code, out, _ = run(capsys, "align", a, b, "--width", "300")
    assert code == 0
    assert "[bold]mayor[/bold]" in out and "[red]anything[/]" in out


def test_evaluate_prints_a_summary(capsys):
    gold = REPO / "tests" / "gold" / "harbour-fire" / "gold.json"
    if not gold.is_file():
        pytest.skip("no gold story in this checkout")
    code, out, _ = run(capsys, "evaluate", gold)
    assert code == 0 and out.strip()


def test_evaluate_missing_gold(capsys, tmp_path):
    code, _, err = run(capsys, "evaluate", tmp_path / "gold.json")
    assert_user_error(code, err, "gold.json")


def test_sessions_delegates_the_rest_of_the_line(capsys, monkeypatch):
    seen: list[list[str]] = []
    fake = types.ModuleType("tui.sessions_cli")
    fake.main = lambda argv: seen.append(argv) or 7
    monkeypatch.setitem(sys.modules, "tui.sessions_cli", fake)
    code, _, _ = run(capsys, "sessions", "show", "x", "--json")
    assert code == 7 and seen == [["show", "x", "--json"]]


@pytest.fixture
def fake_app(monkeypatch) -> list[tuple]:
    """Stand in for the Textual app so ``open`` is tested without a terminal."""
    calls: list[tuple] = []
    fake = types.ModuleType("tui.app.app")
    fake.run_app = lambda sources, explicit, *, session=None, config=None: calls.append((sources, explicit, session)) or 0
    monkeypatch.setitem(sys.modules, "tui.app.app", fake)
    monkeypatch.setattr("tui.cli._has_terminal", lambda: True)
    return calls


def test_open_is_the_default_command(capsys, fake_app, two_articles):
    code, _, _ = run(capsys, *two_articles, "--pivot", "beta", "--threshold", "0.7", "--session", "s1",
                     "--min-share", "0.7")
    assert code == 0
    (sources, explicit, session), = fake_app
    assert [s.name for s in sources] == ["alpha.txt", "beta.md"]
    assert explicit == Explicit.of(threshold=0.7, pivot=1, min_share=0.7)  # what was given, nothing else
    assert session == "s1"
    code, _, _ = run(capsys)
    assert code == 0 and len(fake_app[1][0]) >= 2  # the seeds


def test_open_fails_fast_before_the_app(capsys, fake_app, two_articles):
    code, _, err = run(capsys, "open", two_articles[0])
    assert_user_error(code, err, "need at least two sources")
    assert fake_app == []


def _saved_session(home: Path, sources, name: str = "story") -> str:
    """Save a session on ``sources`` with a note on the row of source 1's first sentence."""
    from tui.core.align import align
    from tui.core.model import Annotation
    from tui.core.session import Session
    from tui.core.session_store import SessionStore

    session = Session.new(name, sources)
    alignment = align(list(sources), session.align_settings(sources))
    row = next(r for r, row in enumerate(alignment.rows) if row.holds(1, 0))
    session.set_annotation(alignment, row, Annotation(note="=check this", tags=("numbers",), starred=True))
    SessionStore(home / "sessions").save(session)
    return sources[1].sentences[0].text


def test_export_with_session_annotations(capsys, tmp_path, monkeypatch, seeds_sources):
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    text = _saved_session(tmp_path, seeds_sources)
    for extra in ([], ["--pivot", seeds_sources[3].name, "--threshold", "0.6"]):
        code, out, err = run(capsys, "export", "--session", "story", "--format", "wide", *extra)
        assert code == 0, err
        lines = list(csv.DictReader(io.StringIO(out)))
        noted = [d for d in lines if d["note"]]
        assert len(noted) == 1
        assert noted[0]["note"] == "'=check this"  # guarded like any text cell
        assert (noted[0]["tags"], noted[0]["starred"]) == ("numbers", "1")
        if not extra:  # other settings may split the annotated row; the session then picks one part
            assert noted[0][seeds_sources[1].name] == text
        # --pivot/--threshold override the session's settings: the rows are those of a plain export
        code, plain, _ = run(capsys, "export", "--format", "wide", *extra)
        strip = [{k: v for k, v in d.items() if k not in ("note", "tags", "starred")} for d in lines]
        assert strip == [{k: v for k, v in d.items() if k not in ("note", "tags", "starred")}
                         for d in csv.DictReader(io.StringIO(plain))]


def test_export_with_unknown_session(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    code, _, err = run(capsys, "export", "--session", "nonesuch")
    assert_user_error(code, err, "nonesuch")


def test_export_with_a_session_and_other_files(capsys, tmp_path, monkeypatch, seeds_sources, two_articles):
    """Files that are not the session's: refused if none match, a warning naming what is lost if some do."""
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    _saved_session(tmp_path, seeds_sources)
    code, out, err = run(capsys, "export", "--session", "story", *two_articles)
    assert_user_error(code, err, "none of the given files", seeds_sources[0].name)
    assert out == ""

    code, out, err = run(capsys, "export", "--session", "story", seeds_sources[1].path, two_articles[0],
                         "--threshold", "0.5")
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("parallax: warning: session 'story': ")
    assert seeds_sources[0].name in lines[0] and "alpha.txt is not among its sources" in lines[0]
    assert "0 of 1 annotations" in lines[0]  # the note's row has source 1's sentence: it is kept
    assert any(d["note"] for d in csv.DictReader(io.StringIO(out)))


def test_export_with_a_damaged_session_leaves_the_file_alone(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "bad.json").write_text("{ not json", encoding="utf-8")
    code, out, err = run(capsys, "export", "--session", "bad")
    assert_user_error(code, err, "bad", "damaged")
    assert "moved" not in err and out == ""
    assert sorted(p.name for p in folder.iterdir()) == ["bad.json"]


def test_open_without_a_terminal_refuses_instead_of_hanging(capsys, fake_app, monkeypatch):
    monkeypatch.setattr("tui.cli._has_terminal", lambda: False)
    code, _, err = run(capsys)
    assert_user_error(code, err, "needs a terminal")
    assert fake_app == []


def test_subprocess_open_with_no_stdin_exits():
    """CI has no stdin: `parallax` must say so, not wait for keys."""
    done = _python_m_tui()
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr


# --------------------------------------------------------------------------- real processes


def _python_m_tui(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PARALLAX_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], cwd=REPO, env=env,
        capture_output=True, text=True, encoding="utf-8", timeout=120, stdin=subprocess.DEVNULL, **kwargs,
    )


def test_subprocess_export_and_bad_input(tmp_path):
    done = _python_m_tui("export", "--format", "wide")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("row,row_id,coverage,score,")
    assert done.stderr == ""

    done = _python_m_tui("export", str(tmp_path / "missing.txt"), str(tmp_path / "other.txt"))
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and done.stderr.startswith("parallax: error: ")


def test_subprocess_export_is_utf8_whatever_the_locale():
    env = {**os.environ, "PYTHONIOENCODING": "latin-1", "LC_ALL": "C"}
    done = subprocess.run(
        [sys.executable, "-m", "tui", "export"], cwd=REPO, env=env,
        capture_output=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    assert "\u2019".encode() in done.stdout  # the seeds' curly apostrophes, in UTF-8
    done.stdout.decode("utf-8")


def test_subprocess_closed_pipe_is_quiet():
    """Like ``parallax export | true``: the reader is gone before the first write."""
    env = {**os.environ}
    env.pop("PARALLAX_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tui", "export"], cwd=REPO, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert err == ""


# --------------------------------------------------------------------------- omissions


def test_omissions_text_is_grouped_by_source_and_agrees_with_the_model(capsys, seeds_alignment):
    from tui.core.omissions import omissions

    model = omissions(seeds_alignment)
    code, out, err = run(capsys, "omissions")
    assert code == 0 and err == ""
    wide = len(model.widely_reported)
    assert out.startswith(f"{wide} of {len(seeds_alignment.rows)} rows are widely reported (by at least 3 of 5")
    for account in model.sources:
        name = seeds_alignment.sources[account.source].name
        k = account.leaves_out
        line = next(x for x in out.splitlines() if x.startswith(name))
        assert f"leaves out {k or 'none'} of the {wide} widely reported rows" in line
        assert f"reports {account.reports_unique} rows no one else does" in line
    assert out.count("\n  row #") == sum(a.leaves_out for a in model.sources)
    # an omission from a row whose links are weak says so, as the reader's ? does
    for r in {r for a in model.sources for r in a.left_out}:
        line = next(x for x in out.splitlines() if x.startswith(f"  row #{r} · "))
        assert ("· uncertain links ·" in line) == model.rows[r].uncertain
    assert any(model.rows[r].uncertain for a in model.sources for r in a.left_out)
    # a widely reported row a source probably tells in another row is said so, apart, with its own sentence
    assert out.count("\n    row #") == sum(len(a.elsewhere) for a in model.sources)
    for account in model.sources:
        for row, other in account.elsewhere:
            assert f"    row #{row} · probably in its row #{other}: " in out


def test_omissions_csv(capsys, seeds_alignment):
    from tui.core.omissions import omissions

    model = omissions(seeds_alignment)
    code, out, _ = run(capsys, "omissions", "--format", "csv")
    assert code == 0
    header, *lines = list(csv.reader(io.StringIO(out)))
    assert header == ["source", "row", "reported_by", "text"]
    names = [s.name for s in seeds_alignment.sources]
    expected = [(names[a.source], str(r)) for a in model.sources for r in a.left_out]
    assert [(line[0], line[1]) for line in lines] == expected
    for source, row, by, text in lines:
        r = int(row)
        assert int(by) == model.rows[r].reported_by >= seeds_alignment.rows[r].count >= 3
        # one source's cell (its body sentences, when it has a headline in the row too)
        assert any(text in (seeds_alignment.cell_text(r, s) or "") for s in seeds_alignment.rows[r].coverage)
        assert seeds_alignment.rows[r].cells[names.index(source)] == ()


def test_omissions_min_share_changes_what_counts(capsys):
    counts = []
    for share in ("0", "0.5", "1"):
        code, out, _ = run(capsys, "omissions", "--format", "csv", "--min-share", share)
        assert code == 0
        counts.append(len(out.splitlines()) - 1)
    assert counts[0] > counts[1] > counts[2] == 0  # at 1 a row everybody has is left out by nobody


def test_omissions_bad_input_is_one_line(capsys, tmp_path, two_articles):
    code, out, err = run(capsys, "omissions", tmp_path / "missing.txt", two_articles[0])
    assert_user_error(code, err, "missing.txt")
    assert out == ""
    code, out, err = run(capsys, "omissions", two_articles[0])
    assert_user_error(code, err, "need at least two sources")


def test_omissions_with_a_session_uses_its_stored_share(capsys, tmp_path, monkeypatch, seeds_sources):
    from tui.core.session import Session
    from tui.core.session_store import SessionStore

    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    SessionStore(tmp_path / "sessions").save(Session.new("strict", seeds_sources, AlignSettings(min_share=1.0)))
    code, out, err = run(capsys, "omissions", "--session", "strict", "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["source,row,reported_by,text"]
    code, strict_flag, _ = run(capsys, "omissions", "--format", "csv", "--min-share", "1")
    assert strict_flag == out
    code, loose, _ = run(capsys, "omissions", "--session", "strict", "--format", "csv", "--min-share", "0.5")
    code, plain, _ = run(capsys, "omissions", "--format", "csv")
    assert loose == plain and len(plain.splitlines()) > 1  # the flag wins over the stored share


def test_export_spelling_flag(capsys):
    code, out, _ = run(capsys, "export")
    assert code == 0 and "Defense" not in "".join(d["flags"] for d in csv.DictReader(io.StringIO(out)))
    code, out, _ = run(capsys, "export", "--spelling")
    assert "spelling: Defence" in "".join(d["flags"] for d in csv.DictReader(io.StringIO(out)))
