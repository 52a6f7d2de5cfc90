"""Split conformal prediction intervals: the quantile by hand, the calibration windows held out
from fitting, the coverage measured, the recursive widths consistent with the one-step ones."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st

from rnn_core import intervals, report, run as run_mod, training
from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.export import script
from tests.core.conftest import cli_main

TINY = RunConfig(dataset="airpassengers", time_steps=6, units=3, epochs=2, interval_level=0.8)


@given(errors=st.lists(st.floats(0, 1e6), min_size=1, max_size=200),
       level=st.floats(0.01, 0.99))
def test_the_quantile_is_the_ceil_m_plus_1_level_th_smallest(errors, level):
    m = len(errors)
    k = math.ceil((m + 1) * level)
    expected = sorted(errors)[k - 1] if k <= m else math.inf
    assert intervals.conformal_quantile(np.array(errors), level) == expected


def test_calibration_size_leaves_windows_to_train_on():
    assert intervals.calibration_size(500, 0.9) == 100
    assert intervals.calibration_size(30, 0.9) == intervals.MIN_CALIBRATION
    assert intervals.calibration_size(5, 0.9) == 4
    assert intervals.calibration_size(500, 0.0) == 0


@pytest.fixture(scope="module")
def tiny_run():
    seen = {}
    fit = training.fit

    def spy(model, windows, config, **kw):
        seen["n_train"] = windows.n_train
        seen["last_target"] = windows.train_index[-1]
        return fit(model, windows, config, **kw)

    training.fit = spy
    try:
        run = run_mod.train(TINY)
    finally:
        training.fit = fit
    return run, seen


def test_the_calibration_windows_are_not_fitted_on(tiny_run):
    run, seen = tiny_run
    w = run.windows
    m = intervals.calibration_size(w.n_train, 0.8)
    assert seen["n_train"] == w.n_train - m > 0
    assert seen["last_target"] == w.train_index[-m - 1]
    assert len(run.pred_train) == w.n_train  # predictions for every training window still


def test_widths_and_coverage_by_hand(tiny_run):
    run, _ = tiny_run
    p, w = run.prepared, run.windows
    found = intervals.intervals(p, run.pred_train, run.pred_test, 0.8)
    m = found.calibration
    errors = np.abs(p.targets_original("train") - p.original(run.pred_train, "train"))[-m:]
    q = sorted(errors)[math.ceil((m + 1) * 0.8) - 1]
    assert found.half_width[0] == pytest.approx(q)
    test_err = np.abs(p.targets_original("test") - p.original(run.pred_test, "test"))
    assert found.coverage == pytest.approx(np.mean(test_err <= q))
    assert found.n_test == w.n_test
    lower, upper = found.bounds(p.original(run.pred_test, "test"))
    assert np.mean((p.targets_original("test") >= lower) & (p.targets_original("test") <= upper)) \
        == pytest.approx(found.coverage)
    assert found.sentence("passengers").startswith(f"80% intervals held {found.coverage:.1%} of the")


def test_one_step_of_the_recursive_widths_is_the_one_step_width(tiny_run):
    run, _ = tiny_run
    found = intervals.intervals(run.prepared, run.pred_train, run.pred_test, 0.8)
    widths = intervals.recursive_quantiles(run.network, run.prepared, 0.8, 200)
    assert widths[0] == pytest.approx(found.half_width[0], rel=1e-5)
    # far ahead, no calibration roll-out stays inside the training part: unbounded, not made up
    assert np.isinf(widths[-1])


def test_train_json_and_the_script(tiny_run):
    # a sine without a season: no SARIMA to fit, the command stays quick
    code, out, err = cli_main("train", "--set", "dataset=sine", "--set", "sine_length=120",
                              "--set", "time_steps=5", "--set", "units=3", "--set", "epochs=1",
                              "--set", "interval_level=0.9", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["interval_level"] == 0.9 and 0 <= result["interval_coverage"] <= 1
    assert result["calibration_windows"] == intervals.calibration_size(result["n_train_windows"], 0.9)
    run, _ = tiny_run
    off = report.interval_keys(run_mod.Run(run.config.replace(interval_level=0.0), run.prepared,
                                           run.history, run.pred_train, run.pred_test,
                                           run.metrics, None))
    assert off == {"interval_level": None, "interval_coverage": None,
                   "interval_half_width": None, "calibration_windows": 0}
    with pytest.raises(RnnExplorerError, match="set interval_level=0 to get a script"):
        script(TINY)
