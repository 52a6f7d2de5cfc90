"""How far back a network looks: its gradients through time, in numpy, from the weights.

``gradients(model, window)`` answers, for one window (T, features), how much each input value
moves the prediction, ∂ŷ_k/∂x_{t,f}, and how the influence of step t on the last hidden
state shrinks (or grows) as it travels through the recurrence: ‖∂h_T/∂x_t‖, ‖∂h_T/∂h_t‖ and,
for an LSTM, ‖∂c_T/∂c_t‖ (the cell state's path through the forget gates). ``model`` is
what ``rnn_core.unroll`` accepts: a Keras ``Sequential`` of SimpleRNN, LSTM or GRU layers
(any ``reset_after``) followed by Dense layers, or a run's numpy network
(``forward.Network``); no TensorFlow is imported here.

How it is computed: forward mode. Each step runs the SAME step functions as the unroll
(``simple_rnn_step``, ``lstm_step``, ``gru_step``) on dual numbers: every value carries, beside
it, its derivatives along a set of directions (``_Dual``). The directions are the T·features
input values (so ∂h_t/∂x follows the recurrence, layer after layer, and through the Dense
head, giving ∂ŷ/∂x) and, seeded afresh at every step, the state h_{t-1} (and c_{t-1}), which
gives each step's Jacobian ∂state_t/∂state_{t-1}; their products are ∂h_T/∂h_t. The
activations' slopes are those TensorFlow uses (at a kink, e.g. relu at 0, the same side).
``tests/core/test_memory.py`` compares every array with TensorFlow's ``GradientTape``.

What comes back (a ``Gradients``): ``output`` (H,), ``d_output`` (H, T, features) and
``layers``, one ``LayerGradients`` per recurrent layer with ``d_state_norm`` (T,) (Frobenius
norm of ∂h_T/∂x_t), ``d_state_state_norm`` (T,) (spectral norm of ∂h_T/∂h_t; 1 at t = T),
``d_cell_cell_norm`` (T,) for an LSTM (None otherwise), ``sigma_max`` (largest singular value
of the recurrent kernel), ``gamma`` (the activation's largest slope) and ``bound``, the curve
(γ·σ_max)^(T−t). For a SimpleRNN ∂h_t/∂h_{t-1} = diag(act'(pre)) · W_hᵀ, so the bound holds:
‖∂h_T/∂h_t‖ ≤ (γ·σ_max)^(T−t); the gates of an LSTM or GRU multiply the path by other
factors (the forget or update gate), so for them it is only a reference line.

A text model (``unroll``'s window of T character indices, one-hot or embedding input): the
prediction is the next character's probabilities after the last character, (V,); the
directions are the entries of the input vectors x_t: for one-hot input only the entry of the
character read at each step (``d_output`` (V, T, 1): ∂ŷ/∂x_{t, id_t}), for an embedding the E
entries of each character's embedding vector ((V, T, E)). ``rnn_core.text_memory`` reads them.

h_t and c_t are the tensors of the computation, as GradientTape takes them: h_t is computed
from c_t (h_t = o_t·act(c_t)), so ∂h_T/∂h_t holds c_t fixed while ∂c_T/∂c_t counts the effect
of c_t through h_t besides the path through the forget gates.

The first tutorial's network: SimpleRNN(2, linear) with h_t = x_t·W_x + h_{t-1}·W_h, read by
Dense(1). With W_h = ½·I every step halves the state's influence:

>>> import numpy as np
>>> from rnn_core.config import RunConfig
>>> from rnn_core.forward import Network
>>> config = RunConfig(cell="simplernn", units=2, activation="linear", time_steps=3)
>>> weights = [np.array([[1.0, 0.5]]), 0.5 * np.eye(2), np.zeros(2),  # SimpleRNN
...            np.array([[1.0], [1.0]]), np.zeros(1)]                   # Dense(1)
>>> g = gradients(Network(config, weights, steps=3, features=1), np.array([[1.0], [2.0], [3.0]]))
>>> g.d_output[0, :, 0]          # ∂ŷ/∂x_t = 1.5 · 0.5^(T−t)
array([0.375, 0.75 , 1.5  ])
>>> g.layers[0].d_state_state_norm
array([0.25, 0.5 , 1.  ])
>>> effective_memory(g.sensitivity())   # the last 2 steps carry 2.25 / 2.625 = 86 %: 3 needed
3
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from . import blas
from .errors import RnnExplorerError, quote
from .activations import ACTIVATIONS, max_slope, slope
from .unroll import (
    KERAS_COLUMN_ORDER, DenseTrace, LayerTrace, gru_step, lstm_step,
    simple_rnn_step, unroll,
)

Array = np.ndarray

# --- dual numbers: a value and its derivatives along D directions ---------------------------

class _Dual:
    """``v`` (a vector) with ``d`` (rows, *v.shape): row i holds ∂v/∂(direction ``lo`` + i);
    the derivatives along every other direction are zero, so they take no room or time.

    Supports what the step functions do to their inputs: ``+``, ``-``, ``*`` with another dual
    or a constant, ``@`` with a constant matrix on the right, and ``1.0 - z``.
    """

    __slots__ = ("v", "d", "lo")
    __array_ufunc__ = None  # ``ndarray + _Dual`` defers to _Dual.__radd__

    def __init__(self, v: Array, d: Array, lo: int = 0):
        self.v, self.d, self.lo = v, d, lo

    def __add__(self, o: Any) -> _Dual:
        if isinstance(o, _Dual):
            return _Dual(self.v + o.v, *_sum(self.d, self.lo, o.d, o.lo))
        return _Dual(self.v + o, self.d, self.lo)

    __radd__ = __add__

    def __sub__(self, o: Any) -> _Dual:
        return self + (-o)

    def __rsub__(self, o: Any) -> _Dual:
        return _Dual(o - self.v, -self.d, self.lo)

    def __neg__(self) -> _Dual:
        return _Dual(-self.v, -self.d, self.lo)

    def __mul__(self, o: Any) -> _Dual:
        if isinstance(o, _Dual):
            return _Dual(self.v * o.v, *_sum(self.d * o.v, self.lo, self.v * o.d, o.lo))
        return _Dual(self.v * o, self.d * o, self.lo)

    __rmul__ = __mul__

    def __matmul__(self, m: Array) -> _Dual:
        return _Dual(self.v @ m, self.d @ m, self.lo)

    def rows(self, start: int, stop: int) -> Array:
        """The derivatives along directions ``start``..``stop`` - 1 (zeros where none)."""
        out = np.zeros((stop - start,) + self.d.shape[1:])
        a, b = max(start, self.lo), min(stop, self.lo + len(self.d))
        if a < b:
            out[a - start:b - start] = self.d[a - self.lo:b - self.lo]
        return out


def _sum(a: Array, a_lo: int, b: Array, b_lo: int) -> tuple[Array, int]:
    """Derivative rows ``a`` (from direction ``a_lo``) plus rows ``b`` (from ``b_lo``)."""
    if a_lo == b_lo and len(a) == len(b):
        return a + b, a_lo
    lo, hi = min(a_lo, b_lo), max(a_lo + len(a), b_lo + len(b))
    out = np.zeros((hi - lo,) + np.broadcast_shapes(a.shape[1:], b.shape[1:]))
    out[a_lo - lo:a_lo - lo + len(a)] += a
    out[b_lo - lo:b_lo - lo + len(b)] += b
    return out, lo


def dual_activation(name: str) -> Callable[[_Dual], _Dual]:
    """The activation ``name`` of ``activations.ACTIVATIONS`` applied to a dual number: the value
    from ``ACTIVATIONS`` itself, the derivatives by the chain rule."""
    if name not in ACTIVATIONS:
        raise RnnExplorerError(f"activation {quote(name)} is not one of {', '.join(ACTIVATIONS)}.")
    fn = ACTIVATIONS[name]

    def apply(p: _Dual) -> _Dual:
        if not isinstance(p, _Dual):  # a constant (no direction reaches it)
            return fn(p)
        y = fn(p.v)
        if name == "softmax":  # dy = y ⊙ (dp − ⟨dp, y⟩)
            return _Dual(y, y * (p.d - (p.d @ y)[..., None]), p.lo)
        return _Dual(y, p.d * slope(name, p.v, y), p.lo)

    return apply


# --- what comes back ------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class LayerGradients:
    """One recurrent layer's gradients through time for one window; arrays are (T,), t = 1..T."""

    name: str
    kind: str  # "SimpleRNN" | "LSTM" | "GRU"
    units: int
    activation: str
    d_state_norm: Array  # ‖∂h_T/∂x_t‖_F (units × features)
    d_state_state_norm: Array  # ‖∂h_T/∂h_t‖_2 (units × units)
    d_cell_cell_norm: Array | None  # LSTM: ‖∂c_T/∂c_t‖_2; None for SimpleRNN and GRU
    sigma_max: float  # largest singular value of the recurrent kernel (units × blocks·units)
    gamma: float  # largest slope of ``activation``

    @property
    def bound(self) -> Array:
        """(γ·σ_max)^(T−t) for t = 1..T: an upper bound of ``d_state_state_norm`` for a
        SimpleRNN (a reference line for the gated cells)."""
        return lag_bound(self.gamma, self.sigma_max, len(self.d_state_norm))


