"""How long each page takes to open in a browser once the server is up.

Starts ``streamlit run``, waits for its health check, then opens every page in a fresh browser
context and times it until the page's title is shown (median of several openings). Also says
whether the server process has imported TensorFlow (it should not: trainings run in worker
processes).

    .venv/bin/python bench/page_open.py [--repeats 5]
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
         ("unroll", "Inside the network"), ("compare", "Compare runs"), ("pitfalls", "Pitfalls made visible")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
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
        rows = []
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path, title in PAGES:
                times = []
                for _ in range(args.repeats):
                    context = browser.new_context()
                    page = context.new_page()
                    t0 = time.monotonic()
                    page.goto(f"{url}/{path}")
                    page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
                    times.append(time.monotonic() - t0)
                    context.close()
                rows.append((title, times))
            browser.close()
        maps = Path(f"/proc/{server.pid}/maps").read_text()
        tf_loaded = "_pywrap_tensorflow" in maps or "libtensorflow" in maps
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"server up (health check answers) after {up:.1f} s; TensorFlow in the server process: "
          f"{'yes' if tf_loaded else 'no'}")
    print("| page | first opening (s) | median of the rest (s) |")
    print("|---|---:|---:|")
    for title, times in rows:
        print(f"| {title} | {times[0]:.2f} | {statistics.median(times[1:] or times):.2f} |")


if __name__ == "__main__":
    main()
