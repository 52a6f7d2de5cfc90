"""How far back a network looks, in words: the mean sensitivity over many windows and the
sentences the Inside page prints under its memory charts, written from the numbers.

``mean_profile(model, windows)`` runs ``memory.gradients`` over at most
``MAX_PROFILE_WINDOWS`` windows (evenly spaced when there are more) and averages their
sensitivities |∂ŷ_k/∂x_t|. ``sensitivity_sentence`` states the effective memory (the most
recent steps carrying ``MEMORY_SHARE`` of the sensitivity) of that mean and of one window;
``forgetting_paragraph`` says what the gradient norms of one recurrent layer do over the
window: how much they fall, where the bound (γ·σ_max)^(T−t) sits, and for an LSTM how the
cell state's path compares. No Streamlit here: the CLI or a notebook can print the same texts.

>>> import numpy as np
>>> from rnn_core.memory import LayerGradients
>>> layer = LayerGradients(name="simple_rnn", kind="SimpleRNN", units=2, activation="linear",
...     d_state_norm=np.array([0.25, 0.5, 1.0]), d_state_state_norm=np.array([0.25, 0.5, 1.0]),
...     d_cell_cell_norm=None, sigma_max=0.5, gamma=1.0)
>>> print(forgetting_paragraph(layer))  # doctest: +NORMALIZE_WHITESPACE
simple_rnn (SimpleRNN, 2 units): an input's pull on the last hidden state, ‖∂h_T/∂x_t‖, goes
from 1 at t = 3 to 0.25 at t = 1: it falls 4×, less than 10×, so the oldest step still reaches
h_T. Through the state alone, ‖∂h_T/∂h_t‖ goes from 1 to 0.25 at t = 1 (4× smaller; a factor 0.5
per step on average). σ_max = 0.5 (the most the recurrent matrix stretches a state) times γ = 1
(the activation's largest slope) is 0.5, below 1, so the dashed bound (γ·σ_max)^(T−t) forces
‖∂h_T/∂h_t‖ down to 0.25 or less at t = 1; the actual value is on the bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .memory import MEMORY_SHARE, Gradients, LayerGradients, effective_memory, gradients

# At most this many windows are run to average the sensitivity (evenly spaced when there are
# more): the page computes them when it is first drawn for a model, and one window of a
# 64-unit LSTM over 60 steps takes about 0.1 s (a 32-unit GRU over 36 steps ~0.01 s).
MAX_PROFILE_WINDOWS = 50
# A norm that falls by more than this over the window has, in practice, vanished.
VANISHED = 10.0


def spaced(n: int, cap: int = MAX_PROFILE_WINDOWS) -> np.ndarray:
    """The indices of at most ``cap`` of ``n`` windows, evenly spaced, first and last included.

    >>> spaced(5, 3), spaced(2, 3)
    (array([0, 2, 4]), array([0, 1]))
    """
    if n <= cap:
        return np.arange(n)
    return np.unique(np.round(np.linspace(0, n - 1, cap)).astype(int))


@dataclass(frozen=True, eq=False)
class MeanProfile:
    """The mean |∂ŷ_k/∂x_t| over the windows ``used`` (indices) of ``total`` windows."""

    profiles: np.ndarray  # (H, T): row k the mean sensitivity of output k, t = 1..T
    used: np.ndarray  # the indices of the windows averaged
    total: int  # how many windows there were

    @property
    def capped(self) -> bool:
        return len(self.used) < self.total

    def effective_memory(self, output: int = 0) -> int | None:
        """The effective memory of output ``output``'s mean profile; None if not finite."""
        return profile_memory(self.profiles[output])


def profile_memory(profile: np.ndarray) -> int | None:
    """``effective_memory`` of ``profile`` at ``MEMORY_SHARE``; None if it is not finite."""
    if not np.all(np.isfinite(profile)):
        return None
    return effective_memory(profile, MEMORY_SHARE)


