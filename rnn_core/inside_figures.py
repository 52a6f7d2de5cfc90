"""Pictures of Inside the network: the unrolled chain of steps, the states and gates as heatmaps,
the weight matrices, and every window's final state under the series. Data in, ``go.Figure``
out; the numbers come from ``rnn_core.unroll``.

Colour scales fit the values: a gate (a sigmoid's output) on a sequential scale over exactly
0..1, signed values (h, c, the candidate, weights) on a diverging scale centred on 0.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from .figures import ACTUAL_COLOR, SPLIT_COLOR, thin_step

CURRENT_COLOR = "#d62728"
CELL_COLOR = "#c6dbef"


def _short(v: np.ndarray, n: int = 3) -> str:
    v = np.atleast_1d(v)
    text = ", ".join(f"{x:.3g}" for x in v[:n])
    return f"[{text}{', …' if len(v) > n else ''}]"


def _segments(x0, y0, x1, y1) -> tuple[list, list]:
    """Line segments as one trace's x and y lists, separated by None."""
    xs, ys = [], []
    for a, b, c, d in zip(x0, y0, x1, y1):
        xs += [a, c, None]
        ys += [b, d, None]
    return xs, ys


def _head_text(output: float | np.ndarray) -> str:
    values = np.ravel(output)
    if len(values) == 1:
        return f"dense head → output {values[0]:.4g}"
    return f"dense head → {len(values)} outputs {_short(values)}" + (", …" if len(values) > 3 else "")


# the unrolled diagram's fixed frame: the same height at every step (Play does not make the page
# jump), just room for the x_t labels under the arrows and the head's output above the boxes
UNROLLED_HEIGHT = 230
UNROLLED_Y_RANGE = (-1.2, 1.25)


def unrolled_figure(x: np.ndarray, h: np.ndarray, t: int, kind: str,
                    output: float | np.ndarray | None = None) -> go.Figure:
    """The recurrent layer drawn across its T steps: a box per step, x_t arrows from below,
    h_t arrows to the next step, the current step ``t`` (1-based) highlighted in red.

    Values are written at the current step (at every step when T ≤ 8) and on hover everywhere,
    so the picture stays readable at T = 60. Drawn with a handful of traces, not one shape per
    step, so a step change redraws in milliseconds.
    """
    steps = len(h)
    k = np.arange(1, steps + 1)
    fig = go.Figure()
    grey, red = "#888888", CURRENT_COLOR
    size = float(np.clip(620 / steps, 10, 44))
    up_x, up_y = _segments(k, np.full(steps, -0.85), k, np.full(steps, -0.32))
    right_x, right_y = _segments(k[:-1] + 0.3, np.zeros(steps - 1), k[:-1] + 0.68, np.zeros(steps - 1))
    fig.add_trace(go.Scatter(x=up_x + right_x, y=up_y + right_y, mode="lines",
                             line=dict(color=grey, width=1), hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=k, y=np.full(steps, -0.34), mode="markers", hoverinfo="skip",
                             marker=dict(symbol="triangle-up", size=7, color=grey)))
    fig.add_trace(go.Scatter(x=k[:-1] + 0.68, y=np.zeros(steps - 1), mode="markers",
                             hoverinfo="skip", marker=dict(symbol="triangle-right", size=7, color=grey)))
    colors = np.where(k == t, "#fcbba1", CELL_COLOR)
    fig.add_trace(go.Scatter(
        x=k, y=np.zeros(steps), mode="markers",
        marker=dict(symbol="square", size=size, color=colors,
                    line=dict(color=np.where(k == t, red, "#6baed6"), width=np.where(k == t, 3, 1))),
        hovertext=[f"t = {j}<br>x_{j} = {_short(x[j - 1], 6)}<br>h_{j} = {_short(h[j - 1], 6)}"
                   for j in k], hoverinfo="text"))
    # the current step's input arrow in red
    fig.add_trace(go.Scatter(x=[t, t], y=[-0.85, -0.32], mode="lines", line=dict(color=red, width=2),
                             hoverinfo="skip"))
    labelled = k if steps <= 8 else np.array([t])
    fig.add_trace(go.Scatter(
        x=np.concatenate([labelled, labelled]),
        y=np.concatenate([np.full(len(labelled), -1.05), np.full(len(labelled), 0.5)]),
        mode="text", hoverinfo="skip",
        text=[f"x_{j} = {_short(x[j - 1])}" for j in labelled] +
             [f"h_{j} = {_short(h[j - 1])}" for j in labelled],
        textposition=[_label_side(j, steps) for j in labelled] * 2,
        textfont=dict(size=11, color=[red if j == t else "#444" for j in labelled] * 2)))
    if output is not None:
        fig.add_trace(go.Scatter(x=[steps, steps], y=[0.62, 0.9], mode="lines+markers",
                                 line=dict(color=red, width=2), hoverinfo="skip",
                                 marker=dict(symbol=["circle-open", "triangle-up"], size=[1, 9], color=red)))
        fig.add_trace(go.Scatter(x=[steps], y=[1.1], mode="text", hoverinfo="skip",
                                 text=[_head_text(output)],
                                 textposition="middle left" if steps > 3 else "middle center"))
    # the step numbers are the x axis' ticks, under the picture: no label sits on an arrow
    every = max(1, int(np.ceil(steps / 12)))
    ticks = k[(k - 1) % every == 0]
    fig.update_xaxes(visible=True, range=[0.2, steps + 0.8], tickmode="array", tickvals=ticks,
                     ticktext=[str(j) for j in ticks], showgrid=False, zeroline=False,
                     showline=False, ticks="", tickfont=dict(size=10, color="#666"),
                     fixedrange=True)
    fig.update_yaxes(visible=False, range=list(UNROLLED_Y_RANGE), fixedrange=True)
    fig.update_layout(title=f"{kind} unrolled over {steps} time step{'s' if steps > 1 else ''} "
                            f"(step {t} highlighted)", height=UNROLLED_HEIGHT, showlegend=False,
                      margin=dict(l=10, r=10, t=36, b=24), plot_bgcolor="white")
    return fig


