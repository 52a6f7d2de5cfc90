"""A shared link straight to a page, as the very first visit after the server starts.

Streamlit runs a ``pages/`` folder as an old-style multipage app until ``app.py`` has called
``st.navigation`` once in the process; the first visitor arriving on ``/results?...`` used to
get ``pages/results.py`` alone (a sidebar of file names, the link's settings ignored).
"""

import re

from playwright.sync_api import expect

from tests.browser.conftest import VIEWPORT, serve

TITLES = ["Start", "Data & windows", "Network & training", "Results", "Inside the network",
          "Compare runs", "Pitfalls", "Text"]


def test_first_visit_on_a_deep_link_goes_through_the_app(browser):
    # a server of its own, so this is its first visit; no training workers needed
    with serve(RNN_EXPLORER_PRELOAD="0") as url:
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = context.new_page()
            page.goto(f"{url}/results?preset=t2-sine&units=5")
            expect(page.get_by_role("heading", name="Results")).to_be_visible(timeout=30_000)
            links = page.get_by_test_id("stSidebarNavLink")
            expect(links).to_have_count(len(TITLES))
            for link, title in zip(links.all(), TITLES):
                expect(link).to_contain_text(title)
            # the link's settings were read (app.py's set-up ran): preset, then units=5
            links.filter(has_text="Network & training").click()
            expect(page.get_by_role("heading", name="Network & training")).to_be_visible(timeout=30_000)
            expect(page.get_by_role("spinbutton", name=re.compile(r"^Hidden units"))).to_have_value("5")
            links.filter(has_text="Data & windows").click()
            expect(page.get_by_role("heading", name="Data & windows")).to_be_visible(timeout=30_000)
            expect(page.get_by_role("spinbutton", name=re.compile(r"^Time steps T"))).to_have_value("4")  # from t2-sine
        finally:
            context.close()
