"""Two trainings side by side for a pitfall: start them, watch them, show the difference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from rnn_core import figures, forecast, jobs, pitfalls
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import state, training

POLL_SECONDS = 1.0


def start(name: str) -> None:
    try:
        configs = pitfalls.pair(state.get_config(), name)
        for c in configs:
            pitfalls.check(name, prepare(c, state.series()))
    except RnnExplorerError as err:
        st.session_state.pitfall_error = str(err)
        return
    st.session_state.pitfall_error = None
    runner = jobs.runner()
    st.session_state.pitfall = (name, [runner.submit(c, state.series()) for c in configs])
    st.session_state.pitfall_kept = False


def collect() -> None:
    """Once both trainings of the comparison have finished, put their runs on the Compare page
    too, named by the choice. Called by every page (through the sidebar), like
    ``training.collect``."""
    current = st.session_state.get("pitfall")
    if (not current or st.session_state.get("pitfall_kept")
            or not all(job.finished for job in current[1])):
        return
    st.session_state.pitfall_kept = True
    name, pair = current
    pit = pitfalls.PITFALLS[name]
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.run is not None:
            training.keep(job, label)


def view() -> None:
    current = st.session_state.get("pitfall")
    if not current:
        return
    if all(job.finished for job in current[1]):
        collect()
        _draw(*current)
    else:
        _live()


@st.fragment(run_every=POLL_SECONDS)
def _live() -> None:
    current = st.session_state.get("pitfall")
    if current:
        _draw(*current)
        if all(job.finished for job in current[1]):
            st.rerun()


def _draw(name: str, pair: list[jobs.TrainingJob]) -> None:
    pit = pitfalls.PITFALLS[name]
    done = sum(job.finished for job in pair)
    if done < len(pair):
        st.progress(done / len(pair), text=f"Training both: {done} of 2 finished…")
        return
    if name == "horizon":
        _draw_horizon(pit, pair)
        return
    rows = []
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.run is None:
            st.error(f"{label}: {job.error}")
            continue
        m, w = job.run.metrics, job.run.windows
        rows.append({"run": label, "train windows": w.n_train, "test windows": w.n_test,
                     "train RMSE": m["train_rmse_original"], "test RMSE": m["test_rmse_original"],
                     "persistence test RMSE": m["persistence_test_rmse_original"]})
    if len(rows) == 2:
        st.dataframe(pd.DataFrame(rows), hide_index=True, key="pitfall_table")
        a, b = rows
        change = (b["test RMSE"] - a["test RMSE"]) / a["test RMSE"] * 100
        st.markdown(f"**{pit.fix}** vs **{pit.mistake}**: test RMSE {b['test RMSE']:.4g} vs "
                    f"{a['test RMSE']:.4g} ({change:+.1f} %), on {b['test windows']:,} vs "
                    f"{a['test windows']:,} test windows (original units).")


def _draw_horizon(pit: pitfalls.Pitfall, pair: list[jobs.TrainingJob]) -> None:
    """Recursive vs direct: test RMSE at every step ahead, on the direct run's test windows."""
    for label, job in zip((pit.mistake, pit.fix), pair):
        if job.run is None:
            st.error(f"{label}: {job.error}")
            return
    one_step, direct = (job.run for job in pair)
    key = (id(one_step), id(direct))
    cached = st.session_state.get("horizon_comparison")
    if cached is None or cached[0] != key:
        try:
            with st.spinner("Feeding the one-step model its own forecasts…"):
                cached = (key, forecast.compare_horizon(one_step, direct))
        except RnnExplorerError as err:
            cached = (key, str(err))
        st.session_state.horizon_comparison = cached
    result = cached[1]
    if isinstance(result, str):
        st.error(result)
        return
    unit = direct.prepared.series.unit or "value"
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
