"""Min-max scaling to [0, 1], fitted on the part of the series the user chooses.

Fitting on the whole series (tutorial T1) lets the training see the test part's minimum and
maximum: a leak. The default fits on the training part only; test values may then fall a
little outside [0, 1], which is the honest picture.

>>> s = MinMaxScaler().fit([2.0, 4.0, 6.0])
>>> s.transform([4.0, 8.0]).tolist()
[0.5, 1.5]
>>> s.inverse_transform([0.5]).tolist()
[4.0]
"""

from __future__ import annotations

import numpy as np

from .errors import RnnExplorerError


class MinMaxScaler:
    """x' = (x - min) / (max - min), with min and max taken from the data given to ``fit``."""

    def __init__(self) -> None:
        self.min_: float | None = None
        self.range_: float | None = None

    def fit(self, values: np.ndarray) -> "MinMaxScaler":
        values = np.asarray(values, dtype=np.float64)
        if values.size == 0:
            raise RnnExplorerError("cannot fit the scaler on no values; make the training part longer.")
        lo, hi = float(values.min()), float(values.max())
        if not hi > lo:
            raise RnnExplorerError(
                f"the values used to fit the scaler are all equal ({lo:g}): a constant series has "
                "nothing to learn. Pick another series or column, or fit the scaler on all values."
            )
        self.min_, self.range_ = lo, hi - lo
        return self

    def transform(self, values: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return (np.asarray(values, dtype=np.float64) - self.min_) / self.range_

    def inverse_transform(self, values: np.ndarray) -> np.ndarray:
        self._check_fitted()
        return np.asarray(values, dtype=np.float64) * self.range_ + self.min_

    def _check_fitted(self) -> None:
        if self.min_ is None:
            raise RuntimeError("call fit() before transform()")


class IdentityScaler:
    """No scaling (tutorial T2 feeds the raw sine values)."""

    def fit(self, values: np.ndarray) -> "IdentityScaler":
        return self

    def transform(self, values: np.ndarray) -> np.ndarray:
        return np.asarray(values, dtype=np.float64)

    inverse_transform = transform


def fit_scaler(values: np.ndarray, split_at: int, fit_on: str) -> MinMaxScaler | IdentityScaler:
    """A scaler fitted as ``fit_on`` says: "train" (values before ``split_at``), "all" or "none"."""
    if fit_on == "none":
        return IdentityScaler()
    if fit_on == "train":
        return MinMaxScaler().fit(values[:split_at])
    if fit_on == "all":
        return MinMaxScaler().fit(values)
    raise ValueError(f"fit_on={fit_on!r}: use 'train', 'all' or 'none'")
