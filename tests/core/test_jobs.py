"""The queue of trainings (rnn_core/jobs.py) on both of its backends: worker slots on this
machine (threads here, as the suite trains in-process) and Ray actors on a local Ray cluster the
tests start (rnn_core/ray_jobs.py). The same contract for the pages: progress per epoch, Stop that
keeps the weights, the place in the queue, divergence, two users each getting their own run,
the numbers only Keras gives (initial weights, its prediction, TensorFlow's gradients); and on Ray, a worker killed mid-training fails that training only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from rnn_core import cli_inputs, divergence, jobs, memory
from rnn_core.forward import Network
from rnn_core.keras_request import KerasRequest
from rnn_core.model import build
from rnn_core.presets import preset
from rnn_core.run import train
from tests.core.conftest import ROOT, cli_main

TINY = preset("t2-sine").replace(sine_length=200, split=150, epochs=3, units=4, dense_units=0,
                                 cell="gru")
# stopped or killed by the tests long before its end: 1,000 windows make an epoch ~0.1 s, so
# it still trains when the other slot's worker comes up (up to ~20 s, importing TensorFlow on a
# loaded machine; 150 windows finished all 500 epochs before that once in CI)
LONG = TINY.replace(epochs=500, sine_length=1200, split=1000)
# killed while it trains: five times LONG's windows, so five times its epochs' length; LONG's
# 500 epochs once all ran (CI, 2026-12-03, a slowed machine) before the other slot's first epoch
DOOMED = LONG.replace(sine_length=6000, split=5000)
EXPLODES = cli_inputs.make_config(None, ["dataset=sine", "sine_length=200", "sine_noise=100",
                                  "scaler_fit=none", "learning_rate=1", "activation=linear",
                                  "time_steps=4", "epochs=2"])


@pytest.fixture(scope="module")
def ray_cluster():
    """A local Ray cluster of 2 CPUs for this module: no dashboard, no usage report, a small
    object store, the workers' logs not copied here. Shut down when the module ends: an idle
    cluster's own processes (GCS, raylet, monitors) take ~7 % of a core, which over the rest of
    a session was ~30 CPU-seconds of the suite."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray = pytest.importorskip("ray", reason="requirements-ray.txt is not installed")
    # address="local": a cluster of its own, even if another process on the machine has one
    ray.init(address="local", num_cpus=2, include_dashboard=False, object_store_memory=80 * 1024 ** 2,
             log_to_driver=False, logging_level="ERROR")
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def ray_slots(ray_cluster):
    """A runner of two Ray actors (TensorFlow warm in each): the cluster's two CPUs."""
    from rnn_core.ray_jobs import ray_runner

    runner = ray_runner("local", workers=2)
    yield runner
    for slot in runner._processes:
        slot.close()


@pytest.fixture(scope="module", params=["local", "ray"])
def runner(request):
    """Two worker slots: threads of this process, or two Ray actors."""
    if request.param == "local":
        return jobs.Runner(workers=2, in_process=True)
    return request.getfixturevalue("ray_slots")


def _wait(condition, seconds: float = 300) -> None:
    # generous: the first training on Ray waits for its actor to import TensorFlow, which took
    # over 120 s once on the 2-core VM with two other suites running
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the trainings did not get there in time"
        time.sleep(0.05)


def _finished(*queued: jobs.TrainingJob) -> None:
    _wait(lambda: all(job.finished for job in queued))


@pytest.fixture(scope="module")
def here():
    """TINY trained in this thread: what every backend must give."""
    return train(TINY)


def test_progress_every_epoch_and_the_finished_run_with_its_weights(runner, here):
    job = runner.submit(TINY)
    _finished(job)
    assert job.status == jobs.DONE and job.error is None
    assert [(e.epoch, e.epochs) for e in job.events] == [(1, 3), (2, 3), (3, 3)]
    np.testing.assert_allclose([e.loss for e in job.events], job.run.history.loss, rtol=1e-6)
    # the same numbers as a training here: same windows, seed and weights
    np.testing.assert_allclose(job.run.pred_test, here.pred_test, rtol=1e-5, atol=1e-6)
    for a, b in zip(job.run.weights, here.weights):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert job.position() == 0


def test_stop_ends_after_the_current_epoch_and_keeps_the_weights(runner):
    job = runner.submit(LONG)
    _wait(lambda: len(job.events) >= 2)
    job.request_stop()
    _finished(job)
    epochs = job.run.history.epochs_run
    assert job.status == jobs.STOPPED and job.run.history.stopped
    assert 2 <= epochs < LONG.epochs and len(job.events) == epochs
    # the model trained so far: its predictions are what its weights compute
    w = job.run.windows
    network = Network(LONG, job.run.weights, w.steps, w.n_features)
    np.testing.assert_allclose(network.predict(w.x_test), job.run.pred_test, atol=1e-5)


