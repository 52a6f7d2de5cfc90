"""Inside the network in a real browser: step through T1's demo and check h_3 by hand."""

import re

import numpy as np
from playwright.sync_api import Page, expect

from rnn_core.model import build, input_shape
from rnn_core.presets import preset
from tests.browser.helpers import choose, go

TF_IMPORT_TIMEOUT_MS = 180_000


def hand_h(xs):
    """The same seeded network the app builds, computed by hand: h_t = x_t·W_x + h_{t-1}·W_h + b."""
    config = preset("t1-structure")
    w_x, w_h, b, _, _ = build(config, *input_shape(config)).get_weights()
    h, hs = np.zeros(2), []
    for x in xs:
        h = x * w_x[0] + h @ w_h + b
        hs.append(h)
    return hs


def shown_h(page: Page, t: int) -> list[float]:
    line = page.get_by_text(re.compile(rf"^h_{t} = x_{t}·W_x")).first
    expect(line).to_be_visible()
    return [float(v) for v in line.inner_text().rsplit("[", 1)[1].rstrip("]").split(",")]


def test_step_forward_and_read_h3(page: Page):
    choose(page, "Preset", "t1-structure")
    go(page, "Inside the network")
    # the untrained network's weights come from a worker, which imports TensorFlow when the
    # server starts: on a loaded 2-core machine (the suite's other worker training) the first
    # answer took over 30 s in CI
    expect(page.get_by_role("textbox", name=re.compile("^Window values"))).to_have_value(
        "1, 2, 3", timeout=TF_IMPORT_TIMEOUT_MS)
    expected = hand_h([1.0, 2.0, 3.0])
    np.testing.assert_allclose(shown_h(page, 1), expected[0], rtol=1e-3)
    for t in (2, 3):
        page.get_by_role("button", name="Next ▶").click()
        expect(page.get_by_text(f"Step t = {t} of 3")).to_be_visible()
    np.testing.assert_allclose(shown_h(page, 3), expected[2], rtol=1e-3)
    # the cell's diagram holds the same h_3, unit by unit
    cell = page.get_by_test_id("stPlotlyChart").filter(
        has=page.locator(".gtitle", has_text="SimpleRNN cell at step t = 3")).locator(".js-plotly-plot")
    drawn = cell.evaluate("el => Array.from(el.data.find(d => d.name === 'h').z[0])")
    np.testing.assert_allclose(drawn, expected[2], rtol=1e-5)
    expect(page.get_by_text(re.compile(r"^y = h_3·W \+ b"))).to_be_visible()
    expect(page.get_by_role("button", name="Next ▶")).to_be_disabled()
