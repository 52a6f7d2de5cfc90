"""Baselines and forecasts of the session's run, computed once per run and choice."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from rnn_core import forecast, report
from ui.session import Session, session


def compare(run: Any, season: int, order: tuple[int, int, int]) -> report.Comparison:
    """The model and every baseline on the run's test targets (``report.compare_baselines``),
    MASE scaled by the naive forecast one season back; ARIMA is slow to fit, so cache."""
    return session.cached(Session.baselines_cache, (id(run), season, order),
                          lambda: report.compare_baselines(
                              run, season, order, mase_season=season,
                              model_label=f"Model ({run.config.cell})"))


def table(comparison: report.Comparison) -> pd.DataFrame:
    """The comparison's rows as the page shows them: one per forecaster, notes as text."""
    frame = pd.DataFrame(comparison.rows).drop(columns=["name"]).rename(
        columns={"label": "forecast"})
    frame["note"] = frame["note"].fillna("")  # no note: an empty cell, not "None"
    return frame


def style_best(frame: pd.DataFrame):
    """Bold green on the lowest value of each error column."""
    columns = [c for c in ("RMSE", "MAE", "MAPE", "MASE") if c in frame]
    return (frame.style.highlight_min(subset=columns, props="font-weight: bold; color: #1a7f37")
            .format({c: "{:.4g}" for c in columns}, na_rep="—"))


def recursive(run: Any, steps: int) -> np.ndarray:
    """The ``steps`` values after the series (``forecast.recursive`` on the numpy network)."""
    return session.cached(Session.forecast_cache, (id(run), steps),
                          lambda: forecast.recursive(run.network, run.prepared, steps))
