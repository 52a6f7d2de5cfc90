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

    PYTHONPATH=. .venv/bin/python bench/cost_calibration.py [--save FILE] [--load FILE [--add]]
        [--quick]

``--save`` writes the measurements as JSON; ``--load`` re-fits and re-prints from such a file
without training (with ``--add``, it first times the configurations the file lacks);
``--quick`` skips the large configurations.
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
         "S[xla]", "C", "D"]

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
    ("LSTM 128, T=24, b1, sine 400, 1 ep, loop", "grid", dict(dataset="sine", sine_length=400, cell="lstm", units=128, time_steps=24, batch_size=1, epochs=1), False),
]
LARGE: list[tuple[str, str, dict[str, Any], bool | None]] = [
    ("LSTM 256×3, T=36, b32, 1 ep, XLA", "large", dict(preset("sunspots").to_dict(), cell="lstm", units=256, layers=3, epochs=1), True),
    ("LSTM 128×2, T=120, b16, sine 1000, 1 ep, XLA", "large", dict(dataset="sine", sine_length=1000, cell="lstm", units=128, layers=2, time_steps=120, batch_size=16, epochs=1), True),
    # the second case (T = 120, batch 1) on a shorter series: 120 windows, not 2,100
    ("LSTM 256×3, T=120, b1, sine 300, 1 ep, XLA", "large", dict(dataset="sine", sine_length=300, cell="lstm", units=256, layers=3, time_steps=120, batch_size=1, epochs=1), True),
]
SPECS = {spec[0]: spec for spec in GRID + LARGE}


def terms_of(settings: dict[str, Any], xla: bool | None) -> tuple[RunConfig, Any]:
    """The config and its ``cost.Terms`` (on its own windows, with XLA as timed)."""
    from rnn_core.run import prepare

    config = RunConfig().replace(**settings)
    w = prepare(config).windows
    return config, cost.terms(config, w.n_train, 1, w.n_test, xla=xla)


def all_specs(quick: bool = False) -> list[tuple[str, str, dict[str, Any], bool | None]]:
    """Every configuration the benchmark times, in order."""
    return [(name, "preset", PRESETS[name], None) for name in PRESETS] + GRID + (
        [] if quick else LARGE)


def measure(label: str, role: str, settings: dict[str, Any], xla: bool | None) -> dict[str, Any]:
    """Train once; the wall time of ``run.train`` and the terms of the estimate."""
    from rnn_core.run import prepare, train

    config, t = terms_of(settings, xla)
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
           "estimate_module": float(np.dot(cost.coefficients(), t.row()))}
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
    parser.add_argument("--add", action="store_true",
                        help="with --load: time the configurations the file does not have yet")
    parser.add_argument("--quick", action="store_true", help="skip the large configurations")
    args = parser.parse_args()
    specs = all_specs(args.quick)
    rows: list[dict[str, Any]] = []
    if args.load:
        with open(args.load) as handle:
            rows = json.load(handle)["rows"]
        by_label = {spec[0]: spec for spec in specs}
        for r in rows:  # the terms or the constants may have changed since: compute again
            _, t = terms_of(by_label[r["label"]][2], by_label[r["label"]][3])
            r["row"] = t.row()
            r["estimate_module"] = float(np.dot(cost.coefficients(), r["row"]))
    missing = [spec for spec in specs if spec[0] not in {r["label"] for r in rows}]
    if missing and (args.add or not args.load):
        from rnn_core.run import train

        print(f"python {platform.python_version()}, {os.cpu_count()} cores, load "
              f"{os.getloadavg()[0]:.1f}; warm-up...", file=sys.stderr, flush=True)
        train(preset("t1-structure"))  # imports TensorFlow and starts its runtime, untimed
        started = time.perf_counter()
        rows += [measure(*spec) for spec in missing]
        order = [spec[0] for spec in specs]
        rows.sort(key=lambda r: order.index(r["label"]))
        print(f"measured in {time.perf_counter() - started:.0f} s, load "
              f"{os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
        if args.save:
            with open(args.save, "w") as handle:
                json.dump({"rows": rows, "load": os.getloadavg()}, handle, indent=1)
    report(rows, fit(rows))


if __name__ == "__main__":
    main()
