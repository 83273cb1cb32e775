"""The commands that print for a person to read: ``parallax omissions``, ``parallax align``, ``parallax config``.

They share the command line's loading, settings and error rules
(:mod:`tui.cli`); what is here is how each lays its result out on a terminal
(or, for ``omissions --format csv``, for a spreadsheet).
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tui.cli import (
    MAX_ALIGN_SOURCES,
    MAX_WIDTH,
    MIN_SOURCE_COLUMN,
    MIN_WIDTH,
    OMISSIONS_HEADER,
    PROG,
    _aligning,
    _alignment_for_export,
    _load,
    _settings,
    _user_config,
)
from tui.cli_output import UsageError, _utf8_stdout, printable
from tui.progress import Ticker

if TYPE_CHECKING:
    from tui.core.model import Alignment, Source
    from tui.core.omissions import Omissions


def cmd_omissions(args: argparse.Namespace) -> int:
    """Per source, the widely reported rows it leaves out (see :mod:`tui.core.omissions`).

    Like ``export``, the whole output is built before a byte is written, so
    an error never leaves half a report behind.
    """
    from tui.core.omissions import example, omissions

    alignment, _ = _alignment_for_export(args)
    model = omissions(alignment)
    pivot = (alignment.pivot,)
    out = io.StringIO(newline="")
    if args.format == "csv":
        import csv

        from tui.core.export import clean_cell, encodable

        writer = csv.writer(out)
        writer.writerow(OMISSIONS_HEADER)
        for account in model.sources:
            for row in account.left_out:
                shown = example(alignment, row, pivot)
                writer.writerow([
                    clean_cell(alignment.sources[account.source].name), str(row),
                    str(model.rows[row].reported_by), clean_cell(shown[1] if shown else ""),
                ])
        stdout = _utf8_stdout()
        stdout.write(encodable(out.getvalue()))
        stdout.flush()
        return 0
    _omissions_text(alignment, model, out)
    stdout = _utf8_stdout()
    stdout.write(printable(out.getvalue(), keep_newlines=True))
    stdout.flush()
    return 0


def _omissions_text(alignment: Alignment, model: Omissions, out: TextIO) -> None:
    """The readable report: a summary line, then each source's omissions with one telling of each."""
    import shutil
    import textwrap

    from tui.core.compare import source_tag
    from tui.core.omissions import example

    n = len(alignment.sources)
    width = max(MIN_WIDTH, min(shutil.get_terminal_size((100, 24)).columns, 120))
    wide = len(model.widely_reported)
    out.write(f"{wide} of {len(alignment.rows)} rows are widely reported (by at least {model.needed} of {n} "
              f"sources, --min-share {model.min_share:g}); a source leaves out those it lacks, unless it "
              "probably tells them in another row.\n")
    for account in model.sources:
        source = alignment.sources[account.source]
        extra = "" if source.label in (source.name, Path(source.name).stem) else f" ({source.label})"
        k = account.leaves_out
        out.write(f"\n{source.name}{extra} leaves out {'none' if not k else k} of the {wide} widely reported "
                  f"rows; reports {account.reports_unique} row{'s' if account.reports_unique != 1 else ''} "
                  "no one else does\n")
        for row in account.left_out:
            shown = example(alignment, row, (alignment.pivot,))
            by = model.rows[row].reported_by
            teller = source_tag(alignment.sources[shown[0]]) if shown else "?"
            weak = " · uncertain links" if model.rows[row].uncertain else ""  # the reader's ? (issue 11 item 5)
            head = f"  row #{row} · reported by {by} of {n}{weak} · as {teller} has it: "
            body = " ".join((shown[1] if shown else "").split())
            out.write(textwrap.fill(head + body, width=width, subsequent_indent="      ") + "\n")
        if account.elsewhere:
            out.write(f"  not counted: {len(account.elsewhere)} widely reported "
                      f"row{'s' if len(account.elsewhere) != 1 else ''} it lacks but probably tells in another\n")
            for row, other in account.elsewhere:
                own = " ".join((alignment.cell_text(other, account.source) or "").split())
                head = f"    row #{row} · probably in its row #{other}: "
                out.write(textwrap.fill(head + own, width=width, subsequent_indent="        ") + "\n")


