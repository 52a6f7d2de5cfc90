"""Compare runs in a real browser: two trainings listed, one renamed in the table, one deleted."""

import re

from playwright.sync_api import expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rnn_core.presets import RECOMMENDED, preset
from ui.runs_table import DELETE_WIDTH, NAME_WIDTH
from tests.browser.helpers import go, grid_header, grid_rows, set_number, train, wait_idle

HEADER, ROW = 35, 35  # pixel heights of the grid's header and rows
EDITOR_MS = 5_000  # the grid's editor opens at once on an idle machine


def _cell_center(table, row: int, x: float) -> tuple[float, float]:
    """Where on the screen a cell of the grid is (the mouse clicks in the viewport: a table
    drawn below it would take no click)."""
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    return box["x"] + x, box["y"] + HEADER + ROW * row + ROW / 2


def _rename(page, table, row: int, name: str) -> None:
    """Open the grid's editor on a name cell (select it, Enter), type, commit with Enter.

    Once the page has settled, as a person would edit it. The first click may only focus the
    canvas, so it is tried again — but only while no editor is open: under load an editor can
    open after the wait gave up, and another click and Enter would close it (the editor was
    never found in both runs of this test in one CI run, 2026-12-03)."""
    editor = page.locator("textarea.gdg-input")
    wait_idle(page)
    for _ in range(4):
        if not editor.count():
            page.mouse.click(*_cell_center(table, row, 40))
            page.wait_for_timeout(300)
            page.keyboard.press("Enter")
        try:
            editor.wait_for(timeout=EDITOR_MS)
            break
        except PlaywrightTimeout:
            continue
    editor.fill(name)
    editor.press("Enter")


def test_rename_and_delete_runs_on_the_compare_page(page):
    train(page, epochs=1)
    # each edit's run ends before the next (this test is about the Compare table; in one CI run
    # "Epochs 2" typed right after "Hidden units 5", then Train at once, trained 1 epoch — an
    # open question, see the notes of 2026-12-02)
    set_number(page, "Hidden units", 5)
    wait_idle(page)
    set_number(page, "Epochs", 2)
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    expect(page.get_by_text(re.compile(r"^Training finished: 2 epochs"))).to_be_visible(timeout=120_000)

    go(page, "Compare runs")
    table = page.get_by_test_id("stDataFrame").first
    expect(table.locator("tbody [role=row]")).to_have_count(2)
    rows = grid_rows(table)
    # run numbers count every training of the server, so other tests' runs shift them
    first = preset(RECOMMENDED)  # a first visit's setup
    pattern = rf"run \d+: {first.cell} {{}}u T={first.time_steps}"
    assert re.fullmatch(pattern.format(first.units), rows[0][0]), rows
    assert re.fullmatch(pattern.format(5), rows[1][0]), rows
    second = rows[1][0]
    column = {name: i for i, name in enumerate(grid_header(table))}
    assert [r[column["units"]] for r in rows] == [str(first.units), "5"]
    assert [r[column["epochs"]] for r in rows] == ["1", "2"]

    _rename(page, table, 0, "my baseline")
    # the new name reaches the server: the loss chart's legend is redrawn with it
    expect(page.locator(".legendtext", has_text="my baseline (train)")).to_be_attached(timeout=30_000)
    assert [r[0] for r in grid_rows(table)] == ["my baseline", second]

    button = page.get_by_role("button", name="Delete ticked runs")
    expect(button).to_be_disabled()
    page.mouse.click(*_cell_center(table, 1, NAME_WIDTH + DELETE_WIDTH / 2))  # the second run's checkbox
    expect(button).to_be_enabled(timeout=30_000)
    # Click once the tick's rerun is over, as a person would: a click landing while a loaded
    # server is still rerunning for the tick can be lost (seen only under CPU load).
    wait_idle(page)
    button.click()
    expect(page.locator(".legendtext", has_text=second)).to_have_count(0, timeout=30_000)
    expect(page.locator(".legendtext", has_text="my baseline (train)")).to_be_attached()
    table = page.get_by_test_id("stDataFrame").first  # a new table after the rerun
    expect(table.locator("tbody [role=row]")).to_have_count(1)
    assert [r[0] for r in grid_rows(table)] == ["my baseline"]
