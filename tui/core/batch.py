"""One story of many: the work ``parallax batch`` sends to a worker, and what comes back.

A media researcher's unit is not one story but hundreds: every sub-folder of
a folder is one story, and the question is how each outlet covers each of
them -- how much it shares with the others, what only it says, what it leaves
out, where it disagrees. This module is the part of that which runs on a
worker, in a process pool on one machine or on a Dask cluster.

Three properties shape it:

* **Plain data across the wire.** :func:`run_story` takes a folder path and
  settings and returns a :class:`StoryResult` of strings and integers, never
  an alignment: a result is cheap to send back from another process or
  another machine, and it pickles without Parallax's objects.
* **One set of rules.** The numbers come from the functions the single-story
  commands use: the omission model (:func:`tui.core.omissions.omissions`, as
  ``parallax omissions`` and the wide CSV's ``left_out_by`` do) and the long
  CSV export (:func:`tui.core.export.write_long`), whose ``flags`` column is
  what ``flags`` counts. A story's stats therefore agree with what
  ``parallax export`` and ``parallax omissions`` say about the same folder.
* **A bad story is a result, not an exception.** One article alone, a
  binary file, an empty folder: the story comes back with the reason and the
  other stories go on. Only a worker dying outright loses a story, and the
  driver reports that too.

Nothing here imports the pipeline at module level except what a worker needs
anyway, and :func:`warm_up` loads all of it (and builds the sentence splitter)
once per worker process, so the start-up cost is paid per worker, not per
story.
"""

from __future__ import annotations

import csv
import io
import os
import time
import traceback
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.errors import IngestError, ParallaxError
from tui.core.export import LONG_HEADER, clean_cell
from tui.core.model import AlignSettings, Alignment

__all__ = [
    "ROWS_HEADER",
    "STATS_HEADER",
    "SourceStats",
    "StoryResult",
    "find_stories",
    "rows_records",
    "run_stories",
    "run_story",
    "stats_records",
    "story_stats",
    "warm_up",
]

#: Header of the stats CSV: one line per (story, source).
STATS_HEADER: tuple[str, ...] = (
    "story", "source", "label", "sentences", "shared", "unique", "widely_reported", "left_out", "flags",
)

#: Header of ``--rows``: the long CSV of every story, with the story in front.
ROWS_HEADER: tuple[str, ...] = ("story", *LONG_HEADER)

_ROW_COLUMN = LONG_HEADER.index("row")
_FLAGS_COLUMN = LONG_HEADER.index("flags")


@dataclass(frozen=True, slots=True)
class SourceStats:
    """How one outlet covers one story; the columns of the stats CSV after ``story``.

    ``sentences`` counts its content sentences; ``shared`` those of them in
    rows that at least one other source also has; ``unique`` the rows only
    it has; ``widely_reported`` the story's widely reported rows (the same
    for every source of a story: the M of "leaves out K of M");
    ``left_out`` the widely reported rows it lacks (K); ``flags`` the rows it
    is in that carry a discrepancy (a number, date, name or quote that
    differs).
    """

    source: str
    label: str
    sentences: int
    shared: int
    unique: int
    widely_reported: int
    left_out: int
    flags: int


@dataclass(frozen=True, slots=True)
class StoryResult:
    """What a worker sends back for one story: its stats and long CSV records, or why it failed."""

    #: the story's name: its sub-folder's name
    story: str
    #: one entry per source, in the story's corpus order
    stats: tuple[SourceStats, ...] = ()
    #: the story's long CSV records (header excluded), when they were asked for
    rows: tuple[tuple[str, ...], ...] = ()
    #: the story's row count (for progress lines)
    n_rows: int = 0
    #: why the story failed, in one line; None when it did not
    error: str | None = None
    #: a traceback, for failures that are bugs rather than bad input
    detail: str = ""
    #: what ingest warned about (files it skipped, a sources.toml entry whose file is gone)
    warnings: tuple[str, ...] = ()
    #: seconds the worker spent on it
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def warm_up() -> None:
    """Load the whole pipeline and build the sentence splitter: a worker's initializer.

    A process pool calls it once in every worker process, and the Dask driver
    runs it on every worker, so each worker pays the imports (numpy,
    rapidfuzz, NLTK's Punkt, the aligner) once and not on its first story.
    """
    import tui.core.align
    import tui.core.compare
    import tui.core.omissions
    import tui.core.pipeline  # noqa: F401 - imported for its side effect of loading
    from tui.core.segment import tokenizer

    tokenizer()


def find_stories(folder: Path) -> list[tuple[str, Path]]:
    """The stories under ``folder``: every sub-folder not hidden, as (name, path), sorted by name.

    Raises :class:`IngestError` when ``folder`` is not a folder or holds no
    story folder, so a mistyped path is a usage error, not an empty result.
    """
    if not folder.exists():
        raise IngestError(f"stories folder {folder} does not exist")
    if not folder.is_dir():
        raise IngestError(f"{folder} is not a folder; give a folder with one sub-folder per story")
    try:
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        raise IngestError(f"cannot read {folder}: {exc.strerror or exc}") from None
    stories = [(p.name, p) for p in entries if not p.name.startswith(".") and p.is_dir()]
    if not stories:
        raise IngestError(f"{folder} holds no story folders; each story is a sub-folder of its articles")
    return stories


