"""A reload keeps the browser's runs and setup; another browser never sees them (issue 12)."""

import re
from urllib.parse import parse_qsl, urlsplit

from playwright.sync_api import expect

from rnn_core.store import valid_token
from tests.browser.conftest import VIEWPORT
from tests.browser.helpers import data_url, go, grid_rows, set_number, train
from ui.persist import COOKIE

TINY = "?preset=t2-sine&sine_length=200&split=150&epochs=1"  # 150/46 windows: a second a run
NO_RUNS = "No runs yet in this session."
TIMEOUT_MS = 30_000  # as the page fixture (conftest.py); a training may take longer


def _open(browser, url: str, heading: str = "Data & windows"):
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_role("heading", name=heading).wait_for()
    return context, page


def _run_names(page) -> list[str]:
    """The names in the Compare page's table (the page open, with two runs)."""
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("tbody [role=row]")).to_have_count(2)
    return [row[0] for row in grid_rows(table)]


def _knob(page, label: str):
    return page.get_by_label(re.compile("^" + re.escape(label)))


def _token(context) -> str:
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    return cookie["value"]


def test_reload_brings_back_runs_and_setup_but_not_to_another_browser(browser, server):
    expect.set_options(timeout=TIMEOUT_MS)
    first, page = _open(browser, data_url(server, TINY[1:]))
    other = None
    try:
        train(page, epochs=1)
        set_number(page, "Hidden units", 5)
        set_number(page, "Epochs", 2)
        page.get_by_role("button", name="Train", exact=True).click()  # the first run's
        # "Training finished: 1 epochs" is still shown until this one ends
        expect(page.get_by_text(re.compile(r"^Training finished: 2 epochs"))).to_be_visible(
            timeout=max(TIMEOUT_MS, 120_000))
        names = ["run 1: simplernn 32u T=4", "run 2: simplernn 5u T=4"]  # counted per session
        go(page, "Compare runs")
        assert _run_names(page) == names

        token = _token(first)
        assert valid_token(token)
        assert token not in page.url  # the key is not in the link anyone may be sent

        page.reload()
        expect(page.get_by_role("heading", name="Compare runs")).to_be_visible()
        assert _run_names(page) == names

        # the address without any setting: the setup comes back from the server too
        page.goto(data_url(server))
        page.get_by_role("heading", name="Data & windows").wait_for()
        go(page, "Network & training")
        expect(_knob(page, "Hidden units")).to_have_value("5")
        expect(_knob(page, "Epochs")).to_have_value("2")
        shared = page.url  # the Network & training page with every setting
        link = dict(parse_qsl(urlsplit(shared).query))
        assert link["units"] == "5" and link["sine_length"] == "200", shared
        go(page, "Compare runs")
        assert _run_names(page) == names
        assert _token(first) == token  # the same browser, the same key

        # a second browser with the first one's full link: the setup, none of the runs
        other, stranger = _open(browser, shared, "Network & training")
        expect(_knob(stranger, "Hidden units")).to_have_value("5")  # the link's setup
        expect(stranger.get_by_text(re.compile("^Training finished"))).to_have_count(0)
        go(stranger, "Compare runs")
        expect(stranger.get_by_text(NO_RUNS)).to_be_visible()
        expect(stranger.get_by_test_id("stDataFrame")).to_have_count(0)
        assert _token(other) != token
    finally:
        first.close()
        if other is not None:
            other.close()
