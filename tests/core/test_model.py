"""The Keras model a config describes, and one training: epochs, stop flag, NaN guard."""

from __future__ import annotations

import math
import threading

import numpy as np
import pandas as pd
import pytest

from rnn_core import model as model_mod
from rnn_core import run as run_mod
from rnn_core import training
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.presets import preset

# The parameter table against Keras' own, for every cell and shape: tests/core/test_architecture.py


def test_t2_sine_has_1184_264_9_parameters(t2_prepared):
    cfg, w = preset("t2-sine"), t2_prepared.windows
    rows = model_mod.param_table(cfg, w.steps, w.n_features)
    assert [r.params for r in rows] == [1184, 264, 9]
    built = model_mod.build(cfg, w.steps, w.n_features)
    assert [r.params for r in model_mod.layer_table(built)] == [1184, 264, 9]
    assert built.count_params() == 1457


def test_t1_sunspots_has_19_parameters():
    rows = model_mod.param_table(preset("t1-sunspots"), 12, 1)
    assert [r.params for r in rows] == [15, 4]


def test_same_seed_same_initial_weights_other_seed_other_weights():
    cfg = RunConfig(units=4)
    a = model_mod.build(cfg, 5, 1).get_weights()
    b = model_mod.build(cfg, 5, 1).get_weights()
    c = model_mod.build(cfg.replace(seed=1), 5, 1).get_weights()
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    assert not all(np.array_equal(x, y) for x, y in zip(a, c))


TINY = RunConfig(dataset="sine", sine_length=120, split=0.75, time_steps=4, units=4,
                 epochs=2, batch_size=16)


def test_two_epochs_report_every_epoch_and_return_finite_history():
    prepared = run_mod.prepare(TINY)
    w = prepared.windows
    model = model_mod.build(TINY, w.steps, w.n_features)
    events = []
    history = training.fit(model, w, TINY, on_epoch=events.append)
    assert history.epochs_run == 2 and len(history.loss) == 2 and len(history.val_loss) == 2
    assert all(np.isfinite(history.loss)) and all(np.isfinite(history.val_loss))
    assert [(e.epoch, e.epochs) for e in events] == [(1, 2), (2, 2)]
    assert [e.loss for e in events] == history.loss
    assert events[-1].seconds_left == 0.0
    assert not history.stopped and not history.diverged
    assert history.fit_seconds > 0
    pred = training.predict(model, w.x_test)
    assert pred.shape == (w.n_test,) and pred.dtype == np.float64
    assert training.predict(model, w.x_test[:0]).shape == (0,)


def test_stop_flag_ends_training_after_the_first_epoch():
    stop = threading.Event()
    cfg = TINY.replace(epochs=20)
    run = run_mod.train(cfg, on_epoch=lambda event: stop.set(), stop=stop)
    assert run.history.stopped
    assert run.history.epochs_run == 1
    assert np.isfinite(run.metrics["test_rmse"])


def test_nan_guard_keeps_the_last_finite_weights():
    # values ~1e6 fed raw (no scaling) to a relu net with SGD at learning rate 1:
    # the first updates overflow and the loss becomes inf/NaN during epoch 1
    values = 1e6 * (1 + np.sin(np.arange(100) * 0.3))
    series = Series(values, pd.RangeIndex(100), "huge")
    cfg = RunConfig(scaler_fit="none", optimizer="sgd", learning_rate=1.0, activation="relu",
                    time_steps=4, batch_size=8, epochs=3)
    kept = []
    run = run_mod.train(cfg, series=series, on_model=kept.append)
    assert run.history.diverged
    assert run.history.epochs_run == 0  # no epoch ended with a finite loss
    # and training stopped there: the optimizer ran one epoch of batches, not three
    assert int(run.model.optimizer.iterations.numpy()) == math.ceil(run.windows.n_train / 8)
    weights = run.model.get_weights()
    assert all(np.isfinite(w).all() for w in weights)
    # diverged in epoch 1, so the kept weights are the initial ones (same seed, same draw)
    initial = model_mod.build(cfg, run.windows.steps, run.windows.n_features).get_weights()
    assert all(np.array_equal(a, b) for a, b in zip(weights, initial))
    assert np.isfinite(run.pred_test).all() and np.isfinite(run.metrics["test_rmse_original"])
    assert kept == [run.model]
