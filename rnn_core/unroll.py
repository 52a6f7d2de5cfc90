"""The recurrence, step by step, in plain numpy: what a Keras RNN computes for one window.

``unroll(model, window)`` reads the weights of a Keras ``Sequential`` model (SimpleRNN, LSTM or
GRU layers, then Dense layers) and recomputes its prediction for one window of shape
(T, features), one time step at a time, keeping every hidden state and gate on the way. Nothing
is computed by Keras: the weights come from ``layer.get_weights()`` and the maths is below, one
small function per cell kind (``simple_rnn_step``, ``lstm_step``, ``gru_step``) and a loop
(``unroll_layer``) that runs the steps. The result agrees with ``model.predict`` to ~1e-6.

What comes back (an ``Unrolled``):

- ``output``: the model's prediction for the window, shape (n_outputs,).
- ``layers``: one ``LayerTrace`` per recurrent layer, with ``kind`` ("SimpleRNN", "LSTM",
  "GRU"), ``x`` (T × input_dim, the sequence the layer read), ``h`` (T × units, the hidden
  state after every step), ``c`` (T × units, the LSTM cell state; None otherwise), ``gates``
  and ``pre_activations`` (name → T × units) and ``weights`` (name → array, for display).
- ``dense``: one ``DenseTrace`` per Dense layer (input, pre-activation, output, weights);
  ``dense_outputs`` is the list of their outputs. The last recurrent layer's final state h_T
  (or, after a Flatten, its whole sequence) is what the Dense head reads.

Gate names (Keras' words) and weight names, for an LSTM/GRU gate ``g``:

=========  ==========================================  =========================================
kind       gates                                       weights
=========  ==========================================  =========================================
SimpleRNN  pre_activation (x_t·W_x + h_{t-1}·W_h + b)  W_x, W_h, b
LSTM       forget, input, candidate, output            W_x_g, W_h_g, b_g
GRU        update, reset, candidate                    W_x_g, W_h_g, b_g (reset_after=False);
                                                       W_x_g, W_h_g, b_x_g, b_h_g (reset_after=True)
=========  ==========================================  =========================================

``W_x*`` have shape (input_dim, units), ``W_h*`` (units, units), biases (units,). Biases are
absent from ``weights`` when the layer has ``use_bias=False``. The Dense weights are W and b.

A text model (``architecture.ENCODERS``: an ``Embedding`` or a one-hot ``CategoryEncoding``
first, every recurrent layer returning its sequence, Dense layers at every step, a softmax
last) takes a window of T character indices: ``encode_input`` turns them into the vectors the
first recurrent layer reads (its ``x``), and ``output`` is (T, V), the next character's
probabilities after every step; each ``DenseTrace`` holds the whole sequence.

The first tutorial's network, a SimpleRNN of 2 linear units (``rnn_core.equations`` writes a
step as lines of maths with these numbers filled in):

>>> import numpy as np
>>> w = {"W_x": np.array([[1.0, 0.5]]), "W_h": np.array([[0.5, 0.0], [0.0, 0.5]]),
...      "b": np.array([0.0, 0.0])}
>>> trace = unroll_layer("SimpleRNN", w, np.array([[1.0], [2.0], [3.0]]), activation="linear")
>>> trace.h
array([[1.   , 0.5  ],
       [2.5  , 1.25 ],
       [4.25 , 2.125]])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from .activations import ACTIVATIONS, activation_name
from .architecture import ENCODERS
from .char_input import check_ids as _check_ids, encode_input, vocab_size as _vocab_size
from .errors import RnnExplorerError

Array = np.ndarray

RECURRENT_KINDS = ("SimpleRNN", "LSTM", "GRU")
# Gate names in the order the equations are shown. Keras stores the LSTM kernel's columns as
# [input, forget, candidate, output] and the GRU's as [update, reset, candidate].
GATES = {
    "SimpleRNN": ("pre_activation",),
    "LSTM": ("forget", "input", "candidate", "output"),
    "GRU": ("update", "reset", "candidate"),
}
KERAS_COLUMN_ORDER = {
    "LSTM": ("input", "forget", "candidate", "output"),
    "GRU": ("update", "reset", "candidate"),
}
# Layers that do nothing to one window at prediction time.
PASS_THROUGH = ("Dropout", "SpatialDropout1D", "GaussianNoise", "GaussianDropout", "AlphaDropout")


# --- what one layer did ---------------------------------------------------------------------

@dataclass
class LayerTrace:
    """One recurrent layer run over one window: its input, every state and gate, its weights."""

    name: str
    kind: str  # "SimpleRNN" | "LSTM" | "GRU"
    units: int
    activation: str
    recurrent_activation: str | None  # gates' activation (LSTM, GRU); None for SimpleRNN
    reset_after: bool | None  # GRU only
    use_bias: bool
    return_sequences: bool
    x: Array  # (T, input_dim): the sequence this layer read
    h: Array  # (T, units): hidden state after each step
    c: Array | None  # (T, units): LSTM cell state after each step
    gates: dict[str, Array]  # gate name -> (T, units)
    pre_activations: dict[str, Array]  # gate name (or "h") -> (T, units), before the activation
    weights: dict[str, Array]  # see the module docstring for names and shapes

    @property
    def steps(self) -> int:
        return int(self.h.shape[0])


@dataclass
class DenseTrace:
    """One Dense layer applied to the vector it received: output = activation(x·W + b)."""

    name: str
    activation: str
    x: Array
    pre_activation: Array
    output: Array
    weights: dict[str, Array]  # "W" (inputs, units), "b" (units,) when use_bias


@dataclass
class Unrolled:
    """A whole model run over one window; ``output`` equals the model's prediction."""

    window: Array
    layers: list[LayerTrace]
    dense: list[DenseTrace]
    output: Array  # a text model's: (T, V), the next character's probabilities at every step
    head_input: Array  # the vector the Dense head reads: h_T of the last layer (or flattened h;
    # a text model's: the last layer's whole h, (T, units))
    encoder: str | None = None  # a text model's input layer: "OneHot" or "Embedding"

    @property
    def dense_outputs(self) -> list[Array]:
        """The output vector of each Dense layer, in order; the last one is ``output``."""
        return [d.output for d in self.dense]


