"""A second start while the first is still running queues nothing and says so.

Every button that queues trainings (Train on the series and Text pages, a pitfall's "Train
both", the race, the sweep, the backtest) replaced the session's job or pack with a new one:
the first kept training in a worker with nobody following it — no bar, no Stop, its runs never
on the Compare page — and the new one waited behind it. A button drawn disabled while its work
runs does not stop that: a click (a double-click, a lesson's Show me, a click sent before the
rerun that greys the button out) still reaches the server. Now each button is greyed out
while its work runs (Streamlit then drops a click sent from an older screen), and each start
refuses, saying so, while the session's work of that kind runs.
"""

from __future__ import annotations

import time

import pytest
from streamlit.testing.v1 import AppTest

from rnn_core import jobs
from tests.app.helpers import APP, TIMEOUT

LONG = 500  # epochs on the default series: far longer than the test, which stops them


def _pack(at: AppTest, kind: str) -> list:
    state = at.session_state
    if kind == "train":
        return [state["job"]]
    if kind == "text":
        return [state["text_job"]]
    if kind in ("pitfall", "race"):
        return list(state[kind][1])
    return [job for _, job in state[kind]]  # sweep, backtest: (cell or fold, job)


def _stop(pack: list) -> None:
    for job in pack:
        job.request_stop()
    deadline = time.monotonic() + 120
    while not all(job.finished for job in pack) and time.monotonic() < deadline:
        time.sleep(0.1)


# kind -> (link, page, the button's key)
STARTS = {
    "train": ({"epochs": LONG}, "pages/train.py", "train_button"),
    "text": ({"preset": "text-brackets", "epochs": LONG}, "pages/text.py",
             "text_train_button"),
    "pitfall": ({"epochs": LONG}, "pages/pitfalls.py", "pitfall_start"),
    "race": ({"epochs": LONG}, "pages/compare.py", "race_start"),
    "sweep": ({"epochs": LONG}, "pages/compare.py", "sweep_start"),
    "backtest": ({"epochs": LONG}, "pages/compare.py", "backtest_start"),
}


@pytest.mark.parametrize("kind", list(STARTS))
def test_a_second_click_while_the_first_runs_queues_nothing(kind):
    query, page, key = STARTS[kind]
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = str(value)
    at.run()
    at.switch_page(page).run()
    if kind == "pitfall":  # the link's 500 epochs, not the pitfall's measured setup
        at.radio(key="pitfall_base").set_value("current").run()
    button = at.button(key=key)  # as the screen showed it before the first click's rerun
    assert not button.disabled
    button.click().run()
    first = _pack(at, kind)
    try:
        assert first and not at.exception
        assert not any(job.finished for job in first)
        assert at.button(key=key).disabled  # greyed out while they run
        queued = jobs.runner().queued()
        # the second click, sent from the screen of before the rerun that greyed it out
        # (AppTest refuses a click on the greyed-out button; a quick second click does not)
        button.click().run()
        assert not at.exception
        assert [job.id for job in _pack(at, kind)] == [job.id for job in first]
        assert jobs.runner().queued() <= queued
    finally:
        _stop(first)
    at.run()  # once they have ended, the button starts again
    assert not at.button(key=key).disabled


def test_show_me_while_the_lessons_last_race_runs_says_so_and_queues_nothing():
    # lesson 5 races the three cells on step 2 and again on step 4: a class clicking on
    # through the steps must not leave the first race training with nobody following it
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lesson"], at.query_params["step"] = "5", "2"
    at.run()
    at.sidebar.button(key="lesson_show").click().run()
    first = _pack(at, "race")
    try:
        assert len(first) == 3 and not all(job.finished for job in first)
        at.sidebar.button(key="lesson_next").click().run()
        at.sidebar.button(key="lesson_next").click().run()
        assert at.session_state["config"].dataset == "recall"  # step 4: another task
        queued = jobs.runner().queued()
        at.sidebar.button(key="lesson_show").click().run()
        assert not at.exception
        assert [job.id for job in _pack(at, "race")] == [job.id for job in first]
        assert jobs.runner().queued() <= queued
        toasts = [t.value for t in at.toast]
        assert toasts == ["The race is still running: wait for it to finish or press Stop, "
                          "then start again."], toasts
    finally:
        _stop(first)
