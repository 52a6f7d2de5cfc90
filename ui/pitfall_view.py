"""Two trainings side by side for a pitfall: start them, follow them, show the difference."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core import figures, forecast, jobs, pitfalls, transform_figures
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import jobs_view, state, train_panel
from .session import Session, session


# "Setup for both runs": the setup each pitfall shows itself on (measured), or the user's own.
BASES = ("demo", "current")


def base(name: str, which: str) -> tuple[RunConfig, Series | None]:
    """The setup a comparison of pitfall ``name`` trains on, and its series (None: built in)."""
    if which == "demo":
        return pitfalls.demo_config(name), None
    return state.get_config(), state.series()


def _jobs() -> list[jobs.TrainingJob]:
    return list(session.pitfall[1]) if session.pitfall else []


def running() -> bool:
    return jobs_view.running(_jobs())


def start(name: str, which: str = "current") -> None:
    if jobs_view.refused_while_running(_jobs(), "The comparison"):
        return
    config, series = base(name, which)
    try:
        configs = pitfalls.pair(config, name)
        for c in configs:
            pitfalls.check(name, prepare(c, series))
    except RnnExplorerError as err:
        session.pitfall_error = str(err)
        return
    session.pitfall_error = None
    runner = jobs.runner()
    session.pitfall = (name, [runner.submit(c, series) for c in configs])


def start_chosen() -> None:
    """"Train both": the pitfall and the setup chosen on the radios, as sent with the click."""
    start(session.pitfall_choice, session.pitfall_base or BASES[0])


def collect() -> None:
    """Once both trainings of the comparison have finished, put their runs on the Compare page
    too, named by the choice (once: ``jobs_view.collect``)."""
    current = session.pitfall
    if current:
        jobs_view.collect(current[1], lambda: _keep(*current))


def _keep(name: str, pair: list[jobs.TrainingJob]) -> None:
    pit = pitfalls.PITFALLS[name]
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.run is not None:
            train_panel.keep(job, label)


def view() -> None:
    current = session.pitfall
    if not current:
        return
    name, pair = current
    jobs_view.follow(pair, jobs_view.JobsView(
        progress_text=_progress_text, draw=lambda: _draw(name, pair), collect=collect,
        stop_key="pitfall_stop",
        stop_help="End both trainings after their current epoch and compare the models as "
                  "trained so far."))


def _progress_text(pair: Sequence[jobs.TrainingJob]) -> str:
    """"Training both: epoch 7/30 and 12/30"."""
    return f"Training both: {jobs_view.epochs_text(pair)}"


def _stopped(pit: pitfalls.Pitfall, pair: list[jobs.TrainingJob]) -> None:
    """Say which trainings the Stop button ended, and what of them is shown."""
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.status != jobs.STOPPED:
            continue
        if job.run is None:
            st.info(f"{label}: stopped before it started.")
        else:
            st.info(f"{label}: stopped after {job.run.history.epochs_run} of "
                    f"{job.config.epochs} epochs; its numbers are the model's as trained so far.")


def _failed(pit: pitfalls.Pitfall, pair: list[jobs.TrainingJob]) -> bool:
    """Say why a training has no run (a stopped one is said by ``_stopped``); True if any."""
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.run is None and job.status != jobs.STOPPED:
            st.error(f"{label}: {job.error}")
    return any(job.run is None for job in pair)


def _draw(name: str, pair: list[jobs.TrainingJob]) -> None:
    """Once both have finished: how they ended, and the difference of what they learned."""
    if not all(job.finished for job in pair):
        return
    pit = pitfalls.PITFALLS[name]
    _stopped(pit, pair)
    if name == "horizon":
        _draw_horizon(pit, pair)
        return
    _failed(pit, pair)
    rows = []
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.run is None:
            continue
        m, w = job.run.metrics, job.run.windows
        rows.append({"run": label, "train windows": w.n_train, "test windows": w.n_test,
                     "train RMSE": m["train_rmse_original"], "test RMSE": m["test_rmse_original"],
                     "persistence test RMSE": m["persistence_test_rmse_original"]})
        if name == "transform":  # the cause: targets outside what the network saw
            outside = transform_figures.extrapolation(job.run.prepared)
            rows[-1]["test targets above / below the training range"] = (
                f"{outside.above:.0%} / {outside.below:.0%}")
    if rows:  # a training stopped before it started leaves the other one's row
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="pitfall_table")
    if len(rows) == 2:
        a, b = rows
        change = (b["test RMSE"] - a["test RMSE"]) / a["test RMSE"] * 100
        st.markdown(f"**{pit.fix}** vs **{pit.mistake}**: test RMSE {b['test RMSE']:.4g} vs "
                    f"{a['test RMSE']:.4g} ({change:+.1f} %), on {b['test windows']:,} vs "
                    f"{a['test windows']:,} test windows (original units).")


def _draw_horizon(pit: pitfalls.Pitfall, pair: list[jobs.TrainingJob]) -> None:
    """Recursive vs direct: test RMSE at every step ahead, on the direct run's test windows."""
    if _failed(pit, pair):
        return
    one_step, direct = (job.run for job in pair)
    result = session.cached(Session.horizon_comparison, (id(one_step), id(direct)),
                            lambda: _compare_horizon(one_step, direct))
    if isinstance(result, str):
        st.error(result)
        return
    unit = direct.prepared.series.measured_in or "value"
    table = pd.DataFrame({"step ahead": np.arange(1, result.horizon + 1),
                          "recursive RMSE": result.recursive, "direct RMSE": result.direct,
                          "persistence RMSE": result.persistence})
    st.plotly_chart(figures.horizon_figure(result.recursive, result.direct, result.persistence,
                                           f"test RMSE ({unit})"),
                    key="horizon_chart", width="stretch")
    st.dataframe(table, hide_index=True, key="pitfall_table")
    rec, dirt = float(np.mean(result.recursive)), float(np.mean(result.direct))
    better = "direct" if dirt < rec else "recursive"
    st.markdown(f"Over steps 1–{result.horizon} on {result.windows:,} test windows, mean test "
                f"RMSE: **recursive {rec:.4g}**, **direct {dirt:.4g}** (original units): "
                f"here the **{better}** forecast is better. At step {result.horizon}: recursive "
                f"{result.recursive[-1]:.4g}, direct {result.direct[-1]:.4g}, persistence "
                f"{result.persistence[-1]:.4g}.")


def _compare_horizon(one_step, direct) -> forecast.HorizonComparison | str:
    """The comparison, or why it cannot be made (kept in the cache like a result)."""
    try:
        with st.spinner("Feeding the one-step model its own forecasts…"):
            return forecast.compare_horizon(one_step, direct)
    except RnnExplorerError as err:
        return str(err)
