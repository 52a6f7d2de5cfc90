"""Training in a separate process, so the server process never runs TensorFlow for a training.

Why a process and not a thread: a training holds Python's GIL for seconds at a time (Keras
traces its graph in Python), and a web server sharing the GIL with it answers in seconds
instead of milliseconds; and TensorFlow keeps megabytes of traced functions per trained model
for the life of the process (BENCHMARKS.md, "Memory over 50 trainings"). A worker process is replaced after ``RECYCLE_AFTER`` trainings, which
returns that memory to the machine.

The child is a plain ``python -m rnn_core.worker ADDRESS`` (not a multiprocessing child, which
would re-import the parent's ``__main__`` — under Streamlit, the app itself). It connects back
to the parent over a Unix socket with a one-time key. Parent → child: ``(config, series)`` to
train; ``("keras", KerasRequest)`` for a number only Keras gives about a network the server
holds in numpy (``rnn_core.keras_request``: an untrained network's initial weights, Keras' own
prediction, TensorFlow's ∂ŷ/∂x, the model as a .keras file), answered ``("done", value)`` or ``("error", message)``;
``None`` to quit. Child → parent: ``("ready",)`` once Keras is imported; for a training,
``("epoch", EpochEvent)`` per epoch, then ``("done", Outcome)`` or ``("error", message)``.
SIGUSR1 asks the child to stop the current training (it keeps the weights trained so far).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Client, Listener
from typing import Any

import numpy as np

from .config import TEXTS, RunConfig
from .data import Series
from .errors import RnnExplorerError
from .keras_request import KerasRequest, answer
from .training import History

RECYCLE_AFTER = int(os.environ.get("RNN_EXPLORER_RECYCLE_AFTER", "10"))
CONNECT_TIMEOUT = 60.0
NICENESS = int(os.environ.get("RNN_EXPLORER_WORKER_NICE", "10"))
_KEY_VARIABLE = "RNN_EXPLORER_WORKER_KEY"


@dataclass
class Outcome:
    """What a training sends back: everything of a ``Run`` except the data it can recompute."""

    history: History
    pred_train: np.ndarray
    pred_test: np.ndarray
    metrics: dict[str, float]
    weights: list[np.ndarray]
    autodiff_test: np.ndarray | None = None  # Run.autodiff_test
    # Run.snapshots (replay.Snapshots): the weights after the epochs before the last (the
    # last epoch's are ``weights``)
    snapshots: Any = None


def serve(conn: Any) -> None:
    """The child's main loop: import Keras once, then train whatever arrives."""
    from . import model

    stop = threading.Event()
    signal.signal(signal.SIGUSR1, lambda *_: stop.set())
    model.keras_module()
    conn.send(("ready",))
    while True:
        message = conn.recv()
        if message is None:
            return
        if message[0] == "keras":  # a question for Keras about a network sent as numbers
            conn.send(keras_message(message[1]))
            continue
        config, series = message
        stop.clear()
        conn.send(train_message(config, series, lambda e: conn.send(("epoch", e)), stop))


def train_message(config: RunConfig, series: Series | None, on_epoch: Any,
                  stop: threading.Event) -> tuple[str, Any]:
    """Train here: ``("done", Outcome)``, or ``("error", message)`` for bad input or a bug (a
    worker keeps serving). A worker process and a Ray actor (``rnn_core.ray_jobs``) both answer so."""
    from . import run

    try:
        if config.dataset in TEXTS:  # ``series`` is your own text (or None): a TextRun
            from .text import train_text

            return ("done", train_text(config, series, progress=on_epoch, should_stop=stop))
        result = run.train(config, series, on_epoch=on_epoch, stop=stop)
    except RnnExplorerError as err:
        return ("error", str(err))
    except Exception as err:  # a bug, not bad input: report it, keep serving
        return ("error", f"Training failed unexpectedly ({type(err).__name__}: {err}).")
    return ("done", Outcome(result.history, result.pred_train, result.pred_test, result.metrics,
                            result.weights, result.autodiff_test, result.snapshots))


def keras_message(request: KerasRequest) -> tuple[str, Any]:
    """``("done", keras_request.answer(request))`` or ``("error", message)``. A worker process
    and a Ray actor (``rnn_core.ray_jobs``) both answer so."""
    try:
        return ("done", answer(request))
    except Exception as err:  # bad weights for the config, or a bug: report, keep serving
        return ("error", f"{type(err).__name__}: {err}")


