"""``memory.gradients`` for one window (T = 60, 64 units) against TensorFlow's GradientTape.

For each cell, one layer as ``rnn_core.model.build`` makes it (then Dense(1)), untrained, one
window of 60 steps: the time of ``gradients(model, window)`` in numpy — ∂ŷ/∂x, ‖∂h_T/∂x_t‖,
‖∂h_T/∂h_t‖ for every t (and ‖∂c_T/∂c_t‖ for an LSTM) — on the Keras model and on the run's
numpy network (``forward.Network``, what the server holds), against TensorFlow computing the
same arrays: the cell run step by step under a GradientTape inside a ``tf.function`` (traced
once, not timed; ``tape.jacobian`` for ∂h_T/∂[x, h_1..h_T]), and against the least TensorFlow
can do, ∂ŷ/∂x alone (one ``tape.gradient`` through the model, eager). Every array of
TensorFlow's is checked against ours (1e-4 of its largest value) before timing. Medians.
One TensorFlow thread and one BLAS thread (``--threads``), as a server's worker runs.

    .venv/bin/python bench/memory_gradients.py [--reps 20] [--threads 1]
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


def _threads() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(args.threads)  # before numpy is imported
    os.environ["RNN_EXPLORER_TF_THREADS"] = str(args.threads)
    return args.reps


REPS = _threads()

import numpy as np  # noqa: E402

from rnn_core.config import RunConfig  # noqa: E402
from rnn_core.memory import gradients  # noqa: E402
from rnn_core.model import build, keras_module  # noqa: E402
from rnn_core.forward import Network  # noqa: E402

STEPS, UNITS = 60, 64


def medians_ms(fns: list, reps: int) -> list[float]:
    """Median wall time of each function, the functions taking turns (rep 1 of each, then
    rep 2 of each, …) so that a change in the shared machine's load hits them alike."""
    for fn in fns:
        fn()  # warm-up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(reps):
        for fn, spent in zip(fns, times):
            start = time.perf_counter()
            fn()
            spent.append(time.perf_counter() - start)
    return [1000 * statistics.median(spent) for spent in times]


def tape_function(model):
    """A tf.function giving ∂ŷ/∂x, ∂h_T/∂x, ∂h_T/∂h_t (all t) and ∂c_T/∂c_t (LSTM)."""
    import tensorflow as tf

    layer, head = model.layers[0], model.layers[1:]
    lstm = type(layer).__name__ == "LSTM"

    @tf.function
    def run(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            state = [tf.zeros((1, UNITS))] * (2 if lstm else 1)
            hs, cs = [], []
            for t in range(STEPS):
                h, state = layer.cell(x[:, t], state, training=False)
                state = list(state) if isinstance(state, (list, tuple)) else [state]
                hs.append(h)
                cs.append(state[-1])
            y = hs[-1]
            for dense in head:
                y = dense(y)
        d_output = tape.jacobian(y, x)
        d_state, *d_hh = tape.jacobian(hs[-1], [x] + hs)
        d_cc = tape.jacobian(cs[-1], cs) if lstm else []
        return d_output, d_state, d_hh, d_cc

    return run


def tape_norms(model, window):
    """TensorFlow's arrays, reduced to ours: d_output (1, T, 1) and the three profiles."""
    import tensorflow as tf

    x = tf.constant(window[None], tf.float32)
    run = tape_function(model)
    start = time.perf_counter()
    d_output, d_state, d_hh, d_cc = run(x)
    trace = time.perf_counter() - start
    spectral = (lambda js: np.array([np.linalg.norm(np.asarray(j)[0, :, 0, :], 2) for j in js]))
    ours = {
        "d_output": np.asarray(d_output)[0, :, 0],
        "d_state_norm": np.sqrt((np.asarray(d_state)[0] ** 2).sum(axis=(0, 1, 3)))[None],
        "d_state_state_norm": spectral(d_hh)[None],
    }
    if d_cc:
        ours["d_cell_cell_norm"] = spectral(d_cc)[None]
    return ours, (lambda: run(x)), trace


def check(g, ref: dict) -> float:
    """The largest difference relative to each array's largest value; fails above 1e-4."""
    layer = g.layers[0]
    worst = 0.0
    for name, expected in ref.items():
        got = g.d_output if name == "d_output" else getattr(layer, name)[None]
        err = float(np.max(np.abs(got - expected)) / np.max(np.abs(expected)))
        assert err < 1e-4, (name, err)
        worst = max(worst, err)
    return worst


def main() -> None:
    keras_module()  # TensorFlow, with the thread caps set first
    import tensorflow as tf

    window = np.sin(np.linspace(0, 6, STEPS)).reshape(STEPS, 1)
    rows = []
    for cell in ("simplernn", "lstm", "gru"):
        config = RunConfig(cell=cell, units=UNITS, time_steps=STEPS)
        model = build(config, steps=STEPS, n_features=1)
        network = Network(config, model.get_weights(), STEPS, 1)
        ref, tf_full, trace = tape_norms(model, window)
        worst = check(gradients(model, window), ref)
        x = tf.constant(window[None], tf.float32)

        def tf_d_output(model=model, x=x) -> None:
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = model(x, training=False)
            tape.gradient(y, x)

        ours_numpy, ours_keras, full, d_only = medians_ms(
            [lambda: gradients(network, window), lambda: gradients(model, window), tf_full,
             tf_d_output], REPS)
        rows.append((cell, ours_numpy, ours_keras, full, d_only, trace, worst))

    print(f"memory.gradients, T={STEPS}, {UNITS} units, one window, median of {REPS} (ms)\n")
    print("| cell | gradients, numpy network | gradients, Keras model | GradientTape, same arrays "
          "(tf.function) | its time ÷ ours | GradientTape, ∂ŷ/∂x only (eager) | its time ÷ ours "
          "| tf.function trace (s) | largest difference |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for cell, numpy_ms, keras_ms, full, d_only, trace, worst in rows:
        print(f"| {cell} | {numpy_ms:.1f} | {keras_ms:.1f} | {full:.1f} | {full / numpy_ms:.1f}× | "
              f"{d_only:.1f} | {d_only / numpy_ms:.1f}× | {trace:.1f} | {worst:.1e} |")


if __name__ == "__main__":
    main()
