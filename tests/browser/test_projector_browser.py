"""A class sees the app on a projector's 1024 × 768 pixels: no label, value or chip on the pages
where they stood side by side is cut with "…" (the first minute's buttons, the window counts'
input shape, the sweep's pickers, the Text page's counts were)."""

from playwright.sync_api import expect

from tests.browser.helpers import CUT_TEXTS, PROJECTOR, choose, wait_idle


def test_no_text_is_cut_on_a_projector(fresh, server):
    page = fresh
    page.set_viewport_size(PROJECTOR)
    page.goto(f"{server}/?preset=sunspots")
    expect(page.get_by_role("heading", name="RNN Explorer", exact=True)).to_be_visible()
    wait_idle(page)
    assert page.evaluate(CUT_TEXTS) == []
    for title, shown in (("Data & windows", "Input shape"), ("Compare runs", "Epochs per run"),
                         ("Text", "Unknown in held-out")):
        # by the sidebar's link (the Start page links to Data & windows too)
        page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        if title == "Text":
            choose(page, "Preset", "text-stdlib")
        expect(page.get_by_text(shown).first).to_be_visible()
        wait_idle(page)
        assert page.evaluate(CUT_TEXTS) == [], title
