"""Next-value and recursive forecasts with hand-weighted models whose forecasts are known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from rnn_core import forecast, model as model_mod, training
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

LINEAR = dict(cell="simplernn", activation="linear", output_activation="linear")
WAVY = 50 + 10 * np.sin(np.arange(30.0)) + np.arange(30.0)  # no two values alike


def _prepared(values=WAVY, layout="sequence", time_steps=3, scaler_fit="train"):
    cfg = RunConfig(split=20, time_steps=time_steps, layout=layout, scaler_fit=scaler_fit, **LINEAR)
    return prepare(cfg, Series(values, pd.RangeIndex(len(values)), "test series"))


def _hand_model(prepared, units, weights):
    w = prepared.windows
    m = model_mod.build(prepared.config.replace(units=units), w.steps, w.n_features)
    m.set_weights([np.asarray(x, dtype="float32") for x in weights])
    return m


def _persistence_model(prepared):
    """Output = the window's last value: h_t = x_t (sequence) or h = x_T (features)."""
    t = prepared.config.time_steps
    if prepared.config.layout == "features":
        kernel = np.zeros((t, 1))
        kernel[-1, 0] = 1.0
        return _hand_model(prepared, 1, [kernel, [[0.0]], [0.0], [[1.0]], [0.0]])
    return _hand_model(prepared, 1, [[[1.0]], [[0.0]], [0.0], [[1.0]], [0.0]])


def _extrapolation_model(prepared):
    """Output = 2·x_T - x_{T-1}: continues a straight line (affine scaling keeps it exact)."""
    t = prepared.config.time_steps
    if prepared.config.layout == "features":
        kernel = np.zeros((t, 1))
        kernel[-2:, 0] = [-1.0, 2.0]
        return _hand_model(prepared, 1, [kernel, [[0.0]], [0.0], [[1.0]], [0.0]])
    # h1_t = x_t, h2_t = h1_{t-1} = x_{t-1}; output 2·h1 - h2
    return _hand_model(prepared, 2, [[[1.0, 0.0]], [[0.0, 1.0], [0.0, 0.0]], [0.0, 0.0],
                                     [[2.0], [-1.0]], [0.0]])


@pytest.mark.parametrize("layout", ["sequence", "features"])
def test_persistence_model_forecasts_the_last_value_forever(layout):
    p = _prepared(layout=layout)
    m = _persistence_model(p)
    assert forecast.next_value(m, p) == pytest.approx(WAVY[-1], rel=1e-5)
    assert forecast.recursive(m, p, 7) == pytest.approx([WAVY[-1]] * 7, rel=1e-5)


@pytest.mark.parametrize("layout", ["sequence", "features"])
def test_each_prediction_is_fed_back_as_the_newest_value(layout):
    ramp = 3.0 * np.arange(25.0) + 7  # 7, 10, …, 79
    p = _prepared(ramp, layout=layout, time_steps=4)
    m = _extrapolation_model(p)
    assert forecast.next_value(m, p) == pytest.approx(82.0, rel=1e-5)
    assert forecast.recursive(m, p, 10) == pytest.approx(82.0 + 3 * np.arange(10), rel=1e-4)


def test_next_value_is_the_first_recursive_step_and_reads_the_last_window():
    p = _prepared(layout="features", scaler_fit="all")
    cfg = p.config.replace(cell="gru", units=4, activation="tanh")
    m = model_mod.build(cfg, p.windows.steps, p.windows.n_features)
    window = p.scaler.transform(WAVY[-3:]).reshape(1, 1, 3)
    expected = float(p.scaler.inverse_transform(training.predict(m, window))[0])
    assert forecast.next_value(m, p) == pytest.approx(expected)
    steps = forecast.recursive(m, p, 3)
    assert steps[0] == pytest.approx(expected, rel=1e-6) and steps.shape == (3,)


def test_steps_outside_the_allowed_range_are_refused():
    p = _prepared()
    m = _persistence_model(p)
    for steps in (0, -1, forecast.MAX_FORECAST_STEPS + 1, 2.5, True, "3", None):
        with pytest.raises(RnnExplorerError, match="steps") as err:
            forecast.recursive(m, p, steps)
        assert err.value.field == "steps"
    assert forecast.check_steps(forecast.MAX_FORECAST_STEPS) == 500
    assert forecast.check_steps(np.int64(4)) == 4 and forecast.check_steps(4.0) == 4


def test_a_model_trained_with_other_settings_is_refused():
    p = _prepared(time_steps=3)
    m = _persistence_model(_prepared(time_steps=4))
    with pytest.raises(RnnExplorerError, match="train again"):
        forecast.next_value(m, p)


def test_future_index_continues_dates_and_positions():
    months = pd.date_range("1983-11-01", periods=2, freq="MS")
    assert forecast.future_index(months, 2).strftime("%Y-%m").tolist() == ["1984-01", "1984-02"]
    assert forecast.future_index(pd.Index(["a", "b"]), 2).tolist() == [2, 3]
