"""What each source is called: the outlet's name where something says it, a short one where nothing does.

A label is what the reader's panes, header and panels show and what
``--pivot`` accepts; the CSV keeps the file name in its ``source`` column.
Where a label comes from, strongest first:

1. ``--label FILE=NAME`` on the command line;
2. a ``sources.toml`` beside the articles (see :func:`read_sources_file`);
3. the article itself: a web page's site name (og:site_name and the like)
   or a ``Source:`` front-matter line;
4. otherwise a short form of the file name: scrapes are often named by
   hash (``000_bd062090da669a4d.txt``), and sixteen hex digits in every pane
   title say nothing, so such stems shrink to their readable part (``000``)
   or, where that is not unique, their shortest unique prefix.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tui.core.errors import IngestError
from tui.core.model import Source

__all__ = [
    "SOURCES_FILE",
    "SourceInfo",
    "apply_labels",
    "clean_label",
    "parse_label_option",
    "read_sources_file",
    "short_labels",
]

#: The file, in a folder of articles, that names their outlets.
SOURCES_FILE = "sources.toml"
_FIELDS = ("file", "outlet", "url", "date", "author")
#: Longest label kept; outlet names are short, and a pane title has ~28 columns.
_MAX_LABEL = 60

_SEPARATORS = "_-. "
_TOKEN = re.compile(r"[^_\-. ]+")
_HEXISH = re.compile(r"[0-9a-fA-F]{8,}")


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What a ``sources.toml`` entry says about one article."""

    outlet: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None


def clean_label(text: str) -> str:
    """A label on one line, without control characters, of a length a pane title can show."""
    text = "".join(" " if (ord(c) < 32 or 0x7F <= ord(c) < 0xA0) else c for c in text)
    text = " ".join(text.split())
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1].rstrip() + "\u2026"


# --------------------------------------------------------------------------- short labels


def _is_id(token: str) -> bool:
    """A token that identifies rather than names: a long hex or digit run with digits in it."""
    return bool(_HEXISH.fullmatch(token)) and any(c.isdigit() for c in token) or (
        token.isdigit() and len(token) >= 10
    )


def _readable_part(stem: str) -> tuple[str, int]:
    """The stem up to its first id-like token, and where that token starts (-1: none)."""
    for m in _TOKEN.finditer(stem):
        if _is_id(m.group()):
            return stem[: m.start()].rstrip(_SEPARATORS), m.start()
    return stem, -1


def short_labels(stems: Sequence[str], taken: Sequence[str] = ()) -> list[str]:
    """A short, unique, readable label for each stem.

    Stems without an id-like token (``guardian``, ``bbc-report``) stay as they
    are. Hash-named ones lose the hash: ``000_bd062090da669a4d`` becomes
    ``000``; where the readable rest is empty or shared, the shortest
    prefix that tells the stem apart from the others, with at least four
    characters of the hash so it still reads as an identifier. ``taken``
    labels (of sources named otherwise) are avoided too; a stem that cannot
    be shortened without a clash keeps its full form.
    """
    parts = [_readable_part(s) for s in stems]
    wanted = [readable if cut >= 0 else stem for stem, (readable, cut) in zip(stems, parts)]
    counts: dict[str, int] = {}
    for w in [*wanted, *taken]:
        counts[w.casefold()] = counts.get(w.casefold(), 0) + 1
    labels: list[str] = []
    for i, (stem, (readable, cut)) in enumerate(zip(stems, parts)):
        if cut < 0:
            labels.append(stem)
            continue
        if readable and counts[readable.casefold()] == 1:
            labels.append(readable)
            continue
        others = [s for j, s in enumerate(stems) if j != i]
        k = 1
        while k < len(stem) and any(o.startswith(stem[:k]) for o in others):
            k += 1
        k = max(k, min(len(stem), cut + 4))
        labels.append(stem[:k].rstrip(_SEPARATORS) or stem)
    # a short form that collides with another label falls back to the whole stem
    seen: dict[str, int] = {}
    for lab in [*labels, *taken]:
        seen[lab.casefold()] = seen.get(lab.casefold(), 0) + 1
    return [lab if seen[lab.casefold()] == 1 else stem for lab, stem in zip(labels, stems)]


# --------------------------------------------------------------------------- sources.toml


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise IngestError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"{path}: not valid TOML ({' '.join(str(exc).split())})") from None


