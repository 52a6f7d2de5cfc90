"""A trained network's predictions in numpy, from its config and weights: no TensorFlow.

The web server keeps each run as its weights (the training ran in a worker process). To
forecast beyond the data or roll a model forward, it needs predictions for a few windows;
building the Keras model for that would import TensorFlow into the server (~550 MB, and an
import that holds Python's GIL for seconds, for every session of the server). ``Network`` runs
the same layers as ``model.build`` makes — recurrent layers, an optional Dense, the Dense
output — with the cell equations of ``rnn_core.unroll`` applied to a whole batch of windows at
once, in float64 (Keras computes in float32: the two agree to ~1e-6).

    >>> import numpy as np
    >>> from rnn_core.config import RunConfig
    >>> config = RunConfig(cell="simplernn", units=2, time_steps=3, activation="tanh")
    >>> kernel, recurrent, bias = np.full((1, 2), 0.5), np.eye(2), np.zeros(2)
    >>> head, head_bias = np.ones((2, 1)), np.zeros(1)
    >>> net = Network(config, [kernel, recurrent, bias, head, head_bias], steps=3, features=1)
    >>> net.predict(np.zeros((4, 3, 1))).shape  # four windows, one value ahead each
    (4,)
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .config import RunConfig
from .model import CELL_CLASS
from .unroll import ACTIVATIONS, gru_step, lstm_step, simple_rnn_step, split_weights


class Network:
    """The forward pass of the network ``model.build(config, steps, features)`` makes, with
    ``weights`` in Keras' ``get_weights()`` order."""

    def __init__(self, config: RunConfig, weights: Sequence[np.ndarray], steps: int, features: int):
        self.config, self.steps, self.features = config, int(steps), int(features)
        arrays = [np.asarray(w, dtype=np.float64) for w in weights]
        expected = 3 * config.layers + 2 * (1 + bool(config.dense_units))
        if len(arrays) != expected:
            raise ValueError(f"weights: {len(arrays)} arrays for a network that has {expected} "
                             f"({config.layers} recurrent layer(s), "
                             f"{'a' if config.dense_units else 'no'} hidden Dense, the output)")
        self.kind = CELL_CLASS[config.cell]
        self.recurrent = [split_weights(self.kind, arrays[3 * i: 3 * i + 3])
                          for i in range(config.layers)]
        self.dense = [(arrays[j], arrays[j + 1]) for j in range(3 * config.layers, len(arrays), 2)]
        self.dense_activations = ([config.dense_activation] if config.dense_units else []) + [
            config.output_activation]

    @property
    def input_shape(self) -> tuple[None, int, int]:
        return (None, self.steps, self.features)

    @property
    def output_shape(self) -> tuple[None, int]:
        return (None, self.config.horizon)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for windows ``x`` (n, steps, features): (n,) for one output, else (n, H),
        like ``training.predict``."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 3 or x.shape[1:] != (self.steps, self.features):
            raise ValueError(f"x: windows of shape (n, {self.steps}, {self.features}) expected, "
                             f"got {x.shape}")
        act = ACTIVATIONS[self.config.activation]
        gate_act = ACTIVATIONS["sigmoid"]  # Keras' default recurrent_activation
        sequence = x  # (n, T, d): each layer but the last hands on its whole sequence
        for w in self.recurrent:
            units = (w["W_h"] if self.kind == "SimpleRNN" else w["W_h_candidate"]).shape[0]
            h = np.zeros((len(x), units))
            c = np.zeros((len(x), units))
            states = np.empty((len(x), sequence.shape[1], units))
            for t in range(sequence.shape[1]):
                if self.kind == "SimpleRNN":
                    h, _ = simple_rnn_step(sequence[:, t], h, w, act)
                elif self.kind == "LSTM":
                    h, c, _, _ = lstm_step(sequence[:, t], h, c, w, act, gate_act)
                else:
                    h, _, _ = gru_step(sequence[:, t], h, w, act, gate_act, reset_after=True)
                states[:, t] = h
            sequence = states
        value = sequence[:, -1]
        for (kernel, bias), name in zip(self.dense, self.dense_activations):
            value = ACTIVATIONS[name](value @ kernel + bias)
        return value[:, 0] if value.shape[1] == 1 else value
