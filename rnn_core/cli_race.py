"""``python -m rnn_core race``: the three cells trained on the same windows, seed and settings.

    python -m rnn_core race [--preset NAME] [--set KEY=VALUE ...] [--match units|params]
                            [--over-seeds] [TABLE] [--json] [--verbose]

``--match units`` (default) gives every cell the config's hidden units; ``--match params``
gives each the units whose parameter count is nearest the config's own cell
(``race.matched_units``). ``--over-seeds`` trains each cell with seeds 0, 1 and 2
(``race.RACE_SEEDS``) instead of the config's seed. With ``--json`` the last line of stdout is
``race_result``: ``{"runs": [{"cell", "units", "params", "seed", "test_rmse", "test_mse",
"epochs_run", "fit_seconds", "diverged"}, ...], "match", "seeds", "preset", "config",
"baseline_test_mse", "baseline_name", "verdict"}``, runs in the order simplernn, lstm, gru
(then by seed). ``test_rmse`` is in the series' units (a task's: its sequences'), ``test_mse``
its square; ``baseline_*`` are the task's baseline on the same test sequences (null for a
series). Exit 3 if any run diverged (the JSON is still printed), 1 if one failed (its
worker lost: the lines on stderr say so, and no JSON is printed). The runs are queued at
once on the app's backend, side by side (``cli_sweep.train_all``).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

from .architecture import CELL_CLASS
from .cli_options import CliError
from .race import MATCHES, RACE_SEEDS, Result, verdict


def parse_match(text: str | None) -> str:
    """``--match``: units (default) or params."""
    value = (text or "units").strip().lower()
    if value not in MATCHES:
        raise CliError(f"--match {text[:20]!r} is not valid: use units or params.")
    return value


def seeds(over_seeds: bool, config_seed: int) -> tuple[int, ...]:
    return RACE_SEEDS if over_seeds else (config_seed,)


def race_result(results: Sequence[Result], config: Any, preset: str | None, match: str,
                used_seeds: Sequence[int], baseline: tuple[float, str] | None) -> dict[str, Any]:
    """The JSON object ``race --json`` prints."""
    base_mse = baseline[0] if baseline else None
    return {"runs": [r.as_json() for r in results], "match": match, "seeds": list(used_seeds),
            "preset": preset, "config": config.to_dict(),
            "baseline_test_mse": base_mse if base_mse is not None and math.isfinite(base_mse) else None,
            "baseline_name": baseline[1] if baseline else None,
            "verdict": verdict(results, base_mse)}


def race_text(result: dict[str, Any]) -> str:
    """The table a person reads: one line per run, then the verdict."""
    lines = [f"{'cell':<10} {'units':>5} {'params':>7} {'seed':>4} {'test RMSE':>10} "
             f"{'test MSE':>10} {'epochs':>6} {'seconds':>8}"]
    for r in result["runs"]:
        def fmt(v: float | None) -> str:
            return "nan" if v is None else f"{v:.4g}"
        lines.append(f"{CELL_CLASS[r['cell']]:<10} {r['units']:>5} {r['params']:>7} {r['seed']:>4} "
                     f"{fmt(r['test_rmse']):>10} {fmt(r['test_mse']):>10} {r['epochs_run']:>6} "
                     f"{r['fit_seconds']:>8.1f}" + ("  diverged" if r["diverged"] else ""))
    if result["baseline_test_mse"] is not None:
        lines.append(f"baseline ({result['baseline_name']}): test MSE {result['baseline_test_mse']:.4g}")
    lines.append(result["verdict"])
    return "\n".join(lines)


def cmd_race(args: Any, out: Any, err: Any) -> int:
    """``race``: every runner's time estimate checked first, then all queued at once on the
    app's backend (``cli_sweep.train_all``: worker processes, or a Ray cluster)."""
    from . import cli, cli_inputs, cli_options, cli_sweep, race, tasks

    match = parse_match(args.match)
    features = cli_options.check_data_options(args, "train")
    config, series, _source = cli_inputs.config_and_series(args, features)
    used_seeds = seeds(args.over_seeds, config.seed)
    entrants = race.prepared_entrants(config, series, match, used_seeds, cli=True)
    w = entrants[0].windows
    finished = cli_sweep.train_all([p.config for p in entrants], series, args.verbose, err)
    if lost := [job for job in finished if job.run is None]:
        for job in lost:
            print(f"error: {job.config.cell} seed {job.config.seed}: {job.error}", file=err,
                  flush=True)
        return cli_sweep.EXIT_FAILED
    results = [race.result(job.run) for job in finished]
    baseline = ((tasks.baseline_mse(config.dataset, w), tasks.BASELINE_NAMES[config.dataset])
                if tasks.is_task(config) else None)
    result = race_result(results, config, args.preset, match, used_seeds, baseline)
    cli.print_result(out, result, race_text(result), args.json)
    if any(r.diverged for r in results):
        print("warning: a run diverged (its row says so): train again with a lower learning "
              "rate.", file=err, flush=True)
        return cli.EXIT_DIVERGED
    return cli.EXIT_OK
