"""A horizon of H values trained directly: windows, model, metrics, baselines, forecasts,
the recursive-vs-direct comparison and the exports, each against values worked out here."""

from __future__ import annotations

import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from rnn_core import baselines, export, figures, forecast, model as model_mod, pitfalls, training
from rnn_core import unroll, windows
from rnn_core.config import MAX_HORIZON, RunConfig
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.run import Run, evaluate, prepare, train
from rnn_core.training import History

SQUARES = np.arange(20.0) ** 2
LINEAR = dict(cell="simplernn", activation="linear", output_activation="linear")


# --- windows ---------------------------------------------------------------------------------

@st.composite
def choices(draw):
    n = draw(st.integers(6, 120))
    split_at = draw(st.integers(1, n - 1))
    return (n, split_at, draw(st.integers(1, 12)), draw(st.integers(1, 5)),
            draw(st.sampled_from(["continuous", "separate"])), draw(st.integers(1, 8)))


@given(choices())
def test_every_window_targets_the_h_values_after_it_inside_its_part(choice):
    n, split_at, t, stride, scope, h = choice
    values = np.arange(n, dtype=float) * 2.0 + 5.0  # a value names its position
    n_train, n_test = windows.count(n, split_at, t, stride, scope, horizon=h)
    try:
        w = windows.make(values, split_at, t, stride, scope=scope, horizon=h)
    except RnnExplorerError as err:
        assert n_train == 0 or n_test == 0
        assert (f"horizon of {h}" in str(err)) == (h > 1)
        return
    assert (w.n_train, w.n_test) == (n_train, n_test)
    assert w.horizon == h
    for part, x, y, index in (("train", w.x_train, w.y_train, w.train_index),
                              ("test", w.x_test, w.y_test, w.test_index)):
        y2 = y.reshape(len(y), -1)
        assert y2.shape == (len(x), h) and (y.ndim == 1) == (h == 1)
        for k in range(h):
            np.testing.assert_array_equal(y2[:, k], values[index + k])
            np.testing.assert_array_equal(w.positions(part, k), index + k)
        # the input ends right before the first target
        np.testing.assert_array_equal(x[:, -1, 0], values[index - 1])
        last_target = index + h - 1
        if part == "train":
            assert last_target.max() < split_at
        else:
            assert index.min() >= split_at and last_target.max() < n


