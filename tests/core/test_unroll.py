"""rnn_core.unroll against Keras: the numpy recurrence must give Keras' numbers to 1e-5.

Keras is the reference here: each random config is built as a real Keras model, its weights
are randomised (biases too), and ``unroll`` must match ``model(x)`` and, layer by layer, the
hidden states Keras returns with ``return_sequences=True`` (and the LSTM's final cell state).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.model import build, keras_module
from rnn_core.equations import head_equation, step_equation
from rnn_core.unroll import GATES, unroll

TOL = dict(rtol=1e-5, atol=1e-5)
KINDS = ("SimpleRNN", "LSTM", "GRU")
ACTS = ("tanh", "relu", "sigmoid", "linear")


@pytest.fixture(scope="module")
def keras():
    return keras_module()


def randomise(model, seed: int, scale: float = 0.5) -> None:
    """Replace every weight (biases included) with N(0, scale²) draws, so nothing is zero."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        layer.set_weights([rng.normal(0, scale, w.shape).astype("float32")
                           for w in layer.get_weights()])


def keras_sequences(keras, model, window):
    """Each recurrent layer's input and full h sequence (and final c for LSTM), from Keras."""
    out = []
    x = window[None].astype("float32")
    for layer in model.layers:
        kind = type(layer).__name__
        if kind not in KINDS:
            continue
        config = layer.get_config() | {"return_sequences": True, "return_state": True}
        twin = type(layer).from_config(config)
        twin.build(x.shape)
        twin.set_weights(layer.get_weights())
        seq, *states = twin(x)
        seq = np.asarray(seq)
        c_last = np.asarray(states[1])[0] if kind == "LSTM" else None
        out.append((x[0], seq[0], c_last))
        x = seq
    return out


def configs():
    return st.fixed_dictionaries({
        "kind": st.sampled_from(KINDS),
        "n_layers": st.integers(1, 3),
        "units": st.integers(1, 4),
        "features": st.integers(1, 5),
        "steps": st.integers(1, 6),
        "activation": st.sampled_from(ACTS),
        "recurrent_activation": st.sampled_from(("sigmoid", "hard_sigmoid")),
        "use_bias": st.booleans(),
        "reset_after": st.booleans(),
        "dense": st.lists(st.tuples(st.integers(1, 3), st.sampled_from(ACTS)), max_size=2),
        "n_outputs": st.integers(1, 2),
        "input_style": st.sampled_from(("Input", "input_shape")),
        "keras_unroll": st.booleans(),
        "seed": st.integers(0, 2**16),
    })


def make_model(keras, c):
    cls = getattr(keras.layers, c["kind"])
    layers = []
    if c["input_style"] == "Input":
        layers.append(keras.Input(shape=(c["steps"], c["features"])))
    for i in range(c["n_layers"]):
        kwargs = dict(activation=c["activation"], use_bias=c["use_bias"],
                      return_sequences=i < c["n_layers"] - 1, unroll=c["keras_unroll"])
        if c["kind"] != "SimpleRNN":
            kwargs["recurrent_activation"] = c["recurrent_activation"]
        if c["kind"] == "GRU":
            kwargs["reset_after"] = c["reset_after"]
        if i == 0 and c["input_style"] == "input_shape":
            kwargs["input_shape"] = (c["steps"], c["features"])
        layers.append(cls(c["units"], **kwargs))
    for units, act in c["dense"]:
        layers.append(keras.layers.Dense(units, activation=act))
    layers.append(keras.layers.Dense(c["n_outputs"]))
    model = keras.Sequential(layers)
    randomise(model, c["seed"])
    return model


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")
@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(c=configs())
def test_unroll_matches_keras(keras, c):
    model = make_model(keras, c)
    window = np.random.default_rng(c["seed"] + 1).normal(0, 1, (c["steps"], c["features"]))
    result = unroll(model, window)

    expected = np.asarray(model(window[None].astype("float32"), training=False))[0]
    assert result.output.shape == (c["n_outputs"],)
    np.testing.assert_allclose(result.output, expected, **TOL)
    assert len(result.dense_outputs) == len(c["dense"]) + 1
    np.testing.assert_allclose(result.dense_outputs[-1], result.output)

    assert len(result.layers) == c["n_layers"]
    for trace, (x, h, c_last) in zip(result.layers, keras_sequences(keras, model, window)):
        assert trace.kind == c["kind"]
        assert trace.h.shape == (c["steps"], c["units"])
        np.testing.assert_allclose(trace.x, x, **TOL)
        np.testing.assert_allclose(trace.h, h, **TOL)
        assert set(trace.gates) == set(GATES[c["kind"]])
        for gate in trace.gates.values():
            assert gate.shape == (c["steps"], c["units"])
        if c["kind"] == "LSTM":
            np.testing.assert_allclose(trace.c[-1], c_last, **TOL)
        else:
            assert trace.c is None
        # every step can be written out
        assert step_equation(trace, c["steps"])
    assert head_equation(result)


@settings(max_examples=20, deadline=None, derandomize=True)
@given(kind=st.sampled_from(KINDS), reset_after=st.booleans(), steps=st.integers(1, 5),
       seed=st.integers(0, 2**16))
