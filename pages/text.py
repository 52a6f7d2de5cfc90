"""Text: a character-level network — pick a text, train, score it in bits per character against
two baselines, sample from it, and read it unit by unit."""

import streamlit as st

from ui import sidebar, state, text_inside, text_view
from ui.session import session

sidebar.draw()
st.title("Text")
st.caption("A character-level network reads a text one character at a time and predicts the "
           "next one (a softmax over the vocabulary at every step).")
text_view.corpus_picker()
config = state.get_config()
if text_view.is_text_setup():
    if config.dataset == "text":
        text_view.own_text_inputs()
    prepared = text_view.corpus_summary(config)
    st.subheader("Settings")
    text_view.knobs()
    text_view.train_panel()

run = session.text_run
if run is None:
    st.info("No text model trained in this session yet: pick a text and press Train.")
    st.stop()
st.header(f"{run.name}")
if run.config != config:
    st.caption("The settings above changed since this run: what follows is the run's.")
text_view.score(run)
text_inside.sampling(run)
text_inside.units(run)
text_inside.finder(run)
text_view.runs_table()
