"""The training worker process: niced from its start, and it trains exactly like this process."""

from __future__ import annotations

import dataclasses
import os
import threading

import numpy as np
import pytest

from rnn_core.presets import preset
from rnn_core.run import train
from rnn_core.worker import NICENESS, WorkerProcess


def test_worker_runs_niced_and_gives_this_process_results():
    config = dataclasses.replace(preset("t2-sine"), epochs=2)
    worker = WorkerProcess()
    events = []
    try:
        worker.start()
        # trainings are batch work: the server's pages come first
        assert os.getpriority(os.PRIO_PROCESS, worker._process.pid) >= min(NICENESS, 19)
        out = worker.train(config, None, events.append, threading.Event())
    finally:
        worker.close()
    here = train(config)
    assert [e.epoch for e in events] == [1, 2]
    assert out.history.epochs_run == here.history.epochs_run == 2
    np.testing.assert_allclose(out.pred_test, here.pred_test, rtol=1e-5, atol=1e-6)
    assert out.metrics["test_rmse_original"] == pytest.approx(here.metrics["test_rmse_original"],
                                                              rel=1e-5)
