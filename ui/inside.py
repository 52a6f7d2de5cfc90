"""Session plumbing of the Inside-the-network page: which model, cached unrolls, the stepper.

Every network here runs in numpy (``forward.Network``): the trained one from its run's weights,
the untrained one from the weights Keras draws for the setup's seed, asked of a worker; Keras'
own prediction for the proof comes from a worker too (``ui/keras_view.py``). The server never
imports TensorFlow.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core import cell_figures, equations, inside_figures, model as model_mod, unroll
from rnn_core.errors import RnnExplorerError
from rnn_core.forward import Network
from rnn_core.jobs import KerasJob
from rnn_core.keras_request import KerasRequest
from rnn_core.run import Prepared, prepare

from . import keras_view, replay_view, state
from .session import Session, session

PLAY_SECONDS = 1.0
UNTRAINED_SPINNER = "Drawing the untrained network's weights in a worker…"


def choose_model():
    """(model, prepared data or None, label) for the page, or None after telling the user why."""
    run = session.run
    config = state.get_config()
    choices = (["trained (last run)"] if run is not None else []) + ["untrained (random weights)"]
    if run is not None and run.config != config and session.unroll_model_setup != config:
        # the setup changed since this page was drawn (a preset picked, a knob moved) and the
        # last run was trained with other settings: show the network these settings build
        # (picking t1-structure after a training opened the trained 36-step model, which
        # refused the 3-step window 1, 2, 3); "trained" stays one click away
        state.remember_widget("unroll_model_choice", choices[-1], choices, force=True)
        for key in (Session.unroll_source, "unroll_text"):  # its own default window
            state.forget_widget(key)
    session.unroll_model_setup = config
    state.remember_widget("unroll_model_choice", choices[0], choices)
    choice = st.radio("Network", choices, key="unroll_model_choice", horizontal=True,
                      help="The model of your last training, or a fresh one built from the "
                           "current settings with weights drawn from the seed (no training).")
    if choice.startswith("trained"):
        # its weights run in numpy (no TensorFlow in the server); Keras' own predictions for
        # the data windows come with the run, for the proof (``keras_prediction``)
        network, epoch = replay_view.trained_network(run)  # the epoch slider chooses
        return network, run.prepared, f"Trained model: {run.name}{epoch}"
    untrained_network = untrained(config)
    if untrained_network is None:
        return None
    model, prepared = untrained_network
    return model, prepared, f"Untrained model from the current settings (seed {config.seed})"


def untrained(config) -> tuple[Network, Prepared | None] | None:
    """(the network ``config`` builds, with the weights Keras draws from its seed, its
    prepared data or None), once per setup; None after telling the user why (the workers are
    busy, or the request failed). The weights come from a worker; the network runs here in
    numpy, with the numbers of Keras' untrained model. Inside the network and lesson 1 share it."""
    key = ("untrained", config)
    job, prepared = session.cached(Session.untrained_weights_job, key,
                                   lambda: _ask_untrained(config))
    weights = keras_view.result(job, Session.untrained_weights_job, UNTRAINED_SPINNER,
                                "the untrained network's weights")
    if weights is None:
        return None
    request = job.request
    return session.cached(Session.unroll_untrained, key, lambda: (
        Network(config, weights, request.steps, request.features), prepared))


def _ask_untrained(config) -> tuple[KerasJob, Prepared | None]:
    """Queue the request for ``config``'s initial weights: (the job, the prepared data or None
    when the setup's data cannot be prepared; the network's shape then comes from the setup)."""
    prepared = None
    try:
        prepared = prepare(config, state.series())
        steps, features = prepared.windows.steps, prepared.windows.n_features
    except RnnExplorerError:
        steps, features = model_mod.input_shape(config)
    return keras_view.submit(KerasRequest.initial_weights(config, steps, features)), prepared


def label(value) -> str:
    """A series index label for people: a month as 1937-01, a number as itself."""
    return value.strftime("%Y-%m") if isinstance(value, pd.Timestamp) else str(value)


def model_input_shape(model) -> tuple[int, int]:
    shape = model.input_shape
    return int(shape[1]), int(shape[2])


def pending_pick():
    """A window picked by clicking the results chart, consumed once."""
    pick = session.unroll_pick
    del session.unroll_pick
    return pick


def unrolled(model, window: np.ndarray) -> unroll.Unrolled:
    """``unroll.unroll`` cached for the current (model, window), so step changes are cheap."""
    return session.cached(Session.unroll_cache, (id(model), window.tobytes(), window.shape),
                          lambda: unroll.unroll(model, window))


def stored_prediction(model, part: str, i: int) -> np.ndarray | None:
    """Keras' prediction for window ``i`` of ``part``, made when the trained run was evaluated
    (in the training worker), if ``model`` is that run's network; else None."""
    run = session.run
    if run is None or run.weights is None or model is not run.network:
        return None
    return np.ravel((run.pred_train if part == "train" else run.pred_test)[i])


def keras_prediction(model: Network, window: np.ndarray,
                     stored: np.ndarray | None = None) -> np.ndarray | None:
    """Keras' own prediction for the window (one value per output): ``stored`` if given; else
    asked of a worker once per (network, window), from the network's weights. None after
    telling the user why (the workers are busy, or the request failed)."""
    if stored is not None:
        return stored
    out = keras_view.prediction(Session.keras_prediction_cache,
                                (id(model), window.tobytes(), window.shape), model, window[None])
    return None if out is None else np.ravel(out)


