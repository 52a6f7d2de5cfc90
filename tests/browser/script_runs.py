"""Whether the app's server is still running a script for a page, read from the page's websocket.

Streamlit's running icon is no clock for a test: the frontend shows it only after a delay (to
avoid flicker), and an action's rerun may not have been asked for yet when the test looks. Seen
here: after ``goto`` the icon-based wait returned 1.9 s before the page's script finished (the
ninth stop traced lost clicks in CI to the other case: a wait right after an action, before its
rerun had started). The websocket says it
exactly: the page sends ``rerun_script`` (a BackMsg) for each action; the server answers with
``new_session`` when that run starts, ``session_status_changed`` while running or not, and
``script_finished`` (``FINISHED_EARLY_FOR_RERUN`` when ``st.rerun`` or a newer request cut it
short and another run follows).

    runs = watch(page)      # before the page opens the app
    page.goto(url)
    runs.wait_idle(page)    # the runs asked for so far have started and finished

A fragment's timer (``run_every``, the live view of a training) sends ``rerun_script`` by
itself; those are not waited for (a training's page would otherwise never be idle between its
polls), but a run they start counts as running.
"""

from __future__ import annotations

import time

from playwright.sync_api import Page, WebSocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

STREAM = "/_stcore/stream"  # the app's websocket (others, e.g. a component's, are not watched)
EARLY = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
# Playwright reports a frame the page sent as an event that can reach the test after the action
# that sent it has returned: a wait looks at the runs only after this long.
SETTLE_MS = 300
POLL_MS = 50


class ScriptRuns:
    """What a page's websocket said about its script runs so far."""

    def __init__(self) -> None:
        self.running = False  # the server's last word (session_status_changed)
        self.awaited = False  # a run was asked for (or promised) and has not started yet
        self.started = 0  # runs started (new_session), fragment runs included
        self.last: list[str] = []  # the last messages: with ``started``, a timeout's message

    def on_websocket(self, ws: WebSocket) -> None:
        if STREAM not in ws.url:
            return
        # a new connection (the first visit, a reload): the page asks for its first run
        self.running, self.awaited = False, True
        ws.on("framesent", self.on_sent)
        ws.on("framereceived", self.on_received)

    def on_sent(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = BackMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "rerun_script" and not msg.rerun_script.is_auto_rerun:
            self.awaited = True
            self._note("-> rerun_script")

    def on_received(self, payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.awaited, self.running = False, True
            self.started += 1
        elif kind == "session_status_changed":
            self.running = msg.session_status_changed.script_is_running
        elif kind == "script_finished":
            if msg.script_finished == EARLY:  # another run follows at once
                self.awaited = True
            kind += " " + ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
        else:
            return
        self._note("<- " + kind)

    def idle(self) -> bool:
        return not (self.running or self.awaited)

    def wait_idle(self, page: Page, timeout_ms: int = 60_000) -> None:
        """Wait until every run asked for so far has started and finished."""
        page.wait_for_timeout(SETTLE_MS)
        deadline = time.monotonic() + timeout_ms / 1000
        while not self.idle():
            if time.monotonic() > deadline:
                raise AssertionError(f"the app was still running a script after {timeout_ms} ms "
                                     f"({self.started} runs started; last messages: "
                                     f"{'; '.join(self.last)})")
            page.wait_for_timeout(POLL_MS)

    def _note(self, line: str) -> None:
        self.last = (self.last + [line])[-6:]


def watch(page: Page) -> ScriptRuns:
    """Follow ``page``'s script runs from now on (call before it opens the app)."""
    page.script_runs = runs = ScriptRuns()
    page.on("websocket", runs.on_websocket)
    return runs


def of(page: Page) -> ScriptRuns:
    """The runs ``watch`` follows for ``page``."""
    runs = getattr(page, "script_runs", None)
    if runs is None:
        raise AssertionError("wait_idle needs a page watched from its start: open it with "
                             "the fresh/page fixtures or call script_runs.watch(page) first")
    return runs