@dataclass(frozen=True, eq=False)
class Gradients:
    """``gradients(model, window)``: the prediction and its derivatives for one window."""

    window: Array  # (T, features); a text model's: T character indices
    output: Array  # (H,): the prediction, as ``unroll`` computes it (a text model's: the
    # next character's probabilities after the last character, (V,))
    d_output: Array  # (H, T, features): ∂ŷ_k/∂x_{t,f}; a text model's (V, T, 1) for one-hot
    # input (∂ŷ_k/∂x_{t, id_t}, the entry of the character read), (V, T, E) for an embedding
    layers: list[LayerGradients]

    def sensitivity(self, output: int = 0) -> Array:
        """|∂ŷ_k/∂x_t| for t = 1..T (the norm over the features): how much output ``k``
        (0-based) moves per unit of input at each step.

        The signed values are ``d_output[output]``.
        """
        h = self.d_output.shape[0]
        if not isinstance(output, (int, np.integer)) or isinstance(output, bool) \
                or not -h <= output < h:
            raise RnnExplorerError(f"output={quote(output)}: the model has {h} output(s); "
                                   f"use a whole number from 0 to {h - 1}.", field="output")
        return np.sqrt(np.sum(self.d_output[output] ** 2, axis=1))


# --- the computation ------------------------------------------------------------------------

