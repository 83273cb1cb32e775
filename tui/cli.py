"""The ``parallax`` command: open the reader, export CSV, print an alignment, evaluate.

The command line is the front door for scripts as well as people, so it is
strict about one thing: bad input (a missing file, a binary file, a single
source, an unwritable output) ends with one ``parallax: error: ...`` line on
stderr and exit status 2, never a traceback. Sources are loaded *before* the
reader starts, so such mistakes fail fast in the shell instead of inside a
full-screen app.

Textual is imported only when the reader actually opens: ``parallax export``
and ``parallax align`` are tools for pipelines and must start quickly.

This module parses and dispatches; the output rules (whole files or nothing,
never over an input, stdout fit for CSV) are :mod:`tui.cli_output`'s, the
printed views (``omissions``, ``align``, ``config``) :mod:`tui.print_cli`'s,
``batch`` and ``sessions`` have modules of their own.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from tui import __version__
from tui.cli_output import (
    UsageError,
    _check_not_an_input,
    _check_output,
    _stdout_is_terminal,
    _utf8_stdout,
    _write_output,
    printable,
)
from tui.core.errors import ParallaxError
from tui.core.export import FORMATS
from tui.finish import ENDS_AT_ONCE, collector_paused, end_at_once, ending_at_once
from tui.progress import Ticker
from tui.core.settings import explicit_from, flag_for, parse_share, parse_threshold, resolve

#: ``parallax report --format`` (as in :data:`tui.core.report.FORMATS`, not imported: it pulls in the comparer)
REPORT_FORMATS = ("markdown", "html")
#: ``parallax omissions --format``
OMISSION_FORMATS = ("text", "csv")
OMISSIONS_HEADER = ("source", "row", "reported_by", "text")

if TYPE_CHECKING:
    from tui.core.config import Config
    from tui.core.model import AlignSettings, Alignment, Annotation, Source

PROG = "parallax"
COMMANDS = ("open", "export", "report", "omissions", "align", "evaluate", "batch", "sessions", "config")
DEFAULT_MAX_MB = 5.0
#: Seconds a URL may take; tui.core.fetch.DEFAULT_TIMEOUT, repeated so --help does not import it.
DEFAULT_TIMEOUT = 20.0

#: Exit statuses: 2 for anything the user can fix (argparse uses 2 as well),
#: 1 for bugs, 130 for Ctrl-C, 141 for a closed pipe (as if killed by SIGPIPE).
EXIT_USAGE = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

EXAMPLES = """\
examples:
  parallax                          open the reader on the bundled sample articles
  parallax a.txt b.md articles/     open the reader on your own articles
  parallax --session pakistan       open the reader with the session named "pakistan"
  parallax export -o rows.csv       one CSV line per sentence (long form)
  parallax export --format wide     one CSV line per row, a column per source
  parallax export --format json     rows, sentences, flags and notes as one JSON document
  parallax omissions                what each outlet leaves out that most others report
  parallax report -o report.html    a page to read: omissions, discrepancies, notes (.md: Markdown)
  parallax export | head            CSV goes to stdout without -o
  parallax align --pivot 2          print the aligned rows as a table
  parallax https://a.example/story https://b.example/story
                                    fetch two pages (kept in a cache for offline use)
  cat wire.txt | parallax export - saved.html --label -=Wire
                                    an article from standard input, named "Wire"
  parallax evaluate tests/gold/seeds.json
  parallax batch stories/ -o stats.csv   coverage statistics for every story folder
  parallax sessions --help          list, show and delete saved sessions
  parallax config                   where the configuration file is, and the settings and keys in effect

