"""A fair race of the three cells: SimpleRNN, LSTM and GRU on exactly the same windows, seed and
training settings, one run per cell (and per seed), and what their numbers say.

Fairness is a choice (``MATCHES``): the same hidden units — then an LSTM holds about four times
and a GRU three times a SimpleRNN's parameters — or the same number of parameters, the units of
each cell chosen so its count is the nearest to the set-up cell's (within ``PARAMS_TOLERANCE``
where whole units allow it; the counts are always stated). One seed can mislead, so a race
can run over ``RACE_SEEDS`` and show the spread.

>>> from rnn_core.config import RunConfig
>>> base = RunConfig(cell="simplernn", units=32)
>>> [(c.cell, c.units, parameters(c, 12, 1)) for c in entrants(base, 12, 1, match="params")]
[('simplernn', 32, 1121), ('lstm', 16, 1169), ('gru', 18, 1153)]
>>> [(c.cell, c.units, c.seed) for c in entrants(base, 12, 1, seeds=(0, 1))][:3]
[('simplernn', 32, 0), ('simplernn', 32, 1), ('lstm', 32, 0)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal, Sequence

from .architecture import architecture
from .config import MAX_UNITS, RunConfig
from .errors import RnnExplorerError, quote

CELLS = ("simplernn", "lstm", "gru")  # the race's order, everywhere (table, CLI, charts)
Match = Literal["units", "params"]
MATCHES: tuple[Match, ...] = ("units", "params")
PARAMS_TOLERANCE = 0.10  # parameter counts "the same" within this share of the set-up cell's
RACE_SEEDS = (0, 1, 2)  # "over seeds": training seeds 0, 1 and 2
MAX_RACE_RUNS = len(CELLS) * len(RACE_SEEDS)


def parameters(config: RunConfig, time_steps: int, features: int) -> int:
    """Trainable values of the network ``config`` builds for windows of that shape."""
    return sum(spec.params for spec in architecture(config, time_steps, features))


def matched_units(config: RunConfig, cell: str, time_steps: int, features: int) -> int:
    """The hidden units giving ``cell`` the parameter count nearest to ``config``'s own (ties:
    the fewer units)."""
    target = parameters(config, time_steps, features)
    return min(range(1, MAX_UNITS + 1),
               key=lambda u: (abs(parameters(config.replace(cell=cell, units=u), time_steps,
                                             features) - target), u))


def entrants(config: RunConfig, time_steps: int, features: int, match: Match = "units",
             seeds: Sequence[int] | None = None) -> list[RunConfig]:
    """One config per cell (per seed: cells first, then seeds), all else as ``config``.
    ``time_steps``/``features`` are the windows' (``Windows.steps``, ``.n_features``)."""
    if match not in MATCHES:
        raise RnnExplorerError(f"match={quote(match)} is not valid: use units or params.",
                               field="match")
    out = []
    for cell in CELLS:
        units = (matched_units(config, cell, time_steps, features) if match == "params"
                 else config.units)
        for seed in (seeds if seeds is not None else (config.seed,)):
            out.append(config.replace(cell=cell, units=units, seed=seed))
    return out


def prepared_entrants(config: RunConfig, series: Any = None, match: Match = "units",
                      seeds: Sequence[int] | None = None, cli: bool = False) -> list[Any]:
    """Every runner as a ``run.Prepared`` of the SAME windows (prepared once), each checked by
    the time estimate before any is queued or trained (``cost.check_prepared``; ``cli`` words
    its message for the command line). ``series`` None: the config's built-in one."""
    from dataclasses import replace

    from .cost import check_prepared
    from .run import prepare

    prepared = prepare(config, series)
    w = prepared.windows
    out = [replace(prepared, config=c)
           for c in entrants(config, w.steps, w.n_features, match, seeds)]
    for p in out:
        check_prepared(p, cli=cli)
    return out


