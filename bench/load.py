"""Workshop load: N people on one server, each opening the app and training a small preset.

Starts ``streamlit run`` on a free localhost port, opens N browser contexts (Playwright driving
Debian's Chromium), has each one pick a preset, set its epochs and press Train at the same
time, then reports: how many trainings finished, how long each waited, how long NEW visitors'
pages took to open while the queue was full (three, 4 s apart), and the server's resident
memory before and after. The N users' browser runs at the lowest CPU priority (in a workshop it
is on the participants' machines); ``--crowd-cpus 1`` also confines it to one core.

    .venv/bin/python bench/load.py --users 10
    .venv/bin/python bench/load.py --users 30 --crowd-cpus 1

Only localhost is contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.helpers import choose, go, set_number  # noqa: E402


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--preset", default="t1-sunspots")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds for all trainings")
    parser.add_argument("--nice-crowd", action=argparse.BooleanOptionalAction, default=True,
                        help="run the N users' browser at the lowest CPU priority (default), as "
                             "if it were on other machines; the newcomer's browser is not niced")
    parser.add_argument("--newcomers", type=int, default=3,
                        help="newcomers arriving after the clicks, one every --newcomer-gap s")
    parser.add_argument("--newcomer-gap", type=float, default=4.0)
    parser.add_argument("--crowd-cpus", default="",
                        help="also pin the N users' browser to these CPUs (taskset list, e.g. 1): "
                             "the server, its workers and the newcomer keep the other core")
    args = parser.parse_args()
    from playwright.sync_api import expect, sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.3)
        time.sleep(8)  # let the background TensorFlow import finish: measure steady state
        rss_start = rss_mb(server.pid)
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
            # The crowd's browsers would run on their own machines; here they share the
            # server's two cores, so they run at the lowest priority, and the newcomer's
            # browser (launched apart) at normal priority, like a browser on another machine.
            crowd_exe = CHROMIUM
            if args.nice_crowd:
                crowd_exe = os.path.join(tmp, "chromium-niced")
                pin = f"taskset -c {args.crowd_cpus} " if args.crowd_cpus else ""
                with open(crowd_exe, "w") as f:
                    f.write(f'#!/bin/sh\nexec {pin}nice -n 19 {CHROMIUM} "$@"\n')
                os.chmod(crowd_exe, 0o755)
            browser = pw.chromium.launch(executable_path=crowd_exe, args=CHROMIUM_ARGS)
            fresh = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            expect.set_options(timeout=int(args.timeout * 1000))
            pages = []
            for _ in range(args.users):
                page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
                page.goto(url)
                page.get_by_role("heading", name="Data & windows").wait_for()
                choose(page, "Preset", args.preset)
                go(page, "Network & training")
                set_number(page, "Epochs", args.epochs)
                pages.append(page)
            clicked = []
            for page in pages:
                page.get_by_role("button", name="Train", exact=True).click()
                clicked.append(time.monotonic())
            # newcomers while everything is queued or running, every few seconds: the
            # server's own answer (no browser in the way), then the page in a fresh context
            http_times, open_times = [], []
            for k in range(args.newcomers):
                if k:
                    time.sleep(args.newcomer_gap)
                started = time.monotonic()
                urllib.request.urlopen(url + "/", timeout=60).read()
                http_times.append(time.monotonic() - started)
                started = time.monotonic()
                context = fresh.new_context()
                newcomer = context.new_page()
                newcomer.goto(url)
                newcomer.get_by_role("heading", name="Data & windows").wait_for()
                open_times.append(time.monotonic() - started)
                context.close()
            finished, waits = 0, []
            for page, t0 in zip(pages, clicked):
                try:
                    expect(page.get_by_text(re.compile(r"^Training finished"))).to_be_visible()
                    finished += 1
                    waits.append(time.monotonic() - t0)
                except AssertionError:
                    pass
            browser.close()
            fresh.close()
        rss_end = rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"| users | preset, epochs | finished | median time to finish (s) | max (s) | "
          f"newcomers: server answers (s) | newcomers: page shown in a browser on the same 2 cores (s)"
          f"{' (crowd niced)' if args.nice_crowd else ''}{f' (crowd on CPU {args.crowd_cpus})' if args.crowd_cpus else ''} | "
          f"server RSS start → end (MB) |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    med = statistics.median(waits) if waits else float("nan")
    print(f"| {args.users} | {args.preset}, {args.epochs} | {finished}/{args.users} | {med:.1f} | "
          f"{max(waits) if waits else float('nan'):.1f} | {' / '.join(f'{t:.3f}' for t in http_times)} | "
          f"{' / '.join(f'{t:.2f}' for t in open_times)} | "
          f"{rss_start:.0f} → {rss_end:.0f} |")


if __name__ == "__main__":
    main()