With no PATH, the bundled sample articles are used. A PATH may be a text,
Markdown or saved web page (.html) file, a folder of them, an http(s) URL, or
- for standard input. Run 'parallax COMMAND --help' for a command's options.
"""


# --------------------------------------------------------------------------- parsing


#: Narrowest ``align --width``: the row/coverage/score columns alone take ~20.
MIN_WIDTH = 40
#: Widest ``align --width``: past this no terminal shows a line, and Rich lays out every cell.
MAX_WIDTH = 5000
#: Fewest characters a source's column of ``parallax align`` may have and still be read.
MIN_SOURCE_COLUMN = 8
#: Most sources ``parallax align`` draws as columns: beyond, a table is no way to read them.
MAX_ALIGN_SOURCES = 200


def _typed(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    """An argparse ``type`` from a core parser: its ValueError message becomes the usage error."""

    def typed(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    typed.__name__ = parse.__name__
    return typed


_threshold = _typed(parse_threshold)
_share = _typed(parse_share)


def _setting_option(parser: argparse.ArgumentParser, field: str) -> None:
    """Add the option of one setting, as :data:`tui.core.settings.SETTING_FLAGS` describes it."""
    flag = flag_for(field)
    parser.add_argument(flag.option, dest=flag.field, type=_typed(flag.parse), metavar=flag.metavar, help=flag.help)


def _megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of megabytes above 0, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or not value > 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, got {text!r}")
    return value


def _label_option(text: str) -> tuple[str, str]:
    from tui.core.ingest.names import parse_label_option

    try:
        return parse_label_option(text)
    except ParallaxError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--label {text!r}: ")) from None


def _width(text: str) -> int:
    shown = text if len(text) <= 20 else text[:19] + "…"
    if not (text.strip().isascii() and len(text) <= 20):  # int() takes '²'-less Unicode digits, and 5,000 of them slowly
        raise argparse.ArgumentTypeError(f"not a whole number of columns: {shown!r}")
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {shown!r}") from None
    if value < MIN_WIDTH:
        raise argparse.ArgumentTypeError(f"must be at least {MIN_WIDTH} columns, got {text}")
    if value > MAX_WIDTH:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_WIDTH} columns, got {text}")
    return value


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line, like every other error of the CLI.

    Stock argparse prints the whole usage block first; with the main
    parser's two-line usage that buried the actual message (and subcommands
    inherited that usage as their prog, garbling "parallax export: error:").
    """

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {printable(message)}\n")


def _corpus_options(parser: argparse.ArgumentParser, *, session: bool, share: bool = True) -> None:
    """Options shared by every command that loads and aligns articles."""
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="article files (.txt, .md, .html), folders, http(s) URLs, or - for standard input "
        "(default: the bundled samples)",
    )
    _setting_option(parser, "pivot")
    _setting_option(parser, "threshold")
    parser.add_argument(
        "--max-size", type=_megabytes, default=DEFAULT_MAX_MB, metavar="MB",
        help=f"refuse files and pages larger than this many megabytes (default: {DEFAULT_MAX_MB:g})",
    )
    parser.add_argument(
        "--label", action="append", type=_label_option, default=[], metavar="FILE=NAME",
        help="call the source FILE (as given: path, file name, URL or -) NAME; repeatable",
    )
    parser.add_argument("--refresh", action="store_true", help="fetch URLs again instead of using the cached copies")
    parser.add_argument(
        "--timeout", type=_seconds, metavar="S",
        help=f"give up on a URL after S seconds (default: {DEFAULT_TIMEOUT:g})",
    )
    if share:
        _setting_option(parser, "min_share")
    if session:
        parser.add_argument("--session", metavar="NAME", help="use the saved session NAME (its annotations and fixes)")


