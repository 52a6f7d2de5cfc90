"""A sweep's jobs in the session, followed by ``jobs_view``, and their heatmap."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import streamlit as st

from rnn_core import figures, jobs, sweep, tasks
from rnn_core.architecture import CELL_CLASS
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import jobs_view, state
from .session import session

UNIT_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128]  # the Compare page's pickers
TIME_STEPS_CHOICES = [3, 6, 12, 24, 36, 48, 60]
DEFAULT_UNITS, DEFAULT_TIME_STEPS = [4, 8, 16], [6, 12, 24]
MAX_EPOCHS_PER_RUN = 100
DEFAULT_EPOCHS_CAP = 10  # a sweep trains the setup's epochs, at most this many unless asked


def start(units: list[int], time_steps: list[int], epochs: int, cells: list[str] | None = None) -> None:
    """Queue one training per grid cell; bad choices are reported, nothing is queued."""
    if jobs_view.refused_while_running(_jobs(), "The sweep"):
        return
    try:
        configs = sweep.grid(state.get_config().replace(epochs=epochs), units, time_steps, cells)
        for c in configs:
            prepare(c, state.series())  # every cell must have windows before anything is queued
    except RnnExplorerError as err:
        session.sweep_error = str(err)
        return
    session.sweep_error = None
    runner = jobs.runner()
    session.sweep = [(c, runner.submit(c, state.series())) for c in configs]


def _jobs() -> list[jobs.TrainingJob]:
    return [job for _, job in session.sweep or []]


def running() -> bool:
    return jobs_view.running(_jobs())


def start_chosen() -> None:
    """"Run sweep": the grid the pickers hold, as sent with the click."""
    start(session.sweep_units, session.sweep_steps, session.sweep_epochs, session.sweep_cells)


def _score(job: jobs.TrainingJob) -> float | None:
    """Test RMSE in the series' units; a task's test MSE (what its verdict is judged on)."""
    if job.run is None or job.status == jobs.FAILED:
        return None
    run = job.run
    if tasks.is_task(job.config):
        return tasks.mse(run.windows.y_test, run.pred_test)
    return run.metrics["test_rmse_original"]


def _drop_models(entries) -> None:
    # a sweep keeps scores, not 25 models: the models would pin memory for nothing
    for _, job in entries:
        if job.finished and job.run is not None and job.run.weights is not None:
            job.run.drop_model()


def view() -> None:
    entries = session.sweep
    if not entries:
        return
    grid = _jobs()
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
    columns, time_steps, matrix = sweep.table(configs, [_score(job) for _, job in entries])
    cells = list(dict.fromkeys(CELL_CLASS[c.cell] for c in configs))
    units = sorted({c.units for c in configs})
    # the pickers above may have moved since: say which grid this chart is of
    st.caption("This sweep: " + (f"cells {', '.join(cells)} × " if len(cells) > 1 else "")
               + f"hidden units {', '.join(map(str, units))} × time steps "
               f"{', '.join(map(str, time_steps))}, {configs[0].epochs} epoch"
               f"{'s' if configs[0].epochs != 1 else ''} per run.")
    task = tasks.is_task(configs[0])
    score = "test MSE" if task else "test RMSE"
    st.plotly_chart(figures.sweep_heatmap(
        columns, time_steps, matrix,
        title="Test MSE (the task's own units)" if task else "Test RMSE (original units)",
        x_title="cell, hidden units" if len(cells) > 1 else "hidden units"),
        key="sweep_heatmap", width="stretch")
    if np.isfinite(matrix).any():
        r, c = np.unravel_index(np.nanargmin(matrix), matrix.shape)
        first = entries[0][1].run
        if task:
            base = tasks.baseline_mse(configs[0].dataset, first.windows) if first else None
            versus = " (the task's baseline on the same test sequences: {:.4g})"
        else:
            base = first.metrics["persistence_test_rmse_original"] if first else None
            versus = " (persistence on the first grid cell's windows: {:.4g})"
        name = columns[c] + ("" if len(cells) > 1 else " units")
        st.caption(f"Best: {name}, {time_steps[r]} time steps, {score} {matrix[r, c]:.4g}"
                   + (versus.format(base) if base is not None and np.isfinite(base) else ""))