def gradients(model: Any, window: Any) -> Gradients:
    """∂ŷ/∂x and the per-layer gradient norms through time of ``model`` for one ``window``.

    ``model``: a Keras ``Sequential`` (recurrent layers, then Dense) or a ``forward.Network``;
    ``window``: numbers of shape (T, features). Raises ``RnnExplorerError`` for anything
    ``unroll`` refuses (other layers, a window of the wrong shape, NaN), with its message.

    >>> import numpy as np
    >>> from rnn_core.config import RunConfig
    >>> from rnn_core.forward import Network
    >>> config = RunConfig(cell="lstm", units=2, layers=2, horizon=3, time_steps=4)
    >>> rng = np.random.default_rng(0)
    >>> shapes = [(1, 8), (2, 8), (8,), (2, 8), (2, 8), (8,), (2, 3), (3,)]
    >>> net = Network(config, [rng.normal(size=s) for s in shapes], steps=4, features=1)
    >>> g = gradients(net, np.linspace(0, 1, 4).reshape(4, 1))
    >>> g.d_output.shape, [layer.d_cell_cell_norm.shape for layer in g.layers]
    ((3, 4, 1), [(4,), (4,)])
    """
    if not (hasattr(model, "layers") or callable(getattr(model, "layer_plan", None))):
        raise RnnExplorerError(
            f"model: got {quote(model)} (a {type(model).__name__}); gradients needs a "
            "keras.Sequential of SimpleRNN, LSTM or GRU layers followed by Dense layers, or a "
            "run's numpy network (rnn_core.forward.Network).", field="model")
    result = unroll(model, window)  # checks model and window, and splits the weights
    # one BLAS thread: OpenBLAS's threads waiting for a core that the server's other work holds
    # made a 60-step LSTM take 10× longer (BENCHMARKS.md, "Memory made visible"; rnn_core/blas.py)
    with blas.one_thread():
        return _gradients(result)


