"""Articles given as URLs: fetched once, then read from a local cache.

A reader compares pages as they were when they read them. Pages change,
vanish behind paywalls or go offline, so every page fetched is kept in the
user's cache folder, keyed by its URL: a session reopens offline on exactly
the text it was made on, and an export run twice gives the same CSV.
``refresh=True`` (``--refresh``) fetches again and replaces the copy.

The fetch itself is deliberately plain and bounded: the standard library's
urllib (no extra dependency, nothing imported until a URL is given), a
timeout on the whole transfer, a size limit checked while reading, redirects
followed only to http(s), and a User-Agent that names Parallax. Every way a
fetch can fail -- an HTTP error, a timeout, a refused connection, no network,
an answer that is not a page -- becomes one :class:`FetchError` whose message
is the one line the user sees.

Where the cache lives: ``$PARALLAX_CACHE_DIR`` if set, else
``$PARALLAX_HOME/cache`` (the folder tests and portable installs already
use), else the platform's user cache folder (platformdirs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.errors import IngestError
from tui.core.paths import replace_atomically, user_folder

__all__ = [
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "FetchError",
    "Fetched",
    "cache_dir",
    "cache_key",
    "fetch",
    "is_url",
]

#: Seconds the whole transfer may take (connecting, waiting, reading).
DEFAULT_TIMEOUT = 20.0
USER_AGENT = f"Parallax/{__version__} (terminal news reader; compares how outlets report a story)"
#: Media types read as pages or as plain articles; anything else is refused.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8"
_MAX_REDIRECTS = 10
_CHUNK = 64 * 1024
_CACHE_VERSION = 1


class FetchError(IngestError):
    """A URL could not be read; the message names the URL and says why, in one line."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """One page as the server sent it (or as the cache kept it)."""

    #: the URL as given: the cache key and what sessions store
    url: str
    #: where the page really came from, after redirects
    final_url: str
    #: ``text/html``, ``text/plain``, ... (lower case, no parameters)
    media_type: str
    #: the charset the server declared, if any
    charset: str | None
    body: bytes
    #: when it was fetched, ISO 8601 UTC
    fetched_at: str
    from_cache: bool = False
    #: why the page could not be kept in the cache (it was still read), else None
    cache_problem: str | None = None

    @property
    def is_html(self) -> bool:
        return self.media_type in HTML_TYPES


def is_url(text: str) -> bool:
    """Whether a command-line argument is a web address rather than a path."""
    head = str(text)[:8].lower()
    return head.startswith(("http://", "https://"))


def cache_dir() -> Path:
    """The folder fetched pages are kept in (see the module docstring)."""
    return user_folder("cache", "cache", env="PARALLAX_CACHE_DIR", tail="pages")


def _normalise(url: str) -> str:
    """The URL as a cache key: scheme and host in lower case, no fragment (never sent)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def cache_key(url: str) -> str:
    """The file stem a URL's copy is kept under."""
    return hashlib.sha256(_normalise(url).encode("utf-8", "surrogatepass")).hexdigest()[:40]


# --------------------------------------------------------------------------- cache


def _read_cache(root: Path, url: str) -> Fetched | None:
    """The kept copy of ``url``, or None if there is none or it is damaged."""
    key = cache_key(url)
    try:
        meta = json.loads((root / f"{key}.json").read_text(encoding="utf-8"))
        body = (root / f"{key}.page").read_bytes()
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("version") != _CACHE_VERSION:
        return None
    if meta.get("sha256") != hashlib.sha256(body).hexdigest():
        return None  # a torn or edited copy: fetch again rather than trust it
    if _normalise(str(meta.get("url", ""))) != _normalise(url):
        return None  # a (vanishingly unlikely) key collision
    return Fetched(
        url=url,
        final_url=str(meta.get("final_url") or url),
        media_type=str(meta.get("media_type") or "text/html"),
        charset=meta.get("charset") if isinstance(meta.get("charset"), str) else None,
        body=body,
        fetched_at=str(meta.get("fetched_at") or ""),
        from_cache=True,
    )


def _write_cache(root: Path, page: Fetched) -> str | None:
    """Keep ``page``; returns why it could not be kept, or None.

    The body goes first and the description last, so a crash in between
    leaves a body without a description, which reads as "not cached".
    """
    key = cache_key(page.url)
    meta = {
        "version": _CACHE_VERSION,
        "url": page.url,
        "final_url": page.final_url,
        "media_type": page.media_type,
        "charset": page.charset,
        "fetched_at": page.fetched_at,
        "sha256": hashlib.sha256(page.body).hexdigest(),
        "size": len(page.body),
    }
    try:
        root.mkdir(parents=True, exist_ok=True)
        replace_atomically(root / f"{key}.page", page.body)
        replace_atomically(root / f"{key}.json", json.dumps(meta, indent=1).encode("utf-8"))
    except OSError as exc:
        return f"cannot keep a copy in {root} ({exc.strerror or exc})"
    return None


# --------------------------------------------------------------------------- network


