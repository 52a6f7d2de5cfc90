"""Forecasting beyond the end of the series with a trained model.

``next_value`` is tutorial T3's last step: the model reads the last T values of the series and
predicts the one after. ``recursive`` goes further by feeding each prediction back in as the
newest value, so step k rests on k - 1 earlier guesses and errors compound: the honest
picture of a multi-step forecast. Everything is in original units; the model works in the
scaled units of ``prepared.scaler``. Univariate series only.

    from rnn_core.run import train
    run = train(config)
    forecast.recursive(run.model, run.prepared, steps=24)
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from . import training
from .errors import RnnExplorerError

# Longest recursive forecast: one model call per step, and beyond a few hundred steps a fed-back
# forecast says more about the model's fixed point than about the series.
MAX_FORECAST_STEPS = 500


def _window(history: np.ndarray, prepared: Any) -> np.ndarray:
    """The last T scaled values shaped as the model reads them: (1, T, 1) or (1, 1, T)."""
    last = history[-prepared.config.time_steps:]
    if prepared.config.layout == "features":
        return last.reshape(1, 1, -1)
    return last.reshape(1, -1, 1)


def _check(model: Any, prepared: Any) -> None:
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
    scaled = training.predict(model, _window(np.asarray(prepared.scaled, dtype=np.float64), prepared))
    return float(prepared.scaler.inverse_transform(scaled)[0])


def recursive(model: Any, prepared: Any, steps: int) -> np.ndarray:
    """``steps`` values after the end of the series, each fed back as the newest input.

    Step 1 equals ``next_value``. Raises ``RnnExplorerError`` unless 1 ≤ steps ≤
    ``MAX_FORECAST_STEPS``.
    """
    steps = check_steps(steps)
    _check(model, prepared)
    t = prepared.config.time_steps
    history = np.empty(t + steps)
    history[:t] = np.asarray(prepared.scaled, dtype=np.float64)[-t:]
    for k in range(steps):
        history[t + k] = training.predict(model, _window(history[: t + k], prepared))[0]
        if not np.isfinite(history[t + k]):
            raise RnnExplorerError(
                f"the forecast became infinite or NaN at step {k + 1}: the model's feedback "
                "loop diverges. Forecast fewer steps or train a better-behaved model.",
                field="steps")
    return prepared.scaler.inverse_transform(history[t:])


def check_steps(steps: Any) -> int:
    """``steps`` as an int in 1 … MAX_FORECAST_STEPS, or an ``RnnExplorerError`` saying so."""
    valid = not isinstance(steps, bool) and isinstance(steps, (int, np.integer, float)) \
        and float(steps).is_integer()
    if not valid or not 1 <= int(steps) <= MAX_FORECAST_STEPS:
        raise RnnExplorerError(
            f"forecast steps={steps!r} is not valid: use a whole number from 1 to "
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