def _gradients(result: Any) -> Gradients:
    """``gradients`` of an ``Unrolled``: the layers on duals, then the Dense head."""
    text = result.encoder is not None
    seq, seq_d = _text_directions(result) if text else _input_directions(result.window)
    steps, n_dirs = seq_d.shape[:2]
    per_step = n_dirs // steps
    layers: list[LayerGradients] = []
    for i, trace in enumerate(result.layers):
        seq, seq_d, norms = _layer_gradients(trace, seq, seq_d, first=i == 0)
        layers.append(norms)
    # a text model's prediction after its last character reads h_T, like a series' one
    head = (_Dual(seq[-1], seq_d[-1]) if text or not result.layers[-1].return_sequences
            else _Dual(seq.reshape(-1), seq_d.transpose(1, 0, 2).reshape(n_dirs, -1)))  # Flatten
    d_output = _dense_head(result.dense, head).rows(0, n_dirs)
    output = np.asarray(result.output)
    return Gradients(window=result.window, output=output[-1] if text else output,
                     d_output=d_output.reshape(steps, per_step, -1).transpose(2, 0, 1),
                     layers=layers)


def _input_directions(window: Array) -> tuple[Array, Array]:
    """A series window (T, features) and ∂x_t/∂x: one direction per input value."""
    steps, features = window.shape
    seq_d = np.zeros((steps, steps * features, features))
    for t in range(steps):
        seq_d[t, t * features:(t + 1) * features] = np.eye(features)
    return window, seq_d


def _text_directions(result: Any) -> tuple[Array, Array]:
    """A text window's input vectors x_t (T, d) and their directions. One-hot: one per step,
    the entry of the character actually read (x_t itself: ∂/∂x_{t, id_t}); the other entries
    are 0 in every window the network can be given. Embedding: the E entries of each
    character's embedding vector."""
    x = result.layers[0].x
    steps, width = x.shape
    if result.encoder == "OneHot":
        seq_d = np.zeros((steps, steps, width))
        seq_d[np.arange(steps), np.arange(steps)] = x
        return x, seq_d
    return x, _input_directions(x)[1]


def _seed(value: Array, lo: int, identity: int, zeros: int, dirs: Array) -> _Dual:
    """A dual for ``value`` whose rows from direction ``lo`` are: ``identity`` rows of the
    identity (the value itself as directions), ``zeros`` zero rows, then ``dirs``."""
    n = value.shape[-1]
    d = np.zeros((identity + zeros + len(dirs), n))
    d[:identity] = np.eye(n)[:identity]
    d[identity + zeros:] = dirs
    return _Dual(value, d, lo)


