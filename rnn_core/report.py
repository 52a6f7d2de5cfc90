"""What a finished run reports: its JSON result, its text summary and its baselines comparison.

One place for the facts the CLI prints (``train --json``, ``forecast --json`` and their text
summaries), the Results page shows (the baselines table) and both judge by (the divergence
rule of ``divergence.run_diverged``). Nothing here prints: the CLI prints the text, the page
draws the rows.

``train_result`` (the JSON line of ``train --json``) holds ``preset``, ``source``, window
counts, ``steps``, ``n_features``, ``params``, ``epochs_run``, ``fit_seconds``, ``stopped``,
``diverged``, every metric of ``Run.metrics`` (scaled and original units, persistence
baseline), every baseline's ``<name>_test_rmse_original`` (``persistence``,
``seasonal_naive``, ``mean``, ``arima``, and ``sarima`` when the series has a season; null
when it cannot be computed), the model's
``test_mase`` and ``test_mape_original`` (null where undefined), the ``season`` and
``arima_order`` the baselines used, ``final_loss``, ``final_val_loss``, ``verdict`` and the
full ``config``. A long-lag task (``recall``, ``adding``) adds ``train_mse``, ``test_mse``,
``baseline_test_mse`` (its baseline on the same test sequences), ``baseline_name`` and
``verdict_level`` (solved, learning, not learned), and its ``verdict`` is about them; its
persistence keys are null and it has no baselines table. ``interval_level``,
``interval_coverage``, ``interval_half_width`` and ``calibration_windows`` describe the
prediction intervals (``interval_keys``; null and 0 when they are off). Non-finite numbers are null, so
the line is strict JSON. ``source`` is null for a built-in series; for a table it holds
``csv`` or ``url``, ``target``, ``date``, ``features``, ``missing``, ``rows_read``,
``rows_used`` and ``notes`` (what was done to the data: sorted, filled, dropped, gaps).

``forecast_result`` (``forecast --json``) holds ``preset``, ``source``, ``steps`` (N),
``next_value`` (= ``forecast[0]``), ``forecast`` (N floats), ``index`` (N labels as strings),
``test_rmse_original``, then the other keys of ``train_result`` except the baselines, the
window length being ``input_steps``.

>>> one_line("two\\n  lines")
'two lines'
>>> json_safe(float("nan")) is None, json_safe(2.5)
(True, 2.5)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from .divergence import run_diverged

# The rows of the text summary's error table: label, train key, test key of the JSON result.
SUMMARY_ROWS = (
    ("RMSE (scaled)", "train_rmse", "test_rmse"),
    ("RMSE", "train_rmse_original", "test_rmse_original"),
    ("MAE", "train_mae_original", "test_mae_original"),
    ("Persistence RMSE", "persistence_train_rmse_original", "persistence_test_rmse_original"),
    ("Persistence MAE", "persistence_train_mae_original", "persistence_test_mae_original"),
)
# A long-lag task's rows (persistence does not apply; its baseline follows the table).
TASK_SUMMARY_ROWS = (
    ("MSE", "train_mse", "test_mse"),
    ("RMSE", "train_rmse", "test_rmse"),
    ("MAE", "train_mae", "test_mae"),
)
# The error columns of the baselines table, as the text shows them (row key, header).
COMPARISON_COLUMNS = (("RMSE", "RMSE"), ("MAE", "MAE"), ("MAPE", "MAPE %"), ("MASE", "MASE"))


def one_line(text: Any) -> str:
    """``text`` with every run of whitespace (newlines too) as one space."""
    return " ".join(str(text).split())


def json_safe(value: Any) -> Any:
    """JSON-safe scalars: numpy numbers become Python ones, NaN/inf become None."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _number(value: Any) -> str:
    """A table cell: 4 significant digits, or n/a for a missing or non-finite number.

    >>> _number(20.19934), _number(None), _number(float("inf"))
    ('20.2', 'n/a', 'n/a')
    """
    value = json_safe(value)
    return "n/a" if value is None else f"{value:.4g}"


