"""Forecasting beyond the end of the series with a trained model.

``next_value`` is tutorial T3's last step: the model reads the last T values of the series and
predicts the one after. ``recursive`` goes further by feeding each prediction back in as the
newest value, so step k rests on k - 1 earlier guesses and errors compound: the honest
picture of a multi-step forecast. Everything is in original units; the model works in the
scaled units of ``prepared.scaler``. Univariate series only.

    from rnn_core.run import train
    run = train(config)
    forecast.recursive(run.network, run.prepared, steps=24)

``model`` is a Keras model or its numpy forward pass (``run.network``, no TensorFlow).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from . import training
from .config import TASKS
from .errors import RnnExplorerError, quote
from .forward import Network

# Longest recursive forecast: one model call per step, and beyond a few hundred steps a fed-back
# forecast says more about the model's fixed point than about the series.
MAX_FORECAST_STEPS = 500


def _predict(model: Any, x: np.ndarray) -> np.ndarray:
    if isinstance(model, Network):
        return model.predict(x)
    return training.predict(model, x)


def _window(history: np.ndarray, prepared: Any) -> np.ndarray:
    """The last T scaled values shaped as the model reads them: (1, T, 1) or (1, 1, T)."""
    last = history[-prepared.config.time_steps:]
    if prepared.config.layout == "features":
        return last.reshape(1, 1, -1)
    return last.reshape(1, -1, 1)


def _check(model: Any, prepared: Any) -> None:
    if prepared.config.dataset in TASKS:
        raise RnnExplorerError(
            f"forecasting beyond the data does not apply to the {prepared.config.dataset} task: "
            "its sequences are independent samples, with nothing after them; choose a series "
            "to forecast.", field="dataset")
    w, t = prepared.windows, prepared.config.time_steps
    expected = (1, t) if prepared.config.layout == "features" else (t, 1)
    if (w.steps, w.n_features) != expected:
        raise RnnExplorerError("forecasting beyond the series works for a single series only; "
                               "this run reads several input features.")
    shape = getattr(model, "input_shape", None)
    if shape is not None and tuple(shape[1:]) != expected:
        raise RnnExplorerError(
            f"the model reads windows of shape {tuple(shape[1:])} but these settings give "
            f"{expected}: train again with the current settings before forecasting.")


def next_value(model: Any, prepared: Any) -> float:
    """The model's prediction for the value after the series' last, in original units."""
    _check(model, prepared)
    scaled = _predict(model, _window(np.asarray(prepared.scaled, dtype=np.float64), prepared))
    return float(prepared.future_original(np.ravel(scaled))[0])


def recursive(model: Any, prepared: Any, steps: int) -> np.ndarray:
    """``steps`` values after the end of the series, each fed back as the newest input.

    Step 1 equals ``next_value``. A model with H outputs (a horizon trained directly) gives H
    values per call, all fed back. With a differencing transform the inverse adds the
    forecast's own earlier values beyond the end of the series (``transforms.INVERSE_NOTE``).
    Raises ``RnnExplorerError`` unless 1 ≤ steps ≤ ``MAX_FORECAST_STEPS``.
    """
    steps = check_steps(steps)
    _check(model, prepared)
    t = prepared.config.time_steps
    history = np.empty(t + steps)
    history[:t] = np.asarray(prepared.scaled, dtype=np.float64)[-t:]
    k = 0
    while k < steps:
        ahead = np.ravel(_predict(model, _window(history[: t + k], prepared)))
        take = min(len(ahead), steps - k)
        history[t + k: t + k + take] = ahead[:take]
        if not np.isfinite(ahead[:take]).all():
            bad = k + 1 + int(np.argmin(np.isfinite(ahead[:take])))
            raise RnnExplorerError(
                f"the forecast became infinite or NaN at step {bad}: the model's feedback "
                "loop diverges. Forecast fewer steps or train a better-behaved model.",
                field="steps")
        k += take
    return prepared.future_original(history[t:])


def rollout(model: Any, x: np.ndarray, steps: int, layout: str = "sequence") -> np.ndarray:
    """Feed a one-output model its own predictions: ``steps`` values after each window of
    ``x`` (scaled, univariate, shaped as the model reads it), shape (windows, steps).

    Every window moves forward together, one batched model call per step.
    """
    window = np.asarray(x, dtype=np.float64).reshape(len(x), -1)  # (n, T), oldest first
    out = np.empty((len(window), steps))
    for k in range(steps):
        shaped = window.reshape(len(window), 1, -1) if layout == "features" else window[:, :, None]
        out[:, k] = np.ravel(_predict(model, shaped))
        window = np.concatenate([window[:, 1:], out[:, k:k + 1]], axis=1)
    return out


@dataclass(frozen=True)
class HorizonComparison:
    """Test RMSE (original units) at each step ahead, k = 1 … H, for the same test targets:
    a one-step model fed back (recursive), an H-output model (direct), and persistence."""

    recursive: np.ndarray
    direct: np.ndarray
    persistence: np.ndarray
    windows: int

    @property
    def horizon(self) -> int:
        return len(self.direct)


def compare_horizon(one_step: Any, direct: Any) -> HorizonComparison:
    """Score ``one_step`` (a Run with horizon 1, rolled forward H times) and ``direct`` (a Run
    with horizon H) on the direct run's test windows, step by step.

    Both must read the same univariate series with the same time steps and layout.
    """
    p, w = direct.prepared, direct.windows
    h = w.horizon
    if h < 2 or one_step.windows.horizon != 1:
        raise RnnExplorerError("compare a horizon-1 run with a run of horizon 2 or more.",
                               field="horizon")
    if p.series.features is not None:
        raise RnnExplorerError("a recursive forecast feeds predictions back as inputs, so it "
                               "needs a single series (no extra feature columns).",
                               field="features")
    if one_step.config.transform != direct.config.transform:
        raise RnnExplorerError("the two runs transform the series differently: give them the "
                               "same transform.", field="transform")
    if one_step.windows.x_test.shape[1:] != w.x_test.shape[1:]:
        raise RnnExplorerError("the two runs read windows of different shapes: give them the "
                               "same time steps and layout.", field="time_steps")
    rolled = rollout(one_step.network, w.x_test, h, w.layout)
    if not np.isfinite(rolled).all():
        raise RnnExplorerError("the one-step model's forecasts became infinite or NaN when fed "
                               "back: its feedback loop diverges.", field="horizon")
    actual = p.targets_original("test")

    def by_step(pred_original: np.ndarray) -> np.ndarray:
        return np.sqrt(np.mean((actual - pred_original) ** 2, axis=0))

    # Each run's predictions back to original units with its own scaler (equal for equal data,
    # split and scaler choice, but nothing here relies on it).
    # The roll-out starts at the direct run's windows: undo its transform from their positions.
    return HorizonComparison(by_step(one_step.prepared.original_at(rolled, w.test_index)),
                             by_step(direct.original(direct.pred_test)),
                             by_step(p.persistence_original("test")),
                             w.n_test)


def check_steps(steps: Any) -> int:
    """``steps`` as an int in 1 … MAX_FORECAST_STEPS, or an ``RnnExplorerError`` saying so."""
    valid = not isinstance(steps, bool) and isinstance(steps, (int, np.integer, float)) \
        and float(steps).is_integer()
    if not valid or not 1 <= int(steps) <= MAX_FORECAST_STEPS:
        raise RnnExplorerError(
            f"forecast steps={quote(steps)} is not valid: use a whole number from 1 to "
            f"{MAX_FORECAST_STEPS}.", field="steps")
    return int(steps)


def future_index(index: pd.Index, steps: int) -> pd.Index:
    """Labels for ``steps`` values after ``index``: the next dates if it has a frequency,
    else the next integer positions.

    >>> future_index(pd.date_range("2000-01-01", periods=3, freq="MS"), 2).strftime("%Y-%m").tolist()
    ['2000-04', '2000-05']
    >>> future_index(pd.RangeIndex(10), 3).tolist()
    [10, 11, 12]
    """
    if isinstance(index, pd.DatetimeIndex):
        try:
            freq = index.freq or (pd.infer_freq(index) if len(index) >= 3 else None)
        except (TypeError, ValueError):
            freq = None
        if freq is not None:
            return pd.date_range(index[-1], periods=steps + 1, freq=freq)[1:]
    if isinstance(index, pd.RangeIndex):
        return pd.RangeIndex(index.stop, index.stop + steps * index.step, index.step)
    return pd.RangeIndex(len(index), len(index) + steps)
