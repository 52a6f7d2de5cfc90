"""What the live view costs a training: 200 epochs with and without someone watching.

The app trains in a worker process; the page's live view polls the job twice a second and
redraws the progress bar and the loss chart (``figures.loss_figure``, serialised to JSON as
Streamlit does). This runs the same training through ``rnn_core.jobs.Runner`` once with a
watcher thread doing that every 0.5 s and once without, and compares the training's own
fit time and the wall time from submit to finish.

    .venv/bin/python bench/live_view.py [--preset t2-sine] [--epochs 200] [--repeats 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def one(runner, config, watch: bool) -> tuple[float, float]:
    from rnn_core import figures

    started = time.perf_counter()
    job = runner.submit(config)
    stop = threading.Event()

    def watcher():
        while not stop.is_set():
            events = list(job.events)
            figures.loss_figure([e.loss for e in events], [e.val_loss for e in events],
                                config.epochs).to_json()
            time.sleep(0.5)

    thread = threading.Thread(target=watcher, daemon=True)
    if watch:
        thread.start()
    while not job.finished:
        time.sleep(0.05)
    wall = time.perf_counter() - started
    stop.set()
    assert job.status == "done", job.error
    return job.run.history.fit_seconds, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="t2-sine")
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from rnn_core.jobs import Runner
    from rnn_core.presets import preset

    runner = Runner(workers=1)
    config = preset(args.preset).replace(epochs=args.epochs)
    one(runner, config.replace(epochs=2), False)  # worker started and warm
    results = {True: [], False: []}
    for _ in range(args.repeats):
        for watch in (False, True):
            results[watch].append(one(runner, config, watch))
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print(f"| {args.preset}, {args.epochs} epochs | fit (s) | submit → finished (s) |")
    print("|---|---:|---:|")
    for watch, label in ((False, "nobody watching"), (True, "live view polling every 0.5 s")):
        fits, walls = zip(*results[watch])
        print(f"| {label} | {statistics.median(fits):.2f} | {statistics.median(walls):.2f} |")
    base = statistics.median(w for _, w in results[False])
    live = statistics.median(w for _, w in results[True])
    print(f"\nlive view overhead: {(live - base) / base * 100:+.1f} % of the training's wall time")


if __name__ == "__main__":
    main()
