"""Fetching URLs and keeping them: every failure is one line, every page read once.

All traffic goes to a server on 127.0.0.1 that the test starts
(tests/pageserver.py); the cache is a temporary folder.
"""

from __future__ import annotations

import json
import socket

import pytest

from pageserver import Answer, free_port, page, serve
from tui.core import fetch as fetch_mod
from tui.core.fetch import USER_AGENT, FetchError, cache_dir, cache_key, fetch, is_url

LIMIT = 1_000_000


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def test_fetches_a_page_and_names_parallax_in_the_user_agent(cache):
    with serve({"/a.html": page("courier.html")}) as srv:
        got = fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=cache)
        agent = srv.requests[0][1].get("User-Agent", "")
    assert got.body == page("courier.html").body
    assert got.media_type == "text/html" and got.charset == "utf-8" and got.is_html
    assert not got.from_cache
    assert agent == USER_AGENT and agent.startswith("Parallax/")


def test_second_read_comes_from_the_cache_without_a_request(cache):
    with serve({"/a.html": page("courier.html")}) as srv:
        first = fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=cache)
        url = srv.url("/a.html")
    # the server is gone: only the cache can answer now
    again = fetch(url, max_bytes=LIMIT, cache=cache)
    assert again.from_cache and again.body == first.body and again.fetched_at == first.fetched_at
    assert sorted(p.suffix for p in cache.iterdir()) == [".json", ".page"]
    assert not [p for p in cache.iterdir() if p.name.endswith(".tmp")]


def test_refresh_fetches_again_and_replaces_the_copy(cache):
    routes = {"/a.html": page("courier.html")}
    with serve(routes) as srv:
        fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=cache)
        routes["/a.html"] = page("ledger.html")
        kept = fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=cache)
        fresh = fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=cache, refresh=True)
        assert srv.hits("/a.html") == 2
    assert kept.body == page("courier.html").body
    assert fresh.body == page("ledger.html").body and not fresh.from_cache
    assert fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=cache).body == page("ledger.html").body


def test_a_failed_refresh_keeps_the_old_copy(cache):
    routes = {"/a.html": page("courier.html")}
    with serve(routes) as srv:
        url = srv.url("/a.html")
        fetch(url, max_bytes=LIMIT, cache=cache)
        routes["/a.html"] = Answer(b"gone", status=500)
        with pytest.raises(FetchError, match="500"):
            fetch(url, max_bytes=LIMIT, cache=cache, refresh=True)
    assert fetch(url, max_bytes=LIMIT, cache=cache).body == page("courier.html").body


def test_redirects_are_followed_and_the_final_address_kept(cache):
    routes = {
        "/old": Answer(status=301, headers={"Location": "/new"}),
        "/new": page("ledger.html"),
    }
    with serve(routes) as srv:
        got = fetch(srv.url("/old"), max_bytes=LIMIT, cache=cache)
    assert got.body == page("ledger.html").body
    assert got.url.endswith("/old") and got.final_url.endswith("/new")


def test_a_redirect_loop_is_one_error(cache):
    with serve({"/loop": Answer(status=302, headers={"Location": "/loop"})}) as srv:
        with pytest.raises(FetchError, match="redirect"):
            fetch(srv.url("/loop"), max_bytes=LIMIT, cache=cache)


def test_a_redirect_to_a_local_file_is_refused(cache):
    with serve({"/x": Answer(status=302, headers={"Location": "file:///etc/passwd"})}) as srv:
        with pytest.raises(FetchError, match="not a web page|redirect"):
            fetch(srv.url("/x"), max_bytes=LIMIT, cache=cache)


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (Answer(b"nope", status=404), "answered 404 Not Found"),
        (Answer(b"oops", status=500), "answered 500 Internal Server Error"),
        (Answer(b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png"), "not a web page .*image/png"),
        (Answer(bytes(300), content_type="application/octet-stream"), "application/octet-stream"),
        (Answer(b"<p>" + b"x" * 5000 + b"</p>"), "too large"),
        (Answer(b"<p>" + b"x" * 5000 + b"</p>", chunked=True), "too large"),
    ],
    ids=["404", "500", "image", "binary", "too-large", "too-large-unannounced"],
)
def test_failures_are_one_line_and_nothing_is_cached(cache, answer, expected):
    with serve({"/p": answer}) as srv:
        with pytest.raises(FetchError, match=expected) as info:
            fetch(srv.url("/p"), max_bytes=4096, cache=cache)
    message = str(info.value)
    assert "\n" not in message and message.startswith(srv.url("/p"))
    assert not cache.exists() or not list(cache.iterdir())