def _field(path: Path, where: str, key: str, value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if not isinstance(value, str) or not value.strip():
        raise IngestError(f"{path}: {where}: '{key}' must be a non-empty string")
    return " ".join(value.split())


def read_sources_file(path: Path, warn: Callable[[str], None] | None = None) -> dict[Path, SourceInfo]:
    """Read a folder's ``sources.toml``: article file -> what it says about it.

    The format, one ``[[article]]`` table per article::

        [[article]]
        file = "000_bd062090da669a4d.txt"   # relative to this folder; required
        outlet = "Dawn"                      # the label
        url = "https://www.dawn.com/news/1234567"
        date = 2025-05-08                    # or "8 May 2025"
        author = "Staff reporter"

    Anything else (another key, a missing ``file``, a file named twice, a
    value that is not text) is an error naming the file and the entry: a
    typo would otherwise leave an outlet unnamed without a word. An entry
    whose file does not exist is only warned about (articles get deleted).
    """
    data = _load_toml(path)
    folder = path.parent
    unknown = [k for k in data if k != "article"]
    if unknown:
        raise IngestError(f"{path}: unknown table or key '{unknown[0]}'; expected [[article]] entries")
    articles = data.get("article", [])
    if not isinstance(articles, list):
        raise IngestError(f"{path}: 'article' must be written [[article]] (a list of tables)")
    found: dict[Path, SourceInfo] = {}
    for n, entry in enumerate(articles, 1):
        where = f"article {n}"
        if not isinstance(entry, dict):
            raise IngestError(f"{path}: {where} is not a table")
        bad = [k for k in entry if k not in _FIELDS]
        if bad:
            raise IngestError(f"{path}: {where}: unknown key '{bad[0]}'; the keys are {', '.join(_FIELDS)}")
        if "file" not in entry:
            raise IngestError(f"{path}: {where} has no 'file'")
        name = _field(path, where, "file", entry["file"])
        where = f"article {n} ({name})"
        target = folder / name
        key = _resolved(target)
        if key in found:
            raise IngestError(f"{path}: {where} names a file already named above")
        if not target.is_file() and warn is not None:
            warn(f"{path}: {where}: there is no such file in {folder}")
        values = {k: _field(path, where, k, v) for k, v in entry.items() if k != "file"}
        if "outlet" in values:
            values["outlet"] = clean_label(values["outlet"])
        found[key] = SourceInfo(**values)
    return found


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


# --------------------------------------------------------------------------- --label


def parse_label_option(text: str) -> tuple[str, str]:
    """``FILE=NAME`` -> ``(FILE, NAME)``; split at the last ``=``, since URLs hold them too."""
    key, sep, name = text.rpartition("=")
    name = clean_label(name)
    if not sep or not key.strip() or not name:
        raise IngestError(f"--label {text!r}: expected FILE=NAME, e.g. --label dawn.txt=Dawn")
    return key.strip(), name


def _matches(key: str, source: Source) -> bool:
    from tui.core.fetch import cache_key, is_url

    if source.origin == "-":
        return key in ("-", "stdin")
    if source.origin is not None:
        return is_url(key) and cache_key(key) == cache_key(source.origin)
    if key == source.name:
        return True
    if source.path is None:
        return False
    if key == source.path.name:
        return True
    try:
        return Path(key).expanduser().samefile(source.path)
    except OSError:
        return False


def apply_labels(sources: Sequence[Source], labels: Sequence[tuple[str, str]] | Mapping[str, str]) -> list[Source]:
    """Give the sources the labels of ``--label FILE=NAME`` options.

    FILE is the path or URL as given, the file's name, or ``-`` for standard
    input. One that matches no source, or several, is an error listing the
    sources, rather than a label quietly not applied.
    """
    pairs = list(labels.items()) if isinstance(labels, Mapping) else list(labels)
    out = list(sources)
    for key, name in pairs:
        hits = [i for i, s in enumerate(out) if _matches(key, s)]
        if len(hits) != 1:
            choices = ", ".join(s.name for s in out)
            why = "matches no source" if not hits else "matches several sources"
            raise IngestError(f"--label {key}={name}: {key} {why}; the sources are {choices}")
        out[hits[0]] = replace(out[hits[0]], label=name)
    return out