# --------------------------------------------------------------------------- baselines


@dataclass(frozen=True)
class Comparison:
    """The model and every baseline on the same test targets (``compare_baselines``).

    ``rows`` are ``baselines.table``'s (the model first); ``notes`` say, per baseline, why it
    has no numbers or why they are shaky (``"<label>: <reason>"``); ``metric_notes`` why the
    model's MAPE or MASE is undefined; ``arima_error`` is the ARIMA baseline's failure, if
    any; ``metrics`` are the keys ``train --json`` adds for the baselines.
    """

    baselines: dict[str, Any]
    rows: list[dict[str, Any]]
    notes: list[str]
    metric_notes: list[str]
    arima_error: str | None
    metrics: dict[str, Any]


def compare_baselines(run: Any, season: int | None = None,
                      arima_order: tuple[int, int, int] | None = None,
                      model_label: str = "Model", mase_season: int = 1) -> Comparison:
    """Every baseline of ``baselines.py`` on the test targets of a finished ``run``.

    ``season`` is the seasonal naive's (default: the series' own); ``arima_order`` the
    ARIMA's (default ``baselines.DEFAULT_ARIMA_ORDER``); ``mase_season`` the lag of the naive
    forecast MASE divides by (1: the previous value). A baseline that cannot be computed
    has no numbers and a note; it fails nothing.
    """
    from . import baselines, metrics

    prepared = run.prepared
    order = baselines.DEFAULT_ARIMA_ORDER if arima_order is None else tuple(arima_order)
    computed = baselines.compute(prepared, season=season, arima_order=order)
    model_pred = run.original(run.pred_test)
    rows = baselines.table(prepared, model_pred, computed, model_label=model_label,
                           mase_season=mase_season)
    found = baselines.baseline_metrics_for_json(prepared, model_pred, computed, mase_season)
    found["test_mape_original"] = rows[0]["MAPE"]  # the model's row
    found["season"] = prepared.series.season if season is None else season
    found["arima_order"] = list(order)
    notes = [f"{b.label}: {b.error or b.note}" for b in computed.values() if b.error or b.note]
    train_part = prepared.series.values[:prepared.split_at]
    metric_notes = [note for note in (metrics.mape_note(baselines.targets_original(prepared)),
                                      metrics.mase_note(train_part, mase_season)) if note]
    arima = computed.get("arima")
    return Comparison(computed, rows, notes, metric_notes, arima.error if arima else None, found)


def comparison_text(comparison: Comparison, n_test: int) -> str:
    """The comparison as the CLI prints it: a header, one line per forecaster, the notes."""
    rows = comparison.rows
    width = max(len("Forecaster"), *(len(row["label"]) for row in rows))
    lines = [f"Test part vs baselines (original units, {n_test:,} targets):",
             f"{'Forecaster':<{width}}" + "".join(
                 f"  {head:>10}" for _, head in COMPARISON_COLUMNS)]
    for row in rows:
        lines.append(f"{row['label']:<{width}}" + "".join(
            f"  {_number(row[key]):>10}" for key, _ in COMPARISON_COLUMNS))
    lines += [f"Note: {one_line(note)}" for note in comparison.notes + comparison.metric_notes]
    return "\n".join(lines)


# --------------------------------------------------------------------------- JSON result


