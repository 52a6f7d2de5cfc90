"""Training through rnn_core against a plain Keras script of the same configuration.

For each preset, two sides train the same network on the same windows with the same seed:

* rnn_core: ``rnn_core.run.train(preset(NAME), on_epoch=...)``, what the app does: prepare the
  windows, build, train with the per-epoch validation loss on the test windows and a live-view
  callback, predict both parts, score.
* plain Keras, written the way a tutorial reader would: ``keras.utils.set_random_seed(seed)``, a
  ``Sequential`` of the same layers, ``compile(optimizer, "mse")``, ``fit(x, y, epochs,
  batch_size, verbose=0)`` with every other knob at its default, then ``predict(x_test)``.

Every measurement runs in a fresh interpreter (so each side pays its own first trace, and no
side inherits the other's warm caches); the order of the two sides alternates between
repetitions; medians are reported. Inside the interpreter, TensorFlow is imported, the thread
caps set (intra- and inter-op threads = ``--threads`` on both sides: rnn_core through
``RNN_EXPLORER_TF_THREADS``, plain Keras through ``tf.config.threading``) and the data loaded
once before any clock starts. Times:

* fit: the training call alone (``Run.history.fit_seconds``; the wall time of ``model.fit``);
* total: everything after imports and data loading: rnn_core's whole ``run.train`` (windows,
  build, fit, both predictions, metrics), plain Keras' build + compile + fit + predict.

Test RMSE is in scaled units on the test windows; the same seed must give the same RMSE on
both sides within 1e-3 (checked, and the exit status is 1 if not).

    PYTHONPATH=. .venv/bin/python bench/train_vs_keras.py [--presets t1-sunspots,t2-sine,sunspots]
        [--repeats 5] [--threads 1] [--quick] [--markdown] [--ladder]

``--ladder`` adds the steps between the two (which knob gives what): the previous rnn_core
training (``model.fit`` with all batches of an epoch per compiled call, unrolled short
sequences, validation and callback), the same with ``jit_compile=True``, and rnn_core's own
loop with XLA forced off and on.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRESETS = ("t1-sunspots", "t2-sine", "sunspots")
RMSE_TOLERANCE = 1e-3
QUICK_EPOCHS = 2

# side name -> what the table calls it
SIDES = {
    "plain": "plain Keras",
    "core": "rnn_core",
    "keras-spe": "model.fit, steps_per_execution=epoch, unroll (previous rnn_core)",
    "keras-spe-jit": "same + jit_compile=True",
    "core-noxla": "rnn_core loop, XLA off",
    "core-xla": "rnn_core loop, XLA on",
}
LADDER = ("keras-spe", "keras-spe-jit", "core-noxla", "core-xla")


# --------------------------------------------------------------------------- child side


def _config(name: str, epochs: int | None):
    from rnn_core.presets import preset

    cfg = preset(name)
    return cfg.replace(epochs=epochs) if epochs else cfg


def _plain_keras(cfg, w, threads: int) -> dict:
    """The tutorial reader's script, configured like ``cfg``; TF imported, threads capped."""
    import numpy as np
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(threads)
    import keras

    from rnn_core.metrics import rmse

    rnn = {"simplernn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
           "gru": keras.layers.GRU}[cfg.cell]
    optimizer = {"adam": keras.optimizers.Adam, "rmsprop": keras.optimizers.RMSprop,
                 "sgd": keras.optimizers.SGD}[cfg.optimizer]
    started = time.perf_counter()
    keras.utils.set_random_seed(cfg.seed)
    layers = [keras.Input(shape=(w.steps, w.n_features))]
    for i in range(cfg.layers):
        layers.append(rnn(cfg.units, activation=cfg.activation,
                          return_sequences=i < cfg.layers - 1))
    if cfg.dense_units:
        layers.append(keras.layers.Dense(cfg.dense_units, activation=cfg.dense_activation))
    layers.append(keras.layers.Dense(1, activation=cfg.output_activation))
    model = keras.Sequential(layers)
    model.compile(optimizer=optimizer(learning_rate=cfg.learning_rate), loss="mse")
    fit_started = time.perf_counter()
    model.fit(w.x_train, w.y_train, epochs=cfg.epochs, batch_size=cfg.batch_size, verbose=0)
    fit = time.perf_counter() - fit_started
    pred = model.predict(w.x_test, verbose=0)[:, 0]
    total = time.perf_counter() - started
    return {"fit": fit, "total": total, "rmse": rmse(w.y_test, np.asarray(pred, dtype=np.float64))}


