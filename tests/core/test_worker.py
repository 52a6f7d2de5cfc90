"""The training worker process: niced from its start, it trains exactly like this process, and it
answers the questions only Keras answers (rnn_core/keras_request.py)."""

from __future__ import annotations

import dataclasses
import os
import threading

import numpy as np
import pytest

from rnn_core import memory, worker as worker_module
from rnn_core.forward import Network
from rnn_core.keras_request import KerasRequest
from rnn_core.model import build
from rnn_core.presets import preset
from rnn_core.run import prepare, train
from rnn_core.worker import WorkerProcess

# The server nices its workers by 10 (RNN_EXPLORER_WORKER_NICE); tests/conftest.py sets 0 for
# the suite. Here 1: the same code path, and a worker that imports TensorFlow at nice 10 on a
# loaded machine is starved for minutes (this test hit its 600 s timeout so).
NICENESS = 1


def test_worker_runs_niced_and_gives_this_process_results(monkeypatch):
    monkeypatch.setattr(worker_module, "NICENESS", NICENESS)
    # t2-sine on a shorter sine (150 training windows): the same cell, layout and layers
    config = dataclasses.replace(preset("t2-sine"), epochs=2, sine_length=200, split=150)
    worker = WorkerProcess()
    events = []
    try:
        worker.start()
        # trainings are batch work: the server's pages come first
        assert os.getpriority(os.PRIO_PROCESS, worker._process.pid) == max(
            NICENESS, os.getpriority(os.PRIO_PROCESS, 0))
        out = worker.train(config, None, events.append, threading.Event())
        # the numbers only Keras gives about a network the server holds in numpy, from the
        # worker: the untrained network's weights, Keras' prediction, TensorFlow's autodiff
        w = prepare(config).windows
        network = Network(config, out.weights, w.steps, w.n_features)
        autodiff = worker.keras(KerasRequest.gradients(network, w.x_test[:2]))
        predicted = worker.keras(KerasRequest.prediction(network, w.x_test[:3]))
        initial = worker.keras(KerasRequest.initial_weights(config, w.steps, w.n_features))
        with pytest.raises(RuntimeError, match="ValueError"):  # bad weights: said, not a crash
            worker.keras(KerasRequest("predict", config, w.steps, w.n_features,
                                      out.weights[:-1], w.x_test[:1]))
        assert len(worker.keras(KerasRequest.initial_weights(config, w.steps, w.n_features))) \
            == len(initial)  # and it serves on
    finally:
        worker.close()
    np.testing.assert_allclose(predicted[:, 0], out.pred_test[:3], rtol=1e-6, atol=1e-6)
    for got, want in zip(initial, build(config, w.steps, w.n_features).get_weights()):
        np.testing.assert_array_equal(got, want)
    for i in range(2):
        by_hand = memory.gradients(network, w.x_test[i]).d_output
        np.testing.assert_allclose(autodiff[i], by_hand, atol=1e-5 * np.abs(by_hand).max())
    here = train(config)
    assert [e.epoch for e in events] == [1, 2]
    assert out.history.epochs_run == here.history.epochs_run == 2
    np.testing.assert_allclose(out.pred_test, here.pred_test, rtol=1e-5, atol=1e-6)
    assert out.metrics["test_rmse_original"] == pytest.approx(here.metrics["test_rmse_original"],
                                                              rel=1e-5)
