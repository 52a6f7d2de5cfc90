"""Links on a shared server (issue 21): the app refuses links to its own network before
connecting, keeps the data in use, and limits how many links a visitor loads per minute."""

import socket

import pytest

from rnn_core.fetch import MAX_LINK_FETCHES_PER_MINUTE
from rnn_core.netguard import ALLOW_PRIVATE_ENV, PRIVATE_REFUSED
from tests.app.helpers import texts
from tests.app.test_upload import GOOD, GOOD_METRICS, fetch, open_upload, use


@pytest.fixture
def listener():
    """A TCP listener on 127.0.0.1 that never answers: it only tells whether anyone connected."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.05)
    yield sock
    sock.close()


def connections(sock: socket.socket) -> int:
    count = 0
    while True:
        try:
            conn, _ = sock.accept()
        except (TimeoutError, BlockingIOError):
            return count
        conn.close()
        count += 1


@pytest.fixture
def with_table(app, monkeypatch):
    """The Data page with GOOD uploaded and in use; private links refused (the default)."""
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    at = use(open_upload(app), GOOD.encode(), date="date")
    assert not at.exception and [m.value for m in at.metric] == GOOD_METRICS
    return at


def test_link_to_this_server_is_refused_and_the_data_kept(with_table, listener):
    at = with_table
    before = at.session_state["user_series"]
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/x.csv"
    at = fetch(at, url)
    assert not at.exception
    assert texts(at.error) == [
        "the link's server 127.0.0.1 is a loopback address (this server itself): "
        f"{PRIVATE_REFUSED}. Download the file and upload it instead."]
    assert connections(listener) == 0
    assert at.session_state["user_series"] is before
    assert at.session_state["config"].dataset == "upload"
    assert [m.value for m in at.metric] == GOOD_METRICS


def test_link_loads_are_limited_per_minute(with_table, listener):
    at = with_table
    url = f"http://localhost:{listener.getsockname()[1]}/x.csv"
    for _ in range(MAX_LINK_FETCHES_PER_MINUTE):
        at = fetch(at, url)
        assert any(PRIVATE_REFUSED in e for e in texts(at.error)), texts(at.error)
    at = at.button(key="table_fetch").click().run()
    errors = texts(at.error)
    assert len(errors) == 1 and errors[0].startswith(
        f"at most {MAX_LINK_FETCHES_PER_MINUTE} links can be loaded per minute: wait ")
    assert errors[0].endswith(" s, then press Load again (or download the file and upload it).")
    assert connections(listener) == 0
    assert [m.value for m in at.metric] == GOOD_METRICS


def test_the_link_field_tells_the_limits(with_table):
    at = with_table
    at.radio(key="table_how").set_value("load from a link").run()
    help_text = at.text_input(key="table_url").help
    assert f"at most {MAX_LINK_FETCHES_PER_MINUTE} links a minute" in help_text
    assert "Links to the server's own network (localhost, private addresses) are refused" in help_text
