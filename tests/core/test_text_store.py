"""Text runs in the store (rnn_core.store: add_text_run, text_runs): a stored TextRun comes back
with the same numbers for its browser only, capped like series runs, beside series rows that
were stored before text runs existed."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest

from rnn_core.architecture import architecture
from rnn_core.config import RunConfig
from rnn_core.store import RunStore, new_token
from rnn_core.text import TextRun, prepare_text
from rnn_core.training import History
from tests.core.test_store import Clock, fake_run

TINY_TEXT = RunConfig(dataset="brackets", text_chars=3000, time_steps=16, units=8, cell="lstm",
                      text_input="onehot", epochs=2)


def fake_text_run(config: RunConfig = TINY_TEXT, seed: int = 0, name: str = "") -> TextRun:
    """A TextRun of a real prepared text with made-up weights and scores (no training)."""
    prepared = prepare_text(config)
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.5, shape) for spec in architecture(config, config.time_steps,
                                                                   prepared.vocab.size)
               for shape in spec.shapes]
    history = History(loss=[1.2 - seed / 10, 1.0], val_loss=[1.3, 1.1], fit_seconds=2.5)
    return TextRun(config, prepared.vocab, weights, history, 1.5 + seed, 2.5, 2.0,
                   prepared.n_train_chars, prepared.n_test_chars, prepared.unknown_in_test,
                   prepared.test_text, prepared.corpus.source, prepared.test_depth,
                   name=name or f"text run {seed}")


@pytest.fixture
def store(tmp_path):
    return RunStore(tmp_path / "runs.sqlite3", clock=Clock())


def test_a_text_run_comes_back_equal_for_its_browser_only(store):
    token, run = new_token(), fake_text_run(seed=1)
    row = store.add_text_run(token, run, number=4)
    [back] = store.text_runs(token)
    assert (back.id, back.number) == (row, 4)
    got = back.run
    assert got.name == run.name and got.config == run.config and got.vocab == run.vocab
    for name in ("bits_per_char", "unigram_bits_per_char", "bigram_bits_per_char",
                 "n_train_chars", "n_test_chars", "unknown_in_test", "test_text", "source"):
        assert getattr(got, name) == getattr(run, name), name
    assert got.history.loss == run.history.loss and got.fit_seconds == run.fit_seconds
    np.testing.assert_array_equal(got.test_depth, run.test_depth)
    for a, b in zip(got.weights, run.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    window = run.test_text[:16]  # the network in numpy gives the same probabilities
    np.testing.assert_array_equal(got.network().probs(window), run.network().probs(window))
    assert got.verdict() == run.verdict()
    assert store.text_runs(new_token()) == []  # another browser gets nothing
    assert store.runs(token) == []  # and the series runs are apart


def test_text_runs_are_capped_apart_from_series_runs(tmp_path):
    store = RunStore(tmp_path / "runs.sqlite3", clock=Clock(), max_runs=2)
    token = new_token()
    store.add_run(token, fake_run(), 1)
    for i in range(3):
        store.add_text_run(token, fake_text_run(seed=i), i + 2)
    assert [s.run.name for s in store.text_runs(token)] == ["text run 1", "text run 2"]
    assert len(store.runs(token)) == 1


def test_a_store_file_from_before_text_runs_still_loads(tmp_path):
    path = tmp_path / "runs.sqlite3"
    token = new_token()
    RunStore(path, clock=Clock()).add_run(token, fake_run(), 1)
    with sqlite3.connect(path) as db:  # the file as it was before: no text_runs table
        db.execute("DROP TABLE text_runs")
    store = RunStore(path, clock=Clock())  # a new server process on the old file
    assert [s.number for s in store.runs(token)] == [1]
    assert store.text_runs(token) == []
    store.add_text_run(token, fake_text_run(), 2)
    assert [s.number for s in store.text_runs(token)] == [2]


def test_a_text_run_that_no_longer_reads_is_skipped_and_deleted(store):
    token = new_token()
    store.add_text_run(token, fake_text_run(seed=0), 1)
    store.add_text_run(token, fake_text_run(seed=1), 2)
    with sqlite3.connect(store.path) as db:
        db.execute("UPDATE text_runs SET text = '{}' WHERE number = 1")
    assert [s.number for s in store.text_runs(token)] == [2]
    with sqlite3.connect(store.path) as db:
        assert db.execute("SELECT COUNT(*) FROM text_runs").fetchone()[0] == 1
