"""Measure each pitfall's effect over seeds 0-2: on the recommended setup and on candidate setups.

    nice .venv/bin/python bench/pitfall_effects.py [OUT.jsonl] [--only=SETUP ...] [--table]

Each pitfall (rnn_core/pitfalls.py) trains a setup twice, the mistake and the fix, exactly as
the Pitfalls page does (``pitfalls.pair``). For every (pitfall, setup) below this trains both
with seeds 0, 1 and 2 and prints one line per pair; each line of OUT (default
bench/pitfall_effects.jsonl) is one pair: pitfall, setup, seed, the mistake's and the fix's
test RMSE in original units (for the horizon pitfall: the mean over steps 1-H of the
recursive and the direct forecasts, on the direct run's test windows) and their test window
counts. The table "Pitfall effects" in BENCHMARKS.md is these numbers (``--table`` prints it
from OUT); the setups the pitfalls default to (``Pitfall.demo``) were chosen from it.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rnn_core import forecast, pitfalls  # noqa: E402
from rnn_core.errors import RnnExplorerError  # noqa: E402
from rnn_core.presets import preset  # noqa: E402
from rnn_core.run import prepare, train  # noqa: E402

SEEDS = (0, 1, 2)
SUNSPOTS = preset("sunspots")
AIR_RAW = preset("airpassengers").replace(transform="none")
SETUPS = {
    "sunspots preset": SUNSPOTS,
    "airpassengers preset, raw values": AIR_RAW,
    "airpassengers preset": preset("airpassengers"),
    "airpassengers raw, SimpleRNN 8, 100 epochs": AIR_RAW.replace(
        cell="simplernn", units=8, epochs=100, learning_rate=0.01),
    "airpassengers raw, tanh output": AIR_RAW.replace(output_activation="tanh"),
    "airpassengers raw, SimpleRNN 3, tanh output": AIR_RAW.replace(
        cell="simplernn", units=3, output_activation="tanh"),
    "sunspots preset, tanh output": SUNSPOTS.replace(output_activation="tanh"),
}
MEASURE = [  # (pitfall, setup)
    ("scaler", "sunspots preset"),
    ("scaler", "airpassengers preset, raw values"),
    ("scaler", "airpassengers raw, SimpleRNN 8, 100 epochs"),
    ("windows", "sunspots preset"),
    ("layout", "sunspots preset"),
    ("layout", "airpassengers preset"),
    ("horizon", "sunspots preset"),
    ("transform", "airpassengers preset, raw values"),
    ("scaler", "airpassengers raw, tanh output"),
    ("scaler", "airpassengers raw, SimpleRNN 3, tanh output"),
    ("scaler", "sunspots preset, tanh output"),
]


def measure(name: str, setup: str, seed: int) -> dict:
    """One pair trained with ``seed``: both runs' test RMSE (original units) and windows."""
    mistake, fix = pitfalls.pair(SETUPS[setup].replace(seed=seed), name)
    for c in (mistake, fix):
        pitfalls.check(name, prepare(c))
    started = time.monotonic()
    a, b = train(mistake), train(fix)
    row = {"pitfall": name, "setup": setup, "seed": seed,
           "wall_seconds": round(time.monotonic() - started, 1)}
    if name == "horizon":
        result = forecast.compare_horizon(a, b)
        return {**row, "mistake": float(result.recursive.mean()),
                "fix": float(result.direct.mean()),
                "persistence": float(result.persistence.mean()),
                "mistake_windows": result.windows, "fix_windows": result.windows}
    return {**row, "mistake": a.metrics["test_rmse_original"],
            "fix": b.metrics["test_rmse_original"],
            "persistence": b.metrics["persistence_test_rmse_original"],
            "mistake_windows": a.windows.n_test, "fix_windows": b.windows.n_test}


def table(rows: list[dict]) -> None:
    """The Markdown table of BENCHMARKS.md: per (pitfall, setup), seeds 0 / 1 / 2."""
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        groups[(r["pitfall"], r["setup"])].append(r)
    print("| pitfall | setup | mistake: seeds 0 / 1 / 2 | fix: seeds 0 / 1 / 2 | "
          "fix vs mistake (mean) | persistence | test windows |")
    print("|---|---|---|---|---|---|---|")
    for (name, setup), rs in groups.items():
        rs = sorted(rs, key=lambda r: r["seed"])
        if "error" in rs[0]:
            print(f"| {name} | {setup} | n/a: {rs[0]['error']} | | | | |")
            continue
        mis = " / ".join(f"{r['mistake']:.2f}" for r in rs)
        fix = " / ".join(f"{r['fix']:.2f}" for r in rs)
        m = sum(r["mistake"] for r in rs) / len(rs)
        f = sum(r["fix"] for r in rs) / len(rs)
        print(f"| {name} | {setup} | {mis} | {fix} | {(f - m) / m * 100:+.1f} % | "
              f"{rs[0]['persistence']:.2f} | {rs[0]['mistake_windows']} / {rs[0]['fix_windows']} |")


def main(out_path: Path, only: list[str]) -> None:
    """Measure every (pitfall, setup) of MEASURE, or those whose setup is named in ``only``."""
    with out_path.open("a") as out:
        for name, setup in MEASURE:
            if only and setup not in only:
                continue
            for seed in SEEDS:
                try:
                    row = measure(name, setup, seed)
                except RnnExplorerError as err:
                    row = {"pitfall": name, "setup": setup, "seed": seed, "error": str(err)}
                print(json.dumps(row), file=out, flush=True)
                print(json.dumps(row), flush=True)
                if "error" in row:
                    break


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--table" and not a.startswith("--only=")]
    only = [a.removeprefix("--only=") for a in sys.argv[1:] if a.startswith("--only=")]
    path = Path(args[0]) if args else Path(__file__).with_name("pitfall_effects.jsonl")
    if "--table" in sys.argv:
        table([json.loads(line) for line in path.read_text().splitlines() if line.strip()])
    else:
        main(path, only)
