"""Plotly figures of how far back a network looks (``rnn_core.memory``): data in, ``go.Figure``
out. No Streamlit.

``sensitivity_figure``: |∂ŷ/∂x_t| of one window per time step as bars (the signed values on
hover), the mean over many windows as a line and the effective memory as a shaded band.
``lag_figure``: one recurrent layer's ‖∂h_T/∂x_t‖ and ‖∂h_T/∂h_t‖ by lag T − t on a log
scale, with the line (γ·σ_max)^(T−t); for an LSTM, ‖∂c_T/∂c_t‖ in a second panel beside it.
``nudge_figure``: what if x_t had been x_t + δ (``rnn_core.whatif``): Δh of every recurrent
layer as units × time heatmaps on a diverging scale centred on 0, zero before t.
``state_path_figure``: a window's hidden states h_1..h_T as a path in a PCA plane
(``rnn_core.state_path``), time as colour, the current step ringed, the final states of all
windows as points coloured by their target.
``profiles_figure``: several networks' mean sensitivity per step on one log scale, each named
with its effective memory (the race of the cells, ``rnn_core.race``).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from .figures import PALETTE

BAR_SCALE = "Blues"  # sequential: a magnitude
MEAN_COLOR = "#d62728"
MEMORY_FILL = "rgba(31, 119, 180, 0.10)"
INPUT_COLOR = "#1f77b4"  # ‖∂h_T/∂x_t‖
STATE_COLOR = "#ff7f0e"  # ‖∂h_T/∂h_t‖
CELL_COLOR = "#2ca02c"  # ‖∂c_T/∂c_t‖
BOUND_COLOR = "#555555"


def _signed(row: np.ndarray) -> str:
    """∂ŷ/∂x_{t,f} of one step for the hover: the value, or one per feature."""
    if len(row) == 1:
        return f"{row[0]:+.4g}"
    return ", ".join(f"f{f + 1} {v:+.4g}" for f, v in enumerate(row))


def sensitivity_figure(d_output: np.ndarray, mean: np.ndarray | None = None,
                       memory: int | None = None, mean_label: str = "mean over windows",
                       title: str = "Sensitivity of the prediction to each input step",
                       share: float = 0.9) -> go.Figure:
    """Bars of |∂ŷ/∂x_t| (the norm over the features of ``d_output``, (T, features), signed),
    t = 1..T, coloured on a sequential scale; ``mean`` (T,) as a line; the last ``memory``
    steps shaded as carrying ``share`` of it."""
    d_output = np.asarray(d_output, dtype=float)
    steps = d_output.shape[0]
    t = np.arange(1, steps + 1)
    size = np.sqrt(np.sum(d_output ** 2, axis=1))
    finite = size[np.isfinite(size)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    fig = go.Figure(go.Bar(
        x=t, y=size, name="this window", customdata=[_signed(r) for r in d_output],
        marker=dict(color=np.where(np.isfinite(size), size, top), colorscale=BAR_SCALE,
                    cmin=0, cmax=top, showscale=False, line=dict(color=INPUT_COLOR, width=0.5)),
        hovertemplate="t = %{x}<br>|∂ŷ/∂x_t| = %{y:.4g}<br>∂ŷ/∂x_t = %{customdata}"
                      "<extra>this window</extra>"))
    if mean is not None:
        fig.add_trace(go.Scatter(
            x=t, y=np.asarray(mean, dtype=float), mode="lines+markers", name=mean_label,
            line=dict(color=MEAN_COLOR, width=2), marker=dict(size=4),
            hovertemplate="t = %{x}<br>mean |∂ŷ/∂x_t| = %{y:.4g}<extra></extra>"))
    if memory:
        fig.add_vrect(x0=steps - memory + 0.5, x1=steps + 0.5, fillcolor=MEMORY_FILL,
                      line_width=0, layer="below", annotation_position="top left",
                      annotation_text=f"last {memory} step{'s' if memory != 1 else ''}: "
                                      f"{share:.0%}")
    fig.update_layout(title=title, xaxis_title="time step t (T = the last, nearest the target)",
                      yaxis_title="|∂ŷ/∂x_t|", height=320, bargap=0.15,
                      margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
    fig.update_xaxes(tickmode="auto", nticks=min(steps, 20), range=[0.4, steps + 0.6])
    return fig


def char_sensitivity_figure(chars: str, size: np.ndarray, signed: np.ndarray, memory: int,
                            quantity: str, signed_name: str, share: float = 0.9) -> go.Figure:
    """A text window's sensitivity: one bar per character read (``size``, the characters on
    the x axis, t = 1..T), the hover adding the ``signed`` value; the last ``memory``
    characters shaded as carrying ``share`` of it. ``quantity`` names what is differentiated
    (e.g. "log p(')')"), ``signed_name`` what the signed value is."""
    from .text_figures import glyph  # Plotly's labels read a little HTML ('<', '&')

    size, signed = np.asarray(size, dtype=float), np.asarray(signed, dtype=float)
    steps = len(size)
    t = np.arange(1, steps + 1)
    finite = size[np.isfinite(size)]
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    labels = [glyph(c) for c in chars]
    fig = go.Figure(go.Bar(
        x=t, y=size, customdata=np.stack([signed, np.array(labels, dtype=object)], axis=1),
        marker=dict(color=np.where(np.isfinite(size), size, top), colorscale=BAR_SCALE,
                    cmin=0, cmax=top, showscale=False, line=dict(color=INPUT_COLOR, width=0.5)),
        hovertemplate=f"t = %{{x}}: %{{customdata[1]}}<br>size = %{{y:.4g}}<br>{signed_name}"
                      " = %{customdata[0]:+.4g}<extra></extra>"))
    if memory:
        fig.add_vrect(x0=steps - memory + 0.5, x1=steps + 0.5, fillcolor=MEMORY_FILL,
                      line_width=0, layer="below", annotation_position="top left",
                      annotation_text=f"last {memory} character{'s' if memory != 1 else ''}: "
                                      f"{share:.0%}")
    quantity = quantity.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    fig.update_layout(title=f"How much each character read moves {quantity}",
                      xaxis_title="the characters read, oldest first (the last is read just "
                                  "before the prediction)",
                      yaxis_title="sensitivity", height=320, bargap=0.15,
                      margin=dict(l=10, r=10, t=50, b=10))
    fig.update_xaxes(tickmode="array", tickvals=t, ticktext=labels, range=[0.4, steps + 0.6])
    return fig


def _log_range(arrays: list[np.ndarray]) -> list[float] | None:
    """A log-axis range (powers of ten) over the positive finite values of ``arrays``,
    reaching up to 1 at least; None when there are none."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:
        return None
    lo, hi = math.log10(values.min()), math.log10(max(values.max(), 1.0))
    pad = max(0.2, 0.05 * (hi - lo))
    return [lo - pad, hi + pad]


