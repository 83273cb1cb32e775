"""One settings story: a flag given explicitly wins, then the session's stored settings, then the defaults.

The bug this pins down: ``parallax --session X --pivot 0`` (or ``--threshold
0.35``) on a session saved with another pivot (or threshold) was ignored,
because the reader compared the command line's settings with the defaults
and took "equal to the defaults" for "not given".
"""

from __future__ import annotations

import asyncio
from dataclasses import fields as dataclass_fields
from pathlib import Path

import pytest
from appkit import loaded

from tui import cli
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings
from tui.core.seeds import seeds_dir
from tui.core.session import Session
from tui.core.session_store import SessionStore
from tui.core.settings import (SETTING_FLAGS, Explicit, SettingsError, explicit_from, parse_share, parse_threshold,
                               resolve)

from tui.app.app import ParallaxApp


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def reader_settings(monkeypatch) -> dict:
    """Run ``parallax`` (the reader) headless; what it aligned with lands in the returned dict."""
    seen: dict = {}

    def headless(app: ParallaxApp) -> int:
        async def main() -> None:
            async with app.run_test() as pilot:
                await loaded(app, pilot)
                seen["settings"] = app.reader.state.settings

        asyncio.run(main())
        return 0

    monkeypatch.setattr(ParallaxApp, "run", headless)
    monkeypatch.setattr(cli, "_has_terminal", lambda: True)
    return seen


def _saved_session(name: str, settings: AlignSettings) -> None:
    sources = load_sources([seeds_dir()])
    SessionStore().save(Session.new(name, sources, settings))


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--pivot", "0"], AlignSettings(pivot=0, threshold=0.5)),  # the pivot equals the default
        (["--threshold", "0.35"], AlignSettings(pivot=1, threshold=0.35)),  # so does the threshold
        ([], AlignSettings(pivot=1, threshold=0.5)),  # nothing given: the session's own
        (["--pivot", "2", "--threshold", "0.6"], AlignSettings(pivot=2, threshold=0.6)),
        (["--threshold", "0.6"], AlignSettings(pivot=1, threshold=0.6)),  # one flag leaves the others stored
    ],
)
def test_flags_given_on_resume_win_even_when_they_equal_the_defaults(reader_settings, flags, expected):
    _saved_session("resumed", AlignSettings(pivot=1, threshold=0.5))
    assert cli.main(["--session", "resumed", *flags, str(seeds_dir())]) == 0
    got = reader_settings["settings"]
    assert (got.pivot, got.threshold) == (expected.pivot, expected.threshold)
    stored = SessionStore().load("resumed")
    assert stored.align_settings(load_sources([seeds_dir()])).pivot == expected.pivot  # and the session keeps them


# ------------------------------------------------------------------ the resolver itself


def test_resolve_ranks_explicit_over_stored_over_defaults():
    stored = AlignSettings(threshold=0.5, pivot=2, min_share=0.75)
    configured = AlignSettings(threshold=0.4)
    assert resolve() == AlignSettings()
    assert resolve(defaults=configured) == configured
    assert resolve(stored=stored, defaults=configured) == stored
    assert resolve(Explicit.of(pivot=0), stored=stored) == AlignSettings(threshold=0.5, pivot=0, min_share=0.75)
    assert resolve(Explicit.of(threshold=0.35), stored=stored).threshold == 0.35
    assert resolve(Explicit.of(min_share=0.5), defaults=configured) == AlignSettings(threshold=0.4, min_share=0.5)
    with pytest.raises(ValueError, match="not settings: colour"):
        Explicit.of(colour="red")


def test_explicit_from_takes_only_the_flags_given_and_binds_the_pivot(seeds_sources):
    import argparse

    third = seeds_sources[3]
    given = argparse.Namespace(pivot=third.label, threshold=None, min_share=0.5, paths=[])
    assert explicit_from(given, seeds_sources) == Explicit.of(pivot=3, min_share=0.5)
    assert not explicit_from(argparse.Namespace(), seeds_sources)
    with pytest.raises(SettingsError, match="unknown pivot 'nobody'; choose one of: 0 = "):
        explicit_from(argparse.Namespace(pivot="nobody"), seeds_sources)


def test_every_setting_flag_names_a_field_and_reads_its_own_values():
    names = {f.name for f in dataclass_fields(AlignSettings)}
    assert {flag.field for flag in SETTING_FLAGS} <= names
    assert parse_threshold("0") == 0.0 and parse_share("1") == 1.0
    for bad, message in (("2", "between 0 and 1"), ("nan", "between 0 and 1"), ("x", "not a number")):
        with pytest.raises(ValueError, match=message):
            parse_threshold(bad)


def test_keeper_resume_keeps_what_was_not_given(tmp_path):
    from tui.app.keeper import Keeper

    sources = load_sources([seeds_dir()])
    store = SessionStore(tmp_path / "s")
    store.save(Session.new("k", sources, AlignSettings(pivot=1, threshold=0.5, min_share=0.75)))
    keeper = Keeper(store)
    opened = keeper.open("k", sources, Explicit.of(pivot=0))
    assert opened.settings == AlignSettings(pivot=0, threshold=0.5, min_share=0.75)
    assert keeper.session.align_settings(sources) == opened.settings  # the session takes the flag
    keeper.close()
    fresh = Keeper(store).open("new", sources, Explicit.of(threshold=0.6), defaults=AlignSettings(min_share=0.6))
    assert fresh.settings == AlignSettings(threshold=0.6, min_share=0.6)
