"""Plotly figures of the text mode: data in, ``go.Figure`` out. No Streamlit, no Keras.

- ``coloured_text``: a text laid out in lines, each character's background coloured by a value
  (a unit's activation: signed values on a diverging scale centred on 0, a gate's 0–1 on a
  sequential one), hover: the value, and what the network expects next (top 5 with their
  probabilities, and the character that came);
- ``units_heatmap``: units × characters, a click on a cell picks its unit (``picked_unit``);
- ``bits_figure``: bits per character of the network and the two baselines;
- ``loss_bits_figure``: the loss per epoch, in bits per character;
- ``sample_figure``: a generated text, each character coloured by the probability it was drawn
  with, the top 5 it was drawn from on hover;
- ``feature_figure``: a feature and the unit the finder matched with it, along the text.

Units are numbered from 1 on screen (``unit`` arguments are 0-based, like array columns).
"""

from __future__ import annotations

from typing import Sequence

import math

import numpy as np
import plotly.graph_objects as go

from .figures import TEST_COLOR, TRAIN_COLOR, loss_figure
from .inside_figures import GATE_SCALE, INTEGER_TICKS_UP_TO, SIGNED_SCALE

LINE_WIDTH = 80  # characters per drawn line; longer lines wrap
MAX_SHOWN_CHARS = 2000  # characters drawn in one coloured text (the page picks where they start)
MAX_HEATMAP_CHARS = 160  # characters in the units × characters heatmap (each labels the x axis)
TOP_K = 5
SHOWN = {"\n": "↵", " ": "␣", "\t": "⇥", "\r": "␍"}  # characters with no glyph of their own
LN2 = math.log(2.0)  # nats to bits
CELL_OPACITY = 0.65  # the colour under a character: light enough to read black text on it

Top = Sequence[Sequence[tuple[str, float]]]  # per character: [(next char, probability)] * 5


def symbol(ch: str) -> str:
    """A character as a person reads it on screen: a blank or a newline as its symbol.

    >>> symbol(" "), symbol("\\n"), symbol("<")
    ('␣', '↵', '<')
    """
    return SHOWN.get(ch, ch)


def glyph(ch: str) -> str:
    """``symbol`` made safe for Plotly's labels (which read a little HTML: '<' and '&').

    >>> glyph(" "), glyph("<"), glyph("a")
    ('␣', '&lt;', 'a')
    """
    return symbol(ch).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def top_next(probs: np.ndarray, chars: Sequence[str], k: int = TOP_K) -> list[list[tuple[str, float]]]:
    """The ``k`` likeliest next characters of every row of ``probs`` (n, vocab), likeliest
    first.

    >>> top_next(np.array([[0.1, 0.6, 0.3]]), ["?", "a", "b"], k=2)
    [[('a', 0.6), ('b', 0.3)]]
    """
    order = np.argsort(-np.asarray(probs), axis=1, kind="stable")[:, :k]
    return [[(chars[j], float(row[j])) for j in idx] for row, idx in zip(probs, order)]


