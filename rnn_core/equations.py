"""A recurrent step and the Dense head written as lines of plain maths, numbers filled in.

``step_equation(trace, t)`` writes step t (1-based) of a layer that ``rnn_core.unroll`` ran;
``head_equation(result)`` the Dense layers after it. The first tutorial's network, a
SimpleRNN of 2 linear units:

>>> import numpy as np
>>> from rnn_core.unroll import unroll_layer
>>> w = {"W_x": np.array([[1.0, 0.5]]), "W_h": np.array([[0.5, 0.0], [0.0, 0.5]]),
...      "b": np.array([0.0, 0.0])}
>>> trace = unroll_layer("SimpleRNN", w, np.array([[1.0], [2.0], [3.0]]), activation="linear")
>>> for line in step_equation(trace, 2):
...     print(line)
x_2 = [2], h_1 = [1, 0.5]
h_2 = x_2·W_x + h_1·W_h + b = [2.5, 1.25]
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .errors import RnnExplorerError, quote
from .unroll import GATES, Array, LayerTrace, Unrolled

# Symbols used in the equations: f_t, i_t, ĉ_t, o_t; z_t, r_t, ĥ_t.
SYMBOL = {
    ("LSTM", "forget"): "f", ("LSTM", "input"): "i", ("LSTM", "candidate"): "ĉ",
    ("LSTM", "output"): "o",
    ("GRU", "update"): "z", ("GRU", "reset"): "r", ("GRU", "candidate"): "ĥ",
}


def fmt_number(v: float) -> str:
    """A number to 4 significant digits: 0.1235, -2.5, 1.2e-05."""
    return f"{float(v) + 0.0:.4g}"


def fmt_vector(v: Array, max_values: int | None = 8) -> str:
    """``[0.1, -2.5]``; longer vectors are cut to their first and last values."""
    v = np.ravel(v)
    if max_values is not None and len(v) > max_values:
        head = max(1, max_values - 2)
        parts = [fmt_number(a) for a in v[:head]] + ["…", fmt_number(v[-1])]
        return "[" + ", ".join(parts) + f"] ({len(v)} values)"
    return "[" + ", ".join(fmt_number(a) for a in v) + "]"


def _apply(act: str, inner: str, pre: Array, out: Array, fmt: Callable[[Array], str]) -> str:
    """``act(inner) = act([pre]) = [out]``, or ``inner = [out]`` for a linear activation."""
    if act == "linear":
        return f"{inner} = {fmt(out)}"
    return f"{act}({inner}) = {act}({fmt(pre)}) = {fmt(out)}"


def step_equation(trace: LayerTrace, t: int, max_values: int | None = 8) -> list[str]:
    """Lines of maths for step ``t`` (1-based) of one recurrent layer, with its numbers.

    The first line gives the step's inputs (x_t, h_{t-1}, and c_{t-1} for an LSTM), then one
    line per gate and one for each new state. Vectors longer than ``max_values`` are shortened
    (None shows all values).
    """
    steps = trace.steps
    if not isinstance(t, (int, np.integer)) or not 1 <= t <= steps:
        raise RnnExplorerError(f"step t={quote(t)} is out of range: use 1 to {steps}.", field="t")
    i = int(t) - 1

    def fmt(v: Array) -> str:
        return fmt_vector(v, max_values)

    zeros = np.zeros(trace.units)
    h_prev = trace.h[i - 1] if i > 0 else zeros
    p, s = f"_{t - 1}", f"_{t}"  # subscripts of the previous and this step
    inputs = f"x{s} = {fmt(trace.x[i])}, h{p} = {fmt(h_prev)}"
    b = trace.use_bias
    if trace.kind == "SimpleRNN":
        inner = f"x{s}·W_x + h{p}·W_h" + (" + b" if b else "")
        return [inputs, f"h{s} = " + _apply(trace.activation, inner, trace.pre_activations["h"][i],
                                            trace.h[i], fmt)]
    lines = []
    if trace.kind == "LSTM":
        c_prev = trace.c[i - 1] if i > 0 else zeros  # type: ignore[index]
        lines.append(f"{inputs}, c{p} = {fmt(c_prev)}")
        for g in GATES["LSTM"]:
            act = trace.activation if g == "candidate" else trace.recurrent_activation
            inner = f"x{s}·W_x_{g} + h{p}·W_h_{g}" + (f" + b_{g}" if b else "")
            sym = SYMBOL[("LSTM", g)]
            lines.append(f"{sym}{s} = " + _apply(act, inner, trace.pre_activations[g][i],  # type: ignore[arg-type]
                                                 trace.gates[g][i], fmt))
        lines.append(f"c{s} = f{s} * c{p} + i{s} * ĉ{s} = {fmt(trace.c[i])}")  # type: ignore[index]
        tanh_c = f"c{s}" if trace.activation == "linear" else f"{trace.activation}(c{s})"
        lines.append(f"h{s} = o{s} * {tanh_c} = {fmt(trace.h[i])}")
        return lines
    lines.append(inputs)
    for g in GATES["GRU"]:
        sym = SYMBOL[("GRU", g)]
        if trace.reset_after:
            bx, bh = (f" + b_x_{g}", f" + b_h_{g}") if b else ("", "")
            if g == "candidate":
                inner = f"x{s}·W_x_{g}{bx} + r{s} * (h{p}·W_h_{g}{bh})"
            else:
                inner = f"x{s}·W_x_{g}{bx} + h{p}·W_h_{g}{bh}"
        else:
            bias = f" + b_{g}" if b else ""
            if g == "candidate":
                inner = f"x{s}·W_x_{g} + (r{s} * h{p})·W_h_{g}{bias}"
            else:
                inner = f"x{s}·W_x_{g} + h{p}·W_h_{g}{bias}"
        act = trace.activation if g == "candidate" else trace.recurrent_activation
        lines.append(f"{sym}{s} = " + _apply(act, inner, trace.pre_activations[g][i],  # type: ignore[arg-type]
                                             trace.gates[g][i], fmt))
    lines.append(f"h{s} = z{s} * h{p} + (1 - z{s}) * ĥ{s} = {fmt(trace.h[i])}")
    return lines


def head_equation(result: Unrolled, max_values: int | None = 8) -> list[str]:
    """One line per Dense layer: how the head turns the last hidden state into the output.

    The first Dense layer reads h_T of the last recurrent layer (written ``h_T``), each next
    one reads the previous output ``d_1``, ``d_2``, ...; the last line's value is the output.
    """
    if not result.layers:
        return []
    lines = []
    src = f"h_{result.layers[-1].steps}" if not result.layers[-1].return_sequences else "flatten(h)"
    for k, d in enumerate(result.dense, start=1):
        name = "y" if k == len(result.dense) else f"d_{k}"
        inner = f"{src}·W + b" if "b" in d.weights else f"{src}·W"
        lines.append(f"{name} = " + _apply(d.activation, inner, d.pre_activation, d.output,
                                           lambda v: fmt_vector(v, max_values)))
        src = name
    return lines
