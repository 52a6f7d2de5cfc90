"""Inside the network, memory sections: what a user reads equals rnn_core.memory recomputed
for the same network and window (an untrained and a trained LSTM on air passengers)."""

import re

import numpy as np
import pytest

from rnn_core import memory, memory_summary
from rnn_core.forward import Network
from rnn_core.model import build
from rnn_core.training import input_gradients
from rnn_core.windows import parse_window
from tests.app.helpers import chart_title, chart_traces, train


def knob(at, name: str):
    """The knob of the setting ``name`` (keyed ``field:<name>``, with or without the setup's
    generation after an ``@``)."""
    (found,) = [w for w in [*at.number_input, *at.selectbox]
                if (w.key or "") == f"field:{name}" or (w.key or "").startswith(f"field:{name}@")]
    return found


def lstm_on_airpassengers(app):
    at = app({"dataset": "airpassengers"})  # a link of settings: the defaults, T = 12
    at.switch_page("pages/train.py").run()
    knob(at, "cell").set_value("lstm").run()
    knob(at, "units").set_value(4).run()
    return at


def open_unroll(at):
    at = at.switch_page("pages/unroll.py").run()
    assert not at.exception
    return at


def texts(at) -> list[str]:
    """The page's markdown as the user reads it (the escaped underscores unescaped)."""
    return [m.value.replace("\\_", "_") for m in at.markdown]


def chart(at, title_part: str):
    found = [c for c in at.get("plotly_chart") if title_part in chart_title(c)]
    assert len(found) == 1, [chart_title(c) for c in at.get("plotly_chart")]
    return chart_traces(found[0])


def check_memory_sections(at, model, prepared, window):
    """The bars, the mean line, the sentence, the lag chart and the paragraph of the page
    against ``memory.gradients`` and ``mean_profile`` recomputed here."""
    g = memory.gradients(model, window)
    mean = memory_summary.mean_profile(model, prepared.windows.x_test)
    assert not mean.capped and mean.total == len(prepared.windows.x_test)

    bars, line = chart(at, "How much each input step moves the prediction")
    np.testing.assert_allclose(bars["y"], g.sensitivity(0), rtol=1e-9)
    np.testing.assert_allclose([float(v) for v in bars["customdata"]], g.d_output[0, :, 0],
                               rtol=1e-3, atol=1e-12)  # signed, on hover
    np.testing.assert_allclose(line["y"], mean.profiles[0], rtol=1e-9)

    sentence = next(t for t in texts(at) if "of the mean sensitivity" in t)
    assert sentence == memory_summary.sensitivity_sentence(g, mean)
    shown = [int(n or 1) for n in re.findall(r"the last (?:(\d+)|step)", sentence)]
    assert shown == [memory.effective_memory(mean.profiles[0], 0.9),
                     memory.effective_memory(g.sensitivity(0), 0.9)]
    assert f"Over the {len(prepared.windows.x_test)} test windows" in sentence

    (layer,) = g.layers
    traces = chart(at, f"{layer.name} (LSTM): σ_max = {layer.sigma_max:.3g}")
    by_name = {tr["name"].split(":")[0]: tr for tr in traces if tr.get("showlegend") is not False}
    np.testing.assert_allclose(by_name["‖∂h_T/∂x_t‖"]["y"], layer.d_state_norm, rtol=1e-9)
    np.testing.assert_allclose(by_name["‖∂h_T/∂h_t‖"]["y"], layer.d_state_state_norm, rtol=1e-9)
    np.testing.assert_allclose(by_name["‖∂c_T/∂c_t‖"]["y"], layer.d_cell_cell_norm, rtol=1e-9)
    bound = next(tr for tr in traces if tr["name"].startswith("(γ·σ_max)^(T−t)"))
    np.testing.assert_allclose(bound["y"], layer.bound, rtol=1e-9)
    assert "only for SimpleRNN" in bound["name"]

    paragraph = next(t for t in texts(at) if t.startswith(f"{layer.name} (LSTM"))
    assert paragraph == memory_summary.forgetting_paragraph(layer)
    assert f"to {layer.d_state_state_norm[0]:.3g} at t = 1" in paragraph
    assert f"σ_max = {layer.sigma_max:.3g}" in paragraph
    assert any("true upper bound of ‖∂h_T/∂h_t‖ only for a SimpleRNN" in c.value
               for c in at.caption)
    return g


