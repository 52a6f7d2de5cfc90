"""How long each page takes to open in a browser once the server is up, next to a bare Streamlit page.

Starts ``streamlit run`` for the app and, as the reference, for a one-line Streamlit page
(``st.header``), then opens every page three ways, in rounds (round 0 is reported apart: the
first opening after start-up; the medians are over rounds 1..N):

- fresh context: a first-time visitor (Streamlit's JavaScript fetched and compiled);
- cached: a returning visitor reloading the page (one browser context kept open);
- in the app: a click on the page's link in the sidebar, from the page before (no reload).

Each opening is timed inside the page (``performance.now()``, from the navigation's start or
from the click) to when the page's title is in the document ("title"), and to when the script
run is over and every chart is drawn ("complete") — Playwright's own round trips are not
counted. Also times the server's share alone (the page script's run through AppTest,
in-process) and says whether the server process imported TensorFlow for the pages that do not
need it (it should not: only "Inside the network", opened last in each round, builds a model).

    .venv/bin/python bench/page_open.py [--repeats 5] [--settle 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from streamlit_server import start, stop  # noqa: E402

# (url path, link text in the sidebar, the page's title)
PAGES = [("", "Start", "RNN Explorer"),
         ("data", "Data & windows", "Data & windows"),
         ("train", "Network & training", "Network & training"),
         ("results", "Results", "Results"),
         ("compare", "Compare runs", "Compare runs"),
         ("pitfalls", "Pitfalls", "Pitfalls made visible"),
         ("unroll", "Inside the network", "Inside the network")]  # the one that builds a model
BARE_TITLE = "A bare Streamlit page"

# Resolves with [title shown, run over and charts drawn], in ms of performance.now().
_WAIT = """title => new Promise(resolve => {
  let shown = null;
  const tick = () => {
    const now = performance.now();
    if (shown === null && [...document.querySelectorAll('h1, h2, h3')]
          .some(h => h.textContent.trim() === title)) shown = now;
    const app = document.querySelector('[data-testid=stApp]');
    if (shown !== null && app && app.getAttribute('data-test-script-state') === 'notRunning'
        && [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
             .every(c => c.querySelector('.main-svg'))) { resolve([shown, now]); return; }
    requestAnimationFrame(tick);
  };
  tick();
})"""
_CLICK = """link => {
  const a = [...document.querySelectorAll('[data-testid=stSidebarNavLink]')]
    .find(e => e.textContent.endsWith(link));
  window.__clicked = performance.now();
  a.click();
}"""


def load(page, url: str, title: str) -> tuple[float, float]:
    """Navigate ``page`` to ``url``: seconds to the title and to the complete page."""
    page.goto(url, wait_until="commit")
    shown, complete = page.evaluate(_WAIT, title)
    return shown / 1000, complete / 1000


def click(page, link: str, title: str) -> tuple[float, float]:
    """Follow the sidebar link in an open app: seconds from the click."""
    page.evaluate(_CLICK, link)
    shown, complete = page.evaluate(_WAIT, title)
    clicked = page.evaluate("window.__clicked")
    return (shown - clicked) / 1000, (complete - clicked) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--settle", type=float, default=0.0,
                        help="seconds to wait after the server is up before measuring (its "
                             "training workers import TensorFlow in the first ~10 s)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    server, url = start()
    up = time.monotonic() - started
    with tempfile.TemporaryDirectory() as tmp:
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(f"import streamlit as st\n\nst.header({BARE_TITLE!r})\n")
        bare, bare_url = start(bare_script)
        try:
            time.sleep(args.settle)
            rows: dict[str, dict[str, list]] = {}
            tf_loaded = None
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                warm = browser.new_context()  # the returning visitor
                bare_warm = browser.new_context()
                app = warm.new_page()  # the visitor moving around inside the app
                load(app, f"{url}/pitfalls", "Pitfalls made visible")
                for round_ in range(args.repeats + 1):
                    for path, link, title in PAGES + [(None, None, BARE_TITLE)]:
                        target = bare_url if path is None else f"{url}/{path}"
                        if path == "unroll" and tf_loaded is None:
                            tf_loaded = _tensorflow_loaded(server.pid)
                        row = rows.setdefault(title, {"fresh": [], "cached": [], "nav": []})
                        context = browser.new_context()
                        row["fresh"].append(load(context.new_page(), target, title))
                        context.close()
                        page = (bare_warm if path is None else warm).new_page()
                        row["cached"].append(load(page, target, title))
                        page.close()
                        if path is not None:
                            row["nav"].append(click(app, link, title))
                browser.close()
        finally:
            for s in (server, bare):
                stop(s)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"server up (health check answers) after {up:.1f} s, measured after {args.settle:g} s "
          f"more; TensorFlow in the server process after the pages that do not need it: "
          f"{'yes' if tf_loaded else 'no'}. Seconds, title / complete page; medians of "
          f"{args.repeats} after the first round.")
    print("| page | fresh context, first opening | fresh context | cached, reload | "
          "in the app, sidebar link | server script run (ms) |")
    print("|---|---:|---:|---:|---:|---:|")
    for path, _link, title in PAGES + [(None, None, BARE_TITLE)]:
        row = rows[title]
        script = "" if path is None else f"{statistics.median(_script_runs(path, args.repeats)) * 1000:.0f}"
        print(f"| {title} | {_pair([row['fresh'][0]])} | {_pair(row['fresh'][1:])} | "
              f"{_pair(row['cached'][1:])} | {_pair(row['nav'][1:]) if row['nav'] else '–'} | "
              f"{script or '–'} |")


def _pair(openings: list[tuple[float, float]]) -> str:
    title = statistics.median(o[0] for o in openings)
    complete = statistics.median(o[1] for o in openings)
    return f"{title:.2f} / {complete:.2f}"


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
