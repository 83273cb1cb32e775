"""Where articles come from: files, folders, URLs and standard input, read into Sources.

Every way an input can be unusable becomes one
:class:`~tui.core.errors.IngestError` naming it: a missing or binary file, a
PDF or a Word document (with what *is* supported), a URL that cannot be
fetched. A folder's files that Parallax cannot read are counted in a
warning, never skipped silently; a file reached twice is read once.

Text and Markdown go straight to :func:`~tui.core.ingest.structure.parse_source`.
Web pages (``.html``, a URL's HTML, HTML on standard input, recognised by
content where no name says) go through :mod:`.webpage` first, which finds
the article in the page; the Source then holds the extracted text, which is
what the reader shows and what sentence offsets point into, while its
``sha256`` is that of the page's bytes, the natural change detector for a
saved or cached page. URLs are fetched (and cached) by :mod:`tui.core.fetch`,
which is imported only when a URL is given, like the extractor for pages.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

from tui.core.errors import IngestError
from tui.core.ingest.decode import decode
from tui.core.ingest.names import SOURCES_FILE, SourceInfo, apply_labels, read_sources_file, short_labels
from tui.core.ingest.structure import _stem, parse_source
from tui.core.ingest.webpage import HTML_SUFFIXES, declared_charset, looks_like_html
from tui.core.model import Source
from tui.core.regular import NotRegularFile, TooLarge, read_regular

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Text and Markdown suffixes, picked up in folders (files named explicitly
#: are read whatever they are called, unless they are known not to be text).
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown"})
#: Everything a folder contributes.
READ_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
#: What to say when Parallax is handed something it cannot read.
SUPPORTED = (
    "Parallax reads text (.txt), Markdown (.md) and saved web pages (.html), "
    "http(s) URLs, and - for standard input"
)

#: Kinds of file people have articles in that are not text, by suffix.
_NOT_TEXT = {
    ".pdf": "PDF",
    ".doc": "Word", ".docx": "Word", ".dot": "Word", ".dotx": "Word", ".odt": "OpenDocument text",
    ".rtf": "RTF", ".pages": "Pages", ".epub": "EPUB", ".mobi": "e-book",
    ".xls": "spreadsheet", ".xlsx": "spreadsheet", ".ods": "spreadsheet", ".csv": "CSV",
    ".ppt": "presentation", ".pptx": "presentation", ".odp": "presentation",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".gif": "image", ".webp": "image",
    ".bmp": "image", ".tif": "image", ".tiff": "image", ".heic": "image", ".svg": "image",
    ".zip": "archive", ".gz": "archive", ".tgz": "archive", ".7z": "archive", ".rar": "archive",
    ".mht": "web archive (MHTML)", ".mhtml": "web archive (MHTML)", ".webarchive": "Safari web archive",
    ".mp3": "audio", ".m4a": "audio", ".wav": "audio", ".mp4": "video", ".mov": "video",
}
#: The same by content, for files whose name does not say.
_MAGIC = (
    (b"%PDF-", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word (or other Office)"),
    (b"PK\x03\x04", "ZIP (a .docx, .epub or .zip)"),
    (b"{\\rtf", "RTF"),
    (b"\x89PNG", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF8", "image"),
)

_BLANK = " \t\n\r\f\v\u00a0\u200b\ufeff\u3000\u2028\u2029"


def _hidden(name: str) -> bool:
    return name.startswith(".")


@dataclass(slots=True)
class _Input:
    """One article to read, as the user gave it."""

    #: what was typed (for messages and ``--label``)
    given: str
    kind: str  # "file" | "url" | "stdin"
    path: Path | None = None
    url: str | None = None
    #: the folder given on the command line this file was found in
    root: Path | None = None

    @property
    def where(self) -> str:
        """How messages name this input."""
        if self.kind == "stdin":
            return "standard input (-)"
        return (self.url or "") if self.kind == "url" else str(self.path)


def _folder_files(folder: Path) -> tuple[list[Path], list[Path], list[Path]]:
    """The readable files under ``folder`` in name order, the others, and the sub-folders that cannot be listed.

    A walk with an explicit stack, not :func:`os.walk`, which recurses on
    Python 3.11 (a folder nested 1,200 deep was a ``RecursionError``) and
    skips a sub-folder it cannot list without a word. Symbolic links to
    folders are not followed, so a link loop cannot make it endless.
    """
    found: list[tuple[tuple[str, ...], Path]] = []
    skipped: list[Path] = []
    unlisted: list[Path] = []
    stack: list[tuple[Path, tuple[str, ...]]] = [(folder, ())]
    while stack:
        here, rel = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError as exc:
            if here == folder:
                raise IngestError(f"{folder}: cannot list this folder ({exc.strerror or exc})") from None
            unlisted.append(here)
            continue
        subdirs = []
        for entry in entries:
            if _hidden(entry.name):
                continue
            try:
                is_dir = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError:
                is_dir = is_link = False
            if is_dir:
                if not is_link:  # a link to a folder is not followed (as os.walk did not)
                    subdirs.append(entry.name)
            elif Path(entry.name).suffix.casefold() in READ_SUFFIXES:
                found.append(((*rel, entry.name), here / entry.name))
            elif entry.name != SOURCES_FILE:
                skipped.append(here / entry.name)
        # reversed, so that the stack hands sub-folders out in name order
        stack.extend((here / d, (*rel, d)) for d in sorted(subdirs, reverse=True))
    found.sort(key=lambda item: item[0])
    return [p for _, p in found], sorted(skipped), sorted(unlisted)


def _skipped_summary(skipped: Sequence[Path]) -> str:
    """``2 .pdf, 1 .png and 1 without a suffix``: what a folder held that was not read."""
    counts: dict[str, int] = {}
    for p in skipped:
        key = p.suffix.casefold() or "without a suffix"
        counts[key] = counts.get(key, 0) + 1
    parts = [f"{n} {k}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _not_text_kind(path: Path) -> str | None:
    return _NOT_TEXT.get(path.suffix.casefold())


def _expand(paths: Iterable[str | Path], warn: Callable[[str], None] | None) -> list[_Input]:
    from_stdin = False
    items: list[_Input] = []
    for raw in paths:
        text = os.fspath(raw)
        if text == "-":
            if from_stdin:
                raise IngestError("- (standard input) is given twice; it can be read only once")
            from_stdin = True
            items.append(_Input("-", "stdin"))
            continue
        if _is_url(text):
            items.append(_Input(text, "url", url=text.strip()))
            continue
        p = Path(text).expanduser()
        if p.is_dir():
            if not os.access(p, os.R_OK | os.X_OK):
                raise IngestError(f"{p}: cannot open this folder (permission denied)")
            inside, skipped, unlisted = _folder_files(p)
            if unlisted and warn is not None:
                one = len(unlisted) == 1
                warn(
                    f"{p}: skipped {len(unlisted)} sub-folder{'' if one else 's'} Parallax cannot open "
                    f"({_printable_name(str(unlisted[0]))}{'' if one else ', ...'})"
                )
            if not inside:
                extra = f" ({len(skipped)} other file{'' if len(skipped) == 1 else 's'})" if skipped else ""
                raise IngestError(f"{p}: no .txt, .md or .html files in this folder{extra}")
            if skipped and warn is not None:
                one = len(skipped) == 1
                warn(
                    f"{p}: skipped {len(skipped)} file{'' if one else 's'} Parallax cannot read "
                    f"({_skipped_summary(skipped)}); it reads .txt, .md and .html"
                )
            items.extend(_Input(text, "file", path=f, root=p) for f in inside)
        elif p.exists():
            kind = _not_text_kind(p)
            if kind is not None:
                raise IngestError(f"{p}: {kind} files are not supported; {SUPPORTED}")
            items.append(_Input(text, "file", path=p))
        elif text.lower().startswith(("http:/", "https:/", "www.")):
            raise IngestError(f"{text}: no such file or folder (a web page needs its whole address, https://...)")
        else:
            raise IngestError(f"{p}: no such file or folder")
    return items


def _is_url(text: str) -> bool:
    head = text[:8].lower()
    return head.startswith(("http://", "https://"))


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
    """The bytes of a regular file up to ``max_bytes``: checked on the open file, so a FIFO never blocks."""
    try:
        data, _ = read_regular(path, max_bytes)
    except NotRegularFile:
        raise IngestError(f"{path}: not a regular file") from None
    except TooLarge as exc:
        if exc.size is None:
            raise IngestError(f"{path}: too large (over the limit of {max_bytes:,} bytes)") from None
        raise IngestError(f"{path}: too large ({exc.size:,} bytes; the limit is {max_bytes:,})") from None
    except PermissionError:
        raise IngestError(f"{path}: cannot read this file (permission denied)") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read this file ({exc.strerror or exc})") from None
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


def _unique_inputs(
    items: Sequence[_Input], on_duplicate: Callable[[Path, Path], None] | None, warn: Callable[[str], None] | None
) -> list[_Input]:
    """Files reached twice are read once (see :func:`_unique_files`), and so are URLs."""
    files = _unique_files([i.path for i in items if i.kind == "file" and i.path is not None], on_duplicate)
    keep = {id(p) for p in files}
    seen_urls: set[str] = set()
    out: list[_Input] = []
    for item in items:
        if item.kind == "file":
            if id(item.path) in keep:
                out.append(item)
                keep.discard(id(item.path))
            continue
        if item.kind == "url":
            from tui.core.fetch import cache_key

            key = cache_key(item.url or "")
            if key in seen_urls:
                if warn is not None:
                    warn(f"{item.url} is given twice; using it once")
                continue
            seen_urls.add(key)
        out.append(item)
    return out


def _url_name(url: str) -> str:
    """A URL as a source name: host and path, without the scheme."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    name = parts.netloc + (parts.path if parts.path not in ("", "/") else "")
    if parts.query:
        name += "?" + parts.query
    return _printable_name(name.rstrip("/") or url)


