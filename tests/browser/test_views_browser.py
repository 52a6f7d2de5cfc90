"""Views in step with the state after what a user does: switch the network or the page and come
back; change a setting after a training. Tiny runs (air passengers, 1 epoch)."""

import re

import numpy as np
import pytest
from playwright.sync_api import Page, expect

from rnn_core.memory import effective_memory

from tests.browser.helpers import DATA_PATH, choose, go, set_number, train, wait_idle

TINY = "dataset=airpassengers&epochs=1"
FINAL_STATES = "Show the final hidden state of every window, under the series"


def open_link(page: Page, server: str, query: str, path: str = DATA_PATH,
              heading: str = "Data & windows") -> None:
    """Open the app at ``path?query`` and wait until its first run is over. Timeouts are long:
    on a loaded machine a page switch has been seen to take a minute."""
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)
    page.goto(f"{server}/{path}?{query}")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    wait_idle(page, 120_000)


def open_tiny(page: Page, server: str, path: str = DATA_PATH, extra: str = "") -> None:
    open_link(page, server, TINY + extra, path,
              "Compare runs" if path == "compare" else "Data & windows")


def chart_traces(page: Page, title: str, fields=("x", "y")) -> list[dict]:
    """The name and ``fields`` of every trace of the chart whose title holds ``title``, as
    plotly holds them in the page (a 2-D field as a list of rows)."""
    chart = page.get_by_test_id("stPlotlyChart").filter(
        has=page.locator(".gtitle", has_text=title)).locator(".js-plotly-plot")
    expect(chart).to_have_count(1)
    # plotly drops its data for a moment while it redraws a chart: read again until it is there
    # (on a loaded machine a read right after a rerun found none)
    for _ in range(300):
        traces = chart.evaluate(
            "(gd, fields) => gd._fullData ? gd._fullData.map(t => Object.fromEntries([['name', "
            "t.name], ...fields.map(f => [f, Array.from(t[f] || [], v => (v && v.length !== "
            "undefined) ? Array.from(v) : v)])])) : null", list(fields))
        if traces is not None:
            return traces
        page.wait_for_timeout(100)
    raise AssertionError(f"the chart {title!r} held no data for 30 s")


def check_nudge_and_path(page: Page) -> None:
    """What if: a nudge at t = 3 changes h from t = 3 on and never before; the path of the
    state rings step t and follows Next (it is drawn in the stepper's fragment)."""
    slider = page.get_by_role("slider", name="Nudge the input at step t")
    slider.focus()
    slider.press("Home")  # t = 1, then two steps right: t = 3
    slider.press("ArrowRight")
    slider.press("ArrowRight")
    expect(slider).to_have_value("3")
    wait_idle(page)
    [heat] = chart_traces(page, "Δh after nudging x_3 by", fields=("z",))
    z = np.array(heat["z"], dtype=float)  # units × time
    assert np.all(z[:, :2] == 0) and np.all(np.any(z[:, 2:] != 0, axis=0)), z
    ring = lambda: [t["name"] for t in chart_traces(page, "in the plane of its two main directions")
                    if t["name"].startswith("step t = ")]
    shown = int(re.search(r"Step t = (\d+) of", page.get_by_text(re.compile(r"^Step t = ")
                                                                 ).inner_text()).group(1))
    assert ring() == [f"step t = {shown}"]
    page.get_by_role("button", name="Next ▶").click()
    expect(page.get_by_text(re.compile(rf"^Step t = {shown + 1} of"))).to_be_visible()
    wait_idle(page)
    assert ring() == [f"step t = {shown + 1}"]


def check_memory_views(page: Page, steps: int) -> None:
    """How far back it looks and why it forgets, on a trained LSTM: the bars and the mean line
    are drawn for every step, the sentence's effective memories are those of the drawn
    profiles, and the lag plot draws the norms with the line (γ·σ_max)^(T−t)."""
    sentence = page.get_by_text(re.compile(r"^Over the \d+ test windows, the last"))
    expect(sentence).to_be_visible()
    bars, mean = chart_traces(page, "How much each input step moves the prediction")
    assert bars["x"] == list(range(1, steps + 1)) and len(mean["y"]) == steps
    m = re.search(r"the last (?:(\d+) of \d+ steps carry|step of \d+ carries) 90% of the mean .*"
                  r"for this window alone, the last( step|\s\d+)\.", sentence.inner_text())
    assert m, sentence.inner_text()
    assert int(m.group(1) or 1) == effective_memory(mean["y"])
    assert (1 if m.group(2) == " step" else int(m.group(2))) == effective_memory(bars["y"])
    lag = chart_traces(page, "(LSTM): σ_max = ")
    names = [t["name"] for t in lag]
    assert any(n.startswith("‖∂h_T/∂x_t‖") for n in names)
    assert any(n.startswith("‖∂c_T/∂c_t‖") for n in names)  # the forget-gate path, beside
    [state] = [t for t in lag if t["name"].startswith("‖∂h_T/∂h_t‖")]
    bound = next(t for t in lag if "reference line" in t["name"])
    rate = float(re.search(r"= ([\d.e+-]+)\^\(T−t\)", bound["name"]).group(1))
    assert state["y"][-1] == pytest.approx(1.0) and bound["y"][-1] == pytest.approx(1.0)  # t = T
    # a power of T − t: one ratio between neighbours, the rate the legend names (to 3 digits)
    ratios = np.array(bound["y"][:-1]) / np.array(bound["y"][1:])
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert ratios[0] == pytest.approx(rate, rel=5e-3)
    # the proof: the gradients by hand against TensorFlow's autodiff, kept by the training
    proof = page.get_by_text(re.compile(r"^By hand \(numpy, from the weights\) vs TensorFlow's autodiff"))
    expect(proof).to_be_visible()
    gap = re.search(r"the largest difference of ∂ŷ/∂x_t is (\S+) of the largest", proof.inner_text())
    assert gap and float(gap.group(1)) < 1e-4, proof.inner_text()


