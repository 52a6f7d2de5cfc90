"""Error measures: scikit-learn's ``sklearn.metrics`` where a measure is defined, and a note in
words where it is not.

>>> rmse([1.0, 2.0], [1.0, 4.0]), mae([1.0, 2.0], [1.0, 4.0])
(1.4142135623730951, 1.0)

MAPE is undefined when an actual value is 0, and MASE when the training part never changes:
both then return ``None``, and ``mape_note`` / ``mase_note`` say why in words. Inputs of any
shape count every value once (a horizon's (windows, H) targets are H·windows values).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _sklearn(name: str, actual: Any, predicted: Any) -> float:
    """``sklearn.metrics.<name>`` over all values of ``actual`` and ``predicted``, flattened.

    No values give NaN (scikit-learn refuses them). A diverged model's inf or NaN predictions
    give inf or NaN, as the arithmetic does, instead of scikit-learn's error: the run then reports
    that it diverged.
    """
    # Imported here, not at the top: scikit-learn pulls in SciPy, which the web server's pages
    # do not load otherwise (see scaling.py); training processes have it already.
    import sklearn.metrics
    from sklearn import config_context

    actual = np.ravel(np.asarray(actual, dtype=np.float64))
    predicted = np.ravel(np.asarray(predicted, dtype=np.float64))
    if actual.size == 0:
        return float("nan")
    # the arguments here are always valid: skip scikit-learn's re-check of them on each call
    with config_context(assume_finite=True, skip_parameter_validation=True):
        return float(getattr(sklearn.metrics, name)(actual, predicted))


def rmse(actual, predicted) -> float:
    """Root mean squared error: sqrt(mean((actual - predicted)²)), scikit-learn's
    ``root_mean_squared_error`` over all values (not a mean of per-column RMSEs)."""
    return _sklearn("root_mean_squared_error", actual, predicted)


def mae(actual, predicted) -> float:
    """Mean absolute error: mean(|actual - predicted|), scikit-learn's ``mean_absolute_error``."""
    return _sklearn("mean_absolute_error", actual, predicted)


def mape(actual, predicted) -> float | None:
    """Mean absolute percentage error, in percent: 100 · mean(|actual - predicted| / |actual|),
    scikit-learn's ``mean_absolute_percentage_error`` (a fraction) times 100.

    ``None`` when an actual value is 0 (the division is undefined; scikit-learn would divide by
    the smallest float instead and give an absurd figure); ``mape_note`` says so.

    >>> mape([100.0, 200.0], [110.0, 150.0])
    17.5
    >>> mape([0.0, 2.0], [1.0, 2.0]) is None
    True
    """
    if mape_note(actual) is not None:
        return None
    return 100 * _sklearn("mean_absolute_percentage_error", actual, predicted)


def mape_note(actual) -> str | None:
    """Why MAPE cannot be computed for these actual values, or ``None`` when it can.

    >>> mape_note([0.0, 3.0, 0.0])
    'MAPE is undefined: 2 of the 3 actual values are 0, and it divides by each actual value.'
    """
    actual = np.asarray(actual, dtype=np.float64)
    zeros = int(np.sum(actual == 0))
    if actual.size == 0:
        return "MAPE is undefined: there are no actual values."
    if zeros:
        return (f"MAPE is undefined: {zeros:,} of the {actual.size:,} actual values are 0, "
                "and it divides by each actual value.")
    return None


def naive_scale(train, season: int = 1) -> float:
    """MAE of the in-sample naive forecast on ``train``: mean(|train[t] - train[t - season]|).

    >>> naive_scale([1.0, 3.0, 2.0, 6.0])
    2.3333333333333335
    """
    train = np.asarray(train, dtype=np.float64)
    if len(train) <= season:
        return float("nan")
    return mae(train[season:], train[:-season])


def mase(actual, predicted, train, season: int = 1) -> float | None:
    """Mean absolute scaled error: MAE / the in-sample naive (seasonal) MAE of ``train``.

    Below 1 beats "the value ``season`` steps back" as it did on the training part. ``None``
    when that scale is 0 or the training part is too short; ``mase_note`` says why.

    >>> mase([4.0, 8.0], [5.0, 6.0], train=[1.0, 3.0, 2.0, 6.0])
    0.6428571428571428
    """
    if mase_note(train, season) is not None:
        return None
    return mae(actual, predicted) / naive_scale(train, season)


def mase_note(train, season: int = 1) -> str | None:
    """Why MASE cannot be computed from this training part, or ``None`` when it can."""
    n = len(np.asarray(train, dtype=np.float64))
    if season < 1:
        return f"MASE needs a season of 1 or more, got {season}."
    if n <= season:
        return (f"MASE is undefined: the training part ({n:,} values) is not longer than the "
                f"season ({season}), so there is no naive forecast to scale by.")
    if naive_scale(train, season) == 0:
        return ("MASE is undefined: the training part never changes from one season to the "
                "next, so the naive forecast it is scaled by makes no error.")
    return None
