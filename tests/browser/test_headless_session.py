"""The app over its websocket, without a browser: what ``bench/crowd.py`` (the workshop load's
participants) relies on — a share link's settings, a press of Train, the live view's fragment
reruns until the training has finished."""

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

from tests.browser.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from crowd import Session  # noqa: E402  (bench/ is not a package)


def test_a_headless_participant_opens_a_link_trains_and_sees_it_finish(server):
    async def participant() -> tuple[list[str], int]:
        async with Session(server) as session:
            await session.open("preset=t1-sunspots&epochs=2", page="Network & training")
            assert "Train" in session.buttons
            assert session.query_string == "preset=t1-sunspots&epochs=2"  # the link as set
            await session.press("Train")
            await session.wait_for_text("Training finished: 2 epochs", timeout=120)
            # the live view's fragment timer ends with the training (its last rerun is a full one)
            for _ in range(50):
                if not session.timers:
                    break
                await asyncio.sleep(0.1)
            return list(session.pages), len(session.timers)

    # in a thread of its own: the browser tests' Playwright keeps an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pages, timers_left = pool.submit(asyncio.run, participant()).result()
    assert timers_left == 0
    assert pages == ["Start", "Data & windows", "Network & training", "Results", "Inside the network",
                     "Compare runs", "Pitfalls", "Text"]
