"""Real-browser fixtures: ``streamlit run`` on a free localhost port, Debian's Chromium.

Under CI=true a missing browser fails the run; elsewhere the browser tests are skipped.
"""

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))
import streamlit_server  # noqa: E402  (bench/ is not a package; the benchmarks start it the same way)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Playwright's wait for each action; raise it on a machine much busier than CI's (e.g. 120000).
TIMEOUT_MS = int(os.environ.get("BROWSER_TIMEOUT_MS", "30000"))
VIEWPORT = {"width": 1400, "height": 1000}  # a laptop's browser window
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


# The server as deployed: trainings in worker processes (the suite's own process trains in
# threads, tests/conftest.py); a worker kept for the whole session instead of replaced after
# RECYCLE_AFTER trainings (replacing it returns memory; here it costs a TensorFlow import).
SERVER_ENV = {"RNN_EXPLORER_IN_PROCESS": "0", "RNN_EXPLORER_RECYCLE_AFTER": "1000",
              "RNN_EXPLORER_TRACE_STATE": "1"}
SERVER_LOGS: list[Path] = []  # each server's stderr; a failing test's report shows their ends
LOG_TAIL = 40


def pytest_runtest_makereport(item, call):
    """A failed browser test's report ends with what the servers logged last (the knob
    callbacks and echo decisions of ui/state.py): a failure seen once in CI can be read."""
    if call.when == "call" and call.excinfo is not None:
        for log in SERVER_LOGS:
            if log.exists():
                tail = log.read_text(errors="replace").splitlines()[-LOG_TAIL:]
                item.add_report_section("call", f"server log {log.name}", "\n".join(tail))


@contextmanager
def serve(**env_extra: str):
    """``streamlit run app.py`` on a free localhost port until the block ends; yields its URL."""
    log = Path(tempfile.mkstemp(prefix="streamlit-", suffix=".log")[1])
    SERVER_LOGS.append(log)
    try:
        proc, url = streamlit_server.start(**{**SERVER_ENV, "RNN_EXPLORER_SERVER_LOG": str(log),
                                              **env_extra})
    except SystemExit as err:
        pytest.fail(str(err))
    try:
        yield url
    finally:
        streamlit_server.stop(proc)
        SERVER_LOGS.remove(log)
        log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def server():
    """The app served by ``streamlit run`` for the whole browser session; yields its URL."""
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium.")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM if os.path.exists(CHROMIUM)
                               else shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def fresh(browser, server):
    """A page of a new browser context that has not opened the app yet (its first visit is the
    test's, as when a person follows a shared link). Opening the app costs Chromium several
    seconds of CPU, so a test that starts from a link starts here rather than from ``page``."""
    from playwright.sync_api import expect

    from tests.browser import script_runs

    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport=VIEWPORT)
    p = context.new_page()
    script_runs.watch(p)  # helpers.wait_idle reads it
    p.set_default_timeout(TIMEOUT_MS)
    yield p
    context.close()


@pytest.fixture
def page(fresh, server):
    """The Data & windows page (where most tests start; the app opens on Start), open in a new
    browser context."""
    from tests.browser.helpers import data_url

    fresh.goto(data_url(server))
    fresh.get_by_role("heading", name="Data & windows").wait_for()
    return fresh
