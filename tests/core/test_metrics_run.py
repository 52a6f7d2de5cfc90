"""Error measures, the persistence baseline and the verdict sentence (no training needed)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from rnn_core import metrics
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.run import evaluate, prepare, verdict

SQUARES = np.arange(20.0) ** 2  # 0, 1, 4, …, 361: persistence error at target i is 2i - 1


def _squares(scaler_fit: str):
    series = Series(SQUARES, pd.RangeIndex(20), "squares")
    cfg = RunConfig(split=15, time_steps=2, stride=1, window_scope="separate",
                    scaler_fit=scaler_fit)
    return prepare(cfg, series)


def test_rmse_and_mae_by_hand():
    assert metrics.rmse([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]) == 0.0
    assert metrics.rmse([0.0, 0.0], [3.0, -4.0]) == pytest.approx(math.sqrt(12.5))
    assert metrics.mae([0.0, 0.0], [3.0, -4.0]) == 3.5
    assert metrics.rmse([1.0, 2.0], [1.0, 4.0]) == pytest.approx(math.sqrt(2))


def test_persistence_baseline_hand_computed_on_a_tiny_series():
    p = _squares("none")
    w = p.windows
    assert w.test_index.tolist() == [17, 18, 19]
    assert w.train_index.tolist() == list(range(2, 15))
    m = evaluate(p, w.y_train, w.y_test)  # a perfect model
    # test targets 17, 18, 19: persistence errors 33, 35, 37
    expected_test = math.sqrt((33**2 + 35**2 + 37**2) / 3)
    expected_train = math.sqrt(np.mean([(2 * i - 1) ** 2 for i in range(2, 15)]))
    assert m["persistence_test_rmse"] == pytest.approx(expected_test)
    assert m["persistence_test_rmse_original"] == pytest.approx(expected_test)
    assert m["persistence_test_mae_original"] == pytest.approx(35.0)
    assert m["persistence_train_rmse"] == pytest.approx(expected_train)
    assert m["test_rmse"] == 0.0 and m["train_mae"] == 0.0


def test_scaled_and_original_units_differ_by_the_scaler_range():
    p = _squares("train")  # fitted on 0 … 196
    w = p.windows
    m = evaluate(p, w.y_train + 0.01, w.y_test - 0.02)
    assert m["train_rmse"] == pytest.approx(0.01) and m["train_mae"] == pytest.approx(0.01)
    assert m["test_rmse"] == pytest.approx(0.02)
    assert m["train_rmse_original"] == pytest.approx(0.01 * 196)
    assert m["test_mae_original"] == pytest.approx(0.02 * 196)
    assert m["persistence_test_rmse_original"] == pytest.approx(math.sqrt((33**2 + 35**2 + 37**2) / 3))
    assert m["persistence_test_rmse"] == pytest.approx(m["persistence_test_rmse_original"] / 196)


def test_verdict_when_the_model_beats_persistence():
    text = verdict({"test_rmse_original": 15.0, "persistence_test_rmse_original": 20.0})
    assert "beats persistence" in text and "does not" not in text
    assert "15" in text and "20" in text and "25.0 % lower" in text


def test_verdict_when_the_model_does_not_beat_persistence():
    text = verdict({"test_rmse_original": 25.0, "persistence_test_rmse_original": 20.0})
    assert "does not beat persistence" in text
    assert "25.0 % higher" in text
    assert "tomorrow equals today" in text
    # a tie is not a win
    assert "does not beat" in verdict({"test_rmse_original": 20.0,
                                       "persistence_test_rmse_original": 20.0})


def test_verdict_without_finite_predictions():
    text = verdict({"test_rmse_original": float("nan"), "persistence_test_rmse_original": 20.0})
    assert "no finite predictions" in text


def test_t1_persistence_matches_the_tutorial_facts(t1_prepared):
    """tutorials.md: on T1's 46 test targets persistence scores 0.0796 scaled, 20.20 original."""
    w = t1_prepared.windows
    m = evaluate(t1_prepared, w.y_train, w.y_test)
    assert m["persistence_test_rmse"] == pytest.approx(0.0796, abs=5e-4)
    assert m["persistence_test_rmse_original"] == pytest.approx(20.20, abs=5e-3)
    # scaler fitted on the whole series (T1): original = scaled × the series' range
    values = t1_prepared.series.values
    assert m["persistence_test_rmse_original"] == pytest.approx(
        m["persistence_test_rmse"] * (values.max() - values.min()))
    assert t1_prepared.series.values[:3].tolist() == [58.0, 62.6, 70.0]
