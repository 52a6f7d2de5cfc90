"""Inside the network: how far back the network looks and why it forgets (``rnn_core.memory``).

Thin: the gradients come from ``memory.gradients``, the mean over the test windows from
``memory_summary.mean_profile``, the figures from ``memory_figures`` and every sentence from
``memory_summary``; this module caches them per session and draws them.
"""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnn_core import memory, memory_figures, memory_summary
from rnn_core.errors import RnnExplorerError
from rnn_core.forward import Network
from rnn_core.keras_request import KerasRequest
from rnn_core.training import AUTODIFF_WINDOWS

from . import keras_view, replay_view, state
from .session import Session, session

BOUND_CAPTION = ("Dashed: (γ·σ_max)^(T−t), with σ_max the largest singular value of the "
                 "layer's recurrent matrix and γ its activation's largest slope (1 for tanh). "
                 "It is a true upper bound of ‖∂h_T/∂h_t‖ only for a SimpleRNN; for LSTM and "
                 "GRU it is a reference line, since their gates also scale the path.")


def _markdown(text: str) -> None:
    """A sentence from rnn_core, its x_t and h_T kept literal (not italics)."""
    st.markdown(text.replace("_", "\\_"))


def _store(model, prepared) -> dict:
    """This (model, data)'s cache: the last window's gradients and the test windows' mean."""
    return session.cached(Session.memory_cache, (id(model), id(prepared)), dict)


def window_gradients(model, prepared, window: np.ndarray) -> memory.Gradients:
    """``memory.gradients`` of ``window``, computed once per (model, data, window)."""
    store = _store(model, prepared)
    key = ("window", window.tobytes(), window.shape)
    if key not in store:
        for old in [k for k in store if k != "mean"]:
            del store[old]
        store[key] = memory.gradients(model, window)
    return store[key]


def test_windows_profile(model, prepared) -> memory_summary.MeanProfile | None:
    """The mean sensitivity over (at most ``MAX_PROFILE_WINDOWS`` of) the test windows,
    computed once per (model, data); None without test windows."""
    if prepared is None or len(prepared.windows.x_test) == 0:
        return None
    store = _store(model, prepared)
    if "mean" not in store:
        xs = prepared.windows.x_test
        n = min(len(xs), memory_summary.MAX_PROFILE_WINDOWS)
        with st.spinner(f"Computing the gradients of {n:,} test windows…"):
            store["mean"] = memory_summary.mean_profile(model, xs)
    return store["mean"]


def draw(model, prepared, window: np.ndarray) -> None:
    """The two memory sections for ``window`` (in the network's units)."""
    st.subheader("How far back it looks")
    try:
        g = window_gradients(model, prepared, window)
        mean = test_windows_profile(model, prepared)
    except RnnExplorerError as err:
        st.error(str(err))
        return
    horizon = g.d_output.shape[0]
    k = _output_choice(horizon)
    if mean is None:
        line, label, band = None, "", memory_summary.profile_memory(g.sensitivity(k))
    else:
        n = len(mean.used)
        line, band = mean.profiles[k], mean.effective_memory(k)
        label = f"mean over {n:,} test window{'s' if n != 1 else ''}"
    title = ("How much each input step moves the prediction: |∂ŷ/∂x_t|"
             + ("" if horizon == 1 else f" (ŷ_{k + 1}: value {k + 1} of {horizon} ahead)"))
    st.plotly_chart(memory_figures.sensitivity_figure(
        g.d_output[k], line, band, mean_label=label, title=title,
        share=memory_summary.MEMORY_SHARE), key="memory_sensitivity", width="stretch")
    _markdown(memory_summary.sensitivity_sentence(g, mean, k))

    st.subheader("Why it forgets")
    for i, layer in enumerate(g.layers):
        if len(layer.d_state_norm) > 1:
            st.plotly_chart(memory_figures.lag_figure(layer), key=f"memory_lag_{i}",
                            width="stretch")
        _markdown(memory_summary.forgetting_paragraph(layer))
    if g.window.shape[0] > 1:
        st.caption(BOUND_CAPTION)
    _proof(model, prepared, window, g)


def _output_choice(horizon: int) -> int:
    """Which of the H outputs the sensitivity shows (0-based); the first when H = 1."""
    if horizon == 1:
        return 0
    state.remember_widget("memory_output", 0, range(horizon))
    return st.selectbox("Output shown", range(horizon), key="memory_output",
                        format_func=lambda j: f"ŷ_{j + 1}: value {j + 1} ahead",
                        help=f"The network predicts {horizon} values ahead at once; each of "
                             "them has its own sensitivity to the window's steps.")


def _proof(model: Network, prepared, window: np.ndarray, g: memory.Gradients) -> None:
    """∂ŷ/∂x by hand against TensorFlow's autodiff: kept by the training for the first test
    windows of a trained run; for any other window or network (a typed window, an earlier
    epoch, an untrained network), computed on demand in a worker (the server has no
    TensorFlow)."""
    run = session.run
    stored = (run is not None and model is run.network and run.autodiff_test is not None
              and not replay_view.earlier_epoch(model))
    if stored:
        for i, x in enumerate(prepared.windows.x_test[:len(run.autodiff_test)]):
            if x.shape == window.shape and np.array_equal(x, window):
                st.caption(memory_summary.autodiff_sentence(g.d_output, run.autodiff_test[i], i))
                return
    _on_demand(model, window, g)


def _ask(key: tuple, model: Network, window: np.ndarray) -> None:
    """The button's callback: queue the check (the page then waits for it)."""
    session.autodiff_job = (key, keras_view.submit(KerasRequest.gradients(model, window[None])))


def _on_demand(model: Network, window: np.ndarray, g: memory.Gradients) -> None:
    """The check for this window and network: a button queues it for a worker, the page waits
    for it with a spinner (at most ``keras_view.WAIT_SECONDS``) and keeps the answer."""
    key = (id(model), window.shape, window.tobytes())
    asked = session.autodiff_job
    job = asked[1] if asked is not None and asked[0] == key else None
    if job is None:
        st.button("Check ∂ŷ/∂x against TensorFlow's autodiff", key="autodiff_check",
                  on_click=_ask, args=(key, model, window),
                  help="Sends this network's weights and this window to a training worker, "
                       "where TensorFlow differentiates the same network; the difference "
                       "from the numbers above is shown here.")
        st.caption("TensorFlow's own gradients were kept for the first "
                   f"{AUTODIFF_WINDOWS} test windows of a trained run; for this window and "
                   "network, the button computes them in a worker.")
        return
    autodiff = keras_view.result(job, Session.autodiff_job,
                                 "TensorFlow differentiates the network in a worker (after any "
                                 "training ahead of it in the queue)…",
                                 "TensorFlow's autodiff of this window")
    if autodiff is not None:
        st.caption(memory_summary.autodiff_sentence(g.d_output, autodiff[0], None,
                                                    "computed on demand in a worker"))
