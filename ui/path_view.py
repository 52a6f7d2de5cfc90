"""Inside the network: the path of the state (``rnn_core.state_path``).

Thin: the plane comes from ``state_path.plane_of`` (a PCA of the training windows' hidden
states), the coordinates from ``state_path.project``, the figure from
``memory_figures.state_path_figure`` and the sentences from ``state_path``; this module caches
the plane per session and (model, data), one per layer, and draws it.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core import memory_figures, state_path, tasks, unroll
from rnn_core.errors import RnnExplorerError

from . import inside, state
from .session import Session, session

NO_DATA = ("The plane is fitted on the hidden states of the training windows, and the current "
           "settings give no data windows, so there is no plane to draw this window's path in.")
CAPTION = ("Each point of the path is the hidden state after one step, projected on the plane "
           "of the two directions in which the training windows' states vary most (PCA); "
           "colour is time, the red ring the step t shown above. The small points are the "
           "final states h_T of every training and test window, coloured by their target "
           "(the first value ahead) in the network's units.")


def plane(model, prepared, layer_no: int) -> state_path.Plane:
    """The PCA plane of layer ``layer_no``, fitted once per (model, data, layer)."""
    store = session.cached(Session.state_path_cache, (id(model), id(prepared)), dict)
    if layer_no not in store:
        xs = prepared.windows.x_train
        n = min(len(xs), state_path.MAX_PLANE_WINDOWS)
        with st.spinner(f"Fitting the plane on the hidden states of {n:,} training windows…"):
            store[layer_no] = state_path.plane_of(model, xs, layer_no)
    return store[layer_no]


def draw(model, prepared, result: unroll.Unrolled, layer_no: int, t: int) -> None:
    """The path of ``result``'s layer ``layer_no`` states in the plane, step ``t`` marked."""
    st.subheader("The path of the state")
    trace = result.layers[layer_no]
    reason = state_path.no_plane(trace.units)
    if reason is None and (prepared is None or len(prepared.windows.x_train) == 0):
        reason = NO_DATA
    if reason is not None:
        st.info(reason)
        return
    try:
        fitted = plane(model, prepared, layer_no)
        path = state_path.project(fitted, trace.h)
        w = prepared.windows
        finals = state_path.project(fitted, inside.final_states(model, prepared)[layer_no])
    except RnnExplorerError as err:
        st.info(str(err))
        return
    targets = np.concatenate([np.reshape(w.y_train, (len(w.y_train), -1))[:, 0],
                              np.reshape(w.y_test, (len(w.y_test), -1))[:, 0]])
    labels = ([f"training window {i}" for i in range(len(w.y_train))]
              + [f"test window {i}" for i in range(len(w.y_test))])
    phases = _season_choice(prepared)
    st.plotly_chart(memory_figures.state_path_figure(
        path, t, finals, targets, labels, fitted.explained,
        title=f"h_1 … h_{trace.steps} of {trace.name} in the plane of its two main directions",
        phases=phases), key="state_path", width="stretch")
    st.markdown(state_path.variance_sentence(fitted))
    st.caption(CAPTION if phases is None else CAPTION.replace(
        "coloured by their target (the first value ahead) in the network's units",
        "coloured by the place of their target in the season (its month for monthly data)"))


COLOUR_CHOICES = ("target", "season phase")


def _season_choice(prepared):
    """The final states' colour the user picks (only a series with a season offers its phase):
    None for the target, else (each window's phase, the phases' names)."""
    season = prepared.series.season
    if not season or tasks.is_task(prepared.config):
        return None
    state.remember_widget("state_path_colour", COLOUR_CHOICES[0], COLOUR_CHOICES)
    choice = st.radio("Colour the final states by", COLOUR_CHOICES, key="state_path_colour",
                      horizontal=True,
                      help=f"Their target's value, or where their target falls in the series' "
                           f"season of {season} values (its month for monthly data with a season "
                           "of 12): windows that end at the same point of the cycle may end in "
                           "the same region.")
    if choice == COLOUR_CHOICES[0]:
        return None
    w = prepared.windows
    positions = np.concatenate([w.train_index, w.test_index])
    return state_path.season_phase(prepared.series.index, positions, season)
