"""Prediction intervals drawn on a figure (``rnn_core.intervals``): a shaded band between the
lower and upper bounds. No Streamlit."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import plotly.graph_objects as go

BAND_FILL = "rgba(255, 127, 14, 0.18)"  # the test predictions' orange, light


def add_band(fig: go.Figure, x: Sequence, lower: np.ndarray, upper: np.ndarray,
             label: str) -> go.Figure:
    """Shade between ``lower`` and ``upper`` at ``x`` (added after the other traces, so their
    numbers stay; not hovered, so a click still picks the nearest window)."""
    x = np.asarray(x)
    fig.add_trace(go.Scatter(x=x, y=np.asarray(upper, dtype=float), mode="lines",
                             line=dict(width=0), hoverinfo="skip", showlegend=False,
                             name=f"{label} (upper)"))
    fig.add_trace(go.Scatter(x=x, y=np.asarray(lower, dtype=float), mode="lines",
                             line=dict(width=0), fill="tonexty", fillcolor=BAND_FILL,
                             hoverinfo="skip", name=label))
    return fig