# --- one step of each cell ------------------------------------------------------------------

def _b(w: dict[str, Array], name: str) -> Array | float:
    return w.get(name, 0.0)


def simple_rnn_step(x_t: Array, h_prev: Array, w: dict[str, Array],
                    act: Callable[[Array], Array]) -> tuple[Array, dict[str, Array]]:
    """h_t = act(x_t·W_x + h_{t-1}·W_h + b). Returns h_t and the pre-activation."""
    pre = x_t @ w["W_x"] + h_prev @ w["W_h"] + _b(w, "b")
    return act(pre), {"h": pre}


def lstm_step(x_t: Array, h_prev: Array, c_prev: Array, w: dict[str, Array],
              act: Callable[[Array], Array], gate_act: Callable[[Array], Array]
              ) -> tuple[Array, Array, dict[str, Array], dict[str, Array]]:
    """One LSTM step: four gates from x_t and h_{t-1}, then the new cell state and output.

    f = σ(...forget), i = σ(...input), ĉ = act(...candidate), o = σ(...output),
    c_t = f * c_{t-1} + i * ĉ,  h_t = o * act(c_t).
    """
    pre = {g: x_t @ w[f"W_x_{g}"] + h_prev @ w[f"W_h_{g}"] + _b(w, f"b_{g}")
           for g in GATES["LSTM"]}
    gates = {g: (act if g == "candidate" else gate_act)(pre[g]) for g in GATES["LSTM"]}
    c = gates["forget"] * c_prev + gates["input"] * gates["candidate"]
    h = gates["output"] * act(c)
    return h, c, gates, pre


