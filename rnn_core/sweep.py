"""A small grid of runs: the same setup with hidden units × time steps varied.

>>> from rnn_core.config import RunConfig
>>> [(c.units, c.time_steps) for c in grid(RunConfig(), units=[4, 8], time_steps=[6])]
[(4, 6), (8, 6)]
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .config import FIELD_BY_NAME, RunConfig
from .errors import RnnExplorerError

MAX_SWEEP_RUNS = 25


def grid(base: RunConfig, units: Sequence[int], time_steps: Sequence[int]) -> list[RunConfig]:
    """One config per (units, time steps) pair, units varying fastest; at most 25 runs."""
    units = sorted({FIELD_BY_NAME["units"].parse(u) for u in units})
    time_steps = sorted({FIELD_BY_NAME["time_steps"].parse(t) for t in time_steps})
    if not units or not time_steps:
        raise RnnExplorerError("choose at least one value of hidden units and one of time steps.")
    if len(units) * len(time_steps) > MAX_SWEEP_RUNS:
        raise RnnExplorerError(
            f"{len(units)} × {len(time_steps)} = {len(units) * len(time_steps)} runs is more than "
            f"the {MAX_SWEEP_RUNS} a sweep may train: pick fewer values.")
    # non-overlapping windows (stride = time steps, tutorial T1) stay non-overlapping for every T
    non_overlapping = base.stride == base.time_steps and base.stride > 1
    return [base.replace(units=u, time_steps=t, stride=t if non_overlapping else base.stride)
            for t in time_steps for u in units]


def table(configs: Sequence[RunConfig], scores: Sequence[float | None]) -> tuple[list[int], list[int], np.ndarray]:
    """(units axis, time steps axis, matrix[time_steps, units]) of scores; NaN where missing."""
    units = sorted({c.units for c in configs})
    steps = sorted({c.time_steps for c in configs})
    matrix = np.full((len(steps), len(units)), np.nan)
    for c, score in zip(configs, scores):
        if score is not None:
            matrix[steps.index(c.time_steps), units.index(c.units)] = score
    return units, steps, matrix
