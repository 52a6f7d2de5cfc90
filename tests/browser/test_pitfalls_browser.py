"""A pitfall comparison in a real browser: a double click trains one pair, both trainings'
epochs move in the bar, one Stop ends both, and the page says they were stopped and compares
what they learned."""

import re

from playwright.sync_api import Page, expect

from rnn_core.pitfalls import PITFALLS
from tests.browser.helpers import grid_rows, wait_idle


def test_pitfall_comparison_shows_its_epochs_and_stops(fresh: Page, server):
    page = fresh
    pit = PITFALLS["scaler"]
    # the default series (2,244 windows): 500 epochs outlast the wait below even on a quiet
    # machine (air passengers' 300 could finish before Stop was clicked)
    page.goto(f"{server}/pitfalls?epochs=500")
    expect(page.get_by_role("heading", name="Pitfalls made visible")).to_be_visible()
    wait_idle(page)
    page.get_by_text(pit.title, exact=True).click()
    # the link's 500 epochs are the user's setup; the default is the pitfall's measured one
    page.get_by_text(re.compile(r"^your current setup: ")).click()
    train_both = page.get_by_role("button", name="Train both")
    # a double click (an impatient class) trains one pair, followed by the bar and Stop: the
    # button is greyed out while it trains, and a start while one runs is refused
    # (tests/app/test_job_starts.py); before, a second start left the first pair training
    # with nobody following it
    train_both.dblclick()

    progress = page.get_by_text(re.compile(r"^Training both: epoch \d+/500 and \d+/500$"))
    expect(progress).to_be_visible()
    expect(train_both).to_be_disabled()  # while they train
    # both past their first epoch (a quiet machine: seconds; the wait is long because the
    # server's first trainings start its workers, which import TensorFlow, and a loaded machine
    # has taken over two minutes for that), then the bar's text moves on while they train
    expect(progress).to_have_text(re.compile(r"epoch [1-9]\d*/500 and [1-9]\d*/500"),
                                  timeout=240_000)
    expect(progress).not_to_have_text(progress.inner_text(), timeout=30_000)
    page.get_by_role("button", name="Stop", exact=True).click()

    stopped = page.get_by_text(re.compile(r": stopped after \d+ of 500 epochs; its numbers are "
                                          r"the model's as trained so far\.$"))
    expect(stopped).to_have_count(2, timeout=30_000)
    assert [s.inner_text().split(":")[0] for s in stopped.all()] == [pit.mistake, pit.fix]
    expect(progress).to_have_count(0)
    expect(train_both).to_be_enabled()
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("tbody [role=row]")).to_have_count(2)
    assert [row[0] for row in grid_rows(table)] == [pit.mistake, pit.fix]
