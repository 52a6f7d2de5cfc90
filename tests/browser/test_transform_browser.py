"""The series transform in a real browser: picking it on the Data page draws what the network
learns and brings the test targets into the training range; the run trained on it is shown in
original units on Results."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import choose, data_url, go, train, wait_idle


def test_transform_changes_the_data_chart_and_the_result(fresh: Page, server):
    page = fresh
    page.goto(data_url(server, "dataset=airpassengers&time_steps=12"))
    expect(page.get_by_role("heading", name="Data & windows", exact=True)).to_be_visible()
    wait_idle(page)
    expect(page.get_by_text("24% of the test targets lie above anything seen in training",
                            exact=False)).to_be_visible()
    learned = page.locator(".gtitle", has_text="what the network learns")
    expect(learned).to_have_count(0)
    choose(page, "Series transform", "log_seasonal_diff")
    expect(page.get_by_text("0% of the test targets lie above anything seen in training",
                            exact=False)).to_be_visible()
    expect(learned).to_have_count(1)
    train(page, epochs=2)
    go(page, "Results")
    expect(page.get_by_text("The network learned log, then seasonal difference values",
                            exact=False)).to_be_visible()


def test_transform_pitfall_runs_and_shows_the_range(fresh: Page, server):
    from rnn_core.pitfalls import PITFALLS
    from tests.browser.helpers import grid_rows

    page = fresh
    pit = PITFALLS["transform"]
    page.goto(f"{server}/pitfalls?dataset=airpassengers&epochs=2")
    expect(page.get_by_role("heading", name="Pitfalls made visible")).to_be_visible()
    wait_idle(page)
    page.get_by_text(pit.title, exact=True).click()
    page.get_by_text(re.compile(r"^your current setup: ")).click()  # the link's 2 epochs
    page.get_by_role("button", name="Train both").click()
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("tbody [role=row]")).to_have_count(2, timeout=240_000)
    rows = grid_rows(table)
    assert [row[0] for row in rows] == [pit.mistake, pit.fix]
    assert [row[-1] for row in rows] == ["24% / 0%", "0% / 0%"]