def test_a_third_training_waits_with_its_place_while_both_slots_train(runner):
    first, second = runner.submit(LONG), runner.submit(LONG)
    _wait(lambda: first.events and second.events)
    third = runner.submit(TINY)
    assert (third.status, third.position(), runner.queued()) == (jobs.QUEUED, 1, 1)
    assert first.position() == second.position() == 0
    first.request_stop()
    second.request_stop()
    _finished(first, second, third)
    assert third.status == jobs.DONE and third.position() == 0 and len(third.events) == 3
    assert first.status == second.status == jobs.STOPPED


def test_a_training_that_diverges_says_so_in_the_rules_words(runner):
    job = runner.submit(EXPLODES)
    _finished(job)
    assert job.status == jobs.DIVERGED
    assert job.error == divergence.message(EXPLODES, job.run.history)
    assert job.error.startswith("Training diverged: the loss grew to ")


def test_two_users_at_once_each_get_their_own_run(runner):
    mine, theirs = TINY.replace(units=3, epochs=2), TINY.replace(units=5, seed=1)
    out: dict[str, jobs.TrainingJob] = {}
    users = [threading.Thread(target=lambda n=n, c=c: out.__setitem__(n, runner.submit(c)))
             for n, c in (("mine", mine), ("theirs", theirs))]
    for user in users:
        user.start()
    for user in users:
        user.join()
    _finished(*out.values())
    for job, config in ((out["mine"], mine), (out["theirs"], theirs)):
        assert job.status == jobs.DONE and job.run.config == config
        assert [e.epochs for e in job.events] == [config.epochs] * config.epochs
        assert job.run.weights[0].shape == (job.run.windows.n_features, 3 * config.units)  # GRU
    assert out["mine"].run.pred_test.tolist() != out["theirs"].run.pred_test.tolist()


def test_keras_answers_about_a_network_held_in_numpy(runner, here):
    """An untrained network's initial weights, Keras' own prediction and TensorFlow's
    gradients, computed where TensorFlow is, in the trainings' queue."""
    w = here.windows
    network = Network(TINY, here.weights, w.steps, w.n_features)
    asked = [runner.submit_keras(KerasRequest.initial_weights(TINY, w.steps, w.n_features)),
             runner.submit_keras(KerasRequest.prediction(network, w.x_test[:3])),
             runner.submit_keras(KerasRequest.gradients(network, w.x_test[:2]))]
    _finished(*asked)
    assert [job.status for job in asked] == [jobs.DONE] * 3, [job.error for job in asked]
    initial, predicted, autodiff = (job.result for job in asked)
    for got, want in zip(initial, build(TINY, w.steps, w.n_features).get_weights()):
        np.testing.assert_array_equal(got, want)  # the seed's weights, exactly
    # Keras' prediction: what the training's own evaluation predicted for the same windows
    np.testing.assert_allclose(predicted[:, 0], here.pred_test[:3], rtol=1e-6, atol=1e-6)
    for i in range(2):
        by_hand = memory.gradients(network, w.x_test[i]).d_output
        np.testing.assert_allclose(autodiff[i], by_hand, atol=1e-5 * np.abs(by_hand).max())


def test_a_keras_request_that_fails_says_so_and_the_worker_serves_on(runner, here):
    w = here.windows
    bad = KerasRequest("predict", TINY, w.steps, w.n_features, here.weights[:-1], w.x_test[:1])
    failed = runner.submit_keras(bad)
    _finished(failed)
    assert failed.status == jobs.FAILED and failed.result is None
    assert failed.error.startswith("Keras' own prediction failed: ValueError"), failed.error
    # a question no earlier test asked (another seed): the worker answers it
    after = runner.submit_keras(KerasRequest.initial_weights(TINY.replace(seed=TINY.seed + 7),
                                                             w.steps, w.n_features))
    _finished(after)
    assert after.status == jobs.DONE and len(after.result) == len(here.weights)
    again = runner.submit_keras(bad)  # a failed question is asked anew, not answered from memory
    assert again is not failed
    _finished(again)
    assert again.status == jobs.FAILED


def test_the_same_keras_question_is_answered_once(monkeypatch, here):
    """Thirty people opening lesson 1 ask for the same untrained network: one job answers all
    of them; another seed, other weights or other windows are other questions; a .keras file
    is never shared; only the last KERAS_ANSWERS_KEPT answers are kept."""
    monkeypatch.setattr(jobs, "KERAS_ANSWERS_KEPT", 3)
    runner = jobs.Runner(workers=1, in_process=True)
    w = here.windows
    network = Network(TINY, here.weights, w.steps, w.n_features)
    first = runner.submit_keras(KerasRequest.initial_weights(TINY, w.steps, w.n_features))
    same = runner.submit_keras(KerasRequest.initial_weights(TINY, w.steps, w.n_features))
    assert same is first  # while it waits or runs, and once answered:
    _finished(first)
    assert runner.submit_keras(KerasRequest.initial_weights(TINY, w.steps, w.n_features)) is first
    others = [KerasRequest.initial_weights(TINY.replace(seed=TINY.seed + 1), w.steps, w.n_features),
              KerasRequest.prediction(network, w.x_test[:3]),
              KerasRequest.prediction(network, w.x_test[1:4])]
    jobs_of_others = [runner.submit_keras(request) for request in others]
    assert len({id(job) for job in [first, *jobs_of_others]}) == 4
    _finished(*jobs_of_others)
    assert runner.submit_keras(others[1]) is jobs_of_others[1]
    np.testing.assert_allclose(jobs_of_others[1].result[:, 0], here.pred_test[:3], rtol=1e-6,
                               atol=1e-6)
    # three kept: the first question, the oldest, was forgotten and is asked anew
    assert runner.submit_keras(KerasRequest.initial_weights(TINY, w.steps, w.n_features)) \
        is not first
    files = [runner.submit_keras(KerasRequest.model_file(TINY, w.steps, w.n_features,
                                                         here.weights)) for _ in range(2)]
    assert files[0] is not files[1]
    _finished(*files)
    assert files[0].result[:2] == files[1].result[:2] == b"PK"


