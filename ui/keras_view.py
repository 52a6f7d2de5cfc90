"""Keras' own numbers on the pages, computed in a worker (``rnn_core.keras_request``).

The web server never imports TensorFlow (docs/architecture.md: on Streamlit Community Cloud
``import keras`` costs ~600 MB per server process and holds the GIL for seconds). When a page
needs a number only Keras gives (an untrained network's initial weights, Keras' prediction of
a window, TensorFlow's autodiff), it queues a ``KerasRequest`` in the trainings' queue
(``jobs.Runner.submit_keras``), keeps the job in the session and waits for it with a spinner,
at most ``WAIT_SECONDS``; past that it says the workers are busy, and the answer is shown on
the next run once the job is done. Always from the script's thread: no ``st.*`` call here runs
in a worker thread.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import streamlit as st

from rnn_core import jobs
from rnn_core.keras_request import KerasRequest

from .session import session

PREDICTION_SPINNER = "Keras predicts this window in a worker (after any training ahead of it)…"
WAIT_SECONDS = 60  # how long a page waits for a worker's answer before saying the workers are busy
MODEL_FILE_HELP = ("The architecture and the trained weights, saved by a training worker; load "
                   "it with keras.models.load_model.")
FILE_WAIT_SECONDS = 120  # how long a download waits for a worker to save the .keras file


def submit(request: KerasRequest) -> jobs.KerasJob:
    """Queue ``request`` for a worker (the same queue and workers as the trainings)."""
    return jobs.runner().submit_keras(request)


def prediction(entry: str, key: tuple, network: Any, x: np.ndarray) -> np.ndarray | None:
    """Keras' own outputs of ``network`` (a ``forward.Network``) for the windows ``x``, asked of
    a worker once per ``key`` (the job kept in the session entry ``entry``); None after telling
    the user why (busy workers, or the request failed)."""
    job = session.cached(entry, key, lambda: submit(KerasRequest.prediction(network, x)))
    return result(job, entry, PREDICTION_SPINNER, "Keras' prediction of this window")


def wait(job: jobs.KerasJob, spinner: str, seconds: float | None = None) -> bool:
    """Wait for ``job`` under a spinner saying ``spinner``, at most ``seconds`` (default
    ``WAIT_SECONDS``); True once it has finished."""
    if not job.finished:
        deadline = time.monotonic() + (WAIT_SECONDS if seconds is None else seconds)
        with st.spinner(spinner):
            while not job.finished and time.monotonic() < deadline:
                time.sleep(0.1)
    return job.finished


def result(job: jobs.KerasJob, entry: str, spinner: str, what: str) -> Any | None:
    """``job``'s answer, waited for as ``wait`` does; else None after telling the user why:
    the workers are busy (the request for ``what`` waits in the queue), or the job failed. A failed job is
    dropped from the session key ``entry`` that holds it, so the next run asks again (a worker
    that died is replaced)."""
    if not wait(job, spinner):
        st.info(f"The workers are busy with trainings: the request for {what} waits in the "
                "queue. Open this page again in a moment to see the answer.")
        return None
    if job.status != jobs.DONE:
        st.error(job.error or f"{job.request.description} did not finish.")
        delattr(session, entry)
        return None
    return _own_copy(job.result)


def _own_copy(answer: Any) -> Any:
    """The session's own copy of an answer: the same question's job, and so its arrays, can be
    shared by every session that asked it (``jobs.Runner.submit_keras``)."""
    if isinstance(answer, np.ndarray):
        return answer.copy()
    if isinstance(answer, list):
        return [np.array(a, copy=True) for a in answer]
    return answer


def model_file(run: Any) -> bytes:
    """The trained ``run``'s model as a ``.keras`` file, saved by a worker from the run's
    weights: the deferred ``data`` of a download button (Streamlit calls it in a thread of its
    own when the button is clicked, where no ``st.*`` call shows; so it only waits, at most
    ``FILE_WAIT_SECONDS``, and raises with the reason if no file came)."""
    w = run.windows
    job = submit(KerasRequest.model_file(run.config, w.steps, w.n_features, run.weights))
    deadline = time.monotonic() + FILE_WAIT_SECONDS
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.1)
    if not job.finished:
        job.request_stop()  # nobody will read it: let the queue skip it
        raise RuntimeError(f"the workers were busy for {FILE_WAIT_SECONDS} s; try the download "
                           "again in a moment")
    if job.status != jobs.DONE:
        raise RuntimeError(job.error or "the .keras file could not be saved")
    return job.result
