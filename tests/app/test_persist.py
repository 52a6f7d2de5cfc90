"""A new session of a browser gets its runs and setup back from the store (ui/persist.py).

AppTest cannot send cookies (``st.context.cookies`` is empty in it: Streamlit reads them from
the browser's connection, which AppTest does not have), so these sessions are given their
browser token in session state, where ``persist.token()`` keeps it once read from the cookie.
The cookie itself is tested in a real browser (tests/browser/test_reload_browser.py).
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from rnn_core import store as store_mod
from rnn_core.presets import RECOMMENDED, preset
from rnn_core.store import RunStore, new_token
from tests.app.helpers import APP, TIMEOUT, texts, train
from tests.core.test_store import TINY, fake_run, upload_series
from ui import persist
from ui.session import Session


@pytest.fixture
def store(tmp_path, monkeypatch) -> RunStore:
    """A store of this test's own, where the app under test looks (``RNN_EXPLORER_STORE``)."""
    path = tmp_path / "runs.sqlite3"
    monkeypatch.setenv(store_mod.STORE_ENV, str(path))
    return store_mod.from_env()


def session(token: str | None, query: dict | None = None, page: str | None = None) -> AppTest:
    """A new session of the browser holding ``token`` (None: a brand-new browser)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if token is not None:
        at.session_state[Session.persist_token] = token
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception
    return at


def stored_runs(store: RunStore, token: str, n: int) -> list:
    runs = [fake_run(loss=(i + 1) / 10) for i in range(n)]
    for number, run in enumerate(runs, 1):
        run.name = f"run {number}: simplernn 4u T=4"
        store.add_run(token, run, number)
    return runs


def test_a_new_session_gets_its_browsers_runs_back(store):
    token = new_token()
    runs = stored_runs(store, token, 2)
    at = session(token, page="pages/compare.py")
    restored = at.session_state["runs"]
    assert [r.name for r in restored] == ["run 1: simplernn 4u T=4", "run 2: simplernn 4u T=4"]
    assert [r.metrics for r in restored] == [r.metrics for r in runs]
    assert [r.history.loss for r in restored] == [[0.1], [0.2]]
    assert at.session_state["run"] is restored[-1]
    assert at.session_state[Session.run_number] == 2  # the next run is "run 3"
    assert not any("No runs yet" in i for i in texts(at.info))
    assert len(at.get("plotly_chart")) >= 2  # loss overlay and test predictions of both
    assert runs[0].weights[0].tolist() == restored[0].weights[0].tolist()
    at.switch_page("pages/results.py").run()  # the latest run is the Results page's, as before
    assert not at.exception
    assert not any("No trained model" in i for i in texts(at.info))
    assert at.get("plotly_chart")


def test_another_browser_gets_nothing(store):
    stored_runs(store, new_token(), 2)
    store.save_setup(new_token(), preset("sunspots").replace(units=7), None)
    at = session(new_token(), page="pages/compare.py")
    assert "runs" not in at.session_state or at.session_state["runs"] == []
    assert any("No runs yet" in i for i in texts(at.info))
    # a first visit's setup (the recommended preset), not the other browser's units=7
    assert at.session_state["config"] == preset(RECOMMENDED)


def test_the_saved_setup_comes_back_unless_the_link_has_settings(store):
    token = new_token()
    saved = preset("sunspots").replace(units=7)
    store.save_setup(token, saved, None)
    at = session(token, page="pages/train.py")
    assert at.session_state["config"] == saved
    assert at.number_input(key="field:units").value == 7
    assert at.query_params["units"] in ("7", ["7"])  # the link follows

    linked = session(token, query={"preset": "t2-sine"})
    assert linked.session_state["config"] == preset("t2-sine")  # the link wins
    assert linked.session_state["preset"] == "t2-sine"


def test_a_moved_knob_is_the_setup_the_next_session_gets(store):
    token = new_token()
    at = session(token, page="pages/train.py")
    at.number_input(key="field:units").set_value(11).run()
    assert store.setup(token).config.units == 11
    assert session(token).session_state["config"].units == 11


def test_an_uploaded_table_comes_back_with_its_setup(store):
    token = new_token()
    table = upload_series()
    store.save_setup(token, TINY.replace(dataset="upload", split=0.8, layout="sequence"), None,
                     table)
    at = session(token)
    assert at.session_state["config"].dataset == "upload"
    back = at.session_state["user_series"]
    assert back.name == "sales" and back.values.tolist() == table.values.tolist()
    # a link naming the upload finds the table too: no "uploaded in another browser" note
    linked = session(token, query={"dataset": "upload"})
    assert linked.session_state["config"].dataset == "upload"
    assert not any("another browser" in w for w in texts(linked.warning))


def test_a_brand_new_browser_gets_a_token_and_its_cookie(store):
    at = session(None)
    token = at.session_state[Session.persist_token]
    assert store_mod.valid_token(token)
    [snippet] = [h.proto.body for h in at.get("html") if persist.COOKIE in h.proto.body]
    assert f"{persist.COOKIE}={token}; Max-Age=86400; Path=/; SameSite=Lax" in snippet
    assert session(None).session_state[Session.persist_token] != token


def test_off_keeps_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(store_mod.STORE_ENV, "off")
    at = session(None, page="pages/train.py")
    at.number_input(key="field:units").set_value(11).run()
    assert Session.persist_token not in at.session_state
    assert not [h for h in at.get("html") if persist.COOKIE in h.proto.body]
    assert not list(tmp_path.iterdir())


def test_run_names_count_per_session_after_a_restore(store):
    token = new_token()
    stored_runs(store, token, 2)
    at = session(token, query={"preset": "t2-sine", "sine_length": "200", "split": "150"})
    at = train(at, epochs=1)
    names = [r.name for r in at.session_state["runs"]]
    assert names[:2] == ["run 1: simplernn 4u T=4", "run 2: simplernn 4u T=4"]
    assert names[2] == "run 3: simplernn 32u T=4"
    assert [r.number for r in store.runs(token)] == [1, 2, 3]
    assert store.runs(token)[-1].run.history.epochs_run == 1


def test_renames_and_deletions_follow_in_the_store(store):
    token = new_token()
    stored_runs(store, token, 3)
    at = session(token, page="pages/compare.py")
    runs = at.session_state["runs"]
    runs[2].name = "my best"  # what the Compare page's table and Delete button do
    at.session_state["runs"] = [runs[0], runs[2]]
    at.run()
    assert not at.exception
    assert [(r.number, r.run.name) for r in store.runs(token)] == [
        (1, "run 1: simplernn 4u T=4"), (3, "my best")]
    again = session(token)
    assert [r.name for r in again.session_state["runs"]] == ["run 1: simplernn 4u T=4", "my best"]


def test_a_store_that_cannot_be_written_does_not_stop_the_app(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(store_mod.STORE_ENV, str(blocker / "runs.sqlite3"))
    at = session(new_token(), page="pages/train.py")
    at.number_input(key="field:units").set_value(11).run()
    assert not at.exception
    assert at.session_state["config"].units == 11
