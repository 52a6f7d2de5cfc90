"""What the screen shows is what runs: presets, a loaded config and knobs, played in Chromium.

The reproducer of issue 12: picking `sunspots` left "Time steps" at 12 while the run used 36,
and the second pick (`t2-sine`) replaced the page with a KeyError.
"""

import json
import re
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from rnn_core.config import from_json
from rnn_core.model import param_table
from rnn_core.presets import PRESETS, preset
from rnn_core.text import is_text
from rnn_core.presets import label as preset_label
from rnn_core.run import prepare
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import (choose, field_of_label, go, knob_mismatches, link_config,
                                   screen_settings, wait_idle)


def settled(page: Page, config, preset_name: str | None = None, knobs: bool = True,
            base: str | None = "same", seconds: float = TIMEOUT_MS / 1000) -> None:
    """Wait until the page shows ``config`` on every knob, the preset's name (or custom) in
    the sidebar and ``config`` in the address bar (with ``base`` as its preset, by default
    ``preset_name``), then check once more after the script run is over; no exception box at
    any time. ``knobs``: the page shows settings (an empty page must not pass for a right one)."""
    base = preset_name if base == "same" else base
    deadline = time.monotonic() + seconds
    while True:
        assert page.get_by_test_id("stException").count() == 0, \
            page.get_by_test_id("stException").first.inner_text()[:500]
        problems = state_problems(page, config, preset_name, base, knobs)
        if not problems:
            break
        if time.monotonic() > deadline:
            raise AssertionError("; ".join(problems))
        time.sleep(0.2)
    wait_idle(page)
    assert state_problems(page, config, preset_name, base, knobs) == []
    assert page.get_by_test_id("stException").count() == 0


def state_problems(page: Page, config, preset_name, base, knobs: bool) -> list[str]:
    screen = screen_settings(page)
    problems = []
    wrong = knob_mismatches(page, config)
    if wrong:
        problems.append(f"knobs off the config: {wrong}")
    if knobs and not any(field_of_label(label) for label in screen):
        problems.append("no knob on screen")
    expected = preset_label(preset_name) if preset_name else "custom"  # the recommended marked
    if screen.get("Preset") != expected:
        problems.append(f"preset shown {screen.get('Preset')!r}, expected {expected!r}")
    if link_config(page.url) != config:
        problems.append(f"link {page.url} is not the config")
    elif parse_qs(urlsplit(page.url).query).get("preset", [None])[0] != base:
        problems.append(f"link {page.url} does not start from preset {base}")
    return problems


@pytest.mark.parametrize("title", ["Data & windows", "Network & training"])
def test_each_preset_in_turn_shows_its_values_on_the_knobs(page: Page, title):
    if title != "Data & windows":
        go(page, title)
    order = list(PRESETS) + [list(PRESETS)[0]]  # the second pick of a preset crashed the page
    for name in order:
        choose(page, "Preset", name)
        if is_text(preset(name)):  # a text's setup lives on the Text page: this one says so
            expect(page.get_by_text(re.compile("Text page")).first).to_be_visible()
            settled(page, preset(name), name, knobs=False)
        else:
            settled(page, preset(name), name)
    if title == "Network & training":  # the Layers table counts the preset's network
        config = preset(order[-1])
        w = prepare(config).windows
        total = sum(r.params for r in param_table(config, w.steps, w.n_features))
        expect(page.get_by_text(f"Total parameters: {total:,}")).to_be_visible()
    # the sidebar's share link (drawn only when its popover opens) is the address bar's link
    page.get_by_role("button", name="Share this setup").click()
    shared = page.get_by_test_id("stCode").first  # the link; "For a class" builds a second one
    expect(shared).to_be_visible()
    assert link_config(shared.inner_text().strip()) == preset(order[-1])
    assert shared.inner_text().strip() == page.url


def test_a_loaded_config_shows_on_the_knobs_and_in_the_layers_table(page: Page, tmp_path):
    go(page, "Network & training")
    choose(page, "Preset", "t2-sine")
    settled(page, preset("t2-sine"), "t2-sine")
    loaded = preset("sunspots").replace(cell="lstm", layers=2, units=5, epochs=7)
    path = tmp_path / "setup.json"
    path.write_text(loaded.to_json())
    page.get_by_text("Load a config", exact=True).click()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    settled(page, from_json(json.dumps(loaded.to_dict())))
    w = prepare(loaded).windows
    total = sum(r.params for r in param_table(loaded, w.steps, w.n_features))
    expect(page.get_by_text(f"Total parameters: {total:,}")).to_be_visible()
    go(page, "Data & windows")
    settled(page, loaded)
