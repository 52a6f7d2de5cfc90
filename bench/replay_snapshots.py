"""What keeping the weights after every epoch (``rnn_core.replay``) costs: memory and time.

For each preset: the kept epochs and their bytes (``Snapshots.nbytes``, float32 in memory; the
npz the store writes for them, compressed), and the training time per epoch with the snapshots
taken (``run.train``'s ``Recorder.take`` as ``fit``'s ``on_weights``) and without
(``on_weights=None``), the two alternating, the same seed and windows, medians over
``--repeats``; the ratio is with / without (of the medians, and of the best times, which a
shared machine's load disturbs less). The time spent inside ``take`` itself is timed
too, and, for scale, one ``model.get_weights()`` (the copy ``fit`` takes every epoch anyway, to
put the last good weights back after a divergence, which is why keeping it costs nothing more).

    PYTHONPATH=. .venv/bin/python bench/replay_snapshots.py [--presets sunspots,t2-sine]
        [--repeats 3] [--epochs N]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from rnn_core import model as model_mod, replay, training  # noqa: E402
from rnn_core.presets import preset  # noqa: E402
from rnn_core.run import prepare  # noqa: E402


def one_fit(config, prepared, snapshots: bool) -> tuple[float, float, replay.Snapshots | None]:
    """(fit seconds per epoch, seconds inside Recorder.take per epoch, the snapshots)."""
    w = prepared.windows
    model = model_mod.build(config, w.steps, w.n_features,
                            training.steps_per_execution(w.n_train, config.batch_size))
    recorder = replay.Recorder(config.epochs)
    spent = [0.0]

    def take(epoch, weights):
        started = time.perf_counter()
        recorder.take(epoch, weights)
        spent[0] += time.perf_counter() - started

    history = training.fit(model, w, config, on_weights=take if snapshots else None)
    epochs = max(1, history.epochs_run)
    snaps = recorder.finish(history.epochs_run) if snapshots else None
    return history.fit_seconds / epochs, spent[0] / epochs, snaps


def npz_bytes(snaps: replay.Snapshots) -> int:
    from rnn_core.store import _snapshot_arrays

    buffer = io.BytesIO()
    np.savez_compressed(buffer, **_snapshot_arrays(snaps))
    return len(buffer.getvalue())


def get_weights_seconds(config, prepared, repeats: int = 50) -> float:
    w = prepared.windows
    model = model_mod.build(config, w.steps, w.n_features)
    started = time.perf_counter()
    for _ in range(repeats):
        model.get_weights()
    return (time.perf_counter() - started) / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default="t1-sunspots,t2-sine,sunspots")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=None, help="instead of each preset's")
    args = parser.parse_args()
    print(f"MAX_SNAPSHOT_BYTES = {replay.MAX_SNAPSHOT_BYTES:,} bytes")
    print("| preset | epochs | params | kept | snapshot MB (memory) | npz MB (store) | "
          "s/epoch without | s/epoch with | ratio | ratio of the best | take() µs/epoch | "
          "get_weights µs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.presets.split(","):
        config = preset(name)
        if args.epochs:
            config = config.replace(epochs=args.epochs)
        prepared = prepare(config)
        one_fit(config, prepared, True)  # warm-up: first traces, caches
        without, with_, took, snaps = [], [], [], None
        for r in range(args.repeats):
            for side in ((False, True) if r % 2 == 0 else (True, False)):
                per_epoch, in_take, kept = one_fit(config, prepared, side)
                (with_ if side else without).append(per_epoch)
                if side:
                    took.append(in_take)
                    snaps = kept
        params = sum(int(np.asarray(a).size) for a in snaps.weights[0]) if snaps.weights else 0
        a, b = statistics.median(without), statistics.median(with_)
        print(f"| {name} | {snaps.epochs_run} | {params:,} | {len(snaps.epochs)} | "
              f"{snaps.nbytes / 2**20:.3f} | {npz_bytes(snaps) / 2**20:.3f} | {a:.4f} | {b:.4f} | "
              f"{b / a:.3f} | {min(with_) / min(without):.3f} | "
              f"{statistics.median(took) * 1e6:.1f} | "
              f"{get_weights_seconds(config, prepared) * 1e6:.0f} |", flush=True)


if __name__ == "__main__":
    main()
