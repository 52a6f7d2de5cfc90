"""A bounded queue of trainings shared by every user of one server.

A workshop puts thirty people on one 2-core machine. Each Train click becomes a
``TrainingJob``; a fixed number of worker threads take jobs in order, so the server never runs
more than ``MAX_CONCURRENT_TRAININGS`` trainings at once, and a waiting user can be told their
place. That number is set, not measured: ``RNN_EXPLORER_WORKERS``, default 2 (one per core of
the machine the app was sized for); on a larger machine, raise it.

The runner holds a training job only while it waits or runs; the finished model lives in the
job, and the job lives in its user's session, nowhere else. The one exception is Keras'
answers (``KerasJob``): the last ``KERAS_ANSWERS_KEPT`` are kept by the question's fingerprint,
so the same question asked again (thirty people opening lesson 1's untrained network) is
answered once; an answer is a function of the question alone, so sharing it tells nobody
anything they did not send.

>>> runner = Runner(workers=1)
>>> runner.queued()
0
"""

from __future__ import annotations

import itertools
import logging
import os
import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from .config import TEXTS, RunConfig
from .data import Series
from .divergence import message as divergence_message, run_diverged
from .errors import RnnExplorerError
from .keras_request import KerasRequest
from .training import EpochEvent
from .worker import WorkerProcess, keras_message

log = logging.getLogger(__name__)

# Trainings that run at the same time on one server (each on TF_THREADS threads): the
# environment's RNN_EXPLORER_WORKERS, else 2. It does not follow the machine's cores.
MAX_CONCURRENT_TRAININGS = int(os.environ.get("RNN_EXPLORER_WORKERS", "2"))
# Train in worker processes (the default) or in threads of this process (=1: simpler to debug,
# but a training then slows every page of the server; see rnn_core/worker.py).
IN_PROCESS = os.environ.get("RNN_EXPLORER_IN_PROCESS", "0") == "1"

QUEUED, RUNNING, DONE, STOPPED, DIVERGED, FAILED = (
    "queued", "running", "done", "stopped", "diverged", "failed")
FINISHED = (DONE, STOPPED, DIVERGED, FAILED)

# Keras' answers kept for the same question asked again (each holds its request's weights and
# windows and the answer: an untrained network's weights, a prediction or gradients).
KERAS_ANSWERS_KEPT = 32

_ids = itertools.count(1)


@dataclass
class TrainingJob:
    """One requested training: its progress, and when finished its ``Run`` or its error."""

    config: RunConfig
    series: Series | None = None  # a text config's (rnn_core.text): your own text, a str, or None
    id: int = field(default_factory=lambda: next(_ids))
    status: str = QUEUED
    events: list[EpochEvent] = field(default_factory=list)
    run: Any = None  # rnn_core.run.Run once finished (also when stopped or diverged); a text's TextRun
    error: str | None = None
    submitted: float = field(default_factory=time.monotonic)
    stop_event: threading.Event = field(default_factory=threading.Event)
    _runner: "Runner | None" = field(default=None, repr=False)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def last_event(self) -> EpochEvent | None:
        return self.events[-1] if self.events else None

    def position(self) -> int:
        """0 while running or finished; k if k-1 jobs wait ahead of this one."""
        return self._runner.position(self) if self._runner and self.status == QUEUED else 0

    def request_stop(self) -> None:
        """End training after the current epoch and keep the weights trained so far."""
        self.stop_event.set()


@dataclass
class KerasJob(TrainingJob):
    """A number only Keras gives about a network the server holds as numbers (a
    ``keras_request.KerasRequest``: an untrained network's initial weights, Keras' own
    prediction, TensorFlow's autodiff, or the model saved as a .keras file), computed where
    TensorFlow is, a worker, in the same queue as the trainings. ``result`` is
    ``keras_request.answer``'s value once done."""

    request: KerasRequest | None = None
    result: Any = None


class Trainer(Protocol):
    """Where one worker slot's jobs run: ``worker.WorkerProcess`` (a process on this machine,
    the default) or ``ray_jobs.ActorSlot`` (a Ray actor anywhere in a cluster). The queue, the
    places, Stop and divergence stay the ``Runner``'s whichever it is."""

    def start(self) -> None: ...

    def train(self, config: RunConfig, series: Series | None, on_epoch: Callable[[EpochEvent], Any],
              stop: threading.Event) -> Any: ...  # worker.Outcome

    def keras(self, request: KerasRequest) -> Any: ...  # keras_request.answer(request)


