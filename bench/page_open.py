"""How long each page takes to open in a browser once the server is up.

Starts ``streamlit run``, waits for its health check, then opens every page and times it until
the page's title is shown (median of several openings), two ways: in a fresh browser context
each time (a first-time visitor: Streamlit's ~4 MB of JavaScript fetched and compiled again),
and in one context kept open (a returning visitor: those files come from the browser's cache).
Also times the server's own share, the page script's run through AppTest (in-process, no
browser), and says whether the server process has imported TensorFlow after the pages that do
not need it (it should not: trainings run in worker processes; only "Inside the network",
opened last, builds a model in the server).

    .venv/bin/python bench/page_open.py [--repeats 5] [--settle 15]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

PAGES = [("", "Data & windows"), ("train", "Network & training"), ("results", "Results"),
         ("compare", "Compare runs"), ("pitfalls", "Pitfalls made visible"),
         ("unroll", "Inside the network")]  # last: the only page that builds a model in the server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after the server is up before measuring (its "
                             "training workers import TensorFlow in the first ~10 s)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                               "--server.port", str(port), "--server.headless", "true"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    url = f"http://127.0.0.1:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                if urllib.request.urlopen(url + "/_stcore/health", timeout=1).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.1)
        up = time.monotonic() - started
        time.sleep(args.settle)
        rows = []
        tf_loaded = None
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            warm = browser.new_context()
            warm.new_page().goto(url)  # fill the returning visitor's cache once
            for path, title in PAGES:
                if path == "unroll":
                    tf_loaded = _tensorflow_loaded(server.pid)
                cold, cached = [], []
                for _ in range(args.repeats):
                    context = browser.new_context()
                    cold.append(_open(context.new_page(), f"{url}/{path}", title))
                    context.close()
                    page = warm.new_page()
                    cached.append(_open(page, f"{url}/{path}", title))
                    page.close()
                rows.append((title, path, cold, cached))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"server up (health check answers) after {up:.1f} s, measured after {args.settle:g} s more; "
          f"TensorFlow in the server process "
          f"after the pages that do not need it: {'yes' if tf_loaded else 'no'}")
    print("| page | fresh context: first (s) | fresh context: median (s) | "
          "cached assets: median (s) | server script run: median (ms) |")
    print("|---|---:|---:|---:|---:|")
    for title, path, cold, cached in rows:
        script = statistics.median(_script_runs(path, args.repeats)) * 1000
        print(f"| {title} | {cold[0]:.2f} | {statistics.median(cold[1:] or cold):.2f} | "
              f"{statistics.median(cached):.2f} | {script:.0f} |")


def _open(page, url: str, title: str) -> float:
    started = time.monotonic()
    page.goto(url)
    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    return time.monotonic() - started


def _tensorflow_loaded(pid: int) -> bool:
    maps = Path(f"/proc/{pid}/maps").read_text()
    return "_pywrap_tensorflow" in maps or "libtensorflow" in maps


def _script_runs(path: str, repeats: int) -> list[float]:
    """The page script's run time in-process (AppTest): the server's share of an opening."""
    from streamlit.testing.v1 import AppTest

    os.environ["RNN_EXPLORER_PRELOAD"] = "0"  # no worker processes for this part
    page = f"pages/{path or 'data'}.py"
    times = []
    for _ in range(repeats):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        at.run()
        started = time.perf_counter()
        at.switch_page(page).run()
        times.append(time.perf_counter() - started)
    return times


if __name__ == "__main__":
    main()
