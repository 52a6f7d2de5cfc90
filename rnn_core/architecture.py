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

A text config (``config.TEXTS``) reads windows of T character indices, ``features`` is the
vocabulary's size V: an input layer turns each index into a vector (``onehot``: V values, a
single 1, no weights; ``embedding``: a learned row of an (V, embedding size) table), every
recurrent layer hands on its whole sequence, and the Dense layers act at every step, the last
one a softmax over the V characters: the next character's probabilities after each step.

>>> text = RunConfig(dataset="brackets", cell="gru", units=4, text_input="embedding",
...                  embedding_dim=3)
>>> for spec in architecture(text, time_steps=5, features=10):
...     print(spec.name, spec.kind, spec.shapes, spec.output_shape)
embedding Embedding ((10, 3),) (None, 5, 3)
gru_1 GRU ((3, 12), (4, 12), (2, 12)) (None, 5, 4)
output Dense ((4, 10), (10,)) (None, 5, 10)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .config import TEXTS, RunConfig

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
# The layers that turn a text window's character indices into vectors (text configs only):
# Keras' Embedding, and CategoryEncoding(output_mode="one_hot") named "OneHot" here.
ENCODERS = ("Embedding", "OneHot")


@dataclass(frozen=True)
class LayerSpec:
    """One layer as Keras builds it: ``name`` is the Keras layer name, ``shapes`` the shapes of
    its arrays in ``layer.get_weights()`` order, ``output_shape`` as ``model.summary()`` shows
    it."""

    name: str
    kind: str  # "SimpleRNN", "LSTM", "GRU", "Dense", or for a text "Embedding" / "OneHot"
    units: int
    activation: str
    shapes: tuple[tuple[int, ...], ...]
    output_shape: str
    return_sequences: bool = False  # recurrent layers: hand every step's state to the next layer
    unroll: bool = False  # recurrent layers: unrolled into plain ops (windows ≤ UNROLL_MAX_STEPS)

    @property
    def recurrent(self) -> bool:
        return self.kind in _BLOCKS

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
    text = config.dataset in TEXTS
    specs = _encoder(config, time_steps, features) if text else []
    width = specs[0].units if text else features
    # a text's network outputs at every step, so the Dense layers read sequences
    steps = f"{time_steps}, " if text else ""
    for i in range(config.layers):
        more = text or i < config.layers - 1  # hand on the whole sequence
        u = config.units
        specs.append(LayerSpec(
            f"{config.cell}_{i + 1}", kind, u, config.activation,
            _recurrent_shapes(kind, width, u),
            f"(None, {time_steps}, {u})" if more else f"(None, {u})",
            return_sequences=more, unroll=time_steps <= UNROLL_MAX_STEPS))
        width = u
    heads = [("dense_hidden", config.dense_units, config.dense_activation)]
    heads = heads if config.dense_units else []
    heads.append(("output", features, "softmax") if text else
                 ("output", config.horizon, config.output_activation))
    for name, units, activation in heads:
        specs.append(LayerSpec(name, "Dense", units, activation, ((width, units), (units,)),
                               f"(None, {steps}{units})"))
        width = units
    return specs


def _encoder(config: RunConfig, time_steps: int, vocab: int) -> list[LayerSpec]:
    """A text network's input layer: one-hot (V values, no weights) or a learned embedding."""
    if config.text_input == "embedding":
        e = config.embedding_dim
        return [LayerSpec("embedding", "Embedding", e, "linear", ((vocab, e),),
                          f"(None, {time_steps}, {e})")]
    return [LayerSpec("onehot", "OneHot", vocab, "linear", (), f"(None, {time_steps}, {vocab})")]
