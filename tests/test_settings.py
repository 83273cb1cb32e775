"""One settings story: a flag given explicitly wins, then the session's stored settings, then the defaults.

The bug behind it: ``parallax --session X --pivot 0`` (or ``--threshold
0.35``) on a session saved with another pivot (or threshold) was ignored,
because the reader compared the command line's settings with the defaults
and took "equal to the defaults" for "not given" (tests/test_resume_flags.py
pins that down end to end; these tests pin the resolver and the Keeper).
"""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from pathlib import Path

import pytest

from tui.core.ingest import load_sources
from tui.core.model import AlignSettings
from tui.core.seeds import seeds_dir
from tui.core.session import Session
from tui.core.session_store import SessionStore
from tui.core.settings import (SETTING_FLAGS, Explicit, SettingsError, explicit_from, parse_share, parse_threshold,
                               resolve)


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


# The command line end of the bug (through the real reader): tests/test_resume_flags.py,
# which uses only interfaces older than the fix so that it can be shown to fail before it.


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
