"""``parallax --session X --pivot 0`` on a session saved with another pivot opens at pivot 0.

The bug (issue 13): a flag given on resume was ignored when its value equalled
the built-in default (``--pivot 0``, ``--threshold 0.35``), because the reader
compared the command line's settings with the defaults and took "equal to the
defaults" for "not given"; and one flag that was not a default dropped the
session's other settings. This test goes through the real command line and
the real reader (headless), and only through interfaces that predate the fix,
so the same file run on the commit before the fix (6da6cf7^) fails there.
"""

from __future__ import annotations

import asyncio

import pytest
from appkit import loaded

from tui import cli
from tui.app.app import ParallaxApp
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings
from tui.core.seeds import seeds_dir
from tui.core.session import Session
from tui.core.session_store import SessionStore

DEFAULTS = AlignSettings()
#: what the session was saved with: neither the pivot nor the threshold is the default
SAVED = AlignSettings(pivot=1, threshold=0.5)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def opened(monkeypatch) -> dict:
    """Run ``parallax`` headless; the settings the reader aligned with land in the returned dict."""
    seen: dict = {}

    def headless(app: ParallaxApp) -> int:
        async def main() -> None:
            async with app.run_test() as pilot:
                await loaded(app, pilot)
                seen["settings"] = app.screen_stack[0].alignment.settings

        asyncio.run(main())
        return 0

    monkeypatch.setattr(ParallaxApp, "run", headless)
    monkeypatch.setattr(cli, "_has_terminal", lambda: True)
    return seen


def _resume(opened: dict, *flags: str) -> AlignSettings:
    SessionStore().save(Session.new("story", load_sources([seeds_dir()]), SAVED))
    assert cli.main(["--session", "story", *flags, str(seeds_dir())]) == 0
    return opened["settings"]


def test_the_defaults_are_what_the_flags_below_give():
    assert (DEFAULTS.pivot, DEFAULTS.threshold) == (0, 0.35)  # else the test below proves nothing


@pytest.mark.parametrize(
    ("flags", "pivot", "threshold"),
    [
        (["--pivot", "0"], 0, 0.5),  # 0 is the default pivot: it must still win over the session's 1
        (["--threshold", "0.35"], 1, 0.35),  # 0.35 is the default threshold
        (["--pivot", "0", "--threshold", "0.35"], 0, 0.35),
        (["--pivot", "2", "--threshold", "0.6"], 2, 0.6),
        (["--threshold", "0.6"], 1, 0.6),  # one flag leaves the session's other settings as stored
        ([], 1, 0.5),  # nothing given: the session's own
    ],
)
def test_a_flag_given_on_resume_wins_even_when_it_equals_the_default(opened, flags, pivot, threshold):
    got = _resume(opened, *flags)
    assert (got.pivot, got.threshold) == (pivot, threshold)
    kept = SessionStore().load("story").align_settings(load_sources([seeds_dir()]))
    assert (kept.pivot, kept.threshold) == (pivot, threshold)  # and the session keeps what was asked for