def build_parser() -> argparse.ArgumentParser:
    """The full parser; ``open`` is the command used when none is named."""
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(
        prog=PROG,
        usage="%(prog)s [PATH ...] [--session NAME] [--pivot NAME] [--threshold F]\n"
        "       %(prog)s COMMAND [options] [PATH ...]",
        description="Line up several news articles about the same story, sentence by sentence.",
        epilog=EXAMPLES,
        formatter_class=formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # prog= keeps the main parser's two-line usage out of the subcommands' names
    # ("parallax export", not "parallax [PATH ...] ... export").
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", prog=PROG, parser_class=_Parser)

    # "open" is implied (parallax a.txt b.txt), so its errors speak as plain "parallax".
    p = commands.add_parser("open", help="open the reader (the default command)", formatter_class=formatter,
                            prog=PROG)
    _corpus_options(p, session=True)

    p = commands.add_parser(
        "export", help="write the alignment as CSV or JSON", formatter_class=formatter,
        description="Write the alignment as CSV, long (one line per sentence) or wide (one line per row), "
        "or as one JSON document (rows with their sentences, flags, omissions and annotations; "
        "schema: docs/export.schema.json).",
    )
    _corpus_options(p, session=True)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--format", choices=(*FORMATS, "json"), default="long", help="long (default), wide or json")
    p.add_argument("--no-guard", dest="guard", action="store_false",
                   help="write cells verbatim: no ' before =formulas, control characters as they are "
                        "(CSV: still shown as symbols on a terminal; JSON: written as \\u escapes)")
    p.add_argument("--spelling", action="store_true",
                   help="also list spelling variants (Defence/Defense, Tehreek-i/Tehreek-e) in the flags column")

    p = commands.add_parser(
        "report", help="a report to read: omissions, discrepancies, notes (Markdown or HTML)",
        formatter_class=formatter,
        description="A report for an editor: per source the widely reported rows it leaves out and the rows "
        "only it reports, the discrepancies with their readings, the starred and noted rows of --session, and "
        "the settings and sources it was made from. Markdown, or a self-contained HTML page for -o FILE.html.",
    )
    _corpus_options(p, session=True)
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout (.html: an HTML page)")
    p.add_argument("--format", choices=REPORT_FORMATS,
                   help="markdown or html (default: html for a .html/.htm FILE, else markdown)")

    p = commands.add_parser(
        "omissions", help="what each source leaves out that most others report", formatter_class=formatter,
        description="For each source, every widely reported row it leaves out: how many sources report it "
        "and what one of them says. A row is widely reported when at least --min-share of the sources, and "
        "two, have it; a row only one source has is unique to it, nobody's omission. A source whose sentence "
        "elsewhere very probably says the same (pair probability 0.74) is not counted as leaving it out: "
        "the text says in which of its rows it tells it.",
    )
    _corpus_options(p, session=True)
    p.add_argument("--format", choices=OMISSION_FORMATS, default="text",
                   help="text (default: readable, grouped by source) or csv (source,row,reported_by,text)")

    p = commands.add_parser("align", help="print the aligned rows as a table", formatter_class=formatter)
    _corpus_options(p, session=False, share=False)
    p.add_argument("--width", type=_width, metavar="N", help="table width in columns (default: the terminal's)")

    p = commands.add_parser("evaluate", help="score the aligner against a gold alignment", formatter_class=formatter)
    p.add_argument("gold", metavar="GOLD", help="gold alignment JSON file (see docs/gold-format.md)")
    p.add_argument("paths", nargs="*", metavar="PATH", help="articles to use instead of the gold's corpus")
    _setting_option(p, "threshold")

    from tui.batch_args import add_parser as add_batch_parser  # not the driver: see there

    add_batch_parser(commands, formatter)

    commands.add_parser("sessions", help="list, show and delete saved sessions", add_help=False)

    commands.add_parser(
        "config", help="where the configuration file is, and the settings, theme and keys in effect",
        formatter_class=formatter,
        description="Print the path of the configuration file (TOML: theme, [defaults] threshold and min_share, "
        "[keymap] by binding id) and every value in effect, with where it comes from: the file or the built-in "
        "default. A flag on the command line, and a resumed session's stored settings, still win over the file.",
    )
    return parser


def _route(argv: Sequence[str]) -> list[str]:
    """Make ``open`` the default: ``parallax a.txt b.txt`` means ``parallax open a.txt b.txt``."""
    argv = list(argv)
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version")):
        return argv
    return ["open", *argv]


# --------------------------------------------------------------------------- helpers


def _warn(message: str) -> None:
    """One ``parallax: warning:`` line on stderr: the command goes on, but the user should know."""
    print(f"{PROG}: warning: {printable(message)}", file=sys.stderr)


def _warn_duplicate(skipped: Path, kept: Path) -> None:
    if str(skipped) == str(kept):
        _warn(f"{skipped} is given twice; using it once")
    else:
        _warn(f"{skipped} is given twice (also as {kept}); using it once")


def _max_bytes(args: argparse.Namespace) -> int:
    return int(args.max_size * 1024 * 1024)


def _load_options(args: argparse.Namespace) -> dict[str, object]:
    """What reading the sources takes besides the paths: labels, fetching, warnings."""
    return {
        "warn": _warn,
        "labels": list(getattr(args, "label", None) or ()),
        "refresh": bool(getattr(args, "refresh", False)),
        "timeout": getattr(args, "timeout", None),
    }


def _load(args: argparse.Namespace) -> list[Source]:
    """Read the sources named on the command line; at least two are needed."""
    from tui.core.errors import IngestError
    from tui.core.pipeline import load

    try:
        return load(args.paths, max_bytes=_max_bytes(args), on_duplicate=_warn_duplicate, **_load_options(args))
    except IngestError as exc:
        if "too large" not in str(exc):
            raise
        # the limit is a guard, not a verdict: say how to lift it for a file that is meant to be read
        raise IngestError(f"{exc}; --max-size MB raises the limit") from None


def _user_config(args: argparse.Namespace, *, warn: bool = True) -> Config:
    """The configuration file, read and checked once per command; a bad one is one warning line (and the defaults)."""
    config = getattr(args, "_config", None)
    if config is None:
        from tui.app.keytable import BINDING_IDS  # plain data: no Textual
        from tui.core.config import load_config

        config = load_config(binding_ids=BINDING_IDS)
        args._config = config
        if warn and config.notice is not None:
            _warn(config.notice)
    return config


def _settings(args: argparse.Namespace, sources: Sequence[Source], base: AlignSettings | None = None) -> AlignSettings:
    """The settings a command runs with: its flags (only those given) over ``base`` (a session's), else over
    the configuration file's defaults, else the built-in ones (see :mod:`tui.core.settings`)."""
    return resolve(explicit_from(args, sources), stored=base, defaults=_user_config(args).defaults())


# --------------------------------------------------------------------------- commands


def _has_terminal() -> bool:
    """Whether a full-screen app can run here: keys come from stdin, Textual draws on stderr."""
    return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.__stderr__))


