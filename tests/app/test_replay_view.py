"""Training replayed: the epoch slider on Results and Inside the network (AppTest).

A 3-epoch t1-sunspots run: the slider starts at the last epoch (the page as before), an earlier
epoch changes the prediction chart, the errors and the loss curve's mark to that epoch's
network, Inside the network then runs that epoch's weights, and Play steps to the end."""

import numpy as np
import pytest

from rnn_core import replay
from tests.app.helpers import apply_preset, chart_title, chart_traces, texts, train


def _prediction_trace(at, part: str) -> np.ndarray:
    chart = at.get("plotly_chart")[0]  # the first chart of Results: actual vs predicted
    assert "Actual and predicted" in chart_title(chart)
    (trace,) = [t for t in chart_traces(chart) if t.get("name") == f"predicted ({part})"]
    return np.asarray(trace["y"], dtype=float)


def _epoch_marked(at) -> float:
    import json

    (loss,) = [c for c in at.get("plotly_chart") if "Loss per epoch" in chart_title(c)]
    shapes = json.loads(loss.proto.spec)["layout"]["shapes"]
    (line,) = [s for s in shapes if s.get("name") == "epoch shown"]
    return line["x0"]


@pytest.fixture(scope="module")
def trained_app():
    from streamlit.testing.v1 import AppTest

    from tests.app.helpers import APP, TIMEOUT

    at = apply_preset(AppTest.from_file(APP, default_timeout=TIMEOUT).run(), "t1-sunspots")
    return train(at, epochs=3)


def test_the_slider_replays_the_results_and_inside(trained_app):
    at = trained_app.switch_page("pages/results.py").run()
    assert not at.exception
    run = at.session_state["run"]
    slider = at.select_slider(key="replay_slider")
    assert slider.value == 3 and list(slider.options) == ["1", "2", "3"]
    assert slider.help and at.toggle(key="replay_play").help
    # the last epoch: the run's own (Keras') predictions, as before the slider existed
    last = _prediction_trace(at, "test")
    np.testing.assert_allclose(last, run.original(run.pred_test)[::1], rtol=1e-9)
    assert _epoch_marked(at) == 3
    errors = at.dataframe[0].value
    assert errors["RMSE (scaled)"][1] == pytest.approx(run.metrics["test_rmse"])
    # Inside the network, untouched: the trained network, with its proof against Keras
    at.switch_page("pages/unroll.py").run()
    assert at.select_slider(key="replay_slider").value == 3
    assert at.session_state["unroll_cache"][0][0] == id(run.network)
    assert [m for m in at.metric if m.label == "Keras predict"]

    at.switch_page("pages/results.py").run()
    at.select_slider(key="replay_slider").set_value(1).run()
    assert not at.exception
    first = replay.replay(run, 1)
    shown = _prediction_trace(at, "test")
    assert not np.allclose(shown, last)
    np.testing.assert_allclose(shown, run.original(first.pred_test), rtol=1e-9)
    assert _epoch_marked(at) == 1
    errors = at.dataframe[0].value
    assert errors["RMSE (scaled)"][1] == pytest.approx(first.metrics["test_rmse"])
    assert errors["RMSE (scaled)"][1] != pytest.approx(run.metrics["test_rmse"])
    assert any(i.startswith("Epoch 1 of 3") for i in texts(at.info))
    assert "after epoch 1" in chart_title(at.get("plotly_chart")[0])

    # Inside the network keeps the epoch and runs its weights
    at.switch_page("pages/unroll.py").run()
    assert not at.exception
    assert at.select_slider(key="replay_slider").value == 1
    assert any("weights after epoch 1 of 3" in c for c in texts(at.caption))
    net = replay.network_at(run, 1)
    assert at.session_state["unroll_cache"][0][0] == id(net)
    assert at.session_state["memory_cache"][0][0] == id(net)
    assert any("proof is shown for the trained network" in c for c in texts(at.caption))
    assert not [m for m in at.metric if m.label == "Keras predict"]
    at.select_slider(key="replay_slider").set_value(2).run()
    assert at.session_state["unroll_cache"][0][0] == id(replay.network_at(run, 2))
    at.switch_page("pages/results.py").run()  # and back: the epoch moved on Inside
    assert at.select_slider(key="replay_slider").value == 2 and _epoch_marked(at) == 2


def test_play_steps_through_the_epochs_and_stops_at_the_last(trained_app):
    at = trained_app.switch_page("pages/results.py").run()
    at.select_slider(key="replay_slider").set_value(3).run()
    at.toggle(key="replay_play").set_value(True).run()  # from the last: back to the first
    assert not at.exception
    assert at.select_slider(key="replay_slider").value == 1
    frames = []
    for _ in range(2):  # what Play's timer does every second
        at.session_state["replay_due"] = True
        at.run()
        frames.append((at.select_slider(key="replay_slider").value, _epoch_marked(at),
                       at.toggle(key="replay_play").value))
    assert frames == [(2, 2, True), (3, 3, False)]


def test_a_new_run_starts_at_its_last_epoch(trained_app):
    at = trained_app.switch_page("pages/results.py").run()
    at.select_slider(key="replay_slider").set_value(1).run()
    older = at.session_state["run"]
    assert older.snapshots is not None
    at = train(at, epochs=2)
    at.switch_page("pages/results.py").run()
    assert at.select_slider(key="replay_slider").value == 2
    assert _epoch_marked(at) == 2
    # only the latest run is replayed: the older one let go of its snapshots
    assert older.snapshots is None and at.session_state["run"].snapshots.epochs == (1, 2)


def test_a_large_run_replays_the_epochs_it_kept_and_says_which(app, monkeypatch):
    from rnn_core.architecture import architecture

    at = apply_preset(app(), "t1-sunspots")
    from rnn_core.run import prepare

    config = at.session_state["config"]
    windows = prepare(config).windows
    params = sum(s.params for s in architecture(config, windows.steps, windows.n_features))
    # room for one float32 epoch besides the last (the suite trains in this process)
    monkeypatch.setattr(replay, "MAX_SNAPSHOT_BYTES", 4 * params)
    at = train(at, epochs=4)
    at.switch_page("pages/results.py").run()
    assert not at.exception
    slider = at.select_slider(key="replay_slider")
    assert list(slider.options) == ["1", "4"] and slider.value == 4
    assert any(c.startswith("2 of the 4 epochs are kept") and c.endswith("epochs 1, 4.")
               for c in texts(at.caption))