def keras_proof(model: Network, window: np.ndarray, stored: np.ndarray | None,
                by_hand: np.ndarray) -> None:
    """The numpy-vs-Keras proof: the output by hand (``by_hand``, the unroll's), Keras' own
    prediction of the window, and the largest difference."""
    keras_out = keras_prediction(model, window, stored)
    if keras_out is None:
        return
    numpy_out = np.ravel(by_hand)
    a, b, c = st.columns(3)
    n_out = len(numpy_out)  # a horizon of H values: the first of them, and the largest gap
    of = "" if n_out == 1 else f", step 1 of {n_out}"
    a.metric(f"By hand (numpy){of}", f"{numpy_out[0]:.8g}")
    b.metric(f"Keras predict{of}", f"{keras_out[0]:.8g}")
    c.metric("Absolute difference" if n_out == 1 else
             f"Largest absolute difference over {n_out} outputs",
             f"{np.max(np.abs(numpy_out - keras_out)):.2g}")
    if stored is not None:
        st.caption("Keras' prediction for this window was made when the run was evaluated, by "
                   "the Keras model in the training process; the numbers above are recomputed "
                   "here from its weights. Keras computes in 32-bit floats, numpy here in 64-bit.")
    else:
        st.caption("Keras' prediction for this window was made by a worker, from the same "
                   "weights; Keras computes in 32-bit floats, numpy here in 64-bit.")


def final_states(model, prepared) -> list[np.ndarray]:
    w = prepared.windows
    return session.cached(Session.final_states_cache, (id(model), id(prepared)),
                          lambda: unroll.final_states(model, np.concatenate([w.x_train,
                                                                             w.x_test])))


def _move(delta: int, steps: int) -> None:
    session.unroll_t = int(np.clip(session.unroll_t + delta, 1, steps))


def step_view(result: unroll.Unrolled, layer_no: int, where: str,
              after: Callable[[int], None] | None = None) -> None:
    """The stepper and this step's numbers; ``after(t)`` draws more that follows step t (it
    runs inside the stepper's fragment, so Previous, Next and Play redraw it too)."""
    if session.unroll_play:
        _step_view_playing(result, layer_no, where, after)
    else:
        _step_view(result, layer_no, where, after)


def _body(result: unroll.Unrolled, layer_no: int, where: str, playing: bool,
          after: Callable[[int], None] | None) -> None:
    trace = result.layers[layer_no]
    steps = trace.steps
    if playing:
        t = session.unroll_t
        session.unroll_t = 1 if t >= steps else t + 1
    session.unroll_t = int(np.clip(session.unroll_t, 1, steps))
    prev, nxt, slider = st.columns([1.3, 1.3, 7])
    prev.button("◀ Prev", key="unroll_prev", on_click=_move, args=(-1, steps),
                disabled=session.unroll_t <= 1, width="stretch")
    nxt.button("Next ▶", key="unroll_next", on_click=_move, args=(1, steps),
               disabled=session.unroll_t >= steps, width="stretch")
    if steps > 1:
        slider.slider("Time step t", 1, steps, key=Session.unroll_t, label_visibility="collapsed")
    t = session.unroll_t
    st.markdown(f"**Step t = {t} of {steps}** · {trace.kind} layer `{trace.name}` · {where}")
    last = t == steps and layer_no == len(result.layers) - 1
    output = np.ravel(result.output) if last else None
    st.plotly_chart(inside_figures.unrolled_figure(trace.x, trace.h, t, trace.kind, output),
                    key="unrolled_diagram", width="stretch")

    st.plotly_chart(cell_figures.cell_figure(trace, t), key="cell_diagram", width="stretch")
    # a few units' equations are short: open; a wide layer's are a wall of numbers: on demand
    with st.expander("This step as equations, with the numbers",
                     expanded=trace.units <= cell_figures.WRITTEN_UP_TO):
        st.code("\n".join(equations.step_equation(trace, t)), language=None, wrap_lines=True)
    if last:
        st.markdown("**The dense head turns h_T into the output**")
        st.code("\n".join(equations.head_equation(result)), language=None, wrap_lines=True)
    hist = pd.DataFrame(trace.h[:t], index=pd.Index(range(1, t + 1), name="t"),
                        columns=[f"unit {u + 1}" for u in range(trace.units)])
    st.markdown("**Hidden states so far**")
    st.dataframe(hist.tail(8).round(6))
    if after is not None:
        after(t)


def weights_view(trace: unroll.LayerTrace) -> None:
    """The layer's weight matrices as heatmaps, the value on hover: the same at every step,
    so they are drawn once with the page rather than by every step change."""
    st.plotly_chart(inside_figures.weights_figure(
        trace.weights, f"Weights of {trace.name} (the same at every step; the equation above "
                       "uses them): row × column, one colour scale for all"),
        key="weights", width="stretch")


@st.fragment
def _step_view(result, layer_no, where, after):
    _body(result, layer_no, where, playing=False, after=after)


@st.fragment(run_every=PLAY_SECONDS)
def _step_view_playing(result, layer_no, where, after):
    _body(result, layer_no, where, playing=True, after=after)
