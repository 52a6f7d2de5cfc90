"""rnn_core.memory against TensorFlow's GradientTape, and the memory command.

The reference: each random model is built as a plain Keras Sequential (not compiled), its
weights randomised (biases too), and TensorFlow differentiates it: the model's own layers and
cells (``layer.cell``) run step by step under one persistent tape give ∂ŷ/∂x, ∂h_T/∂x,
∂h_T/∂h_t (h_t the tensor the cell returned) and ∂c_T/∂c_t likewise; the hand-run cells are
checked to give the model's own prediction. Every array must agree to 1e-4 of its largest
value. Kept cheap (the suite's time budget): tiny models, two examples per cell and
activation, no compiled models, one TensorFlow import per worker.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.forward import Network
from rnn_core.activations import ACTIVATIONS, MAX_SLOPE, max_slope
from rnn_core.memory import effective_memory, gradients, lag_bound, sigma_max
from tests.core.conftest import cli_main

KINDS = ("SimpleRNN", "LSTM", "GRU")
# (Keras class, reset_after): every cell, the GRU both ways
CELLS = (("SimpleRNN", True), ("LSTM", True), ("GRU", True), ("GRU", False))
ACTIVATIONS_OFFERED = ("tanh", "relu", "sigmoid", "linear")  # config.Activation
DENSE_ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")  # config.DenseActivation
OUTPUT_ACTIVATIONS = ("linear", "tanh", "sigmoid")  # config.OutputActivation
RTOL = 1e-4


@pytest.fixture(scope="module")
def keras():
    from rnn_core.model import keras_module

    return keras_module()


def make_model(keras, kind: str, reset_after: bool, c: dict):
    """A plain Keras Sequential, as a user writes it in a notebook, with random weights."""
    layers = [keras.Input(shape=(c["steps"], c["features"]))]
    for i in range(c["layers"]):
        kwargs = dict(activation=c["activation"], use_bias=c["use_bias"],
                      return_sequences=i < c["layers"] - 1)
        if kind != "SimpleRNN":
            kwargs["recurrent_activation"] = c["gate_activation"]
        if kind == "GRU":
            kwargs["reset_after"] = reset_after
        layers.append(getattr(keras.layers, kind)(c["units"], **kwargs))
    for units, activation in c["dense"]:
        layers.append(keras.layers.Dense(units, activation=activation))
    layers.append(keras.layers.Dense(c["outputs"], activation=c["output_activation"]))
    model = keras.Sequential(layers)
    rng = np.random.default_rng(c["seed"])
    for layer in model.layers:
        layer.set_weights([rng.normal(0, 0.6, w.shape).astype("float32")
                           for w in layer.get_weights()])
    return model


def _jacobian(tape, target, sources):
    """rows[i][k] = ∂target_i / ∂sources[k] (batch axis dropped), one gradient call per row."""
    import tensorflow as tf

    n = target.shape[-1]
    rows = []
    for i in range(n):
        grads = tape.gradient(target, sources, output_gradients=tf.one_hot([i], n))
        rows.append([np.zeros(s.shape[1:]) if g is None else np.asarray(g, np.float64)[0]
                     for g, s in zip(grads, sources)])
    return rows


def tape_reference(model, window: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    """The model's prediction (H,), TensorFlow's d_output (H, T, F) and, per recurrent layer,
    the three norms."""
    import tensorflow as tf

    steps = window.shape[0]
    xs = [tf.constant(window[None, t], tf.float32) for t in range(steps)]  # x_t, (1, F) each
    recorded = []
    with tf.GradientTape(persistent=True) as tape:
        for x_t in xs:
            tape.watch(x_t)
        seq, value = xs, None
        for layer in model.layers:
            kind = type(layer).__name__
            if kind == "Flatten":  # (1, T, units) → (1, T·units): h_1, then h_2, …
                value = tf.concat(seq, axis=-1)
                continue
            if kind not in KINDS:
                value = layer(value)
                continue
            state = [tf.zeros((1, layer.units))] * (2 if kind == "LSTM" else 1)
            hs, cs = [], []
            for t in range(steps):
                h, state = layer.cell(seq[t], state, training=False)
                state = list(state) if isinstance(state, (list, tuple)) else [state]
                hs.append(h)
                cs.append(state[-1])
            recorded.append((kind, hs, cs))
            seq, value = hs, hs[-1]
    # the cells run by hand are the model: the same prediction as calling it
    prediction = np.asarray(model(window[None].astype("float32"), training=False))[0]
    np.testing.assert_allclose(np.asarray(value)[0], prediction, rtol=1e-5, atol=1e-5)
    d_output = np.stack([np.stack(row[:steps]) for row in _jacobian(tape, value, xs)])
    layers = []
    for kind, hs, cs in recorded:
        rows = _jacobian(tape, hs[-1], xs + hs)
        d_state = np.stack([np.stack(row[:steps]) for row in rows])  # (units, T, F)
        norm2 = (lambda k, rows=rows: np.linalg.norm(np.stack([row[k] for row in rows]), 2))
        entry = {"d_state_norm": np.sqrt((d_state ** 2).sum(axis=(0, 2))),
                 "d_state_state_norm": np.array([norm2(steps + t) for t in range(steps)])}
        if kind == "LSTM":
            rows_c = _jacobian(tape, cs[-1], cs)
            entry["d_cell_cell_norm"] = np.array(
                [np.linalg.norm(np.stack([row[t] for row in rows_c]), 2) for t in range(steps)])
        layers.append(entry)
    return prediction, d_output, layers


def assert_close(got: np.ndarray, expected: np.ndarray, what: str) -> float:
    """Equal to RTOL of the expected array's largest value; returns the relative difference."""
    assert got.shape == expected.shape, (what, got.shape, expected.shape)
    scale = float(np.max(np.abs(expected))) if expected.size else 0.0
    diff = float(np.max(np.abs(got - expected))) if expected.size else 0.0
    assert diff <= RTOL * max(scale, 1e-12), f"{what}: differs by {diff:.3g} (largest {scale:.3g})"
    return diff / scale if scale else 0.0


