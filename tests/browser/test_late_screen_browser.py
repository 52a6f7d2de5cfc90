"""A click that reaches the server before the screen has caught up must not undo what the server
just did (found on a loaded machine: knob set to 1 epoch, Train clicked, the run trained the
preset's 100 and the knob jumped back to 100).

Streamlit's browser sends the value of every widget with each click. When the server changes a
widget's value (the sidebar's preset picker turns to "custom" after a knob moved; every knob
takes the preset's value after a preset is picked) and the next click leaves the browser before
that change has arrived, the old value comes back and looks like the user's own change. The
tests hold the server's messages back — what a slow network or a busy machine does — to play
that order every time.
"""

import re
from contextlib import contextmanager

from playwright.sync_api import Page, expect

from rnn_core.presets import preset
from tests.browser.helpers import choose, go, knob_mismatches, link_config, set_number
from tests.browser.test_views_browser import open_link

STREAM = "**/_stcore/stream"


@contextmanager
def server_messages_held(page: Page):
    """Route the app's websocket through the test; inside ``with hold():`` messages from the
    server wait, and they are delivered in order when the block ends."""
    held: list = []
    holding = [False]

    def route(ws):
        server = ws.connect_to_server()

        def from_server(message):
            if holding[0]:
                held.append((ws, message))
            else:
                ws.send(message)
        server.on_message(from_server)

    page.route_web_socket(STREAM, route)

    @contextmanager
    def hold(seconds: float):
        """Hold the server's messages while the block runs and ``seconds`` after it (the
        server's script run ends meanwhile), then deliver them."""
        holding[0] = True
        try:
            yield
            page.wait_for_timeout(seconds * 1000)
        finally:
            holding[0] = False
            while held:
                ws, message = held.pop(0)
                ws.send(message)

    yield hold


def finished(page: Page, run: int):
    return page.get_by_text(re.compile(rf"^Training finished: \d+ epochs in .*\(run {run}:"))


def test_a_knob_then_train_before_the_screen_caught_up_trains_what_the_knob_says(fresh: Page, server):
    page = fresh
    with server_messages_held(page) as hold:
        open_link(page, server, "preset=t2-sine")
        go(page, "Network & training")
        set_number(page, "Epochs", 1)  # its run ends, and turns the preset picker to "custom"...
        with hold(3):  # ...but the browser has not heard it when Train is clicked
            page.get_by_role("button", name="Train", exact=True).click()
        expect(finished(page, 1)).to_be_visible()
        expect(finished(page, 1)).to_contain_text("Training finished: 1 epochs")
        config = preset("t2-sine").replace(epochs=1)
        assert knob_mismatches(page, config) == {}
        assert link_config(page.url) == config


def test_a_preset_then_train_before_the_screen_caught_up_trains_the_preset(fresh: Page, server):
    page = fresh
    with server_messages_held(page) as hold:
        open_link(page, server, "preset=t2-sine&epochs=1")
        go(page, "Network & training")
        with hold(3):  # the preset's run sets every knob; the browser still shows the old ones
            choose(page, "Preset", "t1-sunspots")
            page.get_by_role("button", name="Train", exact=True).click()
        expect(finished(page, 1)).to_be_visible()
        # t1-sunspots trains 3 units on 187 windows: its epochs, not t2-sine's 1
        expected = preset("t1-sunspots")
        expect(finished(page, 1)).to_contain_text(f"Training finished: {expected.epochs} epochs")
        expect(page.get_by_role("combobox", name="Preset", exact=True)).to_have_value("t1-sunspots")
        assert knob_mismatches(page, expected) == {}
        assert link_config(page.url) == expected

