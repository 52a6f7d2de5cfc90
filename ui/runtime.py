"""Process-wide settings of the Streamlit server that the app depends on.

Streamlit calls ``keras.backend.clear_session()`` after every script run once Keras is
imported (``script_runner._clean_problem_modules``). That resets Keras' global state for
every user of the server: a training tracing its graph in a worker thread is reset each
time any page (or the live view, twice a second) reruns, and never gets to its first epoch.
Our models never rely on that global state, so the clean-up is replaced by one that leaves
Keras alone.
"""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner


def _clean_up_without_keras() -> None:
    """What Streamlit cleans after a script run, minus the Keras session reset."""
    import sys

    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


def protect_keras_state() -> None:
    script_runner._clean_problem_modules = _clean_up_without_keras


_settled = False


def settle_imports() -> None:
    """Import what every page needs, set one BLAS thread for the process (``blas``), then move
    all objects alive so far (modules, classes, plotly's validators …) out of the garbage
    collector's reach with ``gc.freeze()``.

    They live as long as the process anyway; left in, each full collection walks ~170,000 of
    them, holding the GIL for tens of milliseconds (BENCHMARKS.md, "A workshop"), which stalls every session
    of the server. Runs once per process.
    """
    global _settled
    if _settled:
        return
    import gc

    import pandas  # noqa: F401
    import plotly.graph_objects  # noqa: F401

    from rnn_core import blas

    blas.limit_process()  # the server's sessions share two cores: see rnn_core/blas.py
    gc.freeze()
    _settled = True


def enter_through_app() -> None:
    """Make sure a page runs inside ``app.py``'s ``st.navigation``, even on a deep link.

    Streamlit treats a ``pages/`` folder next to the entry script as an old-style multipage app
    until the entry script has called ``st.navigation`` once in the process
    (``PagesManager.uses_pages_directory``, read in ``script_runner``). If the first visitor
    after a restart opens ``/results`` (a bookmark, a shared link), Streamlit runs
    ``pages/results.py`` alone: no page config, no run set-up, a sidebar listing file names —
    and every later visitor gets the same until someone opens ``/``. Each page calls this
    first: in that case it switches Streamlit to ``st.navigation`` mode and reruns, and the
    rerun goes through ``app.py`` to the same page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
