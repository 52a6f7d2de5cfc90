"""Resident memory of a deployment: the server and its training workers, for each way to run them.

For each setting (default two workers, ``RNN_EXPLORER_WORKERS=1``, ``RNN_EXPLORER_IN_PROCESS=1``)
starts ``streamlit run``, opens one session with the headless client of ``bench/crowd.py``,
reads the resident memory of the server and its child processes, then trains ``t1-sunspots``
(3 epochs) and opens Results, then Inside the network on a test window (both run the trained
weights in numpy, ``rnn_core.forward``), then on a typed window (which builds the Keras model in
the server for Keras' own prediction), reading it after each.

    .venv/bin/python bench/deploy_memory.py
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from crowd import Session  # noqa: E402
from streamlit_server import children, rss_mb, start, stop  # noqa: E402

SETTINGS = [("default (2 workers)", {}), ("`RNN_EXPLORER_WORKERS=1`", {"RNN_EXPLORER_WORKERS": "1"}),
            ("`RNN_EXPLORER_IN_PROCESS=1`", {"RNN_EXPLORER_IN_PROCESS": "1"})]


def snapshot(pid: int) -> tuple[float, list[float]]:
    return rss_mb(pid), [rss_mb(c) for c in children(pid)]


def measure(env: dict[str, str]) -> list[tuple[float, list[float]]]:
    server, url = start(**env)
    try:
        async def visit():
            async with Session(url) as session:
                await session.open("preset=t1-sunspots&epochs=3", page="Network & training")
                await asyncio.sleep(12)  # the workers import TensorFlow
                opened = snapshot(server.pid)
                await session.press("Train")
                await session.wait_for_text("Training finished", 300)
                after = []
                for page in ("Results", "Inside the network"):
                    session.page_hash = session.pages[page]
                    await session.run(timeout=300)
                    after.append(snapshot(server.pid))
                await session.choose("Input window", "type a window")
                await asyncio.sleep(1)
                after.append(snapshot(server.pid))
                return opened, *after

        return asyncio.run(visit())
    finally:
        stop(server)


def main() -> None:
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    print("| setting | server after opening (MB) | workers (MB) | server after a training and "
          "Results (MB) | then Inside the network (MB) | then a typed window (MB) | "
          "workers then (MB) | total (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, env in SETTINGS:
        (server_a, workers_a), (server_b, _), (server_c, _), (server_d, workers_d) = measure(env)
        print(f"| {name} | {server_a:.0f} | {' + '.join(f'{w:.0f}' for w in workers_a) or '–'} | "
              f"{server_b:.0f} | {server_c:.0f} | {server_d:.0f} | "
              f"{' + '.join(f'{w:.0f}' for w in workers_d) or '–'} | "
              f"{server_d + sum(workers_d):,.0f} |")


if __name__ == "__main__":
    main()
