"""RNN Explorer: train a recurrent network on a time series and look inside it.

Entry point: page set-up, the training workers, the session's start (``state.bootstrap``),
the cookie, and navigation over ``pages/`` (each page draws the shared sidebar itself).
"""

import os

import streamlit as st

from rnn_core import jobs
from ui import persist, runtime, state
from ui.session import session

st.set_page_config(page_title="RNN Explorer", page_icon=":material/replay:", layout="wide")


@st.cache_resource
def _warm_up_once() -> bool:
    # Start the training workers when the server first serves a page: they import TensorFlow
    # in their own processes, so the first Train click (or the first number only Keras gives:
    # an untrained network's weights, Keras' own prediction, its autodiff) does not wait for
    # it, and this process never imports it (tests/app/test_no_tensorflow.py checks the pages).
    # RNN_EXPLORER_PRELOAD=0 turns this off. Caches nothing a user made.
    jobs.runner()
    return True


runtime.protect_keras_state()
runtime.settle_imports()
if os.environ.get("RNN_EXPLORER_PRELOAD", "1") != "0":
    _warm_up_once()
state.bootstrap()
persist.draw_cookie()  # every run, at this place: see its docstring

pages = [
    st.Page("pages/start.py", title="Start", icon=":material/home:", default=True),
    st.Page("pages/data.py", title="Data & windows", icon=":material/show_chart:"),
    st.Page("pages/train.py", title="Network & training", icon=":material/model_training:"),
    st.Page("pages/results.py", title="Results", icon=":material/insights:"),
    st.Page("pages/unroll.py", title="Inside the network", icon=":material/account_tree:"),
    st.Page("pages/compare.py", title="Compare runs", icon=":material/compare_arrows:"),
    st.Page("pages/pitfalls.py", title="Pitfalls", icon=":material/warning:"),
    st.Page("pages/text.py", title="Text", icon=":material/text_fields:"),
]
page = st.navigation(pages)
session.page = page.title  # the sidebar reads it: a series page given a text setup says so
page.run()