def _layer_gradients(trace: LayerTrace, seq: Array, seq_d: Array, first: bool
                     ) -> tuple[Array, Array, LayerGradients]:
    """Run one recurrent layer on duals over ``seq`` (T, d_in) with its derivatives ``seq_d``
    (T, T·features, d_in): returns its h (T, units), ∂h_t/∂x (T, T·features, units) and its
    norms. For the ``first`` layer x_t is the window's step t itself (its own directions only).

    The directions: the state at the step before (an LSTM's c, then h), seeded afresh at every
    step, then the T·features input values; at step t only the inputs up to t have reached
    the state, so the later ones take no room (``_Dual.lo``).
    """
    kind, w, u = trace.kind, trace.weights, trace.units
    act = dual_activation(trace.activation)
    gate_act = dual_activation(trace.recurrent_activation or "sigmoid")
    lstm = kind == "LSTM"
    s = 2 * u if lstm else u  # the state: h, and c for an LSTM (directions: c first)
    steps, n_dirs = seq_d.shape[:2]
    per_step = n_dirs // steps  # features of the window
    h_v, c_v = np.zeros(u), np.zeros(u)
    hs = np.zeros((steps, u))
    hs_d, cs_d = np.zeros((steps, n_dirs, u)), np.zeros((steps, n_dirs, u))  # ∂h_t/∂x, ∂c_t/∂x
    local = np.zeros((steps, s, s))  # local[t][i, j] = ∂state_t[j] / ∂state_{t-1}[i], c then h
    dh_dc = np.zeros((steps, u, u))  # LSTM: dh_dc[t][i, j] = ∂h_t[j] / ∂c_t[i]
    for t in range(steps):
        seen = t * per_step  # input directions that reached the state before step t
        x = (_Dual(seq[t], seq_d[t, seen:seen + per_step], s + seen) if first
             else _Dual(seq[t], seq_d[t, :seen + per_step], s))
        h = _seed(h_v, s - u, u, 0, hs_d[t - 1, :seen] if t else np.zeros((0, u)))
        if kind == "SimpleRNN":
            h, _ = simple_rnn_step(x, h, w, act)
        elif lstm:
            c = _seed(c_v, 0, u, u, cs_d[t - 1, :seen] if t else np.zeros((0, u)))
            h, c, gates, _ = lstm_step(x, h, c, w, act, gate_act)
            c_v, cs_d[t], local[t][:, :u] = c.v, c.rows(s, s + n_dirs), c.rows(0, s)
            # lstm_step's h_t = o_t ⊙ act(c_t): the slope of h_t in c_t, for ∂c_T/∂c_t below
            dh_dc[t] = act(_Dual(c_v, np.eye(u))).d * gates["output"].v
        else:
            h, _, _ = gru_step(x, h, w, act, gate_act, bool(trace.reset_after))
        h_v, hs_d[t], local[t][:, s - u:] = h.v, h.rows(s, s + n_dirs), h.rows(0, s)
        hs[t] = h_v
    through = np.zeros((steps, s, s))  # through[t][i, j] = ∂state_T[j] / ∂state_t[i]
    through[-1] = np.eye(s)
    for t in range(steps - 2, -1, -1):
        np.matmul(local[t + 1], through[t + 1], out=through[t])
    d_state = hs_d[-1].reshape(steps, per_step, u)
    h_ = slice(s - u, s)  # the h rows and columns of the state
    norms = LayerGradients(
        name=trace.name, kind=kind, units=u, activation=trace.activation,
        d_state_norm=np.sqrt(np.sum(d_state ** 2, axis=(1, 2))),
        d_state_state_norm=_spectral_norms(through[:, h_, h_]),
        d_cell_cell_norm=_spectral_norms(through[:, :u, :u] + dh_dc @ through[:, h_, :u])
        if lstm else None,
        sigma_max=sigma_max(_recurrent_kernel(trace)), gamma=max_slope(trace.activation))
    return hs, hs_d, norms


def _dense_head(dense: Sequence[DenseTrace], value: _Dual) -> _Dual:
    """The Dense layers (as ``unroll`` read them) applied to a dual vector."""
    for layer in dense:
        value = dual_activation(layer.activation)(value @ layer.weights["W"]
                                                  + layer.weights.get("b", 0.0))
    return value


def _spectral_norms(stack: Array) -> Array:
    """The largest singular value of each matrix of ``stack`` (n, a, a): the square root of
    the largest eigenvalue of M·Mᵀ, a third faster than an SVD on one BLAS thread (and as
    exact for the largest); inf for a matrix that overflowed."""
    out = np.full(len(stack), np.inf)
    with np.errstate(all="ignore"):
        finite = np.all(np.isfinite(stack), axis=(1, 2))
        m = np.ascontiguousarray(stack if finite.all() else stack[finite])
        gram = m @ m.transpose(0, 2, 1)
    if not finite.any():
        return out
    if np.all(np.isfinite(gram)):
        out[finite] = np.sqrt(np.maximum(np.linalg.eigvalsh(gram)[:, -1], 0.0))
    else:  # M·Mᵀ overflows where M does not: the SVD copes
        out[finite] = np.linalg.svd(m, compute_uv=False)[:, 0]
    return out


