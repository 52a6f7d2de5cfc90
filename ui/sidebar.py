"""The sidebar every page draws first: preset picker, its description, notes from the link.

Pages call ``draw()`` themselves (rather than app.py drawing it around ``st.navigation``) so
the sidebar is part of each page's run, which is also what AppTest sees.
"""

import streamlit as st

from rnn_core.config import MAX_CONFIG_BYTES, from_json
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import DESCRIPTIONS

from . import pitfalls, runtime, state, training

CUSTOM = "custom"


def _on_preset() -> None:
    choice = st.session_state.preset_choice
    if choice == CUSTOM:
        state.change(state.get_config())  # the same settings, no longer called a preset
    else:
        state.apply_preset(choice)


def _on_config_upload() -> None:
    upload = st.session_state.get("config_upload")
    if upload is None:
        return
    try:
        config = from_json(upload.getvalue())  # bytes: size and encoding checked before decoding
    except RnnExplorerError as err:
        st.session_state.config_upload_error = f"Config not loaded, settings unchanged: {err}"
        return
    st.session_state.config_upload_error = None
    state.change(config)


def draw() -> None:
    runtime.enter_through_app()  # first, before anything is drawn
    state.bootstrap()
    training.collect()
    pitfalls.collect()
    with st.sidebar:
        choices = [CUSTOM, *state.preset_names()]
        st.session_state.preset_choice = state.current_preset() or CUSTOM  # the config decides
        st.selectbox("Preset", choices, index=choices.index(st.session_state.preset_choice),
                     key="preset_choice", on_change=_on_preset,
                     help="Set every knob at once to a known setup; moving any knob makes it custom.")
        if state.current_preset():
            st.caption(DESCRIPTIONS[state.current_preset()])
        elif st.session_state.get("preset"):
            base = st.session_state.preset
            changed = ", ".join(k for k in state.link_params() if k != "preset")
            st.caption(f"Based on the preset {base}; changed: {changed}. Pick it again to reset.")
        for note in st.session_state.get("messages", []):
            st.warning(note)
        link = state.sync_link()
        with st.expander("Share this setup"):
            st.caption("Every setting lives in the link; the copy button is at the right of it.")
            st.code(link, language=None, wrap_lines=True)
            st.file_uploader("Load a config (.json)", type=["json"], key="config_upload",
                             on_change=_on_config_upload,
                             help="A config exported from the Results page (at most "
                                  f"{MAX_CONFIG_BYTES // 1024} KB); replaces every setting.")
            if st.session_state.get("config_upload_error"):
                st.error(st.session_state.config_upload_error)
