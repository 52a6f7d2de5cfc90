"""Min-max scaling to [0, 1], fitted on the part of the series the user chooses.

Fitting on the whole series (tutorial T1) lets the training see the test part's minimum and
maximum: a leak. The default fits on the training part only; test values may then fall a
little outside [0, 1], which is the honest picture.

The arithmetic is scikit-learn's ``sklearn.preprocessing.MinMaxScaler``, the one a learner will
use elsewhere; ``MinMaxScaler`` here only adds what the app needs around it: one column in and
out as 1-D arrays (any shape, in fact), and a clear message for no values or a constant series.

>>> s = MinMaxScaler().fit([2.0, 4.0, 6.0])
>>> s.transform([4.0, 8.0]).tolist()
[0.5, 1.5]
>>> s.inverse_transform([0.5]).tolist()
[4.0]
>>> (s.data_min_, s.data_range_)
(2.0, 4.0)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import RnnExplorerError


def _sklearn_scaler() -> Any:
    # Imported here, not at the top: scikit-learn pulls in SciPy, which the web server's pages
    # do not load otherwise, and at the top it would add seconds and tens of MB to every server
    # process (the web server imports this module for every page). Here the first fit pays it
    # once per process; training processes have it already (Keras imports scikit-learn).
    from sklearn.preprocessing import MinMaxScaler as SklearnMinMaxScaler

    return SklearnMinMaxScaler()


class MinMaxScaler:
    """x' = (x - min) / (max - min), with min and max taken from the data given to ``fit``:
    scikit-learn's ``MinMaxScaler`` on a single column, with the app's messages."""

    def __init__(self) -> None:
        self._fitted: Any = None  # the sklearn scaler, once fitted

    def fit(self, values: np.ndarray) -> "MinMaxScaler":
        values = np.asarray(values, dtype=np.float64)
        if values.size == 0:
            raise RnnExplorerError("cannot fit the scaler on no values; make the training part longer.")
        lo, hi = float(values.min()), float(values.max())
        if not hi > lo:  # scikit-learn would quietly scale by 1; here it is a user error
            raise RnnExplorerError(
                f"the values used to fit the scaler are all equal ({lo:g}): a constant series has "
                "nothing to learn. Pick another series or column, or fit the scaler on all values."
            )
        self._fitted = _sklearn_scaler().fit(values.reshape(-1, 1))
        return self

    @property
    def data_min_(self) -> float:
        """The smallest value seen by ``fit`` (scikit-learn's name)."""
        return float(self._check_fitted().data_min_[0])

    @property
    def data_range_(self) -> float:
        """Largest minus smallest value seen by ``fit`` (scikit-learn's name)."""
        return float(self._check_fitted().data_range_[0])

    def transform(self, values: np.ndarray) -> np.ndarray:
        return self._column_wise(self._check_fitted().transform, values)

    def inverse_transform(self, values: np.ndarray) -> np.ndarray:
        return self._column_wise(self._check_fitted().inverse_transform, values)

    @staticmethod
    def _column_wise(apply: Any, values: np.ndarray) -> np.ndarray:
        """``apply`` to ``values`` of any shape as the one column it was fitted on."""
        from sklearn import config_context

        values = np.asarray(values, dtype=np.float64)
        if values.size == 0:  # scikit-learn refuses no rows; no values scale to no values
            return values.copy()
        # A diverged model's predictions are inf or NaN; they are scaled back as they are
        # (the run's metrics then say it diverged) instead of raising. The arguments are always
        # valid: skip scikit-learn's re-check of them on each call.
        with config_context(assume_finite=True, skip_parameter_validation=True):
            return apply(values.reshape(-1, 1)).reshape(values.shape)

    def _check_fitted(self) -> Any:
        if self._fitted is None:
            raise RuntimeError("call fit() before transform()")
        return self._fitted


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
