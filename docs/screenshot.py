"""Make the README's pictures: docs/screenshot.png, the Results page after training the
recommended ``sunspots`` preset, with the sidebar listing every page; docs/inside_step.png,
Inside the network for the same run at step 6 (the unrolled diagram and the cell's diagram);
docs/inside.png, the same page at its memory views (how far back it looks, why it forgets).

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
INSIDE_STEP = ROOT / "docs" / "inside_step.png"
STEP = 6  # the step the picture of the cell shows
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
            page.set_viewport_size({"width": 1400, "height": 1250})  # the stepper and the cell
            for t in range(2, STEP + 1):  # a later step: h_{t-1} and c_{t-1} are not zero
                page.get_by_role("button", name="Next ▶").click()
                expect(page.get_by_text(f"Step t = {t} of")).to_be_visible()
            page.locator(".gtitle", has_text=f"cell at step t = {STEP}").wait_for()
            page.wait_for_timeout(1_500)
            page.get_by_text(f"Step t = {STEP} of").evaluate(
                "el => el.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(1_500)
            page.screenshot(path=str(INSIDE_STEP))
            page.set_viewport_size({"width": 1400, "height": 1350})  # both memory views
            page.wait_for_timeout(1_000)
            heading.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(2_000)
            page.screenshot(path=str(INSIDE))
            browser.close()
    finally:
        streamlit_server.stop(server)
    print(f"wrote {OUT.relative_to(ROOT)}, {INSIDE_STEP.relative_to(ROOT)} and "
          f"{INSIDE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