def _check_url(url: str) -> None:
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        raise FetchError(f"{url}: not a valid web address") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not port_ok:
        raise FetchError(f"{url}: not a valid web address")
    if any(ord(c) < 33 or ord(c) == 127 for c in url):
        raise FetchError(f"{url}: not a valid web address (it contains spaces or control characters)")


def _opener() -> Any:
    import urllib.request

    class Redirects(urllib.request.HTTPRedirectHandler):
        """Follow redirects, but only to http(s): never to file:// or ftp:// on a server's say-so."""

        max_redirections = _MAX_REDIRECTS

        def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN202, PLR0913
            if not is_url(newurl):
                raise FetchError(f"{req.full_url}: the server redirects to {newurl}, which is not a web page")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return urllib.request.build_opener(Redirects)


def _reason(exc: BaseException, timeout: float) -> str:
    """One phrase for why a connection failed."""
    import socket
    import ssl

    if isinstance(exc, (TimeoutError, socket.timeout)):
        return f"no answer within {timeout:g} seconds (timed out)"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (is the server running?)"
    if isinstance(exc, socket.gaierror):
        return "cannot find the server (no network, or the name does not exist)"
    if isinstance(exc, ssl.SSLError):
        return f"secure connection failed ({getattr(exc, 'reason', None) or exc})"
    if isinstance(exc, ConnectionError):
        return "the connection was closed before the page arrived"
    if isinstance(exc, OSError) and exc.strerror:
        return f"cannot connect ({exc.strerror})"
    return f"cannot connect ({exc})"


def _download(url: str, *, max_bytes: int, timeout: float) -> Fetched:
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": _ACCEPT})
    deadline = time.monotonic() + timeout
    try:
        response = _opener().open(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        with contextlib.suppress(Exception):
            exc.close()
        if 300 <= exc.code < 400:
            raise FetchError(f"{url}: too many redirects (the server sent {exc.code})") from None
        reason = " ".join(str(exc.reason or "").split())
        raise FetchError(f"{url}: the server answered {exc.code}{' ' + reason if reason else ''}") from None
    except urllib.error.URLError as exc:
        raise FetchError(f"{url}: {_reason(exc.reason if isinstance(exc.reason, BaseException) else exc, timeout)}") from None
    except (http.client.HTTPException, ValueError) as exc:
        raise FetchError(f"{url}: the server's answer is not valid HTTP ({type(exc).__name__})") from None
    except OSError as exc:
        raise FetchError(f"{url}: {_reason(exc, timeout)}") from None

    with response:
        content_type = response.headers.get_content_type() if response.headers.get("Content-Type") else ""
        charset = response.headers.get_content_charset()
        if content_type and content_type not in HTML_TYPES | TEXT_TYPES:
            raise FetchError(
                f"{url}: not a web page (the server sent {content_type}); "
                "Parallax reads HTML pages, plain text and Markdown"
            )
        length = response.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > max_bytes:
            raise FetchError(f"{url}: too large ({int(length):,} bytes; the limit is {max_bytes:,})")
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = response.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"{url}: too large (over the limit of {max_bytes:,} bytes)")
                chunks.append(chunk)
        except FetchError:
            raise
        except http.client.HTTPException as exc:
            raise FetchError(f"{url}: the connection broke off while reading ({type(exc).__name__})") from None
        except OSError as exc:
            raise FetchError(f"{url}: {_reason(exc, timeout)}") from None
        final = response.geturl() or url
    body = b"".join(chunks)
    if not content_type:
        # No Content-Type: judge by what arrived (a page, or text, or neither).
        content_type = "text/html" if b"<" in body[:1024] else "text/plain"
    stamp = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    return Fetched(url=url, final_url=final, media_type=content_type, charset=charset, body=body, fetched_at=stamp)


def fetch(
    url: str,
    *,
    max_bytes: int,
    timeout: float = DEFAULT_TIMEOUT,
    refresh: bool = False,
    cache: Path | None = None,
    download: Callable[..., Fetched] | None = None,
) -> Fetched:
    """The page at ``url``: the kept copy if there is one, else fetched and kept.

    ``refresh`` fetches even when a copy is kept (and replaces it only once
    the new page has arrived whole). A copy larger than ``max_bytes`` is
    refused like a download would be, so the limit means the same offline.
    ``download`` replaces the network, for tests of the cache.
    """
    url = url.strip()
    _check_url(url)
    root = cache if cache is not None else cache_dir()
    if not refresh:
        kept = _read_cache(root, url)
        if kept is not None:
            if len(kept.body) > max_bytes:
                raise FetchError(f"{url}: too large ({len(kept.body):,} bytes; the limit is {max_bytes:,})")
            return kept
    page = (download or _download)(url, max_bytes=max_bytes, timeout=timeout)
    problem = _write_cache(root, page)
    if problem is None:
        return page
    return Fetched(
        url=page.url, final_url=page.final_url, media_type=page.media_type, charset=page.charset,
        body=page.body, fetched_at=page.fetched_at, cache_problem=problem,
    )