def mean_profile(model: Any, windows: Sequence[np.ndarray] | np.ndarray,
                 cap: int = MAX_PROFILE_WINDOWS) -> MeanProfile:
    """``memory.gradients`` of ``model`` over at most ``cap`` of ``windows`` (N, T, features),
    their sensitivities averaged per output and time step."""
    windows = np.asarray(windows)
    used = spaced(len(windows), cap)
    total = None
    for i in used:
        g = gradients(model, windows[i])
        s = np.stack([g.sensitivity(k) for k in range(g.d_output.shape[0])])
        total = s if total is None else total + s
    profiles = total / len(used) if total is not None else np.zeros((0, 0))
    return MeanProfile(profiles=profiles, used=used, total=len(windows))


def _num(value: float) -> str:
    """A number for people: 3 significant digits, no exponent for everyday sizes."""
    if not math.isfinite(value):
        return "infinite" if value > 0 else str(value)
    return f"{value:.3g}"


def _times(ratio: float) -> str:
    if ratio < 100:
        return f"{ratio:.2g}×"
    return f"{ratio:,.0f}×" if ratio < 1e6 else f"{ratio:.2g}×"  # not 31 digits


def sensitivity_sentence(g: Gradients, mean: MeanProfile | None, output: int = 0,
                         part: str = "test") -> str:
    """The effective memory of the mean profile (if any) and of ``g``'s window, in a sentence.

    >>> import numpy as np
    >>> g = Gradients(window=np.zeros((3, 1)), output=np.zeros(1),
    ...               d_output=np.array([[[0.375], [0.75], [1.5]]]), layers=[])
    >>> print(sensitivity_sentence(g, None))
    For this window, the last 3 of 3 steps carry 90% of the sensitivity |∂ŷ/∂x_t|.
    >>> mean = MeanProfile(profiles=np.array([[0.0, 0.1, 0.9]]), used=np.arange(50), total=564)
    >>> print(sensitivity_sentence(g, mean))  # doctest: +NORMALIZE_WHITESPACE
    Over 50 of the 564 test windows (evenly spaced; at most 50 are computed), the last step
    of 3 carries 90% of the mean sensitivity |∂ŷ/∂x_t| (the line); for this window alone,
    the last 3.
    """
    steps = g.d_output.shape[1]
    horizon = g.d_output.shape[0]
    ahead = "" if horizon == 1 else f" of output {output + 1} of {horizon} (value {output + 1} ahead)"
    own = profile_memory(g.sensitivity(output))
    if own is None:
        own_text = "the sensitivity is not finite (the network overflows)"
    elif own == 0:
        own_text = "the prediction does not depend on the window at all (every ∂ŷ/∂x_t is 0)"
    else:
        own_text = None
    if mean is None or mean.total == 0:
        if own_text is not None:
            return f"For this window, {own_text}."
        return (f"For this window, {_carry(own, steps)} {MEMORY_SHARE:.0%} of the sensitivity "
                f"|∂ŷ/∂x_t|{ahead}.")
    n = len(mean.used)
    over = (f"Over {n:,} of the {mean.total:,} {part} windows (evenly spaced; at most "
            f"{MAX_PROFILE_WINDOWS} are computed)" if mean.capped
            else f"Over the {n:,} {part} window{'s' if n != 1 else ''}")
    m = mean.effective_memory(output)
    if m is None:
        head = f"{over}, the mean sensitivity is not finite (the network overflows)"
    elif m == 0:
        head = f"{over}, the prediction does not depend on the windows (every ∂ŷ/∂x_t is 0)"
    else:
        head = (f"{over}, {_carry(m, steps)} {MEMORY_SHARE:.0%} of the mean sensitivity "
                f"|∂ŷ/∂x_t|{ahead} (the line)")
    tail = (own_text if own_text is not None else
            "the last step" if own == 1 else f"the last {own}")
    return f"{head}; for this window alone, {tail}."


