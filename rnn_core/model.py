"""The Keras model a config describes. Keras is imported here, inside functions, so that
pages which only look at data never pay TensorFlow's start-up (seconds, and hundreds of MB:
BENCHMARKS.md, "Memory of a deployment").

>>> from rnn_core.config import RunConfig
>>> m = build(RunConfig(cell="simplernn", units=2, activation="linear", output_activation="linear"), steps=3, n_features=1)
>>> [row.params for row in layer_table(m)]
[8, 3]
"""

from __future__ import annotations

import functools
import os
import threading
from dataclasses import dataclass
from typing import Any

from .architecture import OPTIMIZER_CLASS, LayerSpec, architecture
from .config import TEXTS, RunConfig

# Each training gets this many TF threads; several users train side by side on 2 cores.
TF_THREADS = int(os.environ.get("RNN_EXPLORER_TF_THREADS", "1"))

_build_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def keras_module() -> Any:
    """Import TensorFlow and Keras once, quietly, with the thread caps set before start-up."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(TF_THREADS)
        tf.config.threading.set_inter_op_parallelism_threads(TF_THREADS)
    except RuntimeError:  # the runtime was already started by someone else in this process
        pass
    import keras

    return keras


def _layer(keras: Any, spec: LayerSpec) -> Any:
    if spec.kind == "OneHot":  # a text's character indices as one-hot vectors, no weights
        return keras.layers.CategoryEncoding(spec.units, output_mode="one_hot", name=spec.name)
    if spec.kind == "Embedding":
        vocab, width = spec.shapes[0]
        return keras.layers.Embedding(vocab, width, name=spec.name)
    cls = getattr(keras.layers, spec.kind)
    if spec.recurrent:
        return cls(spec.units, activation=spec.activation, return_sequences=spec.return_sequences,
                   unroll=spec.unroll, name=spec.name)
    return cls(spec.units, activation=spec.activation, name=spec.name)


def build(config: RunConfig, steps: int, n_features: int, steps_per_execution: int = 1) -> Any:
    """A compiled ``keras.Sequential`` of the layers ``architecture`` lists: recurrent layers,
    an optional Dense, a Dense output of ``config.horizon`` units (one per value ahead).
    A text config's model reads windows of ``steps`` character indices (given as floats, like
    every window; its input layer takes them as whole numbers), ``n_features`` is the
    vocabulary's size, and its loss is the cross-entropy of the next character at every step.

    Weights are initialised from ``config.seed``, so the same config gives the same model.
    ``steps_per_execution`` batches per compiled call of Keras' own ``fit``/``evaluate``:
    results are the same as 1, with Python entered once per call, not per batch.
    ``training.fit`` runs its own compiled epoch loop and does not depend on it.
    """
    keras = keras_module()
    with _build_lock:  # the seed is global to Keras: hold it while the weights are drawn
        keras.utils.set_random_seed(config.seed)
        text = config.dataset in TEXTS
        shape = (steps,) if text else (steps, n_features)
        layers = [keras.Input(shape=shape, name="window")]
        layers += [_layer(keras, spec) for spec in architecture(config, steps, n_features)]
        model = keras.Sequential(layers, name="rnn_explorer")
    optimizer = getattr(keras.optimizers, OPTIMIZER_CLASS[config.optimizer])
    model.compile(optimizer=optimizer(learning_rate=config.learning_rate),
                  loss="sparse_categorical_crossentropy" if text else "mse",
                  steps_per_execution=max(1, int(steps_per_execution)))
    return model


def input_shape(config: RunConfig) -> tuple[int, int]:
    """(time steps, features) the network reads for a univariate series under ``config``."""
    if config.layout == "features":
        return 1, config.time_steps
    return config.time_steps, 1


@dataclass(frozen=True)
class LayerRow:
    name: str
    kind: str
    output_shape: str
    params: int


def layer_table(model: Any) -> list[LayerRow]:
    """One row per layer with its parameter count, like ``model.summary()``."""
    return [
        LayerRow(layer.name, type(layer).__name__, str(tuple(layer.output.shape)), layer.count_params())
        for layer in model.layers
    ]


def param_table(config: RunConfig, steps: int, n_features: int) -> list[LayerRow]:
    """The same table from the config alone (``architecture``'s specs), without importing Keras.

    >>> [row.params for row in param_table(RunConfig(cell="gru", units=2), 12, 1)]
    [30, 3]
    """
    return [LayerRow(spec.name, spec.kind, spec.output_shape, spec.params)
            for spec in architecture(config, steps, n_features)]