def _reattach_terminal() -> None:
    """After an article came in on standard input, take the reader's keys from the terminal.

    The article has been read to its end; the app reads keys from file
    descriptor 0, so the controlling terminal is opened and put there (as
    ``less`` and ``fzf`` do). Without a terminal the reader cannot run.
    """
    if sys.stdin is not None and sys.stdin.isatty():
        return
    try:
        fd = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        raise UsageError(
            "the reader needs a terminal for its keys, and standard input held the article; "
            "use 'parallax export -' or 'parallax align -', or save the article to a file"
        ) from None
    try:
        os.dup2(fd, 0)
    finally:
        os.close(fd)


def cmd_open(args: argparse.Namespace) -> int:
    from tui.startup import pause_gc, resume_gc

    pause_gc()  # until the reader's first frame (it resumes it then); see tui.startup
    try:
        return _open(args)
    finally:
        resume_gc()


def _open(args: argparse.Namespace) -> int:
    if args.session is not None and not args.paths:
        # Resuming without PATH: the session's own files. A new, damaged or
        # locked session falls through to the samples; the reader explains.
        from tui.core.session_store import SessionStore

        try:
            stored = SessionStore().load(args.session, quarantine=False)
        except ParallaxError:
            stored = None
        if stored is not None:
            from tui.core.session_store import check_stored_paths

            check_stored_paths(stored, args.session)  # only plain article files on the session's word
        paths = stored.source_inputs() if stored is not None else []
        gone = stored.unresumable() if stored is not None else []
        if gone:
            raise UsageError(f"source {gone[0]} of session {args.session!r} was read from standard input; "
                             "pass the articles to use (- reads standard input again)")
        if paths:
            from tui.core.fetch import is_url

            present = [p for p in paths if is_url(p) or Path(p).is_file()]
            if len(present) < 2:
                missing = next(p for p in paths if p not in present)
                raise UsageError(f"source file {missing} of session {args.session!r} is missing; "
                                 "pass the article files to use")
            args.paths = present
    with Ticker(PROG):  # 5 MB of articles take seconds to read before the reader can show anything
        sources = _load(args)
    explicit = explicit_from(args, sources)  # the session's own settings fill in what was not given
    if "-" in args.paths:
        _reattach_terminal()
    if not _has_terminal():
        # Without this check the app would wait forever for keys (e.g. in CI).
        raise UsageError("the reader needs a terminal; in scripts use 'parallax export' or 'parallax align'")
    from tui.app.app import run_app  # Textual is heavy: only the reader pays for it

    # a bad configuration file is the reader's notice, not a line the full screen would hide
    return run_app(sources, explicit, session=args.session, config=_user_config(args, warn=False))