def _carry(m: int, steps: int) -> str:
    """"the last m of T steps carry" in words, for m = 1 and T = 1 too."""
    if steps == 1:
        return "its one step carries"
    if m == 1:
        return f"the last step of {steps} carries"
    return f"the last {m} of {steps} steps carry"


def forgetting_paragraph(layer: LayerGradients) -> str:
    """What ``layer``'s gradient norms do over the window, in plain words, from its numbers."""
    steps = len(layer.d_state_norm)
    head = f"{layer.name} ({layer.kind}, {layer.units} unit{'s' if layer.units != 1 else ''})"
    if steps == 1:
        return (f"{head}: the window is read in a single step, so there is no path back "
                "through time and nothing to forget.")
    first, last = float(layer.d_state_norm[0]), float(layer.d_state_norm[-1])
    out = [f"{head}: an input's pull on the last hidden state, ‖∂h_T/∂x_t‖, goes from "
           f"{_num(last)} at t = {steps} to {_num(first)} at t = 1: {_fall(last, first)}."]
    oldest = float(layer.d_state_state_norm[0])
    if math.isfinite(oldest) and oldest > 0:
        per_step = oldest ** (1.0 / (steps - 1))
        change = (f"{_times(1 / oldest)} smaller" if oldest < 0.99 else
                  f"{_times(oldest)} larger" if oldest > 1.01 else "about unchanged")
        out.append(f"Through the state alone, ‖∂h_T/∂h_t‖ goes from 1 to {_num(oldest)} at "
                   f"t = 1 ({change}; a factor {_num(per_step)} per step on average).")
    else:
        out.append(f"Through the state alone, ‖∂h_T/∂h_t‖ goes from 1 to {_num(oldest)} at "
                   "t = 1.")
    out.append(_bound_sentence(layer, oldest, float(layer.bound[0])))
    if layer.d_cell_cell_norm is not None:
        out.append(_cell_sentence(float(layer.d_cell_cell_norm[0]), oldest))
    return " ".join(out)


def _fall(newest: float, oldest: float) -> str:
    """How a norm changes from the last step (``newest``) back to the first (``oldest``)."""
    if not (math.isfinite(newest) and math.isfinite(oldest)):
        return "the gradient overflows (it is not finite)"
    if newest == 0 and oldest == 0:
        return "no input reaches h_T at all"
    if oldest == 0:
        return "it falls to 0, so the oldest step does not reach h_T at all"
    ratio = newest / oldest
    if ratio > VANISHED:
        return (f"it falls {_times(ratio)}, more than {VANISHED:.0f}×, so the oldest steps "
                "hardly reach h_T (the gradient vanishes)")
    if ratio > 1:
        return (f"it falls {_times(ratio)}, less than {VANISHED:.0f}×, so the oldest step "
                "still reaches h_T")
    if 0.99 <= ratio <= 1.01:
        return "it stays about the same, so nothing is forgotten over this window"
    grow = 1 / ratio
    if grow > VANISHED:
        return (f"it grows {_times(grow)} going back, more than {VANISHED:.0f}×, so the oldest "
                "step pulls hardest (the gradient explodes)")
    return (f"it does not fall: the oldest step pulls {_times(grow)} as hard as the last, so "
            "nothing is forgotten over this window")


def _article(kind: str) -> str:
    return "an" if kind == "LSTM" else "a"