def structures():
    """Everything but the cell and the activation, which every test case fixes."""
    return st.fixed_dictionaries({
        "layers": st.integers(1, 3),
        "units": st.integers(1, 3),
        "features": st.integers(1, 5),
        "steps": st.integers(1, 4),
        "outputs": st.integers(1, 3),
        "use_bias": st.booleans(),
        "gate_activation": st.sampled_from(("sigmoid", "hard_sigmoid")),
        "dense": st.lists(st.tuples(st.integers(1, 3), st.sampled_from(DENSE_ACTIVATIONS)),
                          max_size=1),
        "output_activation": st.sampled_from(OUTPUT_ACTIVATIONS),
        "seed": st.integers(0, 2**16),
    })


# Every cell with every activation the config offers; hypothesis draws the rest: the first
# example is the smallest (one layer, one unit, one step), the second a random one.
@pytest.mark.parametrize("activation", ACTIVATIONS_OFFERED)
@pytest.mark.parametrize("kind,reset_after", CELLS, ids=["SimpleRNN", "LSTM", "GRU", "GRU-v1"])
@settings(max_examples=2, deadline=None)
@given(c=structures())
def test_gradients_match_gradient_tape(keras, kind, reset_after, activation, c):
    c = c | {"activation": activation}
    model = make_model(keras, kind, reset_after, c)
    window = np.random.default_rng(c["seed"] + 1).uniform(-1.5, 1.5, (c["steps"], c["features"]))
    prediction, d_output, layers = tape_reference(model, window)
    g = gradients(model, window)

    assert g.d_output.shape == (c["outputs"], c["steps"], c["features"])
    np.testing.assert_allclose(g.output, prediction, rtol=1e-5, atol=1e-5)
    assert_close(g.d_output, d_output, "d_output")
    assert len(g.layers) == c["layers"]
    for i, (ours, theirs) in enumerate(zip(g.layers, layers)):
        assert ours.kind == kind and ours.units == c["units"]
        for name, expected in theirs.items():
            assert_close(getattr(ours, name), expected, f"layer {i + 1} {name}")
        assert (ours.d_cell_cell_norm is None) == (kind != "LSTM")
        assert ours.d_state_state_norm[-1] == pytest.approx(1.0)  # ∂h_T/∂h_T = I