class Runner:
    """Worker threads taking ``TrainingJob``s from one queue, oldest first, each running them
    in its own ``Trainer`` (made by ``trainer``; a worker process unless said otherwise)."""

    def __init__(self, workers: int = MAX_CONCURRENT_TRAININGS, in_process: bool = IN_PROCESS,
                 trainer: Callable[[], Trainer] | None = None):
        self._queue: deque[TrainingJob] = deque()
        self._cond = threading.Condition()
        self._answers: OrderedDict[str, KerasJob] = OrderedDict()  # fingerprint -> its job
        make = trainer or WorkerProcess
        self._processes = [None if in_process and trainer is None else make()
                           for _ in range(max(1, workers))]
        self._threads = [
            threading.Thread(target=self._work, args=(process,), name=f"trainer-{i}", daemon=True)
            for i, process in enumerate(self._processes)
        ]
        for t in self._threads:
            t.start()

    def submit(self, config: RunConfig, series: Series | None = None,
               text: str | None = None) -> TrainingJob:
        """Queue a training: a series config (with ``series``, a table), or a text config
        (``rnn_core.text``; with ``text``, your own text), whose run is a ``TextRun``."""
        job = TrainingJob(config, text if text is not None else series, _runner=self)
        with self._cond:
            self._queue.append(job)
            self._cond.notify()
        return job

    def submit_keras(self, request: KerasRequest) -> KerasJob:
        """Queue a question for Keras (``KerasRequest.initial_weights``, ``.prediction``,
        ``.gradients``, ``.model_file``); its job's ``result`` holds the answer once finished.
        The same question asked again (its ``digest``) gets the same job while it waits, runs
        or holds its answer (one of the last ``KERAS_ANSWERS_KEPT``); a failed or stopped one is
        asked anew. A .keras file is never shared (its bytes are large, and one download may
        give up on it)."""
        key = None if request.kind == "file" else request.digest()
        with self._cond:
            job = self._answers.get(key) if key is not None else None
            if job is not None and job.status not in (FAILED, STOPPED):
                self._answers.move_to_end(key)
                return job
            job = KerasJob(request.config, None, _runner=self, request=request)
            self._queue.append(job)
            self._cond.notify()
            if key is not None:
                self._answers[key] = job
                while len(self._answers) > KERAS_ANSWERS_KEPT:
                    self._answers.popitem(last=False)
        return job

    def queued(self) -> int:
        with self._cond:
            return len(self._queue)

    def position(self, job: TrainingJob) -> int:
        with self._cond:
            for i, waiting in enumerate(self._queue):
                if waiting is job:
                    return i + 1
        return 0

    def _work(self, process) -> None:
        if process is not None:
            # Start the worker now, so it imports Keras before the first Train click; here in
            # this thread, not in __init__, so the page that creates the runner (the first
            # visit after a restart) does not wait for each worker to connect back.
            try:
                process.start()
            except RuntimeError:
                log.warning("a training process did not start; the first training retries")
        while True:
            with self._cond:
                while not self._queue:
                    self._cond.wait()
                job = self._queue.popleft()
            execute(job, process)


def _train_in(process, job: TrainingJob):
    """The job's Run, trained in ``process`` (a WorkerProcess) or, if None, in this thread."""
    from .run import Run, prepare, train

    if job.config.dataset in TEXTS:  # the worker sends back the whole TextRun
        return _train_text_in(process, job)
    if process is None:
        return train(job.config, job.series, on_epoch=job.events.append, stop=job.stop_event)
    prepared = prepare(job.config, job.series)  # cheap, and the same as the worker's
    try:
        out = process.train(job.config, job.series, job.events.append, job.stop_event)
    except RuntimeError as err:
        raise RnnExplorerError(f"Training failed: {err}.") from None
    return Run(job.config, prepared, out.history, out.pred_train, out.pred_test, out.metrics,
               weights=out.weights, autodiff_test=out.autodiff_test, snapshots=out.snapshots)


def _train_text_in(process, job: TrainingJob):
    """A text config's ``TextRun`` (``text.train_text``; ``job.series`` is your own text)."""
    if process is None:
        from .text import train_text

        return train_text(job.config, job.series, progress=job.events.append,
                          should_stop=job.stop_event)
    try:
        return process.train(job.config, job.series, job.events.append, job.stop_event)
    except RuntimeError as err:
        raise RnnExplorerError(f"Training failed: {err}.") from None


def _answer_here(request: KerasRequest) -> Any:
    """``request`` answered in this thread exactly as a worker answers it: bad weights for the
    config are an error message (``RuntimeError``), not a bug."""
    kind, value = keras_message(request)
    if kind == "error":
        raise RuntimeError(value)
    return value


def _keras(job: KerasJob, process) -> None:
    """Answer a ``KerasJob`` in ``process`` (a WorkerProcess or a Ray slot) or, if None, in
    this thread (the in-process backend)."""
    request = job.request
    try:
        job.result = _answer_here(request) if process is None else process.keras(request)
        job.status = DONE
    except (RnnExplorerError, RuntimeError) as err:
        job.status, job.error = FAILED, f"{request.description} failed: {err}"
    except Exception as err:  # a bug: keep the server up and say so
        log.exception("Keras job %s (%s) failed", job.id, request.kind)
        job.status, job.error = FAILED, (f"{request.description} failed ({type(err).__name__}: "
                                         f"{err}).")


def execute(job: TrainingJob, process=None) -> None:
    """Run one job, in ``process`` or in the calling thread, recording its outcome on the job."""
    if job.stop_event.is_set():
        job.status = STOPPED
        job.error = "Stopped before it started."
        return
    job.status = RUNNING
    if isinstance(job, KerasJob):
        _keras(job, process)
        return
    try:
        job.run = _train_in(process, job)
    except RnnExplorerError as err:
        job.status, job.error = FAILED, str(err)
        return
    except Exception as err:  # a bug, not bad input: keep the server up and say so
        log.exception("training job %s failed", job.id)
        job.status, job.error = FAILED, f"Training failed unexpectedly ({type(err).__name__}: {err})."
        return
    history = job.run.history
    if run_diverged(history, job.run.metrics):  # the one rule: the CLI's exit 3, Results' caption
        job.status = DIVERGED
        job.error = divergence_message(job.config, history)
    elif history.stopped:
        job.status = STOPPED
    else:
        job.status = DONE


_runner: Runner | None = None
_runner_lock = threading.Lock()


def runner() -> Runner:
    """The process-wide runner, created on first use: worker processes on this machine, or
    Ray actors when ``RNN_EXPLORER_RAY_ADDRESS`` names a cluster (``rnn_core.ray_jobs``)."""
    global _runner
    with _runner_lock:
        if _runner is None:
            address = os.environ.get("RNN_EXPLORER_RAY_ADDRESS", "").strip()
            if address:
                from .ray_jobs import ray_runner  # Ray is imported only then

                _runner = ray_runner(address)
            else:
                _runner = Runner()
        return _runner
