"""Plotly figures of a backtest (``rnn_core.backtest``): data in, ``go.Figure`` out. No Streamlit.

``folds_figure``: each fold's test RMSE for the model and every baseline as grouped bars, one
group per forecast origin, so a fold that flatters or punishes the model stands out.
"""

from __future__ import annotations

from typing import Sequence

import plotly.graph_objects as go

from .backtest import FoldResult
from .figures import BASELINE_COLORS

MODEL_COLOR = "#1f77b4"


def folds_figure(results: Sequence[FoldResult], labels: dict[str, str], unit: str) -> go.Figure:
    """Grouped bars: x the folds (origin), one bar per forecaster (``labels``: baseline name
    -> its label), the value on hover; a failed baseline has no bar."""
    x = [f"fold {r.fold.number}<br>from {r.origin_label}" for r in results]
    fig = go.Figure(go.Bar(x=x, y=[r.model for r in results], name="model",
                           marker_color=MODEL_COLOR,
                           hovertemplate="%{x}<br>model: %{y:.4g}<extra></extra>"))
    for name, label in labels.items():
        fig.add_trace(go.Bar(
            x=x, y=[r.baselines.get(name) for r in results], name=label,
            marker_color=BASELINE_COLORS.get(name, "#999"),
            hovertemplate=f"%{{x}}<br>{label}: %{{y:.4g}}<extra></extra>"))
    fig.update_layout(title="Test RMSE at each forecast origin", barmode="group",
                      yaxis_title=f"test RMSE ({unit})", height=380,
                      margin=dict(l=10, r=10, t=50, b=10), legend=dict(orientation="h"))
    return fig
