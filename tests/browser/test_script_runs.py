"""``script_runs`` (what ``wait_idle`` reads) on the message sequences Streamlit sent in a real
session (logged from a page's websocket, 2026-12-03): a page's first run cut short by the
app's own ``st.rerun``, a knob's rerun, a training's fragment timer and its closing rerun."""

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.browser.script_runs import ScriptRuns


class FakeSocket:
    url = "ws://127.0.0.1:1/_stcore/stream"

    def on(self, event, handler):
        pass


def rerun(auto: bool = False) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = ""
    msg.rerun_script.is_auto_rerun = auto
    return msg.SerializeToString()


def forward(kind: str, value=None) -> bytes:
    msg = ForwardMsg()
    if kind == "new_session":
        msg.new_session.name = "app"
    elif kind == "running":
        msg.session_status_changed.script_is_running = value
    elif kind == "finished":
        msg.script_finished = ForwardMsg.ScriptFinishedStatus.Value(value)
    return msg.SerializeToString()


def connected() -> ScriptRuns:
    runs = ScriptRuns()
    runs.on_websocket(FakeSocket())
    return runs


def test_a_new_page_is_busy_until_its_second_run_ends():
    runs = connected()
    assert not runs.idle()  # connected, first run not asked for yet
    runs.on_sent(rerun())
    for kind, value in (("new_session", None), ("running", True),
                        ("finished", "FINISHED_EARLY_FOR_RERUN"), ("running", False)):
        runs.on_received(forward(kind, value))
        assert not runs.idle(), kind  # between the two runs the server says "not running"
    runs.on_received(forward("new_session"))
    runs.on_received(forward("running", True))
    assert not runs.idle()
    runs.on_received(forward("finished", "FINISHED_SUCCESSFULLY"))
    runs.on_received(forward("running", False))
    assert runs.idle() and runs.started == 2


def test_an_action_is_busy_from_its_request_not_from_the_first_message_back():
    runs = connected()
    runs.on_sent(rerun())
    for kind, value in (("new_session", None), ("running", True), ("running", False)):
        runs.on_received(forward(kind, value))
    assert runs.idle()
    runs.on_sent(rerun())  # a knob: nothing back yet, and the icon would not show yet either
    assert not runs.idle()
    runs.on_received(forward("new_session"))
    runs.on_received(forward("running", True))
    assert not runs.idle()
    runs.on_received(forward("running", False))
    assert runs.idle()


def test_a_fragment_timer_is_not_waited_for_but_its_run_is():
    runs = connected()
    runs.on_received(forward("new_session"))
    runs.on_received(forward("running", False))
    runs.on_sent(rerun(auto=True))  # the live view's poll
    assert runs.idle()
    runs.on_received(forward("new_session"))
    runs.on_received(forward("running", True))
    assert not runs.idle()
    # the training ended: the fragment's st.rerun cuts it short, the whole page runs once
    runs.on_received(forward("finished", "FINISHED_EARLY_FOR_RERUN"))
    runs.on_received(forward("running", False))
    assert not runs.idle()
    runs.on_received(forward("new_session"))
    runs.on_received(forward("finished", "FINISHED_SUCCESSFULLY"))
    runs.on_received(forward("running", False))
    assert runs.idle()
