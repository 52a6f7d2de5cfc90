"""Following background trainings on a page: progress by epoch, Stop, polling, the end.

Trainings run in ``rnn_core.jobs``' workers, never inside a script run: a click anywhere in
the app then cannot interrupt them, and the page keeps answering. ``follow`` shows a list of
jobs (one Train click, a pitfall's two, a sweep's grid): a bar that moves with the epochs of
all of them, one Stop button for all, and the page's own view of them below (``draw``). While
any of them trains, a fragment redraws that every ``POLL_SECONDS``; while they only wait in
the queue, every ``QUEUED_POLL_SECONDS``. When the last one finishes, their runs are collected
once (``collect``) and the whole page reruns once, so buttons, results and the sidebar see them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import streamlit as st

from rnn_core import jobs as jobs_mod
from rnn_core.jobs import TrainingJob

from .session import session

POLL_SECONDS = 0.5  # while training: the bar and charts follow the epochs
QUEUED_POLL_SECONDS = 2.0  # while waiting in the queue: only the place changes


@dataclass(frozen=True)
class JobsView:
    """What a page shows of its jobs, besides the bar and the Stop button."""

    progress_text: Callable[[Sequence[TrainingJob]], str]  # the bar's text while they train
    draw: Callable[[], None]  # the page's view of the jobs, under the bar (also once finished)
    collect: Callable[[], None]  # keeps the finished jobs' runs (calls ``collect`` below)
    stop_key: str  # the Stop button's widget key
    stop_label: str = "Stop"
    stop_help: str | None = None


def collect(jobs: Sequence[TrainingJob], keep: Callable[[], None]) -> None:
    """``keep()``, once per session, as soon as every job has finished.

    Called by the follower when the last job ends and by every page (through the sidebar), so
    the runs are there whichever page the user opens next, even if they left the one that
    started the jobs before it finished.
    """
    if not jobs or not all(job.finished for job in jobs):
        return
    ids, done = {job.id for job in jobs}, session.collected
    if ids <= done:
        return
    done.update(ids)
    keep()


def running(jobs: Sequence[TrainingJob]) -> bool:
    """Whether any of ``jobs`` is still queued or training."""
    return bool(jobs) and not all(job.finished for job in jobs)


def refused_while_running(jobs: Sequence[TrainingJob], what: str) -> bool:
    """True, saying so in a toast, if ``jobs`` (the session's ``what``) are still running: a
    start button's callback then queues nothing.

    A second start would put new jobs in the session's place of these while these went on
    training in a worker with nobody following them (no bar, no Stop, their runs never on the
    Compare page), and the new ones would wait behind them. Greying the button out while they
    run is not enough: a lesson's Show me starts them too, and a second click sent before the
    rerun that greys the button out reaches the callback.
    """
    if not running(jobs):
        return False
    st.toast(f"{what} is still running: wait for it to finish or press Stop, then start again.")
    return True


def epochs_done(job: TrainingJob) -> int:
    """Epochs the job has trained so far (the last one reported)."""
    return job.last_event.epoch if job.last_event is not None else 0


def epoch_totals(jobs: Sequence[TrainingJob]) -> tuple[int, int]:
    """(epochs done, epochs in all) over the jobs; a finished job counts all of its epochs."""
    done = sum(job.config.epochs if job.finished else epochs_done(job) for job in jobs)
    return done, sum(job.config.epochs for job in jobs)


def fraction(jobs: Sequence[TrainingJob]) -> float:
    """Share of all the jobs' epochs done: what the bar shows."""
    done, total = epoch_totals(jobs)
    return done / total if total else 1.0


def epochs_text(jobs: Sequence[TrainingJob]) -> str:
    """"epoch 7/30 and 12/30": where each job is, with the status of those not training."""
    parts = [f"{epochs_done(job)}/{job.config.epochs}"
             + ("" if job.status == jobs_mod.RUNNING else f" ({job.status})") for job in jobs]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return "epoch " + listed


def epoch_line(job: TrainingJob, building: str, loss: Callable[[float], str]) -> str:
    """"Epoch 3/30 · loss 0.01234 · about 12 s left" for one job, the loss worded by ``loss``;
    "Epoch 0/30 · building ``building``…" before its first epoch."""
    event = job.last_event
    if event is None:
        return f"Epoch 0/{job.config.epochs} · building {building}…"
    return (f"Epoch {event.epoch}/{event.epochs} · {loss(event.loss)} · "
            f"about {event.seconds_left:.0f} s left")


def stop(jobs: Sequence[TrainingJob]) -> None:
    """Each job ends after its current epoch (a waiting one before it starts)."""
    for job in jobs:
        job.request_stop()


def follow(jobs: Sequence[TrainingJob], view: JobsView) -> None:
    """Draw ``jobs`` as ``view`` says, and keep it up to date until the last one finishes."""
    if all(job.finished for job in jobs):
        view.collect()
        view.draw()
    elif _waiting(jobs):
        _queued(jobs, view)
    else:
        _live(jobs, view)


def train_section(job: TrainingJob | None, view: JobsView, estimate: str | None,
                  error: str | None, **button: Any) -> None:
    """A page's Train button (``button``: its key, on_click, disabled, help), the time estimate
    and the last start's error under it, then ``job`` followed as ``view`` says."""
    st.button("Train", type="primary", **button)
    if estimate is not None:
        st.caption(estimate)
    if error:
        st.error(error)
    if job is not None:
        follow([job], view)


def _waiting(jobs: Sequence[TrainingJob]) -> bool:
    """None trains yet (they wait for a free trainer), and not all have finished."""
    return (not any(job.status == jobs_mod.RUNNING for job in jobs)
            and not all(job.finished for job in jobs))


@st.fragment(run_every=QUEUED_POLL_SECONDS)
def _queued(jobs: Sequence[TrainingJob], view: JobsView) -> None:
    if not _waiting(jobs):
        st.rerun()  # a turn came (or all ended): the whole page, with the faster live view
    _frame(jobs, view)


@st.fragment(run_every=POLL_SECONDS)
def _live(jobs: Sequence[TrainingJob], view: JobsView) -> None:
    _frame(jobs, view)
    if all(job.finished for job in jobs):
        view.collect()
        st.rerun()  # the whole page, once: its buttons, results and sidebar see the runs


def _frame(jobs: Sequence[TrainingJob], view: JobsView) -> None:
    """The bar (or the place in the queue), Stop while any has not finished, the page's view."""
    if all(job.finished for job in jobs):
        view.draw()
        return
    if _waiting(jobs):
        ahead = max(min(job.position() for job in jobs if not job.finished) - 1, 0)
        st.info(f"Waiting for a free trainer: place {ahead + 1} in the queue "
                f"({ahead} training{'s' if ahead != 1 else ''} ahead of yours).")
    else:
        st.progress(fraction(jobs), text=view.progress_text(jobs))
    st.button(view.stop_label, key=view.stop_key, on_click=stop, args=(list(jobs),),
              help=view.stop_help)
    view.draw()
