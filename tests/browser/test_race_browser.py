"""The race in a real browser: Start on the Compare page, three loss curves overlaid, the table."""

from playwright.sync_api import Page, expect

from rnn_core import race
from rnn_core.config import RunConfig
from tests.browser.helpers import grid_header, grid_rows
from tests.browser.test_views_browser import chart_traces, open_link

TINY_RACE = "dataset=recall&train_sequences=60&test_sequences=20&time_steps=5&units=4&epochs=2"


def test_a_race_on_a_tiny_task_overlays_three_curves_and_fills_the_table(fresh: Page, server):
    page = fresh
    open_link(page, server, TINY_RACE, "compare", "Compare runs")
    page.get_by_text("about the same number of parameters").click()
    base = RunConfig(dataset="recall", time_steps=5, units=4)
    units = {c: race.matched_units(base, c, 5, 1) for c in race.CELLS}
    expect(page.get_by_text(f"LSTM {units['lstm']} units (")).to_be_visible()
    page.get_by_role("button", name="Start the race").click()
    table = page.get_by_test_id("stDataFrame").filter(has_text="parameters")
    expect(table.locator("tbody [role=row]")).to_have_count(3, timeout=180_000)
    column = {name: i for i, name in enumerate(grid_header(table, "hidden units"))}
    rows = grid_rows(table)
    assert [r[column["cell"]] for r in rows] == ["SimpleRNN", "LSTM", "GRU"]
    assert [int(r[column["hidden units"]]) for r in rows] == [units[c] for c in race.CELLS]
    curves = chart_traces(page, "The race: loss per epoch")
    assert [t["name"] for t in curves if t["name"].endswith("(train)")] == [
        f"SimpleRNN {units['simplernn']}u (train)", f"LSTM {units['lstm']}u (train)",
        f"GRU {units['gru']}u (train)"]
    assert all(len(t["y"]) == 2 for t in curves)  # two epochs each
    expect(page.get_by_text("Matched on about the same number of parameters. Lowest test MSE:")).to_be_visible()
    expect(page.get_by_text("Against the task's baseline")).to_be_visible()
