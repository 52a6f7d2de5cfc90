"""Inside the network for a text model: how far back it looks over the window of characters.

Thin: the numbers come from ``rnn_core.text_memory.char_sensitivity`` (``memory.gradients`` on
the run's numpy network), the figure from ``memory_figures.char_sensitivity_figure``, the
sentence from ``text_memory.sentence``; this module picks what is explained and caches it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from rnn_core import memory_figures, memory_summary, text_memory
from rnn_core.errors import RnnExplorerError
from rnn_core.text_figures import symbol

from . import state
from .memory_view import BOUND_CAPTION
from .session import Session, session

TARGETS = ("next", "top")
MEASURES = ("log", "probability")


def came_next(run: Any, window: str) -> str | None:
    """The character after ``window`` in the held-out text (its first occurrence there), as
    the network reads it (the unknown symbol for one it never saw); None when the window is
    not in the held-out text or ends it."""
    at = run.test_text.find(window)
    if at < 0 or at + len(window) >= len(run.test_text):
        return None
    vocab = run.vocab
    return vocab.chars[int(vocab.encode(run.test_text[at + len(window)])[0])]


def draw(run: Any, net: Any, window: str) -> None:
    """The sensitivity of the prediction after the window to each of its characters."""
    st.subheader("How far back it looks")
    came = came_next(run, window)
    targets = TARGETS if came is not None else TARGETS[1:]
    state.remember_widget(Session.text_memory_target, targets[0], targets)
    a, b = st.columns(2)
    target = a.radio("Prediction explained", targets, key=Session.text_memory_target,
                     format_func=lambda k: (f"the character that came next (``{symbol(came)}``)"
                                            if k == "next" else "the likeliest next character"),
                     help="After the window's last character the network gives every "
                          "character a probability; the bars show how much each character "
                          "read moves the one chosen here.")
    state.remember_widget(Session.text_memory_measure, MEASURES[0], MEASURES)
    measure = b.radio("Of its", MEASURES, key=Session.text_memory_measure, horizontal=True,
                      format_func=lambda m: "log-probability" if m == "log" else m)
    wanted = came if target == "next" else None
    try:
        s = session.cached(Session.text_memory_cache, (id(run), window, wanted, measure),
                           lambda: text_memory.char_sensitivity(net, window, wanted,
                                                                measure == "log"))
    except RnnExplorerError as err:
        st.error(str(err))
        return
    signed_name = ("gradient × input ⟨∂/∂e_t, e_t⟩" if s.embedding
                   else "∂/∂x_t at the character's one-hot entry")
    st.plotly_chart(memory_figures.char_sensitivity_figure(
        window, s.size, s.signed, s.memory, s.quantity, signed_name,
        share=text_memory.MEMORY_SHARE), key="text_memory_bars", width="stretch")
    st.markdown(text_memory.sentence(s))
    how = ("with respect to the embedding vector e\\_t of the character read at step t (its "
           "length ‖∂/∂e\\_t‖; the hover adds the gradient times the input, signed)"
           if s.embedding else
           "with respect to the one-hot entry of the character read at step t (its size; the "
           "hover gives it signed: positive raises the probability)")
    st.caption(f"Each bar is the derivative of {s.quantity_markdown} after the last character "
               f"{how}: computed in numpy by forward-mode differentiation through the same "
               "steps as above, equal to TensorFlow's autodiff "
               "(tests/core/test\\_text\\_memory.py).")
    _forgetting(s)


def _forgetting(s: text_memory.CharSensitivity) -> None:
    """Why it forgets, as for a series window: each layer's gradient norms through time."""
    with st.expander("Why it forgets: the gradient through the state, layer by layer"):
        for i, layer in enumerate(s.gradients.layers):
            if len(layer.d_state_norm) > 1:
                st.plotly_chart(memory_figures.lag_figure(layer), key=f"text_memory_lag_{i}",
                                width="stretch")
            st.markdown(memory_summary.forgetting_paragraph(layer).replace("_", "\\_"))
        st.caption(("‖∂h_T/∂x_t‖ here is along the embedding vector e\\_t. " if s.embedding else
                    "‖∂h_T/∂x_t‖ here is along the one-hot entry of the character read. ")
                   + BOUND_CAPTION)
