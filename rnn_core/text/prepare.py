"""A text cut for a character-level network: the held-out part, the vocabulary, the windows.

The held-out part is the text's last part by ``config.split`` (a fraction, e.g. 0.9 keeps the
last 10 %, or the index of its first character); it is never trained on. The vocabulary is
the training part's characters (``Vocab``); held-out characters it lacks are mapped to the
unknown symbol and counted.

A window is T = ``config.time_steps`` characters and its targets the T characters one later:
the network predicts the next character at every step. Training windows are cut end to end
from the training part, so every training character is a target once per epoch. Held-out
windows are cut the same way so that every held-out character is a target exactly once (the
first one read after the last training character); the last window is padded at its end and
``mask_test`` marks its real targets (padding after them cannot change them: the network reads
forward). Each window starts from a zero state, in training and in scoring alike.

>>> from rnn_core.config import RunConfig
>>> p = prepare_text(RunConfig(dataset="brackets", text_chars=200, time_steps=8, split=0.8))
>>> p.x_train.shape, p.y_train.shape, p.x_test.shape, int(p.mask_test.sum())
((19, 8), (19, 8), (5, 8), 40)
>>> bool((p.x_train[0, 1:] == p.y_train[0, :-1]).all())   # targets: the next characters
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import RnnExplorerError
from .corpora import Corpus, corpus
from .vocab import Vocab


@dataclass(frozen=True)
class FitWindows:
    """What ``training.fit`` reads: windows of character indices and their next characters
    (the held-out windows without the padded last one, for the per-epoch held-out loss)."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray

    @property
    def n_train(self) -> int:
        return len(self.x_train)

    @property
    def n_test(self) -> int:
        return len(self.x_test)


@dataclass(frozen=True)
class TextPrepared:
    """Everything a text config fixes before any network exists."""

    config: Any
    corpus: Corpus
    vocab: Vocab
    split_at: int  # index of the first held-out character
    unknown_in_test: int
    x_train: np.ndarray  # (n, T) int32 character indices
    y_train: np.ndarray  # (n, T) the next characters
    x_test: np.ndarray  # (m, T), the last window padded with 0
    y_test: np.ndarray
    mask_test: np.ndarray  # (m, T) bool: a real held-out target

    @property
    def train_text(self) -> str:
        return self.corpus.text[:self.split_at]

    @property
    def test_text(self) -> str:
        return self.corpus.text[self.split_at:]

    @property
    def n_train_chars(self) -> int:
        return self.split_at

    @property
    def n_test_chars(self) -> int:
        return len(self.corpus.text) - self.split_at

    @property
    def test_depth(self) -> np.ndarray | None:
        """The nesting depth after every held-out character (``brackets`` only)."""
        return None if self.corpus.depth is None else self.corpus.depth[self.split_at:]

    @property
    def fit_windows(self) -> FitWindows:
        full = self.mask_test.all(axis=1)
        return FitWindows(self.x_train, self.y_train, self.x_test[full], self.y_test[full])


def split_at(n: int, split: float | int, steps: int) -> int:
    """The index of the first held-out character of a text of ``n`` characters; raises
    ``RnnExplorerError`` unless both parts are long enough (training: one window and its
    next character; held-out: one character)."""
    at = int(n * split) if isinstance(split, float) and split < 1 else int(split)
    if at < steps + 1 or at >= n:
        raise RnnExplorerError(
            f"the text has {n:,} characters and split={split} holds out the part from "
            f"character {at:,} on: training needs at least {steps + 1} characters (one window of "
            f"T = {steps} and the next character) and at least one is held out; use a longer "
            "text, fewer time steps or another split.", field="split")
    return at


def _windows(inputs: np.ndarray, targets: np.ndarray, steps: int,
             pad: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(inputs, targets, mask) cut into rows of ``steps``; the rest dropped or padded."""
    n = len(targets)
    rows = -(-n // steps) if pad else n // steps
    size = rows * steps
    x, y = np.zeros(size, np.int32), np.zeros(size, np.int32)
    used = min(n, size)
    x[:used], y[:used] = inputs[:used], targets[:used]
    mask = np.arange(size) < used
    return x.reshape(rows, steps), y.reshape(rows, steps), mask.reshape(rows, steps)


def prepare_text(config: Any, own_text: str | None = None) -> TextPrepared:
    """The corpus, its split, vocabulary and windows for a text config (no TensorFlow);
    raises ``RnnExplorerError`` for a text that cannot be used."""
    steps = config.time_steps
    if steps < 2 and config.text_input == "onehot":
        # Keras' one-hot layer (CategoryEncoding) reads a window of one index as one value
        raise RnnExplorerError(
            "one-hot input needs windows of at least 2 characters: set time steps T to 2 or "
            "more, or choose embedding input.", field="time_steps")
    c = corpus(config, own_text)
    at = split_at(len(c.text), config.split, steps)
    vocab = Vocab.of(c.text[:at])
    ids = vocab.encode(c.text)
    x_train, y_train, _ = _windows(ids[:at - 1], ids[1:at], steps, pad=False)
    x_test, y_test, mask = _windows(ids[at - 1:-1], ids[at:], steps, pad=True)
    return TextPrepared(config, c, vocab, at, int(np.count_nonzero(ids[at:] == 0)),
                        x_train, y_train, x_test, y_test, mask)
