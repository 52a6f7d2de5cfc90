"""Two baselines for a character-level network, scored on the same held-out characters.

- unigram: every character has its training frequency, p(c) = (n(c) + 1) / (N + V);
- bigram: a character depends on the one before it, p(c | b) = (n(b, c) + 1) / (n(b) + V),
  where n(b) counts the training pairs starting with b; the first held-out character's
  predecessor is the last training character.

Both use add-one (Laplace) smoothing over the V symbols of the vocabulary (unknown included),
so a character never seen gets a small probability, never zero. The score is bits per
character: the mean of -log2 p over the held-out characters, as the network's.

>>> from rnn_core.text.vocab import Vocab
>>> v = Vocab.of("abab")                          # three symbols: unknown, a, b
>>> round(unigram_bits("abab", "ba", v), 4)       # p = 3/7 for both
1.2224
>>> bigram_bits("abab", "ba", v)                  # p(b|b) = 1/4, p(a|b) = 2/4
1.5
"""

from __future__ import annotations

import numpy as np

from .vocab import Vocab


def _bits(p: np.ndarray) -> float:
    return float(-np.mean(np.log2(p))) if p.size else float("nan")


def unigram_bits(train: str, test: str, vocab: Vocab) -> float:
    """Bits per held-out character of the add-one unigram frequencies of ``train``."""
    counts = np.bincount(vocab.encode(train), minlength=vocab.size).astype(np.float64)
    p = (counts + 1.0) / (counts.sum() + vocab.size)
    return _bits(p[vocab.encode(test)])


def bigram_bits(train: str, test: str, vocab: Vocab) -> float:
    """Bits per held-out character of the add-one bigram frequencies of ``train``."""
    v = vocab.size
    ids = vocab.encode(train)
    pairs = np.bincount(ids[:-1].astype(np.int64) * v + ids[1:], minlength=v * v)
    pairs = pairs.reshape(v, v).astype(np.float64)
    test_ids = vocab.encode(test)
    before = np.concatenate([ids[-1:], test_ids[:-1]])  # the first one follows training
    p = (pairs[before, test_ids] + 1.0) / (pairs.sum(axis=1)[before] + v)
    return _bits(p)