def final_state_chart(page: Page):
    return page.locator(".gtitle", has_text="for each window, placed at its target")


def expect_toggle_as_drawn(page: Page, on: bool) -> None:
    """The toggle shows ``on``, and the chart it controls is drawn exactly when it is on."""
    wait_idle(page)
    toggle = page.get_by_role("switch", name=FINAL_STATES)
    (expect(toggle).to_be_checked if on else expect(toggle).not_to_be_checked)()
    expect(final_state_chart(page)).to_have_count(1 if on else 0)


def multiselect(page: Page, label: str):
    return page.get_by_test_id("stMultiSelect").filter(has_text=label)


def picked(page: Page, label: str) -> list[str]:
    return [tag.get_attribute("aria-label")
            for tag in multiselect(page, label).locator("[data-tag]").all()]


def remove(page: Page, label: str, *values: int) -> None:
    """Remove choices of a multiselect with their x buttons, as a person does."""
    for value in values:
        button = multiselect(page, label).get_by_role("button", name=f"Remove {value}")
        button.click()
        expect(button).to_have_count(0)
        wait_idle(page)


def test_sweep_pickers_keep_the_sweep_they_ran_across_a_page_switch(fresh: Page, server):
    page = fresh
    open_tiny(page, server, "compare")
    remove(page, "Hidden units", 8, 16)
    remove(page, "Time steps", 12, 24)
    set_number(page, "Epochs per run", 1)
    page.get_by_role("button", name="Run sweep").click()
    expect(page.get_by_text("Sweep finished: 1 runs.")).to_be_visible(timeout=180_000)
    # .first: while the run that ends the sweep draws, the old caption stands next to the new
    this_sweep = page.get_by_text("This sweep: hidden units 4 × time steps 6, 1 epoch per run.")
    expect(this_sweep.first).to_be_visible()
    wait_idle(page)
    expect(this_sweep).to_have_count(1)

    go(page, "Results")
    go(page, "Compare runs")
    wait_idle(page)
    # the pickers are drawn after the heading; once there they must hold the sweep's choices
    expect(multiselect(page, "Time steps").locator("[data-tag]").first).to_be_attached()
    assert picked(page, "Hidden units") == ["4"] and picked(page, "Time steps") == ["6"]
    expect(page.get_by_label(re.compile("^Epochs per run"))).to_have_value("1")
    expect(this_sweep.first).to_be_visible()


def test_after_a_training_the_views_follow_the_settings_and_the_page_switches(fresh: Page, server):
    """One tiny run, then two views that must stay in step with it: the Network & training page
    names the run and says when the settings changed since; Inside the network's final-state
    toggle follows a switch of network and of page; and on the way the memory views of the
    trained LSTM (issue 15)."""
    page = fresh
    open_tiny(page, server, extra="&cell=lstm")
    train(page, epochs=1)
    done = page.get_by_text(re.compile(r"^Training finished: 1 epochs in [\d.]+ s "
                                       r"\((run \d+): lstm 8u T=12\)"))
    expect(done).to_be_visible()
    run = re.search(r"\((run \d+):", done.inner_text()).group(1)
    expect(page.locator(".gtitle", has_text=f"Loss per epoch of {run}:")).to_have_count(1)
    changed = page.get_by_text(f"The settings changed since {run}; Train to apply them")
    expect(changed).to_have_count(0)

    set_number(page, "Hidden units", 5)
    expect(changed).to_be_visible()
    set_number(page, "Hidden units", 8)  # back to the run's settings: nothing to say
    expect(changed).to_have_count(0)

    go(page, "Inside the network")
    check_memory_views(page, steps=12)
    check_nudge_and_path(page)
    page.get_by_text(FINAL_STATES).click()
    expect_toggle_as_drawn(page, True)

    page.get_by_text("untrained (random weights)").click()
    expect(page.get_by_text(re.compile(r"^Untrained model from the current settings"))).to_be_visible()
    expect_toggle_as_drawn(page, True)

    go(page, "Results")
    go(page, "Inside the network")
    expect(page.get_by_role("radio", name="untrained (random weights)")).to_be_checked()
    expect_toggle_as_drawn(page, True)

    # back to the trained LSTM, then a preset with another network: the page opens on the
    # network the preset builds and its own window (issue 15: it kept the trained 12-step
    # model, which refused the window 1, 2, 3)
    page.get_by_text("trained (last run)").click()
    expect(page.get_by_text(re.compile(r"^Trained model: run \d+"))).to_be_visible()
    wait_idle(page)
    choose(page, "Preset", "t1-structure")
    expect(page.get_by_role("radio", name="untrained (random weights)")).to_be_checked()
    expect(page.get_by_role("textbox", name=re.compile("^Window values"))).to_have_value(
        "1, 2, 3", timeout=180_000)  # its weights come from a worker, after any training queued
    expect(page.get_by_text(re.compile(r"reads windows of 3 time steps"))).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
