"""A person in a real browser: pick a preset, train, read the results, find the split line."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import (choose, go, set_number, split_line_color, train,
                                   type_number)


# One page for all three (each a preset picked after the last one's results, as in a demo):
# a page load costs Chromium more CPU than a one-epoch training.
PRESET_WINDOWS = [("t1-sunspots", ("187", "46")), ("t2-sine", ("800", "200")),
                  ("sunspots", ("2,220", "564"))]


def test_presets_train_in_turn_and_show_results_with_split_line(page: Page):
    for number, (preset, windows) in enumerate(PRESET_WINDOWS, start=1):
        go(page, "Data & windows")
        choose(page, "Preset", preset)
        expect(page.get_by_test_id("stMetricValue").first).to_have_text(windows[0])
        expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text(windows[1])
        train(page, epochs=1)  # one epoch: what is checked is that a run exists and is drawn
        expect(page.get_by_text("Loss per epoch").first).to_be_visible()
        go(page, "Results")
        # this preset's run, not the one before it
        expect(page.get_by_text(re.compile(rf"^run {number}: .* · 1 epochs in"))).to_be_visible()
        expect(page.get_by_text(re.compile("persistence on the test part"))).to_be_visible()
        assert split_line_color(page) == "red"
        table = page.get_by_test_id("stDataFrame").first
        expect(table).to_be_visible()


def test_every_cell_trains_in_turn_in_the_browser(page: Page):
    choose(page, "Series", "air passengers")
    for number, cell in enumerate(("LSTM", "GRU", "SimpleRNN"), start=1):
        go(page, "Network & training")
        choose(page, "Cell", cell)
        set_number(page, "Hidden units", 4)
        expect(page.get_by_text(re.compile(r"Total parameters:"))).to_be_visible()
        train(page, epochs=1)  # one epoch: what is checked is that a run exists and is drawn
        go(page, "Results")
        expect(page.get_by_text(re.compile(rf"^run {number}: {cell.lower()} 4u .* · 1 epochs in"))
               ).to_be_visible()
        expect(page.get_by_text(re.compile("Actual and predicted|persistence on the test part")).first).to_be_visible()
        assert split_line_color(page) == "red"


def test_bad_split_shows_message_and_keeps_setup(page: Page):
    box = type_number(page, "Train split", 1.5)
    expect(page.get_by_text(re.compile(r"split=1\.5 is not valid"))).to_be_visible()
    # the setup keeps its split: the box shows the setup's value again (it may show 1.5 for a
    # moment, until the rerun the Enter caused comes back)
    expect(box).to_have_value("0.8")
    # a first visit: the recommended preset's sliding windows of 36 (2,220 training windows)
    expect(page.get_by_test_id("stMetricValue").first).to_have_text("2,220")
