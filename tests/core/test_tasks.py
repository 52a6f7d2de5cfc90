"""The long-lag tasks (recall, adding): sequences, baselines, the flow, the CLI's keys."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from rnn_core import export, figures, forecast, pitfalls, report, task_figures, tasks
from rnn_core.config import RunConfig, from_json, from_query
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare, train
from tests.core.conftest import cli_main

# 20,000 test sequences: the standard error of the baseline's MSE is about 0.0005 (recall:
# sd of (y - 1/2)² is 0.075) and 0.0014 (adding: sd of (s - 1)² is 0.197); the bounds are
# about 5 of them, and the training mean's own error adds less than 1e-5.
BIG = 20_000
BOUNDS = {"recall": 0.003, "adding": 0.007}


def test_shapes_features_and_the_recall_target_is_the_first_value():
    r = tasks.generate("recall", time_steps=9, n_train=50, n_test=30, seed=1)
    a = tasks.generate("adding", time_steps=9, n_train=50, n_test=30, seed=1)
    assert (r.x_train.shape, r.y_train.shape, r.x_test.shape, r.y_test.shape) == \
        ((50, 9, 1), (50,), (30, 9, 1), (30,))
    assert (a.x_train.shape, a.x_test.shape) == ((50, 9, 2), (30, 9, 2))
    np.testing.assert_array_equal(r.y_train, r.x_train[:, 0, 0])
    np.testing.assert_array_equal(r.y_test, r.x_test[:, 0, 0])
    for x in (r.x_train, a.x_train[:, :, 0]):
        assert 0 <= x.min() and x.max() < 1
    assert not r.x_train.flags.writeable  # shared between calls: read-only


@pytest.mark.parametrize("steps", [2, 3, 7, 20, 31])
def test_adding_marks_one_step_in_each_half_and_sums_their_values(steps):
    s = tasks.generate("adding", time_steps=steps, n_train=400, n_test=100, seed=steps)
    for x, y in ((s.x_train, s.y_train), (s.x_test, s.y_test)):
        marker = x[:, :, 1]
        assert set(np.unique(marker)) <= {0.0, 1.0}  # (T = 2 marks both steps)
        half = steps // 2
        assert (marker[:, :half].sum(axis=1) == 1).all()
        assert (marker[:, half:].sum(axis=1) == 1).all()
        np.testing.assert_allclose(y, (x[:, :, 0] * marker).sum(axis=1))
    # every step of each half is used, not always the same one
    first = s.x_train[:, :steps // 2, 1].argmax(axis=1)
    assert len(np.unique(first)) == steps // 2


def test_the_task_seed_decides_the_sequences_and_the_test_ones_do_not_follow_n_train():
    a = tasks.generate("adding", 10, 100, 40, 3)
    b = tasks.generate.__wrapped__("adding", 10, 100, 40, 3)  # built again, not the cached one
    np.testing.assert_array_equal(a.x_train, b.x_train)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    other = tasks.generate("adding", 10, 100, 40, 4)
    assert not np.array_equal(a.x_train, other.x_train)
    more = tasks.generate("adding", 10, 300, 40, 3)
    np.testing.assert_array_equal(a.x_test, more.x_test)


@pytest.mark.parametrize("task", tasks.TASKS)
@pytest.mark.parametrize("seed", [0, 1])
def test_the_baselines_are_within_sampling_error_of_their_analytic_mse(task, seed):
    config = RunConfig(dataset=task, time_steps=4, train_sequences=BIG, test_sequences=10_000,
                       task_seed=seed)
    w = prepare(config).windows
    s = tasks.generate(task, 4, BIG, BIG, seed)  # above the setting's limit: the generator only
    measured = tasks.mse(s.y_test, np.full(BIG, tasks.baseline_prediction(task, s.y_train)))
    assert abs(measured - tasks.ANALYTIC_BASELINE_MSE[task]) < BOUNDS[task]
    assert math.isclose(tasks.ANALYTIC_BASELINE_MSE[task], {"recall": 1 / 12, "adding": 1 / 6}[task])
    # the run's baseline is the same rule on the config's own test sequences
    expected = np.mean((w.y_test - (np.mean(w.y_train) if task == "recall" else 1.0)) ** 2)
    assert math.isclose(tasks.baseline_mse(task, w), expected)
    assert abs(tasks.baseline_mse(task, w) - tasks.ANALYTIC_BASELINE_MSE[task]) < 2 * BOUNDS[task]


def test_a_task_config_fixes_what_the_network_reads_and_round_trips_through_links_and_files():
    c = RunConfig(dataset="recall", horizon=3, layout="features", stride=4, train_sequences=300,
                  test_sequences=50, task_seed=7)
    assert (c.horizon, c.layout, c.stride) == (1, "sequence", 4)  # stride is only ignored
    back, problems = from_query(c.to_query())
    assert back == c and not problems
    assert from_json(c.to_json()) == c
    assert RunConfig(dataset="sunspots", horizon=3).horizon == 3
    with pytest.raises(RnnExplorerError, match="train_sequences"):
        RunConfig(train_sequences=5)


def test_which_settings_apply():
    na = tasks.not_applicable(RunConfig(dataset="adding"))
    assert {"split", "stride", "horizon", "layout", "window_scope", "pad", "scaler_fit",
            "sine_length", "sine_seed"} <= set(na)
    assert "time_steps" not in na and "train_sequences" not in na and "units" not in na
    assert na["scaler_fit"] == "Not used by the adding task: the task's values are already in [0, 1]."
    assert set(tasks.not_applicable(RunConfig())) == set(tasks.TASK_FIELDS)


def test_prepare_makes_the_sequences_the_windows():
    config = RunConfig(dataset="adding", time_steps=12, train_sequences=80, test_sequences=20,
                       scaler_fit="all", split=0.5, task_seed=2)
    p = prepare(config)
    s = tasks.generate("adding", 12, 80, 20, 2)
    w = p.windows
    np.testing.assert_array_equal(w.x_train, s.x_train)
    np.testing.assert_array_equal(w.y_test, s.y_test)
    assert (w.steps, w.n_features, w.n_train, w.n_test, p.split_at) == (12, 2, 80, 20, 80)
    assert w.train_index.tolist() == list(range(80)) and w.test_index.tolist() == list(range(80, 100))
    assert np.isnan(w.persistence("test")).all()  # persistence does not apply
    np.testing.assert_array_equal(p.series.values, np.concatenate([s.y_train, s.y_test]))
    np.testing.assert_array_equal(p.scaler.inverse_transform(w.y_test), w.y_test)  # not scaled


def test_what_does_not_apply_to_a_task_says_so():
    with pytest.raises(RnnExplorerError, match="at least 2 time steps"):
        prepare(RunConfig(dataset="adding", time_steps=1))
    assert prepare(RunConfig(dataset="recall", time_steps=1)).windows.steps == 1
    with pytest.raises(RnnExplorerError, match="recall task's sequences are not a series"):
        export.script(RunConfig(dataset="recall"))
    small = prepare(RunConfig(dataset="adding", train_sequences=20, test_sequences=10))
    with pytest.raises(RnnExplorerError, match="does not apply to the adding task"):
        forecast._check(None, small)
    with pytest.raises(RnnExplorerError, match="adding task's sequences are neither cut nor scaled"):
        pitfalls.check("scaler", small)


def test_runs_compared_on_one_chart_share_their_sequences():
    base = RunConfig(dataset="recall")
    assert tasks.same_data(base, base.replace(units=32, cell="gru"))
    for change in ({"time_steps": 30}, {"task_seed": 1}, {"test_sequences": 20},
                   {"dataset": "adding"}):
        assert not tasks.same_data(base, base.replace(**change)), change


def test_verdict_levels():
    assert tasks.verdict_level(0.0083, 1 / 12) == "solved"   # 9.96 % of the baseline
    assert tasks.verdict_level(0.0084, 1 / 12) == "learning"
    assert tasks.verdict_level(0.0749, 1 / 12) == "learning"  # 89.9 %
    assert tasks.verdict_level(0.0751, 1 / 12) == "not learned"  # 90.1 %: below it by noise
    assert tasks.verdict_level(0.09, 1 / 12) == "not learned"
    assert tasks.verdict_level(float("nan"), 1 / 12) == "not learned"


@pytest.fixture(scope="module")
def recall_run():
    config = RunConfig(dataset="recall", time_steps=6, train_sequences=200, test_sequences=60,
                       epochs=2, units=4)
    return train(config)


def test_two_epochs_on_recall_give_finite_scores_against_the_baseline(recall_run):
    run = recall_run
    assert run.history.epochs_run == 2 and run.pred_test.shape == (60,)
    result = report.train_result(run, None)
    expected = float(np.mean((run.windows.y_test - run.pred_test) ** 2))
    assert math.isclose(result["test_mse"], expected, rel_tol=1e-9)
    assert math.isclose(result["baseline_test_mse"], tasks.baseline_mse("recall", run.windows))
    assert result["baseline_name"] == "training mean"
    assert result["verdict_level"] == tasks.verdict_level(expected, result["baseline_test_mse"])
    assert result["verdict"].startswith(result["verdict_level"].capitalize())
    assert result["persistence_test_rmse"] is None
    text = report.summary(result)
    assert "Baseline (training mean) test MSE" in text and "Persistence" not in text
    assert "Sequences: 200 train / 60 test (input 6 step(s) x 1 feature(s))" in text
    json.dumps(result, allow_nan=False)  # strict JSON


def test_task_figures(recall_run):
    run, w = recall_run, recall_run.windows
    fig = task_figures.prediction_figure(w.y_train, run.pred_train, w.y_test, run.pred_test,
                                         0.5, "training mean")
    np.testing.assert_allclose(fig.data[2].y, run.pred_test)
    np.testing.assert_allclose(fig.data[2].x, w.y_test)
    # a clicked test point opens that test sequence
    event = {"selection": {"points": [{"curve_number": 2, "point_index": 7}]}}
    assert figures.picked_window(event, w.n_train, w.n_test) == ("test", 7)
    s = tasks.generate("adding", 10, 20, 10, 0)
    ex = task_figures.examples_figure("adding", s.x_train, s.y_train, count=2)
    stars = ex.data[1]
    assert list(stars.x) == list(np.flatnonzero(s.x_train[0, :, 1]) + 1)
    assert f"= {s.y_train[0]:.3f}" in ex.layout.annotations[0].text


def test_cli_train_json_on_adding_has_the_task_keys():
    code, out, err = cli_main("train", "--set", "dataset=adding", "--set", "time_steps=20",
                              "--set", "epochs=1", "--set", "train_sequences=100",
                              "--set", "test_sequences=40", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    w = prepare(RunConfig(dataset="adding", time_steps=20, train_sequences=100,
                          test_sequences=40)).windows
    assert math.isclose(result["baseline_test_mse"], tasks.baseline_mse("adding", w))
    assert result["baseline_name"] == "always 1.0" and math.isfinite(result["test_mse"])
    assert (result["n_features"], result["n_test_windows"]) == (2, 40)
    assert "arima_test_rmse_original" not in result  # no series baselines for a task
