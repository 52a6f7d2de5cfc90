"""The report of a finished run: the baselines comparison (one function for the CLI and the
Results page), the text summary and the forecast's JSON, on hand-made runs (no training)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from rnn_core import baselines, metrics, report
from rnn_core.config import RunConfig
from rnn_core.data import Series
from rnn_core.run import prepare

SQUARES = np.arange(20.0) ** 2  # test targets 256, 289, 324, 361 (positions 16-19)


def _run(season: int | None = 4, offset: float = 2.0) -> SimpleNamespace:
    """A 'trained' run on the squares whose test predictions are the targets + ``offset``."""
    p = prepare(RunConfig(split=16, time_steps=3, scaler_fit="train"),
                Series(SQUARES, pd.RangeIndex(20), "squares", season=season))
    pred_test = p.scaler.transform(baselines.targets_original(p) + offset)
    return SimpleNamespace(prepared=p, pred_test=pred_test, original=p.scaler.inverse_transform)


def test_one_comparison_gives_the_rows_the_notes_and_the_json_metrics():
    run = _run()
    c = report.compare_baselines(run, arima_order=(1, 0, 0))
    assert [row["label"] for row in c.rows] == [
        "Model", "Persistence (last value)", "Seasonal naive (4 back)", "Training mean",
        "ARIMA(1, 0, 0)", "SARIMA(0, 1, 1)(0, 1, 1)4 on logs"]  # a season: the airline model joins
    model = c.rows[0]
    assert model["RMSE"] == pytest.approx(2.0) and model["MAE"] == pytest.approx(2.0)
    # persistence errors 31, 33, 35, 37 (test_baselines: by hand)
    persistence = math.sqrt((31**2 + 33**2 + 35**2 + 37**2) / 4)
    assert c.rows[1]["RMSE"] == pytest.approx(persistence)
    # the JSON keys are the rows' numbers, and MASE/MAPE are the model row's
    assert c.metrics["persistence_test_rmse_original"] == c.rows[1]["RMSE"]
    assert c.metrics["seasonal_naive_test_rmse_original"] == c.rows[2]["RMSE"]
    assert c.metrics["mean_test_rmse_original"] == c.rows[3]["RMSE"]
    assert c.metrics["test_mase"] == pytest.approx(model["MASE"], rel=1e-12)
    assert c.metrics["test_mape_original"] == model["MAPE"]
    assert (c.metrics["season"], c.metrics["arima_order"]) == (4, [1, 0, 0])
    assert list(c.baselines) == list(baselines.BASELINES)
    assert c.metric_notes == [] and c.arima_error is None  # no zero target, a long training part


def test_page_and_cli_differ_only_in_the_model_label_and_the_mase_lag():
    run = _run()
    cli_view = report.compare_baselines(run, arima_order=(1, 0, 0))
    page_view = report.compare_baselines(run, 4, (1, 0, 0), model_label="Model (SimpleRNN)",
                                         mase_season=4)
    assert page_view.rows[0]["label"] == "Model (SimpleRNN)"
    train = SQUARES[:16]
    actual = baselines.targets_original(run.prepared)
    assert cli_view.rows[0]["MASE"] == pytest.approx(metrics.mase(actual, actual + 2, train, 1))
    assert page_view.rows[0]["MASE"] == pytest.approx(metrics.mase(actual, actual + 2, train, 4))
    assert [r["RMSE"] for r in cli_view.rows] == [r["RMSE"] for r in page_view.rows]


def test_a_baseline_that_cannot_be_computed_is_a_note_not_a_failure():
    c = report.compare_baselines(_run(season=None), arima_order=(1, 0, 0))
    assert c.rows[2]["RMSE"] is None and c.metrics["seasonal_naive_test_rmse_original"] is None
    assert c.metrics["season"] is None
    assert c.notes[0].startswith("Seasonal naive (one season back): the series has no known "
                                 "season")
    text = report.comparison_text(c, n_test=4)
    assert text.splitlines()[4].split()[-4:] == ["n/a"] * 4  # the seasonal naive's row
    assert "Note: Seasonal naive (one season back): the series has no known season" in text


def test_comparison_text_is_a_fixed_width_table():
    rows = [{"label": "Model", "RMSE": 1.23456, "MAE": 1.0, "MAPE": None, "MASE": float("nan")},
            {"label": "Training mean", "RMSE": 20.0, "MAE": 15.5, "MAPE": 12.25, "MASE": 3.0}]
    c = report.Comparison({}, rows, ["Training mean: a note"], ["MAPE: undefined"], None, {})
    assert report.comparison_text(c, n_test=1234).splitlines() == [
        "Test part vs baselines (original units, 1,234 targets):",
        "Forecaster           RMSE         MAE      MAPE %        MASE",
        "Model               1.235           1         n/a         n/a",
        "Training mean          20        15.5       12.25           3",
        "Note: Training mean: a note",
        "Note: MAPE: undefined",
    ]


def _result(**changes) -> dict:
    result = {
        "preset": None, "source": None, "n_train_windows": 1187, "n_test_windows": 46,
        "steps": 4, "n_features": 1, "params": 11, "epochs_run": 0, "fit_seconds": 0.25,
        "stopped": False, "diverged": True, "train_rmse": None, "test_rmse": 0.5,
        "verdict": "The model produced no finite predictions, so it cannot be compared.",
        "config": {"cell": "SimpleRNN", "layers": 1, "units": 2, "dataset": "sine",
                   "time_steps": 4, "stride": 1, "layout": "steps", "epochs": 2},
    }
    return result | changes


def test_summary_of_a_diverged_run():
    lines = report.summary(_result()).splitlines()
    assert lines[:4] == [
        "Run: defaults — SimpleRNN x1 (2 units) on sine, T=4, stride 1, layout steps",
        "Windows: 1,187 train / 46 test (input 4 step(s) x 1 feature(s))",
        "Parameters: 11",
        "Epochs: 0 of 2 in 0.2 s (diverged: the loss or the predictions became NaN/inf or blew up)",
    ]
    assert lines[5] == "RMSE (scaled)            n/a         0.5"
    assert lines[-1].startswith("The model produced no finite predictions")
    assert "Forecaster" not in "\n".join(lines)  # no comparison given


def test_summary_names_the_table_and_its_notes():
    source = {"csv": "sales.csv", "target": "y", "date": "day", "features": ["a"],
              "missing": "drop", "rows_read": 1200, "rows_used": 1199,
              "notes": ["dropped 1 row\nwith missing values."]}
    lines = report.summary(_result(source=source, diverged=False, stopped=True)).splitlines()
    assert lines[1:3] == [
        "Data: sales.csv: target 'y', date 'day', features 'a'; 1,199 of 1,200 rows used "
        "(missing: drop)",
        "  dropped 1 row with missing values.",
    ]
    assert lines[5] == "Epochs: 0 of 2 in 0.2 s (stopped early)"


def test_forecast_result_of_a_diverged_run_has_no_forecast_but_its_dates():
    base = _result(test_rmse_original=None)
    result = report.forecast_result(base, None, None, ["200", "201", "202"])
    assert list(result)[:8] == ["preset", "source", "steps", "next_value", "forecast", "index",
                                "test_rmse_original", "input_steps"]
    assert (result["steps"], result["input_steps"]) == (3, 4)
    assert result["forecast"] is None and result["next_value"] is None
    assert result["diverged"] is True and result["params"] == 11
    assert "steps" in base and base["steps"] == 4  # the train result is left as it was
