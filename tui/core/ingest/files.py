"""Files and folders on disk: which files, under which names, read how.

Every way a path can be unusable becomes one :class:`~tui.core.errors.IngestError`
naming it; a file reached twice is read once.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tui.core.errors import IngestError
from tui.core.ingest.decode import decode
from tui.core.ingest.structure import parse_source
from tui.core.model import Source


DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Suffixes picked up when a folder is given (files named explicitly are read whatever they are called).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _folder_files(folder: Path) -> list[Path]:
    """The text files under ``folder``, in name order, skipping hidden entries."""
    found: list[tuple[tuple[str, ...], Path]] = []
    try:
        walker = os.walk(folder, onerror=None, followlinks=False)
        for root, dirs, files in walker:
            dirs[:] = sorted(d for d in dirs if not _hidden(d))
            rel = Path(root).relative_to(folder).parts
            for f in files:
                if not _hidden(f) and Path(f).suffix.casefold() in TEXT_SUFFIXES:
                    found.append(((*rel, f), Path(root) / f))
    except OSError as exc:
        raise IngestError(f"{folder}: cannot list this folder ({exc.strerror or exc})") from None
    found.sort(key=lambda item: item[0])
    return [p for _, p in found]


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            if not os.access(p, os.R_OK | os.X_OK):
                raise IngestError(f"{p}: cannot open this folder (permission denied)")
            inside = _folder_files(p)
            if not inside:
                raise IngestError(f"{p}: no .txt or .md files in this folder")
            files.extend(inside)
        elif p.exists():
            files.append(p)
        else:
            raise IngestError(f"{p}: no such file or folder")
    return files


def _printable_name(name: str) -> str:
    """A file name that every UTF-8 writer accepts.

    Names that are not valid UTF-8 on disk reach Python as lone surrogates
    (``caf\\udce9.txt``); left in ``Source.name`` they would crash the CSV
    export and the session save, so undecodable bytes become U+FFFD.
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace").encode(
        "utf-8", "replace"
    ).decode("utf-8")


def _unique_names(files: Sequence[Path]) -> list[str]:
    """File names, lengthened with parent folders only where two would clash."""
    # The anchor ("/" or "C:\\") is not a folder name: joined in, it would
    # produce "//tmp/a.txt" once the names grew all the way up.
    parts = [p.absolute().parts[1:] if p.absolute().anchor else p.absolute().parts for p in files]
    depth = [1] * len(files)

    def label(i: int) -> str:
        return "/".join(parts[i][-depth[i] :])

    while True:
        groups: dict[str, list[int]] = {}
        for i in range(len(files)):
            groups.setdefault(label(i), []).append(i)
        grown = False
        for members in groups.values():
            if len(members) > 1:
                for i in members:
                    if depth[i] < len(parts[i]):
                        depth[i] += 1
                        grown = True
        if not grown:
            break
    names = [_printable_name(label(i)) for i in range(len(files))]
    seen: dict[str, int] = {}
    for i, n in enumerate(names):  # the very same file given twice
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            names[i] = f"{n} ({seen[n]})"
    return names


def _read(path: Path, max_bytes: int) -> bytes:
    try:
        if not path.is_file():
            raise IngestError(f"{path}: not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(f"{path}: too large ({size:,} bytes; the limit is {max_bytes:,})")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except IngestError:
        raise
    except PermissionError:
        raise IngestError(f"{path}: cannot read this file (permission denied)") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise IngestError(f"{path}: too large (over the limit of {max_bytes:,} bytes)")
    return data


def _identity(path: Path) -> object:
    """What makes two paths the same file: device and inode, else the resolved path.

    Inodes also catch hard links and case-insensitive file systems, where
    ``A.txt`` and ``a.txt`` resolve to different strings but one file.
    """
    try:
        st = path.stat()
        if st.st_ino:
            return (st.st_dev, st.st_ino)
    except OSError:
        pass
    try:
        return str(path.resolve())
    except (OSError, RuntimeError):
        return str(path.absolute())


def _unique_files(files: Sequence[Path], on_duplicate: Callable[[Path, Path], None] | None) -> list[Path]:
    """Drop every file already seen (keeping the first), reporting each drop.

    An article given twice (``a.txt ./a.txt``, or a file that is also inside a
    given folder) would otherwise be aligned against itself: every sentence
    a perfect match, a story with no differences.
    """
    seen: dict[object, Path] = {}
    unique: list[Path] = []
    for path in files:
        key = _identity(path)
        if key in seen:
            if on_duplicate is not None:
                on_duplicate(path, seen[key])
            continue
        seen[key] = path
        unique.append(path)
    return unique


def load_sources(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_duplicate: Callable[[Path, Path], None] | None = None,
) -> list[Source]:
    """Read files and folders of articles into Sources, ids in the given order.

    Folders contribute their ``.txt``/``.md`` files (recursively, by name,
    hidden entries skipped); files named explicitly are read whatever their
    extension. Anything unusable stops the load with an
    :class:`IngestError` naming the offending path, because silently
    comparing four articles when the reader asked for five would mislead.

    A file reached twice is read once, at its first position;
    ``on_duplicate(skipped, kept)`` is called for each repeat so the caller
    (the CLI, the app) can say so in its own way -- this module prints nothing.
    """
    files = _unique_files(_expand(paths), on_duplicate)
    names = _unique_names(files)
    sources: list[Source] = []
    for i, (path, name) in enumerate(zip(files, names)):
        data = _read(path, max_bytes)
        if not data.strip():
            raise IngestError(f"{path}: the file is empty")
        try:
            text, encoding = decode(data)
        except IngestError as exc:
            raise IngestError(f"{path}: {exc}") from None
        if not text.strip(" \t\n\r\f\v\u00a0\u200b\ufeff\u3000\u2028\u2029"):
            raise IngestError(f"{path}: the file holds only white space")
        source = parse_source(
            text, id=i, name=name, path=path, encoding=encoding, sha256=hashlib.sha256(data).hexdigest()
        )
        if not source.sentences:
            raise IngestError(f"{path}: no article text found (only page furniture or front matter)")
        sources.append(source)
    return sources
