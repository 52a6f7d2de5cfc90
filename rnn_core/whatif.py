"""What if one input had been different: nudge x_t by δ and rerun the network.

``nudge(model, window, t, delta, feature=0)`` adds ``delta`` to the input value at step ``t``
(1-based, t = 1..T) and feature ``feature`` (0-based; 0 is the target itself when a run has
extra input columns), runs the window again through ``unroll`` (the same numpy network the
Inside page shows) and subtracts: ``delta_h`` is, per recurrent layer, h_t(nudged) − h_t
(T × units; exactly zero before t, since the steps before t read the same numbers),
``delta_output`` the change of the prediction ŷ (H,). Beside it, ``linear_output`` is what
the derivative predicts, δ·∂ŷ/∂x_{t,f} (``memory.gradients``): for a small δ the two agree;
where the network bends (a saturating tanh, a gate switching) the actual change leaves the
straight line, and ``relative_difference`` says how far. ``sentence`` words it. ``model`` is
what ``unroll`` accepts: a Keras ``Sequential`` of recurrent then Dense layers, or a run's
``forward.Network``; no TensorFlow is imported here.

The first tutorial's linear network (h_t = x_t·W_x + h_{t-1}·½, read by Dense(1)): linear all
the way, so the linear prediction is exact, and the nudge at t = 2 leaves h_1 alone:

>>> import numpy as np
>>> from rnn_core.config import RunConfig
>>> from rnn_core.forward import Network
>>> config = RunConfig(cell="simplernn", units=2, activation="linear", time_steps=3)
>>> weights = [np.array([[1.0, 0.5]]), 0.5 * np.eye(2), np.zeros(2),  # SimpleRNN
...            np.array([[1.0], [1.0]]), np.zeros(1)]                   # Dense(1)
>>> n = nudge(Network(config, weights, steps=3, features=1), [[1.0], [2.0], [3.0]], t=2, delta=0.5)
>>> n.delta_h[0]
array([[0.   , 0.   ],
       [0.5  , 0.25 ],
       [0.25 , 0.125]])
>>> n.delta_output, n.linear_output, n.relative_difference
(array([0.375]), array([0.375]), 0.0)
>>> print(sentence(n))  # doctest: +NORMALIZE_WHITESPACE
Nudging x_2 by δ = +0.5 changes the prediction by +0.375 (the network run again); the linear
prediction δ·∂ŷ/∂x_2 = +0.375 differs from it by 0 % of the actual change: the linear view
holds here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import RnnExplorerError, quote
from .memory import gradients
from .unroll import unroll

Array = np.ndarray

# The nudge the page offers, in the network's (scaled) units: min-max scaling puts the
# training values in 0..1, so ±2 already moves an input twice the series' range.
DELTA_MIN, DELTA_MAX = -2.0, 2.0
DELTA_DEFAULT = 0.1
# How the sentence judges the linear view: relative difference below HOLDS "holds", below
# ROUGH "roughly holds", above it "breaks".
HOLDS, ROUGH = 0.05, 0.25


@dataclass(frozen=True, eq=False)
class Nudge:
    """``nudge(model, window, t, delta, feature)``: the network's change when x_{t,f} += δ."""

    t: int  # the nudged step, 1..T
    delta: float
    feature: int  # 0-based
    window: Array  # (T, features): the window as given
    layer_names: list[str]  # one per recurrent layer
    delta_h: list[Array]  # per recurrent layer, (T, units): h_t(nudged) − h_t; 0 before t
    output: Array  # (H,): ŷ of the window
    nudged_output: Array  # (H,): ŷ of the nudged window
    slope: Array  # (H,): ∂ŷ_k/∂x_{t,f}

    @property
    def delta_output(self) -> Array:
        """Δŷ (H,): the network's actual change."""
        return self.nudged_output - self.output

    @property
    def linear_output(self) -> Array:
        """δ·∂ŷ/∂x_{t,f} (H,): the change the derivative predicts."""
        return self.delta * self.slope

    @property
    def relative_difference(self) -> float:
        """‖Δŷ − δ·∂ŷ/∂x_t‖ / ‖Δŷ‖ (norms over the H outputs): 0 when both are 0, inf when
        only the actual change is 0."""
        gap = float(np.linalg.norm(self.delta_output - self.linear_output))
        size = float(np.linalg.norm(self.delta_output))
        if gap == 0.0:
            return 0.0
        return math.inf if size == 0.0 else gap / size