def gru_step(x_t: Array, h_prev: Array, w: dict[str, Array], act: Callable[[Array], Array],
             gate_act: Callable[[Array], Array], reset_after: bool
             ) -> tuple[Array, dict[str, Array], dict[str, Array]]:
    """One GRU step, as Keras computes it.

    z = σ(x·W_x_update + h·W_h_update + b), r = σ(... reset ...),
    reset_after=True:  ĥ = act(x·W_x_candidate + b_x + r * (h·W_h_candidate + b_h)),
    reset_after=False: ĥ = act(x·W_x_candidate + (r * h)·W_h_candidate + b),
    h_t = z * h_{t-1} + (1 - z) * ĥ.
    """
    pre: dict[str, Array] = {}
    if reset_after:  # separate input and recurrent biases
        for g in ("update", "reset"):
            pre[g] = (x_t @ w[f"W_x_{g}"] + _b(w, f"b_x_{g}")) + (h_prev @ w[f"W_h_{g}"] + _b(w, f"b_h_{g}"))
    else:
        for g in ("update", "reset"):
            pre[g] = x_t @ w[f"W_x_{g}"] + h_prev @ w[f"W_h_{g}"] + _b(w, f"b_{g}")
    z, r = gate_act(pre["update"]), gate_act(pre["reset"])
    if reset_after:
        pre["candidate"] = (x_t @ w["W_x_candidate"] + _b(w, "b_x_candidate")
                            + r * (h_prev @ w["W_h_candidate"] + _b(w, "b_h_candidate")))
    else:
        pre["candidate"] = (x_t @ w["W_x_candidate"] + (r * h_prev) @ w["W_h_candidate"]
                            + _b(w, "b_candidate"))
    candidate = act(pre["candidate"])
    h = z * h_prev + (1.0 - z) * candidate
    return h, {"update": z, "reset": r, "candidate": candidate}, pre


# --- the loop over time steps ---------------------------------------------------------------

def unroll_layer(kind: str, weights: dict[str, Array], x: Array, *, activation: str = "tanh",
                 recurrent_activation: str = "sigmoid", reset_after: bool = True,
                 name: str = "", return_sequences: bool = False) -> LayerTrace:
    """Run one recurrent layer over the sequence ``x`` (T × input_dim) from h_0 = 0 (and c_0 = 0).

    ``weights`` uses the names of the module docstring (``split_weights`` makes them from
    Keras' arrays); a missing bias means the layer has none.
    """
    x = np.asarray(x, dtype=np.float64)
    w = {k: np.asarray(v, dtype=np.float64) for k, v in weights.items()}
    units = (w["W_h"] if kind == "SimpleRNN" else w["W_h_candidate"]).shape[0]
    act, gate_act = ACTIVATIONS[activation], ACTIVATIONS[recurrent_activation]
    steps = x.shape[0]
    h_prev, c_prev = np.zeros(units), np.zeros(units)
    hs, cs = np.zeros((steps, units)), np.zeros((steps, units))
    names = GATES[kind]
    gates = {g: np.zeros((steps, units)) for g in names}
    pres = {g: np.zeros((steps, units)) for g in (("h",) if kind == "SimpleRNN" else names)}
    for t in range(steps):
        if kind == "SimpleRNN":
            h_prev, pre = simple_rnn_step(x[t], h_prev, w, act)
            gate = {"pre_activation": pre["h"]}
        elif kind == "LSTM":
            h_prev, c_prev, gate, pre = lstm_step(x[t], h_prev, c_prev, w, act, gate_act)
        else:
            h_prev, gate, pre = gru_step(x[t], h_prev, w, act, gate_act, reset_after)
        hs[t], cs[t] = h_prev, c_prev
        for g in gate:
            gates[g][t] = gate[g]
        for g in pre:
            pres[g][t] = pre[g]
    return LayerTrace(
        name=name, kind=kind, units=units, activation=activation,
        recurrent_activation=None if kind == "SimpleRNN" else recurrent_activation,
        reset_after=reset_after if kind == "GRU" else None, use_bias=any(k.startswith("b") for k in w),
        return_sequences=return_sequences, x=x, h=hs, c=cs if kind == "LSTM" else None,
        gates=gates, pre_activations=pres, weights=w,
    )