def test_untrained_lstm_typed_window(app):
    at = open_unroll(lstm_on_airpassengers(app))
    assert at.radio(key="unroll_model_choice").value == "untrained (random weights)"
    model, prepared = at.session_state["unroll_untrained"][1]
    # the untrained network runs in numpy here, with the weights Keras draws for the seed
    assert isinstance(model, Network)
    keras_model = build(model.config, 12, 1)
    for got, want in zip(model.get_weights(), keras_model.get_weights()):
        np.testing.assert_array_equal(got, want)
    window = parse_window(at.text_input(key="unroll_text").value, 12, 1)
    g = check_memory_sections(at, model, prepared, window)
    # its autodiff is computed on demand in a worker, like a trained network's
    assert not [c for c in at.caption if "computed on demand in a worker" in c.value]
    at.button(key="autodiff_check").click().run()
    job = at.session_state["autodiff_job"][1]
    assert job.finished and job.result.shape == (1, *g.d_output.shape)
    np.testing.assert_allclose(job.result, input_gradients(keras_model, window[None]), atol=1e-7)
    [proof] = [c.value for c in at.caption if "computed on demand in a worker" in c.value]
    gap = float(re.search(r"is (\S+) of the largest", proof).group(1))
    assert ", this window:" in proof and gap < 1e-4
    assert gap == float(f"{np.abs(job.result[0] - g.d_output).max() / np.abs(job.result[0]).max():.2g}")


def test_trained_lstm_test_windows_and_the_cache(app):
    at = open_unroll(train(lstm_on_airpassengers(app), epochs=1))
    assert at.radio(key="unroll_model_choice").value == "trained (last run)"
    run = at.session_state["run"]
    check_memory_sections(at, run.network, run.prepared, run.prepared.windows.x_test[0])
    # the proof: by hand against TensorFlow's autodiff, kept by the training for test window 0
    [proof] = [c.value for c in at.caption if c.value.startswith("By hand (numpy, from the weights)")]
    rel = float(re.search(r"test window 0: the largest difference of ∂ŷ/∂x_t is (\S+) of", proof)[1])
    by_hand = memory.gradients(run.network, run.prepared.windows.x_test[0]).d_output
    truth = run.autodiff_test[0]
    assert rel == pytest.approx(np.abs(by_hand - truth).max() / np.abs(truth).max(), rel=0.05)
    assert rel < 1e-4
    held = at.session_state["memory_cache"][1]["mean"]
    at.number_input(key="unroll_index").set_value(5).run()
    assert not at.exception
    assert at.session_state["memory_cache"][1]["mean"] is held  # not recomputed for a new window
    check_memory_sections(at, run.network, run.prepared, run.prepared.windows.x_test[5])
    # beyond the windows the training kept gradients for: computed on demand in a worker
    at.number_input(key="unroll_index").set_value(10).run()
    g = memory.gradients(run.network, run.prepared.windows.x_test[10])
    at.button(key="autodiff_check").click().run()
    job = at.session_state["autodiff_job"][1]
    assert job.finished and job.result.shape == (1, *g.d_output.shape)
    [proof] = [c.value for c in at.caption if "computed on demand in a worker" in c.value]
    gap = float(re.search(r"is (\S+) of the largest", proof).group(1))
    assert gap < 1e-4
    assert gap == float(f"{np.abs(job.result[0] - g.d_output).max() / np.abs(job.result[0]).max():.2g}")
