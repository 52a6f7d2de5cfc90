"""Browser helpers: what a person does with the widgets."""

import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (reopening it if a rerun closed it)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    item = page.get_by_role("option", name=option, exact=True)
    box.click()
    try:
        item.click(timeout=5_000)
    except PlaywrightTimeout:
        box.click()
        item.click()


def set_number(page: Page, label: str, value) -> None:
    box = page.get_by_label(re.compile("^" + re.escape(label)))
    box.fill(str(value))
    box.press("Enter")
    expect(box).to_have_value(str(value))


def go(page: Page, title: str) -> None:
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()


def train(page: Page, epochs: int, timeout_ms: int = 120_000) -> None:
    go(page, "Network & training")
    set_number(page, "Epochs", epochs)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Training finished: \d+ epochs"))).to_be_visible(
        timeout=timeout_ms)
    # the page reruns once when training ends; Train is enabled again after that rerun
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()


def split_line_color(page: Page) -> str:
    """The colour of the vertical line shape drawn on the results chart (read from plotly)."""
    chart = page.locator('[data-testid="stPlotlyChart"] .js-plotly-plot').first
    chart.wait_for()
    return chart.evaluate(
        "el => (el.layout.shapes || []).filter(s => s.x0 === s.x1 && s.yref === 'paper')"
        ".map(s => s.line.color).join(',')")


def grid_rows(table) -> list[list[str]]:
    """The body rows of an ``st.dataframe`` as cell texts, read from the grid's accessible DOM
    table (the cells hold the raw values; the canvas draws them formatted)."""
    rows = table.locator("tbody [role=row]")
    return [row.locator("[role=gridcell]").all_text_contents() for row in rows.all()]


def grid_header(table) -> list[str]:
    return table.locator("thead [role=columnheader]").all_text_contents()


def wait_idle(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until no script run is in progress (Streamlit's running icon is gone)."""
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=timeout_ms)
