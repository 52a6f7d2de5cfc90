"""The session layer (ui/session.py): named keys over st.session_state, and the one cache."""

from streamlit.testing.v1 import AppTest

from ui.session import Session


def _script() -> None:
    import streamlit as st

    from ui.session import Session, session

    calls = st.session_state.setdefault("calls", [])
    key = st.session_state.get("key", 1)
    st.text(session.cached(Session.forecast_cache, key, lambda: calls.append(key) or key * 10))
    session.runs.append(len(calls))  # created on first read, then kept
    st.text(f"job {session.job}, t {session.unroll_t}")  # absent: the declared defaults
    session.unroll_pick = ("test", 3)
    del session.unroll_pick
    try:
        session.cached("no_such_cache", 1, lambda: 0)
    except KeyError as err:
        st.text(str(err))


def test_cached_computes_once_per_key_and_entries_are_their_keys():
    at = AppTest.from_function(_script).run()
    at.run()
    assert at.session_state["calls"] == [1]  # the second run found it
    assert at.session_state["forecast_cache"] == (1, 10)
    at.session_state["key"] = 2
    at.run()
    assert at.session_state["calls"] == [1, 2]
    assert [t.value for t in at.text] == [
        "20", "job None, t 1", "\"'no_such_cache' is not a session key declared in ui/session.py\""]
    assert at.session_state["runs"] == [1, 1, 2]
    assert "unroll_pick" not in at.session_state
    assert (Session.unroll_t, Session.forecast_cache) == ("unroll_t", "forecast_cache")
