"""Where the test suite's CPU goes: run pytest and add up CPU time by kind of process.

    .venv/bin/python bench/suite_cpu.py                      # the whole suite, as `make test`
    .venv/bin/python bench/suite_cpu.py tests/browser -n 0   # any pytest arguments

The suite is CPU-bound on 2 cores (the machine is ~95 % busy through a run), so its wall time
follows the CPU it burns, and this says whose CPU that is: Chromium (the browser tests' pages),
the browser tests' Streamlit servers and their training workers, the pytest processes (xdist
workers: the core and AppTest tests), CLI and script subprocesses. Every process's cumulative
CPU is read from ``ps`` once a second; a process that lives less than a second may be missed,
so the table's total is a little under the machine's, which is printed too (from /proc/stat).

The VMs here share their host, and the same work costs more CPU time while the neighbours are
busy: on 2026-12-03 whole-suite runs took 1,394-1,711 CPU-s between 07:00 and 08:30 and 911-924
at 10:30, with little changed in between. So the machine's speed is measured before and after
the suite (``SPEED_PROBE``: a fixed tiny training, median of ``SPEED_REPEATS``, in an interpreter
of its own, outside the counted window); compare two runs' CPU only with their speeds side by
side.
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEED_REPEATS = 5
# t2-sine on 200 points, 3 epochs, after a warm-up training (imports, tracing): 0.41-0.84 CPU-s
# on the 2-core VMs here, depending on the host's load
SPEED_PROBE = f"""
import statistics, time
from rnn_core.presets import preset
from rnn_core.run import train
config = preset("t2-sine").replace(sine_length=200, split=150, epochs=3)
train(config)
times = []
for _ in range({SPEED_REPEATS}):
    start = time.process_time()
    train(config)
    times.append(time.process_time() - start)
print(f"{{statistics.median(times):.2f}}")
"""


def machine_speed() -> str:
    """CPU-seconds of the fixed tiny training on this machine now (lower is faster)."""
    out = subprocess.run([sys.executable, "-c", SPEED_PROBE], cwd=ROOT, capture_output=True,
                         text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
                                         "RNN_EXPLORER_TF_THREADS": "1"})
    return out.stdout.strip() if out.returncode == 0 else "(probe failed)"


def kind(args: str) -> str:
    """The row a process is counted in, from its command line."""
    if "chromium" in args:
        return "Chromium (browser tests)"
    if "rnn_core.worker" in args:
        return "training workers (servers and tests)"
    if "streamlit" in args or args.endswith("app.py") or "app.py " in args:
        return "Streamlit servers (browser tests)"
    if "playwright" in args or re.search(r"\bnode\b", args):
        return "Playwright driver"
    if "pytest" in args or re.search(r"python\S*( -\w+)* -c\b", args):  # xdist: python -u -c
        return "pytest and its xdist workers, scripts"
    if "rnn_core" in args:
        return "CLI subprocesses"
    return "other (the kernel, processes older than the run)"


def cpu_by_process() -> dict[int, tuple[float, str]]:
    out = subprocess.run(["ps", "-eo", "pid=,times=,args="], capture_output=True, text=True).stdout
    procs = {}
    for line in out.splitlines():
        pid, seconds, args = line.split(None, 2)
        procs[int(pid)] = (float(seconds), args)
    return procs


def busy_jiffies() -> tuple[int, int]:
    with open("/proc/stat") as f:
        fields = [int(v) for v in f.readline().split()[1:9]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def main(argv: list[str]) -> int:
    speed_before = machine_speed()
    before = cpu_by_process()
    busy0, total0 = busy_jiffies()
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                             *argv], cwd=ROOT)
    seen: dict[int, tuple[float, str]] = {}
    while proc.poll() is None:
        for pid, (seconds, args) in cpu_by_process().items():
            seen[pid] = (max(seconds, seen.get(pid, (0.0, ""))[0]), args)
        time.sleep(1.0)
    wall = time.monotonic() - start
    busy1, total1 = busy_jiffies()
    rows: collections.Counter = collections.Counter()
    for pid, (seconds, args) in seen.items():
        already = before[pid][0] if pid in before and before[pid][1] == args else 0.0
        rows[kind(args)] += seconds - already
    ticks = 100  # USER_HZ
    machine = (busy1 - busy0) / ticks
    print(f"\nmachine speed (CPU-s of the fixed tiny training): {speed_before} before, "
          f"{machine_speed()} after")
    print(f"wall {wall:.0f} s; machine busy {100 * (busy1 - busy0) / (total1 - total0):.0f} %, "
          f"{machine:.0f} CPU-seconds")
    print("| process kind | CPU s | share |\n|---|---:|---:|")
    counted = sum(rows.values())
    for name, seconds in rows.most_common():
        if seconds >= 1:
            print(f"| {name} | {seconds:.0f} | {100 * seconds / counted:.0f} % |")
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
