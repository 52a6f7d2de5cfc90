"""One BLAS thread for the small matrices this project multiplies.

OpenBLAS starts a thread per core and splits every product between them. The matrices here are
small (a state-space model's 26 × 26, an LSTM's units × 4·units), so a second thread saves
nothing, and on a busy machine — the web server with thirty sessions, the test suite on two
cores — each product waits for a core the other work holds: fitting the ARIMA and SARIMA
baselines of air passengers took 23 s with two threads next to other work and 3.8 s with one
(BENCHMARKS.md, "One BLAS thread"). ``limit_process`` sets one thread for the whole process (the
web server does it once at start); ``one_thread`` does it around one computation elsewhere (the
command line, a notebook) and leaves the count as it was afterwards.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any, ContextManager

_LOCK = threading.Lock()  # concurrent callers restore the count in order
_PROCESS_LIMITED = threading.Event()


def _controller() -> Any:
    """threadpoolctl's view of the BLAS libraries loaded now (numpy and scipy each bring their
    own OpenBLAS, and scipy's is loaded only when scipy.linalg is first imported, so the view is
    taken at each call), or None without threadpoolctl (~7 ms)."""
    try:  # threadpoolctl comes with scikit-learn, a requirement of the app
        from threadpoolctl import ThreadpoolController
    except ImportError:  # pragma: no cover - a bare numpy install
        return None
    return ThreadpoolController()


def limit_process() -> None:
    """One BLAS thread for every later computation of this process (not undone): the libraries
    loaded now are limited, and ``OPENBLAS_NUM_THREADS`` tells those loaded later."""
    if _PROCESS_LIMITED.is_set():
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    controller = _controller()
    if controller is not None:
        controller.limit(limits=1, user_api="blas")
    _PROCESS_LIMITED.set()


@contextlib.contextmanager
def one_thread():
    """One BLAS thread while the block runs, then the count as before.

    >>> import numpy as np
    >>> with one_thread():
    ...     float((np.eye(3) @ np.ones(3)).sum())
    3.0
    """
    controller = None if _PROCESS_LIMITED.is_set() else _controller()
    if controller is None:
        yield
        return
    with _LOCK, controller.limit(limits=1, user_api="blas"):
        yield


def thread_counts() -> list[int]:
    """The thread count of each BLAS library loaded in this process (for tests and benches)."""
    controller = _controller()
    if controller is None:  # pragma: no cover
        return []
    return [info["num_threads"] for info in controller.info() if info["user_api"] == "blas"]
