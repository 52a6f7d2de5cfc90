"""Training a text network: the jobs queue and the worker's message, Stop, the CLI.

Tiny settings (600 generated characters, 8 units, an epoch or two): what is checked is that
the numbers reported are the ones the kept weights give, not that the network is good.
"""

from __future__ import annotations

import io
import json
import math
import pickle
import threading

import numpy as np
import pytest

from rnn_core import jobs, worker
from rnn_core.cli import main
from rnn_core.config import RunConfig
from rnn_core.text import TextRun, prepare_text, train_text

TINY = RunConfig(dataset="brackets", text_chars=600, brackets_depth=3, split=0.8, time_steps=8,
                 cell="gru", units=8, batch_size=16, epochs=2, learning_rate=0.01)


def numpy_bits(run: TextRun) -> float:
    """Bits per held-out character of the run's kept weights, in numpy, window by window."""
    return numpy_bits_of(run, None)


def numpy_bits_of(run: TextRun, own_text: str | None) -> float:
    p = prepare_text(run.config, own_text)
    net = run.network()
    total = 0.0
    for x, y, mask in zip(p.x_test, p.y_test, p.mask_test):
        probs = net.probs(x)  # each window from a zero state, as in training and scoring
        total -= np.log2(probs[np.arange(len(y)), y][mask]).sum()
    return total / p.mask_test.sum()


@pytest.fixture(scope="module")
def stopped():
    """A text config through the jobs queue (in this process, as the suite trains), Stop
    clicked once its first epoch is reported."""
    runner = jobs.Runner(workers=1, in_process=True)
    job = runner.submit(TINY.replace(epochs=200))
    for _ in range(1200):
        if job.events:
            job.request_stop()
        if job.finished:
            break
        threading.Event().wait(0.05)
    return job


def test_the_queue_trains_a_text_config_and_stop_keeps_its_weights(stopped):
    assert stopped.status == jobs.STOPPED, stopped.error
    run = stopped.run
    assert isinstance(run, TextRun) and run.history.stopped
    assert 1 <= run.epochs_run == len(stopped.events) < 200
    assert [e.epoch for e in stopped.events] == list(range(1, run.epochs_run + 1))
    assert run.n_train_chars == 480 and run.n_test_chars == 120
    from rnn_core.model import build

    untrained = build(run.config, 8, run.vocab.size).get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(run.weights, untrained))
    # the scores are those of the weights kept
    assert run.bits_per_char == pytest.approx(numpy_bits(run), abs=1e-4)
    assert run.history_bits()[1][-1] == pytest.approx(stopped.events[-1].val_loss / math.log(2))
    assert run.metrics["bigram_bits_per_char"] == run.bigram_bits_per_char
    assert run.verdict().startswith("The network ")
    # what a worker process sends over its socket: the run survives pickling, network and all
    again = pickle.loads(pickle.dumps(run))
    np.testing.assert_allclose(again.network().probs("(a[b"), run.network().probs("(a[b"))


def test_the_workers_message_is_the_text_run_or_a_clear_error():
    """What a worker process (and a Ray actor) answers; your own text in the series' place."""
    kind, run = worker.train_message(TINY.replace(dataset="text", epochs=1), "abc abd " * 80,
                                     lambda e: None, threading.Event())
    assert kind == "done" and isinstance(run, TextRun) and run.epochs_run == 1
    assert run.vocab.chars[1:] == (" ", "a", "b", "c", "d")
    assert run.source == "Your own text: 640 characters (the first 600 used)."
    kind, message = worker.train_message(TINY.replace(dataset="text"), "a\x00 not text",
                                         lambda e: None, threading.Event())
    assert (kind, message) == ("error", "your text looks binary (a zero character at character "
                                        "2), not text: give a plain text saved as UTF-8.")


def cli(*args):
    out, err = io.StringIO(), io.StringIO()
    code = main(["text", *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_prints_the_issue_keys_and_a_sample(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("the cat sat on the mat. " * 40, encoding="utf-8")
    code, out, err = cli("sample", "--text-file", str(path), "--set", "time_steps=8",
                         "--set", "units=4", "--set", "epochs=1", "--prompt", "the ",
                         "--chars", "30", "--temperature", "0.5", "--seed", "3", "--json")
    assert code == 0, err
    result = json.loads(out.strip().splitlines()[-1])
    assert {"bits_per_char", "unigram_bits_per_char", "bigram_bits_per_char", "vocab_size",
            "n_train_chars", "n_test_chars", "epochs_run", "fit_seconds"} <= set(result)
    assert result["vocab_size"] == 12 and result["epochs_run"] == 1  # 11 characters + unknown
    assert result["n_train_chars"] + result["n_test_chars"] == 960
    assert result["config"]["units"] == 4 and result["preset"] == "text-stdlib"
    assert result["prompt"] == "the " and len(result["sample"]) == 30 == len(result["top5"])
    assert [c for c, _ in result["top5"][0]][0] in "the cat sat on mat."


@pytest.mark.parametrize("args, words", [
    (("train", "--corpus", "sunspots"), "--corpus 'sunspots' is not a corpus"),
    (("train", "--set", "dataset=sunspots"), "is a series, not a text"),
    (("train", "--corpus", "text"), "give it with --text-file PATH"),
    (("train", "--text-file", "/no/such/file.txt"), "does not exist"),
    (("sample", "--chars", "0"), "--chars '0' is not valid: use a whole number from 1 to 2000"),
    (("sample", "--temperature", "hot"), "--temperature 'hot' is not valid"),
    (("train", "--set", "text_chars=1000000", "--set", "epochs=500"), "This training would take"),
], ids=["corpus", "series", "own-text", "no-file", "chars", "temperature", "too-long"])
def test_cli_refuses_bad_input_in_one_line(args, words):
    code, out, err = cli(*args)
    assert code == 2 and out == "" and words in err and err.count("\n") == 1, err


def test_cli_refuses_a_binary_text_file(tmp_path):
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    code, _, err = cli("train", "--text-file", str(path))
    assert code == 2 and "image.png looks binary" in err


def test_a_worker_process_trains_a_text_config_and_sends_back_its_text_run(monkeypatch):
    """The path the web server takes: the config and your own text go to a worker process,
    which answers with epochs and the TextRun (pickled over its socket)."""
    monkeypatch.setattr(worker, "NICENESS", 1)  # as tests/core/test_worker.py, for a loaded machine
    process, events = worker.WorkerProcess(), []
    try:
        run = process.train(TINY.replace(dataset="text", epochs=1), "ab cd " * 100,
                            events.append, threading.Event())
    finally:
        process.close()
    assert isinstance(run, TextRun) and [e.epoch for e in events] == [1]
    assert run.vocab.chars[1:] == (" ", "a", "b", "c", "d") and run.n_test_chars == 120
    assert run.bits_per_char == pytest.approx(numpy_bits_of(run, "ab cd " * 100), abs=1e-4)
