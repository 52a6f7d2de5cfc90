"""Inside the network, the path of the state: the chart and the sentence equal
rnn_core.state_path recomputed for the same trained LSTM (air passengers) and window."""

import re

import numpy as np

from rnn_core import state_path, unroll
from tests.app.helpers import chart_title, chart_traces, train
from tests.app.test_memory_view import lstm_on_airpassengers, open_unroll


def path_chart(at):
    (found,) = [c for c in at.get("plotly_chart") if "in the plane of" in chart_title(c)]
    return {tr["name"]: tr for tr in chart_traces(found)}


def test_trained_lstm_path_equals_the_projection_recomputed(app):
    at = open_unroll(train(lstm_on_airpassengers(app), epochs=1))
    run = at.session_state["run"]
    model, w = run.network, run.prepared.windows
    plane = state_path.plane_of(model, w.x_train, 0)
    assert plane.windows_used == plane.windows_total == len(w.x_train)

    def check(window, t):
        traces = path_chart(at)
        path = state_path.project(plane, unroll.unroll(model, window).layers[0].h)
        drawn = traces["this window: h_1 … h_T"]
        np.testing.assert_allclose(np.column_stack([drawn["x"], drawn["y"]]), path, rtol=1e-9)
        assert list(drawn["customdata"]) == list(range(1, len(window) + 1))
        ring = traces[f"step t = {t}"]
        np.testing.assert_allclose([ring["x"][0], ring["y"][0]], path[t - 1], rtol=1e-9)
        finals = traces["h_T of every window"]
        h_t = unroll.final_states(model, np.concatenate([w.x_train, w.x_test]))[0]
        np.testing.assert_allclose(np.column_stack([finals["x"], finals["y"]]),
                                   state_path.project(plane, h_t), rtol=1e-9)
        np.testing.assert_allclose(finals["marker"]["color"],
                                   np.concatenate([w.y_train, w.y_test]).ravel(), rtol=1e-9)

    check(w.x_test[0], 1)
    (sentence,) = [m.value for m in at.markdown if m.value.startswith("The two components")]
    assert sentence == state_path.variance_sentence(plane)
    total, first, second = (float(v) for v in re.findall(r"([\d.]+) %", sentence))
    np.testing.assert_allclose([first, second], 100 * plane.explained, atol=0.05)
    assert abs(total - (first + second)) <= 0.1
    assert f"all {len(w.x_train)} training windows" in sentence

    held = at.session_state["state_path_cache"][1][0]
    at.number_input(key="unroll_index").set_value(5).run()
    at.button(key="unroll_next").click().run()
    at.button(key="unroll_next").click().run()
    assert not at.exception
    assert at.session_state["state_path_cache"][1][0] is held  # one plane per model and data
    check(w.x_test[5], 3)
