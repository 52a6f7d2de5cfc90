"""A class opening lesson 1 at once: thirty sessions ask the workers for the same untrained
network's weights and Keras' prediction of the same window (1, 2, 3).

Each Keras question builds a model in a worker, and a worker is replaced (TensorFlow imported
again) after ``RECYCLE_AFTER`` of them; ``jobs.Runner.submit_keras`` answers the same question
once (``KERAS_ANSWERS_KEPT``). This times the thirty sessions' questions through a runner with
two worker processes (the server's default), answered once each and, for comparison, every
time (``KERAS_ANSWERS_KEPT = 0``).

    .venv/bin/python bench/keras_requests.py [--sessions 30]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from rnn_core import jobs  # noqa: E402
from rnn_core.forward import Network  # noqa: E402
from rnn_core.keras_request import KerasRequest  # noqa: E402
from rnn_core.lessons import builtin  # noqa: E402


def lesson_one_questions(runner: jobs.Runner, sessions: int, seed_offset: int = 0) -> float:
    """Seconds until every session has its weights and then its prediction."""
    config = builtin("1").steps[0].config  # t1-structure: 3 steps, 1 feature
    config = config.replace(seed=config.seed + seed_offset)
    window = np.array([[[1.0], [2.0], [3.0]]])
    start = time.monotonic()
    asked = [runner.submit_keras(KerasRequest.initial_weights(config, 3, 1))
             for _ in range(sessions)]
    predictions = []
    for job in asked:  # each session asks for the prediction once its weights are there
        while not job.finished:
            time.sleep(0.01)
        network = Network(config, job.result, 3, 1)
        predictions.append(runner.submit_keras(KerasRequest.prediction(network, window)))
    while not all(job.finished for job in predictions):
        time.sleep(0.01)
    assert all(job.status == jobs.DONE for job in asked + predictions)
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    args = parser.parse_args()
    for kept, label in ((jobs.KERAS_ANSWERS_KEPT, "answered once"), (0, "answered every time")):
        jobs.KERAS_ANSWERS_KEPT = kept
        runner = jobs.Runner(workers=2, in_process=False)
        # the workers' TensorFlow import, as a warm server has (another seed: not the same question)
        lesson_one_questions(runner, 2, seed_offset=1)
        seconds = lesson_one_questions(runner, args.sessions)
        print(f"{args.sessions} sessions, {label}: {seconds:.1f} s")
        for process in runner._processes:
            process.close()


if __name__ == "__main__":
    main()
