"""Browser helpers: what a person does with the widgets."""

import re

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import script_runs


DATA_PATH = "data"  # the Data & windows page's address: the app itself opens on Start
PROJECTOR = {"width": 1024, "height": 768}  # a classroom projector
# A label is shown whole when each of its parts that Streamlit cuts with "…" is as wide as its
# text laid out on one line (a copy beside it, unconstrained, measures that)
WHOLE_LABEL = """b => [b, ...b.querySelectorAll('*')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis')
    .every(e => {
        const copy = e.cloneNode(true);
        copy.style.cssText = 'position:absolute; visibility:hidden; width:max-content; max-width:none';
        e.parentElement.appendChild(copy);
        const needed = copy.getBoundingClientRect().width;
        copy.remove();
        return needed <= e.getBoundingClientRect().width + 0.05; })"""  # past it: "…"
# the texts of a page that Streamlit cut with "…", by the same measure
CUT_TEXTS = ("() => [...document.querySelectorAll('*')].filter(e => e.offsetParent && e.innerText "
             "&& getComputedStyle(e).textOverflow === 'ellipsis' && !(" + WHOLE_LABEL + ")(e))"
             ".map(e => e.innerText)")


def data_url(server: str, query: str = "") -> str:
    """The Data & windows page's address on ``server``, with a link's ``query`` (no "?")."""
    return f"{server}/{DATA_PATH}" + (f"?{query}" if query else "")


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (reopening it if a rerun closed it);
    a preset by its name (the picker lists the recommended one marked)."""
    if label == "Preset":
        from rnn_core.presets import label as preset_label

        option = preset_label(option)
    box = page.get_by_role("combobox", name=label, exact=True)
    item = page.get_by_role("option", name=option, exact=True)
    box.click()
    try:
        item.click(timeout=5_000)
    except PlaywrightTimeout:
        box.click()
        item.click()


def set_number(page: Page, label: str, value) -> None:
    box = type_number(page, label, value)
    expect(box).to_have_value(str(value))


def type_number(page: Page, label: str, value):
    """Type ``value`` into the number box labelled ``label`` and press Enter; returns the box
    (a value the app refuses is put back to the setup's, so nothing is asserted here)."""
    box = page.get_by_label(re.compile("^" + re.escape(label)))
    box.fill(str(value))
    box.press("Enter")
    return box


def go(page: Page, title: str, heading: str | None = None) -> None:
    """Open a page by its sidebar link; wait for its title (``heading`` if it differs)."""
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("heading", name=heading or title, exact=True)).to_be_visible()


def train(page: Page, epochs: int, timeout_ms: int = 300_000) -> None:
    """Train ``epochs`` epochs on the Network & training page and wait for the end (long: the
    first training after the server starts also waits for its workers to import TensorFlow,
    which is slow on a loaded machine)."""
    go(page, "Network & training")
    set_number(page, "Epochs", epochs)
    done = page.get_by_text(re.compile(r"^Training finished: \d+ epochs"))
    # an earlier run's message stays until this run ends: wait for one that names another run
    before = done.first.inner_text() if done.count() else None
    page.get_by_role("button", name="Train", exact=True).click()
    expect(done).to_be_visible(timeout=timeout_ms)
    if before is not None:
        expect(done.first).not_to_have_text(before, timeout=timeout_ms)
    # the page reruns once when training ends; Train is enabled again after that rerun
    expect(page.get_by_role("button", name="Train", exact=True)).to_be_enabled()


def prediction_chart(page: Page):
    """The Results page's actual-vs-predicted chart (found by its title: the loss curve is
    drawn before it while the page runs)."""
    return page.get_by_test_id("stPlotlyChart").filter(
        has=page.locator(".gtitle", has_text="Actual and predicted")).locator(".js-plotly-plot")


def split_line_color(page: Page) -> str:
    """The colour of the vertical line shape drawn on the results chart (read from plotly)."""
    chart = prediction_chart(page)
    chart.wait_for()
    return chart.evaluate(
        "el => (el.layout.shapes || []).filter(s => s.x0 === s.x1 && s.yref === 'paper')"
        ".map(s => s.line.color).join(',')")


def grid_rows(table) -> list[list[str]]:
    """The body rows of an ``st.dataframe`` as cell texts, read from the grid's accessible DOM
    table (the cells hold the raw values; the canvas draws them formatted)."""
    rows = table.locator("tbody [role=row]")
    return [row.locator("[role=gridcell]").all_text_contents() for row in rows.all()]


def grid_header(table, column: str | None = None) -> list[str]:
    """The column names of an ``st.dataframe``, once its header (with ``column``) is drawn: the
    grid draws its accessible table after the rows, and a read at once found none under load."""
    cells = table.locator("thead [role=columnheader]")
    expect((cells.filter(has_text=column) if column else cells).first).to_be_attached()
    return cells.all_text_contents()


def wait_idle(page: Page, timeout_ms: int = 60_000) -> None:
    """Wait until the script runs the page asked for so far have finished (told by its
    websocket: tests/browser/script_runs.py)."""
    script_runs.of(page).wait_idle(page, timeout_ms)


_READ_SETTINGS = """() => {
  const out = {};
  for (const el of document.querySelectorAll('[data-testid="stNumberInput"]')) {
    const input = el.querySelector('input');
    out[el.querySelector('label').innerText.trim()] = input.value; }
  for (const el of document.querySelectorAll('[data-testid="stSelectbox"]')) {
    const input = el.querySelector('input[role="combobox"]');
    out[input.getAttribute('aria-label')] = input.value; }
  for (const el of document.querySelectorAll('[data-testid="stCheckbox"]')) {
    out[el.innerText.trim()] = el.querySelector('input').checked; }
  return out; }"""


def screen_settings(page: Page) -> dict:
    """Every number box, select box and checkbox on screen: label -> what it shows."""
    return page.evaluate(_READ_SETTINGS)


def field_of_label(label: str):
    """The config field a knob's label belongs to (labels of number boxes end in the range)."""
    from rnn_core.config import FIELDS

    for f in FIELDS:
        if label == f.label or label.startswith(f.label + " ("):
            return f
    return None


def shown(field, value):
    """What the knob of ``field`` shows for ``value`` (``format="%g"`` for float boxes)."""
    from ui.widgets import CHOICE_LABELS

    if field.kind == "choice":
        return CHOICE_LABELS.get(value, value)
    if field.kind == "bool":
        return bool(value)
    if field.kind in ("float", "split"):
        return "%g" % value
    return str(value)


def knob_mismatches(page: Page, config) -> dict:
    """Knobs on screen that do not show ``config``'s value: label -> (shown, expected)."""
    out = {}
    for label, value in screen_settings(page).items():
        f = field_of_label(label)
        if f is not None and value != shown(f, getattr(config, f.name)):
            out[label] = (value, shown(f, getattr(config, f.name)))
    return out


def link_config(url: str):
    """The setup an address describes: its preset, then its other parameters."""
    from urllib.parse import parse_qsl, urlsplit

    from rnn_core.config import RunConfig, from_query
    from rnn_core.presets import preset

    params = dict(parse_qsl(urlsplit(url).query))
    base = preset(params["preset"]) if "preset" in params else RunConfig()
    return from_query(params, base)[0]
