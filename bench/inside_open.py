"""Server time of opening Inside the network: the whole page's first run in a new session.

Runs the real page through Streamlit's AppTest (in-process, no browser) in a fresh session each
time, with an untrained network from a link's settings (the default: the ``sunspots`` preset
with each cell), after one untimed opening that imports TensorFlow and builds the model. With
``--against DIR`` (a checkout of another commit, e.g. ``git archive HEAD~3 | tar -x -C DIR``)
both trees are timed in turns, each in its own process, so the machine's load hits them alike.

    .venv/bin/python bench/inside_open.py [--repeats 8] [--rounds 3] [--against /tmp/base]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CELLS = ("simplernn", "lstm", "gru")


def _time_openings(root: Path, cell: str, repeats: int) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of ``repeats`` first openings of the page (each in a new AppTest
    session). The CPU time is the whole process' (every thread): on a machine shared with
    other work it varies far less than the wall time."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["RNN_EXPLORER_PRELOAD"] = "0"
    os.environ["RNN_EXPLORER_STORE"] = "off"
    sys.path.insert(0, str(root))
    os.chdir(root)
    from streamlit.testing.v1 import AppTest

    times = []
    for k in range(repeats + 1):  # the first imports TensorFlow: not timed
        at = AppTest.from_file(str(root / "app.py"), default_timeout=300)
        at.query_params.update({"preset": "sunspots", "cell": cell})
        at.run()
        started, cpu = time.perf_counter(), time.process_time()
        at.switch_page("pages/unroll.py").run()
        if k:
            times.append((time.perf_counter() - started, time.process_time() - cpu))
        assert not at.exception, at.exception
    return times


def _child(root: Path, cell: str, repeats: int) -> list[list[float]]:
    out = subprocess.run([sys.executable, __file__, "--child", str(root), "--cell", cell,
                          "--repeats", str(repeats)], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another tree to time in turns")
    parser.add_argument("--cell", default=None)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_time_openings(args.child, args.cell, args.repeats)))
        return
    trees = [("this tree", ROOT)] + ([("against", args.against)] if args.against else [])
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print("| cell | " + " | ".join(f"{name}: wall median (ms) | CPU median (ms)" for name, _ in trees)
          + (" | wall ratio | CPU ratio |" if args.against else " |"))
    print("|---|" + "---:|---:|" * len(trees) + ("---:|---:|" if args.against else ""))
    for cell in ([args.cell] if args.cell else CELLS):
        times: dict[str, list] = {name: [] for name, _ in trees}
        for _ in range(args.rounds):
            for name, root in trees:
                times[name] += _child(root, cell, args.repeats)
        cols, medians = [], []
        for name, _ in trees:
            wall, cpu = (statistics.median(t[j] for t in times[name]) for j in (0, 1))
            medians.append((wall, cpu))
            cols += [f"{wall * 1000:.0f}", f"{cpu * 1000:.0f}"]
        ratio = (f" | {medians[0][0] / medians[1][0]:.2f}× | {medians[0][1] / medians[1][1]:.2f}×"
                 if args.against else "")
        print(f"| {cell} | " + " | ".join(cols) + ratio + " |")

if __name__ == "__main__":
    main()
