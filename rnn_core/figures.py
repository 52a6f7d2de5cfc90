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


def thin_step(n: int) -> int:
    """Every how many points a trace of ``n`` points is drawn."""
    return max(1, int(np.ceil(n / MAX_DRAWN_POINTS)))


def _thin(n: int) -> slice:
    return slice(None, None, thin_step(n))


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


def loss_figure(loss: Sequence[float], val_loss: Sequence[float], epochs: int,
                title: str | None = None) -> go.Figure:
    """Training and test loss per epoch (MSE, scaled units), x axis fixed to the full run;
    ``title`` names the run when known."""
    ep = np.arange(1, len(loss) + 1)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=ep, y=list(loss), mode="lines+markers", name="train loss",
                             line=dict(color=TRAIN_COLOR)))
    val = np.asarray(val_loss, dtype=float)
    if len(val) and np.isfinite(val).any():
        fig.add_trace(go.Scatter(x=ep, y=val, mode="lines+markers", name="test loss",
                                 line=dict(color=TEST_COLOR)))
    fig.update_layout(title=(title or "Loss per epoch") + " (mean squared error)",
                      xaxis_title="epoch",
                      yaxis_title="loss", xaxis_range=[0.5, max(epochs, 1) + 0.5], height=320,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    _whole_epochs(fig, epochs)
    return fig


EPOCH_COLOR = "#2ca02c"


def mark_epoch(fig: go.Figure, epoch: int, label: str | None = None) -> go.Figure:
    """A vertical line at ``epoch`` on a loss figure (the epoch a replay shows), labelled; the
    label reads away from the nearer edge (centred on the last epoch it was cut off)."""
    fig.add_shape(type="line", x0=epoch, x1=epoch, xref="x", yref="paper", y0=0, y1=1,
                  line=dict(color=EPOCH_COLOR, width=2, dash="dash"), name="epoch shown")
    low, high = fig.layout.xaxis.range or (epoch - 1, epoch + 1)
    side = "right" if epoch > (low + high) / 2 else "left"
    fig.add_annotation(x=epoch, y=1, xref="x", yref="paper", text=label or f"epoch {epoch}",
                       showarrow=False, yanchor="bottom", xanchor=side,
                       font=dict(color=EPOCH_COLOR))
    return fig


def _whole_epochs(fig: go.Figure, epochs: int) -> None:
    """Epochs are counted, not measured: no tick at 1.5 on a short run (plotly's default)."""
    fig.update_xaxes(tickformat="d", dtick=1 if epochs <= 12 else None)


MARKERS_SHOWN_UP_TO = 300  # windows per part; above, their markers are drawn invisible


def _part_of_trace(curve: int | None) -> str | None:
    """Which windows a trace of ``prediction_figure`` is drawn at: trace 0 is the series,
    1 the training predictions, 2 the test predictions, any later one a baseline's test
    predictions (drawn at the same points)."""
    if curve is None or curve < 1:
        return None
    return "train" if curve == 1 else "test"


def picked_window(event, n_train: int, n_test: int) -> tuple[str, int] | None:
    """(part, window number) of a point clicked on a prediction or baseline trace, else None."""
    points = (event or {}).get("selection", {}).get("points", []) if isinstance(event, dict) else \
        getattr(getattr(event, "selection", None), "points", []) or []
    for point in points:
        part = _part_of_trace(point.get("curve_number"))
        if part is None:
            continue
        n = n_train if part == "train" else n_test
        index = int(point.get("point_index", 0)) * thin_step(n)
        if 0 <= index < n:
            return part, index
    return None


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
    # not hovered (its values are in the predictions' hover): a click near it must still land
    # on a window, and plotly selects only the hovered point
    fig.add_trace(go.Scatter(x=x[keep], y=actual[keep], mode="lines", name="actual",
                             line=dict(color=ACTUAL_COLOR, width=1), hoverinfo="skip"))
    for part, pos, pred, color in (("train", train_pos, pred_train, TRAIN_COLOR),
                                   ("test", test_pos, pred_test, TEST_COLOR)):
        keep = _thin(len(pos))
        fig.add_trace(go.Scatter(
            x=_labels(x, pos)[keep], y=np.asarray(pred)[keep], name=f"predicted ({part})",
            line=dict(color=color, width=1.5),
            **_window_points(len(pos), part, f"predicted ({part})",
                             ("actual", actual[np.asarray(pos)][keep]))))
    if baseline is not None:
        name, pred = baseline
        keep = _thin(len(test_pos))
        fig.add_trace(go.Scatter(x=_labels(x, test_pos)[keep], y=np.asarray(pred)[keep],
                                 name=name, line=dict(color="#2ca02c", dash="dot"),
                                 **_window_points(len(test_pos), "test", name)))
    add_split_line(fig, x[split_at])
    # hoverdistance -1: the point nearest to the pointer is hovered wherever it is, so a click
    # anywhere on the chart picks the nearest window (plotly selects the hovered point)
    fig.update_layout(title=title, yaxis_title=y_title, height=420, clickmode="event+select",
                      hovermode="closest", hoverdistance=-1,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig


def _window_points(n: int, part: str, label: str,
                   extra: tuple[str, np.ndarray] | None = None) -> dict:
    """Scatter settings of a trace drawn at the targets of ``n`` windows of ``part`` (thinned
    like ``_thin``): clickable markers, and the window number on hover.

    Markers always: plotly selects points only on traces that have markers, so a click on a
    lines-only trace would pick nothing. Above ``MARKERS_SHOWN_UP_TO`` windows they are drawn
    invisible (they would blot out the line), and only a clicked one shows.
    """
    shown = n <= MARKERS_SHOWN_UP_TO
    windows = np.arange(n)[_thin(n)]
    text = f"{part} window %{{customdata[0]}} · %{{x}}<br>{label}: %{{y:.4g}}"
    columns = [windows]
    if extra is not None:
        text += f" · {extra[0]}: %{{customdata[1]:.4g}}"
        columns.append(np.asarray(extra[1], dtype=float))
    return dict(mode="lines+markers",
                marker=dict(size=4 if shown else 6, opacity=1 if shown else 0),
                selected=dict(marker=dict(size=10, opacity=1)),
                unselected=dict(marker=dict(opacity=0.3 if shown else 0)),
                customdata=np.column_stack(columns), hovertemplate=text + "<extra></extra>")


# --- comparing runs -------------------------------------------------------------------------

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf")


def loss_overlay(curves: Sequence[tuple[str, Sequence[float], Sequence[float]]],
                 title: str = "Loss per epoch") -> go.Figure:
    """Train (solid) and test (dotted) loss per epoch of several runs, one colour per run."""
    fig = go.Figure()
    for i, (name, loss, val) in enumerate(curves):
        color = PALETTE[i % len(PALETTE)]
        ep = np.arange(1, len(loss) + 1)
        fig.add_trace(go.Scatter(x=ep, y=list(loss), name=f"{name} (train)", mode="lines",
                                 line=dict(color=color)))
        fig.add_trace(go.Scatter(x=ep, y=list(val), name=f"{name} (test)", mode="lines",
                                 line=dict(color=color, dash="dot")))
    fig.update_layout(title=title, xaxis_title="epoch", yaxis_title="MSE (scaled)",
                      yaxis_type="log", height=380, margin=dict(l=10, r=10, t=50, b=10))
    _whole_epochs(fig, max((len(loss) for _name, loss, _val in curves), default=1))
    return fig


def prediction_overlay(index: Sequence, actual: np.ndarray, split_at: int,
                       runs: Sequence[tuple[str, np.ndarray, np.ndarray]], y_title: str) -> go.Figure:
    """The series and each run's test predictions (positions, values), one colour per run."""
    x = np.asarray(index)
    fig = go.Figure()
    start = max(0, split_at - (len(actual) - split_at) // 4)  # a little history before the split
    fig.add_trace(go.Scatter(x=x[start:], y=np.asarray(actual)[start:], name="actual",
                             mode="lines", line=dict(color=ACTUAL_COLOR, width=1)))
    for i, (name, pos, pred) in enumerate(runs):
        keep = _thin(len(pos))
        fig.add_trace(go.Scatter(x=x[pos][keep], y=np.asarray(pred)[keep], name=name, mode="lines",
                                 line=dict(color=PALETTE[i % len(PALETTE)], width=1.5)))
    add_split_line(fig, x[split_at])
    fig.update_layout(title="Test predictions", yaxis_title=y_title, height=400,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig


def sweep_heatmap(columns: Sequence[int | str], steps: Sequence[int], matrix: np.ndarray,
                  title: str = "Test RMSE (original units)", x_title: str = "hidden units"
                  ) -> go.Figure:
    """Score of every (time steps, column) pair — a column is the units, or a cell and its
    units (``sweep.table``); the best cell is outlined."""
    fig = go.Figure(go.Heatmap(
        z=matrix, x=[str(u) for u in columns], y=[str(t) for t in steps], colorscale="Viridis_r",
        text=np.where(np.isnan(matrix), "", np.vectorize(lambda v: f"{v:.4g}")(np.nan_to_num(matrix))),
        texttemplate="%{text}", hovertemplate=f"{x_title} %{{x}}, T=%{{y}}: %{{z:.4g}}<extra></extra>"))
    if np.isfinite(matrix).any():
        r, c = np.unravel_index(np.nanargmin(matrix), matrix.shape)
        fig.add_shape(type="rect", x0=c - 0.5, x1=c + 0.5, y0=r - 0.5, y1=r + 0.5,
                      line=dict(color="red", width=3))
    fig.update_layout(title=title, xaxis_title=x_title, yaxis_title="time steps",
                      xaxis_type="category", yaxis_type="category", height=360,
                      margin=dict(l=10, r=10, t=50, b=10))
    return fig


# --- honest forecasting ---------------------------------------------------------------------

BASELINE_COLORS = {"persistence": "#2ca02c", "seasonal_naive": "#9467bd", "mean": "#8c564b",
                   "arima": "#e377c2"}


def overlay_baselines(fig: go.Figure, index: Sequence, test_pos: np.ndarray,
                      baselines: Sequence[tuple[str, str, np.ndarray]]) -> go.Figure:
    """Add (name, label, test predictions) of baselines to a prediction figure, dotted."""
    x = np.asarray(index)
    for name, label, pred in baselines:
        keep = _thin(len(test_pos))
        fig.add_trace(go.Scatter(x=x[test_pos][keep], y=np.asarray(pred)[keep], name=label,
                                 line=dict(color=BASELINE_COLORS.get(name, "#999"), dash="dot",
                                           width=1.5),
                                 **_window_points(len(test_pos), "test", label)))
    return fig


def residuals_figure(index: Sequence, train_pos: np.ndarray, train_resid: np.ndarray,
                     test_pos: np.ndarray, test_resid: np.ndarray, y_title: str) -> go.Figure:
    """Residuals (actual − predicted) over time, and their histograms, train and test."""
    from plotly.subplots import make_subplots

    x = np.asarray(index)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.7, 0.3],
                        subplot_titles=("Residuals over time", "Distribution"))
    for name, pos, resid, color in (("train", train_pos, train_resid, TRAIN_COLOR),
                                    ("test", test_pos, test_resid, TEST_COLOR)):
        keep = _thin(len(pos))
        fig.add_trace(go.Scatter(x=x[pos][keep], y=np.asarray(resid)[keep], mode="lines",
                                 name=f"{name} residuals", line=dict(color=color, width=1)),
                      row=1, col=1)
        fig.add_trace(go.Histogram(x=resid, name=f"{name}", marker_color=color, opacity=0.6,
                                   histnorm="probability density", nbinsx=40), row=1, col=2)
    fig.update_layout(barmode="overlay", height=340, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h"))
    fig.update_yaxes(title_text=y_title, row=1, col=1)
    return fig


def forecast_figure(index: Sequence, values: np.ndarray, future: Sequence, forecast: np.ndarray,
                    y_title: str, history: int = 240, horizon: int = 1) -> go.Figure:
    """The end of the series and the forecast beyond it, in another colour."""
    fed_back = ("each fed back" if horizon == 1 else
                f"{horizon} at a time" + (", fed back" if len(forecast) > horizon else ""))
    x = np.asarray(index)[-history:]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=x, y=np.asarray(values)[-history:], name="history", mode="lines",
                             line=dict(color=ACTUAL_COLOR, width=1)))
    fig.add_trace(go.Scatter(x=np.concatenate([x[-1:], np.asarray(future)]),
                             y=np.concatenate([np.asarray(values)[-1:], forecast]),
                             name=f"forecast ({len(forecast)} steps, {fed_back})",
                             mode="lines+markers", line=dict(color="#d62728", width=2),
                             marker=dict(size=4)))
    fig.update_layout(title="Forecast beyond the data", yaxis_title=y_title, height=360,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig


def windows_figure(values: np.ndarray, index: Sequence, positions: np.ndarray, time_steps: int,
                   split_at: int, show: int = 6, title: str = "How the series is cut",
                   horizon: int = 1) -> go.Figure:
    """The start of the series with its first ``show`` windows as bands and their targets
    (the ``horizon`` values from each first-target position on) marked."""
    x = np.asarray(index)
    positions = np.asarray(positions)[:show]
    end = int(min(len(values), (positions.max() + max(time_steps, horizon) + 1)
                  if len(positions) else len(values)))
    fig = go.Figure(go.Scatter(x=x[:end], y=np.asarray(values)[:end], mode="lines+markers",
                               name="series", line=dict(color=ACTUAL_COLOR, width=1),
                               marker=dict(size=4)))
    for i, p in enumerate(positions):
        color = PALETTE[i % len(PALETTE)]
        fig.add_shape(type="rect", x0=x[p - time_steps], x1=x[p - 1], yref="paper", y0=0.05 + 0.12 * (i % 4),
                      y1=0.15 + 0.12 * (i % 4), fillcolor=color, opacity=0.35, line=dict(width=0))
        ahead = np.arange(p, min(p + horizon, len(values)))
        fig.add_trace(go.Scatter(x=x[ahead], y=np.asarray(values)[ahead], mode="markers",
                                 name=f"target {i + 1}" if horizon == 1 else f"targets {i + 1}",
                                 marker=dict(symbol="star", size=12, color=color)))
    if split_at < end:
        add_split_line(fig, x[split_at])
    fig.update_layout(title=title, height=320, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h"))
    return fig


def horizon_figure(recursive: np.ndarray, direct: np.ndarray, persistence: np.ndarray,
                   y_title: str) -> go.Figure:
    """Test RMSE at each step ahead: one-step model fed back, direct H outputs, persistence."""
    steps = np.arange(1, len(direct) + 1)
    fig = go.Figure()
    for name, values, color, dash in (("recursive (one-step model fed back)", recursive, TRAIN_COLOR, None),
                                      ("direct (H outputs)", direct, TEST_COLOR, None),
                                      ("persistence", persistence, "#2ca02c", "dot")):
        fig.add_trace(go.Scatter(x=steps, y=np.asarray(values), mode="lines+markers", name=name,
                                 line=dict(color=color, dash=dash, width=2)))
    fig.update_layout(title="Test RMSE by step ahead", xaxis_title="step ahead k",
                      yaxis_title=y_title, height=380, margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", y=-0.3))  # below the axis title
    fig.update_xaxes(dtick=1 if len(steps) <= 24 else None)
    return fig
