"""rnn_core.text_memory (memory.gradients on a text network) against TensorFlow's GradientTape.

The reference: the project's Keras text model (``model.build``, one-hot or embedding input)
with random weights; TensorFlow differentiates log p(target) (and p) after the last character
with respect to the input layer's output x (1, T, d) — the one-hot vectors or the embedding
rows — taken as a watched tensor and run through the model's other layers. One-hot: the
entries of the characters actually read are compared; embedding: the whole gradient. The same
relative tolerance as ``tests/core/test_memory.py`` (1e-4 of the largest value).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.memory import effective_memory
from rnn_core.text import TextNetwork, Vocab
from rnn_core.text_memory import char_sensitivity, sentence
from tests.core.test_memory import assert_close

ALPHABET = "ab(){}"


@pytest.fixture(scope="module")
def keras():
    from rnn_core.model import keras_module

    return keras_module()


def _network(keras, c: dict):
    """The Keras text model of config ``c`` with random weights, and its numpy TextNetwork."""
    from rnn_core import model as model_mod

    vocab = Vocab.of(ALPHABET[:c["chars"]])
    config = RunConfig(dataset="brackets", cell=c["cell"], units=c["units"], layers=c["layers"],
                       time_steps=c["steps"], text_input=c["input"], embedding_dim=c["dim"])
    model = model_mod.build(config, c["steps"], vocab.size)
    rng = np.random.default_rng(c["seed"])
    model.set_weights([rng.normal(0, 0.8, w.shape).astype("float32")
                       for w in model.get_weights()])
    return model, TextNetwork(config, vocab, model.get_weights())


def _tape(model, ids: np.ndarray, k: int, log: bool) -> tuple[np.ndarray, list[np.ndarray]]:
    """d log p_k (or d p_k) after the last step / d x, (T, d), x the input layer's output;
    and per recurrent layer ∂h_T/∂x, (units, T, d)."""
    import tensorflow as tf

    encoder, rest = model.layers[0], model.layers[1:]
    x = tf.constant(np.asarray(encoder(ids[None].astype("float32")), np.float32))
    finals = []
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        value = x
        for layer in rest:
            value = layer(value)
            if type(layer).__name__ != "Dense":
                finals.append(value[0, -1])
        p = value[0, -1, k]
        f = tf.math.log(p) if log else p
    d_states = [np.asarray(tape.jacobian(h, x), np.float64)[:, 0] for h in finals]
    return np.asarray(tape.gradient(f, x), np.float64)[0], d_states


@pytest.mark.parametrize("text_input", ("onehot", "embedding"))
@pytest.mark.parametrize("cell", ("simplernn", "lstm", "gru"))
@settings(max_examples=2, deadline=None)
@given(c=st.fixed_dictionaries({
    "chars": st.integers(2, 6), "units": st.integers(1, 4), "layers": st.integers(1, 2),
    "steps": st.integers(2, 6), "dim": st.integers(1, 4), "log": st.booleans(),
    "top": st.booleans(), "seed": st.integers(0, 2**16)}))
def test_char_sensitivity_matches_gradient_tape(keras, cell, text_input, c):
    c = c | {"cell": cell, "input": text_input}
    model, net = _network(keras, c)
    rng = np.random.default_rng(c["seed"] + 1)
    window = "".join(rng.choice(list(ALPHABET[:c["chars"]]), c["steps"]))
    target = None if c["top"] else net.vocab.chars[1 + c["seed"] % (net.vocab.size - 1)]
    s = char_sensitivity(net, window, target, log=c["log"])

    ids = net.vocab.encode(window)
    probs = np.asarray(model(ids[None].astype("float32"), training=False))[0, -1]
    k = net.vocab.chars.index(s.target)
    if target is None:
        assert k == int(np.argmax(probs))
    assert s.probability == pytest.approx(float(probs[k]), rel=1e-5, abs=1e-6)
    tape, d_states = _tape(model, ids, k, c["log"])
    if text_input == "onehot":
        expected = tape[np.arange(c["steps"]), ids]  # the entries of the characters read
        assert_close(s.signed, expected, "∂/∂x_{t, id_t}")
        assert_close(s.size, np.abs(expected), "|∂/∂x_{t, id_t}|")
    else:
        assert_close(s.gradients.d_output[k] / (s.probability if c["log"] else 1.0), tape,
                     "∂/∂e_t")
        assert_close(s.size, np.linalg.norm(tape, axis=1), "‖∂/∂e_t‖")
        embedded = np.asarray(model.layers[0](ids[None].astype("float32")))[0]
        assert_close(s.signed, np.sum(tape * embedded, axis=1), "⟨∂/∂e_t, e_t⟩")
    for layer, d_state in zip(s.gradients.layers, d_states, strict=True):  # ‖∂h_T/∂x_t‖
        along = (d_state[:, np.arange(c["steps"]), ids][..., None] if text_input == "onehot"
                 else d_state)  # one-hot: along the entry of the character read
        assert_close(layer.d_state_norm, np.sqrt((along ** 2).sum(axis=(0, 2))), "‖∂h_T/∂x_t‖")
    assert s.memory == effective_memory(np.abs(expected) if text_input == "onehot"
                                        else np.linalg.norm(tape, axis=1))
    assert f"{s.memory} of the {c['steps']} characters" in sentence(s) or s.memory <= 1


def test_a_window_of_the_wrong_length_or_target_says_why(keras):
    _, net = _network(keras, dict(chars=3, units=2, layers=1, steps=4, dim=2, seed=0,
                                  cell="lstm", input="onehot"))
    with pytest.raises(RnnExplorerError, match="exactly 4 characters"):
        char_sensitivity(net, "ab")
    with pytest.raises(RnnExplorerError, match="not one character"):
        char_sensitivity(net, "abab", target="z")
