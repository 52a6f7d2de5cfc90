"""The memory figures and sentences (rnn_core.memory_figures, rnn_core.memory_summary)."""

import re

import numpy as np
import pytest

from rnn_core import memory_figures, memory_summary
from rnn_core.config import RunConfig
from rnn_core.forward import Network
from rnn_core.memory import Gradients, LayerGradients, effective_memory, gradients


def layer(kind="SimpleRNN", x=(0.25, 0.5, 1.0), h=(0.25, 0.5, 1.0), c=None, sigma=0.5,
          gamma=1.0, name="rnn"):
    return LayerGradients(name=name, kind=kind, units=2, activation="tanh",
                          d_state_norm=np.array(x, float), d_state_state_norm=np.array(h, float),
                          d_cell_cell_norm=None if c is None else np.array(c, float),
                          sigma_max=sigma, gamma=gamma)


def grads(d_output):
    d = np.asarray(d_output, float)
    return Gradients(window=np.zeros(d.shape[1:]), output=np.zeros(d.shape[0]), d_output=d,
                     layers=[])


def tiny_lstm(steps=4, horizon=1):
    config = RunConfig(cell="lstm", units=2, horizon=horizon, time_steps=steps)
    rng = np.random.default_rng(1)
    shapes = [(1, 8), (2, 8), (8,), (2, horizon), (horizon,)]
    return Network(config, [rng.normal(size=s) for s in shapes], steps=steps, features=1)


# --- figures --------------------------------------------------------------------------------

def test_sensitivity_figure_bars_mean_and_memory_band():
    d = np.array([[0.1, -0.2], [-0.3, 0.4], [0.0, 1.0]])  # (T=3, 2 features)
    mean = np.array([0.2, 0.5, 0.9])
    fig = memory_figures.sensitivity_figure(d, mean, memory=2, mean_label="mean over 7")
    bars, line = fig.data
    np.testing.assert_allclose(bars.y, np.sqrt((d ** 2).sum(axis=1)))
    assert list(bars.x) == [1, 2, 3]
    assert bars.customdata[1] == "f1 -0.3, f2 +0.4"  # signed on hover
    assert bars.marker.colorscale[0][1] != bars.marker.colorscale[-1][1]  # sequential scale
    np.testing.assert_allclose(line.y, mean)
    assert line.name == "mean over 7"
    band = fig.layout.shapes[0]
    assert (band.x0, band.x1) == (1.5, 3.5)
    assert "last 2 steps: 90%" in fig.layout.annotations[0].text


def test_sensitivity_figure_one_feature_without_mean():
    fig = memory_figures.sensitivity_figure(np.array([[-0.5], [2.0]]))
    assert len(fig.data) == 1 and not fig.layout.shapes
    assert list(fig.data[0].customdata) == ["-0.5", "+2"]


def test_lag_figure_simple_rnn_is_one_log_panel_with_the_bound():
    lg = layer(x=(0.01, 0.1, 0.5), h=(0.04, 0.2, 1.0), sigma=0.8)
    fig = memory_figures.lag_figure(lg)
    x_norm, h_norm, bound = fig.data
    assert list(x_norm.x) == [2, 1, 0]  # T − t for t = 1..T
    np.testing.assert_allclose(x_norm.y, lg.d_state_norm)
    np.testing.assert_allclose(h_norm.y, lg.d_state_state_norm)
    np.testing.assert_allclose(bound.y, [0.64, 0.8, 1.0])
    assert "true bound" in bound.name and "0.8^(T−t)" in bound.name
    assert fig.layout.yaxis.type == "log"
    assert "σ_max = 0.8" in fig.layout.title.text
    lo, hi = fig.layout.yaxis.range
    assert lo < np.log10(0.01) and hi > 0


def test_lag_figure_lstm_has_the_cell_path_beside():
    lg = layer(kind="LSTM", c=(0.3, 0.6, 1.0), sigma=1.5)
    fig = memory_figures.lag_figure(lg)
    assert len(fig.data) == 5
    cell = next(tr for tr in fig.data if tr.name.startswith("‖∂c_T/∂c_t‖"))
    np.testing.assert_allclose(cell.y, lg.d_cell_cell_norm)
    assert cell.xaxis == "x2"
    bound = fig.data[2]
    assert "reference line" in bound.name and "only for SimpleRNN" in bound.name
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "log"


def test_lag_figure_survives_zeros_and_overflow():
    fig = memory_figures.lag_figure(layer(x=(0.0, 0.0, 0.0), h=(np.inf, 1.0, 1.0), sigma=1e300))
    assert fig.layout.yaxis.range is not None  # from the one positive finite value


# --- sentences ------------------------------------------------------------------------------

def test_sensitivity_sentence_states_both_memories():
    g = grads([[[0.0], [0.1], [0.1], [0.8]]])
    mean = memory_summary.MeanProfile(profiles=np.array([[0.2, 0.2, 0.3, 0.3]]),
                                      used=np.arange(5), total=5)
    text = memory_summary.sensitivity_sentence(g, mean)
    assert text.startswith("Over the 5 test windows, the last 4 of 4 steps carry 90%")
    assert text.endswith("for this window alone, the last 2.")
    assert effective_memory(mean.profiles[0], 0.9) == 4


