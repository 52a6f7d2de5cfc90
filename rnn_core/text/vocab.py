"""The characters a network knows: those of the training text, plus one "unknown" symbol.

Index 0 is ``UNKNOWN`` (shown as ``�``): every character of the held-out text (or of a prompt)
that training never saw is mapped to it, and counted. A text with more than ``MAX_VOCAB``
different characters keeps the ``MAX_VOCAB - 1`` most frequent; the rarer ones are unknown too.

>>> v = Vocab.of("abca")
>>> v.chars, v.size
(('�', 'a', 'b', 'c'), 4)
>>> v.encode("cab?").tolist(), v.decode([3, 1, 0])
([3, 1, 2, 0], 'ca�')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

UNKNOWN = "\ufffd"
MAX_VOCAB = 1000  # the output layer has one unit per character


def _codes(text: str) -> np.ndarray:
    """The code point of every character (fast: one array, no Python loop)."""
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


@dataclass(frozen=True)
class Vocab:
    """``chars[0]`` is ``UNKNOWN``; ``chars[1:]`` are the known characters by code point."""

    chars: tuple[str, ...]
    _codes: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        known = np.array([ord(c) for c in self.chars[1:]], dtype=np.uint32)
        object.__setattr__(self, "_codes", known)

    @classmethod
    def of(cls, train_text: str) -> "Vocab":
        """The vocabulary of a training text (at most ``MAX_VOCAB`` symbols)."""
        counts = Counter(train_text)
        counts.pop(UNKNOWN, None)  # already the unknown symbol
        kept = sorted(counts, key=lambda c: (-counts[c], c))[:MAX_VOCAB - 1]
        return cls((UNKNOWN, *sorted(kept)))

    @property
    def size(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> np.ndarray:
        """The index of every character (int32), 0 for one the vocabulary lacks."""
        codes = _codes(text)
        at = np.searchsorted(self._codes, codes)
        at = np.minimum(at, max(len(self._codes) - 1, 0))
        found = (self._codes[at] == codes) if len(self._codes) else np.zeros(len(codes), bool)
        return np.where(found, at + 1, 0).astype(np.int32)

    def decode(self, ids: Sequence[int] | np.ndarray) -> str:
        """The characters of indices ``ids``."""
        return "".join(self.chars[int(i)] for i in ids)

    def unknown_count(self, text: str) -> int:
        """How many characters of ``text`` are mapped to ``UNKNOWN``."""
        return int(np.count_nonzero(self.encode(text) == 0))
