"""A workshop crowd without browsers: N Streamlit sessions driven over the app's own websocket.

In a workshop each participant's browser runs on their own laptop; the server only sees their
websocket. Thirty Chromium pages on the server's two cores would measure Chromium, not the app.
This client speaks what the Streamlit frontend speaks (``BackMsg``/``ForwardMsg`` protobufs on
``/_stcore/stream``), just enough for a participant who opens a share link, goes to a page,
presses a button and watches: it follows the navigation, finds buttons in the deltas, keeps the
query string the app sets, and reruns fragments on their ``run_every`` timers as the frontend
does (cleared when a full run starts, dropped on ``stop_auto_rerun``).

    .venv/bin/python bench/crowd.py --url http://127.0.0.1:8501 --users 30

``bench/load.py`` uses it for its crowd (``--crowd headless``, the default).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import time
from dataclasses import asdict, dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect


@dataclass
class Session:
    """One participant's Streamlit session, seen from the browser's side of the websocket."""

    url: str
    query_string: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # page title -> page_script_hash
    page_hash: str = ""
    buttons: dict[str, str] = field(default_factory=dict)  # label -> widget id, last full run
    choices: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # radios: id, options
    texts: list[str] = field(default_factory=list)  # every string the server sent, in order
    timers: dict[str, asyncio.Task] = field(default_factory=dict)  # fragment id -> rerun loop
    runs_finished: int = 0
    _ws: object = None
    _finished: asyncio.Event = field(default_factory=asyncio.Event)

    async def __aenter__(self) -> "Session":
        ws_url = self.url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self._ws = await connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                 open_timeout=60, ping_interval=None)
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc) -> None:
        self._clear_timers()
        self._reader.cancel()
        await self._ws.close()

    def _rerun(self, fragment_id: str = "", trigger: str = "", widget: WidgetState | None = None
               ) -> bytes:
        """The BackMsg the frontend sends for a rerun: the page, a fragment's timer, a click,
        a changed widget."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = self.page_hash
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        if trigger:
            state.widget_states.widgets.append(WidgetState(id=trigger, trigger_value=True))
        if widget is not None:
            state.widget_states.widgets.append(widget)
        return msg.SerializeToString()

    async def run(self, fragment_id: str = "", trigger: str = "", timeout: float = 120,
                  widget: WidgetState | None = None) -> None:
        """Ask for a rerun (the page, a fragment, a button press or a changed widget) and wait
        for it to finish."""
        self._finished.clear()
        await self._ws.send(self._rerun(fragment_id, trigger, widget))
        await asyncio.wait_for(self._finished.wait(), timeout)

    async def choose(self, label: str, option: str, timeout: float = 120) -> None:
        """Pick ``option`` of the radio labelled ``label``."""
        widget_id, options = self.choices[label]
        if option not in options:
            raise ValueError(f"{label!r} has no option {option!r}: {options}")
        await self.run(widget=WidgetState(id=widget_id, string_value=option), timeout=timeout)

    async def open(self, query_string: str = "", page: str = "") -> None:
        """Open the app (as a link with ``query_string``), then ``page`` by its title."""
        self.query_string = query_string
        await self.run()
        if page:
            self.page_hash = self.pages[page]
            await self.run()

    async def press(self, label: str) -> None:
        await self.run(trigger=self.buttons[label])

    async def wait_for_text(self, start: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(t.startswith(start) for t in self.texts):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no text starting with {start!r} within {timeout:.0f} s")
            await asyncio.sleep(0.1)

    def _clear_timers(self) -> None:
        for task in self.timers.values():
            task.cancel()
        self.timers.clear()

    async def _rerun_every(self, fragment_id: str, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            await self._ws.send(self._rerun(fragment_id))

    async def _read(self) -> None:
        async for data in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session" and not msg.metadata.run.fragment_ids:
                # a full run starts (asked for, or an st.rerun): like the frontend, drop every
                # fragment timer; the run's fragments send theirs again
                self._clear_timers()
                self.buttons.clear()
                self.choices.clear()
            elif kind == "navigation":
                self.pages = {p.page_name: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = self.page_hash or msg.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "auto_rerun":
                rerun = msg.auto_rerun
                old = self.timers.pop(rerun.fragment_id, None)
                if old:
                    old.cancel()
                self.timers[rerun.fragment_id] = asyncio.create_task(
                    self._rerun_every(rerun.fragment_id, rerun.interval))
            elif kind == "stop_auto_rerun":
                for fragment_id in msg.stop_auto_rerun.fragment_ids:
                    task = self.timers.pop(fragment_id, None)
                    if task:
                        task.cancel()
            elif kind == "delta":
                self._note(msg.delta)
            elif kind == "script_finished":
                self.runs_finished += 1
                self._finished.set()

    def _note(self, delta) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        which = element.WhichOneof("type")
        if which == "button":
            self.buttons[element.button.label] = element.button.id
        elif which == "radio":
            self.choices[element.radio.label] = (element.radio.id, list(element.radio.options))
        body = getattr(getattr(element, which), "body", None) if which else None
        if isinstance(body, str) and body:
            self.texts.append(body)


@dataclass
class Participant:
    opened: float | None = None  # seconds from connecting until the training page was drawn
    finished_after: float | None = None  # seconds from pressing Train to "Training finished"
    error: str = ""


async def participant(url: str, query: str, epochs_timeout: float, clicked: asyncio.Event,
                      result: Participant) -> None:
    """Open the share link on the training page, wait for everyone, press Train, watch."""
    try:
        started = time.monotonic()
        async with Session(url) as session:
            await session.open(query, page="Network & training")
            result.opened = time.monotonic() - started
            await clicked.wait()
            t0 = time.monotonic()
            await session.press("Train")
            await session.wait_for_text("Training finished", epochs_timeout)
            result.finished_after = time.monotonic() - t0
    except Exception as err:  # a bench reports failures, it does not stop at the first
        result.error = f"{type(err).__name__}: {err}"


async def crowd(url: str, users: int, query: str, timeout: float,
                on_clicked=None) -> list[Participant]:
    """``users`` sessions open ``url?query``; once all are open they press Train together.

    ``on_clicked`` (an async function) runs while the trainings are queued or running, e.g. to
    time a newcomer's page.
    """
    clicked = asyncio.Event()
    results = [Participant() for _ in range(users)]
    tasks = [asyncio.create_task(participant(url, query, timeout, clicked, r)) for r in results]
    deadline = time.monotonic() + 180
    # everyone presses Train together, once all pages are open (or have failed to open)
    while (sum(r.opened is not None or bool(r.error) for r in results) < users
           and time.monotonic() < deadline):
        await asyncio.sleep(0.1)
    clicked.set()
    if on_clicked is not None:
        await on_clicked()
    await asyncio.gather(*tasks)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8501")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--query", default="preset=t1-sunspots&epochs=3",
                        help="the share link's query string every participant opens")
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--json", action="store_true",
                        help="print 'pressed' when everyone has pressed Train, then one JSON line "
                             "per participant (for bench/load.py)")
    args = parser.parse_args()

    async def pressed() -> None:
        if args.json:
            print("pressed", flush=True)

    results = asyncio.run(crowd(args.url, args.users, args.query, args.timeout, pressed))
    if args.json:
        for r in results:
            print(json.dumps(asdict(r)), flush=True)
        return
    done = [r.finished_after for r in results if r.finished_after is not None]
    print(f"{len(done)}/{args.users} finished" + (
        f"; median {statistics.median(done):.1f} s, max {max(done):.1f} s" if done else ""))
    for r in results:
        if r.error:
            print("error:", r.error)


if __name__ == "__main__":
    main()
