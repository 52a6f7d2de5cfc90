"""Long-lag tasks as built-in data: ``recall`` and ``adding``, each sample a fresh sequence.

- ``recall``: a sequence of ``T`` values drawn U(0, 1), one feature per step; the target is the
  FIRST of them, the value T steps back from the end. Nothing after step 1 helps, so a network
  must carry that value through T - 1 updates of its state.
- ``adding`` (Hochreiter & Schmidhuber's adding problem): two features per step, a value
  U(0, 1) and a marker that is 1 at exactly two steps, one in the first half (steps before
  T // 2) and one in the second, 0 elsewhere; the target is the sum of the two marked values.

Each task's baseline is the best answer that ignores the inputs: for ``recall`` the training
targets' mean (MSE → Var U(0, 1) = 1/12), for ``adding`` the constant 1.0, the expected sum
(MSE → 2 · 1/12 = 1/6). Both are measured on the same test sequences as the model.

The sequences ARE the windows: ``windows`` returns them as a ``windows.Windows`` of layout
``sequence``; ``train_index`` numbers the training sequences 0 … n_train - 1 and ``test_index``
the test ones n_train …, which places each target on ``target_series`` (the targets one after
the other, training first). Persistence ("the next value equals the last one") has no meaning
here: the ``*_last`` arrays are NaN, so its scores are NaN and nothing shows them. Values are
already in [0, 1] (a sum in [0, 2]): nothing is scaled.

Training and test sequences come from two independent streams of the task seed, so changing the
number of training sequences leaves the test sequences as they are.

>>> s = generate("adding", time_steps=6, n_train=3, n_test=2, seed=0)
>>> s.x_train.shape, s.y_train.shape, s.x_test.shape
((3, 6, 2), (3,), (2, 6, 2))
>>> s.x_train[:, :, 1].sum(axis=1).tolist()                 # exactly two markers per sequence
[2.0, 2.0, 2.0]
>>> bool(np.allclose(s.y_train, (s.x_train[:, :, 0] * s.x_train[:, :, 1]).sum(axis=1)))
True
>>> r = generate("recall", time_steps=4, n_train=2, n_test=1, seed=0)
>>> bool((r.y_train == r.x_train[:, 0, 0]).all())            # the target is the first value
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .config import TASK_FIXED as FIXED, TASKS
from .errors import RnnExplorerError
from .windows import Windows

# the settings a task adds to the data group (drawn under the series choice)
TASK_FIELDS: tuple[str, ...] = ("train_sequences", "test_sequences", "task_seed")
# what each task's baseline predicts, and its MSE for sequences without end (for the words)
BASELINE_NAMES = {"recall": "training mean", "adding": "always 1.0"}
ANALYTIC_BASELINE_MSE = {"recall": 1 / 12, "adding": 1 / 6}
SOLVED_FRACTION = 0.10  # a test MSE below 10 % of the baseline's counts as solved
# ... and below 90 % as learning: on recall, T = 30, an LSTM that had not started after 25
# epochs scored 99.8 % of the baseline (0.0871 vs 0.0873), "below the baseline" by noise
LEARNING_FRACTION = 0.90
FEATURES = {"recall": ("value",), "adding": ("value", "marker")}
TITLES = {"recall": "Recall: the first of T values",
          "adding": "Adding: the sum of the two marked values"}
# settings a task does not read, and why (the widgets show them disabled with this reason)
_NOT_FOR_TASKS = {
    "split": "the task's training and test sequences are drawn separately",
    "stride": "each sequence is one window",
    "horizon": "a task has one target per sequence",
    "layout": "a task's sequences are read one time step at a time",
    "window_scope": "each sequence is one window",
    "pad": "each sequence is one window",
    "scaler_fit": "the task's values are already in [0, 1]",
    "transform": "the task's values are already in [0, 1]",
    "interval_level": "a task is judged by its test MSE against its baseline, without intervals",
    "sine_length": "it shapes the sine series",
    "sine_frequency": "it shapes the sine series",
    "sine_noise": "it shapes the sine series",
    "sine_seed": "it shapes the sine series",
}


def is_task(config: Any) -> bool:
    """Whether ``config`` trains on a long-lag task instead of a series."""
    return getattr(config, "dataset", None) in TASKS


def not_applicable(config: Any) -> dict[str, str]:
    """The settings ``config`` does not read, each with the reason as a sentence (the widgets
    draw them greyed out with it).

    >>> from rnn_core.config import RunConfig
    >>> not_applicable(RunConfig(dataset="recall"))["stride"]
    'Not used by the recall task: each sequence is one window.'
    >>> sorted(not_applicable(RunConfig(dataset="sine")))
    ['task_seed', 'test_sequences', 'train_sequences']
    """
    if is_task(config):
        return {name: f"Not used by the {config.dataset} task: {why}."
                for name, why in _NOT_FOR_TASKS.items()}
    return {name: "Used by the recall and adding tasks only." for name in TASK_FIELDS}


def same_data(a: Any, b: Any) -> bool:
    """Whether two configs train and test on the same data: the same series settings, or for a
    task the same sequences (they depend on T, the counts and the task seed).

    >>> from rnn_core.config import RunConfig
    >>> same_data(RunConfig(dataset="recall"), RunConfig(dataset="recall", units=32))
    True
    >>> same_data(RunConfig(dataset="recall"), RunConfig(dataset="recall", time_steps=30))
    False
    """
    if a.dataset != b.dataset:
        return False
    if not is_task(a):
        return True  # (a series is compared by its name, as the Compare page always did)
    keys = ("time_steps", *TASK_FIELDS)
    return all(getattr(a, k) == getattr(b, k) for k in keys)


@dataclass(frozen=True)
class Sequences:
    """A task's training and test sequences: x (n, T, F), targets y (n,), read-only float64."""

    task: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray


