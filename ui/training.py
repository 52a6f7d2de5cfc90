"""The Train / Stop panel and the live view of a training running in the background.

Training runs in ``rnn_core.jobs``' worker threads, never inside a script run: a click
anywhere in the app then cannot interrupt it, and the page keeps answering. A fragment polls
the job twice a second and redraws the progress bar and the loss chart.
"""

from __future__ import annotations

import streamlit as st

from rnn_core import cost, figures, jobs, store
from rnn_core.errors import RnnExplorerError
from rnn_core.run import prepare

from . import persist, state

POLL_SECONDS = 0.5  # while training: the chart follows the epochs
QUEUED_POLL_SECONDS = 2.0  # while waiting in the queue: only the place changes
# finished runs kept per session for comparison (each holds a model), as many as the store keeps
MAX_RUNS_KEPT = store.MAX_STORED_RUNS_PER_BROWSER


def active_job() -> jobs.TrainingJob | None:
    job = st.session_state.get("job")
    return job if job is not None and not job.finished else None


def _start() -> None:
    config = state.get_config()
    try:
        prepared = prepare(config, state.series())  # bad settings fail here, before any queueing
        cost.check_prepared(prepared)  # so does a training that could not finish in time
    except RnnExplorerError as err:
        st.session_state.train_error = str(err)
        return
    st.session_state.train_error = None
    st.session_state.job = jobs.runner().submit(config, state.series())
    st.session_state.job_collected = False


def collect() -> None:
    """Move the session's finished job's run into ``run`` and ``runs`` (once).

    Called by every page (through the sidebar), so a run is there whichever page the user
    opens next, even if they left the training page before it finished.
    """
    job = st.session_state.get("job")
    if job is None or not job.finished or st.session_state.get("job_collected"):
        return
    if job.run is None:
        st.session_state.job_collected = True
        return
    st.session_state.job_collected = True
    st.session_state.run = job.run
    keep(job)


def keep(job: jobs.TrainingJob, label: str = "") -> None:
    """Add a finished job's run to the session's runs (the Compare page), named after it."""
    c = job.config
    number = persist.next_run_number()  # counted per session (job ids count server-wide)
    job.run.name = (f"run {number}: " + (f"{label} · " if label else "")
                    + f"{c.cell} {c.units}u T={c.time_steps}"
                    + (f" H={c.horizon}" if c.horizon > 1 else ""))
    runs = st.session_state.setdefault("runs", [])
    runs.append(job.run)
    del runs[:-MAX_RUNS_KEPT]
    persist.remember_run(job.run, number)  # back after a reload (ui/persist.py)


def panel() -> None:
    """Train button, and the live view of the current or last training."""
    busy = active_job() is not None
    st.button("Train", type="primary", on_click=_start, disabled=busy, key="train_button",
              help="Build the network and train it on the training windows; the chart below "
                   "updates every epoch.")
    if (estimate := _estimate()) is not None:
        st.caption(estimate)
    if st.session_state.get("train_error"):
        st.error(st.session_state.train_error)
    job = st.session_state.get("job")
    if job is None:
        return
    if job.finished:
        collect()
        _draw(job)
    elif job.status == jobs.QUEUED:
        _waiting()
    else:
        _live()


def _estimate() -> str | None:
    """"Training time: about 3 min on this server (limit 15 min)" for the current settings,
    from ``rnn_core.cost`` (no TensorFlow); None when the settings cannot be prepared (the
    page already says why)."""
    try:
        seconds = cost.estimate_prepared(prepare(state.get_config(), state.series()))
        limit = cost.limit_text()
    except RnnExplorerError:
        return None
    return f"Training time: {cost.describe(seconds)} on this server (limit {limit})."


@st.fragment(run_every=QUEUED_POLL_SECONDS)
def _waiting() -> None:
    job = st.session_state.get("job")
    if job is None:
        return
    if job.status != jobs.QUEUED:
        st.rerun()  # its turn came: switch to the faster live view
    _draw(job)


@st.fragment(run_every=POLL_SECONDS)
def _live() -> None:
    job = st.session_state.get("job")
    if job is None:
        return
    _draw(job)
    if job.finished:
        collect()
        st.rerun()  # the whole page: results, Train button and sidebar see the new run


def _draw(job: jobs.TrainingJob) -> None:
    config = job.config
    if job.status == jobs.QUEUED:
        ahead = job.position() - 1
        st.info(f"Waiting for a free trainer: place {ahead + 1} in the queue "
                f"({ahead} training{'s' if ahead != 1 else ''} ahead of yours).")
    elif job.status == jobs.RUNNING:
        event = job.last_event
        if event is None:
            st.progress(0.0, text=f"Epoch 0/{config.epochs} · building the model…")
        else:
            st.progress(event.epoch / event.epochs,
                        text=f"Epoch {event.epoch}/{event.epochs} · loss {event.loss:.5f} · "
                             f"about {event.seconds_left:.0f} s left")
    if not job.finished:
        st.button("Stop", key="stop_button", on_click=job.request_stop,
                  help="End training after the current epoch and keep the model as trained so far.")
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
