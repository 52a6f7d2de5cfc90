"""A text network in numpy (``TextNetwork``, ``forward.Network``, ``unroll``) against Keras.

Each drawn config builds the real Keras model (``model.build``: one-hot or embedding input,
SimpleRNN / LSTM / GRU returning sequences, an optional Dense, a softmax over the vocabulary),
its weights are randomised, and the numpy paths must give Keras' probabilities at every step of
a window, and Keras' hidden states.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from rnn_core.architecture import architecture
from rnn_core.config import RunConfig
from rnn_core.errors import RnnExplorerError
from rnn_core.forward import Network
from rnn_core.model import build, keras_module, param_table
from rnn_core.text import TextNetwork, Vocab
from rnn_core.unroll import hidden_states, unroll

TOL = dict(rtol=1e-5, atol=1e-5)


@pytest.fixture(scope="module")
def keras():
    return keras_module()


def randomised(config, vocab_size, seed):
    model = build(config, config.time_steps, vocab_size)
    rng = np.random.default_rng(seed)
    model.set_weights([rng.normal(0, 0.5, w.shape).astype("float32")
                       for w in model.get_weights()])
    return model


def text_configs():
    return st.builds(
        lambda cell, inp, layers, units, dense, steps, seed: RunConfig(
            dataset="brackets", cell=cell, text_input=inp, layers=layers, units=units,
            dense_units=dense, time_steps=max(steps, 2 if inp == "onehot" else 1),
            embedding_dim=3, seed=seed),
        st.sampled_from(("simplernn", "lstm", "gru")), st.sampled_from(("onehot", "embedding")),
        st.integers(1, 2), st.integers(1, 5), st.sampled_from((0, 3)), st.integers(1, 20),
        st.integers(0, 1000))


@settings(max_examples=9, deadline=None, derandomize=True, phases=(Phase.generate,),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(config=text_configs())
def test_numpy_text_network_and_unroll_equal_keras(keras, config):
    vocab = Vocab.of("([{)]} abc")  # 11 symbols with the unknown one
    model = randomised(config, vocab.size, config.seed)
    specs = architecture(config, config.time_steps, vocab.size)
    assert [s.shapes for s in specs] == [tuple(tuple(w.shape) for w in l.get_weights())
                                         for l in model.layers]
    assert [r.params for r in param_table(config, config.time_steps, vocab.size)] == \
        [l.count_params() for l in model.layers]
    ids = np.random.default_rng(config.seed).integers(0, vocab.size, (3, config.time_steps))
    expected = np.asarray(model(ids.astype("float32"), training=False), dtype=np.float64)
    assert expected.shape == (3, config.time_steps, vocab.size)

    net = Network(config, model.get_weights(), config.time_steps, vocab.size)
    np.testing.assert_allclose(net.predict(ids), expected, **TOL)
    text_net = TextNetwork(config, vocab, model.get_weights())
    np.testing.assert_allclose(text_net.probs(ids[0]), expected[0], **TOL)
    np.testing.assert_allclose(text_net.probs(vocab.decode(ids[1])), expected[1], **TOL)

    for source in (model, net):  # the Keras model itself, and the numpy one, step by step
        result = unroll(source, ids[2])
        np.testing.assert_allclose(result.output, expected[2], **TOL)
        assert result.output.shape == (config.time_steps, vocab.size)
        assert result.layers[0].x.shape[1] == (3 if config.text_input == "embedding" else vocab.size)

    # every layer's h sequence, as Keras' own layers compute it
    x = ids.astype("float32")
    keras_h = []
    for layer in model.layers:
        x = layer(x)
        if type(layer).__name__ in ("SimpleRNN", "LSTM", "GRU"):
            keras_h.append(np.asarray(x))
    for mine, theirs in zip(hidden_states(model, ids), keras_h):
        np.testing.assert_allclose(mine, theirs, **TOL)
    states = text_net.step_states(ids[0])
    for (name, arrays), theirs in zip(states.items(), keras_h):
        np.testing.assert_allclose(arrays["h"], theirs[0], **TOL)
        assert name.startswith(config.cell)
        if config.cell == "lstm":
            assert {"c", "forget", "input", "candidate", "output"} <= set(arrays)
        if config.cell == "gru":
            assert {"update", "reset", "candidate"} <= set(arrays)


def test_unroll_refuses_a_text_window_that_is_not_character_indices(keras):
    config = RunConfig(dataset="brackets", cell="gru", units=2, time_steps=4)
    model = randomised(config, 5, 0)
    for bad, words in (([0, 1, 2], "4 character indices"), ([0, 1, 2, 5], "from 0 to 4"),
                       ([0, 1.5, 2, 3], "whole numbers")):
        with pytest.raises(RnnExplorerError, match=words):
            unroll(model, bad)


@pytest.fixture(scope="module")
def small_net():
    config = RunConfig(dataset="brackets", cell="lstm", units=4, time_steps=8, layers=2)
    vocab = Vocab.of("([{)]} abc")
    rng = np.random.default_rng(3)
    weights = [rng.normal(0, 0.8, s) for spec in architecture(config, 8, vocab.size)
               for s in spec.shapes]
    return TextNetwork(config, vocab, weights)


def test_sampling_is_seeded_and_its_top5_are_the_network_probabilities(small_net):
    a = small_net.sample("(a", 30, temperature=1.0, seed=7)
    assert a == small_net.sample("(a", 30, temperature=1.0, seed=7)
    assert a.text != small_net.sample("(a", 30, temperature=1.0, seed=8).text
    assert len(a.text) == 30 == len(a.top5) and all(len(t) == 5 for t in a.top5)
    # the distribution before each drawn character is the network's after prompt + text so far
    for i in (0, 11, 29):
        p = small_net.next_probs("(a" + a.text[:i])
        best = np.argsort(-p, kind="stable")[:5]
        assert [c for c, _ in a.top5[i]] == [small_net.vocab.chars[j] for j in best]
        assert [q for _, q in a.top5[i]] == pytest.approx(p[best].tolist(), abs=1e-12)
    greedy = small_net.sample("(a", 10, temperature=0.0, seed=1)
    assert [t[0][0] for t in greedy.top5] == list(greedy.text)  # temperature 0: likeliest
    assert np.isclose(small_net.probs("(ab").sum(axis=1), 1).all()


def test_states_and_probs_in_one_pass_are_the_states_and_each_prefix_next_probs(small_net):
    text = "(a[b]{c})"
    states, probs = small_net.states_and_probs(text)
    alone = small_net.step_states(text)
    assert states.keys() == alone.keys() and all(
        np.array_equal(states[k][n], alone[k][n]) for k in alone for n in alone[k])
    assert set(states["lstm_1"]) >= {"h", "c"} and probs.shape == (len(text), small_net.vocab.size)
    for i in (0, 4, len(text) - 1):  # row i: the distribution after the first i + 1 characters
        np.testing.assert_allclose(probs[i], small_net.next_probs(text[:i + 1]), atol=1e-12)
    with pytest.raises(RnnExplorerError, match="empty"):
        small_net.states_and_probs("")


@pytest.mark.parametrize("kwargs, words", [(dict(n=0), "from 1 to 2,000"),
                                           (dict(n=5, temperature=-1), "temperature")])
def test_sampling_refuses_bad_requests(small_net, kwargs, words):
    with pytest.raises(RnnExplorerError, match=words):
        small_net.sample("a", **kwargs)
