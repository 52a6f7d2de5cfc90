"""The Train / Stop panel of the Network & training page, and the live view of its training.

The training runs in the background (``rnn_core.jobs``); ``jobs_view.follow`` keeps its
progress bar and loss chart up to date while it trains.
"""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from rnn_core import cost, figures, jobs, store
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import jobs_view, persist, state
from .session import session

# finished runs kept per session for comparison (each holds a model), as many as the store keeps
MAX_RUNS_KEPT = store.MAX_STORED_RUNS_PER_BROWSER


def active_job() -> jobs.TrainingJob | None:
    job = session.job
    return job if job is not None and not job.finished else None


def start() -> None:
    """Queue a training of the current setup (Train, and a lesson's Show me), or say why not."""
    if jobs_view.refused_while_running([session.job] if session.job else [], "A training"):
        return
    config = state.get_config()
    try:
        prepared = prepare(config, state.series())  # bad settings fail here, before any queueing
        cost.check_prepared(prepared)  # so does a training that could not finish in time
    except RnnExplorerError as err:
        session.train_error = str(err)
        return
    session.train_error = None
    state.trace("Train: %s", config.to_query())
    session.job = jobs.runner().submit(config, state.series())


def collect() -> None:
    """The session's finished job's run into ``run`` and ``runs``, once (``jobs_view.collect``)."""
    job = session.job
    if job is not None:
        jobs_view.collect([job], lambda: _keep_latest(job))


def _keep_latest(job: jobs.TrainingJob) -> None:
    if job.run is not None:
        session.run = job.run
        keep(job)


def keep(job: jobs.TrainingJob, label: str = "") -> None:
    """Add a finished job's run to the session's runs (the Compare page), named after it."""
    c = job.config
    number = persist.next_run_number()  # counted per session (job ids count server-wide)
    job.run.name = (f"run {number}: " + (f"{label} · " if label else "")
                    + f"{c.cell} {c.units}u T={c.time_steps}"
                    + (f" H={c.horizon}" if c.horizon > 1 else ""))
    runs = session.runs
    runs.append(job.run)
    del runs[:-MAX_RUNS_KEPT]
    persist.remember_run(job.run, number)  # back after a reload (ui/persist.py)


def panel() -> None:
    """Train button, and the live view of the current or last training."""
    job = session.job
    view = jobs_view.JobsView(
        progress_text=_progress_text, draw=lambda: _draw(job), collect=collect,
        stop_key="stop_button",
        stop_help="End training after the current epoch and keep the model as trained so far.")
    jobs_view.train_section(
        job, view, _estimate(), session.train_error, key="train_button", on_click=start,
        disabled=active_job() is not None,
        help="Build the network and train it on the training windows; the chart below updates "
             "every epoch.")


def _estimate() -> str | None:
    """"Training time: about 3 min on this server (limit 15 min)" for the current settings,
    from ``rnn_core.cost`` (no TensorFlow); None when the settings cannot be prepared (the
    page already says why)."""
    try:
        return cost.estimate_line(cost.estimate_prepared(prepare(state.get_config(),
                                                                 state.series())))
    except RnnExplorerError:
        return None


def _progress_text(followed: Sequence[jobs.TrainingJob]) -> str:
    return jobs_view.epoch_line(followed[0], "the model", lambda loss: f"loss {loss:.5f}")


def _draw(job: jobs.TrainingJob) -> None:
    """Under the bar: how it ended, whether the settings moved since, its loss per epoch."""
    config = job.config
    _outcome(job)
    if config != state.get_config():  # say so rather than show an old run as the current one
        short = _short_name(job)
        st.warning(f"The settings changed since {short}; " + (
            "it goes on with the settings it started with." if not job.finished else
            f"Train to apply them (the chart below is {short}'s)." if job.run is not None else
            "Train to apply them."))
    if job.events:
        loss = [e.loss for e in job.events]
        val = [e.val_loss for e in job.events]
        name = _run_name(job)
        st.plotly_chart(figures.loss_figure(loss, val, config.epochs,
                                            title=f"Loss per epoch of {name}" if name else None),
                        key=f"loss_{job.id}", width="stretch")


def _run_name(job: jobs.TrainingJob) -> str:
    """The job's run's name ("run 3: gru 32u T=36"), once ``keep`` has named it, else ""."""
    return job.run.name if job.run is not None and job.run.name else ""


def _short_name(job: jobs.TrainingJob) -> str:
    """"run 3" of a named run, else "this training started" (running, or failed without a
    run)."""
    name = _run_name(job)
    return name.split(":")[0] if name else "this training started"


def _outcome(job: jobs.TrainingJob) -> None:
    """How the job ended, naming its run (the Compare and Results pages use the same name)."""
    name = _run_name(job)
    of = f" ({name})" if name else ""
    if job.status == jobs.DONE:
        h = job.run.history
        st.success(f"Training finished: {h.epochs_run} epochs in {h.fit_seconds:.1f} s{of}. "
                   "See the Results page.")
    elif job.status == jobs.STOPPED:
        if job.run is not None:
            st.info(f"Stopped after {job.run.history.epochs_run} of {job.config.epochs} epochs"
                    f"{of}; the model as trained so far is kept.")
        else:
            st.info("Stopped before training started.")
    elif job.status in (jobs.DIVERGED, jobs.FAILED):
        st.error(job.error + (f" ({name})" if name else ""))