def story_stats(alignment: Alignment, records: Iterable[Sequence[str]], min_share: float | None = None) -> tuple[SourceStats, ...]:
    """Per source, the stats CSV's numbers for one story.

    ``records`` are the story's long CSV records (:func:`tui.core.export.write_long`,
    header excluded): a row carries a discrepancy when its ``flags`` cell is
    not empty, so ``flags`` counts exactly the rows the export flags.
    Unique, widely reported and left out rows are the omission model's
    (:func:`tui.core.omissions.omissions`), at ``min_share`` or the
    alignment's own setting.
    """
    from tui.core.omissions import omissions

    model = omissions(alignment, min_share)
    flagged = {int(record[_ROW_COLUMN]) for record in records if record[_FLAGS_COLUMN]}
    n = len(alignment.sources)
    shared = [0] * n
    flags = [0] * n
    for r, row in enumerate(alignment.rows):
        have = row.coverage
        for s in have:
            if len(have) >= 2:
                shared[s] += len(row.cells[s])  # a cell may hold several of a source's sentences
            if r in flagged:
                flags[s] += 1
    return tuple(
        SourceStats(
            source=source.name,
            label=source.label,
            sentences=len(source.sentences),
            shared=shared[s],
            unique=account.reports_unique,
            widely_reported=account.widely_reported,
            left_out=account.leaves_out,
            flags=flags[s],
        )
        for s, (source, account) in enumerate(zip(alignment.sources, model.sources))
    )


def _long_records(alignment: Alignment) -> list[tuple[str, ...]]:
    """The story's long CSV, exactly as ``parallax export`` writes it, as records without the header."""
    from tui.core.export import write_long

    buffer = io.StringIO(newline="")
    write_long(alignment, buffer)
    buffer.seek(0)
    reader = csv.reader(buffer)
    next(reader)  # the header
    return [tuple(record) for record in reader]


def run_story(
    story: str,
    folder: str | os.PathLike[str],
    settings: AlignSettings | None = None,
    *,
    max_bytes: int | None = None,
    keep_rows: bool = False,
) -> StoryResult:
    """Ingest, align, compare and count one story folder; never raises for a bad story.

    The pipeline is the single-story commands' (:func:`tui.core.pipeline.load`
    then :func:`tui.core.align.align`), so the story reads exactly as
    ``parallax export FOLDER`` reads it. ``keep_rows`` sends the long CSV
    records back as well (``--rows``); without it they are still made, for
    the ``flags`` column, but not sent. A story that cannot be read returns
    its reason in :attr:`StoryResult.error`; an unexpected exception (a bug)
    does too, with the traceback in :attr:`StoryResult.detail`.
    """
    started = time.perf_counter()
    said: list[str] = []
    from tui.core.align import align
    from tui.core.pipeline import load

    try:
        path = Path(folder)
        if not path.is_dir():
            raise IngestError(f"{path} is not a folder here (workers must see the stories at the same path)")
        sources = load([path], max_bytes=max_bytes, warn=said.append)
        alignment = align(sources, settings or AlignSettings())
        records = _long_records(alignment)
        stats = story_stats(alignment, records)
    except ParallaxError as exc:
        return StoryResult(story, error=str(exc), warnings=tuple(said), seconds=time.perf_counter() - started)
    except OSError as exc:
        where = f": {exc.filename}" if exc.filename else ""
        return StoryResult(story, error=f"{exc.strerror or exc}{where}", warnings=tuple(said),
                           seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - a bug in one story must not stop the others
        return StoryResult(
            story, error=f"unexpected {type(exc).__name__}: {exc}", detail=traceback.format_exc(),
            warnings=tuple(said), seconds=time.perf_counter() - started,
        )
    return StoryResult(
        story, stats=stats, rows=tuple(records) if keep_rows else (), n_rows=len(alignment.rows),
        warnings=tuple(said), seconds=time.perf_counter() - started,
    )


def run_stories(jobs: Sequence[tuple[str, str]], **options: object) -> list[StoryResult]:
    """:func:`run_story` for each (story, folder) in turn: one task for a few small stories.

    A scheduler's cost per task (a few milliseconds on Dask) is more than a
    small story's own work, so the driver sends small stories in handfuls.
    """
    return [run_story(story, folder, **options) for story, folder in jobs]  # type: ignore[arg-type]


def stats_records(result: StoryResult) -> Iterator[tuple[str, ...]]:
    """The stats CSV lines of one story (none for a failed one)."""
    story = clean_cell(result.story)
    for s in result.stats:
        yield (
            story, clean_cell(s.source), clean_cell(s.label), str(s.sentences), str(s.shared), str(s.unique),
            str(s.widely_reported), str(s.left_out), str(s.flags),
        )


def rows_records(result: StoryResult) -> Iterator[tuple[str, ...]]:
    """The ``--rows`` lines of one story: its long CSV records with the story in front."""
    story = clean_cell(result.story)
    for record in result.rows:
        yield (story, *record)
