"""TensorFlow's ∂ŷ/∂x of a run's first test windows (``training.input_gradients``, made at the
end of every training for the memory view's check), against ``GradientTape.batch_jacobian``,
which it used until 2026-12-03: time of each and the largest difference, per preset.

    PYTHONPATH=. .venv/bin/python bench/autodiff.py [preset ...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from rnn_core import model as model_mod, training  # noqa: E402
from rnn_core.presets import preset  # noqa: E402
from rnn_core.run import prepare  # noqa: E402

PRESETS = ("sunspots", "t1-sunspots", "race-recall")


def batch_jacobian(model, x: np.ndarray) -> np.ndarray:
    import tensorflow as tf

    xs = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = model(xs, training=False)
    return np.asarray(tape.batch_jacobian(y, xs), dtype=np.float64)


def main(names: list[str]) -> None:
    print("| preset | cell, T | batch_jacobian s | per-output gradient s | ratio | max diff |")
    print("|---|---|---:|---:|---:|---:|")
    for name in names or PRESETS:
        config = preset(name)
        w = prepare(config).windows
        model = model_mod.build(config, w.steps, w.n_features, 1)
        x = np.asarray(w.x_test[:training.AUTODIFF_WINDOWS], np.float32)
        start = time.perf_counter()
        old = batch_jacobian(model, x)
        t_old = time.perf_counter() - start
        start = time.perf_counter()
        new = training.input_gradients(model, x)
        t_new = time.perf_counter() - start
        print(f"| {name} | {config.cell}, {w.steps} | {t_old:.2f} | {t_new:.2f} | "
              f"{t_old / t_new:.0f}× | {np.abs(old - new).max():.1e} |")


if __name__ == "__main__":
    main(sys.argv[1:])
