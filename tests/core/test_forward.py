"""The numpy forward pass gives Keras' predictions, for every cell and shape the app builds."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import forecast, model as model_mod, training
from rnn_core.config import RunConfig
from rnn_core.forward import Network

CASES = [
    dict(cell="simplernn"),
    dict(cell="lstm", layers=2, units=5),
    dict(cell="gru", layers=2, dense_units=4, dense_activation="tanh", horizon=3),
    dict(cell="gru", layout="features", horizon=2, output_activation="sigmoid"),
    dict(cell="lstm", activation="relu", dense_units=3, dense_activation="relu"),
]


@pytest.mark.parametrize("settings", CASES, ids=lambda s: "-".join(f"{v}" for v in s.values()))
def test_numpy_forward_pass_matches_keras(settings):
    config = RunConfig(time_steps=7, units=6, seed=3).replace(**settings)
    steps, features = model_mod.input_shape(config)
    keras_model = model_mod.build(config, steps, features)
    rng = np.random.default_rng(0)
    # weights away from their initial values (biases are zeros at first)
    weights = [w + rng.normal(0, 0.3, w.shape) for w in keras_model.get_weights()]
    keras_model.set_weights(weights)
    x = rng.uniform(-1, 1, (9, steps, features))
    net = Network(config, weights, steps, features)
    expected = training.predict(keras_model, x)
    got = net.predict(x)
    assert got.shape == expected.shape == ((9,) if config.horizon == 1 else (9, config.horizon))
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
    assert net.output_shape == (None, config.horizon)


def test_forecasts_from_numpy_and_from_keras_agree(t1_prepared):
    config = t1_prepared.config.replace(units=4)
    w = t1_prepared.windows
    keras_model = model_mod.build(config, w.steps, w.n_features)
    net = Network(config, keras_model.get_weights(), w.steps, w.n_features)
    np.testing.assert_allclose(forecast.recursive(net, t1_prepared, 30),
                               forecast.recursive(keras_model, t1_prepared, 30), rtol=1e-4)
    np.testing.assert_allclose(forecast.rollout(net, w.x_test[:5], 4, w.layout),
                               forecast.rollout(keras_model, w.x_test[:5], 4, w.layout), rtol=1e-4)


def test_weights_of_another_network_are_refused_with_the_count():
    config = RunConfig(cell="lstm", layers=2)
    with pytest.raises(ValueError, match="3 arrays for a network that has 8"):
        Network(config, [np.zeros((1, 4))] * 3, steps=12, features=1)
    net = Network(RunConfig(units=2), [np.zeros((1, 2)), np.zeros((2, 2)), np.zeros(2),
                                       np.zeros((2, 1)), np.zeros(1)], steps=12, features=1)
    with pytest.raises(ValueError, match=r"\(n, 12, 1\) expected, got \(3, 12\)"):
        net.predict(np.zeros((3, 12)))
    # the right number of arrays, of another network's shapes (units=3 instead of 2)
    with pytest.raises(ValueError, match=r"shapes \(1, 3\), \(3, 3\), \(3,\), \(3, 1\), \(1,\) "
                                         r"for a network whose weights have shapes \(1, 2\), "
                                         r"\(2, 2\), \(2,\), \(2, 1\), \(1,\)"):
        Network(RunConfig(units=2), [np.zeros((1, 3)), np.zeros((3, 3)), np.zeros(3),
                                     np.zeros((3, 1)), np.zeros(1)], steps=12, features=1)


@pytest.mark.parametrize("settings", CASES[1:3], ids=["lstm-2-layers", "gru-dense-h3"])
def test_step_by_step_view_reads_the_numpy_network_like_the_keras_model(settings):
    from rnn_core import unroll

    config = RunConfig(time_steps=7, units=6, seed=3).replace(**settings)
    steps, features = model_mod.input_shape(config)
    keras_model = model_mod.build(config, steps, features)
    net = Network(config, keras_model.get_weights(), steps, features)
    window = np.random.default_rng(1).uniform(-1, 1, (steps, features))
    from_keras, from_numpy = unroll.unroll(keras_model, window), unroll.unroll(net, window)
    assert [t.name for t in from_numpy.layers] == [t.name for t in from_keras.layers]
    for a, b in zip(from_numpy.layers, from_keras.layers):
        np.testing.assert_array_equal(a.h, b.h)  # same weights, same numpy: identical
    np.testing.assert_array_equal(from_numpy.output, from_keras.output)
    assert [d.name for d in from_numpy.dense] == [d.name for d in from_keras.dense]
    batch = np.random.default_rng(2).uniform(-1, 1, (5, steps, features))
    for a, b in zip(unroll.final_states(net, batch), unroll.final_states(keras_model, batch)):
        np.testing.assert_array_equal(a, b)
