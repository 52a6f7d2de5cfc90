"""Server time of one step change on the Inside-the-network page (T = 60, 64 units).

Opens the page through Streamlit's AppTest (the real page code, in-process, no browser) with
an untrained network of 60 time steps × 64 units and presses Next repeatedly, timing each
rerun. AppTest reruns the whole page where the browser reruns only the step fragment, so these
figures are an upper bound of what a step change costs the server.

    .venv/bin/python bench/unroll_page.py [--repeats 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("RNN_EXPLORER_PRELOAD", "0")


def measure(cell: str, repeats: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"cell": cell, "time_steps": "60", "units": "64"})
    at.run()
    at.switch_page("pages/unroll.py").run()
    assert not at.exception, at.exception
    times = []
    for _ in range(repeats):
        if at.button(key="unroll_next").disabled:
            at.button(key="unroll_prev").click().run()
        started = time.perf_counter()
        at.button(key="unroll_next").click().run()
        times.append(time.perf_counter() - started)
        assert not at.exception
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print("| cell | median rerun (ms) | p90 (ms) |")
    print("|---|---:|---:|")
    for cell in ("simplernn", "lstm", "gru"):
        times = sorted(measure(cell, args.repeats))
        p90 = times[int(0.9 * (len(times) - 1))]
        print(f"| {cell} | {statistics.median(times) * 1000:.0f} | {p90 * 1000:.0f} |")


if __name__ == "__main__":
    main()
