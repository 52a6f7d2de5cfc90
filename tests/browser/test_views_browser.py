"""Views in step with the state after what a user does: switch the network or the page and come
back; change a setting after a training. Tiny runs (air passengers, 1 epoch)."""

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import go, set_number, train, wait_idle

TINY = "dataset=airpassengers&epochs=1"
FINAL_STATES = "Show the final hidden state of every window, under the series"


def open_link(page: Page, server: str, query: str, path: str = "",
              heading: str = "Data & windows") -> None:
    """Open the app at ``path?query`` and wait until its first run is over. Timeouts are long:
    on a loaded machine a page switch has been seen to take a minute."""
    page.set_default_timeout(120_000)
    expect.set_options(timeout=120_000)
    page.goto(f"{server}/{path}?{query}")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    wait_idle(page, 120_000)


def open_tiny(page: Page, server: str, path: str = "") -> None:
    open_link(page, server, TINY, path, "Compare runs" if path == "compare" else "Data & windows")


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
    expect(page.get_by_text("This sweep: hidden units 4 × time steps 6, 1 epoch per run.")).to_be_visible()

    go(page, "Results")
    go(page, "Compare runs")
    wait_idle(page)
    # the pickers are drawn after the heading; once there they must hold the sweep's choices
    expect(multiselect(page, "Time steps").locator("[data-tag]").first).to_be_attached()
    assert picked(page, "Hidden units") == ["4"] and picked(page, "Time steps") == ["6"]
    expect(page.get_by_label(re.compile("^Epochs per run"))).to_have_value("1")
    expect(page.get_by_text("This sweep: hidden units 4 × time steps 6, 1 epoch per run.")).to_be_visible()


def test_after_a_training_the_views_follow_the_settings_and_the_page_switches(fresh: Page, server):
    """One tiny run, then two views that must stay in step with it: the Network & training page
    names the run and says when the settings changed since; Inside the network's final-state
    toggle follows a switch of network and of page."""
    page = fresh
    open_tiny(page, server)
    train(page, epochs=1)
    done = page.get_by_text(re.compile(r"^Training finished: 1 epochs in [\d.]+ s "
                                       r"\((run \d+): simplernn 8u T=12\)"))
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
    page.get_by_text(FINAL_STATES).click()
    expect_toggle_as_drawn(page, True)

    page.get_by_text("untrained (random weights)").click()
    expect(page.get_by_text(re.compile(r"^Untrained model from the current settings"))).to_be_visible()
    expect_toggle_as_drawn(page, True)

    go(page, "Results")
    go(page, "Inside the network")
    expect(page.get_by_role("radio", name="untrained (random weights)")).to_be_checked()
    expect_toggle_as_drawn(page, True)
