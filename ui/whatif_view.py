"""Inside the network, "What if": nudge one input x_t by δ and watch h and ŷ change.

Thin: the numbers come from ``whatif.nudge`` (the window run again through ``unroll``, and the
linear prediction from ``memory.gradients``), the figure from ``memory_figures.nudge_figure``
and the sentence from ``whatif.sentence``; this module draws the widgets, caches the nudge per
session and draws the result.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core import memory_figures, whatif
from rnn_core.errors import RnnExplorerError

from . import state
from .session import Session, session


def _markdown(text: str) -> None:
    """A sentence from rnn_core, its x_t kept literal (not italics)."""
    st.markdown(text.replace("_", "\\_"))


def _feature_label(f: int) -> str:
    return f"feature {f + 1}" + (" (the target, in a run with extra columns)" if f == 0 else "")


def draw(model, window: np.ndarray) -> None:
    """The what-if section for ``window`` (T, features; in the network's units)."""
    st.subheader("What if")
    steps, features = np.shape(window)
    st.caption("Add δ to one input value and run the window again: Δh shows how the hidden "
               "state changes at that step and every later one (nothing before it can change), "
               "and Δŷ how the prediction moves, next to the straight-line guess δ·∂ŷ/∂x_t.")
    left, right = st.columns([3, 1])
    with left:
        if steps > 1:
            state.remember_widget(Session.whatif_t, max(1, steps // 2), range(1, steps + 1))
            t = st.slider("Nudge the input at step t", 1, steps, key=Session.whatif_t,
                          help="The time step whose input value gets δ added (T is the last, "
                               "nearest the target).")
        else:
            t = 1
    with right:
        state.remember_widget(Session.whatif_delta, whatif.DELTA_DEFAULT)
        delta = st.number_input(
            "Nudge δ", whatif.DELTA_MIN, whatif.DELTA_MAX, step=0.05, format="%.4f",
            key=Session.whatif_delta,
            help=f"Added to x_t, in the network's scaled units ({whatif.DELTA_MIN:g} to "
                 f"{whatif.DELTA_MAX:g}; the training data spans about 0 to 1).")
    feature = 0
    if features > 1:
        state.remember_widget(Session.whatif_feature, 0, range(features))
        feature = st.selectbox("Feature nudged", range(features), format_func=_feature_label,
                               key=Session.whatif_feature,
                               help="Which of the window's input columns gets δ at step t.")
    window = np.asarray(window, dtype=float)
    try:
        n = session.cached(Session.whatif_cache,
                           (id(model), window.tobytes(), window.shape, t, float(delta), feature),
                           lambda: whatif.nudge(model, window, t, float(delta), feature))
    except RnnExplorerError as err:
        st.error(str(err))
        return
    st.plotly_chart(memory_figures.nudge_figure(n.delta_h, n.layer_names, n.t, n.delta),
                    key="whatif_delta_h", width="stretch")
    horizon = len(n.output)
    if horizon == 1:
        a, b, c = st.columns(3)
        a.metric("Actual Δŷ (network run again)", f"{n.delta_output[0]:+.6g}")
        b.metric(f"Linear δ·∂ŷ/∂x_{n.t}", f"{n.linear_output[0]:+.6g}")
        c.metric("Relative difference", whatif.percent(n.relative_difference)
                 if np.isfinite(n.relative_difference) else "—")
    else:
        st.dataframe({"step ahead": np.arange(1, horizon + 1),
                      "actual Δŷ (network run again)": n.delta_output,
                      f"linear δ·∂ŷ/∂x_{n.t}": n.linear_output},
                     hide_index=True)
    _markdown(whatif.sentence(n))