def test_flatten_and_no_dense_head(keras):
    """A Flatten over the last layer's whole sequence, and a model that ends with its
    recurrent layer (ŷ = h_T): both as the tape sees them."""
    k = keras
    flat = k.Sequential([k.Input((4, 2)), k.layers.GRU(3, return_sequences=True, reset_after=False),
                         k.layers.Flatten(), k.layers.Dense(2, activation="tanh")])
    bare = k.Sequential([k.Input((4, 2)), k.layers.LSTM(2)])
    rng = np.random.default_rng(5)
    window = rng.normal(size=(4, 2))
    for model in (flat, bare):
        for layer in model.layers:
            layer.set_weights([rng.normal(0, 0.7, w.shape).astype("float32")
                               for w in layer.get_weights()])
        _, d_output, layers = tape_reference(model, window)
        g = gradients(model, window)
        assert_close(g.d_output, d_output, "d_output")
        for name, expected in layers[0].items():
            assert_close(getattr(g.layers[0], name), expected, name)


@pytest.mark.parametrize("cell", ["simplernn", "lstm", "gru"])
def test_numpy_network_gives_what_the_keras_model_gives(keras, cell):
    """The run's numpy network (what the server holds) and the Keras model rnn_core builds,
    with the same weights: the same numbers (both are computed in float64 from them)."""
    from rnn_core.model import build

    config = RunConfig(cell=cell, units=3, layers=2, dense_units=2, horizon=2, time_steps=4)
    model = build(config, steps=4, n_features=2)
    rng = np.random.default_rng(11)
    model.set_weights([rng.normal(0, 0.8, w.shape).astype("float32") for w in model.get_weights()])
    network = Network(config, model.get_weights(), steps=4, features=2)
    window = rng.normal(size=(4, 2))
    a, b = gradients(model, window), gradients(network, window)
    np.testing.assert_allclose(a.output, b.output, rtol=1e-12)
    np.testing.assert_allclose(a.d_output, b.d_output, rtol=1e-12, atol=1e-15)
    for la, lb in zip(a.layers, b.layers):
        for name in ("d_state_norm", "d_state_state_norm", "d_cell_cell_norm"):
            if getattr(la, name) is None:
                assert getattr(lb, name) is None
            else:
                np.testing.assert_allclose(getattr(la, name), getattr(lb, name), rtol=1e-12)
        assert (la.sigma_max, la.gamma) == (lb.sigma_max, lb.gamma)


def _random_network(cell: str, activation: str, units: int, steps: int, seed: int) -> Network:
    from rnn_core.architecture import architecture

    config = RunConfig(cell=cell, units=units, activation=activation, time_steps=steps)
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(0, 0.7, shape) for spec in architecture(config, steps, 1)
              for shape in spec.shapes]
    return Network(config, arrays, steps=steps, features=1)


@settings(max_examples=25, deadline=None)
@given(activation=st.sampled_from(ACTIVATIONS_OFFERED), units=st.integers(1, 6),
       steps=st.integers(1, 12), seed=st.integers(0, 2**16))
def test_simple_rnn_stays_under_its_bound(activation, units, steps, seed):
    """‖∂h_T/∂h_t‖ ≤ (γ·σ_max)^(T−t) for a SimpleRNN: each step multiplies by
    diag(act') · W_hᵀ, whose norm is at most γ·σ_max (no TensorFlow needed)."""
    net = _random_network("simplernn", activation, units, steps, seed)
    window = np.random.default_rng(seed).normal(size=(steps, 1))
    layer = gradients(net, window).layers[0]
    assert layer.sigma_max == pytest.approx(np.linalg.svd(net.layers[0].arrays[1])[1][0])
    assert layer.gamma == MAX_SLOPE[activation]
    assert np.all(layer.d_state_state_norm <= layer.bound * (1 + 1e-9) + 1e-12)


