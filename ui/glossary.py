"""The glossary, one click from every page: a popover in the shared sidebar (``sidebar.draw``)."""

import streamlit as st

from rnn_core import glossary


def draw() -> None:
    """The "Glossary" button of the sidebar; its words come from ``rnn_core.glossary``."""
    # A popover, like "Share this setup": drawn in the browser only when opened.
    with st.popover("Glossary", width="stretch",
                    help="What the words on these pages mean: hidden state, window, stride, "
                         "persistence, MASE …"):
        st.markdown(glossary.markdown())