def _names(items: Sequence[_Input]) -> list[str]:
    file_names = iter(_unique_names([i.path for i in items if i.kind == "file" and i.path is not None]))
    names = [
        next(file_names) if i.kind == "file" else _url_name(i.url or "") if i.kind == "url" else "stdin"
        for i in items
    ]
    seen: dict[str, int] = {}
    for n, name in enumerate(names):  # a URL named like a file, a file called "stdin"
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            names[n] = f"{name} ({seen[name]})"
    return names


@dataclass(slots=True)
class _Raw:
    data: bytes
    #: the media type and charset a server declared (URLs only)
    media_type: str | None = None
    charset: str | None = None
    #: where the page really came from (URLs only)
    final_url: str | None = None


def _read_stdin(stdin: bytes | BinaryIO | None, max_bytes: int) -> bytes:
    if isinstance(stdin, (bytes, bytearray)):
        data = bytes(stdin)
    else:
        stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise IngestError("standard input (-): there is no standard input to read")
        try:
            data = stream.read(max_bytes + 1)
        except OSError as exc:
            raise IngestError(f"standard input (-): cannot read it ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise IngestError(f"standard input (-): too large (over the limit of {max_bytes:,} bytes)")
    return data


def _fetch(
    item: _Input, max_bytes: int, refresh: bool, timeout: float | None, warn: Callable[[str], None] | None
) -> _Raw:
    from tui.core import fetch

    kw: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
    page = fetch.fetch(item.url or "", max_bytes=max_bytes, refresh=refresh, **kw)
    if page.cache_problem and warn is not None:
        warn(f"{item.url}: {page.cache_problem}; it will be fetched again next time")
    return _Raw(page.body, page.media_type, page.charset, page.final_url)


def _decode_page(data: bytes, header_charset: str | None) -> tuple[str, str]:
    """Page bytes to text: a byte-order mark, else the declared charset, else a guess as for text."""
    if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        charset = declared_charset(data, header_charset)
        if charset is not None:
            try:
                return data.decode(charset), charset
            except (UnicodeDecodeError, LookupError):
                pass  # the page lies about its encoding; guess as for any text
    return decode(data)


def _is_page(item: _Input, raw: _Raw, text: str) -> bool:
    if item.kind == "file":
        return (item.path is not None and item.path.suffix.casefold() in HTML_SUFFIXES) or looks_like_html(
            text, strict=True
        )
    if item.kind == "url":
        from tui.core.fetch import HTML_TYPES

        return raw.media_type in HTML_TYPES or looks_like_html(text, strict=True)
    return looks_like_html(text)


def _source(item: _Input, raw: _Raw, *, id: int, name: str) -> tuple[Source, bool]:
    """Build one Source; also says whether something (metadata, front matter) named it."""
    where = item.where
    data = raw.data
    if not data.strip():
        what = {"file": "the file is empty", "url": "the page is empty", "stdin": "nothing was read"}[item.kind]
        raise IngestError(f"{where}: {what}")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise IngestError(f"{where}: looks like a {kind} file, not text; {SUPPORTED}")
    try:
        text, encoding = decode(data)
    except IngestError as exc:
        raise IngestError(f"{where}: {exc}; {SUPPORTED}") from None
    sha256 = hashlib.sha256(data).hexdigest()
    origin = item.url if item.kind == "url" else "-" if item.kind == "stdin" else None
    path = item.path if item.kind == "file" else None
    if _is_page(item, raw, text):
        from tui.core.ingest.webpage import extract_page

        text, encoding = _decode_page(data, raw.charset)
        page = extract_page(text, url=raw.final_url or item.url)
        if not page.text:
            raise IngestError(f"{where}: no article text found in this web page")
        source = parse_source(
            page.text, id=id, name=name, path=path, encoding=encoding, sha256=sha256, headline_first=page.has_headline
        )
        label = page.sitename
        if label is None and item.kind == "url":
            from urllib.parse import urlsplit

            host = urlsplit(raw.final_url or item.url or "").hostname or ""
            label = host.removeprefix("www.") or None
        from tui.core.ingest.names import clean_label

        source = replace(
            source,
            label=clean_label(label) if label else source.label,
            title=page.title or source.title,
            url=page.url or source.url,
            date=page.date or source.date,
            author=page.author,
            origin=origin,
        )
        named = label is not None
    else:
        if not text.strip(_BLANK):
            raise IngestError(f"{where}: {'the file holds' if item.kind == 'file' else 'it holds'} only white space")
        source = parse_source(text, id=id, name=name, path=path, encoding=encoding, sha256=sha256)
        if origin is not None:
            source = replace(source, origin=origin)
        named = source.label != _stem(name)
    if not source.sentences:
        raise IngestError(f"{where}: no article text found (only page furniture or front matter)")
    return source, named


class _SourcesFiles:
    """The ``sources.toml`` files that apply to the inputs, each read once."""

    def __init__(self, warn: Callable[[str], None] | None) -> None:
        self.warn = warn
        self.read: dict[Path, dict[Path, SourceInfo]] = {}

    def _of(self, folder: Path) -> dict[Path, SourceInfo]:
        if folder not in self.read:
            file = folder / SOURCES_FILE
            self.read[folder] = read_sources_file(file, self.warn) if file.is_file() else {}
        return self.read[folder]

    def info(self, item: _Input) -> SourceInfo | None:
        """The entry for a file: its own folder's, else the given folder's it was found in."""
        if item.kind != "file" or item.path is None:
            return None
        try:
            key = item.path.resolve()
        except (OSError, RuntimeError):
            key = item.path.absolute()
        for folder in dict.fromkeys(p for p in (item.path.parent, item.root) if p is not None):
            found = self._of(folder).get(key)
            if found is not None:
                return found
        return None


def load_sources(
    paths: Sequence[str | Path],
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    on_duplicate: Callable[[Path, Path], None] | None = None,
    warn: Callable[[str], None] | None = None,
    labels: Sequence[tuple[str, str]] = (),
    refresh: bool = False,
    timeout: float | None = None,
    stdin: bytes | BinaryIO | None = None,
) -> list[Source]:
    """Read articles into Sources, ids in the given order.

    ``paths`` are files, folders, http(s) URLs and ``-`` (standard input:
    ``stdin`` if given, as bytes or a binary stream, else the process's own).
    Folders contribute their ``.txt``/``.md``/``.html`` files (recursively, by
    name, hidden entries skipped); other files in them are counted in a
    ``warn`` message. Files named explicitly are read whatever their
    extension, unless it says they are not text (PDF, Word, images, ...).
    Anything unusable stops the load with an :class:`IngestError` naming the
    offending input, because silently comparing four articles when the
    reader asked for five would mislead.

    URLs are fetched once and then read from the cache (``refresh`` fetches
    again; ``timeout`` bounds a fetch). Labels come from ``labels``
    (``--label FILE=NAME`` pairs), then a folder's ``sources.toml``, then the
    article itself, else a short form of the file name (see :mod:`.names`).

    A file reached twice is read once, at its first position;
    ``on_duplicate(skipped, kept)`` is called for each repeat so the caller
    (the CLI, the app) can say so in its own way -- this module prints nothing.
    """
    items = _unique_inputs(_expand(paths, warn), on_duplicate, warn)
    names = _names(items)
    toml = _SourcesFiles(warn)
    sources: list[Source] = []
    named: list[bool] = []
    for i, (item, name) in enumerate(zip(items, names)):
        if item.kind == "file":
            assert item.path is not None  # every file input has its path
            raw = _Raw(_read(item.path, max_bytes))
        elif item.kind == "url":
            raw = _fetch(item, max_bytes, refresh, timeout, warn)
        else:
            raw = _Raw(_read_stdin(stdin, max_bytes))
        source, is_named = _source(item, raw, id=i, name=name)
        info = toml.info(item)
        if info is not None:
            source = replace(
                source,
                label=info.outlet or source.label,
                url=info.url or source.url,
                date=info.date or source.date,
                author=info.author or source.author,
            )
            is_named = is_named or info.outlet is not None
        sources.append(source)
        named.append(is_named)
    unnamed = [k for k, n in enumerate(named) if not n]
    if unnamed:
        short = short_labels(
            [_stem(sources[k].name) for k in unnamed], taken=[s.label for s, n in zip(sources, named) if n]
        )
        for k, label in zip(unnamed, short):
            sources[k] = replace(sources[k], label=label)
    if labels:
        sources = apply_labels(sources, labels)
    return sources
