"""Trainings on a Ray cluster: the queue's second backend, for more than one machine.

``RNN_EXPLORER_RAY_ADDRESS`` chooses it (``jobs.runner``): ``auto`` (a cluster this machine
belongs to), ``ray://head:10001`` (Ray Client), ``host:6379``, or ``local`` (start a cluster
in this process, for trying it out). Unset, nothing here is imported, nor Ray.

Only where a job runs changes. The queue (order, places, Stop, divergence, the finished
``Run``) is ``jobs.Runner``'s as on one machine; each of its worker slots holds an
``ActorSlot``: one Ray actor (``_Trainer``), a process on some machine of the cluster that
imported Keras once and trains one job at a time, like ``worker.WorkerProcess`` does here, so
TensorFlow stays warm between trainings. The slot speaks to it with the same calls (start,
train, keras). The epochs come back by polling the actor (a threaded actor: ``events`` and
``stop`` are answered while ``train`` runs); Stop sets the actor's stop event, and the run
ends after its current epoch with the weights trained so far.

A slot whose actor dies (its process killed, its machine gone) fails that job with ``LOST``
— never a hang — and starts a new actor for the next job; the other slots' jobs go on.

Sizes: each training asks Ray for ``RNN_EXPLORER_RAY_CPUS`` CPUs (default 1); the runner has
``RNN_EXPLORER_WORKERS`` slots if that is set, else one per free share of the cluster's CPUs
when it starts. Several servers sharing one cluster should each set ``RNN_EXPLORER_WORKERS``
to their share: an actor holds its CPUs while it lives.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from pathlib import Path
from typing import Any, Callable

from . import worker
from .config import RunConfig
from .data import Series
from .errors import RnnExplorerError
from .keras_request import KerasRequest
from .training import EpochEvent

log = logging.getLogger(__name__)

CPUS_PER_TRAINING = float(os.environ.get("RNN_EXPLORER_RAY_CPUS", "1"))
# How long a new actor may take to be placed and import Keras before its job is failed
# (a cluster without a free CPU for that long).
START_TIMEOUT = float(os.environ.get("RNN_EXPLORER_RAY_START_TIMEOUT", "300"))
CALL_TIMEOUT = 60.0  # one question to a live actor (its epochs so far); longer means it is gone
POLL_SECONDS = 0.2
LOCAL_OBJECT_STORE_BYTES = 100 * 1024 ** 2  # ``local``: a run's arrays are kilobytes
LOST = ("Training lost: the Ray worker running it went away (its process or machine stopped) "
        "before it finished. Train again to retry.")
# The settings a training reads from the environment, passed on to the cluster's machines (a
# ``local`` cluster's workers inherit this process's environment).
_PASSED_ON = ("RNN_EXPLORER_TF_THREADS", "RNN_EXPLORER_WORKER_NICE", "TF_CPP_MIN_LOG_LEVEL",
              "PYTHONHASHSEED")


def connect(address: str) -> None:
    """``ray.init`` for ``address`` (see the module's docstring), once per process, quietly.

    The cluster runs this checkout's ``rnn_core`` (shipped with the connection), so the
    machines need only the packages of requirements.txt and requirements-ray.txt."""
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    import ray

    if ray.is_initialized():
        return
    _check_reachable(address)
    options: dict[str, Any] = dict(log_to_driver=False, logging_level="ERROR")
    if address == "local":
        ray.init(address="local",
                 num_cpus=int(os.environ.get("RNN_EXPLORER_WORKERS", "2")) * CPUS_PER_TRAINING,
                 include_dashboard=False, object_store_memory=LOCAL_OBJECT_STORE_BYTES, **options)
    else:  # this checkout's code and training settings, for every machine of the cluster
        env = {k: os.environ[k] for k in _PASSED_ON if k in os.environ}
        ray.init(address=address, runtime_env={
            "py_modules": [str(Path(__file__).resolve().parent)], "env_vars": env}, **options)


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """Raise ``OSError`` if ``host:port`` (or ``ray://host:port``) takes no connection: Ray's
    own connect retries a dead address for minutes, and a server must not hang on it."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if host and port.isdigit():
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()


def slots() -> int:
    """Trainings at once: ``RNN_EXPLORER_WORKERS`` if set, else the cluster's CPUs divided by
    ``CPUS_PER_TRAINING`` (at least 1)."""
    import ray

    if os.environ.get("RNN_EXPLORER_WORKERS"):
        return max(1, int(os.environ["RNN_EXPLORER_WORKERS"]))
    return max(1, int(ray.cluster_resources().get("CPU", 1) // CPUS_PER_TRAINING))


def ray_runner(address: str, workers: int | None = None) -> Any:
    """A ``jobs.Runner`` whose slots are Ray actors on the cluster at ``address``; if it cannot
    be reached, one whose every training fails saying so (the server stays up)."""
    from .jobs import Runner

    try:
        connect(address)
    except Exception as err:  # no cluster there, a wrong token, another Ray version, ...
        log.error("Ray cluster at %s not reached: %s", address, err)
        message = (f"The Ray cluster at {address} (RNN_EXPLORER_RAY_ADDRESS) could not be "
                   f"reached ({type(err).__name__}): check the address and that the cluster "
                   "runs, then restart the server.")
        return Runner(1, in_process=False, trainer=lambda: _Unreachable(message))
    return Runner(workers or slots(), in_process=False, trainer=ActorSlot)


class _Unreachable:
    """A slot without a cluster: every job fails with ``message``."""

    def __init__(self, message: str) -> None:
        self.message = message

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def train(self, *args: Any, **kwargs: Any) -> Any:
        raise RnnExplorerError(self.message)

    def keras(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(self.message)


class _Trainer:
    """The actor: imports Keras once, then trains one job at a time; ``events``/``stop`` are
    answered from other threads while ``train`` runs (``max_concurrency``)."""

    def __init__(self) -> None:
        from . import model
        worker._lower_priority(0)  # on the web server's machine the pages come first
        model.keras_module()
        self._events: list[EpochEvent] = []
        self._stop = threading.Event()

    def pid(self) -> int:
        return os.getpid()

    def train(self, config: RunConfig, series: Series | None) -> tuple[str, Any]:
        self._events, self._stop = [], threading.Event()
        return worker.train_message(config, series, self._events.append, self._stop)

    def events(self, since: int) -> list[EpochEvent]:
        return self._events[since:]

    def stop(self) -> None:
        self._stop.set()

    def keras(self, request: KerasRequest) -> tuple[str, Any]:
        return worker.keras_message(request)


_actor_class: Any = None


def _remote_trainer() -> Any:
    """``_Trainer`` as a Ray actor class (made once, on first use: Ray is imported then)."""
    global _actor_class
    if _actor_class is None:
        import ray

        _actor_class = ray.remote(max_concurrency=4, max_restarts=0)(_Trainer)
    return _actor_class


class ActorSlot:
    """One worker slot of the runner: its Ray actor, replaced after ``worker.RECYCLE_AFTER``
    trainings (TensorFlow's per-model memory) or when it died."""

    def __init__(self) -> None:
        self._actor: Any = None
        self._trainings = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Place an actor if there is none and wait until it has imported Keras.

        Raises ``RuntimeError`` if it could not start within ``START_TIMEOUT``."""
        import ray

        with self._lock:
            if self._actor is not None:
                return
            actor = _remote_trainer().options(num_cpus=CPUS_PER_TRAINING).remote()
            try:
                ray.get(actor.pid.remote(), timeout=START_TIMEOUT)
            except ray.exceptions.RayError as err:
                ray.kill(actor)
                raise RuntimeError(f"no Ray worker could start ({type(err).__name__}): is "
                                   "there a free CPU in the cluster?") from None
            self._actor, self._trainings = actor, 0

    def close(self) -> None:
        import ray

        with self._lock:
            actor, self._actor = self._actor, None
        if actor is not None:
            ray.kill(actor)

    def pid(self) -> int | None:
        """The actor's process id (on its machine), or None without an actor."""
        import ray

        return ray.get(self._actor.pid.remote(), timeout=CALL_TIMEOUT) if self._actor else None

    def _ready(self) -> Any:
        """The actor for the next job: a new one after ``RECYCLE_AFTER`` trainings or if the
        idle one died (its machine went away between jobs: the job has lost nothing yet)."""
        import ray

        if self._actor is not None and self._trainings >= worker.RECYCLE_AFTER:
            self.close()
        if self._actor is not None:
            try:
                ray.get(self._actor.pid.remote(), timeout=CALL_TIMEOUT)
            except ray.exceptions.RayError:
                self._lost(self._actor)
        self.start()
        self._trainings += 1
        return self._actor

    def train(self, config: RunConfig, series: Series | None,
              on_epoch: Callable[[EpochEvent], Any], stop: threading.Event,
              poll_seconds: float = POLL_SECONDS) -> Any:
        """Train on the actor; ``on_epoch`` runs here for every epoch. Returns a
        ``worker.Outcome``; raises ``RnnExplorerError`` for bad input and ``LOST`` if the
        actor died."""
        import ray

        actor = self._ready()
        done = actor.train.remote(config, series)
        seen, stop_sent = 0, False
        try:
            while True:
                if stop.is_set() and not stop_sent:
                    actor.stop.remote()
                    stop_sent = True
                finished, _ = ray.wait([done], timeout=poll_seconds)
                # after ``done`` is ready, once more: the last epochs come before the outcome
                for event in ray.get(actor.events.remote(seen), timeout=CALL_TIMEOUT):
                    on_epoch(event)
                    seen += 1
                if finished:
                    kind, value = ray.get(done, timeout=CALL_TIMEOUT)
                    break
        except ray.exceptions.RayError:
            self._lost(actor)
            raise RnnExplorerError(LOST) from None
        if kind == "error":
            raise RnnExplorerError(value)
        return value

    def keras(self, request: KerasRequest, timeout: float = 120.0) -> Any:
        """``keras_request.answer(request)`` computed by the actor (it builds one model, so it
        counts towards ``RECYCLE_AFTER`` like a training). Raises ``RuntimeError`` if the actor
        fails it, dies or does not answer within ``timeout`` seconds."""
        import ray

        actor = self._ready()
        try:
            kind, value = ray.get(actor.keras.remote(request), timeout=timeout)
        except ray.exceptions.RayError:
            self._lost(actor)
            raise RuntimeError("the Ray worker did not answer") from None
        if kind == "error":
            raise RuntimeError(value)
        return value

    def _lost(self, actor: Any) -> None:
        """Forget a dead (or unanswering) actor; the next job starts a new one."""
        import ray

        with self._lock:
            if self._actor is actor:
                self._actor = None
        try:
            ray.kill(actor)
        except ray.exceptions.RayError:
            pass  # already gone

