"""Plotly figure builders: data in, ``go.Figure`` out. No Streamlit, no Keras.

Long series are drawn with at most ``MAX_DRAWN_POINTS`` points per trace (every k-th point),
so charts stay responsive; the data used for training and metrics is never thinned.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

MAX_DRAWN_POINTS = 5000
SPLIT_COLOR = "red"
TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#ff7f0e"
ACTUAL_COLOR = "#555555"


def _thin(n: int) -> slice:
    step = max(1, int(np.ceil(n / MAX_DRAWN_POINTS)))
    return slice(None, None, step)


def _labels(index: Sequence, positions: np.ndarray) -> np.ndarray:
    return np.asarray(index)[positions]


def add_split_line(fig: go.Figure, x, label: str = "train | test") -> go.Figure:
    """The red vertical line at the first test value, with a small label at the top."""
    fig.add_shape(type="line", x0=x, x1=x, xref="x", yref="paper", y0=0, y1=1,
                  line=dict(color=SPLIT_COLOR, width=2), name="split")
    fig.add_annotation(x=x, y=1, xref="x", yref="paper", text=label, showarrow=False,
                       yanchor="bottom", font=dict(color=SPLIT_COLOR))
    return fig


def series_figure(values: np.ndarray, index: Sequence, split_at: int, title: str,
                  y_title: str = "value") -> go.Figure:
    """The raw series, the training part and the test part in two colours, the split line."""
    values = np.asarray(values)
    x = np.asarray(index)
    fig = go.Figure()
    for name, part, color in (("train", slice(0, split_at), TRAIN_COLOR),
                              ("test", slice(split_at, len(values)), TEST_COLOR)):
        xs, ys = x[part], values[part]
        keep = _thin(len(ys))
        fig.add_trace(go.Scatter(x=xs[keep], y=ys[keep], mode="lines", name=name,
                                 line=dict(color=color, width=1.2)))
    add_split_line(fig, x[split_at])
    fig.update_layout(title=title, yaxis_title=y_title, height=360,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig


def loss_figure(loss: Sequence[float], val_loss: Sequence[float], epochs: int) -> go.Figure:
    """Training and test loss per epoch (MSE, scaled units), x axis fixed to the full run."""
    ep = np.arange(1, len(loss) + 1)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ep, y=list(loss), mode="lines+markers", name="train loss",
                             line=dict(color=TRAIN_COLOR)))
    val = np.asarray(val_loss, dtype=float)
    if len(val) and np.isfinite(val).any():
        fig.add_trace(go.Scatter(x=ep, y=val, mode="lines+markers", name="test loss",
                                 line=dict(color=TEST_COLOR)))
    fig.update_layout(title="Loss per epoch (mean squared error)", xaxis_title="epoch",
                      yaxis_title="loss", xaxis_range=[0.5, max(epochs, 1) + 0.5], height=320,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig


def prediction_figure(index: Sequence, actual: np.ndarray, train_pos: np.ndarray,
                      pred_train: np.ndarray, test_pos: np.ndarray, pred_test: np.ndarray,
                      split_at: int, y_title: str, title: str = "Actual and predicted values",
                      baseline: tuple[str, np.ndarray] | None = None) -> go.Figure:
    """Actual series vs predictions at their target positions, red line at the split.

    ``baseline`` optionally overlays (name, test predictions) of a baseline, e.g. persistence.
    """
    x = np.asarray(index)
    actual = np.asarray(actual)
    fig = go.Figure()
    keep = _thin(len(actual))
    fig.add_trace(go.Scatter(x=x[keep], y=actual[keep], mode="lines", name="actual",
                             line=dict(color=ACTUAL_COLOR, width=1)))
    for name, pos, pred, color in (("predicted (train)", train_pos, pred_train, TRAIN_COLOR),
                                   ("predicted (test)", test_pos, pred_test, TEST_COLOR)):
        keep = _thin(len(pos))
        fig.add_trace(go.Scatter(x=_labels(x, pos)[keep], y=np.asarray(pred)[keep],
                                 mode="lines+markers" if len(pos) <= 300 else "lines",
                                 name=name, line=dict(color=color, width=1.5),
                                 marker=dict(size=4)))
    if baseline is not None:
        name, pred = baseline
        keep = _thin(len(test_pos))
        fig.add_trace(go.Scatter(x=_labels(x, test_pos)[keep], y=np.asarray(pred)[keep],
                                 mode="lines", name=name, line=dict(color="#2ca02c", dash="dot")))
    add_split_line(fig, x[split_at])
    fig.update_layout(title=title, yaxis_title=y_title, height=420,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig
