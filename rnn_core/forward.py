"""A trained network's predictions in numpy, from its config and weights: no TensorFlow.

The web server keeps each run as its weights (the training ran in a worker process). To
forecast beyond the data or roll a model forward, it needs predictions for a few windows;
building the Keras model for that would import TensorFlow into the server (hundreds of MB, and
an import that holds Python's GIL for seconds, for every session of the server). ``Network`` runs
the layers ``architecture`` lists, as ``model.build`` does — recurrent layers, an optional
Dense, the Dense output — with the cell equations of ``rnn_core.unroll`` applied to a whole
batch of windows at once, in float64 (Keras computes in float32: the two agree to ~1e-6).

    >>> import numpy as np
    >>> from rnn_core.config import RunConfig
    >>> config = RunConfig(cell="simplernn", units=2, time_steps=3, activation="tanh")
    >>> kernel, recurrent, bias = np.full((1, 2), 0.5), np.eye(2), np.zeros(2)
    >>> head, head_bias = np.ones((2, 1)), np.zeros(1)
    >>> net = Network(config, [kernel, recurrent, bias, head, head_bias], steps=3, features=1)
    >>> net.predict(np.zeros((4, 3, 1))).shape  # four windows, one value ahead each
    (4,)

A text network (``config.TEXTS``) reads windows of character indices (n, T) and gives the
next character's probabilities after every step, (n, T, V).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .architecture import ENCODERS, LayerSpec, architecture
from .config import RunConfig
from .activations import ACTIVATIONS
from .unroll import encode_input, run_batch, split_weights


@dataclass(frozen=True)
class Layer:
    """One layer of a ``Network``, with what ``rnn_core.unroll`` reads of a Keras layer."""

    name: str
    kind: str  # "SimpleRNN", "LSTM", "GRU", "Dense", or a text's "Embedding" / "OneHot"
    arrays: tuple[np.ndarray, ...]
    activation: str
    recurrent_activation: str = "sigmoid"  # Keras' default
    reset_after: bool = True  # Keras' default for GRU
    return_sequences: bool = False
    built: bool = True
    units: int = 0  # the architecture's units (a one-hot layer's: the vocabulary's size)

    def get_weights(self) -> list[np.ndarray]:
        return list(self.arrays)


class Network:
    """The forward pass of the network ``model.build(config, steps, features)`` makes, with
    ``weights`` in Keras' ``get_weights()`` order."""

    def __init__(self, config: RunConfig, weights: Sequence[np.ndarray], steps: int, features: int):
        self.config, self.steps, self.features = config, int(steps), int(features)
        arrays = [np.asarray(w, dtype=np.float64) for w in weights]
        specs = architecture(config, self.steps, self.features)
        _check_weights(config, specs, arrays)
        self.layers: list[Layer] = []
        for spec in specs:  # each layer takes as many arrays as its spec has shapes
            taken, arrays = arrays[:len(spec.shapes)], arrays[len(spec.shapes):]
            self.layers.append(Layer(spec.name, spec.kind, tuple(taken), spec.activation,
                                     return_sequences=spec.return_sequences, units=spec.units))
        self.text = specs[0].kind in ENCODERS  # reads character indices

    def get_weights(self) -> list[np.ndarray]:
        """The arrays in Keras' ``get_weights()`` order (what ``model.set_weights`` takes)."""
        return [a for layer in self.layers for a in layer.arrays]

    @property
    def input_shape(self) -> tuple[None, int, int] | tuple[None, int]:
        return (None, self.steps) if self.text else (None, self.steps, self.features)

    @property
    def output_shape(self) -> tuple[None, int] | tuple[None, int, int]:
        return (None, self.steps, self.features) if self.text else (None, self.config.horizon)

    def layer_plan(self) -> list[tuple[str, Layer]]:
        """(kind, layer) pairs, as ``rnn_core.unroll`` plans a Keras model."""
        return [(layer.kind, layer) for layer in self.layers]

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predictions for windows ``x`` (n, steps, features): (n,) for one output, else (n, H),
        like ``training.predict``."""
        x = np.asarray(x, dtype=np.float64)
        if x.shape[1:] != tuple(self.input_shape[1:]):
            shape = ", ".join(str(d) for d in ("n", *self.input_shape[1:]))
            raise ValueError(f"x: windows of shape ({shape}) expected, got {x.shape}")
        value = x  # (n, T, d) through the recurrent layers, then one vector per window
        for layer in self.layers:
            if layer.kind in ENCODERS:
                value = encode_input(layer.kind, layer, x)
            elif layer.kind == "Dense":
                kernel, bias = layer.arrays
                value = ACTIVATIONS[layer.activation](value @ kernel + bias)
            else:
                value = run_batch(layer.kind, split_weights(layer.kind, layer.arrays), value,
                                  layer.activation, layer.recurrent_activation, layer.reset_after)
                if not layer.return_sequences:
                    value = value[:, -1]
        return value[:, 0] if value.ndim == 2 and value.shape[1] == 1 else value


def _check_weights(config: RunConfig, specs: list[LayerSpec], arrays: list[np.ndarray]) -> None:
    """A ValueError naming what the network expects when ``arrays`` are not its weights."""
    expected = [shape for spec in specs for shape in spec.shapes]
    if len(arrays) != len(expected):
        raise ValueError(f"weights: {len(arrays)} arrays for a network that has {len(expected)} "
                         f"({config.layers} recurrent layer(s), "
                         f"{'a' if config.dense_units else 'no'} hidden Dense, the output)")
    got = [tuple(a.shape) for a in arrays]
    if got != expected:
        raise ValueError(f"weights: arrays of shapes {_shapes(got)} for a network whose weights "
                         f"have shapes {_shapes(expected)} (in get_weights() order)")


def _shapes(shapes: list[tuple[int, ...]]) -> str:
    return ", ".join(str(s) for s in shapes)
