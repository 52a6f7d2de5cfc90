"""A small grid of runs: the same setup with hidden units × time steps varied, and optionally the
cell too (cell × time steps: where each cell stops learning).

>>> from rnn_core.config import RunConfig
>>> [(c.units, c.time_steps) for c in grid(RunConfig(), units=[4, 8], time_steps=[6])]
[(4, 6), (8, 6)]
>>> [(c.cell, c.units) for c in grid(RunConfig(), [8], [6], cells=["gru", "simplernn"])]
[('simplernn', 8), ('gru', 8)]
>>> table(grid(RunConfig(), [8], [6, 12], cells=["lstm", "gru"]), [0.1, 0.2, 0.3, None])[:2]
(['LSTM 8u', 'GRU 8u'], [6, 12])
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .architecture import CELL_CLASS
from .config import FIELD_BY_NAME, RunConfig
from .errors import RnnExplorerError
from .race import CELLS as CELL_ORDER  # the race's order, in the table too

MAX_SWEEP_RUNS = 25


def grid(base: RunConfig, units: Sequence[int], time_steps: Sequence[int],
         cells: Sequence[str] | None = None) -> list[RunConfig]:
    """One config per (cell, units, time steps), units varying fastest, then cells; at most
    ``MAX_SWEEP_RUNS`` runs. ``cells`` None: the setup's own cell only."""
    units = sorted({FIELD_BY_NAME["units"].parse(u) for u in units})
    time_steps = sorted({FIELD_BY_NAME["time_steps"].parse(t) for t in time_steps})
    cells = [base.cell] if cells is None else [c for c in CELL_ORDER
                                               if c in {FIELD_BY_NAME["cell"].parse(x) for x in cells}]
    if not units or not time_steps or not cells:
        raise RnnExplorerError("choose at least one value of hidden units, one of time steps "
                               "and one cell.")
    size = len(cells) * len(units) * len(time_steps)
    if size > MAX_SWEEP_RUNS:
        counts = " × ".join(str(n) for n in ((len(cells),) if len(cells) > 1 else ())
                            + (len(units), len(time_steps)))
        raise RnnExplorerError(
            f"{counts} = {size} runs is more than the {MAX_SWEEP_RUNS} a sweep may train: "
            "pick fewer values.")
    # non-overlapping windows (stride = time steps, tutorial T1) stay non-overlapping for every T
    non_overlapping = base.stride == base.time_steps and base.stride > 1
    return [base.replace(cell=cell, units=u, time_steps=t,
                         stride=t if non_overlapping else base.stride)
            for t in time_steps for cell in cells for u in units]


def column(config: RunConfig, several_cells: bool) -> str:
    """A grid column's label: the units, with the cell when the sweep varies it."""
    return f"{CELL_CLASS[config.cell]} {config.units}u" if several_cells else str(config.units)


def table(configs: Sequence[RunConfig], scores: Sequence[float | None]
          ) -> tuple[list[str], list[int], np.ndarray]:
    """(column labels, time steps axis, matrix[time_steps, column]) of scores; NaN where
    missing. Columns are the units (``"8"``), or cell and units (``"LSTM 8u"``) when the
    configs vary the cell, in grid order."""
    several = len({c.cell for c in configs}) > 1
    columns = list(dict.fromkeys(column(c, several) for c in sorted(
        configs, key=lambda c: (CELL_ORDER.index(c.cell), c.units))))
    steps = sorted({c.time_steps for c in configs})
    matrix = np.full((len(steps), len(columns)), np.nan)
    for c, score in zip(configs, scores):
        if score is not None:
            matrix[steps.index(c.time_steps), columns.index(column(c, several))] = score
    return columns, steps, matrix