def test_gates_recombine_into_states(keras, kind, reset_after, steps, seed):
    """The stored gates are the ones that made h (and c): the state update holds exactly."""
    from rnn_core.unroll import split_weights, unroll_layer

    rng = np.random.default_rng(seed)
    units, features = 3, 2
    n = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}[kind]
    bias_shape = (2, n * units) if kind == "GRU" and reset_after else (n * units,)
    arrays = [rng.normal(size=(features, n * units)), rng.normal(size=(units, n * units)),
              rng.normal(size=bias_shape)]
    trace = unroll_layer(kind, split_weights(kind, arrays, reset_after),
                         rng.normal(size=(steps, features)), reset_after=reset_after)
    h_prev = np.vstack([np.zeros(units), trace.h[:-1]])
    g = trace.gates
    if kind == "SimpleRNN":
        np.testing.assert_allclose(trace.h, np.tanh(g["pre_activation"]))
    elif kind == "LSTM":
        c_prev = np.vstack([np.zeros(units), trace.c[:-1]])
        np.testing.assert_allclose(trace.c, g["forget"] * c_prev + g["input"] * g["candidate"])
        np.testing.assert_allclose(trace.h, g["output"] * np.tanh(trace.c))
    else:
        np.testing.assert_allclose(trace.h, g["update"] * h_prev + (1 - g["update"]) * g["candidate"])


@pytest.mark.parametrize("cell", ["simplernn", "lstm", "gru"])
def test_models_built_by_rnn_core(keras, cell):
    """Two stacked layers and a Dense hidden layer, as the app builds them, via predict."""
    config = RunConfig(cell=cell, units=5, layers=2, dense_units=3, time_steps=7)
    model = build(config, steps=7, n_features=1)
    randomise(model, seed=3)
    window = np.linspace(-1, 1, 7).reshape(7, 1)
    result = unroll(model, window)
    expected = model.predict(window[None], verbose=0)[0]
    np.testing.assert_allclose(result.output, expected, **TOL)
    assert [t.name for t in result.layers] == [f"{cell}_1", f"{cell}_2"]
    assert [d.name for d in result.dense] == ["dense_hidden", "output"]