def split_weights(kind: str, arrays: Sequence[Array], reset_after: bool = True) -> dict[str, Array]:
    """Keras' ``layer.get_weights()`` (kernel, recurrent kernel[, bias]) as named per-gate arrays.

    >>> k, u = np.arange(6.0).reshape(1, 6), np.zeros((2, 6))
    >>> sorted(split_weights("GRU", [k, u]))
    ['W_h_candidate', 'W_h_reset', 'W_h_update', 'W_x_candidate', 'W_x_reset', 'W_x_update']
    >>> split_weights("GRU", [k, u])["W_x_reset"]
    array([[2., 3.]])
    """
    kernel, recurrent = np.asarray(arrays[0], np.float64), np.asarray(arrays[1], np.float64)
    bias = np.asarray(arrays[2], np.float64) if len(arrays) > 2 else None
    if kind == "SimpleRNN":
        w = {"W_x": kernel, "W_h": recurrent}
        if bias is not None:
            w["b"] = bias
        return w
    units = recurrent.shape[0]
    w = {}
    for j, g in enumerate(KERAS_COLUMN_ORDER[kind]):
        cols = slice(j * units, (j + 1) * units)
        w[f"W_x_{g}"], w[f"W_h_{g}"] = kernel[:, cols], recurrent[:, cols]
    for j, g in enumerate(KERAS_COLUMN_ORDER[kind]):
        cols = slice(j * units, (j + 1) * units)
        if bias is None:
            continue
        if kind == "GRU" and reset_after:  # bias has shape (2, 3·units): input row, recurrent row
            w[f"b_x_{g}"], w[f"b_h_{g}"] = bias[0, cols], bias[1, cols]
        else:
            w[f"b_{g}"] = bias[cols]
    return w


# --- the whole model ------------------------------------------------------------------------

def _kind(layer: Any) -> str:
    names = [cls.__name__ for cls in type(layer).__mro__]
    if "CategoryEncoding" in names and getattr(layer, "output_mode", "") == "one_hot":
        return "OneHot"
    for kind in RECURRENT_KINDS + ("Dense", "InputLayer", "Flatten", "Embedding") + PASS_THROUGH:
        if kind in names:
            return kind
    return type(layer).__name__


def _check_recurrent(layer: Any) -> None:
    for flag, why in (("go_backwards", "reads the window backwards"),
                      ("stateful", "carries its state from one batch to the next"),
                      ("return_state", "returns its states as extra outputs")):
        if getattr(layer, flag, False):
            raise RnnExplorerError(
                f"layer {layer.name!r} has {flag}=True ({why}); the step-by-step view only "
                f"unrolls forward, stateless layers: build it with {flag}=False."
            )
    if not layer.built or not layer.get_weights():
        raise RnnExplorerError(
            f"layer {layer.name!r} has no weights yet: give the model an input shape, e.g. "
            "keras.Input(shape=(time_steps, features)), or call it once on data."
        )


def _expected_steps(model: Any) -> int | None:
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        return None
    # (None, T, features), or a text model's (None, T) character indices
    if isinstance(shape, list) or not isinstance(shape, tuple) or len(shape) not in (2, 3):
        return None
    return shape[1]


def _check_window(window: Any, steps: int | None, features: int) -> Array:
    expected = f"({'T' if steps is None else steps}, {features})"
    try:
        x = np.asarray(window, dtype=np.float64)
    except (TypeError, ValueError):
        raise RnnExplorerError(
            f"the window must be an array of numbers of shape (time steps, features) = {expected}."
        ) from None
    hint = ""
    if x.ndim == 3 and x.shape[0] == 1:
        hint = " Pass one window, e.g. windows[0], not a batch."
    elif x.ndim == 1 and features == 1:
        hint = " Reshape it with window.reshape(-1, 1)."
    wrong = (x.ndim != 2 or x.shape[1] != features or x.shape[0] == 0
             or (steps is not None and x.shape[0] != steps))
    if wrong:
        raise RnnExplorerError(
            f"the window has shape {tuple(x.shape)}, but the model expects one window of shape "
            f"(time steps, features) = {expected}.{hint}", field="window"
        )
    if not np.all(np.isfinite(x)):
        raise RnnExplorerError("the window holds NaN or infinite values.", field="window")
    return x


