"""The word-level differences of a row, from ``tui.core.compare`` when it is there.

The view only needs two things from a row's comparison: which character
spans of each sentence are not shared with the rest of the row, and which
discrepancies (numbers, dates, names, quotes) were flagged. They are typed
here as protocols so the widgets do not depend on the comparer's classes,
tests can hand in fixed diffs, and the reader still runs (without word
highlights) in a tree where the comparer is missing or broken.
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
    """The fallback when there is no comparer: nothing highlighted, nothing flagged."""
    return None


def default_differ() -> Differ:
    """``tui.core.compare.compare_row`` if it can be imported, else :func:`no_diff`."""
    try:
        from tui.core.compare import compare_row
    except Exception:  # noqa: BLE001 - a missing or broken comparer must not stop the reader
        return no_diff

    def differ(alignment: Alignment, row: int) -> RowDiffLike | None:
        try:
            return compare_row(alignment, row)
        except Exception:  # noqa: BLE001 - one bad row must not take the view down
            return None

    return differ
