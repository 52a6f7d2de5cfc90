"""Training from a terminal: progress lines on stderr, Ctrl-C to stop, TensorFlow kept quiet.

``fit`` is what ``train`` and ``forecast`` of the command line run once their input is checked.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from typing import Any, TextIO

from .config import RunConfig


def fit(config: RunConfig, prepared: Any, verbose: bool, err: TextIO) -> Any:
    """Train ``config`` on the already prepared series; Ctrl-C stops after the current step."""
    from . import run as run_mod

    on_epoch = None
    if verbose:
        def on_epoch(event: Any) -> None:
            print(f"epoch {event.epoch}/{event.epochs}  loss {event.loss:.6g}  "
                  f"val_loss {event.val_loss:.6g}  {event.elapsed:.1f} s", file=err, flush=True)

    import_keras_quietly()
    stop = threading.Event()
    previous = install_sigint(stop, err)
    try:
        run = run_mod.train(config, series=prepared.series, on_epoch=on_epoch, stop=stop)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    return run


def import_keras_quietly() -> None:
    """Import TensorFlow/Keras with file descriptor 2 pointed at /dev/null.

    TF 2.21 writes its oneDNN notice through absl before logging is initialised, which
    ``TF_CPP_MIN_LOG_LEVEL`` does not silence; stderr must carry only our own lines. Python
    errors raised by the import still surface: they are raised after stderr is restored.
    """
    from .model import keras_module

    # TensorFlow's Python warnings too (e.g. "triggered tf.function retracing" when a race
    # trains several networks in one process): the command's stderr is its own lines only
    logging.getLogger("tensorflow").setLevel(logging.ERROR)
    if keras_module.cache_info().currsize:  # already imported in this process
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        keras_module()
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            try:
                keras_module()
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def install_sigint(stop: threading.Event, err: TextIO) -> Any:
    """First Ctrl-C stops training after the current step and still reports; second one aborts."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("stopping after the current step (Ctrl-C again to abort)...", file=err, flush=True)

    try:
        return signal.signal(signal.SIGINT, handler)
    except (ValueError, OSError):
        return None