def _layer_plan(model: Any) -> list[tuple[str, Any]]:
    """(kind, layer) for each layer that does something, checked against what we support.

    A ``forward.Network`` (a network kept as its weights, no Keras) gives its own plan."""
    if callable(getattr(model, "layer_plan", None)):
        return model.layer_plan()
    supported = ("unroll supports a keras.Sequential of SimpleRNN, LSTM or GRU layers followed "
                 "by Dense layers (Dropout and Flatten are allowed), for a text after an "
                 "Embedding or a one-hot CategoryEncoding")
    if "Sequential" not in [cls.__name__ for cls in type(model).__mro__]:
        raise RnnExplorerError(f"got a {type(model).__name__}: {supported}.")
    plan: list[tuple[str, Any]] = []
    seen_dense = False
    for layer in model.layers:
        kind = _kind(layer)
        if kind in ("InputLayer",) + PASS_THROUGH:
            continue
        if kind in ENCODERS:
            if plan:
                raise RnnExplorerError(f"layer {layer.name!r} ({kind}) must come first: "
                                       f"{supported}.")
        elif kind in RECURRENT_KINDS:
            if seen_dense:
                raise RnnExplorerError(
                    f"layer {layer.name!r} ({kind}) comes after a Dense layer: {supported}.")
            _check_recurrent(layer)
        elif kind == "Dense":
            seen_dense = True
        elif kind != "Flatten":
            raise RnnExplorerError(f"layer {layer.name!r} is a {kind}: {supported}.")
        plan.append((kind, layer))
    if not any(kind in RECURRENT_KINDS for kind, _ in plan):
        raise RnnExplorerError(f"the model has no recurrent layer: {supported}.")
    return plan


def unroll(model: Any, window: Any) -> Unrolled:
    """Recompute ``model``'s prediction for one window (T × features) step by step in numpy.

    Raises ``RnnExplorerError`` for a model it cannot follow (other layer types, go_backwards,
    stateful, a final sequence that no Flatten turns into one vector) or a window of the wrong
    shape.
    """
    plan = _layer_plan(model)
    text = plan[0][0] in ENCODERS  # a window of character indices, an output at every step
    encoder = plan[0][0] if text else None
    if text:
        kind, layer = plan[0]
        x = _check_ids(window, _expected_steps(model), _vocab_size(kind, layer))
        window_array, value = x, encode_input(kind, layer, x)
        plan = plan[1:]
    else:
        first = next(layer for kind, layer in plan if kind in RECURRENT_KINDS)
        x = _check_window(window, _expected_steps(model), first.get_weights()[0].shape[0])
        window_array = value = x  # a (T, d) sequence until the last recurrent layer, then one vector
    is_sequence = True
    traces: list[LayerTrace] = []
    dense: list[DenseTrace] = []
    head_input: Array | None = None
    for kind, layer in plan:
        if kind in RECURRENT_KINDS:
            if not is_sequence:
                raise RnnExplorerError(
                    f"layer {layer.name!r} receives a single vector: the recurrent layer before "
                    "it needs return_sequences=True.")
            reset_after = bool(getattr(layer, "reset_after", True))
            trace = unroll_layer(
                kind, split_weights(kind, layer.get_weights(), reset_after), value,
                activation=activation_name(layer.activation, f"layer {layer.name!r}"),
                recurrent_activation=activation_name(
                    getattr(layer, "recurrent_activation", "sigmoid"), f"layer {layer.name!r}"),
                reset_after=reset_after, name=layer.name,
                return_sequences=bool(layer.return_sequences),
            )
            traces.append(trace)
            value = trace.h if layer.return_sequences else trace.h[-1]
            is_sequence = bool(layer.return_sequences)
        elif kind == "Flatten":
            value, is_sequence = value.reshape(-1), False
        else:  # Dense
            if is_sequence and not text:
                raise RnnExplorerError(
                    f"Dense layer {layer.name!r} would receive the whole sequence: set "
                    f"return_sequences=False on {traces[-1].name!r} (the last recurrent layer) "
                    "or put a Flatten before the Dense layer, so each window gives one prediction.")
            arrays = [np.asarray(a, np.float64) for a in layer.get_weights()]
            w = {"W": arrays[0]} | ({"b": arrays[1]} if len(arrays) > 1 else {})
            act = activation_name(layer.activation, f"Dense layer {layer.name!r}")
            if head_input is None:
                head_input = value
            pre = value @ w["W"] + _b(w, "b")
            out = ACTIVATIONS[act](pre)
            dense.append(DenseTrace(layer.name, act, value, pre, out, w))
            value = out
    if is_sequence and not text:
        raise RnnExplorerError(
            f"the last recurrent layer {traces[-1].name!r} returns the whole sequence "
            "(return_sequences=True): set return_sequences=False so each window gives one "
            "prediction.")
    return Unrolled(window=window_array, layers=traces, dense=dense, output=np.asarray(value),
                    head_input=value if head_input is None else head_input,
                    encoder=encoder)


