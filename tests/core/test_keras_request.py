"""The questions only Keras answers (rnn_core/keras_request.py), answered as a worker answers
them: the initial weights are exactly the ones Keras draws for the config's seed, the
prediction is Keras' own, and the server's numpy network built from those weights computes
what Keras' untrained model does."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_core import memory, worker
from rnn_core.forward import Network
from rnn_core.keras_request import KerasRequest, answer
from rnn_core.model import build
from rnn_core.presets import preset

BASE = preset("t2-sine").replace(layout="sequence", time_steps=6, units=3, dense_units=0)
SERIES = {
    "simplernn": BASE.replace(cell="simplernn", activation="tanh", seed=3),
    "lstm": BASE.replace(cell="lstm", layers=2, dense_units=4, seed=1),
    "gru": BASE.replace(cell="gru", horizon=2, seed=2),
}
# a text network reads character indices: an embedding, an LSTM, a softmax at every step
TEXT = preset("text-stdlib").replace(units=5, embedding_dim=3, time_steps=7)
VOCAB = 11


def windows(config, steps: int, features: int, n: int = 3) -> np.ndarray:
    rng = np.random.default_rng(0)
    if config is TEXT:
        return rng.integers(0, VOCAB, size=(n, steps)).astype(np.float64)
    return rng.uniform(0, 1, size=(n, steps, features))


CASES = [(config, 6, 1) for config in SERIES.values()] + [(TEXT, 7, VOCAB)]
IDS = [*SERIES, "text"]


@pytest.mark.parametrize(("config", "steps", "features"), CASES, ids=IDS)
def test_initial_weights_prediction_and_the_numpy_network_match_keras(config, steps, features):
    keras_model = build(config, steps, features)
    weights = answer(KerasRequest.initial_weights(config, steps, features))
    expected = keras_model.get_weights()
    assert [w.shape for w in weights] == [w.shape for w in expected]
    for got, want in zip(weights, expected):
        np.testing.assert_array_equal(got, want)  # the same seed draws exactly the same weights

    network = Network(config, weights, steps, features)
    x = windows(config, steps, features)
    keras_out = keras_model.predict(x.astype(np.float32), verbose=0)
    predicted = answer(KerasRequest.prediction(network, x))
    assert predicted.shape == keras_out.shape and predicted.dtype == np.float64
    np.testing.assert_allclose(predicted, keras_out, rtol=1e-6, atol=1e-6)
    # the untrained network in the server (numpy) is Keras' untrained model
    by_hand = network.predict(x).reshape(keras_out.shape)
    np.testing.assert_allclose(by_hand, keras_out, rtol=1e-5, atol=1e-5)


def test_gradients_are_tensorflows_autodiff_of_the_network_sent():
    config = SERIES["lstm"]
    weights = answer(KerasRequest.initial_weights(config, 6, 1))
    network = Network(config, weights, 6, 1)
    x = windows(config, 6, 1, n=2)
    autodiff = answer(KerasRequest.gradients(network, x))
    assert autodiff.shape == (2, 1, 6, 1)
    for i in range(2):
        by_hand = memory.gradients(network, x[i]).d_output
        np.testing.assert_allclose(autodiff[i], by_hand, atol=1e-5 * np.abs(by_hand).max())


def test_a_request_that_fails_is_an_error_message_and_bad_requests_are_refused():
    config = SERIES["gru"]
    network = Network(config, answer(KerasRequest.initial_weights(config, 6, 1)), 6, 1)
    request = KerasRequest("predict", config, 6, 1, network.get_weights()[:-1], np.zeros((1, 6, 1)))
    kind, message = worker.keras_message(request)  # as a worker answers: it keeps serving
    assert kind == "error" and message.startswith("ValueError")
    with pytest.raises(ValueError, match="kind: one of weights, predict, gradients, file"):
        KerasRequest("fit", config, 6, 1)
    with pytest.raises(ValueError, match="'predict' request needs the network's weights"):
        KerasRequest("predict", config, 6, 1)
    with pytest.raises(ValueError, match="'gradients' request needs the windows x"):
        KerasRequest("gradients", config, 6, 1, network.get_weights())
    with pytest.raises(ValueError, match="'file' request needs the network's weights"):
        KerasRequest("file", config, 6, 1)


def test_the_keras_file_loads_as_the_network_sent(tmp_path):
    """The download's .keras file, saved where TensorFlow is: Keras loads it with the weights
    sent, and it predicts what the server's numpy network does."""
    import keras

    config = SERIES["gru"]
    weights = [w + 0.01 for w in answer(KerasRequest.initial_weights(config, 6, 1))]  # not Keras' own
    data = answer(KerasRequest.model_file(config, 6, 1, weights))
    assert data[:2] == b"PK"  # a .keras file is a zip archive
    (tmp_path / "m.keras").write_bytes(data)
    loaded = keras.models.load_model(tmp_path / "m.keras")
    for got, sent in zip(loaded.get_weights(), weights):
        np.testing.assert_allclose(got, sent, rtol=1e-6)
    x = windows(config, 6, 1)
    np.testing.assert_allclose(loaded.predict(x.astype(np.float32), verbose=0),
                               Network(config, weights, 6, 1).predict(x).reshape(3, 2),
                               rtol=1e-5, atol=1e-5)


def test_the_fingerprint_is_the_question():
    config = SERIES["lstm"]
    weights = answer(KerasRequest.initial_weights(config, 6, 1))
    network = Network(config, weights, 6, 1)
    x = windows(config, 6, 1)
    digest = KerasRequest.prediction(network, x).digest()
    assert digest == KerasRequest.prediction(Network(config, [w.copy() for w in weights], 6, 1),
                                             x.copy()).digest()
    nudged = [w.copy() for w in weights]
    nudged[0][0, 0] += 1e-6
    for other in (KerasRequest.prediction(Network(config, nudged, 6, 1), x),
                  KerasRequest.prediction(network, x[:2]),
                  KerasRequest.gradients(network, x),
                  KerasRequest.initial_weights(config, 6, 1),
                  KerasRequest.initial_weights(config.replace(seed=config.seed + 1), 6, 1)):
        assert other.digest() != digest