class WorkerProcess:
    """One child process and its connection, replaced after ``RECYCLE_AFTER`` trainings or a crash."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None
        self._conn: Any = None
        self._trainings = 0
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the child if there is none; it imports Keras in the background."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                return
            key = secrets.token_bytes(32)
            listener = Listener(family="AF_UNIX", authkey=key)
            listener._listener._socket.settimeout(CONNECT_TIMEOUT)  # never wait forever
            env = dict(os.environ, **{_KEY_VARIABLE: key.hex()})
            env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
            self._process = subprocess.Popen(
                [sys.executable, "-m", "rnn_core.worker", listener.address], env=env,
                cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                stdin=subprocess.DEVNULL)
            # niced from the start, not only once it runs main(): its first second is spent
            # importing, which should not slow the page of whoever started it
            _lower_priority(self._process.pid)
            try:
                self._conn = listener.accept()
            except OSError:
                self._process.kill()
                self._process = None
                raise RuntimeError("the training process did not start") from None
            finally:
                listener.close()
            self._trainings = 0

    def close(self) -> None:
        with self._lock:
            if self._process is None:
                return
            try:
                self._conn.send(None)
                self._process.wait(timeout=5)
            except (OSError, ValueError, subprocess.TimeoutExpired):
                self._process.kill()
            self._process = self._conn = None

    def train(self, config: RunConfig, series: Series | None, on_epoch, stop: threading.Event,
              poll_seconds: float = 0.1) -> Outcome:
        """Train in the child; ``on_epoch`` runs here (the caller's thread) for every epoch.

        Raises ``RnnExplorerError`` for bad input and ``RuntimeError`` if the child died.
        """
        if self._process is not None and self._trainings >= RECYCLE_AFTER:
            self.close()
        self.start()
        self._trainings += 1
        self._conn.send((config, series))
        stop_sent = False
        while True:
            if stop.is_set() and not stop_sent:
                self._process.send_signal(signal.SIGUSR1)
                stop_sent = True
            try:
                if not self._conn.poll(poll_seconds):
                    if self._process.poll() is not None:
                        raise EOFError
                    continue
                message = self._conn.recv()
            except (EOFError, OSError):
                self.close()
                raise RuntimeError("the training process stopped unexpectedly (out of memory?); "
                                   "try fewer units or a shorter series") from None
            kind = message[0]
            if kind == "epoch":
                on_epoch(message[1])
            elif kind == "done":
                return message[1]
            elif kind == "error":
                raise RnnExplorerError(message[1])
            # "ready" needs no answer

    def keras(self, request: KerasRequest, timeout: float = 120.0) -> Any:
        """``keras_request.answer(request)`` computed in the child (it builds one model, so it
        counts towards ``RECYCLE_AFTER`` like a training). Raises ``RuntimeError`` if the child
        fails it or does not answer within ``timeout`` seconds."""
        if self._process is not None and self._trainings >= RECYCLE_AFTER:
            self.close()
        self.start()
        self._trainings += 1
        self._conn.send(("keras", request))
        try:
            if not self._conn.poll(timeout):
                raise EOFError
            message = self._conn.recv()
        except (EOFError, OSError):
            self.close()
            raise RuntimeError("the worker process did not answer") from None
        while message[0] == "ready":
            message = self._conn.recv()
        if message[0] == "error":
            raise RuntimeError(message[1])
        return message[1]


def _lower_priority(pid: int) -> None:
    """Trainings are batch work: the web server and the pages come first on a busy machine."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, max(NICENESS, os.getpriority(os.PRIO_PROCESS, pid)))
    except OSError:
        pass  # the process is gone, or the platform does not allow it: run at normal priority


def main(argv: list[str] | None = None) -> None:
    address = (argv or sys.argv[1:])[0]
    _lower_priority(0)  # this process (already done by the parent when it started us)
    conn = Client(address, family="AF_UNIX", authkey=bytes.fromhex(os.environ.pop(_KEY_VARIABLE)))
    try:
        serve(conn)
    except (EOFError, OSError, KeyboardInterrupt):
        pass  # the parent went away


if __name__ == "__main__":
    # Run the copy imported under its real name, so what it pickles (Outcome) is
    # rnn_core.worker.Outcome for the parent, not __main__.Outcome.
    from rnn_core.worker import main as real_main

    real_main()
