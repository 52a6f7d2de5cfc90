"""Figures of the long-lag tasks (``tasks.py``): example sequences, predicted vs target.

Data in, ``go.Figure`` out, like ``figures.py``.

>>> from rnn_core import tasks
>>> s = tasks.generate("adding", time_steps=8, n_train=5, n_test=2, seed=0)
>>> fig = examples_figure("adding", s.x_train, s.y_train, count=3)
>>> len(fig.data), fig.layout.annotations[0].text.startswith("sequence 0: target")
(6, True)
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .figures import ACTUAL_COLOR, TEST_COLOR, TRAIN_COLOR, thin_step

TARGET_COLOR = "#d62728"
EXAMPLES_SHOWN = 4


def _marked(task: str, x: np.ndarray) -> np.ndarray:
    """The steps (0-based) the target is made of: the first for recall, the markers for adding."""
    return np.array([0]) if task == "recall" else np.flatnonzero(x[:, 1] == 1.0)


def examples_figure(task: str, x: np.ndarray, y: np.ndarray, count: int = EXAMPLES_SHOWN,
                    first: int = 0) -> go.Figure:
    """``count`` sequences from ``first`` on, one panel each: the values by time step (1 … T),
    the steps the target is made of as red stars, the target in the panel's title."""
    count = max(1, min(count, len(y) - first))
    titles = []
    for i in range(first, first + count):
        parts = " + ".join(f"{x[i, t, 0]:.3f}" for t in _marked(task, x[i]))
        titles.append(f"sequence {i}: target {parts}" + (f" = {y[i]:.3f}" if task == "adding" else ""))
    fig = make_subplots(rows=count, cols=1, shared_xaxes=True, subplot_titles=titles,
                        vertical_spacing=0.3 / count)
    steps = np.arange(1, x.shape[1] + 1)
    for row, i in enumerate(range(first, first + count), start=1):
        fig.add_trace(go.Scatter(x=steps, y=x[i, :, 0], mode="lines+markers", name="value",
                                 line=dict(color=ACTUAL_COLOR, width=1), marker=dict(size=4),
                                 showlegend=row == 1,
                                 hovertemplate="step %{x}: %{y:.3f}<extra></extra>"),
                      row=row, col=1)
        marked = _marked(task, x[i])
        fig.add_trace(go.Scatter(x=steps[marked], y=x[i, marked, 0], mode="markers",
                                 name="makes the target", showlegend=row == 1,
                                 marker=dict(color=TARGET_COLOR, size=12, symbol="star"),
                                 hovertemplate="step %{x}: %{y:.3f} (in the target)<extra></extra>"),
                      row=row, col=1)
        fig.update_yaxes(range=[-0.05, 1.05], row=row, col=1)
    fig.update_xaxes(title_text="time step t", row=count, col=1)
    fig.update_layout(height=140 + 130 * count, margin=dict(l=10, r=10, t=60, b=10),
                      legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"))
    return fig


def prediction_figure(y_train: np.ndarray, pred_train: np.ndarray, y_test: np.ndarray,
                      pred_test: np.ndarray, baseline: float, baseline_name: str) -> go.Figure:
    """Predicted vs target, one point per sequence: trace 0 the diagonal (perfect), 1 the
    training sequences (hidden until shown from the legend), 2 the test sequences, 3 the
    baseline's constant. Traces 1 and 2 are thinned like ``figures.prediction_figure``'s, so
    ``figures.picked_window`` turns a clicked point into (part, sequence number)."""
    low = float(min(np.min(y_test), np.min(y_train), baseline, 0.0))
    high = float(max(np.max(y_test), np.max(y_train), baseline))
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[low, high], y=[low, high], mode="lines", name="perfect (ŷ = y)",
                             line=dict(color=ACTUAL_COLOR, dash="dash", width=1), hoverinfo="skip"))
    for part, y, pred, color in (("train", y_train, pred_train, TRAIN_COLOR),
                                 ("test", y_test, pred_test, TEST_COLOR)):
        keep = slice(None, None, thin_step(len(y)))
        numbers = np.arange(len(y))[keep]
        fig.add_trace(go.Scatter(
            x=np.asarray(y)[keep], y=np.ravel(pred)[keep], mode="markers",
            name=f"{part} sequences", visible=True if part == "test" else "legendonly",
            marker=dict(color=color, size=5, opacity=0.6),
            selected=dict(marker=dict(size=11, opacity=1)), customdata=numbers,
            hovertemplate=f"{part} sequence %{{customdata}}<br>target %{{x:.4g}} · predicted "
                          "%{y:.4g}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[low, high], y=[baseline, baseline], mode="lines",
                             name=f"baseline ({baseline_name}): ŷ = {baseline:.3g}",
                             line=dict(color="#2ca02c", dash="dot"), hoverinfo="skip"))
    fig.update_layout(title="Predicted vs target, one point per sequence (click one to open it "
                            "on Inside the network)",
                      xaxis_title="target y", yaxis_title="predicted ŷ", height=440,
                      clickmode="event+select", hovermode="closest",
                      margin=dict(l=10, r=10, t=80, b=10),
                      legend=dict(orientation="h", y=1.0, yanchor="bottom", x=0))
    return fig