def train_result(run: Any, preset_name: str | None,
                 extra_metrics: dict[str, Any] | None = None,
                 source: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON result of ``train --json`` for a finished ``Run`` (the module's docstring lists
    the keys; ``tests/core/test_cli.py`` is the contract).

    ``source`` describes a ``--csv``/``--url`` table (null for a built-in series).
    ``extra_metrics`` (``Comparison.metrics``) are added after ``Run.metrics``; a key
    ``Run.metrics`` already has keeps the value of ``Run.metrics``.
    """
    from . import tasks
    from .model import layer_table
    from .run import verdict

    w, history = run.windows, run.history
    out: dict[str, Any] = {
        "preset": preset_name,
        "source": source,
        "n_train_windows": int(w.n_train),
        "n_test_windows": int(w.n_test),
        "steps": int(w.steps),
        "n_features": int(w.n_features),
        "params": int(sum(row.params for row in layer_table(run.model))),
        "epochs_run": int(history.epochs_run),
        "fit_seconds": round(float(history.fit_seconds), 3),
        "stopped": bool(history.stopped),
        "diverged": run_diverged(history, run.metrics),
    }
    out.update({key: json_safe(value) for key, value in run.metrics.items()})
    for key, value in (extra_metrics or {}).items():
        out.setdefault(key, json_safe(value))
    out["final_loss"] = json_safe(history.loss[-1]) if history.loss else None
    out["final_val_loss"] = json_safe(history.val_loss[-1]) if history.val_loss else None
    out["verdict"] = verdict(run.metrics, run.windows.horizon)
    if tasks.is_task(run.config):  # MSE against the task's baseline; persistence is null
        found = tasks.scores(run.config, w, run.pred_train, run.pred_test)
        out.update({key: json_safe(value) for key, value in found.items()})
        out["verdict"] = tasks.verdict(run.config, found)
    out.update(interval_keys(run))
    out["config"] = {key: json_safe(value) for key, value in run.config.to_dict().items()}
    return out


def interval_keys(run: Any) -> dict[str, Any]:
    """``interval_level`` (null when off), ``interval_coverage`` (share of the test targets
    inside their interval), ``interval_half_width`` (per step ahead, original units) and
    ``calibration_windows`` (``rnn_core.intervals``)."""
    from .intervals import intervals

    found = intervals(run.prepared, run.pred_train, run.pred_test, run.config.interval_level)
    if found is None:
        return {"interval_level": None, "interval_coverage": None, "interval_half_width": None,
                "calibration_windows": 0}
    return {"interval_level": found.level, "interval_coverage": json_safe(found.coverage),
            "interval_half_width": [json_safe(float(v)) for v in found.half_width],
            "calibration_windows": found.calibration}


def forecast_result(base: dict[str, Any], preset_name: str | None, values: list[float] | None,
                    labels: list[str]) -> dict[str, Any]:
    """The JSON result of ``forecast --json``: the forecast first, then the keys of
    ``train_result`` (``base``), its ``steps`` (the window length) named ``input_steps``.

    ``values`` is None when there is no forecast (a diverged run or forecast).

    >>> base = {"source": None, "steps": 4, "test_rmse_original": 1.5, "diverged": False}
    >>> forecast_result(base, "t2-sine", [1.0, 2.0], ["10", "11"])  # doctest: +NORMALIZE_WHITESPACE
    {'preset': 't2-sine', 'source': None, 'steps': 2, 'next_value': 1.0, 'forecast': [1.0, 2.0],
     'index': ['10', '11'], 'test_rmse_original': 1.5, 'input_steps': 4, 'diverged': False}
    """
    result: dict[str, Any] = {
        "preset": preset_name,
        "source": base["source"],
        "steps": len(labels),
        "next_value": values[0] if values else None,
        "forecast": values,
        "index": labels,
        "test_rmse_original": base["test_rmse_original"],
        "input_steps": base["steps"],
    }
    for key, value in base.items():
        if key != "steps":
            result.setdefault(key, value)
    return result


def index_labels(index: Any) -> list[str]:
    """Index labels as strings: dates as 2000-01-01 (with the time of day when there is one),
    anything else with ``str``.

    >>> import pandas as pd
    >>> index_labels(pd.date_range("2000-08-27 23:00", periods=2, freq="30min"))
    ['2000-08-27 23:00', '2000-08-27 23:30']
    """
    import pandas as pd

    if isinstance(index, pd.DatetimeIndex) and len(index):
        if (index == index.normalize()).all():
            return index.strftime("%Y-%m-%d").tolist()
        if (index.second == 0).all() and (index.microsecond == 0).all():
            return index.strftime("%Y-%m-%d %H:%M").tolist()
    return [str(label) for label in index]


# --------------------------------------------------------------------------- text summary


def _source_lines(source: dict[str, Any]) -> list[str]:
    """The table a run read: where from, which columns, how many rows, what was done."""
    where = source.get("csv", source.get("url"))
    extra = (f", date {source['date']!r}" if source["date"] else "") + (
        ", features " + ", ".join(repr(f) for f in source["features"]) if source["features"] else "")
    return [f"Data: {where}: target {source['target']!r}{extra}; {source['rows_used']:,} of "
            f"{source['rows_read']:,} rows used (missing: {source['missing']})",
            *(f"  {one_line(note)}" for note in source.get("notes", ()))]


def summary(result: dict[str, Any], comparison: Comparison | None = None) -> str:
    """The text summary of a ``train_result``: the run, its data, windows, parameters,
    epochs, errors in both units, the baselines (if given) and the verdict."""
    cfg = result["config"]
    name = result["preset"] or "defaults"
    cutting = ("sequences of T steps" if "baseline_test_mse" in result else  # a task
               f"stride {cfg['stride']}, layout {cfg['layout']}")
    lines = [f"Run: {name} — {cfg['cell']} x{cfg['layers']} ({cfg['units']} units) on "
             f"{cfg['dataset']}, T={cfg['time_steps']}, {cutting}"]
    if result.get("source"):
        lines += _source_lines(result["source"])
    lines.append(f"{'Sequences' if 'baseline_test_mse' in result else 'Windows'}: "
                 f"{result['n_train_windows']:,} train / {result['n_test_windows']:,} "
                 f"test (input {result['steps']} step(s) x {result['n_features']} feature(s))")
    lines.append(f"Parameters: {result['params']:,}")
    flags = " (stopped early)" if result["stopped"] else ""
    if result["diverged"]:  # divergence.py's rule: NaN/inf, or a loss past its factor
        flags += " (diverged: the loss or the predictions became NaN/inf or blew up)"
    lines.append(f"Epochs: {result['epochs_run']} of {cfg['epochs']} in "
                 f"{result['fit_seconds']:.1f} s{flags}")
    rows = TASK_SUMMARY_ROWS if "baseline_test_mse" in result else SUMMARY_ROWS
    width = max(len(label) for label, _, _ in rows)
    lines.append(f"{'':<{width}}  {'train':>10}  {'test':>10}")
    for label, train_key, test_key in rows:
        lines.append(f"{label:<{width}}  {_number(result.get(train_key)):>10}  "
                     f"{_number(result.get(test_key)):>10}")
    if "baseline_test_mse" in result:
        lines.append(f"Baseline ({result['baseline_name']}) test MSE: "
                     f"{_number(result['baseline_test_mse'])} on the same test sequences")
    if comparison is not None:
        lines.append(comparison_text(comparison, result["n_test_windows"]))
    lines.append(result["verdict"])
    return "\n".join(lines)


def forecast_text(labels: Sequence[str], values: Sequence[float], horizon: int) -> str:
    """The forecast as the CLI prints it after the summary: what it is, then one line per value.

    >>> print(forecast_text(["8", "9"], [417.5, 420.25], horizon=1))
    Forecast: 2 value(s) after the end of the series (8 to 9), each fed back as the newest input:
    8  417.5
    9  420.25
    """
    width = max(len(label) for label in labels)
    how = ("each fed back as the newest input:" if horizon == 1 else
           f"{horizon} per window, fed back as the newest inputs:")
    return "\n".join([f"Forecast: {len(labels)} value(s) after the end of the series "
                      f"({labels[0]} to {labels[-1]}), {how}",
                      *(f"{label:<{width}}  {value:.6g}" for label, value in zip(labels, values))])
