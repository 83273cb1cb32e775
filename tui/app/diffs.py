"""The word-level differences of a row, from ``tui.core.compare``.

The view only needs two things from a row's comparison: which character
spans of each sentence are not shared with the rest of the row, and which
discrepancies (numbers, dates, names, quotes) were flagged. They are typed
here as protocols so the widgets do not depend on the comparer's classes,
and tests can hand in fixed diffs. The comparer is imported plainly: a
missing or broken comparer is a bug to see, not a reader without flags.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from tui.core.model import Alignment


class FlagLike(Protocol):
    kind: str
    message: str
    #: (source, start, end, text) per flagged stretch
    spans: Sequence[tuple[int, int, int, str]]


class RowDiffLike(Protocol):
    #: source -> ((start, end), ...) of words only that sentence has in its row
    unique: Mapping[int, Sequence[tuple[int, int]]]
    flags: Sequence[FlagLike]


Differ = Callable[[Alignment, int], "RowDiffLike | None"]


def no_diff(alignment: Alignment, row: int) -> RowDiffLike | None:
    """A differ that finds nothing (tests and benchmarks that want no highlights)."""
    return None


def default_differ() -> Differ:
    """``tui.core.compare.compare_row``, one row at a time.

    The comparer is heavy (the analysis tables, numpy), and nothing before
    the first aligned row needs it, so it is imported on the first row
    compared, after the first frame, not when the app is made.
    """

    def differ(alignment: Alignment, row: int) -> RowDiffLike | None:
        from tui.core.compare import compare_row  # after the first call, a dictionary look-up

        try:
            return compare_row(alignment, row)
        except Exception:  # noqa: BLE001 - one bad row must not take the view down
            return None

    return differ
