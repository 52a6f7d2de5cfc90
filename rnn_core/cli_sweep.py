"""``python -m rnn_core sweep``: a grid of runs trained side by side on the app's backend.

    python -m rnn_core sweep [--preset NAME] [--set KEY=VALUE ...] --grid units=4,8
                             --grid time_steps=12,24 [--grid cell=lstm,gru] [TABLE] [--json]

The grid is the Compare page's (``sweep.grid``: hidden units × time steps, optionally × cell,
at most ``sweep.MAX_SWEEP_RUNS`` runs); a ``--grid`` left out keeps the setup's value. Every
run is checked first (its windows, the time estimate): nothing trains if one cannot. Then all
are queued at once on whichever backend the server would use (``jobs.runner``): worker
processes on this machine (``RNN_EXPLORER_WORKERS`` at a time), or a Ray cluster when
``RNN_EXPLORER_RAY_ADDRESS`` is set (as many at a time as it has slots).

Output, one line per run in grid order once all have finished: with ``--json`` each line is
one JSON object, ``{"cell", "units", "time_steps", "params", "seed", "test_rmse", "test_mse",
"epochs_run", "fit_seconds", "diverged", "status", "error"}`` (``race.Result``'s numbers;
``status`` is the queue's: done, diverged, failed; ``error`` says why, else null). Exit 3 if a
run diverged, 1 if one failed (a worker lost: run it again), 2 for bad input.
"""

from __future__ import annotations

import time
from typing import Any, Sequence

from .cli_options import CliError

GRID_KEYS = ("units", "time_steps", "cell")
EXIT_FAILED = 1
POLL_SECONDS = 0.1


def parse_grid(items: Sequence[str]) -> dict[str, list[str]]:
    """``["units=4,8", "time_steps=12"]`` as ``{"units": ["4", "8"], "time_steps": ["12"]}``.

    >>> parse_grid(["units=4,8", "cell=gru"])
    {'units': ['4', '8'], 'cell': ['gru']}
    """
    out: dict[str, list[str]] = {}
    for item in items:
        key, sep, values = item.partition("=")
        key = key.strip()
        if not sep or key not in GRID_KEYS:
            raise CliError(f"--grid {item[:40]!r} is not valid: use KEY=V1,V2 with KEY one of "
                           f"{', '.join(GRID_KEYS)}.")
        if key in out:
            raise CliError(f"--grid {key} is given twice: list all its values in one.")
        out[key] = [v.strip() for v in values.split(",") if v.strip()]
    return out


def train_all(configs: Sequence[Any], series: Any, verbose: bool, err: Any) -> list[Any]:
    """Queue every config on ``jobs.runner()`` and wait for all: their ``TrainingJob``s."""
    from . import jobs

    if jobs.IN_PROCESS:  # trainings in threads here: TensorFlow's notices off stderr
        from .cli_training import import_keras_quietly

        import_keras_quietly()
    runner = jobs.runner()
    queued = [runner.submit(c, series) for c in configs]
    done = 0
    while done < len(queued):
        time.sleep(POLL_SECONDS)
        now = sum(job.finished for job in queued)
        if verbose and now > done:
            print(f"{now}/{len(queued)} runs finished", file=err, flush=True)
        done = now
    return queued


def line(job: Any) -> dict[str, Any]:
    """One run's JSON line."""
    from .race import result

    c = job.config
    numbers = (result(job.run).as_json() if job.run is not None else
               {"cell": c.cell, "units": c.units, "params": None, "seed": c.seed,
                "test_rmse": None, "test_mse": None, "epochs_run": None, "fit_seconds": None,
                "diverged": False})
    return {**numbers, "time_steps": c.time_steps, "status": job.status, "error": job.error}


def text(row: dict[str, Any]) -> str:
    """One run as a person reads it."""
    head = f"{row['cell']} {row['units']}u T={row['time_steps']}"
    if row["test_rmse"] is None:
        return f"{head}: {row['status']}" + (f" ({row['error']})" if row["error"] else "")
    return (f"{head}: test RMSE {row['test_rmse']:.4g} ({row['epochs_run']} epochs, "
            f"{row['fit_seconds']:.1f} s)" + ("  diverged" if row["diverged"] else ""))


def cmd_sweep(args: Any, out: Any, err: Any) -> int:
    """``sweep``: the grid checked, queued at once, one line per run."""
    import json

    from . import cli, cli_inputs, cli_options, jobs, sweep
    from .cost import check_prepared
    from .run import prepare

    grid = parse_grid(args.grid)
    features = cli_options.check_data_options(args, "train")
    config, series, _source = cli_inputs.config_and_series(args, features)
    configs = sweep.grid(config, grid.get("units", [config.units]),
                         grid.get("time_steps", [config.time_steps]), grid.get("cell"))
    for c in configs:  # every run trains, or none is queued
        check_prepared(prepare(c, series), cli=True)
    finished = train_all(configs, series, args.verbose, err)
    for job in finished:
        row = line(job)
        print(json.dumps(row, allow_nan=False) if args.json else text(row), file=out, flush=True)
    if any(job.status == jobs.FAILED for job in finished):
        return EXIT_FAILED
    return cli.EXIT_DIVERGED if any(job.status == jobs.DIVERGED for job in finished) else cli.EXIT_OK
