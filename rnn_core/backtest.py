"""Several forecast origins: the same setup retrained on an expanding window and tested on the block
after each origin, for the model and every baseline.

One split can flatter or punish a model by chance. ``folds(n, k)`` cuts a series of n values as
scikit-learn's ``TimeSeriesSplit(n_splits=k)`` does: fold i trains on everything before its
origin and is tested on the block that follows, up to the next origin. Each fold is an ordinary
run of the setup on the series cut at the block's end, with the split at the origin
(``fold_setups``): nothing after the origin reaches its training, and every number — the model's,
each baseline's — is the one the Results page shows for that split (``report.compare_baselines``).

>>> [(f.number, f.origin, f.end) for f in folds(100, 3)]
[(1, 25, 50), (2, 50, 75), (3, 75, 100)]
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from .config import RunConfig
from .errors import RnnExplorerError

MIN_FOLDS, MAX_FOLDS = 2, 10
DEFAULT_FOLDS = 4


@dataclass(frozen=True)
class Fold:
    """Fold ``number`` (from 1): trained on values [0, origin), tested on [origin, end)."""

    number: int
    origin: int
    end: int


def folds(n: int, k: int) -> list[Fold]:
    """The k expanding-window folds of n values (scikit-learn's ``TimeSeriesSplit``)."""
    from sklearn.model_selection import TimeSeriesSplit

    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not MIN_FOLDS <= k <= MAX_FOLDS:
        raise RnnExplorerError(f"folds={str(k)[:20]!r} is not valid: use a whole number from "
                               f"{MIN_FOLDS} to {MAX_FOLDS}.", field="folds")
    if n < 2 * (k + 1):
        raise RnnExplorerError(f"{n} values cannot make {k} folds: use fewer folds.", field="folds")
    return [Fold(i, int(test[0]), int(test[-1]) + 1)
            for i, (_train, test) in enumerate(TimeSeriesSplit(n_splits=int(k)).split(np.arange(n)), 1)]


def cut(series: Any, end: int) -> Any:
    """The series up to (not including) position ``end``, features and dates alike."""
    features = None if series.features is None else series.features[:end]
    return dataclasses.replace(series, values=series.values[:end], index=series.index[:end],
                               features=features)


@dataclass(frozen=True)
class FoldSetup:
    """What one fold trains: the setup with the split at the origin, on the series cut at the
    block's end."""

    fold: Fold
    config: RunConfig
    series: Any


def fold_setups(config: RunConfig, series: Any, k: int, cli: bool = False) -> list[FoldSetup]:
    """Every fold's setup, each checked (windows, time estimate) before anything trains; a
    message names the fold that cannot be made (``cli``: worded for the command line).
    ``series`` None: the config's built-in one."""
    from . import cost, data, tasks
    from .run import prepare

    if tasks.is_task(config):
        raise RnnExplorerError("a backtest moves the forecast origin along a series; a task's "
                               "sequences are independent samples with no origin to move.",
                               field="dataset")
    series = series if series is not None else data.load(config)
    out = []
    for fold in folds(len(series), k):
        setup = FoldSetup(fold, config.replace(split=fold.origin), cut(series, fold.end))
        try:
            cost.check_prepared(prepare(setup.config, setup.series), cli=cli)
        except RnnExplorerError as err:
            raise RnnExplorerError(f"fold {fold.number} (trained on the first {fold.origin:,} "
                                   f"values, tested on the next {fold.end - fold.origin:,}): "
                                   f"{err}", field=err.field) from None
        out.append(setup)
    return out


@dataclass(frozen=True)
class FoldResult:
    """One fold's test RMSE (original units) for the model and each baseline (None: failed)."""

    fold: Fold
    origin_label: str
    model: float
    baselines: dict[str, float | None]
    test_windows: int

    def as_json(self) -> dict[str, Any]:
        def num(v: float | None) -> float | None:
            return v if v is not None and math.isfinite(v) else None
        return {"fold": self.fold.number, "origin": self.origin_label,
                "origin_index": self.fold.origin, "end_index": self.fold.end,
                "test_windows": self.test_windows, "test_rmse_original": num(self.model),
                **{f"{name}_test_rmse_original": num(v) for name, v in self.baselines.items()}}


def fold_result(fold: Fold, run: Any, season: int | None = None,
                arima_order: tuple[int, int, int] | None = None) -> FoldResult:
    """The fold's numbers from its finished run: the model's and every baseline's test RMSE
    on the same test targets, exactly as ``report.compare_baselines`` gives them."""
    from . import baselines, report

    found = report.compare_baselines(run, season, arima_order).metrics
    index = run.prepared.series.index
    label = report.index_labels(index[fold.origin:fold.origin + 1])[0]
    return FoldResult(fold, label, float(run.metrics["test_rmse_original"]),
                      {name: found.get(f"{name}_test_rmse_original") for name in baselines.BASELINES},
                      run.windows.n_test)


@dataclass(frozen=True)
class Spread:
    """One forecaster's test RMSE over the folds."""

    name: str
    mean: float
    std: float
    best: float
    worst: float


def spreads(results: Sequence[FoldResult]) -> list[Spread]:
    """The model's, then each baseline's, RMSE over the folds (folds where it failed left out).

    >>> f = [FoldResult(Fold(1, 10, 20), "10", 2.0, {"mean": 4.0}, 10),
    ...      FoldResult(Fold(2, 20, 30), "20", 4.0, {"mean": None}, 10)]
    >>> [(s.name, s.mean, s.best, s.worst) for s in spreads(f)]
    [('model', 3.0, 2.0, 4.0), ('mean', 4.0, 4.0, 4.0)]
    """
    names = ["model"] + list(dict.fromkeys(n for r in results for n in r.baselines))
    out = []
    for name in names:
        values = [r.model if name == "model" else r.baselines.get(name) for r in results]
        values = [v for v in values if v is not None and math.isfinite(v)]
        if values:
            out.append(Spread(name, float(np.mean(values)), float(np.std(values)), min(values),
                              max(values)))
    return out


def backtest_result(results: Sequence[FoldResult], config: RunConfig,
                    preset: str | None) -> dict[str, Any]:
    """The JSON object of ``python -m rnn_core backtest``: ``folds``, and ``means`` per
    forecaster (``test_rmse_original`` for the model, ``<baseline>_test_rmse_original``)."""
    means = {("test_rmse_original" if s.name == "model" else f"{s.name}_test_rmse_original"): s.mean
             for s in spreads(results)}
    return {"folds": [r.as_json() for r in results], "means": means, "preset": preset,
            "config": config.to_dict()}
