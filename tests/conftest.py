"""Shared test set-up: TensorFlow quiet and on one thread, seeds fixed, project importable."""

import functools
import os
import re
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RNN_EXPLORER_TF_THREADS", "1")
os.environ.setdefault("PYTHONHASHSEED", "0")
# The suite waits for every training it starts, so its training workers run at normal priority:
# niced (the server's default, rnn_core/worker.py) they get a tenth of a core next to the other
# xdist worker and are starved on a loaded machine. tests/core/test_worker.py checks the nicing.
os.environ.setdefault("RNN_EXPLORER_WORKER_NICE", "0")
# AppTests (and the jobs doctest) train in threads of the test process, which has TensorFlow
# imported already, instead of starting worker processes that import it again (~8 s of CPU each,
# two per runner, again after every ``RECYCLE_AFTER`` trainings; the suite is CPU-bound on 2
# cores). The worker path is what the browser tests' server runs (tests/browser/conftest.py
# sets it back to 0), and tests/core/test_worker.py and tests/app/test_no_tensorflow.py
# test it directly.
os.environ.setdefault("RNN_EXPLORER_IN_PROCESS", "1")
# The suite's runs go to a store of its own, never the one a local `make run` keeps (ui/persist.py).
os.environ.setdefault("RNN_EXPLORER_STORE",
                      os.path.join(tempfile.mkdtemp(prefix="rnn-explorer-tests-"), "runs.sqlite3"))

# One BLAS thread, as the web server sets for itself (rnn_core/blas.py): two xdist workers share
# two cores, and OpenBLAS' threads waiting for a core made the ARIMA baselines 6x slower.
from rnn_core import blas  # noqa: E402

blas.limit_process()

# Each new AppTest's first run scans the metadata of every installed package for Streamlit
# components (streamlit/components/v2/manifest_scanner.py): 0.11 CPU-s here, and tests/app makes
# ~170 AppTests (tests/app alone: 185 CPU-s with the scan each time, 174 once per process).
# The installed packages cannot change during the run, so a process scans once (the server
# scans once at start-up anyway).
from streamlit.components.v2 import manifest_scanner  # noqa: E402

manifest_scanner.scan_component_manifests = functools.cache(
    manifest_scanner.scan_component_manifests)


# A browser test that fails is run once more (pytest-rerunfailures), and the summary names it
# ("R" lines, "N rerun" in the last line): on the 2-core CI machine a Playwright wait raced a
# rerun of the app in about one suite run in two (races fixed as found: wait for what is
# expected with ``expect``, then read). A test that fails twice fails the run. Only the browser
# tests: everything else runs in one process and has no such race.
BROWSER_RERUNS = 1
BROWSER_GROUP = "browser"
RERUN_LOG_LINES = 30  # of the server's log, printed under a rerun test's "first run … failed"
# (12 did not reach back to the start of test_two_users' two trainings, 2026-12-03)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook, which reads the groups into node ids
def pytest_collection_modifyitems(config, items):
    """How the two xdist workers share the suite (pytest.ini: ``--dist loadgroup
    --no-loadscope-reorder``, a group is handed out whole, in the order of ``items``).

    All browser tests are one group, first: one Streamlit server with its training workers and
    one Chromium for the whole run instead of one per xdist worker, and the long browser tests
    do not end the run with both workers driving a browser each. Every other module is a group
    of its own, so a module's fixtures (trained runs, a Ray cluster, exported scripts run in a
    fresh interpreter) are made once, not once on each worker: test by test, both workers made
    them (test_export's scripts: 39 s and 30 s).
    """
    browser = [item for item in items if "tests/browser/" in item.nodeid]
    for item in browser:
        item.add_marker(pytest.mark.flaky(reruns=BROWSER_RERUNS))
        item.add_marker(pytest.mark.xdist_group(BROWSER_GROUP))
    others = [item for item in items if item not in browser]
    for item in others:
        item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))
    items[:] = browser + others


def pytest_terminal_summary(terminalreporter):
    """Print why a rerun browser test failed its first run, the lines tests leave as a
    ``summary`` property, and the model-based browser test's sequences and actions added up
    over its chunks: a test's own print is not shown from xdist's workers."""
    for report in terminalreporter.stats.get("rerun", []):  # why a browser test ran again
        lines = (report.longreprtext or "").strip().splitlines()
        error = next((line for line in lines if line.startswith("E ")), lines[-1] if lines else "")
        # where in the test: the last "tests/...py:N: Error" line of the traceback
        where = [line.split(": ")[0] for line in lines
                 if line.startswith("tests/") and re.match(r"\S+\.py:\d+: ", line)]
        terminalreporter.write_line(f"first run of {report.nodeid} failed"
                                    + (f" at {where[-1]}" if where else "") + f": {error[:300]}")
        # and what the app's server logged last (tests/browser/conftest.py adds it to a failed
        # browser test's report): a race seen once in CI can then be read from CI's output
        for title, text in report.sections:
            if "server log" in title:
                for line in text.splitlines()[-RERUN_LOG_LINES:]:
                    terminalreporter.write_line(f"    {line[:200]}")
    sequences = actions = 0
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            if report.when != "call":
                continue
            for name, value in getattr(report, "user_properties", ()):
                if name == "summary":
                    terminalreporter.write_line(f"{report.nodeid}: {value}")
                elif name == "model_based":
                    sequences, actions = sequences + value[0], actions + value[1]
    if sequences:
        terminalreporter.write_line(f"model-based state test: {sequences} sequences, {actions} "
                                    "actions played")
