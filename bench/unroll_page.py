"""Server time of one step change on the Inside-the-network page (T = 60, 64 units).

Opens the page through Streamlit's AppTest (the real page code, in-process, no browser) with
an untrained network of 60 time steps × 64 units and presses Next repeatedly, timing each
rerun. AppTest reruns the whole page where the browser reruns only the step fragment, so these
figures are an upper bound of what a step change costs the server. It then times the step
fragment's own code alone (``ui.inside._body`` on a cached unroll, in an AppTest script of its
own), which is what a step change in the browser runs.

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


def _press_next(at, repeats: int) -> list[float]:
    """Seconds of each of ``repeats`` Next clicks (stepping back first at the last step)."""
    times = []
    for _ in range(repeats):
        if at.button(key="unroll_next").disabled:
            at.button(key="unroll_prev").click().run()
        started = time.perf_counter()
        at.button(key="unroll_next").click().run()
        times.append(time.perf_counter() - started)
        assert not at.exception
    return times


def measure(cell: str, repeats: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"cell": cell, "time_steps": "60", "units": "64"})
    at.run()
    at.switch_page("pages/unroll.py").run()
    assert not at.exception, at.exception
    return _press_next(at, repeats)


def _fragment_script() -> None:
    """The step fragment's work alone: the page's ``_body`` on a cached unroll, as Streamlit
    runs it when the browser reruns only the fragment."""
    import numpy as np
    import streamlit as st

    from rnn_core import model as model_mod
    from rnn_core.config import RunConfig
    from ui import inside

    if "bench_result" not in st.session_state:
        config = RunConfig(cell=st.session_state.bench_cell, time_steps=60, units=64)
        model = model_mod.build(config, 60, 1)
        window = np.random.default_rng(0).random((60, 1))
        st.session_state.bench_result = inside.unrolled(model, window)
    inside._body(st.session_state.bench_result, 0, "bench window", playing=False, after=None)


def measure_fragment(cell: str, repeats: int) -> list[float]:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_fragment_script, default_timeout=120)
    at.session_state["bench_cell"] = cell
    at.run()
    assert not at.exception, at.exception
    return _press_next(at, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print("| cell | whole page: median (ms) | p90 (ms) | step fragment: median (ms) | p90 (ms) |")
    print("|---|---:|---:|---:|---:|")
    for cell in ("simplernn", "lstm", "gru"):
        row = []
        for times in (sorted(measure(cell, args.repeats)), sorted(measure_fragment(cell, args.repeats))):
            p90 = times[int(0.9 * (len(times) - 1))]
            row += [f"{statistics.median(times) * 1000:.0f}", f"{p90 * 1000:.0f}"]
        print(f"| {cell} | " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
