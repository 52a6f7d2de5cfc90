"""Target transforms applied to a series before scaling, and their exact inverses.

A trending series leaves the range the network saw in training: a min-max scaler fitted on
the training part maps later values above 1, and a tanh-bounded recurrence cannot follow
them there. Taking logs (a growth rate becomes a slope) and differences (a slope becomes a
level) turns such a series into one whose test values look like its training values. The
network then learns and predicts transformed values, and every prediction is turned back
into the series' own units before anything is scored or drawn.

Transforms (``NAMES``): ``none``; ``log``; ``diff`` (x_t − x_{t−1}); ``seasonal_diff``
(x_t − x_{t−s}, s = the series' season); ``log_diff`` and ``log_seasonal_diff`` (the same on
log x). A difference of lag L makes the series L values shorter: transformed value j belongs
to position j + L of the original series.

Inverting a difference needs the value L steps before the target. For a one-step prediction
that value is the ACTUAL one, known at forecast time. For a window's H > 1 values ahead (and
for a recursive forecast past the end of the series) the values after the window's last known
one are not known: the inverse then adds the network's own earlier predictions, so the
errors of the steps accumulate, as they would in any real forecast.

The object is scikit-learn shaped (``fit`` / ``transform`` / ``inverse_transform``) and keeps no
state beyond its settings: ``fit`` only checks that the series suits it.

>>> t = Transform.of("log_diff").fit(np.array([1.0, 2.0, 4.0, 8.0]))
>>> t.transform(np.array([1.0, 2.0, 4.0, 8.0])).round(4).tolist()
[0.6931, 0.6931, 0.6931]
>>> t.inverse_transform(np.array([np.log(2.0)]), first=np.array([3]),
...                     values=np.array([1.0, 2.0, 4.0, 8.0])).round(6).tolist()
[8.0]
>>> Transform.of("diff").inverse_transform(np.array([[1.0, 1.0, 1.0]]), first=np.array([2]),
...                                        values=np.array([5.0, 6.0, 7.0, 8.0])).tolist()
[[7.0, 8.0, 9.0]]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import RnnExplorerError

NAMES: tuple[str, ...] = ("none", "log", "diff", "seasonal_diff", "log_diff", "log_seasonal_diff")
LABELS: dict[str, str] = {
    "none": "none (raw values)",
    "log": "log",
    "diff": "difference (lag 1)",
    "seasonal_diff": "seasonal difference (lag = season)",
    "log_diff": "log, then difference (lag 1)",
    "log_seasonal_diff": "log, then seasonal difference",
}
# said wherever predictions of a differenced series are shown (docstrings, the UI)
INVERSE_NOTE = ("A one-step prediction of a difference is undone from the actual previous value, "
                "known at forecast time; for several steps ahead and recursive forecasts the "
                "inverse adds the network's own earlier predictions, so their errors accumulate.")


@dataclass(frozen=True)
class Transform:
    """One transform: take logs or not, then difference at ``lag`` (0: no difference)."""

    name: str
    log: bool
    lag: int

    @classmethod
    def of(cls, name: str, season: int | None = None) -> Transform:
        """The transform called ``name``; a seasonal one needs the series' ``season``.

        >>> Transform.of("log_seasonal_diff", season=12)
        Transform(name='log_seasonal_diff', log=True, lag=12)
        """
        if name not in NAMES:
            raise RnnExplorerError(f"unknown transform {name!r}: use one of " + ", ".join(NAMES) + ".",
                                   field="transform")
        lag = 0
        if name.endswith("seasonal_diff"):
            if not season or season < 2:
                raise RnnExplorerError(
                    f"transform={name} differences at the series' season, but this series has no "
                    "known season (a monthly series has 12): choose diff or log_diff instead.",
                    field="transform")
            lag = int(season)
        elif name.endswith("diff"):
            lag = 1
        return cls(name, name.startswith("log"), lag)

    def fit(self, values: np.ndarray) -> Transform:
        """Check that ``values`` suit this transform (positive for a log; longer than the lag);
        returns itself (nothing is learned)."""
        values = np.asarray(values, dtype=np.float64)
        if self.log and not (values > 0).all():
            raise RnnExplorerError(
                f"transform={self.name} takes logs, which needs every value above 0, but the "
                f"smallest value is {values.min():.6g}: choose diff or none for this series.",
                field="transform")
        if len(values) <= self.lag + 1:
            raise RnnExplorerError(
                f"transform={self.name} differences at lag {self.lag}, which leaves nothing of a "
                f"series of {len(values)} values.", field="transform")
        return self

    def _level(self, values: np.ndarray) -> np.ndarray:
        values = np.asarray(values, dtype=np.float64)
        return np.log(values) if self.log else values

    def transform(self, values: np.ndarray) -> np.ndarray:
        """The transformed series: ``lag`` values shorter than ``values``."""
        z = self._level(values)
        return z[self.lag:] - z[:-self.lag] if self.lag else z

    def inverse_transform(self, pred: np.ndarray, first: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Transformed-unit predictions back to original units.

        ``pred`` is (windows,) or (windows, H): the values predicted from each window's first
        target on, which sits at position ``first[i]`` of the original series ``values``. A
        difference is undone from the actual value ``lag`` steps back when that value lies
        before ``first[i]`` (known at forecast time); later steps undo it from the window's own
        earlier predictions. ``first[i]`` may be ``len(values)`` (a forecast past the end).
        """
        pred = np.asarray(pred, dtype=np.float64)
        one = pred.ndim == 1
        p = pred[:, None] if one else pred
        first = np.asarray(first, dtype=np.int64)
        z = self._level(values)
        level = np.empty_like(p)
        for k in range(p.shape[1]):
            if not self.lag:
                level[:, k] = p[:, k]
            elif k < self.lag:  # the base lies before the window's first target: known
                level[:, k] = z[first + k - self.lag] + p[:, k]
            else:  # the base is one of this window's own predictions
                level[:, k] = level[:, k - self.lag] + p[:, k]
        out = np.exp(level) if self.log else level
        return out[:, 0] if one else out

    def inverse_future(self, pred: np.ndarray, values: np.ndarray) -> np.ndarray:
        """A forecast of ``len(pred)`` values after the end of ``values`` back to original
        units, accumulating its own predictions beyond the known values."""
        pred = np.asarray(pred, dtype=np.float64)
        return self.inverse_transform(pred[None, :], np.array([len(values)]), values)[0]
