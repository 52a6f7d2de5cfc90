"""Training a character-level network, and what a training gives: a ``TextRun``.

``train_text(config, own_text)`` prepares the text (``prepare_text``), builds the Keras model
``architecture`` describes (``model.build``) and trains it with the project's training loop
(``training.fit``: progress per epoch, Stop keeps the weights, the divergence rule), the loss
being the cross-entropy of the next character at every step. Then it scores every held-out
character once — bits per character, the mean of -log2 p(actual next character) — next to the
unigram and bigram baselines on the same characters (``baselines``). It runs in a worker
process like a series training; the ``TextRun`` holds weights, not a Keras model, and
``TextRun.network()`` runs them in numpy in the web server.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..training import EpochEvent, History
from . import baselines
from .network import TextNetwork
from .prepare import TextPrepared, prepare_text
from .vocab import Vocab

# held-out windows scored per compiled call (their probabilities are windows × T × V floats)
SCORE_BATCH = 256
LN2 = math.log(2.0)


@dataclass
class TextRun:
    """A trained text network with its scores; losses in ``history`` are in nats per
    character (Keras' cross-entropy), the bits in ``bits_per_char`` and ``history_bits``."""

    config: Any
    vocab: Vocab
    weights: list[np.ndarray] | None
    history: History
    bits_per_char: float
    unigram_bits_per_char: float
    bigram_bits_per_char: float
    n_train_chars: int
    n_test_chars: int
    unknown_in_test: int
    test_text: str
    source: str
    test_depth: np.ndarray | None = None  # brackets: the nesting depth after each character
    name: str = ""
    _network: Any = field(default=None, repr=False, compare=False)

    @property
    def epochs_run(self) -> int:
        return self.history.epochs_run

    @property
    def fit_seconds(self) -> float:
        return self.history.fit_seconds

    @property
    def vocab_size(self) -> int:
        return self.vocab.size

    @property
    def metrics(self) -> dict[str, float]:
        """The scores by name (the jobs queue reads a finished run's ``metrics``)."""
        return {"bits_per_char": self.bits_per_char,
                "unigram_bits_per_char": self.unigram_bits_per_char,
                "bigram_bits_per_char": self.bigram_bits_per_char}

    def history_bits(self) -> tuple[list[float], list[float]]:
        """Training and held-out loss per epoch in bits per character."""
        return ([v / LN2 for v in self.history.loss], [v / LN2 for v in self.history.val_loss])

    def verdict(self) -> str:
        return verdict(self.bits_per_char, self.unigram_bits_per_char, self.bigram_bits_per_char)

    def network(self) -> TextNetwork:
        """The network in numpy (built once)."""
        if self.weights is None:
            raise RuntimeError("this run kept its scores only, not its weights")
        if self._network is None:
            self._network = TextNetwork(self.config, self.vocab, self.weights)
        return self._network

    def result(self) -> dict[str, Any]:
        """The JSON object of ``python -m rnn_core text train --json``."""
        def num(v: float) -> float | None:
            return float(v) if math.isfinite(v) else None

        train_bits, test_bits = self.history_bits()
        return {
            "corpus": self.config.dataset, "bits_per_char": num(self.bits_per_char),
            "unigram_bits_per_char": num(self.unigram_bits_per_char),
            "bigram_bits_per_char": num(self.bigram_bits_per_char),
            "vocab_size": self.vocab.size, "n_train_chars": self.n_train_chars,
            "n_test_chars": self.n_test_chars, "unknown_in_test": self.unknown_in_test,
            "epochs_run": self.epochs_run, "fit_seconds": round(self.fit_seconds, 3),
            "stopped": self.history.stopped, "diverged": self.history.diverged,
            "loss_bits": [num(v) for v in train_bits],
            "val_loss_bits": [num(v) for v in test_bits],
            "verdict": self.verdict(), "source": self.source, "config": self.config.to_dict(),
        }


def verdict(bits: float, unigram: float, bigram: float) -> str:
    """One plain sentence: does the network beat the bigram and unigram baselines?

    >>> verdict(2.0, 4.9, 3.1)[:52]
    'The network beats both baselines on the held-out tex'
    """
    if not math.isfinite(bits):
        return "The network gave no finite probabilities, so it cannot be judged."
    than = (f"{bits:.3f} bits per character vs {bigram:.3f} for the bigram and {unigram:.3f} "
            "for the unigram frequencies")
    if bits < bigram:
        return (f"The network beats both baselines on the held-out text: {than} "
                f"({(bigram - bits) / bigram * 100:.1f} % fewer bits than the bigram): it uses "
                "more than the previous character.")
    if bits < unigram:
        return (f"The network beats the unigram but not the bigram frequencies: {than}. It "
                "has learned which characters are common, not yet enough about which follow "
                "which; train longer.")
    return (f"The network does not beat even the unigram frequencies: {than}. It has not "
            "learned which characters are common yet; train longer or raise the learning rate.")


def _cost_terms(prepared: TextPrepared) -> tuple:
    """What ``cost`` reads of a text: its windows, and its vocabulary as the input width."""
    return prepared.config, len(prepared.x_train), prepared.vocab.size, len(prepared.x_test)


def estimate_seconds(prepared: TextPrepared) -> float:
    """The training's time estimate in seconds (``cost.estimate_seconds``, calibrated on series
    windows)."""
    from .. import cost

    return cost.estimate_seconds(*_cost_terms(prepared))


def check_cost(prepared: TextPrepared, cli: bool = False) -> float:
    """``estimate_seconds``, or ``RnnExplorerError`` above the server's limit, saying which
    knob to change (``cost.check``)."""
    from .. import cost

    return cost.check(*_cost_terms(prepared), cli=cli)


def held_out_bits(model: Any, prepared: TextPrepared) -> float:
    """Bits per character of the Keras ``model`` on every held-out character."""
    from ..training import _forward_fn

    fn = _forward_fn(model)
    total, count = 0.0, 0
    for i in range(0, len(prepared.x_test), SCORE_BATCH):
        x = prepared.x_test[i:i + SCORE_BATCH].astype(np.float32)
        y = prepared.y_test[i:i + SCORE_BATCH].astype(np.int64)
        mask = prepared.mask_test[i:i + SCORE_BATCH]
        p = np.asarray(fn(x), dtype=np.float64)
        picked = np.take_along_axis(p, y[..., None], axis=-1)[..., 0][mask]
        with np.errstate(divide="ignore", invalid="ignore"):
            total += float(-np.sum(np.log2(picked)))
        count += int(mask.sum())
    return total / count if count else float("nan")


def train_text(config: Any, own_text: str | None = None,
               progress: Callable[[EpochEvent], None] | None = None,
               should_stop: threading.Event | None = None,
               prepared: TextPrepared | None = None) -> TextRun:
    """Prepare, build, train and score a text config. ``progress`` receives every epoch's
    ``EpochEvent`` (losses in nats per character); setting ``should_stop`` ends training
    after the current chunk of batches, keeping the weights trained so far."""
    from .. import model as model_mod, training

    prepared = prepared if prepared is not None else prepare_text(config, own_text)
    fw = prepared.fit_windows
    model = model_mod.build(config, config.time_steps, prepared.vocab.size,
                            training.steps_per_execution(fw.n_train, config.batch_size))
    history = training.fit(model, fw, config, on_epoch=progress, stop=should_stop)
    train, test = prepared.train_text, prepared.test_text
    return TextRun(
        config, prepared.vocab, model.get_weights(), history, held_out_bits(model, prepared),
        baselines.unigram_bits(train, test, prepared.vocab),
        baselines.bigram_bits(train, test, prepared.vocab),
        prepared.n_train_chars, prepared.n_test_chars, prepared.unknown_in_test, test,
        prepared.corpus.source, prepared.test_depth)
