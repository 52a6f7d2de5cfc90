"""Inside the network for a text model: a window of T characters, step by step.

The trained text run's network (numpy, ``TextRun.network()``) runs the window through
``rnn_core.unroll`` (its one-hot or embedding input, every cell's step); each step shows the
character read and its input vector x_t, the cell's diagram and equations with the numbers
(``cell_figures``, ``equations``), and the softmax output as the top 5 next characters. The proof
compares the numpy probabilities with Keras' own for the window, computed in a worker from the
run's weights (``ui/keras_view.py``: the server never imports TensorFlow).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core import cell_figures, equations, unroll
from rnn_core.errors import RnnExplorerError
from rnn_core.text_figures import symbol, top_next

from . import keras_view, state, text_memory_view
from .session import Session, session


def draw() -> None:
    """The whole text branch of the page (the page stops after it)."""
    run = session.text_run
    if run is None:
        st.info("No text model trained in this session yet: train one on the Text page, then "
                "come back to follow a window of characters through it step by step.")
        st.page_link("pages/text.py", label="Open the Text page", icon=":material/text_fields:")
        return
    net = run.network()
    steps, vocab = run.config.time_steps, net.vocab
    st.caption(f"Trained text model: {run.name} · reads windows of {steps} characters, "
               f"{run.config.text_input} input over {vocab.size} characters")
    state.remember_widget(Session.text_window, run.test_text[:steps])
    window = st.text_input(f"Window ({steps} characters)", key=Session.text_window,
                           max_chars=steps,
                           help="It starts as the first held-out characters; type your own. "
                                "Each character is one time step.")
    if len(window) != steps:
        st.error(f"The window needs exactly {steps} characters (it has {len(window)}): the "
                 "network was trained on windows of that length.")
        return
    ids = vocab.encode(window)
    try:
        result = session.cached(Session.text_unroll_cache, (id(run), window),
                                lambda: unroll.unroll(net.network, ids))
    except RnnExplorerError as err:
        st.error(str(err))
        return
    unknown = int(np.count_nonzero(ids == 0))
    if unknown:
        st.caption(f"{unknown} character(s) are not in the vocabulary: read as {vocab.chars[0]}.")
    layer_no = _layer(result)
    trace = result.layers[layer_no]
    state.remember_widget(Session.text_unroll_t, 1)
    session.text_unroll_t = int(np.clip(session.text_unroll_t, 1, steps))
    t = st.slider("Time step t", 1, steps, key=Session.text_unroll_t)
    _input(run, window, ids, result, t)
    st.plotly_chart(cell_figures.cell_figure(trace, t), key="text_cell_diagram", width="stretch")
    with st.expander("This step as equations, with the numbers",
                     expanded=trace.units <= cell_figures.WRITTEN_UP_TO):
        st.code("\n".join(equations.step_equation(trace, t)), language=None, wrap_lines=True)
    _output(result, vocab, window, t)
    text_memory_view.draw(run, net, window)
    _proof(run, net.network, ids, result)


def _layer(result: unroll.Unrolled) -> int:
    if len(result.layers) == 1:
        return 0
    names = range(len(result.layers))
    state.remember_widget("text_unroll_layer", 0, names)
    return st.selectbox("Recurrent layer", names, key="text_unroll_layer",
                        format_func=lambda k: f"{k + 1}: {result.layers[k].name}")


def _input(run: Any, window: str, ids: np.ndarray, result: unroll.Unrolled, t: int) -> None:
    """The character read at step t, its index and the vector x_t the first layer reads."""
    x = result.layers[0].x[t - 1]
    how = ("its one-hot vector: 1 at its index, 0 elsewhere" if run.config.text_input == "onehot"
           else f"its row of the learned embedding table ({len(x)} numbers)")
    st.markdown(f"**Step t = {t}**: reads ``{symbol(window[t - 1])}`` (index {int(ids[t - 1])} "
                f"of {len(result.output[0])}) as {how}.")
    st.code("x_t = [" + ", ".join(f"{v:.4g}" for v in x) + "]", language=None, wrap_lines=True)


def _output(result: unroll.Unrolled, vocab: Any, window: str, t: int) -> None:
    """Step t's softmax as the top 5 next characters, with the logits they come from."""
    head = result.dense[-1]
    probs = result.output[t - 1]
    top = top_next(probs[None], vocab.chars)[0]
    logits = np.asarray(head.pre_activation)[t - 1]
    came = window[t] if t < len(window) else None
    st.markdown(f"**Output after step {t}: y_{t} = softmax(h_{t}·W + b)**, the next "
                "character's probabilities" + (f" (the window's next is ``{symbol(came)}``)"
                                               if came is not None else "") + ":")
    index = {c: i for i, c in enumerate(vocab.chars)}
    st.dataframe(pd.DataFrame([{"next character": symbol(c), "logit": float(logits[index[c]]),
                                "probability": p} for c, p in top]),
                 hide_index=True, key="text_unroll_top")


def _proof(run: Any, network: Any, ids: np.ndarray, result: unroll.Unrolled) -> None:
    """numpy's probabilities against Keras' for the window, on demand: Keras' come from a
    worker, which builds the Keras model from the run's weights (``network``'s)."""
    st.subheader("Proof: by hand (numpy) vs Keras")
    if not st.toggle("Compare with Keras' own prediction (computed in a training worker from "
                     "the run's weights)", key="text_unroll_keras"):
        return
    keras_probs = keras_view.prediction(Session.text_keras_cache, (id(run), ids.tobytes()),
                                        network, ids[None].astype(np.float64))
    if keras_probs is None:
        return
    gap = float(np.max(np.abs(keras_probs[0] - result.output)))
    a, b = st.columns(2)
    a.metric("Largest |numpy − Keras| over every step and character", f"{gap:.2g}")
    b.metric("Probabilities compared", f"{result.output.size:,}")