def _whole(name: str, value: Any, lo: int, hi: int, why: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise RnnExplorerError(f"{name}={quote(value)}: {why}; use a whole number from {lo} to "
                               f"{hi}.", field=name)
    return int(value)


def nudge(model: Any, window: Any, t: int, delta: float, feature: int = 0) -> Nudge:
    """Add ``delta`` to ``window[t - 1, feature]`` and compare the network's actual change with
    the linear prediction. Raises ``RnnExplorerError`` (naming the value) for a step outside
    1..T, a feature outside the window, a δ that is not a finite number, and anything
    ``unroll`` refuses (model or window)."""
    base = unroll(model, window)  # checks model and window first
    steps, features = base.window.shape
    t = _whole("t", t, 1, steps, f"the window has {steps} time step{'s' if steps != 1 else ''}")
    feature = _whole("feature", feature, 0, features - 1,
                     f"the window has {features} feature{'s' if features != 1 else ''} "
                     "(0-based)")
    if isinstance(delta, bool) or not isinstance(delta, (int, float, np.integer, np.floating)) \
            or not math.isfinite(delta):
        raise RnnExplorerError(f"delta={quote(delta)}: the nudge must be a finite number "
                               "(in the network's units).", field="delta")
    delta = float(delta)
    nudged_window = base.window.copy()
    nudged_window[t - 1, feature] += delta
    nudged = unroll(model, nudged_window)
    slope = gradients(model, base.window).d_output[:, t - 1, feature]
    return Nudge(t=t, delta=delta, feature=feature, window=base.window,
                 layer_names=[layer.name for layer in base.layers],
                 delta_h=[b.h - a.h for a, b in zip(base.layers, nudged.layers)],
                 output=np.ravel(base.output), nudged_output=np.ravel(nudged.output),
                 slope=np.asarray(slope, dtype=float))


def _values(a: Array) -> str:
    return f"{a[0]:+.4g}" if len(a) == 1 else "(" + ", ".join(f"{v:+.4g}" for v in a) + ")"


def verdict(relative: float) -> str:
    """The linear view judged from the relative difference."""
    if relative <= HOLDS:
        return "the linear view holds here"
    if relative <= ROUGH:
        return "the linear view roughly holds"
    return ("the linear view breaks: the network bends (saturating activations, gates that "
            "switch) over a nudge this size")


def sentence(n: Nudge) -> str:
    """One sentence: the actual Δŷ, the linear prediction and how far apart they are."""
    x = f"x_{n.t}" + (f" (feature {n.feature + 1})" if n.window.shape[1] > 1 else "")
    horizon = len(n.output)
    what = "the prediction" if horizon == 1 else f"the {horizon} predicted values"
    if n.delta == 0.0:
        return f"A nudge δ = 0 leaves {what} as it is; choose a δ other than 0."
    head = (f"Nudging {x} by δ = {n.delta:+.4g} changes {what} by {_values(n.delta_output)} "
            f"(the network run again); the linear prediction δ·∂ŷ/∂x_{n.t} = "
            f"{_values(n.linear_output)}")
    rel = n.relative_difference
    if math.isinf(rel):
        return f"{head}, but the network's output did not move at all: the linear view breaks."
    scope = "" if horizon == 1 else " (over the H values)"
    return f"{head} differs from it by {percent(rel)} of the actual change{scope}: {verdict(rel)}."


def percent(rel: float) -> str:
    """A relative difference as a percentage, two significant digits below 10 %."""
    pct = 100.0 * rel
    return "0 %" if pct == 0 else f"{pct:.2g} %" if pct < 10 else f"{pct:.0f} %"