def _short_label(source: Source, limit: int = 14) -> str:
    label = source.label or Path(source.name).stem
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _check_align_width(n: int, width: int, *, given: bool) -> None:
    """Refuse a table whose source columns would be too thin to read, before aligning anything.

    1,000 sources in 120 columns gave columns 0-1 characters wide after 22 s
    and 757 MB, and 5,000 ran out of memory: the table is for a handful of
    sources; a column per source at any number is what the wide CSV is for.
    """
    needed = 20 + MIN_SOURCE_COLUMN * n
    if n <= MAX_ALIGN_SOURCES and needed <= width:
        return
    advice = "'parallax export --format wide' writes a column per source"
    if n > MAX_ALIGN_SOURCES or needed > MAX_WIDTH:
        raise UsageError(f"{n} sources are too many for a table (at most {MAX_ALIGN_SOURCES}); {advice}")
    where = "--width" if given else "the terminal"
    raise UsageError(f"{n} sources need a table {needed} columns wide and {where} gives {width}; "
                     f"use --width {needed}, or {advice}")


def cmd_align(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from tui.core.align import align

    sources = _load(args)
    n = len(sources)
    console = Console(file=_utf8_stdout(), width=args.width, highlight=False, soft_wrap=False)
    _check_align_width(n, console.width, given=args.width is not None)
    with Ticker(f"{PROG} align") as ticker:  # 5 MB of articles align for minutes: say so, and how to stop
        _aligning(ticker, sources)
        alignment = align(sources, _settings(args, sources))
    table = Table(show_lines=True, expand=True, title=f"{len(alignment.rows)} rows, pivot {alignment.pivot}")
    table.add_column("row", justify="right", style="dim", no_wrap=True)
    table.add_column("cov", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    for s in sources:
        table.add_column(Text(printable(f"{s.id} {_short_label(s)}")), ratio=1, overflow="fold")
    for r, row in enumerate(alignment.rows):
        if n <= 8:
            marks = Text("".join("●" if c else "○" for c in row.cells))
        else:
            marks = Text(f"{row.count}/{n}")
        # a cell with several sentences (a split statement, a headline beside
        # its body sentence) shows them one per line
        cells = [
            Text("—", style="dim") if not cell
            else Text("\n").join(Text(printable(sentence.text)) for sentence in alignment.cell_sentences(r, s))
            for s, cell in enumerate(row.cells)
        ]
        table.add_row(str(r), marks, f"{row.score:.2f}", *cells)
    console.print(table)
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    """The configuration file's path and every value in effect, each with where it comes from."""
    from tui.app.keytable import KEY_TABLE, keymap_clashes
    from tui.core.config import DEFAULT_THEME, SETTING_KEYS

    config = _user_config(args)
    if config.problem is not None:
        state = "ignored (see the warning above): the built-in defaults apply"
    elif config.found:
        state = "read"
    else:
        state = "not there: the built-in defaults apply"
    defaults = config.defaults()
    out = io.StringIO()
    out.write(f"configuration file: {config.path}\n  {state}\n")
    out.write("  a flag on the command line, then a resumed session's settings, win over it\n\n")
    rows = [("theme", config.theme or DEFAULT_THEME, config.origin("theme"))]
    rows += [(name, f"{getattr(defaults, name):g}", config.origin(name)) for name in SETTING_KEYS]
    for name, value, origin in rows:
        out.write(f"{name:<10} {value:<16} {origin}\n")
    out.write("\nkeys (binding id, keys, from where; [keymap] in the file rebinds them by id):\n")
    for group, keys in KEY_TABLE:
        out.write(f"  {group}\n")
        for key in keys:
            shown = config.keymap.get(key.id, key.keys)
            out.write(f"    {key.id:<26} {shown:<18} {config.origin(key.id)}\n")
    for name, binding in keymap_clashes(config.keymap):
        out.write(f"\nnote: the keymap gives {name} to another binding: {binding} no longer has it\n")
    print(printable(out.getvalue(), keep_newlines=True), end="")
    return 0
