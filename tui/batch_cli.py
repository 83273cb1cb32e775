"""``parallax batch``: coverage statistics for a folder of stories, on one machine or a Dask cluster.

Each story is one sub-folder of articles; a worker runs the whole pipeline on
it (:func:`tui.core.batch.run_story`) and sends back plain data. This module
is the driver around that: it finds the stories, hands them to a process
pool (the default, one worker per core) or to a Dask distributed cluster
(``--scheduler``), shows progress on stderr, and writes the results.

Why the two engines and not one home-made: a process pool is the cheapest
way to use every core of one machine, and needs nothing installed; past one
machine, Dask already schedules, retries and monitors work across many, so
Parallax only has to be a function it can call. Both run the same function
on the same inputs, and the driver writes the results in story order
whatever order they finish in, so the output is byte for byte the same
either way.

Output is written to a temporary file beside the target and moved into place
at the end, so a run cut short never leaves a file that looks finished.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import shutil
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from tui.cli import (
    PROG,
    UsageError,
    _check_output,
    _settings,
    _utf8_stdout,
    printable,
)
from tui.core.batch import (
    ROWS_HEADER,
    STATS_HEADER,
    StoryResult,
    find_stories,
    rows_records,
    run_stories,
    run_story,
    stats_records,
    warm_up,
)
from tui.core.export import encodable

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

NAME = f"{PROG} batch"

#: Seconds to wait for a Dask scheduler to answer before calling it unreachable.
CONNECT_TIMEOUT = 10.0

#: What a worker process imports before its first story (the forkserver
#: preloads them, so every worker forked from it starts with them loaded).
PRELOAD = ("tui.core.batch", "tui.core.pipeline", "tui.core.align", "tui.core.compare", "tui.core.omissions")

DASK_MISSING = "--scheduler needs Dask's distributed scheduler: pip install 'parallax-reader[dask]'"


# --------------------------------------------------------------------------- engines


def default_workers() -> int:
    """One worker per core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _pool_context() -> BaseContext:
    """Forkserver where there is one: workers fork from a process that already loaded the pipeline.

    Plain fork would copy whatever threads the caller runs (a test's Dask
    cluster, say) into each worker; spawn would import the pipeline again in
    every worker.
    """
    import multiprocessing  # here: every command builds the parser this module extends, few run a pool

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(PRELOAD))
        return context
    return multiprocessing.get_context("spawn")