def lag_figure(layer, title: str | None = None) -> go.Figure:
    """``layer`` (a ``memory.LayerGradients``) by lag T − t, log y: ‖∂h_T/∂x_t‖, ‖∂h_T/∂h_t‖
    and the dashed line (γ·σ_max)^(T−t) (a bound for SimpleRNN, a reference for gated cells);
    an LSTM's ‖∂c_T/∂c_t‖ in a panel beside it, with the same line. The y range follows the
    norms (the line may leave it)."""
    steps = len(layer.d_state_norm)
    t = np.arange(1, steps + 1)
    lag = steps - t
    lstm = layer.d_cell_cell_norm is not None
    rate = layer.gamma * layer.sigma_max
    curve = f"(γ·σ_max)^(T−t) = {rate:.3g}^(T−t)"
    bound_name = (f"{curve}: a true bound of ‖∂h_T/∂h_t‖ for SimpleRNN" if layer.kind == "SimpleRNN"
                  else f"{curve}: reference line (a true bound only for SimpleRNN)")
    if lstm:
        from plotly.subplots import make_subplots

        fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                            subplot_titles=("hidden state h", "cell state c (forget-gate path)"))
    else:
        fig = go.Figure()
    where = dict(row=1, col=1) if lstm else {}
    hover = "T − t = %{x} (t = %{customdata})<br>%{y:.4g}<extra>%{fullData.name}</extra>"
    for name, y, color in (("‖∂h_T/∂x_t‖: input t → last state", layer.d_state_norm, INPUT_COLOR),
                           ("‖∂h_T/∂h_t‖: state t → last state", layer.d_state_state_norm,
                            STATE_COLOR)):
        fig.add_trace(go.Scatter(x=lag, y=np.asarray(y, dtype=float), customdata=t, name=name,
                                 mode="lines+markers", line=dict(color=color, width=2),
                                 marker=dict(size=5), hovertemplate=hover), **where)
    bound = np.asarray(layer.bound, dtype=float)
    fig.add_trace(go.Scatter(x=lag, y=bound, customdata=t, name=bound_name, mode="lines",
                             line=dict(color=BOUND_COLOR, width=1.5, dash="dash"),
                             hovertemplate=hover), **where)
    arrays = [layer.d_state_norm, layer.d_state_state_norm]
    if lstm:
        fig.add_trace(go.Scatter(x=lag, y=np.asarray(layer.d_cell_cell_norm, dtype=float),
                                 customdata=t, name="‖∂c_T/∂c_t‖: cell state t → last cell state",
                                 mode="lines+markers", line=dict(color=CELL_COLOR, width=2),
                                 marker=dict(size=5), hovertemplate=hover), row=1, col=2)
        fig.add_trace(go.Scatter(x=lag, y=bound, customdata=t, name=bound_name, mode="lines",
                                 line=dict(color=BOUND_COLOR, width=1.5, dash="dash"),
                                 showlegend=False, hovertemplate=hover), row=1, col=2)
        arrays.append(layer.d_cell_cell_norm)
    y_range = _log_range(arrays)
    fig.update_yaxes(type="log", range=y_range, exponentformat="power")
    fig.update_yaxes(title_text="norm (log scale)", row=1, col=1) if lstm else \
        fig.update_yaxes(title_text="norm (log scale)")
    fig.update_xaxes(title_text="steps back from the last step, T − t", autorange="reversed")
    fig.update_layout(
        title=title or (f"{layer.name} ({layer.kind}): σ_max = {layer.sigma_max:.3g}, "
                        f"γ = {layer.gamma:.3g}"),
        height=380, margin=dict(l=10, r=10, t=60, b=10),
        legend=dict(orientation="h", yanchor="top", y=-0.2))
    return fig


