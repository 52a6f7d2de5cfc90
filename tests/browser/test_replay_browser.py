"""Training replayed in a real browser: after a 3-epoch run the epoch slider starts at the last
epoch; moving it to the first changes Results' prediction chart and the loss curve's mark, and
Inside the network then shows the weights of that epoch (the stepper's caption, the weights
heatmap); back at the last epoch, Inside shows the trained weights and the Keras proof again."""

from playwright.sync_api import Page, expect

from tests.browser.helpers import go, train, wait_idle
from tests.browser.test_views_browser import chart_traces, open_tiny

SLIDER = "Epoch shown"


def _slider_to(page: Page, key: str, epoch: str) -> None:
    """Move the epoch slider with the keyboard, as a person can (Home: first, End: last)."""
    slider = page.get_by_role("slider", name=SLIDER)
    slider.focus()
    slider.press(key)
    expect(slider).to_have_attribute("aria-valuetext", epoch)
    wait_idle(page)


def _marked_epoch(page: Page) -> float:
    chart = page.get_by_test_id("stPlotlyChart").filter(
        has=page.locator(".gtitle", has_text="Loss per epoch")).locator(".js-plotly-plot")
    return chart.evaluate("gd => gd.layout.shapes.filter(s => s.name === 'epoch shown')[0].x0")


def _test_predictions(page: Page, title: str = "Actual and predicted values") -> list[float]:
    (trace,) = [t for t in chart_traces(page, title) if t["name"] == "predicted (test)"]
    return trace["y"]


def _weights(page: Page) -> list:
    return [t["z"] for t in chart_traces(page, "Weights of", fields=("z",))]


def test_the_epoch_slider_replays_results_and_inside(fresh: Page, server):
    page = fresh
    open_tiny(page, server, extra="&epochs=3")
    train(page, epochs=3)
    go(page, "Results")
    wait_idle(page)
    slider = page.get_by_role("slider", name=SLIDER)
    expect(slider).to_have_attribute("aria-valuetext", "3")
    last = _test_predictions(page)
    assert _marked_epoch(page) == 3

    _slider_to(page, "Home", "1")
    expect(page.get_by_text("Epoch 1 of 3: the chart, the errors")).to_be_visible()
    first = _test_predictions(page, "after epoch 1")  # the redrawn chart, not the last epoch's
    assert len(first) == len(last) and first != last
    assert _marked_epoch(page) == 1

    go(page, "Inside the network")
    wait_idle(page)
    expect(page.get_by_role("slider", name=SLIDER)).to_have_attribute("aria-valuetext", "1")
    expect(page.get_by_text("weights after epoch 1 of 3")).to_be_visible()
    proof = "The numpy-vs-Keras proof is shown for the trained network"
    expect(page.get_by_text(proof)).to_be_visible()
    early = _weights(page)
    _slider_to(page, "End", "3")
    expect(page.get_by_text("weights after epoch 1 of 3")).to_have_count(0)
    expect(page.get_by_text("Keras predict")).to_be_visible()
    assert _weights(page) != early
