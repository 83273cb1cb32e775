"""``parallax sessions``: list, show and delete saved sessions from the shell.

Kept apart from the main CLI so the main CLI only delegates, and free of
Textual so it starts instantly. Output is plain text in aligned columns: it is
read by people and grepped by scripts, so no colours and no box drawing.

Sentences are shown as ``source #n`` with ``n`` counted from 0, the same
number as the ``sentence`` column of ``parallax export`` and the reader, so a
note found here can be looked up in the CSV without an off-by-one.

Everything printed comes from a session file and the articles it names, and
either may be hostile: every line goes through :func:`_say`, which shows
control characters as symbols, so a note or a file name holding an escape
sequence cannot clear the screen or write the clipboard.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TextIO

from tui.core.errors import SessionError
from tui.core.regular import NotRegularFile, hash_regular
from tui.core.session import Orphan, Session, SourceRef, StoredAnnotation, StoredOverride
from tui.core.session_store import SessionStore, stored_path_problem
from tui.core.terminal import terminal_safe

PROG = "parallax sessions"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="List, show and delete saved Parallax sessions.",
        epilog="Sessions live in $PARALLAX_HOME/sessions, else in the user data folder.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("list", help="list the saved sessions (the default)")
    show = sub.add_parser("show", help="show a session's sources, annotations, fixes and orphans")
    show.add_argument("name", metavar="NAME")
    delete = sub.add_parser("delete", help="delete a session (asks nothing)")
    delete.add_argument("name", metavar="NAME")
    return parser


def _say(line: str, out: TextIO) -> None:
    """Print one line of output, inert on a terminal (one character for one, so columns stay aligned)."""
    print(terminal_safe(line), file=out)


def _when(iso: str) -> str:
    """An ISO timestamp in local time, to the minute; unparsable ones shown as stored."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except (ValueError, OverflowError, OSError):  # year 9999 west of UTC, year 1 east of it
        return iso or "-"


def _table(rows: Sequence[Sequence[str]], right: frozenset[int] = frozenset()) -> list[str]:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    out = []
    for r in rows:
        cells = [v.rjust(w) if c in right else v.ljust(w) for c, (v, w) in enumerate(zip(r, widths))]
        out.append("  ".join(cells).rstrip())
    return out


def _snip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_list(store: SessionStore, out: TextIO) -> int:
    infos = store.list()
    if not infos:
        _say(f"no sessions yet (in {store.root})", out)
        return 0
    rows = [("NAME", "SOURCES", "ANNOTATIONS", "LAST CHANGE")]
    for i in infos:
        if i.error:
            rows.append((i.name, "-", "-", f"unreadable: {i.error}"))
        else:
            rows.append((i.name, str(i.sources), str(i.annotations), _when(i.updated)))
    for line in _table(rows, right=frozenset({1, 2})):
        _say(line, out)
    return 0


def _source_state(ref: SourceRef) -> str:
    """Whether the file behind a stored source is still the one the session saw."""
    if not ref.path:
        return "no file"
    if Path(ref.path).is_file() and stored_path_problem(ref.path) is not None:
        return "NOT READ (no article file)"  # /etc/passwd is not opened on a session file's word
    try:
        digest = hash_regular(Path(ref.path))  # in chunks; a FIFO or a device is refused, not read
    except FileNotFoundError:
        return "MISSING"
    except NotRegularFile:
        return "NOT A FILE"
    except (OSError, ValueError):
        return "unreadable"
    return "unchanged" if digest == ref.sha256 else "CHANGED since"


def _annotation_lines(a: StoredAnnotation, indent: str) -> list[str]:
    first = a.members[0]
    star = "*" if a.starred else " "
    lines = [f"{indent}{star} {first.source} #{first.index}: {_snip(first.text)}"]
    if len(a.members) > 1:
        lines.append(f"{indent}    with {', '.join(f'{m.source} #{m.index}' for m in a.members[1:])}")
    if a.row_id:
        lines.append(f"{indent}    row id: {a.row_id} (the export's row_id)")
    if a.tags:
        lines.append(f"{indent}    tags: {', '.join(a.tags)}")
    note = a.note.strip("\n").splitlines()
    for k, line in enumerate(note):
        lines.append(f"{indent}    {'note: ' if k == 0 else '      '}{line}")
    return lines


def _override_lines(o: StoredOverride, indent: str) -> list[str]:
    s = o.sentence
    line = f"{indent}{o.kind} {s.source} #{s.index}: {_snip(s.text, 50)}"
    if o.anchor is not None:
        a = o.anchor
        line += f"\n{indent}  -> row of {a.source} #{a.index}: {_snip(a.text, 50)}"
    return [line]


def _orphan_lines(o: Orphan, indent: str) -> list[str]:
    lines = [f"{indent}{o.kind} (since {_when(o.since)}): {o.reason}"]
    if isinstance(o.item, StoredAnnotation):
        lines += _annotation_lines(o.item, indent + "  ")
    else:
        lines += _override_lines(o.item, indent + "  ")
    return lines


def show_lines(session: Session) -> list[str]:
    """The full text of ``parallax sessions show``, terminal-safe; separate so tests need not capture stdout."""
    lines = [
        f"session   {session.name}",
        f"created   {_when(session.created)}",
        f"changed   {_when(session.updated)}   (revision {session.revision})",
        f"settings  threshold {session.settings.threshold:.2f}, pivot {session.settings.pivot or '(first source)'}",
        f"tags      {', '.join(session.tags) or '-'}",
        "",
        f"sources ({len(session.sources)})",
    ]
    if session.sources:
        rows = [(f"  {s.name}", s.label, _source_state(s), s.path or "-") for s in session.sources]
        lines += _table(rows)
    lines += ["", f"annotations ({len(session.annotations)})"]
    for a in session.annotations:
        lines += _annotation_lines(a, "  ")
    lines += ["", f"alignment fixes ({len(session.overrides)})"]
    for o in session.overrides:
        lines += _override_lines(o, "  ")
    lines += ["", f"orphans ({len(session.orphans)})"]
    for orphan in session.orphans:
        lines += _orphan_lines(orphan, "  ")
    return [terminal_safe(line) for line in lines]


def cmd_show(store: SessionStore, name: str, out: TextIO) -> int:
    session = store.load(name, quarantine=False)
    for line in show_lines(session):
        _say(line, out)
    return 0


def cmd_delete(store: SessionStore, name: str, out: TextIO) -> int:
    path = store.delete(name)
    _say(f"deleted session {name!r} ({path})", out)
    return 0


def main(argv: list[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run ``parallax sessions ARGV``; returns the exit code (2 for any error)."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its usage message
        return exc.code if isinstance(exc.code, int) else 2
    store = SessionStore()
    try:
        if args.command == "show":
            return cmd_show(store, args.name, out)
        if args.command == "delete":
            return cmd_delete(store, args.name, out)
        return cmd_list(store, out)
    except SessionError as exc:
        _say(f"{PROG}: error: {exc}", err)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