def test_the_numpy_network_path_imports_no_tensorflow():
    """The web server computes the gradients of a run's weights: no TensorFlow, no Keras."""
    import subprocess
    import sys

    from tests.core.conftest import ROOT

    code = ("import sys, numpy as np; from rnn_core.config import RunConfig; "
            "from rnn_core.forward import Network; from rnn_core.memory import gradients; "
            "c = RunConfig(cell='lstm', units=2, time_steps=3); "
            "w = [np.ones(s) for s in [(1, 8), (2, 8), (8,), (2, 1), (1,)]]; "
            "gradients(Network(c, w, steps=3, features=1), np.ones((3, 1))); "
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_effective_memory_by_hand():
    # |profile| = 1, 0, 2, 3, 4 (sum 10): the last 1 step holds 4, 2 hold 7, 3 hold 9 = 90 %
    assert effective_memory([1.0, 0.0, -2.0, 3.0, -4.0]) == 3
    assert effective_memory([1.0, 0.0, -2.0, 3.0, -4.0], share=0.7) == 2
    assert effective_memory([1.0, 0.0, -2.0, 3.0, -4.0], share=0.71) == 3
    assert effective_memory([1.0, 0.0, -2.0, 3.0, -4.0], share=1.0) == 5
    assert effective_memory([0.0, 0.0, 5.0]) == 1
    assert effective_memory(np.full(10, 0.1)) == 9  # 0.9 of 1.0 exactly, despite rounding
    assert effective_memory([0.0, 0.0]) == 0  # the output does not depend on the window


@pytest.mark.parametrize("profile,share,words", [
    ([], 0.9, "one finite number per time step"),
    ([[1.0, 2.0]], 0.9, "shape (1, 2)"),
    ([1.0, float("nan")], 0.9, "one finite number"),
    (["a"], 0.9, "is not a sequence of numbers"),
    ([1.0], 0.0, "share=0.0"),
    ([1.0], 1.5, "share=1.5"),
    ([1.0], True, "share=True"),
])
def test_effective_memory_refuses_bad_input(profile, share, words):
    with pytest.raises(RnnExplorerError, match=words.replace("(", r"\(").replace(")", r"\)")):
        effective_memory(profile, share)


def test_sigma_max_against_known_singular_values():
    assert sigma_max(np.diag([0.5, -3.0, 2.0])) == pytest.approx(3.0, rel=1e-12)
    # a rotation does not change singular values: R·diag(d) has σ_max = max |d|
    angle = 0.3
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    assert sigma_max(rotation @ np.diag([0.25, -1.5])) == pytest.approx(1.5, rel=1e-12)
    # a gated cell's kernel (units × 3·units): blocks side by side, σ_max² = Σ of the squares
    kernel = np.hstack([np.eye(2), 2 * np.eye(2), 2 * np.eye(2)])
    assert sigma_max(kernel) == pytest.approx(3.0, rel=1e-12)
    assert sigma_max([[float("inf")]]) == math.inf
    with pytest.raises(RnnExplorerError, match="expected a 2-D matrix"):
        sigma_max(np.ones(3))


def test_max_slope_is_the_largest_slope():
    """γ of every activation the step view computes, against its slope on a fine grid."""
    x = np.linspace(-12, 12, 200_001)
    assert (max_slope("tanh"), max_slope("sigmoid"), max_slope("relu"),
            max_slope("linear")) == (1.0, 0.25, 1.0, 1.0)
    for name, fn in ACTIVATIONS.items():
        if name in ("softmax", "exponential"):
            continue  # not elementwise / unbounded slope (γ = inf)
        slope = np.max(np.abs(np.diff(fn(x)) / np.diff(x)))
        assert slope <= MAX_SLOPE[name] * (1 + 1e-6), name
        assert slope >= MAX_SLOPE[name] * (1 - 1e-3), name
    assert max_slope("exponential") == math.inf
    with pytest.raises(RnnExplorerError, match="'gelu' is not one of"):
        max_slope("gelu")


def test_lag_bound():
    np.testing.assert_allclose(lag_bound(0.25, 2.0, 3), [0.25, 0.5, 1.0])
    with pytest.raises(RnnExplorerError, match="steps=0"):
        lag_bound(1.0, 1.0, 0)
    with pytest.raises(RnnExplorerError, match="sigma=-1"):
        lag_bound(1.0, -1, 3)


def test_gradients_refuses_what_it_cannot_follow():
    net = _random_network("lstm", "tanh", 2, 3, seed=0)
    with pytest.raises(RnnExplorerError, match=r"window has shape \(4, 1\)"):
        gradients(net, np.zeros((4, 1)))
    with pytest.raises(RnnExplorerError, match="NaN"):
        gradients(net, np.array([[1.0], [np.nan], [0.0]]))
    with pytest.raises(RnnExplorerError, match="model: got 'lstm'"):
        gradients("lstm", np.zeros((3, 1)))
    g = gradients(net, np.zeros((3, 1)))
    with pytest.raises(RnnExplorerError, match="output=1: the model has 1 output"):
        g.sensitivity(1)


# --- the memory command -----------------------------------------------------------------------

def test_memory_command_json(keras):
    code, out, err = cli_main("memory", "--preset", "t1-structure", "--set", "units=3",
                              "--window", "train:-1", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["preset"] == "t1-structure" and result["trained"] is False
    assert result["window"]["part"] == "train" and result["window"]["index"] == -1
    assert result["steps"] == 3 and result["n_features"] == 1 and result["share"] == 0.9
    (output,) = result["outputs"]
    assert len(output["sensitivity"]) == 3 and 1 <= output["effective_memory"] <= 3
    (layer,) = result["layers"]
    assert layer["kind"] == "SimpleRNN" and layer["units"] == 3 and layer["gamma"] == 1.0
    assert layer["d_cell_cell_norm"] is None and layer["d_state_state_norm"][-1] == 1.0
    assert len(layer["d_state_norm"]) == len(layer["bound"]) == 3

    # the numbers are memory.gradients' of the untrained network the config builds
    from rnn_core.model import build
    from rnn_core.presets import preset
    from rnn_core.run import prepare

    config = preset("t1-structure").replace(units=3)
    prepared = prepare(config)
    g = gradients(build(config, 3, 1), prepared.windows.x_train[-1])
    np.testing.assert_allclose(output["sensitivity"], g.sensitivity(0))
    np.testing.assert_allclose(layer["d_state_state_norm"], g.layers[0].d_state_state_norm)
    assert layer["sigma_max"] == pytest.approx(g.layers[0].sigma_max)


def test_memory_command_text_for_an_lstm(keras):
    code, out, err = cli_main("memory", "--preset", "t1-structure", "--set", "cell=lstm",
                              "--set", "horizon=2")
    assert code == 0, err
    assert "output 2: the last" in out and "|dc_T/dc_t|" in out and "sigma_max" in out


def test_memory_command_trains_first_with_epochs(keras):
    """--epochs N trains through train's own path (run.train via cli_training.fit)."""
    code, out, err = cli_main("memory", "--preset", "t1-structure", "--epochs", "1", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert result["trained"] is True and result["epochs_run"] == 1
    assert result["diverged"] is False and result["config"]["epochs"] == 1


@pytest.mark.parametrize("args,words", [
    (["--window", "test"], "--window 'test' is not valid"),
    (["--window", "val:0"], "PART train or test"),
    (["--window", "test:99999"], "so INDEX goes from 0 to"),
    (["--epochs", "-1"], "--epochs '-1' is not valid"),
    (["--epochs", "501"], "to 500"),
    (["--set", "units=0"], "units"),
])
def test_memory_command_refuses_bad_input_in_one_line(args, words):
    code, out, err = cli_main("memory", "--preset", "t1-structure", *args, "--json")
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and words in err


@pytest.mark.parametrize("kind,outputs", [("LSTM", 3), ("GRU", 1)])
def test_input_gradients_are_tensorflows_batch_jacobian(keras, kind, outputs):
    # training.input_gradients differentiates the batch's sum per output (windows do not mix):
    # it must give batch_jacobian's numbers, window by window, output by output
    import tensorflow as tf

    from rnn_core.training import input_gradients

    c = dict(steps=7, features=2, layers=2, activation="tanh", use_bias=True,
             gate_activation="sigmoid", units=4, dense=[(3, "relu")], outputs=outputs,
             output_activation="linear", seed=5)
    model = make_model(keras, kind, True, c)
    x = np.random.default_rng(1).normal(size=(6, 7, 2)).astype("float32")
    xs = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = model(xs, training=False)
    truth = np.asarray(tape.batch_jacobian(y, xs), np.float64)
    got = input_gradients(model, x)
    assert got.shape == (6, outputs, 7, 2)
    np.testing.assert_allclose(got, truth, rtol=1e-6, atol=1e-7 * np.abs(truth).max())