# --- many windows at once -------------------------------------------------------------------

def run_batch(kind: str, w: dict[str, Array], seq: Array, activation: str = "tanh",
              recurrent_activation: str = "sigmoid", reset_after: bool = True) -> Array:
    """One recurrent layer over N windows side by side: ``seq`` (N, T, d) → h_t of every step,
    (N, T, units). The same step functions as ``unroll_layer``, without the per-gate record."""
    act, gate_act = ACTIVATIONS[activation], ACTIVATIONS[recurrent_activation]
    n, steps, _ = seq.shape
    units = (w["W_h"] if kind == "SimpleRNN" else w["W_h_candidate"]).shape[0]
    h, c = np.zeros((n, units)), np.zeros((n, units))
    hs = np.zeros((n, steps, units))
    for t in range(steps):
        if kind == "SimpleRNN":
            h, _ = simple_rnn_step(seq[:, t], h, w, act)
        elif kind == "LSTM":
            h, c, _, _ = lstm_step(seq[:, t], h, c, w, act, gate_act)
        else:
            h, _, _ = gru_step(seq[:, t], h, w, act, gate_act, reset_after)
        hs[:, t] = h
    return hs


def final_states(model: Any, windows: Any) -> list[Array]:
    """h_T of every recurrent layer for a batch of windows (N, T, features): one N × units
    array per layer."""
    return [h[:, -1] for h in hidden_states(model, windows)]


def hidden_states(model: Any, windows: Any) -> list[Array]:
    """h_1..h_T of every recurrent layer for a batch of windows (N, T, features): one
    N × T × units array per layer (``run_batch`` over each layer in turn)."""
    plan = _layer_plan(model)
    seq = np.asarray(windows, dtype=np.float64)
    if plan[0][0] in ENCODERS:  # a text model: (N, T) character indices
        seq = encode_input(plan[0][0], plan[0][1], seq) if seq.ndim == 2 else seq
    if seq.ndim != 3:
        raise RnnExplorerError(f"windows must have shape (N, T, features), got {seq.shape}.")
    states: list[Array] = []
    for kind, layer in plan:
        if kind not in RECURRENT_KINDS:
            continue
        reset_after = bool(getattr(layer, "reset_after", True))
        seq = run_batch(kind, split_weights(kind, layer.get_weights(), reset_after), seq,
                        activation_name(layer.activation, f"layer {layer.name!r}"),
                        activation_name(getattr(layer, "recurrent_activation", "sigmoid"),
                                        f"layer {layer.name!r}"), reset_after)
        states.append(seq)
    return states