def layout(text: str, width: int = LINE_WIDTH) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every character: a newline ends its row (drawn as ↵ at its end),
    a line longer than ``width`` wraps.

    >>> [r.tolist() for r in layout("ab\\ncde", width=2)]
    [[0, 0, 0, 1, 1, 2], [0, 1, 2, 0, 1, 0]]
    """
    rows, cols = np.zeros(len(text), dtype=int), np.zeros(len(text), dtype=int)
    row = col = 0
    for i, ch in enumerate(text):
        if col >= width and ch != "\n":  # a newline may stand one past a full line
            row, col = row + 1, 0
        rows[i], cols[i] = row, col
        if ch == "\n":
            row, col = row + 1, 0
        else:
            col += 1
    return rows, cols


def _next_text(top: Sequence[tuple[str, float]]) -> str:
    return ", ".join(f"{glyph(c)} {p:.0%}" if p >= 0.01 else f"{glyph(c)} {p:.1%}" for c, p in top)


def _hover(text: str, values: np.ndarray, value_name: str, top: Top | None,
           first: int) -> list[str]:
    """One hover label per character."""
    labels = []
    for i, ch in enumerate(text):
        label = f"{glyph(ch)} (character {first + i:,})"
        if not np.isnan(values[i]):
            label += f"<br>{value_name} = {values[i]:.4f}"
        if top is not None and top[i]:
            label += "<br>next (top 5): " + _next_text(top[i])
            if i + 1 < len(text):
                label += f"<br>came: {glyph(text[i + 1])}"
        labels.append(label)
    return labels


def coloured_text(text: str, values: np.ndarray, title: str, value_name: str = "value",
                  fraction: bool = False, top: Top | None = None, first: int = 0,
                  width: int = LINE_WIDTH) -> go.Figure:
    """``text`` with each character's background coloured by ``values`` (NaN: no colour):
    ``fraction`` values (a gate) on a 0–1 sequential scale, others on a diverging scale centred
    on 0 and symmetric; ``top`` gives each character's top-5 next characters for the hover;
    ``first`` is the position of the text's first character in the whole text."""
    values = np.asarray(values, dtype=float)
    rows, cols = layout(text, width)
    n_rows = int(rows.max()) + 1 if len(text) else 1
    grid = np.full((n_rows, width + 1), np.nan)
    hover = np.full((n_rows, width + 1), "", dtype=object)
    grid[rows, cols] = values
    hover[rows, cols] = _hover(text, values, value_name, top, first)
    if fraction:
        scale = dict(colorscale=GATE_SCALE, zmin=0.0, zmax=1.0)
    else:
        top_abs = float(np.nanmax(np.abs(values))) if np.any(~np.isnan(values)) else 1.0
        scale = dict(colorscale=SIGNED_SCALE, zmid=0.0, zmin=-top_abs or -1, zmax=top_abs or 1)
    fig = go.Figure(go.Heatmap(z=grid, customdata=hover, hovertemplate="%{customdata}<extra></extra>",
                               hoverongaps=False, opacity=CELL_OPACITY, xgap=0, ygap=1,
                               colorbar=dict(thickness=10, title=dict(text=value_name)), **scale))
    fig.add_trace(go.Scatter(x=cols, y=rows, mode="text", text=[glyph(c) for c in text],
                             textfont=dict(family="monospace", size=13, color="black"),
                             hoverinfo="skip", showlegend=False))
    fig.update_xaxes(visible=False, range=[-0.5, width + 0.5])
    fig.update_yaxes(visible=False, autorange="reversed")
    fig.update_layout(title=title, height=60 + 20 * n_rows, margin=dict(l=10, r=10, t=40, b=10),
                      plot_bgcolor="white")
    return fig


def units_heatmap(states: np.ndarray, text: str, title: str, fraction: bool = False,
                  unit: int | None = None, first: int = 0) -> go.Figure:
    """Units × characters of ``states`` (len(text), units); ``unit`` (0-based) outlined. The
    characters label the x axis; a click on a cell selects it (``picked_unit``).

    Plotly cannot select a heatmap's cell, so an invisible marker sits on the cells (on every
    ``pick_step``-th character of a wide layer, to keep the figure light): a click selects the
    nearest, and its hover carries the cell's value."""
    states = np.asarray(states, dtype=float)
    n, units = states.shape
    scale = (dict(colorscale=GATE_SCALE, zmin=0.0, zmax=1.0) if fraction
             else dict(colorscale=SIGNED_SCALE, zmid=0.0))
    chars = np.array([glyph(c) for c in text], dtype=object)
    fig = go.Figure(go.Heatmap(z=states.T, x=np.arange(n), y=np.arange(1, units + 1),
                               colorbar=dict(thickness=10), hoverinfo="skip", **scale))
    columns = np.arange(0, n, pick_step(n, units))
    xs, ys = np.meshgrid(columns, np.arange(1, units + 1))
    fig.add_trace(go.Scatter(
        x=xs.ravel(), y=ys.ravel(), mode="markers", showlegend=False, name="pick",
        marker=dict(symbol="square", size=10, opacity=0.0),
        customdata=np.stack([chars[xs.ravel()], states[xs.ravel(), ys.ravel() - 1]], axis=1),
        hovertemplate="unit %{y}, after %{customdata[0]}: %{customdata[1]:.4f}<extra></extra>"))
    fig.update_xaxes(tickmode="array", tickvals=np.arange(n), ticktext=chars.tolist(),
                     tickangle=0, tickfont=dict(family="monospace", size=10),
                     title=f"characters {first:,}–{first + n - 1:,}", range=[-0.5, n - 0.5])
    fig.update_yaxes(title="unit (click to pick)", autorange="reversed")
    if units <= INTEGER_TICKS_UP_TO:  # whole units only
        fig.update_yaxes(tickmode="linear", tick0=1, dtick=1)
    if unit is not None:
        fig.add_shape(type="rect", x0=-0.5, x1=n - 0.5, y0=unit + 0.5, y1=unit + 1.5,
                      line=dict(color="black", width=2))
    fig.update_layout(title=title, height=min(160 + 12 * units, 560), hovermode="closest",
                      margin=dict(l=10, r=10, t=40, b=10), clickmode="event+select")
    return fig