def test_sensitivity_sentence_capped_zero_and_horizon():
    g = grads(np.zeros((2, 3, 1)))
    cap = memory_summary.MAX_PROFILE_WINDOWS
    mean = memory_summary.MeanProfile(profiles=np.ones((2, 3)), used=np.arange(cap), total=999)
    text = memory_summary.sensitivity_sentence(g, mean, output=1)
    assert f"Over {cap} of the 999 test windows (evenly spaced; at most {cap} are computed)" in text
    assert "of output 2 of 2" in text
    assert text.endswith("does not depend on the window at all (every ∂ŷ/∂x_t is 0).")
    inf = grads([[[np.inf], [1.0]]])
    assert "not finite" in memory_summary.sensitivity_sentence(inf, None)


@pytest.mark.parametrize("x, verdict", [
    ((0.001, 0.01, 0.5), "falls 500×, more than 10×, so the oldest steps hardly reach"),
    ((0.1, 0.2, 0.5), "falls 5×, less than 10×, so the oldest step still reaches h_T"),
    ((5.0, 2.0, 0.25), "grows 20× going back, more than 10×"),
    ((0.5, 0.4, 0.25), "does not fall: the oldest step pulls 2× as hard as the last"),
    ((0.0, 0.2, 0.5), "falls to 0"),
])
def test_forgetting_paragraph_says_how_much_the_pull_falls(x, verdict):
    text = memory_summary.forgetting_paragraph(layer(x=x))
    assert verdict in text
    assert f"goes from {x[-1]:.3g} at t = 3 to {x[0]:.3g} at t = 1" in text


def test_forgetting_paragraph_bound_for_simple_rnn_both_sides_of_one():
    below = memory_summary.forgetting_paragraph(layer(h=(0.01, 0.1, 1.0), sigma=0.5))
    assert "is 0.5, below 1, so the dashed bound (γ·σ_max)^(T−t) forces" in below
    assert "down to 0.25 or less at t = 1; the actual value is 25× below it." in below
    assert "(100× smaller; a factor 0.1 per step on average)" in below
    above = memory_summary.forgetting_paragraph(layer(h=(0.5, 0.7, 1.0), sigma=2.0))
    assert "is 2, 1 or more, so the dashed bound (γ·σ_max)^(T−t) allows 4 at t = 1" in above
    assert "the actual value is 8× below it" in above


def test_forgetting_paragraph_lstm_is_a_reference_and_has_the_cell_path():
    text = memory_summary.forgetting_paragraph(
        layer(kind="LSTM", h=(0.02, 0.2, 1.0), c=(0.2, 0.5, 1.0), sigma=1.1, name="lstm_1"))
    assert text.startswith("lstm_1 (LSTM, 2 units):")
    assert "for an LSTM the dashed line (γ·σ_max)^(T−t) is only a reference" in text
    assert "it sits at 1.21, and the actual value is 61× below it" in text
    assert "‖∂c_T/∂c_t‖, is 0.2 at t = 1, 10× the path through h" in text
    gru = memory_summary.forgetting_paragraph(layer(kind="GRU", sigma=1.0))
    assert "for a GRU the dashed line" in gru and "∂c_T" not in gru


def test_forgetting_paragraph_one_step_and_overflow():
    one = memory_summary.forgetting_paragraph(layer(x=(1.0,), h=(1.0,)))
    assert "single step" in one
    text = memory_summary.forgetting_paragraph(layer(x=(np.inf, 1.0, 1.0), h=(np.inf, 1, 1),
                                                     sigma=1e300))
    assert "overflows" in text and "infinite" in text


# --- the mean over windows ------------------------------------------------------------------

def test_spaced_keeps_first_and_last():
    idx = memory_summary.spaced(1000, 200)
    assert len(idx) == 200 and idx[0] == 0 and idx[-1] == 999
    assert np.all(np.diff(idx) > 0)


def test_mean_profile_is_the_mean_of_the_windows_sensitivities():
    net = tiny_lstm(horizon=2)
    windows = np.random.default_rng(2).uniform(size=(7, 4, 1))
    mean = memory_summary.mean_profile(net, windows, cap=3)
    assert list(mean.used) == [0, 3, 6] and mean.total == 7 and mean.capped
    want = np.mean([[gradients(net, windows[i]).sensitivity(k) for k in (0, 1)]
                    for i in (0, 3, 6)], axis=0)
    np.testing.assert_allclose(mean.profiles, want)
    assert mean.effective_memory(1) == effective_memory(want[1], 0.9)
    full = memory_summary.mean_profile(net, windows)
    assert not full.capped and len(full.used) == 7
    numbers = [int(n) for n in re.findall(r"last (\d+) of",
                                          memory_summary.sensitivity_sentence(
                                              gradients(net, windows[0]), full))]
    assert numbers == [effective_memory(full.profiles[0], 0.9)]


def test_sentences_for_one_step_and_a_flat_path():
    g = grads([[[0.0], [0.0], [1.0]]])
    assert "the last step of 3 carries 90%" in memory_summary.sensitivity_sentence(g, None)
    one = grads([[[2.0]]])
    assert "its one step carries 90%" in memory_summary.sensitivity_sentence(one, None)
    flat = memory_summary.forgetting_paragraph(layer(x=(0.994, 0.995, 0.994), h=(1.0, 1, 1)))
    assert "it stays about the same, so nothing is forgotten" in flat
    assert "(about unchanged;" in flat


def test_huge_ratios_are_written_with_an_exponent_not_thirty_digits():
    assert memory_summary._times(4.03e30) == "4e+30×"
    assert memory_summary._times(77_642) == "77,642×" and memory_summary._times(3.2) == "3.2×"