def _label_side(j: int, steps: int) -> str:
    """Where step j's value label goes: centred on its box, except near either end, where a
    centred label (~25 characters) would be cut off by the edge of the picture."""
    if steps <= 2:
        return "middle center"
    if j <= max(1, steps // 5):
        return "middle right"
    if j > steps - max(1, steps // 5):
        return "middle left"
    return "middle center"


# A gate's values lie in 0..1 (a sigmoid's output): a sequential scale over exactly that range,
# so 0.5 looks half open whatever the window; signed values (h, c, the candidate) diverge at 0.
GATE_SCALE = "Viridis"
SIGNED_SCALE = "RdBu"
INTEGER_TICKS_UP_TO = 24  # units or steps with a tick at every whole number up to this many


def state_heatmap(matrix: np.ndarray, title: str, t: int | None = None,
                  fraction: bool = False) -> go.Figure:
    """Units × time heatmap of a T × units array, step ``t`` marked: signed values (hidden or
    cell state, a candidate) on a diverging scale centred on 0; ``fraction`` values (a gate,
    0..1) on a sequential scale from 0 to 1."""
    steps, units = matrix.shape
    scale = (dict(colorscale=GATE_SCALE, zmin=0.0, zmax=1.0) if fraction
             else dict(colorscale=SIGNED_SCALE, zmid=0))
    fig = go.Figure(go.Heatmap(z=matrix.T, x=np.arange(1, steps + 1), y=np.arange(1, units + 1),
                               colorbar=dict(thickness=10), **scale,
                               hovertemplate="t=%{x}, unit %{y}: %{z:.4f}<extra></extra>"))
    for axis, n in ((fig.update_xaxes, steps), (fig.update_yaxes, units)):
        if n <= INTEGER_TICKS_UP_TO:  # whole numbers only: no "unit 1.5"
            axis(tickmode="linear", tick0=1, dtick=1)
    if t is not None:
        fig.add_shape(type="rect", x0=t - 0.5, x1=t + 0.5, y0=0.5, y1=units + 0.5,
                      line=dict(color="black", width=2))
    fig.update_layout(title=title, xaxis_title="time step t", yaxis_title="hidden unit",
                      height=min(140 + 14 * units, 520), margin=dict(l=10, r=10, t=40, b=10))
    return fig


def weights_figure(weights: dict[str, np.ndarray], title: str, columns: int = 3) -> go.Figure:
    """Every weight matrix of a layer (a bias as one row) as a heatmap in a grid of
    ``columns``, on one diverging scale centred on 0 shared by all, so sizes compare across
    matrices; the exact value, row and column on hover."""
    from plotly.subplots import make_subplots

    names = list(weights)
    mats = [np.atleast_2d(np.asarray(weights[n], dtype=float)) for n in names]
    cols = max(1, min(columns, len(mats)))
    rows = -(-len(mats) // cols)
    fig = make_subplots(rows=rows, cols=cols, horizontal_spacing=0.06, vertical_spacing=0.12,
                        subplot_titles=[f"{n} {tuple(np.shape(weights[n]))}" for n in names])
    top = max((float(np.max(np.abs(m))) for m in mats if m.size), default=1.0) or 1.0
    for k, (name, m) in enumerate(zip(names, mats)):
        fig.add_trace(go.Heatmap(
            z=m, x=np.arange(1, m.shape[1] + 1), y=np.arange(1, m.shape[0] + 1), name=name,
            coloraxis="coloraxis",
            hovertemplate=f"{name}[%{{y}}, %{{x}}] = %{{z:.4f}}<extra></extra>"),
            row=k // cols + 1, col=k % cols + 1)
        for axis, n in ((fig.update_xaxes, m.shape[1]), (fig.update_yaxes, m.shape[0])):
            if n <= INTEGER_TICKS_UP_TO:  # whole rows and columns: no "row 1.5"
                axis(tickmode="linear", tick0=1, dtick=1, row=k // cols + 1, col=k % cols + 1)
    fig.update_yaxes(autorange="reversed")  # row 1 at the top, as the matrix is written
    fig.update_layout(title=title, coloraxis=dict(colorscale=SIGNED_SCALE, cmin=-top, cmax=top,
                                                  colorbar=dict(thickness=10)),
                      height=min(160 + 180 * rows, 900), margin=dict(l=10, r=10, t=60, b=10))
    return fig


def final_state_figure(values: np.ndarray, index: Sequence, positions: np.ndarray,
                       states: np.ndarray, split_at: int, title: str) -> go.Figure:
    """The series on top and, aligned under it, the final hidden state h_T of every window
    (units × window, placed at each window's target)."""
    from plotly.subplots import make_subplots

    x = np.asarray(index)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.4, 0.6],
                        vertical_spacing=0.04)
    keep = slice(None, None, thin_step(len(values)))
    fig.add_trace(go.Scatter(x=x[keep], y=np.asarray(values)[keep], mode="lines", name="series",
                             line=dict(color=ACTUAL_COLOR, width=1)), row=1, col=1)
    order = np.argsort(positions, kind="stable")
    fig.add_trace(go.Heatmap(z=states[order].T, x=x[positions[order]],
                             y=np.arange(1, states.shape[1] + 1), colorscale="RdBu", zmid=0,
                             colorbar=dict(thickness=10, len=0.6, y=0.3),
                             hovertemplate="%{x}, unit %{y}: %{z:.4f}<extra></extra>"),
                  row=2, col=1)
    for row in (1, 2):
        fig.add_vline(x=x[split_at], line=dict(color=SPLIT_COLOR, width=2), row=row, col=1)
    fig.update_yaxes(title_text="hidden unit", row=2, col=1)
    fig.update_layout(title=title, height=480, showlegend=False, margin=dict(l=10, r=10, t=40, b=10))
    return fig