MAX_PICK_MARKERS = 4000  # invisible markers on the units heatmap (see ``units_heatmap``)


def pick_step(n: int, units: int) -> int:
    """Every how many characters the units heatmap has a clickable marker.

    >>> pick_step(160, 8), pick_step(160, 128)
    (1, 6)
    """
    return max(1, int(np.ceil(n * units / MAX_PICK_MARKERS)))


def picked_unit(event, units: int) -> int | None:
    """The unit (0-based) of a cell clicked on ``units_heatmap``, else None."""
    selection = event.get("selection", {}) if isinstance(event, dict) else \
        getattr(event, "selection", None) or {}
    points = selection.get("points", []) if isinstance(selection, dict) else \
        getattr(selection, "points", []) or []
    for point in points:
        y = point.get("y")
        if isinstance(y, (int, float)) and 1 <= int(y) <= units:
            return int(y) - 1
    return None


def loss_bits_figure(loss: Sequence[float], val_loss: Sequence[float], epochs: int,
                     title: str = "Bits per character per epoch") -> go.Figure:
    """``figures.loss_figure`` of a text training: its cross-entropy (nats per character, as
    Keras reports it) drawn in bits per character, on the training and held-out characters."""
    fig = loss_figure([v / LN2 for v in loss], [v / LN2 for v in val_loss], epochs)
    names = iter(("training characters", "held-out characters"))
    fig.for_each_trace(lambda trace: trace.update(name=next(names)))
    fig.update_layout(title=title, yaxis_title="bits per character")
    return fig


def bits_figure(bits: float, unigram: float, bigram: float, name: str = "network") -> go.Figure:
    """Bits per held-out character: the network and the two baselines, lower is better."""
    labels = [name, "bigram (add-one)", "unigram (add-one)"]
    values = [bits, bigram, unigram]
    fig = go.Figure(go.Bar(x=values, y=labels, orientation="h",
                           marker_color=[TRAIN_COLOR, TEST_COLOR, "#999999"],
                           text=[f"{v:.3f}" for v in values], textposition="auto",
                           hovertemplate="%{y}: %{x:.4f} bits/char<extra></extra>"))
    fig.update_xaxes(title="bits per character on the held-out text (lower is better)",
                     rangemode="tozero")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=200, margin=dict(l=10, r=10, t=30, b=10),
                      title="Bits per character")
    return fig


def sample_figure(prompt: str, generated: str, top: Top, title: str = "Sampled text") -> go.Figure:
    """The prompt (uncoloured) and the generated characters, each coloured by the probability
    the network gave it when it was drawn; the top 5 it was drawn from on hover."""
    probs = [dict(options).get(ch, np.nan) for ch, options in zip(generated, top)]
    values = np.concatenate([np.full(len(prompt), np.nan), np.asarray(probs, dtype=float)])
    # a character's hover shows what the network expected after it: the prompt's last
    # character the choices of the first generated one, and so on
    hover_top = ([[] for _ in prompt[:-1]] + list(top) if prompt else list(top[1:])) + [[]]
    return coloured_text(prompt + generated, values, title, value_name="probability drawn with",
                         fraction=True, top=hover_top)


def feature_figure(feature: np.ndarray, activation: np.ndarray, feature_name: str,
                   unit_name: str, first: int = 0) -> go.Figure:
    """A feature and a unit's activation along the text, on two y axes (their correlation is
    what the finder reports)."""
    x = np.arange(first, first + len(feature))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=feature, name=feature_name, mode="lines",
                             line=dict(color=TEST_COLOR, shape="hv")))
    fig.add_trace(go.Scatter(x=x, y=activation, name=unit_name, mode="lines", yaxis="y2",
                             line=dict(color=TRAIN_COLOR)))
    fig.update_layout(height=280, margin=dict(l=10, r=10, t=40, b=10),
                      title=f"{feature_name} and {unit_name} along the text",
                      xaxis_title="character", yaxis=dict(title=feature_name),
                      yaxis2=dict(title=unit_name, overlaying="y", side="right"),
                      legend=dict(orientation="h"))
    return fig
