"""rnn_core.replay: the weights after each epoch, bounded, and the network replayed from them."""

from __future__ import annotations

import pickle
import signal
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, strategies as st

from rnn_core import jobs, replay, store_codec, training, worker
from rnn_core.presets import preset
from rnn_core.replay import Recorder, kept_epochs
from rnn_core.run import train
from rnn_core.store import RunStore, new_token

from .conftest import ROOT

# A GRU (gates, so every cell kind of the replay path is not only SimpleRNN) on a short sine.
TINY = preset("t2-sine").replace(sine_length=200, split=150, epochs=3, units=4, dense_units=0,
                                 cell="gru")


@pytest.fixture(scope="module")
def trained():
    run = train(TINY)
    run.name = "run 1: gru 4u"
    return run


# --- which epochs are kept --------------------------------------------------------------------


@given(epochs=st.integers(1, 500), epoch_bytes=st.integers(1, 5000), limit=st.integers(0, 200_000))
def test_kept_epochs_fit_the_limit_evenly_with_first_and_last(epochs, epoch_bytes, limit):
    kept = kept_epochs(epochs, epoch_bytes, limit)
    assert kept[-1] == epochs  # the run's own weights: always there
    assert list(kept) == sorted(set(kept)) and 1 <= kept[0]
    assert (len(kept) - 1) * epoch_bytes <= limit  # the ones before the last fit
    if epochs * epoch_bytes <= limit + epoch_bytes:
        assert kept == tuple(range(1, epochs + 1))
    elif limit >= epoch_bytes:  # thinned: as many as fit, the first kept, evenly spaced
        assert len(kept) == limit // epoch_bytes + 1 and kept[0] == 1
        gaps = np.diff(kept)
        assert gaps.max() - gaps.min() <= 1
    else:
        assert kept == (epochs,)


def test_kept_epochs_by_hand():
    assert kept_epochs(10, 100, limit=300) == (1, 4, 7, 10)
    assert kept_epochs(3, 100, limit=200) == (1, 2, 3)
    assert kept_epochs(3, 100, limit=99) == (3,)
    assert kept_epochs(0, 100) == ()


def test_recorder_keeps_the_plan_and_a_stopped_runs_last_epoch():
    weights = [np.zeros(25, dtype=np.float32)]  # 100 bytes an epoch
    rec = Recorder(epochs=10, limit=300)
    for epoch in range(1, 6):  # stopped after epoch 5 of 10
        rec.take(epoch, [w + epoch for w in weights])
    snaps = rec.finish(epochs_run=5)
    assert rec.plan == (1, 4, 7, 10)
    assert snaps.epochs == (1, 4, 5)  # 5: the run's own weights, not kept twice
    assert [float(ws[0][0]) for ws in snaps.weights] == [1.0, 4.0]
    assert snaps.nbytes == 200 and not snaps.complete
    assert "3 of the 5 epochs are kept" in snaps.sentence(100)
    assert "epochs 1, 4, 5" in snaps.sentence(100)
    assert Recorder(epochs=2, limit=10).finish(0).epochs == ()


# --- a real training ------------------------------------------------------------------------


def test_training_keeps_every_epoch_and_the_first_is_a_one_epoch_training(trained):
    snaps = trained.snapshots
    assert snaps.epochs == (1, 2, 3) and snaps.complete
    assert len(snaps.weights) == 2
    assert snaps.nbytes == 2 * replay.epoch_bytes(trained)
    sentence = snaps.sentence(replay.epoch_bytes(trained))
    assert sentence == "The weights after each of the 3 epochs are kept."
    one = train(TINY.replace(epochs=1))  # the same seed: the same first epoch
    for a, b in zip(snaps.weights[0], one.weights):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert not all(np.array_equal(a, b) for a, b in zip(snaps.weights[0], trained.weights))


def test_replay_at_the_last_epoch_is_the_runs_own_predictions(trained):
    last = replay.last_epoch(trained)
    ptr, pte = replay.numpy_predictions(trained, last)
    np.testing.assert_allclose(ptr, trained.pred_train, atol=1e-5)
    np.testing.assert_allclose(pte, trained.pred_test, atol=1e-5)
    shown = replay.replay(trained, last)
    assert shown.last and shown.pred_test is trained.pred_test and shown.metrics is trained.metrics
    assert replay.network_at(trained, last) is trained.network


