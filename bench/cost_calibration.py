"""Calibrate ``rnn_core.cost``: time real trainings, fit the constants, print measured vs estimated.

Each configuration is trained in this process with ``rnn_core.run.train`` (what a worker does:
prepare, build, compile, the epochs with their validation loss, both predictions), after one
untimed warm-up training that imports TensorFlow. The clock is the CPU time of this process during that call (``time.process_time``, every
thread): the trainings run on one TensorFlow thread (``RNN_EXPLORER_TF_THREADS=1``, as in the
workers), so on an idle core it is their wall time, and it stays so on a shared, loaded machine
where wall time does not (the wall time is printed too).
The four presets run in full; a grid of short runs (1-8 epochs) varies cell, units, layers,
T, batch size and how the time steps run (unrolled, graph loop, XLA); two large configurations
run one epoch. A run that a user would train with XLA (``training.use_xla`` decides on the
full number of epochs) is timed with XLA forced on, so its one epoch is the epoch users get.

The constants of ``cost`` (see its docstring) are fitted by non-negative least squares on the
relative error (every row divided by its measured time), so a 1 s run counts as much as a
60 s one. The table gives both the freshly fitted estimate and the one from the constants in
``rnn_core/cost.py``; the requirement is a ratio within 0.5-2 on the presets and the large runs.

    PYTHONPATH=. .venv/bin/python bench/cost_calibration.py [--save FILE] [--load FILE] [--quick]

``--save`` writes the measurements as JSON; ``--load`` re-fits and re-prints from such a file
without training; ``--quick`` skips the two large configurations.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from rnn_core import cost, training  # noqa: E402
from rnn_core.config import RunConfig  # noqa: E402
from rnn_core.presets import PRESETS, preset  # noqa: E402

NAMES = ["K_START", "K_TRACE", "K_XLA", "K_PREDICT", "A", "B", "S[unrolled]", "S[loop]",
         "S[xla]", "C"]

SUN = dict(dataset="sunspots", scaler_fit="train", stride=1, layout="sequence")
# (label, role, settings, XLA forced: True/False, or None for what training.use_xla decides)
GRID: list[tuple[str, str, dict[str, Any], bool | None]] = [
    ("SimpleRNN 8, T=12, b32, 2 ep", "grid", dict(SUN, cell="simplernn", units=8, time_steps=12, epochs=2), None),
    ("SimpleRNN 8, T=12, b32, 8 ep", "grid", dict(SUN, cell="simplernn", units=8, time_steps=12, epochs=8), None),
    ("LSTM 64, T=12, b32, 2 ep", "grid", dict(SUN, cell="lstm", units=64, time_steps=12, epochs=2), None),
    ("GRU 128×2, T=12, b64, 2 ep", "grid", dict(SUN, cell="gru", units=128, layers=2, time_steps=12, batch_size=64, epochs=2), None),
    ("LSTM 256, T=12, b32, 1 ep", "grid", dict(SUN, cell="lstm", units=256, time_steps=12, epochs=1), None),
    ("LSTM 32, T=36, b32, 2 ep, loop", "grid", dict(SUN, cell="lstm", units=32, time_steps=36, epochs=2), False),
    ("LSTM 32, T=36, b32, 4 ep, XLA", "grid", dict(SUN, cell="lstm", units=32, time_steps=36, epochs=4), True),
    ("SimpleRNN 16, T=24, b8, 1 ep, loop", "grid", dict(SUN, cell="simplernn", units=16, time_steps=24, batch_size=8, epochs=1), False),
    ("GRU 64, T=60, b128, 3 ep, loop", "grid", dict(SUN, cell="gru", units=64, time_steps=60, batch_size=128, epochs=3), False),
    ("GRU 64, T=60, b128, 3 ep, XLA", "grid", dict(SUN, cell="gru", units=64, time_steps=60, batch_size=128, epochs=3), True),
    ("SimpleRNN 4, T=8, b1, lynx, 3 ep", "grid", dict(dataset="lynx", cell="simplernn", units=4, time_steps=8, batch_size=1, epochs=3), None),
    ("GRU 16, T=24, b1, sine 400, 1 ep, loop", "grid", dict(dataset="sine", sine_length=400, cell="gru", units=16, time_steps=24, batch_size=1, epochs=1), False),
    ("GRU 32, T=120, b1, sine 300, 1 ep, XLA", "grid", dict(dataset="sine", sine_length=300, cell="gru", units=32, time_steps=120, batch_size=1, epochs=1), True),
]
LARGE: list[tuple[str, str, dict[str, Any], bool | None]] = [
    ("LSTM 256×3, T=36, b32, 1 ep, XLA", "large", dict(preset("sunspots").to_dict(), cell="lstm", units=256, layers=3, epochs=1), True),
    ("LSTM 128×2, T=120, b16, sine 1000, 1 ep, XLA", "large", dict(dataset="sine", sine_length=1000, cell="lstm", units=128, layers=2, time_steps=120, batch_size=16, epochs=1), True),
]


def measure(label: str, role: str, settings: dict[str, Any], xla: bool | None) -> dict[str, Any]:
    """Train once; the wall time of ``run.train`` and the terms of the estimate."""
    from rnn_core.run import prepare, train

    config = RunConfig().replace(**settings)
    prepared = prepare(config)
    w = prepared.windows
    t = cost.terms(config, w.n_train, 1, w.n_test, xla=xla)
    saved = training.XLA
    training.XLA = "auto" if xla is None else ("1" if xla else "0")
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        run = train(config)
        cpu = time.process_time() - cpu_started
        wall = time.perf_counter() - started
    finally:
        training.XLA = saved
    row = {"label": label, "role": role, "epochs": config.epochs, "mode": t.mode,
           "seconds": cpu, "wall": wall, "fit_seconds": run.history.fit_seconds, "row": t.row(),
           "estimate_module": cost.estimate_seconds(config, w.n_train, 1, w.n_test)
           if xla is None else float(np.dot(cost.coefficients(), t.row()))}
    print(f"  {label}: {cpu:.2f} s CPU, {wall:.2f} s wall", file=sys.stderr, flush=True)
    return row


def fit(rows: list[dict[str, Any]]) -> np.ndarray:
    """Non-negative least squares on the relative error."""
    from scipy.optimize import nnls

    x = np.array([r["row"] for r in rows], dtype=float)
    y = np.array([r["seconds"] for r in rows], dtype=float)
    scale = x.max(axis=0)
    scale[scale == 0] = 1.0
    coef, _ = nnls(x / y[:, None] / scale, np.ones(len(y)))
    return coef / scale


def report(rows: list[dict[str, Any]], coef: np.ndarray) -> None:
    print("Fitted constants (paste into rnn_core/cost.py):")
    for name, value in zip(NAMES, coef):
        print(f"  {name} = {value:.3g}")
    print()
    print("| configuration | role | epochs | time steps run | wall (s) | measured CPU (s) "
          "| estimate, fitted (s) | ratio | estimate, cost.py (s) | ratio |")
    print("|---|---|---:|---|---:|---:|---:|---:|---:|---:|")
    worst = 1.0
    for r in rows:
        fitted = float(np.dot(coef, r["row"]))
        module = r["estimate_module"]
        print(f"| {r['label']} | {r['role']} | {r['epochs']} | {r['mode']} | {r['wall']:.2f} | "
              f"{r['seconds']:.2f} | "
              f"{fitted:.2f} | {fitted / r['seconds']:.2f} | {module:.2f} | "
              f"{module / r['seconds']:.2f} |")
        if r["role"] in ("preset", "large"):
            worst = max(worst, module / r["seconds"], r["seconds"] / module)
    print(f"\nWorst factor on the presets and large runs with cost.py's constants: {worst:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", help="write the measurements to this JSON file")
    parser.add_argument("--load", help="re-fit from measurements saved earlier (no training)")
    parser.add_argument("--quick", action="store_true", help="skip the two large configurations")
    args = parser.parse_args()
    if args.load:
        with open(args.load) as handle:
            rows = json.load(handle)["rows"]
        for r in rows:  # the constants may have changed since: estimate again
            r["estimate_module"] = float(np.dot(cost.coefficients(), r["row"]))
    else:
        from rnn_core.run import train

        print(f"python {platform.python_version()}, {os.cpu_count()} cores, load "
              f"{os.getloadavg()[0]:.1f}; warm-up...", file=sys.stderr, flush=True)
        train(preset("t1-structure"))  # imports TensorFlow and starts its runtime, untimed
        runs = [(name, "preset", PRESETS[name], None) for name in PRESETS]
        runs += GRID + ([] if args.quick else LARGE)
        started = time.perf_counter()
        rows = [measure(*spec) for spec in runs]
        print(f"measured in {time.perf_counter() - started:.0f} s, load "
              f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        if args.save:
            with open(args.save, "w") as handle:
                json.dump({"rows": rows, "load": os.getloadavg()}, handle, indent=1)
    report(rows, fit(rows))


if __name__ == "__main__":
    main()