def _recurrent_kernel(trace: LayerTrace) -> Array:
    """The recurrent kernel as Keras stores it: W_h, or the gates' W_h blocks side by side."""
    if trace.kind == "SimpleRNN":
        return trace.weights["W_h"]
    return np.hstack([trace.weights[f"W_h_{g}"] for g in KERAS_COLUMN_ORDER[trace.kind]])


# --- helpers for reading the profiles -------------------------------------------------------

# The share of the summed |∂ŷ/∂x_t| the effective memory covers (the app, the CLI).
MEMORY_SHARE = 0.9


def effective_memory(profile: Any, share: float = MEMORY_SHARE) -> int:
    """How many of the most recent steps carry ``share`` of the summed |sensitivity|.

    ``profile`` holds one value per time step, oldest first (e.g. ``Gradients.sensitivity()``
    or ``d_output[k, :, 0]``; signs are ignored). Returns the smallest k such that the last k
    steps hold at least ``share`` of the total; 0 when the profile is all zeros (the output
    does not depend on the window).

    >>> effective_memory([0.0, 0.1, 0.2, 0.3, 0.4])   # 0.4 + 0.3 + 0.2 = 0.9 of 1.0
    3
    >>> effective_memory([0.0, 0.1, 0.2, 0.3, 0.4], share=0.5), effective_memory([5, -1, 0])
    (2, 3)
    """
    try:
        a = np.abs(np.asarray(profile, dtype=np.float64))
    except (TypeError, ValueError):
        raise RnnExplorerError(f"profile: {quote(profile)} is not a sequence of numbers.",
                               field="profile") from None
    if a.ndim != 1 or a.size == 0 or not np.all(np.isfinite(a)):
        raise RnnExplorerError(f"profile: expected one finite number per time step (shape "
                               f"(T,)), got {quote(profile)} of shape {a.shape}.", field="profile")
    if isinstance(share, bool) or not isinstance(share, (int, float)) or not 0 < share <= 1:
        raise RnnExplorerError(f"share={quote(share)} must be a fraction in (0, 1], e.g. 0.9.",
                               field="share")
    total = float(a.sum())
    if total == 0.0:
        return 0
    carried = np.cumsum(a[::-1])
    return int(np.argmax(carried >= share * total * (1.0 - 1e-12))) + 1


def sigma_max(recurrent_kernel: Any) -> float:
    """The largest singular value of a matrix (the spectral norm): how much one step of the
    recurrence can stretch a state vector at most.

    >>> sigma_max(np.diag([0.5, -2.0, 1.0]))
    2.0
    """
    try:
        m = np.asarray(recurrent_kernel, dtype=np.float64)
    except (TypeError, ValueError):
        raise RnnExplorerError(f"recurrent_kernel: {quote(recurrent_kernel)} is not a matrix "
                               "of numbers.", field="recurrent_kernel") from None
    if m.ndim != 2 or m.size == 0:
        raise RnnExplorerError(f"recurrent_kernel: expected a 2-D matrix (units × units, or "
                               f"units × blocks·units), got shape {m.shape}.",
                               field="recurrent_kernel")
    if not np.all(np.isfinite(m)):
        return math.inf
    return float(np.linalg.norm(m, 2))


def lag_bound(gamma: float, sigma: float, steps: int) -> Array:
    """(γ·σ)^(T−t) for t = 1..T (T = ``steps``): how far ‖∂h_T/∂h_t‖ of a SimpleRNN can
    reach at most, since each step multiplies it by at most γ·σ_max.

    >>> lag_bound(1.0, 0.5, 4)
    array([0.125, 0.25 , 0.5  , 1.   ])
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 1:
        raise RnnExplorerError(f"steps={quote(steps)} must be a whole number of 1 or more.",
                               field="steps")
    for name, value in (("gamma", gamma), ("sigma", sigma)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) \
                or not value >= 0:
            raise RnnExplorerError(f"{name}={quote(value)} must be a number of 0 or more.",
                                   field=name)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.power(float(gamma) * float(sigma), np.arange(steps - 1, -1, -1, dtype=float))