NUDGE_SCALE = "RdBu_r"  # diverging, centred on 0: Δh is signed (red up, blue down)
NUDGE_MARK = "#333333"


def nudge_figure(delta_h: list[np.ndarray], names: list[str], t: int, delta: float,
                 title: str | None = None) -> go.Figure:
    """Heatmaps of Δh (units × time), one row per recurrent layer (``delta_h`` (T, units)
    each, named by ``names``), after nudging x_t by ``delta``: one diverging colour scale
    centred on 0 and shared by the layers, the value on hover, step ``t`` marked by a dashed
    line on its left (everything before it is 0)."""
    from plotly.subplots import make_subplots

    arrays = [np.asarray(d, dtype=float) for d in delta_h]
    steps = arrays[0].shape[0]
    finite = np.concatenate([np.abs(a[np.isfinite(a)]) for a in arrays])
    top = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    heights = [max(a.shape[1], 2) for a in arrays]
    fig = make_subplots(rows=len(arrays), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[h / sum(heights) for h in heights],
                        subplot_titles=[f"{name}: Δh" for name in names] if len(arrays) > 1
                        else None)
    for row, (a, name) in enumerate(zip(arrays, names), start=1):
        units = a.shape[1]
        fig.add_trace(go.Heatmap(
            z=a.T, x=np.arange(1, steps + 1), y=np.arange(1, units + 1), name=name,
            colorscale=NUDGE_SCALE, zmid=0, zmin=-top, zmax=top, showscale=row == 1,
            colorbar=dict(thickness=10, title=dict(text="Δh")),
            hovertemplate="t = %{x}, unit %{y}<br>Δh = %{z:+.4g}<extra>" + name + "</extra>"),
            row=row, col=1)
        fig.add_vline(x=t - 0.5, line=dict(color=NUDGE_MARK, width=1.5, dash="dash"),
                      row=row, col=1)
        fig.update_yaxes(title_text="hidden unit", dtick=1 if units <= 12 else None,
                         row=row, col=1)
    fig.update_xaxes(title_text="time step t", row=len(arrays), col=1)
    fig.update_xaxes(dtick=1 if steps <= 24 else None, range=[0.5, steps + 0.5])
    fig.update_layout(
        title=title or f"Δh after nudging x_{t} by δ = {delta:+.4g}: units × time",
        height=min(120 + sum(14 * h + 40 for h in heights), 720),
        margin=dict(l=10, r=10, t=60, b=10))
    return fig


PATH_SCALE = "Viridis"  # sequential: time, t = 1 (dark) .. T (yellow)
TARGET_SCALE = "Blues"  # sequential: the windows' target values
PHASE_SCALE = "Twilight"  # cyclic: December sits next to January
PATH_LINE = "rgba(80, 80, 80, 0.6)"
CURRENT_COLOR = "#d62728"


