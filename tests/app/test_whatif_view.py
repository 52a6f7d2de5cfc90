"""Inside the network, "What if": the sentence, the metrics and the Δh heatmap a user reads
equal rnn_core.whatif recomputed for the same trained LSTM and window (air passengers)."""

import re

import numpy as np

from rnn_core import whatif
from tests.app.helpers import train
from tests.app.test_memory_view import chart, lstm_on_airpassengers, open_unroll, texts


def test_nudge_at_step_3_on_a_trained_lstm(app):
    at = open_unroll(train(lstm_on_airpassengers(app), epochs=1))
    at.slider(key="whatif_t").set_value(3).run()
    at.number_input(key="whatif_delta").set_value(0.5).run()
    assert not at.exception
    run = at.session_state["run"]
    n = whatif.nudge(run.network, run.prepared.windows.x_test[0], t=3, delta=0.5)

    sentence = next(t for t in texts(at) if t.startswith("Nudging x_3 by δ = +0.5"))
    assert sentence == whatif.sentence(n)
    actual, linear, pct = re.search(
        r"changes the prediction by (\S+) \(.*δ·∂ŷ/∂x_3 = (\S+) differs from it by (\S+) %",
        sentence).groups()
    assert float(actual) == float(f"{n.delta_output[0]:.4g}") != 0
    assert float(linear) == float(f"{n.linear_output[0]:.4g}")
    assert pct + " %" == whatif.percent(n.relative_difference)
    shown = {m.label: m.value for m in at.metric}
    assert shown["Actual Δŷ (network run again)"] == f"{n.delta_output[0]:+.6g}"
    assert shown["Linear δ·∂ŷ/∂x_3"] == f"{n.linear_output[0]:+.6g}"

    (heat,) = chart(at, "Δh after nudging x_3 by δ = +0.5")
    z = np.asarray(heat["z"], dtype=float).reshape(n.delta_h[0].T.shape)  # units × time
    np.testing.assert_allclose(z, n.delta_h[0].T, rtol=1e-9, atol=1e-15)
    assert np.all(z[:, :2] == 0) and np.all(np.any(z[:, 2:] != 0, axis=0))
    assert heat["zmid"] == 0 and heat["zmin"] == -heat["zmax"]
