"""Re-anchoring: following a session's sentences into an edited article.

A session names sentences by source, index and text. When an article file
changes, :meth:`tui.core.session.Session.bind` maps each stored sentence to
where it is now: in-order exact matches first, then exact matches that
moved, then rewordings by fuzzy score (rapidfuzz ``ratio`` at least
:data:`REANCHOR_CUTOFF`), so a corrected typo or a changed number keeps its
note while a different sentence on the same topic does not steal it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

# rapidfuzz is imported by the two functions that score rewordings: a session is opened (and
# this module imported) before the reader's first frame, a reworded article is rare.

#: rapidfuzz ``ratio`` (0..100, after lower-casing and stripping punctuation) a
#: reworded sentence must reach to inherit an annotation: high enough that a
#: different sentence on the same topic does not steal it, low enough that a
#: corrected typo, a changed number or a swapped word keeps it.
REANCHOR_CUTOFF = 85.0


def reanchor_map(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Map old sentence indices to new ones after an edit; unmapped ones were deleted.

    In-order exact matches come first (difflib finds them around insertions and
    deletions), then exact matches that moved, then rewordings by fuzzy score,
    best pair first, each new sentence claimed at most once so a deleted
    sentence cannot steal the place of one that survived.
    """
    mapping: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, list(old), list(new), autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            mapping[block.a + k] = block.b + k
    used = set(mapping.values())
    free_new: dict[str, list[int]] = {}
    for j, text in enumerate(new):
        if j not in used:
            free_new.setdefault(text, []).append(j)
    for i, text in enumerate(old):
        if i not in mapping and free_new.get(text):
            j = min(free_new[text], key=lambda j: abs(j - i))
            free_new[text].remove(j)
            mapping[i] = j
            used.add(j)
    rest_old = [i for i in range(len(old)) if i not in mapping]
    rest_new = [j for j in range(len(new)) if j not in used]
    if not rest_old or not rest_new:
        return mapping
    from rapidfuzz import fuzz, process, utils

    scores = process.cdist(
        [old[i] for i in rest_old], [new[j] for j in rest_new],
        scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=REANCHOR_CUTOFF,
    )
    pairs = sorted(
        ((float(scores[a][b]), -abs(rest_new[b] - rest_old[a]), rest_old[a], rest_new[b])
         for a in range(len(rest_old)) for b in range(len(rest_new)) if scores[a][b] >= REANCHOR_CUTOFF),
        reverse=True,
    )
    for _, _, i, j in pairs:
        if i not in mapping and j not in used:
            mapping[i] = j
            used.add(j)
    return mapping


def locate(text: str, new: Sequence[str], hint: int) -> int | None:
    """Find one sentence by text alone (used when the stored baseline does not help)."""
    exact = [j for j, t in enumerate(new) if t == text]
    if exact:
        return min(exact, key=lambda j: abs(j - hint))
    from rapidfuzz import fuzz, process, utils

    best = process.extractOne(text, list(new), scorer=fuzz.ratio, processor=utils.default_process,
                              score_cutoff=REANCHOR_CUTOFF)
    return None if best is None else int(best[2])


def snippet(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
