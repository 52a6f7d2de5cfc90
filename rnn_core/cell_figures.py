"""One time step of a recurrent cell drawn as a diagram: data in, ``go.Figure`` out. No Streamlit.

``cell_parts(trace, t)`` reads step t (1-based) of a layer that ``rnn_core.unroll`` ran and
names every vector the step uses or makes (x_t, h_{t-1}, the gates, the new states), exactly
the unroll's arrays. ``cell_figure(trace, t)`` draws them as the cell's diagram: each vector a
box of one coloured cell per unit, placed where it acts —

- LSTM: the cell state's line c_{t-1} → ×f → +(i·ĉ) → c_t on top, the four gates f, i, ĉ, o in
  a row fed by [h_{t-1}, x_t], and h_t = o · tanh(c_t) on the right;
- GRU: h_{t-1} → ×z → +((1−z)·ĥ) → h_t on top, the gates z, r and the candidate ĥ (which reads
  r · h_{t-1}) fed by [h_{t-1}, x_t];
- SimpleRNN: x_t·W_x and h_{t-1}·W_h summed, the activation, h_t.

Gates (a sigmoid's 0..1) share a sequential scale from 0 to 1; the signed vectors (inputs,
states, candidate, pre-activation) share a diverging scale centred on 0. Every unit's exact
value is on hover (and written in its cell when the layer has few units).

>>> import numpy as np
>>> from rnn_core.unroll import unroll_layer
>>> w = {"W_x": np.array([[1.0, 0.5]]), "W_h": np.array([[0.5, 0.0], [0.0, 0.5]]),
...      "b": np.array([0.0, 0.0])}
>>> trace = unroll_layer("SimpleRNN", w, np.array([[1.0], [2.0], [3.0]]), activation="linear")
>>> [p.key for p in cell_parts(trace, 2)]
['x', 'h_prev', 'pre_activation', 'h']
>>> cell_parts(trace, 2)[-1].values
array([2.5 , 1.25])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .equations import SYMBOL
from .errors import RnnExplorerError, quote
from .inside_figures import GATE_SCALE, SIGNED_SCALE
from .unroll import LayerTrace

WRITTEN_UP_TO = 4  # units: each cell of a box carries its number up to this many
BOX_W, BOX_H = 1.7, 0.75  # a vector's box, in the diagram's coordinates
LINE = "#777777"
NODE = "#fdd0a2"  # an operation (×, +, tanh)
WIDTH, HEIGHT = 12.8, 8.4  # the diagram's coordinate space


@dataclass(frozen=True)
class Part:
    """One vector of the step: its key, its label, whether it is a gate (0..1), its values
    and where its box is centred in the diagram."""

    key: str
    label: str
    gate: bool
    values: np.ndarray
    at: tuple[float, float]


def _step(trace: LayerTrace, t: int) -> int:
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 1 <= t <= trace.steps:
        raise RnnExplorerError(f"step t={quote(t)} is out of range: use 1 to {trace.steps}.",
                               field="t")
    return int(t) - 1


# Where each box goes, per cell kind (x, y of its centre): the layout described above.
_LAYOUT = {
    "SimpleRNN": {"x": (1.2, 1.4), "h_prev": (1.2, 5.6), "pre_activation": (6.2, 3.5),
                  "h": (11.0, 3.5)},
    "LSTM": {"x": (1.2, 0.6), "h_prev": (1.2, 2.0), "c_prev": (1.2, 7.4), "forget": (3.4, 4.2),
             "input": (5.5, 4.2), "candidate": (7.6, 4.2), "output": (9.7, 4.2),
             "c": (11.6, 7.4), "h": (11.6, 1.4)},
    "GRU": {"x": (1.2, 0.6), "h_prev": (1.2, 2.0), "update": (3.6, 4.2), "reset": (6.0, 4.2),
            "candidate": (8.6, 4.2), "h": (11.4, 7.4)},
}


def cell_parts(trace: LayerTrace, t: int) -> list[Part]:
    """Every vector of step ``t`` (1-based) of ``trace``, in drawing order, as the unroll
    computed it (h_{t-1} and c_{t-1} are zeros at t = 1)."""
    i = _step(trace, t)
    zeros = np.zeros(trace.units)
    at = _LAYOUT[trace.kind]
    s, p = f"_{t}", f"_{t - 1}"
    parts = [Part("x", f"x{s} (input)", False, trace.x[i], at["x"]),
             Part("h_prev", f"h{p} (previous state)", False,
                  trace.h[i - 1] if i else zeros, at["h_prev"])]
    if trace.kind == "SimpleRNN":
        parts.append(Part("pre_activation", f"x{s}·W_x + h{p}·W_h" + (" + b" if trace.use_bias
                                                                      else ""),
                          False, trace.pre_activations["h"][i], at["pre_activation"]))
    else:
        if trace.kind == "LSTM":
            parts.append(Part("c_prev", f"c{p} (previous cell state)", False,
                              trace.c[i - 1] if i else zeros, at["c_prev"]))  # type: ignore[index]
        for g, values in trace.gates.items():
            gate = g != "candidate"
            parts.append(Part(g, f"{SYMBOL[(trace.kind, g)]}{s} {g}", gate, values[i], at[g]))
        if trace.kind == "LSTM":
            parts.append(Part("c", f"c{s} (cell state)", False, trace.c[i], at["c"]))  # type: ignore[index]
    parts.append(Part("h", f"h{s} (new state)", False, trace.h[i], at["h"]))
    return parts


def _box(part: Part) -> go.Heatmap:
    """A vector as a row of coloured cells in its box, the exact value of each on hover."""
    n = len(part.values)
    x0 = part.at[0] - BOX_W / 2
    written = n <= WRITTEN_UP_TO
    return go.Heatmap(
        z=[part.values], x0=x0 + BOX_W / (2 * n), dx=BOX_W / n, y0=part.at[1], dy=BOX_H,
        name=part.key, coloraxis="coloraxis" if part.gate else "coloraxis2", xgap=1,
        customdata=[np.arange(1, n + 1)],
        text=[[f"{v:.2f}" for v in part.values]] if written else None,
        texttemplate="%{text}" if written else None, textfont=dict(size=11),
        hovertemplate=f"{part.label}<br>unit %{{customdata}}: %{{z:.6g}}<extra></extra>")


def _arrows(arrows: list[tuple]) -> go.Scatter:
    """Every arrow (start, end[, head]) of the diagram as ONE trace: segments separated by
    None, an arrowhead marker at each end turned along its segment (``angleref``). One trace,
    not an annotation per arrow: plotly validates each annotation against the whole layout,
    which made a step change cost ~0.2 s."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    sizes: list[int] = []
    for arrow in arrows:
        (x0, y0), (x1, y1) = arrow[0], arrow[1]
        head = len(arrow) < 3 or bool(arrow[2])
        xs += [x0, x1, None]
        ys += [y0, y1, None]
        sizes += [0, 10 if head else 0, 0]
    return go.Scatter(x=xs, y=ys, mode="lines+markers", hoverinfo="skip", showlegend=False,
                      line=dict(color=LINE, width=1.4),
                      marker=dict(symbol="arrow", angleref="previous", size=sizes, color=LINE))


