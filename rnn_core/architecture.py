"""The network a config describes, as data: the one place that knows the layer stack.

``architecture(config, time_steps, features)`` lists the layers — the recurrent layers, an
optional hidden Dense, a Dense output of ``config.horizon`` units — with what each consumer
needs: the Keras builder (``model.build``), the parameter table (``model.param_table``), the
numpy forward pass (``forward.Network``), the step-by-step view (through ``Network``) and the
exported script (``export.script``). A new knob is one edit here. No Keras import.

The first tutorial's network, a SimpleRNN of 2 units reading windows of 12 values:

>>> from rnn_core.config import RunConfig
>>> config = RunConfig(cell="simplernn", units=2, time_steps=12)
>>> for spec in architecture(config, time_steps=12, features=1):
...     print(spec.name, spec.kind, spec.shapes, spec.params, spec.output_shape)
simplernn_1 SimpleRNN ((1, 2), (2, 2), (2,)) 8 (None, 2)
output Dense ((2, 1), (1,)) 3 (None, 1)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .config import RunConfig

# Keras layer class for each config cell name (also the name a user reads).
CELL_CLASS = {"simplernn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}
# Keras optimizer class for each config optimizer name.
OPTIMIZER_CLASS = {"adam": "Adam", "rmsprop": "RMSprop", "sgd": "SGD"}
# Sequences up to this length are unrolled into plain ops: the same maths, far less loop
# overhead for the short windows learners use (see BENCHMARKS.md).
UNROLL_MAX_STEPS = 16
# Blocks of weights per recurrent cell: one per gate (LSTM: input, forget, candidate, output;
# GRU: update, reset, candidate), each with its own columns in the kernels.
_BLOCKS = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


@dataclass(frozen=True)
class LayerSpec:
    """One layer as Keras builds it: ``name`` is the Keras layer name, ``shapes`` the shapes of
    its arrays in ``layer.get_weights()`` order, ``output_shape`` as ``model.summary()`` shows
    it."""

    name: str
    kind: str  # "SimpleRNN", "LSTM", "GRU" or "Dense"
    units: int
    activation: str
    shapes: tuple[tuple[int, ...], ...]
    output_shape: str
    return_sequences: bool = False  # recurrent layers: hand every step's state to the next layer
    unroll: bool = False  # recurrent layers: unrolled into plain ops (windows ≤ UNROLL_MAX_STEPS)

    @property
    def recurrent(self) -> bool:
        return self.kind != "Dense"

    @property
    def params(self) -> int:
        """The number of trainable values: the sum of the arrays' sizes."""
        return sum(math.prod(shape) for shape in self.shapes)


def _recurrent_shapes(kind: str, inputs: int, units: int) -> tuple[tuple[int, ...], ...]:
    """Kernel (inputs, blocks·units), recurrent kernel (units, blocks·units) and bias. Keras'
    GRU default ``reset_after=True`` keeps two bias rows: one for the input, one for the state."""
    width = _BLOCKS[kind] * units
    bias = (2, width) if kind == "GRU" else (width,)
    return (inputs, width), (units, width), bias


def architecture(config: RunConfig, time_steps: int, features: int) -> list[LayerSpec]:
    """The layers of the network for ``config`` reading windows of ``time_steps`` steps of
    ``features`` values each (the network's input shape, ``model.input_shape(config)`` for a
    univariate series), from input to output.

    >>> [s.name for s in architecture(RunConfig(cell="gru", layers=2, dense_units=4), 6, 1)]
    ['gru_1', 'gru_2', 'dense_hidden', 'output']
    """
    kind = CELL_CLASS[config.cell]
    specs = []
    width = features
    for i in range(config.layers):
        more = i < config.layers - 1  # every layer but the last hands on its whole sequence
        u = config.units
        specs.append(LayerSpec(
            f"{config.cell}_{i + 1}", kind, u, config.activation,
            _recurrent_shapes(kind, width, u),
            f"(None, {time_steps}, {u})" if more else f"(None, {u})",
            return_sequences=more, unroll=time_steps <= UNROLL_MAX_STEPS))
        width = u
    heads = [("dense_hidden", config.dense_units, config.dense_activation)]
    heads = heads if config.dense_units else []
    heads.append(("output", config.horizon, config.output_activation))
    for name, units, activation in heads:
        specs.append(LayerSpec(name, "Dense", units, activation, ((width, units), (units,)),
                               f"(None, {units})"))
        width = units
    return specs
