"""rnn_core.whatif: a nudge δ at step t, run again through the numpy network, against Keras'
own predictions and the linear prediction of rnn_core.memory; its figure and its sentence.
Kept cheap: tiny numpy networks, one small uncompiled Keras model."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core import memory_figures, whatif
from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.forward import Network
from rnn_core.memory import gradients
from rnn_core.unroll import unroll
from tests.core.test_memory import _random_network, make_model


def _stacked(cell: str, seed: int, horizon: int = 1) -> Network:
    """Two recurrent layers (3 units) and a Dense head of ``horizon`` outputs, random weights."""
    from rnn_core.architecture import architecture

    config = RunConfig(cell=cell, units=3, layers=2, horizon=horizon, time_steps=5)
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 0.7, shape) for spec in architecture(config, 5, 2)
              for shape in spec.shapes]
    return Network(config, arrays, steps=5, features=2)


@settings(max_examples=30, deadline=None)
@given(cell=st.sampled_from(["simplernn", "lstm", "gru"]), seed=st.integers(0, 2**16),
       t=st.integers(1, 5), feature=st.integers(0, 1),
       delta=st.floats(0.01, 1.5).flatmap(lambda d: st.sampled_from([d, -d])))
def test_delta_h_is_zero_before_t_and_moves_from_t_on(cell, seed, t, feature, delta):
    net = _stacked(cell, seed, horizon=2)
    window = np.random.default_rng(seed).uniform(0, 1, size=(5, 2))
    n = whatif.nudge(net, window, t, delta, feature)
    assert (n.t, n.delta, n.feature) == (t, delta, feature)
    assert len(n.delta_h) == 2 and all(d.shape == (5, 3) for d in n.delta_h)
    for d in n.delta_h:
        assert np.all(d[:t - 1] == 0.0)  # exactly: the steps before t read the same numbers
        assert np.all(np.any(d[t - 1:] != 0.0, axis=1))  # every step from t on moves
    # Δŷ is the difference of two unroll outputs; Δh of the two unrolls' states
    nudged = window.copy()
    nudged[t - 1, feature] += delta
    a, b = unroll(net, window), unroll(net, nudged)
    np.testing.assert_array_equal(n.delta_output, np.ravel(b.output) - np.ravel(a.output))
    for d, la, lb in zip(n.delta_h, a.layers, b.layers):
        np.testing.assert_array_equal(d, lb.h - la.h)
    np.testing.assert_array_equal(n.linear_output,
                                  delta * gradients(net, window).d_output[:, t - 1, feature])
    gap = np.linalg.norm(n.delta_output - n.linear_output)
    assert n.relative_difference == pytest.approx(gap / np.linalg.norm(n.delta_output))


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
def test_delta_output_equals_keras_predict_difference(kind):
    from rnn_core.model import keras_module

    keras = keras_module()
    c = dict(steps=6, features=1, layers=1, units=3, activation="tanh", gate_activation="sigmoid",
             use_bias=True, dense=[], outputs=2, output_activation="linear", seed=5)
    model = make_model(keras, kind, True, c)
    window = np.random.default_rng(1).uniform(0, 1, (6, 1)).astype("float32").astype(float)
    n = whatif.nudge(model, window, t=3, delta=0.25)
    nudged = window.copy()
    nudged[2, 0] += 0.25
    batch = np.stack([window, nudged]).astype("float32")
    before, after = model.predict(batch, verbose=0).astype(float)
    np.testing.assert_allclose(n.delta_output, after - before, atol=1e-5)
    np.testing.assert_allclose(n.output, before, atol=1e-5)
    assert np.all(n.delta_h[0][:2] == 0.0) and np.all(n.delta_h[0][2:] != 0.0)


@pytest.mark.parametrize("cell", ["simplernn", "lstm", "gru"])
def test_the_actual_change_approaches_the_linear_slope_as_delta_shrinks(cell):
    net = _random_network(cell, "tanh", units=4, steps=6, seed=3)
    window = np.random.default_rng(3).uniform(0, 1, (6, 1))
    errors = []
    for delta in (0.5, 1e-1, 1e-2, 1e-3, 1e-4):
        n = whatif.nudge(net, window, t=2, delta=delta)
        errors.append(abs(n.delta_output[0] / delta - n.slope[0]))
    scale = max(abs(n.slope[0]), 1e-3)
    assert errors[-1] < 1e-3 * scale
    assert errors[-1] < errors[2] < errors[0]  # first order: the gap shrinks with δ
    assert n.relative_difference < 1e-3


def test_the_doctest_network_is_linear_so_the_prediction_is_exact():
    config = RunConfig(cell="simplernn", units=2, activation="linear", time_steps=3)
    weights = [np.array([[1.0, 0.5]]), 0.5 * np.eye(2), np.zeros(2),
               np.array([[1.0], [1.0]]), np.zeros(1)]
    net = Network(config, weights, steps=3, features=1)
    for t in (1, 2, 3):
        n = whatif.nudge(net, [[1.0], [2.0], [3.0]], t=t, delta=-2.0)
        np.testing.assert_allclose(n.delta_output, n.linear_output, rtol=1e-12)
        assert n.delta_output[0] == pytest.approx(-2.0 * 1.5 * 0.5 ** (3 - t))


@pytest.mark.parametrize("kwargs, words", [
    (dict(t=0), "t=0: the window has 4 time steps; use a whole number from 1 to 4."),
    (dict(t=5), "t=5: the window has 4 time steps"),
    (dict(t=2.0), "t=2.0: "),
    (dict(t=True), "t=True: "),
    (dict(feature=1), "feature=1: the window has 1 feature (0-based); use a whole number from 0 "
                      "to 0."),
    (dict(feature=-1), "feature=-1: "),
    (dict(delta=float("nan")), "delta=nan: the nudge must be a finite number"),
    (dict(delta=math.inf), "delta=inf: "),
    (dict(delta="0.1"), "delta='0.1': "),
    (dict(delta=None), "delta=None: "),
])
def test_refuses_bad_arguments_naming_the_value(kwargs, words):
    net = _random_network("gru", "tanh", units=2, steps=4, seed=0)
    args = dict(t=2, delta=0.1) | kwargs
    with pytest.raises(RnnExplorerError) as err:
        whatif.nudge(net, np.zeros((4, 1)), **args)
    assert str(err.value).startswith(words)
    assert err.value.field == next(iter(kwargs))


def test_refuses_a_wrong_window_and_model_with_unrolls_message():
    net = _random_network("lstm", "tanh", units=2, steps=4, seed=0)
    with pytest.raises(RnnExplorerError, match=r"shape \(3, 1\).*\(4, 1\)"):
        whatif.nudge(net, np.zeros((3, 1)), t=1, delta=0.1)
    with pytest.raises(RnnExplorerError, match="got a str"):
        whatif.nudge("model", np.zeros((4, 1)), t=1, delta=0.1)


def _nudge(delta_output, linear_output, delta=0.1, t=2, features=1) -> whatif.Nudge:
    delta_output, linear_output = np.asarray(delta_output), np.asarray(linear_output)
    return whatif.Nudge(t=t, delta=delta, feature=0, window=np.zeros((4, features)),
                        layer_names=["lstm"], delta_h=[np.zeros((4, 2))],
                        output=np.zeros(len(delta_output)), nudged_output=delta_output,
                        slope=linear_output / delta if delta else 0 * linear_output)


@pytest.mark.parametrize("actual, linear, words", [
    ([0.1], [0.102], "differs from it by 2 % of the actual change: the linear view holds here."),
    ([0.1], [0.12], "by 20 % of the actual change: the linear view roughly holds."),
    ([0.1], [0.3], "by 200 % of the actual change: the linear view breaks"),
    ([0.0], [0.3], "but the network's output did not move at all: the linear view breaks."),
    ([0.1, 0.2], [0.1, 0.2], "changes the 2 predicted values by (+0.1, +0.2)"),
])
def test_sentence_states_the_numbers_and_the_verdict(actual, linear, words):
    text = whatif.sentence(_nudge(actual, linear))
    assert text.startswith("Nudging x_2 by δ = +0.1 changes the")
    assert words in text


def test_sentence_for_no_nudge_and_for_several_features():
    assert whatif.sentence(_nudge([0.0], [0.0], delta=0.0)).startswith("A nudge δ = 0 leaves")
    assert "Nudging x_3 (feature 1) by δ = -0.5" in whatif.sentence(
        _nudge([0.1], [0.1], delta=-0.5, t=3, features=2))


def test_nudge_figure_is_zero_before_t_and_centred_on_zero():
    net = _stacked("lstm", seed=2)
    n = whatif.nudge(net, np.random.default_rng(2).uniform(0, 1, (5, 2)), t=3, delta=-0.4)
    fig = memory_figures.nudge_figure(n.delta_h, n.layer_names, n.t, n.delta)
    assert [tr.name for tr in fig.data] == n.layer_names
    top = max(np.abs(d).max() for d in n.delta_h)
    for tr, d in zip(fig.data, n.delta_h):
        z = np.asarray(tr.z)
        np.testing.assert_array_equal(z, d.T)  # units × time
        assert np.all(z[:, :2] == 0) and (tr.zmid, tr.zmin, tr.zmax) == (0, -top, top)
        assert "Δh = %{z:+.4g}" in tr.hovertemplate
    assert fig.layout.title.text == "Δh after nudging x_3 by δ = -0.4: units × time"
    assert [s.x0 for s in fig.layout.shapes] == [2.5, 2.5]
    flat = memory_figures.nudge_figure([np.zeros((3, 2))], ["gru"], 1, 0.0)  # δ = 0: no crash
    assert flat.data[0].zmax == 1.0
