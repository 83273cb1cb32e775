"""Sets of integer keys (a sentence number times a width plus a token) and their lookups.

The scorer asks, millions of times per alignment, whether sentence ``r``
holds token ``t``: a key ``r * width + t`` looked up in the sorted keys of
what every sentence holds. ``np.searchsorted`` answers that in about twenty
random reads of the key array per query; a bitmap over every possible key
answers it in one, and for a corpus of 10,000 sentences and 4,000 stems it
takes 5 MB. So a :class:`KeySet` keeps a bitmap when the key space is small
enough (:data:`BITMAP_BITS`), and searches the sorted keys otherwise. Both
give exactly the same answers.
"""

from __future__ import annotations

import numpy as np

#: The largest key space (in bits: 32 MB) held as a bitmap.
BITMAP_BITS = 1 << 28


class KeySet:
    """The sorted integer ``keys`` (all below ``size``), with a bitmap when ``size`` allows."""

    __slots__ = ("keys", "bits")

    def __init__(self, keys: np.ndarray, size: int) -> None:
        self.keys = keys
        self.bits: np.ndarray | None = None
        if 0 < size <= BITMAP_BITS and len(keys):
            bits = np.zeros((size + 7) // 8, dtype=np.uint8)
            np.bitwise_or.at(bits, keys >> 3, np.left_shift(1, keys & 7).astype(np.uint8))
            self.bits = bits

    def has(self, k: np.ndarray) -> np.ndarray:
        """Whether each of ``k`` is in the set."""
        keys = self.keys
        if not len(keys) or not len(k):
            return np.zeros(len(k), dtype=bool)
        if self.bits is not None:
            return ((self.bits[k >> 3] >> (k & 7).astype(np.uint8)) & 1).astype(bool)
        pos = np.minimum(np.searchsorted(keys, k), len(keys) - 1)
        return keys[pos] == k

    def find(self, k: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Which of ``k`` are in the set, and the positions in ``keys`` of those that are."""
        hit = self.has(k)
        return hit, np.searchsorted(self.keys, k[hit])