def test_replay_at_an_earlier_epoch_is_what_keras_predicts_with_those_weights(trained):
    from rnn_core import model as model_mod

    w = trained.windows
    keras = model_mod.build(TINY, w.steps, w.n_features)
    keras.set_weights(replay.weights_at(trained, 1))
    shown = replay.replay(trained, 1)
    np.testing.assert_allclose(shown.pred_train, training.predict(keras, w.x_train), atol=1e-5)
    np.testing.assert_allclose(shown.pred_test, training.predict(keras, w.x_test), atol=1e-5)
    assert not shown.last and shown.loss == trained.history.loss[0]
    assert shown.metrics["test_rmse"] == pytest.approx(
        float(np.sqrt(np.mean((shown.pred_test - w.y_test) ** 2))))
    assert shown.metrics["test_rmse"] != pytest.approx(trained.metrics["test_rmse"])
    net = replay.network_at(trained, 1)
    assert replay.network_at(trained, 1) is net  # kept: pages cache by id(network)
    assert replay.is_earlier_epoch(trained, net) and not replay.is_earlier_epoch(
        trained, trained.network)
    with pytest.raises(ValueError, match="not kept"):
        replay.weights_at(trained, 7)


def test_a_large_run_keeps_evenly_spaced_epochs(monkeypatch):
    config = TINY.replace(epochs=7)
    from rnn_core.architecture import architecture
    from rnn_core.run import prepare

    w = prepare(config).windows
    params = sum(s.params for s in architecture(config, w.steps, w.n_features))
    # room for two float32 epochs besides the last: 1, 4, 7
    monkeypatch.setattr(replay, "MAX_SNAPSHOT_BYTES", 2 * 4 * params)
    run = train(config)
    assert run.snapshots.epochs == (1, 4, 7)
    ptr, _ = replay.numpy_predictions(run, 4)
    assert ptr.shape == run.pred_train.shape
    assert run.snapshots.nbytes <= replay.MAX_SNAPSHOT_BYTES


# --- through the worker, the queue and the store ---------------------------------------------


class _Conn:
    """A worker's connection: hands over the messages, records what it sends."""

    def __init__(self, messages):
        self.messages, self.sent = list(messages), []

    def recv(self):
        return self.messages.pop(0)

    def send(self, message):
        self.sent.append(pickle.loads(pickle.dumps(message)))  # as the socket carries it


def test_the_worker_sends_the_snapshots_and_the_queue_puts_them_on_the_run(trained):
    conn = _Conn([(TINY, None), None])
    previous = signal.getsignal(signal.SIGUSR1)
    try:
        worker.serve(conn)
    finally:
        signal.signal(signal.SIGUSR1, previous)
    outcome = conn.sent[-1][1]
    assert outcome.snapshots.epochs == (1, 2, 3)
    for a, b in zip(outcome.snapshots.weights[1], trained.snapshots.weights[1]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)

    class Process:
        def train(self, *args):
            return outcome

    job = jobs.TrainingJob(TINY)
    jobs.execute(job, Process())
    assert job.status == jobs.DONE
    assert job.run.snapshots is outcome.snapshots
    np.testing.assert_allclose(replay.replay(job.run, 2).pred_test,
                               replay.replay(trained, 2).pred_test, atol=1e-5)


def test_store_round_trip_keeps_the_snapshots(tmp_path, trained):
    db, token = RunStore(tmp_path / "runs.sqlite3"), new_token()
    db.add_run(token, trained, number=1)
    [stored] = db.runs(token)
    back = stored.run
    assert back.snapshots.epochs == trained.snapshots.epochs
    assert back.snapshots.limit == trained.snapshots.limit
    for kept, original in zip(back.snapshots.weights, trained.snapshots.weights):
        for a, b in zip(kept, original):
            assert a.dtype == b.dtype and np.array_equal(a, b)
    np.testing.assert_array_equal(replay.replay(back, 1).pred_test,
                                  replay.replay(trained, 1).pred_test)


def test_a_run_stored_before_replays_were_kept_still_loads(tmp_path, trained, monkeypatch):
    db, token = RunStore(tmp_path / "runs.sqlite3"), new_token()
    monkeypatch.setattr(store_codec, "snapshot_arrays", lambda snapshots: {})  # the old writer
    db.add_run(token, trained, number=1)
    [stored] = db.runs(token)
    assert stored.run.snapshots is None
    assert replay.epochs_of(stored.run) == (3,)
    assert replay.replay(stored.run, 3).pred_test is stored.run.pred_test


def test_the_server_replays_a_stored_run_without_tensorflow(tmp_path, trained):
    db, token = RunStore(tmp_path / "runs.sqlite3"), new_token()
    db.add_run(token, trained, number=1)
    code = ("import sys; from rnn_core.store import RunStore; from rnn_core import replay; "
            f"[s] = RunStore({str(tmp_path / 'runs.sqlite3')!r}).runs({token!r}); "
            "r = replay.replay(s.run, 1); "
            "print(repr(float(r.pred_test.sum())), 'tensorflow' in sys.modules, "
            "'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    total, tf_loaded, keras_loaded = out.stdout.split()
    assert float(total) == pytest.approx(float(replay.replay(trained, 1).pred_test.sum()), rel=1e-9)
    assert (tf_loaded, keras_loaded) == ("False", "False")


def test_dropping_the_model_drops_the_snapshots():
    run = train(TINY.replace(epochs=2))
    replay.network_at(run, 1)
    run.drop_model()
    assert run.snapshots is None and run.replay_networks == {}
