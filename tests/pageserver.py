"""A web server on 127.0.0.1 for tests that fetch URLs: nothing ever leaves the machine.

A test describes what each path answers (status, headers, body, an optional
delay) and gets the server's base URL; the server runs in a thread of the
test process and is shut down when the ``with`` block ends. Every request
is recorded, so a test can tell a page read from the cache (no request)
from one fetched again.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "fixtures" / "pages"


@dataclass
class Answer:
    """What the server sends for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    #: seconds to wait before answering (to provoke a client timeout)
    delay: float = 0.0
    #: send no Content-Length, so the client only learns the size by reading
    chunked: bool = False


def page(name: str, **kw) -> Answer:
    """A fixture page from ``tests/fixtures/pages`` as the server's answer."""
    return Answer((PAGES / name).read_bytes(), **kw)


@dataclass
class Server:
    base: str
    requests: list[tuple[str, dict[str, str]]]

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


@contextlib.contextmanager
def serve(routes: Mapping[str, Answer]) -> Iterator[Server]:
    """Serve ``routes`` on a free port of 127.0.0.1 until the block ends."""
    requests: list[tuple[str, dict[str, str]]] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # noqa: A002, ANN001, ANN202 - keep test output clean
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            requests.append((self.path, dict(self.headers.items())))
            answer = routes.get(self.path)
            if answer is None:
                answer = Answer(b"<html><body><h1>Not Found</h1></body></html>", status=404)
            if answer.delay:
                stop.wait(answer.delay)
            try:
                self.send_response(answer.status)
                if answer.content_type:
                    self.send_header("Content-Type", answer.content_type)
                for k, v in answer.headers.items():
                    self.send_header(k, v)
                if answer.chunked:
                    self.send_header("Connection", "close")
                else:
                    self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                if answer.chunked:
                    for i in range(0, len(answer.body), 65536):
                        self.wfile.write(answer.body[i : i + 65536])
                    self.close_connection = True
                else:
                    self.wfile.write(answer.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a size limit, a timeout): that is the point of the test

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Server(f"http://127.0.0.1:{server.server_address[1]}", requests)
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connections to it are refused)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