# Operation nodes (centre, symbol) and arrows (from, to) of each diagram; a node's edge is
# ~0.3 from its centre, a box's ±BOX_W/2 wide and ±BOX_H/2 high.
_NODES = {
    "SimpleRNN": [((4.2, 3.5), "+"), ((8.7, 3.5), "act")],
    "LSTM": [((3.4, 7.4), "×"), ((6.55, 7.4), "+"), ((6.55, 5.9), "×"), ((11.6, 5.8), "act"),
             ((11.6, 4.2), "×")],
    "GRU": [((3.6, 7.4), "×"), ((8.6, 7.4), "+"), ((8.6, 5.9), "×"), ((6.0, 5.9), "1−")],
}
_ARROWS = {
    "SimpleRNN": [((2.1, 1.6), (3.9, 3.3)), ((2.1, 5.4), (3.9, 3.7)), ((4.5, 3.5), (5.3, 3.5)),
                  ((7.1, 3.5), (8.4, 3.5)), ((9.0, 3.5), (10.1, 3.5))],
    "LSTM": [((2.1, 7.4), (3.1, 7.4)), ((3.7, 7.4), (6.25, 7.4)), ((6.85, 7.4), (10.7, 7.4)),
             ((3.4, 5.0), (3.4, 7.1)), ((5.5, 5.0), (6.3, 5.7)), ((7.6, 5.0), (6.8, 5.7)),
             ((6.55, 6.2), (6.55, 7.1)), ((11.6, 7.0), (11.6, 6.15)),
             ((11.6, 5.45), (11.6, 4.5)), ((10.6, 4.2), (11.3, 4.2)),
             ((11.6, 3.9), (11.6, 2.05))],
    "GRU": [((1.2, 2.85), (1.2, 7.4), False), ((1.2, 7.4), (3.3, 7.4)),
            ((3.9, 7.4), (8.3, 7.4)), ((8.9, 7.4), (10.5, 7.4)), ((3.6, 5.0), (3.6, 7.1)),
            ((3.6, 5.9), (5.7, 5.9)), ((6.3, 5.9), (8.3, 5.9)), ((8.6, 5.0), (8.6, 5.6)),
            ((8.6, 6.2), (8.6, 7.1)), ((6.9, 4.2), (7.7, 4.2))],
}
# words on the arrows: what the weights do on the way
_NOTES = {
    "SimpleRNN": [((3.0, 2.05), "·W_x"), ((3.0, 4.95), "·W_h")],
    "LSTM": [((6.0, 2.8), "each gate g reads x_t·W_x_g + h_{t-1}·W_h_g + b_g")],
    "GRU": [((6.0, 2.8), "each gate g reads x_t·W_x_g + h_{t-1}·W_h_g + b_g (ĥ: r·h_{t-1})")],
}
# the gates' inputs: [h_{t-1}, x_t] run along a bus under the gate row
_BUS_Y = 3.1