def _aligning(ticker: Ticker, sources: Sequence[Source]) -> None:
    n = sum(len(s.sentences) for s in sources)
    ticker.stage(f"aligning {n:,} sentences of {len(sources)} sources")


def _alignment_for_export(args: argparse.Namespace) -> tuple[Alignment, dict[int, Annotation]]:
    """Load and align (with a session's fixes), saying on a terminal how long it has been at it."""
    with Ticker(f"{PROG} {args.command}") as ticker:
        return _build_for_export(args, ticker)


def _build_for_export(args: argparse.Namespace, ticker: Ticker) -> tuple[Alignment, dict[int, Annotation]]:
    if args.session is None:
        from tui.core.align import align

        sources = _load(args)
        settings = _settings(args, sources)
        _aligning(ticker, sources)
        return align(sources, settings), {}
    from tui.core.pipeline import export_alignment

    ticker.stage(f"reading and aligning the sources of session {args.session!r}")

    paths = list(args.paths) or None

    # Warnings are collected and printed only once the export has been built.
    said: list[str] = []
    alignment, annotations = export_alignment(
        args.session, paths, lambda sources, stored: _settings(args, sources, stored),
        max_bytes=_max_bytes(args),
        on_duplicate=lambda skipped, kept: said.append(f"{skipped} is given twice; using it once"),
        warn=said.append,
        load_options={**_load_options(args), "warn": said.append},
    )
    for message in said:
        _warn(message)
    return alignment, annotations


@collector_paused
def cmd_export(args: argparse.Namespace) -> int:
    """Export to stdout or ``-o FILE``.

    The CSV is rendered in memory first and written to a temporary file that
    replaces ``FILE`` only once complete (:func:`_write_output`), so a failure
    half-way (a full disk) never leaves a truncated file that looks like a
    finished one, nor half a CSV on stdout.
    """
    from tui.core.export import encodable, export

    target = None if args.output in (None, "-") else Path(args.output)
    if target is not None:
        _check_output(target)
    alignment, annotations = _alignment_for_export(args)
    buffer = io.StringIO(newline="")
    if args.format == "json":
        from tui.core.export_json import session_fixes, write_json

        fixes = session_fixes(args.session, alignment) if args.session is not None else []
        # JSON writes every control character as an escape, so --no-guard is safe on a terminal too
        lines = write_json(alignment, buffer, annotations=annotations, fixes=fixes, session=args.session,
                           guard=args.guard)
    else:
        # --no-guard writes cells verbatim, but never raw control characters to a terminal
        to_terminal = target is None and _stdout_is_terminal()
        lines = export(alignment, args.format, buffer, annotations=annotations, guard=args.guard,
                       spelling=args.spelling, controls=args.guard or to_terminal)
    text = encodable(buffer.getvalue())  # undecodable file names must not stop a UTF-8 export
    if target is None:
        out = _utf8_stdout()
        out.write(text)
        out.flush()
        return 0
    _check_not_an_input(target, alignment)
    _write_output(target, text)
    what = "rows" if args.format == "json" else "lines"
    print(printable(f"wrote {lines} {what} to {target}"), file=sys.stderr)
    return 0


