"""Workshop load: N people on one server, each opening the app and training a small preset.

Starts ``streamlit run`` on a free localhost port, has N participants open the app with the
preset, set its epochs and press Train at the same time, then reports: how many trainings
finished, how long each took from the click, how long NEW visitors' pages took to open while
the queue was full (three, 4 s apart, each in a fresh context of a normal-priority Chromium,
timed inside the page from the navigation's start to the title, as in ``bench/page_open.py``;
the same three on the idle server first, for comparison), and the server's resident memory
before and after.

The crowd (``--crowd``):
- ``headless`` (default): N websocket sessions speaking Streamlit's own protocol
  (``bench/crowd.py``: the share link, the Train button, the fragments' timed reruns), in one
  niced process — in a workshop each participant's browser runs on their own laptop, and the
  server sees only this traffic.
- ``browser``: N Playwright contexts in one Chromium at the lowest CPU priority
  (``--crowd-cpus 1`` also confines it to one core): the whole frontend, on the server's cores.

    .venv/bin/python bench/load.py --users 30
    .venv/bin/python bench/load.py --users 30 --crowd browser --crowd-cpus 1

Only localhost is contacted; every wait is bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.browser.helpers import choose, go, set_number  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from crowd import Session  # noqa: E402
from page_open import load as open_page  # noqa: E402
from streamlit_server import rss_mb, start, stop  # noqa: E402


def browser_crowd(pw, url: str, args, tmp: str):
    """N Playwright contexts press Train; returns a function waiting for their trainings."""
    from playwright.sync_api import expect

    crowd_exe = CHROMIUM
    if args.nice_crowd:
        crowd_exe = os.path.join(tmp, "chromium-niced")
        pin = f"taskset -c {args.crowd_cpus} " if args.crowd_cpus else ""
        with open(crowd_exe, "w") as f:
            f.write(f'#!/bin/sh\nexec {pin}nice -n 19 {CHROMIUM} "$@"\n')
        os.chmod(crowd_exe, 0o755)
    browser = pw.chromium.launch(executable_path=crowd_exe, args=CHROMIUM_ARGS)
    expect.set_options(timeout=int(args.timeout * 1000))
    pages = []
    for _ in range(args.users):
        page = browser.new_context(viewport={"width": 1300, "height": 900}).new_page()
        page.goto(url + "/data")  # the app opens on Start; the knobs are on Data & windows
        page.get_by_role("heading", name="Data & windows").wait_for()
        choose(page, "Preset", args.preset)
        go(page, "Network & training")
        set_number(page, "Epochs", args.epochs)
        pages.append(page)
    clicked = []
    for page in pages:
        page.get_by_role("button", name="Train", exact=True).click()
        clicked.append(time.monotonic())

    def finish() -> list[float | None]:
        waits = []
        for page, t0 in zip(pages, clicked):
            try:
                expect(page.get_by_text(re.compile(r"^Training finished"))).to_be_visible()
                waits.append(time.monotonic() - t0)
            except AssertionError:
                waits.append(None)
        browser.close()
        return waits

    return finish


def headless_crowd(url: str, args):
    """N websocket sessions (bench/crowd.py, niced) press Train; returns a function waiting."""
    crowd = subprocess.Popen(
        ["nice", "-n", "19", sys.executable, str(ROOT / "bench" / "crowd.py"), "--json",
         "--url", url, "--users", str(args.users), "--timeout", str(args.timeout),
         "--query", f"preset={args.preset}&epochs={args.epochs}"],
        stdout=subprocess.PIPE, text=True)
    line = crowd.stdout.readline()
    if line.strip() != "pressed":
        crowd.kill()
        raise SystemExit(f"the crowd did not get to press Train: {line!r}")

    def finish() -> list[float | None]:
        out, _ = crowd.communicate(timeout=args.timeout + 60)
        results = [json.loads(row) for row in out.splitlines() if row.strip()]
        for r in results:
            if r["error"]:
                print("crowd:", r["error"], file=sys.stderr)
        return [r["finished_after"] for r in results]

    return finish


def first_run(url: str) -> float:
    """Seconds from opening a websocket session to the end of the first page's script run:
    the server's whole share of a newcomer's page, without a browser."""
    async def one() -> float:
        started = time.monotonic()
        async with Session(url) as session:
            await session.run()
        return time.monotonic() - started

    with ThreadPoolExecutor(1) as pool:  # outside Playwright's event loop
        return pool.submit(asyncio.run, one()).result()


def newcomers(fresh, url: str, count: int, gap: float) -> tuple[list[float], list[float]]:
    """Newcomers ``gap`` s apart: the server's own answer (the HTML, then a first script run over
    a websocket), then the page in a fresh browser context."""
    server_times, open_times = [], []
    for k in range(count):
        if k:
            time.sleep(gap)
        started = time.monotonic()
        urllib.request.urlopen(url + "/", timeout=60).read()
        html = time.monotonic() - started
        server_times.append(html + first_run(url))
        context = fresh.new_context()
        shown, _complete = open_page(context.new_page(), url, "RNN Explorer")  # Start
        open_times.append(shown)
        context.close()
    return server_times, open_times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--preset", default="t1-sunspots")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=900, help="seconds for all trainings")
    parser.add_argument("--crowd", choices=["headless", "browser"], default="headless",
                        help="the N users as websocket sessions (default) or browser contexts")
    parser.add_argument("--nice-crowd", action=argparse.BooleanOptionalAction, default=True,
                        help="browser crowd: run it at the lowest CPU priority (default), as "
                             "if it were on other machines; the newcomer's browser is not niced")
    parser.add_argument("--crowd-cpus", default="",
                        help="browser crowd: also pin it to these CPUs (taskset list, e.g. 1): "
                             "the server, its workers and the newcomer keep the other core")
    parser.add_argument("--newcomers", type=int, default=3,
                        help="newcomers arriving after the clicks, one every --newcomer-gap s")
    parser.add_argument("--newcomer-gap", type=float, default=4.0)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    server, url = start()
    try:
        time.sleep(8)  # let the background TensorFlow import finish: measure steady state
        rss_start = rss_mb(server.pid)
        with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
            # the newcomer's browser: normal priority, like a browser on another machine
            fresh = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # a newcomer's browser is already running: open one page to get Chromium itself
            # going (not counted), then time newcomers on the idle server for comparison
            newcomers(fresh, url, 1, 0)
            idle_server, idle_times = newcomers(fresh, url, args.newcomers, 1.0)
            if args.crowd == "browser":
                finish = browser_crowd(pw, url, args, tmp)
            else:
                finish = headless_crowd(url, args)
            server_times, open_times = newcomers(fresh, url, args.newcomers, args.newcomer_gap)
            waits = finish()
            fresh.close()
        rss_end = rss_mb(server.pid)
    finally:
        stop(server)
    done = [w for w in waits if w is not None]
    crowd = "websocket sessions" if args.crowd == "headless" else (
        "browser contexts" + (" (niced)" if args.nice_crowd else "")
        + (f" (on CPU {args.crowd_cpus})" if args.crowd_cpus else ""))
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"| users ({crowd}) | preset, epochs | finished | median time to finish (s) | max (s) | "
          f"newcomers: server's share (s) | same, server idle (s) | "
          f"newcomers: page title in a browser on the same 2 cores (s) | same, server idle (s) | "
          f"server RSS start → end (MB) |")
    print("|---|---|---:|---:|---:|---|---|---|---|---|")
    med = statistics.median(done) if done else float("nan")
    print(f"| {args.users} | {args.preset}, {args.epochs} | {len(done)}/{args.users} | {med:.1f} | "
          f"{max(done) if done else float('nan'):.1f} | {' / '.join(f'{t:.3f}' for t in server_times)} | "
          f"{' / '.join(f'{t:.3f}' for t in idle_server)} | "
          f"{' / '.join(f'{t:.2f}' for t in open_times)} | "
          f"{' / '.join(f'{t:.2f}' for t in idle_times)} | {rss_start:.0f} → {rss_end:.0f} |")


if __name__ == "__main__":
    main()
