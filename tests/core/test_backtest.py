"""Several forecast origins: folds as scikit-learn cuts them, no fold trained on what follows its
origin, the numbers of each fold those of an ordinary run, the ``backtest`` command."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, strategies as st
from sklearn.model_selection import TimeSeriesSplit

from rnn_core import backtest, data, report
from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare, train
from tests.core.conftest import cli_main

TINY = RunConfig(dataset="airpassengers", time_steps=6, units=3, epochs=1)


@given(n=st.integers(30, 3000), k=st.integers(backtest.MIN_FOLDS, backtest.MAX_FOLDS))
def test_folds_are_scikit_learns_expanding_windows(n, k):
    fs = backtest.folds(n, k)
    expected = [(int(test[0]), int(test[-1]) + 1)
                for _train, test in TimeSeriesSplit(n_splits=k).split(np.arange(n))]
    assert [(f.origin, f.end) for f in fs] == expected
    assert [f.number for f in fs] == list(range(1, k + 1))
    assert fs[-1].end == n and all(a.end == b.origin for a, b in zip(fs, fs[1:]))


def test_bad_fold_counts_are_refused_with_the_range():
    for k in (1, 11, True):
        with pytest.raises(RnnExplorerError, match="use a whole number from 2 to 10"):
            backtest.folds(100, k)
    with pytest.raises(RnnExplorerError, match="5 values cannot make 3 folds"):
        backtest.folds(5, 3)


@pytest.mark.parametrize("scope", ["continuous", "separate"])
def test_no_fold_trains_on_anything_after_its_origin(scope):
    config = TINY.replace(window_scope=scope, horizon=2)
    full = data.load(config)
    for s in backtest.fold_setups(config, None, 4):
        p = prepare(s.config, s.series)
        w = p.windows
        assert len(s.series) == s.fold.end and p.split_at == s.fold.origin
        np.testing.assert_array_equal(s.series.values, full.values[:s.fold.end])
        # every training target (all H steps) and so every input lies before the origin
        assert w.positions("train", config.horizon - 1).max() < s.fold.origin
        assert w.positions("test", 0).min() >= s.fold.origin
        assert w.positions("test", 0).max() < s.fold.end


def test_a_task_and_a_fold_too_short_for_its_windows_are_refused_by_name():
    with pytest.raises(RnnExplorerError, match="a task's sequences are independent samples"):
        backtest.fold_setups(RunConfig(dataset="recall"), None, 3)
    with pytest.raises(RnnExplorerError,
                       match=r"^fold 1 \(trained on the first 18 values, tested on the next 14\): the"):
        backtest.fold_setups(TINY.replace(time_steps=20), None, 9)


def test_the_command_gives_each_folds_numbers_as_an_ordinary_run_would():
    code, out, err = cli_main("backtest", "--set", "dataset=airpassengers", "--set", "time_steps=6",
                              "--set", "units=3", "--set", "epochs=1", "--folds", "3", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert [f["fold"] for f in result["folds"]] == [1, 2, 3]
    # fold 2 again, by hand: the setup split at its origin on the series cut at its end
    second = result["folds"][1]
    s = backtest.fold_setups(TINY, None, 3)[1]
    assert (second["origin_index"], second["end_index"]) == (s.fold.origin, s.fold.end)
    run = train(s.config, s.series)
    found = report.compare_baselines(run).metrics
    assert second["test_rmse_original"] == pytest.approx(run.metrics["test_rmse_original"], rel=1e-6)
    for name in ("persistence", "seasonal_naive", "mean", "arima"):
        assert second[f"{name}_test_rmse_original"] == pytest.approx(found[f"{name}_test_rmse_original"])
    assert second["origin"] == str(s.series.index[s.fold.origin].date())[:10]
    assert result["means"]["test_rmse_original"] == pytest.approx(
        np.mean([f["test_rmse_original"] for f in result["folds"]]))


def test_the_command_refuses_bad_folds_in_one_line():
    code, out, err = cli_main("backtest", "--folds", "12")
    assert code == 2 and out == ""
    assert err == "error: --folds '12' is not valid: use a whole number from 2 to 10.\n"