def test_tutorial_t1_by_hand(keras):
    """T1: SimpleRNN(2, linear) -> Dense(1, linear) over x = 1, 2, 3, checked by hand."""
    config = RunConfig(cell="simplernn", units=2, activation="linear", output_activation="linear")
    model = build(config, steps=3, n_features=1)
    rnn, out = model.layers
    W_x, W_h, _ = rnn.get_weights()
    b_h = np.array([0.1, -0.2], dtype="float32")
    rnn.set_weights([W_x, W_h, b_h])
    W_y, _ = out.get_weights()
    b_y = np.array([0.3], dtype="float32")
    out.set_weights([W_y, b_y])

    x = np.array([[1.0], [2.0], [3.0]])
    h1 = x[0] @ W_x + np.zeros(2) @ W_h + b_h
    h2 = x[1] @ W_x + h1 @ W_h + b_h
    h3 = x[2] @ W_x + h2 @ W_h + b_h
    o3 = h3 @ W_y + b_y

    result = unroll(model, x)
    np.testing.assert_allclose(result.layers[0].h, np.vstack([h1, h2, h3]), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(result.output, o3, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(result.output, model.predict(x[None], verbose=0)[0], **TOL)
    np.testing.assert_allclose(result.dense[0].x, h3, rtol=1e-6, atol=1e-6)

    lines = step_equation(result.layers[0], 2)
    assert lines[0].startswith("x_2 = [2], h_1 = [")
    assert lines[1].startswith("h_2 = x_2·W_x + h_1·W_h + b = [")
    assert head_equation(result)[0].startswith("y = h_3·W + b = [")


def test_step_equation_lines(keras):
    model = keras.Sequential([keras.Input((4, 1)), keras.layers.GRU(2, reset_after=False),
                              keras.layers.Dense(1)])
    randomise(model, 1)
    trace = unroll(model, np.ones((4, 1))).layers[0]
    lines = step_equation(trace, 1)
    assert lines[0] == "x_1 = [1], h_0 = [0, 0]"
    assert [line.split(" ")[0] for line in lines[1:]] == ["z_1", "r_1", "ĥ_1", "h_1"]
    assert "(r_1 * h_0)·W_h_candidate" in lines[3]
    assert "sigmoid(" in lines[1] and "tanh(" in lines[3]
    with pytest.raises(RnnExplorerError, match="use 1 to 4"):
        step_equation(trace, 5)
    with pytest.raises(RnnExplorerError, match="use 1 to 4"):
        step_equation(trace, 0)

    lstm = keras.Sequential([keras.Input((3, 2)), keras.layers.LSTM(20), keras.layers.Dense(1)])
    trace = unroll(lstm, np.ones((3, 2))).layers[0]
    lines = step_equation(trace, 3)
    assert [line.split(" ")[0] for line in lines[1:]] == ["f_3", "i_3", "ĉ_3", "o_3", "c_3", "h_3"]
    assert lines[-1].endswith("(20 values)")
    assert "…" not in "".join(step_equation(trace, 3, max_values=None))


def test_weights_are_named_per_gate(keras):
    model = keras.Sequential([keras.Input((2, 3)), keras.layers.LSTM(4), keras.layers.Dense(1)])
    trace = unroll(model, np.zeros((2, 3))).layers[0]
    kernel, recurrent, bias = model.layers[0].get_weights()
    # Keras' columns are [input, forget, candidate, output]
    np.testing.assert_array_equal(trace.weights["W_x_forget"], kernel[:, 4:8])
    np.testing.assert_array_equal(trace.weights["W_h_output"], recurrent[:, 12:16])
    np.testing.assert_array_equal(trace.weights["b_forget"], np.ones(4))  # unit_forget_bias
    gru = keras.Sequential([keras.Input((2, 3)), keras.layers.GRU(4), keras.layers.Dense(1)])
    names = set(unroll(gru, np.zeros((2, 3))).layers[0].weights)
    assert {"W_x_update", "W_h_reset", "b_x_candidate", "b_h_candidate"} <= names
    rnn = keras.Sequential([keras.Input((2, 3)), keras.layers.SimpleRNN(4, use_bias=False)])
    assert set(unroll(rnn, np.zeros((2, 3))).layers[0].weights) == {"W_x", "W_h"}


def test_flatten_and_dropout_are_followed(keras):
    model = keras.Sequential([keras.Input((3, 1)), keras.layers.SimpleRNN(2, return_sequences=True),
                              keras.layers.Dropout(0.5), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    randomise(model, 2)
    window = np.array([[0.5], [-1.0], [2.0]])
    np.testing.assert_allclose(unroll(model, window).output,
                               np.asarray(model(window[None], training=False))[0], **TOL)


# --- errors ---------------------------------------------------------------------------------

def small_model(keras, steps=3, features=2):
    return keras.Sequential([keras.Input((steps, features)), keras.layers.SimpleRNN(2),
                             keras.layers.Dense(1)])


@pytest.mark.parametrize("shape, hint", [
    ((3, 1), r"got|has shape \(3, 1\)"),
    ((4, 2), r"\(4, 2\).*\(3, 2\)"),
    ((1, 3, 2), "not a batch"),
    ((6,), r"\(6,\)"),
    ((0, 2), r"\(0, 2\)"),
])
def test_wrong_window_shape(keras, shape, hint):
    with pytest.raises(RnnExplorerError, match=hint) as err:
        unroll(small_model(keras), np.zeros(shape))
    assert "(time steps, features) = (3, 2)" in str(err.value)


def test_window_with_nan(keras):
    with pytest.raises(RnnExplorerError, match="NaN"):
        unroll(small_model(keras), np.full((3, 2), np.nan))


def test_any_length_when_the_model_allows_it(keras):
    model = keras.Sequential([keras.Input((None, 1)), keras.layers.LSTM(2), keras.layers.Dense(1)])
    assert unroll(model, np.zeros((9, 1))).layers[0].h.shape == (9, 2)
    with pytest.raises(RnnExplorerError, match=r"\(T, 1\)"):
        unroll(model, np.zeros((9, 2)))


@pytest.mark.parametrize("make, message", [
    (lambda k: [k.layers.Bidirectional(k.layers.LSTM(2))], "is a Bidirectional"),
    (lambda k: [k.layers.Conv1D(2, 2), k.layers.GRU(2)], "is a Conv1D"),
    (lambda k: [k.layers.SimpleRNN(2, go_backwards=True)], "go_backwards=True"),
    (lambda k: [k.layers.GRU(2, return_sequences=True)], "return_sequences=False"),
    (lambda k: [k.layers.SimpleRNN(2, return_sequences=True), k.layers.Dense(1)],
     "return_sequences=False"),
    (lambda k: [k.layers.SimpleRNN(2, activation="gelu")], "activation 'gelu'"),
    (lambda k: [k.layers.Flatten()], "no recurrent layer"),
])
def test_unsupported_models(keras, make, message):
    model = keras.Sequential([keras.Input((3, 2)), *make(keras), keras.layers.Dense(1)])
    with pytest.raises(RnnExplorerError, match=message):
        unroll(model, np.zeros((3, 2)))


def test_stateful_and_unbuilt_and_functional(keras):
    stateful = keras.Sequential([keras.Input((3, 2), batch_size=1),
                                 keras.layers.LSTM(2, stateful=True), keras.layers.Dense(1)])
    with pytest.raises(RnnExplorerError, match="stateful=True"):
        unroll(stateful, np.zeros((3, 2)))
    unbuilt = keras.Sequential([keras.layers.SimpleRNN(2), keras.layers.Dense(1)])
    with pytest.raises(RnnExplorerError, match="no weights yet"):
        unroll(unbuilt, np.zeros((3, 2)))
    x = keras.Input((3, 2))
    functional = keras.Model(x, keras.layers.Dense(1)(keras.layers.SimpleRNN(2)(x)))
    with pytest.raises(RnnExplorerError, match="keras.Sequential"):
        unroll(functional, np.zeros((3, 2)))
