"""Fixtures shared across the test suite.

Aligning the seeds takes a noticeable fraction of a second, so the real
pipeline's result is computed once per test session and shared; everything
in it is frozen, so no test can disturb another through it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.model import Alignment, Source
from tui.core.seeds import seeds_dir


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own configuration file (tests of the file set their own folder)."""
    monkeypatch.setenv("PARALLAX_CONFIG_DIR", str(tmp_path_factory.getbasetemp() / "no-user-config"))


@pytest.fixture(autouse=True)
def _no_user_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test saves a session or an export among the developer's own: each gets an empty PARALLAX_HOME."""
    monkeypatch.setenv("PARALLAX_HOME", str(tmp_path_factory.mktemp("parallax-home")))


@pytest.fixture(scope="session")
def seeds_path() -> Path:
    """The folder of bundled sample articles (checkout or installed wheel)."""
    return seeds_dir()


@pytest.fixture(scope="session")
def seeds_sources(seeds_path: Path) -> tuple[Source, ...]:
    """The five sample articles through the real ingest stage."""
    from tui.core.ingest import load_sources

    return tuple(load_sources([seeds_path]))


@pytest.fixture(scope="session")
def seeds_alignment(seeds_sources: tuple[Source, ...]) -> Alignment:
    """The sample articles aligned with default settings by the real pipeline."""
    from tui.core.align import align
    from tui.core.model import AlignSettings

    return align(list(seeds_sources), AlignSettings())


@pytest.fixture
def two_articles(tmp_path: Path) -> list[Path]:
    """Two short articles about one bridge closure, for command-line runs."""
    a = tmp_path / "alpha.txt"
    b = tmp_path / "beta.md"
    a.write_text("The bridge closed on Monday. Engineers found a crack.\n", encoding="utf-8")
    b.write_text("Engineers found a crack in the bridge. It closed Monday.\n", encoding="utf-8")
    return [a, b]
