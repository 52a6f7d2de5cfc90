"""A new session of a browser gets its text runs back from the store, listed on the Text page;
another browser gets none. (AppTest sends no cookies: the browser's token is given in session
state, where ``persist.token()`` keeps it once read from the cookie; see test_persist.py.)"""

from __future__ import annotations

import pytest

from rnn_core import store as store_mod
from rnn_core.store import RunStore, new_token
from tests.app.helpers import texts
from tests.app.test_persist import session
from tests.core.test_text_store import TINY_TEXT, fake_text_run


@pytest.fixture
def store(tmp_path, monkeypatch) -> RunStore:
    """A store of this test's own, where the app under test looks (``RNN_EXPLORER_STORE``)."""
    monkeypatch.setenv(store_mod.STORE_ENV, str(tmp_path / "runs.sqlite3"))
    return store_mod.from_env()


QUERY = {"dataset": "brackets", "text_chars": "3000", "time_steps": "16", "units": "8",
         "text_input": "onehot", "cell": "lstm"}


def test_a_new_session_gets_its_browsers_text_runs_back_and_lists_them(store):
    token = new_token()
    runs = [fake_text_run(seed=i, name=f"text run {i + 2}: brackets lstm 8u T=16")
            for i in range(2)]
    for i, run in enumerate(runs):
        store.add_text_run(token, run, i + 2)
    at = session(token, QUERY, page="pages/text.py")
    restored = at.session_state["text_runs"]
    assert [r.name for r in restored] == [r.name for r in runs]
    assert at.session_state["text_run"] is restored[-1]
    assert at.session_state["run_number"] == 3  # the next run is number 4
    assert restored[-1].config == TINY_TEXT
    shown = next(m.value for m in at.metric if m.label == "Network")
    assert shown == f"{runs[-1].bits_per_char:.3f} bits/char"
    [table] = [d.value for d in at.dataframe if "bits/char" in d.value.columns]
    assert table["run"].tolist() == [r.name for r in runs]
    assert table["bits/char"].tolist() == [round(r.bits_per_char, 4) for r in runs]


def test_another_browser_gets_no_text_runs(store):
    store.add_text_run(new_token(), fake_text_run(), 1)
    at = session(new_token(), QUERY, page="pages/text.py")
    assert "text_runs" not in at.session_state or at.session_state["text_runs"] == []
    assert "text_run" not in at.session_state or at.session_state["text_run"] is None
    assert any("No text model trained" in i for i in texts(at.info))
