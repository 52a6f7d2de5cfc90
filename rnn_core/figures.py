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
    """A vertical line at ``epoch`` on a loss figure (the epoch a replay shows), labelled."""
    fig.add_shape(type="line", x0=epoch, x1=epoch, xref="x", yref="paper", y0=0, y1=1,
                  line=dict(color=EPOCH_COLOR, width=2, dash="dash"), name="epoch shown")
    fig.add_annotation(x=epoch, y=1, xref="x", yref="paper", text=label or f"epoch {epoch}",
                       showarrow=False, yanchor="bottom", font=dict(color=EPOCH_COLOR))
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


# --- inside the network ---------------------------------------------------------------------

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
    keep = _thin(len(values))
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
