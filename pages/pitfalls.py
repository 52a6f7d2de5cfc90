"""Pitfalls made visible: the same model trained twice, differing in one common mistake."""

import streamlit as st

from rnn_core.pitfalls import (DEFAULT_COMPARE_HORIZON, DEFAULT_COMPARE_TRANSFORM, PITFALLS,
                               compare_horizon, compare_transform)
from ui import pitfall_view, sidebar, state
from ui.session import session

sidebar.draw()
st.title("Pitfalls made visible")
st.caption("Trains one setup twice, changing only the choice below, with the same seed.")
name = st.radio("Pitfall", list(PITFALLS), format_func=lambda n: PITFALLS[n].title,
                key="pitfall_choice", help="Each is a mistake seen in published tutorials.")
pit = PITFALLS[name]
st.info(pit.lesson)
state.remember_widget("pitfall_base", pitfall_view.BASES[0], pitfall_view.BASES)
current = state.get_config()
words = {"demo": f"the setup that shows it: {pit.demo_words}",
         "current": f"your current setup: {current.cell} {current.units} units, "
                    f"T = {current.time_steps}, {current.epochs} epochs on {current.dataset} "
                    "(change it on the other pages)"}
which = st.radio("Setup for both runs", pitfall_view.BASES, format_func=words.get, key="pitfall_base",
                 help="The first was chosen by training both runs with seeds 0-2 "
                      "(BENCHMARKS.md, \"Pitfall effects\"); the second is whatever you set up.")
st.caption(pit.measured)
config, _ = pitfall_view.base(name, which)
if name == "horizon":
    st.caption(f"Steps ahead compared: H = {compare_horizon(config)} (the Horizon H setting on "
               f"the Data & windows page, or {DEFAULT_COMPARE_HORIZON} while it is 1).")
if name == "transform":
    st.caption(f"Transform compared with raw values: {compare_transform(config)} (the Series "
               f"transform setting on the Data & windows page, or {DEFAULT_COMPARE_TRANSFORM} "
               "while it is none). Air passengers shows it best.")
st.button("Train both", type="primary", key="pitfall_start", on_click=pitfall_view.start_chosen,
          disabled=pitfall_view.running(),
          help="Queues both trainings; they train in the background, side by side.")
if session.pitfall_error:
    st.error(session.pitfall_error)
pitfall_view.view()