def _recall(rng: np.random.Generator, n: int, time_steps: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(0.0, 1.0, size=(n, time_steps, 1))
    return x, x[:, 0, 0].copy()


def _adding(rng: np.random.Generator, n: int, time_steps: int) -> tuple[np.ndarray, np.ndarray]:
    half = time_steps // 2
    values = rng.uniform(0.0, 1.0, size=(n, time_steps))
    first = rng.integers(0, half, size=n)              # a step of the first half
    second = rng.integers(half, time_steps, size=n)    # a step of the second half
    marker = np.zeros((n, time_steps))
    rows = np.arange(n)
    marker[rows, first] = 1.0
    marker[rows, second] = 1.0
    return np.stack([values, marker], axis=2), values[rows, first] + values[rows, second]


_MAKERS = {"recall": _recall, "adding": _adding}


# two kept: a page's reruns hit the cache, and the largest setting is ~60 MB of sequences
@functools.lru_cache(maxsize=2)
def generate(task: str, time_steps: int, n_train: int, n_test: int, seed: int) -> Sequences:
    """The task's sequences for a seed (the same arguments give the same arrays, shared: they
    are read-only). Raises ``RnnExplorerError`` for a task that cannot be built."""
    if task not in _MAKERS:
        raise ValueError(f"task={task!r}: use one of {', '.join(TASKS)}")
    if task == "adding" and time_steps < 2:
        raise RnnExplorerError(
            "the adding task marks one step in each half of the sequence, so it needs at least "
            f"2 time steps (now {time_steps}).", field="time_steps")
    arrays = []
    for stream, n in ((0, n_train), (1, n_test)):  # independent streams: see the module's words
        x, y = _MAKERS[task](np.random.default_rng([seed, stream]), n, time_steps)
        for a in (x, y):
            a.setflags(write=False)
        arrays += [x, y]
    return Sequences(task, *arrays)


def sequences(config: Any) -> Sequences:
    """The sequences a task config names."""
    return generate(config.dataset, config.time_steps, config.train_sequences,
                    config.test_sequences, config.task_seed)


def windows(config: Any) -> Windows:
    """The task's sequences as ``Windows``: one window per sequence, no persistence (NaN)."""
    s = sequences(config)
    n_train, n_test = len(s.y_train), len(s.y_test)
    return Windows(s.x_train, s.y_train, s.x_test, s.y_test,
                   np.arange(n_train), n_train + np.arange(n_test),
                   np.full(n_train, np.nan), np.full(n_test, np.nan),
                   split_at=n_train, layout="sequence", horizon=1, n_values=n_train + n_test)


def target_series(config: Any) -> Any:
    """The targets one after the other, training sequences first: a ``data.Series`` indexed
    by sequence number, so the views that place a window's target on a series work."""
    from .data import Series  # data imports config, which must not import this module first

    s = sequences(config)
    values = np.concatenate([s.y_train, s.y_test])
    return Series(values, pd.RangeIndex(len(values), name="sequence"), TITLES[config.dataset],
                  measured_in="target")


# --------------------------------------------------------------------------- scores


def baseline_prediction(task: str, y_train: np.ndarray) -> float:
    """What the task's baseline predicts for every sequence.

    >>> y = np.array([0.2, 0.4])
    >>> baseline_prediction("recall", y), baseline_prediction("adding", y)
    (0.30000000000000004, 1.0)
    """
    return float(np.mean(y_train)) if task == "recall" else 1.0


def mse(actual: Any, predicted: Any) -> float:
    """Mean squared error over every value.

    >>> mse([1.0, 2.0], [1.0, 4.0])
    2.0
    """
    diff = (np.ravel(np.asarray(actual, dtype=np.float64))
            - np.ravel(np.asarray(predicted, dtype=np.float64)))
    return float(np.mean(diff ** 2)) if diff.size else float("nan")


def baseline_mse(task: str, w: Windows) -> float:
    """The baseline's MSE on the test sequences of ``w``."""
    return mse(w.y_test, np.full(len(w.y_test), baseline_prediction(task, w.y_train)))


def scores(config: Any, w: Windows, pred_train: np.ndarray,
           pred_test: np.ndarray) -> dict[str, Any]:
    """``train_mse``, ``test_mse``, ``baseline_test_mse`` (same test sequences), ``baseline_name``
    and ``verdict_level`` of a task run."""
    task = config.dataset
    test, base = mse(w.y_test, pred_test), baseline_mse(task, w)
    return {"train_mse": mse(w.y_train, pred_train), "test_mse": test,
            "baseline_test_mse": base, "baseline_name": BASELINE_NAMES[task],
            "verdict_level": verdict_level(test, base)}


def verdict_level(test_mse: float, baseline: float) -> str:
    """``solved`` (below ``SOLVED_FRACTION`` of the baseline), ``learning`` (below
    ``LEARNING_FRACTION`` of it) or ``not learned`` (above that: no better than the baseline
    beyond noise, or no finite prediction).

    >>> verdict_level(0.005, 1 / 12), verdict_level(0.05, 1 / 12), verdict_level(0.08, 1 / 12)
    ('solved', 'learning', 'not learned')
    """
    if not (np.isfinite(test_mse) and np.isfinite(baseline)):
        return "not learned"
    if test_mse < SOLVED_FRACTION * baseline:
        return "solved"
    return "learning" if test_mse < LEARNING_FRACTION * baseline else "not learned"


def verdict(config: Any, found: dict[str, Any]) -> str:
    """One plain sentence on a task run's ``scores``."""
    test, base, level = found["test_mse"], found["baseline_test_mse"], found["verdict_level"]
    name, steps = config.dataset, config.time_steps
    if not np.isfinite(test):
        return "The model produced no finite predictions, so it cannot be judged."
    versus = (f"test MSE {test:.4g} vs {base:.4g} for the baseline "
              f"({BASELINE_NAMES[name]}), {test / base * 100:.1f} % of it")
    if level == "solved":
        return (f"Solved: the network carries what it needs across {steps} steps of the {name} "
                f"task — {versus}, below {SOLVED_FRACTION:.0%}.")
    if level == "learning":
        return (f"Learning: clearly better than the baseline (below {LEARNING_FRACTION:.0%} of "
                f"it) but not solved (below {SOLVED_FRACTION:.0%}) — {versus}. More epochs may "
                "finish the job.")
    return (f"Not learned: the network does not clearly beat the baseline, which ignores the "
            f"inputs — {versus} (learning starts below {LEARNING_FRACTION:.0%}).")
