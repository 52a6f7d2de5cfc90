"""rnn_core.store: runs and setups per browser token, bounded, in SQLite."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest

from rnn_core import store as store_mod, store_codec
from rnn_core.data import Series
from rnn_core.errors import RnnExplorerError
from rnn_core.presets import preset
from rnn_core.run import Run, evaluate, prepare
from rnn_core.store import RunStore, new_token
from rnn_core.training import History

from .conftest import ROOT

TINY = preset("t2-sine").replace(sine_length=200, split=150, epochs=1, units=4, dense_units=0)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def trained():
    """One real (1-epoch) training of a tiny sine setup."""
    from rnn_core.run import train

    run = train(TINY)
    run.name = "run 1: simplernn 4u T=4"
    return run


def fake_run(config=TINY, series: Series | None = None, payload: int = 0, loss: float = 0.5) -> Run:
    """A run with made-up weights and predictions of the right shapes (no training);
    ``payload`` adds that many random float64 values (incompressible bytes) to its weights."""
    prepared = prepare(config, series)
    w = prepared.windows
    rng = np.random.default_rng(int(loss * 1000))
    units, out = config.units, w.horizon  # a one-layer SimpleRNN without a dense layer
    assert config.cell == "simplernn" and config.layers == 1 and config.dense_units == 0
    weights = [rng.normal(size=(w.n_features, units)), rng.normal(size=(units, units)),
               rng.normal(size=units), rng.normal(size=(units, out)), rng.normal(size=out)]
    weights += [rng.normal(size=payload)] if payload else []
    pred_train = rng.normal(size=w.y_train.shape)
    pred_test = rng.normal(size=w.y_test.shape)
    return Run(config, prepared, History(loss=[loss], val_loss=[loss * 2], fit_seconds=0.1),
               pred_train, pred_test, evaluate(prepared, pred_train, pred_test), weights=weights,
               name=f"run loss={loss}")


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    return RunStore(tmp_path / "runs.sqlite3", clock=clock)


def test_a_trained_run_comes_back_equal(store, trained):
    token = new_token()
    row = store.add_run(token, trained, number=3)
    [back] = store.runs(token)
    assert back.id == row and back.number == 3
    run = back.run
    assert run.name == "run 1: simplernn 4u T=4"
    assert run.config == trained.config
    assert run.metrics == trained.metrics
    assert run.history.loss == trained.history.loss
    assert run.history.val_loss == trained.history.val_loss
    assert run.history.fit_seconds == trained.history.fit_seconds
    np.testing.assert_array_equal(run.pred_train, trained.pred_train)
    np.testing.assert_array_equal(run.pred_test, trained.pred_test)
    assert len(run.weights) == len(trained.weights)
    for a, b in zip(run.weights, trained.weights):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(run.autodiff_test, trained.autodiff_test)  # the proof's truth
    # the windows and scaler are rebuilt from the config: the same test targets
    np.testing.assert_array_equal(run.windows.y_test, trained.windows.y_test)
    np.testing.assert_allclose(run.original(run.pred_test), trained.original(trained.pred_test))
    # and the restored weights predict what the trained model predicted, in numpy
    np.testing.assert_allclose(run.network.predict(run.windows.x_test).reshape(-1),
                               trained.pred_test.reshape(-1), atol=1e-4)


def test_runs_are_oldest_first_and_rename_and_delete(store, clock):
    token = new_token()
    ids = []
    for i in range(3):
        clock.now += 60
        ids.append(store.add_run(token, fake_run(loss=(i + 1) / 10), number=i + 1))
    assert [r.number for r in store.runs(token)] == [1, 2, 3]
    store.rename_run(token, ids[1], "the good one")
    store.delete_runs(token, [ids[0]])
    assert [(r.number, r.run.name) for r in store.runs(token)] == [
        (2, "the good one"), (3, "run loss=0.3")]


def test_another_token_sees_nothing(store, trained):
    mine, theirs = new_token(), new_token()
    store.add_run(mine, trained, number=1)
    store.save_setup(mine, TINY, "t2-sine")
    assert store.runs(theirs) == []
    assert store.setup(theirs) is None
    store.delete_runs(theirs, [r.id for r in store.runs(mine)])  # their ids, my rows: untouched
    assert len(store.runs(mine)) == 1


def test_runs_and_setups_expire_after_the_ttl(store, clock):
    token = new_token()
    store.add_run(token, fake_run(), number=1)
    store.save_setup(token, TINY, None)
    clock.now += store_mod.RUN_TTL_HOURS * 3600 - 1
    assert len(store.runs(token)) == 1 and store.setup(token) is not None
    clock.now += 2
    assert store.runs(token) == [] and store.setup(token) is None  # hidden at once on reading
    other = new_token()
    store.add_run(other, fake_run(), number=1)  # any write deletes every expired row
    assert store._read("SELECT COUNT(*) FROM runs WHERE token = ?", (token,)) == [(0,)]
    assert store._read("SELECT COUNT(*) FROM setups WHERE token = ?", (token,)) == [(0,)]


def test_count_cap_drops_the_oldest(tmp_path, clock):
    store = RunStore(tmp_path / "s.sqlite3", clock=clock, max_runs=3)
    token = new_token()
    for number in range(1, 6):
        clock.now += 1
        store.add_run(token, fake_run(loss=number / 10), number=number)
    assert [r.number for r in store.runs(token)] == [3, 4, 5]


def test_size_cap_drops_the_oldest(tmp_path, clock):
    store = RunStore(tmp_path / "s.sqlite3", clock=clock, max_bytes=200_000)
    token = new_token()
    for number in range(1, 5):  # ~80 kB each (10,000 random float64 do not compress)
        clock.now += 1
        store.add_run(token, fake_run(payload=10_000, loss=number / 10), number=number)
    assert [r.number for r in store.runs(token)] == [3, 4]
    assert 150_000 < store.stored_bytes(token) <= 200_000
    # a run larger than the whole cap is not stored, and drops nothing
    assert store.add_run(token, fake_run(payload=30_000), number=9) is None
    assert [r.number for r in store.runs(token)] == [3, 4]


def test_default_caps_match_the_sessions_cap():
    from ui.train_panel import MAX_RUNS_KEPT

    assert store_mod.MAX_STORED_RUNS_PER_BROWSER == MAX_RUNS_KEPT == 10
    assert store_mod.MAX_STORED_BYTES_PER_BROWSER == 50 * 2**20


def upload_series() -> Series:
    n = 120
    index = pd.date_range("2020-01-01", periods=n, freq="D", name="day")
    values = np.sin(np.arange(n) / 5.0) * 10 + 50
    features = np.column_stack([np.arange(n) % 7, np.cos(np.arange(n))]).astype(float)
    return Series(values, index, "sales", measured_in="", season=7, features=features,
                  feature_names=("weekday", "promo"))


def test_an_upload_run_brings_its_table_back(store):
    series = upload_series()
    config = TINY.replace(dataset="upload", split=0.8, layout="sequence")
    token = new_token()
    store.add_run(token, fake_run(config, series), number=1)
    store.add_run(token, fake_run(config, series, loss=0.7), number=2)
    first, second = (r.run for r in store.runs(token))
    back = first.prepared.series
    np.testing.assert_array_equal(back.values, series.values)
    np.testing.assert_array_equal(back.features, series.features)
    pd.testing.assert_index_equal(back.index, series.index)
    assert back.index.freqstr == "D"
    assert (back.name, back.season, back.feature_names) == ("sales", 7, ("weekday", "promo"))
    np.testing.assert_array_equal(first.windows.x_test, prepare(config, series).windows.x_test)
    assert second.prepared.series is back  # one table in memory for runs on the same upload
    assert second.prepared is first.prepared  # and one set of windows for the same settings


@pytest.mark.parametrize("index", [
    pd.RangeIndex(100, 220, name="t"),
    pd.Index(np.arange(120) * 2.5, name="x"),
    pd.date_range("2021-03-01 00:00", periods=120, freq="h", tz="Europe/Berlin", name="when"),
    pd.DatetimeIndex(pd.to_datetime(["2020-01-01", "2020-01-03"] * 60)
                     + pd.to_timedelta(np.arange(120), "D"), name="irregular"),
])
def test_a_setups_table_comes_back_with_its_index(store, index):
    series = Series(np.linspace(0, 1, 120), index, "level", measured_in="m")
    token = new_token()
    config = TINY.replace(dataset="upload")
    store.save_setup(token, config, None, series)
    setup = store.setup(token)
    assert setup.config == config and setup.preset is None
    pd.testing.assert_index_equal(setup.series.index, index)
    np.testing.assert_array_equal(setup.series.values, series.values)
    assert setup.series.measured_in == "m"


def test_keep_series_leaves_the_stored_table(store):
    token = new_token()
    store.save_setup(token, TINY.replace(dataset="upload"), None, upload_series())
    store.save_setup(token, TINY.replace(dataset="upload", units=9), None, None, keep_series=True)
    setup = store.setup(token)
    assert setup.config.units == 9
    assert setup.series.name == "sales"
    store.save_setup(token, preset("sunspots"), "sunspots")  # no table any more
    assert store.setup(token) == store_mod.Setup(preset("sunspots"), "sunspots", None)


def test_a_row_that_no_longer_reads_is_dropped(store):
    token = new_token()
    store.add_run(token, fake_run(), number=1)
    store._write(lambda db, now: db.execute(
        "UPDATE runs SET config = ?", ('{"no_such_setting": 1}',)))
    assert store.runs(token) == []
    assert store._read("SELECT COUNT(*) FROM runs", ()) == [(0,)]


def test_only_real_tokens_are_keys(store):
    for bad in ("", "abc", "x" * 43 + "'", None, "a" * 44):
        with pytest.raises(RnnExplorerError):
            store.runs(bad)
    assert store_mod.valid_token(new_token())
    assert new_token() != new_token()


def test_many_threads_write_at_once(store):
    tokens = [new_token() for _ in range(4)]
    runs = [fake_run(loss=i / 10) for i in range(1, 5)]
    errors = []

    def work(token, run):
        try:
            for number in range(1, 6):
                store.add_run(token, run, number=number)
                store.save_setup(token, TINY, None)
                store.runs(token)
        except Exception as err:  # noqa: BLE001 (collected and asserted below)
            errors.append(err)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(tokens, runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert all([r.number for r in store.runs(t)] == [1, 2, 3, 4, 5] for t in tokens)
    assert store._read("PRAGMA journal_mode", ()) == [("wal",)]


def test_env_path_and_off(tmp_path, monkeypatch):
    monkeypatch.setenv(store_mod.STORE_ENV, "off")
    assert store_mod.from_env() is None
    monkeypatch.setenv(store_mod.STORE_ENV, str(tmp_path / "x.sqlite3"))
    assert store_mod.from_env().path == tmp_path / "x.sqlite3"
    monkeypatch.delenv(store_mod.STORE_ENV)
    assert store_mod.path_from_env() == store_mod.default_path()
    assert store_mod.default_path().name == "runs.sqlite3"


def test_restoring_a_run_imports_no_tensorflow(tmp_path):
    """The web server restores runs on every reload: that must not pull in TensorFlow."""
    path = tmp_path / "runs.sqlite3"
    token = new_token()
    RunStore(path).add_run(token, fake_run(), number=1)
    code = (f"import sys; from rnn_core.store import RunStore; "
            f"[r] = RunStore({str(path)!r}).runs({token!r}); "
            "r.run.network.predict(r.run.windows.x_test); "
            "print('tensorflow' in sys.modules, 'keras' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_stored_weights_are_not_pickles(store, trained):
    token = new_token()
    store.add_run(token, trained, number=1)
    [(blob,)] = store._read("SELECT arrays FROM runs WHERE token = ?", (token,))
    assert blob[:2] == b"PK"  # a zip of .npy files, read back with allow_pickle=False
    assert all(not a.dtype.hasobject for a in store_codec.unpack(blob).values())