def _bus(kind: str) -> list[go.Scatter]:
    """The line that carries [h_{t-1}, x_t] to every gate of an LSTM or GRU, with its arrows."""
    gates = [xy for key, xy in _LAYOUT[kind].items() if key not in ("x", "h_prev", "c_prev",
                                                                    "c", "h")]
    right = max(x for x, _ in gates)
    return [go.Scatter(x=[2.1, 2.5, 2.5, None, 2.1, 2.5, None, 2.5, right],
                       y=[0.6, 0.6, _BUS_Y, None, 2.0, 2.0, None, _BUS_Y, _BUS_Y],
                       mode="lines", line=dict(color=LINE, width=1.4), hoverinfo="skip",
                       showlegend=False),
            _arrows([((x, _BUS_Y), (x, y - BOX_H / 2 - 0.05)) for x, y in gates])]


def _nodes(kind: str, activation: str) -> go.Scatter:
    """The operations (×, +, 1−, the activation) as round markers with their symbol."""
    nodes = [(xy, activation if sym == "act" else sym) for xy, sym in _NODES[kind]]
    return go.Scatter(
        x=[xy[0] for xy, _ in nodes], y=[xy[1] for xy, _ in nodes], mode="markers+text",
        text=[sym for _, sym in nodes], hoverinfo="skip", showlegend=False,
        textfont=dict(size=11 if max(len(s) for _, s in nodes) > 2 else 15),
        marker=dict(size=[34 if len(s) > 2 else 24 for _, s in nodes], color=NODE,
                    line=dict(color=LINE, width=1)))


def _labels(kind: str, parts: list[Part]) -> go.Scatter:
    """Each box's name above it, and the words on the arrows."""
    notes = _NOTES[kind]
    return go.Scatter(
        x=[p.at[0] for p in parts] + [xy[0] for xy, _ in notes],
        y=[p.at[1] + BOX_H / 2 + 0.22 for p in parts] + [xy[1] for xy, _ in notes],
        mode="text", text=[p.label for p in parts] + [words for _, words in notes],
        hoverinfo="skip", showlegend=False,
        textfont=dict(size=12, color=["#333"] * len(parts) + ["#777"] * len(notes)))


def cell_figure(trace: LayerTrace, t: int, title: str | None = None) -> go.Figure:
    """Step ``t`` (1-based) of ``trace`` as a diagram of its cell (see the module docstring).

    Built in one go (traces, then one layout): each ``add_trace`` / ``update_layout`` copies
    and validates the figure again, which a step change would pay every time."""
    parts = cell_parts(trace, t)
    signed = np.concatenate([p.values for p in parts if not p.gate])
    top = float(np.max(np.abs(signed))) if signed.size else 1.0
    top = top if np.isfinite(top) and top > 0 else 1.0
    data = [_box(p) for p in parts] + [_nodes(trace.kind, trace.activation),
                                       _arrows(_ARROWS[trace.kind])]
    if trace.kind != "SimpleRNN":
        data += _bus(trace.kind)
    data.append(_labels(trace.kind, parts))
    axis = dict(visible=False, fixedrange=True)
    layout = go.Layout(
        title=title or f"{trace.kind} cell at step t = {t}: every box is one vector, one "
                       "cell per unit (hover for its value)",
        height=420, showlegend=False, plot_bgcolor="white", margin=dict(l=10, r=10, t=40, b=10),
        xaxis=dict(axis, range=[0, WIDTH]), yaxis=dict(axis, range=[0, HEIGHT]),
        coloraxis=dict(colorscale=GATE_SCALE, cmin=0.0, cmax=1.0,
                       # no gates in a SimpleRNN: no 0..1 scale to explain
                       showscale=trace.kind != "SimpleRNN",
                       colorbar=dict(title="gate", thickness=10, len=0.45, y=0.75, x=1.0)),
        coloraxis2=dict(colorscale=SIGNED_SCALE, cmid=0.0, cmin=-top, cmax=top,
                        colorbar=dict(title="value", thickness=10, len=0.45, y=0.22, x=1.0)))
    return go.Figure(data=data, layout=layout)
