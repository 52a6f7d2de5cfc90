"""Cutting a series into (window, target) pairs for a recurrent network.

A window is the ``time_steps`` values before its target. The series is split at ``split_at``:
targets before it are training targets, the rest test targets. Within each part, targets
start ``time_steps`` values in and then every ``stride`` values: stride 1 gives sliding
windows, stride = time_steps gives tutorial T1's non-overlapping windows.

``scope="separate"`` cuts the test windows from the test part alone, as the tutorials do;
``scope="continuous"`` lets the first test windows read the last training values, so every
test value gets a prediction (the inputs are past values, known at forecast time: no leak).
``pad=True`` appends ``time_steps`` copies of each part's last value first (tutorial T2), so a
part of n values gives n windows.

``horizon=H`` makes each window's target the H values after it, shape (samples, H), for a
network with H outputs trained directly; a window exists only where all H targets lie in its
part. With H = 1 targets stay one value per window, shape (samples,).

``layout="sequence"`` shapes inputs (samples, T, features): the recurrence runs T steps.
``layout="features"`` shapes them (samples, 1, T·features): one step, T inputs at once.

>>> w = make(np.arange(10.0), split_at=8, time_steps=3, stride=1)
>>> w.x_train.shape, w.y_train.tolist(), w.test_index.tolist()
((5, 3, 1), [3.0, 4.0, 5.0, 6.0, 7.0], [8, 9])
>>> w = make(np.arange(10.0), split_at=8, time_steps=3, horizon=2)
>>> w.y_train.tolist(), w.test_index.tolist(), step(w.y_test, 1).tolist()
([[3.0, 4.0], [4.0, 5.0], [5.0, 6.0], [6.0, 7.0]], [8], [9.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import RnnExplorerError, quote


@dataclass(frozen=True)
class Windows:
    """Inputs, targets and where each target sits in the series.

    ``y_*`` are (samples,) for a horizon of 1, else (samples, horizon). ``*_index`` are the
    positions of each window's first target in the original series (a padded target repeats
    its part's last position); ``*_last`` is each window's last input value of the target
    series, the persistence forecast.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    train_index: np.ndarray
    test_index: np.ndarray
    train_last: np.ndarray
    test_last: np.ndarray
    split_at: int
    layout: str
    horizon: int = 1
    n_values: int = 0  # length of the series

    def positions(self, part: str, k: int = 0) -> np.ndarray:
        """Positions in the series of step ``k`` (0-based) of each ``part`` window's targets
        (a padded target repeats its part's last position)."""
        if part == "train":
            return np.minimum(self.train_index + k, self.split_at - 1)
        return np.minimum(self.test_index + k, max(self.n_values, self.split_at + 1) - 1)

    def persistence(self, part: str) -> np.ndarray:
        """"Every value ahead equals the window's last value", shaped like the targets."""
        last, y = (self.train_last, self.y_train) if part == "train" else (self.test_last, self.y_test)
        return last if y.ndim == 1 else np.repeat(last[:, None], y.shape[1], axis=1)

    @property
    def n_train(self) -> int:
        return len(self.y_train)

    @property
    def n_test(self) -> int:
        return len(self.y_test)

    @property
    def steps(self) -> int:
        """Time steps the recurrence actually runs."""
        return self.x_train.shape[1]

    @property
    def n_features(self) -> int:
        return self.x_train.shape[2]


def split_index(n: int, split: float | int) -> int:
    """Index of the first test value: ``int(n * split)`` for a fraction, else ``split`` itself."""
    at = int(n * split) if isinstance(split, float) and split < 1 else int(split)
    if not 1 <= at < n:
        raise RnnExplorerError(
            f"split={split} puts the first test value at index {at}, outside the series of "
            f"{n:,} values; use a fraction between 0 and 1 or an index below {n}.",
            field="split",
        )
    return at


def step(values: np.ndarray, k: int = 0) -> np.ndarray:
    """Step ``k`` (0-based) of targets or predictions: the values themselves for horizon 1.

    >>> step(np.array([[1.0, 2.0], [3.0, 4.0]]), 1).tolist()
    [2.0, 4.0]
    """
    values = np.asarray(values)
    return values if values.ndim == 1 else values[:, k]


def target_positions(part_len: int, first: int, time_steps: int, stride: int, pad: bool,
                     horizon: int = 1) -> np.ndarray:
    """First-target positions inside one (optionally padded) part; inputs are the T values
    before each, targets the ``horizon`` values from it on, all inside the part."""
    padded_len = part_len + (time_steps if pad else 0)
    return np.arange(max(first, time_steps), padded_len - (horizon - 1), stride)


def count(n: int, split_at: int, time_steps: int, stride: int, scope: str = "continuous",
          pad: bool = False, horizon: int = 1) -> tuple[int, int]:
    """How many (train, test) windows a choice yields, without building them."""
    if not 1 <= split_at < n:
        raise RnnExplorerError(f"split at {split_at} is outside the series of {n} values.", field="split")
    (_, tr_first, tr_end), (te_start, te_first, te_end) = _parts(n, split_at, time_steps, scope)
    n_train = len(target_positions(tr_end, tr_first, time_steps, stride, pad, horizon))
    n_test = len(target_positions(te_end - te_start, te_first - te_start, time_steps, stride, pad,
                                  horizon))
    return n_train, n_test


