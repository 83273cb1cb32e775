"""From paths, URLs and standard input to an aligned corpus in one call: what the CLI and the app run."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.errors import IngestError, SessionError
from tui.core.ingest import load_sources
from tui.core.model import AlignSettings, Alignment, Annotation, Source
from tui.core.seeds import seeds_dir

if TYPE_CHECKING:
    from tui.core.session_store import SessionStore

# The aligner (numpy, rapidfuzz, the analysis tables) and the session store are imported where
# they are used: loading sources is what the reader does before its first frame, aligning after.


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
    kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
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
    from tui.core.align import align

    return align(load(paths), settings or AlignSettings())


def export_alignment(
    name: str,
    paths: Sequence[str | Path] | None = None,
    settings: AlignSettings | Callable[[Sequence[Source], AlignSettings], AlignSettings] | None = None,
    *,
    store: SessionStore | None = None,
    max_bytes: int | None = None,
    on_duplicate: Callable[[Path, Path], None] | None = None,
    warn: Callable[[str], None] | None = None,
    load_options: Mapping[str, Any] | None = None,
) -> tuple[Alignment, dict[int, Annotation]]:
    """Rebuild a session's alignment (fixes applied) and its annotations by row, for export.

    Reads the session without changing it: re-anchoring happens in memory
    only, and a damaged file is reported, not moved aside (moving is for the
    app, which then starts afresh under the name; an export only reads).
    ``paths`` replaces the stored source files; ``settings`` replaces the
    stored pivot/threshold, or, given as a function of the loaded sources and
    the stored settings, adjusts them (a pivot named by label can only be
    resolved once the sources are read, and this keeps it to one load and
    one alignment). A stored source file that is gone is an error
    here: an export that silently left an outlet out would mislead.

    Given ``paths`` that are none of the session's sources are refused (the
    export would carry none of its notes); when only some match, ``warn`` is
    told which of the session's sources are absent and how many annotations
    and fixes could therefore not be placed, rather than dropping them
    silently.
    """
    from tui.core.align import align
    from tui.core.session_store import SessionStore, check_stored_paths, describe_stored_paths

    session = (store or SessionStore()).load(name, quarantine=False)
    given = bool(paths)
    if not paths:
        missing = session.missing_paths()
        if missing:
            raise SessionError(
                f"source file {missing[0]} of session {name!r} is missing; pass the article files to use"
            )
        stored = check_stored_paths(session, name)  # only plain article files on the session's word
        if stored and warn is not None:
            warn(f"session {name!r}: reading its sources as stored, {describe_stored_paths(stored)}")
        paths = session.source_inputs()
        if not paths:
            raise SessionError(f"session {name!r} records no source files; pass the article files to use")
        gone = session.unresumable()
        if gone:
            raise SessionError(
                f"source {gone[0]} of session {name!r} was read from standard input; pass the article files to use"
            )
    kwargs: dict[str, Any] = {} if max_bytes is None else {"max_bytes": max_bytes}
    sources = session.labelled(load(paths, on_duplicate=on_duplicate, **kwargs, **(load_options or {})))
    stored = [r.name for r in session.sources]
    notes, fixes = len(session.annotations), len(session.overrides)
    bound = session.bind(sources)
    if given and stored and len(bound.missing) == len(stored):
        raise SessionError(
            f"none of the given files are sources of session {name!r} (its sources: {', '.join(stored)}); "
            "pass those files, or export without --session"
        )
    stored_settings = session.align_settings(sources)
    if callable(settings):
        settings = settings(sources, stored_settings)
    base = align(sources, settings or stored_settings)
    alignment = session.apply(base)
    by_row = session.annotations_by_row(alignment)
    if warn is not None and (bound.missing or bound.added):
        lost_notes = notes - sum(1 for _ in session._placed(alignment))
        lost_fixes = fixes - len(session.resolved_overrides(alignment.sources))
        parts = []
        if bound.missing:
            one = len(bound.missing) == 1
            parts.append(f"its source{'' if one else 's'} {', '.join(bound.missing)} {'was' if one else 'were'} not given")
        if bound.added:
            parts.append(f"{', '.join(bound.added)} {'is' if len(bound.added) == 1 else 'are'} not among its sources")
        lost = f"{lost_notes} of {notes} annotations"
        if fixes:
            lost += f" and {lost_fixes} of {fixes} alignment fixes"
        parts.append(f"{lost} could not be placed")
        warn(f"session {name!r}: " + "; ".join(parts))
    return alignment, by_row
