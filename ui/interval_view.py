"""Prediction intervals on the Results page: the band on the prediction and forecast charts, and
how often they held (``rnn_core.intervals``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from rnn_core import intervals, interval_figures
from rnn_core.windows import step

from .session import Session, session


def of(run: Any, replayed: Any) -> intervals.Intervals | None:
    """The intervals of the predictions shown (the replayed epoch's), None when off."""
    level = run.config.interval_level
    if not level:
        return None
    return session.cached(Session.interval_cache, (id(run), replayed.epoch),
                          lambda: intervals.intervals(run.prepared, replayed.pred_train,
                                                      replayed.pred_test, level))


def band(fig: Any, run: Any, found: intervals.Intervals | None, replayed: Any, k: int,
         test_pos: np.ndarray, scaled: bool) -> None:
    """The test predictions' interval (step ``k`` ahead) as a band, in original units."""
    if found is None or scaled:
        return
    pred = step(run.original(replayed.pred_test, "test"), k)
    width = found.half_width[k]
    if not np.isfinite(width):
        return
    x = np.asarray(run.prepared.series.index)[test_pos]
    interval_figures.add_band(fig, x, pred - width, pred + width,
                              f"{found.level:.0%} interval")


def sentence(found: intervals.Intervals | None, unit: str, scaled: bool) -> None:
    """How often the intervals held, next to the level they promise."""
    if found is None:
        return
    if not np.all(np.isfinite(found.half_width)):
        st.warning(f"Only {found.calibration} calibration windows: too few for "
                   f"{found.level:.0%} intervals (they would be unbounded). Lower the level or "
                   "use more training windows.")
        return
    (st.success if found.coverage >= found.level else st.warning)(found.sentence(unit))
    if scaled:
        st.caption("The interval band is drawn in original units only: turn off scaled units "
                   "to see it.")


def forecast_band(fig: Any, run: Any, future_index: Any, future: np.ndarray) -> None:
    """The recursive forecast's interval per step ahead (roll-outs from the calibration
    windows), where the calibration gives a finite width."""
    level = run.config.interval_level
    if not level or run.windows.horizon > 1 or run.prepared.series.features is not None:
        return
    widths = session.cached(Session.forecast_interval_cache, (id(run), len(future)),
                            lambda: intervals.recursive_quantiles(run.network, run.prepared,
                                                                  level, len(future)))
    finite = np.isfinite(widths)
    if finite.any():
        n = int(np.argmin(finite)) if not finite.all() else len(widths)  # up to the first gap
        interval_figures.add_band(fig, np.asarray(future_index)[:n], future[:n] - widths[:n],
                                  future[:n] + widths[:n], f"{level:.0%} interval")
    if not finite.all():
        st.caption(f"The interval ends after {int(np.argmin(finite))} steps: beyond, too few "
                   "calibration roll-outs stay inside the training part to measure it.")
