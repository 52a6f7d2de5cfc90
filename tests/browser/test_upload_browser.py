"""A person uploads their own CSV with two feature columns, trains, and sees the results."""

import re

import numpy as np
from playwright.sync_api import Page, expect

from rnn_core.presets import RECOMMENDED, preset
from tests.browser.helpers import choose, go, split_line_color, train, wait_idle


def test_upload_two_features_train_and_see_results(page: Page, tmp_path):
    rows = [f"2001-{1 + i // 28:02d}-{1 + i % 28:02d},{np.sin(i / 5):.4f},{(i * 7) % 11},{i % 3}"
            for i in range(120)]
    csv = tmp_path / "weather.csv"
    csv.write_text("day,load,temperature,holiday\n" + "\n".join(rows))
    choose(page, "Series", "upload")
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name="Upload", exact=True).click()
    chooser.value.set_files(str(csv))
    expect(page.get_by_text("120 rows · number columns: load, temperature, holiday")).to_be_visible()
    choose(page, "Date / time column", "day")
    for feature in ("temperature", "holiday"):
        wait_idle(page)  # a pick made while the last pick's rerun runs can be lost under load
        choose(page, "Extra input columns (features)", feature)
        page.get_by_text("Your own table").click()  # close the list
        # the app reruns on each pick: wait for it to show the pick before the next one
        expect(page.get_by_test_id("stMultiSelect").get_by_text(feature, exact=True)).to_be_visible()
    page.get_by_role("button", name="Use this table").click()
    steps = preset(RECOMMENDED).time_steps  # a first visit's windows (36: 96 training rows)
    expect(page.get_by_test_id("stMetricValue").nth(2)).to_have_text(f"(samples, {steps}, 3)")
    train(page, epochs=1)  # one epoch: what is checked is that a run exists and is drawn
    go(page, "Results")
    expect(page.get_by_text(re.compile("persistence on the test part"))).to_be_visible()
    assert split_line_color(page) == "red"