def state_path_figure(path: np.ndarray, current_t: int, finals: np.ndarray | None = None,
                      targets: np.ndarray | None = None, labels: list[str] | None = None,
                      explained: np.ndarray | None = None,
                      title: str = "The path of the hidden state",
                      phases: tuple[np.ndarray, tuple[str, ...]] | None = None) -> go.Figure:
    """A window's states h_1..h_T projected on a plane, ``path`` (T, 2), as a line with markers
    coloured by t on a sequential scale, step ``current_t`` (1-based) ringed; ``finals`` (N, 2)
    the final states of N windows as small points coloured by ``targets`` (N,), ``labels`` on
    hover. ``explained`` (2,) names the axes with their share of the variance. ``phases``
    (each window's season phase, the phases' names; ``state_path.season_phase``) colours the
    final states by their place in the season instead, on a cyclic scale. Equal aspect ratio:
    a distance on screen is a distance between states."""
    path = np.asarray(path, dtype=float)
    steps = path.shape[0]
    t = np.arange(1, steps + 1)
    pc = [f"PC{k + 1}" for k in range(2)]
    if explained is not None:
        pc = [f"PC{k + 1} ({100 * float(v):.1f} % of the variance)"
              for k, v in enumerate(explained)]
    fig = go.Figure()
    if finals is not None and len(finals):
        finals = np.asarray(finals, dtype=float)
        values = np.zeros(len(finals)) if targets is None else np.asarray(targets, dtype=float)
        colour = dict(color=values, colorscale=TARGET_SCALE, showscale=targets is not None,
                      colorbar=dict(title="target", x=1.0, len=0.45, y=0.25, thickness=12))
        data, phase_hover = np.column_stack([values]), ""
        if phases is not None:  # the season's phases on a cyclic scale: its end meets its start
            phase, names = np.asarray(phases[0], dtype=int), phases[1]
            colour = dict(color=phase, colorscale=PHASE_SCALE, cmin=0, cmax=len(names),
                          showscale=True, colorbar=dict(
                              title="season", x=1.0, len=0.45, y=0.25, thickness=12,
                              tickvals=list(range(0, len(names), max(1, len(names) // 6))),
                              ticktext=list(names[::max(1, len(names) // 6)])))
            data = np.column_stack([values, np.asarray(names, dtype=object)[phase]])
            phase_hover = "season: %{customdata[1]}<br>"
        fig.add_trace(go.Scatter(
            x=finals[:, 0], y=finals[:, 1], mode="markers", name="h_T of every window",
            customdata=data, text=labels, marker=dict(size=5, opacity=0.55, **colour),
            hovertemplate=("%{text}<br>" if labels is not None else "") + phase_hover
                          + "target = %{customdata[0]:.4g}<br>PC1 = %{x:.4g}<br>PC2 = %{y:.4g}"
                            "<extra>final state</extra>"))
    fig.add_trace(go.Scatter(
        x=path[:, 0], y=path[:, 1], mode="lines+markers", name="this window: h_1 … h_T",
        customdata=t, line=dict(color=PATH_LINE, width=1.5),
        marker=dict(size=9, color=t, colorscale=PATH_SCALE, cmin=1, cmax=max(steps, 2),
                    showscale=True, line=dict(color="white", width=0.5),
                    colorbar=dict(title="t", x=1.0, len=0.45, y=0.75, thickness=12)),
        hovertemplate="t = %{customdata}<br>PC1 = %{x:.4g}<br>PC2 = %{y:.4g}"
                      "<extra>this window</extra>"))
    k = int(np.clip(current_t, 1, steps)) - 1
    fig.add_trace(go.Scatter(
        x=[path[k, 0]], y=[path[k, 1]], mode="markers", name=f"step t = {k + 1}",
        customdata=[k + 1],
        marker=dict(size=18, color="rgba(0,0,0,0)", line=dict(color=CURRENT_COLOR, width=3)),
        hovertemplate="t = %{customdata} (current step)<br>PC1 = %{x:.4g}<br>PC2 = %{y:.4g}"
                      "<extra></extra>"))
    fig.update_layout(title=title, height=480, margin=dict(l=10, r=10, t=50, b=10),
                      xaxis_title=pc[0], yaxis_title=pc[1],
                      legend=dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0))
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def profiles_figure(profiles: list[tuple[str, np.ndarray, int | None]],
                    title: str = "Where each network looks: mean sensitivity per input step"
                    ) -> go.Figure:
    """Several networks' mean |∂ŷ/∂x_t| (``memory_summary.MeanProfile``), t = 1..T, one line
    each on a log scale, named with its effective memory (``(name, profile, memory)``)."""
    fig = go.Figure()
    steps = max((len(p) for _name, p, _m in profiles), default=1)
    for i, (name, profile, memory) in enumerate(profiles):
        profile = np.asarray(profile, dtype=float)
        said = f"memory {memory} step{'s' if memory != 1 else ''}" if memory else "memory not finite"
        fig.add_trace(go.Scatter(
            x=np.arange(1, len(profile) + 1), y=profile, mode="lines+markers",
            name=f"{name} ({said})", line=dict(color=PALETTE[i % len(PALETTE)], width=2),
            marker=dict(size=4),
            hovertemplate=f"{name}<br>t = %{{x}}<br>mean |∂ŷ/∂x_t| = %{{y:.4g}}<extra></extra>"))
    fig.update_layout(title=title, xaxis_title="time step t (T = the last, nearest the target)",
                      yaxis_title="mean |∂ŷ/∂x_t|", yaxis_type="log", height=340,
                      margin=dict(l=10, r=10, t=50, b=10),
                      legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="right", x=1))
    fig.update_xaxes(tickmode="auto", nticks=min(steps, 20), range=[0.6, steps + 0.4])
    return fig
