"""From paths, URLs and standard input to an aligned corpus in one call: what the CLI and the app run."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from tui.core.align import align
from tui.core.errors import IngestError
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings, Alignment, Source
from tui.core.seeds import seeds_dir


def resolve_paths(paths: Sequence[str | Path] | None) -> list[str | Path]:
    """No paths means the bundled seeds. Strings stay strings: ``Path("https://x")`` would eat a slash."""
    if not paths:
        return [seeds_dir()]
    return list(paths)


def load(
    paths: Sequence[str | Path] | None,
    *,
    max_bytes: int | None = None,
    on_duplicate: Callable[[Path, Path], None] | None = None,
    **options: Any,
) -> list[Source]:
    """Read every source and insist there are at least two to compare.

    A file given twice counts once (see :func:`load_sources`), so ``a.txt
    ./a.txt`` is "only one source", not an article compared with itself.
    ``options`` go to :func:`load_sources` as they are (``warn``, ``labels``,
    ``refresh``, ``timeout``, ``stdin``).
    """
    kwargs = {} if max_bytes is None else {"max_bytes": max_bytes}
    sources = load_sources(resolve_paths(paths), on_duplicate=on_duplicate, **kwargs, **options)
    if len(sources) < 2:
        only = sources[0].name if sources else "nothing"
        raise IngestError(f"need at least two sources to compare, got only {only}")
    return sources


def build(
    paths: Sequence[str | Path] | None = None,
    settings: AlignSettings | None = None,
) -> Alignment:
    """Load and align; raises :class:`tui.core.errors.ParallaxError` on bad input."""
    return align(load(paths), settings or AlignSettings())
