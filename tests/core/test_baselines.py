"""Baselines on exactly the model's test targets: hand-computed on tiny series, ARIMA on sunspots."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rnn_core import baselines, metrics
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

SQUARES = np.arange(20.0) ** 2  # 0, 1, 4, …, 361


def _squares(season=4, **settings):
    cfg = RunConfig(split=16, time_steps=3, scaler_fit="train").replace(**settings)
    return prepare(cfg, Series(SQUARES, pd.RangeIndex(20), "squares", season=season))


def _rmse(errors):
    return math.sqrt(sum(e * e for e in errors) / len(errors))


def test_persistence_seasonal_naive_and_mean_by_hand():
    p = _squares()
    assert p.windows.test_index.tolist() == [16, 17, 18, 19]  # targets 256, 289, 324, 361
    b = baselines.compute(p, which=("persistence", "seasonal_naive", "mean"))
    assert list(b) == ["persistence", "seasonal_naive", "mean"]
    # persistence: 225, 256, 289, 324 -> errors 31, 33, 35, 37
    assert b["persistence"].test_pred_original == pytest.approx([225, 256, 289, 324])
    # seasonal naive, season 4: 12², 13², 14², 15² -> errors 112, 120, 128, 136
    assert b["seasonal_naive"].test_pred_original == pytest.approx([144, 169, 196, 225])
    # mean of 0², …, 15² = 1240 / 16 = 77.5
    assert b["mean"].test_pred_original == pytest.approx([77.5] * 4)
    m = baselines.baseline_metrics_for_json(p, None, b)
    assert m == pytest.approx({
        "persistence_test_rmse_original": _rmse([31, 33, 35, 37]),
        "seasonal_naive_test_rmse_original": _rmse([112, 120, 128, 136]),
        "mean_test_rmse_original": _rmse([178.5, 211.5, 246.5, 283.5]),
    })
    assert all(r.ok and r.note is None for r in b.values())


def test_season_argument_overrides_the_series_season():
    p = _squares(season=None)
    assert not baselines.compute(p, which=("seasonal_naive",))["seasonal_naive"].ok
    b = baselines.compute(p, which=("seasonal_naive",), season=2)["seasonal_naive"]
    assert b.test_pred_original == pytest.approx([14**2, 15**2, 16**2, 17**2])
    assert "2 back" in b.label


def test_seasonal_naive_reaching_before_the_series_is_an_error_not_a_crash():
    r = baselines.compute(_squares(season=17), which=("seasonal_naive",))["seasonal_naive"]
    assert r.test_pred_original is None and "before the start" in r.error


def test_separate_scope_with_stride_uses_the_same_sparse_targets():
    p = _squares(split=10, time_steps=2, stride=3, window_scope="separate")
    assert p.windows.test_index.tolist() == [12, 15, 18]
    b = baselines.compute(p, which=("persistence", "seasonal_naive", "mean"))
    assert b["persistence"].test_pred_original == pytest.approx([11**2, 14**2, 17**2])
    assert b["seasonal_naive"].test_pred_original == pytest.approx([8**2, 11**2, 14**2])
    assert b["mean"].test_pred_original == pytest.approx([28.5] * 3)  # (0²+…+9²)/10


def test_padded_targets_repeat_the_last_value_and_its_season_back():
    p = _squares(split=16, time_steps=2, pad=True, window_scope="separate")
    w = p.windows
    assert w.test_index.tolist() == [18, 19, 19, 19]
    actual = baselines.targets_original(p)
    assert actual == pytest.approx([324, 361, 361, 361])
    b = baselines.compute(p, which=("persistence", "seasonal_naive"))
    assert b["persistence"].test_pred_original == pytest.approx([289, 324, 361, 361])
    assert b["seasonal_naive"].test_pred_original == pytest.approx([196, 225, 225, 225])


def test_table_puts_the_model_first_with_mape_and_mase():
    p = _squares()
    actual = baselines.targets_original(p)
    b = baselines.compute(p, which=("persistence", "mean"))
    rows = baselines.table(p, actual + [2, -2, 2, -2], b, model_label="GRU")
    assert [r["name"] for r in rows] == ["model", "persistence", "mean"]
    model = rows[0]
    assert model["label"] == "GRU" and model["RMSE"] == 2.0 and model["MAE"] == 2.0
    # training part 0², …, 15²: naive errors 1, 3, …, 29 -> scale 225 / 15 = 15
    assert model["MASE"] == pytest.approx(2 / 15)
    assert rows[1]["MASE"] == pytest.approx(34 / 15)
    assert model["MAPE"] == pytest.approx(100 * np.mean(2 / np.array([256, 289, 324, 361])))
    assert model["note"] is None
    json_metrics = baselines.baseline_metrics_for_json(p, actual + 2, b)
    assert json_metrics["test_mase"] == pytest.approx(2 / 15)


def test_mape_is_missing_with_a_note_when_a_target_is_zero():
    values = np.array([5.0, 3, 4, 6, 2, 5, 3, 4, 6, 2, 5, 3, 4, 6, 2, 0, 3, 0, 6, 2])
    p = prepare(RunConfig(split=15, time_steps=3, scaler_fit="none"),
                Series(values, pd.RangeIndex(20), "zeros"))
    rows = baselines.table(p, baselines.targets_original(p), baselines.compute(p, which=("mean",)))
    assert all(r["MAPE"] is None and "MAPE is undefined" in r["note"] for r in rows)
    assert rows[0]["RMSE"] == 0.0


def test_invalid_arguments_raise_user_errors():
    p = _squares()
    with pytest.raises(RnnExplorerError, match="unknown baseline"):
        baselines.compute(p, which=("drift",))
    for season in (0, -3, 2.5, True):
        with pytest.raises(RnnExplorerError, match="season"):
            baselines.compute(p, which=("seasonal_naive",), season=season)
    for order in ((1, 0), (6, 0, 0), (1, 3, 0), (1.5, 0, 0), (-1, 0, 0), None):
        with pytest.raises(RnnExplorerError, match="ARIMA order"):
            baselines.compute(p, which=("arima",), arima_order=order)


def test_arima_failure_is_reported_not_raised(monkeypatch):
    def broken(*args, **kwargs):
        raise np.linalg.LinAlgError("Schur decomposition solver error.")

    monkeypatch.setattr(baselines, "arima_one_step", broken)
    p = _squares()
    b = baselines.compute(p, which=("persistence", "arima"))
    assert b["arima"].test_pred_original is None and "LinAlgError" in b["arima"].error
    row = baselines.table(p, None, b)[1]
    assert row["RMSE"] is None and row["note"] == b["arima"].error
    assert baselines.baseline_metrics_for_json(p, None, b)["arima_test_rmse_original"] is None


def test_arima_one_step_uses_only_the_past_and_no_refit():
    rng = np.random.default_rng(0)
    x = np.zeros(200)
    for t in range(1, 200):
        x[t] = 0.7 * x[t - 1] + rng.normal()
    pred, _ = baselines.arima_one_step(x, 150, (1, 0, 0))
    changed = x.copy()
    changed[170:] += 100.0
    pred_changed, _ = baselines.arima_one_step(changed, 150, (1, 0, 0))
    assert pred_changed[:171] == pytest.approx(pred[:171])  # up to 170: same past, same params
    assert not np.allclose(pred_changed[171:], pred[171:])


def test_sunspots_persistence_and_arima_reproduce_the_reference():
    """tutorials.md: full test part (564 one-step targets, 80/20): persistence 20.09, ARIMA(2,0,1) 18.87."""
    p = prepare(RunConfig(dataset="sunspots", window_scope="continuous", stride=1, time_steps=24))
    assert p.split_at == 2256 and p.windows.n_test == 564
    b = baselines.compute(p)
    m = baselines.baseline_metrics_for_json(p, b["persistence"].test_pred_original, b)
    assert m["persistence_test_rmse_original"] == pytest.approx(20.09, abs=0.005)
    assert m["arima_test_rmse_original"] == pytest.approx(18.87, abs=0.05)
    assert b["arima"].label == "ARIMA(2, 0, 1)" and b["arima"].error is None
    assert m["mean_test_rmse_original"] > m["seasonal_naive_test_rmse_original"] > 20.09
    assert m["test_mase"] == pytest.approx(
        metrics.mae(baselines.targets_original(p), b["persistence"].test_pred_original)
        / metrics.naive_scale(p.series.values[:2256]))
