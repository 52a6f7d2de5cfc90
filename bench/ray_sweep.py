"""A 25-run sweep on the local pool and on a Ray cluster with the same CPUs (issue 19).

The Compare page's sweep (``sweep.grid``: 5 hidden units × 5 time steps of a preset) queued at
once on ``jobs.Runner`` with 2 worker processes (the server's default backend), then on
``ray_jobs.ray_runner`` with 2 Ray actors on a local Ray cluster of 2 CPUs started here
(``ray.init(num_cpus=2)``). Both are warmed first (each slot's TensorFlow imported, one tiny
training each), and that start is timed apart from the sweep; no worker is replaced during the
bench (``RNN_EXPLORER_RECYCLE_AFTER=1000``).

Both backends are up at once (the idle one's workers only wait). Ray's overhead per training:
the same tiny training (1 epoch) end to end through the queue, alone, on each backend in turn
(pairs, so both see the same load), the median of Ray's time minus the local pool's — what Ray
adds to each training (scheduling, serialisation, polling the epochs). Then the sweep on each:
its wall time, the sum of its runs' times (started → finished: what one slot would take
serially), the speed-up (sum / wall). The projection for N machines of 2 CPUs: the Ray runs'
measured times queued in order on 2 N slots (``makespan``).

    PYTHONPATH=. .venv/bin/python bench/ray_sweep.py [--preset sunspots] [--epochs 10]
        [--tiny 10] [--machines 1,2,4,8,13]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RNN_EXPLORER_WORKER_NICE", "0")  # the bench waits for the trainings
# no worker (process or actor) replaced during the bench: both backends do it every 10
# trainings by default, which would add TensorFlow imports to the times measured
os.environ.setdefault("RNN_EXPLORER_RECYCLE_AFTER", "1000")

from rnn_core import jobs, sweep  # noqa: E402
from rnn_core.presets import preset  # noqa: E402

UNITS = [4, 8, 16, 24, 32]
TIME_STEPS = [6, 12, 18, 24, 36]
CPUS = 2


def follow(queued: list[jobs.TrainingJob], poll: float = 0.01) -> dict[int, tuple[float, float]]:
    """Wait for every job; {id: (started, finished)} on ``time.monotonic`` as seen polling."""
    seen: dict[int, list[float]] = {job.id: [math.nan, math.nan] for job in queued}
    while any(math.isnan(seen[job.id][1]) for job in queued):
        now = time.monotonic()
        for job in queued:
            times = seen[job.id]
            if math.isnan(times[0]) and job.status != jobs.QUEUED:
                times[0] = now
            if math.isnan(times[1]) and job.finished:
                times[1] = now
                times[0] = min(times[0], now)
        time.sleep(poll)
    bad = [job.error for job in queued if job.status not in (jobs.DONE, jobs.STOPPED)]
    if bad:
        raise SystemExit(f"a training failed: {bad[0]}")
    return {k: (v[0], v[1]) for k, v in seen.items()}


def warm(runner: jobs.Runner, tiny) -> float:
    """Seconds until every slot has trained once (TensorFlow imported in each)."""
    start = time.monotonic()
    follow([runner.submit(tiny) for _ in range(CPUS)])
    return time.monotonic() - start


def one_at_a_time(runner: jobs.Runner, tiny, repeats: int) -> list[float]:
    """End-to-end seconds of a tiny training through the queue, alone."""
    out = []
    for _ in range(repeats):
        job = runner.submit(tiny)
        start = time.monotonic()
        follow([job], poll=0.002)
        out.append(time.monotonic() - start)
    return out


def sweep_on(runner: jobs.Runner, configs) -> dict:
    start = time.monotonic()
    queued = [runner.submit(c) for c in configs]
    times = follow(queued)
    wall = time.monotonic() - start
    runs = [times[job.id][1] - times[job.id][0] for job in queued]
    fits = [job.run.history.fit_seconds for job in queued]
    return {"wall": wall, "runs": runs, "serial_sum": sum(runs), "mean_run": statistics.mean(runs),
            "fit_sum": sum(fits), "speedup": sum(runs) / wall,
            "rmse": [round(job.run.metrics["test_rmse_original"], 4) for job in queued]}


def makespan(runs: list[float], slots: int) -> float:
    """Wall time of ``runs`` (seconds, in queue order) on ``slots``, each run taken by the
    first slot to be free, as ``jobs.Runner`` does.

    >>> makespan([3, 1, 1, 1], 2)
    3.0
    """
    free = [0.0] * slots
    for seconds in runs:
        i = free.index(min(free))
        free[i] += seconds
    return max(free)


def close(runner: jobs.Runner) -> None:
    for slot in runner._processes:
        slot.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="sunspots")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--tiny", type=int, default=10, help="repeats of the 1-epoch training")
    parser.add_argument("--machines", default="1,2,4,8,13")
    args = parser.parse_args(argv)
    base = preset(args.preset).replace(epochs=args.epochs)
    configs = sweep.grid(base, UNITS, TIME_STEPS)
    tiny = base.replace(epochs=1, units=4, time_steps=6)
    print(f"{len(configs)} runs of {args.preset}, {args.epochs} epochs, on {CPUS} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)

    def ray_runner():
        import ray

        from rnn_core import ray_jobs

        ray.init(address="local", num_cpus=CPUS, include_dashboard=False, object_store_memory=100 * 1024 ** 2,
                 log_to_driver=False, logging_level="ERROR")
        return ray_jobs.ray_runner("local", workers=CPUS)

    runners, started = {}, {}
    for name, make in (("local pool", lambda: jobs.Runner(workers=CPUS, in_process=False)),
                       ("ray", ray_runner)):
        start = time.monotonic()
        runners[name] = make()
        warm(runners[name], tiny)
        started[name] = time.monotonic() - start
    # the overhead: the same tiny training, alone, on each backend in turn (pairs under the
    # same load), while the other backend's workers sit idle
    alone: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(args.tiny):
        for name, runner in runners.items():
            alone[name] += one_at_a_time(runner, tiny, 1)
    results = {}
    for name, runner in runners.items():
        results[name] = sweep_on(runner, configs)
        results[name].update(backend=name, start=started[name], load=round(os.getloadavg()[0], 1),
                             tiny_median=statistics.median(alone[name]), tiny_min=min(alone[name]))
        print(json.dumps({k: v for k, v in results[name].items() if k not in ("rmse", "runs")}),
              flush=True)
    local, on_ray = results["local pool"], results["ray"]
    pairs = [r - lo for r, lo in zip(alone["ray"], alone["local pool"])]
    if local["rmse"] != on_ray["rmse"]:
        print("note: the two backends' test RMSEs differ:", local["rmse"], on_ray["rmse"])
    print(f"\nRay's overhead per training: {statistics.median(pairs) * 1000:+.0f} ms, the "
          f"median of {args.tiny} pairs of the same 1-epoch training (Ray minus the local pool; "
          f"medians {on_ray['tiny_median']:.2f} s vs {local['tiny_median']:.2f} s, best "
          f"{on_ray['tiny_min']:.2f} s vs {local['tiny_min']:.2f} s)")
    for r in (local, on_ray):
        print(f"{r['backend']:<10} sweep {r['wall']:6.1f} s  runs' sum {r['serial_sum']:6.1f} s  "
              f"speed-up {r['speedup']:.2f}x  start {r['start']:.1f} s")
    print("\nprojected (Ray, machines of 2 CPUs like this one, one training per CPU; the "
          "runs' measured times queued in order on the first free slot):")
    for n in (int(x) for x in args.machines.split(",")):
        print(f"  {n:>2} machine{'s' if n > 1 else ' '}: {makespan(on_ray['runs'], CPUS * n):6.1f} s")
    sys.stdout.flush()
    for runner in runners.values():
        close(runner)


if __name__ == "__main__":
    main()
