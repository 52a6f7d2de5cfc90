"""Measure the race behind each race preset: the three cells over seeds 0-2 on the long-lag tasks.

    .venv/bin/python bench/race_presets.py [OUT.jsonl]

Each line of OUT (default bench/race_presets.jsonl) is one run: the setting's name, cell,
units, parameters, seed, test MSE, the task's baseline MSE, epochs and fit seconds. The tables
in BENCHMARKS.md ("Race presets") are these numbers; rerun this after changing a preset.
Training uses one core per run (as a server's worker does), so timings are 2-core-machine ones.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_core import race, tasks  # noqa: E402
from rnn_core.config import RunConfig  # noqa: E402
from rnn_core.run import prepare, train  # noqa: E402

BASE = RunConfig(units=32, optimizer="adam", learning_rate=0.003, batch_size=32,
                 train_sequences=2000, test_sequences=1000, task_seed=0)
SETTINGS = {
    "recall T=20, 25 epochs": BASE.replace(dataset="recall", time_steps=20, epochs=25),
    "recall T=30, 25 epochs": BASE.replace(dataset="recall", time_steps=30, epochs=25),
    "adding T=20, 25 epochs": BASE.replace(dataset="adding", time_steps=20, epochs=25),
    "adding T=40, 25 epochs": BASE.replace(dataset="adding", time_steps=40, epochs=25),
}


def main(out_path: Path) -> None:
    with out_path.open("a") as out:
        for name, config in SETTINGS.items():
            w = prepare(config).windows
            base_mse = tasks.baseline_mse(config.dataset, w)
            for c in race.entrants(config, w.steps, w.n_features, "units", race.RACE_SEEDS):
                started = time.monotonic()
                r = race.result(train(c))
                row = {"setting": name, **r.as_json(), "baseline_test_mse": base_mse,
                       "wall_seconds": round(time.monotonic() - started, 1)}
                print(json.dumps(row), file=out, flush=True)
                print(name, c.cell, c.seed, f"{r.test_mse:.4g}", f"{r.fit_seconds:.0f}s",
                      flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("race_presets.jsonl"))
