"""``python -m rnn_core backtest``: the setup retrained at several forecast origins.

    python -m rnn_core backtest [--preset NAME] [--set KEY=VALUE ...] [--folds K]
                                [--arima-order P,D,Q] [--season N] [TABLE] [--json] [--verbose]

K expanding-window folds (``backtest.folds``: scikit-learn's ``TimeSeriesSplit``, K from 2 to
10, default 4): fold i trains on the values before its origin and is tested on the block up to
the next origin; the model and every baseline are scored on the same test targets. With
``--json`` the last line of stdout is ``backtest.backtest_result``: ``{"folds": [{"fold",
"origin", "origin_index", "end_index", "test_windows", "test_rmse_original",
"<baseline>_test_rmse_original", ...}, ...], "means": {...}, "preset", "config"}``. Every fold
is checked (windows, time estimate) before the first trains. Exit 3 if a fold diverged.
"""

from __future__ import annotations

import math
from typing import Any

from .cli_options import CliError


def parse_folds(text: str | None) -> int:
    from .backtest import DEFAULT_FOLDS, MAX_FOLDS, MIN_FOLDS

    if text is None:
        return DEFAULT_FOLDS
    try:
        k = int(text.strip())
    except ValueError:
        k = None
    if k is None or not MIN_FOLDS <= k <= MAX_FOLDS:
        raise CliError(f"--folds {text[:20]!r} is not valid: use a whole number from {MIN_FOLDS} "
                       f"to {MAX_FOLDS}.")
    return k


def backtest_text(result: dict[str, Any]) -> str:
    """One line per fold (model, then each baseline), then the means."""
    names = [k for k in result["means"]]

    def short(key: str) -> str:
        return "model" if key == "test_rmse_original" else key.removesuffix("_test_rmse_original")

    def fmt(v: float | None) -> str:
        return "failed" if v is None or not math.isfinite(v) else f"{v:.4g}"
    head = f"{'fold':>4} {'origin':>12} {'tested':>6} " + " ".join(f"{short(n):>14}" for n in names)
    lines = [head]
    for f in result["folds"]:
        lines.append(f"{f['fold']:>4} {f['origin'][:12]:>12} {f['test_windows']:>6} "
                     + " ".join(f"{fmt(f.get(n)):>14}" for n in names))
    lines.append(f"{'mean':>4} {'':>12} {'':>6} " + " ".join(f"{fmt(result['means'][n]):>14}"
                                                          for n in names))
    return "\n".join(lines)


def cmd_backtest(args: Any, out: Any, err: Any) -> int:
    from . import backtest, cli, cli_inputs, cli_training
    from .cli_options import check_data_options, parse_arima_order, parse_season
    from .divergence import run_diverged
    from .run import prepare

    k = parse_folds(args.folds)
    order = parse_arima_order(args.arima_order)
    season = parse_season(args.season)
    features = check_data_options(args, "train")
    config, series, _source = cli_inputs.config_and_series(args, features)
    setups = backtest.fold_setups(config, series, k, cli=True)  # every fold checked before any trains
    results, diverged = [], False
    for s in setups:
        run = cli_training.fit(s.config, prepare(s.config, s.series), args.verbose, err)
        diverged = diverged or run_diverged(run.history, run.metrics)
        results.append(backtest.fold_result(s.fold, run, season, order))
    result = backtest.backtest_result(results, config, args.preset)
    cli.print_result(out, result, backtest_text(result), args.json)
    if diverged:
        print("warning: a fold's training diverged: train again with a lower learning rate.",
              file=err, flush=True)
        return cli.EXIT_DIVERGED
    return cli.EXIT_OK