def test_a_timeout_is_one_line(cache):
    with serve({"/slow": Answer(b"<p>late</p>", delay=3)}) as srv:
        with pytest.raises(FetchError, match="timed out"):
            fetch(srv.url("/slow"), max_bytes=LIMIT, cache=cache, timeout=0.3)


def test_a_refused_connection_is_one_line(cache):
    url = f"http://127.0.0.1:{free_port()}/a.html"
    with pytest.raises(FetchError, match="connection refused"):
        fetch(url, max_bytes=LIMIT, cache=cache)


def test_no_network_is_one_line(cache, monkeypatch):
    def no_dns(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(FetchError, match="cannot find the server"):
        fetch("http://news.example/story", max_bytes=LIMIT, cache=cache)


@pytest.mark.parametrize("url", ["http://", "https:///path", "http://host:99999/", "http://a b/"])
def test_malformed_addresses_are_refused_before_any_connection(cache, url):
    with pytest.raises(FetchError, match="not a valid web address"):
        fetch(url, max_bytes=LIMIT, cache=cache)


def test_a_damaged_copy_is_fetched_again(cache):
    with serve({"/a.html": page("courier.html")}) as srv:
        url = srv.url("/a.html")
        fetch(url, max_bytes=LIMIT, cache=cache)
        (cache / f"{cache_key(url)}.page").write_bytes(b"<html>half a pa")
        got = fetch(url, max_bytes=LIMIT, cache=cache)
        assert srv.hits("/a.html") == 2
    assert got.body == page("courier.html").body and not got.from_cache


def test_the_limit_applies_to_kept_copies_too(cache):
    with serve({"/a.html": page("courier.html")}) as srv:
        url = srv.url("/a.html")
        fetch(url, max_bytes=LIMIT, cache=cache)
    with pytest.raises(FetchError, match="too large"):
        fetch(url, max_bytes=1000, cache=cache)


def test_an_unwritable_cache_still_reads_the_page(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with serve({"/a.html": page("courier.html")}) as srv:
        got = fetch(srv.url("/a.html"), max_bytes=LIMIT, cache=blocker / "cache")
    assert got.body == page("courier.html").body
    assert got.cache_problem and "cannot keep a copy" in got.cache_problem


def test_cache_key_ignores_fragment_and_host_case():
    assert cache_key("http://Example.COM/a?b=1#top") == cache_key("http://example.com/a?b=1")
    assert cache_key("http://example.com/a?b=1") != cache_key("http://example.com/a?b=2")


def test_cache_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("PARALLAX_CACHE_DIR", raising=False)
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / "cache"
    monkeypatch.setenv("PARALLAX_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"


def test_cache_description_is_readable_json(cache):
    with serve({"/a.html": page("courier.html")}) as srv:
        url = srv.url("/a.html")
        fetch(url, max_bytes=LIMIT, cache=cache)
    meta = json.loads((cache / f"{cache_key(url)}.json").read_text())
    assert meta["url"] == url and meta["media_type"] == "text/html" and meta["size"] == len(page("courier.html").body)


def test_is_url():
    assert is_url("https://example.com/x") and is_url("HTTP://example.com")
    assert not is_url("example.com/x") and not is_url("http.txt") and not is_url("-")


def test_fetch_module_does_not_import_the_network_stack_until_used():
    import subprocess
    import sys

    code = "import sys, tui.core.fetch; print('urllib.request' in sys.modules, 'http.client' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    assert fetch_mod.DEFAULT_TIMEOUT > 0
