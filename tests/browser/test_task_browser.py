"""A long-lag task in a real browser: pick adding, the window knobs grey out, train, judge."""

import re

from playwright.sync_api import Page, expect

from rnn_core.presets import RECOMMENDED, preset
from tests.browser.helpers import choose, go, set_number, train


def test_pick_adding_train_and_read_the_verdict(page: Page):
    choose(page, "Series", "adding task (long lag)")
    expect(page.get_by_label(re.compile("^Stride"))).to_be_disabled()
    expect(page.get_by_text("Not used by the adding task: each sequence is one window.").first
           ).to_be_visible()
    set_number(page, "Training sequences", 40)
    set_number(page, "Test sequences", 20)
    steps = preset(RECOMMENDED).time_steps  # a first visit's setup
    expect(page.get_by_text(f"(samples, {steps}, 2)")).to_be_visible()
    train(page, epochs=1)
    go(page, "Results")
    expect(page.get_by_text("Baseline MSE (always 1.0)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^(Solved|Learning|Not learned): "))).to_be_visible()