@given(choices())
def test_a_longer_horizon_only_drops_windows_at_the_end_of_each_part(choice):
    n, split_at, t, stride, scope, h = choice
    one = windows.count(n, split_at, t, stride, scope)
    more = windows.count(n, split_at, t, stride, scope, horizon=h)
    assume(min(more) > 0)
    assert all(0 <= a - b <= (h - 1) // stride + 1 for a, b in zip(one, more))
    w1 = windows.make(np.arange(n, dtype=float), split_at, t, stride, scope=scope)
    wh = windows.make(np.arange(n, dtype=float), split_at, t, stride, scope=scope, horizon=h)
    np.testing.assert_array_equal(wh.test_index, w1.test_index[:wh.n_test])


def test_horizon_is_a_validated_field():
    assert RunConfig().horizon == 1
    assert RunConfig(horizon="3").horizon == 3
    for bad in (0, -1, MAX_HORIZON + 1, 2.5, "x"):
        with pytest.raises(RnnExplorerError, match="horizon"):
            RunConfig(horizon=bad)


# --- model and training ----------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["simplernn", "lstm", "gru"])
def test_output_layer_has_one_unit_per_step_ahead(cell):
    cfg = RunConfig(cell=cell, units=3, dense_units=4, horizon=5)
    built = model_mod.build(cfg, 6, 1)
    assert model_mod.param_table(cfg, 6, 1) == model_mod.layer_table(built)
    assert model_mod.param_table(cfg, 6, 1)[-1].params == (4 + 1) * 5
    assert training.predict(built, np.zeros((7, 6, 1))).shape == (7, 5)
    assert training.predict(built, np.zeros((0, 6, 1))).shape == (0, 5)


def test_training_h_outputs_matches_keras_fit_and_scores_every_step():
    import keras

    cfg = RunConfig(dataset="airpassengers", time_steps=6, horizon=3, units=4, epochs=3,
                    batch_size=16, seed=1)
    run = train(cfg)
    w = run.windows
    assert run.pred_test.shape == w.y_test.shape == (w.n_test, 3)
    plain = model_mod.build(cfg, w.steps, w.n_features)
    plain.fit(w.x_train.astype("float32"), w.y_train.astype("float32"), epochs=3,
              batch_size=16, verbose=0, shuffle=True)
    pred = plain.predict(w.x_test.astype("float32"), verbose=0)
    assert np.sqrt(np.mean((pred - w.y_test) ** 2)) == pytest.approx(run.metrics["test_rmse"],
                                                                      abs=1e-3)
    # the overall error is the mean of the per-step squared errors
    inv = run.original
    per_step = [run.metrics[f"test_rmse_original_h{k}"] for k in (1, 2, 3)]
    assert per_step[0] == pytest.approx(float(np.sqrt(np.mean(
        (inv(w.y_test[:, 0]) - inv(run.pred_test[:, 0])) ** 2))))
    assert run.metrics["test_rmse_original"] == pytest.approx(
        float(np.sqrt(np.mean(np.square(per_step)))))
    assert "test_rmse_original_h4" not in run.metrics
    # numpy by hand = Keras, for all three outputs
    u = unroll.unroll(run.model, w.x_test[0])
    np.testing.assert_allclose(u.output, run.pred_test[0], atol=1e-5)


# --- baselines and metrics -------------------------------------------------------------------

def _squares(**settings):
    cfg = RunConfig(split=16, time_steps=3, scaler_fit="train").replace(**settings)
    return prepare(cfg, Series(SQUARES, pd.RangeIndex(20), "squares", season=4))


def test_baselines_predict_every_step_ahead_by_hand():
    p = _squares(horizon=2)
    assert p.windows.test_index.tolist() == [16, 17, 18]  # 19 has no value after it
    b = baselines.compute(p, which=("persistence", "seasonal_naive", "mean"))
    np.testing.assert_allclose(b["persistence"].test_pred_original,
                               [[225, 225], [256, 256], [289, 289]])
    # season 4: each target from the value 4 back (12², 13²), (13², 14²), (14², 15²)
    np.testing.assert_allclose(b["seasonal_naive"].test_pred_original,
                               [[144, 169], [169, 196], [196, 225]])
    np.testing.assert_allclose(b["mean"].test_pred_original, np.full((3, 2), 77.5))
    # the persistence error in the metrics is over all six targets
    errors = np.array([[256 - 225, 289 - 225], [289 - 256, 324 - 256], [324 - 289, 361 - 289]])
    m = evaluate(p, p.windows.y_train, p.windows.y_test)
    assert m["persistence_test_rmse_original"] == pytest.approx(np.sqrt(np.mean(errors ** 2)))
    assert m["persistence_test_rmse_original_h2"] == pytest.approx(
        np.sqrt(np.mean(errors[:, 1] ** 2)))
    assert m["test_rmse_original"] == 0.0


def test_seasonal_naive_never_reads_past_the_last_known_value():
    # season 2, first target at 16: steps 16, 17, 18 read 14, 15, 14 (15 is the last known)
    assert baselines.seasonal_positions(np.array([16]), 3, 2).tolist() == [[14, 15, 14]]
    pos = baselines.seasonal_positions(np.arange(30, 40), 9, 4)
    assert (pos < np.arange(30, 40)[:, None]).all()
    assert ((np.arange(30, 40)[:, None] + np.arange(9) - pos) % 4 == 0).all()


def test_arima_multi_step_equals_statsmodels_dynamic_prediction():
    from statsmodels.tsa.arima.model import ARIMA

    rng = np.random.default_rng(0)
    values = np.zeros(160)
    for t in range(2, 160):
        values[t] = 0.6 * values[t - 1] - 0.2 * values[t - 2] + rng.normal()
    origins = np.array([120, 121, 140, 155])
    for order in ((2, 0, 1), (1, 1, 0)):
        ours, _ = baselines.arima_ahead(values, 120, origins, 5, order)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            full = ARIMA(values[:120], order=order).fit().append(values[120:], refit=False)
        for row, o in zip(ours, origins):
            np.testing.assert_allclose(row, full.predict(start=o, end=o + 4, dynamic=True),
                                       atol=1e-8)
        one, _ = baselines.arima_one_step(values, 120, order)
        np.testing.assert_allclose(ours[:, 0], one[origins], atol=1e-8)


# --- forecasts -------------------------------------------------------------------------------

LINE = 3.0 * np.arange(40.0) + 10.0  # extrapolating a straight line is exact


def _line_prepared(horizon):
    # 2 units: the config of the hand-set weights below (a run's network checks their shapes)
    cfg = RunConfig(split=30, time_steps=3, scaler_fit="train", horizon=horizon, units=2, **LINEAR)
    return prepare(cfg, Series(LINE, pd.RangeIndex(40), "line"))


def _extrapolator(prepared):
    """Outputs k = 1 … H: (k + 1)·x_T - k·x_{T-1}, the line continued (scaling is affine)."""
    h = prepared.config.horizon
    m = model_mod.build(prepared.config, 3, 1)
    head = np.array([[k + 1.0 for k in range(1, h + 1)], [-float(k) for k in range(1, h + 1)]])
    m.set_weights([np.array([[1.0, 0.0]], "float32"), np.array([[0.0, 1.0], [0.0, 0.0]], "float32"),
                   np.zeros(2, "float32"), head.astype("float32"), np.zeros(h, "float32")])
    return m


def _hand_run(prepared, m):
    w = prepared.windows
    pred_train, pred_test = training.predict(m, w.x_train), training.predict(m, w.x_test)
    return Run(prepared.config, prepared, History(), pred_train, pred_test,
               evaluate(prepared, pred_train, pred_test), weights=m.get_weights(), model=m)


@pytest.mark.parametrize("h", [1, 3, 4])
def test_recursive_forecast_of_an_h_output_model_feeds_back_h_values_at_a_time(h):
    p = _line_prepared(h)
    future = forecast.recursive(_extrapolator(p), p, 10)  # 10 is not a multiple of 3 or 4
    np.testing.assert_allclose(future, 3.0 * np.arange(40, 50) + 10.0, rtol=1e-5)


def test_direct_vs_recursive_scores_both_on_the_same_targets():
    one = _hand_run(_line_prepared(1), _extrapolator(_line_prepared(1)))
    direct_p = _line_prepared(4)
    direct = _hand_run(direct_p, _extrapolator(direct_p))
    result = forecast.compare_horizon(one, direct)
    assert result.horizon == 4 and result.windows == direct_p.windows.n_test
    np.testing.assert_allclose(result.recursive, 0.0, atol=1e-3)
    np.testing.assert_allclose(result.direct, 0.0, atol=1e-3)
    # persistence on a line of slope 3 misses step k by 3·k
    np.testing.assert_allclose(result.persistence, [3.0, 6.0, 9.0, 12.0], rtol=1e-9)
    # the arguments the wrong way round are refused
    with pytest.raises(RnnExplorerError, match="horizon"):
        forecast.compare_horizon(direct, one)


def test_horizon_pitfall_pairs_one_step_with_h_steps_and_refuses_features():
    base = RunConfig()
    assert [c.horizon for c in pitfalls.pair(base, "horizon")] == [1, 12]
    assert [c.horizon for c in pitfalls.pair(base.replace(horizon=5), "horizon")] == [1, 5]
    p = _line_prepared(1)
    pitfalls.check("horizon", p)  # a single series: fine
    with_features = prepare(p.config, Series(LINE, pd.RangeIndex(40), "line",
                                              features=np.c_[LINE], feature_names=("copy",)))
    with pytest.raises(RnnExplorerError, match="single series"):
        pitfalls.check("horizon", with_features)


# --- pictures and exports --------------------------------------------------------------------

def test_windows_picture_marks_every_target_of_each_window():
    fig = figures.windows_figure(LINE, np.arange(40), np.array([3, 4]), 3, 30, horizon=4)
    stars = [t for t in fig.data if t.name and t.name.startswith("targets")]
    assert [list(t.x) for t in stars] == [[3, 4, 5, 6], [4, 5, 6, 7]]
    one = figures.windows_figure(LINE, np.arange(40), np.array([3]), 3, 30)
    assert [list(t.x) for t in one.data if t.name == "target 1"] == [[3]]


def test_predictions_csv_has_one_row_per_window_and_step():
    p = _line_prepared(3)
    run = _hand_run(p, _extrapolator(p))
    frame = pd.read_csv(io.StringIO(export.predictions_csv(run)), comment="#")
    w = p.windows
    assert len(frame) == 3 * (w.n_train + w.n_test)
    test = frame[frame["part"] == "test"]
    assert test["step"].tolist()[:6] == [1, 2, 3, 1, 2, 3]
    np.testing.assert_allclose(test["actual"], LINE[test["position"]])
    np.testing.assert_allclose(test["predicted"], test["actual"], atol=1e-3)


# The exported script of an H-output model: tests/core/test_export.py runs it ("horizon-3")
# with the other exported scripts, in one interpreter.


def test_cli_reports_each_step_ahead():
    from tests.core.conftest import cli_main, run_cli

    code, out, err = cli_main("train", "--set", "dataset=airpassengers", "--set", "horizon=3",
                              "--set", "epochs=1", "--set", "time_steps=6", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["config"]["horizon"] == 3
    assert {f"test_rmse_original_h{k}" for k in (1, 2, 3)} <= result.keys()
    assert "over all 3 values ahead" in result["verdict"]
    assert result["test_rmse_original"] == pytest.approx(float(np.sqrt(np.mean(
        [result[f"test_rmse_original_h{k}"] ** 2 for k in (1, 2, 3)]))))
    bad = run_cli("train", "--set", "horizon=0")
    assert bad.returncode == 2 and "horizon" in bad.stderr and "Traceback" not in bad.stderr


def test_cli_forecast_with_a_horizon_model_gives_every_step_asked():
    from tests.core.conftest import cli_main

    code, out, err = cli_main("forecast", "--set", "dataset=airpassengers", "--set", "horizon=3",
                              "--set", "epochs=1", "--set", "time_steps=6", "--steps", "5",
                              "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert len(result["forecast"]) == 5 and result["next_value"] == result["forecast"][0]
    assert all(np.isfinite(result["forecast"]))
