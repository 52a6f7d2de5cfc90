"""The Keras model a config describes. Keras is imported here, inside functions, so that
pages which only look at data never pay TensorFlow's start-up (~3-4 s, ~600 MB).

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

from .config import RunConfig

# Keras layer class for each config cell name.
CELL_CLASS = {"simplernn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
CELL_LABEL = {"simplernn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
# Sequences up to this length are unrolled into plain ops: the same maths, far less loop
# overhead for the short windows learners use (see BENCHMARKS.md).
UNROLL_MAX_STEPS = 16
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


def warm_up() -> None:
    """Import Keras in a background thread, so the first Train click does not wait for it."""
    threading.Thread(target=keras_module, name="keras-warm-up", daemon=True).start()


def _optimizer(keras: Any, name: str, learning_rate: float) -> Any:
    cls = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop,
           "sgd": keras.optimizers.SGD}[name]
    return cls(learning_rate=learning_rate)


def build(config: RunConfig, steps: int, n_features: int, steps_per_execution: int = 1) -> Any:
    """A compiled ``keras.Sequential``: recurrent layers, an optional Dense, a Dense output
    of ``config.horizon`` units (one per value ahead).

    Weights are initialised from ``config.seed``, so the same config gives the same model.
    ``steps_per_execution`` batches per compiled call of Keras' own ``fit``/``evaluate``:
    results are the same as 1, with Python entered once per call, not per batch.
    ``training.fit`` runs its own compiled epoch loop and does not depend on it.
    """
    keras = keras_module()
    with _build_lock:  # the seed is global to Keras: hold it while the weights are drawn
        keras.utils.set_random_seed(config.seed)
        layers: list[Any] = [keras.Input(shape=(steps, n_features), name="window")]
        cls = getattr(keras.layers, CELL_CLASS[config.cell])
        for i in range(config.layers):
            layers.append(cls(
                config.units,
                activation=config.activation,
                return_sequences=i < config.layers - 1,
                unroll=steps <= UNROLL_MAX_STEPS,
                name=f"{config.cell}_{i + 1}",
            ))
        if config.dense_units:
            layers.append(keras.layers.Dense(config.dense_units, activation=config.dense_activation,
                                             name="dense_hidden"))
        layers.append(keras.layers.Dense(config.horizon, activation=config.output_activation,
                                         name="output"))
        model = keras.Sequential(layers, name="rnn_explorer")
    model.compile(optimizer=_optimizer(keras, config.optimizer, config.learning_rate),
                  loss="mse", steps_per_execution=max(1, int(steps_per_execution)))
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
    """The same table computed from the config alone, without importing Keras.

    A SimpleRNN layer has (inputs + units + 1)·units weights; LSTM has 4 such blocks;
    GRU 3, plus another bias per block because Keras' default ``reset_after=True``.
    """
    rows = []
    width = n_features
    gates = {"simplernn": 1, "lstm": 4, "gru": 3}[config.cell]
    for i in range(config.layers):
        u = config.units
        params = gates * ((width + u + 1) * u) + (gates * u if config.cell == "gru" else 0)
        last = i == config.layers - 1
        shape = f"(None, {u})" if last else f"(None, {steps}, {u})"
        rows.append(LayerRow(f"{config.cell}_{i + 1}", CELL_LABEL[config.cell], shape, params))
        width = u
    if config.dense_units:
        rows.append(LayerRow("dense_hidden", "Dense", f"(None, {config.dense_units})",
                             (width + 1) * config.dense_units))
        width = config.dense_units
    h = config.horizon
    rows.append(LayerRow("output", "Dense", f"(None, {h})", (width + 1) * h))
    return rows