def _keras_fit_spe(cfg, w, jit: bool) -> dict:
    """The previous rnn_core training: ``model.fit`` on the model ``build`` makes (unrolled
    short sequences, all batches of an epoch per compiled call), with the validation data and a
    per-epoch callback, optionally with ``jit_compile=True``."""
    import keras
    import numpy as np

    from rnn_core import model as model_mod, training
    from rnn_core.metrics import rmse

    started = time.perf_counter()
    spe = training.steps_per_execution(w.n_train, cfg.batch_size)
    model = model_mod.build(cfg, w.steps, w.n_features, spe)
    if jit:
        model.compile(optimizer=model.optimizer, loss="mse", steps_per_execution=spe,
                      jit_compile=True)
    events = []

    class Live(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            events.append((epoch, dict(logs or {}), self.model.get_weights()))

    fit_started = time.perf_counter()
    model.fit(w.x_train.astype("float32"), w.y_train.astype("float32"), epochs=cfg.epochs,
              batch_size=cfg.batch_size, shuffle=True, verbose=0,
              validation_data=(w.x_test.astype("float32"), w.y_test.astype("float32")),
              validation_batch_size=training.VALIDATION_BATCH, callbacks=[Live()])
    fit = time.perf_counter() - fit_started
    model.predict_on_batch(w.x_train.astype("float32"))
    pred = model.predict_on_batch(w.x_test.astype("float32"))[:, 0]
    total = time.perf_counter() - started
    return {"fit": fit, "total": total, "rmse": rmse(w.y_test, np.asarray(pred, dtype=np.float64))}


def _rnn_core(cfg) -> dict:
    from rnn_core import run as run_mod

    events = []
    started = time.perf_counter()
    run = run_mod.train(cfg, on_epoch=events.append)  # the live view's callback
    total = time.perf_counter() - started
    assert len(events) == cfg.epochs and not run.history.diverged
    return {"fit": run.history.fit_seconds, "total": total, "rmse": run.metrics["test_rmse"]}


def child(side: str, name: str, epochs: int | None, threads: int) -> None:
    """One measurement; prints one JSON line."""
    os.environ["RNN_EXPLORER_TF_THREADS"] = str(threads)
    if side == "core-noxla":
        os.environ["RNN_EXPLORER_XLA"] = "0"
    elif side == "core-xla":
        os.environ["RNN_EXPLORER_XLA"] = "1"
    sys.path.insert(0, str(ROOT))
    from rnn_core.run import prepare

    cfg = _config(name, epochs)
    w = prepare(cfg).windows  # loads the data once, before any clock, for both sides
    if side == "plain":
        result = _plain_keras(cfg, w, threads)
    else:
        from rnn_core.model import keras_module

        keras_module()  # imports TensorFlow with the thread caps (rnn_core's own way)
        if side in ("keras-spe", "keras-spe-jit"):
            result = _keras_fit_spe(cfg, w, jit=side == "keras-spe-jit")
        else:
            result = _rnn_core(cfg)
    print(json.dumps(result))


# --------------------------------------------------------------------------- parent side


def measure(side: str, name: str, epochs: int | None, threads: int) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.pop("RNN_EXPLORER_XLA", None)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", side, name,
           "--threads", str(threads)] + (["--epochs", str(epochs)] if epochs else [])
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        sys.stderr.write(proc.stderr[-3000:])
        raise SystemExit(f"measurement {side} {name} failed (exit {proc.returncode})")
    return json.loads(lines[-1])


def _version(*dists: str) -> str:
    from importlib.metadata import PackageNotFoundError, version  # no TF import here

    for dist in dists:
        try:
            return version(dist)
        except PackageNotFoundError:
            pass
    return "?"


