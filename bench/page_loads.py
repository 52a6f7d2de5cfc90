"""A pytest plugin: each browser test's full page loads and the CPU Chromium spent on it.

    PYTHONPATH=bench CI=true .venv/bin/python -m pytest tests/browser -n 0 -p page_loads

A page load (a new browser context opening the app, ``goto``, a reload, a link followed from
outside the app) makes Chromium fetch and compile Streamlit's JavaScript and draw the page from
nothing, while a click inside the app only redraws what the rerun changed. This counts each
page's ``load`` events and the CPU of every Chromium process (``/proc``, sampled every
``SAMPLE_SECONDS``) over each test, then prints a table, most CPU first. Run it with ``-n 0``
and nothing else running: every Chromium process on the machine is counted. BENCHMARKS.md
("The test suite's time", eleventh stop) has the figures.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

_LOADS = [0]  # page ``load`` events so far, across every context
_ROWS: list[tuple[str, float, int]] = []  # (test, Chromium CPU-s, loads)
SAMPLE_SECONDS = 0.2  # a renderer closed with its context loses at most this much of its CPU


class ChromiumCpu:
    """The CPU every Chromium process has used so far, sampled from ``/proc`` in a thread:
    a renderer lives only as long as its test's context, and once it has exited its CPU can
    no longer be read (summing the parents' ``cutime`` instead went backwards when one closed)."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str], float] = {}  # (pid, start time) -> CPU-s
        self._lock = threading.Lock()
        threading.Thread(target=self._sample_forever, daemon=True).start()

    def total(self) -> float:
        self._sample()
        with self._lock:
            return sum(self._seen.values())

    def _sample_forever(self) -> None:
        while True:
            self._sample()
            time.sleep(SAMPLE_SECONDS)

    def _sample(self) -> None:
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as f:
                    name, rest = f.read().rsplit(")", 1)
            except OSError:
                continue  # gone meanwhile
            if "chrom" not in name.split("(", 1)[1]:
                continue
            fields = rest.split()
            cpu = (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            with self._lock:
                key = (pid, fields[19])  # a pid may be reused; its start time is not
                self._seen[key] = max(cpu, self._seen.get(key, 0.0))


_CPU: ChromiumCpu | None = None


def pytest_configure(config) -> None:
    global _CPU
    from playwright.sync_api import Browser

    _CPU = ChromiumCpu()
    new_context = Browser.new_context

    def counting_new_context(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        context.on("page", lambda page: page.on("load", _count_load))
        return context

    Browser.new_context = counting_new_context


def _count_load(_page) -> None:
    _LOADS[0] += 1


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    cpu, loads = _CPU.total(), _LOADS[0]
    yield
    _ROWS.append((item.nodeid, _CPU.total() - cpu, _LOADS[0] - loads))


def pytest_terminal_summary(terminalreporter) -> None:
    write = terminalreporter.write_line
    write(f"\n{sum(r[2] for r in _ROWS)} page loads; Chromium {sum(r[1] for r in _ROWS):.0f} CPU-s")
    write("| test | Chromium CPU-s | page loads |\n|---|---:|---:|")
    for test, cpu, loads in sorted(_ROWS, key=lambda r: -r[1]):
        write(f"| {test.split('::', 1)[1]} | {cpu:.1f} | {loads} |")