def _init_worker() -> None:
    """A pool worker's start: Ctrl-C is the driver's to handle, then load the pipeline once."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm_up()


def run_pool(jobs: Sequence[tuple[str, str]], workers: int, **options: object) -> Iterator[StoryResult]:
    """Run every (story, folder) on a local process pool; yield results as they finish."""
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_init_worker)
    try:
        futures = {pool.submit(run_story, story, folder, **options): story for story, folder in jobs}
        for future in as_completed(futures):
            story = futures.pop(future)
            try:
                yield future.result()
            except BrokenProcessPool:
                yield StoryResult(story, error="a worker process died while running it (out of memory?)")
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask() -> tuple[type, object]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError(DASK_MISSING) from None
    return Client, as_completed


def run_dask(jobs: Sequence[tuple[str, str]], address: str, **options: object) -> Iterator[StoryResult]:
    """Run every (story, folder) on the Dask cluster at ``address``; yield results as they finish.

    Usage errors (no Dask, no scheduler there, workers without Parallax) are
    raised before the first result, so nothing has been written yet.
    """
    client_type, as_completed = _dask()
    try:
        client = client_type(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    try:
        client.run(warm_up)
    except Exception as exc:  # noqa: BLE001 - whatever a worker raises: it cannot run Parallax
        client.close()
        raise UsageError(f"the Dask workers at {address} cannot run Parallax ({type(exc).__name__}: {exc}); "
                         "install parallax-reader on every worker") from None
    return _dask_results(client, as_completed, jobs, options)


def _dask_results(client, as_completed, jobs, options) -> Iterator[StoryResult]:  # noqa: ANN001
    with client:
        threads = sum(w.get("nthreads", 1) for w in client.scheduler_info().get("workers", {}).values())
        size = chunk_size(len(jobs), threads)
        chunks = [list(jobs[i:i + size]) for i in range(0, len(jobs), size)]
        futures = dict(zip(client.map(run_stories, chunks, pure=False, **options), chunks))
        # with_results: the client fetches results as tasks finish, not one round trip per result
        done = as_completed(list(futures), loop=client.loop, with_results=True, raise_errors=False)
        for future, results in done:
            chunk = futures.pop(future)
            if future.status != "finished" or not isinstance(results, list):
                # a dead worker, a lost task: its stories failed, the others go on
                problem = results[1] if isinstance(results, tuple) and len(results) == 3 else results
                reason = f"the Dask task failed ({type(problem).__name__}: {problem})"
                results = [StoryResult(story, error=reason) for story, _ in chunk]
            future.release()
            yield from results


def chunk_size(stories: int, threads: int) -> int:
    """Stories per Dask task: up to 8, while every worker thread still gets 8 tasks or more.

    Fewer, larger tasks spread the scheduler's cost; many tasks per thread
    keep the work balanced when stories differ in size.
    """
    return max(1, min(8, stories // (max(1, threads) * 8)))


# --------------------------------------------------------------------------- output


class _Encodable:
    """A file wrapper that makes undecodable file names (lone surrogates) writable as UTF-8."""

    def __init__(self, fp: TextIO) -> None:
        self.fp = fp

    def write(self, text: str) -> int:
        return self.fp.write(encodable(text))


class _Sink:
    """One CSV output: stdout, or a temporary file moved over ``target`` only once all is written."""

    def __init__(self, target: str | None, header: Sequence[str]) -> None:
        self.target = None if target in (None, "-") else Path(target)
        self.temp: Path | None = None
        self.lines = 0
        if self.target is None:
            self.fp: TextIO = _utf8_stdout()
        else:
            self.temp = self.target.with_name(f".{self.target.name}.{os.getpid()}.part")
            try:
                self.fp = self.temp.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                raise UsageError(f"cannot write {self.target}: {exc.strerror or exc}") from None
        self.writer = csv.writer(_Encodable(self.fp))
        self.writer.writerow(header)

    def write(self, records: Iterable[Sequence[str]]) -> None:
        for record in records:
            self.writer.writerow(record)
            self.lines += 1

    def commit(self) -> None:
        if self.temp is None:
            self.fp.flush()
            return
        self.fp.close()
        try:
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.temp.unlink(missing_ok=True)
            raise UsageError(f"cannot write {self.target}: {exc.strerror or exc}") from None

    def discard(self) -> None:
        if self.temp is not None:
            with contextlib.suppress(OSError):
                self.fp.close()
            self.temp.unlink(missing_ok=True)


class _InOrder:
    """Hands results on in story order, however they arrive: the output is the same on any engine."""

    def __init__(self, stories: Sequence[str]) -> None:
        self.order = list(stories)
        self.next = 0
        self.waiting: dict[str, StoryResult] = {}

    def add(self, result: StoryResult) -> Iterator[StoryResult]:
        self.waiting[result.story] = result
        while self.next < len(self.order) and self.order[self.next] in self.waiting:
            yield self.waiting.pop(self.order[self.next])
            self.next += 1


# --------------------------------------------------------------------------- progress


class Progress:
    """Progress on stderr: a redrawn bar on a terminal, one plain line per story otherwise.

    Failures are always printed on a line of their own, so they stay on
    screen after the bar has moved on.
    """

    #: least seconds between two redraws of the bar
    REDRAW = 0.1

    def __init__(self, total: int, stream: TextIO | None = None, *, bar: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.done = 0
        self.failed = 0
        self.started = time.perf_counter()
        self.bar = bar if bar is not None else _isatty(self.stream)
        self._drawn = 0.0
        self._shown = False
        # the bar keeps one width for the whole run, whatever the counts after it
        longest = len(f" {total}/{total} stories, {total} failed, 99999 s")
        columns = shutil.get_terminal_size((80, 24)).columns
        self._width = max(10, min(40, columns - len(NAME) - longest - 4))

    def update(self, result: StoryResult) -> None:
        self.done += 1
        if not result.ok:
            self.failed += 1
        if result.warnings:
            self._clear()
            for warning in result.warnings:
                self._line(f"{NAME}: warning: {result.story}: {warning}")
        if not self.bar:
            if result.ok:
                what = f"{len(result.stats)} sources, {result.n_rows} rows, {result.seconds:.2f} s"
            else:
                what = f"failed: {result.error}"
            self._line(f"{NAME}: [{self.done}/{self.total}] {result.story}: {what}")
            return
        if not result.ok:
            self._clear()
            self._line(f"{NAME}: {result.story} failed: {result.error}")
        now = time.perf_counter()
        if now - self._drawn >= self.REDRAW or self.done == self.total or not self._shown:
            self._draw(now)

    def close(self) -> None:
        self._clear()

    def _line(self, text: str) -> None:
        self.stream.write(printable(text) + "\n")
        self.stream.flush()

    def _draw(self, now: float) -> None:
        self._drawn = now
        tail = f" {self.done}/{self.total} stories"
        if self.failed:
            tail += f", {self.failed} failed"
        tail += f", {now - self.started:.0f} s"
        width = self._width
        filled = width * self.done // max(1, self.total)
        self.stream.write(f"\r{NAME} [{'#' * filled}{'-' * (width - filled)}]{tail}\x1b[K")
        self.stream.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._shown = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- the command


def _outputs(args: argparse.Namespace) -> None:
    """Refuse outputs that cannot work before any story is aligned."""
    stats = None if args.output in (None, "-") else Path(args.output)
    rows = None if args.rows is None or args.rows == "-" else Path(args.rows)
    if args.rows is not None and rows is None and stats is None:
        raise UsageError("the stats and --rows cannot both go to stdout; give -o FILE or --rows FILE")
    for path in (stats, rows):
        if path is not None:
            _check_output(path)
    if stats is not None and rows is not None and stats.absolute() == rows.absolute():
        raise UsageError(f"-o and --rows both name {stats}; give two files")


def _readable(result: StoryResult, absolute: str, shown: str) -> StoryResult:
    """Speak of the stories folder as the user named it, not by the absolute path the workers got."""
    if (result.error is None and not result.warnings) or absolute == shown:
        return result
    from dataclasses import replace

    return replace(
        result,
        error=None if result.error is None else result.error.replace(absolute, shown),
        warnings=tuple(w.replace(absolute, shown) for w in result.warnings),
    )


def cmd_batch(args: argparse.Namespace) -> int:
    """Run ``parallax batch``; 0 when every story went through, 1 when some failed."""
    started = time.perf_counter()
    root = Path(args.stories)
    stories = find_stories(root)
    _outputs(args)
    settings = _settings(args, [])
    options = {"settings": settings, "max_bytes": int(args.max_size * 1024 * 1024), "keep_rows": args.rows is not None}
    absolute = str(root.absolute())
    jobs = [(name, os.path.join(absolute, name)) for name, _ in stories]
    if args.scheduler is not None:
        results = run_dask(jobs, args.scheduler, **options)
        engine = f"the Dask cluster at {args.scheduler}"
    else:
        workers = min(args.workers or default_workers(), len(jobs))
        results = run_pool(jobs, workers, **options)
        engine = f"{workers} worker{'s' if workers != 1 else ''}"

    stats = _Sink(args.output, STATS_HEADER)
    rows = _Sink(args.rows, ROWS_HEADER) if args.rows is not None else None
    progress = Progress(len(jobs))
    order = _InOrder([name for name, _ in jobs])
    failed: list[StoryResult] = []
    try:
        with contextlib.closing(results):
            for result in results:
                result = _readable(result, absolute, str(root))
                progress.update(result)
                if not result.ok:
                    failed.append(result)
                for ready in order.add(result):
                    stats.write(stats_records(ready))
                    if rows is not None:
                        rows.write(rows_records(ready))
        progress.close()
        stats.commit()
        if rows is not None:
            rows.commit()
    except BaseException:
        progress.close()
        stats.discard()
        if rows is not None:
            rows.discard()
        raise

    elapsed = time.perf_counter() - started
    wrote = [f"{stats.lines} lines to {stats.target or 'stdout'}"]
    if rows is not None:
        wrote.append(f"{rows.lines} lines to {rows.target or 'stdout'}")
    _say(f"{len(jobs)} stor{'ies' if len(jobs) != 1 else 'y'} in {elapsed:.1f} s on {engine}; wrote {' and '.join(wrote)}")
    if not failed:
        return 0
    debug = os.environ.get("PARALLAX_DEBUG") == "1"
    for result in sorted(failed, key=lambda r: r.story):
        _say(f"failed: {result.story}: {result.error}")
        if debug and result.detail:
            print(result.detail, file=sys.stderr, end="")
    _say(f"error: {len(failed)} of {len(jobs)} stories failed")
    return 1


def _say(message: str) -> None:
    print(printable(f"{NAME}: {message}"), file=sys.stderr)
