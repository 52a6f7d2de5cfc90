"""MAPE and MASE by hand, and the reasons given when they are undefined."""

from __future__ import annotations

import math

import pytest

from rnn_core import metrics


def test_mape_by_hand_in_percent():
    # |100-90|/100 = 10 %, |50-60|/50 = 20 %, |-20-(-25)|/20 = 25 %
    assert metrics.mape([100.0, 50.0, -20.0], [90.0, 60.0, -25.0]) == pytest.approx(55 / 3)
    assert metrics.mape([3.0], [3.0]) == 0.0
    assert metrics.mape_note([100.0, 50.0]) is None


def test_mape_is_none_with_a_reason_when_an_actual_value_is_zero():
    assert metrics.mape([0.0, 10.0, 0.0, 5.0], [1.0, 10.0, 0.0, 5.0]) is None
    note = metrics.mape_note([0.0, 10.0, 0.0, 5.0])
    assert "2 of the 4" in note and "0" in note
    assert metrics.mape([], []) is None and "no actual values" in metrics.mape_note([])


def test_mase_scaled_by_the_in_sample_naive_mae():
    train = [10.0, 12.0, 11.0, 15.0, 14.0]  # naive errors 2, 1, 4, 1 -> scale 2
    assert metrics.naive_scale(train) == 2.0
    # forecast MAE (3 + 1) / 2 = 2 -> MASE 1: as good as the naive forecast was in-sample
    assert metrics.mase([20.0, 18.0], [17.0, 19.0], train) == pytest.approx(1.0)
    assert metrics.mase([20.0, 18.0], [20.0, 18.0], train) == 0.0
    assert metrics.mase_note(train) is None


def test_seasonal_mase_uses_the_value_one_season_back():
    train = [1.0, 5.0, 2.0, 7.0, 4.0, 6.0]  # lag 2: |2-1|, |7-5|, |4-2|, |6-7| -> scale 6/4
    assert metrics.naive_scale(train, season=2) == 1.5
    assert metrics.mase([3.0], [6.0], train, season=2) == pytest.approx(2.0)


def test_mase_is_none_with_a_reason_when_the_scale_is_missing_or_zero():
    assert metrics.mase([1.0], [2.0], [4.0, 4.0, 4.0]) is None
    assert "never changes" in metrics.mase_note([4.0, 4.0, 4.0])
    assert metrics.mase([1.0], [2.0], [1.0, 2.0], season=2) is None
    assert "not longer than the season" in metrics.mase_note([1.0, 2.0], season=2)
    assert math.isnan(metrics.naive_scale([1.0], season=1))
    assert metrics.mase_note([1.0, 2.0], season=0) is not None


def test_rmse_and_mae_are_unchanged():
    assert metrics.rmse([0.0, 0.0], [3.0, -4.0]) == pytest.approx(math.sqrt(12.5))
    assert metrics.mae([0.0, 0.0], [3.0, -4.0]) == 3.5


def test_scikit_learn_gives_the_hand_formulas_to_the_last_bit():
    import numpy as np

    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 144, 2255, 4032):
        actual = rng.normal(100.0, 30.0, size=n)
        predicted = actual + rng.normal(0.0, 5.0, size=n)
        err = actual - predicted
        assert metrics.rmse(actual, predicted) == float(np.sqrt(np.mean(err**2)))
        assert metrics.mae(actual, predicted) == float(np.mean(np.abs(err)))
        assert metrics.mape(actual, predicted) == float(100 * np.mean(np.abs(err / actual)))
    # a horizon's (windows, H) arrays: every value counts once, not a mean of column RMSEs
    grid = rng.normal(size=(50, 3))
    off = grid + rng.normal(size=(50, 3)) * [0.1, 1.0, 10.0]
    assert metrics.rmse(grid, off) == float(np.sqrt(np.mean((grid - off) ** 2)))


def test_a_diverged_run_gets_nan_or_inf_not_an_error():
    nan, inf = float("nan"), float("inf")
    assert math.isnan(metrics.rmse([1.0, 2.0], [nan, 2.0]))
    assert math.isnan(metrics.mae([1.0, 2.0], [nan, nan]))
    assert metrics.rmse([1.0, 2.0], [inf, 2.0]) == inf
    assert metrics.mape([1.0, 2.0], [-inf, 2.0]) == inf
    assert math.isnan(metrics.rmse([], []))  # no windows: no figure, as numpy's mean gives
