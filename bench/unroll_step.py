"""Server-side cost of one "step change" on the unroll page, against plain Keras.

One step change = ``unroll(model, window)`` (every hidden state, gate and the prediction, in
numpy) plus ``step_equation`` for one step. The Keras way to get the same hidden states is a
sub-model with ``return_sequences=True`` called through ``predict``. Models: T=60, 64 units,
one layer, built by ``rnn_core.model.build``. Prints a markdown table of medians.

    PYTHONPATH=. .venv/bin/python bench/unroll_step.py [--reps 50]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from rnn_core.config import RunConfig  # noqa: E402
from rnn_core.model import build, keras_module  # noqa: E402
from rnn_core.equations import step_equation  # noqa: E402
from rnn_core.unroll import unroll  # noqa: E402

STEPS, UNITS = 60, 64


def median_ms(fn, reps: int) -> float:
    fn()  # warm-up (Keras traces its predict function on the first call)
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def keras_hidden_states(model):
    """A one-layer sub-model returning the recurrent layer's whole h sequence."""
    keras = keras_module()
    layer = model.layers[0]
    twin = type(layer).from_config(layer.get_config() | {"return_sequences": True})
    sub = keras.Sequential([keras.Input((STEPS, 1)), twin])
    twin.set_weights(layer.get_weights())
    return sub


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=50)
    reps = parser.parse_args().reps
    window = np.sin(np.linspace(0, 6, STEPS)).reshape(STEPS, 1)
    rows = []
    for cell in ("simplernn", "lstm", "gru"):
        model = build(RunConfig(cell=cell, units=UNITS, time_steps=STEPS), steps=STEPS, n_features=1)

        def step_change(model=model) -> None:
            result = unroll(model, window)
            step_equation(result.layers[0], STEPS // 2)

        sub = keras_hidden_states(model)
        h_keras = sub.predict(window[None], verbose=0)[0]
        np.testing.assert_allclose(unroll(model, window).layers[0].h, h_keras, rtol=1e-5, atol=1e-5)
        ours = median_ms(step_change, reps)
        theirs = median_ms(lambda sub=sub: sub.predict(window[None], verbose=0), reps)
        eager = median_ms(lambda sub=sub: sub(window[None].astype("float32")), reps)
        rows.append((cell, ours, theirs, eager))

    print(f"Step change, T={STEPS}, {UNITS} units, median of {reps} (ms)\n")
    print("| cell | unroll + step_equation | Keras sub-model predict | ratio | Keras sub-model call (eager) | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    for cell, ours, theirs, eager in rows:
        print(f"| {cell} | {ours:.2f} | {theirs:.2f} | {theirs / ours:.1f}× | {eager:.2f} | {eager / ours:.1f}× |")


if __name__ == "__main__":
    main()