@dataclass(frozen=True)
class Result:
    """One runner's numbers, in the race's table and the CLI's JSON."""

    cell: str
    units: int
    params: int
    seed: int
    test_rmse: float  # original units (tasks: the sequences' own units)
    test_mse: float
    epochs_run: int
    fit_seconds: float
    diverged: bool = False

    def as_json(self) -> dict[str, Any]:
        def num(v: float) -> float | None:
            return v if math.isfinite(v) else None
        return {"cell": self.cell, "units": self.units, "params": self.params, "seed": self.seed,
                "test_rmse": num(self.test_rmse), "test_mse": num(self.test_mse),
                "epochs_run": self.epochs_run, "fit_seconds": round(self.fit_seconds, 3),
                "diverged": self.diverged}


def result(run: Any) -> Result:
    """The race's numbers of a finished ``Run``."""
    from .divergence import run_diverged

    from . import tasks

    w = run.windows
    # a task is judged on its MSE (tasks.scores); a series on its RMSE in the series' units
    if tasks.is_task(run.config):
        mse = tasks.mse(w.y_test, run.pred_test)
        rmse = math.sqrt(mse) if math.isfinite(mse) else math.nan
    else:
        rmse = float(run.metrics["test_rmse_original"])
        mse = rmse ** 2
    return Result(run.config.cell, run.config.units, parameters(run.config, w.steps, w.n_features),
                  run.config.seed, rmse, mse, run.history.epochs_run,
                  float(run.history.fit_seconds), bool(run_diverged(run.history, run.metrics)))


@dataclass(frozen=True)
class Spread:
    """One cell's test MSE over the seeds it ran."""

    cell: str
    best: float
    mean: float
    worst: float
    runs: int


def spreads(results: Sequence[Result]) -> list[Spread]:
    """Per cell (in ``CELLS`` order, cells that ran), the best, mean and worst test MSE."""
    out = []
    for cell in CELLS:
        values = [r.test_mse for r in results if r.cell == cell and math.isfinite(r.test_mse)]
        if values:
            out.append(Spread(cell, min(values), sum(values) / len(values), max(values), len(values)))
    return out


def verdict(results: Sequence[Result], baseline_mse: float | None = None) -> str:
    """One plain sentence on who won, and whether the gap is larger than the seeds' spread.

    >>> rs = [Result("simplernn", 8, 89, 0, .1, .01, 5, 1.0), Result("lstm", 8, 329, 0, .2, .04, 5, 1.0)]
    >>> verdict(rs)
    'Lowest test MSE: SimpleRNN 0.01, then LSTM 0.04 (one seed each: run the race over seeds 0-2 to see whether the order holds).'
    """
    from .architecture import CELL_CLASS

    ranked = sorted(spreads(results), key=lambda s: s.mean)
    if not ranked:
        return "No runner produced a finite test error."
    names = [f"{CELL_CLASS[s.cell]} {s.mean:.3g}" for s in ranked]
    text = "Lowest test MSE: " + names[0] + (", then " + ", ".join(names[1:]) if names[1:] else "")
    if all(s.runs == 1 for s in ranked):
        text += (f" (one seed each: run the race over seeds {RACE_SEEDS[0]}-{RACE_SEEDS[-1]} "
                 "to see whether the order holds).")
    else:
        first, second = ranked[0], ranked[1] if len(ranked) > 1 else None
        if second is not None and first.worst >= second.best:
            text += (f" (means over seeds; the seeds' ranges overlap — {CELL_CLASS[first.cell]} "
                     f"{first.best:.3g}–{first.worst:.3g}, {CELL_CLASS[second.cell]} "
                     f"{second.best:.3g}–{second.worst:.3g} — so this order is not settled).")
        else:
            text += " (means over seeds; the leader's worst seed beats the others' best)."
    if baseline_mse is not None and math.isfinite(baseline_mse):
        from .tasks import SOLVED_FRACTION

        solved = [CELL_CLASS[s.cell] for s in ranked if s.mean < SOLVED_FRACTION * baseline_mse]
        text += (f" Against the task's baseline ({baseline_mse:.3g}): "
                 + (", ".join(solved) if solved else "none") + f" solved it (mean below "
                 f"{SOLVED_FRACTION:.0%} of it).")
    return text
