"""A sweep's jobs in the session, followed by ``jobs_view``, and their heatmap."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import streamlit as st

from rnn_core import figures, jobs, sweep
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import jobs_view, state
from .session import session

UNIT_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128]  # the Compare page's pickers
TIME_STEPS_CHOICES = [3, 6, 12, 24, 36, 48, 60]
DEFAULT_UNITS, DEFAULT_TIME_STEPS = [4, 8, 16], [6, 12, 24]
MAX_EPOCHS_PER_RUN = 100
DEFAULT_EPOCHS_CAP = 10  # a sweep trains the setup's epochs, at most this many unless asked


def start(units: list[int], time_steps: list[int], epochs: int) -> None:
    """Queue one training per grid cell; bad choices are reported, nothing is queued."""
    try:
        configs = sweep.grid(state.get_config().replace(epochs=epochs), units, time_steps)
        for c in configs:
            prepare(c, state.series())  # every cell must have windows before anything is queued
    except RnnExplorerError as err:
        session.sweep_error = str(err)
        return
    session.sweep_error = None
    runner = jobs.runner()
    session.sweep = [(c, runner.submit(c, state.series())) for c in configs]


def _score(job: jobs.TrainingJob) -> float | None:
    if job.run is None or job.status == jobs.FAILED:
        return None
    return job.run.metrics["test_rmse_original"]


def _drop_models(entries) -> None:
    # a sweep keeps scores, not 25 models: the models would pin memory for nothing
    for _, job in entries:
        if job.finished and job.run is not None and job.run.weights is not None:
            job.run.drop_model()


def view() -> None:
    entries = session.sweep
    if not entries:
        return
    grid = [job for _, job in entries]
    jobs_view.follow(grid, jobs_view.JobsView(
        progress_text=_progress_text, draw=lambda: _draw(entries),
        collect=lambda: jobs_view.collect(grid, lambda: _drop_models(entries)),
        stop_key="sweep_stop", stop_label="Stop the sweep"))


def _progress_text(grid: Sequence[jobs.TrainingJob]) -> str:
    """"Sweep: 3 of 25 runs finished · 40 of 250 epochs"."""
    done, (epochs, total) = sum(job.finished for job in grid), jobs_view.epoch_totals(grid)
    return f"Sweep: {done} of {len(grid)} runs finished · {epochs} of {total} epochs"


def _draw(entries) -> None:
    _drop_models(entries)
    if all(job.finished for _, job in entries):
        st.success(f"Sweep finished: {len(entries)} runs.")
    failed = [job.error for _, job in entries if job.status in (jobs.FAILED, jobs.DIVERGED)]
    if failed:
        st.warning(f"{len(failed)} run(s) failed or diverged, e.g.: {failed[0]}")
    configs = [c for c, _ in entries]
    units, time_steps, matrix = sweep.table(configs, [_score(job) for _, job in entries])
    # the pickers above may have moved since: say which grid this chart is of
    st.caption(f"This sweep: hidden units {', '.join(map(str, units))} × time steps "
               f"{', '.join(map(str, time_steps))}, {configs[0].epochs} epoch"
               f"{'s' if configs[0].epochs != 1 else ''} per run.")
    st.plotly_chart(figures.sweep_heatmap(units, time_steps, matrix), key="sweep_heatmap",
                    width="stretch")
    if np.isfinite(matrix).any():
        r, c = np.unravel_index(np.nanargmin(matrix), matrix.shape)
        base = entries[0][1].run.metrics["persistence_test_rmse_original"] if entries[0][1].run else None
        st.caption(f"Best: {units[c]} units, {time_steps[r]} time steps, test RMSE {matrix[r, c]:.4g}"
                   + (f" (persistence on the first grid cell's windows: {base:.4g})"
                      if base is not None and np.isfinite(base) else ""))  # NaN: a task