def _bound_sentence(layer: LayerGradients, oldest: float, bound: float) -> str:
    """Where the line (γ·σ_max)^(T−t) sits at t = 1 against ‖∂h_T/∂h_1‖, and what it means."""
    rate = layer.gamma * layer.sigma_max
    factors = (f"σ_max = {_num(layer.sigma_max)} (the most the recurrent matrix stretches a "
               f"state) times γ = {_num(layer.gamma)} (the activation's largest slope) is "
               f"{_num(rate)}")
    if not (math.isfinite(oldest) and math.isfinite(bound)):
        return (f"{factors}; the dashed line (γ·σ_max)^(T−t) is {_num(bound)} at t = 1, the "
                f"actual value {_num(oldest)}.")
    gap = _gap(oldest, bound)
    if layer.kind == "SimpleRNN":
        if rate < 1:
            return (f"{factors}, below 1, so the dashed bound (γ·σ_max)^(T−t) forces "
                    f"‖∂h_T/∂h_t‖ down to {_num(bound)} or less at t = 1; the actual value "
                    f"{gap}.")
        return (f"{factors}, 1 or more, so the dashed bound (γ·σ_max)^(T−t) allows "
                f"{_num(bound)} at t = 1 and the matrix alone does not force forgetting; the "
                f"actual value {gap}: the activation's slopes, below γ away from 0, do the "
                "shrinking.")
    return (f"{factors}; for {_article(layer.kind)} {layer.kind} the dashed line "
            f"(γ·σ_max)^(T−t) is only a reference, since the gates scale the path too: at "
            f"t = 1 it sits at {_num(bound)}, and the actual value {gap}.")


def _gap(actual: float, bound: float) -> str:
    """Where ``actual`` sits against ``bound``, in words."""
    if bound == 0 or actual == 0:
        return f"is {_num(actual)}"
    ratio = bound / actual
    if 0.99 <= ratio <= 1.01:
        return "is on the bound"
    if ratio > 1:
        return f"is {_times(ratio)} below it"
    return f"is {_times(1 / ratio)} above it"


def _cell_sentence(cell: float, state: float) -> str:
    """An LSTM's ‖∂c_T/∂c_1‖ against ‖∂h_T/∂h_1‖."""
    start = f"The cell state's path through the forget gates, ‖∂c_T/∂c_t‖, is {_num(cell)} at t = 1"
    if not (math.isfinite(cell) and math.isfinite(state)) or state == 0 or cell == 0:
        return f"{start}, against {_num(state)} for ‖∂h_T/∂h_t‖."
    ratio = cell / state
    if ratio > 1.01:
        return (f"{start}, {_times(ratio)} the path through h: the forget gates carry the past "
                "further than h does.")
    if ratio < 0.99:
        return (f"{start}, {_times(1 / ratio)} below the path through h: here the forget gates "
                "do not carry the past further than h.")
    return f"{start}, the same as the path through h."


def autodiff_sentence(by_hand: np.ndarray, autodiff: np.ndarray, index: int | None,
                      where: str = "run where the network was trained") -> str:
    """The proof under the memory charts: ``by_hand`` (``Gradients.d_output``) against
    TensorFlow's ``autodiff`` for test window ``index`` (None: the window shown, e.g. a typed
    one), as the largest difference relative to the largest |∂ŷ/∂x|.

    >>> print(autodiff_sentence(np.array([[[0.5], [1.0]]]), np.array([[[0.5], [1.00002]]]), 3))
    By hand (numpy, from the weights) vs TensorFlow's autodiff (GradientTape, run where the \
network was trained), test window 3: the largest difference of ∂ŷ/∂x_t is 2e-05 of the \
largest |∂ŷ/∂x_t|.
    """
    a, b = np.asarray(by_hand, dtype=float), np.asarray(autodiff, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} by hand, {b.shape} by autodiff")
    scale = float(np.max(np.abs(b))) if b.size else 0.0
    diff = float(np.max(np.abs(a - b))) if a.size else 0.0
    rel = diff / scale if scale > 0 else diff
    what = f"test window {index}" if index is not None else "this window"
    return ("By hand (numpy, from the weights) vs TensorFlow's autodiff (GradientTape, "
            f"{where}), {what}: the largest difference of ∂ŷ/∂x_t is {rel:.2g} of the "
            "largest |∂ŷ/∂x_t|.")

