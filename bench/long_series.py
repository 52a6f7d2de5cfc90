"""A long series: one epoch of a 32-unit LSTM on 20,000 points with windows of 60.

Times one epoch through ``rnn_core.run.train`` against plain ``model.fit`` of the same model
on the same windows, and the cost of drawing the series chart (downsampled to at most
``figures.MAX_DRAWN_POINTS`` points per trace; the data used for training is never thinned).

    .venv/bin/python bench/long_series.py [--length 20000] [--repeats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ONE = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from rnn_core.config import RunConfig
from rnn_core.run import prepare, train
config = RunConfig(dataset="sine", sine_length={length}, time_steps=60, cell="lstm", units=32,
                   epochs=1, batch_size=32)
if {plain}:
    import keras, tensorflow as tf
    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    w = prepare(config).windows
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((60, 1)), keras.layers.LSTM(32), keras.layers.Dense(1)])
    m.compile("adam", "mse")
    t = time.perf_counter()
    m.fit(w.x_train, w.y_train, epochs=1, batch_size=32, verbose=0, validation_data=(w.x_test, w.y_test))
    print(json.dumps({{"fit": time.perf_counter() - t, "windows": w.n_train}}))
else:
    run = train(config)
    print(json.dumps({{"fit": run.history.fit_seconds, "windows": run.windows.n_train}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    times = {"rnn_core": [], "plain Keras": []}
    windows = 0
    for _ in range(args.repeats):
        for name, plain in (("rnn_core", False), ("plain Keras", True)):
            out = subprocess.run([sys.executable, "-c", ONE.format(root=str(ROOT), length=args.length,
                                                                   plain=plain)],
                                 capture_output=True, text=True, env=dict(os.environ, RNN_EXPLORER_TF_THREADS="1"))
            result = json.loads(out.stdout.strip().splitlines()[-1])
            times[name].append(result["fit"])
            windows = result["windows"]
    from rnn_core import figures
    from rnn_core.data import sine

    series = sine(args.length, 0.02, 2.0, 0)
    started = time.perf_counter()
    fig = figures.series_figure(series.values, series.index, int(args.length * 0.8), "x")
    draw = time.perf_counter() - started
    drawn = sum(len(t.x) for t in fig.data)
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"| {args.length:,} points, T=60, LSTM(32), batch 32, {windows:,} windows | one epoch incl. "
          f"test loss (s, median of {args.repeats}) |")
    print("|---|---:|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} |")
    print(f"\nseries chart: {drawn:,} of {args.length:,} points drawn, built in {draw * 1000:.0f} ms")


if __name__ == "__main__":
    main()