@collector_paused
def cmd_report(args: argparse.Namespace) -> int:
    """A report to read (see :mod:`tui.core.report`), built whole before a byte is written."""
    from tui.core.export import encodable
    from tui.core.export_json import session_fixes
    from tui.core.report import format_for, render

    target = None if args.output in (None, "-") else Path(args.output)
    if target is not None:
        _check_output(target)
    alignment, annotations = _alignment_for_export(args)
    fixes = session_fixes(args.session, alignment) if args.session is not None else []
    fmt = args.format or format_for(target)
    text = encodable(render(alignment, fmt, annotations=annotations, fixes=fixes, session=args.session))
    if target is None:
        out = _utf8_stdout()
        out.write(printable(text, keep_newlines=True))
        out.flush()
        return 0
    _check_not_an_input(target, alignment)
    _write_output(target, text, newline="\n")
    print(printable(f"wrote the report to {target}"), file=sys.stderr)
    return 0


@collector_paused
def cmd_omissions(args: argparse.Namespace) -> int:
    from tui.print_cli import cmd_omissions as run

    return run(args)


@collector_paused
def cmd_align(args: argparse.Namespace) -> int:
    from tui.print_cli import cmd_align as run

    return run(args)


def cmd_evaluate(args: argparse.Namespace) -> int:
    from tui.core.evaluate import evaluate

    gold = Path(args.gold)
    if not gold.is_file():
        raise UsageError(f"gold file {gold} does not exist")
    settings = _settings(args, [])
    paths = [Path(p) for p in args.paths] or None
    print(printable(evaluate(gold, settings=settings, paths=paths).summary(), keep_newlines=True))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from tui.batch_cli import cmd_batch as run

    return run(args)


def cmd_config(args: argparse.Namespace) -> int:
    from tui.print_cli import cmd_config as run

    return run(args)


def cmd_sessions(rest: list[str]) -> int:
    import importlib

    # import_module hands back the module sys.modules holds (a test may stand one in)
    return int(importlib.import_module("tui.sessions_cli").main(rest))


_COMMANDS = {"open": cmd_open, "export": cmd_export, "report": cmd_report, "omissions": cmd_omissions, "align": cmd_align,
             "evaluate": cmd_evaluate, "batch": cmd_batch, "config": cmd_config}


# --------------------------------------------------------------------------- entry point


def _error(message: str) -> None:
    """One line on stderr; file names in it come from the user's disk and are made inert."""
    print(f"{PROG}: error: {printable(message)}", file=sys.stderr)


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit-time flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _join_label_values(argv: list[str]) -> list[str]:
    """``--label -=Wire`` as ``--label=-=Wire``: argparse would take ``-=Wire`` for an option."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--label" and i + 1 < len(argv) and argv[i + 1].startswith("-="):
            out.append(f"--label={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def _run(argv: list[str]) -> int:
    if argv and argv[0] == "sessions":
        return cmd_sessions(argv[1:])
    args = build_parser().parse_args(_join_label_values(argv))
    return _COMMANDS[args.command](args)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status (``parallax`` and ``python -m tui``).

    As the program itself (no ``argv``: ``sys.argv`` is read), ``export``,
    ``report``, ``omissions`` and ``align`` end the process once done (see
    :func:`tui.finish.end_at_once`).
    """
    if argv is None:  # numpy loads later; its OpenBLAS threads only spun at start-up (no BLAS call needs them)
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    routed = _route(sys.argv[1:] if argv is None else argv)
    if not (argv is None and routed and routed[0] in ENDS_AT_ONCE):
        return _main(routed)
    with ending_at_once():  # the collector stays paused to the end (no last full collection)
        status = _main(routed)
        end_at_once(status)  # returns only when the process cannot end now: the ordinary exit follows
    return status


def _main(argv: list[str]) -> int:
    try:
        return _run(argv)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_USAGE)
    except ParallaxError as exc:
        _error(str(exc))
        return EXIT_USAGE
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback, nothing half-written (-o is atomic)
        with contextlib.suppress(OSError, ValueError):
            lead = "\n" if sys.stderr.isatty() else ""  # off the line the terminal echoed ^C on
            print(f"{lead}{PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        _error(f"{exc.strerror or exc}{where}")
        return EXIT_USAGE
    except Exception as exc:  # a bug: say so in one line unless debugging
        if os.environ.get("PARALLAX_DEBUG") == "1":
            traceback.print_exc()
        else:
            _error(f"unexpected {type(exc).__name__}: {exc} (please report this; PARALLAX_DEBUG=1 shows the traceback)")
        return EXIT_BUG