def test_the_cli_sweep_runs_on_the_backend_and_prints_one_line_per_run(runner, monkeypatch):
    monkeypatch.setattr(jobs, "_runner", runner)
    code, out, err = cli_main("sweep", "--preset", "t2-sine", "--set", "sine_length=200",
                              "--set", "split=150", "--set", "epochs=1", "--set", "units=4",
                              "--grid", "units=2,3", "--grid", "time_steps=4,6", "--json")
    assert code == 0, err
    rows = [json.loads(line) for line in out.strip().splitlines()]
    assert [(r["units"], r["time_steps"]) for r in rows] == [(2, 4), (3, 4), (2, 6), (3, 6)]
    assert all(r["status"] == "done" and r["epochs_run"] == 1 and r["test_rmse"] > 0
               for r in rows), rows


def test_a_sweep_that_cannot_train_queues_nothing(monkeypatch):
    class Refuses:
        def submit(self, *args):
            raise AssertionError("nothing may be queued")

    monkeypatch.setattr(jobs, "_runner", Refuses())
    code, _out, err = cli_main("sweep", "--grid", "units=2,3,4,5,6,7", "--grid",
                               "time_steps=4,5,6,7,8")
    assert code == 2 and "6 × 5 = 30 runs is more than the 25 a sweep may train" in err
    code, _out, err = cli_main("sweep", "--grid", "depth=2")
    assert code == 2 and "--grid 'depth=2' is not valid" in err
    # the time estimate holds here as on the page (15 minutes by default)
    code, _out, err = cli_main("sweep", "--set", "epochs=500", "--set", "batch_size=1",
                               "--grid", "units=256", "--grid", "time_steps=120")
    assert code == 2 and "This training would take" in err and "more than the limit" in err, err


def test_a_killed_ray_worker_fails_its_training_only(ray_cluster, ray_slots):
    from rnn_core import ray_jobs

    runner = ray_slots
    doomed, other = runner.submit(DOOMED), runner.submit(TINY.replace(epochs=30))
    _wait(lambda: doomed.events and other.events)
    slot = next(s for s in runner._processes  # the actor training the 500-epoch run
                if ray_cluster.get(s._actor.events.remote(0))[0].epochs == DOOMED.epochs)
    assert not doomed.finished, "the long training ended before it could be killed"
    os.kill(slot.pid(), signal.SIGKILL)
    _finished(doomed)
    assert (doomed.status, doomed.error) == (jobs.FAILED, ray_jobs.LOST)
    assert doomed.error.endswith("Train again to retry.")
    _finished(other)
    assert other.status == jobs.DONE and other.run.history.epochs_run == 30
    # the other actor dies idle, between jobs: its next job notices before it starts
    idle = next(s for s in runner._processes if s is not slot)
    os.kill(idle.pid(), signal.SIGKILL)
    # each slot starts a new actor: the next trainings (both slots) go through
    again = [runner.submit(TINY), runner.submit(TINY)]
    _finished(*again)
    assert [job.status for job in again] == [jobs.DONE, jobs.DONE]


def test_without_a_ray_address_ray_is_never_imported():
    # the whole app without Ray is tests/app/test_no_tensorflow.py's; here the queue and the CLI
    script = ("import sys; from rnn_core import jobs, cli; r = jobs.runner(); "
              "print(type(r).__name__, 'ray' in sys.modules)")
    env = {k: v for k, v in os.environ.items() if k != "RNN_EXPLORER_RAY_ADDRESS"}
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, env=env, timeout=60)
    assert out.stdout.split() == ["Runner", "False"], out.stderr[-2000:]


def test_an_unreachable_ray_cluster_fails_each_training_saying_so(monkeypatch):
    from rnn_core import ray_jobs

    # the check before ray.init (Ray's own retries a dead address for minutes), on a closed port
    monkeypatch.setattr(ray_jobs, "connect", ray_jobs._check_reachable)
    runner = ray_jobs.ray_runner("127.0.0.1:1")
    job = runner.submit(TINY)
    _finished(job)
    assert job.status == jobs.FAILED and job.run is None
    assert job.error == ("The Ray cluster at 127.0.0.1:1 (RNN_EXPLORER_RAY_ADDRESS) could not be "
                         "reached (ConnectionRefusedError): check the address and that the "
                         "cluster runs, then restart the server.")
