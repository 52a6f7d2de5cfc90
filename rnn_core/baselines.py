"""Baselines: simple forecasts the network has to beat, on exactly its test targets.

Every baseline predicts the same targets as the model: the test windows' targets, at the
positions ``Windows.test_index`` of the series, in original units. Each one only uses values
known before its target (nothing from the test part is fitted):

- persistence: the window's last value ("next value = last value");
- seasonal naive: the value one season before the target (the series' season,
  ``seasons.season``: 132 months for sunspots' solar cycle, 12 for other monthly data);
- mean: the mean of the training part;
- ARIMA(p, d, q): fitted on the training part only, then run over the test part with the
  same parameters (no refitting), one step ahead;
- SARIMA, the airline model (0,1,1)(0,1,1)s on logs, fitted and run the same way; it joins
  when the series has a season (and is positive, for the logs).

>>> import pandas as pd
>>> from rnn_core.config import RunConfig
>>> from rnn_core.data import Series
>>> from rnn_core.run import prepare
>>> s = Series([float(v) for v in range(20)], pd.RangeIndex(20), "ramp", season=4)
>>> p = prepare(RunConfig(split=16, time_steps=2, scaler_fit="none"), s)
>>> b = compute(p, which=("persistence", "seasonal_naive", "mean"))
>>> {name: r.test_pred_original.tolist() for name, r in b.items()}
{'persistence': [15.0, 16.0, 17.0, 18.0], 'seasonal_naive': [12.0, 13.0, 14.0, 15.0], 'mean': [7.5, 7.5, 7.5, 7.5]}
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from . import blas, metrics
from .errors import RnnExplorerError, quote

BASELINES: tuple[str, ...] = ("persistence", "seasonal_naive", "mean", "arima", "sarima")
LABELS: dict[str, str] = {
    "persistence": "Persistence (last value)",
    "seasonal_naive": "Seasonal naive (one season back)",
    "mean": "Training mean",
    "arima": "ARIMA",
    "sarima": "SARIMA airline model on logs",
}
SARIMA_ORDER, SARIMA_SEASONAL = (0, 1, 1), (0, 1, 1)  # Box & Jenkins' airline model
# Above this season the seasonal state grows so large that fitting takes minutes.
MAX_SARIMA_SEASON = 24
DEFAULT_ARIMA_ORDER = (2, 0, 1)
# Bounds of the ARIMA order a user may type: larger orders fit slowly and rarely help.
MAX_ARIMA_P = 5
MAX_ARIMA_D = 2
MAX_ARIMA_Q = 5


@dataclass(frozen=True)
class BaselineResult:
    """One baseline's test predictions in original units, aligned with ``Windows.test_index``.

    ``error`` says why there are no predictions (``test_pred_original`` is then None);
    ``note`` is a caveat about predictions that exist (e.g. ARIMA did not fully converge).
    """

    name: str
    label: str
    test_pred_original: np.ndarray | None
    error: str | None = None
    note: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def compute(prepared: Any, which: Iterable[str] = BASELINES, season: int | None = None,
            arima_order: tuple[int, int, int] = DEFAULT_ARIMA_ORDER) -> dict[str, BaselineResult]:
    """The baselines named in ``which``, in that order, on the test targets of ``prepared``;
    SARIMA is left out when no season is known.

    ``season`` defaults to the series' own (``Series.season``); ``arima_order`` is (p, d, q).
    A baseline that cannot be computed (no season known, ARIMA failing) comes back with its
    ``error`` set; invalid arguments raise ``RnnExplorerError``.
    """
    which = tuple(which)
    for name in which:
        if name not in BASELINES:
            raise RnnExplorerError(
                f"unknown baseline {quote(name)}: use one of " + ", ".join(BASELINES) + ".",
                field="baselines")
    season = prepared.series.season if season is None else _check_season(season)
    if season is None:
        which = tuple(name for name in which if name != "sarima")
    makers = {
        "persistence": lambda: _persistence(prepared),
        "seasonal_naive": lambda: _seasonal_naive(prepared, season),
        "mean": lambda: _mean(prepared),
        "arima": lambda: _arima(prepared, _check_order(arima_order)),
        "sarima": lambda: _sarima(prepared, season),
    }
    return {name: makers[name]() for name in which}


def _check_season(season: Any) -> int:
    if isinstance(season, bool) or not float(season).is_integer() or int(season) < 1:
        raise RnnExplorerError(f"season={quote(season)} is not valid: use a whole number of values "
                               "of 1 or more (12 for monthly data).", field="season")
    return int(season)


def _check_order(order: Any) -> tuple[int, int, int]:
    bounds = (MAX_ARIMA_P, MAX_ARIMA_D, MAX_ARIMA_Q)
    try:
        p, d, q = (int(v) for v in order)
        valid = all(float(v).is_integer() for v in order)
    except (TypeError, ValueError):
        valid = False
    if not valid or not all(0 <= v <= hi for v, hi in zip((p, d, q), bounds)):
        raise RnnExplorerError(
            f"ARIMA order {quote(order)} is not valid: use three whole numbers (p, d, q) with "
            f"p from 0 to {MAX_ARIMA_P}, d from 0 to {MAX_ARIMA_D}, q from 0 to {MAX_ARIMA_Q}.",
            field="arima_order")
    return p, d, q


def targets_original(prepared: Any) -> np.ndarray:
    """The test targets in original units, exactly as the model is scored on them."""
    return prepared.targets_original("test")


def _persistence(prepared: Any) -> BaselineResult:
    pred = prepared.persistence_original("test")
    return BaselineResult("persistence", LABELS["persistence"], pred)


def seasonal_positions(first: np.ndarray, horizon: int, season: int) -> np.ndarray:
    """Where seasonal naive reads each target: the same point of the season in the last
    season known before the window's first target (one season back for the next value).

    >>> seasonal_positions(np.array([10]), horizon=3, season=2).tolist()
    [[8, 9, 8]]
    """
    ahead = np.arange(horizon)  # target k is k + 1 values after the last known one
    back = season * ((ahead // season) + 1)
    pos = first[:, None] + ahead[None, :] - back[None, :]
    return pos[:, 0] if horizon == 1 else pos


def _seasonal_naive(prepared: Any, season: int | None) -> BaselineResult:
    name = "seasonal_naive"
    if season is None:
        return BaselineResult(name, LABELS[name], None, error=(
            "the series has no known season: give one (e.g. 12 for monthly data) to compute "
            "the seasonal naive baseline."))
    # A padded target repeats its part's last position, so this predicts that last value from
    # the value one season before it, like every other target.
    w = prepared.windows
    back = seasonal_positions(w.test_index, w.horizon, season)
    if back.min() < 0:
        return BaselineResult(name, LABELS[name], None, error=(
            f"a season of {season} reaches before the start of the series for the first test "
            f"target (position {prepared.windows.test_index.min()}); use a shorter season or "
            "move the split later."))
    return BaselineResult(name, f"Seasonal naive ({season} back)",
                          np.asarray(prepared.series.values, dtype=np.float64)[back])


def _mean(prepared: Any) -> BaselineResult:
    mean = float(np.mean(prepared.series.values[:prepared.split_at]))
    return BaselineResult("mean", LABELS["mean"], np.full(np.shape(prepared.windows.y_test), mean))


def arima_one_step(values: np.ndarray, split_at: int,
                   order: tuple[int, int, int] = DEFAULT_ARIMA_ORDER) -> tuple[np.ndarray, str | None]:
    """One-step-ahead ARIMA predictions for every position of ``values``, and a caveat or None.

    The parameters are fitted on ``values[:split_at]`` only; the test values are then appended
    with the same parameters (``refit=False``), so the prediction at position t uses the values
    before t and nothing else. Raises whatever statsmodels raises; warnings are silenced.
    """
    full, note = _fit_arima(values, split_at, order)
    return np.asarray(full.predict(), dtype=np.float64), note


def _fit_arima(values: np.ndarray, split_at: int, order: tuple[int, int, int],
               seasonal: tuple[int, int, int, int] = (0, 0, 0, 0)) -> tuple[Any, str | None]:
    """ARIMA (with a ``seasonal`` order (P, D, Q, s): SARIMA) fitted on ``values[:split_at]``,
    then run over the rest with the same parameters (``refit=False``), and a caveat if the fit
    did not converge. Warnings are silenced: the caveat says what matters of them."""
    from statsmodels.tsa.arima.model import ARIMA

    values = np.asarray(values, dtype=np.float64)
    with warnings.catch_warnings(), blas.one_thread():  # its 26 × 26 products: see blas.py
        warnings.simplefilter("ignore")
        fitted = ARIMA(values[:split_at], order=order, seasonal_order=seasonal).fit()
        full = fitted.append(values[split_at:], refit=False)
    retvals = getattr(fitted, "mle_retvals", None) or {}
    note = None
    if retvals.get("converged") is False:
        name = f"ARIMA{order}" + (f"{seasonal}" if any(seasonal) else "")
        note = (f"{name} did not fully converge on the training part; its forecasts use "
                "the last parameters the optimiser reached.")
    return full, note


def arima_ahead(values: np.ndarray, split_at: int, origins: np.ndarray, horizon: int,
                order: tuple[int, int, int] = DEFAULT_ARIMA_ORDER,
                seasonal: tuple[int, int, int, int] = (0, 0, 0, 0)) -> tuple[np.ndarray, str | None]:
    """ARIMA forecasts of the ``horizon`` values from each position in ``origins`` on, made
    with the values before that position only: shape (len(origins), horizon).

    Fitted on ``values[:split_at]`` as ``arima_one_step``. Step 1 is that one-step prediction;
    later steps run the model's state forward without new observations, which is what
    statsmodels' ``predict(start=o, end=o + H - 1, dynamic=True)`` computes, for all origins
    at once: state a ← T·a + c, forecast ŷ = Z·a + d.
    """
    full, note = _fit_arima(values, split_at, order, seasonal)
    f = full.filter_results
    state = np.asarray(f.predicted_state)[:, np.asarray(origins)]  # a_o given values before o
    design, transition = f.design[:, :, 0], f.transition[:, :, 0]
    state_intercept, obs_intercept = f.state_intercept[:, 0:1], f.obs_intercept[:, 0:1]
    out = np.empty((len(origins), horizon))
    for k in range(horizon):
        out[:, k] = (design @ state + obs_intercept)[0]
        state = transition @ state + state_intercept
    return out, note


def _arima(prepared: Any, order: tuple[int, int, int]) -> BaselineResult:
    label = f"ARIMA{order}"
    w = prepared.windows
    try:
        if w.horizon == 1:
            pred, note = arima_one_step(prepared.series.values, prepared.split_at, order)
        else:
            pred, note = arima_ahead(prepared.series.values, prepared.split_at, w.test_index,
                                     w.horizon, order)
    except Exception as err:  # statsmodels raises many types (LinAlgError, ValueError, ...)
        return BaselineResult("arima", label, None, error=(
            f"ARIMA{order} could not be fitted on the training part ({type(err).__name__}: "
            f"{err}). Try another order, e.g. (1, 0, 0) or (2, 1, 1)."))
    if w.horizon == 1:
        pred = pred[w.test_index]
    if not np.isfinite(pred).all():
        return BaselineResult("arima", label, None, error=(
            f"ARIMA{order} gave non-finite forecasts on the test part; try another order."))
    return BaselineResult("arima", label, pred, note=note)


def _sarima(prepared: Any, season: int | None) -> BaselineResult:
    """The airline model on the log of the series, fitted on the training part; its
    forecasts of the logs are turned back with exp (the median forecast)."""
    name, label = "sarima", f"SARIMA{SARIMA_ORDER}{SARIMA_SEASONAL}{season} on logs"
    values, w = np.asarray(prepared.series.values, dtype=np.float64), prepared.windows
    if not (values > 0).all():  # the data's reason first: it holds for any season
        return BaselineResult(name, label, None, error=(
            f"the airline model works on logs, which needs every value above 0; the smallest "
            f"is {values.min():.6g}."))
    if season is None or season < 2 or season > MAX_SARIMA_SEASON:
        return BaselineResult(name, label, None, error=(
            f"the airline model is fitted for seasons from 2 to {MAX_SARIMA_SEASON} only (a "
            f"season of {season} makes its state too large to fit in reasonable time)."))
    seasonal = (*SARIMA_SEASONAL, int(season))
    try:
        logs, note = arima_ahead(np.log(values), prepared.split_at,
                                 w.test_index, w.horizon, SARIMA_ORDER, seasonal)
    except Exception as err:  # statsmodels raises many types
        return BaselineResult(name, label, None, error=(
            f"the airline model could not be fitted on the training part "
            f"({type(err).__name__}: {err})."))
    pred = np.exp(logs[:, 0] if w.horizon == 1 else logs)
    if not np.isfinite(pred).all():
        return BaselineResult(name, label, None, error="the airline model gave non-finite forecasts.")
    return BaselineResult(name, label, pred, note=note)


def table(prepared: Any, model_test_pred_original: np.ndarray | None,
          baselines: dict[str, BaselineResult], model_label: str = "Model",
          mase_season: int = 1) -> list[dict[str, Any]]:
    """One row per forecaster, the model first: name, label, RMSE, MAE, MAPE, MASE, note.

    All errors are in original units on the same test targets. MAPE is None (with the reason
    in ``note``) when a target is 0. MASE divides the MAE by the in-sample naive MAE of the
    training part, lag ``mase_season`` (1: "the previous value"). A failed baseline gets
    None everywhere and its error as the note.
    """
    actual = targets_original(prepared)
    train = prepared.series.values[:prepared.split_at]
    entries: list[tuple[str, str, np.ndarray | None, str | None]] = []
    if model_test_pred_original is not None:
        entries.append(("model", model_label, np.asarray(model_test_pred_original, dtype=np.float64), None))
    for b in baselines.values():
        entries.append((b.name, b.label, b.test_pred_original, b.error or b.note))
    rows = []
    for name, label, pred, note in entries:
        row: dict[str, Any] = {"name": name, "label": label, "RMSE": None, "MAE": None,
                               "MAPE": None, "MASE": None, "note": note}
        if pred is not None:
            row.update(RMSE=metrics.rmse(actual, pred), MAE=metrics.mae(actual, pred),
                       MAPE=metrics.mape(actual, pred),
                       MASE=metrics.mase(actual, pred, train, mase_season))
            reasons = [r for r in (note, metrics.mape_note(actual),
                                   metrics.mase_note(train, mase_season)) if r]
            row["note"] = " ".join(reasons) or None
        rows.append(row)
    return rows


def baseline_metrics_for_json(prepared: Any, model_test_pred_original: np.ndarray | None,
                              baselines: dict[str, BaselineResult],
                              mase_season: int = 1) -> dict[str, float | None]:
    """Flat metrics for the CLI's JSON: ``<baseline>_test_rmse_original`` per baseline computed
    (None if it failed) and the model's ``test_mase`` (if a model is given)."""
    actual = targets_original(prepared)
    out: dict[str, float | None] = {}
    for b in baselines.values():
        out[f"{b.name}_test_rmse_original"] = (
            None if b.test_pred_original is None else metrics.rmse(actual, b.test_pred_original))
    if model_test_pred_original is not None:
        out["test_mase"] = metrics.mase(actual, model_test_pred_original,
                                        prepared.series.values[:prepared.split_at], mase_season)
    return out
