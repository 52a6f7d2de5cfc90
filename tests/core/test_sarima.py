"""The SARIMA baseline (the airline model on logs): statsmodels' own one-step forecasts, only
when the series has a season and positive values."""

from __future__ import annotations

import warnings

import numpy as np

from rnn_core import baselines
from rnn_core.config import RunConfig
from rnn_core.run import prepare


def test_airline_model_matches_statsmodels_one_step_forecasts():
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    p = prepare(RunConfig(dataset="airpassengers"))
    got = baselines.compute(p, which=("sarima",))["sarima"]
    assert got.ok and got.label == "SARIMA(0, 1, 1)(0, 1, 1)12 on logs"
    logs = np.log(p.series.values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = SARIMAX(logs[:p.split_at], order=(0, 1, 1), seasonal_order=(0, 1, 1, 12)).fit(disp=False)
        by_hand = np.exp(fitted.append(logs[p.split_at:], refit=False).predict())
    np.testing.assert_allclose(got.test_pred_original, by_hand[p.windows.test_index], rtol=1e-3)
    rmse = np.sqrt(np.mean((got.test_pred_original - baselines.targets_original(p)) ** 2))
    seasonal = baselines.compute(p, which=("seasonal_naive",))["seasonal_naive"].test_pred_original
    assert rmse < np.sqrt(np.mean((seasonal - baselines.targets_original(p)) ** 2)) / 2


def test_airline_model_several_steps_ahead_step_one_is_the_one_step_forecast():
    one = baselines.compute(prepare(RunConfig(dataset="airpassengers")), which=("sarima",))
    p3 = prepare(RunConfig(dataset="airpassengers", horizon=3))
    three = baselines.compute(p3, which=("sarima",))["sarima"].test_pred_original
    assert three.shape == (p3.windows.n_test, 3)
    np.testing.assert_allclose(three[:, 0], one["sarima"].test_pred_original[:len(three)], rtol=1e-9)


def test_airline_model_needs_a_season_and_positive_values():
    sunspots = baselines.compute(prepare(RunConfig(dataset="sunspots")), which=("sarima",))
    assert not sunspots["sarima"].ok and "smallest is 0" in sunspots["sarima"].error
    taylor = baselines.compute(prepare(RunConfig(dataset="taylor")), which=("sarima",))
    assert "season of 48" in taylor["sarima"].error


def test_without_a_season_sarima_leaves_the_table():
    import pandas as pd
    from rnn_core.data import Series

    s = Series(np.arange(1.0, 41.0), pd.RangeIndex(40), "ramp")
    got = baselines.compute(prepare(RunConfig(split=32, time_steps=4), s))
    assert "sarima" not in got and list(got) == ["persistence", "seasonal_naive", "mean", "arima"]
