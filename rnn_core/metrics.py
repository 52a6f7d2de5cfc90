"""Error measures, written out so they can be read at a glance.

>>> rmse([1.0, 2.0], [1.0, 4.0]), mae([1.0, 2.0], [1.0, 4.0])
(1.4142135623730951, 1.0)
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
