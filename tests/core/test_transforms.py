"""Series transforms: exact inverses (one step, H steps, recursive), their messages, and a run
on a transformed series scored in original units."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, strategies as st

from rnn_core import export, tasks
from rnn_core.config import RunConfig, parse_assignments
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare
from rnn_core.transforms import NAMES, Transform

SEASON = 4
positive_series = st.lists(st.floats(0.01, 1e4, allow_nan=False), min_size=3 * SEASON + 2,
                           max_size=60).map(np.array)


def _lag(name: str) -> int:
    return Transform.of(name, SEASON).lag


@given(x=positive_series, name=st.sampled_from(NAMES))
def test_one_step_inverse_from_actual_values_is_exact(x, name):
    t = Transform.of(name, SEASON).fit(x)
    d = t.transform(x)
    assert len(d) == len(x) - t.lag
    first = np.arange(t.lag, len(x))  # transformed value j sits at position j + lag
    np.testing.assert_allclose(t.inverse_transform(d, first, x), x[first], rtol=1e-9)


@given(x=positive_series, name=st.sampled_from(NAMES), h=st.integers(2, 9))
def test_h_step_inverse_accumulating_own_predictions_is_exact(x, name, h):
    t = Transform.of(name, SEASON).fit(x)
    d = t.transform(x)
    first = np.arange(t.lag, len(x) - h + 1)
    pred = d[(first - t.lag)[:, None] + np.arange(h)[None, :]]  # perfect predictions
    got = t.inverse_transform(pred, first, x)
    np.testing.assert_allclose(got, x[first[:, None] + np.arange(h)[None, :]], rtol=1e-9)


@given(x=positive_series, name=st.sampled_from(NAMES), data=st.data())
def test_recursive_forecast_inverse_is_exact(x, name, data):
    t = Transform.of(name, SEASON).fit(x)
    known = data.draw(st.integers(t.lag + 1, len(x) - 1))
    future = t.transform(x)[known - t.lag:]  # the transformed values after the known ones
    np.testing.assert_allclose(t.inverse_future(future, x[:known]), x[known:], rtol=1e-9)


def test_later_steps_add_the_network_own_predictions():
    x = np.array([10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    t = Transform.of("diff")
    # one window from position 3: step 1 undone from x[2] = 12, later ones from itself
    got = t.inverse_transform(np.array([[2.0, 2.0, 2.0]]), np.array([3]), x)
    assert got.tolist() == [[14.0, 16.0, 18.0]]
    s = Transform.of("seasonal_diff", season=2)
    got = s.inverse_transform(np.array([[1.0, 1.0, 1.0]]), np.array([4]), x)
    assert got.tolist() == [[13.0, 14.0, 14.0]]  # x[2]+1, x[3]+1, then its own 13 + 1


def test_log_of_a_non_positive_series_names_the_smallest_value():
    with pytest.raises(RnnExplorerError, match="smallest value is -2.5"):
        Transform.of("log_diff").fit(np.array([1.0, -2.5, 3.0, 4.0]))


def test_seasonal_difference_needs_a_season():
    with pytest.raises(RnnExplorerError, match="no known season"):
        Transform.of("seasonal_diff", None)
    with pytest.raises(RnnExplorerError, match="no known season"):
        prepare(RunConfig(dataset="sine", sine_length=200, transform="seasonal_diff"))


def test_setting_parses_and_tasks_ignore_it():
    assert parse_assignments(["transform=log_diff"]) == {"transform": "log_diff"}
    assert RunConfig().transform == "none"
    with pytest.raises(RnnExplorerError, match="transform"):
        parse_assignments(["transform=sqrt"])
    assert "transform" in tasks.not_applicable(RunConfig(dataset="recall"))
    assert prepare(RunConfig(dataset="recall", transform="log", train_sequences=20,
                             test_sequences=20, time_steps=5)).transform is None


def test_padding_and_the_script_refuse_a_transform():
    with pytest.raises(RnnExplorerError, match="padding"):
        prepare(RunConfig(dataset="airpassengers", transform="diff", pad=True))
    with pytest.raises(RnnExplorerError, match="transform=log_diff"):
        export.script(RunConfig(dataset="airpassengers", transform="log_diff"))


@pytest.mark.parametrize("name", NAMES)
def test_prepared_targets_stay_those_of_the_original_series(name):
    base = prepare(RunConfig(dataset="airpassengers"))
    p = prepare(RunConfig(dataset="airpassengers", transform=name))
    w = p.windows
    assert w.test_index.tolist() == base.windows.test_index.tolist()
    np.testing.assert_allclose(p.targets_original("test"), base.targets_original("test"), rtol=1e-12)
    np.testing.assert_allclose(p.original(w.y_test, "test"), p.targets_original("test"), rtol=1e-9)
    np.testing.assert_allclose(p.original(w.y_train, "train"), p.targets_original("train"),
                               rtol=1e-9)
    assert len(p.scaled) == len(p.series) - Transform.of(name, 12).lag


def test_a_log_seasonal_diff_run_is_scored_in_original_units():
    from rnn_core.run import train

    run = train(RunConfig(dataset="airpassengers", transform="log_seasonal_diff", cell="gru",
                          units=4, epochs=2))
    p, w, x = run.prepared, run.windows, run.prepared.series.values
    lo, span = p.scaler.data_min_, p.scaler.data_range_  # min-max of the log differences
    by_hand = np.exp(np.log(x[w.test_index - 12]) + run.pred_test * span + lo)
    rmse = float(np.sqrt(np.mean((by_hand - x[w.test_index]) ** 2)))
    assert run.metrics["test_rmse_original"] == pytest.approx(rmse, rel=1e-9)
    persistence = float(np.sqrt(np.mean((x[w.test_index - 1] - x[w.test_index]) ** 2)))
    assert run.metrics["persistence_test_rmse_original"] == pytest.approx(persistence, rel=1e-12)


@pytest.mark.parametrize("name", ["diff", "log_seasonal_diff"])
def test_h_steps_ahead_scores_and_exports_in_original_units(name):
    from rnn_core.run import Run, evaluate
    from rnn_core.training import History

    p = prepare(RunConfig(dataset="airpassengers", transform=name, horizon=3))
    w, x = p.windows, p.series.values
    assert w.y_test.shape == (w.n_test, 3)
    want = x[w.test_index[:, None] + np.arange(3)[None, :]]
    np.testing.assert_allclose(p.original(w.y_test, "test"), want, rtol=1e-9)
    # a network off by +0.01 (scaled) at step 1 only: steps beyond the lag inherit it
    off = w.y_test.copy()
    off[:, 0] += 0.01
    shifted = p.original(off, "test")
    assert not np.allclose(shifted[:, 0], want[:, 0])
    lag = p.transform.lag
    if lag == 1:
        assert not np.allclose(shifted[:, 1:], want[:, 1:])  # the error accumulates
    else:
        np.testing.assert_allclose(shifted[:, 1:], want[:, 1:], rtol=1e-9)  # bases still known
    m = evaluate(p, w.y_train, w.y_test)
    assert m["test_rmse_original"] == pytest.approx(0.0, abs=1e-9)
    assert m["persistence_test_rmse_original_h3"] == pytest.approx(
        float(np.sqrt(np.mean((x[w.test_index - 1] - want[:, 2]) ** 2))), rel=1e-12)
    run = Run(p.config, p, History(loss=[0.0]), w.y_train, w.y_test, m, weights=None)
    frame = export.predictions_frame(run)
    test = frame[frame["part"] == "test"]
    np.testing.assert_allclose(test["actual"], x[test["position"]], rtol=1e-12)
    np.testing.assert_allclose(test["predicted"], test["actual"], rtol=1e-9)


@pytest.mark.parametrize("name, wave, step", [("log_diff", 0.0, 0.01),
                                              ("log_seasonal_diff", 0.1, 0.12)])
def test_a_recursive_forecast_is_inverted_through_its_own_predictions(name, wave, step):
    """A network that always predicts the true (constant) log difference of an exponential
    trend with a season forecasts the series' exact continuation, 30 steps ahead."""
    import pandas as pd

    from rnn_core import forecast
    from rnn_core.data import Series
    from rnn_core.forward import Network

    class Oracle(Network):
        input_shape = None

        def __init__(self):  # no weights: it knows the answer
            pass

        def predict(self, x):
            return np.full(len(x), step)

    t = np.arange(150)
    level = lambda t: np.exp(0.01 * t + wave * np.sin(2 * np.pi * t / 12))  # noqa: E731
    s = Series(level(t[:120]), pd.RangeIndex(120), "trend", season=12)
    p = prepare(RunConfig(transform=name, scaler_fit="none", time_steps=12), s)
    got = forecast.recursive(Oracle(), p, 30)
    np.testing.assert_allclose(got, level(t[120:]), rtol=1e-9)
