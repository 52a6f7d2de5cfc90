"""Error measures, written out so they can be read at a glance.

>>> rmse([1.0, 2.0], [1.0, 4.0]), mae([1.0, 2.0], [1.0, 4.0])
(1.4142135623730951, 1.0)

MAPE is undefined when an actual value is 0, and MASE when the training part never changes:
both then return ``None``, and ``mape_note`` / ``mase_note`` say why in words.
"""

from __future__ import annotations

import numpy as np


def rmse(actual, predicted) -> float:
    """Root mean squared error: sqrt(mean((actual - predicted)²))."""
    err = np.asarray(actual, dtype=np.float64) - np.asarray(predicted, dtype=np.float64)
    return float(np.sqrt(np.mean(err**2)))


def mae(actual, predicted) -> float:
    """Mean absolute error: mean(|actual - predicted|)."""
    err = np.asarray(actual, dtype=np.float64) - np.asarray(predicted, dtype=np.float64)
    return float(np.mean(np.abs(err)))


def mape(actual, predicted) -> float | None:
    """Mean absolute percentage error, in percent: 100 · mean(|actual - predicted| / |actual|).

    ``None`` when an actual value is 0 (the division is undefined); ``mape_note`` says so.

    >>> mape([100.0, 200.0], [110.0, 150.0])
    17.5
    >>> mape([0.0, 2.0], [1.0, 2.0]) is None
    True
    """
    actual = np.asarray(actual, dtype=np.float64)
    if mape_note(actual) is not None:
        return None
    err = actual - np.asarray(predicted, dtype=np.float64)
    return float(100 * np.mean(np.abs(err / actual)))


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
