"""Prediction intervals in a real browser: set the level on the knob, train, and Results draw the
band and say how often it held."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import go, set_number, train
from tests.browser.test_views_browser import chart_traces, open_link


def test_an_interval_level_draws_the_band_and_its_coverage(fresh: Page, server):
    page = fresh
    open_link(page, server, "dataset=airpassengers&time_steps=6&units=3")
    go(page, "Network & training")
    set_number(page, "Prediction interval level", 0.8)
    train(page, epochs=1)
    go(page, "Results")
    said = page.get_by_text(re.compile(r"^80% intervals held \d+\.\d% of the 29 test targets"))
    expect(said).to_be_visible()
    names = [t["name"] for t in chart_traces(page, "Actual and predicted")]
    assert "80% interval" in names
    names = [t["name"] for t in chart_traces(page, "orecast")]
    assert "80% interval" in names
