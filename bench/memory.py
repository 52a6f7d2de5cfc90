"""Server memory over many consecutive trainings, through the same queue the app uses.

Submits N trainings one after another to ``rnn_core.jobs.Runner`` (worker processes, as in the
app), keeps every finished Run (as sessions would), and reports the resident memory of the
server process and of server + workers after the first training and after the last. The
plain-Keras way — building and fitting N models in one process — is measured alongside.

    .venv/bin/python bench/memory.py --trainings 50
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(ROOT / "bench"))

from streamlit_server import children, rss_mb  # noqa: E402


def total_mb() -> float:
    return rss_mb(os.getpid()) + sum(rss_mb(c) for c in children(os.getpid()))


def through_runner(n: int, config) -> tuple[float, float, float, float]:
    from rnn_core.jobs import Runner

    runner = Runner(workers=1)
    runs = []

    def one(seed: int):
        job = runner.submit(config.replace(seed=seed))
        while not job.finished:
            time.sleep(0.05)
        assert job.status == "done", job.error
        runs.append(job.run)

    one(0)
    gc.collect()
    first_main, first_total = rss_mb(os.getpid()), total_mb()
    for seed in range(1, n):
        one(seed)
    gc.collect()
    return first_main, rss_mb(os.getpid()), first_total, total_mb()


PLAIN = """
import gc, os, sys
sys.path.insert(0, {root!r})
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
from rnn_core.presets import preset
from rnn_core.run import prepare
import keras
config = preset({preset!r}).replace(epochs={epochs})
w = prepare(config).windows
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
def one(seed):
    keras.utils.set_random_seed(seed)
    m = keras.Sequential([keras.Input((w.steps, w.n_features)), keras.layers.SimpleRNN(config.units),
                          keras.layers.Dense(1)])
    m.compile("adam", "mse")
    m.fit(w.x_train, w.y_train, epochs=config.epochs, batch_size=config.batch_size, verbose=0)
one(0); gc.collect(); first = rss()
for s in range(1, {n}):
    one(s)
gc.collect(); print(first, rss())
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainings", type=int, default=50)
    parser.add_argument("--preset", default="t1-sunspots")
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    from rnn_core.presets import preset

    config = preset(args.preset).replace(epochs=args.epochs)
    f_main, l_main, f_total, l_total = through_runner(args.trainings, config)
    out = subprocess.run([sys.executable, "-c", PLAIN.format(root=str(ROOT), preset=args.preset,
                                                             epochs=args.epochs, n=args.trainings)],
                         capture_output=True, text=True)
    plain_first, plain_last = map(float, out.stdout.split()[-2:])
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"| {args.trainings} trainings of {args.preset}, {args.epochs} epoch(s) | after the first (MB) | "
          f"after the last (MB) | growth (MB) |")
    print("|---|---:|---:|---:|")
    print(f"| app server process (rnn_core.jobs, worker processes) | {f_main:.0f} | {l_main:.0f} | "
          f"{l_main - f_main:+.0f} |")
    print(f"| server + worker processes | {f_total:.0f} | {l_total:.0f} | {l_total - f_total:+.0f} |")
    print(f"| plain Keras, one process | {plain_first:.0f} | {plain_last:.0f} | "
          f"{plain_last - plain_first:+.0f} |")


if __name__ == "__main__":
    main()