def _parts(n: int, split_at: int, time_steps: int, scope: str):
    """(start, first target, end) in series positions for the train and the test part."""
    if scope == "separate":
        test = (split_at, split_at + time_steps, n)
    elif scope == "continuous":
        start = max(0, split_at - time_steps)
        test = (start, max(split_at, start + time_steps), n)
    else:
        raise ValueError(f"scope={scope!r}: use 'continuous' or 'separate'")
    return (0, time_steps, split_at), test


def _cut(inputs: np.ndarray, target: np.ndarray, start: int, first: int, end: int,
         time_steps: int, stride: int, pad: bool, horizon: int):
    part_x, part_y = inputs[start:end], target[start:end]
    if pad:
        part_x = np.concatenate([part_x, np.repeat(part_x[-1:], time_steps, axis=0)])
        part_y = np.concatenate([part_y, np.repeat(part_y[-1:], time_steps)])
    pos = target_positions(end - start, first - start, time_steps, stride, pad, horizon)
    # (n_windows, T) matrix of row indices: window k reads rows pos[k]-T … pos[k]-1.
    rows = pos[:, None] - time_steps + np.arange(time_steps)[None, :]
    x = part_x[rows] if len(pos) else np.empty((0, time_steps, inputs.shape[1]))
    y = part_y[pos] if horizon == 1 else part_y[pos[:, None] + np.arange(horizon)[None, :]]
    last = part_y[pos - 1]
    index = start + np.minimum(pos, end - start - 1)
    return x, y, index, last


def make(values: np.ndarray, split_at: int, time_steps: int, stride: int = 1,
         layout: str = "sequence", scope: str = "continuous", pad: bool = False,
         features: np.ndarray | None = None, horizon: int = 1) -> Windows:
    """Windows and targets of a (scaled) series; ``features`` (n, F) replaces the inputs if given.

    Raises ``RnnExplorerError`` when either part gets no window, naming what to change.
    """
    target = np.asarray(values, dtype=np.float64)
    inputs = target[:, None] if features is None else np.asarray(features, dtype=np.float64)
    n = len(target)
    if layout not in ("sequence", "features"):
        raise ValueError(f"layout={layout!r}: use 'sequence' or 'features'")
    if not 1 <= split_at < n:
        raise RnnExplorerError(f"split at {split_at} is outside the series of {n} values.", field="split")
    train_part, test_part = _parts(n, split_at, time_steps, scope)
    if not (isinstance(horizon, (int, np.integer)) and horizon >= 1):
        raise ValueError(f"horizon={horizon!r}: use a whole number of 1 or more")
    x_tr, y_tr, i_tr, l_tr = _cut(inputs, target, *train_part, time_steps, stride, pad, horizon)
    x_te, y_te, i_te, l_te = _cut(inputs, target, *test_part, time_steps, stride, pad, horizon)
    ahead = f" and a horizon of {horizon}" if horizon > 1 else ""
    for name, part_len, got in (("training", split_at, len(y_tr)), ("test", n - split_at, len(y_te))):
        if got == 0:
            raise RnnExplorerError(
                f"the {name} part ({part_len:,} values) is too short for windows of "
                f"{time_steps} time steps{ahead}: it gives no window. Use fewer time steps"
                + (" or a shorter horizon" if horizon > 1 else "") + " or move the split"
                + (" (or choose continuous window scope)." if name == "test" else "."),
                field="time_steps",
            )
    if layout == "features":
        x_tr = x_tr.reshape(len(x_tr), 1, -1)
        x_te = x_te.reshape(len(x_te), 1, -1)
    return Windows(x_tr, y_tr, x_te, y_te, i_tr, i_te, l_tr, l_te, split_at, layout, int(horizon), n)


def parse_window(text: str, steps: int, features: int = 1) -> np.ndarray:
    """A typed window ("1, 2, 3"; rows of several features separated by ";") as (steps, features).

    >>> parse_window("1, 2, 3", steps=3).ravel().tolist()
    [1.0, 2.0, 3.0]
    """
    rows = [r for r in text.replace("\n", ";").split(";") if r.strip()]
    try:
        values = [float(v) for r in rows for v in r.replace(",", " ").split()]
    except ValueError:
        raise RnnExplorerError(
            f"the window {quote(text)} is not a list of numbers: type {steps * features} numbers "
            "separated by commas, e.g. 1, 2, 3.", field="window") from None
    if len(values) != steps * features:
        raise RnnExplorerError(
            f"the window has {len(values)} numbers but the network reads {steps} time step(s) × "
            f"{features} feature(s) = {steps * features}: type exactly that many.", field="window")
    x = np.array(values, dtype=np.float64)
    if not np.isfinite(x).all():
        raise RnnExplorerError("the window holds NaN or infinite values.", field="window")
    return x.reshape(steps, features)
