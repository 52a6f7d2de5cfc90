"""One training of a model on windows, reporting every epoch, stoppable, guarded against NaN.

``fit`` is plain ``model.fit`` with three callbacks folded into one: a per-epoch event for the
live chart, a stop flag checked after every compiled call, and a NaN guard that stops and
restores the last weights whose loss was finite.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .config import RunConfig
from .windows import Windows

# Batches run per compiled call are capped so a Stop click is noticed within ~this many.
MAX_STEPS_PER_EXECUTION = 512
VALIDATION_BATCH = 4096


@dataclass(frozen=True)
class EpochEvent:
    """What the live view draws after each epoch."""

    epoch: int  # 1-based
    epochs: int
    loss: float
    val_loss: float
    elapsed: float

    @property
    def seconds_left(self) -> float:
        return self.elapsed / self.epoch * (self.epochs - self.epoch)


@dataclass
class History:
    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    fit_seconds: float = 0.0
    stopped: bool = False
    diverged: bool = False

    @property
    def epochs_run(self) -> int:
        return len(self.loss)


def steps_per_execution(n_windows: int, batch_size: int) -> int:
    """All batches of an epoch in one compiled call, up to the cap."""
    return max(1, min(MAX_STEPS_PER_EXECUTION, math.ceil(n_windows / batch_size)))


def fit(model: Any, windows: Windows, config: RunConfig,
        on_epoch: Callable[[EpochEvent], None] | None = None,
        stop: threading.Event | None = None, validate: bool = True) -> History:
    """Train ``model`` for ``config.epochs`` on ``windows``; returns the loss history.

    ``on_epoch`` runs in the training thread after every epoch (it must not call Streamlit).
    Setting ``stop`` ends training after the current compiled call, keeping the weights.
    If the loss becomes NaN or infinite, training stops and the last finite weights are put
    back; ``History.diverged`` says so.
    """
    keras = __import__("keras")
    history = History()
    started = time.perf_counter()
    x_val, y_val = windows.x_test.astype("float32"), windows.y_test.astype("float32")

    class Live(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.good_weights = None

        def on_train_begin(self, logs=None):
            self.good_weights = self.model.get_weights()

        def on_train_batch_end(self, batch, logs=None):
            if stop is not None and stop.is_set():
                history.stopped = True
                self.model.stop_training = True

        def on_epoch_end(self, epoch, logs=None):
            logs = logs or {}
            loss = float(logs.get("loss", float("nan")))
            val_loss = float(logs.get("val_loss", float("nan")))
            # A finite training loss with an infinite test loss is divergence too: the
            # weights are already too large to give usable predictions.
            if not math.isfinite(loss) or (validate and not math.isfinite(val_loss)):
                history.diverged = True
                self.model.stop_training = True
                self.model.set_weights(self.good_weights)
                return
            self.good_weights = self.model.get_weights()
            history.loss.append(loss)
            history.val_loss.append(val_loss)
            if on_epoch is not None:
                on_epoch(EpochEvent(epoch + 1, config.epochs, loss, val_loss,
                                    time.perf_counter() - started))
            if stop is not None and stop.is_set():
                history.stopped = True
                self.model.stop_training = True

    model.fit(
        windows.x_train.astype("float32"), windows.y_train.astype("float32"),
        epochs=config.epochs, batch_size=config.batch_size, shuffle=True, verbose=0,
        validation_data=(x_val, y_val) if validate else None,
        validation_batch_size=VALIDATION_BATCH,
        callbacks=[Live()],
    )
    history.fit_seconds = time.perf_counter() - started
    return history


def predict(model: Any, x: np.ndarray) -> np.ndarray:
    """Predictions as a flat float64 array; one compiled call, no progress bar."""
    if len(x) == 0:
        return np.empty(0)
    out = model.predict_on_batch(x.astype("float32")) if len(x) <= VALIDATION_BATCH else \
        model.predict(x.astype("float32"), batch_size=VALIDATION_BATCH, verbose=0)
    return np.asarray(out, dtype=np.float64).reshape(len(x), -1)[:, 0]
