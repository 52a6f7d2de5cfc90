"""The Text page in a real browser: train the default text preset, sample 100 characters, colour
the held-out text by a unit picked on the heatmap, then train on brackets and run the finder."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import choose, go, grid_rows, set_number, wait_idle

FINISHED = re.compile(r"^Training finished: \d+ epochs")


def _chart(page: Page, title: str):
    return page.get_by_test_id("stPlotlyChart").filter(
        has=page.locator(".gtitle", has_text=title)).locator(".js-plotly-plot")


def _train(page: Page, name: str) -> None:
    """Train and wait for the message naming this run (an earlier run's stays until then)."""
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text(FINISHED).filter(has_text=name)).to_be_visible(timeout=120_000)
    wait_idle(page)


def _click_unit(page: Page, unit: int) -> None:
    """Click the heatmap's cell of ``unit`` (1-based) at its 3rd character."""
    heat = _chart(page, "every unit")
    heat.scroll_into_view_if_needed()
    x, y = heat.evaluate("""(el, unit) => {
        const xa = el._fullLayout.xaxis, ya = el._fullLayout.yaxis;
        return [xa._offset + xa.l2p(2), ya._offset + ya.l2p(unit)]; }""", unit)
    box = heat.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_train_sample_colour_and_find_units_on_brackets(page: Page):
    go(page, "Text")
    choose(page, "Preset", "text-stdlib")
    set_number(page, "Characters used", 3000)
    set_number(page, "Hidden units", 8)
    set_number(page, "Epochs", 1)
    _train(page, "text run 1")
    expect(page.get_by_text("Bigram baseline")).to_be_visible()

    set_number(page, "Characters (1–2,000)", 100)
    sample = _chart(page, "100 characters at temperature")
    expect(sample).to_be_visible()
    drawn = sample.evaluate("el => el.data[1].text.length")
    assert drawn == 100 + len("def ")

    _click_unit(page, 3)
    expect(page.get_by_role("combobox", name=re.compile("^Unit"))).to_have_value("unit 3")
    # while the click's rerun draws, the old chart (unit 1) may still stand next to the new one
    expect(page.locator(".gtitle", has_text=re.compile(r"coloured by .* unit 3$"))).to_be_visible()
    wait_idle(page)
    expect(page.locator(".gtitle", has_text="coloured by")).to_have_text(re.compile("unit 3$"))

    page.get_by_text("brackets (depth known exactly)").click()
    wait_idle(page)
    _train(page, "text run 2")
    page.get_by_role("button", name="Find units").click()
    finder = page.get_by_test_id("stDataFrame").filter(has_text="bracket depth")
    expect(finder).to_be_visible()
    rows = grid_rows(finder)
    depth = next(row for row in rows if row[0].startswith("bracket depth"))
    assert depth[0].endswith("(exact)") and -1 <= float(depth[3]) <= 1
    expect(page.get_by_text(re.compile(r"known exactly: this is the truth the unit is compared "
                                       rf"with \(r = {float(depth[3]):.3f}"))).to_be_visible()

    # a reload is a new session: both text runs come back from the store, listed side by side
    page.reload()
    expect(page.get_by_role("heading", name="Your text runs")).to_be_visible()
    runs = page.get_by_test_id("stDataFrame").filter(has_text="bits/char")
    runs.scroll_into_view_if_needed()
    expect(runs.locator("tbody [role=row]")).to_have_count(2)
    assert [row[0].split(":")[0] for row in grid_rows(runs)] == ["text run 1", "text run 2"]
