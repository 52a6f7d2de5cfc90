"""The long-lag tasks in the app: the Data page greys out what does not apply and shows example
sequences; a training's Results give the test MSE next to the task's baseline and a verdict."""

import math

import pytest

from rnn_core import replay, tasks
from tests.app.helpers import chart_title, chart_traces, texts, train


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_choosing_adding_greys_out_the_window_knobs_and_shows_sequences(app):
    at = app()
    assert not at.number_input(key="field:stride").disabled  # a series reads it
    at.selectbox(key="field:dataset").set_value("adding").run()
    at.number_input(key="field:test_sequences").set_value(30).run()
    at.number_input(key="field:time_steps").set_value(8).run()
    assert not at.exception
    for name in ("stride", "horizon", "split"):
        assert at.number_input(key=f"field:{name}").disabled, name
    for name in ("layout", "window_scope", "scaler_fit"):
        assert at.selectbox(key=f"field:{name}").disabled, name
    assert at.checkbox(key="field:pad").disabled
    assert not at.number_input(key="field:time_steps").disabled
    assert not at.number_input(key="field:train_sequences").disabled
    assert "Not used by the adding task: each sequence is one window." in texts(at.caption)
    assert metric(at, "Training sequences") == "2,000"
    assert metric(at, "Test sequences") == "30"
    assert metric(at, "Input shape") == "(samples, 8, 2)"
    traces = chart_traces(at.get("plotly_chart")[0])
    s = tasks.generate("adding", 8, 2000, 30, 0)
    assert traces[0]["y"] == s.x_train[0, :, 0].tolist()  # the first sequence's values
    assert traces[1]["x"] == (s.x_train[0, :, 1].nonzero()[0] + 1).tolist()  # its marked steps
    # adding needs two steps: the error is shown and the knob to fix it stays on the page
    at.number_input(key="field:time_steps").set_value(1).run()
    assert not at.exception
    assert any("at least 2 time steps" in e for e in texts(at.error))
    assert not at.number_input(key="field:time_steps").disabled


def test_a_training_on_adding_gives_mse_baseline_and_verdict(app):
    at = app()
    at.selectbox(key="field:dataset").set_value("adding").run()
    for name, value in (("time_steps", 6), ("train_sequences", 64), ("test_sequences", 32)):
        at.number_input(key=f"field:{name}").set_value(value).run()
    at = train(at, epochs=2, units=4)
    at.switch_page("pages/results.py").run()
    assert not at.exception
    run = at.session_state["run"]
    found = tasks.scores(run.config, run.windows, run.pred_train, run.pred_test)
    assert metric(at, "Test MSE") == f"{found['test_mse']:.4g}"
    assert metric(at, "Baseline MSE (always 1.0)") == f"{found['baseline_test_mse']:.4g}"
    assert math.isclose(found["baseline_test_mse"], tasks.baseline_mse("adding", run.windows))
    verdict = tasks.verdict(run.config, found)
    assert verdict in texts(at.success) + texts(at.info) + texts(at.warning)
    # no series views: no baselines table, no forecast; predicted vs target on the test sequences
    assert not any(s.value.startswith("Baselines") for s in at.subheader)
    assert [m.label for m in at.metric if m.label.startswith("Next value")] == []
    traces = chart_traces(at.get("plotly_chart")[0])
    assert traces[2]["x"] == run.windows.y_test.tolist()
    assert len(traces[2]["y"]) == 32
    # the epoch slider replays a task's training too: epoch 1's network, its MSE and points
    at.select_slider(key="replay_slider").set_value(1).run()
    first = replay.replay(run, 1)
    assert not first.last
    assert metric(at, "Test MSE") == f"{tasks.mse(run.windows.y_test, first.pred_test):.4g}"
    assert chart_traces(at.get("plotly_chart")[0])[2]["y"] == pytest.approx(first.pred_test.ravel().tolist())
    assert "after epoch 1" in chart_title(at.get("plotly_chart")[0])
    at.select_slider(key="replay_slider").set_value(2).run()
    # Inside the network opens a test sequence of the task; Compare lists the run
    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    shown = texts(at.caption) + texts(at.markdown)
    assert any("test sequence 0 of the adding task" in t for t in shown), shown[:5]
    at.switch_page("pages/compare.py").run()
    assert not at.exception