def machine(threads: int) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"TensorFlow {_version('tensorflow', 'tensorflow-cpu')}, Keras {_version('keras')}, "
            f"TF threads intra = inter = {threads} on both sides")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default=",".join(PRESETS),
                        help="comma-separated preset names (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=5,
                        help="measurements per side and preset; medians are reported")
    parser.add_argument("--threads", type=int,
                        default=int(os.environ.get("RNN_EXPLORER_TF_THREADS", "1")),
                        help="TF intra- and inter-op threads on both sides (default: "
                             "$RNN_EXPLORER_TF_THREADS or 1)")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: 1 repeat, {QUICK_EPOCHS} epochs (times not comparable)")
    parser.add_argument("--markdown", action="store_true", help="print the tables as markdown")
    parser.add_argument("--ladder", action="store_true",
                        help="also measure the steps between plain Keras and rnn_core")
    parser.add_argument("--child", nargs=2, metavar=("SIDE", "PRESET"), help=argparse.SUPPRESS)
    parser.add_argument("--epochs", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.epochs, args.threads)
        return 0

    names = [n.strip() for n in args.presets.split(",") if n.strip()]
    sys.path.insert(0, str(ROOT))
    from rnn_core.presets import PRESETS as KNOWN

    unknown = [n for n in names if n not in KNOWN]
    if unknown:
        parser.error(f"unknown preset(s) {', '.join(unknown)}: use {', '.join(KNOWN)}")
    repeats = 1 if args.quick else max(1, args.repeats)
    epochs = QUICK_EPOCHS if args.quick else None
    sides = ["plain", "core"] + (list(LADDER) if args.ladder else [])

    command = "PYTHONPATH=. " + " ".join(shlex.quote(a) for a in
                                         [os.path.relpath(sys.executable, ROOT)
                                          if sys.executable.startswith(str(ROOT)) else sys.executable,
                                          os.path.relpath(__file__, ROOT), *sys.argv[1:]])
    print(f"command: {command}")
    print(f"machine: {machine(args.threads)}")
    print(f"load average (1, 5, 15 min) before: {load_average()}")
    print(f"each measurement in a fresh interpreter; {repeats} repeat(s), order of sides rotated "
          f"every repeat; medians" + (f"; QUICK: epochs capped at {QUICK_EPOCHS}, times not "
                                      "comparable" if args.quick else ""))
    sys.stdout.flush()

    results: dict[str, dict[str, list[dict]]] = {n: {s: [] for s in sides} for n in names}
    for r in range(repeats):
        for name in names:
            order = sides[r % len(sides):] + sides[:r % len(sides)]  # rotated every repeat
            for side in order:
                m = measure(side, name, epochs, args.threads)
                results[name][side].append(m)
                print(f"  repeat {r + 1}/{repeats} {name:12s} {side:14s} fit {m['fit']:7.3f} s  "
                      f"total {m['total']:7.3f} s  test RMSE {m['rmse']:.6f}", flush=True)
    print(f"load average (1, 5, 15 min) after: {load_average()}\n")

    ok = True
    rows = []
    for name in names:
        med = {s: {k: statistics.median(m[k] for m in results[name][s]) for k in ("fit", "total")}
               for s in sides}
        rmse = {s: results[name][s][0]["rmse"] for s in sides}
        spread = max(abs(m["rmse"] - rmse[s]) for s in sides for m in results[name][s])
        diff = abs(rmse["core"] - rmse["plain"])
        ok &= diff <= RMSE_TOLERANCE
        rows.append((name, med, rmse, diff, spread))

    md = args.markdown
    title = "Training: rnn_core vs plain Keras (medians, seconds)"
    print(f"### {title}\n" if md else f"{title}\n")
    head = ["preset", "plain fit", "rnn_core fit", "fit ratio", "plain total", "rnn_core total",
            "total ratio", "plain RMSE", "rnn_core RMSE", "RMSE diff"]
    body = [[name, f"{med['plain']['fit']:.2f}", f"{med['core']['fit']:.2f}",
             f"{med['plain']['fit'] / med['core']['fit']:.1f}×",
             f"{med['plain']['total']:.2f}", f"{med['core']['total']:.2f}",
             f"{med['plain']['total'] / med['core']['total']:.1f}×",
             f"{rmse['plain']:.6f}", f"{rmse['core']:.6f}", f"{diff:.1e}"]
            for name, med, rmse, diff, _ in rows]
    _table(head, body, md)
    print(f"\nratio = plain / rnn_core (higher is faster). RMSE diff = |RMSE plain − RMSE rnn_core|, "
          f"tolerance {RMSE_TOLERANCE:g}: {'all within' if ok else 'EXCEEDED'}. Largest RMSE "
          f"spread between repeats of one side: {max(r[4] for r in rows):.1e}.")
    if args.ladder:
        print(f"\n### Which knob gives what (fit seconds, medians)\n" if md
              else "\nWhich knob gives what (fit seconds, medians)\n")
        head = ["step"] + [f"{n}" for n in names]
        body = []
        for s in ["plain", *LADDER]:
            cells = []
            for name, med, rmse, _, _ in rows:
                cells.append(f"{med[s]['fit']:.2f} ({med['plain']['fit'] / med[s]['fit']:.1f}×, "
                             f"RMSE {rmse[s]:.6f})")
            body.append([SIDES[s], *cells])
        body.append(["rnn_core as shipped (XLA when it pays)",
                     *[f"{med['core']['fit']:.2f} ({med['plain']['fit'] / med['core']['fit']:.1f}×)"
                       for _, med, _, _, _ in rows]])
        _table(head, body, md)
    return 0 if ok else 1


def _table(head: list[str], body: list[list[str]], md: bool) -> None:
    if md:
        print("| " + " | ".join(head) + " |")
        print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(head))) + "|")
        for row in body:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(head, *body)]
    for row in [head, *body]:
        print("  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                        for i, (x, w) in enumerate(zip(row, widths))))


if __name__ == "__main__":
    sys.exit(main())
