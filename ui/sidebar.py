"""The sidebar every page draws first: preset picker, its description, notes from the link.

Pages call ``draw()`` themselves (rather than app.py drawing it around ``st.navigation``) so
the sidebar is part of each page's run, which is also what AppTest sees.
"""

import streamlit as st

from rnn_core.config import MAX_CONFIG_BYTES, from_json
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import DESCRIPTIONS, label

from . import glossary, lesson_view, pitfall_view, race_view, runtime, state, train_panel
from . import text_view
from .session import Session, session

CUSTOM = "custom"


def _on_preset() -> None:
    state.trace("preset picker %r echo=%s", session.preset_choice, state.is_echo(Session.preset_choice))
    if state.is_echo(Session.preset_choice):  # not a pick: the browser lagged (state rule 4)
        return
    choice = session.preset_choice
    if choice == CUSTOM:
        state.change(state.get_config())  # the same settings, no longer called a preset
    else:
        state.apply_preset(choice)


def _on_config_upload() -> None:
    upload = session.config_upload
    if upload is None:
        return
    try:
        config = from_json(upload.getvalue())  # bytes: size and encoding checked before decoding
    except RnnExplorerError as err:
        session.config_upload_error = f"Config not loaded, settings unchanged: {err}"
        return
    session.config_upload_error = None
    state.change(config)


def draw() -> None:
    runtime.enter_through_app()  # first, before anything is drawn
    state.start_run()
    state.bootstrap()
    train_panel.collect()
    pitfall_view.collect()
    race_view.collect()
    text_view.collect()
    lesson_view.panel()  # a lesson's page switch and widget values first, then its player
    with st.sidebar:
        choices = [CUSTOM, *state.preset_names()]
        shown = state.current_preset() or CUSTOM  # the config decides
        state.push(Session.preset_choice, shown)
        st.selectbox("Preset", choices, index=choices.index(shown), key=Session.preset_choice,
                     on_change=_on_preset, format_func=label,
                     help="Set every knob at once to a known setup; moving any knob makes it "
                          "custom. A first visit starts with the recommended one (★).")
        if state.current_preset():
            st.caption(DESCRIPTIONS[state.current_preset()])
        elif session.preset:
            base = session.preset
            changed = ", ".join(k for k in state.link_params() if k != "preset")
            st.caption(f"Based on the preset {base}; changed: {changed}. Pick it again to reset.")
        for note in session.messages:
            st.warning(note)
        link = state.sync_link()
        # A popover, not an expander: its content is drawn only when opened, and st.code's
        # highlighter costs every page load ~0.7 s of the browser's CPU when drawn hidden.
        with st.popover("Share this setup", width="stretch"):
            st.caption("Every setting lives in the link (the address bar holds it too); the "
                       "copy button is at the right of it.")
            st.code(link, language=None, wrap_lines=True)
            lesson_view.teacher_section()
        glossary.draw()
        with st.expander("Load a config"):
            st.file_uploader("Load a config (.json)", type=["json"], key=Session.config_upload,
                             on_change=_on_config_upload,
                             help="A config exported from the Results page (at most "
                                  f"{MAX_CONFIG_BYTES // 1024} KB); replaces every setting.")
            if session.config_upload_error:
                st.error(session.config_upload_error)
    text_view.series_page_note()  # a text setup on a series page: a line and the way to Text
