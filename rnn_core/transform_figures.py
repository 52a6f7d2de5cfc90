"""What a transform does to a series, shown: the original next to what the network learns, and
how many test targets the network must extrapolate to.

``extrapolation`` compares the scaled test targets with the range of the scaled training
values (the inputs the network saw): a target above that range asks the network for a value
it never met. ``transform_figure`` draws the original series and its scaled transformed
version one above the other, with the training range marked.

>>> import pandas as pd
>>> from rnn_core.config import RunConfig
>>> from rnn_core.data import Series
>>> from rnn_core.run import prepare
>>> s = Series([float(v % 5 + v) for v in range(1, 41)], pd.RangeIndex(40), "saw")
>>> e = extrapolation(prepare(RunConfig(split=32, time_steps=4), s))
>>> e.above, e.below
(1.0, 0.0)
>>> e = extrapolation(prepare(RunConfig(split=32, time_steps=4, transform="diff"), s))
>>> e.above, e.below
(0.0, 0.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from . import figures, transforms


@dataclass(frozen=True)
class Extrapolation:
    """Fractions (0-1) of the test targets above / below every scaled training value."""

    above: float
    below: float
    n_test: int

    def sentence(self) -> str:
        """The finding in one sentence a learner reads."""
        text = (f"{self.above:.0%} of the test targets lie above anything seen in training, "
                f"{self.below:.0%} below it (scaled input)")
        if self.above + self.below == 0:
            return text + ": the network is asked for values inside the range it learned."
        return text + (": the network must extrapolate there, which a tanh-bounded recurrence "
                       "cannot do well. A log or a difference transform can bring them back in range.")


def extrapolation(prepared: Any) -> Extrapolation:
    """How many of ``prepared``'s test targets leave the range of its scaled training values."""
    w = prepared.windows
    lag = prepared.transform.lag if prepared.transform is not None else 0
    seen = np.asarray(prepared.scaled, dtype=np.float64)[:prepared.split_at - lag]
    y = np.ravel(w.y_test)
    return Extrapolation(float(np.mean(y > seen.max())), float(np.mean(y < seen.min())), len(y))


def transform_figure(prepared: Any, y_title: str = "value") -> go.Figure:
    """The original series (top) and the scaled transformed series the network learns
    (bottom), training part shaded and the range of its scaled values marked."""
    from plotly.subplots import make_subplots

    s, x = prepared.series, np.asarray(prepared.series.index)
    t = prepared.transform
    lag = t.lag if t is not None else 0
    name = transforms.LABELS[t.name if t is not None else "none"]
    scaled = np.asarray(prepared.scaled, dtype=np.float64)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=(f"{s.name} ({y_title})", f"what the network learns: {name}, scaled"))
    keep = figures._thin(len(s))
    fig.add_trace(go.Scatter(x=x[keep], y=np.asarray(s.values)[keep], mode="lines", name="original",
                             line=dict(color=figures.ACTUAL_COLOR, width=1.2)), row=1, col=1)
    keep = figures._thin(len(scaled))
    fig.add_trace(go.Scatter(x=x[lag:][keep], y=scaled[keep], mode="lines", name="transformed, scaled",
                             line=dict(color=figures.TRAIN_COLOR, width=1.2)), row=2, col=1)
    seen = scaled[:prepared.split_at - lag]
    fig.add_hrect(y0=seen.min(), y1=seen.max(), fillcolor=figures.TRAIN_COLOR, opacity=0.08,
                  line_width=0, row=2, col=1, annotation_text="range seen in training",
                  annotation_position="top left")
    for row in (1, 2):
        fig.add_vrect(x0=x[0], x1=x[prepared.split_at - 1], fillcolor=figures.TRAIN_COLOR,
                      opacity=0.06, line_width=0, row=row, col=1)
        fig.add_vline(x=x[prepared.split_at], line=dict(color=figures.SPLIT_COLOR, width=2),
                      row=row, col=1)
    fig.update_layout(title="The series and what the network learns (training part shaded)",
                      height=520, showlegend=False, margin=dict(l=10, r=10, t=70, b=10))
    return fig
