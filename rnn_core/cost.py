"""How long a training will take, before it starts, and the limit above which it is refused.

A workshop server has two trainers; a run that takes hours holds one of them for hours. The
estimate is a small linear model of what ``run.train`` does (build, compile, the epochs, the
predictions), calibrated on this project's own training loop by ``bench/cost_calibration.py``
(figures in BENCHMARKS.md, "Training time estimate"):

    seconds = setup + epochs × epoch
    setup   = K_START + K_TRACE · traced cell steps + K_XLA · layers (if XLA) + K_PREDICT · MACs
              of one forward pass over every window
    epoch   = A + B · batches + S[mode] · batches · T · layers + C · MACs of the epoch
              + D · weights read in the epoch

where a MAC is one multiply-add (a recurrent layer does about as many per time step as it has
weights; the backward pass costs about twice the forward one, and the test windows are run
forward once per epoch), and ``mode`` is how the cell's time steps run: unrolled (T ≤
``architecture.UNROLL_MAX_STEPS``), a graph loop, or an XLA-compiled loop (``training.use_xla``).
The step term is what makes batch 1 with long windows slow: each time step of each batch
costs tens of microseconds however small the maths. The weight term is what makes batch 1
with many units slow: every time step of every batch reads all of a layer's weights (forward
and backward), however few windows share that read; at batch 32 the multiply-adds dominate.

Nothing here imports TensorFlow or Keras: the web server shows the estimate next to Train.

>>> from rnn_core.config import RunConfig
>>> cheap = estimate_seconds(RunConfig(epochs=5), n_train_windows=2000)
>>> estimate_seconds(RunConfig(epochs=50), n_train_windows=2000) > cheap
True
>>> describe(170), describe(4.2 * 3600), describe(2)
('about 3 min', 'about 4.2 h', 'a few seconds')
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any

from .architecture import UNROLL_MAX_STEPS, architecture
from .config import FIELD_BY_NAME, RunConfig
from .errors import RnnExplorerError

# Trainings estimated to take longer than this are refused (a server owner can change it).
MAX_TRAINING_SECONDS = 15 * 60
LIMIT_VARIABLE = "RNN_EXPLORER_MAX_TRAINING_SECONDS"

# Fitted by bench/cost_calibration.py (see the module docstring for the terms) on the quiet
# 2-core VM (load ~1, one TensorFlow thread as in the workers): BENCHMARKS.md, "Training time
# estimate", second table.
K_START = 0.511  # s: build the model, trace the loop, first calls
K_TRACE = 0.0818  # s per traced cell step (unrolled steps × layers; 1 per layer when looped)
K_XLA = 3.04  # s per recurrent layer to compile the loop with XLA
K_PREDICT = 0.0  # s per MAC of the final predictions (lost in the other terms)
A = 0.0134  # s per epoch
B = 0.0  # s per batch (lost in the per-step term)
S = {"unrolled": 1.29e-05, "loop": 0.000185, "xla": 2.83e-05}  # s per batch per step per layer
C = 1.08e-10  # s per MAC
D = 4.79e-10  # s per weight read (each time step of each batch reads the layer's weights)

# The knobs a refusal may suggest changing, and in which direction they get cheaper.
KNOBS = (("epochs", -1), ("units", -1), ("layers", -1), ("time_steps", -1), ("batch_size", +1))
KNOB_LABEL = {"epochs": "epochs", "units": "hidden units", "layers": "recurrent layers",
              "time_steps": "time steps T", "batch_size": "batch size"}


@dataclass(frozen=True)
class Terms:
    """The quantities the estimate is linear in, for one config on one set of windows."""

    epochs: int
    batches: int
    cell_steps: int  # time steps × recurrent layers of one window
    traced_steps: int
    xla_layers: int
    epoch_macs: float
    weight_reads: float
    predict_macs: float
    mode: str  # "unrolled", "loop" or "xla"

    def setup_row(self) -> list[float]:
        return [1.0, self.traced_steps, self.xla_layers, self.predict_macs]

    def epoch_row(self) -> list[float]:
        step = self.batches * self.cell_steps
        return [1.0, self.batches] + [step if self.mode == m else 0.0 for m in S] + [
            self.epoch_macs, self.weight_reads]

    def row(self) -> list[float]:
        """The features of ``seconds`` in the order K_START, K_TRACE, K_XLA, K_PREDICT, A, B,
        S[unrolled], S[loop], S[xla], C, D (what the calibration fits)."""
        return self.setup_row() + [self.epochs * v for v in self.epoch_row()]


def coefficients() -> list[float]:
    """The fitted constants in ``Terms.row`` order."""
    return [K_START, K_TRACE, K_XLA, K_PREDICT, A, B, *S.values(), C, D]


def terms(config: RunConfig, n_train_windows: int, n_features: int = 1,
          n_test_windows: int = 0, xla: bool | None = None) -> Terms:
    """The terms of the estimate; ``xla`` None decides it as ``training.use_xla`` will."""
    from . import training  # numpy only; TensorFlow is imported inside its functions

    n = max(1, int(n_train_windows))
    if config.layout == "features":
        steps, width = 1, config.time_steps * n_features
    else:
        steps, width = config.time_steps, n_features
    batch = min(config.batch_size, n)
    batches = math.ceil(n / batch)
    specs = architecture(config, steps, width)
    recurrent = sum(s.params for s in specs if s.recurrent)
    dense = sum(s.params for s in specs if not s.recurrent)
    window_macs = steps * recurrent + dense  # each weight used once per step, forward
    looped = steps > UNROLL_MAX_STEPS
    if xla is None:
        xla = _xla_on(looped, config.epochs * batches * steps * config.layers, training)
    mode = "unrolled" if not looped else "xla" if xla else "loop"
    return Terms(
        epochs=config.epochs, batches=batches, cell_steps=steps * config.layers,
        traced_steps=config.layers * (1 if looped else steps),
        xla_layers=config.layers if xla else 0,
        # forward + backward (~2× forward) over the padded batches, forward over the test part
        epoch_macs=float(3 * batches * batch + n_test_windows) * window_macs,
        weight_reads=float(3 * batches) * window_macs,
        predict_macs=float(n + n_test_windows) * window_macs, mode=mode)


def _xla_on(looped: bool, loop_steps: int, training: Any) -> bool:
    """``training.use_xla`` without a model."""
    if training.XLA in ("1", "true", "yes", "on"):
        return True
    if training.XLA in ("0", "false", "no", "off"):
        return False
    return looped and loop_steps >= training.XLA_MIN_LOOP_STEPS


def estimate_seconds(config: RunConfig, n_train_windows: int, n_features: int = 1,
                     n_test_windows: int = 0) -> float:
    """Seconds ``run.train`` takes for ``config`` on this many windows (Keras already loaded)."""
    t = terms(config, n_train_windows, n_features, n_test_windows)
    return float(sum(c * v for c, v in zip(coefficients(), t.row())))


def estimate_prepared(prepared: Any) -> float:
    """``estimate_seconds`` for a ``run.Prepared`` (its config and windows)."""
    w = prepared.windows
    return estimate_seconds(prepared.config, w.n_train, _series_features(prepared), w.n_test)


def _series_features(prepared: Any) -> int:
    """Input columns per time step (the target and any extra feature columns)."""
    if prepared.config.layout == "sequence":  # what the windows hold (adding: value, marker)
        return int(prepared.windows.n_features)
    features = prepared.series.features
    return 1 if features is None else 1 + int(features.shape[1])


def describe(seconds: float) -> str:
    """A duration as a person says it: "a few seconds", "about 40 s", "about 3 min", "about 4.7 h"."""
    if not math.isfinite(seconds):
        return "forever"
    if seconds < 5:
        return "a few seconds"
    if seconds < 90:
        return f"about {seconds:.0f} s"
    if seconds < 90 * 60:
        return f"about {seconds / 60:.0f} min"
    return f"about {seconds / 3600:.1f} h"


def max_training_seconds() -> float:
    """The limit: ``RNN_EXPLORER_MAX_TRAINING_SECONDS`` if set (``inf`` for none), else
    ``MAX_TRAINING_SECONDS``."""
    text = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not text:
        return float(MAX_TRAINING_SECONDS)
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0:  # also NaN
        raise RnnExplorerError(
            f"the server setting {LIMIT_VARIABLE}={text[:60]!r} is not valid: use a number of "
            "seconds above 0 (or inf for no limit).")
    return value


def limit_text() -> str:
    """The limit as the UI shows it: "15 min", or "none" when a server owner lifted it."""
    limit = max_training_seconds()
    return "none" if math.isinf(limit) else describe(limit).removeprefix("about ")


def estimate_line(seconds: float) -> str:
    """"Training time: about 20 s on this server (limit 15 min)." under a Train button.

    >>> estimate_line(20.2).startswith("Training time: about 20 s on this server (limit ")
    True
    """
    return f"Training time: {describe(seconds)} on this server (limit {limit_text()})."


def check(config: RunConfig, n_train_windows: int, n_features: int = 1, n_test_windows: int = 0,
          cli: bool = False) -> float:
    """The estimate in seconds, or ``RnnExplorerError`` if it is above the limit: the message
    says which knob to change, and to about what, to fit (``cli`` words it as ``--set``)."""
    limit = max_training_seconds()
    seconds = estimate_seconds(config, n_train_windows, n_features, n_test_windows)
    if seconds <= limit:
        return seconds
    fixes = suggestions(config, n_train_windows, n_features, n_test_windows, 0.8 * limit)

    def knob(name: str, old: int, new: int) -> str:
        verb = "raise" if new > old else "lower"
        return (f"{verb} the {KNOB_LABEL[name]} from {old} to {new}"
                + (f" (--set {name}={new})" if cli else ""))

    if fixes:
        advice = ", or ".join(knob(*fix) for fix in fixes[:2])
    else:
        advice = "use fewer epochs, units, layers or time steps, or a larger batch size"
    raise RnnExplorerError(
        f"This training would take {describe(seconds)} on this server, more than the limit of "
        f"{limit_text()}: {advice}. (A server owner can raise the "
        f"limit with the environment variable {LIMIT_VARIABLE}.)", field=fixes[0][0] if fixes else None)


def check_prepared(prepared: Any, cli: bool = False) -> float:
    """``check`` for a ``run.Prepared``."""
    w = prepared.windows
    return check(prepared.config, w.n_train, _series_features(prepared), w.n_test, cli=cli)


def suggestions(config: RunConfig, n_train_windows: int, n_features: int, n_test_windows: int,
                target: float) -> list[tuple[str, int, int]]:
    """(knob, now, value that brings the estimate under ``target``) for every knob that can,
    the smallest change (as a ratio) first: the knob that costs most for what it gives.

    The window counts are kept as they are (a different T changes them a little).
    """
    found = []
    for name, direction in KNOBS:
        old = getattr(config, name)
        field = FIELD_BY_NAME[name]
        lo, hi = (int(field.min), old - 1) if direction < 0 else (old + 1, int(field.max))
        if lo > hi:
            continue

        def fits(value: int) -> bool:
            changed = config.replace(**{name: value})
            return estimate_seconds(changed, n_train_windows, n_features, n_test_windows) <= target

        edge = lo if direction < 0 else hi  # the cheapest value the knob allows
        if not fits(edge):
            continue
        # binary search for the value closest to ``old`` that fits (cost grows towards ``old``)
        good, bad = edge, old
        while abs(bad - good) > 1:
            mid = (good + bad) // 2
            if fits(mid):
                good = mid
            else:
                bad = mid
        found.append((name, old, good))
    found.sort(key=lambda fix: abs(math.log(fix[2] / fix[1])))
    return found
