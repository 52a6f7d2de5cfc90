"""Make the README's pictures: docs/screenshot.png, the Results page after training the
recommended ``sunspots`` preset, with the sidebar listing every page; docs/inside.png, Inside
the network for the same run at its memory views (how far back it looks, why it forgets).

    .venv/bin/python docs/screenshot.py            # about a minute on a quiet machine

It plays what a user does (open the preset's link, Train, open Results) in Debian's Chromium,
against ``streamlit run`` on a free local port, so the picture is of the app as it is.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import streamlit_server  # noqa: E402  (bench/ is not a package)

OUT = ROOT / "docs" / "screenshot.png"
INSIDE = ROOT / "docs" / "inside.png"
VIEWPORT = {"width": 1400, "height": 900}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    server, url = streamlit_server.start(RNN_EXPLORER_STORE="off")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(180_000)
            expect.set_options(timeout=180_000)  # a training takes longer than expect's 5 s
            page.goto(url + "/train?preset=sunspots")
            page.get_by_role("button", name="Train", exact=True).click()
            expect(page.get_by_text(re.compile(r"^Training finished"))).to_be_visible()
            page.get_by_role("link", name="Results").click()
            expect(page.get_by_role("heading", name="Results", exact=True)).to_be_visible()
            page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first.wait_for()
            page.wait_for_timeout(2_000)  # plotly's first draw animates in
            page.screenshot(path=str(OUT))
            page.get_by_role("link", name="Inside the network").click()
            heading = page.get_by_role("heading", name="How far back it looks")
            expect(heading).to_be_visible()
            expect(page.get_by_text(re.compile(r"^Over the \d+ test windows|^Over \d+ of the"))
                   ).to_be_visible()  # the mean over the test windows is computed
            page.get_by_role("heading", name="Why it forgets").wait_for()
            page.set_viewport_size({"width": 1400, "height": 1350})  # both memory views
            page.wait_for_timeout(1_000)
            heading.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(2_000)
            page.screenshot(path=str(INSIDE))
            browser.close()
    finally:
        streamlit_server.stop(server)
    print(f"wrote {OUT.relative_to(ROOT)} and {INSIDE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
