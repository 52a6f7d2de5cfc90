"""Each pitfall's default setup is the one measured to show it, and the page quotes the
measurement (bench/pitfall_effects.py's rows in bench/pitfall_effects.jsonl)."""

import importlib.util
import json
from pathlib import Path

import pytest

from rnn_core import pitfalls
from rnn_core.run import prepare

BENCH = Path(__file__).resolve().parents[2] / "bench"
ROWS = [json.loads(line) for line in (BENCH / "pitfall_effects.jsonl").read_text().splitlines()
        if line.strip()]


def _bench_setups() -> dict:
    spec = importlib.util.spec_from_file_location("pitfall_effects", BENCH / "pitfall_effects.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SETUPS


@pytest.mark.parametrize("name", list(pitfalls.PITFALLS))
def test_the_demo_setup_was_measured_and_its_figures_are_the_ones_quoted(name):
    pair = pitfalls.pair(pitfalls.demo_config(name), name)
    (setup,) = [s for s, config in _bench_setups().items() if pitfalls.pair(config, name) == pair
                and any((r["pitfall"], r["setup"]) == (name, s) for r in ROWS)]
    rows = sorted((r for r in ROWS if (r["pitfall"], r["setup"]) == (name, setup)),
                  key=lambda r: r["seed"])
    assert [r["seed"] for r in rows] == [0, 1, 2]
    text = pitfalls.PITFALLS[name].measured
    for key in ("mistake", "fix"):
        figures = [" / ".join(f"{r[key]:.{d}f}" for r in rows) for d in (1, 2)]
        assert any(f in text for f in figures), (key, figures, text)


@pytest.mark.parametrize("name", list(pitfalls.PITFALLS))
def test_the_demo_setup_differs_in_the_one_choice_and_can_be_trained(name):
    mistake, fix = pitfalls.pair(pitfalls.demo_config(name), name)
    for config in (mistake, fix):
        pitfalls.check(name, prepare(config))  # raises if the comparison cannot be made
    changed = {k for k, v in mistake.to_dict().items() if fix.to_dict()[k] != v}
    assert len(changed) == 1, changed
