"""The baselines' ARIMA and SARIMA fits with OpenBLAS' default threads vs one (``rnn_core.blas``).

Air passengers' baselines (``baselines.compute``: ARIMA(2,1,2) one step ahead and SARIMA with a
season of 12), as the Results page computes them after a training, timed in a fresh process per
setting, next to ``--busy`` busy-looping processes (the other sessions of a server, the other
xdist worker of the test suite; 0 = an idle machine). Medians of ``--reps`` runs; CPU seconds
include the time OpenBLAS' threads spend spinning while they wait for work.

    .venv/bin/python bench/blas_threads.py [--reps 3] [--busy 0 1 2] [--tensorflow]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import json, resource, time
if TF:
    import tensorflow  # the test processes have it; the web server avoids it
from rnn_core import baselines, blas, run
from rnn_core.config import RunConfig
import contextlib
if ONE:
    blas.limit_process()
else:  # what the fits did before rnn_core/blas.py: OpenBLAS' own thread count
    blas.one_thread = contextlib.nullcontext
prepared = run.prepare(RunConfig(dataset="airpassengers"))
t, c = time.perf_counter(), resource.getrusage(resource.RUSAGE_SELF)
baselines.compute(prepared, which=("arima", "sarima"), season=12)
c2 = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([time.perf_counter() - t, c2.ru_utime + c2.ru_stime - c.ru_utime - c.ru_stime,
                  blas.thread_counts()]))
"""


def _spin() -> None:
    while True:
        pass


def _one(one_thread: bool, tf: bool) -> tuple[float, float, list[int]]:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    child = CHILD.replace("ONE", str(one_thread)).replace("TF", str(tf))
    out = subprocess.run([sys.executable, "-c", child],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return tuple(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--busy", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--tensorflow", action="store_true",
                        help="import TensorFlow first, as the test processes have it")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average before: {os.getloadavg()[0]:.1f}; "
          f"TensorFlow imported: {args.tensorflow}")
    print("| busy processes | BLAS threads | wall s | CPU s |\n|---:|---|---:|---:|")
    for busy in args.busy:
        spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(busy)]
        for p in spinners:
            p.start()
        try:
            for one in (False, True):
                runs = [_one(one, args.tensorflow) for _ in range(args.reps)]
                threads = sorted(set(runs[0][2]))
                print(f"| {busy} | {'one' if one else 'default'} {threads} | "
                      f"{statistics.median(r[0] for r in runs):.2f} | "
                      f"{statistics.median(r[1] for r in runs):.2f} |", flush=True)
        finally:
            for p in spinners:
                p.terminate()


if __name__ == "__main__":
    main()
